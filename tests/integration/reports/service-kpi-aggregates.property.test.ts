// Issue 20: the service KPIs of the monthly, daily and collector reports read service times from
// service_spans (0023, kept by triggers on receipts and ratings) instead of every timed receipt.
// Property: on random ledgers on disk — two clerks taking payments with and without the account
// opened first, service times across the 10-minute line, ratings, voids (also of rated receipts),
// complaints and their answers — the KPIs of report.monthly, report.daily and report.collector equal
// a straightforward recomputation from the base tables (receipts, service_ratings, complaints:
// Date.parse, sort, count) after every step, and rebuilding the projections gives the same spans.
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rebuildProjections } from '../../../src-main/ledger/rebuild';
import {
  closeShiftExactly,
  householdsOwing,
  openTestTerminal,
  payCash,
  tempDir,
  type TestTerminal,
} from '../../support/terminal';

const SUP = { supervisorCode: '9001', supervisorPin: '888888' };
const DAY = '2026-12-01';
const MIN = 60_000;
const POINTS = { 1: 20, 2: 40, 3: 60, 4: 80, 5: 100 } as const;

type Step =
  | { kind: 'pay'; clerk: 0 | 1; h: number; open: boolean; ms: number }
  | { kind: 'rate'; pick: number; score: 1 | 2 | 3 | 4 | 5; ms: number }
  | { kind: 'void'; pick: number }
  | { kind: 'complaint'; h: number }
  | { kind: 'answer'; pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('pay' as const),
      clerk: fc.constantFrom(0 as const, 1 as const),
      h: fc.nat({ max: 19 }),
      open: fc.boolean(),
      ms: fc.oneof(
        fc.constantFrom(599_999, 600_000, 600_001, 0, 1000),
        fc.integer({ min: 0, max: 15 * MIN }),
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('rate' as const),
      pick: fc.nat(),
      score: fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const, 5 as const),
      ms: fc.integer({ min: 0, max: 3 * MIN }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('complaint' as const), h: fc.nat({ max: 19 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('answer' as const), pick: fc.nat() }) },
);

interface Run {
  t: TestTerminal;
  sessions: [string, string];
  sup: string;
  owing: string[];
  /** Receipts of the current shift not voided yet. */
  valid: string[];
  unrated: string[];
  complaints: string[];
  /** The clerk whose shift is open (one shift at a time on a counter). */
  onShift: 0 | 1;
  advance: (ms: number) => void;
}

async function apply(r: Run, s: Step): Promise<void> {
  const { t } = r;
  switch (s.kind) {
    case 'pay': {
      const session = r.sessions[s.clerk];
      if (r.onShift !== s.clerk) {
        await closeShiftExactly(t, r.sessions[r.onShift]);
        await t.must('shift.open', { session, openingFloatFen: 0 });
        r.onShift = s.clerk;
        r.valid = []; // only the current shift's receipts can be voided
      }
      const householdId = r.owing[s.h % r.owing.length]!;
      r.advance(MIN);
      if (s.open) await t.must('household.account', { session, householdId });
      r.advance(s.ms);
      const receipt = await payCash(t, session, householdId, 100);
      r.valid.push(receipt.id);
      r.unrated.push(receipt.id);
      return;
    }
    case 'rate': {
      if (r.unrated.length === 0) return;
      const receiptId = r.unrated.splice(s.pick % r.unrated.length, 1)[0]!;
      r.advance(s.ms);
      await t.must('service.rate', {
        session: r.sessions[0],
        receiptId,
        score: s.score,
        source: 'keypad',
      });
      return;
    }
    case 'void': {
      if (r.valid.length === 0) return;
      const receiptId = r.valid.splice(s.pick % r.valid.length, 1)[0]!;
      r.unrated = r.unrated.filter((id) => id !== receiptId);
      r.advance(10_000);
      await t.must('receipt.void', {
        session: r.sessions[r.onShift],
        receiptId,
        reason: '金额错误',
        ...SUP,
      });
      return;
    }
    case 'complaint': {
      r.advance(30_000);
      const c = await t.must('service.complaint', {
        session: r.sessions[1],
        householdId: r.owing[s.h % r.owing.length]!,
        category: 'not_warm',
        text: '室温低',
      });
      r.complaints.push(c.id);
      return;
    }
    case 'answer': {
      if (r.complaints.length === 0) return;
      const complaintId = r.complaints.splice(s.pick % r.complaints.length, 1)[0]!;
      r.advance(MIN);
      await t.must('service.complaintStatus', {
        session: r.sup,
        complaintId,
        status: 'in_progress',
        note: '已派维修',
      });
      return;
    }
  }
}

