/**
 * Crash safety: a child process takes payments in a loop and reports each acknowledged receipt;
 * we SIGKILL it at random moments, SOAK_KILLS times (200 by default, 1,000 in `npm run test:soak`).
 * After every kill: integrity_check = ok, the chain verifies, every acknowledged receipt is there,
 * nothing is half written, no receipt number is used twice or skipped, and once the terminal is
 * open again every receipt has its copies queued for printing exactly once.
 *
 * SOAK_SEED=<n> replays the kill delays and the workers' choices of a reported run.
 */
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTerminal } from '../../src-main/app/open-terminal';
import { projectionSnapshot } from '../../src-main/ledger/projector';
import { rebuildProjections } from '../../src-main/ledger/rebuild';
import { verifyLedger } from '../../src-main/ledger/verify';
import { receiptLabel } from '../../src-main/features/payments/payments';
import { openTestTerminal, tempDir } from '../support/terminal';
import { createRandom } from '../../src-main/demo/random';
import { externalPackagesButCore } from '../../scripts/esbuild-externals.mjs';

const KILLS = Number(process.env.SOAK_KILLS ?? 200);
const SEED = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
const KILL_MIN_MS = 20;
const KILL_MAX_MS = 250;
/**
 * Every this many kills the rounds move on to a fresh copy of the set-up ledger. verifyLedger and
 * the rebuild check read the whole log, so on one ledger the checks grow with every round (a few
 * thousand receipts per 100 kills) and the run goes quadratic; crash safety does not need a long
 * ledger, only many kills (each ledger normally still runs the demo book A out and moves to book Z).
 */
const KILLS_PER_LEDGER = Number(process.env.SOAK_KILLS_PER_LEDGER ?? 50);
const DETERMINISTIC_ACKS = 100;
/** A round that neither acknowledges nor dies in this time is a hung worker. */
const ROUND_LIMIT_MS = 30_000;

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const WORKER_SOURCE = join(REPO, 'tests/fault/payment-worker.ts');

interface Ack {
  receiptId: string;
  label: string;
  requestId: string;
  householdId: string;
  amountFen: number;
}

interface Round {
  acks: Ack[];
  killed: boolean;
  code: number | null;
  signal: NodeJS.Signals | null;
  errLines: string[];
  stderr: string;
  /** GO to READY, READY to kill, kill to exit, in ms. */
  timings: { ready: number; running: number; dying: number };
}

interface ReceiptFacts {
  label: string;
  totalFen: number;
  householdId: string;
  requestId: string;
  issuedSeq: number;
}

/** Deterministic (mulberry32, as the demo generator) so a failing round can be replayed from its seed. */
const prng = (seed: number): ((lo: number, hi: number) => number) => createRandom(seed).int;

/**
 * Bundles the worker so each of the hundreds of restarts costs one node start, not a TypeScript
 * compile. Where the bundle goes matters: src-main/ledger/db.ts finds the schema migrations at
 * `new URL('../../migrations', import.meta.url)`, and openTerminal has no option to override that.
 * In a bundle import.meta.url is the bundle's own URL, so the bundle must sit exactly two folders
 * below the repository root — <repo>/.tmp/fault/worker-….mjs (.tmp/ is gitignored) — for that URL to
 * land on <repo>/migrations. Being inside the repo also lets the external npm packages (better-sqlite3,
 * serialport: native addons) resolve from <repo>/node_modules. Checked below rather than assumed.
 */
