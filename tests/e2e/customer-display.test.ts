// The customer display with two pages in headless Chromium against the plain-Node host (issue 22):
// the clerk's page (keyboard) shows the pairing code, the `/customer` page pairs with it (a wrong
// code first), then follows the clerk live: a cash payment (amount, tendered, change), the rating
// by touch/mouse, a partial payment across two seasons (allocation with %), and the next customer,
// who never sees the previous one's data. The rating is then in the daily, monthly and collector
// reports. Screenshots of both screens (clerk 1366×768, customer 1920×1080 and 1024×600).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandOutput } from '@heating-cashier/core/contract/commands';
import { formatFen } from '@heating-cashier/core/money';
import { formatPercentTenths } from '@heating-cashier/core/fees';
import { formatPointsTenths } from '@heating-cashier/core/kpi-format';
import { maskName } from '../../src-main/features/customer/customer-view';
import { entriesFor } from '../../src-renderer/features/menu/entries';
import { focusedName, screenshot, startCounter, type Counter } from './support';

type Account = CommandOutput<'household.account'>;

let c: Counter;
let clerk: Page;
let display: Page;
const displayProblems: string[] = [];
let api: string;
let cashFirst: Account; // owes something in one season or more: full cash payment with change
let twoSeasons: Account; // owes in two seasons: partial payment across them
let nextOne: Account; // the next customer

async function account(householdId: string): Promise<Account> {
  return c.terminal.must('household.account', { session: api, householdId });
}
function yuan(fen: number) {
  return formatFen(fen, '').replaceAll(',', '');
}
async function screenIs(name: string) {
  await expect.poll(() => clerk.locator('.shell').getAttribute('data-screen')).toBe(name);
}
async function phaseIs(phase: string) {
  await expect
    .poll(() => display.getByTestId('customer-display').getAttribute('data-phase'))
    .toBe(phase);
}
async function openAccount(a: Account) {
  const box = clerk.locator('input[name="search"]');
  await box.focus();
  await clerk.keyboard.press('Control+A');
  await clerk.keyboard.type(a.household.accountNo);
  await expect
    .poll(() => clerk.getByTestId('search-results').getAttribute('data-query'))
    .toBe(a.household.accountNo);
  await clerk.keyboard.press('Enter');
  await screenIs('account');
}
/** In the work menu (F9): the entry's number typed, as a clerk does. */
async function openMenuEntry(role: 'clerk' | 'supervisor', id: string) {
  const entries = entriesFor(role);
  const n = entries.findIndex((e) => e.id === id) + 1;
  expect(n).toBeGreaterThan(0);
  await clerk.keyboard.type(String(n));
  if (entries.length >= 10 && n < 10) await clerk.keyboard.press('Enter');
}
/** From the work menu: the pairing code screen. */
async function openPairingScreen() {
  await openMenuEntry('clerk', 'customer');
  await clerk.getByTestId('customer-pairing').waitFor();
}
/** Both screens as they are now; the customer's also at the small tablet size. */
async function shootBoth(name: string) {
  await clerk.waitForTimeout(150); // fonts and the allocation preview settle
  await screenshot(clerk, `customer-${name}-clerk`, 'zh-CN');
  await screenshot(display, `customer-${name}-display-1920x1080`, 'zh-CN');
  await display.setViewportSize({ width: 1024, height: 600 });
  await screenshot(display, `customer-${name}-display-1024x600`, 'zh-CN');
  await display.setViewportSize({ width: 1920, height: 1080 });
}

beforeAll(async () => {
  c = await startCounter({ households: 60 });
  clerk = c.page;
  display = await clerk.context().newPage();
  await display.setViewportSize({ width: 1920, height: 1080 });
  display.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning')
      displayProblems.push(`${m.type()}: ${m.text()}`);
  });
  display.on('pageerror', (e) => displayProblems.push(`pageerror: ${e.message}`));
  api = await c.terminal.login('1001', '123456');
  const all: Account[] = [];
  for (let i = 1; i <= 60; i++) all.push(await account(`H${10000000 + i}`));
  const owing = all.filter((a) => a.owedFen > 30_000);
  twoSeasons = owing.find((a) => a.seasons.filter((s) => s.balanceFen > 0).length === 2)!;
  const rest = owing.filter((a) => a !== twoSeasons);
  cashFirst = rest[0]!;
  nextOne = rest[1]!;
  expect([twoSeasons, cashFirst, nextOne].every(Boolean)).toBe(true);
});