// ------------------------------------------------------------------ straightforward recomputation

const ms = (a: string, b: string) => Math.max(0, Date.parse(b) - Date.parse(a));
/** Median of whole ms in whole seconds, halves up (integers only). */
function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const lo = s[Math.floor((s.length - 1) / 2)]!;
  const hi = s[Math.floor(s.length / 2)]!;
  return Math.floor((lo + hi + 1000) / 2000);
}

function serviceTimeOracle(rows: { started: string; issued: string; rated: string | null }[]) {
  const durations = rows.map((r) => ms(r.started, r.issued));
  const visits = rows.flatMap((r) => (r.rated === null ? [] : [ms(r.started, r.rated)]));
  const within = durations.filter((d) => d <= 600_000).length;
  return {
    measured: durations.length,
    withinLimit: within,
    shareTenths:
      durations.length === 0
        ? null
        : Math.floor((within * 2000 + durations.length) / (2 * durations.length)),
    medianSeconds: median(durations),
    visits: visits.length,
    visitMedianSeconds: median(visits),
  };
}

/** Every KPI figure the reports show for business dates [from, to), recomputed from the base tables. */
function oracle(t: TestTerminal, from: string, to: string) {
  const db = t.ctx.db;
  const timed = db
    .prepare(
      `SELECT r.clerk_id AS clerk, r.service_started_at AS started, r.issued_at AS issued, g.rated_at AS rated
       FROM receipts r LEFT JOIN service_ratings g ON g.receipt_id = r.id
       WHERE r.service_started_at IS NOT NULL AND r.voided_seq IS NULL AND r.business_date >= ? AND r.business_date < ?`,
    )
    .all(from, to) as { clerk: string; started: string; issued: string; rated: string | null }[];
  const ratings = db
    .prepare(
      'SELECT clerk_id AS clerk, score FROM service_ratings WHERE business_date >= ? AND business_date < ?',
    )
    .all(from, to) as { clerk: string; score: 1 | 2 | 3 | 4 | 5 }[];
  const satisfaction = (rs: typeof ratings) => {
    const points = rs.reduce((n, r) => n + POINTS[r.score], 0);
    return {
      ratings: rs.length,
      pointsTenths:
        rs.length === 0 ? null : Math.floor((points * 20 + rs.length) / (2 * rs.length)),
    };
  };
  const complaints = (
    db
      .prepare(
        `SELECT c.id FROM complaints c JOIN events e ON e.seq = c.seq WHERE e.business_date >= ? AND e.business_date < ?`,
      )
      .all(from, to) as { id: string }[]
  ).length;
  const households = (db.prepare('SELECT count(*) AS n FROM households').get() as { n: number }).n;
  const clerks = [
    ...new Set([...timed.map((r) => r.clerk), ...ratings.map((r) => r.clerk)]),
  ].sort();
  return {
    serviceTime: serviceTimeOracle(timed),
    satisfaction: satisfaction(ratings),
    complaints: {
      opened: complaints,
      ratePerMilleTenths: Math.floor((complaints * 20_000 + households) / (2 * households)),
    },
    byClerk: clerks.map((clerk) => ({
      clerk,
      serviceTime: serviceTimeOracle(timed.filter((r) => r.clerk === clerk)),
      satisfaction: satisfaction(ratings.filter((r) => r.clerk === clerk)),
    })),
  };
}

