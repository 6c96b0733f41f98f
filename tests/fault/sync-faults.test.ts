// Fault-injection proof for sync (issue #7): three terminals push through a chaos proxy to head office
// while 2,000 random payments, partial payments and voids happen; then faults stop and sync drains.
// On PostgreSQL head office runs as two instances on one database (issue #18) and the proxy sends
// each request to either at random, so one push may reach both at once (duplicates, replays).
// Seeded (SYNC_FAULT_SEED) so a failure can be replayed; `npm run test:fault` runs a longer soak.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres, type HoDb } from '../../head-office/src/db';
import { buildServer } from '../../head-office/src/server';
import { reconciliation, verifyChain } from '../../head-office/src/store';
import { owedFen } from '../../src-main/features/households/accounts.store';
import { chainHead } from '../../src-main/ledger/event-log';
import { seededRandom } from '../../src-main/features/sync/backoff';
import { configureSync } from '../../src-main/features/sync/store';
import { SyncWorker } from '../../src-main/features/sync/worker';
import {
  startHeadOffice,
  terminalRecon,
  type Backend,
  type TestHeadOffice,
} from '../support/head-office';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';
import { FAULTS, startChaosProxy, type ChaosProxy } from './support/chaos-proxy';

const OPS = Number(process.env.SYNC_FAULT_OPS ?? 2000);
const SEED = Number(process.env.SYNC_FAULT_SEED ?? 20261126);
const BACKENDS = (process.env.SYNC_FAULT_BACKENDS ?? 'postgres').split(',') as Backend[];
const HOUSEHOLDS = 400;
/** Head-office instances on one PostgreSQL database (PGlite is one process: always one). */
const PG_INSTANCES = Number(process.env.SYNC_FAULT_HO_INSTANCES ?? 2);

