// The print queue against the virtual printer on a real TCP socket: payments commit first, jobs
// print after commit, faults leave jobs queued with a visible reason, an unknown outcome is
// reprinted as 补打 (never silently twice), and nothing is lost.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EscPosPrinter } from '../../src-main/devices/printer/printer';
import { VirtualPrinter, type VirtualJob } from '../../src-main/devices/printer/virtual-printer';
import {
  attachPrintQueue,
  detachPrintQueue,
  queueCommittedReceipts,
  type PrintQueue,
} from '../../src-main/features/printing/print-queue';
import {
  printJobsOf,
  savePrinterSettings,
  type PrintJobRow,
} from '../../src-main/features/printing/print-jobs.store';
import { imageIsQrOf } from '../support/printer';
import { householdsOwing, openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let session: string;
let households: string[];
let vp: VirtualPrinter;
let queue: PrintQueue;
let nextHousehold = 0;

beforeAll(async () => {
  dir = tempDir('cashier-printer-');
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 60 });
  session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 10_000 });
  households = householdsOwing(t, 10_000, 40);
  vp = new VirtualPrinter();
  await vp.start(0);
});

afterAll(async () => {
  await detachPrintQueue(t.ctx);
  await vp.stop();
  t.close();
  dir.cleanup();
});

beforeEach(() => {
  vp.clearFaults();
  queue = attachPrintQueue(t.ctx, new EscPosPrinter({ interface: vp.url, timeoutMs: 800 }), {
    pollMs: 60_000,
  });
});

afterEach(async () => {
  await detachPrintQueue(t.ctx);
});

async function pay(cash = true) {
  const householdId = households[nextHousehold++]!;
  const amountFen = 5_000;
  return t.must('payment.take', {
    session,
    requestId: randomUUID(),
    householdId,
    amountFen,
    tenders: cash
      ? [{ kind: 'cash', amountFen, tenderedFen: 10_000 }]
      : [{ kind: 'card', amountFen, terminalRef: 'T1', maskedPan: '6222****1234' }],
  });
}

function jobsOf(receiptId: string): PrintJobRow[] {
  queueCommittedReceipts(t.ctx);
  return printJobsOf(t.ctx.db, receiptId);
}

async function settle(): Promise<void> {
  await new Promise((r) => setImmediate(r));
  await queue.kick();
}

