import { z } from 'zod';
import type { Queryable } from './db';

/** The seed's target for the e-payment share (电子支付比例 ≥ 80 %), in tenths of a percent. */
export const E_PAYMENT_TARGET_PCT_TENTHS = 800;

export const monthReportInput = z
  .object({
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM'),
    /** Months of the trend, ending with `month`. */
    trendMonths: z.number().int().min(1).max(36).default(12),
  })
  .strict();
export type MonthReportInput = z.input<typeof monthReportInput>;

/** The same as a query string: `GET /v1/reports/month?month=2026-11&trendMonths=12`. */
export const monthReportQuery = z
  .object({
    month: z.string(),
    trendMonths: z
      .string()
      .regex(/^\d{1,2}$/, 'a whole number of months')
      .transform(Number)
      .optional(),
  })
  .strict()
  .pipe(monthReportInput);

/** Amounts of one month, one counter or one clerk (valid receipts; cheques when cleared). */
export interface CollectionTotals {
  receipts: number;
  voided: number;
  /** Valid receipts' totals, and below by tender class on the day taken. */
  issuedFen: number;
  cashFen: number;
  electronicFen: number;
  /** Cheques taken (pending until they clear). */
  chequesTakenFen: number;
  /** Cheques that cleared in the month (value date), whichever month they were taken in. */
  chequesClearedFen: number;
  /** Money that reached the company: cash + electronic + cheques cleared. */
  collectedFen: number;
  /** Electronic over collected, in tenths of a percent (null: nothing collected). */
  ePaymentPctTenths: number | null;
}

export interface MonthReport {
  month: string;
  totals: CollectionTotals;
  ePaymentTargetPctTenths: number;
  byCounter: (CollectionTotals & { terminalId: string; name: string | null })[];
  byClerk: (CollectionTotals & { clerkId: string; code: string | null; name: string | null })[];
  trend: (CollectionTotals & { month: string })[];
}

/** `YYYY-MM` moved by `n` months. */
function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

interface SumRow {
  key: string;
  receipts: string;
  voided: string;
  issued: string;
  cash: string;
  electronic: string;
  pending: string;
}

const SUMS = `sum(receipts)::text AS receipts, sum(voided)::text AS voided, sum(total_fen)::text AS issued,
  sum(cash_fen)::text AS cash, sum(electronic_fen)::text AS electronic, sum(pending_fen)::text AS pending`;

function totalsOf(row: Omit<SumRow, 'key'> | undefined, clearedFen: number): CollectionTotals {
  const n = (x: string | undefined) => Number(x ?? 0);
  const cashFen = n(row?.cash);
  const electronicFen = n(row?.electronic);
  const collectedFen = cashFen + electronicFen + clearedFen;
  return {
    receipts: n(row?.receipts),
    voided: n(row?.voided),
    issuedFen: n(row?.issued),
    cashFen,
    electronicFen,
    chequesTakenFen: n(row?.pending),
    chequesClearedFen: clearedFen,
    collectedFen,
    ePaymentPctTenths:
      collectedFen > 0
        ? Math.floor((electronicFen * 2000 + collectedFen) / (2 * collectedFen))
        : null,
  };
}

/**
 * The monthly company report (月度收费报告): collected, by tender class, the e-payment share against
 * the seed's 80 %, by counter and by clerk, and the trend of the months before. Reads the daily
 * totals of migration 0012 and the cleared cheques, never the receipts themselves.
 */
