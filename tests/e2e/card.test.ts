// Card payments in headless Chromium against the REAL plain-Node host (a child process: npm start's
// src-main/host/main.ts with --card-terminal) speaking ZVT over a socat pty pair to the terminal
// simulator: approve (live terminal texts, masked PAN on the receipt), decline (¥x.13: message,
// nothing recorded), clerk abort (Esc), and recovery: the host is SIGKILLed while the terminal
// runs a sale, the terminal approves it anyway, the restarted host shows the recovery dialog with
// the terminal's facts, and resolving it yields exactly one receipt; the ledger's card total
// equals the simulator's approved total.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WS from 'ws';
import type { CommandName, CommandOutput } from '@heating-cashier/core/contract/commands';
import { approvedTotal, readJournal } from '../../src-main/devices/card-terminal/simulator';
import {
  createWebSocketClient,
  type ApiClient,
  type WebSocketConstructor,
} from '../../src-renderer/api/client';
import { startSimulator } from '../support/card';
import { startPtyPair, type PtyPair } from '../support/pty';
import { householdsOwing, openTestTerminal, tempDir } from '../support/terminal';
import { buildRenderer, launchBrowser, ROOT, screenshot } from './support';

let tmp: ReturnType<typeof tempDir>;
let pty: PtyPair;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let journal: string;
let dbFile: string;
let staticDir: string;
let port: number;
let host: ChildProcess | null = null;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let api: ApiClient;
let apiSession: string;
let accounts: string[]; // account numbers of households owing ≥ ¥500

const url = () => `http://127.0.0.1:${port}`;

/** expect.poll with room for a loaded CI box (the default is 1 s). */
const poll = <T>(fn: () => T | Promise<T>, o: { timeout?: number } = {}) =>
  expect.poll(fn, { timeout: 10_000, ...o });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

function hostEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env))
    if (k.startsWith('CASHIER_PRINTER') || k.startsWith('CASHIER_CARD') || k === 'CASHIER_PORT')
      delete env[k];
  return env;
}

/** The plain-Node host as the counter runs it, with the card terminal on the pty's ECR end. */
async function startHostProcess(): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'src-main/host/main.ts'),
      '--db',
      dbFile,
      '--port',
      String(port),
      '--static',
      staticDir,
      '--card-terminal',
      pty.ecr,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: hostEnv() },
  );
  host = child;
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start: ${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited (${code}): ${out}`));
    });
  });
  expect(out).toContain(`ZVT ${pty.ecr} 9600 8N2`);
}

async function killHost(): Promise<void> {
  const child = host;
  host = null;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function must<N extends CommandName>(
  name: N,
  input: Record<string, unknown>,
): Promise<CommandOutput<N>> {
  const r = await api.invoke(name, input as never, { timeoutMs: 60_000 });
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message.en}`);
  return r.value as CommandOutput<N>;
}

async function screenIs(name: string) {
  await poll(() => page.locator('.shell').getAttribute('data-screen')).toBe(name);
}

/** Screenshot in zh-CN; with `en`, also in English (F10 twice: not while the terminal runs). */
async function shoot(name: string, en = false) {
  await page.waitForTimeout(150);
  await screenshot(page, `card-${name}`, 'zh-CN');
  if (!en) return;
  await page.keyboard.press('F10');
  await poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
  await page.waitForTimeout(100);
  await screenshot(page, `card-${name}`, 'en');
  await page.keyboard.press('F10');
  await poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
}

/** Search → account → payment of `amount` yuan, all of it by card (F7 adds the card tender). */
async function cardPayment(accountNo: string, amount: string) {
  await page.keyboard.press('F2');
  await screenIs('search');
  const box = page.locator('input[name="search"]');
  await box.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(accountNo);
  await poll(() => page.getByTestId('search-results').getAttribute('data-query')).toBe(accountNo);
  await page.keyboard.press('Enter');
  await screenIs('account');
  await page.keyboard.press('F3');
  await screenIs('payment');
  await page.locator('input[name="amount"]').focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(amount);
  await page.keyboard.press('F7'); // a card tender: on the terminal by default
  await poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
    'tender-2-amount',
  );
  await page.keyboard.type(amount);
  await page.getByTestId('card-on-terminal').waitFor();
  expect(await page.locator('select[name="tender-2-cardmode"]').inputValue()).toBe('terminal');
}

