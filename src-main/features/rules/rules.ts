// Use cases of the heating-fee rules (issue 8). Every change is a ledger event (synced to head
// office); the figures are computed here with the pure rules of core/heating-rules and carried in
// the event, so a replay of the log gives the same projections.
import type { ParsedInput } from '@heating-cashier/core/contract/commands';
import type { RuleSettings } from '@heating-cashier/core/contract/rules-events';
import { computeChargeFen } from '@heating-cashier/core/fees';
import {
  checkApprovals,
  checkNoHeatDeadline,
  earlyDiscountFen,
  lateFeeFen,
  noHeatChargeFen,
  noHeatCorrectionFen,
  planCreditTransfers,
} from '@heating-cashier/core/heating-rules';
import { formatFen } from '@heating-cashier/core/money';
import { seasonAccounts } from '../households/accounts.store';
import type { ClerkRow } from '../session/clerks.store';
import {
  adjustmentSum,
  allSeasons,
  chargeRow,
  isSyncConfigured,
  nextSeason,
  noHeatStatus,
  ruleSettings,
  seasonRates,
  seasonRow,
  seasonRules,
  subsidyReceivable,
  upcomingSeason,
  type NoHeatRow,
  type SeasonRow,
} from './rules.store';
import { appendEvent, type AppendContext } from '../../ledger/event-log';
import { uuidv7 } from '../../ledger/ids';
import { approverVerifier, requireSupervisor } from '../session/auth';
import { ServiceError, type ServiceContext } from '../../services/context';
import { today, writeTransaction } from '../../ledger/transaction';
import { requireHousehold } from '../households/households';
import { requireSignedHouseholdRows } from '../sync/master-rows';

const NO_HEAT_KINDS = ['no_heat', 'resume'] as const;

function requireSeason(ctx: ServiceContext, seasonId: string | undefined): SeasonRow {
  const season = seasonId ? seasonRow(ctx.db, seasonId) : upcomingSeason(ctx.db, today(ctx));
  if (!season) throw new ServiceError('SEASON_NOT_FOUND');
  return season;
}

/** The household and season a command is about (by default the first season not yet ended). */
function householdSeason(ctx: ServiceContext, input: { householdId: string; seasonId?: string }) {
  return {
    household: requireHousehold(ctx, input.householdId),
    season: requireSeason(ctx, input.seasonId),
  };
}

function requireCharge(ctx: ServiceContext, householdId: string, season: SeasonRow) {
  const charge = chargeRow(ctx.db, householdId, season.id);
  if (!charge) throw new ServiceError('NO_CHARGE_FOR_SEASON', { season: season.code });
  return charge;
}

/** The same, for a command that changes the season's charge: the household must have one. */
function chargedHouseholdSeason(
  ctx: ServiceContext,
  input: { householdId: string; seasonId?: string },
) {
  const target = householdSeason(ctx, input);
  requireCharge(ctx, target.household.id, target.season);
  return target;
}

/** A supervisor approval given with the command, or null when none was given. */
function optionalSupervisor(
  ctx: ServiceContext,
  input: { supervisorCode?: string | undefined; supervisorPin?: string | undefined },
): ClerkRow | null {
  if (input.supervisorCode === undefined && input.supervisorPin === undefined) return null;
  if (input.supervisorCode === undefined || input.supervisorPin === undefined) {
    throw new ServiceError('NOT_SUPERVISOR');
  }
  return requireSupervisor(ctx, input.supervisorCode, input.supervisorPin);
}

function seasonState(ctx: ServiceContext, householdId: string, seasonId: string) {
  const s = seasonAccounts(ctx.db, householdId).find((a) => a.seasonId === seasonId);
  return {
    chargeFen: s?.chargeFen ?? 0,
    balanceFen: s?.balanceFen ?? 0,
    creditFen: s?.creditFen ?? 0,
  };
}

/** Base charge of a season: the master charge plus re-rates (before no-heat and reliefs). */
function baseCharge(ctx: ServiceContext, householdId: string, season: SeasonRow): number {
  return (
    requireCharge(ctx, householdId, season).charge_fen +
    adjustmentSum(ctx.db, householdId, season.id, ['rerate'])
  );
}

// ---------------------------------------------------------------- seasons, rates, settings

export function seasonViews(ctx: ServiceContext) {
  return allSeasons(ctx.db).map((s) => seasonView(ctx, s));
}

