// WAL checkpoints run while the counter is idle, not inside a payment: the database file only takes
// in committed pages at a checkpoint, so its size shows when one ran.
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startIdleCheckpoints } from '../../src-main/ledger/checkpoint';
import { openDatabase, WAL_AUTOCHECKPOINT_PAGES } from '../../src-main/ledger/db';
import { tempDir } from '../support/terminal';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function ledger() {
  const dir = tempDir();
  const file = join(dir.dir, 'ledger.db');
  const db = openDatabase(file);
  cleanups.push(() => {
    if (db.open) db.close();
    dir.cleanup();
  });
  db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, blob TEXT NOT NULL)');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { db, file };
}

const write = (db: Database.Database, rows: number) => {
  const insert = db.prepare('INSERT INTO filler (blob) VALUES (?)');
  for (let i = 0; i < rows; i++) insert.run('x'.repeat(2000)); // one commit per row, like payments
};

describe('idle checkpoints', () => {
  it('commits stay in the WAL (no checkpoint inside a commit) until the counter is idle', async () => {
    const { db, file } = ledger();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_AUTOCHECKPOINT_PAGES);
    const before = statSync(file).size;
    write(db, 2500); // ~1,300 pages: past SQLite's default autocheckpoint (1,000), below ours
    expect(statSync(file).size).toBe(before);
    const stop = startIdleCheckpoints(db, 20);
    cleanups.push(stop);
    await expect
      .poll(() => statSync(file).size, { timeout: 5000 })
      .toBeGreaterThan(before + 2500 * 2000);
  });

  it('stops with the terminal and never touches a closed database', async () => {
    const { db, file } = ledger();
    const stop = startIdleCheckpoints(db, 10);
    stop();
    const before = statSync(file).size;
    write(db, 50);
    await new Promise((r) => setTimeout(r, 60));
    expect(statSync(file).size).toBe(before);
    const again = startIdleCheckpoints(db, 10);
    cleanups.push(again);
    db.close();
    await new Promise((r) => setTimeout(r, 40)); // ticks after close: skipped, nothing thrown
  });
});
