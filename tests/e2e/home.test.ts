// The built renderer in headless Chromium against the plain-Node host on a demo ledger.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../../src-main/host/server';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(import.meta.dirname, '../..');
const STATIC_DIR = join(ROOT, 'dist', 'renderer');
const SCREENSHOT = join(ROOT, '.tmp', 'home.png');

let dir: ReturnType<typeof tempDir>;
let terminal: TestTerminal;
let host: Host;
let userDataDir: string;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install it with \`apt-get install -y chromium fonts-noto-cjk\` ` +
        '(do not use `npx playwright install`).',
    );
  }
  // Always rebuild: it takes about a second and a stale build would test old code.
  execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });

  dir = tempDir('cashier-e2e-');
  terminal = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 20 });
  host = await startHost({ ctx: terminal.ctx, port: 0, staticDir: STATIC_DIR });

  userDataDir = mkdtempSync(join(tmpdir(), 'cashier-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
    locale: 'zh-CN',
    viewport: { width: 1100, height: 800 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
});

afterAll(async () => {
  await context?.close();
  await host?.close();
  terminal?.close();
  dir?.cleanup();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

describe('home page', () => {
  it('shows the terminal from terminal.info, the DEMO badge and the connection state', async () => {
    await page.goto(`${host.url}/`);
    const info = terminal.ctx.terminal;
    await expect.poll(() => page.getByTestId('terminal-name').textContent()).toBe(info.name);
    expect(await page.getByTestId('demo-badge').textContent()).toContain('DEMO');
    expect(await page.getByTestId('connection').textContent()).toContain('已连接');
    const body = await page.locator('body').innerText();
    expect(body).toContain(info.id);
    expect(body).toContain('营业日期');
  });

  it('refuses a wrong PIN with the Chinese error text, keyboard only', async () => {
    // The clerk-code field has focus on load.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
      'clerkCode',
    );
    await page.keyboard.type('1001');
    await page.keyboard.press('Tab');
    await page.keyboard.type('000000');
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('工号或密码错误');
  });

  it('logs in with the keyboard and shows the clerk name', async () => {
    // After a wrong PIN the PIN field has focus again and is empty; the code is kept.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('pin');
    await page.keyboard.type('123456');
    await page.keyboard.press('Enter');
    const clerk = page.getByTestId('clerk-name');
    await clerk.waitFor();
    expect(await clerk.textContent()).toContain('张丽');
    mkdirSync(join(ROOT, '.tmp'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
  });
});
