import { z } from 'zod';
import { tenderRecord } from '@heating-cashier/core/contract/events';
import type { Queryable } from '../db';
import { parseAlipaySettlement } from './alipay';
import type { SettlementLine } from './provider';
import type { ProviderName } from './sales';

/**
 * The daily QR reconciliation (issue 23): the provider's settlement file for one business date
 * (the trades it settled to the merchant) against the sales head office saw paid and against the
 * receipts terminals pushed. A receipt's QR tender names its trade in `detail` (outTradeNo,
 * tradeNo, provider; confirmation 'confirmed' when head office confirmed it); a reference typed
 * at the counter without confirmation (detail.channel = the provider, reference = the provider's
 * trade number, 未确认) is matched by that number, which is how those entries get reconciled.
 */

export const reconcileDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date: YYYY-MM-DD');

export type QrDifferenceKind =
  /** The provider settled it; no terminal's receipt names it (money in, no receipt). */
  | 'settled_no_receipt'
  /** A receipt names a QR payment the provider did not settle that day (receipt, no money). */
  | 'receipt_not_settled'
  /** Settled, but the receipt's tender or head office's sale has another amount. */
  | 'amount_differs'
  /** Head office saw it paid; the provider's file does not list it. */
  | 'paid_not_settled'
  /** Two receipts (or two tenders) name the same trade. */
  | 'receipt_twice';

export interface QrDifference {
  kind: QrDifferenceKind;
  terminalId: string | null;
  outTradeNo: string | null;
  tradeNo: string | null;
  settledFen: number | null;
  /** What head office's sale asked (its state beside). */
  headOfficeFen: number | null;
  headOfficeState: string | null;
  receiptFen: number | null;
  receiptLabels: string[];
}

export interface QrReconciliation {
  provider: ProviderName;
  date: string;
  settled: { count: number; fen: number };
  paidAtHeadOffice: { count: number; fen: number };
  receipts: { count: number; fen: number };
  differences: QrDifference[];
}

// ---- the settlement file --------------------------------------------------------------------

export class SettlementFileError extends Error {
  override name = 'SettlementFileError';
}

/**
 * The provider's settlement file for one business date as lines in fen. Alipay: the merchant bill
 * as alipay.ts reads it (`out_trade_no,trade_no,total_amount,gmt_payment`, yuan, Beijing time).
 * A line that cannot be read refuses the whole file (a half-read file reconciles nothing right).
 */
