import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, openDatabase } from '../../../src-main/ledger/db';
import {
  LedgerVersionError,
  loadMigrations,
  migrate,
  schemaVersion,
} from '../../../src-main/ledger/migrate';
import { tempDir } from '../../support/terminal';

const dirs: { cleanup(): void }[] = [];
function fresh(): string {
  const d = tempDir();
  dirs.push(d);
  return d.dir;
}
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

describe('migrations', () => {
  it('are numbered 0001.. without gaps and all apply to an empty file', () => {
    const migrations = loadMigrations(DEFAULT_MIGRATIONS_DIR);
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    const db = openDatabase(join(fresh(), 'l.db'));
    expect(schemaVersion(db)).toBe(migrations.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('reopening an up-to-date ledger changes nothing', () => {
    const file = join(fresh(), 'l.db');
    openDatabase(file).close();
    const db = new Database(file);
    const before = db.prepare('SELECT name, sql FROM sqlite_schema ORDER BY name').all();
    db.close();
    const again = openDatabase(file);
    expect(again.prepare('SELECT name, sql FROM sqlite_schema ORDER BY name').all()).toEqual(
      before,
    );
    again.close();
  });

  it('refuses a ledger written by a newer build, with a clear bilingual message, and leaves it untouched', () => {
    const file = join(fresh(), 'l.db');
    const db = openDatabase(file);
    const latest = schemaVersion(db);
    db.pragma(`user_version = ${latest + 1}`);
    db.close();
    expect(() => openDatabase(file)).toThrowError(LedgerVersionError);
    expect(() => openDatabase(file)).toThrowError(
      /数据库版本 .* 高于本程序支持的版本.*newer than this build supports/,
    );
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(latest + 1);
    raw.close();
  });

  it('applies all pending migrations in one transaction: a failing later file leaves the ledger as it was', () => {
    const dir = join(fresh(), 'migrations');
    mkdirSync(dir);
    for (const f of readdirSync(DEFAULT_MIGRATIONS_DIR))
      copyFileSync(join(DEFAULT_MIGRATIONS_DIR, f), join(dir, f));
    const next = String(loadMigrations(dir).length + 1).padStart(4, '0');
    writeFileSync(
      join(dir, `${next}_broken.sql`),
      'CREATE TABLE ok_table (x INTEGER);\nTHIS IS NOT SQL;',
    );
    const db = new Database(join(fresh(), 'l.db'));
    expect(() => migrate(db, loadMigrations(dir))).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(
      db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get(),
    ).toEqual({ n: 0 });
    db.close();
  });

  it('rejects badly named or gapped migration files', () => {
    const dir = join(fresh(), 'm');
    mkdirSync(dir);
    writeFileSync(join(dir, '0001_a.sql'), 'SELECT 1;');
    writeFileSync(join(dir, '0003_c.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(/without gaps/);
    writeFileSync(join(dir, 'two.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(/NNNN_slug/);
  });
});

describe('0001_core', () => {
  function ledger() {
    const db = openDatabase(join(fresh(), 'l.db'));
    const insert = db.prepare(
      `INSERT INTO events (seq, id, terminal_id, type, occurred_at, business_date, clerk_id, payload, prev_hash, hash)
       VALUES (?, ?, 't', 'approval.given', '2026-11-26T00:00:00.000Z', '2026-11-26', NULL, '{}', ?, ?)`,
    );
    return { db, insert };
  }
  const genesis = '0'.repeat(64);

  it('creates the master-data, event and projection tables', () => {
    const { db } = ledger();
    const tables = (
      db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]
    ).map((r) => r.name);
    for (const t of [
      'terminal',
      'clerks',
      'seasons',
      'rates',
      'households',
      'charges',
      'events',
      'receipt_books',
      'shifts',
      'receipts',
      'receipt_lines',
      'receipt_tenders',
      'season_payments',
      'sessions',
      'household_search',
    ]) {
      expect(tables).toContain(t);
    }
    db.close();
  });

  it('refuses UPDATE and DELETE on the event log', () => {
    const { db, insert } = ledger();
    insert.run(1, 'e1', genesis, 'h1');
    expect(() => db.prepare('UPDATE events SET payload = \'{"x":1}\' WHERE seq = 1').run()).toThrow(
      /append-only: UPDATE refused/,
    );
    expect(() => db.prepare('DELETE FROM events WHERE seq = 1').run()).toThrow(
      /append-only: DELETE refused/,
    );
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
    db.close();
  });

  it('accepts only a row that extends the chain (next seq, prev_hash = last hash)', () => {
    const { db, insert } = ledger();
    expect(() => insert.run(2, 'e2', genesis, 'h2')).toThrow(/extend the chain/);
    expect(() => insert.run(1, 'e1', 'f'.repeat(64), 'h1')).toThrow(/extend the chain/);
    insert.run(1, 'e1', genesis, 'h1');
    expect(() => insert.run(2, 'e2', genesis, 'h2')).toThrow(/extend the chain/);
    insert.run(2, 'e2', 'h1', 'h2');
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 2 });
    db.close();
  });

  it('allows only one open shift per counter and unique receipt numbers per book', () => {
    const { db } = ledger();
    const indexes = (
      db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'").all() as { name: string }[]
    ).map((r) => r.name);
    expect(indexes).toContain('shifts_one_open');
    db.close();
    // As 0001 created it (0011 keeps the label's uniqueness and drops the redundant pair).
    const v1 = new Database(join(fresh(), 'v1.db'));
    migrate(v1, loadMigrations(DEFAULT_MIGRATIONS_DIR).slice(0, 1));
    const receiptsSql = (
      v1.prepare("SELECT sql FROM sqlite_schema WHERE name = 'receipts'").get() as { sql: string }
    ).sql;
    expect(receiptsSql).toMatch(/UNIQUE \(book_id, receipt_no\)/);
    expect(receiptsSql).toMatch(/request_id\s+TEXT NOT NULL UNIQUE/);
    v1.close();
  });
});