interface Counter {
  t: TestTerminal;
  session: string;
  /** A supervisor's session: finance decides cheques at the counter. */
  sup: string;
  receipts: string[];
  /** Pending cheques; even receipts are decided at the counter, odd ones at head office. */
  cheques: { receiptId: string; position: number; atHeadOffice: boolean }[];
  worker: SyncWorker;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Another head-office instance on the first one's PostgreSQL database. */
async function secondInstance(
  ho: TestHeadOffice,
): Promise<{ url: string; close(): Promise<void> }> {
  if (!ho.databaseUrl) throw new Error('a second instance needs PostgreSQL');
  const db: HoDb = await openPostgres(ho.databaseUrl, 10);
  const app = buildServer({ db, adminToken: ho.adminToken });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

describe.each(BACKENDS)('sync under network faults (%s)', (backend) => {
  const instances = backend === 'postgres' ? PG_INSTANCES : 1;
  const dirs: { cleanup(): void }[] = [];
  let ho: TestHeadOffice | undefined;
  const more: { url: string; close(): Promise<void> }[] = [];
  let proxy: ChaosProxy | undefined;
  const counters: Counter[] = [];
  afterAll(async () => {
    await Promise.all(counters.map((c) => c.worker.stop()));
    await proxy?.close();
    for (const m of more) await m.close();
    await ho?.close();
    counters.forEach((c) => c.t.close());
    dirs.forEach((d) => d.cleanup());
  });

  it(`${OPS} random payments/partials/voids on 3 terminals through drops, delays, duplicates, reorders, 500s, resets and truncations, to ${instances} head-office instance(s) → exactly once, to the fen (seed ${SEED})`, async () => {
    const rnd = seededRandom(SEED);
    ho = await startHeadOffice(backend);
    for (let i = 1; i < instances; i++) more.push(await secondInstance(ho));
    proxy = await startChaosProxy([ho.url, ...more.map((m) => m.url)], seededRandom(SEED + 1));
    for (let i = 0; i < 3; i++) {
      const d = tempDir();
      dirs.push(d);
      const t = openTestTerminal(join(d.dir, `t${i}.db`), { households: HOUSEHOLDS });
      await ho.enrol(t, `窗口 ${i + 1}`);
      configureSync(
        t.ctx.db,
        proxy.url,
        t.ctx.db.prepare('SELECT terminal_token AS k FROM sync_state').pluck().get() as string,
      );
      const session = await t.login();
      await t.must('shift.open', { session, openingFloatFen: 50000 });
      await t.must('book.issue', {
        session,
        series: 'C',
        firstNo: 1,
        lastNo: 5000,
        clerkCode: '1001',
        supervisorCode: '9001',
        supervisorPin: '888888',
      });
      const worker = new SyncWorker(t.ctx, {
        batchSize: 1 + Math.floor(rnd() * 15),
        intervalMs: 20,
        backoffBaseMs: 10,
        backoffCapMs: 400,
        requestTimeoutMs: 3000,
        random: seededRandom(SEED + 10 + i),
      });
      worker.start();
      const sup = await t.login('9001', '888888');
      counters.push({ t, session, sup, receipts: [], cheques: [], worker });
    }

    let done = 0;
    const refusedCodes: string[] = [];
    let voids = 0;
    let chequeOps = 0;
    let chequeSeq = 0;
    for (let attempt = 0; done < OPS && attempt < OPS * 3; attempt++) {
      const c = counters[Math.floor(rnd() * 3)]!;
      const roll = rnd();
      if (roll >= 0.05 && roll < 0.09 && c.cheques.length > 0) {
        // a cheque cleared or bounced: by a supervisor at the counter (pushed through the proxy)
        // or by finance at head office (pulled through the proxy)
        const q = c.cheques.splice(Math.floor(rnd() * c.cheques.length), 1)[0]!;
        const bounce = rnd() < 0.4;
        if (q.atHeadOffice) {
          const res = await ho.admin('/v1/cheques/decisions', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify([
              {
                receiptId: q.receiptId,
                position: q.position,
                outcome: bounce ? 'bounced' : 'cleared',
                valueDate: '2099-12-31',
                ...(bounce ? { reason: '余额不足' } : {}),
              },
            ]),
          });
          // 422 while head office has not received the receipt yet: try again later
          if (res.status === 200) {
            done++;
            chequeOps++;
          } else c.cheques.push(q);
        } else {
          const r = await c.t.call(bounce ? 'cheque.bounce' : 'cheque.clear', {
            session: c.sup,
            receiptId: q.receiptId,
            position: q.position,
            ...(bounce ? { reason: '印鉴不符' } : {}),
          });
          if (r.ok) {
            done++;
            chequeOps++;
          } else refusedCodes.push(r.error.code);
        }
        continue;
      }
      if (roll < 0.05 && c.receipts.length > 0) {
        const receiptId = c.receipts.splice(Math.floor(rnd() * c.receipts.length), 1)[0]!;
        const r = await c.t.call('receipt.void', {
          session: c.session,
          receiptId,
          reason: '收款有误',
          supervisorCode: '9001',
          supervisorPin: '888888',
        });
        if (r.ok) {
          done++;
          voids++;
        } else refusedCodes.push(r.error.code);
      } else {
        const householdId = `H${10000001 + Math.floor(rnd() * HOUSEHOLDS)}`;
        const owed = owedFen(c.t.ctx.db, householdId);
        if (owed < 100) continue;
        // full payment, or a partial one (the receipt prints the % of each season's charge)
        const amountFen =
          roll < 0.35 ? owed : 100 + Math.floor(rnd() * Math.min(owed - 100, 200000));
        const split = rnd() < 0.2 && amountFen > 200;
        const cheque = split && rnd() < 0.5;
        const cash = split ? Math.floor(amountFen / 2) : amountFen;
        const r = await c.t.call('payment.take', {
          session: c.session,
          requestId: randomUUID(),
          householdId,
          amountFen,
          tenders: split
            ? [
                { kind: 'cash', amountFen: cash, tenderedFen: cash },
                cheque
                  ? {
                      kind: 'cheque',
                      amountFen: amountFen - cash,
                      chequeNo: `ZP${attempt}`,
                      bank: '农业银行',
                    }
                  : {
                      kind: 'qr',
                      amountFen: amountFen - cash,
                      channel: 'wechat',
                      reference: `WX${attempt}`,
                    },
              ]
            : [{ kind: 'cash', amountFen, tenderedFen: amountFen + (rnd() < 0.3 ? 50 : 0) }],
        });
        if (r.ok) {
          done++;
          if (cheque) {
            // a receipt with a cheque is decided, not voided (once decided it cannot be)
            c.cheques.push({
              receiptId: r.value.id,
              position: 1,
              atHeadOffice: chequeSeq++ % 2 === 1,
            });
          } else c.receipts.push(r.value.id);
        } else refusedCodes.push(`${r.error.code} ${r.error.message.en.slice(0, 90)}`); // e.g. more than owed after a pull
      }
      await sleep(attempt % 4 === 0 ? 2 : 0); // let the sync loops and the proxy run
    }
    expect(done).toBe(OPS);

    // faults stop; sync drains by itself within bounds
    proxy.setFaults(false);
    await Promise.all(counters.map((c) => c.worker.stop()));
    for (let round = 0; round < 2; round++) {
      for (const c of counters) {
        const r = await c.worker.drain({ maxCycles: 50, deadlineMs: 60_000 });
        expect(r, `drain of ${c.t.ctx.terminal.name}`).toMatchObject({ done: true });
      }
    }
    await proxy.close();
    const stats = proxy.stats;
    console.log(
      `faults (seed ${SEED}, ${backend}):`,
      JSON.stringify(stats),
      `routed ${proxy.routed.join('/')}`,
      `voids ${voids}, cheque decisions ${chequeOps}, refused`,
      refusedCodes.length,
      [...new Set(refusedCodes)],
    );
    for (const f of FAULTS) expect(stats[f], `fault ${f} happened`).toBeGreaterThan(0);
    // every instance took a share of the requests (each is picked at random per request)
    expect(proxy.routed).toHaveLength(instances);
    for (const n of proxy.routed) expect(n).toBeGreaterThan(OPS / 20);

    let hoTotal = 0;
    let terminalTotal = 0;
    for (const c of counters) {
      const id = c.t.ctx.terminal.id;
      const head = chainHead(c.t.ctx.db);
      const recon = await reconciliation(ho.db, { terminalId: id });
      expect(recon).toEqual(terminalRecon(c.t)); // per terminal, business day and receipt book
      hoTotal += recon.reduce((a, r) => a + r.net_fen, 0);
      terminalTotal += terminalRecon(c.t).reduce((a, r) => a + Number(r.net_fen), 0);
      const [row] = await ho.db.query<{ n: number; max: number; ids: number }>(
        'SELECT count(*)::int AS n, max(seq)::int AS max, count(DISTINCT id)::int AS ids FROM ho_events WHERE terminal_id = $1',
        [id],
      );
      expect(row).toEqual({ n: head.seq, max: head.seq, ids: head.seq }); // no duplicate, no gap
      // chain, every signature under the certified key, and the receipt projections
      const verified = await verifyChain(ho.db, id);
      expect(verified).toMatchObject({
        ok: true,
        headSeq: head.seq,
        headHash: head.hash,
        firstBadReceipt: null,
      });
      expect(verified!.signaturesChecked).toBeGreaterThan(head.seq / 2);
      // head office's signed ack of the last push is kept on the terminal
      expect(c.t.ctx.db.prepare('SELECT ack_seq FROM sync_state').pluck().get()).toBe(head.seq);
      // every other counter's net receipt lines arrived here as "paid elsewhere", less what
      // bounced cheques gave back
      const others = counters.filter((o) => o !== c);
      const expected = others.reduce(
        (a, o) =>
          a +
          (o.t.ctx.db
            .prepare(
              `SELECT coalesce(sum(l.amount_fen), 0) - (SELECT coalesce(sum(x.amount_fen), 0) FROM cheque_restorations x)
               FROM receipt_lines l JOIN receipts r ON r.id = l.receipt_id WHERE r.voided_seq IS NULL`,
            )
            .pluck()
            .get() as number),
        0,
      );
      // cheque decisions: the same on both sides, none refused, none contrary
      const local = c.t.ctx.db
        .prepare(
          `SELECT receipt_id, position, status, decision_id FROM cheque_decisions ORDER BY receipt_id, position`,
        )
        .all();
      const atHo = await ho.db.query(
        `SELECT receipt_id, position, status, decision_id FROM ho_cheques
         WHERE terminal_id = $1 AND status <> 'pending' ORDER BY receipt_id, position`,
        [id],
      );
      expect(atHo).toEqual(local);
      expect(c.t.ctx.db.prepare('SELECT count(*) FROM sync_rejects').pluck().get()).toBe(0);
      const pulled = c.t.ctx.db
        .prepare('SELECT coalesce(sum(amount_fen), 0) FROM payments_elsewhere')
        .pluck()
        .get() as number;
      expect(pulled).toBe(expected);
      expect((await c.t.must('ledger.verify', { session: c.session })).ok).toBe(true);
    }
    expect(hoTotal).toBe(terminalTotal);
    expect(chequeOps).toBeGreaterThan(0);
    expect(await ho.db.query('SELECT receipt_id FROM ho_cheque_conflicts')).toEqual([]);
    expect(await ho.db.query('SELECT kind FROM ho_quarantine')).toEqual([]);
  }, 300_000);
});