function seasonView(ctx: ServiceContext, s: SeasonRow) {
  const rates = seasonRates(ctx.db, s.id);
  const r = seasonRules(ctx.db, s.id);
  return {
    seasonId: s.id,
    code: s.code,
    startsOn: s.starts_on,
    endsOn: s.ends_on,
    noHeatDeadline: s.no_heat_deadline,
    noHeatRatioPct: s.no_heat_ratio_pct,
    rates: {
      residential: rates.residential ?? 0,
      commercial: rates.commercial ?? 0,
      public: rates.public ?? 0,
    },
    rules: {
      lateFee:
        r?.late_fee_starts_after != null
          ? {
              startsAfter: r.late_fee_starts_after,
              dailyPermyriad: r.late_fee_daily_permyriad ?? 0,
              capPct: r.late_fee_cap_pct ?? 0,
            }
          : null,
      earlyDiscount:
        r?.early_discount_until != null
          ? { until: r.early_discount_until, pct: r.early_discount_pct ?? 0 }
          : null,
    },
  };
}

export function rulesOverview(ctx: ServiceContext) {
  return {
    seasons: seasonViews(ctx),
    settings: ruleSettings(ctx.db),
    managedByHeadOffice: isSyncConfigured(ctx.db),
  };
}

export function configureSeason(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: ParsedInput<'rules.season.set'>,
) {
  // Head office owns seasons and rates when connected; the counter's screen is for standalone sites.
  if (isSyncConfigured(ctx.db)) throw new ServiceError('MANAGED_BY_HEAD_OFFICE');
  const supervisor = requireSupervisor(ctx, input.supervisorCode, input.supervisorPin);
  return writeTransaction(ctx, (append) => {
    const clash = allSeasons(ctx.db).find((s) => s.code === input.code && s.id !== input.seasonId);
    if (clash) throw new ServiceError('SEASON_CODE_TAKEN', { code: input.code });
    appendEvent(
      append,
      'season.configured',
      {
        seasonId: input.seasonId,
        code: input.code,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        noHeatDeadline: input.noHeatDeadline,
        noHeatRatioPct: input.noHeatRatioPct,
        rates: input.rates,
        rules: { lateFee: input.lateFee, earlyDiscount: input.earlyDiscount },
        approvedBy: supervisor.id,
      },
      clerk.id,
    );
    return seasonView(ctx, seasonRow(ctx.db, input.seasonId)!);
  });
}

export function changeRuleSettings(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: ParsedInput<'rules.settings.set'>,
): RuleSettings {
  const supervisor = requireSupervisor(ctx, input.supervisorCode, input.supervisorPin);
  return writeTransaction(ctx, (append) => {
    appendEvent(
      append,
      'rules.settingsChanged',
      {
        reliefApprovals: input.reliefApprovals,
        noHeatRequiresArrearsCleared: input.noHeatRequiresArrearsCleared,
        advancePayment: input.advancePayment,
        approvedBy: supervisor.id,
      },
      clerk.id,
    );
    return ruleSettings(ctx.db);
  });
}

// ---------------------------------------------------------------- no-heat (停供) and resume

function valveEvent(
  append: AppendContext,
  clerk: ClerkRow,
  action: 'lock' | 'unlock',
  householdId: string,
  keyNo: string | undefined,
  note: string,
): void {
  if (keyNo === undefined) return;
  appendEvent(
    append,
    action === 'lock' ? 'valve.locked' : 'valve.unlocked',
    { valveOpId: uuidv7(append.now.getTime()), householdId, keyNo, operator: clerk.name, note },
    clerk.id,
  );
}

