// Head office's 0012_collection_totals: the day and month totals of receipts pushed and cheques
// cleared before it are built from them (valid and voided apart), and from then on kept by the
// triggers (month-report.test.ts proves the triggers on random steps).
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, openPostgres } from '../../../head-office/src/db';
import { throwawayDatabase } from '../../support/head-office';
import { rawPostgres } from '../../support/head-office-raw';

let drop: (() => Promise<void>) | undefined;
afterAll(async () => drop?.());

describe('head-office 0012_collection_totals', () => {
  const all = loadMigrations();
  const index = all.findIndex((m) => m.name === 'collection_totals');

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
    await old.query(
      `INSERT INTO ho_cheques (receipt_id, position, terminal_id, receipt_label, household_id, cheque_no, bank,
                               amount_fen, issued_date, status, value_date)
       VALUES ('r2', 1, 'T1', 'r2', 'H1', 'ZP1', '农行', 300, '2026-11-01', 'cleared', '2026-11-03')`,
    );
    await old.close();

    const db = await openPostgres(tdb.url, 2);
    try {
      // [period, clerk, receipts, voided, total, cash, electronic, pending, cheques cleared]
      const totals = async () =>
        (
          await db.query<Record<string, string | number>>(
            `SELECT period, clerk_id, receipts::int, voided::int, total_fen::int, cash_fen::int,
                    electronic_fen::int, pending_fen::int, cheques_cleared_fen::int
             FROM ho_collection_totals ORDER BY 1, 2`,
          )
        ).map((r) => Object.values(r));
      expect(await totals()).toEqual([
        ['2026-11', '', 1, 0, 200, 200, 0, 0, 0],
        ['2026-11', 'C1', 2, 1, 2500, 1000, 1200, 300, 300],
        ['2026-11-01', '', 1, 0, 200, 200, 0, 0, 0],
        ['2026-11-01', 'C1', 2, 0, 2500, 1000, 1200, 300, 0],
        ['2026-11-02', 'C1', 0, 1, 0, 0, 0, 0, 0],
        ['2026-11-03', 'C1', 0, 0, 0, 0, 0, 0, 300],
      ]);
      // from now on the triggers: a void, a cheque bouncing after all
      await db.query(`UPDATE ho_receipts SET voided_seq = 100 WHERE receipt_id = 'r3'`);
      await db.query(`UPDATE ho_cheques SET status = 'bounced' WHERE receipt_id = 'r2'`);
      expect((await totals()).filter((r) => r[0] === '2026-11')).toEqual([
        ['2026-11', '', 0, 1, 0, 0, 0, 0, 0],
        ['2026-11', 'C1', 2, 1, 2500, 1000, 1200, 300, 0],
      ]);
    } finally {
      await db.close();
    }
  });
});
