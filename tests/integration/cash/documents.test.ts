// A4 PDF and Excel of the hand-in slip and the reports: the HTML document rendered by headless
// Chromium (the PdfRenderer adapter of the plain-Node host), read back with poppler's pdftotext and
// rasterised with pdftoppm (tests/e2e/screenshots/*.png — look at them); Excel read back with exceljs.
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPdfRenderer, findChromium } from '../../../src-main/devices/pdf/chromium';
import type { PdfRenderer } from '../../../src-main/devices/pdf/port';
import { renderText } from '../../../src-main/devices/printer/render';
import { formatFen } from '@heating-cashier/core/money';
import {
  householdsOwing,
  openTestTerminal,
  tempDir,
  type TestTerminal,
} from '../../support/terminal';
import { oracleForShift } from './oracle';
import { pdfFirstPagePng, pdfText } from '../../support/pdf';

const SUPERVISOR = { supervisorCode: '9001', supervisorPin: '888888' };

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let session: string;
let shiftId: string;
let renderer: PdfRenderer;
const labels: string[] = [];

/** CJK glyph runs may come out with spaces between characters: compare without blanks. */
const squeeze = (s: string) => s.replace(/\s+/g, '');

async function save(name: string, base64: string) {
  const file = join(dir.dir, name);
  writeFileSync(file, Buffer.from(base64, 'base64'));
  return file;
}

beforeAll(async () => {
  const chromium = findChromium();
  if (!chromium) throw new Error('Chromium is missing: apt-get install -y chromium fonts-noto-cjk');
  dir = tempDir('cashier-docs-');
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 40 });
  renderer = chromiumPdfRenderer(chromium);
  t.ctx.runtime.documents.pdf = renderer;
  session = await t.login();
  shiftId = (await t.must('shift.open', { session, openingFloatFen: 20_000 })).id;
  const owing = householdsOwing(t, 60_000);
  const tenders: unknown[][] = [
    [{ kind: 'cash', amountFen: 12_345, tenderedFen: 20_000 }],
    [{ kind: 'card', amountFen: 30_000, terminalRef: 'T0001', authCode: 'A1' }],
    [{ kind: 'qr', amountFen: 8_800, channel: 'wechat', reference: 'WX123' }],
    [{ kind: 'cheque', amountFen: 50_000, chequeNo: 'CQ778', bank: '工商银行' }],
    [
      { kind: 'cash', amountFen: 10_000, tenderedFen: 10_000 },
      { kind: 'card', amountFen: 5_055, terminalRef: 'T0002' },
    ],
    [{ kind: 'cash', amountFen: 4_321, tenderedFen: 5_000 }],
  ];
  for (const [i, ts] of tenders.entries()) {
    const amountFen = (ts as { amountFen: number }[]).reduce((s, x) => s + x.amountFen, 0);
    const r = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: owing[i]!,
      amountFen,
      tenders: ts,
    } as never);
    labels.push(r.receiptLabel);
    if (i === 5)
      await t.must('receipt.void', {
        session,
        receiptId: r.id,
        reason: '金额录错',
        ...SUPERVISOR,
      });
  }
  await t.must('receipt.spoil', { session, reason: '卡纸损坏' });
  await t.must('cash.move', { session, kind: 'safe_drop', amountFen: 10_000, reason: '大额存柜' });
  const x = await t.must('shift.xReport', { session });
  await t.must('shift.close', {
    session,
    denominations: { '10000': Math.floor((x.cash.expectedFen - 5_000) / 10_000) },
    varianceReason: '点钞短款待查',
    ...SUPERVISOR,
  });
}, 60_000);

afterAll(async () => {
  await renderer?.close();
  t?.close();
  dir?.cleanup();
});

