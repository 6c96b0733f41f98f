// Service KPIs on a generated month (issue 22): two clerks take payments over eight business days
// of December 2026 on a real SQLite ledger, with service times across the 10-minute boundary,
// ratings, voids, spoiled blanks, reprints and complaints answered early, at exactly 24 h, late or
// never. The test keeps its own record of what it did and when, recomputes every KPI from that
// record in the plainest way (no code shared with src-main), and compares the daily, monthly and
// collector reports to the exact figures.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeShiftExactly,
  householdsOwing,
  openTestTerminal,
  payCash,
  tempDir,
  type TestTerminal,
} from '../../support/terminal';

const SUPERVISOR = { supervisorCode: '9001', supervisorPin: '888888' };
const MIN = 60_000;
const HOUR = 60 * MIN;
const POINTS = { 1: 20, 2: 40, 3: 60, 4: 80, 5: 100 } as const;
// Durations (account opened → receipt issued) that cross the 10-minute line on purpose.
const DURATIONS = [
  45_000,
  3 * MIN,
  599_999,
  600_000,
  600_001,
  7 * MIN + 500,
  12 * MIN,
  2 * MIN + 1,
  9 * MIN,
  25 * MIN,
];

interface Receipt {
  id: string;
  clerk: string;
  date: string;
  startedAt: number | null;
  issuedAt: number;
  ratedAt: number | null;
  score: 1 | 2 | 3 | 4 | 5 | null;
  ratedDate: string | null;
  voided: boolean;
  reprints: number;
}
interface Complaint {
  id: string;
  householdId: string;
  category: string;
  community: string;
  date: string;
  openedAt: number;
  firstUpdateAt: number | null;
}

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let now = Date.parse('2026-12-01T00:30:00.000Z');
const receipts: Receipt[] = [];
const spoils: { clerk: string; date: string }[] = [];
const complaints: Complaint[] = [];
const clerkIds: Record<string, string> = {};
let communityOf: Map<string, string>;
let householdsIn: Map<string, number>;
let totalHouseholds = 0;

/** A small deterministic generator (mulberry32), so the month is the same on every run. */
let seed = 20261201;
function rand(n: number): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) % n;
}
const localDate = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);

const DAYS = ['01', '02', '04', '09', '10', '15', '22', '30'].map((d) => `2026-12-${d}`);
const REPORT_NOW = Date.parse('2026-12-31T02:00:00.000Z');

