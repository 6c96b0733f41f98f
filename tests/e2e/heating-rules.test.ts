// Heating-fee rules at the counter, keyboard first, in headless Chromium against the plain-Node host
// with the terminal's injectable clock: a no-heat application at 23:58 local on the deadline day
// (charged at 50 %), another at 00:00 the next day (refused with the deadline, then approved by a
// supervisor), and a reduction that needs two distinct supervisors, shown on the account screen.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noHeatChargeFen } from '@heating-cashier/core/heating-rules';
import { seasonAccounts } from '../../src-main/features/households/accounts.store';
import { insertClerk } from '../../src-main/features/session/clerks.store';
import { hashPin } from '../../src-main/features/session/auth';
import { focusedName, screenshot, startCounter, type Counter } from './support';

let c: Counter;
let page: Page;
let now = new Date('2026-10-15T15:58:00.000Z'); // 23:58 on 15 October, Asia/Shanghai
let households: { id: string; accountNo: string }[] = [];

beforeAll(async () => {
  c = await startCounter({ households: 60, clock: () => now });
  page = c.page;
  insertClerk(c.terminal.ctx.db, {
    id: 'C9002',
    code: '9002',
    name: '赵经理',
    role: 'supervisor',
    pin_hash: hashPin('777777'),
  });
  // households with a 2026-2027 charge and nothing owed for 2025-2026 (arrears must be cleared first)
  households = c.terminal.ctx.db
    .prepare(
      `SELECT h.id, h.account_no AS accountNo FROM households h
       JOIN charges c1 ON c1.household_id = h.id AND c1.season_id = 'S2025'
       JOIN charges c2 ON c2.household_id = h.id AND c2.season_id = 'S2026'
       WHERE c1.charge_fen <= c1.paid_elsewhere_fen AND c2.paid_elsewhere_fen = 0 AND h.no_heat = 0
       ORDER BY h.id LIMIT 3`,
    )
    .all() as { id: string; accountNo: string }[];
}, 180_000);

afterAll(async () => {
  await c?.close();
});

const season26 = (householdId: string) =>
  seasonAccounts(c.terminal.ctx.db, householdId).find((s) => s.seasonId === 'S2026')!;

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

/** F9, then the entry's number (or arrows + Enter when the menu has more than nine entries). */
async function openRules() {
  await page.keyboard.press('F9');
  await screenIs('menu');
  const items = await page
    .locator('[data-testid^="menu-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
  const index = items.indexOf('menu-heating-rules');
  expect(index).toBeGreaterThanOrEqual(0);
  if (index < 9) await page.keyboard.press(String(index + 1));
  else {
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
  }
  await screenIs('tool');
  await expect(page.getByTestId('rules').isVisible()).resolves.toBe(true);
}

async function findHousehold(accountNo: string) {
  await expect.poll(() => focusedName(page)).toBe('accountNo');
  await page.keyboard.type(accountNo);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('rules-household').count()).toBe(1);
}

describe('no-heat application (停供申请) before and after the deadline', () => {
  it('at 23:58 local on 15 October: accepted, the 2026-2027 charge becomes 50 %', async () => {
    expect(households.length).toBe(3);
    const [h] = households as [{ id: string; accountNo: string }];
    const before = season26(h.id);
    await login('1001', '123456');
    await screenIs('openShift');
    await page.keyboard.type('200');
    await page.keyboard.press('Enter');
    await screenIs('search');
    await openRules();
    await findHousehold(h.accountNo);
    await expect.poll(() => page.getByTestId('rules-deadline').innerText()).toContain('2026-10-15');
    await expect.poll(() => focusedName(page)).toBe('reason');
    await page.keyboard.type('房屋空置，申请停供');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('rules-done').count()).toBe(1);
    const text = await page.getByTestId('rules-done').innerText();
    expect(text).toContain('已办理停供');
    expect(text).toContain('50%');
    expect(season26(h.id).chargeFen).toBe(noHeatChargeFen(before.chargeFen, 50));
    await expect.poll(() => page.getByTestId('noheat-tag').count()).toBe(1);
    await screenshot(page, 'rules-noheat-ontime', 'zh-CN');
  });

  it('at 00:00 local on 16 October: refused with the deadline, then approved by a supervisor', async () => {
    now = new Date('2026-10-15T16:00:00.000Z');
    const h = households[1]!;
    const before = season26(h.id);
    // a fresh screen: F5 keeps the section, the account number field takes the next household
    await page.keyboard.press('Escape');
    await screenIs('menu');
    await page.keyboard.press('Escape');
    await openRules();
    await findHousehold(h.accountNo);
    await expect.poll(() => focusedName(page)).toBe('reason');
    await page.keyboard.type('外出务工');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('error').getAttribute('data-code'))
      .toBe('NO_HEAT_AFTER_DEADLINE');
    const refusal = await page.getByTestId('error').innerText();
    expect(refusal).toContain('2026-10-15');
    expect(refusal).toContain('主管');
    expect(season26(h.id).chargeFen).toBe(before.chargeFen);
    await screenshot(page, 'rules-noheat-late-refused', 'zh-CN');
    await page.keyboard.press('F10');
    await expect.poll(() => page.getByTestId('error').innerText()).toContain('deadline');
    await screenshot(page, 'rules-noheat-late-refused', 'en');
    await page.keyboard.press('F10');

    await page.locator('input[name="reason"]').focus();
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedName(page)).toBe('supervisorCode');
    await page.keyboard.type('9001');
    await page.keyboard.press('Tab');
    await page.keyboard.type('888888');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('rules-done').count()).toBe(1);
    expect(await page.getByTestId('rules-done').innerText()).toContain('李主管');
    expect(season26(h.id).chargeFen).toBe(noHeatChargeFen(before.chargeFen, 50));
    await screenshot(page, 'rules-noheat-late-approved', 'zh-CN');
  });
});

