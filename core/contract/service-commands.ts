import { z } from 'zod';
import { authed, command } from './command';
import { satisfactionScore } from './customer-view';
import { ratingSource } from './service-events';
import { id, isoTime } from './primitives';

/** A satisfaction rating as stored: tied to its receipt and the receipt's clerk. */
export const ratingView = z.object({
  ratingId: id,
  receiptId: id,
  receiptLabel: z.string(),
  clerkId: id,
  score: satisfactionScore,
  /** The score on the seed's 100-point scale (SATISFACTION_POINTS). */
  points: z.number().int().min(20).max(100),
  source: ratingSource,
  ratedAt: isoTime,
});

/** A complaint past its 24-hour response deadline with no response (first update) yet. */
export const overdueComplaint = z.object({
  complaintId: id,
  householdId: id,
  accountNo: z.string(),
  householdName: z.string(),
  community: z.string(),
  category: z.string(),
  openedAt: isoTime,
  dueAt: isoTime,
  /** Whole hours past the deadline, rounded down. */
  hoursOverdue: z.number().int().min(0),
});

/** Service KPIs (issue 22): the customer's satisfaction rating, overdue complaints. */
export const serviceCommands = {
  'service.rate': command({
    summary:
      'Satisfaction rating 1–5 of a receipt just issued (customer display or keypad); one per receipt',
    input: z
      .object({ ...authed, receiptId: id, score: satisfactionScore, source: ratingSource })
      .strict(),
    output: ratingView,
  }),
  'service.overdueComplaints': command({
    summary: 'Complaints past their 24-hour response deadline without a response (start screen)',
    input: z.object({ ...authed, limit: z.number().int().min(1).max(200).default(20) }).strict(),
    output: z.object({ total: z.number().int().min(0), items: z.array(overdueComplaint) }),
  }),
} as const;
