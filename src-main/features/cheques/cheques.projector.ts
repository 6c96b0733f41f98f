import type { chequeEventPayloads } from '@heating-cashier/core/contract/cheque-events';
import type { EventPayload, LedgerEvent } from '@heating-cashier/core/contract/events';
import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';
import { PENDING_KINDS } from '@heating-cashier/core/tenders';
import { sqlKinds } from '../cash/cash.store';

const PENDING = sqlKinds(PENDING_KINDS);

type ChequeEventType = keyof typeof chequeEventPayloads;
type Handler<T extends ChequeEventType> = (db: Db, e: LedgerEvent<T>, p: EventPayload<T>) => void;

function recordDecision(
  db: Db,
  e: LedgerEvent,
  p: EventPayload<ChequeEventType>,
  status: 'cleared' | 'bounced',
  valueDate: string,
  reason: string | null,
): void {
  stmt(
    db,
    `INSERT INTO cheque_decisions (receipt_id, position, status, decision_id, value_date, decided_by, source, reason,
                                   amount_fen, business_date, seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    p.receiptId,
    p.position,
    status,
    p.decisionId,
    valueDate,
    p.decidedBy,
    p.source,
    reason,
    p.amountFen,
    e.businessDate,
    e.seq,
  );
}

/**
 * A receipt carrying cheques enters the per-season and per-community collection totals when its last
 * cheque is settled, on that decision's business day, with what it finally paid (lines minus the
 * arrears bounced cheques gave back). Tender totals (daily_clerk_totals) are unchanged: cleared
 * cheques are added to "collected" by the reports from cheque_decisions, on the clearance day.
 */
function settleWhenLast(db: Db, e: LedgerEvent, receiptId: string): void {
  const receipt = stmt(
    db,
    `SELECT r.household_id, r.voided_seq,
            (SELECT count(*) FROM receipt_tenders t WHERE t.receipt_id = r.id AND t.kind IN (${PENDING})) AS cheques,
            (SELECT count(*) FROM cheque_decisions d WHERE d.receipt_id = r.id) AS decided
     FROM receipts r WHERE r.id = ?`,
  ).get(receiptId) as
    | { household_id: string; voided_seq: number | null; cheques: number; decided: number }
    | undefined;
  if (!receipt || receipt.voided_seq !== null || receipt.decided < receipt.cheques) return;
  const lines = stmt(
    db,
    `SELECT l.season_id, l.amount_fen - coalesce(
       (SELECT sum(x.amount_fen) FROM cheque_restorations x WHERE x.receipt_id = l.receipt_id AND x.season_id = l.season_id),
       0) AS fen
     FROM receipt_lines l WHERE l.receipt_id = ?`,
  ).all(receiptId) as { season_id: string; fen: number }[];
  const season = stmt(
    db,
    `INSERT INTO daily_season_totals (business_date, season_id, amount_fen) VALUES (?, ?, ?)
     ON CONFLICT (business_date, season_id) DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen`,
  );
  let total = 0;
  for (const l of lines) {
    if (l.fen <= 0) continue;
    season.run(e.businessDate, l.season_id, l.fen);
    total += l.fen;
  }
  if (total === 0) return;
  stmt(
    db,
    `INSERT INTO daily_community_totals (business_date, community, receipts, amount_fen)
     SELECT ?, community, 1, ? FROM households WHERE id = ?
     ON CONFLICT (business_date, community) DO UPDATE SET
       receipts = receipts + excluded.receipts, amount_fen = amount_fen + excluded.amount_fen`,
  ).run(e.businessDate, total, receipt.household_id);
}

export const chequeProjectors: { [T in ChequeEventType]: Handler<T> } = {
  'cheque.cleared': (db, e, p) => {
    recordDecision(db, e, p, 'cleared', p.clearedOn, null);
    settleWhenLast(db, e, p.receiptId);
  },
  'cheque.bounced': (db, e, p) => {
    recordDecision(db, e, p, 'bounced', p.bouncedOn, p.reason);
    const household = stmt(db, 'SELECT household_id FROM receipts WHERE id = ?')
      .pluck()
      .get(p.receiptId) as string;
    const restore = stmt(
      db,
      'INSERT INTO cheque_restorations (receipt_id, position, season_id, amount_fen) VALUES (?, ?, ?, ?)',
    );
    const unpay = stmt(
      db,
      'UPDATE season_payments SET paid_fen = paid_fen - ? WHERE household_id = ? AND season_id = ?',
    );
    for (const r of p.restored) {
      restore.run(p.receiptId, p.position, r.seasonId, r.amountFen);
      unpay.run(r.amountFen, household, r.seasonId);
    }
    settleWhenLast(db, e, p.receiptId);
  },
};

/** Rebuilt by replaying events (children after receipts in PROJECTION_TABLES order). */
export const CHEQUE_PROJECTION_TABLES = [
  { table: 'cheque_decisions', order: 'receipt_id, position' },
  { table: 'cheque_restorations', order: 'receipt_id, position, season_id' },
] as const;
