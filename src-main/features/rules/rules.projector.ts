import { isCounterEditField, recordCounterEdit } from '../households/counter-edits.store';
import type { rulesEventPayloads } from '@heating-cashier/core/contract/rules-events';
import { canonicalJson } from '@heating-cashier/core/canonical-json';
import type { EventPayload, LedgerEvent } from '@heating-cashier/core/contract/events';
import type { Db } from '../../ledger/db';
import { householdById, upsertHousehold, type Category } from '../households/households.store';
import { stmt } from '../../ledger/statements';
import { upsertRate, upsertSeason } from './rules.store';
import { terminalSignatureIfKeyed, writeCharge } from '../sync/master-rows.store';

type RulesEventType = keyof typeof rulesEventPayloads;
type Handler<T extends RulesEventType> = (db: Db, e: LedgerEvent<T>, p: EventPayload<T>) => void;

export type AdjustmentKind =
  | 'no_heat'
  | 'resume'
  | 'reduction'
  | 'write_off'
  | 'subsidy'
  | 'back_charge'
  | 'rerate'
  | 'credit_out'
  | 'credit_in'
  | 'late_fee'
  | 'early_discount';

/**
 * One signed adjustment of a household's season charge (`at`: the event's own household and
 * season unless it moves money between seasons), and the per-season sum it feeds.
 */
function addAdjustment(
  db: Db,
  e: LedgerEvent,
  at: { householdId: string; seasonId: string },
  a: {
    id: string;
    kind: AdjustmentKind;
    amountFen: number;
    reason: string;
    approvedBy?: readonly string[];
  },
): void {
  if (a.amountFen === 0) return;
  stmt(
    db,
    `INSERT INTO charge_adjustments (id, household_id, season_id, kind, amount_fen, reason, approved_by,
                                     business_date, clerk_id, seq)
     VALUES (@id, @householdId, @seasonId, @kind, @amountFen, @reason, @approvedBy, @businessDate, @clerkId, @seq)`,
  ).run({
    ...a,
    householdId: at.householdId,
    seasonId: at.seasonId,
    approvedBy: JSON.stringify(a.approvedBy ?? []),
    ...booked(e),
  });
  stmt(
    db,
    `INSERT INTO season_adjustments (household_id, season_id, adjust_fen) VALUES (?, ?, ?)
     ON CONFLICT (household_id, season_id) DO UPDATE SET adjust_fen = adjust_fen + excluded.adjust_fen`,
  ).run(at.householdId, at.seasonId, a.amountFen);
}

/** The columns a booking row takes from its event: the business date, the clerk, the ledger seq. */
function booked(e: LedgerEvent) {
  return { businessDate: e.businessDate, clerkId: e.clerkId, seq: e.seq };
}

/** The approver list of an adjustment approved by at most one clerk. */
const approverList = (clerkId: string | null): string[] => (clerkId ? [clerkId] : []);

function setNoHeatFlag(db: Db, householdId: string): void {
  const active = stmt(
    db,
    'SELECT count(*) AS n FROM no_heat_status WHERE household_id = ? AND active = 1',
  ).get(householdId) as { n: number };
  stmt(db, 'UPDATE households SET no_heat = ? WHERE id = ?').run(active.n > 0 ? 1 : 0, householdId);
}

const PERSONAL = ['occupation', 'workUnit', 'economicSituation', 'subsidyEligible'] as const;

