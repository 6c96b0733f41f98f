import type { EventPayload } from '@heating-cashier/core/contract/events';
import { chequeRestoration, type Restoration } from '@heating-cashier/core/cheques';
import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';
import { PENDING_KINDS } from '@heating-cashier/core/tenders';
import { sqlKinds } from '../cash/cash.store';

export type ChequeStatus = 'pending' | 'cleared' | 'bounced';

export interface ChequeRow {
  receiptId: string;
  receiptLabel: string;
  position: number;
  chequeNo: string;
  bank: string;
  amountFen: number;
  householdId: string;
  accountNo: string;
  householdName: string;
  clerkId: string;
  clerkName: string;
  issuedAt: string;
  issuedDate: string;
  receiptVoided: boolean;
  status: ChequeStatus;
  decisionId: string | null;
  valueDate: string | null;
  decidedDate: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  source: 'counter' | 'head-office' | null;
  reason: string | null;
  restored: { seasonId: string; seasonCode: string; amountFen: number }[];
}

interface RawRow extends Omit<ChequeRow, 'bank' | 'receiptVoided' | 'restored' | 'status'> {
  detail: string;
  voided: number;
  status: ChequeStatus | null;
}

const SELECT = `
  SELECT r.id AS receiptId, r.receipt_label AS receiptLabel, t.position, coalesce(t.reference, '') AS chequeNo,
         t.detail, t.amount_fen AS amountFen, r.household_id AS householdId, h.account_no AS accountNo,
         h.name AS householdName, r.clerk_id AS clerkId, c.name AS clerkName, r.issued_at AS issuedAt,
         coalesce(r.business_date, substr(r.issued_at, 1, 10)) AS issuedDate, r.voided_seq IS NOT NULL AS voided,
         d.status, d.decision_id AS decisionId, d.value_date AS valueDate, d.business_date AS decidedDate,
         d.decided_by AS decidedBy, dc.name AS decidedByName, d.source, d.reason
  FROM receipt_tenders t
  JOIN receipts r ON r.id = t.receipt_id
  JOIN households h ON h.id = r.household_id
  JOIN clerks c ON c.id = r.clerk_id
  LEFT JOIN cheque_decisions d ON d.receipt_id = t.receipt_id AND d.position = t.position
  LEFT JOIN clerks dc ON dc.id = d.decided_by
  WHERE t.kind IN (${sqlKinds(PENDING_KINDS)})`;

function toRow(db: Db, r: RawRow): ChequeRow {
  const detail = JSON.parse(r.detail) as Record<string, string>;
  const restored =
    r.status === 'bounced'
      ? (stmt(
          db,
          `SELECT x.season_id AS seasonId, coalesce(s.code, x.season_id) AS seasonCode, x.amount_fen AS amountFen
           FROM cheque_restorations x LEFT JOIN seasons s ON s.id = x.season_id
           WHERE x.receipt_id = ? AND x.position = ? ORDER BY seasonCode`,
        ).all(r.receiptId, r.position) as ChequeRow['restored'])
      : [];
  const { detail: _d, voided, status, ...rest } = r;
  return {
    ...rest,
    bank: detail.bank ?? '',
    receiptVoided: voided === 1,
    status: status ?? 'pending',
    restored,
  };
}

/** Cheques of this terminal's receipts: pending (not voided) ones, or decisions recorded in [from, to). */
export function listCheques(
  db: Db,
  filter: { status: ChequeStatus | 'all'; from?: string; to?: string; limit: number },
): ChequeRow[] {
  const where =
    filter.status === 'pending'
      ? ' AND d.status IS NULL AND r.voided_seq IS NULL'
      : filter.status === 'all'
        ? ''
        : ' AND d.status = ?';
  const range =
    filter.status === 'pending'
      ? ''
      : ' AND (? IS NULL OR coalesce(d.business_date, r.business_date) >= ?) AND (? IS NULL OR coalesce(d.business_date, r.business_date) < ?)';
  const params: unknown[] = [];
  if (filter.status === 'cleared' || filter.status === 'bounced') params.push(filter.status);
  if (filter.status !== 'pending') {
    const from = filter.from ?? null;
    const to = filter.to ?? null;
    params.push(from, from, to, to);
  }
  const rows = stmt(db, `${SELECT}${where}${range} ORDER BY r.issued_seq, t.position LIMIT ?`).all(
    ...params,
    filter.limit,
  ) as RawRow[];
  return rows.map((r) => toRow(db, r));
}

export function chequeAt(db: Db, receiptId: string, position: number): ChequeRow | null {
  const row = stmt(db, `${SELECT} AND t.receipt_id = ? AND t.position = ?`).get(
    receiptId,
    position,
  ) as RawRow | undefined;
  return row ? toRow(db, row) : null;
}

export function chequeDecisionById(db: Db, decisionId: string): { receipt_id: string } | null {
  return (
    (stmt(db, 'SELECT receipt_id FROM cheque_decisions WHERE decision_id = ?').get(decisionId) as
      { receipt_id: string } | undefined) ?? null
  );
}

/** Whether any cheque of the receipt is decided (then the receipt can no longer be voided). */
export function receiptHasChequeDecision(db: Db, receiptId: string): boolean {
  return (
    stmt(db, 'SELECT 1 FROM cheque_decisions WHERE receipt_id = ? LIMIT 1').get(receiptId) !==
    undefined
  );
}

/** The seasons a bounce of this cheque gives back (receipt lines in the issued event's order). */
export function restorationFor(db: Db, receiptId: string, position: number): Restoration[] {
  const payload = JSON.parse(
    stmt(
      db,
      'SELECT e.payload FROM receipts r JOIN events e ON e.seq = r.issued_seq WHERE r.id = ?',
    )
      .pluck()
      .get(receiptId) as string,
  ) as EventPayload<'receipt.issued'>;
  const already = stmt(
    db,
    'SELECT season_id AS seasonId, amount_fen AS amountFen FROM cheque_restorations WHERE receipt_id = ?',
  ).all(receiptId) as Restoration[];
  const tender = payload.tenders[position]!;
  return chequeRestoration(payload.lines, already, tender.amountFen);
}

/** Cleared cheques counted as collected on the business day their clearance was recorded. */
export function clearedChequesFen(db: Db, from: string, to: string, clerkId?: string): number {
  return stmt(
    db,
    `SELECT coalesce(sum(d.amount_fen), 0) FROM cheque_decisions d JOIN receipts r ON r.id = d.receipt_id
     WHERE d.status = 'cleared' AND r.voided_seq IS NULL AND d.business_date >= ? AND d.business_date < ?
       AND (? IS NULL OR r.clerk_id = ?)`,
  )
    .pluck()
    .get(from, to, clerkId ?? null, clerkId ?? null) as number;
}
