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

/**
 * A season's balance, the same rule as `seasonAccounts` (src-main/ledger/accounts.ts) and the
 * `household_season_balances` view behind `owed_fen`: max(0, charge + adjustments) − paid elsewhere
 * − paid here, floored at 0 — no-heat ratio, reductions, write-offs, back-charges… all count.
 * Needs `c` (charges), `p` (season_payments) and `a` (season_adjustments) in scope.
 */
const BALANCE = `max(0, c.charge_fen + coalesce(a.adjust_fen, 0)) - c.paid_elsewhere_fen - coalesce(p.paid_fen, 0)`;
const BALANCE_JOINS = `LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
   LEFT JOIN season_adjustments a ON a.household_id = c.household_id AND a.season_id = c.season_id`;

/** Past seasons with a balance > 0 of household `h` (correlated; uses the charges primary key). */
const OVERDUE_SEASONS = `(SELECT count(*) FROM charges c JOIN seasons s ON s.id = c.season_id
   ${BALANCE_JOINS}
   WHERE c.household_id = h.id AND s.code < @current AND ${BALANCE} > 0)`;

const ARREARS_FEN = `(SELECT coalesce(sum(${BALANCE}), 0)
   FROM charges c JOIN seasons s ON s.id = c.season_id
   ${BALANCE_JOINS}
   WHERE c.household_id = h.id AND s.code < @current AND ${BALANCE} > 0)`;

/**
 * Households with at least @seasons past seasons owing, as (hid, overdue). One pass over the past
 * seasons' charges through the covering index `charges_season (season_id, charge_fen,
 * paid_elsewhere_fen)`, without touching the payment path (no trigger, no extra index).
 * Candidates: a season can only owe when charge + adjustments > paid elsewhere, i.e. either
 * charge > paid elsewhere (adjustment ≤ 0 or none) or a positive adjustment (back-charge, late fee,
 * resume…) lifts it — the second set is read from the small `season_adjustments` table. Only the
 * candidates get the exact balance (payments here and adjustments looked up by primary key).
 */
const OVERDUE_SET = `past AS (SELECT id FROM seasons WHERE code < @current),
   cand AS (
     SELECT c.household_id, c.season_id, c.charge_fen, c.paid_elsewhere_fen
     FROM charges c INDEXED BY charges_season
     WHERE c.season_id IN past AND c.charge_fen > c.paid_elsewhere_fen
     UNION ALL
     SELECT c.household_id, c.season_id, c.charge_fen, c.paid_elsewhere_fen
     FROM season_adjustments sa JOIN charges c ON c.household_id = sa.household_id AND c.season_id = sa.season_id
     WHERE sa.season_id IN past AND sa.adjust_fen > 0 AND c.charge_fen <= c.paid_elsewhere_fen),
   overdue AS (
     SELECT c.household_id AS hid, count(*) AS n, sum(${BALANCE}) AS arrears
     FROM cand c ${BALANCE_JOINS}
     WHERE ${BALANCE} > 0
     GROUP BY c.household_id HAVING count(*) >= @seasons)`;

/**
 * WHERE clause of the arrears list. Built from the filters given (no `? IS NULL OR` tricks) so the
 * planner can use the partial indexes of migration 0009: `households_owed` ordered by the amount,
 * `households_community_owed` inside one community / building. `owed_fen > 0` is literal so the
 * partial indexes apply.
 */
function where(
  f: ArrearsFilter,
  seasons: boolean,
): { sql: string; params: Record<string, string | number> } {
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
  if (seasons && f.minSeasonsOverdue > 0) {
    parts.push(`${OVERDUE_SEASONS} >= @seasons`);
    params.seasons = f.minSeasonsOverdue;
  }
  return { sql: parts.join(' AND '), params };
}

const ROW_EXTRAS = `(SELECT occurred_at FROM dunning_contacts d WHERE d.household_id = h.id ORDER BY seq DESC LIMIT 1) AS last_contact_at,
   (SELECT outcome FROM dunning_contacts d WHERE d.household_id = h.id ORDER BY seq DESC LIMIT 1) AS last_contact_outcome,
   (SELECT count(*) FROM dunning_notices n WHERE n.household_id = h.id) AS notices`;

