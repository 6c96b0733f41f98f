import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/ledger/db';
import { tempDir } from '../../support/terminal';

const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

function ledger() {
  const d = tempDir();
  dirs.push(d);
  return openDatabase(join(d.dir, 'l.db'));
}

const columns = (db: ReturnType<typeof ledger>, table: string) =>
  (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

describe('0005_cash_control', () => {
  it('adds the close figures to shifts, returned books, business dates of receipts', () => {
    const db = ledger();
    expect(columns(db, 'shifts')).toEqual(
      expect.arrayContaining([
        'counted_cash_fen',
        'expected_cash_fen',
        'variance_fen',
        'denominations',
        'variance_reason',
        'variance_approved_by',
      ]),
    );
    expect(columns(db, 'receipt_books')).toContain('returned_seq');
    expect(columns(db, 'receipts')).toContain('business_date');
    db.close();
  });

  it('creates cash movements, spoiled receipts and day closures with their constraints', () => {
    const db = ledger();
    expect(columns(db, 'cash_movements')).toEqual([
      'id',
      'shift_id',
      'kind',
      'amount_fen',
      'reason',
      'approved_by',
      'seq',
    ]);
    expect(columns(db, 'spoiled_receipts')).toEqual([
      'book_id',
      'receipt_no',
      'receipt_label',
      'shift_id',
      'reason',
      'seq',
    ]);
    expect(columns(db, 'day_closures')).toContain('perpetual_absolute_fen');
    db.pragma('foreign_keys = OFF');
    const move = db.prepare("INSERT INTO cash_movements VALUES ('m', 's', ?, ?, 'r', NULL, 1)");
    expect(() => move.run('cash_in', 0)).toThrow(/CHECK/);
    expect(() => move.run('lunch', 10)).toThrow(/CHECK/);
    const z = db.prepare('INSERT INTO day_closures VALUES (?, ?, 0, 0, 0, 0, 0, 1)');
    z.run(1, '2026-11-26');
    expect(() => z.run(2, '2026-11-26')).toThrow(/UNIQUE/);
    db.close();
  });

  it('seeds the variance threshold setting (¥10)', () => {
    const db = ledger();
    expect(
      db.prepare("SELECT value FROM settings WHERE key = 'cash.varianceThresholdFen'").get(),
    ).toEqual({ value: '1000' });
    db.close();
  });
});
