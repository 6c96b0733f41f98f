import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { eventPayloads, EventType } from '@heating-cashier/core/contract/events';
import type {
  MasterChange,
  MasterKind,
  PushAccepted,
  PushRequest,
  SyncErrorBody,
  WireEvent,
} from '@heating-cashier/core/contract/sync-wire';
import { MAX_PULL_CHANGES } from '@heating-cashier/core/contract/sync-wire';
import { canonicalJson } from '@heating-cashier/core/canonical-json';
import { isPending } from '@heating-cashier/core/tenders';
import {
  eventHash,
  eventHashWithPayloadJson,
  GENESIS_HASH,
  type HashedEventFields,
  type Sha256Hex,
} from '@heating-cashier/core/hash-chain';
import { applyTerminalChequeDecision } from './cheques';
import { checkReliefApprovals } from './approvals';
import { applyHouseholdEdits } from './households';
import type { HoDb, Queryable } from './db';

export interface TerminalReg {
  reg_id: string;
  name: string;
  terminal_id: string | null;
  head_seq: number;
  head_hash: string;
  conflict: string | null;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Registers a terminal and returns its token (shown once; only its hash is stored). */
export async function registerTerminal(
  db: HoDb,
  name: string,
  terminalId: string | null = null,
): Promise<{ regId: string; token: string; terminalId: string | null }> {
  const token = `hot_${randomBytes(32).toString('base64url')}`;
  const regId = randomUUID();
  await db.query(
    'INSERT INTO ho_terminals (reg_id, name, token_hash, terminal_id) VALUES ($1, $2, $3, $4)',
    [regId, name, hashToken(token), terminalId],
  );
  return { regId, token, terminalId };
}

export async function terminalByToken(db: Queryable, token: string): Promise<TerminalReg | null> {
  const rows = await db.query<TerminalReg>(
    'SELECT reg_id, name, terminal_id, head_seq, head_hash, conflict FROM ho_terminals WHERE token_hash = $1',
    [hashToken(token)],
  );
  return rows[0] ?? null;
}

export type PushOutcome =
  { status: 200; body: PushAccepted } | { status: 403 | 409; body: SyncErrorBody };

interface StoredHead {
  terminal_id: string | null;
  head_seq: number;
  head_hash: string;
  conflict: string | null;
}

/**
 * Ingests one push in ONE transaction: dedupes by (terminal, seq) and event id, checks each event's
 * hash and its link to the stored chain head, refuses gaps (409 + expected seq) and conflicts
 * (409, quarantined, pushing stops until an operator clears it). Never overwrites a stored event.
 */
export async function ingestPush(
  db: HoDb,
  regId: string,
  req: PushRequest,
  rawBody: string,
): Promise<PushOutcome> {
  // CPU work before taking the terminal's row lock: canonical payload text and recomputed hashes.
  const canonical = req.events.map((e) => canonicalJson(e.payload));
  const hashOk = req.events.map((e, i) => recomputeHash(e, canonical[i]!) === e.hash);
  const outcome = await db.tx(async (q) => {
    const head = (
      await q.query<StoredHead>(
        'SELECT terminal_id, head_seq, head_hash, conflict FROM ho_terminals WHERE reg_id = $1 FOR UPDATE',
        [regId],
      )
    )[0]!;
    if (head.terminal_id !== null && head.terminal_id !== req.terminalId) {
      return forbidden('this token belongs to another terminal');
    }
    if (head.conflict !== null) {
      return refuse(
        409,
        'quarantined',
        `pushes are stopped until head office resolves: ${head.conflict}`,
      );
    }
    if (head.terminal_id === null) {
      const taken = await q.query('SELECT 1 FROM ho_terminals WHERE terminal_id = $1', [
        req.terminalId,
      ]);
      if (taken.length > 0) return forbidden('this terminal id is registered with another token');
      await q.query('UPDATE ho_terminals SET terminal_id = $2 WHERE reg_id = $1', [
        regId,
        req.terminalId,
      ]);
    }
    const quarantine = async (kind: string, seq: number | null, detail: string) => {
      await q.query(
        'INSERT INTO ho_quarantine (reg_id, terminal_id, kind, seq, detail, body) VALUES ($1, $2, $3, $4, $5, $6)',
        [regId, req.terminalId, kind, seq, detail, rawBody],
      );
      if (kind !== 'gap')
        await q.query('UPDATE ho_terminals SET conflict = $2 WHERE reg_id = $1', [
          regId,
          `${kind} at seq ${seq}: ${detail}`,
        ]);
    };

    const events = req.events;
    // 1. events head office already holds: identical → duplicate; different → conflict.
    const old = events.filter((e) => e.seq <= head.head_seq);
    if (old.length > 0) {
      const stored = await q.query<{ seq: number; hash: string }>(
        'SELECT seq, hash FROM ho_events WHERE terminal_id = $1 AND seq BETWEEN $2 AND $3',
        [req.terminalId, old[0]!.seq, old[old.length - 1]!.seq],
      );
      const bySeq = new Map(stored.map((r) => [r.seq, r.hash]));
      for (const e of old) {
        if (bySeq.get(e.seq) !== e.hash) {
          await quarantine('conflict', e.seq, 'same seq, different hash');
          return refuse(409, 'conflict', `seq ${e.seq} differs from the event head office holds`, {
            conflictSeq: e.seq,
          });
        }
      }
    }
    const firstFresh = events.findIndex((e) => e.seq > head.head_seq);
    const fresh = firstFresh < 0 ? [] : events.slice(firstFresh);
    if (fresh.length > 0 && fresh[0]!.seq !== head.head_seq + 1) {
      await quarantine('gap', fresh[0]!.seq, `expected seq ${head.head_seq + 1}`);
      return refuse(409, 'gap', `expected seq ${head.head_seq + 1}`, {
        expectedSeq: head.head_seq + 1,
      });
    }
    // 2. every new event: recomputed hash, link to the previous one.
    let prev = head.head_hash;
    for (const [i, e] of fresh.entries()) {
      if (e.prevHash !== prev) {
        await quarantine('bad_link', e.seq, 'prev_hash does not match the stored chain head');
        return refuse(409, 'conflict', `seq ${e.seq} does not extend the stored chain`, {
          conflictSeq: e.seq,
        });
      }
      if (!hashOk[firstFresh + i]) {
        await quarantine('bad_hash', e.seq, 'hash does not match the event content');
        return refuse(409, 'conflict', `seq ${e.seq}: hash does not match its content`, {
          conflictSeq: e.seq,
        });
      }
      prev = e.hash;
    }
    if (fresh.length > 0) {
      const ids = await q.query<{ id: string }>(
        'SELECT id FROM ho_events WHERE id = ANY($1::text[])',
        [fresh.map((e) => e.id)],
      );
      if (ids.length > 0) {
        const e = fresh.find((f) => f.id === ids[0]!.id)!;
        await quarantine('conflict', e.seq, `event id ${e.id} is already stored under another seq`);
        return refuse(409, 'conflict', `event id ${e.id} already stored`, { conflictSeq: e.seq });
      }
    }
    const last = fresh[fresh.length - 1];
    const ackedSeq = last ? last.seq : head.head_seq;
    const ackedHash = last ? last.hash : head.head_hash;
    await writeBatch(q, fresh, canonical.slice(firstFresh < 0 ? events.length : firstFresh), {
      regId,
      ackedSeq,
      ackedHash,
      reportedSeq: req.head.seq,
      reportedHash: req.head.hash,
    });
    return {
      status: 200 as const,
      body: {
        ackedSeq,
        ackedHash,
        inserted: fresh.length,
        duplicates: old.length,
        serverTime: new Date().toISOString(),
      },
    };
  });
  return outcome;
}

function refuse(
  status: 403 | 409,
  error: SyncErrorBody['error'],
  message: string,
  extra: Partial<SyncErrorBody> = {},
): PushOutcome {
  return { status, body: { error, message, ...extra } };
}
const forbidden = (message: string) => refuse(403, 'forbidden', message);

/** The hash of an event whose payload's canonical text is at hand (node:crypto's SHA-256). */
export function eventHashFromText(
  payloadText: string,
  f: Omit<HashedEventFields, 'payload'>,
): string {
  return eventHashWithPayloadJson(f, payloadText, sha256Hex);
}

const sha256Hex: Sha256Hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The event's hash from its fields; `payloadText` is canonicalJson(payload), computed once. */
function recomputeHash(e: WireEvent, payloadText: string): string {
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

type Payload<T extends EventType> = z.infer<(typeof eventPayloads)[T]>;

interface BatchHead {
  regId: string;
  ackedSeq: number;
  ackedHash: string;
  reportedSeq: number;
  reportedHash: string;
}

/**
 * Writes one accepted batch: the events, their projections (receipts, lines, pending cheques), the
 * change log entries other counters pull, and the terminal's new chain head — as ONE multi-row
 * statement (data-modifying CTEs over one array per column), so a batch of 1,000 events costs one
 * round trip and no per-row statements. The rare voids and cheque decisions follow in the same
 * transaction. The caller holds the terminal's row lock.
 */
async function writeBatch(
  q: Queryable,
  events: WireEvent[],
  payloads: string[],
  head: BatchHead,
): Promise<void> {
  const r = {
    id: [] as string[],
    book: [] as string[],
    label: [] as string[],
    household: [] as string[],
    date: [] as string[],
    total: [] as number[],
    seq: [] as number[],
  };
  const l = {
    receipt: [] as string[],
    household: [] as string[],
    season: [] as string[],
    fen: [] as number[],
  };
  const cq = {
    receipt: [] as string[],
    position: [] as number[],
    label: [] as string[],
    household: [] as string[],
    chequeNo: [] as string[],
    bank: [] as string[],
    fen: [] as number[],
    date: [] as string[],
  };
  const changes: string[] = [];
  const voids: { receipt_id: string; seq: number }[] = [];
  const decisions: WireEvent[] = [];
  const reliefs: WireEvent[] = [];
  const householdEdits: WireEvent[] = [];
  for (const e of events) {
    if (e.type === 'receipt.issued') {
      const p = e.payload as Payload<'receipt.issued'>;
      r.id.push(p.receiptId);
      r.book.push(p.bookId);
      r.label.push(p.receiptLabel);
      r.household.push(p.householdId);
      r.date.push(e.businessDate);
      r.total.push(p.totalFen);
      r.seq.push(e.seq);
      for (const line of p.lines) {
        l.receipt.push(p.receiptId);
        l.household.push(p.householdId);
        l.season.push(line.seasonId);
        l.fen.push(line.amountFen);
        changes.push(
          JSON.stringify(
            counterPayment(
              e,
              p.receiptId,
              p.householdId,
              line.seasonId,
              line.amountFen,
              p.receiptLabel,
            ).data,
          ),
        );
      }
      p.tenders.forEach((t, position) => {
        if (!isPending(t.kind)) return;
        cq.receipt.push(p.receiptId);
        cq.position.push(position);
        cq.label.push(p.receiptLabel);
        cq.household.push(p.householdId);
        cq.chequeNo.push(t.reference ?? '');
        cq.bank.push(t.detail.bank ?? '');
        cq.fen.push(t.amountFen);
        cq.date.push(e.businessDate);
      });
    } else if (e.type === 'receipt.voided') {
      const p = e.payload as Payload<'receipt.voided'>;
      voids.push({ receipt_id: p.receiptId, seq: e.seq });
    } else if (e.type === 'cheque.cleared' || e.type === 'cheque.bounced') {
      decisions.push(e);
    } else if (e.type === 'relief.granted') {
      reliefs.push(e); // approvals re-checked against head office's clerks (approvals.ts)
    } else if (e.type === 'household.updated' || e.type === 'household.flagged') {
      householdEdits.push(e); // applied to the master households (households.ts)
    }
  }
  const terminalId = events[0]?.terminalId ?? null;
  await q.query(
    `WITH ev AS (
       INSERT INTO ho_events (terminal_id, seq, id, type, occurred_at, business_date, clerk_id, payload, prev_hash, hash)
       SELECT $1, * FROM ROWS FROM (unnest($2::bigint[]), unnest($3::text[]), unnest($4::text[]),
         unnest($5::text[]), unnest($6::text[]), unnest($7::text[]), json_array_elements_text($8::json),
         unnest($9::text[]), unnest($10::text[]))),
     rc AS (
       INSERT INTO ho_receipts (receipt_id, terminal_id, book_id, receipt_label, household_id, business_date,
                                total_fen, issued_seq)
       SELECT x.id, $1, x.book, x.label, x.hh, x.day, x.total, x.seq
       FROM unnest($11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::bigint[], $17::bigint[])
         AS x(id, book, label, hh, day, total, seq)),
     rl AS (
       INSERT INTO ho_receipt_lines (receipt_id, household_id, season_id, amount_fen)
       SELECT * FROM unnest($18::text[], $19::text[], $20::text[], $21::bigint[])),
     cq AS (
       INSERT INTO ho_cheques (receipt_id, position, terminal_id, receipt_label, household_id, cheque_no, bank,
                               amount_fen, issued_date)
       SELECT x.id, x.pos, $1, x.label, x.hh, x.no, x.bank, x.fen, x.day
       FROM unnest($22::text[], $23::int[], $24::text[], $25::text[], $26::text[], $27::text[], $28::bigint[],
                   $29::text[]) AS x(id, pos, label, hh, no, bank, fen, day)),
     cnt AS (
       UPDATE ho_counter SET value = value + cardinality($30::text[])
       WHERE name = 'changes' AND cardinality($30::text[]) > 0 RETURNING value),
     ch AS (
       INSERT INTO ho_changes (seq, kind, data, origin_terminal_id, target_terminal_id)
       SELECT cnt.value - cardinality($30::text[]) + x.n, 'payment', x.data, $1, NULL
       FROM cnt, unnest($30::text[]) WITH ORDINALITY AS x(data, n))
     UPDATE ho_terminals SET head_seq = $32, head_hash = $33, reported_seq = $34, reported_hash = $35,
            last_push_at = now() WHERE reg_id = $31`,
    [
      terminalId,
      events.map((e) => e.seq),
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => e.occurredAt),
      events.map((e) => e.businessDate),
      events.map((e) => e.clerkId),
      JSON.stringify(payloads),
      events.map((e) => e.prevHash),
      events.map((e) => e.hash),
      r.id,
      r.book,
      r.label,
      r.household,
      r.date,
      r.total,
      r.seq,
      l.receipt,
      l.household,
      l.season,
      l.fen,
      cq.receipt,
      cq.position,
      cq.label,
      cq.household,
      cq.chequeNo,
      cq.bank,
      cq.fen,
      cq.date,
      changes,
      head.regId,
      head.ackedSeq,
      head.ackedHash,
      head.reportedSeq,
      head.reportedHash,
    ],
  );
  const later: PendingChange[] = [];
  if (voids.length > 0) {
    // one statement for all voids of the batch; answers the lines to withdraw as payments elsewhere
    const voided = await q.query<{
      receipt_id: string;
      seq: number;
      household_id: string;
      season_id: string;
    }>(
      `WITH v AS (
         UPDATE ho_receipts r SET voided_seq = x.seq FROM unnest($1::text[], $2::bigint[]) AS x(receipt_id, seq)
         WHERE r.receipt_id = x.receipt_id RETURNING r.receipt_id, x.seq)
       SELECT v.receipt_id, v.seq, l.household_id, l.season_id
       FROM v JOIN ho_receipt_lines l ON l.receipt_id = v.receipt_id ORDER BY v.seq, l.season_id`,
      [voids.map((v) => v.receipt_id), voids.map((v) => v.seq)],
    );
    const bySeq = new Map(events.map((e) => [e.seq, e]));
    for (const x of voided)
      later.push(
        counterPayment(bySeq.get(x.seq)!, x.receipt_id, x.household_id, x.season_id, 0, null),
      );
  }
  for (const e of decisions) later.push(...(await applyTerminalChequeDecision(q, e)));
  await checkReliefApprovals(q, reliefs);
  later.push(...(await applyHouseholdEdits(q, householdEdits)));
  if (later.length > 0) await appendChanges(q, later);
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

export interface PendingChange {
  kind: MasterKind;
  data: Record<string, unknown>;
  origin: string | null;
  target: string | null;
}

/** Appends to the pulled change log; seqs come from the counter row, locked until commit. */
export async function appendChanges(q: Queryable, changes: PendingChange[]): Promise<void> {
  if (changes.length === 0) return;
  const [{ value }] = (await q.query<{ value: number }>(
    "UPDATE ho_counter SET value = value + $1 WHERE name = 'changes' RETURNING value",
    [changes.length],
  )) as [{ value: number }];
  const first = value - changes.length + 1;
  // the latest change per payment id wins (a receipt issued and voided in one batch ends at 0)
  const paymentRows = [
    ...new Map(
      changes
        .filter((c) => c.kind === 'payment' && c.data.source !== 'counter') // counter lines live in ho_receipt_lines
        .map((c) => [c.data.id as string, c.data]),
    ).values(),
  ];
  await q.query(
    `INSERT INTO ho_changes (seq, kind, data, origin_terminal_id, target_terminal_id)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[])`,
    [
      changes.map((_, i) => first + i),
      changes.map((c) => c.kind),
      changes.map((c) => JSON.stringify(c.data)),
      changes.map((c) => c.origin),
      changes.map((c) => c.target),
    ],
  );
  if (paymentRows.length > 0) {
    await q.query(
      `INSERT INTO ho_payments (id, household_id, season_id, amount_fen, source, origin_terminal_id, reference, paid_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id text, "householdId" text, "seasonId" text,
         "amountFen" bigint, source text, "originTerminalId" text, reference text, "paidAt" text)
       ON CONFLICT (id) DO UPDATE SET amount_fen = excluded.amount_fen`,
      [JSON.stringify(paymentRows)],
    );
  }
}

/**
 * Changes since `cursor` for one terminal: not its own counter payments, only its own books.
 * One statement (one snapshot) reads the change counter and the page, so when the page is short
 * the cursor can jump to the counter: every change up to it is committed (seqs are allocated
 * under the counter row lock, in commit order).
 */
export async function pullChanges(
  db: HoDb,
  terminalId: string,
  cursor: number,
  limit: number,
): Promise<{ changes: MasterChange[]; cursor: number; more: boolean }> {
  const n = Math.min(Math.max(limit, 1), MAX_PULL_CHANGES);
  const rows = await db.query<{ head: number; seq: number | null; kind: MasterKind; data: string }>(
    `SELECT h.value AS head, c.seq, c.kind, c.data
     FROM (SELECT value FROM ho_counter WHERE name = 'changes') h
     LEFT JOIN LATERAL (
       SELECT seq, kind, data FROM ho_changes
       WHERE seq > $1 AND seq <= h.value
         AND (origin_terminal_id IS NULL OR origin_terminal_id <> $2)
         AND (target_terminal_id IS NULL OR target_terminal_id = $2)
       ORDER BY seq LIMIT $3) c ON true`,
    [cursor, terminalId, n],
  );
  const head = rows[0]?.head ?? cursor;
  const page = rows.filter((r) => r.seq !== null);
  const more = page.length === n;
  return {
    changes: page.map(
      (r) => ({ seq: r.seq, kind: r.kind, data: JSON.parse(r.data) }) as MasterChange,
    ),
    cursor: more ? page[page.length - 1]!.seq! : Math.max(head, cursor),
    more,
  };
}

// ---- reports ------------------------------------------------------------------------------------

export interface ReconRow {
  terminal_id: string;
  business_date: string;
  book_id: string;
  receipts: number;
  voids: number;
  issued_fen: number;
  voided_fen: number;
  net_fen: number;
}

/** Totals per terminal, business day and receipt book. */
export async function reconciliation(
  db: Queryable,
  filter: { terminalId?: string; businessDate?: string } = {},
): Promise<ReconRow[]> {
  return db.query<ReconRow>(
    `SELECT terminal_id, business_date, book_id, count(*)::int AS receipts,
            count(voided_seq)::int AS voids, sum(total_fen)::bigint AS issued_fen,
            coalesce(sum(total_fen) FILTER (WHERE voided_seq IS NOT NULL), 0)::bigint AS voided_fen,
            coalesce(sum(total_fen) FILTER (WHERE voided_seq IS NULL), 0)::bigint AS net_fen
     FROM ho_receipts
     WHERE ($1::text IS NULL OR terminal_id = $1) AND ($2::text IS NULL OR business_date = $2)
     GROUP BY terminal_id, business_date, book_id ORDER BY terminal_id, business_date, book_id`,
    [filter.terminalId ?? null, filter.businessDate ?? null],
  );
}

/** Households paid more than charged for a season (e.g. two offline counters both took the fee). */
export async function overpayments(db: Queryable) {
  return db.query<{
    household_id: string;
    season_id: string;
    charge_fen: number;
    paid_fen: number;
    over_fen: number;
    receipts: string | null;
  }>(
    `WITH counter AS (
       SELECT l.household_id, l.season_id, sum(l.amount_fen - l.bounced_fen)::bigint AS fen,
              string_agg(r.receipt_label, ',' ORDER BY r.receipt_label) AS receipts
       FROM ho_receipt_lines l JOIN ho_receipts r ON r.receipt_id = l.receipt_id AND r.voided_seq IS NULL
       GROUP BY l.household_id, l.season_id),
     other AS (
       SELECT household_id, season_id, sum(amount_fen)::bigint AS fen FROM ho_payments
       WHERE source <> 'counter' GROUP BY household_id, season_id)
     SELECT c.household_id, c.season_id, c.charge_fen,
            (c.paid_before_fen + coalesce(k.fen, 0) + coalesce(o.fen, 0))::bigint AS paid_fen,
            (c.paid_before_fen + coalesce(k.fen, 0) + coalesce(o.fen, 0) - c.charge_fen)::bigint AS over_fen,
            k.receipts
     FROM ho_charges c
     LEFT JOIN counter k ON k.household_id = c.household_id AND k.season_id = c.season_id
     LEFT JOIN other o ON o.household_id = c.household_id AND o.season_id = c.season_id
     WHERE c.paid_before_fen + coalesce(k.fen, 0) + coalesce(o.fen, 0) > c.charge_fen
     ORDER BY c.household_id, c.season_id`,
  );
}

export interface HoChainReport {
  terminalId: string;
  ok: boolean;
  eventsChecked: number;
  headSeq: number;
  headHash: string;
  reportedSeq: number;
  firstBadSeq: number | null;
  problem: string | null;
}

/** Recomputes one terminal's stored chain: seq gap-free from 1, prev_hash links, hash of content. */
export async function verifyChain(
  db: Queryable,
  terminalId: string,
): Promise<HoChainReport | null> {
  const reg = (
    await db.query<{ head_seq: number; reported_seq: number }>(
      'SELECT head_seq, reported_seq FROM ho_terminals WHERE terminal_id = $1',
      [terminalId],
    )
  )[0];
  if (!reg) return null;
  let expected = 1;
  let prev = GENESIS_HASH;
  const PAGE = 5000;
  for (;;) {
    const rows = await db.query<{
      seq: number;
      id: string;
      type: string;
      occurred_at: string;
      business_date: string;
      clerk_id: string | null;
      payload: string;
      prev_hash: string;
      hash: string;
    }>(
      `SELECT seq, id, type, occurred_at, business_date, clerk_id, payload, prev_hash, hash
       FROM ho_events WHERE terminal_id = $1 AND seq >= $2 ORDER BY seq LIMIT ${PAGE}`,
      [terminalId, expected],
    );
    for (const r of rows) {
      const problem =
        r.seq !== expected
          ? `seq ${expected} is missing`
          : r.prev_hash !== prev
            ? 'prev_hash does not link'
            : eventHash(
                  {
                    seq: r.seq,
                    id: r.id,
                    terminalId,
                    type: r.type,
                    occurredAt: r.occurred_at,
                    businessDate: r.business_date,
                    clerkId: r.clerk_id,
                    payload: JSON.parse(r.payload),
                    prevHash: r.prev_hash,
                  },
                  sha256Hex,
                ) !== r.hash
              ? 'hash does not match content'
              : null;
      if (problem)
        return {
          terminalId,
          ok: false,
          eventsChecked: expected - 1,
          headSeq: reg.head_seq,
          headHash: prev,
          reportedSeq: reg.reported_seq,
          firstBadSeq: expected,
          problem,
        };
      prev = r.hash;
      expected++;
    }
    if (rows.length < PAGE) break;
  }
  const complete = expected - 1 === reg.head_seq;
  return {
    terminalId,
    ok: complete,
    eventsChecked: expected - 1,
    headSeq: reg.head_seq,
    headHash: prev,
    reportedSeq: reg.reported_seq,
    firstBadSeq: complete ? null : expected,
    problem: complete ? null : `stored head ${reg.head_seq} but chain ends at ${expected - 1}`,
  };
}
