/**
 * `npm run bench`: search, payment-commit, open-ready and RSS on the season-volume ledger
 * (bench/season-ledger.ts: 500k households, five seasons, 300k receipts).
 * Every figure has a baseline measured in the same run (the machine is noisy); writes bench/results.json.
 */
import { benchReceiptRender } from './receipt-render';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dispatch } from '../src-main/api/dispatch';
import { openTerminal } from '../src-main/app/open-terminal';
import type { CommandName } from '@heating-cashier/core/contract/commands';
import { WAL_AUTOCHECKPOINT_PAGES } from '../src-main/ledger/db';
import { ftsExpression, parseQuery } from '../src-main/features/households/search-tokens.store';
import type { ServiceContext } from '../src-main/services/context';
import { queueCommittedReceipts } from '../src-main/features/printing/print-queue';
import { drawQueries, payersOwing, QUERY_KINDS, type BenchQuery, type QueryKind } from './queries';
import { benchUi } from './ui';
import { BENCH_CACHE_DIR } from './ledger-cache';
import { ensureSeasonLedger } from './season-ledger';
import { openPaymentFloor } from './payment-floor';
import { profilePayments } from './payment-breakdown';
import { benchSeasonStart } from './open-ready';
import { ratio, round, summarize } from './stats';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE_DIR = BENCH_CACHE_DIR;
const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS ?? 500_000);
const PER_KIND = 300;
const WARMUP_PER_KIND = 40;
/** Enough payments (~28 WAL frames each with their paper) to fill the 8,000-frame WAL and wrap it. */
const PAYMENT_WARMUP = 400;
/** The bare database's WAL wraps at SQLite's default autocheckpoint, 1,000 frames (one per insert). */
const BARE_WAL_WRAP_INSERTS = 1_100;
/** The growing-WAL diagnostic keeps the earlier method: 50 warm-up inserts on a fresh file. */
const GROWING_WARMUP = 50;
/** The floor writes ~5 frames a commit: enough to wrap its 1,000-frame WAL. */
const FLOOR_WAL_WRAP_PAYMENTS = 400;
const FLOOR_PAYMENTS = 1000;
const PAYMENTS = 1000;
const THROUGHPUT_PAYMENTS = 300;
const NO_FSYNC_PAYMENTS = 200;
const COLD_PAYMENTS = 200;
const BREAKDOWN_PAYMENTS = 300;
const OPEN_RUNS = 5;
// Baseline: the bare FTS5 query a naive search would run — the same MATCH, returning the 20 household
// rows it would show, unranked, without amounts owed and without dispatch/validation.
const RAW_FTS_SQL = `SELECT h.* FROM household_search s JOIN households h ON h.num = s.rowid
     WHERE household_search MATCH ? LIMIT 20`;
// Lower bound for reference: only the 20 FTS rowids.
const FTS_ROWIDS_SQL = 'SELECT rowid FROM household_search WHERE household_search MATCH ? LIMIT 20';

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const mb = (bytes: number) => round(bytes / 2 ** 20, 1);

function timed<T>(fn: () => T): [number, T] {
  const t0 = performance.now();
  const v = fn();
  return [performance.now() - t0, v];
}

async function must(ctx: ServiceContext, name: CommandName, input: Record<string, unknown>) {
  const r = await dispatch(ctx, name, input);
  if (!r.ok) throw new Error(`${name} failed: ${r.error.code} ${JSON.stringify(r.error)}`);
  return r.value;
}

// ---------------------------------------------------------------------------------------------
// The ledger: the season-volume ledger (bench/season-ledger.ts), built once and cached

// ---------------------------------------------------------------------------------------------
// Search

interface KindSamples {
  ours: number[];
  raw: number[];
  rowids: number[];
  results: number[];
  found: number;
}

