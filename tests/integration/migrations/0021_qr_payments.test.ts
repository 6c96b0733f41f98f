// 0021_qr_payments: the write-ahead QR intents (masked code only, one open intent, completed ⇒
// receipt + trade no.) and the day aggregates' confirmed-QR column.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR } from '../../../src-main/ledger/db';
import { loadMigrations, migrate, schemaVersion } from '../../../src-main/ledger/migrate';
import { tempFolders } from '../../support/temp-files';

const { file } = tempFolders();

const all = loadMigrations(DEFAULT_MIGRATIONS_DIR);
const index = all.findIndex((m) => m.name === 'qr_payments');

const insert = `INSERT INTO qr_payments (id, request_id, out_trade_no, provider, masked_code, household_id,
  shift_id, clerk_id, amount_fen, state, trade_no, receipt_id, created_at, updated_at)
  VALUES (@id, @request_id, @out_trade_no, @provider, @masked_code, 'H1', 'S1', 'C1', @amount_fen,
          @state, @trade_no, @receipt_id, '2026-12-01T01:00:00.000Z', '2026-12-01T01:00:00.000Z')`;

let rows = 0;
function row(over: Record<string, unknown> = {}) {
  const n = String(++rows).padStart(8, '0');
  return {
    id: `I${n}`,
    request_id: `Q${n}`,
    out_trade_no: `0190a5e4abcd${n}00`,
    provider: 'alipay',
    masked_code: '2812**********3456',
    amount_fen: 100,
    state: 'intent',
    trade_no: null,
    receipt_id: null,
    ...over,
  };
}

describe('0021_qr_payments', () => {
  it('keeps QR intents with their rules and adds qr_confirmed_fen to the day aggregates', () => {
    expect(index).toBeGreaterThan(0);
    const db = new Database(file());
    migrate(db, all.slice(0, index));
    const dayColumns = () =>
      (db.prepare('PRAGMA table_info(daily_clerk_totals)').all() as { name: string }[]).map(
        (c) => c.name,
      );
    expect(dayColumns()).not.toContain('qr_confirmed_fen');
    db.prepare(
      `INSERT INTO daily_clerk_totals (business_date, clerk_id, receipts, qr_fen) VALUES ('2026-12-01', 'C1', 1, 500)`,
    ).run();
    migrate(db, all.slice(0, index + 1));
    expect(schemaVersion(db)).toBe(all[index]!.version);
    expect(dayColumns()).toContain('qr_confirmed_fen');
    // rows of before: a QR amount there was typed by a clerk, so none of it is confirmed
    expect(db.prepare('SELECT qr_fen, qr_confirmed_fen FROM daily_clerk_totals').get()).toEqual({
      qr_fen: 500,
      qr_confirmed_fen: 0,
    });

    const add = (over: Record<string, unknown>) => db.prepare(insert).run(row(over));
    const open = row();
    db.prepare(insert).run(open);
    // one open intent at a time
    expect(() => add({})).toThrow(/UNIQUE/);
    // the full payment code is never stored: masked (at most 8 digits shown) only
    expect(() => add({ state: 'failed', masked_code: '281234567890123456' })).toThrow(/CHECK/);
    expect(() => add({ state: 'failed', masked_code: '2812abcd3456' })).toThrow(/CHECK/);
    // completed needs its receipt and the provider's trade number
    expect(() => add({ state: 'completed', receipt_id: 'R1' })).toThrow(/CHECK/);
    expect(() => add({ state: 'completed', trade_no: 'T1' })).toThrow(/CHECK/);
    add({ state: 'completed', trade_no: 'T1', receipt_id: 'R1' });
    // one receipt, one trade, one merchant order number, one request
    expect(() => add({ state: 'completed', trade_no: 'T2', receipt_id: 'R1' })).toThrow(/UNIQUE/);
    expect(() => add({ state: 'failed', trade_no: 'T1' })).toThrow(/UNIQUE/);
    expect(() => add({ state: 'failed', out_trade_no: open.out_trade_no })).toThrow(/UNIQUE/);
    expect(() => add({ state: 'failed', request_id: open.request_id })).toThrow(/UNIQUE/);
    // the merchant order number: 8–64 letters, digits or _
    expect(() => add({ state: 'failed', out_trade_no: 'short' })).toThrow(/CHECK/);
    expect(() => add({ state: 'failed', out_trade_no: 'has-a-dash-0000' })).toThrow(/CHECK/);
    expect(() => add({ state: 'failed', out_trade_no: 'x'.repeat(65) })).toThrow(/CHECK/);
    expect(() => add({ state: 'failed', provider: 'paypal' })).toThrow(/CHECK/);
    expect(() => add({ state: 'failed', amount_fen: 0 })).toThrow(/CHECK/);
    expect(() => add({ state: 'paid' })).toThrow(/CHECK/);
    // a closed intent frees the slot for the next sale
    db.prepare("UPDATE qr_payments SET state = 'cancelled' WHERE id = ?").run(open.id);
    add({});
    expect(
      db.prepare("SELECT count(*) AS n FROM qr_payments WHERE state = 'intent'").get(),
    ).toEqual({ n: 1 });
    db.close();
  });
});