export async function monthReport(db: Queryable, input: MonthReportInput): Promise<MonthReport> {
  const { month, trendMonths } = monthReportInput.parse(input);
  const from = `${month}-01`;
  const to = `${addMonths(month, 1)}-01`;
  const trendFrom = `${addMonths(month, 1 - trendMonths)}-01`;
  const [counters, clerks, months, chequesByCounter, chequesByClerk, chequesByMonth] =
    await Promise.all([
      db.query<SumRow & { name: string | null }>(
        `SELECT d.terminal_id AS key, min(t.name) AS name, ${SUMS}
         FROM ho_day_totals d LEFT JOIN ho_terminals t ON t.terminal_id = d.terminal_id
         WHERE d.business_date >= $1 AND d.business_date < $2 GROUP BY d.terminal_id ORDER BY d.terminal_id`,
        [from, to],
      ),
      db.query<SumRow & { code: string | null; name: string | null }>(
        `SELECT d.clerk_id AS key, min(c.code) AS code, min(c.data::jsonb->>'name') AS name, ${SUMS}
         FROM ho_day_totals d LEFT JOIN ho_clerks c ON c.id = d.clerk_id
         WHERE d.business_date >= $1 AND d.business_date < $2 GROUP BY d.clerk_id ORDER BY d.clerk_id`,
        [from, to],
      ),
      db.query<SumRow>(
        `SELECT substr(business_date, 1, 7) AS key, ${SUMS} FROM ho_day_totals
         WHERE business_date >= $1 AND business_date < $2 GROUP BY 1 ORDER BY 1`,
        [trendFrom, to],
      ),
      db.query<{ key: string; fen: string }>(
        `SELECT terminal_id AS key, sum(amount_fen)::text AS fen FROM ho_cheques
         WHERE status = 'cleared' AND value_date >= $1 AND value_date < $2 GROUP BY 1`,
        [from, to],
      ),
      db.query<{ key: string; fen: string }>(
        `SELECT coalesce(r.clerk_id, '') AS key, sum(c.amount_fen)::text AS fen
         FROM ho_cheques c JOIN ho_receipts r ON r.receipt_id = c.receipt_id
         WHERE c.status = 'cleared' AND c.value_date >= $1 AND c.value_date < $2 GROUP BY 1`,
        [from, to],
      ),
      db.query<{ key: string; fen: string }>(
        `SELECT substr(value_date, 1, 7) AS key, sum(amount_fen)::text AS fen FROM ho_cheques
         WHERE status = 'cleared' AND value_date >= $1 AND value_date < $2 GROUP BY 1`,
        [trendFrom, to],
      ),
    ]);
  const cleared = (rows: { key: string; fen: string }[]) =>
    new Map(rows.map((r) => [r.key, Number(r.fen)]));
  const byTerminal = cleared(chequesByCounter);
  const byClerkCleared = cleared(chequesByClerk);
  const byMonth = cleared(chequesByMonth);
  const monthRows = new Map(months.map((r) => [r.key, r]));
  const trend = Array.from({ length: trendMonths }, (_, i) => {
    const m = addMonths(month, i + 1 - trendMonths);
    return { month: m, ...totalsOf(monthRows.get(m), byMonth.get(m) ?? 0) };
  });
  // a counter or clerk with only cheques clearing this month still appears
  const counterRows = new Map(counters.map((r) => [r.key, r]));
  for (const id of byTerminal.keys())
    if (!counterRows.has(id))
      counterRows.set(id, {
        key: id,
        name: null,
        receipts: '0',
        voided: '0',
        issued: '0',
        cash: '0',
        electronic: '0',
        pending: '0',
      });
  const clerkRows = new Map(clerks.map((r) => [r.key, r]));
  for (const id of byClerkCleared.keys())
    if (!clerkRows.has(id))
      clerkRows.set(id, {
        key: id,
        code: null,
        name: null,
        receipts: '0',
        voided: '0',
        issued: '0',
        cash: '0',
        electronic: '0',
        pending: '0',
      });
  const { month: _this, ...totals } = trend.at(-1)!;
  return {
    month,
    totals,
    ePaymentTargetPctTenths: E_PAYMENT_TARGET_PCT_TENTHS,
    byCounter: [...counterRows.values()]
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((r) => ({
        terminalId: r.key,
        name: r.name,
        ...totalsOf(r, byTerminal.get(r.key) ?? 0),
      })),
    byClerk: [...clerkRows.values()]
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((r) => ({
        clerkId: r.key,
        code: r.code,
        name: r.name,
        ...totalsOf(r, byClerkCleared.get(r.key) ?? 0),
      })),
    trend,
  };
}
