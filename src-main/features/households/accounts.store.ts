import { seasonPosition } from '@heating-cashier/core/heating-rules';
import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';

export interface SeasonAccountRow {
  seasonId: string;
  seasonCode: string;
  rateFenPerM2: number;
  chargeFen: number;
  paidElsewhereFen: number;
  paidHereFen: number;
  balanceFen: number;
  /** The master charge before adjustments (chargeFen is after them: no-heat, reductions, …). */
  baseChargeFen: number;
  /** Signed sum of the season's adjustments (migration 0007_domain_rules). */
  adjustmentFen: number;
  /** Paid beyond the adjusted charge; applied to later charges with `credit.apply`. */
  creditFen: number;
}

/** Charge, payments and balance per season for one household, oldest season first. */
export function seasonAccounts(db: Db, householdId: string): SeasonAccountRow[] {
  const rows = stmt(
    db,
    `SELECT c.season_id AS seasonId, s.code AS seasonCode, coalesce(r.rate_fen_per_m2, 0) AS rateFenPerM2,
            c.charge_fen AS baseChargeFen, coalesce(a.adjust_fen, 0) AS adjustmentFen,
            c.paid_elsewhere_fen AS paidElsewhereFen, coalesce(p.paid_fen, 0) AS paidHereFen
     FROM charges c
     JOIN seasons s ON s.id = c.season_id
     JOIN households h ON h.id = c.household_id
     LEFT JOIN rates r ON r.season_id = c.season_id AND r.category = h.category
     LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
     LEFT JOIN season_adjustments a ON a.household_id = c.household_id AND a.season_id = c.season_id
     WHERE c.household_id = ?
     ORDER BY s.code`,
  ).all(householdId) as Omit<SeasonAccountRow, 'balanceFen' | 'chargeFen' | 'creditFen'>[];
  return rows.map((r) => {
    const pos = seasonPosition({ ...r, chargeFen: r.baseChargeFen });
    return {
      ...r,
      chargeFen: pos.effectiveChargeFen,
      balanceFen: pos.balanceFen,
      creditFen: pos.creditFen,
    };
  });
}

/** What the household still owes over all seasons (kept on the household row by triggers, migration 0006). */
export function owedFen(db: Db, householdId: string): number {
  const row = stmt(db, 'SELECT owed_fen FROM households WHERE id = ?').get(householdId) as
    { owed_fen: number } | undefined;
  return row?.owed_fen ?? 0;
}

/** The current season: the latest one that has started by the business date (else the oldest). */
export function currentSeasonCode(db: Db, businessDate: string): string | null {
  const row = (stmt(
    db,
    'SELECT code FROM seasons WHERE starts_on <= ? ORDER BY code DESC LIMIT 1',
  ).get(businessDate) ?? stmt(db, 'SELECT code FROM seasons ORDER BY code LIMIT 1').get()) as
    { code: string } | undefined;
  return row?.code ?? null;
}
