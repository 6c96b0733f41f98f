import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { checkpointMessage } from '@heating-cashier/core/signing';
import type { Db } from './db';
import { chainHead } from './event-log';
import { stmt } from './statements';

/**
 * Signed checkpoints (docs/trust.md "Checkpoints and start-up verification"): the chain head and a
 * digest of the money projections, signed by the terminal key, kept in `ledger_checkpoints` and —
 * the newest one — in the sidecar file `<ledger>.checkpoint`. Start-up verifies from the newest
 * checkpoint instead of from seq 1; the sidecar makes a truncation visible even when the rows of
 * the table went with the events.
 */
export interface Checkpoint {
  terminalId: string;
  seq: number;
  hash: string;
  at: string;
  projectionDigest: string;
  keyNo: number;
  signature: string;
}

/** A checkpoint is written when the head is this many events past the newest one. */
export const CHECKPOINT_EVERY_EVENTS = 5_000;

const HEX64 = /^[0-9a-f]{64}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{86}$/;

/** A checkpoint as the sidecar file holds it, or null when `v` is not one (checked field by field). */
export function parseCheckpoint(v: unknown): Checkpoint | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  const keys = ['terminalId', 'seq', 'hash', 'at', 'projectionDigest', 'keyNo', 'signature'];
  if (Object.keys(o).length !== keys.length || !keys.every((k) => k in o)) return null;
  const { terminalId, seq, hash, at, projectionDigest, keyNo, signature } = o;
  const ok =
    typeof terminalId === 'string' &&
    terminalId.length > 0 &&
    terminalId.length <= 64 &&
    Number.isSafeInteger(seq) &&
    (seq as number) >= 1 &&
    typeof hash === 'string' &&
    HEX64.test(hash) &&
    typeof at === 'string' &&
    !Number.isNaN(Date.parse(at)) &&
    typeof projectionDigest === 'string' &&
    HEX64.test(projectionDigest) &&
    Number.isSafeInteger(keyNo) &&
    (keyNo as number) >= 1 &&
    typeof signature === 'string' &&
    SIGNATURE.test(signature);
  return ok
    ? {
        terminalId,
        seq: seq as number,
        hash,
        at,
        projectionDigest,
        keyNo: keyNo as number,
        signature,
      }
    : null;
}

/** The digest before the first checkpoint. */
export const DIGEST_GENESIS = '0'.repeat(64);

/** The money-projection rows events name since a checkpoint: receipts (with lines and tenders), books, shifts. */
export interface TouchedRows {
  receipts: Set<string>;
  books: Set<string>;
  shifts: Set<string>;
}

export const noneTouched = (): TouchedRows => ({
  receipts: new Set(),
  books: new Set(),
  shifts: new Set(),
});

/** Adds the rows an event's payload names (its top-level receiptId, bookId, shiftId). */
export function touch(touched: TouchedRows, payload: unknown): void {
  if (typeof payload !== 'object' || payload === null) return;
  const p = payload as Record<string, unknown>;
  if (typeof p.receiptId === 'string') touched.receipts.add(p.receiptId);
  if (typeof p.bookId === 'string') touched.books.add(p.bookId);
  if (typeof p.shiftId === 'string') touched.shifts.add(p.shiftId);
}

/**
 * The checkpoint's projection digest, chained: SHA-256 hex over the previous checkpoint's digest
 * and then, table by table in a fixed order (receipts, receipt_lines, receipt_tenders,
 * receipt_books, shifts), every money-projection row named by the events since that checkpoint,
 * keys sorted, each row as the JSON array of its column values ('null' when absent).
 *
 * Chained rather than over every row so that a checkpoint costs what happened since the last one
 * (a push after each payment must not read 300,000 receipts); together the chain pins each money
 * row as it stood at the checkpoint after it last changed. What it is for: the full verify's
 * replay recomputes it at every checkpoint's seq and compares, which dates a projection edit (it
 * was made before checkpoint N was written), and an investigator or head office, replaying the
 * same events, can do the same from the signed checkpoints alone.
 */
