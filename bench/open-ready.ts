/**
 * Start-up and memory of the counter as it really starts, on the season ledger (issue 20):
 *
 * - `season_open_to_login_ms`: process spawn of the plain-Node host as `npm start` runs it where
 *   Electron cannot (`node dist/host/main.mjs`, bundled by scripts/build-host.mjs; the Electron shell
 *   runs the same code bundled the same way) until the login screen is usable: the page and the
 *   scripts and styles it loads served over HTTP, and the commands the login screen sends at once
 *   (`terminal.info`, `terminal.status`, `setup.status`) answered through the WebSocket.
 * - `season_first_search_ms`: process spawn to the first `household.search` answer (the login screen,
 *   then `session.login`, then the search).
 * - `season_rss_mb`: the host's RSS (its ledger worker threads included) after 1,000 searches and 100
 *   payments through the WebSocket, read from /proc.
 *
 * The ledger file is warm in the OS page cache (it was just copied or used), as on a counter started a
 * second time; a cold morning start reads the pages it needs from disk on top.
 *
 * `npm run bench:open` runs it alone on a copy of the season ledger (bench/season-ledger.ts;
 * BENCH_LEDGER=FILE takes another ledger with its .key and .checkpoint sidecars) and merges its keys
 * into bench/results.json; bench/run.ts calls `benchSeasonStart` on its own copy.
 */
import Database from 'better-sqlite3';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { withConnectionCache } from '../src-main/ledger/db';
import { drawQueries, payersOwing, QUERY_KINDS } from './queries';
import { median, round } from './stats';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STATIC_DIR = join(ROOT, 'dist', 'renderer');
/** What scripts/build-host.mjs writes and `npm start` runs where Electron cannot run. */
const HOST_ENTRY = join(ROOT, 'dist', 'host', 'main.mjs');

export interface SeasonStartOptions {
  /** A ledger this benchmark may write to (a copy): the payments of the RSS run are real. */
  dbFile: string;
  /** Start-ups timed (median reported). */
  runs?: number;
  searches?: number;
  payments?: number;
  /** Ledger worker threads (host --workers; default: the host's default, what a counter runs). */
  workers?: number;
  log?: (message: string) => void;
}

export interface SeasonStartResult {
  season_open_to_login_ms: number;
  season_first_search_ms: number;
  season_open_to_login_runs_ms: number[];
  season_first_search_runs_ms: number[];
  /** Spawn to the host's "Terminal running" line (it listens, the ledger is open). */
  season_open_to_listening_ms: number;
  /** Baseline, same run: the same host from source through tsx (npm start before the bundle). */
  season_open_to_login_tsx_ms: number;
  season_first_search_tsx_ms: number;
  season_rss_mb: number;
  /** The same host right after its first search, and its peak (VmHWM). */
  season_rss_after_open_mb: number;
  season_rss_peak_mb: number;
  season_rss_searches: number;
  season_rss_payments: number;
  /** The same workload with --workers 0 (nothing off the main thread): what the workers cost. */
  season_rss_no_workers_mb: number;
  season_rss_search_failures: number;
}

/** A JSON command client over the host's WebSocket (`{ id, name, input }` → `{ id, result }`). */
class Client {
  private nextId = 1;
  private readonly waiting = new Map<number, (result: CommandResult) => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number | null; result?: CommandResult };
      if (typeof message.id !== 'number') return; // a push
      this.waiting.get(message.id)?.(message.result!);
      this.waiting.delete(message.id);
    });
  }
  static open(url: string): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(new Client(ws)));
      ws.once('error', reject);
    });
  }
  call(name: string, input: Record<string, unknown>): Promise<CommandResult> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ id, name, input }));
    });
  }
  async must(name: string, input: Record<string, unknown>): Promise<unknown> {
    const r = await this.call(name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${JSON.stringify(r.error)}`);
    return r.value;
  }
  close() {
    this.ws.close();
  }
}

type CommandResult = { ok: true; value: unknown } | { ok: false; error: { code: string } };

interface Host {
  child: ChildProcess;
  url: string;
  /** ms from spawn */
  listeningMs: number;
  spawnedAt: number;
}

/** Spawns the bundled host the way `npm start` does and waits for its "running" line. */
function spawnHost(
  dbFile: string,
  workers: number | undefined,
  entry: readonly string[] = [HOST_ENTRY],
): Promise<Host> {
  const spawnedAt = performance.now();
  const child = spawn(
    process.execPath,
    [
      ...entry,
      ...['--db', dbFile, '--port', '0', '--static', STATIC_DIR],
      ...(workers === undefined ? [] : ['--workers', String(workers)]),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + String(d)).slice(-4000)));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`host exited (${code}) before running: ${err}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      const m = /Terminal running: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m && out.length - String(d).length <= m.index + m[0].length) {
        resolve({ child, url: m[1]!, listeningMs: performance.now() - spawnedAt, spawnedAt });
      }
    });
  });
}