export function applyNoHeat(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: ParsedInput<'noheat.apply'>,
) {
  const { household, season } = householdSeason(ctx, input);
  const supervisor = optionalSupervisor(ctx, input);
  return writeTransaction(ctx, (append) => {
    if (noHeatStatus(ctx.db, household.id, season.id)?.active === 1) {
      throw new ServiceError('NO_HEAT_ALREADY', { season: season.code });
    }
    const base = baseCharge(ctx, household.id, season);
    const deadline = checkNoHeatDeadline(
      append.now,
      season.no_heat_deadline,
      ctx.terminal.timeZone,
    );
    if (!deadline.onTime && !supervisor) {
      throw new ServiceError('NO_HEAT_AFTER_DEADLINE', {
        deadline: deadline.deadline,
        today: deadline.localDate,
        season: season.code,
      });
    }
    if (ruleSettings(ctx.db).noHeatRequiresArrearsCleared) {
      const arrears = seasonAccounts(ctx.db, household.id)
        .filter((s) => s.seasonCode < season.code)
        .reduce((sum, s) => sum + s.balanceFen, 0);
      if (arrears > 0)
        throw new ServiceError('NO_HEAT_ARREARS_FIRST', { arrears: formatFen(arrears) });
    }
    const ratioPct = season.no_heat_ratio_pct;
    const reduced = noHeatChargeFen(base, ratioPct);
    // Any earlier no-heat/resume pair nets to zero; this brings the season to ratio × base again.
    const current = adjustmentSum(ctx.db, household.id, season.id, NO_HEAT_KINDS);
    const applicationId = uuidv7(append.now.getTime());
    // the figures the event carries and the clerk is shown
    const figures = {
      chargeFen: base,
      ratioPct,
      noHeatChargeFen: reduced,
      adjustmentFen: reduced - base - current,
      onTime: deadline.onTime,
      deadline: season.no_heat_deadline,
    };
    appendEvent(
      append,
      'noheat.applied',
      {
        applicationId,
        householdId: household.id,
        seasonId: season.id,
        ...figures,
        lateApprovedBy: deadline.onTime ? null : supervisor!.id,
        reason: input.reason,
      },
      clerk.id,
    );
    valveEvent(append, clerk, 'lock', household.id, input.valveKey, `停供 ${season.code}`);
    const state = seasonState(ctx, household.id, season.id);
    return {
      applicationId,
      seasonId: season.id,
      seasonCode: season.code,
      ...figures,
      lateApprovedBy: deadline.onTime ? null : supervisor!.name,
      balanceFen: state.balanceFen,
      creditFen: state.creditFen,
    };
  });
}

export function resumeHeating(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: ParsedInput<'noheat.resume'>,
) {
  const { household, season } = householdSeason(ctx, input);
  return writeTransaction(ctx, (append) => {
    const status = noHeatStatus(ctx.db, household.id, season.id);
    if (status?.active !== 1) throw new ServiceError('NO_HEAT_NOT_ACTIVE', { season: season.code });
    // The season charge returns to the full (base) charge: the no-heat adjustments are reversed.
    const adjustmentFen = -adjustmentSum(ctx.db, household.id, season.id, NO_HEAT_KINDS);
    appendEvent(
      append,
      'noheat.resumed',
      {
        applicationId: status.application_id,
        householdId: household.id,
        seasonId: season.id,
        adjustmentFen,
        reason: input.reason,
      },
      clerk.id,
    );
    valveEvent(append, clerk, 'unlock', household.id, input.valveKey, `恢复供热 ${season.code}`);
    const state = seasonState(ctx, household.id, season.id);
    return {
      seasonId: season.id,
      adjustmentFen,
      chargeFen: state.chargeFen,
      balanceFen: state.balanceFen,
    };
  });
}

// ---------------------------------------------------------------- reductions and write-offs

export function grantRelief(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: ParsedInput<'relief.grant'>,
) {
  const { household, season } = chargedHouseholdSeason(ctx, input);
  // Each approver enters their own code and PIN at the counter; this works offline, and the event
  // carries their ids so head office can check them again when it arrives.
  const approvers = input.approvals.map((a) =>
    requireSupervisor(ctx, a.supervisorCode, a.supervisorPin),
  );
  const required = ruleSettings(ctx.db).reliefApprovals;
  const check = checkApprovals(
    approvers.map((a) => a.id),
    required,
  );
  if (!check.ok) {
    throw new ServiceError(
      check.reason === 'DUPLICATE' ? 'APPROVER_DUPLICATE' : 'APPROVALS_REQUIRED',
      {
        required,
        given: check.distinct,
      },
    );
  }
  return writeTransaction(ctx, (append) => {
    const before = seasonState(ctx, household.id, season.id);
    if (input.amountFen > before.balanceFen) {
      throw new ServiceError('RELIEF_OVER_BALANCE', {
        balance: formatFen(before.balanceFen),
        season: season.code,
      });
    }
    const reliefId = uuidv7(append.now.getTime());
    appendEvent(
      append,
      'relief.granted',
      {
        reliefId,
        kind: input.kind,
        householdId: household.id,
        seasonId: season.id,
        amountFen: input.amountFen,
        reason: input.reason,
        requiredApprovals: required,
        approvers: check.approvers,
        verifiers: Object.fromEntries(approvers.map((a) => [a.id, approverVerifier(a)])),
      },
      clerk.id,
    );
    return {
      reliefId,
      kind: input.kind,
      amountFen: input.amountFen,
      approvers: approvers.map((a) => ({ id: a.id, name: a.name })),
      balanceFen: seasonState(ctx, household.id, season.id).balanceFen,
    };
  });
}

