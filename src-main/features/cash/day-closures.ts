import type { Db } from '../../ledger/db';
import { stmt } from '../../ledger/statements';
import { ServiceError } from '../../services/context';

/** The business date after `date` (YYYY-MM-DD), for half-open ranges and the clerk's next step. */
export function nextBusinessDate(date: string): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The Z that closed `businessDate` at this counter, if any. */
export function dayClosureOf(db: Db, businessDate: string): { closureNo: number } | null {
  const row = stmt(db, 'SELECT closure_no FROM day_closures WHERE business_date = ?').get(
    businessDate,
  ) as { closure_no: number } | undefined;
  return row ? { closureNo: row.closure_no } : null;
}

/**
 * The first business date from `date` on that no Z has closed at this counter. A cheque decision
 * recorded on a closed day (at the counter, or pulled from head office) is counted on this date, so a
 * closed day's figures never change and no decision is refused or lost.
 */
export function openBusinessDateFrom(db: Db, date: string): string {
  let d = date;
  while (dayClosureOf(db, d)) d = nextBusinessDate(d);
  return d;
}

/**
 * A business day closed by Z at this counter takes no new shift and nothing that issues, spoils or
 * voids a receipt number or moves cash: the Z's figures stay the day's figures. (Migration 0018's
 * trigger refuses those events on a closed date in the ledger itself, whatever the caller.) A cheque
 * decision is never refused for it: it is counted on `openBusinessDateFrom` instead.
 */
export function requireDayOpen(db: Db, businessDate: string): void {
  const closure = dayClosureOf(db, businessDate);
  if (closure) {
    throw new ServiceError('DAY_CLOSED', {
      date: businessDate,
      closureNo: closure.closureNo,
      nextDate: nextBusinessDate(businessDate),
    });
  }
}
