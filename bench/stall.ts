/**
 * `npm run bench:stall`: does the counter stall while heavy work runs? Spawns the plain-Node host
 * (src-main/host/main.ts) on a COPY of the season ledger (bench/season-ledger.ts, built and cached
 * under bench/.cache/ when missing; the copy goes to the temp directory with its .key and
 * .checkpoint sidecars, the cache file is never written), connects WebSocket clients like the renderer, and runs
 * BENCH_STALL_SEARCHES (5,000) household.search round trips twice: first with nothing else running
 * (the baseline), then while a second client loops report.monthly → dunning.export → backup.now →
 * payment.take and the host's sync worker pushes the chain (and each new payment) to a local HTTP
 * sink that answers like head office. Writes counter_stall_max_ms (target ≤ 100),
 * counter_stall_p99_ms and their baselines into bench/results.json, keeping the other keys.
 *   --ledger FILE   another ledger (copied first; never written)
 *   BENCH_STALL_KEEP=1     keeps the ledger copy and the host's logs in the temp directory
 *   BENCH_STALL_NODE_ARGS  extra node options for the host (e.g. "--cpu-prof --cpu-prof-dir=DIR")
 *   --workers N     the host's ledger workers (default 2; 0 = the old in-process path, for comparison;
 *                   the figures then go to counter_stall_in_process_* keys)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { openTerminal } from '../src-main/app/open-terminal';
import { configureSync, updateSyncState } from '../src-main/features/sync/sync-state.store';
import { writeSettings } from '../src-main/features/backup/backup.store';
import { householdsOwing } from '../tests/support/terminal';
import { ensureSeasonLedger } from './season-ledger';
import { drawQueries } from './queries';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SEARCHES = Number(process.env.BENCH_STALL_SEARCHES ?? 5_000);

const args = parseArgs({
  options: { ledger: { type: 'string' }, workers: { type: 'string', default: '2' } },
}).values;
const workers = Number(args.workers);

function log(message: string) {
  process.stderr.write(`[stall] ${message}\n`);
}

/** --ledger, else the season ledger (built and cached by bench/season-ledger.ts when missing). */
function sourceLedger(): { file: string; label: string } {
  if (args.ledger) return { file: args.ledger, label: args.ledger };
  const { file } = ensureSeasonLedger({ log: (m) => log(m) });
  return { file, label: `season ledger (${file.split('/').pop()})` };
}

// -- the head-office stand-in: acknowledges every pushed batch, nothing to pull ------------------

interface Sink {
  url: string;
  pushes: number;
  events: number;
  server: Server;
}

async function startSink(): Promise<Sink> {
  const sink = { url: '', pushes: 0, events: 0 } as Sink;
  sink.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const serverTime = new Date().toISOString();
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const url = new URL(req.url ?? '/', 'http://sink');
      if (req.method === 'POST' && url.pathname === '/v1/sync/push') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          head: { seq: number; hash: string };
          events: { seq: number; hash: string }[];
        };
        const last = body.events[body.events.length - 1] ?? body.head;
        sink.pushes++;
        sink.events += body.events.length;
        send(200, {
          ackedSeq: last.seq,
          ackedHash: last.hash,
          inserted: body.events.length,
          duplicates: 0,
          serverTime,
          ack: { seq: last.seq, hash: last.hash, at: serverTime, signature: 'A'.repeat(86) },
        });
      } else if (req.method === 'GET' && url.pathname === '/v1/sync/pull') {
        send(200, {
          changes: [],
          cursor: Number(url.searchParams.get('cursor') ?? 0),
          more: false,
          serverTime,
        });
      } else send(404, { error: 'not_found', message: 'not found' });
    });
  });
  await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
  sink.url = `http://127.0.0.1:${(sink.server.address() as AddressInfo).port}`;
  return sink;
}

// -- the host and its clients ---------------------------------------------------------------------

