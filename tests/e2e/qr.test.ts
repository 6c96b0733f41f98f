// Scan to pay in headless Chromium (issue 23), keyboard only: the plain-Node host on a demo ledger
// enrolled with a head office (PGlite, in this process) that settles through the Alipay provider
// (alipay-sdk) against the Alipay simulator on 127.0.0.1. The clerk finds a household; the test
// types a payment code the way a USB scanner does (keys 5 ms apart, then Enter) into the focused
// field, no mouse anywhere.
// Paid: the success screen names 支付宝, the trade no. and 已确认, the ledger has exactly one new
// receipt and it is the simulator's trade; declined (¥x.13): Alipay's words, nothing recorded;
// head office unreachable: the advice, the cursor on the tender kind, nothing recorded.
// Screenshots tests/e2e/screenshots/qr-*.zh-CN.png.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFen } from '@heating-cashier/core/money';
import type { AlipaySimulator } from '../../head-office/src/qr/alipay-simulator';
import { startAlipay, type TestAlipay } from '../support/alipay';
import { configureSync } from '../../src-main/features/sync/store';
import { startChaosProxy, type ChaosProxy, type Fault } from '../fault/support/chaos-proxy';
import { startHeadOffice, type TestHeadOffice } from '../support/head-office';
import { householdsOwing } from '../support/terminal';
import { focusedName, screenshot, startCounter, type Counter } from './support';

/** An Alipay payment code (18 digits starting 28). */
const CODE = '281234567890123456';

let alipay: TestAlipay;
let sim: AlipaySimulator;
let ho: TestHeadOffice;
/** Between counter and head office for the lost answer: one fault per request from `faults`. */
let proxy: ChaosProxy;
const faults: Fault[] = [];
let c: Counter;
let page: Page;
let token: string;
let session: string;
/** Households whose whole balance the simulator pays at once (not ¥x.13, x.21, …). */
let payers: { id: string; accountNo: string; owedFen: number }[];

const poll = <T>(fn: () => T | Promise<T>, o: { timeout?: number } = {}) =>
  expect.poll(fn, { timeout: 15_000, ...o });
const count = (sql: string, ...params: unknown[]) =>
  (c.terminal.ctx.db.prepare(sql).get(...params) as { n: number }).n;
const receipts = () => count('SELECT count(*) AS n FROM receipts');

async function screenIs(name: string) {
  await poll(() => page.locator('.shell').getAttribute('data-screen')).toBe(name);
}

/** Search by account number → account → F3 payment; the cursor waits in "cash tendered". */
async function toPayment(accountNo: string) {
  await page.keyboard.press('F2');
  await screenIs('search');
  await page.locator('input[name="search"]').focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(accountNo, { delay: 80 });
  await poll(() => page.getByTestId('search-results').getAttribute('data-query')).toBe(accountNo);
  await page.keyboard.press('Enter');
  await screenIs('account');
  await page.keyboard.press('F3');
  await screenIs('payment');
  await poll(() => focusedName(page)).toBe('tender-1-tendered');
}

/**
 * What a USB scanner does: the code's digits 5 ms apart, then Enter. Sent as keyboard input through
 * the DevTools protocol with each key's own timestamp, 5 ms after the previous one, as the USB
 * keyboard driver stamps a scanner's keys: Playwright's keyboard.type({ delay: 5 }) waits for
 * each key's round trip, 100 ms and more on a loaded test machine, so its keys are stamped as
 * slowly as a person types. The page still gets each key as a keydown, keypress, input and keyup,
 * whatever field has the cursor.
 */
async function scan(code = CODE) {
  const cdp = await page.context().newCDPSession(page);
  const t0 = Date.now() / 1000;
  const key = async (ch: string, at: number) => {
    const enter = ch === 'Enter';
    const base = {
      key: ch,
      code: enter ? 'Enter' : `Digit${ch}`,
      windowsVirtualKeyCode: enter ? 13 : ch.charCodeAt(0),
    };
    const text = enter ? '\r' : ch;
    await cdp.send('Input.dispatchKeyEvent', {
      type: 'keyDown',
      ...base,
      text,
      unmodifiedText: text,
      timestamp: at,
    });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...base, timestamp: at + 0.002 });
  };
  let at = t0;
  for (const ch of code) {
    await key(ch, at);
    at += 0.005;
  }
  await key('Enter', at);
  await cdp.detach();
}

