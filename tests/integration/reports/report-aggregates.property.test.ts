// Issue 20: the monthly report, the subsidy, relief and collector reports and the dunning list answer
// from maintained aggregates (0022). Property: on random ledgers on disk — payments in full and in
// part, cash / card / cheque, voids, cheques cleared and bounced, reductions and write-offs, subsidy
// shares assigned and received, over two seasons with arrears — each of them equals a
// straightforward recomputation from the base tables after every step (so also right after each
// payment and void), rebuilding the projections gives the same aggregates, and a next season
// imported before it starts (the list then computes the past seasons itself) still agrees.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CommandOutput } from '@heating-cashier/core/contract/commands';
import { rebuildProjections } from '../../../src-main/ledger/rebuild';
import {
  terminalSignature,
  writeCharge,
  writeSeason,
} from '../../../src-main/features/sync/master-rows.store';
import {
  arrearsTotalsKept,
  arrearsTotalsOracle,
  overdueMismatches,
  seasonBalances,
  seasonTotalsExpected,
  seasonTotalsKept,
} from '../../support/report-oracle';
import { openTestTerminal, tempDir, type TestTerminal } from '../../support/terminal';

const SUP = { supervisorCode: '9001', supervisorPin: '888888' };
const SUP2 = { supervisorCode: '9009', supervisorPin: '999999' };
const DAY = '2026-12-01';

type Step =
  | { kind: 'pay'; h: number; part: number; tender: 'cash' | 'card' | 'cheque' }
  | { kind: 'void' }
  | { kind: 'cheque'; clear: boolean }
  | { kind: 'relief'; h: number; part: number; writeOff: boolean }
  | { kind: 'subsidy'; h: number; part: number }
  | { kind: 'subsidyReceive'; part: number };

const household = fc.nat({ max: 39 });
const part = fc.integer({ min: 1, max: 10 }); // tenths of what is owed (10: all of it)
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('pay' as const),
      h: household,
      part,
      tender: fc.constantFrom('cash' as const, 'card' as const, 'cheque' as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('void' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('cheque' as const), clear: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('relief' as const),
      h: household,
      part,
      writeOff: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('subsidy' as const), h: household, part }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('subsidyReceive' as const), part }) },
);

interface Counter {
  t: TestTerminal;
  clerk: string;
  sup: string;
  ids: string[];
  receipts: string[];
  cheques: { receiptId: string; position: number }[];
  subsidies: { householdId: string; seasonId: string }[];
}

const db = (c: Counter) => c.t.ctx.db;
const owedOf = (c: Counter, id: string) =>
  seasonBalances(db(c))
    .filter((b) => b.household_id === id)
    .reduce((s, b) => s + b.balance, 0);

/** The household's seasons with a balance, oldest first (season id, balance, charge). */
function openSeasons(c: Counter, id: string) {
  const code = new Map(
    (db(c).prepare('SELECT id, code FROM seasons').all() as { id: string; code: string }[]).map(
      (s) => [s.id, s.code],
    ),
  );
  return seasonBalances(db(c))
    .filter((b) => b.household_id === id)
    .sort((a, b) => code.get(a.season_id)!.localeCompare(code.get(b.season_id)!));
}

