// `npm run bench:trust`: the trusted ledger's costs, merged into bench/results.json.
//   sign_verify_per_event_us  Ed25519 sign + verify of one event message (node:crypto)
//   verify_incremental_ms     the start-up verify on 300,000 events, checkpoint 100 events below the head
//   verify_full_events_per_s  the full verify's hash-chain phase over those events
//   verify_replay_ms          the full verify's projection replay, apart
//   checkpoint_write_ms       one signed checkpoint (projection digest + signature + sidecar) at that size
//   trust_payment_commit_p50/p99  payment.take (signed event) on that ledger
// The 300,000-event ledger is built once through the ledger's own event path (hash chain, signature,
// projector) in large transactions, with a checkpoint every 5,000 events like the running terminal,
// and cached under bench/.cache with its key file and checkpoint sidecar.
import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
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
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventMessage } from '@heating-cashier/core/signing';
import { dispatch } from '../src-main/api/dispatch';
import { openTerminal, type OpenTerminal } from '../src-main/app/open-terminal';
import type { CommandName } from '@heating-cashier/core/contract/commands';
import { appendReceipt, receiptSource } from './synthetic-receipts';
import { sidecarPathOf, writeCheckpoint } from '../src-main/ledger/checkpoints';
import { openDatabase } from '../src-main/ledger/db';
import { createVerifier, generateSigningKey } from '../src-main/ledger/signing';
import { verifyChainOnly, verifyFromCheckpoint, verifyLedger } from '../src-main/ledger/verify';
import { median, round, summarize } from './stats';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE_DIR = join(ROOT, 'bench', '.cache');
const RESULTS = join(ROOT, 'bench', 'results.json');
const EVENTS = Number(process.env.BENCH_TRUST_EVENTS ?? 300_000);
const AFTER_CHECKPOINT = 100;
const BATCH = 5_000;
const PAYMENTS = 400;
const PAYMENT_WARMUP = 100;
const SUPERVISOR = { supervisorCode: '9001', supervisorPin: '888888' };
const log = (m: string) => process.stderr.write(`[bench:trust] ${m}\n`);

