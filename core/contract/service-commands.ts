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

/**
 * The seed's service KPIs over a period, integers only (README "服务指标 / Service KPIs"): every rate
 * is rounded half up from exact integers, and `meetsTarget` compares the exact fraction, never the
 * rounded figure. A figure with nothing to measure is null (no ratings → no score, not 0).
 */
export const satisfactionKpi = z.object({
  ratings: z.number().int().min(0),
  /** Mean of the ratings on the 100-point scale, in tenths of a point (92.5 points = 925); null without ratings. */
  pointsTenths: z.number().int().nullable(),
  /** 90 points: met when the exact mean is ≥ 90. */
  targetPoints: z.number().int(),
  meetsTarget: z.boolean().nullable(),
});

export const serviceTimeKpi = z.object({
  /** Receipts (not void) whose service start is known. */
  measured: z.number().int().min(0),
  /** Of those, issued at most 10 minutes (600 s, inclusive) after the account was opened. */
  withinLimit: z.number().int().min(0),
  limitSeconds: z.number().int(),
  /** withinLimit / measured in tenths of a percent (95.0 % = 950); null when nothing was measured. */
  shareTenths: z.number().int().nullable(),
  targetShareTenths: z.number().int(),
  meetsTarget: z.boolean().nullable(),
  /** Median service time (account opened → receipt issued), whole seconds; null when none. */
  medianSeconds: z.number().int().nullable(),
  /** Receipts rated: account opened → rating (the customer leaving), how many and the median. */
  visits: z.number().int().min(0),
  visitMedianSeconds: z.number().int().nullable(),
});

export const errorRateKpi = z.object({
  /** Receipts issued (void ones included: a void is an error on an issued receipt). */
  receipts: z.number().int().min(0),
  voids: z.number().int().min(0),
  spoiled: z.number().int().min(0),
  reprints: z.number().int().min(0),
  /** (voids + spoiled + reprints) / receipts in basis points (0.5 % = 50); null without receipts. */
  rateBp: z.number().int().nullable(),
  targetBp: z.number().int(),
  /** Met when the exact rate is below 0.5 %. */
  meetsTarget: z.boolean().nullable(),
});

export const complaintArea = z.object({
  /** The area: a community (小区); households belong to a collector's area by their community. */
  community: z.string(),
  households: z.number().int().min(0),
  complaints: z.number().int().min(0),
  /** complaints per 1,000 households, in tenths of a per mille (2‰ = 20); null without households. */
  ratePerMilleTenths: z.number().int().nullable(),
  meetsTarget: z.boolean().nullable(),
});

export const complaintKpi = z.object({
  /** Complaints opened in the period (by business date). */
  opened: z.number().int().min(0),
  /** Of those: answered (first status change with its note) within 24 h, inclusive. */
  answeredInTime: z.number().int().min(0),
  answeredLate: z.number().int().min(0),
  /** Not answered and more than 24 h old now. */
  overdue: z.number().int().min(0),
  /** Not answered, still within its 24 h. */
  waiting: z.number().int().min(0),
  /** All households of the areas (the terminal's households) and the rate over them. */
  households: z.number().int().min(0),
  ratePerMilleTenths: z.number().int().nullable(),
  targetPerMilleTenths: z.number().int(),
  meetsTarget: z.boolean().nullable(),
  /** The areas with complaints in the period (an area without any is at 0 ‰). */
  areas: z.array(complaintArea),
  /** The overdue ones (unanswered, older than 24 h now), oldest first; at most 50. */
  overdueList: z.array(overdueComplaint),
});

export const serviceKpis = z.object({
  satisfaction: satisfactionKpi,
  serviceTime: serviceTimeKpi,
  errors: errorRateKpi,
  complaints: complaintKpi,
});

/** The per-clerk part (complaints belong to areas, not to clerks). */
export const clerkServiceKpis = z.object({
  clerkId: id,
  clerkName: z.string(),
  satisfaction: satisfactionKpi,
  serviceTime: serviceTimeKpi,
  errors: errorRateKpi,
});

/** What the daily, monthly and collector reports carry: the KPIs in total and per clerk. */
export const serviceKpiReport = serviceKpis.extend({ byClerk: z.array(clerkServiceKpis) });

export type ServiceKpis = z.infer<typeof serviceKpis>;
export type ClerkServiceKpis = z.infer<typeof clerkServiceKpis>;

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
