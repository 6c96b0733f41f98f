import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/ledger/db';
import { loadMigrations, migrate } from '../../../src-main/ledger/migrate';
import { DEFAULT_MIGRATIONS_DIR } from '../../../src-main/ledger/db';
import { tempFolders } from '../../support/temp-files';

const { file } = tempFolders();

describe('migration 0004_sync', () => {
  it('creates one sync_state row with nothing acknowledged and an empty pull cursor', () => {
    const db = openDatabase(file());
    expect(
      db.prepare('SELECT acked_seq, pull_cursor, conflict, terminal_token FROM sync_state').all(),
    ).toEqual([{ acked_seq: 0, pull_cursor: 0, conflict: null, terminal_token: null }]);
    expect(() => db.prepare('INSERT INTO sync_state (singleton) VALUES (2)').run()).toThrow(
      /CHECK/,
    );
    expect(() => db.prepare('UPDATE sync_state SET acked_seq = -1').run()).toThrow(/CHECK/);
    db.close();
  });

  it('payments_elsewhere refuses negative amounts and unknown sources', () => {
    const db = openDatabase(file());
    const ins = db.prepare(
      'INSERT INTO payments_elsewhere (id, household_id, season_id, amount_fen, source, change_seq) VALUES (?, ?, ?, ?, ?, 1)',
    );
    ins.run('p1', 'H1', 'S1', 100, 'bank');
    expect(() => ins.run('p2', 'H1', 'S1', -1, 'bank')).toThrow(/CHECK/);
    expect(() => ins.run('p3', 'H1', 'S1', 1, 'cash-in-a-drawer')).toThrow(/CHECK/);
    expect(() => ins.run('p1', 'H1', 'S1', 1, 'bank')).toThrow(/UNIQUE/);
    db.close();
  });

  it('applies on top of a ledger at version 3 in one transaction', () => {
    const f = file();
    const all = loadMigrations(DEFAULT_MIGRATIONS_DIR);
    const raw = new Database(f);
    migrate(
      raw,
      all.filter((m) => m.version <= 3),
    );
    expect(raw.pragma('user_version', { simple: true })).toBe(3);
    migrate(
      raw,
      all.filter((m) => m.version <= 4),
    );
    expect(raw.pragma('user_version', { simple: true })).toBe(4);
    const tables = raw
      .prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('sync_state', 'payments_elsewhere', 'sync_rejects') ORDER BY name",
      )
      .pluck()
      .all();
    expect(tables).toEqual(['payments_elsewhere', 'sync_rejects', 'sync_state']);
    raw.close();
  });
});