export function projectionDigest(db: Db, previous: string, touched: TouchedRows): string {
  const h = createHash('sha256');
  h.update(previous);
  const rows = (table: string, sql: string, keys: Set<string>) => {
    h.update(`\n${table}`);
    const q = stmt(db, sql).raw(true);
    try {
      for (const key of [...keys].sort()) {
        const found = q.all(key) as unknown[][];
        h.update('\n');
        h.update(found.length === 0 ? 'null' : found.map((r) => JSON.stringify(r)).join(''));
      }
    } finally {
      q.raw(false);
    }
  };
  rows('receipts', 'SELECT * FROM receipts WHERE id = ?', touched.receipts);
  rows(
    'receipt_lines',
    'SELECT * FROM receipt_lines WHERE receipt_id = ? ORDER BY season_id',
    touched.receipts,
  );
  rows(
    'receipt_tenders',
    'SELECT * FROM receipt_tenders WHERE receipt_id = ? ORDER BY position',
    touched.receipts,
  );
  rows('receipt_books', 'SELECT * FROM receipt_books WHERE id = ?', touched.books);
  rows('shifts', 'SELECT * FROM shifts WHERE id = ?', touched.shifts);
  return h.digest('hex');
}

/** The rows named by the events in (afterSeq, toSeq]. */
export function touchedBetween(db: Db, afterSeq: number, toSeq: number): TouchedRows {
  const touched = noneTouched();
  const q = stmt(db, 'SELECT payload FROM events WHERE seq > ? AND seq <= ? ORDER BY seq').pluck();
  for (const text of q.all(afterSeq, toSeq) as string[]) touch(touched, JSON.parse(text));
  return touched;
}

interface CheckpointRow {
  seq: number;
  hash: string;
  at: string;
  projection_digest: string;
  key_no: number;
  signature: string;
}

const fromRow = (terminalId: string, r: CheckpointRow): Checkpoint => ({
  terminalId,
  seq: r.seq,
  hash: r.hash,
  at: r.at,
  projectionDigest: r.projection_digest,
  keyNo: r.key_no,
  signature: r.signature,
});

/** Where the newest checkpoint is mirrored: `<ledger>.checkpoint`; none for an in-memory ledger. */
export function sidecarPathOf(db: Db): string | null {
  return db.memory || db.name === ':memory:' || db.name === '' ? null : `${db.name}.checkpoint`;
}

/** The newest checkpoint row, or null. */
export function newestCheckpointRow(db: Db, terminalId: string): Checkpoint | null {
  const row = stmt(db, 'SELECT * FROM ledger_checkpoints ORDER BY seq DESC LIMIT 1').get() as
    CheckpointRow | undefined;
  return row ? fromRow(terminalId, row) : null;
}

/** Every checkpoint row, oldest first (the full verify checks each). */
export function allCheckpoints(db: Db, terminalId: string): Checkpoint[] {
  return (stmt(db, 'SELECT * FROM ledger_checkpoints ORDER BY seq').all() as CheckpointRow[]).map(
    (r) => fromRow(terminalId, r),
  );
}

export type SidecarRead =
  | { state: 'none' }
  | { state: 'ok'; checkpoint: Checkpoint }
  | { state: 'unreadable'; problem: string };

/** Reads the sidecar file; never throws. */
export function readSidecar(path: string | null): SidecarRead {
  if (path === null || !existsSync(path)) return { state: 'none' };
  try {
    const checkpoint = parseCheckpoint(JSON.parse(readFileSync(path, 'utf8')));
    return checkpoint
      ? { state: 'ok', checkpoint }
      : { state: 'unreadable', problem: 'not a checkpoint record' };
  } catch (e) {
    return { state: 'unreadable', problem: e instanceof Error ? e.message : String(e) };
  }
}

