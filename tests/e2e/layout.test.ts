// Layout at the counter's 1366×768 (issue 21, defect 10), in headless Chromium against the plain-
// Node host: a cheque taken beside the cash shows all its fields — the bank field is inside the
// visible part of the tender list, not clipped by it nor covered by the confirm button (a QR
// payment's reference likewise). Measured from the boxes Chromium lays out; screenshots
// tests/e2e/screenshots/layout-cheque.*.png and layout-qr.*.png.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { focusedName, screenshot, startCounter, type Counter } from './support';

let c: Counter;
let page: Page;
let accountNo: string;

beforeAll(async () => {
  c = await startCounter({ households: 20 });
  page = c.page;
  const s = await c.terminal.login();
  await c.terminal.must('shift.open', { session: s, openingFloatFen: 0 });
  const owing = c.terminal.ctx.db
    .prepare('SELECT account_no FROM households WHERE owed_fen > 50000 ORDER BY num LIMIT 1')
    .get() as { account_no: string };
  accountNo = owing.account_no;
}, 240_000);
afterAll(async () => {
  await c?.close();
});

const screenIs = (name: string) =>
  expect.poll(() => page.locator('.shell').getAttribute('data-screen')).toBe(name);

type Box = { x: number; y: number; width: number; height: number };
const inside = (a: Box, b: Box) =>
  a.x >= b.x - 0.5 &&
  a.y >= b.y - 0.5 &&
  a.x + a.width <= b.x + b.width + 0.5 &&
  a.y + a.height <= b.y + b.height + 0.5;
const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('payment layout (Chromium, 1366×768)', () => {
  it('cash + cheque: the bank field is fully visible, above the confirm button', async () => {
    await page.goto(`${c.host.url}/`);
    await page.locator('input[name="clerkCode"]').waitFor();
    await page.keyboard.type('1001');
    await page.keyboard.press('Tab');
    await page.keyboard.type('123456');
    await page.keyboard.press('Enter');
    await screenIs('search');
    await page.locator('input[name="search"]').focus();
    await page.keyboard.type(accountNo);
    await expect
      .poll(() => page.getByTestId('search-results').getAttribute('data-query'))
      .toBe(accountNo);
    await page.keyboard.press('Enter');
    await screenIs('account');
    await page.keyboard.press('Enter');
    await screenIs('payment');
    await page.keyboard.press('F7'); // tender 2 (a card) …
    await page.keyboard.press('Shift+Tab'); // … its kind
    await expect.poll(() => focusedName(page)).toBe('tender-2-kind');
    await page.keyboard.press('ArrowDown'); // card -> cheque
    await expect
      .poll(() => page.locator('select[name="tender-2-kind"]').inputValue())
      .toBe('cheque');
    await page.keyboard.press('Tab');
    await page.keyboard.type('100');
    await page.keyboard.press('Tab');
    await page.keyboard.type('ZP0001');
    // where the clerk looks at the form before typing the bank: the cheque number field
    await page.evaluate(() => document.querySelector('.tender-list')?.scrollTo(0, 0));
    const list = (await page.locator('.tender-list').boundingBox())!;
    const bank = (await page.locator('input[name="tender-2-bank"]').boundingBox())!;
    const confirm = (await page.locator('.confirm-button').boundingBox())!;
    await screenshot(page, 'layout-cheque', 'zh-CN');
    expect(inside(bank, list), JSON.stringify({ bank, list })).toBe(true);
    expect(overlap(bank, confirm), JSON.stringify({ bank, confirm })).toBe(false);
    expect(confirm.y + confirm.height).toBeLessThanOrEqual(768);
    const scrolls = await page.evaluate(() => {
      const el = document.querySelector('.tender-list')!;
      return el.scrollHeight > el.clientHeight + 1;
    });
    expect(scrolls).toBe(false); // cash + cheque fit without a scroll bar

    // the same for a QR payment: amount, channel and reference
    await page.locator('select[name="tender-2-kind"]').focus();
    await page.keyboard.press('ArrowDown'); // cheque -> QR
    await expect.poll(() => page.locator('select[name="tender-2-kind"]').inputValue()).toBe('qr');
    const reference = (await page.locator('input[name="tender-2-reference"]').boundingBox())!;
    const qrList = (await page.locator('.tender-list').boundingBox())!;
    await screenshot(page, 'layout-qr', 'zh-CN');
    expect(inside(reference, qrList), JSON.stringify({ reference, qrList })).toBe(true);
    expect(c.problems).toEqual([]);
  });
});
