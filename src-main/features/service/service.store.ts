import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';

export interface RatingRow {
  id: string;
  receipt_id: string;
  receipt_label: string;
  clerk_id: string;
  business_date: string;
  score: 1 | 2 | 3 | 4 | 5;
  source: 'display' | 'keypad';
  rated_at: string;
  seq: number;
}

export function ratingOfReceipt(db: Db, receiptId: string): RatingRow | null {
  return (
    (stmt(db, 'SELECT * FROM service_ratings WHERE receipt_id = ?').get(receiptId) as
      RatingRow | undefined) ?? null
  );
}

export interface OverdueComplaintRow {
  id: string;
  household_id: string;
  account_no: string;
  name: string;
  community: string;
  category: string;
  opened_at: string;
}

/** Complaints opened before `cutoff` (now − 24 h) with no update yet, oldest first; and how many. */
export function unansweredComplaintsBefore(
  db: Db,
  cutoff: string,
  limit: number,
): { total: number; rows: OverdueComplaintRow[] } {
  const where = `FROM complaints c
    WHERE c.opened_at < ? AND NOT EXISTS (SELECT 1 FROM complaint_updates u WHERE u.complaint_id = c.id)`;
  const total = (stmt(db, `SELECT count(*) AS n ${where}`).get(cutoff) as { n: number }).n;
  const rows = stmt(
    db,
    `SELECT c.id, c.household_id, h.account_no, h.name, h.community, c.category, c.opened_at
     FROM complaints c JOIN households h ON h.id = c.household_id
     WHERE c.opened_at < ? AND NOT EXISTS (SELECT 1 FROM complaint_updates u WHERE u.complaint_id = c.id)
     ORDER BY c.opened_at, c.id LIMIT ?`,
  ).all(cutoff, limit) as OverdueComplaintRow[];
  return { total, rows };
}