describe('A4 hand-in slip (PDF) and report exports', () => {
  it('renders the hand-in slip as an A4 PDF with every receipt, the totals to the fen and the signature lines', async () => {
    const out = await t.must('report.export', {
      session,
      report: 'handInSlip',
      shiftId,
      copy: 'finance',
      format: 'pdf',
    });
    expect(out.mime).toBe('application/pdf');
    expect(out.fileName).toMatch(/^hand-in-slip-\d{8}-[0-9A-F]{6}-finance\.pdf$/);
    const file = await save(out.fileName, out.base64);
    expect(Buffer.from(out.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);

    const text = pdfText(file);
    const flat = squeeze(text);
    const oracle = oracleForShift(t.ctx.db, shiftId);
    const slip = await t.must('shift.handInSlip', { session, shiftId });
    for (const word of [
      '交款单',
      '财务联',
      '收据明细',
      '作废收据',
      '待到账支票',
      '现金清点',
      '授权记录',
    ])
      expect(flat).toContain(word);
    expect(flat).toMatch(/收费员：/);
    expect(flat).toMatch(/财务：/);
    for (const label of labels) expect(flat).toContain(label);
    expect(flat).toContain('金额录错');
    expect(flat).toContain('卡纸损坏');
    expect(flat).toContain('CQ778');
    for (const fen of [
      oracle.collectedFen,
      oracle.byTender.cash,
      oracle.byTender.card,
      oracle.byTender.qr,
      oracle.chequesPendingFen,
      oracle.expectedCashFen,
      slip.cash.countedFen!,
      slip.cash.varianceFen!,
    ])
      expect(flat, formatFen(fen)).toContain(formatFen(fen));
    expect(slip.cash.expectedFen).toBe(oracle.expectedCashFen);
    expect(slip.collectedFen).toBe(oracle.collectedFen);
    for (const r of slip.receipts) expect(flat).toContain(r.accountNo);

    pdfFirstPagePng(file, 'a4-hand-in-slip');
  }, 60_000);

  it('renders the daily and the monthly report as A4 PDF', async () => {
    const daily = await t.must('report.daily', {
      session,
      businessDate: (await t.must('terminal.info', {})).businessDate,
    });
    const dOut = await t.must('report.export', {
      session,
      report: 'daily',
      businessDate: daily.businessDate,
      format: 'pdf',
    });
    const dFile = await save(dOut.fileName, dOut.base64);
    pdfFirstPagePng(dFile, 'a4-daily-report');
    const dFlat = squeeze(pdfText(dFile));
    expect(dFlat).toContain('收费日报');
    expect(dFlat).toContain(formatFen(daily.total.collectedFen));
    for (const c of daily.clerks) expect(dFlat).toContain(c.clerkName);

    const month = daily.businessDate.slice(0, 7);
    const monthly = await t.must('report.monthly', { session, month });
    const mOut = await t.must('report.export', {
      session,
      report: 'monthly',
      month,
      format: 'pdf',
    });
    const mFile = await save(mOut.fileName, mOut.base64);
    const mFlat = squeeze(pdfText(mFile));
    expect(mFlat).toContain('收费月报');
    expect(mFlat).toContain(formatFen(monthly.total.collectedFen));
    expect(mFlat).toContain('电子支付占比');
    for (const s of monthly.seasons) expect(mFlat).toContain(s.seasonCode);
    pdfFirstPagePng(mFile, 'a4-monthly-report');
  }, 60_000);

  it('exports the monthly report and the slip to Excel with the same figures', async () => {
    const month = (await t.must('terminal.info', {})).businessDate.slice(0, 7);
    const monthly = await t.must('report.monthly', { session, month });
    const out = await t.must('report.export', {
      session,
      report: 'monthly',
      month,
      format: 'xlsx',
    });
    expect(out.fileName).toBe(`monthly-report-${month}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(out.base64, 'base64') as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const find = (label: string) => rows.find((r) => r[0] === label);
    expect(Math.round((find('收款合计')![1] as number) * 100)).toBe(monthly.total.collectedFen);
    expect(Math.round((find('现金')![1] as number) * 100)).toBe(monthly.total.byTender.cash);
    expect(Math.round((find('银行卡')![1] as number) * 100)).toBe(monthly.total.byTender.card);
    // The service KPIs (issue 22): no ratings is no score; 1 void + 1 spoiled of 6 receipts.
    expect(monthly.serviceKpis.errors).toMatchObject({ receipts: 6, voids: 1, spoiled: 1 });
    expect(find('满意度（百分制，目标 ≥ 90 分）')![1]).toBe('无评价');
    expect(find('差错率（作废+废票+补打 ÷ 收据，目标 < 0.50%）')![1]).toBe(
      '33.33%（作废 1，废票 1，补打 0 / 6 张）（未达标）',
    );

    const slipOut = await t.must('report.export', {
      session,
      report: 'handInSlip',
      shiftId,
      format: 'xlsx',
    });
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(Buffer.from(slipOut.base64, 'base64') as unknown as ArrayBuffer);
    const cells: unknown[] = [];
    wb2.worksheets[0]!.eachRow((r) => cells.push(...(r.values as unknown[])));
    for (const label of labels) expect(cells).toContain(label);
  }, 30_000);

  it('says what to do when no PDF renderer is attached, and refuses the slip of an open shift', async () => {
    const other = openTestTerminal(join(dir.dir, 'bare.db'), { households: 5 });
    const s = await other.login();
    const r = await other.call('report.export', {
      session: s,
      report: 'monthly',
      month: '2026-11',
      format: 'pdf',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('PDF_UNAVAILABLE');
      expect(r.error.message['zh-CN']).toContain('Excel');
    }
    const open = await other.must('shift.open', { session: s, openingFloatFen: 0 });
    const p = await other.call('shift.slipPreview', {
      session: s,
      shiftId: open.id,
      copy: 'finance',
    });
    expect(p.ok || p.error.code).toBe('SHIFT_NOT_CLOSED');
    other.close();
  });

  it('prints the X report (open shift) and the Z report (day closure) through the print queue', async () => {
    const other = openTestTerminal(join(dir.dir, 'xz.db'), { households: 20 });
    const s = await other.login();
    await other.must('shift.open', { session: s, openingFloatFen: 10_000 });
    const [h] = householdsOwing(other, 20_000);
    await other.must('payment.take', {
      session: s,
      requestId: randomUUID(),
      householdId: h!,
      amountFen: 12_345,
      tenders: [
        { kind: 'cash', amountFen: 10_000, tenderedFen: 10_000 },
        { kind: 'cheque', amountFen: 2_345, chequeNo: 'Q1', bank: '农业银行' },
      ],
    });
    const before = (await other.must('terminal.info', {})).eventCount;
    const x = await other.must('shift.printX', { session: s });
    expect((await other.must('terminal.info', {})).eventCount).toBe(before); // changes nothing
    const job = (id: string) =>
      other.ctx.db.prepare('SELECT template, data FROM print_jobs WHERE id = ?').get(id) as {
        template: string;
        data: string;
      };
    const xText = squeeze(renderText('x-report', JSON.parse(job(x.jobId).data), { width: 48 }));
    expect(xText).toContain('X报表');
    expect(xText).toContain('收款合计￥100.00');
    expect(xText).toContain('￥23.45'); // the cheque: pending, outside the total
    const slip = await other.must('shift.xReport', { session: s });
    await other.must('shift.close', {
      session: s,
      denominations: { '10000': Math.floor(slip.cash.expectedFen / 10_000) },
    });
    const z = await other.must('day.close', { session: s, ...SUPERVISOR });
    const zJob = other.ctx.db
      .prepare("SELECT data FROM print_jobs WHERE template = 'z-report'")
      .get() as { data: string };
    const zText = squeeze(renderText('z-report', JSON.parse(zJob.data), { width: 48 }));
    expect(zText).toContain('Z报表');
    expect(zText).toContain(`本期合计${formatFen(z.collectedFen, '￥')}`);
    expect(zText).toContain(`累计总额${formatFen(z.perpetualTotalFen, '￥')}`);
    other.close();
  });

  it('previews the thermal slip of a closed shift as it prints (both copies)', async () => {
    const fin = await t.must('shift.slipPreview', { session, shiftId, copy: 'finance' });
    const clerk = await t.must('shift.slipPreview', { session, shiftId, copy: 'clerk' });
    expect(fin.svg).toMatch(/^<svg/);
    expect(squeeze(fin.text)).toContain('交款单');
    expect(squeeze(fin.text)).toContain('财务联');
    expect(squeeze(clerk.text)).toContain('收费员联');
    const jobs = t.ctx.db
      .prepare("SELECT data FROM print_jobs WHERE template = 'hand-in-slip' AND subject_id = ?")
      .all(shiftId) as { data: string }[];
    const printed = jobs.map((j) => JSON.parse(j.data) as { copy: string; chainHash: string });
    // The preview is the printed slip: same close-event hash (verification code) as the queued jobs.
    const finJob = printed.find((p) => p.copy === 'finance')!;
    expect(renderText('hand-in-slip', finJob, { width: fin.width as 48 })).toBe(fin.text);
  });
});