async function benchSearch(ctx: ServiceContext, session: string) {
  const db = ctx.db;
  const raw = db.prepare(RAW_FTS_SQL);
  const ours = async (q: BenchQuery) => {
    const t0 = performance.now();
    const r = await dispatch(ctx, 'household.search', { session, query: q.text });
    const dt = performance.now() - t0;
    if (!r.ok) throw new Error(`search ${JSON.stringify(q)} failed: ${r.error.code}`);
    const results = (r.value as { results: { id: string }[] }).results;
    return { dt, n: results.length, found: results.some((h) => h.id === q.householdId) };
  };
  const rowids = db.prepare(FTS_ROWIDS_SQL);
  const bare = (expr: string) => timed(() => raw.all(expr))[0];
  const bareRowids = (expr: string) => timed(() => rowids.all(expr))[0];

  for (const q of drawQueries(db, WARMUP_PER_KIND, 2)) {
    await ours(q);
    bare(ftsExpression(parseQuery(q.text)));
  }

  const queries = drawQueries(db, PER_KIND, 7);
  const samples = new Map<QueryKind, KindSamples>(
    QUERY_KINDS.map((k) => [k, { ours: [], raw: [], rowids: [], results: [], found: 0 }]),
  );
  for (const [i, q] of queries.entries()) {
    const s = samples.get(q.kind)!;
    const expr = ftsExpression(parseQuery(q.text));
    // alternate which goes first so neither always runs on pages the other just cached
    if (i % 2 === 0) s.raw.push(bare(expr));
    s.rowids.push(bareRowids(expr));
    const o = await ours(q);
    s.ours.push(o.dt);
    s.results.push(o.n);
    if (o.found) s.found++;
    if (i % 2 === 1) s.raw.push(bare(expr));
  }

  const perKind: Record<string, unknown> = {};
  for (const [kind, s] of samples) {
    const o = summarize(s.ours);
    const r = summarize(s.raw);
    perKind[kind] = {
      p50: o.p50,
      p99: o.p99,
      ratio_vs_raw_fts: ratio(o.p50, r.p50),
      p99_ratio_vs_raw_fts: ratio(o.p99, r.p99),
      raw_fts_p50: r.p50,
      raw_fts_p99: r.p99,
      ratio_vs_fts_rowids: ratio(o.p50, summarize(s.rowids).p50),
      max: o.max,
      avg_results: round(s.results.reduce((a, b) => a + b, 0) / s.results.length, 1),
      // share of queries whose source household is among the results (broad kinds: refine by design)
      found_rate: round(s.found / s.results.length, 3),
      n: o.n,
    };
  }
  const all = [...samples.values()];
  const pooledOurs = summarize(all.flatMap((s) => s.ours));
  const pooledRaw = summarize(all.flatMap((s) => s.raw));
  const pooledRowids = summarize(all.flatMap((s) => s.rowids));
  return {
    queries,
    flat: {
      search_p50: pooledOurs.p50,
      search_p99: pooledOurs.p99,
      search_ratio_vs_raw_fts: ratio(pooledOurs.p50, pooledRaw.p50),
      search_p99_ratio_vs_raw_fts: ratio(pooledOurs.p99, pooledRaw.p99),
      raw_fts_p50: pooledRaw.p50,
      raw_fts_p99: pooledRaw.p99,
      search_ratio_vs_fts_rowids: ratio(pooledOurs.p50, pooledRowids.p50),
      fts_rowids_p50: pooledRowids.p50,
      search_queries: pooledOurs.n,
    },
    perKind,
  };
}

// ---------------------------------------------------------------------------------------------
// Payments

