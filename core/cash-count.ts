import { fail, ok, type DomainResult } from './result';

/**
 * Notes and coins counted at close, in fen: ¥100, 50, 20, 10, 5, 1, 0.5, 0.1 and the fen coins
 * ¥0.05, 0.02, 0.01 (分币, still legal tender), so a drawer that gave fen change can match exactly.
 */
export const DENOMINATIONS_FEN = [10000, 5000, 2000, 1000, 500, 100, 50, 10, 5, 2, 1] as const;
export type Denomination = (typeof DENOMINATIONS_FEN)[number];

/** How many of each denomination; a missing denomination counts as zero. */
export type DenominationCount = Partial<Record<`${Denomination}`, number>>;

const MAX_PIECES = 1_000_000;

/** Total of a count by denomination; refuses unknown denominations and non-integer or negative pieces. */
export function countTotalFen(count: DenominationCount): DomainResult<number> {
  let total = 0;
  for (const [key, pieces] of Object.entries(count)) {
    const value = Number(key);
    if (!(DENOMINATIONS_FEN as readonly number[]).includes(value))
      return fail('NOT_INTEGER', { denomination: key });
    if (typeof pieces !== 'number' || !Number.isSafeInteger(pieces))
      return fail('NOT_INTEGER', { denomination: key });
    if (pieces < 0) return fail('NOT_POSITIVE', { denomination: key });
    if (pieces > MAX_PIECES) return fail('TOO_LARGE', { denomination: key });
    total += value * pieces;
  }
  return ok(total);
}

export interface CashFlows {
  openingFloatFen: number;
  /** Cash kept for receipts: the cash tender amounts, i.e. tendered minus change given back. */
  cashReceiptsFen: number;
  cashInFen: number;
  cashOutFen: number;
  safeDropFen: number;
}

/** Cash that should be in the drawer. Change given back never counts as collected cash. */
export function expectedCashFen(f: CashFlows): number {
  return f.openingFloatFen + f.cashReceiptsFen + f.cashInFen - f.cashOutFen - f.safeDropFen;
}

/** Counted minus expected: positive is a surplus (长款), negative a shortage (短款). */
export function cashVarianceFen(countedFen: number, expectedFen: number): number {
  return countedFen - expectedFen;
}

export function varianceNeedsApproval(varianceFen: number, thresholdFen: number): boolean {
  return Math.abs(varianceFen) > thresholdFen;
}

/** Cash handed in at close: the counted cash less the float that stays in the drawer, never below 0. */
export function handInFen(countedFen: number, openingFloatFen: number): number {
  return Math.max(0, countedFen - openingFloatFen);
}