describe('reduction (减免) with supervisor approval', () => {
  it('two distinct supervisors approve; the account shows the reduction and who approved it', async () => {
    const h = households[2]!;
    const before = season26(h.id);
    await page.keyboard.press('F6');
    await expect.poll(() => page.getByTestId('rules').getAttribute('data-section')).toBe('relief');
    await findHousehold(h.accountNo);
    await expect.poll(() => focusedName(page)).toBe('amount');
    await page.keyboard.type('100');
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedName(page)).toBe('reason');
    await page.keyboard.type('低保户减免');
    await page.keyboard.press('Tab');
    await page.keyboard.type('9001');
    await page.keyboard.press('Tab');
    await page.keyboard.type('888888');
    await page.keyboard.press('Enter');
    // one supervisor is not enough: the form says so before anything is sent
    await expect.poll(() => page.getByTestId('problem').innerText()).toContain('2');
    expect(season26(h.id).balanceFen).toBe(before.balanceFen);
    await page.locator('input[name="supervisorCode"]').fill('9001');
    await page.locator('input[name="supervisorPin"]').fill('888888');
    await page.locator('input[name="supervisorCode2"]').focus();
    await page.keyboard.type('9001');
    await page.keyboard.press('Tab');
    await page.keyboard.type('888888');
    await page.keyboard.press('Enter');
    // the same supervisor twice is refused by the terminal
    await expect
      .poll(() => page.getByTestId('error').getAttribute('data-code'))
      .toBe('APPROVER_DUPLICATE');
    await page.locator('input[name="supervisorCode"]').fill('9001');
    await page.locator('input[name="supervisorPin"]').fill('888888');
    await page.locator('input[name="supervisorCode2"]').focus();
    await page.keyboard.type('9002');
    await page.keyboard.press('Tab');
    await page.keyboard.type('777777');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('rules-done').count()).toBe(1);
    const done = await page.getByTestId('rules-done').innerText();
    expect(done).toContain('¥100.00');
    expect(done).toContain('赵经理');
    expect(season26(h.id).balanceFen).toBe(before.balanceFen - 10_000);
    await expect
      .poll(() => page.locator('[data-testid="adjustments"] tr[data-kind="reduction"]').count())
      .toBe(1);
    await screenshot(page, 'rules-reduction', 'zh-CN');

    // the account screen (search → Enter) shows it too
    await page.keyboard.press('Escape');
    await screenIs('menu');
    await page.keyboard.press('Escape');
    await screenIs('search');
    await page.keyboard.type(h.accountNo);
    await page.keyboard.press('Enter');
    await screenIs('account');
    await expect
      .poll(() => page.locator('[data-testid="adjustments"] tr[data-kind="reduction"]').count())
      .toBe(1);
    const row = await page
      .locator('[data-testid="adjustments"] tr[data-kind="reduction"]')
      .innerText();
    expect(row).toContain('李主管');
    expect(row).toContain('赵经理');
    expect(row).toContain('-¥100.00');
    await screenshot(page, 'rules-account', 'zh-CN');
    await page.keyboard.press('F10');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await screenshot(page, 'rules-account', 'en');
    await page.keyboard.press('F10');
    expect(c.problems).toEqual([]);
  });
});

describe('seasons and rates (F8)', () => {
  it('a clerk sees the seasons, rates and no-heat rules read-only', async () => {
    await page.keyboard.press('Escape');
    await screenIs('search');
    await openRules();
    await page.keyboard.press('F8');
    await expect.poll(() => page.getByTestId('rules-readonly').innerText()).toContain('主管');
    const table = await page.getByTestId('seasons-table').innerText();
    expect(table).toContain('2026-2027');
    expect(table).toContain('¥25.80');
    expect(table).toContain('50%');
    expect(await page.getByTestId('rules-submit').isDisabled()).toBe(true);
    await screenshot(page, 'rules-seasons', 'zh-CN');
    expect(c.problems).toEqual([]);
  });
});
