// QR payments at the counter (issue 23), for real: a terminal on a SQLite file, enrolled with a
// head office (PGlite) that settles through the Alipay provider (alipay-sdk) against the Alipay
// simulator on 127.0.0.1; a fault proxy between counter and head office for lost answers and
// outages. Outcomes by amount (simulator): ¥x.13 declined, ¥x.21 paying then paid, ¥x.22 paying
// and never paid (head office cancels at its deadline), anything else paid at once.
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentTenths } from '@heating-cashier/core/fees';
import type { AlipaySimulator } from '../../../head-office/src/qr/alipay-simulator';
import { startAlipay, type TestAlipay } from '../../support/alipay';
import { renderText } from '../../../src-main/devices/printer/render';
import { dailyReportDoc } from '../../../src-main/features/reports/documents/build';
import type { TemplateName } from '../../../src-main/devices/printer/template-data';
import { openTerminal } from '../../../src-main/app/open-terminal';
import { printJobsOf } from '../../../src-main/features/printing/print-jobs.store';
import { queueCommittedReceipts } from '../../../src-main/features/printing/print-queue';
import { configureSync, syncState } from '../../../src-main/features/sync/store';
import { startChaosProxy, type ChaosProxy, type Fault } from '../../fault/support/chaos-proxy';
import { startHeadOffice, type TestHeadOffice } from '../../support/head-office';
import {
  asTestTerminal,
  householdsOwing,
  openTestTerminal,
  tempDir,
  type TestTerminal,
} from '../../support/terminal';

/** An Alipay payment code as a scanner types it (18 digits starting 28). */
const CODE = '281234567890123456';

let alipay: TestAlipay;
let sim: AlipaySimulator;
let ho: TestHeadOffice;
let proxy: ChaosProxy;
let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let session: string;
let token: string;
let payers: string[];
let next = 0;

// The proxy's fault per request: `queue` first (one per request, in order), else `mode`.
const PICK: Record<'pass' | 'drop' | 'reset', number> = { pass: 0.1, drop: 0.5, reset: 0.9 };
let mode: keyof typeof PICK = 'pass';
const queue: (keyof typeof PICK)[] = [];
const weights = Object.fromEntries(
  (
    [
      'pass',
      'drop',
      'delay',
      'duplicate',
      'reorder',
      'error500',
      'applied500',
      'reset',
      'truncateRequest',
      'truncateResponse',
    ] as Fault[]
  ).map((f) => [f, ['pass', 'drop', 'reset'].includes(f) ? 1 : 0]),
) as Record<Fault, number>;

beforeAll(async () => {
  alipay = await startAlipay();
  sim = alipay.sim;
  const provider = alipay.provider;
  ho = await startHeadOffice('pglite', {
    qr: { providers: { alipay: provider }, pollIntervalMs: 50, deadlineMs: 1500 },
  });
  proxy = await startChaosProxy(ho.url, () => PICK[queue.shift() ?? mode], weights);
  dir = tempDir('qr-counter-');
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 80 });
  token = await ho.enrol(t);
  session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 0 });
  payers = householdsOwing(t, 20_000, 30);
}, 60_000);

afterAll(async () => {
  t?.close();
  await proxy?.close();
  await ho?.close();
  await alipay?.close();
  dir?.cleanup();
});

/** Counter ↔ head office directly, or through the fault proxy. */
const direct = () => configureSync(t.ctx.db, ho.url, token);
const viaProxy = () => configureSync(t.ctx.db, proxy.url, token);

const sale = (amountFen: number, over: Record<string, unknown> = {}) =>
  t.call('qr.sale', {
    session,
    requestId: randomUUID(),
    householdId: payers[next++]!,
    amountFen,
    code: CODE,
    source: 'scanner',
    ...over,
  });

/**
 * A sale followed, as the counter's recovery does, to its end: when head office's answer is not
 * final within the sale's request (a loaded machine: the step at the deadline runs late), the
 * open intent is asked about again (qr.resolve) until head office has settled it.
 */