// ---------------------------------------------------------------- inspections (稽查)

export function recordInspection(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: ParsedInput<'inspection.record'>,
) {
  const { household, season } = householdSeason(ctx, input);
  const backChargeFen = input.backChargeFen ?? 0;
  const supervisor = optionalSupervisor(ctx, input);
  if (backChargeFen > 0 && !supervisor) throw new ServiceError('NOT_SUPERVISOR');
  if (backChargeFen > 0) requireCharge(ctx, household.id, season);
  return writeTransaction(ctx, (append) => {
    const inspectionId = uuidv7(append.now.getTime());
    appendEvent(
      append,
      'inspection.recorded',
      {
        inspectionId,
        householdId: household.id,
        seasonId: season.id,
        finding: input.finding,
        drawingHeat: input.drawingHeat,
        backChargeFen,
        approvedBy: backChargeFen > 0 ? supervisor!.id : null,
      },
      clerk.id,
    );
    return {
      inspectionId,
      backChargeFen,
      balanceFen: seasonState(ctx, household.id, season.id).balanceFen,
    };
  });
}

// ---------------------------------------------------------------- subsidies (财政补贴)

export function assignSubsidy(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: ParsedInput<'subsidy.assign'>,
) {
  const { household, season } = chargedHouseholdSeason(ctx, input);
  const supervisor = requireSupervisor(ctx, input.supervisorCode, input.supervisorPin);
  return writeTransaction(ctx, (append) => {
    const existing = subsidyReceivable(ctx.db, household.id, season.id);
    const previousShareFen = existing?.share_fen ?? 0;
    const receivedFen = existing?.received_fen ?? 0;
    if (input.shareFen < receivedFen) {
      throw new ServiceError('SUBSIDY_BELOW_RECEIVED', { received: formatFen(receivedFen) });
    }
    // The share can never exceed the season charge without it (what the household would owe).
    const state = seasonState(ctx, household.id, season.id);
    const withoutShare = state.chargeFen + previousShareFen;
    if (input.shareFen > withoutShare) {
      throw new ServiceError('SUBSIDY_OVER_CHARGE', { charge: formatFen(withoutShare) });
    }
    appendEvent(
      append,
      'subsidy.assigned',
      {
        adjustmentId: uuidv7(append.now.getTime()),
        householdId: household.id,
        seasonId: season.id,
        shareFen: input.shareFen,
        previousShareFen,
        reason: input.reason,
        approvedBy: supervisor.id,
      },
      clerk.id,
    );
    return {
      shareFen: input.shareFen,
      receivedFen,
      householdBalanceFen: seasonState(ctx, household.id, season.id).balanceFen,
    };
  });
}

export function receiveSubsidy(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: ParsedInput<'subsidy.receive'>,
) {
  const { household, season } = householdSeason(ctx, input);
  return writeTransaction(ctx, (append) => {
    const r = subsidyReceivable(ctx.db, household.id, season.id);
    if (!r || r.share_fen === 0)
      throw new ServiceError('SUBSIDY_NOT_ASSIGNED', { season: season.code });
    const outstanding = r.share_fen - r.received_fen;
    if (input.amountFen > outstanding) {
      throw new ServiceError('SUBSIDY_OVER_OUTSTANDING', { outstanding: formatFen(outstanding) });
    }
    const subsidyReceiptId = uuidv7(append.now.getTime());
    appendEvent(
      append,
      'subsidy.received',
      {
        subsidyReceiptId,
        householdId: household.id,
        seasonId: season.id,
        amountFen: input.amountFen,
        reference: input.reference,
      },
      clerk.id,
    );
    return {
      subsidyReceiptId,
      shareFen: r.share_fen,
      receivedFen: r.received_fen + input.amountFen,
      outstandingFen: outstanding - input.amountFen,
    };
  });
}

// ---------------------------------------------------------------- advance payment, credit, fees

