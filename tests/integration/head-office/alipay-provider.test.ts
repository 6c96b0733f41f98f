import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alipayConfig,
  createAlipayProvider,
  loadAlipayConfig,
  verifyAlipayNotification,
  type AlipayConfig,
} from '../../../head-office/src/qr/alipay';
import {
  AlipaySimulator,
  alipaySignContent,
  generateRsaKeyPair,
  rsa2Sign,
  rsa2Verify,
  type KeyPairPem,
} from '../../../head-office/src/qr/alipay-simulator';

/**
 * The Alipay provider through the real alipay-sdk against the simulator on 127.0.0.1: the SDK
 * signs, the simulator checks the signature with its own code, answers signed with its own
 * "Alipay" key, and the SDK checks that. Every outcome of 当面付 条码支付 the sale procedure meets.
 */

const APP_ID = '2021000000000001';
const AUTH = '280000000000000001';
// Beijing 2026-03-02 10:00:00; each reading of the clock one second later.
let clock = Date.parse('2026-03-02T02:00:00Z');
const now = (): Date => new Date((clock += 1000));

let dir: string;
let app: KeyPairPem;
let alipay: KeyPairPem;
let sim: AlipaySimulator;
let config: AlipayConfig;
let provider: ReturnType<typeof createAlipayProvider>;
let notifyServer: Server;
const received: Record<string, string>[] = [];
let seq = 0;
const no = (tag: string): string => `HO${tag}_${String(++seq).padStart(6, '0')}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alipay-sim-'));
  app = generateRsaKeyPair('pkcs8');
  alipay = generateRsaKeyPair('pkcs1');
  notifyServer = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push(Object.fromEntries(new URLSearchParams(body)));
      res.end('success');
    });
  });
  await new Promise<void>((r) => notifyServer.listen(0, '127.0.0.1', r));
  const notifyUrl = `http://127.0.0.1:${(notifyServer.address() as AddressInfo).port}/alipay/notify`;
  sim = new AlipaySimulator({
    appId: APP_ID,
    appPublicKey: app.publicKey,
    alipayPrivateKey: alipay.privateKey,
    dir,
    now,
  });
  const gateway = await sim.start();
  config = alipayConfig.parse({
    appId: APP_ID,
    privateKey: app.privateKey,
    alipayPublicKey: alipay.publicKey,
    gateway,
    timeoutMs: 1000,
    notifyUrl,
  });
  provider = createAlipayProvider(config);
});

