import type { CommandOutput } from '@heating-cashier/core/contract/commands';
import type { ServiceContext } from '../../services/context';
import { unansweredComplaintsBefore, type OverdueComplaintRow } from './service.store';

/** The seed's rule: a complaint is answered within 24 hours. */
export const COMPLAINT_RESPONSE_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** The response deadline of a complaint opened at `openedAt` (ISO): 24 hours later. */
export function complaintDueAt(openedAt: string): string {
  return new Date(Date.parse(openedAt) + COMPLAINT_RESPONSE_MS).toISOString();
}

/**
 * Responded in time: the complaint's first update (a status change with its note: `service.complaintStatus`)
 * came no later than 24 hours after it was opened; exactly 24 hours is still in time.
 */
export function respondedInTime(openedAt: string, firstUpdateAt: string): boolean {
  return Date.parse(firstUpdateAt) - Date.parse(openedAt) <= COMPLAINT_RESPONSE_MS;
}

/** Overdue at `now`: no update yet and more than 24 hours since it was opened. */
export function isOverdue(openedAt: string, firstUpdateAt: string | null, now: Date): boolean {
  const due = Date.parse(openedAt) + COMPLAINT_RESPONSE_MS;
  if (firstUpdateAt !== null) return Date.parse(firstUpdateAt) > due;
  return now.getTime() > due;
}

/**
 * The complaints past their 24-hour response deadline that nobody has answered yet (no update since
 * opening), oldest first: the list on the counter's start screen.
 */
/** A row of the overdue list at `now`: the deadline and the whole hours past it. */
export function overdueItem(r: OverdueComplaintRow, now: Date) {
  const dueAt = complaintDueAt(r.opened_at);
  return {
    complaintId: r.id,
    householdId: r.household_id,
    accountNo: r.account_no,
    householdName: r.name,
    community: r.community,
    category: r.category,
    openedAt: r.opened_at,
    dueAt,
    hoursOverdue: Math.floor((now.getTime() - Date.parse(dueAt)) / HOUR_MS),
  };
}

export function overdueComplaints(
  ctx: ServiceContext,
  limit: number,
): CommandOutput<'service.overdueComplaints'> {
  const now = ctx.clock();
  const cutoff = new Date(now.getTime() - COMPLAINT_RESPONSE_MS).toISOString();
  const { total, rows } = unansweredComplaintsBefore(ctx.db, cutoff, limit);
  return { total, items: rows.map((r) => overdueItem(r, now)) };
}