async function benchPayments(ctx: ServiceContext, session: string, dir: string) {
  await must(ctx, 'shift.open', { session, openingFloatFen: 200_000 });
  await must(ctx, 'book.issue', {
    session,
    series: 'BENCH',
    firstNo: 1,
    lastNo: 1_000_000,
    clerkCode: '1001',
    supervisorCode: '9001',
    supervisorPin: '888888',
  });
  const payers = payersOwing(
    ctx.db,
    PAYMENT_WARMUP +
      PAYMENTS +
      THROUGHPUT_PAYMENTS +
      NO_FSYNC_PAYMENTS +
      COLD_PAYMENTS +
      BREAKDOWN_PAYMENTS,
    11,
  );
  // The payment screen shows the allocation first (payment.preview, which checks the household's
  // signed rows), then the clerk takes the money: the commit is timed, the preview is not. The
  // cold payments below take the money without a preview (the checks then run in the commit).
  const preview = (p: { id: string; owed: number }) =>
    must(ctx, 'payment.preview', { session, householdId: p.id, amountFen: p.owed });
  const pay = async (p: { id: string; owed: number }, previewFirst = true) => {
    if (previewFirst) await preview(p);
    const t0 = performance.now();
    await must(ctx, 'payment.take', {
      session,
      requestId: randomUUID(),
      householdId: p.id,
      amountFen: p.owed,
      tenders: [
        { kind: 'cash', amountFen: p.owed, tenderedFen: Math.ceil(p.owed / 10_000) * 10_000 },
      ],
    });
    return performance.now() - t0;
  };

  // Both sides are measured in the WAL's steady state. A WAL file that is still growing costs
  // ~0.25 ms more per fsync here (the file size is metadata the filesystem journals too), and a
  // fresh bare database grows its WAL for its first 1,000 one-page commits, while the ledger's WAL
  // wraps within its warm-up. The bare insert on a fresh WAL, which earlier runs compared against,
  // is still measured, interleaved, as a diagnostic.
  const bareSide = (name: string) => {
    const db = new Database(join(dir, name));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (payload) VALUES (?)');
    const insertOne = db.transaction((payload: string) => insert.run(payload));
    return { db, insert: () => timed(() => insertOne(randomUUID()))[0] };
  };
  const steadyBare = bareSide('bare-insert.db');
  const growingBare = bareSide('bare-insert-growing-wal.db');
  for (let i = 0; i < BARE_WAL_WRAP_INSERTS; i++) steadyBare.insert();
  // The floor (payment-floor.ts): what the design cannot do without, over as many households.
  const floor = openPaymentFloor(join(dir, 'payment-floor.db'), HOUSEHOLDS);
  for (let i = 0; i < FLOOR_WAL_WRAP_PAYMENTS; i++) floor.pay();
  if (statSync(`${floor.file}-wal`).size < 1000 * 4096)
    throw new Error('floor warm-up left its WAL short of its steady size');

  // The receipt's copies are queued in the payment's own commit: one commit, everything in it.
  let next = 0;
  for (; next < PAYMENT_WARMUP; next++) {
    await pay(payers[next]!);
    if (next < GROWING_WARMUP) growingBare.insert();
  }
  if (queueCommittedReceipts(ctx) !== 0) throw new Error('a payment left its paper unqueued');
  const walFile = `${ctx.db.name}-wal`;
  const steadyWalBytes =
    WAL_AUTOCHECKPOINT_PAGES * (ctx.db.pragma('page_size', { simple: true }) as number);
  if (statSync(walFile).size < steadyWalBytes) {
    throw new Error(
      `payment warm-up left the WAL short of its steady size (${statSync(walFile).size} B)`,
    );
  }
  const ours: number[] = [];
  const base: number[] = [];
  const growing: number[] = [];
  const floorSamples: number[] = [];
  for (let i = 0; i < PAYMENTS; i++, next++) {
    if (i % 2 === 0) base.push(steadyBare.insert());
    else growing.push(growingBare.insert());
    ours.push(await pay(payers[next]!));
    if (i % 2 === 1) base.push(steadyBare.insert());
    else growing.push(growingBare.insert());
  }
  // The floor in a loop of its own (interleaved with the payments it slowed them down), against
  // the same steady bare insert.
  const floorBase: number[] = [];
  for (let i = 0; i < FLOOR_PAYMENTS; i++) {
    if (i % 2 === 0) floorBase.push(steadyBare.insert());
    floorSamples.push(floor.pay());
    if (i % 2 === 1) floorBase.push(steadyBare.insert());
  }
  steadyBare.db.close();
  growingBare.db.close();
  floor.close();

  // Without the preview: the household's signed rows are checked in the commit.
  const cold: number[] = [];
  for (let i = 0; i < COLD_PAYMENTS; i++, next++) cold.push(await pay(payers[next]!, false));

  // Where the time goes: a CPU profile of payments (after their previews), split by phase.
  const breakdownPayers = payers.slice(next, next + BREAKDOWN_PAYMENTS);
  next += BREAKDOWN_PAYMENTS;
  for (const p of breakdownPayers) await preview(p);
  const breakdown = await profilePayments(BREAKDOWN_PAYMENTS, async () => {
    for (const p of breakdownPayers) await pay(p, false);
  });

  // Sustained rate: preview and payment (with its paper), back to back.
  const started = performance.now();
  for (let i = 0; i < THROUGHPUT_PAYMENTS; i++, next++) await pay(payers[next]!);
  const throughputS = (performance.now() - started) / 1000;

  // Diagnostic: the same command without the fsync, i.e. the CPU + write() cost of a payment.
  const noFsync: number[] = [];
  ctx.db.pragma('synchronous = OFF');
  try {
    for (let i = 0; i < NO_FSYNC_PAYMENTS; i++, next++) noFsync.push(await pay(payers[next]!));
  } finally {
    ctx.db.pragma('synchronous = FULL');
  }

  const o = summarize(ours);
  const b = summarize(base);
  const g = summarize(growing);
  const f = summarize(floorSamples);
  const fb = summarize(floorBase);
  return {
    payment_commit_p50: o.p50,
    payment_commit_p99: o.p99,
    payment_commit_ratio_vs_bare_insert: ratio(o.p50, b.p50),
    payment_commit_p99_ratio_vs_bare_insert: ratio(o.p99, b.p99),
    bare_insert_p50: b.p50,
    bare_insert_p99: b.p99,
    bare_insert_growing_wal_p50: g.p50,
    payment_commit_ratio_vs_growing_wal_insert: ratio(o.p50, g.p50),
    payment_commit_max: o.max,
    payment_floor_p50: f.p50,
    payment_floor_ratio_vs_bare_insert: ratio(f.p50, fb.p50),
    payment_commit_ratio_vs_floor: ratio(o.p50, f.p50),
    payment_no_fsync_p50: summarize(noFsync).p50,
    /** The commit's fsync: the same payments with synchronous = FULL and OFF. */
    payment_fsync_ms: round(o.p50 - summarize(noFsync).p50, 3),
    payment_commit_cold_p50: summarize(cold).p50,
    payment_commit_cold_p99: summarize(cold).p99,
    /** CPU profile, ms per payment by phase (bench/payment-breakdown.ts); the profiler adds its own. */
    payment_breakdown_ms: breakdown.msPerPayment,
    payment_breakdown_sampled_ms: breakdown.sampledMsPerPayment,
    payment_commits_per_payment: 1,
    payments_per_s: round(THROUGHPUT_PAYMENTS / throughputS, 1),
    payments_total: next,
  };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const benchStarted = performance.now();
  const { file: cached, meta, cached: wasCached } = ensureSeasonLedger({ log });
  log(`ledger: ${cached} (${wasCached ? 'cached' : `built in ${meta.buildSeconds} s`})`);
  const workDir = join(CACHE_DIR, `run-${process.pid}`);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  try {
    const dbFile = join(workDir, 'ledger.db');
    copyFileSync(cached, dbFile);
    for (const side of ['.key', '.checkpoint'])
      if (existsSync(cached + side)) copyFileSync(cached + side, dbFile + side);
    const terminal = openTerminal({ dbFile, timeZone: 'Asia/Shanghai' });
    const ctx = terminal.ctx;
    const sqlite = (ctx.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    const login = (await must(ctx, 'session.login', { clerkCode: '1001', pin: '123456' })) as {
      session: string;
    };

    log('search…');
    const search = await benchSearch(ctx, login.session);
    log(`search p50 ${search.flat.search_p50} ms, p99 ${search.flat.search_p99} ms`);

    log('payments…');
    const payments = await benchPayments(ctx, login.session, workDir);
    log(`commit p50 ${payments.payment_commit_p50} ms, p99 ${payments.payment_commit_p99} ms`);
    log('ui search (Chromium, keystroke -> results rendered)…');
    const ui = await benchUi(ctx, workDir);
    log(`ui search p50 ${ui.ui_search_p50_ms} ms, p95 ${ui.ui_search_p95_ms} ms`);
    ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    terminal.close();

    log('start and memory (the host bundle in child processes, bench/open-ready.ts)…');
    const open = await benchSeasonStart({ dbFile, runs: OPEN_RUNS, log });

    log('receipt render…');
    const receiptRender = benchReceiptRender();

    const targets = {
      season_search_p99: { value: search.flat.search_p99, limit: 15 },
      search_ratio_vs_raw_fts: { value: search.flat.search_ratio_vs_raw_fts, limit: 2 },
      payment_commit_p99: { value: payments.payment_commit_p99, limit: 10 },
      season_open_to_login_ms: { value: open.season_open_to_login_ms, limit: 2000 },
      season_first_search_ms: { value: open.season_first_search_ms, limit: 1000 },
      season_rss_mb: { value: open.season_rss_mb, limit: 250 },
      receipt_render_p99_ms: { value: receiptRender.receipt_render_p99_ms, limit: 5 },
      ui_search_p95_ms: { value: ui.ui_search_p95_ms, limit: 100 },
    };
    const verdicts = Object.fromEntries(
      Object.entries(targets).map(([k, t]) => [k, { ...t, pass: t.value <= t.limit }]),
    );
    const results = {
      date: new Date().toISOString(),
      node: process.version,
      sqlite,
      cpu: cpus()[0]?.model ?? 'unknown',
      cpu_count: cpus().length,
      platform: `${process.platform}-${process.arch}`,
      households: meta.households,
      ledger: 'season',
      season_ledger_receipts: meta.receipts,
      season_ledger_events: meta.events,
      season_ledger_build_s: meta.buildSeconds,
      seed_cached: wasCached,
      db_size_mb: mb(statSync(cached).size),
      ...search.flat,
      // the issue's names for the same figures: every search here runs on the season ledger
      season_search_p99: search.flat.search_p99,
      search: search.perKind,
      ...payments,
      ...open,
      // what bench:open records beside its keys, so the ones kept from an earlier run are replaced
      season_open_date: new Date().toISOString(),
      season_open_machine: `${cpus()[0]?.model ?? 'unknown'} ×${cpus().length}, node ${process.version}`,
      season_open_ledger: cached.replace(ROOT, ''),
      ...receiptRender,
      ...ui,
      targets: verdicts,
      bench_total_s: round((performance.now() - benchStarted) / 1000, 1),
    };
    const resultsFile = join(ROOT, 'bench', 'results.json');
    // keep the figures `npm run bench:sync` / `bench:zvt` / `bench:cash` / `bench:trust` measured in their own runs
    const keptSync = existsSync(resultsFile)
      ? Object.fromEntries(
          Object.entries(
            JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, unknown>,
          ).filter(([k]) =>
            /^(season_|counter_stall_|sync_|ho_|zvt_|close_shift_|monthly_report_|cash_|terminal_import_|xlsx_read_|dunning_list_|import_|trust_|verify_|sign_verify_|sign_per_|checkpoint_write_)/.test(
              k,
            ),
          ),
        )
      : {};
    writeFileSync(resultsFile, `${JSON.stringify({ ...keptSync, ...results }, null, 2)}\n`);
    for (const [name, v] of Object.entries(verdicts)) {
      console.log(`${v.pass ? 'PASS' : 'FAIL'}  ${name} = ${v.value} (target ≤ ${v.limit})`);
    }
    console.log(`bench/results.json written (${results.bench_total_s} s)`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