beforeAll(async () => {
  dir = tempDir();
  t = openTestTerminal(join(dir.dir, 'ledger.db'), {
    households: 240,
    clock: () => new Date(now),
  });
  const owing = householdsOwing(t, 20_000, 240);
  communityOf = new Map(
    (
      t.ctx.db.prepare('SELECT id, community FROM households').all() as {
        id: string;
        community: string;
      }[]
    ).map((h) => [h.id, h.community]),
  );
  householdsIn = new Map();
  for (const c of communityOf.values()) householdsIn.set(c, (householdsIn.get(c) ?? 0) + 1);
  totalHouseholds = communityOf.size;

  // Complaint updates are due at fixed times; they run when the timeline reaches them.
  const pendingUpdates: { at: number; complaint: Complaint }[] = [];
  const runUpdatesUntil = async (until: number) => {
    pendingUpdates.sort((a, b) => a.at - b.at);
    while (pendingUpdates.length > 0 && pendingUpdates[0]!.at <= until) {
      const u = pendingUpdates.shift()!;
      now = u.at;
      const session = await t.login('9001', '888888');
      await t.must('service.complaintStatus', {
        session,
        complaintId: u.complaint.id,
        status: 'in_progress',
        note: '已派维修',
      });
      u.complaint.firstUpdateAt = u.at;
      // A later update does not change the response time.
      await t.must('service.complaintStatus', {
        session,
        complaintId: u.complaint.id,
        status: 'closed',
        note: '已处理',
      });
    }
  };
  /** Moves the clock to `until`, running the complaint updates due on the way. */
  const moveTo = async (until: number) => {
    await runUpdatesUntil(until);
    now = until;
  };
  const advance = (ms: number) => moveTo(now + ms);

  let visit = 0;
  for (const [dayIndex, day] of DAYS.entries()) {
    await moveTo(Date.parse(`${day}T00:30:00.000Z`));
    for (const code of ['1001', '1002']) {
      const session = await t.login(code, '123456');
      const shift = await t.must('shift.open', { session, openingFloatFen: 0 });
      clerkIds[code] = shift.clerkId;
      const visits = 6 + rand(5);
      for (let v = 0; v < visits; v++) {
        visit++;
        await advance(MIN + rand(5) * MIN);
        const householdId = owing[rand(owing.length)]!;
        const opened = visit % 9 !== 0; // now and then the account is not opened first
        const startedAt = opened ? now : null;
        if (opened) await t.must('household.account', { session, householdId });
        await advance(DURATIONS[visit % DURATIONS.length]!);
        const r = await payCash(t, session, householdId, 100 + rand(50));
        const receipt: Receipt = {
          id: r.id,
          clerk: code,
          date: day,
          startedAt,
          issuedAt: now,
          ratedAt: null,
          score: null,
          ratedDate: null,
          voided: false,
          reprints: 0,
        };
        receipts.push(receipt);
        if (rand(10) < 7) {
          await advance(5_000 + rand(60) * 1000);
          const score = (1 + rand(5)) as 1 | 2 | 3 | 4 | 5;
          const source = rand(2) === 0 ? 'display' : 'keypad';
          await t.must('service.rate', { session, receiptId: r.id, score, source });
          Object.assign(receipt, { ratedAt: now, score, ratedDate: localDate(now) });
        }
        if (rand(14) === 0) {
          await advance(20_000);
          await t.must('receipt.void', {
            session,
            receiptId: r.id,
            reason: '金额错误',
            ...SUPERVISOR,
          });
          receipt.voided = true;
        } else if (rand(8) === 0) {
          await advance(10_000);
          await t.must('receipt.reprint', { session, receiptId: r.id });
          receipt.reprints++;
        }
        if (rand(20) === 0) {
          await advance(10_000);
          await t.must('receipt.spoil', { session, reason: '卡纸' });
          spoils.push({ clerk: code, date: day });
        }
        if (rand(6) === 0) {
          await advance(30_000);
          const h = owing[rand(owing.length)]!;
          const c = await t.must('service.complaint', {
            session,
            householdId: h,
            category: 'not_warm',
            text: '室温低',
          });
          const complaint: Complaint = {
            id: c.id,
            householdId: h,
            category: 'not_warm',
            community: communityOf.get(h)!,
            date: day,
            openedAt: now,
            firstUpdateAt: null,
          };
          complaints.push(complaint);
          // Answered after 2 h, exactly 24 h, 24 h + 1 ms, 3 days, or never.
          const delays = [2 * HOUR, 24 * HOUR, 24 * HOUR + 1, 72 * HOUR, null];
          const delay = delays[complaints.length % delays.length]!;
          if (delay !== null && now + delay < REPORT_NOW) {
            pendingUpdates.push({ at: now + delay, complaint });
          }
        }
      }
      await advance(MIN);
      await closeShiftExactly(t, session);
    }
    // One complaint the last day, not yet due when the reports are read.
    if (dayIndex === DAYS.length - 1) {
      await advance(MIN);
      const session = await t.login('1001', '123456');
      const h = owing[0]!;
      const c = await t.must('service.complaint', {
        session,
        householdId: h,
        category: 'billing',
        text: '账单',
      });
      complaints.push({
        id: c.id,
        householdId: h,
        category: 'billing',
        community: communityOf.get(h)!,
        date: day,
        openedAt: now,
        firstUpdateAt: null,
      });
    }
  }
  await moveTo(REPORT_NOW);
}, 120_000);

afterAll(() => {
  t?.close();
  dir?.cleanup();
});

// ---- the independent recomputation -------------------------------------------------------------

const inRange = (d: string, from: string, to: string) => d >= from && d <= to;
const round = (n: number, d: number) => Math.floor(n / d) + (2 * (n % d) >= d ? 1 : 0);

