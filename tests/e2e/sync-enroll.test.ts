// Enrollment at the counter, keyboard only, in headless Chromium against the plain-Node host and a
// real head office (PGlite): a supervisor opens 总部同步 / 入网 from the F9 menu, types head office's
// address and the one-time code; a mistyped code is caught on the screen, an unknown one is refused
// by head office in plain words, the real one enrolls the terminal.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeadOffice, type TestHeadOffice } from '../support/head-office';
import { focusedName, screenshot, startCounter, type Counter } from './support';

let c: Counter;
let ho: TestHeadOffice;
let page: Page;

beforeAll(async () => {
  [c, ho] = await Promise.all([startCounter({ households: 20 }), startHeadOffice('pglite')]);
  page = c.page;
}, 180_000);

afterAll(async () => {
  await c?.close();
  await ho?.close();
});

async function screenIs(name: string) {
  await expect.poll(() => page.locator('.shell').getAttribute('data-screen')).toBe(name);
}

async function fill(name: string, text: string) {
  await page.locator(`input[name="${name}"]`).fill(text);
}

describe('enrollment from the work menu', () => {
  it('a supervisor enrolls the terminal with the code head office issued', async () => {
    await page.goto(`${c.host.url}/`);
    await expect.poll(() => focusedName(page)).toBe('clerkCode');
    await page.keyboard.type('9001');
    await page.keyboard.press('Tab');
    await page.keyboard.type('888888');
    await page.keyboard.press('Enter');
    await screenIs('openShift');

    await page.keyboard.press('F9');
    await screenIs('menu');
    const items = await page
      .locator('[data-testid^="menu-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    const index = items.indexOf('menu-sync');
    expect(index).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await screenIs('tool');
    await expect.poll(() => focusedName(page)).toBe('headOfficeUrl');
    await expect.poll(() => page.getByTestId('sync-state').innerText()).toContain('未配置');

    // keyboard: address, Tab, code, Tab, supervisor code, Tab, PIN, Enter
    await page.keyboard.type(ho.url);
    // F6 tests the connection first: head office answers, this terminal is not enrolled yet
    await page.keyboard.press('F6');
    await expect
      .poll(() => page.getByTestId('sync-tested').innerText())
      .toMatch(/总部可以连接（\d+ 毫秒）。本终端尚未入网/);
    expect(await page.getByTestId('sync-tested').getAttribute('data-token')).toBe('not_enrolled');
    await page.locator('input[name="headOfficeUrl"]').focus();
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('enrollmentCode');
    await page.keyboard.type('1234-5678');
    await page.keyboard.press('Tab');
    await page.keyboard.type('9001');
    await page.keyboard.press('Tab');
    await page.keyboard.type('888888');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('.sync-settings').innerText())
      .toContain('16 位字母或数字');

    await fill('enrollmentCode', 'zzzz-zzzz-zzzz-zzzz');
    await page.locator('input[name="supervisorPin"]').fill('888888');
    await page.locator('input[name="supervisorPin"]').press('Enter');
    await expect
      .poll(() => page.locator('.sync-settings').innerText())
      .toContain('总部拒绝入网：入网码不正确');

    const code = await ho.enrollmentCode('一号窗口');
    await fill('enrollmentCode', code.toLowerCase());
    await page.locator('input[name="supervisorPin"]').fill('888888');
    await page.locator('input[name="supervisorPin"]').press('Enter');
    await expect
      .poll(() => page.getByTestId('sync-enrolled').innerText())
      .toContain(`入网成功：终端 ${c.terminal.ctx.terminal.id}`);
    await screenshot(page, 'sync-enrolled', 'zh-CN');
    await page.keyboard.press('F6'); // enrolled now: head office accepts this terminal's token
    await expect
      .poll(() => page.getByTestId('sync-tested').getAttribute('data-token'))
      .toBe('accepted');
    expect(await page.getByTestId('sync-tested').innerText()).toContain('总部接受其令牌');
    await screenshot(page, 'sync-tested', 'zh-CN');
    expect(
      await ho.db.query('SELECT key_no FROM ho_terminal_keys WHERE terminal_id = $1', [
        c.terminal.ctx.terminal.id,
      ]),
    ).toEqual([{ key_no: 1 }]);
    expect(await page.locator('input[name="enrollmentCode"]').inputValue()).toBe('');
    expect(c.problems).toEqual([]);
  });
});
