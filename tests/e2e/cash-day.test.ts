// A clerk's full day at the counter in headless Chromium, the plain-Node host with the TCP virtual
// printer and the Chromium PDF renderer attached: open the shift; 20 mixed payments — the first
// ones by keyboard on the payment screen (cash with change, a partial payment, card + cash, cash +
// cheque + QR), the rest through the command table with the same clerk (cash with change, card,
// QR, cheques, splits, partial); a void with the supervisor PIN; a safe drop and an X report from
// the F9 menu; F8 close: count by denomination with running totals, a variance above the limit,
// supervisor approval; the hand-in slip printed twice to the virtual printer (finance + clerk copy)
// with every figure checked to the fen against the oracle that reads only the raw events; the
// thermal preview and the A4 PDF (pdftotext); back to the open-shift screen. Then the supervisor's
// reports screen: daily by clerk and monthly with ECharts, Excel export, day closure (Z).
// Screenshots (zh-CN and en) go to tests/e2e/screenshots/cash-*.png.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { startPrinting } from '../../src-main/app/printer';
import type { CommandOutput } from '@heating-cashier/core/contract/commands';
import { chromiumPdfRenderer, findChromium } from '../../src-main/devices/pdf/chromium';
import type { PdfRenderer } from '../../src-main/devices/pdf/port';
import { VirtualPrinter, type VirtualJob } from '../../src-main/devices/printer/virtual-printer';
import { formatFen } from '@heating-cashier/core/money';
import { startHost, type Host } from '../../src-main/host/server';
import { oracleForShift } from '../integration/cash/oracle';
import {
  denominationsFor,
  openTestTerminal,
  tempDir,
  type TestTerminal,
} from '../support/terminal';
import { buildRenderer, focusedName, launchBrowser, screenshot } from './support';
import { pdfFirstPagePng, pdfText } from '../support/pdf';

type Account = CommandOutput<'household.account'>;
const SUPERVISOR = { supervisorCode: '9001', supervisorPin: '888888' };
const FLOAT_FEN = 50_000;
/** About ¥20 short (above the ¥10 limit), counted to 10 fen (the fen-coin rows stay blank). */
let SHORT_FEN = 2_000;

let dir: ReturnType<typeof tempDir>;
let terminal: TestTerminal;
let host: Host;
let vp: VirtualPrinter;
let printing: { stop(): Promise<void> };
let pdf: PdfRenderer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let api: string;
const owing: Account[] = [];
let shiftId = '';
const labels: string[] = [];

const yuan = (fen: number) => formatFen(fen, '').replaceAll(',', '');
const squeeze = (s: string) => s.replace(/\s+/g, '');

async function screenIs(name: string) {
  await expect.poll(() => page.locator('.shell').getAttribute('data-screen')).toBe(name);
}

/** Visible text outside ledger data that contains Han characters (nothing left untranslated in en). */
async function untranslatedText(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('.data, .lang-button, [data-key="F10"], script, style, svg')) continue;
      if (el.closest('[hidden]') || el.getClientRects().length === 0) continue;
      const text = n.textContent ?? '';
      if (/\p{Script=Han}/u.test(text)) out.push(text.trim());
    }
    return out;
  });
}

async function shoot(name: string, checkEnglish = true) {
  await page.waitForTimeout(200);
  await screenshot(page, `cash-${name}`, 'zh-CN');
  if (!checkEnglish) return;
  await page.keyboard.press('F10');
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
  await page.waitForTimeout(150);
  await screenshot(page, `cash-${name}`, 'en');
  expect(await untranslatedText(page), `untranslated text on ${name}`).toEqual([]);
  await page.keyboard.press('F10');
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
}