export function assessAdvance(ctx: ServiceContext, clerk: ClerkRow, householdId: string) {
  const household = requireHousehold(ctx, householdId);
  if (!ruleSettings(ctx.db).advancePayment) throw new ServiceError('ADVANCE_DISABLED');
  return writeTransaction(ctx, (append) => {
    const season = nextSeason(ctx.db, append.businessDate);
    if (!season) throw new ServiceError('NO_NEXT_SEASON');
    if (chargeRow(ctx.db, household.id, season.id)) {
      throw new ServiceError('ADVANCE_ALREADY_ASSESSED', { season: season.code });
    }
    const rate = seasonRates(ctx.db, season.id)[household.category];
    if (rate === undefined) throw new ServiceError('SEASON_HAS_NO_RATE', { season: season.code });
    const chargeFen = computeChargeFen(household.areaHundredths, rate);
    appendEvent(
      append,
      'charge.assessed',
      {
        householdId: household.id,
        seasonId: season.id,
        chargeFen,
        areaHundredths: household.areaHundredths,
        rateFenPerM2: rate,
        reason: 'advance',
      },
      clerk.id,
    );
    return { seasonId: season.id, seasonCode: season.code, chargeFen };
  });
}

export function applyCredit(ctx: ServiceContext, clerk: ClerkRow, householdId: string) {
  const household = requireHousehold(ctx, householdId);
  return writeTransaction(ctx, (append) => {
    const transfers = planCreditTransfers(seasonAccounts(ctx.db, household.id));
    if (transfers.length === 0) throw new ServiceError('NO_CREDIT');
    appendEvent(
      append,
      'credit.applied',
      {
        householdId: household.id,
        transfers: transfers.slice(0, 20).map((t, i) => ({
          ...t,
          adjustmentId: uuidv7(append.now.getTime() + i),
        })),
      },
      clerk.id,
    );
    const after = seasonAccounts(ctx.db, household.id);
    return {
      transfers: transfers.slice(0, 20),
      creditFen: after.reduce((s, a) => s + a.creditFen, 0),
      owedFen: after.reduce((s, a) => s + a.balanceFen, 0),
    };
  });
}

/** Late fee accrued and not yet booked for a season, by the season's rule (0 when off). */
export function accruedLateFee(
  ctx: ServiceContext,
  householdId: string,
  seasonId: string,
  balanceFen: number,
  asOf: string,
): number {
  const rule = seasonRules(ctx.db, seasonId);
  if (!rule?.late_fee_starts_after) return 0;
  const booked = adjustmentSum(ctx.db, householdId, seasonId, ['late_fee']);
  const principal = Math.max(0, balanceFen - booked);
  const fee = lateFeeFen(
    principal,
    {
      startsAfter: rule.late_fee_starts_after,
      dailyPermyriad: rule.late_fee_daily_permyriad ?? 0,
      capPct: rule.late_fee_cap_pct ?? 0,
    },
    asOf,
  );
  return Math.max(0, fee - booked);
}

export function assessFee(ctx: ServiceContext, clerk: ClerkRow, input: ParsedInput<'fee.assess'>) {
  const { household, season } = chargedHouseholdSeason(ctx, input);
  return writeTransaction(ctx, (append) => {
    const state = seasonState(ctx, household.id, season.id);
    const rule = seasonRules(ctx.db, season.id);
    let amountFen = 0;
    if (input.kind === 'late_fee') {
      if (!rule?.late_fee_starts_after) throw new ServiceError('FEE_RULE_OFF');
      amountFen = accruedLateFee(
        ctx,
        household.id,
        season.id,
        state.balanceFen,
        append.businessDate,
      );
    } else {
      if (!rule?.early_discount_until) throw new ServiceError('FEE_RULE_OFF');
      const booked = adjustmentSum(ctx.db, household.id, season.id, ['early_discount']);
      if (booked === 0 && state.balanceFen > 0) {
        const discount = earlyDiscountFen(
          state.chargeFen,
          { until: rule.early_discount_until, pct: rule.early_discount_pct ?? 0 },
          append.businessDate,
        );
        amountFen = -Math.min(discount, state.balanceFen);
      }
    }
    if (amountFen === 0) throw new ServiceError('FEE_NOTHING_DUE');
    appendEvent(
      append,
      'fee.assessed',
      {
        adjustmentId: uuidv7(append.now.getTime()),
        kind: input.kind,
        householdId: household.id,
        seasonId: season.id,
        amountFen,
        asOf: append.businessDate,
      },
      clerk.id,
    );
    return { amountFen, balanceFen: seasonState(ctx, household.id, season.id).balanceFen };
  });
}