afterAll(async () => {
  await display?.close();
  await c?.close();
});

describe('customer display (two pages)', () => {
  it('the clerk logs in and opens the pairing code from the work menu', async () => {
    await clerk.goto(`${c.host.url}/`);
    await expect.poll(() => focusedName(clerk)).toBe('clerkCode');
    await clerk.keyboard.type('1001');
    await clerk.keyboard.press('Tab');
    await clerk.keyboard.type('123456');
    await clerk.keyboard.press('Enter');
    await screenIs('openShift');
    await clerk.keyboard.type('500');
    await clerk.keyboard.press('Enter');
    await screenIs('search');
    await clerk.keyboard.press('F9');
    await screenIs('menu');
    await openPairingScreen();
    await expect.poll(() => clerk.getByTestId('pairing-code').innerText()).toMatch(/^\d{6}$/);
    expect(await clerk.getByTestId('pairing-displays').innerText()).toContain('0');
  });

  it('the /customer page refuses a wrong code, pairs with the right one and shows the welcome', async () => {
    const code = await clerk.getByTestId('pairing-code').innerText();
    await display.goto(`${c.host.url}/customer`);
    await phaseIs('pairing');
    await expect.poll(() => focusedName(display)).toBe('pairing-code');
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    await display.keyboard.type(wrong); // six digits submit by themselves
    const error = display.getByTestId('cd-pair-error');
    await error.waitFor();
    expect(await error.innerText()).toContain('配对码不正确');
    expect(await error.innerText()).toContain('还可尝试 4 次');
    await screenshot(display, 'customer-00-pair-error-display-1920x1080', 'zh-CN');
    // The right code by touch on the keypad.
    for (const digit of code) {
      await display.getByRole('button', { name: `数字 ${digit}`, exact: true }).click();
    }
    await phaseIs('idle');
    await display.getByTestId('cd-welcome').waitFor();
    expect(await display.getByTestId('cd-company').innerText()).toBe('供热公司');
    // The clerk's screen counts the paired display (opened again from the menu).
    await clerk.keyboard.press('Escape');
    await screenIs('menu');
    await openPairingScreen();
    await expect.poll(() => clerk.getByTestId('pairing-displays').innerText()).toContain('：1');
    expect(await clerk.getByTestId('pairing-code').innerText()).not.toBe(code); // used up
    await shootBoth('01-paired');
    await clerk.keyboard.press('Escape');
    await screenIs('menu');
    await clerk.keyboard.press('F2');
    await screenIs('search');
  });

  it('cash payment: the account, then amount, tendered and change live, then the receipt', async () => {
    const owed = cashFirst.owedFen;
    const tendered = Math.ceil((owed + 1) / 10_000) * 10_000;
    await openAccount(cashFirst);
    await phaseIs('account');
    await expect
      .poll(() => display.getByTestId('cd-name').innerText())
      .toBe(maskName(cashFirst.household.name));
    expect(await display.getByTestId('cd-owed').innerText()).toBe(formatFen(owed));
    const text = await display.locator('body').innerText();
    expect(text).not.toContain(cashFirst.household.name);
    expect(text).not.toContain(cashFirst.household.accountNo);
    await shootBoth('02-account');

    await clerk.keyboard.press('Enter');
    await screenIs('payment');
    await phaseIs('payment');
    await expect.poll(() => display.getByTestId('cd-amount').innerText()).toBe(formatFen(owed));
    expect(await display.getByTestId('cd-change').innerText()).toBe('—');
    await expect.poll(() => focusedName(clerk)).toBe('tender-1-tendered');
    await clerk.keyboard.type(yuan(tendered));
    await expect
      .poll(() => display.getByTestId('cd-change').innerText())
      .toBe(formatFen(tendered - owed));
    expect(await display.getByTestId('cd-tendered').innerText()).toBe(formatFen(tendered));
    await shootBoth('03-cash-tendered');

    await clerk.keyboard.press('Enter');
    await screenIs('success');
    const label = await clerk.getByTestId('success-receipt').innerText();
    await phaseIs('paid');
    await expect.poll(() => display.getByTestId('cd-receipt').innerText()).toBe(label);
    expect(await display.getByTestId('cd-change').innerText()).toBe(formatFen(tendered - owed));
    expect(await display.getByTestId('cd-rate').innerText()).toContain('非常满意');
    await shootBoth('04-paid-rate');
  });

  it('the customer rates by touch: stored for the receipt and its clerk, then the welcome', async () => {
    const label = await clerk.getByTestId('success-receipt').innerText();
    await display.locator('[data-score="5"]').click();
    await display.getByTestId('cd-thanks').waitFor();
    const receipt = await c.terminal.must('receipt.find', { session: api, receiptLabel: label });
    const rating = c.terminal.ctx.db
      .prepare('SELECT score, source, clerk_id FROM service_ratings WHERE receipt_id = ?')
      .get(receipt.id);
    expect(rating).toEqual({ score: 5, source: 'display', clerk_id: receipt.clerkId });
    await screenshot(display, 'customer-05-thanks-display-1920x1080', 'zh-CN');
    await clerk.keyboard.press('Enter'); // next household
    await screenIs('search');
  });

  it('partial payment across two seasons: the allocation with % and the change, live', async () => {
    const [older, newer] = twoSeasons.seasons.filter((s) => s.balanceFen > 0);
    const half = Math.floor(newer!.balanceFen / 2);
    const amount = older!.balanceFen + half;
    const tendered = Math.ceil((amount + 1) / 10_000) * 10_000;
    const preview = await c.terminal.must('payment.preview', {
      session: api,
      householdId: twoSeasons.household.id,
      amountFen: amount,
    });
    await openAccount(twoSeasons);
    await phaseIs('account');
    await clerk.keyboard.press('Enter');
    await screenIs('payment');
    await clerk.keyboard.press('Shift+Tab');
    await expect.poll(() => focusedName(clerk)).toBe('amount');
    await clerk.keyboard.press('Control+A');
    await clerk.keyboard.type(yuan(amount));
    await expect.poll(() => display.getByTestId('cd-amount').innerText()).toBe(formatFen(amount));
    const [l1, l2] = preview.lines;
    await expect
      .poll(() => display.getByTestId('cd-lines').innerText())
      .toContain(formatPercentTenths(l2!.pctTenths));
    const lines = await display.getByTestId('cd-lines').innerText();
    expect(lines).toContain(`部分缴费 ${formatPercentTenths(l2!.pctTenths)}`);
    expect(lines).toContain(formatFen(l1!.amountFen));
    expect(lines).toContain('结清');
    await clerk.keyboard.press('Tab');
    await clerk.keyboard.type(yuan(tendered));
    await expect
      .poll(() => display.getByTestId('cd-change').innerText())
      .toBe(formatFen(tendered - amount));
    await shootBoth('06-partial');
    // The customer's English button: the same view in English, nothing left in Chinese but data.
    await display.getByTestId('cd-language').click();
    await expect.poll(() => display.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await display.getByTestId('cd-lines').innerText()).toContain(
      `Part payment ${formatPercentTenths(l2!.pctTenths)}`,
    );
    const untranslated = await display.evaluate(() => {
      const out: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || el.closest('.data, .cd-lang')) continue;
        if (/\p{Script=Han}/u.test(n.textContent ?? '')) out.push(n.textContent ?? '');
      }
      return out;
    });
    expect(untranslated).toEqual([]);
    await screenshot(display, 'customer-06-partial-display-1920x1080', 'en');
    await display.getByTestId('cd-language').click();
    await expect.poll(() => display.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await clerk.keyboard.press('Enter');
    await screenIs('success');
    await phaseIs('paid');
    const label = await clerk.getByTestId('success-receipt').innerText();
    await expect.poll(() => display.getByTestId('cd-receipt').innerText()).toBe(label);
    expect(await display.getByTestId('cd-lines').innerText()).toContain(
      formatPercentTenths(l2!.pctTenths),
    );
    expect(await display.getByTestId('cd-still-owed').innerText()).toContain(
      formatFen(twoSeasons.owedFen - amount),
    );
    await display.setViewportSize({ width: 1024, height: 600 });
    await screenshot(display, 'customer-06-partial-paid-display-1024x600', 'zh-CN');
    await display.setViewportSize({ width: 1920, height: 1080 });
  });

  it('the next customer never sees the previous one: idle on search, then only the new household', async () => {
    const previousLabel = await clerk.getByTestId('success-receipt').innerText();
    // The customer walks away without rating; the clerk goes on.
    await clerk.keyboard.press('Enter');
    await screenIs('search');
    await phaseIs('idle');
    const idle = await display.locator('body').innerText();
    expect(idle).not.toContain(maskName(twoSeasons.household.name));
    expect(idle).not.toContain(previousLabel);
    await openAccount(nextOne);
    await phaseIs('account');
    await expect
      .poll(() => display.getByTestId('cd-name').innerText())
      .toBe(maskName(nextOne.household.name));
    const shown = await display.locator('body').innerText();
    expect(shown).not.toContain(maskName(twoSeasons.household.name));
    expect(shown).not.toContain(previousLabel);
    expect(shown).not.toContain(formatFen(twoSeasons.owedFen));
    await shootBoth('07-next-customer');
    await clerk.keyboard.press('Escape');
    await screenIs('search');
    await phaseIs('idle');
  });

  it('the rating is in the daily, monthly and collector reports', async () => {
    const { businessDate } = await c.terminal.must('terminal.info', {});
    const daily = await c.terminal.must('report.daily', { session: api, businessDate });
    const monthly = await c.terminal.must('report.monthly', {
      session: api,
      month: businessDate.slice(0, 7),
    });
    const collector = await c.terminal.must('report.collector', {
      session: api,
      from: businessDate,
      to: businessDate,
    });
    for (const [name, report] of [
      ['daily', daily],
      ['monthly', monthly],
      ['collector', collector],
    ] as const) {
      expect(report.serviceKpis.satisfaction, name).toMatchObject({
        ratings: 1,
        pointsTenths: 1000,
        meetsTarget: true,
      });
      expect(
        report.serviceKpis.byClerk.find((k) => k.clerkName === '张丽')?.satisfaction,
        name,
      ).toMatchObject({ ratings: 1, pointsTenths: 1000 });
    }
  });

  it('the supervisor sees the rating on the daily, monthly and collector report screens', async () => {
    await clerk.keyboard.press('F12'); // the clerk logs out: the display stays on the welcome
    await expect.poll(() => focusedName(clerk)).toBe('clerkCode');
    await phaseIs('idle');
    await clerk.keyboard.type('9001');
    await clerk.keyboard.press('Tab');
    await clerk.keyboard.type('888888');
    await clerk.keyboard.press('Enter');
    await screenIs('openShift');
    const rated = `${formatPointsTenths(1000)} 分（1 条评价）`;
    await clerk.keyboard.press('F9');
    await screenIs('menu');
    await openMenuEntry('supervisor', 'cash-reports');
    await expect
      .poll(() => clerk.getByTestId('daily-kpis-satisfaction').innerText())
      .toContain(rated);
    await clerk.getByTestId('daily-kpis-satisfaction').scrollIntoViewIfNeeded();
    await screenshot(clerk, 'customer-08-daily-report-rating-clerk', 'zh-CN');
    await clerk.keyboard.press('F6'); // monthly
    await expect
      .poll(() => clerk.getByTestId('monthly-kpis-satisfaction').innerText())
      .toContain(rated);
    await clerk.keyboard.press('F9');
    await screenIs('menu');
    await openMenuEntry('supervisor', 'collector');
    await expect
      .poll(() => clerk.getByTestId('collector-kpis-satisfaction').innerText())
      .toContain(rated);
  });

  it('no console errors or warnings on either page', () => {
    expect(c.problems).toEqual([]);
    expect(displayProblems).toEqual([]);
  });
});