beforeAll(async () => {
  alipay = await startAlipay({ timeoutMs: 2000 });
  sim = alipay.sim;
  const provider = alipay.provider;
  [c, ho] = await Promise.all([
    startCounter({ households: 40 }),
    startHeadOffice('pglite', {
      qr: { providers: { alipay: provider }, pollIntervalMs: 100, deadlineMs: 5000 },
    }),
  ]);
  page = c.page;
  token = await ho.enrol(c.terminal);
  const PICK: Partial<Record<Fault, number>> = { pass: 0.1, reset: 0.9 };
  const only = { pass: 1, reset: 1, drop: 0, delay: 0, duplicate: 0, reorder: 0 };
  proxy = await startChaosProxy(ho.url, () => PICK[faults.shift() ?? 'pass']!, {
    ...only,
    error500: 0,
    applied500: 0,
    truncateRequest: 0,
    truncateResponse: 0,
  });
  session = await c.terminal.login();
  await c.terminal.must('shift.open', { session, openingFloatFen: 0 });
  payers = householdsOwing(c.terminal, 20_000, 20)
    .map((id) => {
      const row = c.terminal.ctx.db
        .prepare('SELECT account_no, owed_fen FROM households WHERE id = ?')
        .get(id) as { account_no: string; owed_fen: number };
      return { id, accountNo: row.account_no, owedFen: row.owed_fen };
    })
    .filter((p) => p.owedFen % 100 < 10 || p.owedFen % 100 > 45);
  expect(payers.length).toBeGreaterThanOrEqual(4);
}, 240_000);

afterAll(async () => {
  await c?.close();
  await proxy?.close();
  await ho?.close();
  await alipay?.close();
});

