// Heating-fee rules of the seed (供热收费员工作计划 5): no-heat applications before the deadline pay
// the no-heat ratio (50 %), reductions/write-offs need N distinct managers, late fees are capped,
// early payment may be discounted. Pure functions over integers only: fen, percent, per-myriad.
import { businessDate } from './time';

/** Round half up of numerator / denominator for non-negative integers, exact (BigInt). */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): number {
  if (numerator < 0n || denominator <= 0n) throw new RangeError('divRoundHalfUp: bad operands');
  const q = numerator / denominator;
  const r = numerator % denominator;
  return Number(r * 2n >= denominator ? q + 1n : q);
}

function assertFen(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name}: not fen: ${String(n)}`);
}

function assertPct(name: string, n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new RangeError(`${name}: 0..100, got ${n}`);
}

/**
 * The season charge of a household on no-heat (停供): ratio % of the full charge, rounded half up
 * to the fen. 50 % of ¥1,234.57 (123457 fen) is 61729 fen (61728.5 rounds up).
 */
export function noHeatChargeFen(chargeFen: number, ratioPct: number): number {
  assertFen('chargeFen', chargeFen);
  assertPct('ratioPct', ratioPct);
  return divRoundHalfUp(BigInt(chargeFen) * BigInt(ratioPct), 100n);
}

export type DeadlineCheck =
  { onTime: true; localDate: string } | { onTime: false; localDate: string; deadline: string };

/**
 * A no-heat application is on time when it is filed on or before the deadline day in the counter's
 * local time zone: 23:59:59.999 local on the deadline day is on time, 00:00 the next day is late.
 * No deadline configured: always on time.
 */
export function checkNoHeatDeadline(
  now: Date,
  deadline: string | null,
  timeZone: string,
): DeadlineCheck {
  const localDate = businessDate(now, timeZone);
  if (deadline === null || localDate <= deadline) return { onTime: true, localDate };
  return { onTime: false, localDate, deadline };
}

/** Days from `from` to `to` ('YYYY-MM-DD'), negative when `to` is earlier. Calendar days, no DST. */
export function daysBetween(from: string, to: string): number {
  const parse = (d: string) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
    if (!m) throw new RangeError(`not a date: ${d}`);
    return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  };
  return Math.round((parse(to) - parse(from)) / 86_400_000);
}

export interface LateFeeRule {
  /** Late fees accrue for each day after this date (the date itself is free). */
  startsAfter: string;
  /** Per day, in 1/10000 of the unpaid balance (5 = 0.05 % a day). */
  dailyPermyriad: number;
  /** The fee never exceeds this % of the unpaid balance. */
  capPct: number;
}

/**
 * Late fee (滞纳金) on an unpaid balance as of a date: balance × daily rate × days, rounded half up
 * to the fen, capped at capPct % of the balance (also rounded half up). Zero before the start.
 */
export function lateFeeFen(balanceFen: number, rule: LateFeeRule, asOf: string): number {
  assertFen('balanceFen', balanceFen);
  assertPct('capPct', rule.capPct);
  if (!Number.isInteger(rule.dailyPermyriad) || rule.dailyPermyriad < 0) {
    throw new RangeError('dailyPermyriad must be a non-negative integer');
  }
  const days = daysBetween(rule.startsAfter, asOf);
  if (days <= 0 || balanceFen === 0) return 0;
  const fee = divRoundHalfUp(
    BigInt(balanceFen) * BigInt(rule.dailyPermyriad) * BigInt(days),
    10_000n,
  );
  const cap = divRoundHalfUp(BigInt(balanceFen) * BigInt(rule.capPct), 100n);
  return Math.min(fee, cap);
}

export interface EarlyDiscountRule {
  /** Paying the season in full on or before this date earns the discount. */
  until: string;
  pct: number;
}

/** Early-payment discount (早缴优惠) of a season charge: pct % rounded half up, 0 after the date. */
export function earlyDiscountFen(chargeFen: number, rule: EarlyDiscountRule, asOf: string): number {
  assertFen('chargeFen', chargeFen);
  assertPct('pct', rule.pct);
  if (asOf > rule.until) return 0;
  return divRoundHalfUp(BigInt(chargeFen) * BigInt(rule.pct), 100n);
}

export type ApprovalCheck =
  | { ok: true; approvers: string[] }
  | { ok: false; reason: 'NOT_ENOUGH' | 'DUPLICATE'; distinct: number; required: number };

/**
 * Reductions and write-offs need `required` approvals from DISTINCT supervisors (the seed: the
 * company manager and the supervising manager). The same person twice never counts as two.
 * Used at the counter and by head office when it verifies the synced event.
 */
export function checkApprovals(approverIds: readonly string[], required: number): ApprovalCheck {
  const distinct = new Set(approverIds);
  if (distinct.size !== approverIds.length) {
    return { ok: false, reason: 'DUPLICATE', distinct: distinct.size, required };
  }
  if (distinct.size < required) {
    return { ok: false, reason: 'NOT_ENOUGH', distinct: distinct.size, required };
  }
  return { ok: true, approvers: [...approverIds].sort() };
}

export interface SeasonPosition {
  /** Master charge + adjustments (no-heat, reductions, write-offs, subsidy share, back-charges…), ≥ 0. */
  effectiveChargeFen: number;
  /** Still owed by the household, ≥ 0. */
  balanceFen: number;
  /** Paid beyond the effective charge (overpayment, or a reduction after payment), ≥ 0. */
  creditFen: number;
}

/** Where a season stands once adjustments are counted. Adjustments are signed (negative lowers). */
export function seasonPosition(s: {
  chargeFen: number;
  adjustmentFen: number;
  paidElsewhereFen: number;
  paidHereFen: number;
}): SeasonPosition {
  const effectiveChargeFen = Math.max(0, s.chargeFen + s.adjustmentFen);
  const net = effectiveChargeFen - s.paidElsewhereFen - s.paidHereFen;
  return { effectiveChargeFen, balanceFen: Math.max(0, net), creditFen: Math.max(0, -net) };
}

/**
 * The adjustment that re-rates a season after an area or category change: the difference between
 * the new and the old base charge, both taken through the no-heat ratio when the season is on
 * no-heat, so that the result equals what a fresh no-heat charge on the new base would be.
 */
export function rerateAdjustmentFen(
  oldBaseFen: number,
  newBaseFen: number,
  noHeatRatioPct: number | null,
): number {
  if (noHeatRatioPct === null) return newBaseFen - oldBaseFen;
  return noHeatChargeFen(newBaseFen, noHeatRatioPct) - noHeatChargeFen(oldBaseFen, noHeatRatioPct);
}

/**
 * The no-heat part of a re-rate: with the season on no-heat, the no-heat adjustment (ratio × base −
 * base) must follow the new base. rerate (new − old) + this correction = rerateAdjustmentFen.
 */
export function noHeatCorrectionFen(
  oldBaseFen: number,
  newBaseFen: number,
  ratioPct: number,
): number {
  return (
    noHeatChargeFen(newBaseFen, ratioPct) -
    newBaseFen -
    (noHeatChargeFen(oldBaseFen, ratioPct) - oldBaseFen)
  );
}

export interface CreditTransfer {
  fromSeasonId: string;
  toSeasonId: string;
  amountFen: number;
}

/**
 * Applies credit (overpaid seasons) to seasons still owing, oldest credit to oldest debt first
 * (season codes sort oldest first). Never moves more than either side holds.
 */
export function planCreditTransfers(
  seasons: readonly {
    seasonId: string;
    seasonCode: string;
    balanceFen: number;
    creditFen: number;
  }[],
): CreditTransfer[] {
  const order = [...seasons].sort((a, b) =>
    a.seasonCode < b.seasonCode ? -1 : a.seasonCode > b.seasonCode ? 1 : 0,
  );
  const credits = order.filter((s) => s.creditFen > 0).map((s) => ({ ...s, left: s.creditFen }));
  const debts = order.filter((s) => s.balanceFen > 0).map((s) => ({ ...s, left: s.balanceFen }));
  const out: CreditTransfer[] = [];
  let ci = 0;
  for (const d of debts) {
    while (d.left > 0 && ci < credits.length) {
      const c = credits[ci]!;
      const take = Math.min(c.left, d.left);
      out.push({ fromSeasonId: c.seasonId, toSeasonId: d.seasonId, amountFen: take });
      c.left -= take;
      d.left -= take;
      if (c.left === 0) ci++;
    }
  }
  return out;
}

/** What head office knows of an approver (clerks master data): role and whether still active. */
export interface ApproverStatus {
  role: string;
  active: boolean;
}

export type ApprovalProblem =
  | { code: 'UNKNOWN_APPROVER' | 'NOT_SUPERVISOR' | 'INACTIVE'; approverId: string }
  | { code: 'DUPLICATE' }
  | { code: 'NOT_ENOUGH'; distinct: number; required: number };

/**
 * Head office's check of a reduction/write-off approved offline at a counter: every approver must
 * be a supervisor known to head office and still active, and there must be `required` DISTINCT
 * such supervisors (checkApprovals over the valid ones). `required` is the larger of what the
 * counter applied and head office's own policy, so a counter set to 1 cannot lower the bar.
 */
export function verifyApprovals(
  approverIds: readonly string[],
  required: number,
  directory: (id: string) => ApproverStatus | undefined,
): { ok: boolean; problems: ApprovalProblem[] } {
  const problems: ApprovalProblem[] = [];
  const valid: string[] = [];
  for (const id of new Set(approverIds)) {
    const who = directory(id);
    if (!who) problems.push({ code: 'UNKNOWN_APPROVER', approverId: id });
    else if (who.role !== 'supervisor') problems.push({ code: 'NOT_SUPERVISOR', approverId: id });
    else if (!who.active) problems.push({ code: 'INACTIVE', approverId: id });
    else valid.push(id);
  }
  const all = checkApprovals(approverIds, 0);
  if (!all.ok && all.reason === 'DUPLICATE') problems.push({ code: 'DUPLICATE' });
  const enough = checkApprovals(valid, required);
  if (!enough.ok) problems.push({ code: 'NOT_ENOUGH', distinct: enough.distinct, required });
  return { ok: problems.length === 0, problems };
}
