import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  openSerialChannel,
  ZVT_SERIAL,
} from '../../../src-main/devices/card-terminal/serial-channel';
import {
  ZvtTerminalSimulator,
  approvedTotal,
  type SimScript,
} from '../../../src-main/devices/card-terminal/simulator';
import { ZvtCardTerminal } from '../../../src-main/devices/card-terminal/zvt-driver';
import {
  CardTerminalError,
  type CardTerminalEvent,
} from '../../../src-main/devices/card-terminal/port';
import { startPtyPair, type PtyPair } from '../../support/pty';
import { tempDir } from '../../support/pty';

const FAST = { t2Ms: 3000, t3Ms: 400, t4Ms: 3000, maxAttempts: 3, interCharMs: 300 };

let tmp: ReturnType<typeof tempDir>;
let pty: PtyPair;
let sim: ZvtTerminalSimulator;
let driver: ZvtCardTerminal;
let events: CardTerminalEvent[];

async function setup(script: SimScript = {}) {
  const ptEnd = await openSerialChannel({ ...ZVT_SERIAL, path: pty.pt });
  sim = new ZvtTerminalSimulator(ptEnd, { script, timing: FAST });
  sim.onExit = () => void ptEnd.close();
  void sim.serve();
  driver = new ZvtCardTerminal({
    open: () => openSerialChannel({ ...ZVT_SERIAL, path: pty.ecr }),
    timing: FAST,
  });
  events = [];
  driver.onEvent((e) => events.push(e));
  await driver.connect();
}

beforeEach(async () => {
  tmp = tempDir('zvt-');
  pty = await startPtyPair(tmp.dir);
});
afterEach(async () => {
  await driver?.close().catch(() => undefined);
  await pty.kill();
  tmp.cleanup();
});

describe('ZVT driver against the simulator over a socat pty pair', () => {
  it('registers, approves a sale with intermediate texts and print lines', async () => {
    await setup();
    expect(driver.terminalId).toBe('68012345');
    const out = await driver.sale(25800, 156, 'ref');
    expect(out.outcome).toBe('approved');
    expect(out.transaction).toMatchObject({
      amountMinor: 25800,
      approved: true,
      receiptNo: '0001',
    });
    expect(out.transaction?.maskedPan).toBe('622588******1234');
    expect(out.printLines.join('\n')).toContain('Amount: CNY 258.00');
    expect(events.filter((e) => e.kind === 'intermediate').map((e) => e.code)).toEqual([
      0x0a, 0x01, 0x04,
    ]);
    expect(approvedTotal(sim.state)).toBe(25800);
    const status = await driver.status();
    expect(status.ready).toBe(true);
  });

  it('declines ¥x.13 with a clear message', async () => {
    await setup();
    const out = await driver.sale(1013, 156, 'ref');
    expect(out.outcome).toBe('declined');
    expect(out.resultCode).toBe(0x05);
    expect(out.message['zh-CN']).toContain('拒绝');
    expect(approvedTotal(sim.state)).toBe(0);
  });

  it('NAK then retry, bad CRC, garbage and a duplicate status information still give one approval', async () => {
    await setup({
      faults: [
        { on: 'sale', nth: 1, fault: 'bad_crc', count: 2 },
        { on: 'sale', nth: 2, fault: 'garbage' },
        { on: 'sale', nth: 3, fault: 'duplicate' },
      ],
    });
    sim.link.nakNext = 2; // the first two copies of the next command are NAKed
    const a = await driver.sale(100, 156, 'a');
    const b = await driver.sale(200, 156, 'b');
    const c = await driver.sale(300, 156, 'c');
    expect([a.outcome, b.outcome, c.outcome]).toEqual(['approved', 'approved', 'approved']);
    expect(events.some((e) => e.kind === 'line')).toBe(true);
    expect(approvedTotal(sim.state)).toBe(600);
  });

  it('a NAK storm ends with NAK_LIMIT and nothing executed', async () => {
    await setup();
    sim.link.nakNext = 10;
    const err = await driver.sale(100, 156, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CardTerminalError);
    expect((err as CardTerminalError).code).toBe('NAK_LIMIT');
    expect((err as CardTerminalError).maybeExecuted).toBe(false);
    expect(sim.state.transactions).toHaveLength(0);
  });

  it('silence after the command → TIMEOUT, outcome unknown', async () => {
    await setup({ faults: [{ on: 'sale', fault: 'silence' }] });
    const err = (await driver.sale(100, 156, 'x').catch((e: unknown) => e)) as CardTerminalError;
    expect(err.code).toBe('TIMEOUT');
    expect(err.maybeExecuted).toBe(true);
  });

  it('clerk abort while the terminal waits for the card', async () => {
    await setup({ faults: [{ on: 'sale', fault: 'slow', ms: 5000 }] });
    const sale = driver.sale(500, 156, 'x');
    await new Promise((r) => setTimeout(r, 300));
    await driver.abort();
    const out = await sale;
    expect(out.outcome).toBe('aborted');
    expect(out.resultCode).toBe(0x6c);
    expect(sim.state.transactions).toHaveLength(0);
  });

  it('reversal by terminal receipt no, repeat receipt, end of day', async () => {
    await setup();
    const sale = await driver.sale(4200, 156, 'x');
    const last = await driver.lastTransaction();
    expect(last?.transaction?.receiptNo).toBe(sale.transaction?.receiptNo);
    const rev = await driver.reversal(sale.transaction!.receiptNo!);
    expect(rev.outcome).toBe('approved');
    const again = await driver.reversal(sale.transaction!.receiptNo!);
    expect(again.resultCode).toBe(0xb4);
    expect(approvedTotal(sim.state)).toBe(0);
    const eod = await driver.endOfDay();
    expect(eod.transaction?.amountMinor).toBe(0);
  });

  it('unplug (socat killed) mid-transaction → LINE_CLOSED or TIMEOUT, never a hang', async () => {
    await setup({ faults: [{ on: 'sale', fault: 'slow', ms: 5000 }] });
    const sale = driver.sale(100, 156, 'x').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 300));
    await pty.kill();
    const err = (await sale) as CardTerminalError;
    expect(err).toBeInstanceOf(CardTerminalError);
    expect(['LINE_CLOSED', 'TIMEOUT', 'NO_ACK']).toContain(err.code);
    expect(err.maybeExecuted).toBe(true);
  });
});
