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
  cleared: string;
}

const SUMS = `sum(receipts)::text AS receipts, sum(voided)::text AS voided, sum(total_fen)::text AS issued,
  sum(cash_fen)::text AS cash, sum(electronic_fen)::text AS electronic, sum(pending_fen)::text AS pending,
  sum(cheques_cleared_fen)::text AS cleared`;

function totalsOf(row: Omit<SumRow, 'key'> | undefined): CollectionTotals {
  const n = (x: string | undefined) => Number(x ?? 0);
  const cashFen = n(row?.cash);
  const electronicFen = n(row?.electronic);
  const chequesClearedFen = n(row?.cleared);
  const collectedFen = cashFen + electronicFen + chequesClearedFen;
  return {
    receipts: n(row?.receipts),
    voided: n(row?.voided),
    issuedFen: n(row?.issued),
    cashFen,
    electronicFen,
    chequesTakenFen: n(row?.pending),
    chequesClearedFen,
    collectedFen,
    ePaymentPctTenths:
      collectedFen > 0
        ? Math.floor((electronicFen * 2000 + collectedFen) / (2 * collectedFen))
        : null,
  };
}

/**
 * The monthly company report (月度收费报告): collected, by tender class, the e-payment share against
 * the seed's 80 %, by counter and by clerk, and the trend of the months before. Reads the month rows
 * of migration 0012's collection totals, never the receipts or cheques themselves.
 */
export async function monthReport(db: Queryable, input: MonthReportInput): Promise<MonthReport> {
  const { month, trendMonths } = monthReportInput.parse(input);
  const trendKeys = Array.from({ length: trendMonths }, (_, i) =>
    addMonths(month, i + 1 - trendMonths),
  );
  const [counters, clerks, months] = await Promise.all([
    db.query<SumRow & { name: string | null }>(
      `SELECT d.terminal_id AS key, min(t.name) AS name, ${SUMS}
       FROM ho_collection_totals d LEFT JOIN ho_terminals t ON t.terminal_id = d.terminal_id
       WHERE d.period = $1 GROUP BY d.terminal_id ORDER BY d.terminal_id`,
      [month],
    ),
    db.query<SumRow & { code: string | null; name: string | null }>(
      `SELECT d.clerk_id AS key, min(c.code) AS code, min(c.data::jsonb->>'name') AS name, ${SUMS}
       FROM ho_collection_totals d LEFT JOIN ho_clerks c ON c.id = d.clerk_id
       WHERE d.period = $1 GROUP BY d.clerk_id ORDER BY d.clerk_id`,
      [month],
    ),
    // the month rows of the trend by their exact keys (not a range: the day rows sit between them)
    db.query<SumRow>(
      `SELECT period AS key, ${SUMS} FROM ho_collection_totals WHERE period = ANY($1::text[])
       GROUP BY period`,
      [trendKeys],
    ),
  ]);
  const monthRows = new Map(months.map((r) => [r.key, r]));
  const trend = trendKeys.map((m) => ({ month: m, ...totalsOf(monthRows.get(m)) }));
  const { month: _this, ...totals } = trend.at(-1)!;
  return {
    month,
    totals,
    ePaymentTargetPctTenths: E_PAYMENT_TARGET_PCT_TENTHS,
    byCounter: counters.map((r) => ({ terminalId: r.key, name: r.name, ...totalsOf(r) })),
    byClerk: clerks.map((r) => ({ clerkId: r.key, code: r.code, name: r.name, ...totalsOf(r) })),
    trend,
  };
}
