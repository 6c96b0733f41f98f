// What the clerk is told when things are not normal: a PC clock behind the ledger, a shift left open
// by another clerk, devices that are not there. And the receipt history leads to the receipt.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { focusedName, screenshot, startCounter, type Counter } from './support';

let c: Counter;
let page: Page;
let now = Date.now();

beforeAll(async () => {
  c = await startCounter({ households: 20, clock: () => new Date(now) });
  page = c.page;
});

afterAll(async () => {
  await c?.close();
});

async function login(code: string, pin: string) {
  await page.goto(`${c.host.url}/`);
  await expect.poll(() => focusedName(page)).toBe('clerkCode');
  await page.keyboard.type(code);
  await page.keyboard.press('Tab');
  await page.keyboard.type(pin);
  await page.keyboard.press('Enter');
}

it('a shift left open by another clerk is named, with what to do; Esc logs out', async () => {
  const other = await c.terminal.login('1002', '123456');
  await c.terminal.must('shift.open', { session: other, openingFloatFen: 10_000 });
  await login('1001', '123456');
  await expect.poll(() => page.locator('.shell').getAttribute('data-screen')).toBe('openShift');
  const text = await page.locator('.shift-panel').innerText();
  expect(text).toContain('王强');
  expect(text).toContain('请该收费员登录结班后再开班');
  // No way around it: search and receipts are not offered.
  expect(await page.getByTestId('keybar').innerText()).not.toContain('F2');
  await screenshot(page, '17-other-clerk-shift', 'zh-CN');
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator('.shell').getAttribute('data-screen')).toBe('login');
});

it('receipt history opens the receipt; a PC clock behind the ledger shows a red warning', async () => {
  const api = await c.terminal.login('1002', '123456');
  const account = await c.terminal.must('household.account', {
    session: api,
    householdId: 'H10000001',
  });
  const owed = account.owedFen;
  expect(owed).toBeGreaterThan(0);
  const paid = await c.terminal.must('payment.take', {
    session: api,
    requestId: randomUUID(),
    householdId: 'H10000001',
    amountFen: owed,
    tenders: [{ kind: 'cash', amountFen: owed, tenderedFen: owed }],
  });

  await login('1002', '123456');
  await expect.poll(() => focusedName(page)).toBe('search');
  await page.keyboard.type('10000001');
  await page.keyboard.press('Enter');
  await page.getByTestId('receipt-history').waitFor();
  // Tab from "pay" to the first receipt row, Enter opens it.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect
    .poll(() => page.getByTestId('receipt-preview').getAttribute('data-label'))
    .toBe(paid.receiptLabel);
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator('.shell').getAttribute('data-screen')).toBe('account');

  // The PC clock jumps back 10 minutes behind the last ledger event.
  now -= 10 * 60 * 1000;
  await page.reload();
  const warning = page.getByTestId('clock-warning');
  await warning.waitFor();
  expect(await warning.innerText()).toContain('电脑时钟异常');
  expect(await warning.innerText()).toContain('请校正系统时间');
  for (const id of ['status-printer', 'status-card', 'status-sync']) {
    expect(await page.getByTestId(id).getAttribute('data-state')).toBe('unavailable');
  }
  await screenshot(page, '18-clock-warning', 'zh-CN');
  await page.keyboard.press('F10');
  await expect.poll(() => warning.innerText()).toContain('PC clock is wrong');
  await screenshot(page, '18-clock-warning', 'en');
  await page.keyboard.press('F10'); // the choice is remembered on this PC: back to zh-CN
  await expect.poll(() => warning.innerText()).toContain('电脑时钟异常');
  expect(c.problems).toEqual([]);
});

it('a blacklisted household under legal action is shown prominently, in both languages', async () => {
  // Master data as head office would send it (the flags are not ledger events).
  c.terminal.ctx.db
    .prepare(
      'UPDATE households SET blacklisted = 1, legal_action = 1, subsidised = 1, no_heat = 1 WHERE id = ?',
    )
    .run('H10000002');
  now += 10 * 60 * 1000; // the clock is right again
  await login('1002', '123456');
  await expect.poll(() => focusedName(page)).toBe('search');
  await page.keyboard.type('10000002');
  await page.keyboard.press('Enter');
  const banner = page.getByTestId('blacklist-banner');
  await banner.waitFor();
  expect(await banner.innerText()).toContain('黑名单用户');
  const head = await page.locator('.account-head').innerText();
  for (const tag of ['黑名单', '已起诉', '停供', '财政补贴']) expect(head).toContain(tag);
  await screenshot(page, '19-flags', 'zh-CN');
  await page.keyboard.press('F10');
  await expect.poll(() => banner.innerText()).toContain('BLACKLISTED');
  await screenshot(page, '19-flags', 'en');
  await page.keyboard.press('F10');
  expect(c.problems).toEqual([]);
});
