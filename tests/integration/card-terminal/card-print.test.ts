// Card data on paper and in the reports: a sale through the ZVT simulator (real socat pty) and a
// manual entry (card.manual) are printed by the TCP virtual printer; the decoded receipt carries the
// masked PAN, auth code, trace, terminal id and terminal receipt no. (the terminal's own slip under
// the customer copy), the manual one is marked 手工录入, and no full PAN is ever on paper. The X
// report (printed), the shift report, the daily report and its A4 export split the card total into
// terminal vs manual, equal to a recomputation from the raw events.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EscPosPrinter } from '../../../src-main/devices/printer/printer';
import { VirtualPrinter, type VirtualJob } from '../../../src-main/devices/printer/virtual-printer';
import { readJournal } from '../../../src-main/devices/card-terminal/simulator';
import type { ZvtCardTerminal } from '../../../src-main/devices/card-terminal/zvt-driver';
import { attachCardTerminal, cardReport } from '../../../src-main/features/card/card-payments';
import {
  attachPrintQueue,
  detachPrintQueue,
} from '../../../src-main/features/printing/print-queue';
import { ptyDriver, startSimulator } from '../../support/card';
import { startPtyPair, type PtyPair } from '../../support/pty';
import {
  householdsOwing,
  openTestTerminal,
  tempDir,
  type TestTerminal,
} from '../../support/terminal';
import { oracleCardSplit } from '../cash/oracle';

let tmp: ReturnType<typeof tempDir>;
let pty: PtyPair;
let t: TestTerminal;
let session: string;
let driver: ZvtCardTerminal;
let vp: VirtualPrinter;
let journal: string;
let households: string[];

beforeEach(async () => {
  tmp = tempDir('card-print-');
  journal = join(tmp.dir, 'sim-journal.json');
  t = openTestTerminal(join(tmp.dir, 'l.db'));
  session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 0 });
  households = householdsOwing(t, 5000, 10);
  vp = new VirtualPrinter();
  await vp.start(0);
  attachPrintQueue(t.ctx, new EscPosPrinter({ interface: vp.url, timeoutMs: 2000 }), {
    pollMs: 60_000,
  });
  pty = await startPtyPair(tmp.dir);
  await startSimulator(pty.pt, journal);
  driver = ptyDriver(pty.ecr);
  attachCardTerminal(t.ctx, driver);
  expect((await t.must('card.reconnect', { session })).connected).toBe(true);
});
afterEach(async () => {
  await detachPrintQueue(t.ctx);
  await vp.stop();
  await driver?.close().catch(() => undefined);
  await pty?.kill();
  t.close();
  tmp.cleanup();
});

