import { checkpointDue, writeCheckpoint } from './checkpoints';
import type { Db } from './db';

/** Who signs the ledger's checkpoints from the idle timer (ledger/checkpoints.ts). */
export interface SignedCheckpoints {
  terminalId: () => string;
  clock: () => Date;
  /** A signed checkpoint could not be written (logged by the caller; the next tick tries again). */
  onError?: (error: unknown) => void;
  /** Events between checkpoints (default CHECKPOINT_EVERY_EVENTS, 5,000). */
  everyEvents?: number;
}

/**
 * Copies the WAL back into the database file while the counter is idle (a PASSIVE checkpoint never
 * waits for readers and never blocks a writer), so payments do not pay for it: with ~30 pages per
 * payment, SQLite's default autocheckpoint (1,000 pages) landed on every ~33rd payment and set its
 * p99. Durability is unchanged: a commit is durable in the WAL (synchronous=FULL) either way.
 *
 * With `signed`, the same idle tick writes the ledger's signed checkpoint once the head is 5,000
 * events past the newest one (a cheap indexed check; the signing and digest never run inside a
 * payment).
 */
export function startIdleCheckpoints(
  db: Db,
  everyMs = 2_000,
  signed?: SignedCheckpoints,
): () => void {
  const timer = setInterval(() => {
    if (!db.open || db.inTransaction) return;
    if (signed) {
      try {
        if (checkpointDue(db, signed.everyEvents))
          writeCheckpoint(db, signed.terminalId(), signed.clock());
      } catch (e) {
        signed.onError?.(e);
      }
    }
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // busy or closing: the next tick (or the autocheckpoint backstop) does it
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