async function jobsArriving(n: number, timeoutMs = 20_000): Promise<VirtualJob[]> {
  const deadline = Date.now() + timeoutMs;
  const slips = () => vp.jobs.filter((j) => squeeze(j.text).includes('交款单'));
  while (slips().length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return slips();
}

/** The first job at the virtual printer whose text contains `marker` (blanks ignored). */
async function printedWith(marker: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = vp.jobs.find((j) => squeeze(j.text).includes(marker));
    if (job) return squeeze(job.text);
    if (Date.now() > deadline) throw new Error(`no job with ${marker}: ${vp.jobs.length} jobs`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function searchAndPay(a: Account) {
  await page.keyboard.press('F2');
  await screenIs('search');
  const box = page.locator('input[name="search"]');
  await box.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(a.household.accountNo);
  await page.keyboard.press('Enter');
  await screenIs('account');
  await expect.poll(() => page.getByTestId('household-name').innerText()).toBe(a.household.name);
  await page.keyboard.press('Enter');
  await screenIs('payment');
}

async function finishPayment() {
  await page.keyboard.press('Enter');
  await screenIs('success');
  labels.push(await page.getByTestId('success-receipt').innerText());
  await page.keyboard.press('Enter');
  await screenIs('search');
}

beforeAll(async () => {
  const chromium = findChromium();
  if (!chromium) throw new Error('Chromium is missing: apt-get install -y chromium fonts-noto-cjk');
  dir = tempDir('cashier-e2e-cash-');
  const staticDir = join(dir.dir, 'renderer');
  buildRenderer(staticDir);
  terminal = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 80 });
  vp = new VirtualPrinter();
  await vp.start(0);
  api = await terminal.login('1001', '123456');
  await terminal.must('printer.settings.set', {
    session: api,
    ...SUPERVISOR,
    interface: vp.url,
    width: 48,
    encoding: 'gb18030',
    companyName: '阳光热力有限公司',
    drawerKick: '1b 70 00 19 fa',
    printStub: false,
  });
  printing = startPrinting(terminal.ctx);
  pdf = chromiumPdfRenderer(chromium);
  terminal.ctx.runtime.documents.pdf = pdf;
  host = await startHost({ ctx: terminal.ctx, port: 0, staticDir });
  browser = await launchBrowser();
  page = browser.page;
  for (let i = 1; i <= 80 && owing.length < 24; i++) {
    const a = await terminal.must('household.account', {
      session: api,
      householdId: `H${10000000 + i}`,
    });
    if (a.owedFen > 40_000) owing.push(a);
  }
  expect(owing.length).toBeGreaterThanOrEqual(20);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await printing?.stop();
  await pdf?.close();
  await vp?.stop();
  terminal?.close();
  dir?.cleanup();
});

describe(
  "a clerk's day: payments, void, cash control, close with approval, slip printed twice",
  { timeout: 90_000 },
  () => {
    it('logs in and opens the shift with a float', async () => {
      await page.goto(`${host.url}/`);
      await expect.poll(() => page.getByTestId('connection').textContent()).toBe('已连接');
      await page.keyboard.type('1001');
      await page.keyboard.press('Tab');
      await page.keyboard.type('123456');
      await page.keyboard.press('Enter');
      await screenIs('openShift');
      await page.keyboard.type(yuan(FLOAT_FEN));
      await page.keyboard.press('Enter');
      await screenIs('search');
      const shift = (await terminal.must('shift.current', { session: api })).shift;
      expect(shift?.openingFloatFen).toBe(FLOAT_FEN);
      shiftId = shift!.id;
    });

    it('takes four payments by keyboard: cash with change, partial, card + cash, cash + cheque + QR', async () => {
      // 1. the full amount in cash, ¥100 notes: change given back
      const a = owing[0]!;
      await searchAndPay(a);
      await page.keyboard.type(yuan(Math.ceil((a.owedFen + 1) / 10_000) * 10_000));
      await finishPayment();
      // 2. partial: half of what is owed, exact cash
      const b = owing[1]!;
      await searchAndPay(b);
      await page.keyboard.press('Shift+Tab');
      await expect.poll(() => focusedName(page)).toBe('amount');
      await page.keyboard.press('Control+A');
      await page.keyboard.type(yuan(Math.floor(b.owedFen / 2)));
      await page.keyboard.press('Tab');
      await finishPayment();
      // 3. card (manual reference) + the rest in cash
      await searchAndPay(owing[2]!);
      await page.keyboard.press('F7');
      await expect.poll(() => focusedName(page)).toBe('tender-2-amount');
      await page.keyboard.type('200');
      await page.keyboard.press('Tab');
      await page.keyboard.type('POS000123');
      await finishPayment();
      // 4. cash + cheque ¥100 (pending) + WeChat ¥50
      await searchAndPay(owing[3]!);
      await page.keyboard.press('F7');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('ArrowDown');
      await expect
        .poll(() => page.locator('select[name="tender-2-kind"]').inputValue())
        .toBe('cheque');
      await page.keyboard.press('Tab');
      await page.keyboard.type('100');
      await page.keyboard.press('Tab');
      await page.keyboard.type('ZP0042');
      await page.keyboard.press('Tab');
      await page.keyboard.type('建设银行');
      await page.keyboard.press('F7');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => page.locator('select[name="tender-3-kind"]').inputValue()).toBe('qr');
      await page.keyboard.press('Tab');
      await page.keyboard.type('50');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.type('WX0001');
      await finishPayment();
      expect(labels).toHaveLength(4);
    });

    it('takes sixteen more payments of every kind through the command table (same clerk, same shift)', async () => {
      for (let i = 0; i < 16; i++) {
        const a = owing[4 + i]!;
        const amount = i % 5 === 4 ? Math.floor(a.owedFen / 3) : a.owedFen; // some partial
        const kinds = i % 6;
        const tenders =
          kinds === 0
            ? [{ kind: 'cash', amountFen: amount, tenderedFen: amount + 1_234 }]
            : kinds === 1
              ? [{ kind: 'card', amountFen: amount, terminalRef: `T${i}`, authCode: 'A1' }]
              : kinds === 2
                ? [{ kind: 'qr', amountFen: amount, channel: 'alipay', reference: `ALI${i}` }]
                : kinds === 3
                  ? [{ kind: 'cheque', amountFen: amount, chequeNo: `CQ${i}`, bank: '工商银行' }]
                  : kinds === 4
                    ? [
                        { kind: 'cash', amountFen: amount - 10_000, tenderedFen: amount - 5_000 },
                        { kind: 'card', amountFen: 10_000, terminalRef: `S${i}` },
                      ]
                    : [
                        { kind: 'qr', amountFen: 5_010, channel: 'transfer', reference: `TR${i}` },
                        { kind: 'cash', amountFen: amount - 5_010, tenderedFen: amount - 5_010 },
                      ];
        const r = await terminal.must('payment.take', {
          session: api,
          requestId: randomUUID(),
          householdId: a.household.id,
          amountFen: amount,
          tenders,
        } as never);
        labels.push(r.receiptLabel);
      }
      expect(labels).toHaveLength(20);
      const x = await terminal.must('shift.xReport', { session: api });
      expect(x.receiptCount).toBe(20);
    });

    it('voids a receipt with reason and supervisor PIN (F4, F8)', async () => {
      await page.keyboard.press('F4');
      await screenIs('receipt');
      await page.keyboard.type(labels[2]!);
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.getByTestId('receipt-preview').getAttribute('data-label'))
        .toBe(labels[2]);
      await page.keyboard.press('F8');
      await expect.poll(() => focusedName(page)).toBe('reason');
      await page.keyboard.type('客户改用现金');
      await page.keyboard.press('Tab');
      await page.keyboard.type('9001');
      await page.keyboard.press('Tab');
      await page.keyboard.type('888888');
      await page.keyboard.press('Enter');
      await page.getByTestId('receipt-done').waitFor();
      expect(
        (await terminal.must('receipt.find', { session: api, receiptLabel: labels[2]! })).voided,
      ).toBe(true);
      await page.keyboard.press('Escape');
    });

    it('records a safe drop and shows the X report from the F9 menu (the X report changes nothing)', async () => {
      await page.keyboard.press('F9');
      await screenIs('menu');
      await page.getByTestId('menu-cash-tools').click();
      await page.getByTestId('cash-tools').waitFor();
      await expect.poll(() => focusedName(page)).toBe('moveKind');
      await page.locator('select[name="moveKind"]').selectOption('safe_drop');
      await page.keyboard.press('Tab');
      await page.keyboard.type('300');
      await page.keyboard.press('Tab');
      await page.keyboard.type('大额现金存入保险柜');
      await page.keyboard.press('Enter');
      await page.getByTestId('tools-done').waitFor();
      await shoot('01-safe-drop');

      // F6: the next paper receipt jammed — its number is used up with a reason (no gap).
      await page.keyboard.press('F6');
      await expect.poll(() => focusedName(page)).toBe('reason');
      await page.keyboard.type('卡纸');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('tools-done').innerText()).toContain('A000021');
      // F7: the book goes back to the supervisor (stubs handed in; unused numbers return).
      await page.keyboard.press('F7');
      await expect.poll(() => focusedName(page)).toBe('supervisorCode');
      await page.keyboard.type('9001');
      await page.keyboard.press('Tab');
      await page.keyboard.type('888888');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('tools-done').innerText()).toContain('A');
      await shoot('01b-book-return');
      const x0 = await terminal.must('shift.xReport', { session: api });
      expect(x0.spoiled).toEqual([{ receiptLabel: 'A000021', reason: '卡纸' }]);
      expect(x0.books[0]).toMatchObject({ issued: 20, spoiled: 1, gaps: [] });
      expect((await terminal.must('shift.current', { session: api })).book).toBeNull();

      await page.keyboard.press('Escape');
      await screenIs('menu');
      const before = (await terminal.must('terminal.info', {})).eventCount;
      await page.getByTestId('menu-cash-x').click();
      await page.getByTestId('x-report').waitFor();
      const oracle = oracleForShift(terminal.ctx.db, shiftId);
      await expect
        .poll(() => page.getByTestId('x-collected').innerText())
        .toBe(formatFen(oracle.collectedFen));
      expect(await page.getByTestId('x-expected').innerText()).toBe(
        formatFen(oracle.expectedCashFen),
      );
      expect(await page.getByTestId('x-tender-cheque').innerText()).toBe(
        formatFen(oracle.chequesPendingFen),
      );
      await shoot('02-x-report');
      expect((await terminal.must('terminal.info', {})).eventCount).toBe(before);
      await page.keyboard.press('F7'); // print the X report
      await page.getByTestId('x-printed').waitFor();
      const x = await printedWith('X报表');
      expect(x).toContain(`收款合计${formatFen(oracle.collectedFen, '￥')}`);
      expect((await terminal.must('terminal.info', {})).eventCount).toBe(before);
    });

    let counted = 0;
    it('F8: counts by denomination with running totals, then explains a variance above the limit', async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F8');
      await page.getByTestId('close-shift').waitFor();
      await expect.poll(() => focusedName(page)).toBe('count-10000');
      const oracle = oracleForShift(terminal.ctx.db, shiftId);
      expect(await page.getByTestId('expected-cash').innerText()).toBe(
        formatFen(oracle.expectedCashFen),
      );
      counted = Math.floor((oracle.expectedCashFen - SHORT_FEN) / 10) * 10;
      SHORT_FEN = oracle.expectedCashFen - counted;
      const pieces = denominationsFor(counted);
      const faces = [10000, 5000, 2000, 1000, 500, 100, 50, 10, 5, 2, 1];
      for (const [i, face] of faces.entries()) {
        await expect.poll(() => focusedName(page)).toBe(`count-${face}`);
        if (pieces[String(face)]) await page.keyboard.type(String(pieces[String(face)]));
        if (face !== 1) await page.keyboard.press(i % 2 ? 'Tab' : 'Enter'); // both move on
      }
      await expect
        .poll(() => page.getByTestId('counted-total').innerText())
        .toBe(formatFen(counted));
      expect(await page.getByTestId('running-variance').innerText()).toBe(formatFen(-SHORT_FEN));
      expect(await page.getByTestId('tender-cheque').innerText()).toContain(
        formatFen(oracle.chequesPendingFen),
      );
      expect(await page.getByTestId('tender-card').innerText()).toContain(
        formatFen(oracle.byTender.card),
      );
      await shoot('03-close-count');

      await page.keyboard.press('Enter'); // on ¥0.01: to the check
      await expect
        .poll(() => page.getByTestId('close-shift').getAttribute('data-step'))
        .toBe('review');
      expect(await page.getByTestId('review-variance').innerText()).toBe(formatFen(-SHORT_FEN));
      const explained = await page.getByTestId('variance-explained').innerText();
      expect(explained).toContain(`短款 ${formatFen(SHORT_FEN)}`);
      expect(explained).toContain('超过允许差额');
      expect(await page.getByTestId('variance-formula').innerText()).toContain(
        formatFen(FLOAT_FEN),
      );
      await expect.poll(() => focusedName(page)).toBe('varianceReason');
      await shoot('04-close-review');
    });

    it('refuses the close without approval, then closes with reason + supervisor PIN', async () => {
      const before = (await terminal.must('terminal.info', {})).eventCount;
      await page.keyboard.press('Enter');
      expect(await page.getByTestId('problem').innerText()).toContain('主管');
      expect((await terminal.must('terminal.info', {})).eventCount).toBe(before);
      await page.keyboard.type('点钞短款，待查');
      await page.keyboard.press('Tab');
      await page.keyboard.type('9001');
      await page.keyboard.press('Tab');
      await page.keyboard.type('888888');
      await page.keyboard.press('Enter');
      await page.getByTestId('closed').waitFor();
      const slip = await terminal.must('shift.handInSlip', { session: api, shiftId });
      expect(slip.closedAt).not.toBeNull();
      expect(slip.cash.countedFen).toBe(counted);
      expect(slip.cash.varianceFen).toBe(-SHORT_FEN);
      expect(slip.approvals.map((a) => [a.action, a.approverName])).toContainEqual([
        'shift.variance',
        '李主管',
      ]);
    });

    it('prints the hand-in slip twice (财务联, 收费员联) with every figure equal to the oracle', async () => {
      const jobs = await jobsArriving(2);
      expect(jobs).toHaveLength(2);
      const oracle = oracleForShift(terminal.ctx.db, shiftId);
      const money = (fen: number) => formatFen(fen, '￥');
      const texts = jobs.map((j) => squeeze(j.text));
      expect(texts.some((t) => t.includes('第一联财务联'))).toBe(true);
      expect(texts.some((t) => t.includes('第二联收费员联'))).toBe(true);
      for (const text of texts) {
        expect(text).toContain('交款单');
        expect(text).toContain(`收据张数${oracle.receiptCount}张`);
        expect(text).toContain(`作废张数${oracle.voidCount}张`);
        expect(text).toContain(`备用金${money(FLOAT_FEN)}`);
        expect(text).toContain(`收款合计${money(oracle.collectedFen)}`);
        expect(text).toContain(`现金`);
        expect(text).toContain(money(oracle.byTender.cash));
        expect(text).toContain(money(oracle.byTender.card));
        expect(text).toContain(money(oracle.byTender.qr));
        expect(text).toContain(money(oracle.chequesPendingFen));
        expect(text).toContain(`应有现金${money(oracle.expectedCashFen)}`);
        expect(text).toContain(`实点现金${money(counted)}`);
        expect(text).toContain(`长短款-${money(SHORT_FEN)}`);
        expect(text).toContain('长短款审批：李主管');
        expect(text).toContain(`交款金额${money(counted - FLOAT_FEN)}`);
        expect(text).toContain(`${labels[0]}—${labels[19]}`);
        expect(jobs.every((j) => j.cut)).toBe(true);
      }
      await expect
        .poll(() => page.locator('[data-testid="slip-jobs"] li[data-state="done"]').count())
        .toBe(2);
    });

    it('shows the thermal preview of each copy and saves the A4 PDF', async () => {
      await page.getByTestId('slip-preview').waitFor();
      await shoot('05-close-done');
      await page.keyboard.press('F6'); // clerk copy
      await page.waitForTimeout(300);
      await screenshot(page, 'cash-06-close-done-clerk-copy', 'zh-CN');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.keyboard.press('F7'),
      ]);
      expect(download.suggestedFilename()).toMatch(/^hand-in-slip-\d{8}-[0-9A-F]{6}-clerk\.pdf$/);
      const file = join(dir.dir, download.suggestedFilename());
      await download.saveAs(file);
      expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
      const text = squeeze(pdfText(file));
      const oracle = oracleForShift(terminal.ctx.db, shiftId);
      for (const w of ['交款单', '收费员联', '收费员：', '财务：', '客户改用现金', 'ZP0042'])
        expect(text).toContain(w);
      for (const label of labels) expect(text).toContain(label);
      for (const fen of [oracle.collectedFen, oracle.expectedCashFen, counted, -SHORT_FEN])
        expect(text).toContain(formatFen(fen));
      pdfFirstPagePng(file, 'cash-07-a4-slip', 70);
    });

    it('Enter returns to the open-shift screen; the closed shift takes no payment', async () => {
      await page.keyboard.press('Enter');
      await screenIs('openShift');
      const r = await terminal.call('payment.take', {
        session: api,
        requestId: randomUUID(),
        householdId: owing[21]!.household.id,
        amountFen: 100,
        tenders: [{ kind: 'cash', amountFen: 100, tenderedFen: 100 }],
      });
      expect(r.ok).toBe(false);
    });

    it('supervisor: daily and monthly reports with charts, Excel export, day closure (Z)', async () => {
      await page.keyboard.press('F12');
      await screenIs('login');
      await expect.poll(() => focusedName(page)).toBe('clerkCode');
      await page.keyboard.type('9001');
      await page.keyboard.press('Tab');
      await page.keyboard.type('888888');
      await page.keyboard.press('Enter');
      await screenIs('openShift');
      await page.keyboard.press('F9');
      await screenIs('menu');
      await page.getByTestId('menu-cash-reports').click();
      await page.getByTestId('daily-report').waitFor();
      const oracle = oracleForShift(terminal.ctx.db, shiftId);
      await expect
        .poll(() => page.getByTestId('daily-total').innerText())
        .toContain(formatFen(oracle.collectedFen));
      await expect.poll(() => page.locator('[data-testid="chart-daily"] svg').count()).toBe(1);
      await shoot('08-reports-daily');

      await page.keyboard.press('F6');
      await page.getByTestId('monthly-report').waitFor();
      const month = (await terminal.must('terminal.info', {})).businessDate.slice(0, 7);
      const monthly = await terminal.must('report.monthly', { session: api, month });
      expect(monthly.total.collectedFen).toBe(oracle.collectedFen);
      await expect
        .poll(() => page.getByTestId('monthly-collected').innerText())
        .toBe(formatFen(oracle.collectedFen));
      for (const id of ['chart-tenders', 'chart-seasons', 'chart-communities'])
        await expect.poll(() => page.locator(`[data-testid="${id}"] svg`).count()).toBe(1);
      await shoot('09-reports-monthly');

      const [xlsx] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('F7')]);
      expect(xlsx.suggestedFilename()).toBe(`monthly-report-${month}.xlsx`);
      const xfile = join(dir.dir, xlsx.suggestedFilename());
      await xlsx.saveAs(xfile);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(xfile);
      const rows: unknown[][] = [];
      wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
      const total = rows.find((r) => r[0] === '收款合计')!;
      expect(Math.round((total[1] as number) * 100)).toBe(oracle.collectedFen);

      await page.keyboard.press('F5');
      await page.getByTestId('daily-report').waitFor();
      await page.keyboard.press('F3');
      await page.getByTestId('z-confirm').waitFor();
      await expect.poll(() => focusedName(page)).toBe('zSupervisorPin');
      await page.keyboard.type('888888');
      await screenshot(page, 'cash-10-z-confirm', 'zh-CN');
      await page.keyboard.press('Enter');
      await page.getByTestId('z-done').waitFor();
      expect(await page.getByTestId('z-done').innerText()).toContain(
        formatFen(oracle.collectedFen),
      );
      const z = terminal.ctx.db
        .prepare("SELECT payload FROM events WHERE type = 'day.closed'")
        .all() as { payload: string }[];
      expect(z).toHaveLength(1);
      expect(JSON.parse(z[0]!.payload)).toMatchObject({ collectedFen: oracle.collectedFen });
      const zText = await printedWith('Z报表');
      expect(zText).toContain(`本期合计${formatFen(oracle.collectedFen, '￥')}`);
      expect(zText).toContain('张丽');
      await screenshot(page, 'cash-11-z-done', 'zh-CN');
      expect(browser.problems).toEqual([]);
    });
  },
);
