import { z } from 'zod';
import { eventPayloads, type EventType } from './events';
import { category, dateOnly, fen, id, isoTime, role } from './primitives';

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
    /** The terminal's chain head at the time of sending (external anchor). */
    head: z.object({ seq: z.number().int().min(0), hash: hex64 }).strict(),
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

/** 200: the highest contiguous seq head office holds for this terminal, and that event's hash. */
export const pushAccepted = z.object({
  ackedSeq: z.number().int().min(0),
  ackedHash: hex64,
  inserted: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  serverTime: isoTime,
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
    'internal',
  ]),
  message: z.string(),
  expectedSeq: z.number().int().min(1).optional(),
  conflictSeq: z.number().int().min(1).optional(),
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

export const masterChange = z.discriminatedUnion('kind', [
  z.object({ seq: z.number().int().min(1), kind: z.literal('household'), data: householdRecord }),
  z.object({ seq: z.number().int().min(1), kind: z.literal('season'), data: seasonRecord }),
  z.object({ seq: z.number().int().min(1), kind: z.literal('rate'), data: rateRecord }),
  z.object({ seq: z.number().int().min(1), kind: z.literal('charge'), data: chargeRecord }),
  z.object({ seq: z.number().int().min(1), kind: z.literal('payment'), data: paymentRecord }),
  z.object({ seq: z.number().int().min(1), kind: z.literal('clerk'), data: clerkRecord }),
  z.object({ seq: z.number().int().min(1), kind: z.literal('book'), data: bookRecord }),
  z.object({ seq: z.number().int().min(1), kind: z.literal('cheque'), data: chequeDecisionRecord }),
]);
export type MasterChange = z.infer<typeof masterChange>;
export type MasterKind = MasterChange['kind'];

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
});