async function stopHost(host: Host): Promise<void> {
  if (host.child.exitCode !== null) return;
  const exited = new Promise((r) => host.child.once('exit', r));
  host.child.kill('SIGTERM');
  await exited;
}

/** What the login screen needs before a clerk can type: the page, its assets, its first commands. */
async function loginScreen(url: string): Promise<Client> {
  const html = await (await fetch(`${url}/`)).text();
  const assets = [...html.matchAll(/(?:src|href)="(?:\.?\/)?([^"]+\.(?:js|css))"/g)].map(
    (m) => `/${m[1]!}`,
  );
  if (assets.length === 0) throw new Error('the page names no script: is dist/renderer built?');
  const page = Promise.all(
    assets.map(async (a) => {
      const res = await fetch(url + a);
      if (!res.ok) throw new Error(`${a}: HTTP ${res.status}`);
      await res.arrayBuffer();
    }),
  );
  const client = await Client.open(`${url.replace(/^http/, 'ws')}/api`);
  await Promise.all([
    page,
    client.must('terminal.info', {}),
    client.must('terminal.status', {}),
    client.must('setup.status', {}),
  ]);
  return client;
}

/** The host's resident and peak memory, MB (Linux /proc). */
function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
  return { rssMb: round(kb('VmRSS') / 1024, 1), peakMb: round(kb('VmHWM') / 1024, 1) };
}

/** Search queries of every kind and households that owe, drawn from the ledger read-only. */
function workload(dbFile: string, searches: number, payments: number) {
  const db = withConnectionCache(new Database(dbFile, { readonly: true }));
  try {
    const queries = drawQueries(db, Math.ceil(searches / QUERY_KINDS.length), 3)
      .slice(0, searches)
      .map((q) => q.text);
    const payers = payersOwing(db, payments, 17);
    return { queries, payers };
  } finally {
    db.close();
  }
}

/** One start: spawn → login screen usable → logged in → first search answered. */
async function timedStart(
  dbFile: string,
  firstQuery: string,
  workers: number | undefined,
  entry?: readonly string[],
) {
  const host = await spawnHost(dbFile, workers, entry);
  try {
    const client = await loginScreen(host.url);
    const loginMs = performance.now() - host.spawnedAt;
    const { session } = (await client.must('session.login', {
      clerkCode: '1001',
      pin: '123456',
    })) as { session: string };
    await client.must('household.search', { session, query: firstQuery });
    const searchMs = performance.now() - host.spawnedAt;
    return { host, client, session, loginMs, searchMs };
  } catch (e) {
    await stopHost(host);
    throw e;
  }
}

/** The counter's work after the start: searches with a payment every tenth (cash, with change). */
async function counterWork(
  client: Client,
  session: string,
  queries: readonly string[],
  payers: readonly { id: string; owed: number }[],
) {
  const shift = (await client.call('shift.open', { session, openingFloatFen: 200_000 })) as {
    ok: boolean;
    error?: { code: string };
  };
  if (!shift.ok && shift.error?.code !== 'SHIFT_ALREADY_OPEN')
    throw new Error(`shift.open: ${shift.error?.code}`);
  await client.must('book.issue', {
    session,
    series: `RS${String(Date.now() % 100_000).padStart(5, '0')}`,
    firstNo: 1,
    lastNo: 1_000_000,
    clerkCode: '1001',
    supervisorCode: '9001',
    supervisorPin: '888888',
  });
  const every = Math.max(1, Math.floor(queries.length / Math.max(1, payers.length)));
  let failures = 0;
  let paid = 0;
  for (let i = 0; i < queries.length; i++) {
    const r = await client.call('household.search', { session, query: queries[i] });
    if (!r.ok) failures++;
    if (i % every === every - 1 && paid < payers.length) {
      const p = payers[paid++]!;
      await client.must('payment.take', {
        session,
        requestId: randomUUID(),
        householdId: p.id,
        amountFen: p.owed,
        tenders: [
          { kind: 'cash', amountFen: p.owed, tenderedFen: Math.ceil(p.owed / 10_000) * 10_000 },
        ],
      });
    }
  }
  for (; paid < payers.length; paid++) {
    const p = payers[paid]!;
    await client.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: p.id,
      amountFen: p.owed,
      tenders: [{ kind: 'cash', amountFen: p.owed, tenderedFen: p.owed }],
    });
  }
  return { failures, paid };
}