function median(ms: number[]): number | null {
  if (ms.length === 0) return null;
  const s = [...ms].sort((a, b) => a - b);
  const mid = s.length / 2;
  const sum = s.length % 2 === 1 ? 2 * s[Math.floor(mid)]! : s[mid - 1]! + s[mid]!;
  return round(sum, 2000);
}

function expected(from: string, to: string, clerk?: string) {
  const mine = (r: { clerk: string }) => clerk === undefined || r.clerk === clerk;
  const rated = receipts.filter(
    (r) => r.score !== null && inRange(r.ratedDate!, from, to) && mine(r),
  );
  const points = rated.reduce((s, r) => s + POINTS[r.score!], 0);
  const timed = receipts.filter(
    (r) => inRange(r.date, from, to) && mine(r) && !r.voided && r.startedAt !== null,
  );
  const durations = timed.map((r) => r.issuedAt - r.startedAt!);
  const within = durations.filter((d) => d <= 10 * MIN).length;
  const visits = timed.filter((r) => r.ratedAt !== null).map((r) => r.ratedAt! - r.startedAt!);
  const issued = receipts.filter((r) => inRange(r.date, from, to) && mine(r));
  const voids = issued.filter((r) => r.voided).length;
  const reprints = issued.reduce((s, r) => s + r.reprints, 0);
  const spoiled = spoils.filter((s) => inRange(s.date, from, to) && mine(s)).length;
  const errors = voids + reprints + spoiled;
  return {
    satisfaction: {
      ratings: rated.length,
      pointsTenths: rated.length === 0 ? null : round(points * 10, rated.length),
      targetPoints: 90,
      meetsTarget: rated.length === 0 ? null : points / rated.length >= 90,
    },
    serviceTime: {
      measured: durations.length,
      withinLimit: within,
      limitSeconds: 600,
      shareTenths: durations.length === 0 ? null : round(within * 1000, durations.length),
      targetShareTenths: 950,
      meetsTarget: durations.length === 0 ? null : within / durations.length >= 0.95,
      medianSeconds: median(durations),
      visits: visits.length,
      visitMedianSeconds: median(visits),
    },
    errors: {
      receipts: issued.length,
      voids,
      spoiled,
      reprints,
      rateBp: issued.length === 0 ? null : round(errors * 10_000, issued.length),
      targetBp: 50,
      meetsTarget: issued.length === 0 ? null : errors * 200 < issued.length,
    },
  };
}

function expectedComplaints(from: string, to: string) {
  const opened = complaints.filter((c) => inRange(c.date, from, to));
  const due = (c: Complaint) => c.openedAt + 24 * HOUR;
  const byArea = new Map<string, number>();
  for (const c of opened) byArea.set(c.community, (byArea.get(c.community) ?? 0) + 1);
  return {
    opened: opened.length,
    answeredInTime: opened.filter((c) => c.firstUpdateAt !== null && c.firstUpdateAt <= due(c))
      .length,
    answeredLate: opened.filter((c) => c.firstUpdateAt !== null && c.firstUpdateAt > due(c)).length,
    overdue: opened.filter((c) => c.firstUpdateAt === null && REPORT_NOW > due(c)).length,
    waiting: opened.filter((c) => c.firstUpdateAt === null && REPORT_NOW <= due(c)).length,
    households: totalHouseholds,
    ratePerMilleTenths: round(opened.length * 10_000, totalHouseholds),
    targetPerMilleTenths: 20,
    meetsTarget: (opened.length / totalHouseholds) * 1000 <= 2,
    areas: [...byArea]
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .map(([community, n]) => ({
        community,
        households: householdsIn.get(community)!,
        complaints: n,
        ratePerMilleTenths: round(n * 10_000, householdsIn.get(community)!),
        meetsTarget: (n / householdsIn.get(community)!) * 1000 <= 2,
      })),
    overdueList: opened
      .filter((c) => c.firstUpdateAt === null && REPORT_NOW > due(c))
      .sort((a, b) => a.openedAt - b.openedAt)
      .map((c) => {
        const h = t.ctx.db
          .prepare('SELECT account_no, name, community FROM households WHERE id = ?')
          .get(c.householdId) as { account_no: string; name: string; community: string };
        return {
          complaintId: c.id,
          householdId: c.householdId,
          accountNo: h.account_no,
          householdName: h.name,
          community: h.community,
          category: c.category,
          openedAt: new Date(c.openedAt).toISOString(),
          dueAt: new Date(due(c)).toISOString(),
          hoursOverdue: Math.floor((REPORT_NOW - due(c)) / HOUR),
        };
      }),
  };
}

