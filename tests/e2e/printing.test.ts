// Printing end to end in headless Chromium: the host runs with the TCP virtual printer attached
// (as `npm run start:web` with a printer set up does: saved settings + startPrinting). A clerk takes
// a cash payment by keyboard → the receipt arrives at the virtual printer (decoded text: receipt
// no., 大写, QR data) and the status bar says the printer is ready. Paper runs out in the middle of
// the next receipt → the payment still commits; the supervisor's printer screen (F9) shows the
// customer copy with an unknown outcome and the stub waiting, both with the reason 缺纸. Paper
// loaded → F5 prints the stub as the original; F7 prints the customer copy as 补打 (never twice
// silently). Settings changed on the screen take effect at once (test page with the new name).
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrinting } from '../../src-main/app/printer';
import type { CommandOutput } from '@heating-cashier/core/contract/commands';
import { toChineseUppercase } from '@heating-cashier/core/chinese-amount';
import { formatFen } from '@heating-cashier/core/money';
import { VirtualPrinter, type VirtualJob } from '../../src-main/devices/printer/virtual-printer';
import { startHost, type Host } from '../../src-main/host/server';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';
import { buildRenderer, focusedName, launchBrowser, screenshot } from './support';

let dir: ReturnType<typeof tempDir>;
let terminal: TestTerminal;
let host: Host;
let vp: VirtualPrinter;
let printing: { stop(): Promise<void> };
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let api: string;
type Account = CommandOutput<'household.account'>;
let first: Account;
let second: Account;

beforeAll(async () => {
  dir = tempDir('cashier-e2e-printing-');
  const staticDir = join(dir.dir, 'renderer');
  buildRenderer(staticDir);
  terminal = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 40 });
  vp = new VirtualPrinter();
  await vp.start(0);
  api = await terminal.login('1001', '123456');
  await terminal.must('printer.settings.set', {
    session: api,
    supervisorCode: '9001',
    supervisorPin: '888888',
    interface: vp.url,
    width: 48,
    encoding: 'gb18030',
    companyName: '阳光热力有限公司',
    drawerKick: '1b 70 00 19 fa',
    receiptParts: 3,
  });
  printing = startPrinting(terminal.ctx);
  host = await startHost({ ctx: terminal.ctx, port: 0, staticDir });
  browser = await launchBrowser();
  page = browser.page;
  const owing: Account[] = [];
  for (let i = 1; i <= 40 && owing.length < 2; i++) {
    const a = await terminal.must('household.account', {
      session: api,
      householdId: `H${10000000 + i}`,
    });
    if (a.owedFen > 10_000) owing.push(a);
  }
  [first, second] = owing as [Account, Account];
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await printing?.stop();
  await vp?.stop();
  terminal?.close();
  dir?.cleanup();
});

async function screenIs(name: string) {
  await expect.poll(() => page.locator('.shell').getAttribute('data-screen')).toBe(name);
}

