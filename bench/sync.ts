/**
 * `npm run bench:sync`: a 100,000-event backlog pushed by the sync worker to head office on
 * PostgreSQL over loopback HTTP. Writes `sync_backlog_100k_s` (target ≤ 60) and
 * `ho_ingest_events_per_s` (target ≥ 5,000) into bench/results.json, keeping the other keys.
 * Needs the test cluster (TEST_PG_URL, default postgres://postgres:postgres@127.0.0.1:5432/postgres).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openTerminal } from '../src-main/app/open-terminal';
import { appendSyncBacklog } from './sync-backlog';
import { SyncWorker } from '../src-main/features/sync/worker';
import { enroll, issueEnrollmentCode } from '../head-office/src/enrollment';
import { ingestPush, terminalByToken } from '../head-office/src/store';
import { pushRequest } from '@heating-cashier/core/contract/sync-wire';
import { chainHeadMessage, enrollMessage } from '@heating-cashier/core/signing';
import type { Db } from '../src-main/ledger/db';
import { eventsAfter, keyOf } from '../src-main/features/sync/sync-state.store';
import { startHeadOffice } from '../tests/support/head-office';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EVENTS = Number(process.env.BENCH_SYNC_EVENTS ?? 100_000);

async function main() {
  const work = join(ROOT, 'bench', '.cache', `sync-${process.pid}`);
  mkdirSync(work, { recursive: true });
  let now = Date.parse('2026-12-01T01:00:00Z');
  const t = openTerminal({
    dbFile: join(work, 'ledger.db'),
    demoIfEmpty: true,
    demoHouseholds: 2000,
    timeZone: 'Asia/Shanghai',
    clock: () => new Date(now),
  });
  try {
    const ctx = t.ctx;
    const t0 = performance.now();
    await appendSyncBacklog(t, {
      events: EVENTS,
      series: 'B',
      ids: '',
      tick: () => new Date((now += 50)),
    });
    const buildS = (performance.now() - t0) / 1000;
    const ho = await startHeadOffice('postgres');
    try {
      await ho.enrol(t);
      const worker = new SyncWorker(ctx, { batchSize: 1000, requestTimeoutMs: 60_000 });
      const pending = worker.status().pendingEvents;
      const s0 = performance.now();
      const r = await worker.drain({ maxCycles: 5, deadlineMs: 600_000 });
      const seconds = (performance.now() - s0) / 1000;
      if (!r.done) throw new Error(`drain did not finish: ${JSON.stringify(r)}`);
      const [{ n }] = (await ho.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM ho_events',
      )) as [{ n: number }];
      if (n !== pending) throw new Error(`head office holds ${n} events, expected ${pending}`);
      // Head office's own ingest rate (schema validation, hash check, one transaction per batch of
      // 1,000) on a fresh database, without the terminal and HTTP in the loop.
      const ingestSeconds = await directIngest(t.ctx.db, t.ctx.terminal.id);
      const file = join(ROOT, 'bench', 'results.json');
      const results = existsSync(file)
        ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)
        : {};
      const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
      Object.assign(results, {
        sync_backlog_events: pending,
        sync_backlog_100k_s: round((seconds * 100_000) / pending, 2),
        ho_ingest_events_per_s: Math.round(pending / ingestSeconds),
        sync_push_events_per_s: Math.round(pending / seconds),
        sync_backlog_build_s: round(buildS),
        sync_bench_storage: 'postgres 15, loopback HTTP, batches of 1000',
        sync_targets: {
          sync_backlog_100k_s: { limit: 60, pass: (seconds * 100_000) / pending <= 60 },
          ho_ingest_events_per_s: { min: 5000, pass: pending / ingestSeconds >= 5000 },
        },
      });
      writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
      console.log(
        `pushed ${pending} events in ${round(seconds, 2)} s → ${Math.round(pending / seconds)} events/s end to end; head office ingest ${Math.round(pending / ingestSeconds)} events/s (backlog built in ${round(buildS)} s)`,
      );
    } finally {
      await ho.close();
    }
  } finally {
    t.close();
    rmSync(work, { recursive: true, force: true });
  }
}

async function directIngest(db: Db, terminalId: string): Promise<number> {
  const ho = await startHeadOffice('postgres');
  try {
    // enroll the terminal's key at this head office too: every event is signed and verified
    const signer = db.cache.signer!;
    const key = keyOf(db, signer.publicKey)!;
    const { code } = await issueEnrollmentCode(ho.db, { name: 'bench', terminalId });
    const enrolled = await enroll(ho.db, {
      code,
      terminalId,
      name: 'bench',
      keyNo: key.key_no,
      publicKey: signer.publicKey,
      keyFromSeq: key.from_seq,
      proof: signer.sign(enrollMessage(code, terminalId, signer.publicKey)),
    });
    if (enrolled.status !== 200) throw new Error(`enroll: ${JSON.stringify(enrolled.body)}`);
    const reg = (await terminalByToken(ho.db, enrolled.body.token))!;
    let acked = 0;
    let spent = 0;
    for (;;) {
      const events = eventsAfter(db, acked, 1000);
      if (events.length === 0) break;
      const last = events[events.length - 1]!;
      const head = {
        seq: last.seq,
        hash: last.hash,
        signature: signer.sign(chainHeadMessage({ terminalId, seq: last.seq, hash: last.hash })),
        keyNo: key.key_no,
      };
      const raw = JSON.stringify({ terminalId, head, events });
      const body: unknown = JSON.parse(raw); // what the server's body parser hands over
      const t0 = performance.now();
      const req = pushRequest.parse(body);
      const out = await ingestPush(ho.db, reg, req, raw);
      spent += performance.now() - t0;
      if (out.status !== 200) throw new Error(`ingest refused: ${JSON.stringify(out.body)}`);
      acked = out.body.ackedSeq;
    }
    return spent / 1000;
  } finally {
    await ho.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