async function apply(c: Counter, s: Step): Promise<void> {
  const { t, clerk, sup } = c;
  switch (s.kind) {
    case 'pay': {
      const id = c.ids[s.h]!;
      const owed = owedOf(c, id);
      if (owed === 0) return;
      const amountFen = Math.max(1, Math.floor((owed * s.part) / 10));
      const tender =
        s.tender === 'cash'
          ? { kind: 'cash', amountFen, tenderedFen: amountFen }
          : s.tender === 'card'
            ? { kind: 'card', amountFen, terminalRef: `C${c.receipts.length}` }
            : { kind: 'cheque', amountFen, chequeNo: `Z${c.receipts.length}`, bank: '建设银行' };
      const r = await t.must('payment.take', {
        session: clerk,
        requestId: randomUUID(),
        householdId: id,
        amountFen,
        tenders: [tender],
      });
      c.receipts.push(r.id);
      if (s.tender === 'cheque') c.cheques.push({ receiptId: r.id, position: 0 });
      return;
    }
    case 'void': {
      const id = c.receipts.pop();
      if (id === undefined) return;
      const pending = c.cheques.findIndex((q) => q.receiptId === id);
      if (pending >= 0) c.cheques.splice(pending, 1);
      await t.must('receipt.void', { session: clerk, receiptId: id, reason: '录错户号', ...SUP });
      return;
    }
    case 'cheque': {
      const q = c.cheques.shift();
      if (q === undefined) return;
      // a receipt with a decided cheque is no longer voided by the clerk in these runs
      c.receipts = c.receipts.filter((r) => r !== q.receiptId);
      if (s.clear) await t.must('cheque.clear', { session: sup, ...q });
      else await t.must('cheque.bounce', { session: sup, ...q, reason: '余额不足' });
      return;
    }
    case 'relief': {
      const id = c.ids[s.h]!;
      const season = openSeasons(c, id).find((b) => b.balance > 0);
      if (!season) return;
      await t.must('relief.grant', {
        session: clerk,
        householdId: id,
        seasonId: season.season_id,
        kind: s.writeOff ? 'write_off' : 'reduction',
        amountFen: Math.max(1, Math.floor((season.balance * s.part) / 10)),
        reason: s.writeOff ? '无法追缴' : '低保户',
        approvals: [SUP, SUP2],
      });
      return;
    }
    case 'subsidy': {
      const id = c.ids[s.h]!;
      const season = openSeasons(c, id).find(
        (b) =>
          b.charge_fen > 0 &&
          !c.subsidies.some((x) => x.householdId === id && x.seasonId === b.season_id),
      );
      if (!season) return;
      const shareFen = Math.max(1, Math.floor((season.charge_fen * s.part) / 30));
      const r = await t.call('subsidy.assign', {
        session: clerk,
        householdId: id,
        seasonId: season.season_id,
        shareFen,
        reason: '低保补贴',
        ...SUP,
      });
      if (r.ok) c.subsidies.push({ householdId: id, seasonId: season.season_id });
      return;
    }
    case 'subsidyReceive': {
      const x = c.subsidies[0];
      if (!x) return;
      const row = db(c)
        .prepare(
          'SELECT share_fen - received_fen AS out FROM subsidy_receivables WHERE household_id = ? AND season_id = ?',
        )
        .get(x.householdId, x.seasonId) as { out: number } | undefined;
      if (!row || row.out <= 0) return;
      await t.must('subsidy.receive', {
        session: clerk,
        ...x,
        amountFen: Math.max(1, Math.floor((row.out * s.part) / 10)),
        reference: `财拨-${randomUUID().slice(0, 8)}`,
      });
      return;
    }
  }
}

// ------------------------------------------------------------------ straightforward recomputations

type Dunning = CommandOutput<'dunning.list'>;

/** The dunning list recomputed: households owing with past seasons (code < current) overdue. */
function dunningOracle(
  c: Counter,
  current: string,
  f: { community?: string; minOwedFen: number; minSeasonsOverdue: number },
) {
  const code = new Map(
    (db(c).prepare('SELECT id, code FROM seasons').all() as { id: string; code: string }[]).map(
      (s) => [s.id, s.code],
    ),
  );
  const per = new Map<string, { owed: number; n: number; arrears: number }>();
  for (const b of seasonBalances(db(c))) {
    const o = per.get(b.household_id) ?? { owed: 0, n: 0, arrears: 0 };
    o.owed += b.balance;
    if (b.balance > 0 && code.get(b.season_id)! < current) {
      o.n += 1;
      o.arrears += b.balance;
    }
    per.set(b.household_id, o);
  }
  const rows = (
    db(c).prepare('SELECT id, account_no, community FROM households').all() as {
      id: string;
      account_no: string;
      community: string;
    }[]
  )
    .map((h) => ({ ...h, ...(per.get(h.id) ?? { owed: 0, n: 0, arrears: 0 }) }))
    .filter(
      (h) =>
        h.owed > 0 &&
        h.owed >= f.minOwedFen &&
        h.n >= f.minSeasonsOverdue &&
        (f.community === undefined || h.community === f.community),
    )
    .sort((a, b) => b.owed - a.owed || (a.account_no < b.account_no ? -1 : 1));
  return {
    total: { count: rows.length, owedFen: rows.reduce((s, r) => s + r.owed, 0) },
    rows: rows.slice(0, 25).map((r) => [r.id, r.owed, r.n, r.arrears]),
  };
}