// ---------------------------------------------------------------- household maintenance

const NEEDS_SUPERVISOR = new Set([
  'name',
  'areaHundredths',
  'category',
  'subsidised',
  'occupation',
  'workUnit',
  'economicSituation',
  'subsidyEligible',
]);

function personalOf(ctx: ServiceContext, householdId: string) {
  const row = ctx.db
    .prepare('SELECT * FROM household_personal WHERE household_id = ?')
    .get(householdId) as
    | {
        occupation: string;
        work_unit: string;
        economic_situation: string;
        subsidy_eligible: number;
      }
    | undefined;
  return {
    occupation: row?.occupation ?? '',
    workUnit: row?.work_unit ?? '',
    economicSituation: row?.economic_situation ?? '',
    subsidyEligible: row?.subsidy_eligible === 1,
  };
}

export function updateHousehold(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: ParsedInput<'household.update'>,
) {
  const household = requireHousehold(ctx, input.householdId);
  // The edit re-signs the row (and a re-rate its charges) with the terminal key: first they must
  // verify, so an edit can never launder a change made in the file.
  requireSignedHouseholdRows(ctx, household.id);
  const personal = personalOf(ctx, household.id);
  const current: Record<string, string | number | boolean> = {
    name: household.name,
    phone: household.phone,
    areaHundredths: household.areaHundredths,
    category: household.category,
    subsidised: household.subsidised,
    ...personal,
  };
  const changes: Record<
    string,
    { from: string | number | boolean; to: string | number | boolean }
  > = {};
  for (const field of Object.keys(current)) {
    const to = (input as Record<string, unknown>)[field];
    if (to === undefined) continue;
    if (typeof to !== 'string' && typeof to !== 'number' && typeof to !== 'boolean') continue;
    if (to !== current[field]) changes[field] = { from: current[field]!, to };
  }
  const fields = Object.keys(changes);
  if (fields.length === 0) throw new ServiceError('NOTHING_TO_CHANGE');
  const needsApproval = fields.some((f) => NEEDS_SUPERVISOR.has(f));
  const supervisor = optionalSupervisor(ctx, input);
  if (needsApproval && !supervisor) {
    throw new ServiceError('NOT_SUPERVISOR');
  }
  return writeTransaction(ctx, (append) => {
    const newArea = input.areaHundredths ?? household.areaHundredths;
    const newCategory = input.category ?? household.category;
    const rerate: {
      adjustmentId: string;
      seasonId: string;
      oldBaseFen: number;
      newBaseFen: number;
      adjustmentFen: number;
      noHeatCorrectionFen: number;
    }[] = [];
    if ('areaHundredths' in changes || 'category' in changes) {
      // Re-rate the open charges (seasons not yet fully paid) at the new area × the season's rate.
      const open = seasonAccounts(ctx.db, household.id).filter((s) => s.balanceFen > 0);
      for (const [i, s] of open.entries()) {
        const rate = seasonRates(ctx.db, s.seasonId)[newCategory];
        const season = seasonRow(ctx.db, s.seasonId);
        if (rate === undefined || !season) continue;
        const oldBaseFen = baseCharge(ctx, household.id, season);
        const newBaseFen = computeChargeFen(newArea, rate);
        if (newBaseFen === oldBaseFen) continue;
        const nh = noHeatStatus(ctx.db, household.id, s.seasonId);
        rerate.push({
          adjustmentId: uuidv7(append.now.getTime() + i),
          seasonId: s.seasonId,
          oldBaseFen,
          newBaseFen,
          adjustmentFen: newBaseFen - oldBaseFen,
          noHeatCorrectionFen:
            nh?.active === 1 ? noHeatCorrectionFen(oldBaseFen, newBaseFen, nh.ratio_pct) : 0,
        });
      }
    }
    appendEvent(
      append,
      'household.updated',
      {
        householdId: household.id,
        changes,
        reason: input.reason,
        approvedBy: supervisor?.id ?? null,
        rerate,
      },
      clerk.id,
    );
    return {
      householdId: household.id,
      changed: fields,
      rerate: rerate.map(
        ({ seasonId, oldBaseFen, newBaseFen, adjustmentFen, noHeatCorrectionFen: c }) => ({
          seasonId,
          oldBaseFen,
          newBaseFen,
          adjustmentFen: adjustmentFen + c,
        }),
      ),
    };
  });
}

