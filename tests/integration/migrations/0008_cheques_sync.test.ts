import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, openDatabase } from '../../../src-main/ledger/db';
import { loadMigrations, migrate } from '../../../src-main/ledger/migrate';
import { tempFolders } from '../../support/temp-files';

const { file } = tempFolders();
const mine = () => {
  const m = loadMigrations(DEFAULT_MIGRATIONS_DIR).find((x) => x.name === 'cheques_sync');
  if (!m) throw new Error('migration cheques_sync not found');
  return m;
};

describe('migration cheques_sync', () => {
  it('adds cheque decisions (final, one per tender), restorations and the stale-balance threshold (24 h)', () => {
    const db = openDatabase(file());
    expect(db.prepare('SELECT balance_stale_minutes FROM sync_state').pluck().get()).toBe(1440);
    expect(() => db.prepare('UPDATE sync_state SET balance_stale_minutes = 0').run()).toThrow(
      /CHECK/,
    );
    const cols = (t: string) =>
      (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
    expect(cols('cheque_decisions')).toEqual([
      'receipt_id',
      'position',
      'status',
      'decision_id',
      'value_date',
      'decided_by',
      'source',
      'reason',
      'amount_fen',
      'business_date',
      'seq',
    ]);
    expect(cols('cheque_restorations')).toEqual([
      'receipt_id',
      'position',
      'season_id',
      'amount_fen',
    ]);
    // decisions are final: the trigger refuses an UPDATE (foreign keys off to insert a bare row)
    db.pragma('foreign_keys = OFF');
    db.prepare(
      `INSERT INTO cheque_decisions VALUES ('R1', 0, 'cleared', 'D1', '2026-12-01', 'C9001', 'counter', NULL, 100, '2026-12-01', 1)`,
    ).run();
    expect(() => db.prepare("UPDATE cheque_decisions SET status = 'bounced'").run()).toThrow(
      /final/,
    );
    expect(() =>
      db
        .prepare(
          `INSERT INTO cheque_decisions VALUES ('R1', 1, 'pending', 'D2', '2026-12-01', 'C9001', 'counter', NULL, 100, '2026-12-01', 2)`,
        )
        .run(),
    ).toThrow(/CHECK/);
    db.close();
  });

  it('applies on top of the ledger before it in one transaction', () => {
    const f = file();
    const all = loadMigrations(DEFAULT_MIGRATIONS_DIR);
    const version = mine().version;
    const raw = new Database(f);
    migrate(
      raw,
      all.filter((m) => m.version < version),
    );
    migrate(
      raw,
      all.filter((m) => m.version <= version),
    );
    expect(raw.pragma('user_version', { simple: true })).toBe(version);
    expect(
      raw
        .prepare(
          "SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'cheque_%' ORDER BY name",
        )
        .pluck()
        .all(),
    ).toEqual(['cheque_decisions', 'cheque_restorations']);
    raw.close();
  });
});
