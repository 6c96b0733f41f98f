import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, openDatabase } from '../../../src-main/ledger/db';
import { loadMigrations, migrate, schemaVersion } from '../../../src-main/ledger/migrate';
import { tempFolders } from '../../support/temp-files';

const { file } = tempFolders();

function insertJob(db: Database.Database, id: string, extra: Record<string, unknown> = {}) {
  const row = {
    id,
    template: 'receipt',
    label: 'A000001 客户联',
    data: '{"a":1}',
    created_at: '2026-11-20T02:00:00.000Z',
    ...extra,
  };
  const keys = Object.keys(row);
  db.prepare(
    `INSERT INTO print_jobs (${keys.join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`,
  ).run(...Object.values(row));
}

describe('0002_print_queue', () => {
  it('applies on top of 0001 and creates the queue and settings tables', () => {
    const f = file();
    const all = loadMigrations(DEFAULT_MIGRATIONS_DIR);
    const db = new Database(f);
    migrate(db, all.slice(0, 1));
    expect(schemaVersion(db)).toBe(1);
    migrate(db, all.slice(0, 2));
    expect(schemaVersion(db)).toBe(2);
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['print_jobs', 'printer_settings']));
    db.close();
  });

  it('keeps jobs: no delete, finished jobs never go back, only known templates and states', () => {
    const db = openDatabase(file());
    insertJob(db, 'j1');
    const j = db
      .prepare('SELECT state, attempts, drawer_kick FROM print_jobs WHERE id = ?')
      .get('j1');
    expect(j).toEqual({ state: 'queued', attempts: 0, drawer_kick: 0 });
    expect(() => db.prepare("DELETE FROM print_jobs WHERE id = 'j1'").run()).toThrow(
      /DELETE refused/,
    );
    db.prepare("UPDATE print_jobs SET state = 'sending' WHERE id = 'j1'").run();
    db.prepare("UPDATE print_jobs SET state = 'done' WHERE id = 'j1'").run();
    expect(() =>
      db.prepare("UPDATE print_jobs SET state = 'queued' WHERE id = 'j1'").run(),
    ).toThrow(/cannot change state/);
    expect(() => insertJob(db, 'j2', { template: 'poster' })).toThrow(/CHECK/);
    expect(() => insertJob(db, 'j3', { state: 'lost' })).toThrow(/CHECK/);
    expect(() => insertJob(db, 'j5', { replaces_id: 'nope' })).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('one settings row with checked width and encoding', () => {
    const db = openDatabase(file());
    const insert = (width: number, encoding: string) =>
      db
        .prepare(
          `INSERT INTO printer_settings (singleton, interface, width, encoding, updated_at)
           VALUES (1, 'tcp://127.0.0.1:9100', ?, ?, '2026-11-20T00:00:00Z')`,
        )
        .run(width, encoding);
    expect(() => insert(40, 'gb18030')).toThrow(/CHECK/);
    expect(() => insert(48, 'utf8')).toThrow(/CHECK/);
    insert(32, 'cp936');
    expect(() => insert(48, 'gb18030')).toThrow(/UNIQUE|PRIMARY/);
    db.close();
  });
});
