// `npm run bench:season-reports` (issue 20): reports and the dunning list on the season ledger
// (bench/season-ledger.ts: 500,000 households, five seasons, 300,000 receipts), each through
// dispatch as the counter calls it, with its baseline from the same run where one exists: the
// pre-0022 way of answering (the monthly report's pass over every charge, the overdue set rebuilt
// after a payment, the collector report's pass over the event log for subsidies), timed on the same
// copy. Also what the 0022 triggers add to a payment's transaction. Merges its keys into
// bench/results.json. SEASON_REPORTS_LEDGER=<file> runs on another ledger (copied first).
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandName } from '@heating-cashier/core/contract/commands';
import { dispatch } from '../src-main/api/dispatch';
import { openTerminal } from '../src-main/app/open-terminal';
import type { ServiceContext } from '../src-main/services/context';
import { ensureSeasonLedger } from './season-ledger';
import { percentile, round } from './stats';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results.json');
const RUNS = 15;
const PAYMENTS = 200;
const BASELINE_PAYMENTS = 8;
const log = (m: string) => process.stderr.write(`[bench:season-reports] ${m}\n`);

async function must(ctx: ServiceContext, name: CommandName, input: Record<string, unknown>) {
  const r = await dispatch(ctx, name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message.en}`);
  return r.value as Record<string, unknown>;
}

async function timeRuns(n: number, fn: () => unknown): Promise<number[]> {
  await fn(); // warm
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

const p50 = (xs: number[]) => round(percentile(xs, 50), 1);
const max = (xs: number[]) => round(Math.max(...xs), 1);

/** The monthly report's per-season figures as they were read before 0022: every charge, every season. */
const MONTHLY_SEASONS_BEFORE = `SELECT s.code AS seasonCode,
    (SELECT coalesce(sum(charge_fen), 0) FROM charges WHERE season_id = s.id)
    + (SELECT coalesce(sum(max(0, c.charge_fen + coalesce(a.adjust_fen, 0) + coalesce(r.share_fen, 0)) - c.charge_fen), 0)
       FROM (SELECT household_id FROM season_adjustments WHERE season_id = s.id
             UNION SELECT household_id FROM subsidy_receivables WHERE season_id = s.id) k
       JOIN charges c ON c.household_id = k.household_id AND c.season_id = s.id
       LEFT JOIN season_adjustments a ON a.household_id = c.household_id AND a.season_id = c.season_id
       LEFT JOIN subsidy_receivables r ON r.household_id = c.household_id AND r.season_id = c.season_id) AS receivableFen,
    (SELECT coalesce(sum(paid_elsewhere_fen), 0) FROM charges WHERE season_id = s.id)
    + (SELECT coalesce(sum(amount_fen), 0) FROM daily_season_totals WHERE season_id = s.id)
    + (SELECT coalesce(sum(amount_fen), 0) FROM subsidy_receipts WHERE season_id = s.id) AS collectedFen
  FROM seasons s ORDER BY s.code`;

/** The overdue set the dunning list rebuilt after every change before 0022 (its one pass). */
const BALANCE = `max(0, c.charge_fen + coalesce(a.adjust_fen, 0)) - c.paid_elsewhere_fen - coalesce(p.paid_fen, 0)`;
const OVERDUE_SET_BEFORE = `WITH past AS (SELECT id FROM seasons WHERE code < @current),
   overdue AS (
     SELECT c.household_id AS hid, count(*) AS n, sum(${BALANCE}) AS arrears
     FROM charges c
     LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
     LEFT JOIN season_adjustments a ON a.household_id = c.household_id AND a.season_id = c.season_id
     WHERE +c.season_id IN past
       AND (c.charge_fen > c.paid_elsewhere_fen
            OR (c.household_id, c.season_id) IN (SELECT household_id, season_id FROM season_adjustments WHERE adjust_fen > 0))
       AND ${BALANCE} > 0
     GROUP BY c.household_id)
   SELECT count(*) AS n FROM overdue o JOIN households h ON h.id = o.hid WHERE h.owed_fen > 0`;

/** The collector report's subsidy line before 0022: a pass over the event log. */
const COLLECTOR_SUBSIDY_BEFORE = `SELECT e.clerk_id, count(*) AS n, coalesce(sum(json_extract(e.payload, '$.amountFen')), 0) AS fen
  FROM events e WHERE e.type = 'subsidy.received' AND e.business_date BETWEEN ? AND ? GROUP BY e.clerk_id`;

function ledgerFile(): { file: string; households: number; receipts: number | null } {
  const given = process.env.SEASON_REPORTS_LEDGER;
  if (given) return { file: given, households: 0, receipts: null };
  const { file, meta } = ensureSeasonLedger({ log });
  const m = meta as unknown as { households?: number; receipts?: number };
  return { file, households: m.households ?? 0, receipts: m.receipts ?? null };
}

async function main() {
  const source = ledgerFile();
  const workDir = join(ROOT, 'bench', '.cache', `season-reports-${process.pid}`);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  try {
    const dbFile = join(workDir, 'ledger.db');
    copyFileSync(source.file, dbFile);
    for (const side of ['.key', '.checkpoint'])
      if (existsSync(source.file + side)) copyFileSync(source.file + side, dbFile + side);
    const t0 = performance.now();
    const terminal = openTerminal({ dbFile, timeZone: 'Asia/Shanghai' });
    log(`opened ${source.file} in ${round(performance.now() - t0, 0)} ms (migrations included)`);
    const ctx = terminal.ctx;
    const db = ctx.db;
    const size = db
      .prepare(
        `SELECT (SELECT count(*) FROM households) AS households, (SELECT count(*) FROM receipts) AS receipts,
                (SELECT count(*) FROM charges) AS charges, (SELECT count(*) FROM seasons) AS seasons,
                (SELECT max(business_date) FROM receipts) AS lastDay`,
      )
      .get() as {
      households: number;
      receipts: number;
      charges: number;
      seasons: number;
      lastDay: string | null;
    };
    log(JSON.stringify(size));
    const session = (await must(ctx, 'session.login', { clerkCode: '1001', pin: '123456' }))
      .session as string;
    const day = size.lastDay ?? new Date().toISOString().slice(0, 10);
    const month = day.slice(0, 7);
    const from = `${month}-01`;

    log(`reports for ${month} / ${day}…`);
    const monthly = await timeRuns(RUNS, () => must(ctx, 'report.monthly', { session, month }));
    const monthlyBefore = await timeRuns(5, () => db.prepare(MONTHLY_SEASONS_BEFORE).all());
    const daily = await timeRuns(RUNS, () =>
      must(ctx, 'report.daily', { session, businessDate: day }),
    );
    const collector = await timeRuns(RUNS, () =>
      must(ctx, 'report.collector', { session, from, to: day }),
    );
    const collectorBefore = await timeRuns(5, () =>
      db.prepare(COLLECTOR_SUBSIDY_BEFORE).all(from, day),
    );
    const subsidy = await timeRuns(RUNS, () => must(ctx, 'report.subsidy', { session }));
    const relief = await timeRuns(RUNS, () =>
      must(ctx, 'report.relief', {
        session,
        from: `${Number(month.slice(0, 4)) - 5}-01-01`,
        to: day,
      }),
    );
    const monthlyExport = await timeRuns(3, () =>
      must(ctx, 'report.export', { session, report: 'monthly', month, format: 'xlsx' }),
    );
    const dailyExport = await timeRuns(3, () =>
      must(ctx, 'report.export', { session, report: 'daily', businessDate: day, format: 'xlsx' }),
    );

    log('dunning…');
    const list = { session, minOwedFen: 1, minSeasonsOverdue: 1, limit: 100 }; // the screen's default
    const dunning = await timeRuns(RUNS, () => must(ctx, 'dunning.list', list));
    const dunningAll = await timeRuns(RUNS, () =>
      must(ctx, 'dunning.list', { ...list, minSeasonsOverdue: 0 }),
    );
    const first = (await must(ctx, 'dunning.list', list)) as {
      currentSeason: string | null;
      total: { count: number; owedFen: number };
    };

    log(`${PAYMENTS} payments, each followed by the list…`);
    await must(ctx, 'shift.open', { session, openingFloatFen: 0 }).catch(() => undefined);
    await must(ctx, 'book.issue', {
      session,
      series: 'SRPT',
      firstNo: 1,
      lastNo: 999_999,
      clerkCode: '1001',
      supervisorCode: '9001',
      supervisorPin: '888888',
    }).catch(() => undefined); // the clerk may hold a book of the ledger's history already
    const payers = db
      .prepare(
        'SELECT id, owed_fen FROM households WHERE overdue_seasons > 0 ORDER BY num LIMIT ? OFFSET 997',
      )
      .all(PAYMENTS + BASELINE_PAYMENTS) as { id: string; owed_fen: number }[];
    const pay = async (p: { id: string; owed_fen: number }, i: number) => {
      const amountFen = i % 3 === 0 ? p.owed_fen : Math.max(1, Math.floor(p.owed_fen / 2));
      const started = performance.now();
      await must(ctx, 'payment.take', {
        session,
        requestId: randomUUID(),
        householdId: p.id,
        amountFen,
        tenders: [{ kind: 'cash', amountFen, tenderedFen: amountFen }],
      });
      return performance.now() - started;
    };
    const payMs: number[] = [];
    const afterPayment: number[] = [];
    for (const [i, p] of payers.slice(0, PAYMENTS).entries()) {
      payMs.push(await pay(p, i));
      const started = performance.now();
      await must(ctx, 'dunning.list', list);
      afterPayment.push(performance.now() - started);
    }
    const afterBefore: number[] = [];
    for (const [i, p] of payers.slice(PAYMENTS).entries()) {
      await pay(p, i);
      const started = performance.now();
      db.prepare(OVERDUE_SET_BEFORE).get({ current: first.currentSeason ?? '' });
      afterBefore.push(performance.now() - started);
    }

    // what the 0022 triggers add to a payment: the season_payments write of a payment (its owed_fen
    // triggers, then 0022's) with and without them, inside a transaction rolled back
    const write = db.prepare(
      `UPDATE season_payments SET paid_fen = paid_fen + 1 WHERE household_id = ? AND season_id =
         (SELECT season_id FROM season_payments WHERE household_id = ? LIMIT 1)`,
    );
    const ids = payers.slice(0, PAYMENTS).map((p) => p.id);
    const writeCost = (): number[] =>
      ids.map((id) => {
        const started = performance.now();
        write.run(id, id);
        return (performance.now() - started) * 1000;
      });
    let withTriggers: number[] = [];
    let withoutTriggers: number[] = [];
    db.exec('BEGIN');
    try {
      writeCost(); // warm the pages
      withTriggers = writeCost();
      db.exec('DROP TRIGGER overdue_after_owed; DROP TRIGGER arrears_totals_update');
      withoutTriggers = writeCost();
    } finally {
      db.exec('ROLLBACK');
    }
    terminal.close();

    const figures = {
      season_reports_ledger: {
        households: size.households,
        receipts: size.receipts,
        charges: size.charges,
        seasons: size.seasons,
        month,
        day,
        dunning_default_count: first.total.count,
      },
      season_monthly_report_ms: p50(monthly),
      season_monthly_report_max_ms: max(monthly),
      season_monthly_report_before_0022_ms: p50(monthlyBefore),
      season_daily_report_ms: p50(daily),
      season_daily_report_max_ms: max(daily),
      season_collector_report_ms: p50(collector),
      season_collector_report_max_ms: max(collector),
      season_collector_subsidy_before_0022_ms: p50(collectorBefore),
      season_subsidy_report_ms: p50(subsidy),
      season_subsidy_report_max_ms: max(subsidy),
      season_relief_report_ms: p50(relief),
      season_relief_report_max_ms: max(relief),
      season_monthly_export_xlsx_ms: p50(monthlyExport),
      season_daily_export_xlsx_ms: p50(dailyExport),
      season_dunning_list_ms: p50(dunning),
      season_dunning_list_max_ms: max(dunning),
      season_dunning_list_all_ms: p50(dunningAll),
      season_dunning_after_payment_ms: p50(afterPayment),
      season_dunning_after_payment_max_ms: max(afterPayment),
      season_dunning_after_payment_payments: afterPayment.length,
      season_dunning_after_payment_before_0022_ms: p50(afterBefore),
      season_dunning_after_payment_ratio_vs_before: round(p50(afterPayment) / p50(afterBefore), 3),
      season_reports_payment_take_p50_ms: p50(payMs),
      season_reports_payment_take_p99_ms: round(percentile(payMs, 99), 1),
      season_payment_0022_trigger_cost_us: round(
        percentile(withTriggers, 50) - percentile(withoutTriggers, 50),
        1,
      ),
      season_payment_season_write_us: {
        with_0022: round(percentile(withTriggers, 50), 1),
        without_0022: round(percentile(withoutTriggers, 50), 1),
      },
    };
    const targets = {
      season_monthly_report_ms: 100,
      season_dunning_list_ms: 100,
      season_dunning_after_payment_ms: 100,
      season_dunning_after_payment_max_ms: 100,
    };
    const verdicts = Object.fromEntries(
      Object.entries(targets).map(([k, limit]) => {
        const value = figures[k as keyof typeof figures] as number;
        return [k, { value, limit, pass: value <= limit }];
      }),
    );
    for (const [k, v] of Object.entries(figures)) console.log(`${k} = ${JSON.stringify(v)}`);
    for (const [k, v] of Object.entries(verdicts))
      console.log(`${v.pass ? 'PASS' : 'FAIL'}  ${k} = ${v.value} (target ≤ ${v.limit})`);
    if (process.env.SEASON_REPORTS_LEDGER) return; // another ledger: printed, not recorded
    // read right before writing: other benches merge their own keys into the same file
    const results = existsSync(RESULTS)
      ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>)
      : {};
    writeFileSync(
      RESULTS,
      `${JSON.stringify(
        {
          ...results,
          ...figures,
          season_reports_targets: verdicts,
          season_reports_machine: {
            cpus: cpus().length,
            model: cpus()[0]?.model ?? '',
            loadavg_1m: round(loadavg()[0] ?? 0, 2),
          },
          season_reports_date: new Date().toISOString(),
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