async function must(t: OpenTerminal, name: CommandName, input: Record<string, unknown>) {
  const r = await dispatch(t.ctx, name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message.en}`);
  return r.value as Record<string, unknown>;
}

function cacheKey(): string {
  const h = createHash('sha256');
  const dir = join(ROOT, 'migrations');
  for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(join(dir, f)));
  for (const f of ['src-main/demo/generate.ts', 'src-main/ledger/event-log.ts'])
    h.update(readFileSync(join(ROOT, f)));
  return h.update(`${EVENTS}:${BUILDER_VERSION}`).digest('hex').slice(0, 16);
}

const SIDE_FILES = ['', '.key', '.checkpoint'];
/** Bump when `ensureLedger` / `appendReceipts` below build a different ledger. */
const BUILDER_VERSION = 1;

/** Appends receipt events through appendEvent (signed, projected) until the head reaches `until`. */
function appendReceipts(t: OpenTerminal, until: number, checkpoints: boolean): void {
  const { db } = t.ctx;
  const source = receiptSource(t);
  const head = () => (db.prepare('SELECT max(seq) AS s FROM events').get() as { s: number }).s;
  let no = (
    db.prepare('SELECT next_no FROM receipt_books WHERE id = ?').get(source.book.id) as {
      next_no: number;
    }
  ).next_no;
  let i = 0;
  while (head() < until) {
    const batch = Math.min(BATCH - (head() % BATCH), until - head());
    db.transaction(() => {
      for (let k = 0; k < batch; k++, i++, no++) {
        const amount = 1 + (i % 20);
        const now = new Date();
        appendReceipt(t, source, {
          receiptNo: no,
          index: i,
          amountFen: amount,
          tender: { kind: 'cash', amountFen: amount, tenderedFen: amount, detail: {} },
          now,
          businessDate: now.toISOString().slice(0, 10),
          requestId: randomUUID(),
        });
      }
    })();
    if (checkpoints && head() % BATCH === 0) writeCheckpoint(db, t.ctx.terminal.id, new Date());
    if (head() % 50_000 < BATCH) log(`  ${head()} events`);
  }
}

async function ensureLedger(): Promise<string> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const base = `trust-${EVENTS}-${cacheKey()}`;
  const file = join(CACHE_DIR, `${base}.db`);
  if (existsSync(file) && existsSync(`${file}.key`)) return file;
  for (const f of readdirSync(CACHE_DIR))
    if (f.startsWith(`trust-${EVENTS}-`)) rmSync(join(CACHE_DIR, f), { force: true });
  const tmp = join(CACHE_DIR, `${base}.tmp.db`);
  log(`building a ${EVENTS}-event ledger -> ${file}`);
  const started = performance.now();
  const t = openTerminal({
    dbFile: tmp,
    demoIfEmpty: true,
    demoHouseholds: 2000,
    timeZone: 'Asia/Shanghai',
  });
  t.ctx.db.pragma('synchronous = OFF');
  const session = (await must(t, 'session.login', { clerkCode: '1001', pin: '123456' }))
    .session as string;
  await must(t, 'shift.open', { session, openingFloatFen: 0 });
  await must(t, 'book.issue', {
    session,
    series: 'BENCH',
    firstNo: 1,
    lastNo: 99_999_999,
    clerkCode: '1001',
    ...SUPERVISOR,
  });
  appendReceipts(t, EVENTS - AFTER_CHECKPOINT, true);
  writeCheckpoint(t.ctx.db, t.ctx.terminal.id, new Date());
  appendReceipts(t, EVENTS, false);
  t.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  // Closed without the clean-close checkpoint: the newest one stays 100 events below the head.
  t.ctx.db.close();
  for (const s of SIDE_FILES) renameSync(tmp + s, file + s);
  log(`built in ${round((performance.now() - started) / 1000, 1)} s`);
  return file;
}

/** Ed25519 over an event message with node:crypto: sign, verify, and both (µs per event). */
function signVerifyPerEventUs(): { sign: number; verify: number; both: number } {
  const { signer } = generateSigningKey();
  const verify = createVerifier();
  const messages = Array.from({ length: 5_000 }, (_, i) =>
    eventMessage(createHash('sha256').update(String(i)).digest('hex')),
  );
  for (const m of messages.slice(0, 500)) verify(signer.publicKey, m, signer.sign(m)); // warm-up
  const t0 = performance.now();
  const signatures = messages.map((m) => signer.sign(m));
  const t1 = performance.now();
  messages.forEach((m, i) => {
    if (!verify(signer.publicKey, m, signatures[i]!)) throw new Error('signature did not verify');
  });
  const t2 = performance.now();
  const us = (ms: number) => round((ms * 1000) / messages.length, 1);
  return { sign: us(t1 - t0), verify: us(t2 - t1), both: us(t2 - t0) };
}

async function main() {
  const cached = await ensureLedger();
  const workDir = join(CACHE_DIR, `trust-run-${process.pid}`);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  try {
    const file = join(workDir, 'ledger.db');
    for (const s of SIDE_FILES) copyFileSync(cached + s, file + s);
    log('sign + verify…');
    const signVerify = signVerifyPerEventUs();

    const db = openDatabase(file);
    const terminalId = (
      db.prepare('SELECT terminal_id FROM terminal').get() as { terminal_id: string }
    ).terminal_id;
    log('incremental verify…');
    const incremental: number[] = [];
    let inc = verifyFromCheckpoint(db, terminalId, sidecarPathOf(db));
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      inc = verifyFromCheckpoint(db, terminalId, sidecarPathOf(db));
      incremental.push(performance.now() - t0);
      if (!inc.ok) throw new Error(`incremental verify failed: ${inc.problem}`);
    }
    log(
      `incremental ${round(median(incremental), 1)} ms (${inc.eventsChecked} events after seq ${inc.fromSeq - 1})`,
    );
    log('full verify: chain…');
    const chainRuns: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = verifyChainOnly(db, terminalId);
      if (!r.ok) throw new Error(`full verify failed: ${r.problem}`);
      chainRuns.push(r.chainMs);
    }
    const head = inc.headSeq;
    log('full verify: replay…');
    const full = verifyLedger(db, terminalId);
    if (!full.ok) throw new Error(`full verify failed: ${full.problem}`);
    db.close();

    log('checkpoint write + payments…');
    const t = openTerminal({ dbFile: file, timeZone: 'Asia/Shanghai' });
    const openReport = t.ctx.runtime.integrity.view();
    const cpRuns: number[] = [];
    const session = (await must(t, 'session.login', { clerkCode: '1001', pin: '123456' }))
      .session as string;
    const payers = t.ctx.db
      .prepare('SELECT id, owed_fen FROM households WHERE owed_fen >= 1000 ORDER BY num LIMIT ?')
      .all(PAYMENT_WARMUP + PAYMENTS) as { id: string; owed_fen: number }[];
    const pay = async (p: { id: string }) => {
      const t0 = performance.now();
      await must(t, 'payment.take', {
        session,
        requestId: randomUUID(),
        householdId: p.id,
        amountFen: 1000,
        tenders: [{ kind: 'cash', amountFen: 1000, tenderedFen: 1000 }],
      });
      return performance.now() - t0;
    };
    // The same machine's fsync, interleaved: a one-row commit on a WAL database beside the ledger.
    const bare = new Database(join(workDir, 'bare.db'));
    bare.pragma('journal_mode = WAL');
    bare.pragma('synchronous = FULL');
    bare.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
    const insert = bare.prepare('INSERT INTO t (payload) VALUES (?)');
    const bareInsert = () => {
      const t0 = performance.now();
      insert.run(randomUUID());
      return performance.now() - t0;
    };
    const samples: number[] = [];
    const bareSamples: number[] = [];
    for (const [i, p] of payers.entries()) {
      const ms = await pay(p);
      const bareMs = bareInsert();
      if (i >= PAYMENT_WARMUP) {
        samples.push(ms);
        bareSamples.push(bareMs);
      }
      if (i % 50 === 0) {
        const t0 = performance.now();
        if (writeCheckpoint(t.ctx.db, t.ctx.terminal.id, new Date()))
          cpRuns.push(performance.now() - t0);
      }
    }
    t.ctx.db.close();
    bare.close();
    const pay99 = summarize(samples);
    const bare99 = summarize(bareSamples);

    const figures = {
      sign_verify_per_event_us: signVerify.both,
      sign_per_event_us: signVerify.sign,
      verify_signature_us: signVerify.verify,
      verify_incremental_ms: round(median(incremental), 1),
      verify_incremental_runs_ms: incremental.map((v) => round(v, 1)),
      verify_incremental_events_after_checkpoint: inc.eventsChecked,
      verify_full_events_per_s: Math.round(head / (median(chainRuns) / 1000)),
      verify_full_events_per_s_best: Math.round(head / (Math.min(...chainRuns) / 1000)),
      verify_full_chain_ms: round(median(chainRuns), 1),
      verify_replay_ms: full.replayMs,
      verify_events: head,
      verify_open_terminal_startup_ms: openReport.startupMs,
      checkpoint_write_ms: round(median(cpRuns), 1),
      trust_payment_commit_p50: pay99.p50,
      trust_payment_commit_p99: pay99.p99,
      trust_bare_insert_p50: bare99.p50,
      trust_bare_insert_p99: bare99.p99,
    };
    const targets = {
      verify_incremental_ms: {
        value: figures.verify_incremental_ms,
        limit: 200,
        pass: figures.verify_incremental_ms <= 200,
      },
      verify_full_events_per_s: {
        value: figures.verify_full_events_per_s,
        min: 100_000,
        pass: figures.verify_full_events_per_s >= 100_000,
      },
      trust_payment_commit_p99: {
        value: figures.trust_payment_commit_p99,
        limit: 10,
        pass: figures.trust_payment_commit_p99 <= 10,
      },
    };
    const results = existsSync(RESULTS)
      ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>)
      : {};
    writeFileSync(
      RESULTS,
      `${JSON.stringify({ ...results, ...figures, trust_targets: targets, trust_date: new Date().toISOString() }, null, 2)}\n`,
    );
    for (const [k, v] of Object.entries(figures)) console.log(`${k} = ${JSON.stringify(v)}`);
    for (const [k, v] of Object.entries(targets))
      console.log(`${v.pass ? 'PASS' : 'FAIL'}  ${k} = ${v.value}`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
