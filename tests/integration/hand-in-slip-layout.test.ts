// The A4 hand-in slip keeps every amount on one line (issue 21, defect 10): the receipts table of
// a shift with payments over two seasons and a voided ¥1,000+ receipt is rendered by headless
// Chromium (the host's PdfRenderer) and read back with `pdftotext -layout`, which ends a line
// where the PDF wraps one: each amount, rate and season of each receipt must come out whole.
// Rasterised to tests/e2e/screenshots/a4-slip-layout-1.png to look at.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFen } from '@heating-cashier/core/money';
import { chromiumPdfRenderer, findChromium } from '../../src-main/devices/pdf/chromium';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';
import { pdfFirstPagePng, pdfText } from '../support/pdf';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let session: string;
let shiftId: string;

beforeAll(async () => {
  const chromium = findChromium();
  if (!chromium) throw new Error('Chromium is missing: apt-get install -y chromium fonts-noto-cjk');
  dir = tempDir('cashier-slip-layout-');
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 60 });
  t.ctx.runtime.documents.pdf = chromiumPdfRenderer(chromium);
  session = await t.login();
  shiftId = (await t.must('shift.open', { session, openingFloatFen: 0 })).id;
  // households owing for both seasons: their receipts list two season amounts in one cell
  const twoSeasons = (
    t.ctx.db
      .prepare(
        `SELECT household_id AS id FROM charges WHERE season_id = 'S2025'
         AND charge_fen > paid_elsewhere_fen ORDER BY household_id LIMIT 4`,
      )
      .all() as { id: string }[]
  ).map((r) => r.id);
  expect(twoSeasons).toHaveLength(4);
  for (const [i, householdId] of twoSeasons.entries()) {
    const { owedFen } = await t.must('household.account', { session, householdId });
    const r = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId,
      amountFen: owedFen,
      tenders: [{ kind: 'cash', amountFen: owedFen, tenderedFen: owedFen }],
    });
    if (i === 1)
      await t.must('receipt.void', {
        session,
        receiptId: r.id,
        reason: '金额录错',
        supervisorCode: '9001',
        supervisorPin: '888888',
      });
  }
}, 120_000);
afterAll(() => {
  t.close();
  dir.cleanup();
});

describe('A4 hand-in slip layout', () => {
  it('every amount, rate and season of the receipts table is on one line', async () => {
    const out = await t.must('report.export', {
      session,
      report: 'handInSlip',
      shiftId,
      copy: 'finance',
      format: 'pdf',
    });
    const file = join(dir.dir, out.fileName);
    writeFileSync(file, Buffer.from(out.base64, 'base64'));
    const text = pdfText(file);
    pdfFirstPagePng(file, 'a4-slip-layout');

    const slip = await t.must('shift.handInSlip', { session, shiftId });
    expect(slip.receipts).toHaveLength(4);
    const whole: string[] = [];
    for (const r of slip.receipts) {
      whole.push(r.voided ? `(${formatFen(r.totalFen)})` : formatFen(r.totalFen));
      for (const l of r.lines)
        whole.push(l.seasonCode, formatFen(l.amountFen), formatFen(l.rateFenPerM2));
    }
    expect(slip.receipts.some((r) => r.voided && r.totalFen >= 100_000)).toBe(true);
    expect(slip.receipts.some((r) => r.lines.length > 1)).toBe(true);
    const broken = whole.filter((w) => !text.includes(w));
    expect(broken).toEqual([]);
  }, 60_000);
});
