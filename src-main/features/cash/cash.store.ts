import {
  emptyTenderTotals,
  REPORT_ORDER,
  TENDER_KINDS,
  type TenderKind,
  type TenderTotals,
} from '@heating-cashier/core/tenders';
import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';

export type { TenderTotals };

/** `'a', 'b'`: tender kinds (constants of the core table) as an SQL list, for `t.kind IN (...)`. */
export const sqlKinds = (kinds: readonly TenderKind[]): string =>
  kinds.map((k) => `'${k}'`).join(', ');

/** daily_clerk_totals keeps one `<kind>_fen` column per tender kind (0005_cash_control). */
export const dayTotalColumn = (kind: TenderKind): string => `${kind}_fen`;

/** `coalesce(sum(<alias>cash_fen), 0) AS cash, ...`: the day aggregates per kind, named by kind. */
export const sumDayTotalColumns = (alias = ''): string =>
  TENDER_KINDS.map((k) => `coalesce(sum(${alias}${dayTotalColumn(k)}), 0) AS ${k}`).join(', ');

/** Amounts per tender kind of the valid (not voided) receipts matching `where` (a receipts alias `r`). */
export function tenderTotals(db: Db, where: string, ...params: unknown[]): TenderTotals {
  const rows = stmt(
    db,
    `SELECT t.kind AS kind, sum(t.amount_fen) AS amount FROM receipt_tenders t JOIN receipts r ON r.id = t.receipt_id
     WHERE r.voided_seq IS NULL AND ${where} GROUP BY t.kind`,
  ).all(...params) as { kind: TenderKind; amount: number }[];
  const totals = emptyTenderTotals();
  for (const r of rows) totals[r.kind] = r.amount;
  return totals;
}

/**
 * Per tender kind, in report order: the valid receipts matching `where` (a receipts alias `r`)
 * carrying it, and its amount from `amounts` — the rows of the hand-in slip and the X/Z reports.
 */
export function tenderRows(
  db: Db,
  amounts: Readonly<TenderTotals>,
  where: string,
  ...params: unknown[]
): { kind: TenderKind; count: number; amountFen: number }[] {
  const counts = stmt(
    db,
    `SELECT t.kind AS kind, count(DISTINCT t.receipt_id) AS n FROM receipt_tenders t
     JOIN receipts r ON r.id = t.receipt_id WHERE ${where} AND r.voided_seq IS NULL GROUP BY t.kind`,
  ).all(...params) as { kind: string; n: number }[];
  return REPORT_ORDER.map((kind) => ({
    kind,
    count: counts.find((c) => c.kind === kind)?.n ?? 0,
    amountFen: amounts[kind],
  }));
}

export interface CardSplit {
  terminalCount: number;
  terminalFen: number;
  manualCount: number;
  manualFen: number;
}

/**
 * Card tenders of the valid receipts matching `where` (a receipts alias `r`), through the terminal
 * (`mode: terminal`, card.sale) vs keyed in by hand (`mode: manual` or no mode: card.manual, a card
 * tender of payment.take) — the same rule as card.report. terminalFen + manualFen = the card total.
 */
export function cardSplit(db: Db, where: string, ...params: unknown[]): CardSplit {
  const rows = stmt(
    db,
    `SELECT coalesce(json_extract(t.detail, '$.mode'), 'manual') = 'terminal' AS online,
            count(*) AS n, sum(t.amount_fen) AS fen
       FROM receipt_tenders t JOIN receipts r ON r.id = t.receipt_id
      WHERE t.kind = 'card' AND r.voided_seq IS NULL AND ${where} GROUP BY 1`,
  ).all(...params) as { online: number; n: number; fen: number }[];
  const on = rows.find((r) => r.online === 1);
  const off = rows.filter((r) => r.online !== 1);
  return {
    terminalCount: on?.n ?? 0,
    terminalFen: on?.fen ?? 0,
    manualCount: off.reduce((n, r) => n + r.n, 0),
    manualFen: off.reduce((n, r) => n + r.fen, 0),
  };
}

export interface CashMovementRow {
  id: string;
  kind: 'cash_in' | 'cash_out' | 'safe_drop';
  amount_fen: number;
  reason: string;
  approved_by: string | null;
}

export function cashMovements(db: Db, shiftId: string): CashMovementRow[] {
  return stmt(
    db,
    'SELECT id, kind, amount_fen, reason, approved_by FROM cash_movements WHERE shift_id = ? ORDER BY seq',
  ).all(shiftId) as CashMovementRow[];
}

export function setting(db: Db, key: string): string | null {
  const row = stmt(db, 'SELECT value FROM settings WHERE key = ?').get(key) as
    { value: string } | undefined;
  return row?.value ?? null;
}

export interface QrSplit {
  /** Settled through head office (qr.sale): detail.confirmation 'confirmed'. */
  confirmedCount: number;
  confirmedFen: number;
  /** A reference the clerk typed (a QR/transfer tender of payment.take, 未确认): finance reconciles it. */
  unconfirmedCount: number;
  unconfirmedFen: number;
}

/**
 * QR/transfer tenders of the valid receipts matching `where` (a receipts alias `r`): confirmed
 * through head office vs typed by the clerk. confirmedFen + unconfirmedFen = the QR total.
 */
export function qrSplit(db: Db, where: string, ...params: unknown[]): QrSplit {
  const rows = stmt(
    db,
    `SELECT coalesce(json_extract(t.detail, '$.confirmation'), '') = 'confirmed' AS confirmed,
            count(*) AS n, sum(t.amount_fen) AS fen
       FROM receipt_tenders t JOIN receipts r ON r.id = t.receipt_id
      WHERE t.kind = 'qr' AND r.voided_seq IS NULL AND ${where} GROUP BY 1`,
  ).all(...params) as { confirmed: number; n: number; fen: number }[];
  const yes = rows.find((r) => r.confirmed === 1);
  const no = rows.find((r) => r.confirmed !== 1);
  return {
    confirmedCount: yes?.n ?? 0,
    confirmedFen: yes?.fen ?? 0,
    unconfirmedCount: no?.n ?? 0,
    unconfirmedFen: no?.fen ?? 0,
  };
}

/** Confirmed QR amounts of business dates in [from, to) from the day aggregates (0021). */
export function confirmedQrFen(db: Db, from: string, to: string, clerkId?: string): number {
  return stmt(
    db,
    `SELECT coalesce(sum(qr_confirmed_fen), 0) FROM daily_clerk_totals
      WHERE business_date >= ? AND business_date < ? AND (? IS NULL OR clerk_id = ?)`,
  )
    .pluck()
    .get(from, to, clerkId ?? null, clerkId ?? null) as number;
}