const ledger = async () => ({
  events: (await must('terminal.info', {})).eventCount,
  card: await must('card.report', { session: apiSession }),
});

beforeAll(async () => {
  tmp = tempDir('card-e2e-');
  dbFile = join(tmp.dir, 'ledger.db');
  journal = join(tmp.dir, 'terminal-journal.json');
  staticDir = join(tmp.dir, 'renderer');
  buildRenderer(staticDir);
  const t = openTestTerminal(dbFile, { households: 60 });
  const s = await t.login();
  await t.must('shift.open', { session: s, openingFloatFen: 0 });
  accounts = householdsOwing(t, 50_000, 4).map(
    (id) =>
      (
        t.ctx.db.prepare('SELECT account_no FROM households WHERE id = ?').get(id) as {
          account_no: string;
        }
      ).account_no,
  );
  t.close();
  expect(accounts).toHaveLength(4);
  pty = await startPtyPair(tmp.dir);
  // Each terminal step takes 0.6 s (room to see the texts); the 4th sale waits 3 s on "insert card".
  sim = await startSimulator(pty.pt, journal, {
    stepMs: 600,
    faults: [{ on: 'sale', nth: 4, fault: 'slow', ms: 3000 }],
  });
  port = await freePort();
  await startHostProcess();
  api = createWebSocketClient(`ws://127.0.0.1:${port}/api`, {
    WebSocket: WS as unknown as WebSocketConstructor,
  });
  apiSession = (await must('session.login', { clerkCode: '1001', pin: '123456' })).session;
  browser = await launchBrowser();
  page = browser.page;
}, 240_000);

afterAll(async () => {
  api?.close();
  await browser?.close();
  await killHost();
  await pty?.kill();
  tmp?.cleanup();
});

