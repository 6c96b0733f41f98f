/**
 * Cheques (支票): a cheque tender is pending at payment and later cleared or bounced. A bounce gives
 * the household back exactly the arrears the cheque paid. Which seasons those are is decided here,
 * once, the same way on every terminal and at head office.
 */

export interface ReceiptLinePart {
  seasonId: string;
  /** What the receipt line paid for this season. */
  amountFen: number;
}

export interface Restoration {
  seasonId: string;
  amountFen: number;
}

/**
 * The seasons a bounced cheque of `chequeFen` un-pays: the receipt's lines are taken back from the
 * LAST line (the newest season paid; lines are in allocation order, oldest first) towards the first,
 * skipping what earlier bounces of the same receipt already took back (`alreadyRestored`).
 *
 * So a bounce leaves the household exactly where an oldest-first payment of the receipt's amount
 * minus the cheque would have left it: the cash/card part of a mixed receipt keeps paying the oldest
 * arrears, and a receipt paid wholly by the cheque is undone to the fen.
 */
export function chequeRestoration(
  lines: readonly ReceiptLinePart[],
  alreadyRestored: readonly Restoration[],
  chequeFen: number,
): Restoration[] {
  if (!Number.isSafeInteger(chequeFen) || chequeFen <= 0)
    throw new RangeError(`cheque amount must be a positive number of fen: ${chequeFen}`);
  const taken = new Map<string, number>();
  for (const r of alreadyRestored)
    taken.set(r.seasonId, (taken.get(r.seasonId) ?? 0) + r.amountFen);
  const out: Restoration[] = [];
  let rest = chequeFen;
  for (let i = lines.length - 1; i >= 0 && rest > 0; i--) {
    const line = lines[i]!;
    const left = line.amountFen - (taken.get(line.seasonId) ?? 0);
    if (left <= 0) continue;
    const take = Math.min(left, rest);
    out.push({ seasonId: line.seasonId, amountFen: take });
    rest -= take;
  }
  if (rest > 0)
    throw new RangeError(
      `cheque of ${chequeFen} fen exceeds what the receipt's lines still hold (${chequeFen - rest})`,
    );
  return out;
}

/** Whether a receipt's cheques are all settled (cleared or bounced): it then enters the per-season totals. */
export function allSettled(statuses: readonly ('pending' | 'cleared' | 'bounced')[]): boolean {
  return statuses.every((s) => s !== 'pending');
}
