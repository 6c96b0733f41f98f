// Ledger files on disk: online backup (SQLite backup API through better-sqlite3), checksums, and
// the inspection of a backup copy (integrity_check + migrations + hash chain + projection replay)
// that must pass before a restore replaces anything.
import Database from 'better-sqlite3';
import type { BackupProblemKind } from '@heating-cashier/core/contract/backup-problems';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_MIGRATIONS_DIR, openDatabase, type Db } from '../../ledger/db';
import { schemaVersion } from '../../ledger/migrate';
import { stmt } from '../../ledger/statements';
import { terminalRow } from '../terminal/terminal.store';
import { verifyLedger } from '../../ledger/verify';

/** Operational settings (not ledger facts) live in the `settings` table of migration 0005. */
export function readSetting(db: Db, key: string): string | null {
  const row = stmt(db, 'SELECT value FROM settings WHERE key = ?').get(key) as
    { value: string } | undefined;
  return row?.value ?? null;
}

export function writeSettings(db: Db, values: Record<string, string | null>): void {
  const put = stmt(db, 'INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)');
  const del = stmt(db, 'DELETE FROM settings WHERE key = ?');
  db.transaction(() => {
    for (const [key, value] of Object.entries(values)) {
      if (value === null) del.run(key);
      else put.run(key, value);
    }
  })();
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(file);
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve());
  });
  return hash.digest('hex');
}

/** `sha256sum` format, so IT can check a backup with `sha256sum -c NAME.sha256`. */
export function checksumLine(hash: string, fileName: string): string {
  return `${hash}  ${fileName}\n`;
}

export function parseChecksumLine(text: string): string | null {
  const m = /^([0-9a-f]{64}) [ *]?\S/.exec(text.trim());
  return m ? m[1]! : null;
}

/**
 * Copies the live ledger into `file` with the SQLite online backup API (the counter keeps working
 * meanwhile), as a single self-contained file (journal_mode DELETE), fsynced, written under a
 * temporary name and renamed, with a `.sha256` beside it. A half-written backup is never listed.
 */
export async function writeBackupFile(
  db: Db,
  file: string,
): Promise<{ bytes: number; sha256: string }> {
  const partial = `${file}.partial-${randomBytes(4).toString('hex')}`;
  try {
    await db.backup(partial);
    const copy = new Database(partial);
    try {
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`quick_check of the new backup: ${String(check)}`);
    } finally {
      copy.close();
    }
    await fsyncFile(partial);
    const sha256 = await sha256File(partial);
    const { size } = await stat(partial);
    await writeFile(`${file}.sha256`, checksumLine(sha256, path.basename(file)));
    await rename(partial, file);
    return { bytes: size, sha256 };
  } catch (e) {
    await rm(partial, { force: true });
    await rm(`${partial}-journal`, { force: true });
    throw e;
  }
}

export interface InspectedBackup {
  /** The migrated, verified working copy (delete it with `discardCopy`). */
  copy: string;
  terminalId: string;
  terminalName: string;
  isDemo: boolean;
  schemaVersion: number;
  headSeq: number;
  headHash: string;
}

export type Inspection =
  { ok: true; backup: InspectedBackup } | { ok: false; kind: BackupProblemKind; problem: string };

function short(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200);
}

/**
 * Checks a backup file without touching it or the live ledger: a working copy in `workDir` gets
 * `PRAGMA integrity_check`, the migrations of this build (a newer file is refused), the hash chain
 * from seq 1 and the projection replay of `verifyLedger`. Anything short of all-ok is a problem.
 */
export async function inspectBackup(
  file: string,
  options: { workDir: string; migrationsDir?: string; expectedSha256?: string | null },
): Promise<Inspection> {
  if (options.expectedSha256 !== undefined) {
    if (options.expectedSha256 === null)
      return { ok: false, kind: 'checksum-missing', problem: 'checksum file missing' };
    let actual: string;
    try {
      actual = await sha256File(file);
    } catch (e) {
      return { ok: false, kind: 'unreadable', problem: `cannot read the file: ${short(e)}` };
    }
    if (actual !== options.expectedSha256) {
      return {
        ok: false,
        kind: 'checksum-mismatch',
        problem: 'checksum mismatch (the file changed after the backup)',
      };
    }
  }
  const copy = path.join(options.workDir, `.verify-${randomBytes(6).toString('hex')}.sqlite`);
  try {
    await copyFile(file, copy);
  } catch (e) {
    return { ok: false, kind: 'unreadable', problem: `cannot copy the file: ${short(e)}` };
  }
  const fail = async (kind: BackupProblemKind, problem: string): Promise<Inspection> => {
    await discardCopy(copy);
    return { ok: false, kind, problem };
  };
  try {
    const raw = new Database(copy, { fileMustExist: true });
    try {
      const rows = raw.pragma('integrity_check') as { integrity_check: string }[];
      const messages = rows.map((r) => r.integrity_check);
      if (messages.length !== 1 || messages[0] !== 'ok') {
        return await fail(
          'integrity',
          `integrity_check: ${messages.slice(0, 2).join('; ').slice(0, 200)}`,
        );
      }
      const hasEvents = raw
        .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'events'")
        .get() as { n: number };
      if (hasEvents.n !== 1)
        return await fail('not-ledger', 'not a cashier ledger (no events table)');
    } finally {
      raw.close();
    }
  } catch (e) {
    return fail('not-sqlite', `not a readable SQLite file: ${short(e)}`);
  }
  let db: Db | null = null;
  try {
    db = openDatabase(
      copy,
      options.migrationsDir
        ? { migrationsDir: options.migrationsDir }
        : { migrationsDir: DEFAULT_MIGRATIONS_DIR },
    );
    const terminal = terminalRow(db);
    if (!terminal) {
      db.close();
      return await fail('no-identity', 'the file has no terminal identity');
    }
    const report = verifyLedger(db, terminal.terminal_id);
    const version = schemaVersion(db);
    db.close();
    db = null;
    if (!report.ok) {
      return await fail('chain', `hash chain: seq ${report.firstBadSeq}: ${report.problem ?? ''}`);
    }
    return {
      ok: true,
      backup: {
        copy,
        terminalId: terminal.terminal_id,
        terminalName: terminal.name,
        isDemo: terminal.is_demo === 1,
        schemaVersion: version,
        headSeq: report.headSeq,
        headHash: report.headHash,
      },
    };
  } catch (e) {
    try {
      db?.close();
    } catch {
      // already closed
    }
    return fail('open-failed', short(e));
  }
}

export async function discardCopy(copy: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm', '-journal']) await rm(copy + suffix, { force: true });
}

/**
 * Replaces the content of the live ledger (open as `live` in this process) with a verified copy,
 * through the SQLite backup API into the live file: other connections see the new content, the
 * WAL stays consistent, and the whole copy is one step (no write can interleave).
 */
export async function restoreInto(liveFile: string, verifiedCopy: string): Promise<void> {
  const source = new Database(verifiedCopy, { fileMustExist: true });
  try {
    await source.backup(liveFile, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
}
