// The monthly company report (head-office/src/month-report.ts) and the collection totals it reads
// (migration 0012): after every step of random pushes, voids, corrections and cheque decisions,
// ho_collection_totals (day and month rows) equals the receipts and cheques grouped again; the
// report equals the same figures computed here from the receipts and cheques themselves; bad input
// is refused.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, openPostgres, type HoDb } from '../../../head-office/src/db';
import { monthReport } from '../../../head-office/src/month-report';
import { throwawayDatabase, type Backend } from '../../support/head-office';

const DAYS = ['2026-10-31', '2026-11-01', '2026-11-30', '2026-12-01'];
const TERMINALS = ['T1', 'T2'];
const CLERKS = ['C1', 'C2', null];

interface Receipt {
  id: string;
  day: string;
  terminal: string;
  clerk: string | null;
  cash: number;
  electronic: number;
  pending: number;
}
type Op =
  | { kind: 'push'; receipts: Omit<Receipt, 'id'>[] }
  | { kind: 'void'; pick: number }
  | { kind: 'correct'; pick: number; cash: number }
  | { kind: 'cheque'; pick: number; status: 'pending' | 'cleared' | 'bounced'; day: string };

const receiptArb = fc.record({
  day: fc.constantFrom(...DAYS),
  terminal: fc.constantFrom(...TERMINALS),
  clerk: fc.constantFrom(...CLERKS),
  cash: fc.integer({ min: 0, max: 50_000 }),
  electronic: fc.integer({ min: 0, max: 50_000 }),
  pending: fc.integer({ min: 0, max: 50_000 }),
});
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('push' as const),
    receipts: fc.array(receiptArb, { minLength: 1, maxLength: 5 }),
  }),
  fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('correct' as const),
    pick: fc.nat(),
    cash: fc.integer({ min: 0, max: 9_999 }),
  }),
  fc.record({
    kind: fc.constant('cheque' as const),
    pick: fc.nat(),
    status: fc.constantFrom('pending' as const, 'cleared' as const, 'bounced' as const),
    day: fc.constantFrom(...DAYS),
  }),
);

/** The collection totals recomputed from the receipts and cheques, day and month rows. */
const RECOMPUTED = `WITH r AS (
    SELECT business_date AS day, terminal_id, coalesce(clerk_id, '') AS clerk_id,
           (voided_seq IS NULL)::int AS receipts, (voided_seq IS NOT NULL)::int AS voided,
           CASE WHEN voided_seq IS NULL THEN total_fen ELSE 0 END AS total,
           CASE WHEN voided_seq IS NULL THEN cash_fen ELSE 0 END AS cash,
           CASE WHEN voided_seq IS NULL THEN electronic_fen ELSE 0 END AS electronic,
           CASE WHEN voided_seq IS NULL THEN pending_fen ELSE 0 END AS pending, 0 AS cleared
    FROM ho_receipts
    UNION ALL
    SELECT c.value_date, c.terminal_id, coalesce(x.clerk_id, ''), 0, 0, 0, 0, 0, 0, c.amount_fen
    FROM ho_cheques c JOIN ho_receipts x ON x.receipt_id = c.receipt_id
    WHERE c.status = 'cleared')
  SELECT period, terminal_id, clerk_id, sum(receipts)::int AS receipts, sum(voided)::int AS voided,
         sum(total)::int AS total_fen, sum(cash)::int AS cash_fen, sum(electronic)::int AS electronic_fen,
         sum(pending)::int AS pending_fen, sum(cleared)::int AS cheques_cleared_fen
  FROM (SELECT day AS period, * FROM r UNION ALL SELECT substr(day, 1, 7), * FROM r) p
  GROUP BY 1, 2, 3 HAVING (sum(receipts), sum(voided), sum(cleared)) <> (0, 0, 0) ORDER BY 1, 2, 3`;