export async function benchSeasonStart(options: SeasonStartOptions): Promise<SeasonStartResult> {
  const log = options.log ?? ((m: string) => process.stderr.write(`[open] ${m}\n`));
  const runs = options.runs ?? 5;
  const searches = options.searches ?? 1_000;
  const payments = options.payments ?? 100;
  if (!existsSync(join(STATIC_DIR, 'index.html'))) {
    log('building the renderer (npx vite build)…'); // what npm start builds first
    execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
  }
  // what npm start builds before it starts the host
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-host.mjs')], { cwd: ROOT });
  const { queries, payers } = workload(options.dbFile, searches + runs, payments * 2);

  const login: number[] = [];
  const first: number[] = [];
  const listening: number[] = [];
  // Baseline in the same run: the same host started from source through tsx (how npm start ran it
  // before the bundle), interleaved with the bundle's starts.
  const tsxLogin: number[] = [];
  const tsxFirst: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await timedStart(options.dbFile, queries[searches + i]!, options.workers);
    run.client.close();
    await stopHost(run.host);
    login.push(run.loginMs);
    first.push(run.searchMs);
    listening.push(run.host.listeningMs);
    log(
      `start ${i + 1}/${runs}: login ${round(run.loginMs, 0)} ms, search ${round(run.searchMs, 0)} ms`,
    );
    if (i % 2 === 0) {
      const tsx = await timedStart(options.dbFile, queries[searches + i]!, options.workers, [
        '--import',
        'tsx',
        join(ROOT, 'src-main', 'host', 'main.ts'),
      ]);
      tsx.client.close();
      await stopHost(tsx.host);
      tsxLogin.push(tsx.loginMs);
      tsxFirst.push(tsx.searchMs);
      log(`  tsx baseline: login ${round(tsx.loginMs, 0)} ms, search ${round(tsx.searchMs, 0)} ms`);
    }
  }

  const memoryRun = async (workers: number | undefined, work: typeof payers) => {
    const run = await timedStart(options.dbFile, queries[0]!, workers);
    try {
      const afterOpen = memoryOf(run.host.child.pid!);
      const done = await counterWork(run.client, run.session, queries.slice(0, searches), work);
      const after = memoryOf(run.host.child.pid!);
      run.client.close();
      return { afterOpen, after, ...done };
    } finally {
      await stopHost(run.host);
    }
  };
  const mem = await memoryRun(options.workers, payers.slice(0, payments));
  log(`rss after ${searches} searches + ${mem.paid} payments: ${mem.after.rssMb} MB`);
  const bare = await memoryRun(0, payers.slice(payments));
  log(`the same with --workers 0: ${bare.after.rssMb} MB`);

  return {
    season_open_to_login_ms: round(median(login), 1),
    season_first_search_ms: round(median(first), 1),
    season_open_to_login_runs_ms: login.map((x) => round(x, 1)),
    season_first_search_runs_ms: first.map((x) => round(x, 1)),
    season_open_to_listening_ms: round(median(listening), 1),
    season_open_to_login_tsx_ms: round(median(tsxLogin), 1),
    season_first_search_tsx_ms: round(median(tsxFirst), 1),
    season_rss_mb: mem.after.rssMb,
    season_rss_after_open_mb: mem.afterOpen.rssMb,
    season_rss_peak_mb: mem.after.peakMb,
    season_rss_searches: searches,
    season_rss_payments: mem.paid,
    season_rss_no_workers_mb: bare.after.rssMb,
    season_rss_search_failures: mem.failures + bare.failures,
  };
}

// ---------------------------------------------------------------------------------------------
// `npm run bench:open`

async function main() {
  let source = process.env.BENCH_LEDGER;
  if (!source) {
    const { ensureSeasonLedger } = await import('./season-ledger');
    source = ensureSeasonLedger().file;
  }
  const workDir = join(tmpdir(), `bench-open-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  try {
    const dbFile = join(workDir, 'ledger.db');
    copyFileSync(source, dbFile);
    for (const side of ['.key', '.checkpoint'])
      if (existsSync(source + side)) copyFileSync(source + side, dbFile + side);
    const result = await benchSeasonStart({ dbFile });
    const resultsFile = join(ROOT, 'bench', 'results.json');
    const previous = existsSync(resultsFile)
      ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, unknown>)
      : {};
    const merged = {
      ...previous,
      ...result,
      season_open_date: new Date().toISOString(),
      season_open_machine: `${cpus()[0]?.model ?? 'unknown'} ×${cpus().length}, node ${process.version}`,
      season_open_ledger: source.replace(ROOT, ''),
    };
    writeFileSync(resultsFile, `${JSON.stringify(merged, null, 2)}\n`);
    for (const [k, limit] of [
      ['season_open_to_login_ms', 2000],
      ['season_first_search_ms', 1000],
      ['season_rss_mb', 250],
    ] as const) {
      const v = result[k];
      console.log(`${v <= limit ? 'PASS' : 'FAIL'}  ${k} = ${v} (target ≤ ${limit})`);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