export function parseSettlementFile(provider: ProviderName, bytes: Uint8Array): SettlementLine[] {
  if (provider !== 'alipay')
    throw new SettlementFileError(`no settlement file reader for ${provider}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SettlementFileError('settlement file: not UTF-8 text');
  }
  try {
    return parseAlipaySettlement(text);
  } catch (e) {
    throw new SettlementFileError((e as Error).message);
  }
}

// ---- what head office holds -----------------------------------------------------------------

interface SaleRow {
  terminal_id: string;
  out_trade_no: string;
  state: string;
  trade_no: string | null;
  amount_fen: number;
  /** Paid, and on this date by the provider's time (Beijing for Alipay). */
  paid_that_day: boolean;
}

interface ReceiptTender {
  terminalId: string;
  receiptLabel: string;
  businessDate: string;
  outTradeNo: string | null;
  tradeNo: string | null;
  amountFen: number;
}

const receiptPayload = z.object({ receiptLabel: z.string(), tenders: z.array(tenderRecord) });

function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The provider's QR tenders of valid receipts issued between two business dates. */
async function qrTenders(
  db: Queryable,
  provider: ProviderName,
  from: string,
  to: string,
): Promise<ReceiptTender[]> {
  const rows = await db.query<{ terminal_id: string; business_date: string; payload: string }>(
    `SELECT r.terminal_id, r.business_date, e.payload
     FROM ho_receipts r JOIN ho_events e ON e.terminal_id = r.terminal_id AND e.seq = r.issued_seq
     WHERE r.business_date BETWEEN $1 AND $2 AND r.voided_seq IS NULL
       AND e.payload LIKE '%"kind":"qr"%'
     ORDER BY r.terminal_id, r.issued_seq`,
    [from, to],
  );
  const out: ReceiptTender[] = [];
  for (const row of rows) {
    const p = receiptPayload.safeParse(JSON.parse(row.payload));
    if (!p.success) continue;
    for (const t of p.data.tenders) {
      if (t.kind !== 'qr') continue;
      const confirmed = t.detail.provider === provider && t.detail.confirmation === 'confirmed';
      const typed = t.detail.provider === undefined && t.detail.channel === provider;
      if (!confirmed && !typed) continue;
      out.push({
        terminalId: row.terminal_id,
        receiptLabel: p.data.receiptLabel,
        businessDate: row.business_date,
        outTradeNo: confirmed ? (t.detail.outTradeNo ?? null) : null,
        tradeNo: (confirmed ? t.detail.tradeNo : t.reference) ?? null,
        amountFen: t.amountFen,
      });
    }
  }
  return out;
}

/**
 * Reconciles one business date of one provider: every difference with the terminal, the
 * out-trade and trade numbers and the amounts on each side.
 */
export async function reconcileQr(
  db: Queryable,
  provider: ProviderName,
  date: string,
  settlement: readonly SettlementLine[],
): Promise<QrReconciliation> {
  // receipts of the day before and after may name a trade settled this day (midnight)
  const tenders = await qrTenders(db, provider, shiftDate(date, -1), shiftDate(date, 1));
  const sales = await db.query<SaleRow>(
    `SELECT terminal_id, out_trade_no, state, trade_no, amount_fen,
            (state = 'paid' AND left(paid_at, 10) = $2) AS paid_that_day FROM ho_qr_sales
     WHERE provider = $1 AND ((state = 'paid' AND left(paid_at, 10) = $2) OR out_trade_no = ANY($3::text[]))`,
    [
      provider,
      date,
      [
        ...settlement.map((s) => s.outTradeNo),
        ...tenders.flatMap((t) => (t.outTradeNo ? [t.outTradeNo] : [])),
      ],
    ],
  );
  const saleByNo = new Map(sales.map((s) => [s.out_trade_no, s]));
  const differences: QrDifference[] = [];
  const matched = new Set<ReceiptTender>();
  const settledNos = new Set<string>();

  for (const s of settlement) {
    settledNos.add(s.outTradeNo);
    const sale = saleByNo.get(s.outTradeNo);
    const mine = tenders.filter((t) =>
      t.outTradeNo !== null ? t.outTradeNo === s.outTradeNo : t.tradeNo === s.tradeNo,
    );
    mine.forEach((t) => matched.add(t));
    const receiptFen = mine.length > 0 ? mine.reduce((sum, t) => sum + t.amountFen, 0) : null;
    const base = {
      terminalId: sale?.terminal_id ?? mine[0]?.terminalId ?? null,
      outTradeNo: s.outTradeNo,
      tradeNo: s.tradeNo,
      settledFen: s.amountFen,
      headOfficeFen: sale ? Number(sale.amount_fen) : null,
      headOfficeState: sale?.state ?? null,
      receiptFen,
      receiptLabels: mine.map((t) => t.receiptLabel),
    };
    if (mine.length === 0) differences.push({ kind: 'settled_no_receipt', ...base });
    else if (mine.length > 1) differences.push({ kind: 'receipt_twice', ...base });
    else if (receiptFen !== s.amountFen) differences.push({ kind: 'amount_differs', ...base });
    if (sale && mine.length > 0 && Number(sale.amount_fen) !== s.amountFen)
      differences.push({ kind: 'amount_differs', ...base });
  }

  const dayTenders = tenders.filter((t) => t.businessDate === date);
  for (const t of dayTenders) {
    if (matched.has(t)) continue;
    const sale = t.outTradeNo ? saleByNo.get(t.outTradeNo) : undefined;
    differences.push({
      kind: 'receipt_not_settled',
      terminalId: t.terminalId,
      outTradeNo: t.outTradeNo,
      tradeNo: t.tradeNo,
      settledFen: null,
      headOfficeFen: sale ? Number(sale.amount_fen) : null,
      headOfficeState: sale?.state ?? null,
      receiptFen: t.amountFen,
      receiptLabels: [t.receiptLabel],
    });
  }

  const paidDay = sales.filter((s) => s.paid_that_day);
  for (const s of paidDay) {
    if (settledNos.has(s.out_trade_no)) continue;
    const mine = tenders.filter((t) => t.outTradeNo === s.out_trade_no);
    differences.push({
      kind: 'paid_not_settled',
      terminalId: s.terminal_id,
      outTradeNo: s.out_trade_no,
      tradeNo: s.trade_no,
      settledFen: null,
      headOfficeFen: Number(s.amount_fen),
      headOfficeState: s.state,
      receiptFen: mine.length > 0 ? mine.reduce((sum, t) => sum + t.amountFen, 0) : null,
      receiptLabels: mine.map((t) => t.receiptLabel),
    });
  }

  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    provider,
    date,
    settled: { count: settlement.length, fen: sum(settlement.map((s) => s.amountFen)) },
    paidAtHeadOffice: { count: paidDay.length, fen: sum(paidDay.map((s) => Number(s.amount_fen))) },
    receipts: { count: dayTenders.length, fen: sum(dayTenders.map((t) => t.amountFen)) },
    differences,
  };
}

// ---- the command line -----------------------------------------------------------------------

const PROVIDERS = ['alipay', 'wechat', 'unionpay'] as const;

/**
 * `qr-reconcile --date YYYY-MM-DD [--provider alipay] FILE`: prints the reconciliation as JSON;
 * exit 0 when nothing differs, 1 when something does, 2 for a wrong call or an unreadable file.
 */
export async function runQrReconcileCommand(
  db: Queryable,
  args: string[],
  readFile: (path: string) => Uint8Array,
): Promise<{ code: number; out?: string; err?: string }> {
  const usage = 'usage: qr-reconcile --date YYYY-MM-DD [--provider alipay] SETTLEMENT.csv';
  const value = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const files = args.filter(
    (a, i) => !a.startsWith('--') && args[i - 1] !== '--date' && args[i - 1] !== '--provider',
  );
  const date = reconcileDate.safeParse(value('--date'));
  const provider = z.enum(PROVIDERS).safeParse(value('--provider') ?? 'alipay');
  if (!date.success || !provider.success || files.length !== 1) return { code: 2, err: usage };
  let lines: SettlementLine[];
  try {
    lines = parseSettlementFile(provider.data, readFile(files[0]!));
  } catch (e) {
    return { code: 2, err: `${files[0]}: ${(e as Error).message}` };
  }
  const report = await reconcileQr(db, provider.data, date.data, lines);
  return { code: report.differences.length === 0 ? 0 : 1, out: JSON.stringify(report, null, 2) };
}
