// Head office's 0012_day_totals: the daily totals of receipts pushed before it are built from them
// (valid and voided apart), and from then on kept by the triggers (month-report.test.ts proves the
// triggers on random steps); cleared cheques get their index.
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, openPostgres } from '../../../head-office/src/db';
import { throwawayDatabase } from '../../support/head-office';
import { rawPostgres } from '../../support/head-office-raw';

let drop: (() => Promise<void>) | undefined;
afterAll(async () => drop?.());

describe('head-office 0012_day_totals', () => {
  const all = loadMigrations();
  const index = all.findIndex((m) => m.name === 'day_totals');

  it('builds the daily totals of the receipts already pushed, then keeps them', async () => {
    expect(index).toBe(11);
    const tdb = await throwawayDatabase();
    drop = tdb.drop;
    const old = rawPostgres(tdb.url);
    await migrate(old, all.slice(0, index));
    const rows: [string, string, string | null, number, number, number, boolean][] = [
      ['r1', '2026-11-01', 'C1', 1000, 500, 0, false],
      ['r2', '2026-11-01', 'C1', 0, 700, 300, false],
      ['r3', '2026-11-01', null, 200, 0, 0, false],
      ['r4', '2026-11-02', 'C1', 900, 0, 0, true],
    ];
    for (const [i, [id, day, clerk, cash, electronic, pending, voided]] of rows.entries())
      await old.query(
        `INSERT INTO ho_receipts (receipt_id, terminal_id, book_id, receipt_label, household_id, business_date,
                                  total_fen, issued_seq, voided_seq, clerk_id, cash_fen, electronic_fen, pending_fen)
         VALUES ($1, 'T1', 'B1', $1, 'H1', $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          id,
          day,
          cash + electronic + pending,
          i + 1,
          voided ? 99 : null,
          clerk,
          cash,
          electronic,
          pending,
        ],
      );
    await old.close();

    const db = await openPostgres(tdb.url, 2);
    try {
      const totals = () =>
        db.query(
          `SELECT business_date, clerk_id, receipts::int, voided::int, total_fen::int, cash_fen::int,
                  electronic_fen::int, pending_fen::int FROM ho_day_totals ORDER BY 1, 2`,
        );
      expect(await totals()).toEqual([
        {
          business_date: '2026-11-01',
          clerk_id: '',
          receipts: 1,
          voided: 0,
          total_fen: 200,
          cash_fen: 200,
          electronic_fen: 0,
          pending_fen: 0,
        },
        {
          business_date: '2026-11-01',
          clerk_id: 'C1',
          receipts: 2,
          voided: 0,
          total_fen: 2500,
          cash_fen: 1000,
          electronic_fen: 1200,
          pending_fen: 300,
        },
        {
          business_date: '2026-11-02',
          clerk_id: 'C1',
          receipts: 0,
          voided: 1,
          total_fen: 0,
          cash_fen: 0,
          electronic_fen: 0,
          pending_fen: 0,
        },
      ]);
      await db.query(`UPDATE ho_receipts SET voided_seq = 100 WHERE receipt_id = 'r3'`);
      expect((await totals())[0]).toMatchObject({
        clerk_id: '',
        receipts: 0,
        voided: 1,
        total_fen: 0,
      });
      const [idx] = await db.query<{ indexdef: string }>(
        `SELECT indexdef FROM pg_indexes WHERE indexname = 'ho_cheques_cleared'`,
      );
      expect(idx!.indexdef).toMatch(/WHERE \(status = 'cleared'::text\)/);
    } finally {
      await db.close();
    }
  });
});
