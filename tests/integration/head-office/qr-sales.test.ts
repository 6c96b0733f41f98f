// Head office's QR sale procedure (issue 23) against the Alipay simulator over real HTTP: the
// terminal routes (POST sale, GET one, POST cancel), Alipay's notifications, and two head-office
// instances on one PostgreSQL racing the same request. Outcomes come from the simulator's amount
// rules (head-office/src/qr/alipay-simulator.ts) or per-trade scripts.
import { generateKeyPairSync, randomBytes, randomInt, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollMessage } from '@heating-cashier/core/signing';
import { maskPaymentCode } from '@heating-cashier/core/payment-code';
import { QR_ROUTES, qrSaleAnswer, type QrSaleAnswer } from '@heating-cashier/core/contract/qr-wire';
import { openPostgres } from '../../../head-office/src/db';
import { alipayConfig, createAlipayProvider } from '../../../head-office/src/qr/alipay';
import {
  AlipaySimulator,
  alipaySignContent,
  generateRsaKeyPair,
  rsa2Sign,
} from '../../../head-office/src/qr/alipay-simulator';
import type { QrProviderPort } from '../../../head-office/src/qr/provider';
import { buildServer } from '../../../head-office/src/server';
import { startHeadOffice, type Backend, type TestHeadOffice } from '../../support/head-office';
import { tempDir } from '../../support/terminal';

const APP_ID = '2021000000000042';
const POLL_MS = 40;
/** Room for a loaded machine: the sales that end paid after a few queries end well before. */
const DEADLINE_MS = 3000;
/** A second head office on the same database for the sales that run into the deadline. */
const FAST_DEADLINE_MS = 400;