describe(
  'scan to pay (Chromium, host, head office, Alipay simulator)',
  { timeout: 120_000 },
  () => {
    it('logs in with the keyboard', async () => {
      await page.goto(`${c.host.url}/`);
      await poll(() => page.getByTestId('connection').textContent()).toBe('已连接');
      await page.keyboard.type('1001');
      await page.keyboard.press('Tab');
      await page.keyboard.type('123456');
      await page.keyboard.press('Enter');
      await screenIs('search');
      expect(await page.getByTestId('qr-recovery').count()).toBe(0);
    });

    it('paid: a scanned code pays the balance; 支付宝, the trade no. and 已确认; exactly one receipt', async () => {
      const payer = payers[0]!;
      const before = receipts();
      await toPayment(payer.accountNo);
      await scan();
      await screenIs('success');
      const facts = page.getByTestId('qr-facts');
      await facts.waitFor();
      const label = await page.getByTestId('success-receipt').innerText();
      const receipt = await c.terminal.must('receipt.find', { session, receiptLabel: label });
      expect(receipt.totalFen).toBe(payer.owedFen);
      expect(receipt.household.id).toBe(payer.id);
      expect(receipt.tenders).toHaveLength(1);
      const tender = receipt.tenders[0]!;
      expect(tender).toMatchObject({
        kind: 'qr',
        amountFen: payer.owedFen,
        detail: { confirmation: 'confirmed', provider: 'alipay' },
      });
      const trade = sim.trade(tender.detail.outTradeNo!)!;
      expect(trade).toMatchObject({ status: 'TRADE_SUCCESS', amountFen: payer.owedFen });
      expect(tender.reference).toBe(trade.tradeNo);
      const text = await facts.innerText();
      expect(text).toContain('支付宝');
      expect(text).toContain('交易号');
      expect(text).toContain(trade.tradeNo);
      expect(await page.getByTestId('qr-confirmation').innerText()).toBe('已确认');
      expect(await page.getByTestId('receipt-preview').innerText()).toContain(trade.tradeNo);
      expect(receipts()).toBe(before + 1);
      expect(count('SELECT count(*) AS n FROM receipts WHERE household_id = ?', payer.id)).toBe(1);
      expect(count("SELECT count(*) AS n FROM qr_payments WHERE state = 'completed'")).toBe(1);
      await page.waitForTimeout(150);
      await screenshot(page, 'qr-paid', 'zh-CN');
      await page.keyboard.press('Enter'); // next household
      await screenIs('search');
    });

    it('declined (¥x.13): Alipay’s words and the next steps on the payment screen; nothing recorded', async () => {
      const payer = payers[1]!;
      const before = receipts();
      await toPayment(payer.accountNo);
      // the clerk takes part of the balance: ¥100.13 typed into the amount field, then scans there
      await page.keyboard.press('Shift+Tab');
      expect(await focusedName(page)).toBe('amount');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('100.13', { delay: 80 });
      const allocated = page.getByTestId('allocation');
      await poll(() => allocated.innerText()).toContain(formatFen(10_013).replace(/^[¥￥]/, ''));
      await scan();
      const result = page.getByTestId('qr-result');
      await result.waitFor({ timeout: 30_000 });
      expect(await result.getAttribute('data-phase')).toBe('declined');
      expect(await page.getByTestId('qr-provider-message').innerText()).toContain('余额不足');
      const text = await result.innerText();
      expect(text).toContain('扫码未成功，未收费');
      expect(text).toContain('再扫一次');
      // the scanner's digits are not left in the amount field
      expect(await page.locator('input[name="amount"]').inputValue()).toBe('100.13');
      await screenIs('payment');
      expect(receipts()).toBe(before);
      expect(count("SELECT count(*) AS n FROM qr_payments WHERE state = 'failed'")).toBe(1);
      await page.waitForTimeout(150);
      await screenshot(page, 'qr-declined', 'zh-CN');
      await page.keyboard.press('Escape');
      await screenIs('account');
    });

    it('head office unreachable: refused at once with the advice; the cursor on the tender kind; nothing recorded', async () => {
      const payer = payers[2]!;
      const before = receipts();
      const rows = count('SELECT count(*) AS n FROM qr_payments');
      configureSync(c.terminal.ctx.db, 'http://127.0.0.1:9', token); // nothing listens there
      try {
        await toPayment(payer.accountNo);
        await scan();
        const result = page.getByTestId('qr-result');
        await result.waitFor({ timeout: 30_000 });
        expect(await result.getAttribute('data-phase')).toBe('offline');
        const text = await result.innerText();
        expect(text).toContain('总部连接不上');
        expect(text).toContain('扫码/转账（手工登记，未确认）');
        await poll(() => focusedName(page)).toBe('tender-1-kind');
        expect(receipts()).toBe(before);
        expect(count('SELECT count(*) AS n FROM qr_payments')).toBe(rows);
        await page.waitForTimeout(150);
        await screenshot(page, 'qr-offline', 'zh-CN');
      } finally {
        configureSync(c.terminal.ctx.db, ho.url, token);
      }
      await page.keyboard.press('Escape');
      await screenIs('account');
    });

    it('the answer lost: 未确认的扫码交易 opens, F5 asks head office again, the paid sale becomes exactly one receipt', async () => {
      const payer = payers[3]!;
      const before = receipts();
      configureSync(c.terminal.ctx.db, proxy.url, token);
      faults.push('pass', 'reset'); // the reachability check passes; the sale's answer is cut off
      try {
        await toPayment(payer.accountNo);
        await scan();
        const dialog = page.getByTestId('qr-recovery');
        await dialog.waitFor({ timeout: 30_000 });
        expect(await page.getByTestId('qr-result').getAttribute('data-phase')).toBe('unknown');
        const list = await page.getByTestId('qr-recovery-list').innerText();
        expect(list).toContain('2812**********3456');
        expect(list).toContain(formatFen(payer.owedFen));
        expect(receipts()).toBe(before); // not guessed: the counter does not know yet
        await page.waitForTimeout(150);
        await screenshot(page, 'qr-recovery', 'zh-CN');
      } finally {
        configureSync(c.terminal.ctx.db, ho.url, token);
      }
      await page.keyboard.press('F5');
      const done = page.getByTestId('qr-recovery-done');
      await done.waitFor({ timeout: 30_000 });
      expect(await done.getAttribute('data-state')).toBe('completed');
      expect(receipts()).toBe(before + 1);
      expect(count('SELECT count(*) AS n FROM receipts WHERE household_id = ?', payer.id)).toBe(1);
      const row = c.terminal.ctx.db
        .prepare(
          "SELECT out_trade_no FROM qr_payments WHERE household_id = ? AND state = 'completed'",
        )
        .get(payer.id) as { out_trade_no: string };
      expect(sim.trade(row.out_trade_no)).toMatchObject({
        status: 'TRADE_SUCCESS',
        amountFen: payer.owedFen,
      });
      expect(await done.innerText()).toMatch(/收据 A\d+ 已生成/);
      await page.waitForTimeout(150);
      await screenshot(page, 'qr-recovery-done', 'zh-CN');
      await page.keyboard.press('Enter'); // nothing left open: Enter closes
      await poll(() => page.getByTestId('qr-recovery').count()).toBe(0);
      // the household on screen is paid now: its success screen, not the stale payment form
      await screenIs('success');
      const label = await page.getByTestId('success-receipt').innerText();
      expect(await page.getByTestId('qr-confirmation').innerText()).toBe('已确认');
      const receipt = await c.terminal.must('receipt.find', { session, receiptLabel: label });
      expect(receipt.household.id).toBe(payer.id);
      expect(c.problems).toEqual([]);
    });
  },
);
