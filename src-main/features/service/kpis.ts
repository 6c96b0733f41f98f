import { SATISFACTION_POINTS } from '@heating-cashier/core/contract/customer-view';
import type {
  ClerkServiceKpis,
  ServiceKpis,
} from '@heating-cashier/core/contract/service-commands';
import type { ServiceContext } from '../../services/context';
import { COMPLAINT_RESPONSE_MS, overdueItem } from './complaints';
import {
  clerkNames,
  complaintTimings,
  errorCounts,
  householdCount,
  householdsInCommunity,
  ratingCounts,
  serviceSpans,
  unansweredComplaintsIn,
  type DateRange,
} from './service.store';

/**
 * The seed's service KPIs (issue 22; README "服务指标 / Service KPIs"), computed from the ledger's
 * projections for business dates [from, to). Integers only: each rate is one integer division of
 * exact integers rounded half up (`roundHalfUp`), and whether a target is met is decided on the exact
 * fraction (cross-multiplied), never on the rounded figure.
 */

/** Targets from the seed's work plans. */
export const KPI_TARGETS = {
  /** Satisfaction ≥ 90 points on the 100-point scale. */
  satisfactionPoints: 90,
  /** ≥ 95 % of payments done within 10 minutes. */
  serviceShareTenths: 950,
  serviceLimitSeconds: 600,
  /** Error rate < 0.5 %. */
  errorBp: 50,
  /** Complaints ≤ 2 ‰ of the area's households. */
  complaintPerMilleTenths: 20,
} as const;

/** How many overdue complaints a report lists (the counts cover all). */
const OVERDUE_LISTED = 50;

/** round(n / d) with halves up, for non-negative integers n and positive d; exact (BigInt). */
export function roundHalfUp(n: number, d: number): number {
  const N = BigInt(n);
  const D = BigInt(d);
  const q = N / D;
  return Number((N % D) * 2n >= D ? q + 1n : q);
}

/**
 * The median of whole milliseconds, in whole seconds rounded half up; the mean of the two middle
 * values for an even count. null for none.
 */
export function medianSeconds(durationsMs: readonly number[]): number | null {
  if (durationsMs.length === 0) return null;
  const sorted = Float64Array.from(durationsMs).sort();
  const hi = Math.floor(sorted.length / 2);
  const lo = sorted.length % 2 === 1 ? hi : hi - 1;
  return roundHalfUp(sorted[lo]! + sorted[hi]!, 2000);
}

type Score = 1 | 2 | 3 | 4 | 5;

export function satisfactionOf(counts: ReadonlyMap<Score, number>): ServiceKpis['satisfaction'] {
  let ratings = 0;
  let points = 0;
  for (const [score, n] of counts) {
    ratings += n;
    points += SATISFACTION_POINTS[score] * n;
  }
  const target = KPI_TARGETS.satisfactionPoints;
  return {
    ratings,
    pointsTenths: ratings === 0 ? null : roundHalfUp(points * 10, ratings),
    targetPoints: target,
    meetsTarget: ratings === 0 ? null : points >= target * ratings,
  };
}

export interface ServiceSpan {
  startedAt: string;
  issuedAt: string;
  ratedAt: string | null;
}

/** Milliseconds from `a` to `b` (ISO), never negative (a start after its end counts as 0). */
function spanMs(a: string, b: string): number {
  return Math.max(0, Date.parse(b) - Date.parse(a));
}

export function serviceTimeOf(spans: readonly ServiceSpan[]): ServiceKpis['serviceTime'] {
  return serviceTimeOfMs(
    spans.map((s) => spanMs(s.startedAt, s.issuedAt)),
    spans.flatMap((s) => (s.ratedAt === null ? [] : [spanMs(s.startedAt, s.ratedAt)])),
  );
}

/** The service-time KPIs of the service durations and the visit durations (rated ones), in ms. */
export function serviceTimeOfMs(
  durations: readonly number[],
  visits: readonly number[],
): ServiceKpis['serviceTime'] {
  const limitMs = KPI_TARGETS.serviceLimitSeconds * 1000;
  const measured = durations.length;
  let withinLimit = 0;
  for (const d of durations) if (d <= limitMs) withinLimit++;
  const target = KPI_TARGETS.serviceShareTenths;
  return {
    measured,
    withinLimit,
    limitSeconds: KPI_TARGETS.serviceLimitSeconds,
    shareTenths: measured === 0 ? null : roundHalfUp(withinLimit * 1000, measured),
    targetShareTenths: target,
    meetsTarget: measured === 0 ? null : withinLimit * 1000 >= target * measured,
    medianSeconds: medianSeconds(durations),
    visits: visits.length,
    visitMedianSeconds: medianSeconds(visits),
  };
}

export function errorRateOf(c: {
  receipts: number;
  voids: number;
  spoiled: number;
  reprints: number;
}): ServiceKpis['errors'] {
  const errors = c.voids + c.spoiled + c.reprints;
  const target = KPI_TARGETS.errorBp;
  return {
    ...c,
    rateBp: c.receipts === 0 ? null : roundHalfUp(errors * 10_000, c.receipts),
    targetBp: target,
    meetsTarget: c.receipts === 0 ? null : errors * 10_000 < target * c.receipts,
  };
}