/** Enrolls a terminal on the wire (its own Ed25519 key and proof); answers its id and token. */
async function enrolOnWire(ho: TestHeadOffice, name: string) {
  const terminalId = `T${randomBytes(6).toString('hex')}`;
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'jwk' }).x as string;
  const code = await ho.enrollmentCode(name);
  const proof = sign(
    null,
    Buffer.from(enrollMessage(code, terminalId, pub), 'utf8'),
    privateKey,
  ).toString('base64url');
  const r = await fetch(`${ho.url}/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      code,
      terminalId,
      name,
      keyNo: 1,
      publicKey: pub,
      keyFromSeq: 1,
      proof,
    }),
  });
  expect(r.status).toBe(200);
  return { terminalId, token: ((await r.json()) as { token: string }).token };
}

/** An Alipay payment code as a scanner types it: 18 digits starting 28. */
const alipayCode = () => `28${Array.from({ length: 16 }, () => String(randomInt(10))).join('')}`;

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

describe.each<Backend>(['pglite', 'postgres'])('QR sales through head office on %s', (backend) => {
  const dir = tempDir('qr-sim-');
  const appKeys = generateRsaKeyPair();
  const alipayKeys = generateRsaKeyPair();
  const sim = new AlipaySimulator({
    appId: APP_ID,
    appPublicKey: appKeys.publicKey,
    alipayPrivateKey: alipayKeys.privateKey,
    dir: dir.dir,
  });
  const providers: Partial<Record<'alipay' | 'wechat' | 'unionpay', QrProviderPort>> = {};
  let ho: TestHeadOffice;
  let fast: ReturnType<typeof buildServer>;
  let fastUrl: string;
  let a: { terminalId: string; token: string };
  let b: { terminalId: string; token: string };
  let config: ReturnType<typeof alipayConfig.parse>;
  let n = 0;

  beforeAll(async () => {
    const gateway = await sim.start();
    config = alipayConfig.parse({
      appId: APP_ID,
      privateKey: appKeys.privateKey,
      alipayPublicKey: alipayKeys.publicKey,
      gateway,
      timeoutMs: 1000,
    });
    ho = await startHeadOffice(backend, {
      qr: { providers, pollIntervalMs: POLL_MS, deadlineMs: DEADLINE_MS, alipayNotify: config },
    });
    // the notify URL is head office's own, known once it listens
    providers.alipay = createAlipayProvider({
      ...config,
      notifyUrl: `${ho.url}/v1/qr/notify/alipay`,
    });
    fast = buildServer({
      db: ho.db,
      adminToken: 'unused-operator-token',
      qr: { providers, pollIntervalMs: POLL_MS, deadlineMs: FAST_DEADLINE_MS },
    });
    await fast.listen({ port: 0, host: '127.0.0.1' });
    fastUrl = `http://127.0.0.1:${(fast.server.address() as AddressInfo).port}`;
    a = await enrolOnWire(ho, `A-${backend}`);
    b = await enrolOnWire(ho, `B-${backend}`);
  });
  afterAll(async () => {
    await sim.close();
    await fast?.close();
    await ho?.close();
    dir.cleanup();
  });

  const outNo = () => `HC_${backend}_${Date.now().toString(36)}_${++n}`;
  const saleBody = (no: string, amountFen: number, authCode = alipayCode()) => ({
    outTradeNo: no,
    provider: 'alipay',
    authCode,
    amountFen,
    subject: '供热费 1-1-101',
    householdId: 'hh-0001',
  });
  const call = async (
    method: string,
    path: string,
    token: string,
    body?: unknown,
    url = ho.url,
  ): Promise<Reply> => {
    const r = await fetch(url + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const sale = (token: string, body: unknown, url?: string) =>
    call('POST', QR_ROUTES.sale, token, body, url);
  const answerOf = (r: Reply): QrSaleAnswer => {
    expect(r.status).toBe(200);
    return qrSaleAnswer.parse(r.body);
  };
  /** The simulator's journal: the gateway calls it served for one trade, in order. */
  const journal = (no: string) =>
    readFileSync(sim.journalFile, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { type: string; method?: string; outTradeNo?: string })
      .filter((e) => e.type === 'request' && e.outTradeNo === no)
      .map((e) => e.method!.replace('alipay.trade.', ''));
  /** Head office's own log of provider calls and notifications for one trade. */
  const hoLog = (no: string) =>
    ho.db.query<{ call: string; state: string; detail: string | null }>(
      'SELECT call, state, detail FROM ho_qr_sale_log WHERE out_trade_no = $1 ORDER BY id',
      [no],
    );
  const row = async (no: string) =>
    (
      await ho.db.query<Record<string, unknown>>(
        'SELECT * FROM ho_qr_sales WHERE out_trade_no = $1',
        [no],
      )
    )[0];

  it('success: paid at once, the provider trade number, only the masked code kept', async () => {
    const no = outNo();
    const body = saleBody(no, 120_00);
    const ans = answerOf(await sale(a.token, body));
    expect(ans).toMatchObject({
      outTradeNo: no,
      provider: 'alipay',
      state: 'paid',
      amountFen: 120_00,
      tradeNo: sim.trade(no)!.tradeNo,
      buyer: '159******20',
      code: '10000',
    });
    expect(ans.paidAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(ans.message['zh-CN']).toContain('支付宝已收款 ¥120.00');
    expect(journal(no)).toEqual(['pay']);
    const stored = await row(no);
    expect(stored).toMatchObject({
      terminal_id: a.terminalId,
      masked_code: maskPaymentCode(body.authCode),
      state: 'paid',
    });
    expect(JSON.stringify(stored)).not.toContain(body.authCode);
    // GET answers the stored record without asking the provider again
    expect(answerOf(await call('GET', QR_ROUTES.one(no), a.token))).toEqual(ans);
    expect(journal(no)).toEqual(['pay']);
  });

  it("declined (¥x.13): failed with the provider's reason and the next step for the clerk", async () => {
    const no = outNo();
    const ans = answerOf(await sale(a.token, saleBody(no, 88_13)));
    expect(ans).toMatchObject({
      state: 'failed',
      tradeNo: null,
      paidAt: null,
      code: '40004',
      subCode: 'ACQ.BUYER_BALANCE_NOT_ENOUGH',
    });
    expect(ans.message['zh-CN']).toContain('顾客余额不足');
    expect(ans.message['zh-CN']).toContain('换一种付款方式');
    expect(ans.message.en).toContain('another payment method');
    expect(journal(no)).toEqual(['pay']);
  });

  it('paying then success (¥x.21): queried until paid, no cancel', async () => {
    const no = outNo();
    const ans = answerOf(await sale(a.token, saleBody(no, 50_21)));
    expect(ans).toMatchObject({ state: 'paid', tradeNo: sim.trade(no)!.tradeNo });
    expect(journal(no)).toEqual(['pay', 'query', 'query', 'query']);
  });

  it('the customer gives up (¥x.23): closed by Alipay, nothing to cancel, the clerk told so', async () => {
    const no = outNo();
    const ans = answerOf(await sale(a.token, saleBody(no, 50_23)));
    expect(ans).toMatchObject({ state: 'cancelled', paidAt: null });
    expect(ans.message['zh-CN']).toContain('支付宝已关闭这笔交易');
    expect(ans.message.en).toContain('nothing was taken');
    expect(journal(no)).toEqual(['pay', 'query', 'query', 'query']);
  });

  it('paying never (¥x.22): queried until the deadline, cancelled right after the last query', async () => {
    const no = outNo();
    const ans = answerOf(await sale(a.token, saleBody(no, 50_22), fastUrl));
    expect(ans).toMatchObject({ state: 'cancelled', paidAt: null });
    expect(ans.message['zh-CN']).toContain('已在支付宝撤销这笔交易，未扣款');
    const calls = journal(no);
    expect(calls[0]).toBe('pay');
    expect(calls.slice(-2)).toEqual(['query', 'cancel']);
    expect(calls.filter((c) => c === 'cancel')).toHaveLength(1);
    expect(calls.filter((c) => c === 'query').length).toBeGreaterThanOrEqual(2);
    expect(sim.trade(no)).toMatchObject({ status: 'TRADE_CLOSED', cancelAction: 'close' });
    // the cancel came at the deadline, not before
    const [t] = await ho.db.query<{ early: boolean }>(
      `SELECT l.at < s.deadline_at AS early FROM ho_qr_sale_log l JOIN ho_qr_sales s USING (out_trade_no)
       WHERE l.out_trade_no = $1 AND l.call = 'cancel'`,
      [no],
    );
    expect(t!.early).toBe(false);
  });

  it('no answer (¥x.31): unknown to the terminal, then GET queries, cancels to be sure: cancelled', async () => {
    const no = outNo();
    // the pay hangs (1 s, the client's timeout) past the request's time (400 ms + 2 intervals)
    const first = answerOf(await sale(a.token, saleBody(no, 30_31), fastUrl));
    expect(first.state).toBe('unknown');
    expect(first.message['zh-CN']).toContain('不要重新收款');
    expect(journal(no)).toEqual(['pay']);
    const later = answerOf(await call('GET', QR_ROUTES.one(no), a.token));
    expect(later.state).toBe('cancelled');
    expect(journal(no)).toEqual(['pay', 'query', 'cancel']);
    expect((await hoLog(no)).map((l) => `${l.call}:${l.state}`)).toEqual([
      'pay:unknown',
      'query:absent',
      'cancel:closed',
    ]);
  });

  /** Alipay sends no notification for what runs in `fn` (the query alone must find the payment). */
  async function withoutNotifications<T>(fn: () => Promise<T>): Promise<T> {
    const notifying = providers.alipay;
    providers.alipay = createAlipayProvider(config);
    try {
      return await fn();
    } finally {
      providers.alipay = notifying;
    }
  }

  it('lost answer (¥x.32): the query finds it paid', async () => {
    const no = outNo();
    const ans = answerOf(await withoutNotifications(() => sale(a.token, saleBody(no, 30_32))));
    expect(ans).toMatchObject({ state: 'paid', tradeNo: sim.trade(no)!.tradeNo });
    expect((await hoLog(no)).map((l) => `${l.call}:${l.state}`)).toEqual([
      'pay:unknown',
      'query:paid',
    ]);
  });

  it('a badly signed answer is never taken as paid (¥x.41; and a trade whose every answer is badly signed)', async () => {
    const no = outNo();
    const ans = answerOf(await withoutNotifications(() => sale(a.token, saleBody(no, 30_41))));
    expect(ans.state).toBe('paid'); // by the query's well-signed answer
    const log = await hoLog(no);
    expect(log.map((l) => `${l.call}:${l.state}`)).toEqual(['pay:unknown', 'query:paid']);
    expect(log[0]!.detail).toContain('signature');

    const bad = outNo();
    sim.script(bad, {
      pay: { kind: 'badSignature' },
      queries: Array.from({ length: 60 }, () => 'badSignature' as const),
    });
    const never = answerOf(
      await withoutNotifications(() => sale(a.token, saleBody(bad, 30_00), fastUrl)),
    );
    expect(never.state).toBe('cancelled');
    const states = (await hoLog(bad)).map((l) => `${l.call}:${l.state}`);
    expect(states).not.toContain('pay:paid');
    expect(states).not.toContain('query:paid');
    expect(states.at(-1)).toBe('cancel:closed');
    // the money Alipay had taken went back with the cancel
    expect(sim.trade(bad)).toMatchObject({ status: 'TRADE_CLOSED', cancelAction: 'refund' });
  });

  it('idempotent: a repeated request is the same sale, one pay at the provider; another code or amount is refused', async () => {
    const no = outNo();
    const body = saleBody(no, 66_21);
    // at once, twice (a terminal's retry racing its first attempt), then once more when final
    const [one, two] = await Promise.all([sale(a.token, body), sale(a.token, body)]);
    const again = await sale(a.token, body);
    for (const r of [one, two, again])
      expect(answerOf(r)).toMatchObject({ state: 'paid', tradeNo: sim.trade(no)!.tradeNo });
    expect(journal(no).filter((c) => c === 'pay')).toHaveLength(1);

    const otherCode = await sale(a.token, { ...body, authCode: alipayCode() });
    expect(otherCode).toMatchObject({ status: 409, body: { error: 'conflict' } });
    const otherAmount = await sale(a.token, { ...body, amountFen: 66_22 });
    expect(otherAmount).toMatchObject({ status: 409, body: { error: 'conflict' } });
    expect(journal(no).filter((c) => c === 'pay')).toHaveLength(1);
  });

  it("a terminal sees only its own sales: another's is 404, its number cannot be reused", async () => {
    const no = outNo();
    const body = saleBody(no, 20_00);
    expect(answerOf(await sale(a.token, body)).state).toBe('paid');
    for (const r of [
      await call('GET', QR_ROUTES.one(no), b.token),
      await call('POST', QR_ROUTES.cancel(no), b.token),
    ])
      expect(r).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await sale(b.token, body)).toMatchObject({ status: 409, body: { error: 'conflict' } });
    expect(journal(no)).toEqual(['pay']);
    expect((await call('GET', QR_ROUTES.one(no), 'not-a-real-token-123')).status).toBe(401);
  });

  it('a provider head office has no keys for: 422 provider_unavailable, nothing written or sent', async () => {
    const no = outNo();
    const r = await sale(a.token, {
      ...saleBody(no, 20_00),
      provider: 'wechat',
      authCode: '134567890123456789',
    });
    expect(r).toMatchObject({ status: 422, body: { error: 'provider_unavailable' } });
    expect(await row(no)).toBeUndefined();
    expect(journal(no)).toEqual([]);
    // a code that is not the provider's named: refused before anything too
    const wrong = await sale(a.token, { ...saleBody(no, 20_00), authCode: '134567890123456789' });
    expect(wrong.status).toBe(400);
    expect(await row(no)).toBeUndefined();
  });

  it('duplicate notifications (¥x.42) change nothing; a tampered one is refused', async () => {
    const no = outNo();
    expect(answerOf(await sale(a.token, saleBody(no, 42_42))).state).toBe('paid');
    await sim.settleNotifications();
    const sent = sim.notifications.filter((x) => x.outTradeNo === no);
    expect(sent.map((x) => [x.status, x.answer])).toEqual([
      [200, 'success'],
      [200, 'success'],
    ]);
    const before = await row(no);
    const post = (params: Record<string, string>) =>
      fetch(`${ho.url}/v1/qr/notify/alipay`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams(params).toString(),
      }).then((r) => r.text());
    expect(await post(sent[0]!.params)).toBe('success');
    expect(await row(no)).toEqual(before);
    expect(await post({ ...sent[0]!.params, total_amount: '0.01' })).toBe('fail');
    expect(await row(no)).toEqual(before);
    expect((await hoLog(no)).filter((l) => l.call === 'notify').map((l) => l.state)).toEqual([
      'ignored:paid',
      'ignored:paid',
      'ignored:paid',
      'refused',
    ]);
  });

  /**
   * A sale whose pay Alipay never answers (the client's 1 s timeout, past the request's time):
   * unknown to the terminal, left for a GET, a cancel or a notification. `processed`: Alipay did
   * take the money.
   */
  async function unansweredSale(processed: boolean) {
    const no = outNo();
    sim.script(no, { pay: { kind: 'hang', processed } });
    const ans = answerOf(await sale(a.token, saleBody(no, 77_00), fastUrl));
    expect(ans.state).toBe('unknown');
    return no;
  }

  it("Alipay's notification of the paid trade makes a sale that is not final paid", async () => {
    // the notification comes while the pay hangs; it waits for the pay's end, then takes the sale
    const no = await unansweredSale(true);
    await sim.settleNotifications();
    expect(sim.notifications.filter((x) => x.outTradeNo === no).map((x) => x.answer)).toEqual([
      'success',
    ]);
    const ans = answerOf(await call('GET', QR_ROUTES.one(no), a.token));
    expect(ans).toMatchObject({ state: 'paid', tradeNo: sim.trade(no)!.tradeNo });
    expect(ans.paidAt).toMatch(/\+08:00$/);
    expect(journal(no)).toEqual(['pay']); // final by the notification: no query needed
    expect((await hoLog(no)).map((l) => `${l.call}:${l.state}`)).toEqual([
      'pay:unknown',
      'notify:paid',
    ]);
  });

  it('a paid amount other than the one asked is never paid, nor cancelled by head office', async () => {
    const no = await unansweredSale(false);
    const params: Record<string, string> = {
      notify_time: '2026-12-08 10:00:05',
      notify_type: 'trade_status_sync',
      notify_id: `n${randomBytes(8).toString('hex')}`,
      app_id: APP_ID,
      charset: 'utf-8',
      version: '1.0',
      sign_type: 'RSA2',
      trade_no: '2026120822001400000000009999',
      out_trade_no: no,
      trade_status: 'TRADE_SUCCESS',
      total_amount: '7.70', // asked: ¥77.00
      gmt_payment: '2026-12-08 10:00:04',
    };
    params.sign = rsa2Sign(alipaySignContent(params, ['sign', 'sign_type']), alipayKeys.privateKey);
    const r = await fetch(`${ho.url}/v1/qr/notify/alipay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(params).toString(),
    });
    expect(await r.text()).toBe('success');
    // the terminal asks: queried (Alipay has no such trade), past the deadline, yet not cancelled
    const ans = answerOf(await call('GET', QR_ROUTES.one(no), a.token));
    expect(ans).toMatchObject({ state: 'unknown', paidAt: null });
    expect(ans.message['zh-CN']).toContain('¥7.70');
    expect(ans.message['zh-CN']).toContain('不要出收据');
    expect(journal(no)).toEqual(['pay', 'query']);
    expect(await row(no)).toMatchObject({ state: 'unknown', problem: 'amount_mismatch' });
  });

  it('the clerk cancels: query first (paid stays paid, never cancelled), else cancelled', async () => {
    const unpaid = await unansweredSale(false);
    const c = answerOf(await call('POST', QR_ROUTES.cancel(unpaid), a.token));
    expect(c.state).toBe('cancelled');
    expect(c.message['zh-CN']).toContain('已在支付宝撤销这笔支付');
    expect(journal(unpaid)).toEqual(['pay', 'query', 'cancel']);

    // Alipay took the money but never said so: the query before the cancel finds it paid
    const paid = await withoutNotifications(() => unansweredSale(true));
    const p = answerOf(await call('POST', QR_ROUTES.cancel(paid), a.token));
    expect(p).toMatchObject({ state: 'paid', tradeNo: sim.trade(paid)!.tradeNo });
    expect(journal(paid)).toEqual(['pay', 'query']);
    expect(sim.trade(paid)!.status).toBe('TRADE_SUCCESS');
  });

  it.runIf(backend === 'postgres')(
    'two head-office instances on one PostgreSQL, the same request to both: one pay, the queries shared',
    async () => {
      const db2 = await openPostgres(ho.databaseUrl!, 5);
      const app2 = buildServer({
        db: db2,
        adminToken: 'unused-operator-token',
        qr: { providers, pollIntervalMs: POLL_MS, deadlineMs: DEADLINE_MS },
      });
      await app2.listen({ port: 0, host: '127.0.0.1' });
      try {
        const url2 = `http://127.0.0.1:${(app2.server.address() as AddressInfo).port}`;
        for (const amount of [31_21, 31_00]) {
          const no = outNo();
          const body = saleBody(no, amount);
          const [one, two] = await Promise.all([sale(a.token, body), sale(a.token, body, url2)]);
          const tradeNo = sim.trade(no)!.tradeNo;
          expect(answerOf(one)).toMatchObject({ state: 'paid', tradeNo });
          expect(answerOf(two)).toMatchObject({ state: 'paid', tradeNo });
          const calls = journal(no);
          expect(calls.filter((c) => c === 'pay')).toHaveLength(1);
          expect(calls).not.toContain('cancel');
          // ¥x.21 is paid at its 3rd query: never queried twice at once
          if (amount === 31_21) expect(calls).toEqual(['pay', 'query', 'query', 'query']);
        }
      } finally {
        await app2.close();
        await db2.close();
      }
    },
  );
});