const listed = (d: Dunning) => ({
  total: d.total,
  rows: d.rows.map((r) => [r.household.id, r.household.owedFen, r.seasonsOverdue, r.arrearsFen]),
});

async function expectReportsAgree(c: Counter, label: string) {
  const { t, clerk } = c;
  const d = db(c);
  // the aggregates themselves
  expect(seasonTotalsKept(d), label).toEqual(seasonTotalsExpected(d));
  expect(overdueMismatches(d), label).toEqual([]);
  expect(arrearsTotalsKept(d), label).toEqual(arrearsTotalsOracle(d));

  // dunning.list, several filters, against the recomputation
  const community = (
    d.prepare('SELECT community FROM households LIMIT 1').get() as {
      community: string;
    }
  ).community;
  for (const f of [
    { minOwedFen: 1, minSeasonsOverdue: 1 },
    { minOwedFen: 1, minSeasonsOverdue: 0 },
    { minOwedFen: 1, minSeasonsOverdue: 2 },
    { minOwedFen: 50_000, minSeasonsOverdue: 1 },
    { community, minOwedFen: 1, minSeasonsOverdue: 1 },
    { community, minOwedFen: 1, minSeasonsOverdue: 0 },
  ]) {
    const got = await t.must('dunning.list', { session: clerk, ...f, limit: 25 });
    expect(listed(got), `${label} dunning ${JSON.stringify(f)}`).toEqual(
      dunningOracle(c, got.currentSeason ?? '', f),
    );
  }

  // report.monthly: receivable and collected per season recomputed from the base tables
  const monthly = await t.must('report.monthly', { session: clerk, month: '2026-12' });
  const seasons = d.prepare('SELECT id, code FROM seasons ORDER BY code').all() as {
    id: string;
    code: string;
  }[];
  const balances = seasonBalances(d);
  const sum = (sql: string, id: string) => (d.prepare(sql).pluck().get(id) as number | null) ?? 0;
  expect(
    monthly.seasons.map((s) => [s.seasonCode, s.receivableFen, s.collectedFen]),
    `${label} monthly`,
  ).toEqual(
    seasons.map((s) => [
      s.code,
      balances.filter((b) => b.season_id === s.id).reduce((n, b) => n + b.receivable, 0),
      balances.filter((b) => b.season_id === s.id).reduce((n, b) => n + b.paid_elsewhere_fen, 0) +
        sum('SELECT sum(amount_fen) FROM daily_season_totals WHERE season_id = ?', s.id) +
        sum('SELECT sum(amount_fen) FROM subsidy_receipts WHERE season_id = ?', s.id),
    ]),
  );

  // report.subsidy totals, report.relief totals, the collector report's subsidy line
  const subsidy = await t.must('report.subsidy', { session: clerk, outstandingOnly: false });
  const shares = d
    .prepare(
      'SELECT coalesce(sum(share_fen), 0) AS s, coalesce(sum(received_fen), 0) AS r FROM subsidy_receivables',
    )
    .get() as { s: number; r: number };
  expect(subsidy.totals, `${label} subsidy`).toEqual({
    shareFen: shares.s,
    receivedFen: shares.r,
    outstandingFen: shares.s - shares.r,
  });
  expect(subsidy.rows.map((r) => [r.householdId, r.seasonId, r.outstandingFen]).sort()).toEqual(
    (
      d
        .prepare(
          'SELECT household_id, season_id, share_fen - received_fen AS o FROM subsidy_receivables',
        )
        .all() as { household_id: string; season_id: string; o: number }[]
    )
      .map((r) => [r.household_id, r.season_id, r.o])
      .sort(),
  );
  const relief = await t.must('report.relief', { session: clerk, from: DAY, to: DAY });
  const reliefTotals: Record<string, number> = {};
  for (const e of d
    .prepare(
      "SELECT type, payload FROM events WHERE type IN ('relief.granted', 'subsidy.assigned')",
    )
    .all() as { type: string; payload: string }[]) {
    const p = JSON.parse(e.payload) as {
      kind?: string;
      amountFen?: number;
      shareFen?: number;
      previousShareFen?: number;
    };
    const kind = e.type === 'subsidy.assigned' ? 'subsidy' : p.kind!;
    const fen =
      e.type === 'subsidy.assigned' ? (p.previousShareFen ?? 0) - p.shareFen! : -p.amountFen!;
    reliefTotals[kind] = (reliefTotals[kind] ?? 0) + fen;
  }
  expect(relief.totals, `${label} relief`).toEqual(reliefTotals);
  const collector = await t.must('report.collector', { session: clerk, from: DAY, to: DAY });
  const received = d
    .prepare(
      "SELECT count(*) AS n, coalesce(sum(json_extract(payload, '$.amountFen')), 0) AS fen FROM events WHERE type = 'subsidy.received' AND business_date = ?",
    )
    .get(DAY) as { n: number; fen: number };
  expect([collector.subsidy.count, collector.subsidy.receivedFen], `${label} collector`).toEqual([
    received.n,
    received.fen,
  ]);
}