function perMille(complaints: number, households: number) {
  const target = KPI_TARGETS.complaintPerMilleTenths;
  return {
    ratePerMilleTenths: households === 0 ? null : roundHalfUp(complaints * 10_000, households),
    meetsTarget: households === 0 ? null : complaints * 10_000 <= target * households,
  };
}

export interface ComplaintTiming {
  community: string;
  openedAt: string;
  firstUpdateAt: string | null;
}

export function complaintsOf(
  timings: readonly ComplaintTiming[],
  now: Date,
  households: number,
  householdsOf: (community: string) => number,
  overdueList: ServiceKpis['complaints']['overdueList'] = [],
): ServiceKpis['complaints'] {
  let answeredInTime = 0;
  let answeredLate = 0;
  let overdue = 0;
  let waiting = 0;
  const byArea = new Map<string, number>();
  for (const c of timings) {
    const due = Date.parse(c.openedAt) + COMPLAINT_RESPONSE_MS;
    if (c.firstUpdateAt !== null) {
      if (Date.parse(c.firstUpdateAt) <= due) answeredInTime++;
      else answeredLate++;
    } else if (now.getTime() > due) overdue++;
    else waiting++;
    byArea.set(c.community, (byArea.get(c.community) ?? 0) + 1);
  }
  const areas = [...byArea]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([community, complaints]) => {
      const n = householdsOf(community);
      return { community, households: n, complaints, ...perMille(complaints, n) };
    });
  return {
    opened: timings.length,
    answeredInTime,
    answeredLate,
    overdue,
    waiting,
    households,
    ...perMille(timings.length, households),
    targetPerMilleTenths: KPI_TARGETS.complaintPerMilleTenths,
    areas,
    overdueList,
  };
}

export interface ServiceKpiReport extends ServiceKpis {
  byClerk: ClerkServiceKpis[];
}

/** Every KPI of the business dates [from, to), in total and per clerk (ordered by clerk code). */
export function serviceKpis(ctx: ServiceContext, range: DateRange): ServiceKpiReport {
  const db = ctx.db;
  const now = ctx.clock();
  const ratingsByClerk = new Map<string, Map<Score, number>>();
  for (const r of ratingCounts(db, range)) {
    const m = ratingsByClerk.get(r.clerk_id) ?? new Map<Score, number>();
    m.set(r.score, r.n);
    ratingsByClerk.set(r.clerk_id, m);
  }
  const spansByClerk = new Map(serviceSpans(db, range).map((c) => [c.clerk_id, c]));
  const errorsByClerk = new Map(errorCounts(db, range).map((e) => [e.clerk_id, e]));
  const clerkIds = [
    ...new Set([...ratingsByClerk.keys(), ...spansByClerk.keys(), ...errorsByClerk.keys()]),
  ];
  const names = clerkNames(db, clerkIds);
  const noErrors = { receipts: 0, voids: 0, spoiled: 0, reprints: 0 };
  const errorsOf = (id: string) => {
    const e = errorsByClerk.get(id);
    return e
      ? { receipts: e.receipts, voids: e.voids, spoiled: e.spoiled, reprints: e.reprints }
      : noErrors;
  };
  const byClerk = clerkIds
    .sort((a, b) => {
      const x = names.get(a)?.code ?? a;
      const y = names.get(b)?.code ?? b;
      return x < y ? -1 : x > y ? 1 : 0;
    })
    .map((clerkId) => ({
      clerkId,
      clerkName: names.get(clerkId)?.name ?? '',
      satisfaction: satisfactionOf(ratingsByClerk.get(clerkId) ?? new Map()),
      serviceTime: serviceTimeOfMs(
        spansByClerk.get(clerkId)?.durations ?? [],
        spansByClerk.get(clerkId)?.visits ?? [],
      ),
      errors: errorRateOf(errorsOf(clerkId)),
    }));
  const allRatings = new Map<Score, number>();
  for (const m of ratingsByClerk.values())
    for (const [s, n] of m) allRatings.set(s, (allRatings.get(s) ?? 0) + n);
  const allErrors = { ...noErrors };
  for (const id of clerkIds) {
    const e = errorsOf(id);
    allErrors.receipts += e.receipts;
    allErrors.voids += e.voids;
    allErrors.spoiled += e.spoiled;
    allErrors.reprints += e.reprints;
  }
  return {
    satisfaction: satisfactionOf(allRatings),
    serviceTime: serviceTimeOfMs(
      [...spansByClerk.values()].flatMap((c) => c.durations),
      [...spansByClerk.values()].flatMap((c) => c.visits),
    ),
    errors: errorRateOf(allErrors),
    complaints: complaintsOf(
      complaintTimings(db, range).map((c) => ({
        community: c.community,
        openedAt: c.opened_at,
        firstUpdateAt: c.first_update_at,
      })),
      now,
      householdCount(db),
      (community) => householdsInCommunity(db, community),
      unansweredComplaintsIn(
        db,
        range,
        new Date(now.getTime() - COMPLAINT_RESPONSE_MS).toISOString(),
        OVERDUE_LISTED,
      ).map((r) => overdueItem(r, now)),
    ),
    byClerk,
  };
}
