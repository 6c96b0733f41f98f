// 0020_service_kpis: the ratings projection (one per receipt, score 1–5, display/keypad) and the
// receipts' service start (NULL on receipts issued before).
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR } from '../../../src-main/ledger/db';
import { loadMigrations, migrate, schemaVersion } from '../../../src-main/ledger/migrate';
import { tempFolders } from '../../support/temp-files';

const { file } = tempFolders();

const all = loadMigrations(DEFAULT_MIGRATIONS_DIR);
const index = all.findIndex((m) => m.name === 'service_kpis');

describe('0020_service_kpis', () => {
  it('adds service_started_at to receipts (NULL when not given) and the one-per-receipt ratings table', () => {
    expect(index).toBeGreaterThan(0);
    const db = new Database(file());
    migrate(db, all.slice(0, index));
    const receiptColumns = () =>
      (db.prepare('PRAGMA table_info(receipts)').all() as { name: string }[]).map((c) => c.name);
    expect(receiptColumns()).not.toContain('service_started_at');
    migrate(db, all.slice(0, index + 1));
    expect(schemaVersion(db)).toBe(all[index]!.version);
    const indexes = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as {
        name: string;
      }[]
    ).map((i) => i.name);
    expect(indexes).toEqual(
      expect.arrayContaining([
        'service_ratings_date',
        'complaints_opened',
        'complaint_updates_complaint',
        'households_community',
        'receipts_timed',
        'receipts_reprinted',
      ]),
    );
    db.pragma('foreign_keys = OFF');
    // Rows without their parents (foreign keys off): only this table's own rules are under test.
    db.prepare(
      `INSERT INTO receipts (id, request_id, book_id, receipt_no, receipt_label, household_id, shift_id, clerk_id,
                             total_fen, change_fen, issued_at, issued_seq, business_date)
       VALUES ('R1', 'Q1', 'B1', 1, 'A000001', 'H1', 'S1', 'C1', 100, 0, '2026-12-01T01:00:00.000Z', 5, '2026-12-01')`,
    ).run();
    expect(db.prepare('SELECT id, service_started_at FROM receipts').all()).toEqual([
      { id: 'R1', service_started_at: null },
    ]);
    const rate = (id: string, receipt: string, score: number, source = 'display') =>
      db
        .prepare(
          `INSERT INTO service_ratings (id, receipt_id, receipt_label, clerk_id, business_date, score, source, rated_at, seq)
           VALUES (?, ?, 'A000001', 'C1', '2026-12-01', ?, ?, '2026-12-01T01:01:00.000Z', 6)`,
        )
        .run(id, receipt, score, source);
    rate('G1', 'R1', 5);
    expect(() => rate('G2', 'R1', 4)).toThrow(/UNIQUE/);
    expect(() => rate('G3', 'R2', 0)).toThrow(/CHECK/);
    expect(() => rate('G4', 'R2', 6)).toThrow(/CHECK/);
    expect(() => rate('G5', 'R2', 3, 'phone')).toThrow(/CHECK/);
    expect(db.prepare('SELECT id, score FROM service_ratings').all()).toEqual([
      { id: 'G1', score: 5 },
    ]);
    db.close();
  });
});
