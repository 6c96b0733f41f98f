import Database from 'better-sqlite3';
import { checkpointDue, writeCheckpoint } from './checkpoints';
import type { Db } from './db';

export interface Checkpointer {
  /** PASSIVE WAL checkpoint: SQLite's [{ busy, log, checkpointed }]. */
  passive(): unknown;
  close(): void;
}

/**
 * A connection of its own on an existing ledger file for PASSIVE WAL checkpoints only (a ledger
 * worker's: its other connection is read-only). It runs no migration and writes no row: a
 * checkpoint copies committed WAL frames into the database file.
 */
export function openCheckpointer(file: string): Checkpointer {
  const db = new Database(file, { fileMustExist: true });
  return {
    passive: () => db.pragma('wal_checkpoint(PASSIVE)'),
    close: () => db.close(),
  };
}

/** Runs the PASSIVE checkpoint elsewhere (a ledger worker's connection), or null: do it here. */
export type OffThreadCheckpoint = () => Promise<unknown> | null;

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
 *
 * With `offThread` (the ledger workers), the WAL copy runs on a worker's connection whenever one is
 * running (heavy work under way: the disk is busy and the copy's fsync would hold the counter's
 * thread); one at a time.
 */
export function startIdleCheckpoints(
  db: Db,
  everyMs = 2_000,
  signed?: SignedCheckpoints,
  offThread?: OffThreadCheckpoint,
): () => void {
  let elsewhere: Promise<unknown> | null = null;
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
    if (elsewhere) return;
    try {
      elsewhere = offThread?.() ?? null;
      if (elsewhere) {
        void elsewhere
          .catch(() => undefined) // a worker that failed: the next tick tries again
          .finally(() => {
            elsewhere = null;
          });
        return;
      }
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // busy or closing: the next tick (or the autocheckpoint backstop) does it
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
