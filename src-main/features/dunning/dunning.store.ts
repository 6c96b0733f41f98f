import type { Db } from '../../ledger/db';
import type { HouseholdRow } from '../households/households.store';
import { stmt } from '../../ledger/statements';
import { householdLog } from './service-log.store';

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
 * Every household with a past season owing, in household-id order: (hid, seasons overdue, arrears)
 * plus what the list filters and sorts on. One pass over the charges in primary-key order (already
 * grouped by household, so no temporary B-tree, and the households lookups go in id order); the
 * exact balance (payments here and adjustments by primary key) only for candidate seasons: a season
 * can owe only when charge + adjustments > paid elsewhere, i.e. charge > paid elsewhere or a
 * positive adjustment (back-charge, late fee, resume…) lifts it. Nothing is added to the payment
 * path (no trigger, no index).
 */
const OVERDUE_SET_SQL = `WITH past AS (SELECT id FROM seasons WHERE code < @current),
   overdue AS (
     SELECT c.household_id AS hid, count(*) AS n, sum(${BALANCE}) AS arrears
     FROM charges c ${BALANCE_JOINS}
     WHERE +c.season_id IN past
       AND (c.charge_fen > c.paid_elsewhere_fen
            OR (c.household_id, c.season_id) IN (SELECT household_id, season_id FROM season_adjustments WHERE adjust_fen > 0))
       AND ${BALANCE} > 0
     GROUP BY c.household_id)
   INSERT INTO temp.dunning_overdue (num, n, arrears, owed, acct, community)
   SELECT h.num, o.n, o.arrears, h.owed_fen, h.account_no, h.community
   FROM overdue o JOIN households h ON h.id = o.hid
   WHERE h.owed_fen > 0`;

/*
 * The overdue set lives in a TEMP table of this connection (never in the ledger file, never touched
 * by a payment) until the database changes — this connection's `total_changes()` or another
 * connection's commit (`PRAGMA data_version`) — or the current season does; what it was built
 * from is `db.cache.overdueSetKey`. The first whole-district list with a seasons filter pays for
 * the pass; the clerk's next pages, other amount / building / community filters and the export
 * read the small table.
 */

function memoKey(db: Db, current: string): string {
  const changes = (stmt(db, 'SELECT total_changes() AS n').get() as { n: number }).n;
  return `${current}|${String(db.pragma('data_version', { simple: true }))}|${changes}`;
}