/**
 * Two seasons before the demo's two, charged (signed, as head office's would be) to every household:
 * a third paid elsewhere, a third half paid, a third not at all — so households owe up to three past
 * seasons, and payments allocate oldest first across them.
 */
function olderSeasons(t: TestTerminal, ids: string[]) {
  const db = t.ctx.db;
  db.transaction(() => {
    for (const [id, code, year] of [
      ['S2023', '2023-2024', 2023],
      ['S2024', '2024-2025', 2024],
    ] as const) {
      const season = {
        id,
        code,
        startsOn: `${year}-11-15`,
        endsOn: `${year + 1}-03-15`,
        noHeatDeadline: `${year}-10-31`,
        noHeatRatioPct: 50,
      };
      writeSeason(db, season, terminalSignature(db, 'seasons', season));
      ids.forEach((householdId, i) => {
        const chargeFen = 150_000 + ((i * 7919 + year) % 90_000);
        const paidBeforeFen = [chargeFen, 0, Math.floor(chargeFen / 2)][(i + year) % 3]!;
        const charge = { householdId, seasonId: id, chargeFen, paidBeforeFen };
        writeCharge(db, charge, terminalSignature(db, 'charges', charge));
      });
    }
  })();
}

function aggregates(c: Counter) {
  return {
    seasons: db(c).prepare('SELECT * FROM season_totals ORDER BY season_id').all(),
    households: db(c)
      .prepare('SELECT id, owed_fen, overdue_seasons, overdue_fen FROM households ORDER BY id')
      .all(),
    arrears: arrearsTotalsKept(db(c)),
  };
}

describe('report aggregates (0022) equal a recomputation from the base tables', () => {
  it('after every payment, void, cheque decision, relief and subsidy; rebuild gives the same', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 8, maxLength: 22 }), async (steps) => {
        const dir = tempDir('cashier-report-aggr-');
        const now = new Date(`${DAY}T02:00:00Z`);
        const t = openTestTerminal(join(dir.dir, 'ledger.db'), {
          households: 40,
          clock: () => now,
        });
        try {
          const clerk = await t.login();
          const sup = await t.login('9001', '888888');
          await t.must('shift.open', { session: clerk, openingFloatFen: 0 });
          const ids = (
            t.ctx.db.prepare('SELECT id FROM households ORDER BY num').all() as { id: string }[]
          ).map((h) => h.id);
          olderSeasons(t, ids);
          const c: Counter = { t, clerk, sup, ids, receipts: [], cheques: [], subsidies: [] };
          await expectReportsAgree(c, 'start');
          for (const [i, s] of steps.entries()) {
            await apply(c, s);
            await expectReportsAgree(c, `step ${i} ${JSON.stringify(s)}`);
          }
          const live = aggregates(c);
          t.ctx.db.transaction(() => rebuildProjections(t.ctx.db))();
          expect(aggregates(c)).toEqual(live);
          // next season's charges imported before it starts: the newest is not current yet
          t.ctx.db.exec(`INSERT INTO seasons (id, code, starts_on, ends_on)
                         VALUES ('S2027', '2027-2028', '2027-11-15', '2028-03-15')`);
          await expectReportsAgree(c, 'next season imported');
        } finally {
          t.close();
          dir.cleanup();
        }
      }),
      { numRuns: 6, seed: 20, endOnFailure: true },
    );
  });
});
