// A cheque payment stays out of every collected total until the cheque is cleared (seed rule:
// cheques count only when the money is in the account): the supervisor's daily report shows it as
// pending, 支票管理 clears it with the keyboard, and the same report then counts it as collected.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatFen } from '@heating-cashier/core/money';
import { householdsOwing } from '../support/terminal';
import { focusedName, screenshot, startCounter, type Counter } from './support';

let c: Counter;
let page: Page;
let cashFen = 0;
let chequeFen = 0;
let chequeLabel = '';

beforeAll(async () => {
  c = await startCounter({ households: 30 });
  page = c.page;
  const api = await c.terminal.login('1001', '123456');
  await c.terminal.must('shift.open', { session: api, openingFloatFen: 0 });
  const [cashPayer, chequePayer] = householdsOwing(c.terminal, 10_000, 2);
  cashFen = 12_345;
  chequeFen = 9_876;
  await c.terminal.must('payment.take', {
    session: api,
    requestId: randomUUID(),
    householdId: cashPayer,
    amountFen: cashFen,
    tenders: [{ kind: 'cash', amountFen: cashFen, tenderedFen: cashFen }],
  });
  const r = await c.terminal.must('payment.take', {
    session: api,
    requestId: randomUUID(),
    householdId: chequePayer,
    amountFen: chequeFen,
    tenders: [{ kind: 'cheque', amountFen: chequeFen, chequeNo: 'ZP0099', bank: '工商银行' }],
  });
  chequeLabel = r.receiptLabel;
}, 180_000);

afterAll(async () => {
  await c?.close();
});

async function screenIs(name: string) {
  await expect.poll(() => page.locator('.shell').getAttribute('data-screen')).toBe(name);
}

async function openFromMenu(id: string) {
  await page.keyboard.press('F9');
  await screenIs('menu');
  const items = await page
    .locator('[data-testid^="menu-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
  const index = items.indexOf(`menu-${id}`);
  expect(index, `${id} in the F9 menu`).toBeGreaterThanOrEqual(0);
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
  await expect
    .poll(() => page.getByTestId(`menu-${id}`).getAttribute('class'))
    .toContain('selected');
  await page.keyboard.press('Enter');
  await screenIs('tool');
}

/** The daily report's total row: [receipts, voids, cash, card, qr, cheques received, cheques cleared, collected]. */
async function dailyTotals(): Promise<string[]> {
  const row = page.getByTestId('daily-total');
  await row.waitFor();
  return row.locator('td').allInnerTexts();
}

it('the daily report counts a cheque only once it is cleared', { timeout: 90_000 }, async () => {
  await page.goto(`${c.host.url}/`);
  await expect.poll(() => focusedName(page)).toBe('clerkCode');
  await page.keyboard.type('9001');
  await page.keyboard.press('Tab');
  await page.keyboard.type('888888');
  await page.keyboard.press('Enter');
  await screenIs('openShift');

  await openFromMenu('cash-reports');
  await expect
    .poll(dailyTotals)
    .toEqual([
      '2',
      '0',
      formatFen(cashFen),
      formatFen(0),
      formatFen(0),
      formatFen(chequeFen),
      formatFen(0),
      formatFen(cashFen),
    ]);
  await screenshot(page, 'cheque-totals-pending', 'zh-CN');

  await page.keyboard.press('Escape');
  await openFromMenu('cheques');
  const row = page.getByTestId(`cheque-${chequeLabel}`);
  await row.waitFor();
  expect(await row.getAttribute('data-status')).toBe('pending');
  await page.keyboard.press('F5'); // the clearance form, dated today by default
  await expect.poll(() => focusedName(page)).toBe('valueDate');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('cheques-notice').innerText()).toContain(chequeLabel);

  await page.keyboard.press('Escape');
  await openFromMenu('cash-reports');
  await expect
    .poll(async () => (await dailyTotals()).slice(5))
    // received that day either way; cleared now, so collected includes it
    .toEqual([formatFen(chequeFen), formatFen(chequeFen), formatFen(cashFen + chequeFen)]);
  await screenshot(page, 'cheque-totals-cleared', 'zh-CN');
  expect(c.problems).toEqual([]);
});