/** Writes the sidecar atomically (temporary file, then rename over the old one). */
export function writeSidecar(path: string, c: Checkpoint): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(c, null, 2)}\n`, { mode: 0o644 });
  renameSync(tmp, path);
}

export interface LatestCheckpoint {
  /** The newer of the two (by seq); null when neither exists. */
  checkpoint: Checkpoint | null;
  source: 'table' | 'sidecar' | null;
  table: Checkpoint | null;
  sidecar: SidecarRead;
}

/** The newest checkpoint of the table and of the sidecar file, and which is newer. */
export function latestCheckpoint(db: Db, sidecarPath: string | null): LatestCheckpoint {
  const terminalId = (
    stmt(db, 'SELECT terminal_id FROM terminal').get() as { terminal_id: string } | undefined
  )?.terminal_id;
  const table = newestCheckpointRow(db, terminalId ?? '');
  let sidecar = readSidecar(sidecarPath);
  if (sidecar.state === 'ok' && sidecar.checkpoint.terminalId !== terminalId)
    sidecar = {
      state: 'unreadable',
      problem: `it belongs to terminal ${sidecar.checkpoint.terminalId}`,
    };
  const side = sidecar.state === 'ok' ? sidecar.checkpoint : null;
  if (side && (!table || side.seq > table.seq))
    return { checkpoint: side, source: 'sidecar', table, sidecar };
  return { checkpoint: table, source: table ? 'table' : null, table, sidecar };
}

/** The key number of `publicKey` as the ledger's key projection records it. */
function keyNoOf(db: Db, publicKey: string): number | null {
  const row = stmt(db, 'SELECT key_no FROM terminal_keys WHERE public_key = ?').get(publicKey) as
    { key_no: number } | undefined;
  return row?.key_no ?? null;
}

/**
 * Signs the current chain head as a checkpoint, stores it and mirrors it to the sidecar. Returns
 * null (and writes nothing) when the connection has no signer or the head has not moved since the
 * newest checkpoint. Runs outside the payment path: every 5,000 events (the idle timer), at every
 * push (the sync worker) and at a clean close.
 */
export function writeCheckpoint(db: Db, terminalId: string, now: Date): Checkpoint | null {
  const signer = db.cache.signer;
  if (!signer || !db.open) return null;
  const checkpoint = db
    .transaction((): Checkpoint | null => {
      const head = chainHead(db);
      if (head.seq === 0) return null;
      const newest = stmt(
        db,
        'SELECT seq, projection_digest FROM ledger_checkpoints ORDER BY seq DESC LIMIT 1',
      ).get() as { seq: number; projection_digest: string } | undefined;
      if (newest && newest.seq >= head.seq) return null;
      const keyNo = keyNoOf(db, signer.publicKey);
      if (keyNo === null) return null; // the key is not in the chain yet (ensureTerminalKey runs first)
      const claim = {
        terminalId,
        seq: head.seq,
        hash: head.hash,
        at: now.toISOString(),
        projectionDigest: projectionDigest(
          db,
          newest?.projection_digest ?? DIGEST_GENESIS,
          touchedBetween(db, newest?.seq ?? 0, head.seq),
        ),
      };
      const c: Checkpoint = { ...claim, keyNo, signature: signer.sign(checkpointMessage(claim)) };
      stmt(
        db,
        `INSERT INTO ledger_checkpoints (seq, hash, at, projection_digest, key_no, signature)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ).run(c.seq, c.hash, c.at, c.projectionDigest, c.keyNo, c.signature);
      return c;
    })
    .immediate();
  if (checkpoint) {
    const sidecar = sidecarPathOf(db);
    if (sidecar) writeSidecar(sidecar, checkpoint);
  }
  return checkpoint;
}

/** True when the head is CHECKPOINT_EVERY_EVENTS or more past the newest checkpoint (two indexed reads). */
export function checkpointDue(db: Db, every = CHECKPOINT_EVERY_EVENTS): boolean {
  const row = stmt(
    db,
    `SELECT (SELECT coalesce(max(seq), 0) FROM events) AS head,
            (SELECT coalesce(max(seq), 0) FROM ledger_checkpoints) AS cp`,
  ).get() as { head: number; cp: number };
  return row.head - row.cp >= every;
}

/**
 * After the ledger file's content was replaced on purpose (a supervisor's restore of a verified
 * backup): the sidecar follows the restored table's newest checkpoint, or goes when it has none,
 * so the next start does not take the restore for a cut log.
 */
export function resetSidecar(db: Db): void {
  const path = sidecarPathOf(db);
  if (!path) return;
  const terminal = stmt(db, 'SELECT terminal_id FROM terminal').get() as
    { terminal_id: string } | undefined;
  const newest = newestCheckpointRow(db, terminal?.terminal_id ?? '');
  if (newest) writeSidecar(path, newest);
  else rmSync(path, { force: true });
}
