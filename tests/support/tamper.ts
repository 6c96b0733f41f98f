// The attacker's toolkit for the tamper suites: what a dishonest clerk with file access to the
// counter PC can do to the SQLite ledger without the terminal key. Plain SQL on a raw connection
// (guard triggers dropped, foreign keys off), plus our own code where an attacker could run it too
// (the hash function is public, the projector rebuilds the projections). Signatures are never
// recomputed: the attacker has no key; what they can do with one is in the README's trust model.
import Database from 'better-sqlite3';
import { canonicalJson } from '@heating-cashier/core/canonical-json';
import { eventHashWithPayloadJson, GENESIS_HASH } from '@heating-cashier/core/hash-chain';
import { withConnectionCache } from '../../src-main/ledger/db';
import type { EventRow } from '../../src-main/ledger/event-log';
import { rebuildProjections } from '../../src-main/ledger/rebuild';
import { sha256Hex } from '../../src-main/ledger/sha256';

/** Opens the ledger file as the attacker does: guard triggers dropped, constraints off. */
export function attackerConnection(file: string): Database.Database {
  const raw = new Database(file);
  raw.pragma('foreign_keys = OFF');
  const guards = raw
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'trigger'
       AND (name LIKE '%no_update' OR name LIKE '%no_delete' OR name LIKE '%chain_link')`,
    )
    .pluck()
    .all() as string[];
  for (const t of guards) raw.exec(`DROP TRIGGER ${t}`);
  return raw;
}

/**
 * Recomputes every hash and prev_hash from `fromSeq` to the head so the chain links again, the
 * way the old unkeyed chain could be fooled. Keeps the old signature column (no key).
 */
export function rehashFrom(raw: Database.Database, fromSeq: number): void {
  const rows = raw
    .prepare('SELECT * FROM events WHERE seq >= ? ORDER BY seq')
    .all(fromSeq) as EventRow[];
  let prev =
    fromSeq <= 1
      ? GENESIS_HASH
      : ((raw
          .prepare('SELECT hash FROM events WHERE seq = ?')
          .pluck()
          .get(fromSeq - 1) as string | undefined) ?? GENESIS_HASH);
  const update = raw.prepare('UPDATE events SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const r of rows) {
    const hash = eventHashWithPayloadJson(
      {
        seq: r.seq,
        id: r.id,
        terminalId: r.terminal_id,
        type: r.type,
        occurredAt: r.occurred_at,
        businessDate: r.business_date,
        clerkId: r.clerk_id,
        prevHash: prev,
      },
      r.payload,
      sha256Hex,
    );
    update.run(prev, hash, r.seq);
    prev = hash;
  }
}

/** Rewrites one event's payload (canonical JSON, as the ledger writes it). */
export function setPayload(
  raw: Database.Database,
  seq: number,
  edit: (payload: Record<string, unknown>) => Record<string, unknown>,
): void {
  const text = raw.prepare('SELECT payload FROM events WHERE seq = ?').pluck().get(seq) as string;
  const next = canonicalJson(edit(JSON.parse(text) as Record<string, unknown>));
  raw.prepare('UPDATE events SET payload = ? WHERE seq = ?').run(next, seq);
}

/** Rebuilds the projections from the (tampered) log with our own projector, then closes. */
export function rebuildAndClose(raw: Database.Database): void {
  rebuildProjections(withConnectionCache(raw));
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
}
