// Shared e2e harness: the renderer built into a private directory, the plain-Node host on a demo
// ledger (a real SQLite file), and headless Debian Chromium at the counter's 1366×768.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { findChromium } from '../../src-main/devices/pdf/chromium';
import { startHost, type Host } from '../../src-main/host/server';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

export const CHROMIUM = findChromium() ?? 'chromium';
export const ROOT = resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = join(ROOT, 'tests', 'e2e', 'screenshots');
export const VIEWPORT = { width: 1366, height: 768 };

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function requireChromium() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      'Chromium is missing (not on PATH, CASHIER_CHROMIUM unset): install it with ' +
        '`apt-get install -y chromium fonts-noto-cjk` ' +
        '(do not use `npx playwright install`).',
    );
  }
}

function viteBuild(outDir: string) {
  execFileSync(
    'npx',
    ['vite', 'build', '--logLevel', 'error', '--outDir', outDir, '--emptyOutDir'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}

/** mkdir is atomic: exactly one caller creates the directory. */
function takeLock(dir: string): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch {
    return false;
  }
}

/**
 * Puts the renderer into `outDir` (a private copy per test file: files run in parallel). Built once
 * per vitest run (tests/support/renderer-cache.ts): the first file builds under a lock directory,
 * the others wait for it and copy. Outside vitest's global setup (no cache): built here.
 */
export function buildRenderer(outDir: string) {
  let cache: string | undefined;
  try {
    cache = inject('rendererCache');
  } catch {
    cache = undefined;
  }
  if (!cache) return viteBuild(outDir);
  const built = join(cache, 'dist');
  const done = join(cache, 'done');
  const failed = join(cache, 'failed');
  if (takeLock(join(cache, 'lock'))) {
    try {
      viteBuild(built);
      writeFileSync(done, '');
    } catch (e) {
      writeFileSync(failed, String(e));
      throw e;
    }
  } else {
    const wait = new Int32Array(new SharedArrayBuffer(4));
    const deadline = Date.now() + 600_000;
    while (!existsSync(done)) {
      if (existsSync(failed))
        throw new Error(`the renderer build failed: ${readFileSync(failed, 'utf8')}`);
      if (Date.now() > deadline) throw new Error('the renderer build did not finish in 10 min');
      Atomics.wait(wait, 0, 0, 200);
    }
  }
  rmSync(outDir, { recursive: true, force: true });
  cpSync(built, outDir, { recursive: true });
}

export async function launchBrowser(locale = 'zh-CN') {
  requireChromium();
  const userDataDir = mkdtempSync(join(tmpdir(), 'cashier-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    locale,
    viewport: VIEWPORT,
  });
  const page: Page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface Counter {
  terminal: TestTerminal;
  host: Host;
  page: Page;
  problems: string[];
  close(): Promise<void>;
}

/** A demo ledger with `households`, the host serving a fresh renderer build, Chromium on it. */
export async function startCounter(
  options: { households?: number; clock?: () => Date } = {},
): Promise<Counter> {
  requireChromium();
  const dir = tempDir('cashier-e2e-');
  const staticDir = join(dir.dir, 'renderer');
  buildRenderer(staticDir);
  const terminal = openTestTerminal(join(dir.dir, 'ledger.db'), {
    households: options.households ?? 60,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const host = await startHost({ ctx: terminal.ctx, port: 0, staticDir });
  const browser = await launchBrowser();
  return {
    terminal,
    host,
    page: browser.page,
    problems: browser.problems,
    async close() {
      await browser.close();
      await host.close();
      terminal.close();
      dir.cleanup();
    },
  };
}

/** Writes `<name>.<lang>.png` into tests/e2e/screenshots (git-ignored). */
export async function screenshot(page: Page, name: string, lang: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.${lang}.png`) });
}

export async function focusedName(page: Page) {
  return page.evaluate(() => document.activeElement?.getAttribute('name') ?? null);
}