function clerkNames(ctx: ServiceContext, ids: readonly string[]) {
  return ids.map((id) => {
    const row = ctx.db.prepare('SELECT name FROM clerks WHERE id = ?').get(id) as
      { name: string } | undefined;
    return { id, name: row?.name ?? id };
  });
}

interface AdjustmentRow {
  id: string;
  household_id: string;
  account_no: string;
  season_id: string;
  season_code: string;
  kind: string;
  amount_fen: number;
  reason: string;
  approved_by: string;
  business_date: string;
}

function adjustmentOut(ctx: ServiceContext, a: AdjustmentRow) {
  return {
    id: a.id,
    seasonId: a.season_id,
    seasonCode: a.season_code,
    kind: a.kind,
    amountFen: a.amount_fen,
    reason: a.reason,
    approvedBy: clerkNames(ctx, JSON.parse(a.approved_by) as string[]),
    businessDate: a.business_date,
  };
}

/** Everything the rules add to a household's account; personal fields only for supervisors. */
export function householdRules(ctx: ServiceContext, clerk: ClerkRow, householdId: string) {
  const household = requireHousehold(ctx, householdId);
  const seasons = seasonAccounts(ctx.db, household.id);
  const asOf = today(ctx);
  const adjustments = (
    ctx.db
      .prepare(
        `SELECT a.*, s.code AS season_code FROM charge_adjustments a JOIN seasons s ON s.id = a.season_id
         WHERE a.household_id = ? ORDER BY a.seq, a.id`,
      )
      .all(household.id) as AdjustmentRow[]
  ).map((a) => adjustmentOut(ctx, a));
  const noHeat = (
    ctx.db
      .prepare(
        `SELECT n.*, s.code AS season_code FROM no_heat_status n JOIN seasons s ON s.id = n.season_id
         WHERE n.household_id = ? ORDER BY s.code`,
      )
      .all(household.id) as (NoHeatRow & { season_code: string })[]
  ).map((n) => ({
    seasonId: n.season_id,
    seasonCode: n.season_code,
    active: n.active === 1,
    ratioPct: n.ratio_pct,
    lateApprovedBy: n.late_approved_by ? clerkNames(ctx, [n.late_approved_by])[0]!.name : null,
  }));
  const subsidy = (
    ctx.db
      .prepare(
        `SELECT r.season_id, s.code, r.share_fen, r.received_fen FROM subsidy_receivables r
         JOIN seasons s ON s.id = r.season_id WHERE r.household_id = ? ORDER BY s.code`,
      )
      .all(household.id) as {
      season_id: string;
      code: string;
      share_fen: number;
      received_fen: number;
    }[]
  ).map((r) => ({
    seasonId: r.season_id,
    seasonCode: r.code,
    shareFen: r.share_fen,
    receivedFen: r.received_fen,
  }));
  const inspections = (
    ctx.db
      .prepare('SELECT * FROM inspections WHERE household_id = ? ORDER BY seq')
      .all(household.id) as {
      id: string;
      season_id: string;
      finding: string;
      drawing_heat: number;
      back_charge_fen: number;
      inspected_on: string;
    }[]
  ).map((i) => ({
    id: i.id,
    seasonId: i.season_id,
    finding: i.finding,
    drawingHeat: i.drawing_heat === 1,
    backChargeFen: i.back_charge_fen,
    inspectedOn: i.inspected_on,
  }));
  const changes = (
    ctx.db
      .prepare('SELECT * FROM household_changes WHERE household_id = ? ORDER BY seq')
      .all(household.id) as {
      seq: number;
      at: string;
      changes: string;
      reason: string;
      approved_by: string | null;
    }[]
  ).map((c) => ({
    seq: c.seq,
    at: c.at,
    // Personal values stay out of the change list; only the field names are shown.
    fields: Object.keys(JSON.parse(c.changes) as Record<string, unknown>),
    reason: c.reason,
    approvedBy: c.approved_by ? clerkNames(ctx, [c.approved_by])[0]!.name : null,
  }));
  const settings = ruleSettings(ctx.db);
  const next = nextSeason(ctx.db, asOf);
  return {
    householdId: household.id,
    creditFen: seasons.reduce((s, a) => s + a.creditFen, 0),
    adjustments,
    noHeat,
    subsidy,
    inspections,
    changes,
    lateFees: seasons
      .map((s) => ({
        seasonId: s.seasonId,
        accruedFen: accruedLateFee(ctx, household.id, s.seasonId, s.balanceFen, asOf),
      }))
      .filter((l) => l.accruedFen > 0),
    advance: {
      enabled: settings.advancePayment,
      seasonId: next?.id ?? null,
      assessed: next ? chargeRow(ctx.db, household.id, next.id) !== null : false,
    },
    personal: clerk.role === 'supervisor' ? personalOf(ctx, household.id) : null,
  };
}

