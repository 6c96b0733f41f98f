import { percentTenths } from './fees';
import { isFen, MAX_FEN } from './money';
import { fail, ok } from './result';
import type { DomainResult } from './result';

export interface SeasonBalance {
  seasonId: string;
  /** e.g. '2025-2026'; ascending code order is oldest first. */
  seasonCode: string;
  chargeFen: number;
  /** Still owed, >= 0. */
  balanceFen: number;
}

export interface AllocationLine {
  seasonId: string;
  seasonCode: string;
  amountFen: number;
  chargeFen: number;
  balanceBeforeFen: number;
  balanceAfterFen: number;
  /** balanceAfterFen > 0 */
  partial: boolean;
  /** amountFen as tenths of a percent of the season charge; 0 when the charge is 0. */
  pctTenths: number;
}

export function totalOwed(balances: readonly SeasonBalance[]): number {
  assertValidBalances(balances);
  return balances.reduce((sum, b) => sum + b.balanceFen, 0);
}

/** Pays the oldest season in full before touching the next one. */
export function allocateOldestFirst(
  balances: readonly SeasonBalance[],
  amountFen: number,
): DomainResult<AllocationLine[]> {
  const owedCheck = checkAmountAgainstOwed(balances, amountFen);
  if (!owedCheck.ok) return owedCheck;

  const lines: AllocationLine[] = [];
  let rest = amountFen;
  for (const season of oldestFirst(balances)) {
    if (rest === 0) break;
    if (season.balanceFen === 0) continue;
    const take = Math.min(rest, season.balanceFen);
    lines.push(lineFor(season, take));
    rest -= take;
  }
  return ok(lines);
}

/** The clerk's own split across seasons (e.g. the payer insists on paying the current season). */
export function allocateExplicit(
  balances: readonly SeasonBalance[],
  lines: readonly { seasonId: string; amountFen: number }[],
  amountFen: number,
): DomainResult<AllocationLine[]> {
  const owedCheck = checkAmountAgainstOwed(balances, amountFen);
  if (!owedCheck.ok) return owedCheck;

  const byId = new Map(balances.map((b) => [b.seasonId, b]));
  const requested = new Map<string, number>();
  let sum = 0;
  for (const [index, line] of lines.entries()) {
    const { seasonId } = line;
    if (!Number.isInteger(line.amountFen)) return fail('NOT_INTEGER', { index, seasonId });
    if (line.amountFen <= 0) return fail('NOT_POSITIVE', { index, seasonId });
    const season = byId.get(seasonId);
    if (season === undefined) return fail('UNKNOWN_SEASON', { index, seasonId });
    if (requested.has(seasonId)) return fail('DUPLICATE_SEASON', { index, seasonId });
    if (line.amountFen > season.balanceFen) {
      return fail('OVER_SEASON_BALANCE', {
        index,
        seasonId,
        seasonCode: season.seasonCode,
        balanceFen: season.balanceFen,
        amountFen: line.amountFen,
      });
    }
    requested.set(seasonId, line.amountFen);
    sum += line.amountFen;
  }
  if (sum !== amountFen) {
    return fail('ALLOCATION_SUM_MISMATCH', { expectedFen: amountFen, actualFen: sum });
  }

  const out: AllocationLine[] = [];
  for (const season of oldestFirst(balances)) {
    const take = requested.get(season.seasonId);
    if (take !== undefined) out.push(lineFor(season, take));
  }
  return ok(out);
}

function checkAmountAgainstOwed(
  balances: readonly SeasonBalance[],
  amountFen: number,
): DomainResult<void> {
  if (!Number.isInteger(amountFen)) return fail('NOT_INTEGER');
  if (amountFen <= 0) return fail('NOT_POSITIVE');
  if (amountFen > MAX_FEN) return fail('TOO_LARGE', { maxFen: MAX_FEN });
  const owedFen = totalOwed(balances);
  if (owedFen === 0) return fail('NOTHING_OWED');
  if (amountFen > owedFen) return fail('OVERPAY', { owedFen });
  return ok(undefined);
}

function lineFor(season: SeasonBalance, amountFen: number): AllocationLine {
  const balanceAfterFen = season.balanceFen - amountFen;
  return {
    seasonId: season.seasonId,
    seasonCode: season.seasonCode,
    amountFen,
    chargeFen: season.chargeFen,
    balanceBeforeFen: season.balanceFen,
    balanceAfterFen,
    partial: balanceAfterFen > 0,
    pctTenths: season.chargeFen === 0 ? 0 : percentTenths(amountFen, season.chargeFen),
  };
}

/** Code-unit order, not localeCompare: the result must not depend on the PC's locale. */
function oldestFirst(balances: readonly SeasonBalance[]): SeasonBalance[] {
  return [...balances].sort(
    (a, b) => compare(a.seasonCode, b.seasonCode) || compare(a.seasonId, b.seasonId),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Bad balances are a caller bug (ledger/projection), not a clerk input error: throw. */
function assertValidBalances(balances: readonly SeasonBalance[]): void {
  const seen = new Set<string>();
  for (const b of balances) {
    if (!isFen(b.balanceFen) || !isFen(b.chargeFen)) {
      throw new RangeError(`season ${b.seasonId}: charge and balance must be fen in 0..${MAX_FEN}`);
    }
    if (seen.has(b.seasonId)) throw new RangeError(`season ${b.seasonId} listed twice`);
    seen.add(b.seasonId);
  }
}