afterAll(async () => {
  await sim.close();
  await new Promise<void>((r) => notifyServer.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

const pay = (outTradeNo: string, amountFen: number) =>
  provider.pay({ outTradeNo, authCode: AUTH, amountFen, subject: '供热费 10-2-301' });

describe('Alipay 当面付 through alipay-sdk and the simulator', () => {
  it('success: paid with Alipay trade number, amount in fen and payment time', async () => {
    const n = no('OK');
    const r = await pay(n, 258_800);
    expect(r).toMatchObject({ state: 'paid', paidFen: 258_800, code: '10000', problem: null });
    expect(r.tradeNo).toMatch(/^\d{28}$/);
    expect(r.paidAt).toMatch(/^2026-03-02T10:00:\d\d\+08:00$/);
    expect(sim.trade(n)).toMatchObject({ status: 'TRADE_SUCCESS', amountFen: 258_800 });
    const q = await provider.query(n);
    expect(q).toMatchObject({ state: 'paid', tradeNo: r.tradeNo, paidFen: 258_800 });
  });

  it('requests carry Alipay’s timestamp in Beijing time whatever the host’s time zone', async () => {
    const tz = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const n = no('TZ');
      const before = Date.now();
      await pay(n, 100);
      const stamp = journal().find((e) => e.outTradeNo === n)?.timestamp;
      expect(typeof stamp).toBe('string');
      const sent = Date.parse(`${String(stamp).replace(' ', 'T')}+08:00`);
      expect(sent).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(sent).toBeLessThanOrEqual(Date.now());
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it('declined (¥x.13) and invalid code (¥x.14): refused with Alipay words, no trade', async () => {
    const a = no('BAL');
    expect(await pay(a, 10_013)).toMatchObject({
      state: 'refused',
      code: '40004',
      subCode: 'ACQ.BUYER_BALANCE_NOT_ENOUGH',
      providerMessage: '买家余额不足',
      paidFen: null,
    });
    expect((await provider.query(a)).state).toBe('absent');
    const b = no('CODE');
    const r = await pay(b, 10_014);
    expect(r).toMatchObject({ state: 'refused', subCode: 'ACQ.PAYMENT_AUTH_CODE_INVALID' });
    expect(r.providerMessage).toContain('刷新付款码');
  });

  it('user paying (¥x.21): 10003, then WAIT_BUYER_PAY twice, then TRADE_SUCCESS', async () => {
    const n = no('WAIT');
    expect(await pay(n, 5_021)).toMatchObject({ state: 'paying', code: '10003', paidFen: null });
    expect((await provider.query(n)).state).toBe('paying');
    expect((await provider.query(n)).state).toBe('paying');
    expect(await provider.query(n)).toMatchObject({ state: 'paid', paidFen: 5_021 });
  });

  it('user gives up (¥x.23): 10003, WAIT_BUYER_PAY twice, then TRADE_CLOSED; nothing settled', async () => {
    const n = no('GIVEUP');
    expect((await pay(n, 5_023)).state).toBe('paying');
    expect((await provider.query(n)).state).toBe('paying');
    expect((await provider.query(n)).state).toBe('paying');
    expect(await provider.query(n)).toMatchObject({ state: 'closed', paidFen: null });
    expect(sim.trade(n)?.gmtPayment).toBeNull();
  });

  it('user paying never (¥x.22): cancel closes it (action close), a late pay is refused', async () => {
    const n = no('NEVER');
    expect((await pay(n, 5_022)).state).toBe('paying');
    for (let i = 0; i < 4; i++) expect((await provider.query(n)).state).toBe('paying');
    expect(await provider.cancel(n)).toMatchObject({ state: 'closed', cancelAction: 'close' });
    expect((await provider.query(n)).state).toBe('closed');
    expect(await pay(n, 5_022)).toMatchObject({ state: 'closed', subCode: 'ACQ.TRADE_HAS_CLOSE' });
    expect(sim.settlementLines('2026-03-02').some((l) => l.outTradeNo === n)).toBe(false);
  });

  it('no answer (¥x.31): unknown after the timeout, never paid; the query finds no trade', async () => {
    const n = no('HANG');
    const r = await pay(n, 7_031);
    expect(r.state).toBe('unknown');
    expect(r.paidFen).toBeNull();
    expect(r.problem).toMatch(/timeout|in time/i);
    expect((await provider.query(n)).state).toBe('absent');
    expect(await provider.cancel(n)).toMatchObject({ state: 'closed', code: '10000' });
  });

  it('lost answer (¥x.32): unknown, the query finds it paid', async () => {
    const n = no('LOST');
    const r = await pay(n, 7_032);
    expect(r.state).toBe('unknown');
    expect(r.paidFen).toBeNull();
    // The SDK's HTTP client sent the pay once more after the cut; Alipay took the money once.
    const pays = journal().filter((e) => e.method === 'alipay.trade.pay' && e.outTradeNo === n);
    expect(pays.map((e) => [e.subCode, e.resent])).toEqual([
      [null, null],
      ['ACQ.TRADE_HAS_SUCCESS', '1/1'],
    ]);
    expect(await provider.query(n)).toMatchObject({ state: 'paid', paidFen: 7_032 });
  });

  it('connection reset before the answer (¥x.33): the resent pay meets ACQ.TRADE_HAS_SUCCESS, the query gives the trade', async () => {
    const n = no('RESET');
    const r = await pay(n, 7_033);
    expect(r).toMatchObject({ state: 'paid', paidFen: 7_033 });
    const calls = journal().filter((e) => e.type === 'request' && e.outTradeNo === n);
    expect(calls.map((e) => [e.method, e.subCode ?? e.tradeStatus])).toEqual([
      ['alipay.trade.pay', null],
      ['alipay.trade.pay', 'ACQ.TRADE_HAS_SUCCESS'],
      ['alipay.trade.query', 'TRADE_SUCCESS'],
    ]);
    // One trade, however many times the pay arrived.
    expect(sim.allTrades().filter((t) => t.outTradeNo === n)).toHaveLength(1);
  });

  it('bad answer signature (¥x.41) and unsigned answer (¥x.43): unknown with the problem, never paid', async () => {
    const a = no('BADSIG');
    const r = await pay(a, 9_041);
    expect(r).toMatchObject({ state: 'unknown', paidFen: null, tradeNo: null });
    expect(r.problem).toMatch(/signature invalid/);
    expect(sim.trade(a)?.status).toBe('TRADE_SUCCESS');
    expect(await provider.query(a)).toMatchObject({ state: 'paid', paidFen: 9_041 });

    const b = no('NOSIG');
    const u = await pay(b, 9_043);
    expect(u).toMatchObject({ state: 'unknown', paidFen: null });
    expect(u.problem).toMatch(/without a signature/);
  });

  it('system error (¥x.15) is unknown and the query finds it paid; 20000 (¥x.16) is unknown and nothing happened', async () => {
    const a = no('SYS');
    expect(await pay(a, 1_015)).toMatchObject({ state: 'unknown', subCode: 'ACQ.SYSTEM_ERROR' });
    expect((await provider.query(a)).state).toBe('paid');
    const b = no('UNAV');
    expect(await pay(b, 1_016)).toMatchObject({ state: 'unknown', code: '20000' });
    expect((await provider.query(b)).state).toBe('absent');
  });

  it('idempotent per out_trade_no: a second pay of a paid trade is paid once (ACQ.TRADE_HAS_SUCCESS)', async () => {
    const n = no('TWICE');
    const first = await pay(n, 3_000);
    const second = await pay(n, 3_000);
    expect(second).toMatchObject({ state: 'paid', tradeNo: first.tradeNo, paidFen: 3_000 });
    expect(sim.allTrades().filter((t) => t.outTradeNo === n)).toHaveLength(1);
    const answers = journal().filter((e) => e.outTradeNo === n && e.method === 'alipay.trade.pay');
    expect(answers.map((e) => e.subCode)).toEqual([null, 'ACQ.TRADE_HAS_SUCCESS']);
    // The same number for another amount is not this sale: unknown, and the query tells.
    expect(await pay(n, 3_001)).toMatchObject({
      state: 'unknown',
      subCode: 'ACQ.CONTEXT_INCONSISTENT',
    });
  });

  it('cancel of a paid trade refunds it (action refund): closed, and out of the settlement', async () => {
    const n = no('REFUND');
    expect((await pay(n, 4_400)).state).toBe('paid');
    expect(await provider.cancel(n)).toMatchObject({ state: 'closed', cancelAction: 'refund' });
    expect((await provider.query(n)).state).toBe('closed');
    expect(sim.settlementLines('2026-03-02').some((l) => l.outTradeNo === n)).toBe(false);
  });

  it('per-trade script: overrides the amount rule; query faults and cancel retries', async () => {
    const n = no('SCRIPT');
    sim.script(n, {
      pay: { kind: 'paying', queriesBeforePaid: null },
      queries: ['systemError', 'drop', 'drop', 'wrongTrade'],
      cancelFailures: 1,
    });
    expect((await pay(n, 100)).state).toBe('paying');
    expect(await provider.query(n)).toMatchObject({
      state: 'unknown',
      subCode: 'ACQ.SYSTEM_ERROR',
    });
    expect((await provider.query(n)).state).toBe('unknown');
    // A well-signed answer about another trade is no answer about this one.
    const other = await provider.query(n);
    expect(other).toMatchObject({ state: 'unknown', tradeNo: null, paidFen: null });
    expect(other.problem).toMatch(/answer is for out_trade_no \w+X, not/);
    expect((await provider.query(n)).state).toBe('paying');
    expect(await provider.cancel(n)).toMatchObject({
      state: 'unknown',
      subCode: 'ACQ.SYSTEM_ERROR',
    });
    expect(await provider.cancel(n)).toMatchObject({ state: 'closed', cancelAction: 'close' });

    // No answer, but the pay went through: unknown after the timeout, the query finds it paid.
    const h = no('HANGPAID');
    sim.script(h, { pay: { kind: 'hang', processed: true } });
    expect((await pay(h, 100)).state).toBe('unknown');
    expect(await provider.query(h)).toMatchObject({ state: 'paid', paidFen: 100 });
  });

  it('a request signed with another merchant key is refused by the simulator (40002 isv.invalid-signature)', async () => {
    const other = generateRsaKeyPair('pkcs1');
    const wrong = createAlipayProvider({ ...config, privateKey: other.privateKey });
    const n = no('WRONGKEY');
    const r = await wrong.pay({
      outTradeNo: n,
      authCode: AUTH,
      amountFen: 1_000,
      subject: '供热费',
    });
    expect(r).toMatchObject({ state: 'refused', code: '40002', subCode: 'isv.invalid-signature' });
    expect(r.providerMessage).toContain('验签出错');
    // Alipay quotes the string it verified; the clerk sees neither it nor the payment code.
    expect(r.providerMessage).not.toContain(AUTH);
    expect(r.problem).toMatch(/check head office's appId and keys/);
    expect(sim.trade(n)).toBeUndefined();
    expect(sim.gatewayRefusals.at(-1)).toEqual({
      method: 'alipay.trade.pay',
      subCode: 'isv.invalid-signature',
    });
    // A head office holding the wrong Alipay public key trusts no answer at all.
    const blind = createAlipayProvider({ ...config, alipayPublicKey: other.publicKey });
    const q = await blind.query(no('OK'));
    expect(q.state).toBe('unknown');
    expect(q.problem).toMatch(/signature invalid/);
  });

  it('the gateway checks what was signed: a parameter changed after signing, an unknown method, RSA instead of RSA2', async () => {
    const n = no('RAW');
    const biz = JSON.stringify({
      out_trade_no: n,
      scene: 'bar_code',
      auth_code: AUTH,
      subject: '供热费',
      total_amount: '1.00',
    });
    const send = async (query: Record<string, string>, body: Record<string, string>) => {
      const url = new URL(config.gateway);
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
      });
      return res.text();
    };
    const signed = (method: string, signType = 'RSA2') => {
      const p: Record<string, string> = {
        app_id: APP_ID,
        method,
        charset: 'utf-8',
        sign_type: signType,
        timestamp: '2026-03-02 10:00:00',
        version: '1.0',
        biz_content: biz,
      };
      const { biz_content: _b, ...query } = p;
      return { query: { ...query, sign: rsa2Sign(alipaySignContent(p), app.privateKey) } };
    };
    const subCode = (text: string) => /"sub_code":"([^"]+)"/.exec(text)?.[1] ?? null;

    // Changed on the way: 1.00 became 0.01 after signing.
    const tampered = await send(signed('alipay.trade.pay').query, {
      biz_content: biz.replace('"1.00"', '"0.01"'),
    });
    expect(subCode(tampered)).toBe('isv.invalid-signature');
    expect(sim.trade(n)).toBeUndefined();
    expect(subCode(await send(signed('alipay.trade.refund').query, { biz_content: biz }))).toBe(
      'isv.invalid-method',
    );
    expect(subCode(await send(signed('alipay.trade.pay', 'RSA').query, { biz_content: biz }))).toBe(
      'isv.invalid-signature-type',
    );
    // As sent: accepted, and the answer is signed over the exact text of the response object.
    const ok = await send(signed('alipay.trade.pay').query, { biz_content: biz });
    const m = /^\{"alipay_trade_pay_response":(\{.*\}),"sign":"([^"]+)"\}$/.exec(ok);
    expect(m).not.toBeNull();
    expect(rsa2Verify(m![1]!, m![2]!, alipay.publicKey)).toBe(true);
    expect(JSON.parse(m![1]!)).toMatchObject({
      code: '10000',
      total_amount: '1.00',
      out_trade_no: n,
    });
  });

  it('duplicate notification (¥x.42): both posted, signed, verified, for the same trade', async () => {
    const n = no('NOTIFY');
    const r = await pay(n, 6_042);
    expect(r.state).toBe('paid');
    await sim.settleNotifications();
    const mine = received.filter((p) => p.out_trade_no === n);
    expect(mine).toHaveLength(2);
    for (const p of mine) {
      expect(verifyAlipayNotification(config, p)).toMatchObject({
        ok: true,
        outTradeNo: n,
        tradeNo: r.tradeNo,
        state: 'paid',
        paidFen: 6_042,
        paidAt: r.paidAt,
      });
    }
    expect(sim.notifications.filter((x) => x.outTradeNo === n).map((x) => x.answer)).toEqual([
      'success',
      'success',
    ]);
    // Altered, unsigned, or for another app: refused.
    const one = mine[0]!;
    expect(verifyAlipayNotification(config, { ...one, total_amount: '0.01' }).ok).toBe(false);
    const { sign: _sign, ...unsigned } = one;
    expect(verifyAlipayNotification(config, unsigned)).toEqual({
      ok: false,
      reason: 'notification without sign',
    });
    const other = generateRsaKeyPair();
    expect(verifyAlipayNotification({ ...config, alipayPublicKey: other.publicKey }, one).ok).toBe(
      false,
    );
  });

  it('settlement file: the day’s paid, not cancelled trades, amounts in yuan, as the journal has them', async () => {
    const extra = no('SETTLE');
    await pay(extra, 123_456);
    const file = sim.settlementFile('2026-03-02');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('out_trade_no,trade_no,total_amount,gmt_payment');
    const rows = lines.slice(1).map((l) => l.split(','));
    const expected = sim.allTrades().filter((t) => t.status === 'TRADE_SUCCESS');
    expect(rows.map((r) => r[0]).sort()).toEqual(expected.map((t) => t.outTradeNo).sort());
    const row = rows.find((r) => r[0] === extra)!;
    expect(row[2]).toBe('1234.56');
    expect(row[3]).toMatch(/^2026-03-02 10:\d\d:\d\d$/);
    // Nothing refunded or never paid is in it.
    for (const t of sim.allTrades().filter((x) => x.status !== 'TRADE_SUCCESS')) {
      expect(rows.some((r) => r[0] === t.outTradeNo)).toBe(false);
    }
    const totalFen = sim.settlementLines('2026-03-02').reduce((s, l) => s + l.amountFen, 0);
    const csvFen = rows.reduce((s, r) => s + Number(r[2]!.replace('.', '')), 0);
    expect(csvFen).toBe(totalFen);
    expect(sim.settlementLines('2026-03-03')).toEqual([]);
  });

  it('a restarted simulator knows the trades from its journal', () => {
    const again = new AlipaySimulator({
      appId: APP_ID,
      appPublicKey: app.publicKey,
      alipayPrivateKey: alipay.privateKey,
      dir,
      now,
    });
    expect(
      again
        .allTrades()
        .map((t) => [t.outTradeNo, t.status])
        .sort(),
    ).toEqual(
      sim
        .allTrades()
        .map((t) => [t.outTradeNo, t.status])
        .sort(),
    );
  });
});

describe('npm run sim:alipay', () => {
  it('writes the key pairs and a config head office loads, and serves the gateway it prints', async () => {
    const cliDir = mkdtempSync(join(tmpdir(), 'alipay-cli-'));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'head-office/src/qr/sim-main.ts', '--port', '0', '--dir', cliDir],
      { cwd: join(import.meta.dirname, '../../..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const printed = await new Promise<string>((resolveOut, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString('utf8');
          if (out.includes('JOURNAL ')) resolveOut(out);
        });
        child.on('exit', () => reject(new Error(`simulator exited: ${out}`)));
      });
      const gateway = /GATEWAY (\S+)/.exec(printed)?.[1];
      const configFile = /CONFIG (\S+)/.exec(printed)?.[1];
      expect(gateway).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/gateway\.do$/);
      expect(configFile).toBe(join(cliDir, 'alipay-config.json'));
      for (const f of [
        'app-private.pem',
        'app-public.pem',
        'alipay-private.pem',
        'alipay-public.pem',
      ]) {
        expect(existsSync(join(cliDir, f))).toBe(true);
      }
      const loaded = loadAlipayConfig(configFile!);
      expect(loaded.gateway).toBe(gateway);
      const r = await createAlipayProvider(loaded).pay({
        outTradeNo: 'CLI_00000001',
        authCode: AUTH,
        amountFen: 1_999,
        subject: '供热费',
      });
      expect(r).toMatchObject({ state: 'paid', paidFen: 1_999 });
      expect(readFileSync(join(cliDir, 'alipay-sim-journal.jsonl'), 'utf8')).toContain(
        'CLI_00000001',
      );
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      rmSync(cliDir, { recursive: true, force: true });
    }
  });
});

function journal(): Record<string, unknown>[] {
  return readFileSync(sim.journalFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