// ---------------------------------------------------------------- reports

export function subsidyReport(ctx: ServiceContext, input: ParsedInput<'report.subsidy'>) {
  // the filters written out (no `? IS NULL OR`), so the season and the partial index of the shares
  // still outstanding (0022 subsidy_receivables_outstanding) apply
  const where = [
    ...(input.seasonId === undefined ? [] : ['r.season_id = @season']),
    ...(input.outstandingOnly ? ['r.received_fen < r.share_fen'] : []),
  ];
  const rows = (
    ctx.db
      .prepare(
        `SELECT r.household_id, h.account_no, h.name, r.season_id, s.code AS season_code, r.share_fen, r.received_fen
         FROM subsidy_receivables r JOIN households h ON h.id = r.household_id JOIN seasons s ON s.id = r.season_id
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY s.code, h.account_no LIMIT 5000`,
      )
      .all(input.seasonId === undefined ? {} : { season: input.seasonId }) as {
      household_id: string;
      account_no: string;
      name: string;
      season_id: string;
      season_code: string;
      share_fen: number;
      received_fen: number;
    }[]
  ).map((r) => ({
    householdId: r.household_id,
    accountNo: r.account_no,
    name: r.name,
    seasonId: r.season_id,
    seasonCode: r.season_code,
    shareFen: r.share_fen,
    receivedFen: r.received_fen,
    outstandingFen: r.share_fen - r.received_fen,
  }));
  const totals = ctx.db
    .prepare(
      // the per-season sums 0022 keeps (season_totals), not a pass over every share
      `SELECT coalesce(sum(subsidy_share_fen), 0) AS shareFen, coalesce(sum(subsidy_received_fen), 0) AS receivedFen
       FROM season_totals WHERE (? IS NULL OR season_id = ?)`,
    )
    .get(input.seasonId ?? null, input.seasonId ?? null) as {
    shareFen: number;
    receivedFen: number;
  };
  const receivedInPeriod = ctx.db
    .prepare(
      `SELECT business_date AS businessDate, sum(amount_fen) AS amountFen FROM subsidy_receipts
       ${input.seasonId === undefined ? '' : 'WHERE season_id = @season'}
       GROUP BY business_date ORDER BY business_date`,
    )
    .all(input.seasonId === undefined ? {} : { season: input.seasonId }) as {
    businessDate: string;
    amountFen: number;
  }[];
  return {
    rows,
    totals: { ...totals, outstandingFen: totals.shareFen - totals.receivedFen },
    receivedInPeriod,
  };
}

export function reliefReport(ctx: ServiceContext, input: ParsedInput<'report.relief'>) {
  const rows = ctx.db
    .prepare(
      `SELECT a.*, h.account_no, s.code AS season_code FROM charge_adjustments a
       JOIN households h ON h.id = a.household_id JOIN seasons s ON s.id = a.season_id
       WHERE a.business_date BETWEEN ? AND ?
         AND a.kind IN ('reduction', 'write_off', 'no_heat', 'resume', 'back_charge', 'subsidy')
       ORDER BY a.seq, a.id LIMIT 5000`,
    )
    .all(input.from, input.to) as AdjustmentRow[];
  // over the whole period (not only the rows shown), by the date index
  const totals: Record<string, number> = {};
  for (const t of ctx.db
    .prepare(
      `SELECT kind, sum(amount_fen) AS fen FROM charge_adjustments
       WHERE business_date BETWEEN ? AND ?
         AND kind IN ('reduction', 'write_off', 'no_heat', 'resume', 'back_charge', 'subsidy')
       GROUP BY kind ORDER BY kind`,
    )
    .all(input.from, input.to) as { kind: string; fen: number }[])
    totals[t.kind] = t.fen;
  return {
    rows: rows.map((r) => ({
      ...adjustmentOut(ctx, r),
      householdId: r.household_id,
      accountNo: r.account_no,
    })),
    totals,
  };
}
