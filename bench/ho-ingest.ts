/**
 * `npm run bench:ho-ingest`: head office's ingest with one terminal pushing alone, then with three
 * pushing at once, then with the three spread over two head-office processes on one database (in
 * BENCH_HO_INGEST_ROUNDS rounds, default 3; the round with the median ratio is reported). Every
 * terminal is its own process (`node --import tsx bench/ho-ingest.ts push <ledger>`, the real
 * SyncWorker over loopback HTTP, batches of 1,000), and so is head office
 * (`head-office/src/main.ts serve` on a throwaway PostgreSQL 15 database, a fresh one per run).
 * Each terminal's backlog (BENCH_HO_INGEST_EVENTS receipt events, default 40,000) is built once and
 * cached under bench/.cache/ (key: the recipe and the size). Writes
 * `ho_ingest_1_terminal_events_per_s`, `ho_ingest_3_terminals_events_per_s` and
 * `ho_ingest_3_terminals_ratio` (target ≥ 1.5), and the two-instance figures, into
 * bench/results.json, keeping the other keys.
 * Needs the test cluster (TEST_PG_URL, default postgres://postgres:postgres@127.0.0.1:5432/postgres).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openTerminal } from '../src-main/app/open-terminal';
import { appendSyncBacklog } from './sync-backlog';
import { SyncWorker } from '../src-main/features/sync/worker';
import { enrollTerminal } from '../src-main/features/sync/enroll';
import { syncState } from '../src-main/features/sync/store';
import { openPostgres } from '../head-office/src/db';
import { issueEnrollmentCode } from '../head-office/src/enrollment';
import { throwawayDatabase } from '../tests/support/head-office';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(ROOT, 'bench', '.cache');
const EVENTS = Number(process.env.BENCH_HO_INGEST_EVENTS ?? 40_000);
const TERMINALS = 3;
const BATCH = 1000;
const ROUNDS = Number(process.env.BENCH_HO_INGEST_ROUNDS ?? 3);

function cacheKey(): string {
  const h = createHash('sha256');
  // the recipe, not the rest of this file; not the migrations: the terminal process migrates its
  // copy when it opens it, before it pushes (and before the clock starts)
  h.update(buildBacklog.toString()).update(appendSyncBacklog.toString());
  return h.update(`${EVENTS}`).digest('hex').slice(0, 16);
}

/** One terminal's ledger with `EVENTS` signed, chained receipt events (as bench/sync.ts builds). */
async function buildBacklog(file: string, n: number): Promise<void> {
  let now = Date.parse('2026-12-01T01:00:00Z') + n * 3_600_000;
  const t = openTerminal({
    dbFile: file,
    demoIfEmpty: true,
    demoHouseholds: 2000,
    timeZone: 'Asia/Shanghai',
    terminalName: `bench ${n}`,
    clock: () => new Date(now),
  });
  try {
    const ctx = t.ctx;
    await appendSyncBacklog(t, {
      events: EVENTS,
      series: `B${n}`,
      ids: `T${n}`,
      tick: () => new Date((now += 50)),
    });
    ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    t.close();
  }
}

/** The ledger and the files beside it: its signing key and its signed checkpoint. */
const LEDGER_FILES = ['', '.key', '.checkpoint'];

const cacheDir = () => join(CACHE, `ho-ingest-${EVENTS}-${cacheKey()}`);

async function ensureBacklogs(): Promise<string[]> {
  const dir = cacheDir();
  const files = Array.from({ length: TERMINALS }, (_, i) => join(dir, `terminal-${i + 1}.db`));
  if (existsSync(dir)) return files;
  const building = `${dir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  for (let i = 0; i < TERMINALS; i++) {
    const t0 = performance.now();
    await buildBacklog(join(building, `terminal-${i + 1}.db`), i + 1);
    console.log(
      `built terminal ${i + 1}'s backlog in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  renameSync(building, dir);
  return files;
}

/** A process's /proc stat fields after its name (Linux), or null when it is gone. */
function statOf(pid: string | number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}
const TICK_MS = 10; // USER_HZ = 100

/** CPU time (user + system, ms) a process has used so far. */
function cpuMsOf(pid: number): number {
  const f = statOf(pid);
  return f ? (Number(f[11]) + Number(f[12])) * TICK_MS : 0;
}

/**
 * CPU time used so far by PostgreSQL: every live postgres process's own, plus what the postmaster
 * collected from the backends that have exited (cutime + cstime), so a closed connection's time
 * is not lost between two readings.
 */
