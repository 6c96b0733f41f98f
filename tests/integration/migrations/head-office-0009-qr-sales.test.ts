// Head office's 0009_qr_sales: one row per QR sale (one per out-trade number across all terminals),
// never "paid" without the provider's trade number and exactly the amount asked, and an
// append-only log of provider calls and notifications.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type HoDb } from '../../../head-office/src/db';

let db: HoDb;
beforeAll(async () => {
  db = await openPglite('memory://');
});
afterAll(async () => db?.close());

const insert = (terminalId: string, outTradeNo: string, state = 'unknown') =>
  db.query(
    `INSERT INTO ho_qr_sales (terminal_id, out_trade_no, provider, masked_code, code_sha256, amount_fen,
       subject, household_id, state, next_step_at, deadline_at)
     VALUES ($1, $2, 'alipay', '2812**********3456', 'ab', 12000, '供热费', 'h1', $3, now(), now())`,
    [terminalId, outTradeNo, state],
  );

describe('head-office migration 0009_qr_sales', () => {
  it('keeps one sale per out-trade number, whichever terminal asks', async () => {
    const [v] = await db.query<{ v: number }>('SELECT max(version)::int AS v FROM ho_schema');
    expect(v!.v).toBeGreaterThanOrEqual(9);
    await insert('T1', 'T1_0001_abcdef');
    await expect(insert('T1', 'T1_0001_abcdef')).rejects.toThrow(/duplicate key/);
    await expect(insert('T2', 'T1_0001_abcdef')).rejects.toThrow(/duplicate key/);
    await insert('T2', 'T2_0001_abcdef');
    const [n] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ho_qr_sales');
    expect(n!.n).toBe(2);
  });

  it('refuses paid without a trade number or with another amount, and an unknown state', async () => {
    await expect(insert('T1', 'T1_0002_abcdef', 'paid')).rejects.toThrow(/check constraint/);
    await expect(insert('T1', 'T1_0003_abcdef', 'settled')).rejects.toThrow(/check constraint/);
    await expect(
      db.query(
        `UPDATE ho_qr_sales SET state = 'paid', trade_no = '2026120722001', paid_fen = 11999
         WHERE out_trade_no = 'T1_0001_abcdef'`,
      ),
    ).rejects.toThrow(/check constraint/);
    await db.query(
      `UPDATE ho_qr_sales SET state = 'paid', trade_no = '2026120722001', paid_fen = 12000
       WHERE out_trade_no = 'T1_0001_abcdef'`,
    );
  });

  it('the call log is append-only', async () => {
    await db.query(
      `INSERT INTO ho_qr_sale_log (terminal_id, out_trade_no, call, state) VALUES ('T1', 'T1_0001_abcdef', 'pay', 'paid')`,
    );
    await expect(db.query(`UPDATE ho_qr_sale_log SET state = 'refused'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(db.query('DELETE FROM ho_qr_sale_log')).rejects.toThrow(/append-only/);
    await expect(
      db.query(
        `INSERT INTO ho_qr_sale_log (out_trade_no, call, state) VALUES ('X_00000001', 'refund', 'x')`,
      ),
    ).rejects.toThrow(/check constraint/);
  });
});