interface Kpis {
  serviceTime: Record<string, unknown>;
  satisfaction: Record<string, unknown>;
  complaints: Record<string, unknown>;
  byClerk: {
    clerkId: string;
    serviceTime: Record<string, unknown>;
    satisfaction: Record<string, unknown>;
  }[];
}

const pick = <T extends Record<string, unknown>>(o: T, keys: readonly string[]) =>
  Object.fromEntries(keys.map((k) => [k, o[k]]));
const TIME = [
  'measured',
  'withinLimit',
  'shareTenths',
  'medianSeconds',
  'visits',
  'visitMedianSeconds',
];
const SAT = ['ratings', 'pointsTenths'];

/** The report's figures in the oracle's shape (clerks with a timed receipt or a rating). */
function shown(k: Kpis) {
  return {
    serviceTime: pick(k.serviceTime, TIME),
    satisfaction: pick(k.satisfaction, SAT),
    complaints: pick(k.complaints, ['opened', 'ratePerMilleTenths']),
    byClerk: k.byClerk
      .filter(
        (c) => (c.serviceTime.measured as number) > 0 || (c.satisfaction.ratings as number) > 0,
      )
      .map((c) => ({
        clerk: c.clerkId,
        serviceTime: pick(c.serviceTime, TIME),
        satisfaction: pick(c.satisfaction, SAT),
      }))
      .sort((a, b) => (a.clerk < b.clerk ? -1 : a.clerk > b.clerk ? 1 : 0)),
  };
}

async function expectKpisAgree(r: Run, label: string) {
  const { t, sup } = r;
  const month = await t.must('report.monthly', { session: sup, month: DAY.slice(0, 7) });
  expect(shown(month.serviceKpis as Kpis), `${label} monthly`).toEqual(
    oracle(t, '2026-12-01', '2027-01-01'),
  );
  const daily = await t.must('report.daily', { session: sup, businessDate: DAY });
  expect(shown(daily.serviceKpis as Kpis), `${label} daily`).toEqual(oracle(t, DAY, '2026-12-02'));
  const collector = await t.must('report.collector', { session: sup, from: DAY, to: DAY });
  expect(shown(collector.serviceKpis as Kpis), `${label} collector`).toEqual(
    oracle(t, DAY, '2026-12-02'),
  );
}

const spans = (t: TestTerminal) =>
  t.ctx.db.prepare('SELECT * FROM service_spans ORDER BY receipt_id').all();

describe('service KPIs from service_spans (0023) equal a recomputation from the base tables', () => {
  it('after every payment, rating, void and complaint; rebuild gives the same spans', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 6, maxLength: 18 }), async (steps) => {
        const dir = tempDir('cashier-service-kpi-');
        let now = Date.parse(`${DAY}T01:00:00.000Z`);
        const t = openTestTerminal(join(dir.dir, 'ledger.db'), {
          households: 40,
          clock: () => new Date(now),
        });
        try {
          const sessions: [string, string] = [
            await t.login('1001', '123456'),
            await t.login('1002', '123456'),
          ];
          const sup = await t.login('9001', '888888');
          await t.must('shift.open', { session: sessions[0], openingFloatFen: 0 });
          const r: Run = {
            t,
            sessions,
            sup,
            owing: householdsOwing(t, 1_000, 20),
            valid: [],
            unrated: [],
            complaints: [],
            onShift: 0,
            advance: (d) => {
              now += d;
            },
          };
          await expectKpisAgree(r, 'start');
          for (const [i, s] of steps.entries()) {
            await apply(r, s);
            await expectKpisAgree(r, `step ${i} ${JSON.stringify(s)}`);
          }
          const live = spans(t);
          t.ctx.db.transaction(() => rebuildProjections(t.ctx.db))();
          expect(spans(t)).toEqual(live);
          await expectKpisAgree(r, 'rebuilt');
        } finally {
          t.close();
          dir.cleanup();
        }
      }),
      { numRuns: 6, seed: 23, endOnFailure: true },
    );
  });
});