/** Fewer past seasons than asked for: nothing can match (saves the scan). */
function impossible(db: Db, f: ArrearsFilter): boolean {
  if (f.minSeasonsOverdue <= 0) return false;
  const past = (
    stmt(db, 'SELECT count(*) AS n FROM seasons WHERE code < ?').get(f.currentSeasonCode) as {
      n: number;
    }
  ).n;
  return past < f.minSeasonsOverdue;
}

/**
 * The grouped pass pays off over many households; inside one community the correlated count
 * (a few charges per household, by primary key) is cheaper.
 */
const grouped = (f: ArrearsFilter) => f.minSeasonsOverdue > 0 && f.community === undefined;

type Totals = { count: number; owedFen: number };

/**
 * One page of the arrears list, biggest amount owed first (ties by account no.), and — when the
 * page is not empty and the grouped pass ran — the totals from the same pass (window aggregates).
 */
function pageWithTotals(
  db: Db,
  f: ArrearsFilter,
  limit: number,
  offset: number,
): { rows: ArrearsRow[]; totals: Totals | null } {
  if (impossible(db, f)) return { rows: [], totals: { count: 0, owedFen: 0 } };
  if (grouped(f)) {
    const w = where(f, false);
    const rows = stmt(
      db,
      `WITH ${OVERDUE_SET}
       SELECT h.*, o.n AS seasons_overdue, o.arrears AS arrears_fen, ${ROW_EXTRAS},
              count(*) OVER () AS total_count, sum(h.owed_fen) OVER () AS total_owed
       FROM overdue o JOIN households h ON h.id = o.hid
       WHERE ${w.sql}
       ORDER BY h.owed_fen DESC, h.account_no LIMIT @limit OFFSET @offset`,
    ).all({ ...w.params, seasons: f.minSeasonsOverdue, limit, offset }) as (ArrearsRow & {
      total_count: number;
      total_owed: number;
    })[];
    const first = rows[0];
    return {
      rows: rows.map(({ total_count: _c, total_owed: _o, ...r }) => r),
      totals: first ? { count: first.total_count, owedFen: first.total_owed } : null,
    };
  }
  const w = where(f, true);
  const rows = stmt(
    db,
    `SELECT h.*, ${OVERDUE_SEASONS} AS seasons_overdue, ${ARREARS_FEN} AS arrears_fen, ${ROW_EXTRAS}
     FROM households h WHERE ${w.sql}
     ORDER BY h.owed_fen DESC, h.account_no LIMIT @limit OFFSET @offset`,
  ).all({ ...w.params, limit, offset }) as ArrearsRow[];
  return { rows, totals: null };
}

/** One page of the arrears list, biggest amount owed first (ties by account no.). */
export function arrearsPage(db: Db, f: ArrearsFilter, limit: number, offset: number): ArrearsRow[] {
  return pageWithTotals(db, f, limit, offset).rows;
}

/** A page and the totals (count, amount owed) of the whole list, computing the grouped pass once. */
export function arrearsPageAndTotals(
  db: Db,
  f: ArrearsFilter,
  limit: number,
  offset: number,
): { rows: ArrearsRow[]; totals: Totals } {
  const page = pageWithTotals(db, f, limit, offset);
  return { rows: page.rows, totals: page.totals ?? arrearsTotals(db, f) };
}

/**
 * How many households match and what they owe in total. With a seasons-overdue filter over the whole
 * district, one grouped pass over the past seasons' candidate charges (see OVERDUE_SET); inside one
 * community the correlated count over its households.
 */
export function arrearsTotals(db: Db, f: ArrearsFilter): Totals {
  if (impossible(db, f)) return { count: 0, owedFen: 0 };
  if (grouped(f)) {
    const w = where(f, false);
    return stmt(
      db,
      `WITH ${OVERDUE_SET}
       SELECT count(*) AS count, coalesce(sum(h.owed_fen), 0) AS owedFen
       FROM overdue o JOIN households h ON h.id = o.hid
       WHERE ${w.sql}`,
    ).get({ ...w.params, seasons: f.minSeasonsOverdue }) as Totals;
  }
  const w = where(f, true);
  return stmt(
    db,
    `SELECT count(*) AS count, coalesce(sum(h.owed_fen), 0) AS owedFen FROM households h WHERE ${w.sql}`,
  ).get(w.params) as Totals;
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
