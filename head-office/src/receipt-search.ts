import { z } from 'zod';
import { dateOnly, fen, id } from '@heating-cashier/core/contract/primitives';
import type { Queryable } from './db';

/**
 * Finance's receipt search across every counter (the console's 收据查询): by receipt number,
 * household (id or account number), clerk (id or code), counter, business-day range and amount,
 * newest first, in keyset pages. Every filter is served by an index of migration 0011.
 */
export const receiptSearchInput = z
  .object({
    /** The printed number, e.g. A000123: exact. */
    label: z.string().trim().min(1).max(40).optional(),
    householdId: id.optional(),
    accountNo: z.string().trim().min(1).max(32).optional(),
    clerkId: id.optional(),
    clerkCode: z.string().trim().min(1).max(16).optional(),
    terminalId: id.optional(),
    from: dateOnly.optional(),
    to: dateOnly.optional(),
    /** The receipt's total, exact (finance reads it off the paper or the bank statement). */
    amountFen: fen.optional(),
    voided: z.enum(['any', 'valid', 'voided']).default('any'),
    limit: z.number().int().min(1).max(200).default(50),
    /** The last row of the previous page: the next page starts after it. */
    after: z.object({ businessDate: dateOnly, receiptId: id }).strict().optional(),
  })
  .strict()
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    message: 'from must not be after to',
    path: ['to'],
  });
export type ReceiptSearch = z.input<typeof receiptSearchInput>;

export interface ReceiptRow {
  receiptId: string;
  label: string;
  terminalId: string;
  terminalName: string | null;
  householdId: string;
  accountNo: string | null;
  clerkId: string | null;
  businessDate: string;
  totalFen: number;
  cashFen: number;
  electronicFen: number;
  pendingFen: number;
  voided: boolean;
}

export async function searchReceipts(
  db: Queryable,
  search: ReceiptSearch,
): Promise<{ rows: ReceiptRow[]; next: { businessDate: string; receiptId: string } | null }> {
  const f = receiptSearchInput.parse(search);
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.label !== undefined) where.push(`r.receipt_label = ${param(f.label)}`);
  if (f.householdId !== undefined) where.push(`r.household_id = ${param(f.householdId)}`);
  if (f.accountNo !== undefined)
    where.push(
      `r.household_id = (SELECT id FROM ho_households WHERE account_no = ${param(f.accountNo)})`,
    );
  if (f.clerkId !== undefined) where.push(`r.clerk_id = ${param(f.clerkId)}`);
  if (f.clerkCode !== undefined)
    where.push(`r.clerk_id = (SELECT id FROM ho_clerks WHERE code = ${param(f.clerkCode)})`);
  if (f.terminalId !== undefined) where.push(`r.terminal_id = ${param(f.terminalId)}`);
  if (f.from !== undefined) where.push(`r.business_date >= ${param(f.from)}`);
  if (f.to !== undefined) where.push(`r.business_date <= ${param(f.to)}`);
  if (f.amountFen !== undefined) where.push(`r.total_fen = ${param(f.amountFen)}`);
  if (f.voided === 'valid') where.push('r.voided_seq IS NULL');
  if (f.voided === 'voided') where.push('r.voided_seq IS NOT NULL');
  if (f.after !== undefined)
    where.push(
      `(r.business_date, r.receipt_id) < (${param(f.after.businessDate)}, ${param(f.after.receiptId)})`,
    );
  const rows = await db.query<{
    receipt_id: string;
    receipt_label: string;
    terminal_id: string;
    terminal_name: string | null;
    household_id: string;
    account_no: string | null;
    clerk_id: string | null;
    business_date: string;
    total_fen: string;
    cash_fen: string;
    electronic_fen: string;
    pending_fen: string;
    voided: boolean;
  }>(
    `SELECT r.receipt_id, r.receipt_label, r.terminal_id, t.name AS terminal_name, r.household_id,
            h.account_no, r.clerk_id, r.business_date, r.total_fen::text, r.cash_fen::text,
            r.electronic_fen::text, r.pending_fen::text, r.voided_seq IS NOT NULL AS voided
     FROM (SELECT * FROM ho_receipts r
           ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
           ORDER BY r.business_date DESC, r.receipt_id DESC
           LIMIT ${param(f.limit + 1)}) r
     LEFT JOIN ho_terminals t ON t.terminal_id = r.terminal_id
     LEFT JOIN ho_households h ON h.id = r.household_id
     ORDER BY r.business_date DESC, r.receipt_id DESC`,
    params,
  );
  const page = rows.slice(0, f.limit).map((r): ReceiptRow => ({
    receiptId: r.receipt_id,
    label: r.receipt_label,
    terminalId: r.terminal_id,
    terminalName: r.terminal_name,
    householdId: r.household_id,
    accountNo: r.account_no,
    clerkId: r.clerk_id,
    businessDate: r.business_date,
    totalFen: Number(r.total_fen),
    cashFen: Number(r.cash_fen),
    electronicFen: Number(r.electronic_fen),
    pendingFen: Number(r.pending_fen),
    voided: r.voided,
  }));
  const last = page.at(-1);
  return {
    rows: page,
    next:
      rows.length > f.limit && last
        ? { businessDate: last.businessDate, receiptId: last.receiptId }
        : null,
  };
}

const digits = (max: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/, 'a whole number')
    .transform(Number)
    .pipe(z.number().int().min(0).max(max));

/**
 * The search as a query string (`GET /v1/receipts?householdId=…&from=…&limit=…`): the same filters,
 * numbers as digits, the next page's cursor as `afterDate` + `afterId` (both or neither).
 */
export const receiptSearchQuery = z
  .object({
    label: z.string().optional(),
    householdId: z.string().optional(),
    accountNo: z.string().optional(),
    clerkId: z.string().optional(),
    clerkCode: z.string().optional(),
    terminalId: z.string().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    amountFen: digits(Number.MAX_SAFE_INTEGER).optional(),
    voided: z.string().optional(),
    limit: digits(1000).optional(),
    afterDate: z.string().optional(),
    afterId: z.string().optional(),
  })
  .strict()
  .refine((q) => (q.afterDate === undefined) === (q.afterId === undefined), {
    message: 'afterDate and afterId go together',
    path: ['afterId'],
  })
  .transform(({ afterDate, afterId, ...rest }) => ({
    ...rest,
    ...(afterDate !== undefined && afterId !== undefined
      ? { after: { businessDate: afterDate, receiptId: afterId } }
      : {}),
  }))
  .pipe(receiptSearchInput);