describe(
  'card payments on the terminal (Chromium, real host, socat pty, ZVT simulator)',
  { timeout: 180_000 },
  () => {
    it('logs in; the status bar shows the card terminal connected', async () => {
      await page.goto(`${url()}/`);
      await poll(() => page.getByTestId('connection').textContent()).toBe('已连接');
      await page.keyboard.type('1001');
      await page.keyboard.press('Tab');
      await page.keyboard.type('123456');
      await page.keyboard.press('Enter');
      await screenIs('search');
      await poll(() => page.getByTestId('status-card').getAttribute('data-state')).toBe('ready');
      expect(await page.getByTestId('status-card').innerText()).toContain('就绪');
      await expect(page.getByTestId('card-recovery').count()).resolves.toBe(0);
    });

    it('approve: the terminal texts show live, the receipt carries the masked PAN and terminal data', async () => {
      const before = await ledger();
      await cardPayment(accounts[0]!, '258.00');
      // The terminal shows each text until the test lets it go on: a text lasts as long as the test
      // looks at it (on a loaded machine a 0.6 s text could end, and the sale be approved, while
      // the test was still taking the previous screenshot: then the live panel had rightly gone).
      sim.sim.holdSteps();
      await page.keyboard.press('Enter');
      sim.sim.releaseStep(); // → "insert card"
      const live = page.getByTestId('card-live-text');
      await poll(() => live.innerText(), { timeout: 15_000 }).toContain('请插卡');
      await poll(() => page.getByTestId('status-card').getAttribute('data-state')).toBe('busy');
      await shoot('01-live-insert-card');
      sim.sim.releaseStep(); // → "watch the PIN pad"
      await poll(() => live.innerText(), { timeout: 15_000 }).toContain('密码键盘');
      // the earlier text stays readable below the live one
      expect(await page.getByTestId('card-live-history').innerText()).toContain('请插卡');
      await shoot('02-live-pin');
      sim.sim.runFreely(); // the bank's host, then the approval
      await screenIs('success');
      const facts = page.getByTestId('card-facts');
      await facts.waitFor();
      const text = await facts.innerText();
      expect(text).toContain('622588******1234');
      expect(text).toContain('刷卡机联机');
      const label = await page.getByTestId('success-receipt').innerText();
      expect(await page.getByTestId('receipt-preview').innerText()).toContain('622588******1234');
      await shoot('03-approved', true);
      const receipt = await must('receipt.find', { session: apiSession, receiptLabel: label });
      expect(receipt.totalFen).toBe(25_800);
      expect(receipt.tenders).toHaveLength(1);
      const d = receipt.tenders[0]!.detail;
      expect(receipt.tenders[0]!.kind).toBe('card');
      expect(d).toMatchObject({ mode: 'terminal', maskedPan: '622588******1234' });
      const tx = readJournal(journal).transactions.at(-1)!;
      expect(d.authCode).toBe(tx.authCode);
      expect(d.traceNo).toBe(tx.traceNo);
      expect(d.terminalReceiptNo).toBe(tx.receiptNo);
      expect(JSON.stringify(receipt)).not.toMatch(/622588\d{6}1234/); // never a full PAN
      const after = await ledger();
      expect(after.card.terminalFen - before.card.terminalFen).toBe(25_800);
      await page.keyboard.press('Enter'); // next household
      await screenIs('search');
    });

    it('decline (¥x.13): a clear message with the next steps, nothing recorded, ledger unchanged', async () => {
      const before = await ledger();
      await cardPayment(accounts[1]!, '100.13');
      await page.keyboard.press('Enter');
      const result = page.getByTestId('card-result');
      await result.waitFor({ timeout: 20_000 });
      expect(await result.getAttribute('data-phase')).toBe('declined');
      const text = await result.innerText();
      expect(text).toContain('刷卡未成功，未收费');
      expect(text).toContain('改用其他支付方式');
      expect(text).toContain('手工登记');
      expect(await page.getByTestId('card-terminal-message').innerText()).not.toBe('');
      await screenIs('payment');
      await shoot('04-declined', true);
      expect(await ledger()).toEqual(before);
      expect(readJournal(journal).transactions.at(-1)).toMatchObject({
        amountMinor: 10_013,
        status: 'declined',
      });
      expect((await must('card.pending', { session: apiSession })).payments).toEqual([]);
      await page.keyboard.press('Escape'); // back, nothing charged
      await screenIs('account');
    });

    it('clerk abort: Esc while the terminal waits for the card sends abort; nothing recorded', async () => {
      const before = await ledger();
      const sales = readJournal(journal).transactions.length;
      await cardPayment(accounts[2]!, '50.99'); // the simulator waits 10 s on "insert card"
      await page.keyboard.press('Enter');
      await poll(() => page.getByTestId('card-live-text').innerText(), {
        timeout: 15_000,
      }).toContain('请插卡');
      await shoot('05-before-abort');
      await page.keyboard.press('Escape'); // the terminal may answer before a screenshot could show "cancel requested"
      const result = page.getByTestId('card-result');
      await result.waitFor({ timeout: 20_000 });
      // Only an abort makes the simulator answer 6C (¥x.99 is otherwise approved after 10 s).
      expect(await page.getByTestId('card-terminal-message').innerText()).toContain('交易已取消');
      await shoot('06-aborted');
      expect(await ledger()).toEqual(before);
      expect(readJournal(journal).transactions.length).toBe(sales); // the terminal charged nothing
      await screenIs('payment');
    });

    it('recovery: host killed mid-sale, terminal approves anyway → dialog with the facts → exactly one receipt', async () => {
      const before = await ledger();
      await cardPayment(accounts[3]!, '77.00');
      await page.keyboard.press('Enter');
      await poll(() => page.getByTestId('card-live-text').innerText(), {
        timeout: 15_000,
      }).toContain('请插卡');
      await killHost(); // the app dies while the customer is at the terminal
      await poll(() => page.getByTestId('connection').getAttribute('class')).toContain(
        'connection-closed',
      );
      // The terminal carries on with the card and approves; wait until it is idle again.
      await poll(() => readJournal(journal).transactions.length, { timeout: 30_000 }).toBe(3);
      await poll(() => sim.sim.busy, { timeout: 60_000 }).toBe(false);
      expect(readJournal(journal).transactions.at(-1)).toMatchObject({
        amountMinor: 7700,
        status: 'approved',
      });
      await startHostProcess();
      // The page reconnects by itself; the recovery dialog queries the terminal and shows its facts.
      const dialog = page.getByTestId('card-recovery');
      await dialog.waitFor({ timeout: 30_000 });
      const facts = page.getByTestId('card-recovery-facts');
      await facts.waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('card-recovery-terminal').innerText()).toContain('¥77.00');
      expect(await facts.innerText()).toContain('622588******1234');
      expect(await page.getByTestId('card-recovery-record').isEnabled()).toBe(true);
      expect(await page.getByTestId('card-recovery-reverse').isEnabled()).toBe(true);
      expect(await page.getByTestId('card-recovery-fail').isEnabled()).toBe(false);
      await poll(() => page.getByTestId('status-card').getAttribute('data-state')).toBe('error');
      await shoot('07-recovery-dialog');
      await page.keyboard.press('F5'); // record as paid
      const done = page.getByTestId('card-recovery-done');
      await done.waitFor({ timeout: 30_000 });
      expect(await done.getAttribute('data-state')).toBe('completed');
      await shoot('08-recovery-recorded');
      await page.keyboard.press('Enter'); // close
      await poll(() => page.getByTestId('card-recovery').count()).toBe(0);
      // Exactly one receipt for the recovered payment; the books match the terminal.
      const after = await ledger();
      expect(after.card.terminalCount - before.card.terminalCount).toBe(1);
      expect(after.card.terminalFen - before.card.terminalFen).toBe(7700);
      expect(after.card.unresolved).toBe(0);
      expect(after.card.terminalFen).toBe(approvedTotal(readJournal(journal)));
      expect(after.card.terminalFen).toBe(25_800 + 7700);
      // Nothing is left to resolve; the terminal reads ready again.
      expect((await must('card.pending', { session: apiSession })).payments).toEqual([]);
      await poll(() => page.getByTestId('status-card').getAttribute('data-state')).toBe('ready');
    });

    it('manual entry (standalone terminal): reference + auth code, receipt marked manual', async () => {
      const before = await ledger();
      await cardPayment(accounts[1]!, '120.00');
      await page.keyboard.press('Tab'); // 刷卡方式
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
        'tender-2-cardmode',
      );
      await page.keyboard.press('ArrowDown'); // 手工登记
      await poll(() => page.locator('select[name="tender-2-cardmode"]').inputValue()).toBe(
        'manual',
      );
      await page.keyboard.press('Tab'); // 刷卡参考号
      await page.keyboard.press('Enter'); // no reference yet: refused before anything is sent
      await poll(() => page.getByTestId('problem').count()).toBeGreaterThan(0);
      expect(await page.locator('.payment-right').innerText()).toContain('缺少授权码');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
        'tender-2-ref',
      );
      await page.keyboard.type('POS900001');
      await page.keyboard.press('Tab');
      await page.keyboard.type('654321');
      await shoot('09-manual-entry');
      await page.keyboard.press('Enter');
      await screenIs('success');
      const facts = page.getByTestId('card-facts');
      expect(await facts.getAttribute('data-mode')).toBe('manual');
      expect(await page.getByTestId('receipt-preview').innerText()).toContain('手工');
      await shoot('10-manual-success');
      const label = await page.getByTestId('success-receipt').innerText();
      const receipt = await must('receipt.find', { session: apiSession, receiptLabel: label });
      expect(receipt.tenders[0]!.detail).toMatchObject({ mode: 'manual', authCode: '654321' });
      const after = await ledger();
      expect(after.card.manualFen - before.card.manualFen).toBe(12_000);
      expect(after.card.terminalFen).toBe(before.card.terminalFen);
      expect(readJournal(journal).transactions.length).toBe(3); // the terminal was not involved
      await page.keyboard.press('Enter');
      await screenIs('search');
    });

    it('terminal unplugged (socat killed): status offline, a card payment says so, nothing recorded', async () => {
      await pty.kill();
      await poll(() => page.getByTestId('status-card').getAttribute('data-state'), {
        timeout: 20_000,
      }).toBe('offline');
      const before = await ledger();
      await cardPayment(accounts[0]!, '30.00');
      await page.keyboard.press('Enter');
      const result = page.getByTestId('card-result');
      await result.waitFor({ timeout: 20_000 });
      expect(await result.getAttribute('data-phase')).toBe('failed');
      expect(await result.innerText()).toContain('检查刷卡机电源和串口线');
      expect(await page.getByTestId('error').getAttribute('data-code')).toBe(
        'CARD_TERMINAL_OFFLINE',
      );
      await page.keyboard.press('F5'); // reconnect: the line is still gone
      await page.getByTestId('card-reconnect-note').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('card-reconnect-note').innerText()).toContain(
        '仍无法连接刷卡机',
      );
      await shoot('11-unplugged', true);
      expect(await ledger()).toEqual(before);
    });
  },
);
