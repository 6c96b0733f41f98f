import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { reconciliation, verifyChain } from '../../../head-office/src/store';
import { chainHeadMessage } from '@heating-cashier/core/signing';
import { eventsAfter, keyOf, syncState } from '../../../src-main/features/sync/store';
import { startSyncWorker, SyncWorker } from '../../../src-main/features/sync/worker';
import { terminalRecon, type Backend, type TestHeadOffice } from '../../support/head-office';
import { FAST_SYNC as FAST, syncSuite } from '../../support/sync-suite';
import { householdsOwing, type TestTerminal } from '../../support/terminal';

async function payments(t: TestTerminal, n: number, amountFen = 1000) {
  const session = await t.login();
  if (!(await t.must('shift.current', { session })).shift) {
    await t.must('shift.open', { session, openingFloatFen: 10000 });
  }
  const hh = householdsOwing(t, amountFen * 4, 40);
  const receipts: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: hh[i % hh.length],
      amountFen,
      tenders: [{ kind: 'cash', amountFen, tenderedFen: amountFen }],
    });
    receipts.push(r.id);
  }
  return { session, receipts };
}

async function post(
  url: string,
  path: string,
  token: string | null,
  body: string,
  type = 'application/json',
) {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The chain head at `seq`, signed as the terminal's worker signs it. */
function signedHead(t: TestTerminal, seq: number, hash: string) {
  const signer = t.ctx.db.cache.signer!;
  return {
    seq,
    hash,
    signature: signer.sign(chainHeadMessage({ terminalId: t.ctx.terminal.id, seq, hash })),
    keyNo: keyOf(t.ctx.db, signer.publicKey)!.key_no,
  };
}

const eventCount = async (ho: TestHeadOffice) =>
  (await ho.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ho_events'))[0]!.n;

describe.each<Backend>(['pglite', 'postgres'])('sync with head office on %s', (backend) => {
  const suite = syncSuite(backend, 60);
  let ho: TestHeadOffice;
  beforeAll(() => {
    ho = suite.ho;
  });
  const terminal = () => suite.terminal();

  it('pushes every event once; head office totals per day and book equal the terminal; chain verifies', async () => {
    const t = terminal();
    await ho.enrol(t);
    const { session, receipts } = await payments(t, 30, 1234);
    await t.must('receipt.void', {
      session,
      receiptId: receipts[3],
      reason: '录错金额',
      supervisorCode: '9001',
      supervisorPin: '888888',
    });
    // The service KPIs' facts travel too (issue 22): a rating and a receipt with its service start.
    await t.must('service.rate', { session, receiptId: receipts[5], score: 4, source: 'display' });
    const [timed] = householdsOwing(t, 5_000, 1);
    await t.must('household.account', { session, householdId: timed });
    await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: timed,
      amountFen: 1234,
      tenders: [{ kind: 'cash', amountFen: 1234, tenderedFen: 1234 }],
    });
    const w = new SyncWorker(t.ctx, { ...FAST, batchSize: 7 });
    const before = w.status();
    expect(before.pendingEvents).toBeGreaterThan(30);
    const drained = await w.drain({ maxCycles: 5, deadlineMs: 20_000 });
    expect(drained).toMatchObject({ done: true, outcome: 'ok' });
    const s = w.status();
    expect(s).toMatchObject({ state: 'ready', pendingEvents: 0, online: true });
    expect(s.lastSuccessAt).not.toBeNull();
    const recon = await reconciliation(ho.db, { terminalId: t.ctx.terminal.id });
    expect(recon).toEqual(terminalRecon(t));
    expect(recon.reduce((a, r) => a + r.net_fen, 0)).toBe(30 * 1234);
    const service = await ho.db.query<{ type: string; payload: string }>(
      `SELECT type, payload FROM ho_events WHERE terminal_id = $1
         AND (type = 'service.rated' OR payload LIKE '%serviceStartedAt%') ORDER BY seq`,
      [t.ctx.terminal.id],
    );
    expect(service.map((e) => e.type)).toEqual(['service.rated', 'receipt.issued']);
    expect(JSON.parse(service[0]!.payload)).toMatchObject({ receiptId: receipts[5], score: 4 });
    // the same figures over HTTP, for the operator
    const http = (await (
      await ho.admin(`/v1/reports/reconciliation?terminalId=${t.ctx.terminal.id}`)
    ).json()) as { rows: unknown[] };
    expect(http.rows).toEqual(recon);
    const verified = await ho.admin(`/v1/terminals/${t.ctx.terminal.id}/verify`);
    expect(await verified.json()).toMatchObject({ ok: true, firstBadSeq: null });
    // the unbound registration is gone: a terminal comes in only with a one-time enrollment code
    const registered = await ho.admin('/v1/terminals', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '二号窗口' }),
    });
    expect(registered.status).toBe(404);
    const issued = await ho.admin('/v1/enrollment-codes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '二号窗口' }),
    });
    expect(issued.status).toBe(201);
    const code = (await issued.json()) as { code: string; expiresAt: string };
    expect(code.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(Date.parse(code.expiresAt) - Date.now()).toBeGreaterThan(71 * 3_600_000); // 72 h
    const stored = await ho.db.query<{ code_hash: string }>(
      "SELECT code_hash FROM ho_enrollment_codes WHERE name = '二号窗口'",
    );
    expect(stored[0]!.code_hash).toMatch(/^[0-9a-f]{64}$/); // only the hash is kept
    const tokens = await ho.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM ho_terminals WHERE terminal_id = $1',
      [t.ctx.terminal.id],
    );
    expect(tokens[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const chain = await verifyChain(ho.db, t.ctx.terminal.id);
    expect(chain).toMatchObject({
      ok: true,
      headSeq: syncState(t.ctx.db).acked_seq,
      firstBadSeq: null,
    });
  });

  it("the running worker is the status bar's sync provider; sync.status and sync.unsynced tell the clerk what is pending", async () => {
    const t = terminal();
    const session = await t.login();
    const before = await t.must('sync.status', { session });
    expect(before).toMatchObject({ state: 'unavailable', configured: false });
    expect(before.pendingEvents).toBeGreaterThan(0);
    const unsynced = await t.must('sync.unsynced', { session });
    expect(unsynced.total).toBe(before.pendingEvents);
    expect(unsynced.events[0]).toMatchObject({ seq: 1 });
    const token = await ho.enrol(t);
    const worker = startSyncWorker(t.ctx, { ...FAST, intervalMs: 20 });
    try {
      await t.must('sync.configure', {
        session,
        url: ho.url,
        token,
        supervisorCode: '9001',
        supervisorPin: '888888',
      });
      const settled = async () =>
        (await t.must('terminal.status', {})).sync.state === 'ready' &&
        !(await t.must('sync.status', { session })).balanceStale;
      for (let i = 0; i < 200 && !(await settled()); i++)
        await new Promise((r) => setTimeout(r, 25));
      const bar = (await t.must('terminal.status', {})).sync;
      expect(bar).toMatchObject({ state: 'ready', pendingEvents: 0 });
      expect(bar.lastSuccessAt).not.toBeNull();
      const view = await t.must('sync.status', { session });
      expect(view).toMatchObject({
        configured: true,
        online: true,
        balanceStale: false,
        headOfficeUrl: ho.url,
      });
      expect(JSON.stringify(view)).not.toContain(token); // the token never leaves the main side
      expect((await t.must('sync.unsynced', { session })).total).toBe(0);
    } finally {
      await worker.stop();
    }
  });

  it('a replayed old batch is idempotent: 200 with duplicates, nothing written twice', async () => {
    const t = terminal();
    const token = await ho.enrol(t);
    await payments(t, 5);
    await new SyncWorker(t.ctx, FAST).drain({ maxCycles: 3, deadlineMs: 10_000 });
    const n = await eventCount(ho);
    const head = syncState(t.ctx.db);
    const body = JSON.stringify({
      terminalId: t.ctx.terminal.id,
      head: signedHead(t, head.acked_seq, head.acked_hash!),
      events: eventsAfter(t.ctx.db, 0, 4),
    });
    for (let i = 0; i < 3; i++) {
      const r = await post(ho.url, '/v1/sync/push', token, body);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ ackedSeq: head.acked_seq, inserted: 0, duplicates: 4 });
    }
    expect(await eventCount(ho)).toBe(n);
  });

  it('same seq with a different hash → 409, quarantined, never overwritten; the worker stops and alerts', async () => {
    const t = terminal();
    const token = await ho.enrol(t);
    await payments(t, 3);
    const w = new SyncWorker(t.ctx, FAST);
    await w.drain({ maxCycles: 3, deadlineMs: 10_000 });
    const [e] = eventsAfter(t.ctx.db, 1, 1);
    const forged = { ...e!, payload: { ...e!.payload, series: 'Z' }, hash: 'f'.repeat(64) };
    const r = await post(
      ho.url,
      '/v1/sync/push',
      token,
      JSON.stringify({
        terminalId: t.ctx.terminal.id,
        head: { seq: 9, hash: 'f'.repeat(64) },
        events: [forged],
      }),
    );
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ error: 'conflict', conflictSeq: 2 });
    const stored = await ho.db.query<{ hash: string }>(
      'SELECT hash FROM ho_events WHERE terminal_id = $1 AND seq = 2',
      [t.ctx.terminal.id],
    );
    expect(stored[0]!.hash).toBe(e!.hash);
    const q = await ho.db.query<{ kind: string; seq: number }>(
      'SELECT kind, seq FROM ho_quarantine WHERE terminal_id = $1',
      [t.ctx.terminal.id],
    );
    expect(q).toEqual([{ kind: 'conflict', seq: 2 }]);
    // the terminal keeps working offline-first, but its pushes stop and the clerk sees why
    await payments(t, 1);
    expect(await w.cycle()).toBe('stopped');
    expect(w.status().state).toBe('error');
    expect(w.status().detail?.['zh-CN']).toContain('隔离');
  });

  it('a gap → 409 with the expected seq; the worker resends from there', async () => {
    const t = terminal();
    const token = await ho.enrol(t);
    await payments(t, 4);
    const events = eventsAfter(t.ctx.db, 2, 3);
    const r = await post(
      ho.url,
      '/v1/sync/push',
      token,
      JSON.stringify({
        terminalId: t.ctx.terminal.id,
        head: { seq: 5, hash: events[2]!.hash },
        events,
      }),
    );
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ error: 'gap', expectedSeq: 1 });
    // a terminal that believes head office already holds seq 1..4 (e.g. head office restored from a backup)
    t.ctx.db.prepare('UPDATE sync_state SET acked_seq = 4').run();
    const w = new SyncWorker(t.ctx, FAST);
    expect((await w.drain({ maxCycles: 3, deadlineMs: 10_000 })).done).toBe(true);
    expect(await verifyChain(ho.db, t.ctx.terminal.id)).toMatchObject({ ok: true });
  });

  it('security: missing/wrong/other token, oversized body, malformed JSON, foreign terminal id → refused, nothing written', async () => {
    const a = terminal();
    const b = terminal();
    const tokenA = await ho.enrol(a);
    const tokenB = await ho.enrol(b);
    await payments(a, 2);
    await new SyncWorker(b.ctx, FAST).drain({ maxCycles: 3, deadlineMs: 10_000 });
    const n = await eventCount(ho);
    const body = JSON.stringify({
      terminalId: a.ctx.terminal.id,
      head: { seq: 1, hash: eventsAfter(a.ctx.db, 0, 1)[0]!.hash },
      events: eventsAfter(a.ctx.db, 0, 3),
    });
    expect((await post(ho.url, '/v1/sync/push', null, body)).status).toBe(401);
    expect((await post(ho.url, '/v1/sync/push', 'hot_notarealtoken000000000', body)).status).toBe(
      401,
    );
    expect((await post(ho.url, '/v1/sync/push', tokenB, body)).body).toMatchObject({
      error: 'forbidden',
    });
    expect((await post(ho.url, '/v1/sync/push', tokenA, '{"terminalId":')).status).toBe(400);
    expect(
      (
        await post(
          ho.url,
          '/v1/sync/push',
          tokenA,
          JSON.stringify({ terminalId: 'x', head: {}, events: 5 }),
        )
      ).status,
    ).toBe(400);
    const big = await post(
      ho.url,
      '/v1/sync/push',
      tokenA,
      `{"pad":"${'x'.repeat(9 * 1024 * 1024)}"}`,
    );
    expect(big.status).toBe(413);
    const tampered = JSON.parse(body) as { events: { payload: Record<string, unknown> }[] };
    tampered.events[0]!.payload.lastNo = 999999;
    const t2 = await post(ho.url, '/v1/sync/push', tokenA, JSON.stringify(tampered));
    expect(t2.status).toBe(409);
    expect(await eventCount(ho)).toBe(n);
    expect(
      (
        await fetch(`${ho.url}/v1/sync/pull?terminalId=${a.ctx.terminal.id}`, {
          headers: { authorization: `Bearer ${tokenB}` },
        })
      ).status,
    ).toBe(403);
    expect((await fetch(`${ho.url}/v1/reports/overpayments`)).status).toBe(401);
  });
});