function startHost(dbFile: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      // e.g. BENCH_STALL_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the host
      ...(process.env.BENCH_STALL_NODE_ARGS ?? '').split(' ').filter(Boolean),
      '--import',
      'tsx',
      join(ROOT, 'src-main', 'host', 'main.ts'),
      '--db',
      dbFile,
      '--port',
      '0',
      '--static',
      join(dbFile, '..', 'no-renderer'),
      '--workers',
      String(workers),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CASHIER_PRINTER: '' } },
  );
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Terminal running: (http:\/\/[^\s/]+)\//.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`host exited (${code}): ${err}`)));
  });
}

interface Client {
  call(name: string, input: Record<string, unknown>): Promise<unknown>;
  close(): void;
}

async function connect(url: string): Promise<Client> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let next = 1;
  const waiting = new Map<number, (r: { ok: boolean; value?: unknown; error?: unknown }) => void>();
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as {
      id: number;
      result: { ok: boolean; value?: unknown; error?: unknown };
    };
    waiting.get(m.id)?.(m.result);
    waiting.delete(m.id);
  });
  return {
    call: (name, input) =>
      new Promise((resolve, reject) => {
        const id = next++;
        waiting.set(id, (r) =>
          r.ok
            ? resolve(r.value)
            : reject(new Error(`${name}: ${JSON.stringify(r.error).slice(0, 300)}`)),
        );
        ws.send(JSON.stringify({ id, name, input }));
      }),
    close: () => ws.close(),
  };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

async function searches(counter: Client, session: string, texts: string[]): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < SEARCHES; i++) {
    const t0 = performance.now();
    await counter.call('household.search', { session, query: texts[i % texts.length] });
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

let hostChild: ChildProcess | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    hostChild?.kill('SIGTERM');
    process.exit(1);
  });

