// Cheques and balance freshness at the counter (issue 7/8): the account screen tells how old the
// balance is (last pull from head office) and warns when it is old; the status bar shows the sync
// details; a supervisor bounces a pending cheque from F9 → 支票管理 with the keyboard only.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { focusedName, screenshot, startCounter, type Counter } from './support';

let c: Counter;
let page: Page;
const now = Date.parse('2026-12-05T03:00:00Z');

beforeAll(async () => {
  c = await startCounter({ households: 20, clock: () => new Date(now) });
  page = c.page;
});
afterAll(async () => {
  await c?.close();
});

async function screenIs(name: string) {
  await expect.poll(() => page.locator('.shell').getAttribute('data-screen')).toBe(name);
}
async function login(code: string, pin: string) {
  await page.goto(`${c.host.url}/`);
  await expect.poll(() => focusedName(page)).toBe('clerkCode');
  await page.keyboard.type(code);
  await page.keyboard.press('Tab');
  await page.keyboard.type(pin);
  await page.keyboard.press('Enter');
}
const setLastPull = (iso: string | null) =>
  c.terminal.ctx.db.prepare('UPDATE sync_state SET last_pull_at = ?').run(iso);

async function openAccount(accountNo: string) {
  await expect.poll(() => focusedName(page)).toBe('search');
  await page.keyboard.type(accountNo);
  await page.keyboard.press('Enter');
  await screenIs('account');
  await page.getByTestId('as-of').waitFor();
}

let receiptLabel = '';
let chequeFen = 0;

it('the account screen shows the balance as of the last pull and warns when it is older than 24 h; the status bar shows the sync details', async () => {
  const api = await c.terminal.login('1001', '123456');
  await c.terminal.must('shift.open', { session: api, openingFloatFen: 0 });
  const account = await c.terminal.must('household.account', {
    session: api,
    householdId: 'H10000003',
  });
  chequeFen = account.owedFen;
  const r = await c.terminal.must('payment.take', {
    session: api,
    requestId: randomUUID(),
    householdId: 'H10000003',
    amountFen: chequeFen,
    tenders: [{ kind: 'cheque', amountFen: chequeFen, chequeNo: 'ZP0012345', bank: '建设银行' }],
  });
  receiptLabel = r.receiptLabel;

  await login('1001', '123456');
  await openAccount('10000004');
  expect(await page.getByTestId('as-of').getAttribute('data-stale')).toBe('never');
  expect(await page.getByTestId('as-of').innerText()).toContain('尚未与总部同步');
  const bar = await page.getByTestId('status-sync').innerText();
  expect(bar).toContain('离线');
  expect(bar).toMatch(/待上传 \d+ 条/);
  expect(bar).toContain('最早待传');
  expect(bar).toContain('从未成功');

  // last pull 30 hours ago: older than the 24 h default → warning with the age
  setLastPull(new Date(now - 30 * 3_600_000).toISOString());
  await page.keyboard.press('Escape');
  await openAccount('10000004');
  await expect.poll(() => page.getByTestId('as-of').getAttribute('data-stale')).toBe('old');
  const stale = await page.getByTestId('as-of').innerText();
  expect(stale).toContain('余额截至 2026-12-04 05:00:00');
  expect(stale).toContain('30 小时');
  expect(stale).toContain('24 小时');
  await screenshot(page, '40-balance-stale', 'zh-CN');

  // one hour ago: fresh, no warning, the time is shown
  setLastPull(new Date(now - 3_600_000).toISOString());
  await page.keyboard.press('Escape');
  await openAccount('10000004');
  await expect.poll(() => page.getByTestId('as-of').getAttribute('data-stale')).toBe('fresh');
  expect(await page.getByTestId('as-of').innerText()).toContain('余额截至 2026-12-05 10:00:00');
  expect(c.problems).toEqual([]);
});

it('F9 → 支票管理: a supervisor bounces the pending cheque with the keyboard; the household owes again', async () => {
  await page.keyboard.press('F12');
  await login('9001', '888888');
  await screenIs('openShift'); // a supervisor without a shift still has the F9 menu
  await page.keyboard.press('F9');
  await screenIs('menu');
  const items = await page
    .locator('[data-testid^="menu-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
  const index = items.indexOf('menu-cheques');
  expect(index).toBeGreaterThanOrEqual(0);
  if (index < 9) await page.keyboard.press(String(index + 1));
  else {
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    await expect
      .poll(() => page.getByTestId('menu-cheques').getAttribute('class'))
      .toContain('selected');
    await page.keyboard.press('Enter');
  }
  await page.getByTestId('cheques-page').waitFor({ timeout: 8000 });
  const row = page.getByTestId(`cheque-${receiptLabel}`);
  await row.waitFor({ timeout: 8000 });
  expect(await row.getAttribute('data-status')).toBe('pending');
  expect(await row.innerText()).toContain('ZP0012345');
  expect(await page.getByTestId('cheques-summary').innerText()).toContain('待处理：1 张');
  await screenshot(page, '41-cheques-pending', 'zh-CN');

  await page.keyboard.press('F6');
  await expect.poll(() => focusedName(page)).toBe('reason');
  await page.keyboard.press('Enter'); // no reason yet: told what to do
  await page.getByTestId('problem').waitFor();
  expect(await page.getByTestId('problem').innerText()).toContain('请填写退票原因');
  await page.keyboard.type('余额不足');
  await screenshot(page, '42-cheque-bounce-form', 'zh-CN');
  await page.keyboard.press('Enter');
  const notice = page.getByTestId('cheques-notice');
  await notice.waitFor();
  expect(await notice.innerText()).toContain(`已退票：${receiptLabel}`);
  expect(await page.getByTestId('cheques-empty').innerText()).toContain('没有待处理的支票');

  // F7 cycles to the bounced list
  await page.keyboard.press('F7');
  const bounced = page.getByTestId(`cheque-${receiptLabel}`);
  await bounced.waitFor();
  expect(await bounced.getAttribute('data-status')).toBe('bounced');
  expect(await bounced.innerText()).toContain('余额不足');
  await screenshot(page, '43-cheques-bounced', 'zh-CN');
  // the household owes again exactly what the cheque paid
  const sup = await c.terminal.login('9001', '888888');
  const account = await c.terminal.must('household.account', {
    session: sup,
    householdId: 'H10000003',
  });
  expect(account.owedFen).toBe(chequeFen);
  expect(c.problems).toEqual([]);
});
