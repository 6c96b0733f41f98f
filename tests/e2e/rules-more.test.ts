// The F9 "供热业务" screen's further sections, keyboard first, in headless Chromium against the
// plain-Node host: a subsidy share set with a supervisor and then received, shown in the subsidy
// receivable report (F3); an inspection of a no-heat household drawing heat with a back-charge that
// needs a supervisor (F1); advance payment (预交) of the next season and a credit balance applied (F11).
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seasonAccounts } from '../../src-main/features/households/accounts.store';
import { formatFen } from '@heating-cashier/core/money';
import { focusedName, screenshot, startCounter, type Counter } from './support';

const SUP = { supervisorCode: '9001', supervisorPin: '888888' };
let c: Counter;
let page: Page;
let households: { id: string; accountNo: string }[] = [];

beforeAll(async () => {
  // 20 November 2026, 10:00 Asia/Shanghai: inside the 2026-2027 season
  c = await startCounter({ households: 60, clock: () => new Date('2026-11-20T02:00:00.000Z') });
  page = c.page;
  households = c.terminal.ctx.db
    .prepare(
      `SELECT h.id, h.account_no AS accountNo FROM households h
       JOIN charges c1 ON c1.household_id = h.id AND c1.season_id = 'S2025'
       JOIN charges c2 ON c2.household_id = h.id AND c2.season_id = 'S2026'
       WHERE c1.charge_fen <= c1.paid_elsewhere_fen AND c2.paid_elsewhere_fen = 0
         AND c2.charge_fen > 60000 AND h.no_heat = 0
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

async function section(key: string, name: string) {
  await page.keyboard.press(key);
  await expect.poll(() => page.getByTestId('rules').getAttribute('data-section')).toBe(name);
  await expect.poll(() => focusedName(page)).toBe('accountNo');
}

async function findHousehold(accountNo: string, first: string) {
  await page.keyboard.press('Control+A');
  await page.keyboard.type(accountNo);
  await page.keyboard.press('Enter');
  await expect
    .poll(() => page.getByTestId('rules-household').innerText())
    .toContain(
      c.terminal.ctx.db
        .prepare('SELECT name FROM households WHERE account_no = ?')
        .pluck()
        .get(accountNo) as string,
    );
  await expect.poll(() => focusedName(page)).toBe(first);
}

const done = async (text: string) =>
  expect
    .poll(() =>
      page
        .getByTestId('rules-done')
        .innerText()
        .catch(() => ''),
    )
    .toContain(text);

describe('F9 供热业务: subsidies, inspections, advance payment', () => {
  it('subsidy (财政补贴): share set with a supervisor, received, listed in the receivable report', async () => {
    expect(households.length).toBe(3);
    const h = households[0]!;
    const before = season26(h.id);
    await page.goto(`${c.host.url}/`);
    await expect.poll(() => focusedName(page)).toBe('clerkCode');
    await page.keyboard.type('1001');
    await page.keyboard.press('Tab');
    await page.keyboard.type('123456');
    await page.keyboard.press('Enter');
    await screenIs('openShift');
    await page.keyboard.type('200');
    await page.keyboard.press('Enter');
    await screenIs('search');
    await openRules();
    await section('F3', 'subsidy');
    await findHousehold(h.accountNo, 'amount');
    await page.keyboard.type('300');
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedName(page)).toBe('reason');
    await page.keyboard.type('低保户财政补贴');
    await page.keyboard.press('Enter');
    // no supervisor yet: the form says what is missing before anything is sent
    await expect.poll(() => page.getByTestId('problem').innerText()).toContain('主管');
    await page.locator('input[name="supervisorCode"]').focus();
    await page.keyboard.type(SUP.supervisorCode);
    await page.keyboard.press('Tab');
    await page.keyboard.type(SUP.supervisorPin);
    await page.keyboard.press('Enter');
    await done('¥300.00');
    expect(season26(h.id).balanceFen).toBe(before.balanceFen - 30_000);
    const row = page.locator(`[data-testid="subsidy-report"] tr[data-account="${h.accountNo}"]`);
    await expect.poll(() => row.innerText()).toContain('¥300.00');
    await screenshot(page, 'rules-subsidy-assigned', 'zh-CN');

    // the finance office pays part of it
    // keyboard only: Shift+Tab back to the action, ArrowDown to 补贴到账, Tab to the amount
    await page.keyboard.press('Shift+Tab');
    await expect.poll(() => focusedName(page)).toBe('subsidyMode');
    await page.keyboard.press('ArrowDown');
    await expect
      .poll(() => page.locator('select[name="subsidyMode"]').inputValue())
      .toBe('receive');
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedName(page)).toBe('amount');
    await page.keyboard.type('120');
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedName(page)).toBe('reference');
    await page.keyboard.type('CZ-2026-118');
    await page.keyboard.press('Enter');
    await done('¥180.00');
    const r = c.terminal.ctx.db
      .prepare('SELECT share_fen, received_fen FROM subsidy_receivables WHERE household_id = ?')
      .get(h.id);
    expect(r).toEqual({ share_fen: 30_000, received_fen: 12_000 });
    await expect.poll(() => row.innerText()).toMatch(/¥300\.00[\s\S]*¥120\.00[\s\S]*¥180\.00/);
    await expect
      .poll(() => page.getByTestId('subsidy-totals').innerText())
      .toMatch(/¥300\.00[\s\S]*¥120\.00[\s\S]*¥180\.00/);
    // the household's own balance did not change by the receipt (it is the finance office's share)
    expect(season26(h.id).balanceFen).toBe(before.balanceFen - 30_000);
    await screenshot(page, 'rules-subsidy-received', 'zh-CN');
    await page.keyboard.press('F10');
    await expect
      .poll(() => page.getByTestId('subsidy-report').innerText())
      .toContain('Outstanding');
    await screenshot(page, 'rules-subsidy-received', 'en');
    await page.keyboard.press('F10');
    expect(c.problems).toEqual([]);
  });

  it('inspection (稽查): a no-heat household drawing heat is back-charged only with a supervisor', async () => {
    const h = households[1]!;
    // the household is on no-heat (applied late, approved by a supervisor)
    const session = await c.terminal.login();
    await c.terminal.must('noheat.apply', {
      session,
      householdId: h.id,
      seasonId: 'S2026',
      reason: '房屋空置',
      ...SUP,
    });
    const before = season26(h.id);
    await section('F1', 'inspection');
    await findHousehold(h.accountNo, 'finding');
    await page.keyboard.type('停供户私开阀门用热');
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedName(page)).toBe('drawingHeat');
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedName(page)).toBe('amount');
    await page.keyboard.type('450');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('problem').innerText()).toContain('主管');
    expect(season26(h.id).balanceFen).toBe(before.balanceFen);
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedName(page)).toBe('supervisorCode');
    await page.keyboard.type(SUP.supervisorCode);
    await page.keyboard.press('Tab');
    await page.keyboard.type(SUP.supervisorPin);
    await page.keyboard.press('Enter');
    await done('¥450.00');
    expect(season26(h.id).balanceFen).toBe(before.balanceFen + 45_000);
    await expect.poll(() => page.getByTestId('inspections').innerText()).toContain('私开阀门');
    await expect
      .poll(() =>
        page.locator('[data-testid="adjustments"] tr[data-kind="back_charge"]').innerText(),
      )
      .toContain('李主管');
    const ins = c.terminal.ctx.db
      .prepare(
        'SELECT drawing_heat, back_charge_fen, approved_by FROM inspections WHERE household_id = ?',
      )
      .get(h.id);
    expect(ins).toEqual({ drawing_heat: 1, back_charge_fen: 45_000, approved_by: 'C9001' });
    await screenshot(page, 'rules-inspection-backcharge', 'zh-CN');
    expect(c.problems).toEqual([]);
  });

  it('advance payment (预交) of the next season, then a credit balance applied to it', async () => {
    const h = households[2]!;
    const t = c.terminal;
    const session = await t.login(); // the clerk whose shift is open in the browser
    await t.must('rules.season.set', {
      session,
      seasonId: 'S2027',
      code: '2027-2028',
      startsOn: '2027-11-15',
      endsOn: '2028-03-15',
      noHeatDeadline: '2027-10-15',
      rates: { residential: 2650, commercial: 3800, public: 3200 },
      ...SUP,
    });
    await t.must('rules.settings.set', {
      session,
      reliefApprovals: 2,
      noHeatRequiresArrearsCleared: true,
      advancePayment: true,
      ...SUP,
    });
    // the household pays 2026-2027 in full, then goes on no-heat: half of it becomes credit
    const owed = season26(h.id).balanceFen;
    await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: h.id,
      amountFen: owed,
      tenders: [{ kind: 'cash', amountFen: owed, tenderedFen: owed }],
    });
    await t.must('noheat.apply', {
      session,
      householdId: h.id,
      seasonId: 'S2026',
      reason: '外出',
      ...SUP,
    });
    const credit = season26(h.id).creditFen;
    expect(credit).toBeGreaterThan(0);

    await section('F11', 'advance');
    await findHousehold(h.accountNo, 'advanceMode');
    await expect.poll(() => page.getByTestId('advance-status').innerText()).toContain('尚未核定');
    await page.keyboard.press('Enter');
    await done('2027-2028');
    const next = seasonAccounts(t.ctx.db, h.id).find((s) => s.seasonId === 'S2027')!;
    expect(next.balanceFen).toBeGreaterThan(0);
    await screenshot(page, 'rules-advance-assessed', 'zh-CN');

    // the cursor is back on the action: ArrowDown to 用预存余额冲抵欠费, Enter
    await expect.poll(() => focusedName(page)).toBe('advanceMode');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('select[name="advanceMode"]').inputValue()).toBe('credit');
    await page.keyboard.press('Enter');
    const moved = Math.min(credit, next.balanceFen);
    await done(`已用余额冲抵 ${formatFen(moved)}`);
    expect(seasonAccounts(t.ctx.db, h.id).find((s) => s.seasonId === 'S2027')!.balanceFen).toBe(
      next.balanceFen - moved,
    );
    expect(season26(h.id).creditFen).toBe(credit - moved);
    await screenshot(page, 'rules-advance-credit', 'zh-CN');
    expect(c.problems).toEqual([]);
  });
});
