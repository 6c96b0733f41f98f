// A serial receipt printer over a real pty pair (socat): the app's printer adapter wraps
// `serialport` as a node-thermal-printer custom interface (`serial:/path?baud=9600`); on the other
// end of the pair the virtual printer (the sim's decoder and status logic) reads the bytes and
// answers DLE EOT and GS r 1 on the line like a real serial printer.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRAWER_KICK_DEFAULT, printerState } from '../../src-main/devices/printer/escpos';
import { decodeEscPos } from '../../src-main/devices/printer/escpos-decoder';
import { EscPosPrinter } from '../../src-main/devices/printer/printer';
import { renderEscPos } from '../../src-main/devices/printer/render';
import { VirtualPrinter, type VirtualJob } from '../../src-main/devices/printer/virtual-printer';
import { printJobsOf } from '../../src-main/features/printing/print-jobs.store';
import {
  disablePrinting,
  enablePrinting,
  printQueueOf,
} from '../../src-main/features/printing/print-queue';
import { fixture, normalizeLines } from '../support/printer';
import { startPtyPair, type PtyPair } from '../support/pty';
import { householdsOwing, openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let pair: PtyPair;
let vp: VirtualPrinter;
let iface: string;

beforeAll(async () => {
  dir = tempDir('cashier-serial-printer-');
  pair = await startPtyPair(dir.dir, 'printer');
  vp = new VirtualPrinter();
  await vp.start(0); // TCP too (unused here): the same object serves both
  await vp.attachSerial(pair.pt, 9600);
  iface = `serial:${pair.ecr}?baud=9600`;
});

afterAll(async () => {
  await vp.stop();
  await pair.kill();
  dir.cleanup();
});

async function jobsArriving(n: number, timeoutMs = 10_000): Promise<VirtualJob[]> {
  const start = vp.jobs.length;
  const deadline = Date.now() + timeoutMs;
  while (vp.jobs.length < start + n && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return vp.jobs.slice(start);
}

describe('serial printer over a pty pair', () => {
  it('answers DLE EOT 1..4 on the line: ready, then paper out, cover open', async () => {
    const printer = new EscPosPrinter({ interface: iface, timeoutMs: 1000 });
    const before = vp.queries.length;
    const ready = await printer.status();
    expect(ready.reachable).toBe(true);
    expect(ready.raw).toEqual([0x12, 0x12, 0x12, 0x12]);
    expect(printerState(ready)).toBe('ready');
    expect(vp.queries.slice(before)).toEqual(['dle-eot-1', 'dle-eot-2', 'dle-eot-3', 'dle-eot-4']);

    vp.applyFault('paper-out');
    expect(printerState(await printer.status())).toBe('paper_out');
    vp.clearFaults();
    vp.applyFault('cover-open');
    expect(printerState(await printer.status())).toBe('cover_open');
    vp.clearFaults();
    expect(printerState(await printer.status())).toBe('ready');
  });

  it('a receipt’s bytes arrive intact, are printed and acknowledged (GS r 1)', async () => {
    const printer = new EscPosPrinter({ interface: iface, timeoutMs: 2000 });
    const data = fixture('receipt');
    const bytes = renderEscPos('receipt', data, { width: 48, drawerKick: DRAWER_KICK_DEFAULT });
    const arriving = jobsArriving(1);
    const outcome = await printer.print(bytes);
    expect(outcome).toEqual({ kind: 'printed', paperNearEnd: false });
    const [job] = await arriving;
    expect(job).toBeDefined();
    expect(job!.bytes.equals(bytes)).toBe(true);
    expect(job!.cut).toBe(true);
    expect(job!.problems).toEqual([]);
    expect(normalizeLines(job!.lines)).toEqual(normalizeLines(decodeEscPos(bytes).lines));
    expect(job!.text).toContain('大写：叁仟壹佰叁拾元柒角伍分');
    expect(job!.text).toContain('欧阳合¥明 Smith-Wang');
    expect(job!.qrCodes.map((q) => q.data)).toEqual([data.paperCode as string]);
    expect(job!.drawerPulses).toEqual([{ pin: 2, onMs: 50, offMs: 500 }]);
    expect(vp.queries.at(-1)).toBe('gs-r-1');
  });

  it('a line nobody answers on → offline (status) and not acknowledged (print)', async () => {
    const printer = new EscPosPrinter({ interface: iface, timeoutMs: 300 });
    vp.faults.mute = true;
    try {
      expect(printerState(await printer.status())).toBe('offline');
      const outcome = await printer.print(
        renderEscPos('test-page', fixture('test-page'), { width: 32 }),
      );
      expect(outcome.kind).toBe('unknown');
    } finally {
      vp.clearFaults();
    }
    await jobsArriving(1, 2000); // the printer still printed it (it only did not answer)
  });

  it('a missing serial device is "not sent" (the job stays queued as the original)', async () => {
    const printer = new EscPosPrinter({ interface: `serial:${join(dir.dir, 'nope')}?baud=9600` });
    expect((await printer.status()).reachable).toBe(false);
    expect(await printer.print(Buffer.from('x'))).toEqual({ kind: 'not_sent', reason: 'offline' });
  });
});

describe('the app prints to a serial printer set up in the settings (no restart)', () => {
  let t: TestTerminal;
  beforeAll(() => {
    t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 40 });
  });
  afterAll(async () => {
    await disablePrinting(t.ctx);
    t.close();
  });

  it('printer.settings.set serial:…?baud=9600 → a cash payment’s receipt prints over the pty', async () => {
    const env = {}; // no CASHIER_PRINTER: the saved settings decide
    expect(enablePrinting(t.ctx, { env, pollMs: 60_000 })).toBeNull();
    expect(printQueueOf(t.ctx)).toBeNull();
    const session = await t.login();
    const settings = await t.must('printer.settings.set', {
      session,
      supervisorCode: '9001',
      supervisorPin: '888888',
      interface: iface,
      width: 32,
      encoding: 'gb18030',
      companyName: '串口热力',
      drawerKick: '1b 70 00 19 fa',
      printStub: false,
    });
    expect(settings.interface).toBe(iface);
    expect(printQueueOf(t.ctx)?.printer.description).toBe(iface);

    await t.must('shift.open', { session, openingFloatFen: 10_000 });
    const [householdId] = householdsOwing(t, 10_000, 1);
    const arriving = jobsArriving(1);
    const receipt = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: householdId!,
      amountFen: 5_000,
      tenders: [{ kind: 'cash', amountFen: 5_000, tenderedFen: 5_000 }],
    });
    const [job] = await arriving;
    expect(job?.text).toContain(receipt.receiptLabel);
    expect(job?.text).toContain('串口热力');
    expect(job?.text).toContain('大写：伍拾元整');
    expect(job?.drawerPulses).toHaveLength(1);
    const deadline = Date.now() + 5000;
    while (printJobsOf(t.ctx.db, receipt.id)[0]?.state !== 'done' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(printJobsOf(t.ctx.db, receipt.id).map((j) => j.state)).toEqual(['done']);
    const status = await t.must('printer.status', { session });
    expect(status.configured).toBe(true);
    expect(status.status.state).toBe('ready');
  });
});