async function saleToEnd(amountFen: number, over: Record<string, unknown> = {}) {
  const r = await sale(amountFen, over);
  if (r.ok) return r.value;
  if (r.error.code !== 'QR_OUTCOME_UNKNOWN') throw new Error(r.error.message.en);
  const intentId = String(r.error.details!.intentId);
  for (let i = 0; i < 100; i++) {
    const q = await t.must('qr.resolve', { session, intentId });
    if (q.payment.state !== 'intent') return q;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`QR sale ${intentId} still open after 100 queries`);
}

const count = (sql: string, ...params: unknown[]) =>
  (t.ctx.db.prepare(sql).get(...params) as { n: number }).n;
const receiptsFor = (requestId: string) =>
  count('SELECT count(*) AS n FROM receipts WHERE request_id = ?', requestId);
const qrRows = () => count('SELECT count(*) AS n FROM qr_payments');
const allReceipts = () => count('SELECT count(*) AS n FROM receipts');

function printed(receiptId: string, width: 32 | 48 = 32): string[] {
  queueCommittedReceipts(t.ctx);
  return printJobsOf(t.ctx.db, receiptId)
    .filter((j) => j.template === 'receipt')
    .map((j) => renderText(j.template as TemplateName, JSON.parse(j.data), { width }));
}

