// Card terminal settings on screen (issue 19), in headless Chromium against the plain-Node host with
// no card terminal configured: a supervisor opens F9 → 刷卡机设置, a wrong port gives a clear error
// and changes nothing, the socat pty with the ZVT simulator behind it passes the test registration
// and is saved; a wrong port after that leaves the working terminal in use; then a clerk takes a
// card sale on it — all without restarting the host.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal, approvedTotal } from '../../src-main/devices/card-terminal/simulator';
import { startSimulator } from '../support/card';
import { startPtyPair, type PtyPair } from '../support/pty';
import { householdsOwing, tempDir } from '../support/terminal';
import { screenshot, startCounter, type Counter } from './support';

let c: Counter;
let page: Page;
let tmp: ReturnType<typeof tempDir>;
let pty: PtyPair;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let journal: string;
let account: string;
const WRONG = '/dev/ttyNOSUCH9';

const poll = <T>(fn: () => T | Promise<T>, o: { timeout?: number } = {}) =>
  expect.poll(fn, { timeout: 15_000, ...o });

async function screenIs(name: string) {
  await poll(() => page.locator('.shell').getAttribute('data-screen')).toBe(name);
}

const savedRow = () =>
  (
    c.terminal.ctx.db.prepare("SELECT value FROM settings WHERE key = 'cardTerminal'").get() as
      { value: string } | undefined
  )?.value ?? null;

async function login(code: string, pin: string) {
  await poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
    'clerkCode',
  );
  await page.keyboard.type(code);
  await page.keyboard.press('Tab');
  await page.keyboard.type(pin);
  await page.keyboard.press('Enter');
}

/** Replaces a field's text by keyboard. */
async function retype(name: string, text: string) {
  await page.locator(`input[name="${name}"]`).focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

beforeAll(async () => {
  // the host starts with no card terminal: none from the environment of whoever runs the tests
  for (const k of Object.keys(process.env)) if (k.startsWith('CASHIER_CARD')) delete process.env[k];
  tmp = tempDir('card-settings-e2e-');
  journal = join(tmp.dir, 'journal.json');
  pty = await startPtyPair(tmp.dir);
  sim = await startSimulator(pty.pt, journal);
  c = await startCounter({ households: 40 });
  page = c.page;
  const clerk = await c.terminal.login();
  await c.terminal.must('shift.open', { session: clerk, openingFloatFen: 0 });
  const [id] = householdsOwing(c.terminal, 50_000, 1);
  account = (
    c.terminal.ctx.db.prepare('SELECT account_no FROM households WHERE id = ?').get(id) as {
      account_no: string;
    }
  ).account_no;
}, 180_000);

afterAll(async () => {
  await c?.close();
  await sim?.channel.close().catch(() => undefined);
  await pty?.kill();
  tmp?.cleanup();
});

describe('card terminal set on screen, no restart', { timeout: 120_000 }, () => {
  it('a supervisor: wrong port → clear error, nothing changed; the pty registers and is saved', async () => {
    expect(c.terminal.ctx.runtime.card.attached).toBeNull(); // the host started without one
    await page.goto(`${c.host.url}/`);
    await login('9001', '888888');
    await screenIs('openShift');
    await page.keyboard.press('F9');
    await screenIs('menu');
    const items = await page
      .locator('[data-testid^="menu-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    const index = items.indexOf('menu-card-terminal');
    expect(index).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await screenIs('tool');
    await page.getByTestId('card-settings').waitFor();
    // the cursor starts on the port
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
      'card-port',
    );
    expect(await page.getByTestId('card-state').getAttribute('data-state')).toBe('unavailable');
    expect(await page.getByTestId('card-source').innerText()).toBe('尚未设置');

    // a port typed wrong: the test registration and the save both say what to check
    await page.keyboard.type(WRONG);
    await page.keyboard.press('F6');
    const error = page.getByTestId('error');
    await poll(() => error.innerText()).toContain(`串口 ${WRONG} 无法打开`);
    expect(await error.innerText()).toContain('原设置未改变');
    await retype('supervisorPin', '888888');
    await page.keyboard.press('F3');
    await poll(() => error.innerText()).toContain(`串口 ${WRONG} 无法打开`);
    await screenshot(page, 'card-settings-wrong-port', 'zh-CN');
    expect(savedRow()).toBeNull();
    expect(c.terminal.ctx.runtime.card.attached).toBeNull();

    // the pty with the simulator behind it
    await retype('card-port', pty.ecr);
    await page.keyboard.press('F6');
    const notice = page.getByTestId('card-notice');
    await poll(() => notice.innerText()).toBe('刷卡机已应答，签到成功（终端号 68012345）。');
    expect(savedRow()).toBeNull(); // a test saves nothing
    await retype('supervisorPin', '888888');
    await page.keyboard.press('F3');
    await poll(() => page.getByTestId('card-state').getAttribute('data-state')).toBe('ready');
    expect(await notice.innerText()).toContain('签到成功');
    expect(await page.getByTestId('card-in-use').innerText()).toContain(pty.ecr);
    expect(await page.getByTestId('card-source').innerText()).toBe('来源：本屏幕保存的设置');
    expect(JSON.parse(savedRow()!)).toMatchObject({ path: pty.ecr, baudRate: 9600 });
    await screenshot(page, 'card-settings-saved', 'zh-CN');
    await page.keyboard.press('F10');
    await poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await poll(() => page.getByTestId('card-source').innerText()).toBe(
      'Source: saved on this screen',
    );
    await screenshot(page, 'card-settings-saved', 'en');
    await page.keyboard.press('F10');
    await poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');

    // a wrong port after the working one: refused, the working terminal stays in use
    const inUse = c.terminal.ctx.runtime.card.attached;
    await retype('card-port', WRONG);
    await retype('supervisorPin', '888888');
    await page.keyboard.press('F3');
    await poll(() => error.innerText()).toContain(`串口 ${WRONG} 无法打开`);
    expect(c.terminal.ctx.runtime.card.attached).toBe(inUse);
    expect(JSON.parse(savedRow()!)).toMatchObject({ path: pty.ecr });
    expect(await page.getByTestId('card-state').getAttribute('data-state')).toBe('ready');
    expect(await page.getByTestId('card-in-use').innerText()).toContain(pty.ecr);
    expect(c.problems).toEqual([]);
  });

  it('a clerk then takes a card sale on the terminal set on screen', async () => {
    await page.keyboard.press('Escape');
    await screenIs('menu');
    await page.keyboard.press('Escape');
    await page.keyboard.press('F12'); // log out
    await login('1001', '123456');
    await screenIs('search');
    await poll(() => page.getByTestId('status-card').getAttribute('data-state')).toBe('ready');
    await page.keyboard.press('F2');
    await screenIs('search');
    const box = page.locator('input[name="search"]');
    await box.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(account);
    await poll(() => page.getByTestId('search-results').getAttribute('data-query')).toBe(account);
    await page.keyboard.press('Enter');
    await screenIs('account');
    await page.keyboard.press('F3');
    await screenIs('payment');
    await retype('amount', '258.00');
    await page.keyboard.press('F7'); // a card tender, on the terminal
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
      'tender-2-amount',
    );
    await page.keyboard.type('258.00');
    await page.getByTestId('card-on-terminal').waitFor();
    await page.keyboard.press('Enter');
    await screenIs('success');
    expect(await page.getByTestId('card-facts').innerText()).toContain('622588******1234');
    expect(approvedTotal(readJournal(journal))).toBe(25_800);
    expect(c.problems).toEqual([]);
  });
});
