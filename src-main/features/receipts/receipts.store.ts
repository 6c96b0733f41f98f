import type { TenderRecord } from '@heating-cashier/core/contract/events';
import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';

export interface ReceiptRow {
  id: string;
  request_id: string;
  book_id: string;
  receipt_no: number;
  receipt_label: string;
  household_id: string;
  shift_id: string;
  clerk_id: string;
  total_fen: number;
  change_fen: number;
  issued_at: string;
  issued_seq: number;
  voided_seq: number | null;
  void_reason: string | null;
  reprint_count: number;
}

export interface ReceiptLineRow {
  seasonId: string;
  seasonCode: string;
  amountFen: number;
  chargeFen: number;
  pctTenths: number;
  balanceAfterFen: number;
}

export function receiptById(db: Db, id: string): ReceiptRow | null {
  return (
    (stmt(db, 'SELECT * FROM receipts WHERE id = ?').get(id) as ReceiptRow | undefined) ?? null
  );
}

export function receiptByLabel(db: Db, label: string): ReceiptRow | null {
  return (
    (stmt(db, 'SELECT * FROM receipts WHERE receipt_label = ?').get(label) as
      ReceiptRow | undefined) ?? null
  );
}

export function receiptByRequestId(db: Db, requestId: string): ReceiptRow | null {
  return (
    (stmt(db, 'SELECT * FROM receipts WHERE request_id = ?').get(requestId) as
      ReceiptRow | undefined) ?? null
  );
}

export function receiptsOfHousehold(db: Db, householdId: string, limit = 50): ReceiptRow[] {
  return stmt(
    db,
    'SELECT * FROM receipts WHERE household_id = ? ORDER BY issued_seq DESC LIMIT ?',
  ).all(householdId, limit) as ReceiptRow[];
}

export function receiptLines(db: Db, receiptId: string): ReceiptLineRow[] {
  return stmt(
    db,
    `SELECT l.season_id AS seasonId, s.code AS seasonCode, l.amount_fen AS amountFen, l.charge_fen AS chargeFen,
            l.pct_tenths AS pctTenths, l.balance_after_fen AS balanceAfterFen
     FROM receipt_lines l JOIN seasons s ON s.id = l.season_id WHERE l.receipt_id = ? ORDER BY s.code`,
  ).all(receiptId) as ReceiptLineRow[];
}

export function receiptTenders(db: Db, receiptId: string): TenderRecord[] {
  const rows = stmt(
    db,
    `SELECT t.kind, t.amount_fen, t.tendered_fen, t.reference, t.detail, d.status AS cheque_status
     FROM receipt_tenders t
     LEFT JOIN cheque_decisions d ON d.receipt_id = t.receipt_id AND d.position = t.position
     WHERE t.receipt_id = ? ORDER BY t.position`,
  ).all(receiptId) as {
    cheque_status: string | null;
    kind: TenderRecord['kind'];
    amount_fen: number;
    tendered_fen: number | null;
    reference: string | null;
    detail: string;
  }[];
  return rows.map((r) => ({
    kind: r.kind,
    amountFen: r.amount_fen,
    ...(r.tendered_fen !== null ? { tenderedFen: r.tendered_fen } : {}),
    ...(r.reference !== null ? { reference: r.reference } : {}),
    // a cheque's status: pending at payment, then cleared or bounced (cheque_decisions)
    detail: {
      ...(JSON.parse(r.detail) as Record<string, string>),
      ...(r.cheque_status ? { status: r.cheque_status } : {}),
    },
  }));
}

/** What the paper code and the reply take from a receipt's issuing event. */
export function issuingEventAt(
  db: Db,
  seq: number,
): { hash: string; terminalId: string; businessDate: string } {
  const e = stmt(db, 'SELECT hash, terminal_id, business_date FROM events WHERE seq = ?').get(
    seq,
  ) as { hash: string; terminal_id: string; business_date: string };
  return { hash: e.hash, terminalId: e.terminal_id, businessDate: e.business_date };
}