async function bundleWorker(): Promise<string> {
  const dir = join(REPO, '.tmp', 'fault');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `worker-${process.pid}-${Date.now()}.mjs`);
  const migrations = fileURLToPath(new URL('../../migrations', pathToFileURL(outfile)));
  if (migrations !== join(REPO, 'migrations') || !existsSync(migrations)) {
    throw new Error(`the bundled worker would look for migrations in ${migrations}`);
  }
  await build({
    entryPoints: [WORKER_SOURCE],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // every npm package but the (TypeScript) shared core stays external and loads from <repo>/node_modules
    plugins: [externalPackagesButCore],
    // Bundled CommonJS code would call require(), which ESM lacks (none does today; cheap insurance).
    banner: {
      js: "import { createRequire as __faultCreateRequire } from 'module'; const require = __faultCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  return outfile;
}

function parseAck(line: string): Ack | null {
  const parts = line.split(' ');
  if (parts.length !== 6 || parts[0] !== 'ACK') return null;
  const amountFen = Number(parts[5]);
  if (!Number.isInteger(amountFen)) return null;
  return {
    receiptId: parts[1]!,
    label: parts[2]!,
    requestId: parts[3]!,
    householdId: parts[4]!,
    amountFen,
  };
}

type KillPlan = { afterMs: number } | { afterAcks: number };

interface Worker {
  /** Lets the worker at the ledger; resolves once it is dead. */
  start(kill: KillPlan): Promise<Round>;
  /** Disposes of a worker that was never started. */
  discard(): void;
}

/**
 * One life of the worker, spawned ahead of time: it loads its code (most of its startup cost) and
 * waits for GO, so the parent can check the ledger meanwhile. Once started, it is killed
 * `afterMs` after READY (but never before its first ACK, so every round takes payments), or right
 * after its `afterAcks`-th ACK.
 */
function spawnWorker(bundle: string, dbFile: string, session: string, seed: number): Worker {
  // Node 20 reads NODE_EXTRA_CA_CERTS eagerly at startup (~50 ms a start here); the worker needs no TLS.
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  const child = spawn(process.execPath, [bundle, dbFile, session, String(seed), '--await-go'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env,
  });
  const round: Round = {
    acks: [],
    killed: false,
    code: null,
    signal: null,
    errLines: [],
    stderr: '',
    timings: { ready: 0, running: 0, dying: 0 },
  };
  let plan: KillPlan | null = null;
  let goAt = 0;
  let readyAt = 0;
  let killedAt = 0;
  let timeUp = false;
  let hang: NodeJS.Timeout | undefined;
  const killNow = () => {
    if (round.killed) return;
    round.killed = true;
    killedAt = performance.now();
    child.kill('SIGKILL');
  };
  child.stdin.on('error', () => {}); // EPIPE when it died early; reported through `close`
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    round.stderr += chunk;
  });
  child.stdout.setEncoding('utf8');
  let pending = '';
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    // Only complete lines count; an unterminated tail waits for its newline (which a kill may cut off).
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.startsWith('READY')) {
        readyAt = performance.now();
        if (plan && 'afterMs' in plan) {
          setTimeout(() => {
            timeUp = true;
            if (round.acks.length > 0) killNow();
          }, plan.afterMs);
        }
      } else if (line.startsWith('ACK ')) {
        const ack = parseAck(line);
        if (!ack) {
          round.errLines.push(`MALFORMED ${line}`);
          continue;
        }
        // Lines already in the pipe when we decided to kill still count: they were acknowledged.
        round.acks.push(ack);
        if (plan && ('afterAcks' in plan ? round.acks.length === plan.afterAcks : timeUp))
          killNow();
      } else if (line.length > 0) {
        round.errLines.push(line);
      }
    }
  });
  const ended = new Promise<Round>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(hang);
      const exitedAt = performance.now();
      round.code = code;
      round.signal = signal;
      if (goAt > 0 && readyAt > 0 && killedAt > 0) {
        round.timings = {
          ready: readyAt - goAt,
          running: killedAt - readyAt,
          dying: exitedAt - killedAt,
        };
      }
      resolve(round);
    });
  });
  return {
    start(kill) {
      plan = kill;
      goAt = performance.now();
      hang = setTimeout(() => {
        round.errLines.push(`HUNG: not killed within ${ROUND_LIMIT_MS} ms of GO`);
        killNow();
      }, ROUND_LIMIT_MS);
      child.stdin.write('GO\n');
      return ended;
    },
    discard() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

interface Inspection {
  problems: string[];
  receipts: Map<string, ReceiptFacts>;
}

/**
 * Everything we demand of the ledger after a crash, as a list of problems (empty = good). Opens
 * the file twice: plain better-sqlite3 first (the first open after the kill recovers the WAL), then
 * the way the terminal does.
 */
function inspectLedger(
  dbFile: string,
  acked: ReadonlyMap<string, Ack>,
  known: ReadonlyMap<string, ReceiptFacts>,
): Inspection {
  const problems: string[] = [];
  const direct = new Database(dbFile);
  try {
    const integrity = direct.pragma('integrity_check') as { integrity_check: string }[];
    if (integrity.length !== 1 || integrity[0]!.integrity_check !== 'ok') {
      problems.push(`integrity_check: ${integrity.map((r) => r.integrity_check).join('; ')}`);
    }
    const fk = direct.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(fk.slice(0, 3))}`);
  } finally {
    direct.close();
  }

  const receipts = new Map<string, ReceiptFacts>();
  const terminal = openTerminal({ dbFile });
  const { db } = terminal.ctx;
  try {
    const chain = verifyLedger(db, terminal.ctx.terminal.id);
    if (!chain.ok) problems.push(`verifyLedger: seq ${chain.firstBadSeq}: ${chain.problem}`);

    // Every receipt: its issuing event, a label matching its book and number, and all of its parts.
    const rows = db
      .prepare(
        `SELECT r.id, r.request_id, r.receipt_label, r.receipt_no, r.household_id, r.total_fen, r.issued_seq,
                b.series, b.last_no,
                e.type AS event_type,
                json_extract(e.payload, '$.receiptId') AS event_receipt_id,
                json_extract(e.payload, '$.receiptLabel') AS event_label,
                json_extract(e.payload, '$.totalFen') AS event_total,
                (SELECT count(*) FROM receipt_lines l WHERE l.receipt_id = r.id) AS line_count,
                (SELECT coalesce(sum(amount_fen), 0) FROM receipt_lines l WHERE l.receipt_id = r.id) AS line_sum,
                (SELECT count(*) FROM receipt_tenders t WHERE t.receipt_id = r.id) AS tender_count,
                (SELECT coalesce(sum(amount_fen), 0) FROM receipt_tenders t WHERE t.receipt_id = r.id) AS tender_sum
         FROM receipts r
         LEFT JOIN receipt_books b ON b.id = r.book_id
         LEFT JOIN events e ON e.seq = r.issued_seq`,
      )
      .all() as {
      id: string;
      request_id: string;
      receipt_label: string;
      receipt_no: number;
      household_id: string;
      total_fen: number;
      issued_seq: number;
      series: string | null;
      last_no: number | null;
      event_type: string | null;
      event_receipt_id: string | null;
      event_label: string | null;
      event_total: number | null;
      line_count: number;
      line_sum: number;
      tender_count: number;
      tender_sum: number;
    }[];
    for (const r of rows) {
      receipts.set(r.id, {
        label: r.receipt_label,
        totalFen: r.total_fen,
        householdId: r.household_id,
        requestId: r.request_id,
        issuedSeq: r.issued_seq,
      });
      const where = `receipt ${r.receipt_label} (${r.id})`;
      if (r.event_type !== 'receipt.issued' || r.event_receipt_id !== r.id) {
        problems.push(`${where}: issued_seq ${r.issued_seq} is not its receipt.issued event`);
      } else if (r.event_label !== r.receipt_label || r.event_total !== r.total_fen) {
        problems.push(`${where}: differs from its event (${r.event_label}, ${r.event_total})`);
      }
      if (r.series === null || r.last_no === null) {
        problems.push(`${where}: its book is missing`);
      } else if (r.receipt_label !== receiptLabel(r.series, r.receipt_no, r.last_no)) {
        problems.push(`${where}: label does not match book ${r.series} number ${r.receipt_no}`);
      }
      if (r.line_count < 1 || r.tender_count < 1) {
        problems.push(`${where}: half written: ${r.line_count} lines, ${r.tender_count} tenders`);
      }
      if (r.line_sum !== r.total_fen || r.tender_sum !== r.total_fen) {
        problems.push(
          `${where}: total ${r.total_fen} but lines sum to ${r.line_sum}, tenders to ${r.tender_sum}`,
        );
      }
    }
    const orphans = db
      .prepare(
        `SELECT 'line' AS kind, receipt_id FROM receipt_lines WHERE receipt_id NOT IN (SELECT id FROM receipts)
         UNION ALL
         SELECT 'tender', receipt_id FROM receipt_tenders WHERE receipt_id NOT IN (SELECT id FROM receipts)`,
      )
      .all() as { kind: string; receipt_id: string }[];
    for (const o of orphans) problems.push(`orphan receipt ${o.kind} of ${o.receipt_id}`);

    const issuedEvents = (
      db.prepare(`SELECT count(*) AS n FROM events WHERE type = 'receipt.issued'`).get() as {
        n: number;
      }
    ).n;
    if (issuedEvents !== rows.length) {
      problems.push(`${issuedEvents} receipt.issued events but ${rows.length} receipts`);
    }

    // Paper: once the terminal is open again, every committed receipt has its three parts queued
    // exactly once (queued after its commit, or caught up at this open if the kill fell between).
    const paper = db
      .prepare(
        `SELECT r.receipt_label AS label,
                (SELECT count(*) FROM print_jobs j WHERE j.subject_id = r.id AND j.template = 'receipt'
                   AND j.replaces_id IS NULL) AS copies
         FROM receipts r`,
      )
      .all() as { label: string; copies: number }[];
    for (const p of paper) {
      if (p.copies !== 3) problems.push(`receipt ${p.label}: ${p.copies} copies queued, not 3`);
    }

    // No number used twice: not in the projection, not in the log.
    const duplicates = db
      .prepare(
        `SELECT 'label ' || receipt_label AS what, count(*) AS n FROM receipts GROUP BY receipt_label HAVING n > 1
         UNION ALL
         SELECT 'number ' || book_id || '#' || receipt_no, count(*) AS n FROM receipts
           GROUP BY book_id, receipt_no HAVING n > 1
         UNION ALL
         SELECT 'event label ' || json_extract(payload, '$.receiptLabel'), count(*) AS n FROM events
           WHERE type = 'receipt.issued' GROUP BY json_extract(payload, '$.receiptLabel') HAVING n > 1`,
      )
      .all() as { what: string; n: number }[];
    for (const d of duplicates) problems.push(`used ${d.n} times: ${d.what}`);

    // No number skipped: each book is used from its first number without gaps, its next_no follows
    // the last one used, and a clerk's later book is only started once the earlier one is full.
    const books = db
      .prepare(
        `SELECT b.id, b.series, b.clerk_id, b.first_no, b.last_no, b.next_no,
                count(r.id) AS n, min(r.receipt_no) AS lo, max(r.receipt_no) AS hi
         FROM receipt_books b LEFT JOIN receipts r ON r.book_id = b.id
         GROUP BY b.id ORDER BY b.clerk_id, b.issued_seq`,
      )
      .all() as {
      id: string;
      series: string;
      clerk_id: string;
      first_no: number;
      last_no: number;
      next_no: number;
      n: number;
      lo: number | null;
      hi: number | null;
    }[];
    const notFull = new Map<string, string>();
    for (const b of books) {
      const name = `book ${b.series} ${b.first_no}-${b.last_no}`;
      if (b.n === 0) {
        if (b.next_no !== b.first_no) problems.push(`${name}: unused but next_no ${b.next_no}`);
      } else {
        if (b.lo !== b.first_no || b.hi! - b.lo + 1 !== b.n) {
          problems.push(
            `${name}: ${b.n} receipts numbered ${b.lo}..${b.hi} (gap or not from the first)`,
          );
        }
        if (b.next_no !== b.hi! + 1) problems.push(`${name}: next_no ${b.next_no} after ${b.hi}`);
        const earlier = notFull.get(b.clerk_id);
        if (earlier) problems.push(`${name}: used while ${earlier} still had numbers`);
      }
      if (b.next_no <= b.last_no && !notFull.has(b.clerk_id)) notFull.set(b.clerk_id, name);
    }

    // Every acknowledged receipt is there, exactly as acknowledged.
    for (const ack of acked.values()) {
      const r = receipts.get(ack.receiptId);
      if (!r) {
        problems.push(`acknowledged receipt ${ack.label} (${ack.receiptId}) is missing`);
      } else if (
        r.label !== ack.label ||
        r.totalFen !== ack.amountFen ||
        r.householdId !== ack.householdId ||
        r.requestId !== ack.requestId
      ) {
        problems.push(`acknowledged receipt ${ack.label} differs: ${JSON.stringify(r)}`);
      }
    }
    // And every receipt seen committed after an earlier crash is still there, unchanged.
    for (const [id, facts] of known) {
      if (!isDeepStrictEqual(receipts.get(id), facts)) {
        problems.push(`receipt ${facts.label} (${id}) changed or vanished since an earlier check`);
      }
    }

    // The projections are exactly a replay of the log (rebuilt inside a transaction rolled back).
    const live = projectionSnapshot(db);
    let rebuilt: Record<string, unknown[]> = {};
    db.exec('BEGIN');
    try {
      rebuildProjections(db);
      rebuilt = projectionSnapshot(db);
    } finally {
      db.exec('ROLLBACK');
    }
    for (const table of Object.keys(live)) {
      if (!isDeepStrictEqual(live[table], rebuilt[table])) {
        problems.push(`projection ${table} differs from a rebuild from the log`);
      }
    }
  } finally {
    terminal.close();
  }
  return { problems, receipts };
}

describe('crash safety: SIGKILL while taking payments', () => {
  const tmp = tempDir('cashier-fault-');
  const template = join(tmp.dir, 'template.db');
  let bundle = '';
  let session = '';
  /** The ledger the rounds write to now, and what we know it must hold. */
  let ledger = { file: '', acked: new Map<string, Ack>(), known: new Map<string, ReceiptFacts>() };
  const ledgerFile = (k: number) => join(tmp.dir, `ledger-${Math.ceil(k / KILLS_PER_LEDGER)}.db`);
  /** The next worker, already loading while we check the ledger. */
  let next: { worker: Worker; file: string } | null = null;
  const preSpawn = (k: number, seed: number) => {
    next = { worker: spawnWorker(bundle, ledgerFile(k), session, seed), file: ledgerFile(k) };
  };
  /** The worker for round k, on a fresh copy of the set-up ledger every KILLS_PER_LEDGER rounds. */
  const workerFor = (k: number, seed: number): Worker => {
    const file = ledgerFile(k);
    if (file !== ledger.file) {
      if (ledger.file) {
        for (const suffix of ['', '-wal', '-shm'])
          rmSync(`${ledger.file}${suffix}`, { force: true });
      }
      copyFileSync(template, file);
      ledger = { file, acked: new Map(), known: new Map() };
    }
    const pending = next;
    next = null;
    if (pending && pending.file === file) return pending.worker;
    pending?.worker.discard();
    return spawnWorker(bundle, file, session, seed);
  };
  const stats = {
    kills: 0,
    acked: 0,
    committed: 0,
    committedNotAcked: 0,
    maxAcksInRound: 0,
    ms: { ready: 0, running: 0, dying: 0, inspect: 0 },
  };

  beforeAll(async () => {
    bundle = await bundleWorker();
    const t = openTestTerminal(template, { households: 300 });
    try {
      session = await t.login('1001', '123456');
      await t.must('shift.open', { session, openingFloatFen: 0 });
      // The demo book (A 1-500) runs out early in a soak; the clerk moves on to this one.
      await t.must('book.issue', {
        session,
        series: 'Z',
        firstNo: 1,
        lastNo: 9_999_999,
        clerkCode: '1001',
        supervisorCode: '9001',
        supervisorPin: '888888',
      });
    } finally {
      t.close(); // the last connection checkpoints the WAL into the file: a plain copy is complete
    }
    expect(existsSync(`${template}-wal`)).toBe(false);
    const baseline = inspectLedger(template, new Map(), new Map());
    expect(baseline.problems).toEqual([]);
  });

  afterAll(() => {
    next?.worker.discard();
    if (bundle) rmSync(bundle, { force: true });
    tmp.cleanup();
  });

  /** Checks the ledger after a killed round and folds the round into the running totals. */
  function afterKill(round: Round, what: string): void {
    const context = `${what} (SOAK_SEED=${SEED})`;
    expect(round.errLines, `${context}: worker reported\n${round.stderr}`).toEqual([]);
    expect(
      { killed: round.killed, signal: round.signal },
      `${context}: worker ended by itself (code ${round.code})\n${round.stderr}`,
    ).toEqual({ killed: true, signal: 'SIGKILL' });
    stats.kills++;

    const { acked, known } = ledger;
    for (const ack of round.acks) {
      expect(acked.has(ack.receiptId), `${context}: ${ack.label} acknowledged twice`).toBe(false);
      acked.set(ack.receiptId, ack);
    }
    stats.acked += round.acks.length;
    stats.maxAcksInRound = Math.max(stats.maxAcksInRound, round.acks.length);
    stats.ms.ready += round.timings.ready;
    stats.ms.running += round.timings.running;
    stats.ms.dying += round.timings.dying;

    const inspectStart = performance.now();
    const inspection = inspectLedger(ledger.file, acked, known);
    stats.ms.inspect += performance.now() - inspectStart;
    expect(inspection.problems, context).toEqual([]);

    // The worker pays one receipt at a time, so at most one receipt can be committed and not
    // acknowledged: the one in flight when the kill landed between COMMIT and the ACK write — and it
    // must be the newest receipt in the ledger.
    stats.committed += [...inspection.receipts.keys()].filter((id) => !known.has(id)).length;
    const fresh = [...inspection.receipts].filter(([id]) => !known.has(id) && !acked.has(id));
    expect(fresh.length, `${context}: committed but never acknowledged`).toBeLessThanOrEqual(1);
    if (fresh.length === 1) {
      const newest = Math.max(...[...inspection.receipts.values()].map((r) => r.issuedSeq));
      expect(fresh[0]![1].issuedSeq, `${context}: unacknowledged receipt is not the newest`).toBe(
        newest,
      );
      stats.committedNotAcked++;
    }
    ledger.known = inspection.receipts;
  }

  it(
    `stays whole through ${KILLS} SIGKILLs at random moments`,
    async () => {
      const started = Date.now();
      const delay = prng(SEED);
      for (let k = 1; k <= KILLS; k++) {
        const afterMs = delay(KILL_MIN_MS, KILL_MAX_MS);
        const round = await workerFor(k, SEED + k).start({ afterMs });
        // Let the next one load while this round is checked (it waits for GO before it opens the file).
        if (k < KILLS) preSpawn(k + 1, SEED + k + 1);
        afterKill(round, `kill ${k}/${KILLS} after ${afterMs} ms`);
      }
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `crash-safety: ${stats.kills} kills on ${Math.ceil(KILLS / KILLS_PER_LEDGER)} ledgers in ${seconds.toFixed(1)} s; ` +
          `${stats.acked} receipts acknowledged, ${stats.committed} committed, ${stats.committedNotAcked} committed but killed before the ACK; ` +
          `most in one round ${stats.maxAcksInRound}; SOAK_SEED=${SEED}\n` +
          `  time per round (ms): worker start ${(stats.ms.ready / KILLS).toFixed(0)}, ` +
          `paying ${(stats.ms.running / KILLS).toFixed(0)}, dying ${(stats.ms.dying / KILLS).toFixed(0)}, ` +
          `checks ${(stats.ms.inspect / KILLS).toFixed(0)}`,
      );
      expect(stats.committed).toBe(stats.acked + stats.committedNotAcked);
    },
    Math.max(600_000, KILLS * 5_000),
  );

  it(`stays whole when killed right after the ${DETERMINISTIC_ACKS}th acknowledgement`, async () => {
    const round = await workerFor(Math.max(KILLS, 1), SEED).start({
      afterAcks: DETERMINISTIC_ACKS,
    });
    expect(round.acks.length).toBeGreaterThanOrEqual(DETERMINISTIC_ACKS);
    afterKill(round, `kill after ACK ${DETERMINISTIC_ACKS}`);
    expect(stats.committed).toBe(stats.acked + stats.committedNotAcked);
  });

  it('the checks catch a damaged ledger (self-test of this file)', () => {
    const newest = [...ledger.known].sort((a, b) => b[1].issuedSeq - a[1].issuedSeq)[0];
    expect(newest, 'the rounds above left receipts to damage').toBeDefined();
    const [newestId] = newest!;
    const damaged = (name: string, sql: string, params: unknown[] = []) => {
      const file = join(tmp.dir, `damaged-${name}.db`);
      const source = new Database(ledger.file);
      source.exec(`VACUUM INTO '${file}'`);
      source.close();
      const db = new Database(file);
      db.prepare(sql).run(...params);
      db.close();
      return file;
    };
    const problemsOf = (file: string, acked: ReadonlyMap<string, Ack> = ledger.acked) =>
      inspectLedger(file, acked, new Map()).problems.join('\n');

    // An acknowledged receipt that never made it to disk.
    const ghost: Ack = { ...ledger.acked.values().next().value!, receiptId: 'no-such-receipt' };
    expect(
      problemsOf(
        damaged('ghost', 'SELECT 1'),
        new Map([...ledger.acked, [ghost.receiptId, ghost]]),
      ),
    ).toMatch(/acknowledged receipt .* is missing/);
    // A receipt whose tenders are gone.
    expect(
      problemsOf(
        damaged('tenders', 'DELETE FROM receipt_tenders WHERE receipt_id = ?', [newestId]),
      ),
    ).toMatch(/half written: \d+ lines, 0 tenders/);
    // A receipt number skipped.
    expect(
      problemsOf(
        damaged('gap', 'UPDATE receipt_books SET next_no = next_no + 1 WHERE next_no <= last_no'),
      ),
    ).toMatch(/next_no \d+ after/);
    // A receipt queued for printing twice (the cursor is behind: it would be caught up again).
    expect(
      problemsOf(
        damaged(
          'paper',
          `UPDATE receipt_print_cursor SET through_seq = (SELECT issued_seq - 1 FROM receipts WHERE id = ?)`,
          [newestId],
        ),
      ),
    ).toMatch(/copies queued, not 3/);
    // A projection that drifted from the log.
    expect(
      problemsOf(damaged('drift', 'UPDATE season_payments SET paid_fen = paid_fen + 1')),
    ).toMatch(/projection season_payments differs/);
  });
});
