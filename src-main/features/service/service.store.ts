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

/** Business dates [from, to): the half-open range every KPI query takes. */
export interface DateRange {
  from: string;
  to: string;
}

export interface RatingCountRow {
  clerk_id: string;
  score: 1 | 2 | 3 | 4 | 5;
  n: number;
}

/** Ratings given in the range (by the rating's business date), per receipt clerk and score. */
export function ratingCounts(db: Db, r: DateRange): RatingCountRow[] {
  return stmt(
    db,
    `SELECT clerk_id, score, count(*) AS n FROM service_ratings
     WHERE business_date >= ? AND business_date < ? GROUP BY clerk_id, score`,
  ).all(r.from, r.to) as RatingCountRow[];
}

export interface ClerkServiceSpans {
  clerk_id: string;
  /** Service times (issued − started), whole ms, in no particular order. */
  durations: number[];
  /** Visit times (rated − started) of the rated ones, whole ms, in no particular order. */
  visits: number[];
}

const msList = (list: string | null): number[] =>
  list === null || list === '' ? [] : list.split(',').map(Number);

/**
 * Per clerk, the valid receipts of the range (by business date) that carry their service start: each
 * one's service and visit time in whole milliseconds, from service_spans (migration 0023) through
 * its covering index — no receipt row, rating or ISO time read. The durations come back as one list
 * per clerk (group_concat): a row per receipt would cost more in crossing into JS than the query.
 */
export function serviceSpans(db: Db, r: DateRange): ClerkServiceSpans[] {
  const rows = stmt(
    db,
    `SELECT clerk_id, group_concat(service_ms) AS durations, group_concat(visit_ms) AS visits
     FROM service_spans WHERE business_date >= ? AND business_date < ? GROUP BY clerk_id`,
  ).all(r.from, r.to) as { clerk_id: string; durations: string | null; visits: string | null }[];
  return rows.map((row) => ({
    clerk_id: row.clerk_id,
    durations: msList(row.durations),
    visits: msList(row.visits),
  }));
}

export interface ErrorCountRow {
  clerk_id: string;
  receipts: number;
  voids: number;
  reprints: number;
  spoiled: number;
}

/**
 * Per clerk: receipts issued in the range (void ones included) and their voids, from the day
 * aggregates (a void counts on its receipt's day); reprints, counted on the receipt's own business
 * date, from the few reprinted receipts (partial index); and the blanks spoiled in the clerk's shifts of
 * the range. No scan of a month of receipts.
 */
export function errorCounts(db: Db, r: DateRange): ErrorCountRow[] {
  return stmt(
    db,
    `SELECT clerk_id, sum(receipts) AS receipts, sum(voids) AS voids, sum(reprints) AS reprints,
            sum(spoiled) AS spoiled
     FROM (
       SELECT clerk_id, sum(receipts) AS receipts, sum(voids) AS voids, 0 AS reprints, 0 AS spoiled
       FROM daily_clerk_totals WHERE business_date >= ? AND business_date < ? GROUP BY clerk_id
       UNION ALL
       SELECT clerk_id, 0, 0, sum(reprint_count), 0 FROM receipts
       WHERE reprint_count > 0 AND business_date >= ? AND business_date < ? GROUP BY clerk_id
       UNION ALL
       SELECT s.clerk_id, 0, 0, 0, count(*) FROM spoiled_receipts p JOIN shifts s ON s.id = p.shift_id
       WHERE s.business_date >= ? AND s.business_date < ? GROUP BY s.clerk_id
     ) GROUP BY clerk_id`,
  ).all(r.from, r.to, r.from, r.to, r.from, r.to) as ErrorCountRow[];
}

export interface ComplaintTimingRow {
  community: string;
  opened_at: string;
  first_update_at: string | null;
}

/** Complaints opened in the range (by the opening event's business date) and their first update. */
export function complaintTimings(db: Db, r: DateRange): ComplaintTimingRow[] {
  return stmt(
    db,
    `SELECT h.community, c.opened_at,
            (SELECT min(u.updated_at) FROM complaint_updates u WHERE u.complaint_id = c.id) AS first_update_at
     FROM complaints c JOIN events e ON e.seq = c.seq JOIN households h ON h.id = c.household_id
     WHERE e.business_date >= ? AND e.business_date < ?`,
  ).all(r.from, r.to) as ComplaintTimingRow[];
}

/** Of the complaints opened in the range, those opened before `cutoff` with no update yet, oldest first. */
export function unansweredComplaintsIn(
  db: Db,
  r: DateRange,
  cutoff: string,
  limit: number,
): OverdueComplaintRow[] {
  return stmt(
    db,
    `SELECT c.id, c.household_id, h.account_no, h.name, h.community, c.category, c.opened_at
     FROM complaints c JOIN events e ON e.seq = c.seq JOIN households h ON h.id = c.household_id
     WHERE e.business_date >= ? AND e.business_date < ? AND c.opened_at < ?
       AND NOT EXISTS (SELECT 1 FROM complaint_updates u WHERE u.complaint_id = c.id)
     ORDER BY c.opened_at, c.id LIMIT ?`,
  ).all(r.from, r.to, cutoff, limit) as OverdueComplaintRow[];
}

export function householdCount(db: Db): number {
  return (stmt(db, 'SELECT count(*) AS n FROM households').get() as { n: number }).n;
}

export function householdsInCommunity(db: Db, community: string): number {
  return (
    stmt(db, 'SELECT count(*) AS n FROM households WHERE community = ?').get(community) as {
      n: number;
    }
  ).n;
}

export function clerkNames(
  db: Db,
  ids: readonly string[],
): Map<string, { name: string; code: string }> {
  const out = new Map<string, { name: string; code: string }>();
  const q = stmt(db, 'SELECT name, code FROM clerks WHERE id = ?');
  for (const id of ids) {
    const row = q.get(id) as { name: string; code: string } | undefined;
    if (row) out.set(id, row);
  }
  return out;
}
