// Dunning at the counter, keyboard first, in headless Chromium against the plain-Node host with the
// TCP virtual printer: F9 → 催缴 list → F6 prints a dunning notice; the CODE128 barcode read back from
// the printed bytes, typed into the search box at scanner speed + Enter, opens that household (with
// its blacklist / legal-action banners). Also: contact log, service log, import with a bad file and
// a good one (progress + row-level report), collector report. Screenshots in zh-CN and en.
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EscPosPrinter } from '../../src-main/devices/printer/printer';
import { VirtualPrinter } from '../../src-main/devices/printer/virtual-printer';
import { attachPrintQueue, detachPrintQueue } from '../../src-main/features/printing/print-queue';
import { barcodesIn } from '../support/barcode';
import { tempDir } from '../support/terminal';
import { focusedName, screenshot, startCounter, type Counter } from './support';

let c: Counter;
let page: Page;
let vp: VirtualPrinter;
let api: string;
const files = tempDir('cashier-e2e-import-');

beforeAll(async () => {
  c = await startCounter({ households: 60 });
  page = c.page;
  vp = new VirtualPrinter();
  await vp.start(0);
  attachPrintQueue(c.terminal.ctx, new EscPosPrinter({ interface: vp.url, timeoutMs: 800 }), {
    pollMs: 60_000,
  });
  api = await c.terminal.login('1001', '123456');
  await c.terminal.must('shift.open', { session: api, openingFloatFen: 20_000 });
}, 180_000);

afterAll(async () => {
  await detachPrintQueue(c.terminal.ctx);
  await vp?.stop();
  await c?.close();
  files.cleanup();
});

async function screenIs(name: string) {
  await expect.poll(() => page.locator('.shell').getAttribute('data-screen')).toBe(name);
}

async function login(code: string, pin: string, landing = 'search') {
  await page.goto(`${c.host.url}/`);
  await expect.poll(() => focusedName(page)).toBe('clerkCode');
  await page.keyboard.type(code);
  await page.keyboard.press('Tab');
  await page.keyboard.type(pin);
  await page.keyboard.press('Enter');
  await screenIs(landing);
}

/** F9, then the entry's number key (as the clerk would). */
async function openTool(id: string) {
  await page.keyboard.press('F9');
  await screenIs('menu');
  const number = (await page.getByTestId(`menu-${id}`).locator('kbd').innerText()).trim();
  for (const digit of number) await page.keyboard.press(digit); // "10": 1 then 0
  await screenIs('tool');
}

async function bothLanguages(name: string) {
  await screenshot(page, name, 'zh-CN');
  await page.keyboard.press('F10');
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
  await screenshot(page, name, 'en');
  await page.keyboard.press('F10');
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
}

