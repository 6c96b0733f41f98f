// Head office's 0011_receipt_search: receipts pushed before it get their clerk and what they were
// paid with by tender class from their receipt.issued events; the new columns refuse negative
// amounts; the search indexes exist.
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, openPostgres } from '../../../head-office/src/db';
import { throwawayDatabase } from '../../support/head-office';
import { rawPostgres } from '../../support/head-office-raw';

let drop: (() => Promise<void>) | undefined;
afterAll(async () => drop?.());

const payload = (receiptId: string, tenders: { kind: string; amountFen: number }[]) =>
  JSON.stringify({
    receiptId,
    receiptLabel: `A${receiptId}`,
    householdId: 'H1',
    totalFen: tenders.reduce((a, t) => a + t.amountFen, 0),
    tenders,
  });

describe('head-office 0011_receipt_search', () => {
  const all = loadMigrations();
  const index = all.findIndex((m) => m.name === 'receipt_search');

  it('fills the clerk and the tender classes of receipts pushed before it, from their events', async () => {
    expect(index).toBe(10);
    const tdb = await throwawayDatabase();
    drop = tdb.drop;
    const old = rawPostgres(tdb.url);
    await migrate(old, all.slice(0, index));
    const receipts = [
      ['000001', 'C1', [{ kind: 'cash', amountFen: 100 }]],
      [
        '000002',
        'C2',
        [
          { kind: 'cash', amountFen: 100 },
          { kind: 'qr', amountFen: 200 },
          { kind: 'card', amountFen: 400 },
          { kind: 'cheque', amountFen: 800 },
        ],
      ],
      ['000003', null, [{ kind: 'cheque', amountFen: 50 }]],
    ] as const;
    for (const [i, [id, clerk, tenders]] of receipts.entries()) {
      await old.query(
        `INSERT INTO ho_events (terminal_id, seq, id, type, occurred_at, business_date, clerk_id, payload,
                                prev_hash, hash)
         VALUES ('T1', $1, $2, 'receipt.issued', '2026-12-01T01:00:00.000Z', '2026-12-01', $3, $4, 'p', 'h')`,
        [i + 1, `E${id}`, clerk, payload(id, [...tenders])],
      );
      await old.query(
        `INSERT INTO ho_receipts (receipt_id, terminal_id, book_id, receipt_label, household_id, business_date,
                                  total_fen, issued_seq)
         VALUES ($1, 'T1', 'B1', $2, 'H1', '2026-12-01', $3, $4)`,
        [id, `A${id}`, tenders.reduce((a, t) => a + t.amountFen, 0), i + 1],
      );
    }
    await old.close();

    const db = await openPostgres(tdb.url, 2);
    try {
      expect(
        await db.query(
          `SELECT receipt_id, clerk_id, cash_fen::int, electronic_fen::int, pending_fen::int
           FROM ho_receipts ORDER BY receipt_id`,
        ),
      ).toEqual([
        { receipt_id: '000001', clerk_id: 'C1', cash_fen: 100, electronic_fen: 0, pending_fen: 0 },
        {
          receipt_id: '000002',
          clerk_id: 'C2',
          cash_fen: 100,
          electronic_fen: 600,
          pending_fen: 800,
        },
        { receipt_id: '000003', clerk_id: null, cash_fen: 0, electronic_fen: 0, pending_fen: 50 },
      ]);
      await expect(
        db.query(`UPDATE ho_receipts SET electronic_fen = -1 WHERE receipt_id = '000001'`),
      ).rejects.toThrow(/check constraint/);
      const indexes = await db.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE tablename = 'ho_receipts' ORDER BY indexname`,
      );
      expect(indexes.map((i) => i.indexname)).toEqual(
        expect.arrayContaining([
          'ho_receipts_amount',
          'ho_receipts_clerk',
          'ho_receipts_day',
          'ho_receipts_household',
          'ho_receipts_label',
        ]),
      );
    } finally {
      await db.close();
    }
  });
});