/** Waits until the virtual printer has a complete job whose text contains every marker. */
async function printed(...markers: string[]): Promise<VirtualJob> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const job = vp.jobs.find((j) => j.cut && markers.every((m) => j.text.includes(m)));
    if (job) return job;
    if (Date.now() > deadline) throw new Error(`no printed job with ${markers.join(', ')}`);
    await t.must('printer.retry', { session }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Nothing that could be a full card number: no run of 11+ digits, nothing past 622588 but stars. */
function expectNoFullPan(text: string) {
  expect(text).not.toMatch(/\d{11,}/);
  expect(text).not.toMatch(/622588\d/);
}

describe('card payments on the printed receipt and in the reports', () => {
  it('terminal sale and manual entry: printed card data, 手工录入 mark, no full PAN; terminal/manual split everywhere', async () => {
    // 1) through the terminal (simulator on the pty)
    const sale = await t.must('card.sale', {
      session,
      requestId: randomUUID(),
      householdId: households[0]!,
      amountFen: 2500,
    });
    const saleTender = sale.receipt!.tenders[0]!;
    const d = saleTender.detail;
    expect(d).toMatchObject({ mode: 'terminal', maskedPan: '622588******1234' });
    const saleLabel = sale.receipt!.receiptLabel;
    const c = (await printed(saleLabel, '客户联')).text;
    const text = vp.jobs
      .filter((j) => j.text.includes(saleLabel))
      .map((j) => j.text)
      .join('\n');
    expect(c).toContain(`卡号 ${d.maskedPan}`);
    expect(c).toContain(`授权码 ${d.authCode}`);
    expect(c).toContain(`流水号 ${d.traceNo}`);
    expect(c).toContain(`终端号 ${d.terminalId}`);
    expect(c).toContain(`凭证号 ${d.terminalReceiptNo}`);
    expect(c).not.toContain('手工录入');
    // the terminal's own slip (06 D3 print lines kept with the payment) under the customer copy
    expect(c.indexOf('银行卡终端签购单')).toBeGreaterThan(c.indexOf('请妥善保管'));
    expect(c).toContain('Amount: CNY 25.00');
    expect(c).toContain('Card: 622588******1234');
    expectNoFullPan(text);
    const tx = readJournal(journal).transactions.at(-1)!;
    expect(c).toContain(tx.authCode);

    // 2) manual entry (standalone terminal): reference + auth code keyed in
    const manual = await t.must('card.manual', {
      session,
      requestId: randomUUID(),
      householdId: households[1]!,
      amountFen: 3100,
      terminalRef: '000777',
      authCode: 'Q9W8E7',
      maskedPan: '621700******7890',
    });
    const manualLabel = manual.receipt!.receiptLabel;
    const m = (await printed(manualLabel, '客户联')).text;
    expect(m).toMatch(/银行卡（手工录入）\s+￥31\.00/);
    expect(m).toContain('卡号 621700******7890');
    expect(m).toContain('授权码 Q9W8E7');
    expect(m).toContain('凭证号 000777');
    expect(m).not.toContain('银行卡终端签购单');
    expectNoFullPan(vp.jobs.map((j) => j.text).join('\n'));

    // 3) a card tender keyed in on the payment screen (payment.take) counts as manual too
    await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: households[2]!,
      amountFen: 4000,
      tenders: [
        { kind: 'cash', amountFen: 1000, tenderedFen: 1000 },
        { kind: 'card', amountFen: 3000, terminalRef: 'T1', maskedPan: '6222****1234' },
      ],
    });

    // 4) the split: shift report (hand-in slip / X), printed X report, daily report + A4 export
    const expected = { terminalCount: 1, terminalFen: 2500, manualCount: 2, manualFen: 6100 };
    const payloads = (
      t.ctx.db.prepare("SELECT payload FROM events WHERE type = 'receipt.issued'").all() as {
        payload: string;
      }[]
    ).map((r) => JSON.parse(r.payload) as Record<string, unknown>);
    expect(oracleCardSplit(payloads)).toEqual(expected);
    const x = await t.must('shift.xReport', { session });
    expect(x.cardSplit).toEqual(expected);
    expect(x.byTender.card).toBe(2500 + 6100);
    const report = cardReport(t.ctx);
    expect([report.terminalFen, report.manualFen]).toEqual([2500, 6100]);

    await t.must('shift.printX', { session });
    const xJob = await printed('刷卡机联机');
    expect(xJob.text).toMatch(/刷卡机联机\s+1笔\s+￥25\.00/);
    expect(xJob.text).toMatch(/手工录入\s+2笔\s+￥61\.00/);
    expect(xJob.text).toMatch(/银行卡\s+3笔\s+￥86\.00/); // the existing row is unchanged

    const daily = await t.must('report.daily', { session, businessDate: x.businessDate });
    expect(daily.cardSplit).toEqual(expected);
    expect(daily.clerks[0]!.cardSplit).toEqual(expected);
    expect(daily.total.byTender.card).toBe(8600);
    const html = await t.must('report.export', {
      session,
      report: 'daily',
      businessDate: x.businessDate,
      format: 'html',
    });
    const page = Buffer.from(html.base64, 'base64').toString('utf8');
    expect(page).toContain('刷卡机联机');
    expect(page).toContain('手工录入');
  });
});
