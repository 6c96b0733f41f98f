import {
  eventPayloads,
  type EventPayload,
  type EventType,
  type LedgerEvent,
} from '@heating-cashier/core/contract/events';
import { canonicalJson } from '@heating-cashier/core/canonical-json';
import type { Db } from './db';
import { eventHashWithPayloadJson, GENESIS_HASH } from '@heating-cashier/core/hash-chain';
import { eventMessage } from '@heating-cashier/core/signing';
import { sha256Hex } from './sha256';
import { uuidv7 } from './ids';
import { applyEvent } from './projector';
import { stmt } from './statements';

export interface EventRow {
  seq: number;
  id: string;
  terminal_id: string;
  type: string;
  occurred_at: string;
  business_date: string;
  clerk_id: string | null;
  payload: string;
  prev_hash: string;
  hash: string;
  signature: string | null;
}

export interface ChainHead {
  seq: number;
  hash: string;
  occurredAt: string | null;
}

export interface AppendContext {
  db: Db;
  terminalId: string;
  now: Date;
  businessDate: string;
}

/**
 * Runs `fn` with `head` (the chain head its transaction read for the clock check) handed to its
 * first append, so that append does not read it again; the hand-off never outlives `fn`. Kept on
 * the connection (`db.cache.handedHead`), not on the append context (callers copy contexts), and
 * consumed by that first append: a savepoint rolled back after an append would make any later
 * copy stale. (A stale head could not corrupt the chain anyway: the events_chain_link trigger
 * refuses the row.)
 */
export function withHandedChainHead<T>(db: Db, head: ChainHead, fn: () => T): T {
  db.cache.handedHead = head;
  try {
    return fn();
  } finally {
    db.cache.handedHead = null;
  }
}

export function chainHead(db: Db): ChainHead {
  const row = stmt(
    db,
    'SELECT seq, hash, occurred_at FROM events ORDER BY seq DESC LIMIT 1',
  ).get() as Pick<EventRow, 'seq' | 'hash' | 'occurred_at'> | undefined;
  return row
    ? { seq: row.seq, hash: row.hash, occurredAt: row.occurred_at }
    : { seq: 0, hash: GENESIS_HASH, occurredAt: null };
}

/**
 * Appends one event to the chain and applies it to the projections. Must run inside the caller's
 * transaction so the event and its projection land together or not at all.
 */
export function appendEvent<T extends EventType>(
  ctx: AppendContext,
  type: T,
  payload: EventPayload<T>,
  clerkId: string | null,
): LedgerEvent<T> {
  if (!ctx.db.inTransaction) throw new Error('appendEvent must run inside a transaction');
  const parsed = eventPayloads[type].parse(payload) as EventPayload<T>;
  const head = ctx.db.cache.handedHead ?? chainHead(ctx.db);
  ctx.db.cache.handedHead = null;
  const occurredAt = ctx.now.toISOString();
  const fields = {
    seq: head.seq + 1,
    id: uuidv7(ctx.now.getTime()),
    terminalId: ctx.terminalId,
    type,
    occurredAt,
    businessDate: ctx.businessDate,
    clerkId,
    payload: parsed,
    prevHash: head.hash,
  };
  const payloadJson = canonicalJson(parsed);
  const event: LedgerEvent<T> = {
    ...fields,
    hash: eventHashWithPayloadJson(fields, payloadJson, sha256Hex),
  };
  const signer = ctx.db.cache.signer;
  stmt(
    ctx.db,
    `INSERT INTO events (seq, id, terminal_id, type, occurred_at, business_date, clerk_id, payload, prev_hash, hash, signature)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    event.seq,
    event.id,
    event.terminalId,
    event.type,
    event.occurredAt,
    event.businessDate,
    event.clerkId,
    payloadJson,
    event.prevHash,
    event.hash,
    signer ? signer.sign(eventMessage(event.hash)) : null,
  );
  applyEvent(ctx.db, event);
  return event;
}

export function rowToEvent(row: EventRow): LedgerEvent {
  return {
    seq: row.seq,
    id: row.id,
    terminalId: row.terminal_id,
    type: row.type as EventType,
    occurredAt: row.occurred_at,
    businessDate: row.business_date,
    clerkId: row.clerk_id,
    payload: JSON.parse(row.payload) as LedgerEvent['payload'],
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export function* iterateEvents(db: Db, fromSeq = 1): Generator<EventRow> {
  yield* db
    .prepare('SELECT * FROM events WHERE seq >= ? ORDER BY seq')
    .iterate(fromSeq) as IterableIterator<EventRow>;
}

export function eventBySeq(db: Db, seq: number): LedgerEvent | null {
  const row = stmt(db, 'SELECT * FROM events WHERE seq = ?').get(seq) as EventRow | undefined;
  return row ? rowToEvent(row) : null;
}