/** Projections of the heating-fee rule events (migration 0007_domain_rules). */
export const rulesProjectors: { [T in RulesEventType]: Handler<T> } = {
  'season.configured': (db, e, p) => {
    upsertSeason(db, p.seasonId, p);
    for (const [category, fen] of Object.entries(p.rates))
      upsertRate(db, p.seasonId, category, fen);
    stmt(
      db,
      `INSERT INTO season_rules (season_id, late_fee_starts_after, late_fee_daily_permyriad, late_fee_cap_pct,
                                 early_discount_until, early_discount_pct, seq)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (season_id) DO UPDATE SET late_fee_starts_after = excluded.late_fee_starts_after,
         late_fee_daily_permyriad = excluded.late_fee_daily_permyriad, late_fee_cap_pct = excluded.late_fee_cap_pct,
         early_discount_until = excluded.early_discount_until, early_discount_pct = excluded.early_discount_pct,
         seq = excluded.seq`,
    ).run(
      p.seasonId,
      p.rules.lateFee?.startsAfter ?? null,
      p.rules.lateFee?.dailyPermyriad ?? null,
      p.rules.lateFee?.capPct ?? null,
      p.rules.earlyDiscount?.until ?? null,
      p.rules.earlyDiscount?.pct ?? null,
      e.seq,
    );
  },
  'rules.settingsChanged': (db, e, p) => {
    const put = stmt(
      db,
      `INSERT INTO rule_settings (key, value, seq) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, seq = excluded.seq`,
    );
    put.run('reliefApprovals', JSON.stringify(p.reliefApprovals), e.seq);
    put.run('noHeatRequiresArrearsCleared', JSON.stringify(p.noHeatRequiresArrearsCleared), e.seq);
    put.run('advancePayment', JSON.stringify(p.advancePayment), e.seq);
  },
  'noheat.applied': (db, e, p) => {
    addAdjustment(db, e, p, {
      id: p.applicationId,
      kind: 'no_heat',
      amountFen: p.adjustmentFen,
      reason: p.reason,
      approvedBy: approverList(p.lateApprovedBy),
    });
    stmt(
      db,
      `INSERT INTO no_heat_status (household_id, season_id, application_id, ratio_pct, active, late_approved_by, applied_seq)
       VALUES (?, ?, ?, ?, 1, ?, ?)
       ON CONFLICT (household_id, season_id) DO UPDATE SET application_id = excluded.application_id,
         ratio_pct = excluded.ratio_pct, active = 1, late_approved_by = excluded.late_approved_by,
         applied_seq = excluded.applied_seq, resumed_seq = NULL`,
    ).run(p.householdId, p.seasonId, p.applicationId, p.ratioPct, p.lateApprovedBy, e.seq);
    setNoHeatFlag(db, p.householdId);
  },
  'noheat.resumed': (db, e, p) => {
    addAdjustment(db, e, p, {
      id: e.id,
      kind: 'resume',
      amountFen: p.adjustmentFen,
      reason: p.reason,
    });
    stmt(
      db,
      'UPDATE no_heat_status SET active = 0, resumed_seq = ? WHERE household_id = ? AND season_id = ?',
    ).run(e.seq, p.householdId, p.seasonId);
    setNoHeatFlag(db, p.householdId);
  },
  'relief.granted': (db, e, p) => {
    addAdjustment(db, e, p, {
      id: p.reliefId,
      kind: p.kind,
      amountFen: -p.amountFen,
      reason: p.reason,
      approvedBy: p.approvers,
    });
  },
  'household.updated': (db, e, p) => {
    const h = householdById(db, p.householdId);
    if (h) {
      const next = { ...h };
      for (const [field, change] of Object.entries(p.changes)) {
        if (field === 'name' || field === 'phone') next[field] = String(change.to);
        else if (field === 'areaHundredths') next.areaHundredths = Number(change.to);
        else if (field === 'category') next.category = String(change.to) as Category;
        else if (field === 'subsidised') next.subsidised = change.to === true;
        if (isCounterEditField(field))
          recordCounterEdit(db, p.householdId, field, change.to, e.seq, e.occurredAt);
      }
      upsertHousehold(db, next);
    }
    const personal = Object.entries(p.changes).filter(([f]) =>
      (PERSONAL as readonly string[]).includes(f),
    );
    if (personal.length > 0) {
      stmt(
        db,
        'INSERT INTO household_personal (household_id) VALUES (?) ON CONFLICT (household_id) DO NOTHING',
      ).run(p.householdId);
      for (const [field, change] of personal) {
        const column = {
          occupation: 'occupation',
          workUnit: 'work_unit',
          economicSituation: 'economic_situation',
          subsidyEligible: 'subsidy_eligible',
        }[field as (typeof PERSONAL)[number]];
        const value = typeof change.to === 'boolean' ? Number(change.to) : change.to;
        stmt(db, `UPDATE household_personal SET ${column} = ? WHERE household_id = ?`).run(
          value,
          p.householdId,
        );
      }
    }
    stmt(
      db,
      `INSERT INTO household_changes (seq, household_id, changes, reason, approved_by, clerk_id, at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      e.seq,
      p.householdId,
      canonicalJson(p.changes),
      p.reason,
      p.approvedBy,
      e.clerkId,
      e.occurredAt,
    );
    const approvedBy = approverList(p.approvedBy);
    for (const r of p.rerate) {
      // a re-rate moves the base charge, and the no-heat adjustment with it when no-heat is on
      const moves = [
        { id: r.adjustmentId, kind: 'rerate', amountFen: r.adjustmentFen },
        { id: `${r.adjustmentId}:nh`, kind: 'no_heat', amountFen: r.noHeatCorrectionFen },
      ] as const;
      const at = { householdId: p.householdId, seasonId: r.seasonId };
      for (const m of moves) addAdjustment(db, e, at, { ...m, reason: p.reason, approvedBy });
    }
  },
  'inspection.recorded': (db, e, p) => {
    stmt(
      db,
      `INSERT INTO inspections (id, household_id, season_id, finding, drawing_heat, back_charge_fen, approved_by,
                                inspected_on, clerk_id, seq)
       VALUES (@inspectionId, @householdId, @seasonId, @finding, @drawingHeat, @backChargeFen, @approvedBy,
               @businessDate, @clerkId, @seq)`,
    ).run({ ...p, drawingHeat: Number(p.drawingHeat), ...booked(e) });
    addAdjustment(db, e, p, {
      id: p.inspectionId,
      kind: 'back_charge',
      amountFen: p.backChargeFen,
      reason: p.finding,
      approvedBy: approverList(p.approvedBy),
    });
  },
  'subsidy.assigned': (db, e, p) => {
    addAdjustment(db, e, p, {
      id: p.adjustmentId,
      kind: 'subsidy',
      amountFen: p.previousShareFen - p.shareFen,
      reason: p.reason,
      approvedBy: [p.approvedBy],
    });
    stmt(
      db,
      `INSERT INTO subsidy_receivables (household_id, season_id, share_fen, assigned_seq) VALUES (?, ?, ?, ?)
       ON CONFLICT (household_id, season_id) DO UPDATE SET share_fen = excluded.share_fen,
         assigned_seq = excluded.assigned_seq`,
    ).run(p.householdId, p.seasonId, p.shareFen, e.seq);
  },
  'subsidy.received': (db, e, p) => {
    stmt(
      db,
      `INSERT INTO subsidy_receipts (id, household_id, season_id, amount_fen, reference, business_date, clerk_id, seq)
       VALUES (@subsidyReceiptId, @householdId, @seasonId, @amountFen, @reference, @businessDate, @clerkId, @seq)`,
    ).run({ ...p, ...booked(e) });
    stmt(
      db,
      'UPDATE subsidy_receivables SET received_fen = received_fen + ? WHERE household_id = ? AND season_id = ?',
    ).run(p.amountFen, p.householdId, p.seasonId);
  },
  'charge.assessed': (db, _e, p) => {
    // An advance charge assessed here, signed with the terminal key; never replaces one head office sent.
    const record = {
      householdId: p.householdId,
      seasonId: p.seasonId,
      chargeFen: p.chargeFen,
      paidBeforeFen: 0,
    };
    writeCharge(db, record, terminalSignatureIfKeyed(db, 'charges', record), 'keep');
  },
  'credit.applied': (db, e, p) => {
    for (const t of p.transfers) {
      const reason = `credit ${t.fromSeasonId} -> ${t.toSeasonId}`;
      const out = { householdId: p.householdId, seasonId: t.fromSeasonId };
      const into = { householdId: p.householdId, seasonId: t.toSeasonId };
      addAdjustment(db, e, out, {
        id: t.adjustmentId,
        kind: 'credit_out',
        amountFen: t.amountFen,
        reason,
      });
      addAdjustment(db, e, into, {
        id: `${t.adjustmentId}:in`,
        kind: 'credit_in',
        amountFen: -t.amountFen,
        reason,
      });
    }
  },
  'fee.assessed': (db, e, p) => {
    addAdjustment(db, e, p, {
      id: p.adjustmentId,
      kind: p.kind,
      amountFen: p.amountFen,
      reason: `${p.kind} ${p.asOf}`,
    });
  },
};

/** Projection tables of the heating-fee rules, in dependency order (children last). */
export const RULES_PROJECTION_TABLES = [
  { table: 'season_rules', order: 'season_id' },
  { table: 'rule_settings', order: 'key' },
  { table: 'charge_adjustments', order: 'id' },
  { table: 'season_adjustments', order: 'household_id, season_id' },
  { table: 'no_heat_status', order: 'household_id, season_id' },
  { table: 'inspections', order: 'id' },
  { table: 'subsidy_receivables', order: 'household_id, season_id' },
  { table: 'subsidy_receipts', order: 'id' },
  { table: 'household_changes', order: 'seq' },
  { table: 'household_personal', order: 'household_id' },
  { table: 'household_counter_edits', order: 'household_id, field' },
] as const;
