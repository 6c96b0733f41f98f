import type { EventPayload, EventType, LedgerEvent } from '@heating-cashier/core/contract/events';
import { canonicalJson } from '@heating-cashier/core/canonical-json';
import type { Db } from './db';
import { applyReceiptToDayTotals, issuedEventOf } from '../features/cash/day-totals.projector';
import { stmt } from './statements';
import {
  DUNNING_PROJECTION_TABLES,
  dunningProjectors,
} from '../features/dunning/dunning.projector';
import { RULES_PROJECTION_TABLES, rulesProjectors } from '../features/rules/rules.projector';
import { CHEQUE_PROJECTION_TABLES, chequeProjectors } from '../features/cheques/cheques.projector';
import { KEY_PROJECTION_TABLES, keyProjectors } from '../features/terminal/keys.projector';
import {
  SERVICE_PROJECTION_TABLES,
  serviceProjectors,
} from '../features/service/service.projector';

type Handler<T extends EventType> = (db: Db, e: LedgerEvent<T>, p: EventPayload<T>) => void;

const handlers: { [T in EventType]: Handler<T> } = {
  ...dunningProjectors,
  ...rulesProjectors,
  ...chequeProjectors,
  ...keyProjectors,
  ...serviceProjectors,
  'book.issued': (db, e, p) => {
    stmt(
      db,
      `INSERT INTO receipt_books (id, series, first_no, last_no, next_no, clerk_id, issued_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(p.bookId, p.series, p.firstNo, p.lastNo, p.firstNo, p.clerkId, e.seq);
  },
  'shift.opened': (db, e, p) => {
    stmt(
      db,
      `INSERT INTO shifts (id, clerk_id, business_date, opening_float_fen, opened_at, opened_seq)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(p.shiftId, p.clerkId, e.businessDate, p.openingFloatFen, e.occurredAt, e.seq);
  },
  'shift.closed': (db, e, p) => {
    stmt(
      db,
      `UPDATE shifts SET closed_at = ?, closed_seq = ?, counted_cash_fen = ?, expected_cash_fen = ?, variance_fen = ?,
                         denominations = ?, variance_reason = ?, variance_approved_by = ?
       WHERE id = ? AND closed_seq IS NULL`,
    ).run(
      e.occurredAt,
      e.seq,
      p.countedCashFen,
      p.expectedCashFen,
      p.varianceFen,
      JSON.stringify(p.denominations),
      p.varianceReason,
      p.approvedBy,
      p.shiftId,
    );
  },
  'cash.moved': (db, e, p) => {
    stmt(
      db,
      'INSERT INTO cash_movements (id, shift_id, kind, amount_fen, reason, approved_by, seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(p.movementId, p.shiftId, p.kind, p.amountFen, p.reason, p.approvedBy, e.seq);
  },
  'receipt.spoiled': (db, e, p) => {
    stmt(
      db,
      'INSERT INTO spoiled_receipts (book_id, receipt_no, receipt_label, shift_id, reason, seq) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(p.bookId, p.receiptNo, p.receiptLabel, p.shiftId, p.reason, e.seq);
    stmt(db, 'UPDATE receipt_books SET next_no = max(next_no, ?) WHERE id = ?').run(
      p.receiptNo + 1,
      p.bookId,
    );
  },
  'book.returned': (db, e, p) => {
    stmt(db, 'UPDATE receipt_books SET returned_seq = ? WHERE id = ?').run(e.seq, p.bookId);
  },
  'day.closed': (db, e, p) => {
    stmt(
      db,
      `INSERT INTO day_closures (closure_no, business_date, receipt_count, void_count, collected_fen,
                                 perpetual_total_fen, perpetual_absolute_fen, seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      p.closureNo,
      p.businessDate,
      p.receiptCount,
      p.voidCount,
      p.collectedFen,
      p.perpetualTotalFen,
      p.perpetualAbsoluteFen,
      e.seq,
    );
  },
  'receipt.issued': (db, e, p) => {
    stmt(
      db,
      `INSERT INTO receipts (id, request_id, book_id, receipt_no, receipt_label, household_id, shift_id, clerk_id,
                             total_fen, change_fen, issued_at, issued_seq, business_date, service_started_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      p.receiptId,
      p.requestId,
      p.bookId,
      p.receiptNo,
      p.receiptLabel,
      p.householdId,
      p.shiftId,
      e.clerkId,
      p.totalFen,
      p.changeFen,
      e.occurredAt,
      e.seq,
      e.businessDate,
      p.serviceStartedAt ?? null,
    );
    const line = stmt(
      db,
      `INSERT INTO receipt_lines (receipt_id, season_id, amount_fen, charge_fen, pct_tenths, balance_after_fen)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const paid = stmt(
      db,
      `INSERT INTO season_payments (household_id, season_id, paid_fen) VALUES (?, ?, ?)
       ON CONFLICT (household_id, season_id) DO UPDATE SET paid_fen = paid_fen + excluded.paid_fen`,
    );
    for (const l of p.lines) {
      line.run(p.receiptId, l.seasonId, l.amountFen, l.chargeFen, l.pctTenths, l.balanceAfterFen);
      paid.run(p.householdId, l.seasonId, l.amountFen);
    }
    const tender = stmt(
      db,
      `INSERT INTO receipt_tenders (receipt_id, position, kind, amount_fen, tendered_fen, reference, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    p.tenders.forEach((t, i) =>
      tender.run(
        p.receiptId,
        i,
        t.kind,
        t.amountFen,
        t.tenderedFen ?? null,
        t.reference ?? null,
        canonicalJson(t.detail),
      ),
    );
    stmt(db, 'UPDATE receipt_books SET next_no = max(next_no, ?) WHERE id = ?').run(
      p.receiptNo + 1,
      p.bookId,
    );
    applyReceiptToDayTotals(db, e.businessDate, e.clerkId ?? '', p, false);
  },
  'receipt.voided': (db, e, p) => {
    const issued = issuedEventOf(db, p.receiptId);
    applyReceiptToDayTotals(db, issued.businessDate, issued.clerkId, issued.payload, true);
    stmt(db, 'UPDATE receipts SET voided_seq = ?, void_reason = ? WHERE id = ?').run(
      e.seq,
      p.reason,
      p.receiptId,
    );
    stmt(
      db,
      `UPDATE season_payments SET paid_fen = paid_fen - (
         SELECT l.amount_fen FROM receipt_lines l WHERE l.receipt_id = ? AND l.season_id = season_payments.season_id)
       WHERE household_id = (SELECT household_id FROM receipts WHERE id = ?)
         AND season_id IN (SELECT season_id FROM receipt_lines WHERE receipt_id = ?)`,
    ).run(p.receiptId, p.receiptId, p.receiptId);
  },
  'receipt.reprinted': (db, _e, p) => {
    stmt(db, 'UPDATE receipts SET reprint_count = ? WHERE id = ?').run(p.reprintNo, p.receiptId);
  },
  'approval.given': () => {},
};

/** Applies one event to the projections (live, inside the event's transaction, and on rebuild). */
export function applyEvent(db: Db, event: LedgerEvent): void {
  const handler = handlers[event.type] as Handler<EventType>;
  handler(db, event, event.payload);
}

/** Projection tables in dependency order (children last); rebuilt by replaying the event log. */
export const PROJECTION_TABLES = [
  { table: 'receipt_books', order: 'id' },
  { table: 'shifts', order: 'id' },
  { table: 'receipts', order: 'id' },
  { table: 'receipt_lines', order: 'receipt_id, season_id' },
  { table: 'receipt_tenders', order: 'receipt_id, position' },
  { table: 'season_payments', order: 'household_id, season_id' },
  { table: 'cash_movements', order: 'id' },
  { table: 'spoiled_receipts', order: 'book_id, receipt_no' },
  { table: 'day_closures', order: 'closure_no' },
  { table: 'daily_clerk_totals', order: 'business_date, clerk_id' },
  { table: 'daily_season_totals', order: 'business_date, season_id' },
  { table: 'daily_community_totals', order: 'business_date, community' },
  ...DUNNING_PROJECTION_TABLES,
  ...RULES_PROJECTION_TABLES,
  ...CHEQUE_PROJECTION_TABLES,
  ...KEY_PROJECTION_TABLES,
  ...SERVICE_PROJECTION_TABLES,
] as const;

export function projectionSnapshot(db: Db): Record<string, unknown[]> {
  const snapshot: Record<string, unknown[]> = {};
  for (const { table, order } of PROJECTION_TABLES) {
    snapshot[table] = db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all();
  }
  return snapshot;
}
