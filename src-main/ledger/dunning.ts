import type { Db } from './db';
import type { HouseholdRow } from './households';
import { stmt } from './statements';

export interface ArrearsFilter {
  community?: string | undefined;
  building?: string | undefined;
  /** Only households owing at least this much (fen); at least 1. */
  minOwedFen: number;
  /** Only households with at least this many past seasons unpaid (0 = any). */
  minSeasonsOverdue: number;
  /** Seasons older than this code are overdue (the current season is not). */
  currentSeasonCode: string;
}

export type ArrearsRow = HouseholdRow & {
  seasons_overdue: number;
  arrears_fen: number;
  last_contact_at: string | null;
  last_contact_outcome: string | null;
  notices: number;
};

/** Past seasons with a balance > 0 of household `h` (correlated; uses the charges primary key). */
const OVERDUE_SEASONS = `(SELECT count(*) FROM charges c JOIN seasons s ON s.id = c.season_id
   LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
   WHERE c.household_id = h.id AND s.code < @current
     AND c.charge_fen - c.paid_elsewhere_fen - coalesce(p.paid_fen, 0) > 0)`;

const ARREARS_FEN = `(SELECT coalesce(sum(c.charge_fen - c.paid_elsewhere_fen - coalesce(p.paid_fen, 0)), 0)
   FROM charges c JOIN seasons s ON s.id = c.season_id
   LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
   WHERE c.household_id = h.id AND s.code < @current
     AND c.charge_fen - c.paid_elsewhere_fen - coalesce(p.paid_fen, 0) > 0)`;

/**
 * WHERE clause of the arrears list. Built from the filters given (no `? IS NULL OR` tricks) so the
 * planner can use the partial indexes of migration 0009: `households_owed` ordered by the amount,
 * `households_community_owed` inside one community / building. `owed_fen > 0` is literal so the
 * partial indexes apply.
 */
function where(f: ArrearsFilter): { sql: string; params: Record<string, string | number> } {
  const parts = ['h.owed_fen > 0', 'h.owed_fen >= @min'];
  const params: Record<string, string | number> = {
    min: Math.max(1, f.minOwedFen),
    current: f.currentSeasonCode,
  };
  if (f.community !== undefined) {
    parts.push('h.community = @community');
    params.community = f.community;
  }
  if (f.building !== undefined) {
    parts.push('h.building = @building');
    params.building = f.building;
  }
  if (f.minSeasonsOverdue > 0) {
    parts.push(`${OVERDUE_SEASONS} >= @seasons`);
    params.seasons = f.minSeasonsOverdue;
  }
  return { sql: parts.join(' AND '), params };
}

/** One page of the arrears list, biggest amount owed first (ties by account no.). */
export function arrearsPage(db: Db, f: ArrearsFilter, limit: number, offset: number): ArrearsRow[] {
  const w = where(f);
  return stmt(
    db,
    `SELECT h.*, ${OVERDUE_SEASONS} AS seasons_overdue, ${ARREARS_FEN} AS arrears_fen,
            (SELECT occurred_at FROM dunning_contacts d WHERE d.household_id = h.id ORDER BY seq DESC LIMIT 1) AS last_contact_at,
            (SELECT outcome FROM dunning_contacts d WHERE d.household_id = h.id ORDER BY seq DESC LIMIT 1) AS last_contact_outcome,
            (SELECT count(*) FROM dunning_notices n WHERE n.household_id = h.id) AS notices
     FROM households h WHERE ${w.sql}
     ORDER BY h.owed_fen DESC, h.account_no LIMIT @limit OFFSET @offset`,
  ).all({ ...w.params, limit, offset }) as ArrearsRow[];
}

/**
 * How many households match and what they owe in total. With a seasons-overdue filter over the whole
 * district, one grouped pass over the past seasons' charges beats a correlated count per household
 * (measured on 500k households: ~1.2 s vs ~4.3 s); inside one community the correlated count wins.
 */
export function arrearsTotals(db: Db, f: ArrearsFilter): { count: number; owedFen: number } {
  if (f.minSeasonsOverdue > 0 && f.community === undefined) {
    return stmt(
      db,
      `WITH overdue AS (
         SELECT c.household_id AS hid FROM charges c JOIN seasons s ON s.id = c.season_id
         LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
         WHERE s.code < @current AND c.charge_fen - c.paid_elsewhere_fen - coalesce(p.paid_fen, 0) > 0
         GROUP BY c.household_id HAVING count(*) >= @seasons)
       SELECT count(*) AS count, coalesce(sum(h.owed_fen), 0) AS owedFen
       FROM overdue o JOIN households h ON h.id = o.hid
       WHERE h.owed_fen > 0 AND h.owed_fen >= @min${f.building === undefined ? '' : ' AND h.building = @building'}`,
    ).get({
      current: f.currentSeasonCode,
      seasons: f.minSeasonsOverdue,
      min: Math.max(1, f.minOwedFen),
      ...(f.building === undefined ? {} : { building: f.building }),
    }) as { count: number; owedFen: number };
  }
  const w = where(f);
  const row = stmt(
    db,
    `SELECT count(*) AS count, coalesce(sum(h.owed_fen), 0) AS owedFen FROM households h WHERE ${w.sql}`,
  ).get(w.params) as { count: number; owedFen: number };
  return row;
}

export interface ContactRow {
  id: string;
  household_id: string;
  channel: 'phone' | 'sms' | 'visit';
  outcome: 'reached' | 'no_answer' | 'promised' | 'refused' | 'wrong_number' | 'other';
  promised_on: string | null;
  note: string;
  clerk_id: string | null;
  clerk_name: string | null;
  occurred_at: string;
  seq: number;
}

export function contactsOf(db: Db, householdId: string, limit = 200): ContactRow[] {
  return stmt(
    db,
    `SELECT d.*, k.name AS clerk_name FROM dunning_contacts d LEFT JOIN clerks k ON k.id = d.clerk_id
     WHERE d.household_id = ? ORDER BY d.seq DESC LIMIT ?`,
  ).all(householdId, limit) as ContactRow[];
}

export interface NoticeRow {
  notice_no: string;
  household_id: string;
  format: 'thermal' | 'a4';
  total_fen: number;
  due_date: string;
  clerk_id: string | null;
  issued_at: string;
  seq: number;
}

export function noticesOf(db: Db, householdId: string, limit = 50): NoticeRow[] {
  return stmt(
    db,
    'SELECT * FROM dunning_notices WHERE household_id = ? ORDER BY seq DESC LIMIT ?',
  ).all(householdId, limit) as NoticeRow[];
}

/** Notices issued on one business day (for the next number); notice numbers embed the date. */
export function noticesWithPrefix(db: Db, prefix: string): number {
  return (
    stmt(db, 'SELECT count(*) AS n FROM dunning_notices WHERE notice_no LIKE ?').get(
      `${prefix}%`,
    ) as { n: number }
  ).n;
}

export interface FlagChangeRow {
  seq: number;
  household_id: string;
  flag: 'blacklisted' | 'legalAction';
  value: number;
  reason: string;
  approved_by: string;
  approver_name: string | null;
  changed_at: string;
}

export function flagChangesOf(db: Db, householdId: string): FlagChangeRow[] {
  return stmt(
    db,
    `SELECT f.*, k.name AS approver_name FROM household_flag_changes f LEFT JOIN clerks k ON k.id = f.approved_by
     WHERE f.household_id = ? ORDER BY f.seq DESC`,
  ).all(householdId) as FlagChangeRow[];
}