describe('dunning notice → barcode → scanned back into the search box', () => {
  it('prints the notice of the biggest debtor; its barcode opens that household', async () => {
    const top = (
      await c.terminal.must('dunning.list', { session: api, minSeasonsOverdue: 1, limit: 1 })
    ).rows[0]!;
    await c.terminal.must('dunning.flag', {
      session: api,
      householdId: top.household.id,
      flag: 'blacklisted',
      value: true,
      reason: '连续三年欠费',
      supervisorCode: '9001',
      supervisorPin: '888888',
    });
    await login('1001', '123456');
    await openTool('dunning');
    await expect.poll(() => focusedName(page)).toBe('community');
    await page.keyboard.press('Enter'); // default filters: owing, ≥ 1 season overdue
    await page.getByTestId('dunning-rows').waitFor();
    const first = page.locator('[data-testid="dunning-rows"] tbody tr').first();
    expect(await first.getAttribute('data-account')).toBe(top.household.accountNo);
    expect(await first.innerText()).toContain('黑名单');
    await bothLanguages('40-dunning-list');

    const before = vp.jobs.length;
    await page.keyboard.press('F6');
    await expect.poll(() => page.getByTestId('dunning-note').innerText()).toContain('催缴通知单');
    await expect.poll(() => vp.jobs.length, { timeout: 15_000 }).toBe(before + 1);
    const job = vp.jobs[before]!;
    expect(job.cut).toBe(true);
    expect(job.text).toContain(top.household.accountNo);
    const codes = barcodesIn(job.bytes);
    expect(codes).toEqual([{ type: 'CODE128', text: top.household.accountNo }]);

    // contact log: F5 opens the household, the channel select has the focus; note + Enter saves
    await page.keyboard.press('F5');
    await page.getByTestId('dunning-household').waitFor();
    await expect.poll(() => focusedName(page)).toBe('channel');
    await page.keyboard.press('ArrowDown'); // 短信
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown'); // 无人接听
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedName(page)).toBe('note');
    await page.keyboard.type('已发短信提醒');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('contact-rows').innerText()).toContain('已发短信提醒');
    expect(await page.getByTestId('blacklist-banner').isVisible()).toBe(true);
    const history = await c.terminal.must('dunning.history', {
      session: api,
      householdId: top.household.id,
    });
    expect(history.contacts[0]).toMatchObject({ channel: 'sms', outcome: 'no_answer' });
    expect(history.notices).toHaveLength(1);
    await bothLanguages('41-dunning-household');

    // back to the search box; the barcode scanner types the decoded text + Enter at wedge speed
    await page.keyboard.press('Escape');
    await page.getByTestId('dunning-rows').waitFor();
    await page.keyboard.press('Escape');
    await screenIs('menu');
    await page.keyboard.press('Escape');
    await screenIs('search');
    await expect.poll(() => focusedName(page)).toBe('search');
    await page.keyboard.type(codes[0]!.text, { delay: 0 });
    await page.keyboard.press('Enter');
    await screenIs('account');
    await expect
      .poll(() => page.getByTestId('account').innerText())
      .toContain(top.household.accountNo);
    expect(await page.getByTestId('blacklist-banner').isVisible()).toBe(true);
    await screenshot(page, '42-dunning-scanned-account', 'zh-CN');
  }, 120_000);
});

