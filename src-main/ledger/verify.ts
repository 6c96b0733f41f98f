import { isDeepStrictEqual } from 'node:util';
import { canonicalJson } from '@heating-cashier/core/canonical-json';
import type { Db } from './db';
import type { EventRow } from './event-log';
import { eventHashWithPayloadJson, GENESIS_HASH } from '@heating-cashier/core/hash-chain';
import { sha256Hex } from './sha256';
import { projectionSnapshot } from './projector';
import { replayProjections } from './rebuild';

export interface ChainReport {
  ok: boolean;
  eventsChecked: number;
  headSeq: number;
  headHash: string;
  firstBadSeq: number | null;
  problem: string | null;
}

function checkRow(
  row: EventRow,
  expectedSeq: number,
  prevHash: string,
  terminalId: string,
): string | null {
  if (row.seq !== expectedSeq) {
    return row.seq > expectedSeq
      ? `seq ${expectedSeq} is missing (next row found is seq ${row.seq})`
      : `unexpected seq ${row.seq} (expected ${expectedSeq})`;
  }
  if (row.prev_hash !== prevHash)
    return `prev_hash does not match the hash of seq ${expectedSeq - 1}`;
  if (row.terminal_id !== terminalId) return `terminal_id ${row.terminal_id} is not this terminal`;
  let payload: unknown;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    return 'payload is not valid JSON';
  }
  let canonical: string;
  try {
    canonical = canonicalJson(payload);
  } catch {
    return 'payload holds values the ledger never writes';
  }
  if (canonical !== row.payload) return 'payload text is not in canonical form (edited)';
  const recomputed = eventHashWithPayloadJson(
    {
      seq: row.seq,
      id: row.id,
      terminalId: row.terminal_id,
      type: row.type,
      occurredAt: row.occurred_at,
      businessDate: row.business_date,
      clerkId: row.clerk_id,
      prevHash: row.prev_hash,
    },
    canonical,
    sha256Hex,
  );
  return recomputed === row.hash ? null : 'hash does not match the row content (row changed)';
}

/**
 * Recomputes the hash chain from seq 1 and names the first bad seq; then replays the log into the
 * projections inside a rolled-back savepoint and compares, which also catches rows cut off the end.
 */
export function verifyLedger(db: Db, terminalId: string): ChainReport {
  let expected = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  const fail = (seq: number, problem: string): ChainReport => ({
    ok: false,
    eventsChecked: checked,
    headSeq: expected - 1,
    headHash: prevHash,
    firstBadSeq: seq,
    problem,
  });
  for (const row of db
    .prepare('SELECT * FROM events ORDER BY seq')
    .iterate() as IterableIterator<EventRow>) {
    const problem = checkRow(row, expected, prevHash, terminalId);
    if (problem) return fail(Math.min(row.seq, expected), problem);
    prevHash = row.hash;
    expected++;
    checked++;
  }
  const head = { seq: expected - 1, hash: prevHash };

  const beyondHead = db
    .prepare(
      `SELECT max(s) AS s FROM (
         SELECT max(issued_seq) AS s FROM receipts UNION ALL SELECT max(voided_seq) FROM receipts
         UNION ALL SELECT max(opened_seq) FROM shifts UNION ALL SELECT max(closed_seq) FROM shifts
         UNION ALL SELECT max(issued_seq) FROM receipt_books)`,
    )
    .get() as { s: number | null };
  if (beyondHead.s !== null && beyondHead.s > head.seq) {
    return fail(
      head.seq + 1,
      `seq ${head.seq + 1}..${beyondHead.s} are referenced by the projections but missing from the log`,
    );
  }

  const live = projectionSnapshot(db);
  let rebuilt: Record<string, unknown[]> = {};
  const savepoint = db.transaction(() => {
    replayProjections(db);
    rebuilt = projectionSnapshot(db);
    throw new RollbackSignal();
  });
  try {
    savepoint();
  } catch (e) {
    if (!(e instanceof RollbackSignal)) throw e;
  }
  for (const table of Object.keys(live)) {
    if (!isDeepStrictEqual(live[table], rebuilt[table])) {
      // Either the projection was edited or events after the head were cut off the log.
      return {
        ...fail(
          head.seq + 1,
          `projection ${table} differs from a replay of the log (edited, or events after seq ${head.seq} removed)`,
        ),
        headSeq: head.seq,
        headHash: head.hash,
      };
    }
  }
  return {
    ok: true,
    eventsChecked: checked,
    headSeq: head.seq,
    headHash: head.hash,
    firstBadSeq: null,
    problem: null,
  };
}

class RollbackSignal extends Error {}