async function jobsArriving(n: number, timeoutMs = 15_000): Promise<VirtualJob[]> {
  const start = vp.jobs.length;
  const deadline = Date.now() + timeoutMs;
  while (vp.jobs.length < start + n && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return vp.jobs.slice(start);
}

async function login(code: string, pin: string) {
  await page.goto(`${host.url}/`);
  await expect.poll(() => focusedName(page)).toBe('clerkCode');
  await page.keyboard.type(code);
  await page.keyboard.press('Tab');
  await page.keyboard.type(pin);
  await page.keyboard.press('Enter');
}

/** Account no. + Enter, Enter, the exact cash + Enter → the success screen's receipt label. */
async function payCash(a: Account): Promise<string> {
  const box = page.locator('input[name="search"]');
  await box.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(a.household.accountNo);
  await expect
    .poll(() => page.getByTestId('search-results').getAttribute('data-query'))
    .toBe(a.household.accountNo);
  await page.keyboard.press('Enter');
  await screenIs('account');
  await page.keyboard.press('Enter');
  await screenIs('payment');
  await page.keyboard.type(formatFen(a.owedFen, '').replaceAll(',', ''));
  await page.keyboard.press('Enter');
  await screenIs('success');
  return page.getByTestId('success-receipt').innerText();
}

function printerState() {
  return page.getByTestId('status-printer').getAttribute('data-state');
}

describe('printing with the TCP virtual printer attached', () => {
  it('a cash payment prints: receipt no., 大写, QR, drawer; the status bar says ready', async () => {
    await login('1001', '123456');
    await screenIs('openShift');
    await page.keyboard.type('500');
    await page.keyboard.press('Enter');
    await screenIs('search');
    await expect.poll(printerState, { timeout: 15_000 }).toBe('ready');

    const arriving = jobsArriving(3);
    const label = await payCash(first);
    const [customer, stub, accounting] = await arriving;
    const receipt = await terminal.must('receipt.find', { session: api, receiptLabel: label });
    expect(customer?.cut).toBe(true);
    expect(customer?.text).toContain(label);
    expect(customer?.text).toContain(first.household.accountNo);
    expect(customer?.text).toContain(`大写：${toChineseUppercase(first.owedFen)}`);
    expect(customer?.text).toContain(formatFen(first.owedFen, '￥'));
    expect(customer?.text).toContain('第一联 客户联');
    expect(receipt.paperCode).toMatch(
      new RegExp(`^HC2\\.[^.]+\\.\\d+\\.${label}\\.${first.owedFen}\\.`),
    );
    expect(customer?.qrCodes.map((q) => q.data)).toEqual([receipt.paperCode]);
    expect(customer?.drawerPulses).toHaveLength(1);
    expect(stub?.text).toContain('第二联 存根联');
    // 一式三联: the accounting copy (记账联) prints too, with the same receipt no.
    expect(accounting?.text).toContain('第三联 记账联');
    expect(accounting?.text).toContain(label);
    expect(accounting?.drawerPulses).toHaveLength(0);
    await expect.poll(printerState, { timeout: 15_000 }).toBe('ready');
    expect(await page.getByTestId('printer-note').innerText()).toContain('打印机就绪');
    await screenshot(page, '30-printed', 'zh-CN');
    await page.keyboard.press('Enter');
    await screenIs('search');
  });

  it('paper out mid-receipt: the payment commits, the queue shows why; retry and 补打 print', async () => {
    vp.applyFault('paper-out-mid-job', 600);
    const arriving = jobsArriving(1);
    const label = await payCash(second);
    const receipt = await terminal.must('receipt.find', { session: api, receiptLabel: label });
    expect(receipt.totalFen).toBe(second.owedFen);
    const [cut] = await arriving;
    expect(cut?.interrupted).toBe('paper out');
    await expect.poll(printerState, { timeout: 15_000 }).toBe('paper_out');
    expect(await page.getByTestId('status-printer').innerText()).toContain('缺纸');
    expect(await page.getByTestId('status-printer').getAttribute('title')).toContain('请补打');
    await screenshot(page, '31-paper-out-success', 'zh-CN');
    const owed = await terminal.must('household.account', {
      session: api,
      householdId: second.household.id,
    });
    expect(owed.owedFen).toBe(0);

    // The supervisor's screen: F9 → printer settings & queue.
    await page.keyboard.press('F12');
    await screenIs('login');
    await login('9001', '888888');
    await expect.poll(() => page.locator('.shell').getAttribute('data-screen')).not.toBe('login');
    await page.keyboard.press('F9');
    await screenIs('menu');
    await page.getByTestId('menu-printer').click();
    await page.getByTestId('printer-settings').waitFor();
    await expect
      .poll(() => page.getByTestId('printer-state').getAttribute('data-state'))
      .toBe('paper_out');
    const rows = page.getByTestId('print-job');
    const customerRow = rows.filter({ hasText: `${label} 客户联` });
    const stubRow = rows.filter({ hasText: `${label} 存根联` });
    const accountingRow = rows.filter({ hasText: `${label} 记账联` });
    await expect.poll(() => customerRow.getAttribute('data-state')).toBe('unknown');
    expect(await customerRow.getAttribute('data-reason')).toBe('paper_out');
    expect(await customerRow.innerText()).toContain('结果不明，请补打');
    expect(await customerRow.innerText()).toContain('缺纸');
    await expect.poll(() => stubRow.getAttribute('data-state')).toBe('queued');
    expect(await stubRow.innerText()).toContain('缺纸');
    expect(await accountingRow.getAttribute('data-state')).toBe('queued');
    expect(await page.getByTestId('printer-waiting').innerText()).toContain('待打印 2 张');
    await screenshot(page, '32-printer-queue-paper-out', 'zh-CN');

    // Paper loaded: F5 prints what never reached the printer, as the original.
    vp.clearFaults();
    const retried = jobsArriving(2);
    await page.keyboard.press('F5');
    const [stubJob, accountingJob] = await retried;
    expect(stubJob?.text).toContain('第二联 存根联');
    expect(stubJob?.text).not.toContain('补');
    expect(accountingJob?.text).toContain('第三联 记账联');
    expect(accountingJob?.text).not.toContain('补');
    await expect.poll(() => stubRow.getAttribute('data-state')).toBe('done');
    await expect.poll(() => accountingRow.getAttribute('data-state')).toBe('done');
    // The customer copy was NOT retried silently.
    expect(await customerRow.getAttribute('data-state')).toBe('unknown');
    expect(
      vp.jobs.filter((j) => j.text.includes('第一联 客户联') && j.text.includes(label)),
    ).toHaveLength(1);

    // F7: 补打 of the selected job (the unknown one), with the counter.
    const reprinted = jobsArriving(1);
    await page.keyboard.press('F7');
    const [copy] = await reprinted;
    expect(copy?.text).toContain(label);
    expect(copy?.text).toContain('补  打');
    expect(copy?.text).toContain('第  1 次');
    expect(copy?.cut).toBe(true);
    await expect.poll(() => customerRow.getAttribute('data-state')).toBe('superseded');
    await expect
      .poll(() => page.getByTestId('printer-notice').innerText())
      .toContain(`${label} 补打`);
    await expect
      .poll(() => page.getByTestId('printer-state').getAttribute('data-state'))
      .toBe('ready');
    await expect.poll(printerState, { timeout: 15_000 }).toBe('ready');
    expect(
      (await terminal.must('receipt.find', { session: api, receiptLabel: label })).reprintCount,
    ).toBe(1);
    await screenshot(page, '33-printer-queue-reprinted', 'zh-CN');
  });

  it('settings saved on the screen take effect at once: test page with the new company name', async () => {
    const company = page.locator('input[name="companyName"]');
    await company.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('新城供热公司');
    await page.keyboard.press('F3'); // no PIN yet: refused with what to do
    expect(await page.getByTestId('problem').innerText()).toContain('请输入主管密码');
    await page.locator('input[name="supervisorPin"]').focus();
    await page.keyboard.type('888888');
    await page.keyboard.press('F3');
    await expect.poll(() => page.getByTestId('printer-notice').innerText()).toContain('立即生效');
    expect((await terminal.must('printer.settings.get', { session: api })).companyName).toBe(
      '新城供热公司',
    );
    const arriving = jobsArriving(1);
    await page.keyboard.press('F6');
    const [test] = await arriving;
    expect(test?.text).toContain('新城供热公司');
    expect(test?.text).toContain(vp.url.replace('tcp://', ''));
    await expect.poll(printerState, { timeout: 15_000 }).toBe('ready');
    await page.waitForTimeout(300);
    await screenshot(page, '34-printer-settings', 'zh-CN');
    await page.keyboard.press('F10');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.waitForTimeout(200);
    await screenshot(page, '34-printer-settings', 'en');
    await page.keyboard.press('F10');
    // Serial: device + baud fields (not saved here; the pty test covers serial printing).
    await page.getByTestId('printer-type').getByText('串口').click();
    await page.locator('input[name="printerBaud"]').waitFor();
    expect(await page.locator('input[name="printerBaud"]').inputValue()).toBe('9600');
    await screenshot(page, '35-printer-serial-form', 'zh-CN');
    expect(browser.problems).toEqual([]);
  });
});