const KEPT = `SELECT period, terminal_id, clerk_id, receipts::int, voided::int, total_fen::int, cash_fen::int,
    electronic_fen::int, pending_fen::int, cheques_cleared_fen::int
  FROM ho_collection_totals WHERE (receipts, voided, cheques_cleared_fen) <> (0, 0, 0) ORDER BY 1, 2, 3`;

describe.each<Backend>(['pglite', 'postgres'])('monthly report on %s', (backend) => {
  let db: HoDb;
  let drop: () => Promise<void> = async () => {};
  let n = 0;
  beforeAll(async () => {
    if (backend === 'pglite') db = await openPglite('memory://');
    else {
      const tdb = await throwawayDatabase();
      drop = tdb.drop;
      db = await openPostgres(tdb.url, 4);
    }
  });
  afterAll(async () => {
    await db?.close();
    await drop();
  });

  const push = (receipts: Omit<Receipt, 'id'>[]) =>
    db.tx(async (q) => {
      for (const r of receipts) {
        n++;
        const total = r.cash + r.electronic + r.pending || 1;
        await q.query(
          `INSERT INTO ho_receipts (receipt_id, terminal_id, book_id, receipt_label, household_id, business_date,
                                    total_fen, issued_seq, clerk_id, cash_fen, electronic_fen, pending_fen)
           VALUES ($1, $2, 'B', $1, 'H1', $3, $4, $5, $6, $7, $8, $9)`,
          [
            `r${n}`,
            r.terminal,
            r.day,
            total,
            n,
            r.clerk,
            r.cash || (total === 1 ? 1 : 0),
            r.electronic,
            r.pending,
          ],
        );
      }
    });
  const validIds = async () =>
    (
      await db.query<{ receipt_id: string }>(
        'SELECT receipt_id FROM ho_receipts WHERE voided_seq IS NULL ORDER BY receipt_id',
      )
    ).map((r) => r.receipt_id);

  it('property: the collection totals equal the receipts and cheques grouped again, after every push, void, correction and cheque decision', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 10 }), async (ops) => {
        for (const op of ops) {
          if (op.kind === 'push') await push(op.receipts);
          else {
            const ids = await validIds();
            if (ids.length === 0) continue;
            const id = ids[op.pick % ids.length]!;
            if (op.kind === 'void')
              await db.query(
                'UPDATE ho_receipts SET voided_seq = issued_seq + 1 WHERE receipt_id = $1',
                [id],
              );
            else if (op.kind === 'correct')
              await db.query(
                'UPDATE ho_receipts SET cash_fen = $2, total_fen = $2 + electronic_fen + pending_fen WHERE receipt_id = $1',
                [id, op.cash],
              );
            // a cheque taken with the receipt, or a decision on it (cleared on a day, bounced, pending)
            else
              await db.query(
                `INSERT INTO ho_cheques (receipt_id, position, terminal_id, receipt_label, household_id, cheque_no,
                                         bank, amount_fen, issued_date, status, value_date)
                 SELECT receipt_id, 0, terminal_id, receipt_label, household_id, 'ZP', '农行', 100 + issued_seq,
                        business_date, $2::text, CASE WHEN $2::text = 'pending' THEN NULL ELSE $3::text END
                 FROM ho_receipts WHERE receipt_id = $1
                 ON CONFLICT (receipt_id, position) DO UPDATE SET status = excluded.status,
                   value_date = excluded.value_date`,
                [id, op.status, op.day],
              );
          }
          expect(await db.query(KEPT)).toEqual(await db.query(RECOMPUTED));
        }
      }),
      { numRuns: backend === 'pglite' ? 40 : 20 },
    );
  });

  it('equals the month recomputed from the receipts and cheques themselves; cheques count when they clear', async () => {
    // cheques of some receipts: cleared in November or December, bounced, or still pending
    const withCheque = await db.query<{ receipt_id: string; terminal_id: string }>(
      'SELECT receipt_id, terminal_id FROM ho_receipts ORDER BY receipt_id LIMIT 12',
    );
    for (const [i, r] of withCheque.entries()) {
      const status = ['cleared', 'cleared', 'bounced', 'pending'][i % 4]!;
      await db.query(
        `INSERT INTO ho_cheques (receipt_id, position, terminal_id, receipt_label, household_id, cheque_no, bank,
                                 amount_fen, issued_date, status, value_date)
         VALUES ($1, 1, $2, $1, 'H1', 'ZP', '农行', $3, '2026-11-01', $4, $5)`,
        [
          r.receipt_id,
          r.terminal_id,
          1000 + i,
          status,
          status === 'pending' ? null : i % 3 ? '2026-11-15' : '2026-12-02',
        ],
      );
    }
    const rows = await db.query<{
      terminal_id: string;
      clerk_id: string | null;
      business_date: string;
      voided: boolean;
      total_fen: number;
      cash_fen: number;
      electronic_fen: number;
      pending_fen: number;
    }>(
      `SELECT terminal_id, clerk_id, business_date, voided_seq IS NOT NULL AS voided, total_fen::int, cash_fen::int,
              electronic_fen::int, pending_fen::int FROM ho_receipts`,
    );
    const cheques = await db.query<{
      terminal_id: string;
      clerk_id: string | null;
      fen: number;
      value_date: string;
    }>(
      `SELECT c.terminal_id, r.clerk_id, c.amount_fen::int AS fen, c.value_date
       FROM ho_cheques c JOIN ho_receipts r ON r.receipt_id = c.receipt_id WHERE c.status = 'cleared'`,
    );
    const expected = (
      inMonth: (day: string) => boolean,
      keep: (r: { terminal_id: string; clerk_id: string | null }) => boolean,
    ) => {
      const mine = rows.filter((r) => inMonth(r.business_date) && keep(r));
      const valid = mine.filter((r) => !r.voided);
      const sum = (k: 'total_fen' | 'cash_fen' | 'electronic_fen' | 'pending_fen') =>
        valid.reduce((a, r) => a + r[k], 0);
      const cleared = cheques
        .filter((c) => inMonth(c.value_date) && keep(c))
        .reduce((a, c) => a + c.fen, 0);
      const collected = sum('cash_fen') + sum('electronic_fen') + cleared;
      return {
        receipts: valid.length,
        voided: mine.length - valid.length,
        issuedFen: sum('total_fen'),
        cashFen: sum('cash_fen'),
        electronicFen: sum('electronic_fen'),
        chequesTakenFen: sum('pending_fen'),
        chequesClearedFen: cleared,
        collectedFen: collected,
        ePaymentPctTenths:
          collected > 0 ? Math.round((sum('electronic_fen') * 1000) / collected) : null,
      };
    };
    const november = (d: string) => d.startsWith('2026-11');
    const report = await monthReport(db, { month: '2026-11', trendMonths: 3 });
    expect(report.totals).toEqual(expected(november, () => true));
    expect(report.ePaymentTargetPctTenths).toBe(800);
    for (const c of report.byCounter)
      expect(c).toMatchObject(expected(november, (r) => r.terminal_id === c.terminalId));
    for (const c of report.byClerk)
      expect(c).toMatchObject(expected(november, (r) => (r.clerk_id ?? '') === c.clerkId));
    expect(report.trend.map((t) => t.month)).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(report.trend[1]).toMatchObject(
      expected(
        (d) => d.startsWith('2026-10'),
        () => true,
      ),
    );
    expect(report.trend[0]).toMatchObject({
      receipts: 0,
      collectedFen: 0,
      ePaymentPctTenths: null,
    });
    const december = await monthReport(db, { month: '2026-12', trendMonths: 1 });
    expect(december.totals).toEqual(
      expected(
        (d) => d.startsWith('2026-12'),
        () => true,
      ),
    );
  });

  it('refuses a month that is not YYYY-MM and a trend out of bounds', async () => {
    for (const bad of [
      { month: '2026-13' },
      { month: '2026-1' },
      { month: '2026-11', trendMonths: 0 },
      { month: '2026-11', trendMonths: 37 },
    ])
      await expect(monthReport(db, bad as never)).rejects.toThrow();
  });
});
