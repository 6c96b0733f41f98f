import { z } from 'zod';
import { eventPayloads, type EventType } from './events';
import { category, dateOnly, fen, id, isoTime, role } from './primitives';
import { publicKeyText, signatureText } from '../signing';
import { CROCKFORD_ALPHABET, normalizeEnrollmentCode } from '../enrollment-code';

/**
 * The wire format between a terminal's sync worker and head office (DESIGN.md §6). Shared by both
 * sides: the terminal builds requests with these schemas, head office validates them with the same.
 */

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'sha-256 hex');
const eventTypes = Object.keys(eventPayloads) as [EventType, ...EventType[]];

/** One ledger event as it travels: the row's columns, payload as the canonical object that was hashed. */
export const wireEvent = z
  .object({
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    id: id,
    terminalId: id,
    type: z.enum(eventTypes),
    occurredAt: isoTime,
    businessDate: dateOnly,
    clerkId: id.nullable(),
    // a plain JSON object, checked (not copied) here; its shape is checked per type below
    payload: z.custom<Record<string, unknown>>(
      (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
      'payload must be an object',
    ),
    prevHash: hex64,
    hash: hex64,
    /** Ed25519 over eventMessage(hash) by the key in force at this seq; null before the first key. */
    signature: signatureText.nullable().default(null),
  })
  .strict()
  .superRefine((e, ctx) => {
    const parsed = eventPayloads[e.type].safeParse(e.payload);
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        path: ['payload'],
        message: `payload of ${e.type}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      });
    }
  });
export type WireEvent = z.infer<typeof wireEvent>;

export const MAX_PUSH_EVENTS = 1000;

export const pushRequest = z
  .object({
    terminalId: id,
    /**
     * The terminal's chain head at the time of sending (external anchor), signed over
     * chainHeadMessage by its current key `keyNo` (both null on a ledger without a key).
     */
    head: z
      .object({
        seq: z.number().int().min(0),
        hash: hex64,
        signature: signatureText.nullable().default(null),
        keyNo: z.number().int().min(1).nullable().default(null),
      })
      .strict(),
    events: z.array(wireEvent).max(MAX_PUSH_EVENTS),
  })
  .strict()
  .superRefine((r, ctx) => {
    r.events.forEach((e, i) => {
      if (e.terminalId !== r.terminalId)
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'terminalId'],
          message: 'mixed terminals',
        });
      if (i > 0 && e.seq !== r.events[i - 1]!.seq + 1)
        ctx.addIssue({ code: 'custom', path: ['events', i, 'seq'], message: 'not contiguous' });
    });
  });
export type PushRequest = z.infer<typeof pushRequest>;

/** Head office's signed acknowledgement (core/signing ackMessage, head office's key). */
export const signedAck = z
  .object({
    seq: z.number().int().min(0),
    hash: hex64,
    at: isoTime,
    signature: signatureText,
  })
  .strict();
export type SignedAck = z.infer<typeof signedAck>;

/** 200: the highest contiguous seq head office holds for this terminal, and that event's hash. */
export const pushAccepted = z.object({
  ackedSeq: z.number().int().min(0),
  ackedHash: hex64,
  inserted: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  serverTime: isoTime,
  /** The same head, signed: the terminal keeps the newest (sync_state.ack_*). */
  ack: signedAck,
});
export type PushAccepted = z.infer<typeof pushAccepted>;

/** Every non-2xx answer: a machine code, the clerk-facing text, and what to do (e.g. expectedSeq). */
export const syncErrorBody = z.object({
  error: z.enum([
    'gap',
    'conflict',
    'quarantined',
    'unauthorized',
    'forbidden',
    'bad_request',
    'too_large',
    'not_found',
    'rate_limited',
    /** QR sales: head office has no keys for the code's provider (nothing was sent to it). */
    'provider_unavailable',
    'internal',
  ]),
  message: z.string(),
  expectedSeq: z.number().int().min(1).optional(),
  conflictSeq: z.number().int().min(1).optional(),
  /** Why an enrollment was refused (the terminal words it in the clerk's language). */
  problem: z
    .enum([
      'code_unknown',
      'code_used',
      'code_expired',
      'wrong_terminal',
      'already_enrolled',
      'key_conflict',
      'bad_proof',
      'rate_limited',
    ])
    .optional(),
});
export type SyncErrorBody = z.infer<typeof syncErrorBody>;

// ---- master data (pull) -------------------------------------------------------------------------

export const householdRecord = z
  .object({
    id,
    accountNo: z.string().min(1).max(32),
    name: z.string().min(1).max(60),
    phone: z.string().max(30).default(''),
    community: z.string().min(1).max(60),
    building: z.string().min(1).max(20),
    unit: z.string().min(1).max(20),
    room: z.string().min(1).max(20),
    areaHundredths: z.number().int().min(1).max(100_000_000),
    category,
    subsidised: z.boolean().default(false),
    noHeat: z.boolean().default(false),
    blacklisted: z.boolean().default(false),
    legalAction: z.boolean().default(false),
  })
  .strict();

export const seasonRecord = z
  .object({
    id,
    code: z.string().regex(/^\d{4}-\d{4}$/),
    startsOn: dateOnly,
    endsOn: dateOnly,
    noHeatDeadline: dateOnly.nullable(),
    noHeatRatioPct: z.number().int().min(0).max(100),
  })
  .strict();

export const rateRecord = z.object({ seasonId: id, category, rateFenPerM2: fen }).strict();

/** The charge (应收); `paidBeforeFen` is what was paid before/outside any recorded payment. */
export const chargeRecord = z
  .object({ householdId: id, seasonId: id, chargeFen: fen, paidBeforeFen: fen.default(0) })
  .strict();

/** A payment made elsewhere: another counter, bank withholding, online. amountFen 0 = voided/withdrawn. */
export const paymentRecord = z
  .object({
    id: z.string().min(1).max(120),
    householdId: id,
    seasonId: id,
    amountFen: fen,
    source: z.enum(['counter', 'bank', 'online', 'cheque']),
    originTerminalId: id.nullable(),
    reference: z.string().max(64).nullable(),
    paidAt: isoTime.nullable(),
  })
  .strict();

export const clerkRecord = z
  .object({
    id,
    code: z.string().regex(/^[A-Za-z0-9]{1,20}$/),
    name: z.string().min(1).max(40),
    role,
    pinHash: z.string().regex(/^scrypt\$/),
    active: z.boolean(),
  })
  .strict();

/** A receipt book allocated by head office to one terminal's clerk. */
export const bookRecord = z
  .object({
    id,
    terminalId: id,
    clerkCode: z.string().regex(/^[A-Za-z0-9]{1,20}$/),
    series: z.string().regex(/^[A-Z0-9]{1,12}$/),
    firstNo: z.number().int().min(1).max(99_999_999),
    lastNo: z.number().int().min(1).max(99_999_999),
  })
  .strict();

/**
 * A cheque decision recorded at head office (finance saw the money arrive, or the bank returned the
 * cheque), sent to the terminal whose receipt carries the cheque. `decisionId` travels back in the
 * terminal's cheque event, so head office recognises the echo.
 */
export const chequeDecisionRecord = z
  .object({
    decisionId: id,
    terminalId: id,
    receiptId: id,
    position: z.number().int().min(0).max(50),
    outcome: z.enum(['cleared', 'bounced']),
    valueDate: dateOnly,
    reason: z.string().max(200).nullable(),
  })
  .strict();

/**
 * The record schema of each master kind. Head office signs `masterRecordMessage(kind, data)` over
 * the record as this schema parses it (defaults filled), so the terminal's parse of the pulled row
 * gives the same canonical JSON.
 */
export const masterRecordSchemas = {
  household: householdRecord,
  season: seasonRecord,
  rate: rateRecord,
  charge: chargeRecord,
  payment: paymentRecord,
  clerk: clerkRecord,
  book: bookRecord,
  cheque: chequeDecisionRecord,
} as const;

const change = <K extends keyof typeof masterRecordSchemas>(kind: K) =>
  z.object({
    seq: z.number().int().min(1),
    kind: z.literal(kind),
    data: masterRecordSchemas[kind],
    /** Head office's signature over masterRecordMessage(kind, data). */
    sig: signatureText,
  });

export const masterChange = z.discriminatedUnion('kind', [
  change('household'),
  change('season'),
  change('rate'),
  change('charge'),
  change('payment'),
  change('clerk'),
  change('book'),
  change('cheque'),
]);
export type MasterChange = z.infer<typeof masterChange>;
export type MasterKind = MasterChange['kind'];

/** A master record in the form head office signs: parsed by its kind's schema (defaults filled). */
export function normalizeMasterRecord(kind: MasterKind, data: unknown): Record<string, unknown> {
  return masterRecordSchemas[kind].parse(data) as Record<string, unknown>;
}

export const MAX_PULL_CHANGES = 2000;

export const pullResponse = z.object({
  changes: z.array(masterChange).max(MAX_PULL_CHANGES),
  /** Pass back as `cursor` on the next pull; equals the request's cursor when nothing changed. */
  cursor: z.number().int().min(0),
  more: z.boolean(),
  serverTime: isoTime,
});
export type PullResponse = z.infer<typeof pullResponse>;

export const healthResponse = z.object({
  ok: z.literal(true),
  serverTime: isoTime,
  storage: z.enum(['postgres', 'pglite']),
  /** Head office's public key (what terminals pin at enrollment). */
  headOfficeKey: publicKeyText,
});

// ---- enrollment ---------------------------------------------------------------------------------

export { CROCKFORD_ALPHABET, normalizeEnrollmentCode };

export const enrollmentCode = z
  .string()
  .max(40)
  .transform((text, ctx) => {
    const code = normalizeEnrollmentCode(text);
    if (code === null) {
      ctx.addIssue({
        code: 'custom',
        message: 'enrollment code: 16 letters/digits (XXXX-XXXX-XXXX-XXXX)',
      });
      return z.NEVER;
    }
    return code;
  });

/** POST /v1/enroll (no bearer token: the code authenticates, the proof shows the key is held). */
export const enrollRequest = z
  .object({
    code: enrollmentCode,
    terminalId: id,
    name: z.string().min(1).max(60),
    keyNo: z.number().int().min(1),
    publicKey: publicKeyText,
    /** The seq of the terminal.keyed event that introduced this key. */
    keyFromSeq: z.number().int().min(1),
    /** The terminal's signature over enrollMessage(code, terminalId, publicKey). */
    proof: signatureText,
  })
  .strict();
export type EnrollRequest = z.infer<typeof enrollRequest>;

export const enrollResponse = z
  .object({
    terminalId: id,
    /** The terminal's bearer token, bound to this terminal id; shown once. */
    token: z.string().regex(/^[A-Za-z0-9_-]{20,200}$/),
    /** Head office's signature over keyCertificateMessage({terminalId, publicKey, fromSeq, issuedAt}). */
    certificate: signatureText,
    issuedAt: isoTime,
    headOfficeKey: publicKeyText,
    /** What head office already holds of this terminal's chain (0 / genesis on a first enrollment). */
    head: z.object({ seq: z.number().int().min(0), hash: hex64 }).strict(),
  })
  .strict();
export type EnrollResponse = z.infer<typeof enrollResponse>;
