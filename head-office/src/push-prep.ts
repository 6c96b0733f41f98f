// The CPU work of one push that needs no database: parsing and validating the body, each event's
// canonical payload text and recomputed hash, and the counter payments other terminals pull (one
// per receipt line, normalised, with the message head office signs). Pure, so it runs in the
// ingest worker threads (ingest-pool.ts) as well as in-process (store.ts ingestPush).
import type { z } from 'zod';
import type { eventPayloads } from '@heating-cashier/core/contract/events';
import {
  normalizeMasterRecord,
  pushRequest,
  type MasterKind,
  type PushRequest,
  type WireEvent,
} from '@heating-cashier/core/contract/sync-wire';
import { canonicalJson } from '@heating-cashier/core/canonical-json';
import { masterRecordMessage } from '@heating-cashier/core/signing';
import { eventHashWithPayloadJson, type HashedEventFields } from '@heating-cashier/core/hash-chain';
import { createHash } from 'node:crypto';

/** A 400's message from a zod refusal: its first issues, each with the path it concerns. */
export const zodIssues = (e: z.ZodError) =>
  e.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    .join('; ');

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The hash of an event whose payload's canonical text is at hand (node:crypto's SHA-256). */
export function eventHashFromText(
  payloadText: string,
  f: Omit<HashedEventFields, 'payload'>,
): string {
  return eventHashWithPayloadJson(f, payloadText, sha256Hex);
}

/** The event's hash from its fields; `payloadText` is canonicalJson(payload), computed once. */
export function recomputeHash(e: WireEvent, payloadText: string): string {
  return eventHashFromText(payloadText, {
    seq: e.seq,
    id: e.id,
    terminalId: e.terminalId,
    type: e.type,
    occurredAt: e.occurredAt,
    businessDate: e.businessDate,
    clerkId: e.clerkId,
    prevHash: e.prevHash,
  });
}

export interface PendingChange {
  kind: MasterKind;
  data: Record<string, unknown>;
  origin: string | null;
  target: string | null;
}

export function counterPayment(
  e: { terminalId: string; occurredAt: string | null },
  receiptId: string,
  householdId: string,
  seasonId: string,
  amountFen: number,
  reference: string | null,
): PendingChange {
  return {
    kind: 'payment',
    data: {
      id: `${receiptId}:${seasonId}`,
      householdId,
      seasonId,
      amountFen,
      source: 'counter',
      originTerminalId: e.terminalId,
      reference,
      paidAt: e.occurredAt,
    },
    origin: e.terminalId,
    target: null,
  };
}

/** One counter payment to sign: the receipt.issued event's seq, its JSON and the signed message. */
export interface CounterPaymentRow {
  seq: number;
  json: string;
  message: string;
}

/** The counter payments other terminals pull for each receipt.issued event (one per line). */
export function counterPaymentRows(events: readonly WireEvent[]): CounterPaymentRow[] {
  const rows: CounterPaymentRow[] = [];
  for (const e of events) {
    if (e.type !== 'receipt.issued') continue;
    const p = e.payload as z.infer<(typeof eventPayloads)['receipt.issued']>;
    for (const line of p.lines) {
      const data = normalizeMasterRecord(
        'payment',
        counterPayment(e, p.receiptId, p.householdId, line.seasonId, line.amountFen, p.receiptLabel)
          .data,
      );
      rows.push({
        seq: e.seq,
        json: JSON.stringify(data),
        message: masterRecordMessage('payment', data),
      });
    }
  }
  return rows;
}

/** What the database part of a push needs from the CPU part (ingestPush's `prepared`). */
export interface PushChecks {
  /** canonicalJson of each event's payload, exactly as hashed and stored. */
  canonical: string[];
  /** Whether each event's recomputed hash equals the hash it carries. */
  hashOk: boolean[];
  /** The counter payments, signed by head office: [seq, json, signature]. */
  payments: [number, string, string][];
}

/** A push body parsed and checked off the event loop, or why it was refused (400). */
export type PreparedPush =
  { kind: 'ok'; req: PushRequest; checks: PushChecks } | { kind: 'bad_request'; message: string };

/**
 * The whole CPU part of a push from its raw body; `signMany` signs the counter payments (in a
 * worker thread: head office's key, on libuv's thread pool).
 */
export async function preparePush(
  raw: string,
  signMany: (messages: string[]) => Promise<string[]>,
): Promise<PreparedPush> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { kind: 'bad_request', message: 'malformed JSON' };
  }
  const parsed = pushRequest.safeParse(json);
  if (!parsed.success) return { kind: 'bad_request', message: zodIssues(parsed.error) };
  const req = parsed.data;
  const rows = counterPaymentRows(req.events);
  const signing = signMany(rows.map((r) => r.message)); // on the thread pool meanwhile
  const canonical = req.events.map((e) => canonicalJson(e.payload));
  const hashOk = req.events.map((e, i) => recomputeHash(e, canonical[i]!) === e.hash);
  const sigs = await signing;
  const payments = rows.map((r, i): [number, string, string] => [r.seq, r.json, sigs[i]!]);
  return { kind: 'ok', req, checks: { canonical, hashOk, payments } };
}
