import {
  DEFAULT_RULE_SETTINGS,
  type RuleSettings,
} from '@heating-cashier/core/contract/rules-events';
import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';
import {
  terminalSignatureIfKeyed,
  writeRate,
  writeSeason,
  type RateRecord,
} from '../sync/master-rows.store';

export interface SeasonRow {
  id: string;
  code: string;
  starts_on: string;
  ends_on: string;
  no_heat_deadline: string | null;
  no_heat_ratio_pct: number;
}

export interface SeasonRulesRow {
  season_id: string;
  late_fee_starts_after: string | null;
  late_fee_daily_permyriad: number | null;
  late_fee_cap_pct: number | null;
  early_discount_until: string | null;
  early_discount_pct: number | null;
}

/** The row `sql` finds, or null. */
function one<T>(db: Db, sql: string, ...params: unknown[]): T | null {
  return (stmt(db, sql).get(...params) as T | undefined) ?? null;
}

export function allSeasons(db: Db): SeasonRow[] {
  return stmt(db, 'SELECT * FROM seasons ORDER BY code').all() as SeasonRow[];
}

export function seasonRow(db: Db, seasonId: string): SeasonRow | null {
  return one(db, 'SELECT * FROM seasons WHERE id = ?', seasonId);
}

/** The season a no-heat application or inspection is about by default: the first not yet ended. */
export function upcomingSeason(db: Db, businessDate: string): SeasonRow | null {
  return one(
    db,
    'SELECT * FROM seasons WHERE ends_on >= ? ORDER BY starts_on LIMIT 1',
    businessDate,
  );
}

/** The first season that starts after the business date (advance payment, 预交). */
export function nextSeason(db: Db, businessDate: string): SeasonRow | null {
  return one(
    db,
    'SELECT * FROM seasons WHERE starts_on > ? ORDER BY starts_on LIMIT 1',
    businessDate,
  );
}

export function seasonRules(db: Db, seasonId: string): SeasonRulesRow | null {
  return one(db, 'SELECT * FROM season_rules WHERE season_id = ?', seasonId);
}

/**
 * Inserts or updates a season configured at this counter (a `season.configured` event), signed with
 * the terminal key (sync/master-rows.store.ts); head office's seasons are written by sync/apply.
 */
export function upsertSeason(
  db: Db,
  seasonId: string,
  s: {
    code: string;
    startsOn: string;
    endsOn: string;
    noHeatDeadline: string | null;
    noHeatRatioPct: number;
  },
): void {
  const record = {
    id: seasonId,
    code: s.code,
    startsOn: s.startsOn,
    endsOn: s.endsOn,
    noHeatDeadline: s.noHeatDeadline,
    noHeatRatioPct: s.noHeatRatioPct,
  };
  writeSeason(db, record, terminalSignatureIfKeyed(db, 'seasons', record));
}

/** A rate configured at this counter (a `season.configured` event), signed with the terminal key. */
export function upsertRate(db: Db, seasonId: string, category: string, fenPerM2: number): void {
  // the event's rates are keyed by category (core rules-events: z.record(category, fen))
  const record = { seasonId, category: category as RateRecord['category'], rateFenPerM2: fenPerM2 };
  writeRate(db, record, terminalSignatureIfKeyed(db, 'rates', record));
}

export function seasonRates(db: Db, seasonId: string): Record<string, number> {
  const rows = stmt(
    db,
    'SELECT category, rate_fen_per_m2 AS fen FROM rates WHERE season_id = ?',
  ).all(seasonId) as { category: string; fen: number }[];
  return Object.fromEntries(rows.map((r) => [r.category, r.fen]));
}

export function ruleSettings(db: Db): RuleSettings {
  const rows = stmt(db, 'SELECT key, value FROM rule_settings').all() as {
    key: string;
    value: string;
  }[];
  const out: Record<string, unknown> = { ...DEFAULT_RULE_SETTINGS };
  for (const r of rows) if (r.key in out) out[r.key] = JSON.parse(r.value) as unknown;
  return out as unknown as RuleSettings;
}

export interface NoHeatRow {
  household_id: string;
  season_id: string;
  application_id: string;
  ratio_pct: number;
  active: number;
  late_approved_by: string | null;
}

/** A reader of one household's row for a season (`select`: the SELECT … FROM part). */
function householdSeasonRow<T>(select: string) {
  const sql = `${select} WHERE household_id = ? AND season_id = ?`;
  return (db: Db, householdId: string, seasonId: string): T | null =>
    one(db, sql, householdId, seasonId);
}

export const noHeatStatus = householdSeasonRow<NoHeatRow>('SELECT * FROM no_heat_status');

/** Sum of one household's adjustments of the given kinds in a season. */
export function adjustmentSum(
  db: Db,
  householdId: string,
  seasonId: string,
  kinds: readonly string[],
): number {
  const row = db
    .prepare(
      `SELECT coalesce(sum(amount_fen), 0) AS fen FROM charge_adjustments
       WHERE household_id = ? AND season_id = ? AND kind IN (${kinds.map(() => '?').join(', ')})`,
    )
    .get(householdId, seasonId, ...kinds) as { fen: number };
  return row.fen;
}

export const chargeRow = householdSeasonRow<{ charge_fen: number; paid_elsewhere_fen: number }>(
  'SELECT charge_fen, paid_elsewhere_fen FROM charges',
);

export const subsidyReceivable = householdSeasonRow<{ share_fen: number; received_fen: number }>(
  'SELECT share_fen, received_fen FROM subsidy_receivables',
);

export function isSyncConfigured(db: Db): boolean {
  const row = stmt(db, 'SELECT head_office_url FROM sync_state WHERE singleton = 1').get() as
    { head_office_url: string | null } | undefined;
  return Boolean(row?.head_office_url);
}