async function main() {
  const source = sourceLedger();
  const work = mkdtempSync(join(tmpdir(), 'bench-stall-'));
  const dbFile = join(work, 'ledger.db');
  const sink = await startSink();
  let host: { child: ChildProcess; url: string } | null = null;
  try {
    log(`copying ${source.label} to ${work}`);
    for (const side of ['', '.key', '.checkpoint'])
      if (existsSync(source.file + side)) copyFileSync(source.file + side, dbFile + side);
    // Prepared on the copy before the host opens it: the queries, payable households, and the
    // sync target (the sink), with nothing acknowledged yet so the whole chain is pushed.
    const t = openTerminal({ dbFile });
    let texts: string[];
    let payable: string[];
    try {
      texts = drawQueries(t.ctx.db, 200, 7).map((q) => q.text);
      payable = householdsOwing(t, 50_000, 400);
      configureSync(t.ctx.db, sink.url, `bench-${randomUUID()}`);
      // No scheduled backup during the run (the loop takes its own).
      writeSettings(t.ctx.db, { 'backup.lastAt': new Date().toISOString() });
      updateSyncState(t.ctx.db, { acked_seq: 0, acked_hash: null });
    } finally {
      t.close();
    }
    const spawnedAt = performance.now();
    host = await startHost(dbFile);
    hostChild = host.child;
    log(`host up in ${round((performance.now() - spawnedAt) / 1000)} s at ${host.url}`);
    const counter = await connect(host.url);
    const back = await connect(host.url);
    const login = async (c: Client, code: string, pin: string) =>
      ((await c.call('session.login', { clerkCode: code, pin })) as { session: string }).session;
    const session = await login(counter, '1001', '123456');
    const office = await login(back, '1002', '123456');
    // The start-up full verify runs in a ledger worker (minutes on a large ledger): the baseline
    // waits a minute at most for it, and says whether it was still running (off the main thread).
    let verifyRunning = true;
    for (let waited = 0; waited < 60_000; waited += 1_000) {
      const status = (await counter.call('terminal.status', {})) as {
        integrity?: { state?: string };
      };
      verifyRunning = status.integrity?.state === 'checking';
      if (!verifyRunning) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    log(`baseline: ${SEARCHES} searches, nothing else running`);
    const baseline = await searches(counter, session, texts);

    // The heavy work, each in its own loop on its own client (a supervisor's screens), all at once;
    // every payment gives the host's sync worker something to push to the sink.
    const shift = (await back.call('shift.current', { session: office })) as { shift: unknown };
    if (!shift.shift) await back.call('shift.open', { session: office, openingFloatFen: 0 });
    const month = new Date().toISOString().slice(0, 7);
    const done = { reports: 0, exports: 0, backups: 0, payments: 0 };
    const started = { reports: 0, exports: 0, backups: 0, payments: 0 };
    let stop = false;
    let paid = 0;
    const jobs: [keyof typeof done, () => Promise<unknown>, number][] = [
      ['reports', () => back.call('report.monthly', { session: office, month }), 0],
      ['exports', () => back.call('dunning.export', { session: office }), 0],
      ['backups', () => back.call('backup.now', { session: office }), 0],
      [
        'payments',
        () =>
          back.call('payment.take', {
            session: office,
            requestId: randomUUID(),
            householdId: payable[paid++ % payable.length]!,
            amountFen: 100,
            tenders: [{ kind: 'cash', amountFen: 100, tenderedFen: 100 }],
          }),
        250,
      ],
    ];
    const loops = jobs.map(async ([key, run, pauseMs]) => {
      while (!stop) {
        started[key]++;
        await run();
        done[key]++;
        if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
      }
    });
    let failure: unknown = null;
    void Promise.all(loops).catch((e: unknown) => {
      failure = e;
      stop = true;
    });
    log(`loaded: ${SEARCHES} searches while the loops and the sync push run`);
    const loaded = await searches(counter, session, texts);
    stop = true;
    // Not waited for: what is still running (a backup of a 450 MB ledger takes minutes) ends with
    // the host.
    if (failure) throw failure;
    counter.close();
    back.close();

    const prefix = workers === 0 ? 'counter_stall_in_process' : 'counter_stall';
    const results: Record<string, unknown> = {
      [`${prefix}_max_ms`]: round(loaded[loaded.length - 1]!),
      [`${prefix}_p99_ms`]: round(pct(loaded, 99)),
      [`${prefix}_p50_ms`]: round(pct(loaded, 50)),
      [`${prefix}_baseline_max_ms`]: round(baseline[baseline.length - 1]!),
      [`${prefix}_baseline_p99_ms`]: round(pct(baseline, 99)),
      [`${prefix}_baseline_p50_ms`]: round(pct(baseline, 50)),
      [`${prefix}_p99_ratio`]: round(pct(loaded, 99) / pct(baseline, 99), 2),
      [`${prefix}_meta`]: {
        ledger: source.label,
        searches: SEARCHES,
        workers,
        startupVerifyRunningAtBaseline: verifyRunning,
        during: {
          started,
          finished: done,
          syncPushes: sink.pushes,
          eventsPushed: sink.events,
        },
        measuredAt: new Date().toISOString(),
      },
    };
    console.log(JSON.stringify(results, null, 2));
    // A profiled host is slower: its figures are not kept.
    if (process.env.BENCH_STALL_NODE_ARGS) return;
    const file = join(ROOT, 'bench', 'results.json');
    const kept = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)
      : {};
    writeFileSync(file, `${JSON.stringify({ ...kept, ...results }, null, 2)}\n`);
  } finally {
    if (host) {
      const exited = new Promise((r) => host!.child.once('exit', r));
      host.child.kill('SIGTERM');
      // A host still busy after 20 s (the sync worker pushing the season chain, a backup) is
      // killed: a host left running would load the CPU of the next run.
      const kill = setTimeout(() => host!.child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(kill);
    }
    sink.server.close();
    if (process.env.BENCH_STALL_KEEP) log(`kept ${work} (its logs/)`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