describe('service log, import, collector report', () => {
  it('records a temperature, a complaint and a valve lock from the service log screen', async () => {
    const acct = (await c.terminal.must('household.search', { session: api, query: '10000003' }))
      .results[0]!;
    await page.keyboard.press('Escape');
    await screenIs('search');
    await openTool('service-log');
    await expect.poll(() => focusedName(page)).toBe('account');
    await page.keyboard.type(acct.accountNo);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('service-household').innerText())
      .toContain(acct.accountNo);
    await page.locator('input[name="room"]').focus();
    await page.keyboard.type('主卧');
    await page.keyboard.press('Tab');
    await page.keyboard.type('16.5');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('temperature-rows').innerText()).toContain('16.5℃');
    await page.locator('input[name="complaint"]').focus();
    await page.keyboard.type('暖气不热');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('complaint-rows').innerText()).toContain('暖气不热');
    await page.locator('input[name="keyNo"]').fill('K-017');
    await page.getByTestId('valve-lock').click();
    await expect.poll(() => page.getByTestId('valve-rows').innerText()).toContain('K-017');
    const log = await c.terminal.must('service.log', { session: api, householdId: acct.id });
    expect(log).toMatchObject({ valveState: 'lock' });
    expect(log.temperatures[0]!.tenthsC).toBe(165);
    await bothLanguages('43-service-log');
    await page.keyboard.press('Escape');
    await screenIs('menu');
  }, 60_000);

  it('a supervisor imports: a file with bad rows imports nothing and lists them; a good one imports', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F12');
    // the clerk's shift is open, so the supervisor lands on the shift screen; F9 still opens the menu
    await login('9001', '888888', 'openShift');
    const header = [
      'account_no',
      'name',
      'phone',
      'community',
      'building',
      'unit',
      'room',
      'area_m2',
    ];
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('households');
    ws.addRow(header);
    ws.addRow(['66000001', '新住户甲', '', '滨河苑', '2', '1', '301', '88.8']);
    ws.addRow(['66000002', '', '', '滨河苑', '2', '1', '302', '八十']);
    ws.addRow(['66000001', '重复', '', '滨河苑', '2', '1', '303', '70']);
    const bad = join(files.dir, 'bad.xlsx');
    await wb.xlsx.writeFile(bad);
    const before = (
      c.terminal.ctx.db.prepare('SELECT count(*) AS n FROM households').get() as { n: number }
    ).n;
    await openTool('import');
    await page.getByTestId('import-file').setInputFiles(bad);
    await page.keyboard.press('F6');
    await page.getByTestId('import-errors').waitFor();
    const text = await page.getByTestId('import-errors').innerText();
    expect(text).toContain('3');
    expect(text).toContain('name');
    expect(text).toContain('area_m2');
    expect(text).toContain('duplicate of line 2');
    expect(
      (c.terminal.ctx.db.prepare('SELECT count(*) AS n FROM households').get() as { n: number }).n,
    ).toBe(before);
    await bothLanguages('44-import-rejected');

    const goodWb = new ExcelJS.Workbook();
    const goodWs = goodWb.addWorksheet('households');
    goodWs.addRow(header);
    goodWs.addRow(['66000001', '新住户甲', '', '滨河苑', '2', '1', '301', '88.8']);
    goodWs.addRow(['66000002', '新住户乙', '13800001234', '滨河苑', '2', '1', '302', '80']);
    const good = join(files.dir, 'good.xlsx');
    await goodWb.xlsx.writeFile(good);
    await page.getByTestId('import-file').setInputFiles(good);
    await page.keyboard.press('F6');
    await page.getByTestId('import-done').waitFor();
    expect(await page.getByTestId('import-progress').getAttribute('data-state')).toBe('done');
    await screenshot(page, '45-import-done', 'zh-CN');
    const found = await c.terminal.must('household.search', { session: api, query: '66000001' });
    expect(found.results[0]!.name).toBe('新住户甲');

    // the counter updates a phone; the same (stale) file again keeps the counter's phone and says so
    const second = (await c.terminal.must('household.search', { session: api, query: '66000002' }))
      .results[0]!;
    await c.terminal.must('household.update', {
      session: api,
      householdId: second.id,
      phone: '13900009999',
      reason: '户主来电更新',
    });
    const phoneOf = () =>
      (
        c.terminal.ctx.db.prepare('SELECT phone FROM households WHERE id = ?').get(second.id) as {
          phone: string;
        }
      ).phone;
    await page.getByTestId('import-file').setInputFiles(good);
    await page.keyboard.press('F6');
    await page.getByTestId('import-notices').waitFor();
    const notices = await page.getByTestId('import-notices').innerText();
    expect(notices).toContain('保留柜台的修改');
    expect(notices).toContain('phone');
    expect(notices).toContain('"13900009999"');
    expect(phoneOf()).toBe('13900009999');
    await bothLanguages('46-import-counter-edit-kept');
    // told to let the file win
    await page.getByTestId('import-overwrite').check();
    await page.getByTestId('import-file').setInputFiles(good);
    await page.keyboard.press('F6');
    await expect
      .poll(async () => page.getByTestId('import-notices').innerText())
      .toContain('已按文件覆盖');
    expect(phoneOf()).toBe('13800001234');
    await page.keyboard.press('Escape');
    await screenIs('menu');
  }, 60_000);

  it('shows the collector report of the month', async () => {
    const owing = (await c.terminal.must('dunning.list', { session: api, limit: 1 })).rows[0]!;
    await c.terminal.must('payment.take', {
      session: api,
      requestId: crypto.randomUUID(),
      householdId: owing.household.id,
      amountFen: 12_345,
      tenders: [{ kind: 'cash', amountFen: 12_345, tenderedFen: 20_000 }],
    });
    await openTool('collector');
    await page.getByTestId('collector-rows').waitFor();
    await expect.poll(() => page.getByTestId('collector-rows').innerText()).toContain('¥123.45');
    await bothLanguages('46-collector');
    expect(c.problems.filter((p) => !p.includes('favicon'))).toEqual([]);
  }, 60_000);
});