async function jobsArriving(n: number): Promise<VirtualJob[]> {
  const start = vp.jobs.length;
  const deadline = Date.now() + 10_000;
  while (vp.jobs.length < start + n && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return vp.jobs.slice(start);
}

describe('print queue with the virtual printer', () => {
  it('prints the three parts (客户联 with the drawer kick, 存根联, 记账联) after the payment commits', async () => {
    const arriving = jobsArriving(3);
    const receipt = await pay(true);
    const [customer, stub, accounting] = await arriving;
    await settle();
    expect(jobsOf(receipt.id).map((j) => j.state)).toEqual(['done', 'done', 'done']);
    expect(customer!.cut).toBe(true);
    expect(customer!.interrupted).toBeNull();
    expect(customer!.text).toContain(receipt.receiptLabel);
    expect(customer!.text).toContain(receipt.household.accountNo);
    expect(customer!.text).toContain('第一联 客户联');
    expect(customer!.text).toContain('￥50.00');
    expect(customer!.text).toContain('大写：伍拾元整');
    expect(customer!.text).toContain(receipt.eventHash.slice(0, 4).toUpperCase());
    expect(customer!.drawerPulses).toEqual([{ pin: 2, onMs: 50, offMs: 500 }]);
    // The QR is the printer's own symbol (GS ( k model 2); the virtual printer reads its data:
    // the receipt's signed paper code, as the payment answered it.
    expect(customer!.qrCodes.map((q) => q.data)).toEqual([receipt.paperCode]);
    expect(receipt.paperCode).toMatch(/^HC2\./);
    expect(stub!.text).toContain('第二联 存根联');
    expect(stub!.drawerPulses).toEqual([]);
    expect(accounting!.text).toContain('第三联 记账联');
    expect(accounting!.text).toContain(receipt.receiptLabel);
    expect(accounting!.cut).toBe(true);
    expect(accounting!.drawerPulses).toEqual([]);
    expect(vp.queries).toContain('dle-eot-4');
    expect(vp.queries).toContain('gs-r-1');
  });

  it('no drawer kick for a card payment', async () => {
    const arriving = jobsArriving(3);
    await pay(false);
    const [customer] = await arriving;
    expect(customer!.drawerPulses).toEqual([]);
  });

  it('settings: drawer kick off → no pulse; QR mode raster → the QR arrives as an image', async () => {
    const saved = {
      interface: 'none',
      width: 48,
      encoding: 'gb18030',
      company_name: '阳光热力',
      print_stub: 1,
      updated_at: new Date().toISOString(),
      updated_by: null,
    };
    savePrinterSettings(t.ctx.db, { ...saved, drawer_kick: 'off' });
    try {
      const arriving = jobsArriving(3);
      await pay(true);
      const [customer] = await arriving;
      expect(customer!.text).toContain('第一联 客户联');
      expect(customer!.drawerPulses).toEqual([]);
      expect(customer!.qrCodes).toHaveLength(1);
      // QR as an image for printers without a QR generator (settings qr_mode = raster)
      savePrinterSettings(t.ctx.db, { ...saved, drawer_kick: 'off', qr_mode: 'raster' });
      const next = jobsArriving(3);
      const receipt = await pay(true);
      const [raster] = await next;
      expect(raster!.qrCodes).toEqual([]);
      expect(imageIsQrOf(raster!.images[0]!, receipt.paperCode)).toBe(true);
    } finally {
      savePrinterSettings(t.ctx.db, { ...saved, drawer_kick: '1b 70 00 19 fa' });
    }
  });

  it('a slow printer never delays the payment', async () => {
    vp.faults.slowMs = 400;
    const started = Date.now();
    const receipt = await pay();
    const elapsed = Date.now() - started;
    // Committed and answered while the printer is still being asked for its status.
    expect(jobsOf(receipt.id).every((j) => j.state === 'queued' || j.state === 'sending')).toBe(
      true,
    );
    expect(elapsed).toBeLessThan(400);
    vp.faults.slowMs = 0;
    await settle();
  });

  it.each([
    [
      'paper out',
      'paper_out',
      () => {
        vp.state.paperOut = true;
      },
    ],
    [
      'cover open',
      'cover_open',
      () => {
        vp.state.coverOpen = true;
      },
    ],
    [
      'printer offline',
      'offline',
      () => {
        vp.state.offline = true;
      },
    ],
  ] as const)(
    '%s before the job: payment committed, job queued with the reason, status bar shows it, retry prints the original',
    async (_label, reason, fault) => {
      fault();
      const printedBefore = vp.jobs.length;
      const receipt = await pay();
      await settle();
      const jobs = jobsOf(receipt.id);
      expect(jobs.map((j) => j.state)).toEqual(['queued', 'queued', 'queued']);
      expect(jobs[0]!.reason).toBe(reason);
      expect(vp.jobs.length).toBe(printedBefore);
      const status = await t.must('terminal.status', {});
      expect(status.printer.state).toBe(reason);
      expect(status.printer.detail?.['zh-CN']).toContain('3 张待打印');
      const printerStatus = await t.must('printer.status', { session });
      expect(printerStatus.queued).toBeGreaterThanOrEqual(3);
      expect((await t.must('ledger.verify', { session })).ok).toBe(true);

      vp.clearFaults();
      const arriving = jobsArriving(3);
      const after = await t.must('printer.retry', { session });
      expect(after.queued).toBe(0);
      const [customer] = await arriving;
      expect(jobsOf(receipt.id).map((j) => j.state)).toEqual(['done', 'done', 'done']);
      expect(customer!.text).not.toContain('补打');
    },
  );

  it('printer unreachable (connection refused): queued as offline, printed when it is back', async () => {
    await vp.stop();
    const receipt = await pay();
    await settle();
    expect(jobsOf(receipt.id)[0]).toMatchObject({ state: 'queued', reason: 'offline' });
    expect((await t.must('terminal.status', {})).printer.state).toBe('offline');
    await vp.start(vp.port);
    const arriving = jobsArriving(3);
    await t.must('printer.retry', { session });
    await arriving;
    expect(jobsOf(receipt.id).map((j) => j.state)).toEqual(['done', 'done', 'done']);
  });

  it.each([
    [
      'connection dropped mid-job',
      'connection_dropped',
      () => {
        vp.faults.dropAfterBytes = 700;
      },
    ],
    [
      'paper out mid-job',
      'paper_out',
      () => {
        vp.faults.paperOutAfterBytes = 700;
      },
    ],
  ] as const)(
    '%s: outcome unknown, never retried silently, reprinted as 补打 with the counter',
    async (_label, reason, fault) => {
      fault();
      const receipt = await pay();
      await settle();
      const [customer] = jobsOf(receipt.id);
      expect(customer).toMatchObject({ state: 'unknown', reason });
      // The virtual printer saw the customer copy start and not finish.
      const interrupted = [...vp.jobs].reverse().find((j) => j.interrupted !== null)!;
      expect(interrupted.cut).toBe(false);
      expect(interrupted.text).toContain('第一联 客户联');

      // Retrying the queue does not print the unknown job again.
      vp.clearFaults();
      const before = vp.jobs.length;
      await t.must('printer.retry', { session });
      const afterRetry = vp.jobs.slice(before);
      expect(
        afterRetry.every((j) => !j.text.includes('第一联 客户联') || j.text.includes('存根联')),
      ).toBe(true);
      expect(jobsOf(receipt.id)[0]!.state).toBe('unknown');
      const status = await t.must('terminal.status', {});
      expect(status.printer.detail?.['zh-CN']).toContain('打印结果不明，请补打');

      const arriving = jobsArriving(1);
      const reprint = await t.must('printer.reprint', { session, jobId: customer!.id });
      expect(reprint.alreadyQueued).toBe(false);
      const [copy] = await arriving;
      await settle();
      expect(copy!.text).toContain('补  打');
      expect(copy!.text).toContain('第  1 次');
      expect(copy!.cut).toBe(true);
      const jobs = jobsOf(receipt.id);
      expect(jobs.find((j) => j.id === customer!.id)!.state).toBe('superseded');
      expect(jobs.at(-1)).toMatchObject({ state: 'done', replaces_id: customer!.id });
      const found = await t.must('receipt.find', { session, receiptId: receipt.id });
      expect(found.reprintCount).toBe(1);
      expect((await t.must('ledger.verify', { session })).ok).toBe(true);
    },
  );

  it('void and reprint commands queue the written statement (一式四份) and a 补打 copy', async () => {
    const receipt = await pay();
    await settle();
    const arriving = jobsArriving(5);
    await t.must('receipt.reprint', { session, receiptId: receipt.id });
    await t.must('receipt.void', {
      session,
      receiptId: receipt.id,
      reason: '金额错误',
      supervisorCode: '9001',
      supervisorPin: '888888',
    });
    const [copy, ...statement] = await arriving;
    expect(copy!.text).toContain('补  打');
    expect(statement.map((s) => s.cut)).toEqual([true, true, true, true]);
    ['第一份 收费员自留', '第二份 报财务部', '第三份 报供热台账', '第四份 报供热组长'].forEach(
      (holder, i) => {
        const paper = statement[i]!.text;
        expect(paper).toContain('收  据  作  废  书  面  说  明');
        expect(paper).toContain(holder);
        expect(paper).toContain(receipt.receiptLabel);
        expect(paper).toContain('金额错误');
        expect(paper).toContain('李主管');
      },
    );
  });

  it('a job left "sending" by a crash becomes unknown on restart, never printed silently', async () => {
    vp.state.paperOut = true;
    const receipt = await pay();
    await settle();
    await detachPrintQueue(t.ctx);
    const [customer] = jobsOf(receipt.id);
    t.ctx.db.prepare("UPDATE print_jobs SET state = 'sending' WHERE id = ?").run(customer!.id);
    vp.clearFaults();
    queue = attachPrintQueue(t.ctx, new EscPosPrinter({ interface: vp.url, timeoutMs: 800 }), {
      pollMs: 60_000,
    });
    await settle();
    const jobs = jobsOf(receipt.id);
    expect(jobs[0]).toMatchObject({ state: 'unknown', reason: 'interrupted' });
    expect(jobs[1]!.state).toBe('done');
  });

  it('test page and preview', async () => {
    const arriving = jobsArriving(1);
    await t.must('printer.testPrint', { session });
    const [page] = await arriving;
    expect(page!.text).toContain('打  印  测  试  页');
    expect(page!.text).toContain('中文：供热收费 合计 陈欠 补打 作废');
    const receipt = await pay();
    const preview = await t.must('printer.preview', { session, receiptId: receipt.id });
    expect(preview.svg.startsWith('<svg')).toBe(true);
    expect(preview.text).toContain(receipt.receiptLabel);
  });
});