function refreshOverdueSet(db: Db, current: string): void {
  if (db.cache.overdueSetKey === memoKey(db, current)) return;
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS dunning_overdue (
             num INTEGER PRIMARY KEY, n INTEGER NOT NULL, arrears INTEGER NOT NULL, owed INTEGER NOT NULL,
             acct TEXT NOT NULL, community TEXT NOT NULL)`);
  db.transaction(() => {
    stmt(db, 'DELETE FROM temp.dunning_overdue').run();
    stmt(db, OVERDUE_SET_SQL).run({ current });
  })();
  db.cache.overdueSetKey = memoKey(db, current); // after the temp writes, which count as changes
}

type Params = Record<string, string | number>;

/** Adds the community (compared with `communityColumn`) and building filters, when given. */
function placeFilters(f: ArrearsFilter, communityColumn: string, parts: string[], params: Params) {
  if (f.community !== undefined) {
    parts.push(`${communityColumn} = @community`);
    params.community = f.community;
  }
  if (f.building !== undefined) {
    parts.push('h.building = @building');
    params.building = f.building;
  }
}

/** Filters on the overdue set (`o`; the building from the household row `h`). */
function setWhere(f: ArrearsFilter): { sql: string; params: Params } {
  const parts = ['o.n >= @seasons', 'o.owed >= @min'];
  const params: Params = { seasons: f.minSeasonsOverdue, min: Math.max(1, f.minOwedFen) };
  placeFilters(f, 'o.community', parts, params);
  return { sql: parts.join(' AND '), params };
}

/**
 * WHERE clause of the arrears list. Built from the filters given (no `? IS NULL OR` tricks) so the
 * planner can use the partial indexes of migration 0009: `households_owed` ordered by the amount,
 * `households_community_owed` inside one community / building. `owed_fen > 0` is literal so the
 * partial indexes apply.
 */
function where(f: ArrearsFilter): { sql: string; params: Params } {
  const parts = ['h.owed_fen > 0', 'h.owed_fen >= @min'];
  const params: Params = { min: Math.max(1, f.minOwedFen), current: f.currentSeasonCode };
  placeFilters(f, 'h.community', parts, params);
  if (f.minSeasonsOverdue > 0) {
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
 * With a seasons filter over the whole district the overdue set serves the list; inside one
 * community too when the set is at hand (otherwise the correlated count over the community's
 * households, a few charges each by primary key, is cheaper than building the set).
 */
function useSet(db: Db, f: ArrearsFilter): boolean {
  if (f.minSeasonsOverdue <= 0) return false;
  return f.community === undefined || db.cache.overdueSetKey === memoKey(db, f.currentSeasonCode);
}

type Totals = { count: number; owedFen: number };

/**
 * The seasons overdue and arrears kept on the household row (0022: `overdue_seasons`,
 * `overdue_fen`, over the seasons before the newest one) answer when the current season is the
 * newest — always, once a season has started; between the import of next season's charges and its
 * first day the list computes them as before.
 */
function keptColumnsServe(db: Db, f: ArrearsFilter): boolean {
  const newest = stmt(db, 'SELECT max(code) FROM seasons').pluck().get() as string | null;
  return newest !== null && newest === f.currentSeasonCode;
}

/** The list from the kept columns: the partial index `households_overdue` with a seasons filter. */
function keptPageAndTotals(
  db: Db,
  f: ArrearsFilter,
  limit: number,
  offset: number,
): { rows: ArrearsRow[]; totals: Totals } {
  const parts = ['h.owed_fen > 0', 'h.owed_fen >= @min'];
  const params: Params = { min: Math.max(1, f.minOwedFen) };
  if (f.minSeasonsOverdue > 0) {
    // literal, so the partial index households_overdue applies
    parts.push('h.overdue_seasons > 0', 'h.overdue_seasons >= @seasons');
    params.seasons = f.minSeasonsOverdue;
  }
  placeFilters(f, 'h.community', parts, params);
  const sql = parts.join(' AND ');
  const rows = stmt(
    db,
    `SELECT h.*, h.overdue_seasons AS seasons_overdue, h.overdue_fen AS arrears_fen, ${ROW_EXTRAS}
     FROM households h WHERE ${sql}
     ORDER BY h.owed_fen DESC, h.account_no LIMIT @limit OFFSET @offset`,
  ).all({ ...params, limit, offset }) as ArrearsRow[];
  return { rows, totals: keptTotals(db, f) ?? countedTotals(db, sql, params) };
}

function countedTotals(db: Db, sql: string, params: Params): Totals {
  return stmt(
    db,
    `SELECT count(*) AS count, coalesce(sum(h.owed_fen), 0) AS owedFen FROM households h WHERE ${sql}`,
  ).get(params) as Totals;
}

/**
 * The totals of the whole district or one community from `arrears_totals` (0022: per community and
 * seasons overdue, over the households owing anything); null with an amount or building filter,
 * which the index of the list answers.
 */
function keptTotals(db: Db, f: ArrearsFilter): Totals | null {
  if (f.building !== undefined || f.minOwedFen > 1) return null;
  const community = f.community === undefined ? '' : 'AND community = @community';
  return stmt(
    db,
    `SELECT coalesce(sum(households), 0) AS count, coalesce(sum(owed_fen), 0) AS owedFen
     FROM arrears_totals WHERE overdue_seasons >= @seasons ${community}`,
  ).get({
    seasons: f.minSeasonsOverdue,
    ...(f.community === undefined ? {} : { community: f.community }),
  }) as Totals;
}

/** A page of the arrears list, biggest amount owed first (ties by account no.), and the totals. */
export function arrearsPageAndTotals(
  db: Db,
  f: ArrearsFilter,
  limit: number,
  offset: number,
): { rows: ArrearsRow[]; totals: Totals } {
  if (impossible(db, f)) return { rows: [], totals: { count: 0, owedFen: 0 } };
  if (keptColumnsServe(db, f)) return keptPageAndTotals(db, f, limit, offset);
  if (useSet(db, f)) {
    refreshOverdueSet(db, f.currentSeasonCode);
    const w = setWhere(f);
    const join = f.building === undefined ? '' : 'JOIN households h ON h.num = o.num';
    const rows = stmt(
      db,
      `SELECT h.*, x.n AS seasons_overdue, x.arrears AS arrears_fen, ${ROW_EXTRAS}
       FROM (SELECT o.num, o.n, o.arrears, o.owed, o.acct FROM temp.dunning_overdue o ${join}
             WHERE ${w.sql} ORDER BY o.owed DESC, o.acct LIMIT @limit OFFSET @offset) x
       JOIN households h ON h.num = x.num
       ORDER BY x.owed DESC, x.acct`,
    ).all({ ...w.params, limit, offset }) as ArrearsRow[];
    const totals = stmt(
      db,
      `SELECT count(*) AS count, coalesce(sum(o.owed), 0) AS owedFen FROM temp.dunning_overdue o ${join}
       WHERE ${w.sql}`,
    ).get(w.params) as Totals;
    return { rows, totals };
  }
  const w = where(f);
  const rows = stmt(
    db,
    `SELECT h.*, ${OVERDUE_SEASONS} AS seasons_overdue, ${ARREARS_FEN} AS arrears_fen, ${ROW_EXTRAS}
     FROM households h WHERE ${w.sql}
     ORDER BY h.owed_fen DESC, h.account_no LIMIT @limit OFFSET @offset`,
  ).all({ ...w.params, limit, offset }) as ArrearsRow[];
  const totals = stmt(
    db,
    `SELECT count(*) AS count, coalesce(sum(h.owed_fen), 0) AS owedFen FROM households h WHERE ${w.sql}`,
  ).get(w.params) as Totals;
  return { rows, totals };
}

/** One page of the arrears list, biggest amount owed first (ties by account no.). */
export function arrearsPage(db: Db, f: ArrearsFilter, limit: number, offset: number): ArrearsRow[] {
  return arrearsPageAndTotals(db, f, limit, offset).rows;
}

/** How many households match and what they owe in total. */
export function arrearsTotals(db: Db, f: ArrearsFilter): Totals {
  return arrearsPageAndTotals(db, f, 0, 0).totals;
}

/** A dunning contact as the history shows it. */
export interface ContactEntry {
  id: string;
  channel: 'phone' | 'sms' | 'visit';
  outcome: 'reached' | 'no_answer' | 'promised' | 'refused' | 'wrong_number' | 'other';
  promisedOn: string | null;
  note: string;
  clerkName: string | null;
  occurredAt: string;
}

export function contactsOf(db: Db, householdId: string, limit = 200): ContactEntry[] {
  const entry = `t.id, t.channel, t.outcome, t.promised_on AS promisedOn, t.note, k.name AS clerkName,
                 t.occurred_at AS occurredAt`;
  return householdLog(db, 'dunning_contacts', entry, householdId, limit);
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