function postgresCpuMs(): number {
  const procs = new Map<string, string[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue; // exited meanwhile
    }
    const f = statOf(d);
    if (f) procs.set(d, f);
  }
  let ticks = 0;
  for (const f of procs.values()) {
    ticks += Number(f[11]) + Number(f[12]);
    if (!procs.has(f[1]!)) ticks += Number(f[13]) + Number(f[14]); // the postmaster
  }
  return ticks * TICK_MS;
}

interface HeadOfficeProcess {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

/** A head-office process on `databaseUrl` . */
async function startHeadOfficeProcess(databaseUrl: string): Promise<HeadOfficeProcess> {
  const child = spawn(
    process.execPath,
    [
      // BENCH_HO_CPU_PROF=DIR: head office's CPU profile, to see where its time goes
      ...(process.env.BENCH_HO_CPU_PROF
        ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_HO_CPU_PROF]
        : []),
      '--import',
      'tsx',
      // BENCH_HO_MAIN=/path/head-office/src/main.ts: another head-office build (an A/B run)
      process.env.BENCH_HO_MAIN ?? join(ROOT, 'head-office', 'src', 'main.ts'),
      'serve',
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        HO_PORT: '0',
        HO_HOST: '127.0.0.1',
        HO_ADMIN_TOKEN: `hoa_bench_${process.pid}_0123456789`,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /head office on (http:\/\/[^/]+)\/v1\/health/.exec(line);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`head office exited (${code})`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid!,
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * `instances` head-office processes on one fresh throwaway PostgreSQL database (started one after
 * the other: the first one migrates it).
 */
async function startHeadOffice(instances: number) {
  const tdb = await throwawayDatabase();
  const procs: HeadOfficeProcess[] = [];
  try {
    for (let i = 0; i < instances; i++) procs.push(await startHeadOfficeProcess(tdb.url));
  } catch (e) {
    await Promise.all(procs.map((p) => p.stop()));
    await tdb.drop();
    throw e;
  }
  return {
    databaseUrl: tdb.url,
    procs,
    async stop() {
      await Promise.all(procs.map((p) => p.stop()));
      await tdb.drop();
    },
  };
}

/** A working copy of each cached backlog, enrolled with head office (instances in turn). */
async function enrolledCopies(
  ho: { databaseUrl: string; procs: readonly HeadOfficeProcess[] },
  backlogs: readonly string[],
  work: string,
): Promise<string[]> {
  const db = await openPostgres(ho.databaseUrl, 2);
  try {
    const out: string[] = [];
    for (const [i, src] of backlogs.entries()) {
      const file = join(work, `t${i + 1}.db`);
      for (const ext of [...LEDGER_FILES, '-wal', '-shm']) rmSync(file + ext, { force: true });
      for (const ext of LEDGER_FILES)
        if (existsSync(src + ext)) copyFileSync(src + ext, file + ext);
      const t = openTerminal({ dbFile: file, timeZone: 'Asia/Shanghai' });
      try {
        const { code } = await issueEnrollmentCode(db, { name: `bench ${i + 1}` });
        await enrollTerminal(t.ctx, { url: ho.procs[i % ho.procs.length]!.url, code });
      } finally {
        t.close();
      }
      out.push(file);
    }
    return out;
  } finally {
    await db.close();
  }
}

interface PushReport {
  events: number;
  /** Wall clock (ms since the epoch, sub-ms) of the first push request and of the last push answer. */
  start: number;
  end: number;
  /** CPU time the terminal process spent from `go` to the end of its pushes. */
  cpuMs: number;
}

/**
 * Starts one terminal process; resolves once it has opened its ledger and waits for `go`. It
 * reports when its pushes are done, then waits for `pull` before its sync cycle pulls (the other
 * terminals' payments): the pulls would otherwise compete with the pushes still running.
 */
async function terminalProcess(file: string): Promise<{
  go(): void;
  report: Promise<PushReport>;
  pull(): Promise<void>;
}> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), 'push', file],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  const report = new Promise<PushReport>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line === 'ready') ready();
      else if (line.startsWith('{')) resolve(JSON.parse(line) as PushReport);
    });
    void exited.then((code) =>
      reject(new Error(`terminal process for ${file} exited (${code}) before its report`)),
    );
  });
  report.catch(() => undefined);
  await Promise.race([isReady, report]);
  return {
    go: () => child.stdin!.write('go\n'),
    report,
    async pull() {
      child.stdin!.end('pull\n');
      const code = await exited;
      if (code !== 0) throw new Error(`terminal process for ${file} exited (${code})`);
    },
  };
}

/**
 * One run: a fresh head office (`instances` processes on one database), `files` enrolled (terminal
 * i with instance i mod instances), all their processes pushing at once.
 */