function expectedReport(from: string, to: string) {
  const clerks = ['1001', '1002'].filter((c) =>
    receipts.some(
      (r) => r.clerk === c && (inRange(r.date, from, to) || inRange(r.ratedDate ?? '', from, to)),
    ),
  );
  return {
    ...expected(from, to),
    complaints: expectedComplaints(from, to),
    byClerk: clerks.map((c) => ({
      clerkId: clerkIds[c],
      clerkName: c === '1001' ? '张丽' : '王强',
      ...expected(from, to, c),
    })),
  };
}

describe('service KPIs on a generated month', () => {
  it('the month is varied enough to test every rule', () => {
    const durations = receipts
      .filter((r) => r.startedAt !== null)
      .map((r) => r.issuedAt - r.startedAt!);
    expect(receipts.length).toBeGreaterThan(120);
    expect(durations).toContain(600_000);
    expect(durations).toContain(600_001);
    expect(receipts.filter((r) => r.voided).length).toBeGreaterThan(2);
    expect(receipts.filter((r) => r.reprints > 0).length).toBeGreaterThan(2);
    expect(spoils.length).toBeGreaterThan(1);
    expect(receipts.filter((r) => r.score !== null).length).toBeGreaterThan(60);
    expect(receipts.filter((r) => r.startedAt === null).length).toBeGreaterThan(5);
    const c = expectedComplaints('2026-12-01', '2026-12-31');
    expect(c.opened).toBeGreaterThan(15);
    for (const k of ['answeredInTime', 'answeredLate', 'overdue', 'waiting'] as const) {
      expect(c[k], k).toBeGreaterThan(0);
    }
    expect(
      complaints.some(
        (x) => x.firstUpdateAt !== null && x.firstUpdateAt - x.openedAt === 24 * HOUR,
      ),
    ).toBe(true);
  });

  it('report.monthly carries the exact KPIs of the month, in total and per clerk', async () => {
    const session = await t.login();
    const m = await t.must('report.monthly', { session, month: '2026-12' });
    expect(m.serviceKpis).toEqual(expectedReport('2026-12-01', '2026-12-31'));
  });

  it('report.daily carries the exact KPIs of each day', async () => {
    const session = await t.login();
    for (const day of DAYS) {
      const d = await t.must('report.daily', { session, businessDate: day });
      expect(d.serviceKpis, day).toEqual(expectedReport(day, day));
    }
  });

  it('report.collector carries the exact KPIs of a period, per collector and per area', async () => {
    const session = await t.login();
    const c = await t.must('report.collector', { session, from: '2026-12-02', to: '2026-12-15' });
    expect(c.serviceKpis).toEqual(expectedReport('2026-12-02', '2026-12-15'));
  });

  it('service.overdueComplaints lists exactly the unanswered complaints past 24 h, oldest first', async () => {
    const session = await t.login();
    const o = await t.must('service.overdueComplaints', { session, limit: 200 });
    const want = complaints
      .filter((c) => c.firstUpdateAt === null && REPORT_NOW > c.openedAt + 24 * HOUR)
      .sort((a, b) => a.openedAt - b.openedAt);
    expect(o.total).toBe(want.length);
    expect(o.items.map((i) => i.complaintId)).toEqual(want.map((c) => c.id));
    expect(o.items[0]!.hoursOverdue).toBe(
      Math.floor((REPORT_NOW - want[0]!.openedAt - 24 * HOUR) / HOUR),
    );
  });
});