describe('QR payments through head office (Alipay simulator)', () => {
  it('paid: exactly one receipt, its QR tender carrying the trade number and the confirmation', async () => {
    direct();
    const requestId = randomUUID();
    const r = await sale(2500, { requestId });
    if (!r.ok) throw new Error(r.error.message.en);
    const { payment, receipt } = r.value;
    expect(r.value.replayed).toBe(false);
    expect(payment).toMatchObject({
      state: 'completed',
      provider: 'alipay',
      amountFen: 2500,
      maskedCode: '2812**********3456',
      resolution: 'sale',
    });
    expect(payment.outTradeNo).toMatch(/^[0-9a-f]{32}$/);
    const trade = sim.trade(payment.outTradeNo)!;
    expect(trade).toMatchObject({ status: 'TRADE_SUCCESS', amountFen: 2500 });
    expect(payment.tradeNo).toBe(trade.tradeNo);
    expect(receipt!.id).toBe(payment.receiptId);
    expect(receipt!.tenders).toEqual([
      {
        kind: 'qr',
        amountFen: 2500,
        reference: trade.tradeNo,
        detail: {
          channel: 'alipay',
          confirmation: 'confirmed',
          provider: 'alipay',
          tradeNo: trade.tradeNo,
          outTradeNo: payment.outTradeNo,
          qrIntentId: payment.intentId,
          ...(payment.buyer ? { buyer: payment.buyer } : {}),
        },
      },
    ]);
    expect(receiptsFor(requestId)).toBe(1);
    // the full payment code is nowhere in the ledger file's tables
    const dump = JSON.stringify(t.ctx.db.prepare('SELECT * FROM qr_payments').all());
    expect(dump).not.toContain(CODE);
    expect(JSON.stringify(t.ctx.db.prepare('SELECT payload FROM events').all())).not.toContain(
      CODE,
    );

    // the printed receipt, every part: 支付宝, the trade number, 已确认
    const copies = printed(receipt!.id);
    expect(copies.length).toBeGreaterThan(0);
    for (const text of copies) {
      expect(text.split('\n').find((l) => l.startsWith('支付宝'))).toContain('￥25.00');
      expect(text.replace(/\s+/g, '')).toContain(`交易号${trade.tradeNo}`);
      expect(text).toContain('已确认');
      expect(text).not.toContain('未确认');
    }

    // the same requestId again (a double Enter, a retried call): the same sale, nothing sent
    const again = await t.must('qr.sale', {
      session,
      requestId,
      householdId: payment.householdId,
      amountFen: 2500,
      code: CODE,
    });
    expect(again.replayed).toBe(true);
    expect(again.payment.intentId).toBe(payment.intentId);
    expect(again.receipt!.id).toBe(receipt!.id);
    expect(receiptsFor(requestId)).toBe(1);
  });

  it('declined (¥x.13): nothing recorded but the closed intent, the provider’s words for the clerk', async () => {
    direct();
    const before = allReceipts();
    const r = await sale(2513);
    if (!r.ok) throw new Error(r.error.message.en);
    expect(r.value.payment).toMatchObject({ state: 'failed', receiptId: null, tradeNo: null });
    expect(r.value.receipt).toBeNull();
    expect(r.value.payment.providerSubCode).toBe('ACQ.BUYER_BALANCE_NOT_ENOUGH');
    expect(r.value.payment.message!['zh-CN']).not.toBe('');
    expect(r.value.payment.message!.en).not.toBe('');
    expect(allReceipts()).toBe(before);
    expect(await t.must('qr.pending', { session })).toEqual({ payments: [] });
  });

  it('paying, then paid (¥x.21): one receipt once the customer confirms', async () => {
    direct();
    const r = await sale(2521);
    if (!r.ok) throw new Error(r.error.message.en);
    expect(r.value.payment.state).toBe('completed');
    expect(r.value.receipt!.tenders[0]).toMatchObject({ kind: 'qr', amountFen: 2521 });
    expect(sim.trade(r.value.payment.outTradeNo)!.status).toBe('TRADE_SUCCESS');
  });

  it('paying and never paid (¥x.22): head office cancels at its deadline, no receipt', async () => {
    direct();
    const before = allReceipts();
    const r = await saleToEnd(2522);
    expect(r.payment).toMatchObject({ state: 'cancelled', receiptId: null });
    expect(sim.trade(r.payment.outTradeNo)!.status).toBe('TRADE_CLOSED');
    expect(allReceipts()).toBe(before);
  });

  it('a paid answer with a bad signature (¥x.41) is not trusted: head office queries, then one receipt', async () => {
    direct();
    const requestId = randomUUID();
    const r = await saleToEnd(2541, { requestId });
    expect(r.payment.state).toBe('completed');
    expect(sim.trade(r.payment.outTradeNo)!.status).toBe('TRADE_SUCCESS');
    expect(receiptsFor(requestId)).toBe(1);
  });

  it('no answer from the provider (¥x.31): nothing paid, no receipt', async () => {
    direct();
    const requestId = randomUUID();
    const r = await saleToEnd(2531, { requestId });
    expect(r.payment).toMatchObject({ state: 'cancelled', receiptId: null, tradeNo: null });
    expect(r.payment.message!['zh-CN']).toContain('未扣款');
    expect(receiptsFor(requestId)).toBe(0);
  });

  it('a provider head office has no keys for (WeChat Pay here): QR_PROVIDER_UNAVAILABLE, closed as not sent', async () => {
    direct();
    const requestId = randomUUID();
    const r = await sale(2500, { requestId, code: '134567890123456789' });
    expect(r.ok ? r.value : r.error.code).toBe('QR_PROVIDER_UNAVAILABLE');
    const row = t.ctx.db
      .prepare(
        'SELECT provider, state, resolution, receipt_id FROM qr_payments WHERE request_id = ?',
      )
      .get(requestId);
    expect(row).toEqual({
      provider: 'wechat',
      state: 'failed',
      resolution: 'not_sent',
      receipt_id: null,
    });
    expect(receiptsFor(requestId)).toBe(0);
    expect((await t.must('qr.pending', { session })).payments).toEqual([]);
  });

  it('not a payment code: refused at once, nothing written, nothing sent', async () => {
    direct();
    const rows = qrRows();
    for (const code of ['1234', '991234567890123456', 'abcdefabcdefabcdef']) {
      const r = await sale(2500, { code });
      expect(r.ok ? r.value : r.error.code).toBe('QR_CODE_INVALID');
    }
    expect(qrRows()).toBe(rows);
  });

  it('head office unreachable: QR_OFFLINE at once with the advice, no intent written', async () => {
    configureSync(t.ctx.db, 'http://127.0.0.1:1', token);
    const rows = qrRows();
    const receipts = allReceipts();
    const r = await sale(2500);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('QR_OFFLINE');
    expect(r.error.message['zh-CN']).toContain('未确认');
    expect(r.error.message.en).toMatch(/cash or card/);
    expect(qrRows()).toBe(rows);
    expect(allReceipts()).toBe(receipts);
    direct();
  });

  it('a terminal not enrolled with head office: QR_NOT_ENROLLED, nothing written', async () => {
    const d = tempDir('qr-unenrolled-');
    const u = openTestTerminal(join(d.dir, 'l.db'), { households: 20 });
    try {
      const s = await u.login();
      await u.must('shift.open', { session: s, openingFloatFen: 0 });
      const r = await u.call('qr.sale', {
        session: s,
        requestId: randomUUID(),
        householdId: householdsOwing(u, 5000, 1)[0]!,
        amountFen: 2500,
        code: CODE,
      });
      expect(r.ok ? r.value : r.error.code).toBe('QR_NOT_ENROLLED');
      expect(u.ctx.db.prepare('SELECT count(*) AS n FROM qr_payments').get()).toEqual({ n: 0 });
    } finally {
      u.close();
      d.cleanup();
    }
  });

  it('lost answer: QR_OUTCOME_UNKNOWN, no second sale meanwhile, qr.resolve → exactly one receipt', async () => {
    viaProxy();
    queue.push('pass', 'reset'); // the reachability check passes; the sale's answer is cut off
    const requestId = randomUUID();
    const r = await sale(2600, { requestId });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('QR_OUTCOME_UNKNOWN');
    const intentId = String(r.error.details!.intentId);
    expect(receiptsFor(requestId)).toBe(0);
    const pending = (await t.must('qr.pending', { session })).payments;
    expect(pending).toMatchObject([{ intentId, state: 'intent', amountFen: 2600 }]);
    // head office settled it (paid at the simulator) while the counter does not know yet
    expect(sim.trade(pending[0]!.outTradeNo)!.status).toBe('TRADE_SUCCESS');

    // never a second sale while one is open
    const second = await sale(2500);
    expect(second.ok ? second.value : second.error.code).toBe('QR_RECOVERY_PENDING');

    // the same request again: the open intent, never a second pay
    const replay = await t.call('qr.sale', {
      session,
      requestId,
      householdId: pending[0]!.householdId,
      amountFen: 2600,
      code: CODE,
    });
    expect(replay.ok && replay.value).toMatchObject({
      replayed: true,
      payment: { intentId, state: 'intent' },
    });

    const resolved = await t.must('qr.resolve', { session, intentId });
    expect(resolved.payment).toMatchObject({ state: 'completed', resolution: 'query' });
    expect(resolved.receipt!.tenders[0]!.detail).toMatchObject({
      confirmation: 'confirmed',
      tradeNo: sim.trade(pending[0]!.outTradeNo)!.tradeNo,
    });
    expect(receiptsFor(requestId)).toBe(1);
    // a repeated click: the same receipt
    const again = await t.must('qr.resolve', { session, intentId });
    expect(again.receipt!.id).toBe(resolved.receipt!.id);
    expect(receiptsFor(requestId)).toBe(1);
    expect((await t.must('qr.pending', { session })).payments).toEqual([]);
  });

  it('the counter stops between the intent and the request: head office never got it, qr.resolve closes it there and here, a late copy is never paid', async () => {
    direct();
    t.ctx.runtime.qr.hooks.afterIntent = () => {
      throw new Error('power cut after the intent');
    };
    const requestId = randomUUID();
    const r = await sale(2900, { requestId });
    t.ctx.runtime.qr.hooks = {};
    expect(r.ok).toBe(false);
    const [open] = (await t.must('qr.pending', { session })).payments;
    expect(open).toMatchObject({ requestId, state: 'intent' });
    expect(sim.trade(open!.outTradeNo)).toBeUndefined();
    const resolved = await t.must('qr.resolve', { session, intentId: open!.intentId });
    expect(resolved.payment).toMatchObject({
      state: 'cancelled',
      resolution: 'query',
      receiptId: null,
    });
    expect(resolved.payment.message!['zh-CN']).toContain('未扣款');
    expect(receiptsFor(requestId)).toBe(0);
    expect(sim.trade(open!.outTradeNo)).toBeUndefined();
    // the request arrives after all (a delayed or replayed copy): answered cancelled, never sent
    const token = syncState(t.ctx.db).terminal_token!;
    const late = await fetch(`${ho.url}/v1/qr/sales`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        outTradeNo: open!.outTradeNo,
        provider: 'alipay',
        authCode: '284000000000000001',
        amountFen: 2900,
        subject: '供热费',
        householdId: open!.householdId,
      }),
    });
    expect(late.status).toBe(200);
    expect(await late.json()).toMatchObject({ state: 'cancelled', tradeNo: null });
    expect(sim.trade(open!.outTradeNo)).toBeUndefined();
  });

  it('qr.cancel: head office queries first — a paid sale becomes its receipt, an unpaid one is cancelled', async () => {
    viaProxy();
    queue.push('pass', 'reset');
    const paidReq = randomUUID();
    const paid = await sale(2700, { requestId: paidReq });
    expect(paid.ok ? paid.value : paid.error.code).toBe('QR_OUTCOME_UNKNOWN');
    const paidId = String(!paid.ok && paid.error.details!.intentId);
    const kept = await t.must('qr.cancel', { session, intentId: paidId });
    expect(kept.payment).toMatchObject({ state: 'completed', resolution: 'cancel' });
    expect(receiptsFor(paidReq)).toBe(1);

    queue.push('pass', 'reset');
    const unpaidReq = randomUUID();
    const unpaid = await sale(2722, { requestId: unpaidReq });
    expect(unpaid.ok ? unpaid.value : unpaid.error.code).toBe('QR_OUTCOME_UNKNOWN');
    const unpaidId = String(!unpaid.ok && unpaid.error.details!.intentId);
    const cancelled = await t.must('qr.cancel', { session, intentId: unpaidId });
    expect(cancelled.payment).toMatchObject({ state: 'cancelled', receiptId: null });
    expect(cancelled.receipt).toBeNull();
    expect(receiptsFor(unpaidReq)).toBe(0);
    expect(sim.trade(cancelled.payment.outTradeNo)!.status).toBe('TRADE_CLOSED');
    // settled: cancelling again changes nothing
    const again = await t.call('qr.cancel', { session, intentId: paidId });
    expect(again.ok && again.value.payment.state).toBe('completed');
    expect(receiptsFor(paidReq)).toBe(1);
  });

  it('reports: the e-payment share counts card + confirmed QR; a typed QR reference is listed apart', async () => {
    direct();
    const info = await t.must('terminal.info', {});
    const before = await t.must('report.daily', { session, businessDate: info.businessDate });
    // a QR reference the clerk typed (the customer paid by their own means): 未确认
    const typed = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: payers[next++]!,
      amountFen: 3000,
      tenders: [{ kind: 'qr', amountFen: 3000, channel: 'wechat', reference: '4200009999' }],
    });
    const typedCopies = printed(typed.id, 48);
    for (const text of typedCopies) {
      expect(text).toContain('未确认（手工登记，待对账）');
      expect(text).not.toContain('已确认');
    }
    const daily = await t.must('report.daily', { session, businessDate: info.businessDate });
    // confirmed: every completed QR sale of this suite so far
    const confirmed = t.ctx.db
      .prepare(
        "SELECT count(*) AS n, coalesce(sum(amount_fen), 0) AS fen FROM qr_payments WHERE state = 'completed'",
      )
      .get() as { n: number; fen: number };
    expect(confirmed).toEqual({ n: 5, fen: 2500 + 2521 + 2541 + 2600 + 2700 });
    expect(daily.qrSplit).toEqual({
      confirmedCount: confirmed.n,
      confirmedFen: confirmed.fen,
      unconfirmedCount: before.qrSplit.unconfirmedCount + 1,
      unconfirmedFen: before.qrSplit.unconfirmedFen + 3000,
    });
    expect(daily.total.byTender.qr).toBe(confirmed.fen + daily.qrSplit.unconfirmedFen);
    const share = percentTenths;
    expect(daily.ePaymentShareTenths).toBe(
      share(daily.total.byTender.card + confirmed.fen, daily.total.collectedFen),
    );
    expect(daily.ePaymentShareTenths).toBeLessThan(
      share(daily.total.byTender.card + daily.total.byTender.qr, daily.total.collectedFen),
    );
    const monthly = await t.must('report.monthly', {
      session,
      month: info.businessDate.slice(0, 7),
    });
    expect(monthly.ePaymentShareTenths).toBe(daily.ePaymentShareTenths);
    // the A4 daily report lists confirmed and typed QR apart, and the share with its rule
    const doc = dailyReportDoc(daily, {
      company: '阳光热力',
      terminalName: '窗口1',
      timeZone: 'Asia/Shanghai',
      isDemo: false,
      now: '2026-12-07T02:00:00.000Z',
    });
    const qrTable = doc.sections.find((x) => x.kind === 'table' && x.title.startsWith('扫码/转账'));
    expect(qrTable).toMatchObject({
      rows: [
        ['扫码已确认', { int: confirmed.n }, { fen: confirmed.fen }],
        [
          '手工登记未确认',
          { int: daily.qrSplit.unconfirmedCount },
          { fen: daily.qrSplit.unconfirmedFen },
        ],
      ],
    });
    expect(doc.sections).toContainEqual({
      kind: 'facts',
      title: '电子支付',
      items: [['电子支付占比（银行卡 + 已确认扫码）', { pctTenths: daily.ePaymentShareTenths }]],
    });
    // the aggregates are what a rebuild from the event log gives
    expect((await t.must('ledger.verify', { session })).ok).toBe(true);
  });

  it('automatic: an open sale is resolved by query at start and when the sync worker reaches head office', async () => {
    viaProxy();
    queue.push('pass', 'reset');
    const requestId = randomUUID();
    const r = await sale(2800, { requestId });
    expect(r.ok ? r.value : r.error.code).toBe('QR_OUTCOME_UNKNOWN');
    const dbFile = t.dbFile;
    t.close(); // the counter is switched off with the sale open

    // back on while head office cannot be reached: the start-up query fails, the sale stays open
    mode = 'drop';
    let contacted: () => void = () => {};
    const contact = new Promise<void>((resolve) => (contacted = resolve));
    t = asTestTerminal(
      openTerminal({
        dbFile,
        timeZone: 'Asia/Shanghai',
        sync: {
          intervalMs: 20,
          backoffBaseMs: 5,
          backoffCapMs: 20,
          offlineCapMs: 20,
          requestTimeoutMs: 2000,
          onContact: () => contacted(),
        },
      }),
      dbFile,
    );
    await t.ctx.runtime.qr.resolving;
    const open = (await t.must('qr.pending', { session })).payments;
    expect(open).toMatchObject([{ state: 'intent', amountFen: 2800 }]);
    expect(open[0]!.message!.en).toMatch(/cannot be reached/);
    expect(receiptsFor(requestId)).toBe(0);

    // head office is back: the worker's next contact resolves it, no clerk involved
    mode = 'pass';
    await contact;
    await t.ctx.runtime.qr.resolving;
    expect(receiptsFor(requestId)).toBe(1);
    const done = t.ctx.db
      .prepare('SELECT state, resolution, resolved_by FROM qr_payments WHERE request_id = ?')
      .get(requestId);
    expect(done).toEqual({ state: 'completed', resolution: 'auto', resolved_by: null });
    expect((await t.must('qr.pending', { session })).payments).toEqual([]);
  });
});