async function run(
  backlogs: readonly string[],
  work: string,
  instances = 1,
): Promise<{
  events: number;
  seconds: number;
  perTerminal: number[];
  cpuS: { headOffice: number; postgres: number; terminals: number };
}> {
  const ho = await startHeadOffice(instances);
  const hoCpuMs = () => ho.procs.reduce((sum, p) => sum + cpuMsOf(p.pid), 0);
  try {
    const files = await enrolledCopies(ho, backlogs, work);
    const procs = [];
    for (const f of files) procs.push(await terminalProcess(f));
    const cpu0 = { ho: hoCpuMs(), pg: postgresCpuMs() };
    for (const p of procs) p.go();
    const reports = await Promise.all(procs.map((p) => p.report));
    const cpuS = {
      headOffice: (hoCpuMs() - cpu0.ho) / 1000,
      postgres: (postgresCpuMs() - cpu0.pg) / 1000,
      terminals: reports.reduce((sum, r) => sum + r.cpuMs, 0) / 1000,
    };
    await Promise.all(procs.map((p) => p.pull())); // each sync cycle ends as it would
    const start = Math.min(...reports.map((r) => r.start));
    const end = Math.max(...reports.map((r) => r.end));
    const events = reports.reduce((s, r) => s + r.events, 0);
    // head office holds exactly what was pushed
    const db = await openPostgres(ho.databaseUrl, 1);
    try {
      const [{ n }] = (await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM ho_events',
      )) as [{ n: number }];
      if (n !== events) throw new Error(`head office holds ${n} events, ${events} were pushed`);
    } finally {
      await db.close();
    }
    return {
      events,
      seconds: (end - start) / 1000,
      perTerminal: reports.map((r) => Math.round(r.events / ((r.end - r.start) / 1000))),
      cpuS,
    };
  } finally {
    await ho.stop();
  }
}

/**
 * The child: opens the ledger, says `ready`, waits for `go`, drains the backlog to head office;
 * when its pushes are done (its cycle's first pull), reports and waits for `pull`.
 */
async function push(file: string): Promise<void> {
  const t = openTerminal({ dbFile: file, timeZone: 'Asia/Shanghai' });
  try {
    const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
    const events = t.ctx.db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    let start = 0;
    let end = 0;
    let cpu0 = process.cpuUsage();
    let reported = false;
    const now = () => performance.timeOrigin + performance.now();
    const timed: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.includes('/v1/sync/pull') && !reported) {
        reported = true;
        const used = process.cpuUsage(cpu0);
        const cpuMs = (used.user + used.system) / 1000;
        process.stdout.write(
          `${JSON.stringify({ events, start, end, cpuMs } satisfies PushReport)}\n`,
        );
        await lines.next(); // `pull`
      }
      const isPush = url.endsWith('/v1/sync/push');
      if (isPush && start === 0) start = now();
      const res = await fetch(input, init);
      if (isPush) {
        const body = await res.arrayBuffer(); // the answer fully received
        end = now();
        return new Response(body, { status: res.status, headers: res.headers });
      }
      return res;
    };
    const worker = new SyncWorker(t.ctx, {
      batchSize: BATCH,
      requestTimeoutMs: 120_000,
      fetch: timed,
    });
    if (worker.status().pendingEvents !== events) throw new Error('the backlog was pushed before');
    process.stdout.write('ready\n');
    await lines.next(); // `go`
    cpu0 = process.cpuUsage();
    const r = await worker.drain({ maxCycles: 5, deadlineMs: 900_000 });
    if (!r.done || !reported)
      throw new Error(
        `drain did not finish: ${JSON.stringify(r)}: ${syncState(t.ctx.db).last_error ?? ''}`,
      );
  } finally {
    t.close();
  }
}

