import type { WireEvent } from '@heating-cashier/core/contract/sync-wire';
import type { Db } from '../../ledger/db';
import { chainHead, type EventRow } from '../../ledger/event-log';
import { stmt } from '../../ledger/statements';

/** The sync_state row (migration 0004). */
export interface SyncStateRow {
  head_office_url: string | null;
  terminal_token: string | null;
  acked_seq: number;
  acked_hash: string | null;
  pull_cursor: number;
  last_push_at: string | null;
  last_pull_at: string | null;
  last_contact_at: string | null;
  server_time: string | null;
  last_error: string | null;
  last_error_at: string | null;
  conflict: string | null;
  /** The account screen warns when the last pull is older than this (migration cheques_sync). */
  balance_stale_minutes: number;
  /** Head office's newest signed ack (migration 0015): it holds our chain up to ack_seq / ack_hash. */
  ack_seq: number | null;
  ack_hash: string | null;
  ack_at: string | null;
  ack_signature: string | null;
}

export function syncState(db: Db): SyncStateRow {
  return stmt(db, 'SELECT * FROM sync_state WHERE singleton = 1').get() as SyncStateRow;
}

type Settable = Partial<Omit<SyncStateRow, never>>;

export function updateSyncState(db: Db, patch: Settable): void {
  const keys = Object.keys(patch) as (keyof SyncStateRow)[];
  if (keys.length === 0) return;
  db.prepare(
    `UPDATE sync_state SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE singleton = 1`,
  ).run(...keys.map((k) => patch[k] ?? null));
}

/** Sets where and as whom this terminal syncs; clears a stop caused by a refused token. */
export function configureSync(db: Db, url: string, token: string): void {
  updateSyncState(db, { head_office_url: url, terminal_token: token, conflict: null });
}

export function pendingCount(db: Db): number {
  return Math.max(0, chainHead(db).seq - syncState(db).acked_seq);
}

/** When the oldest event head office has not acknowledged was written (null: nothing pending). */
export function oldestPendingAt(db: Db): string | null {
  const row = stmt(db, 'SELECT occurred_at FROM events WHERE seq = ?').get(
    syncState(db).acked_seq + 1,
  ) as { occurred_at: string } | undefined;
  return row?.occurred_at ?? null;
}

/** Events after `afterSeq`, oldest first, in wire form (payload = the canonical object hashed). */
export function eventsAfter(db: Db, afterSeq: number, limit: number): WireEvent[] {
  const rows = stmt(db, 'SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?').all(
    afterSeq,
    limit,
  ) as EventRow[];
  return rows.map((r) => ({
    seq: r.seq,
    id: r.id,
    terminalId: r.terminal_id,
    type: r.type as WireEvent['type'],
    occurredAt: r.occurred_at,
    businessDate: r.business_date,
    clerkId: r.clerk_id,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
    signature: r.signature,
  }));
}

export function hashAt(db: Db, seq: number): string | null {
  const row = stmt(db, 'SELECT hash FROM events WHERE seq = ?').get(seq) as
    { hash: string } | undefined;
  return row?.hash ?? null;
}

/** Unsynced events for the hand-in slip: what has not reached head office yet. */
export function unsyncedEvents(
  db: Db,
  limit = 200,
): { seq: number; type: string; occurredAt: string }[] {
  return (
    stmt(db, 'SELECT seq, type, occurred_at FROM events WHERE seq > ? ORDER BY seq LIMIT ?').all(
      syncState(db).acked_seq,
      limit,
    ) as { seq: number; type: string; occurred_at: string }[]
  ).map((r) => ({ seq: r.seq, type: r.type, occurredAt: r.occurred_at }));
}

/**
 * The head-office key this terminal pinned at its latest enrollment: read from the
 * terminal.enrolled event the terminal_keys projection points at (null before any enrollment).
 */
export function pinnedHeadOfficeKey(db: Db): string | null {
  const row = stmt(
    db,
    `SELECT e.payload FROM terminal_keys k JOIN events e ON e.seq = k.certified_seq
     WHERE e.type = 'terminal.enrolled' ORDER BY k.certified_seq DESC LIMIT 1`,
  ).get() as { payload: string } | undefined;
  if (!row) return null;
  const v = (JSON.parse(row.payload) as { headOfficeKey?: unknown }).headOfficeKey;
  return typeof v === 'string' ? v : null;
}

/** The terminal_keys row of a public key (the signer's number and where it starts). */
export function keyOf(
  db: Db,
  publicKey: string,
): { key_no: number; from_seq: number; certified_seq: number | null } | null {
  return (
    (stmt(db, 'SELECT key_no, from_seq, certified_seq FROM terminal_keys WHERE public_key = ?').get(
      publicKey,
    ) as { key_no: number; from_seq: number; certified_seq: number | null } | undefined) ?? null
  );
}