async function main() {
  const backlogs = await ensureBacklogs();
  const work = join(CACHE, `ho-ingest-work-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    const loadBefore = loadavg()[0]!; // other work on the machine, before this bench's own
    if (process.env.BENCH_HO_INGEST_ONLY_ONE) {
      // a quick look while working on the ingest
      console.log(`one terminal alone: ${JSON.stringify(await run(backlogs.slice(0, 1), work))}`);
      return;
    }
    // The ratio sits near what two cores allow (see the README), so one pair of runs is noise:
    // ROUNDS rounds of (one alone, three at once, three through two instances), and the round with
    // the median ratio is the one reported, with every round's ratio beside it.
    const rounds = [];
    for (let i = 0; i < ROUNDS; i++) {
      const one = await run(backlogs.slice(0, 1), work);
      console.log(`round ${i + 1}, one terminal alone: ${JSON.stringify(one)}`);
      const three = await run(backlogs, work);
      console.log(`round ${i + 1}, three at once: ${JSON.stringify(three)}`);
      const threeTwo = await run(backlogs, work, 2);
      console.log(`round ${i + 1}, three through two instances: ${JSON.stringify(threeTwo)}`);
      const rate = (r: typeof one) => r.events / r.seconds;
      rounds.push({
        one,
        three,
        threeTwo,
        ratio: rate(three) / rate(one),
        ratioTwo: rate(threeTwo) / rate(one),
      });
    }
    const median = <T>(xs: readonly T[], by: (x: T) => number) =>
      [...xs].sort((a, b) => by(a) - by(b))[(xs.length - 1) >> 1]!;
    const { one, three } = median(rounds, (r) => r.ratio);
    const rate1 = one.events / one.seconds;
    const rate3 = three.events / three.seconds;
    const ratio = rate3 / rate1;
    const two = median(rounds, (r) => r.ratioTwo);
    const file = join(ROOT, 'bench', 'results.json');
    const results = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)
      : {};
    const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
    type Run = typeof one;
    const perTenK = (r: Run) => ({
      head_office: round((r.cpuS.headOffice * 10_000) / r.events),
      postgres: round((r.cpuS.postgres * 10_000) / r.events),
      terminals: round((r.cpuS.terminals * 10_000) / r.events),
    });
    const busy = (r: Run) =>
      round((r.cpuS.headOffice + r.cpuS.postgres + r.cpuS.terminals) / r.seconds);
    if (process.env.BENCH_HO_MAIN) {
      // an A/B run against another head-office build: its figures under one key, beside ours
      results.ho_ingest_ab_other_build = {
        head_office: process.env.BENCH_HO_MAIN,
        one_terminal_events_per_s: Math.round(rate1),
        three_terminals_events_per_s: Math.round(rate3),
        ratio: round(ratio),
        cpu_s_per_10k_events: { one_terminal: perTenK(one), three_terminals: perTenK(three) },
        cores_busy: { one_terminal: busy(one), three_terminals: busy(three) },
        load_average_before: round(loadBefore, 1),
      };
    } else
      Object.assign(results, {
        ho_ingest_1_terminal_events_per_s: Math.round(rate1),
        ho_ingest_3_terminals_events_per_s: Math.round(rate3),
        ho_ingest_3_terminals_ratio: round(ratio),
        ho_ingest_3_terminals_per_terminal_events_per_s: three.perTerminal,
        ho_ingest_3_terminals_ratio_rounds: rounds.map((r) => round(r.ratio)),
        // The most any number of terminals at once could reach over one alone on this machine:
        // its cores over the cores one terminal alone keeps busy (head office, PostgreSQL and the
        // terminal, measured in the reported round). Below 1.5, the target cannot be met here.
        ho_ingest_3_terminals_ratio_ceiling: round(cpus().length / busy(one)),
        // the same three terminals spread over two head-office processes on one database
        ho_ingest_3_terminals_2_instances_events_per_s: Math.round(
          two.threeTwo.events / two.threeTwo.seconds,
        ),
        ho_ingest_3_terminals_2_instances_ratio: round(two.ratioTwo),
        ho_ingest_3_terminals_2_instances_ratio_rounds: rounds.map((r) => round(r.ratioTwo)),
        // CPU seconds per 10,000 events (head office's process, PostgreSQL, the terminals) and the
        // cores busy on average during each run: where the time goes
        ho_ingest_cpu_s_per_10k_events: {
          one_terminal: perTenK(one),
          three_terminals: perTenK(three),
        },
        ho_ingest_cores_busy: { one_terminal: busy(one), three_terminals: busy(three) },
        ho_ingest_load_average_before: round(loadBefore, 1),
        ho_ingest_bench_setup: `${EVENTS} receipt events per terminal; each terminal and head office its own process; PostgreSQL 15, loopback HTTP, batches of ${BATCH}; ${cpus().length} cores; the round with the median ratio of ${ROUNDS}`,
        ho_ingest_targets: {
          ho_ingest_3_terminals_ratio: { min: 1.5, pass: ratio >= 1.5 },
          // head office as two instances on one database (issue 18), same terminals, same rounds
          ho_ingest_3_terminals_2_instances_ratio: { min: 1.5, pass: two.ratioTwo >= 1.5 },
        },
      });
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(
      `one terminal alone: ${one.events} events in ${round(one.seconds)} s → ${Math.round(rate1)} events/s; three at once: ${three.events} events in ${round(three.seconds)} s → ${Math.round(rate3)} events/s (per terminal ${three.perTerminal.join(', ')}); ratio ${round(ratio)}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const [mode, arg] = process.argv.slice(2);
if (mode === 'cache-dir') console.log(cacheDir());
else
  (mode === 'push' && arg ? push(arg) : main()).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
