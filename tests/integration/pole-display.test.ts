// The pole display (客显) over a real pty pair (socat), the simulator on the far end: views
// published on the terminal's push bus come out as exactly the documented commands (CLR, ESC s n,
// ESC Q A … CR), and a display that is missing, unplugged or not taking data never holds up or
// fails a payment — the payment goes through dispatch while the display is broken, and the
// display's state says what is wrong.
import { randomUUID } from 'node:crypto';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerView } from '@heating-cashier/core/contract/customer-view';
import { openSerialChannel } from '../../src-main/devices/card-terminal/serial-channel';
import type { ByteChannel } from '../../src-main/devices/card-terminal/link';
import { PoleDisplaySimulator } from '../../src-main/devices/pole-display/simulator';
import { configurePole, POLE_OFF } from '../../src-main/features/pole/pole-display';
import { startPtyPair, type PtyPair } from '../support/pty';
import { sleep } from '../support/wait';
import { householdsOwing, openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let pair: PtyPair;
let simLine: ByteChannel;
let sim: PoleDisplaySimulator;
let t: TestTerminal;
let session: string;

const SUPERVISOR = { supervisorCode: '9001', supervisorPin: '888888' };
const hex = (bytes: number[]) => Buffer.from(bytes).toString('hex').replace(/(..)/g, '$1 ').trim();

function view(
  phase: CustomerView['phase'],
  money: Partial<Pick<CustomerView, 'amountFen' | 'tenderedFen' | 'changeFen'>> = {},
  v = t.ctx.runtime.customer.nextVersion(), // the counter's own sequence, as customer.show uses
): CustomerView {
  return {
    version: v,
    phase,
    companyName: '测试热力',
    householdNameMasked: phase === 'idle' ? null : '张*明',
    addressMasked: phase === 'idle' ? null : '3-2-***',
    seasons: [],
    owedFen: 0,
    amountFen: money.amountFen ?? null,
    lines: [],
    tenderedFen: money.tenderedFen ?? null,
    changeFen: money.changeFen ?? null,
    receiptLabel: null,
    ratingReceiptId: null,
  };
}

/** Publishes `v` and returns the bytes the display received for it, once it shows `expected`. */
async function bytesFor(v: CustomerView, expected: string): Promise<string> {
  const from = sim.received.length;
  t.ctx.runtime.push.publish('customer.view', v);
  await sim.until(() => sim.shown === expected && sim.received.length > from);
  await t.ctx.runtime.pole.display!.settled();
  return hex(sim.received.slice(from));
}

beforeAll(async () => {
  dir = tempDir('cashier-pole-');
  pair = await startPtyPair(dir.dir, 'pole');
  simLine = await openSerialChannel({
    path: pair.pt,
    baudRate: 2400,
    dataBits: 8,
    stopBits: 1,
    parity: 'none',
  });
  sim = new PoleDisplaySimulator();
  void sim.attach(simLine);
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 10 });
  session = await t.login(); // a clerk with a receipt book; the supervisor approves settings
  await t.must('shift.open', { session, openingFloatFen: 0 });
});

afterAll(async () => {
  await t.ctx.runtime.pole.stop();
  t.close();
  await simLine.close();
  await pair.kill();
  dir.cleanup();
});

describe('pole display on a pty with the simulator', () => {
  it('is off until the supervisor saves a port; saving opens it and initialises the display', async () => {
    expect((await t.must('pole.settings.get', { session })).state).toBe('off');
    expect((await t.must('pole.test', { session })).state).toBe('off'); // nothing to test yet
    const saved = await t.must('pole.settings.set', {
      session,
      ...SUPERVISOR,
      enabled: true,
      path: pair.ecr,
      baudRate: 2400,
    });
    expect(saved).toMatchObject({ enabled: true, path: pair.ecr, baudRate: 2400, state: 'ready' });
    expect(saved.shown).toEqual({ lamp: 'off', amountFen: null, text: '' });
    expect((await t.must('terminal.status', {})).poleDisplay).toEqual({
      state: 'ready',
      detail: null,
    });
    await sim.until(() => sim.commands.some((c) => c.kind === 'init'));
    // the check opens the port and sends ESC @; the display then starts with ESC @ and a blank
    expect(hex(sim.received)).toBe('1b 40 1b 40 0c 1b 73 30');
    expect(sim.errors).toEqual([]);
  });

  it('total, tendered and change are exactly the documented commands', async () => {
    // 总计 ¥1,500.00: CLR, ESC s '2', ESC Q A "1500.00" CR
    expect(await bytesFor(view('account', { amountFen: 150_000 }), '总计 1500.00')).toBe(
      '0c 1b 73 32 1b 51 41 31 35 30 30 2e 30 30 0d',
    );
    // 收款 ¥2,000.00: CLR, ESC s '3', ESC Q A "2000.00" CR
    expect(
      await bytesFor(
        view('payment', { amountFen: 150_000, tenderedFen: 200_000, changeFen: 50_000 }),
        '收款 2000.00',
      ),
    ).toBe('0c 1b 73 33 1b 51 41 32 30 30 30 2e 30 30 0d');
    // 找零 ¥500.00: CLR, ESC s '4', ESC Q A "500.00" CR
    expect(
      await bytesFor(
        view('paid', { amountFen: 150_000, tenderedFen: 200_000, changeFen: 50_000 }),
        '找零 500.00',
      ),
    ).toBe('0c 1b 73 34 1b 51 41 35 30 30 2e 30 30 0d');
    // idle: CLR, ESC s '0'
    expect(await bytesFor(view('idle'), '(blank)')).toBe('0c 1b 73 30');
    expect(sim.errors).toEqual([]);
    expect((await t.must('pole.settings.get', { session })).state).toBe('ready');
  });

  it('an older view is ignored; the same content twice is sent once', async () => {
    const newer = view('account', { amountFen: 1250 });
    const older = view('account', { amountFen: 999 }, newer.version - 1);
    const from = sim.received.length;
    t.ctx.runtime.push.publish('customer.view', newer);
    t.ctx.runtime.push.publish('customer.view', older);
    t.ctx.runtime.push.publish('customer.view', view('payment', { amountFen: 1250 }));
    await sim.until(() => sim.shown === '总计 12.50');
    await t.ctx.runtime.pole.display!.settled();
    expect(await bytesFor(view('idle'), '(blank)')).toBe('0c 1b 73 30');
    expect(hex(sim.received.slice(from))).toBe(
      '0c 1b 73 32 1b 51 41 31 32 2e 35 30 0d 0c 1b 73 30',
    );
  });

  it('an amount too long for 8 digits shows eight dashes under the lamp', async () => {
    expect(await bytesFor(view('account', { amountFen: 100_000_000 }), '总计 --------')).toBe(
      '0c 1b 73 32 1b 51 41 2d 2d 2d 2d 2d 2d 2d 2d 0d',
    );
    expect(sim.errors).toEqual([]);
  });

  it('the test button shows 总计 8888.88, then goes back to the counter’s view', async () => {
    t.ctx.runtime.pole.testHoldMs = 0;
    await bytesFor(view('idle'), '(blank)');
    const from = sim.received.length;
    const tested = await t.must('pole.test', { session });
    expect(tested.state).toBe('ready');
    expect(tested.shown).toEqual({ lamp: 'total', amountFen: 888_888, text: '8888.88' });
    await sim.until(() => sim.received.length >= from + 19 && sim.shown === '(blank)');
    expect(hex(sim.received.slice(from))).toBe(
      '0c 1b 73 32 1b 51 41 38 38 38 38 2e 38 38 0d 0c 1b 73 30',
    );
    t.ctx.runtime.pole.testHoldMs = 3000;
  });

  it('the clerk’s screen (customer.show) drives it: 总计, 收款, then 找零 of the real receipt', async () => {
    const [householdId] = householdsOwing(t, 20_000, 1);
    const show = (screen: Record<string, unknown>) => t.must('customer.show', { session, screen });
    const from = sim.received.length;
    await show({ phase: 'payment', householdId, amountFen: 12_345 });
    await sim.until(() => sim.shown === '总计 123.45');
    await show({ phase: 'payment', householdId, amountFen: 12_345, tenderedFen: 20_000 });
    await sim.until(() => sim.shown === '收款 200.00');
    const receipt = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId,
      amountFen: 12_345,
      tenders: [{ kind: 'cash', amountFen: 12_345, tenderedFen: 20_000 }],
    });
    await show({ phase: 'paid', householdId, receiptId: receipt.id });
    await sim.until(() => sim.shown === '找零 76.55');
    await show({ phase: 'idle' });
    await sim.until(() => sim.shown === '(blank)');
    await t.ctx.runtime.pole.display!.settled();
    expect(hex(sim.received.slice(from))).toBe(
      [
        '0c 1b 73 32 1b 51 41 31 32 33 2e 34 35 0d',
        '0c 1b 73 33 1b 51 41 32 30 30 2e 30 30 0d',
        '0c 1b 73 34 1b 51 41 37 36 2e 35 35 0d',
        '0c 1b 73 30',
      ].join(' '),
    );
    expect(sim.errors).toEqual([]);
  });

  it('settings: a port that cannot be opened is refused and changes nothing', async () => {
    const refused = await t.call('pole.settings.set', {
      session,
      ...SUPERVISOR,
      enabled: true,
      path: '/dev/ttyNOSUCHPORT9',
      baudRate: 9600,
    });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('POLE_PORT_UNAVAILABLE');
    expect(refused.error.message['zh-CN']).toContain('/dev/ttyNOSUCHPORT9');
    expect(refused.error.message['zh-CN']).toContain('原设置未改变');
    const kept = await t.must('pole.settings.get', { session });
    expect(kept).toMatchObject({ enabled: true, path: pair.ecr, baudRate: 2400 });
    // and the display still works on its port
    expect(await bytesFor(view('account', { amountFen: 300 }), '总计 3.00')).toBe(
      '0c 1b 73 32 1b 51 41 33 2e 30 30 0d',
    );
  });

  it('settings: bad input and a clerk instead of a supervisor are refused', async () => {
    const base = { session, ...SUPERVISOR, enabled: true, path: pair.ecr, baudRate: 2400 };
    for (const bad of [
      { path: 'rm -rf /' },
      { path: '' },
      { baudRate: 115_200 },
      { baudRate: '2400' },
      { enabled: 'yes' },
      { extra: 1 },
    ]) {
      const r = await t.call('pole.settings.set', { ...base, ...bad });
      expect(r.ok ? 'ok' : r.error.code, JSON.stringify(bad)).toBe('BAD_INPUT');
    }
    const clerk = await t.call('pole.settings.set', {
      ...base,
      supervisorCode: '1001',
      supervisorPin: '123456',
    });
    expect(clerk.ok).toBe(false);
    expect((await t.must('pole.settings.get', { session })).path).toBe(pair.ecr);
  });
});

/** Takes a real cash payment through dispatch, while `publish` drives the display. */
async function payWhile(publish: () => void) {
  const [householdId] = householdsOwing(t, 10_000, 1);
  publish();
  return t.must('payment.take', {
    session,
    requestId: randomUUID(),
    householdId,
    amountFen: 10_000,
    tenders: [{ kind: 'cash', amountFen: 10_000, tenderedFen: 10_000 }],
  });
}

describe('switching the pole display off', () => {
  it('blanks the LED and lets go of the port; switched on again it shows the counter’s view', async () => {
    await bytesFor(view('account', { amountFen: 4200 }), '总计 42.00');
    const from = sim.received.length;
    const off = await t.must('pole.settings.set', {
      session,
      ...SUPERVISOR,
      enabled: false,
      path: pair.ecr,
      baudRate: 2400,
    });
    expect(off).toMatchObject({ enabled: false, state: 'off', shown: null });
    expect((await t.must('terminal.status', {})).poleDisplay).toBeUndefined(); // off: not in the bar
    expect(hex(sim.received.slice(from))).toBe('0c 1b 73 30');
    expect(t.ctx.runtime.pole.display).toBeNull();
    t.ctx.runtime.push.publish('customer.view', view('account', { amountFen: 4300 }));
    expect(hex(sim.received.slice(from))).toBe('0c 1b 73 30'); // nothing sent while off
    // the port is free again: the settings check can open it at once
    const on = await t.must('pole.settings.set', {
      session,
      ...SUPERVISOR,
      enabled: true,
      path: pair.ecr,
      baudRate: 2400,
    });
    expect(on.state).toBe('ready');
    await sim.until(() => sim.shown === '总计 43.00');
  });
});

describe('a broken pole display never blocks a payment', () => {
  afterEach(async () => {
    t.ctx.runtime.pole.writeTimeoutMs = undefined;
    await configurePole(t.ctx, POLE_OFF);
  });

  it('a missing port: the payment goes through, the state says absent', async () => {
    await configurePole(t.ctx, { enabled: true, path: join(dir.dir, 'gone'), baudRate: 2400 });
    const paid = await payWhile(() =>
      t.ctx.runtime.push.publish('customer.view', view('account', { amountFen: 10_000 })),
    );
    expect(paid.totalFen).toBe(10_000);
    await t.ctx.runtime.pole.display!.settled();
    const state = await t.must('pole.settings.get', { session });
    expect(state.state).toBe('absent');
    expect(state.detail?.['zh-CN']).toContain('收费不受影响');
    // and the clerk sees it in the status bar
    const bar = await t.must('terminal.status', {});
    expect(bar.poleDisplay?.state).toBe('offline');
    expect(bar.poleDisplay?.detail?.['zh-CN']).toContain('客显未连接');
  });

  it('a display not taking data: the payment is done while the write still hangs; then error', async () => {
    const stuck = await startPtyPair(dir.dir, 'stuck');
    let fd: number | null = null;
    try {
      t.ctx.runtime.pole.writeTimeoutMs = 4000;
      await configurePole(t.ctx, { enabled: true, path: stuck.ecr, baudRate: 2400 });
      const display = t.ctx.runtime.pole.display!;
      expect((await display.settled()).state).toBe('ready');
      // socat stopped: nothing reads the line; fill what the kernel buffers so the next write hangs
      stuck.socat.kill('SIGSTOP');
      // (after the port's open, which flushes the line; kept open to the end: closing the last
      // other opener of the pty would drop what it holds)
      fd = openSync(stuck.ecr, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
      // the kernel moves buffered bytes on to the master's line discipline in the background,
      // freeing room again: fill until a round after a pause takes nothing more
      const fill = (handle: number) => {
        let written = 0;
        for (const size of [4096, 1]) {
          const chunk = Buffer.alloc(size, 0x30);
          try {
            for (; written < 64 * 1024 * 1024; written += writeSync(handle, chunk));
          } catch (e) {
            expect((e as NodeJS.ErrnoException).code).toBe('EAGAIN');
          }
        }
        return written;
      };
      let rounds = 0;
      while (fill(fd) > 0 && rounds++ < 100) await sleep(50);
      expect(rounds).toBeLessThan(100);
      const order: string[] = [];
      let settled: Promise<unknown> = Promise.resolve();
      const paid = await payWhile(() => {
        // (an amount the display does not show yet: the same one again would not be sent)
        t.ctx.runtime.push.publish('customer.view', view('account', { amountFen: 4321 }));
        settled = display.settled().then(() => order.push('display gave up'));
      });
      order.push('payment done');
      expect(paid.totalFen).toBe(10_000);
      await settled;
      expect(order).toEqual(['payment done', 'display gave up']);
      const state = await t.must('pole.settings.get', { session });
      expect(state.state).toBe('error');
      expect(state.detail?.en).toContain('does not take data');
      expect((await t.must('terminal.status', {})).poleDisplay?.state).toBe('error');
    } finally {
      if (fd !== null) closeSync(fd);
      stuck.socat.kill('SIGCONT');
      await t.ctx.runtime.pole.stop();
      await stuck.kill();
    }
  });

  it('the cable pulled (pty gone) mid-day: payments go on, the state says absent', async () => {
    const pulled = await startPtyPair(dir.dir, 'pulled');
    const line = await openSerialChannel({
      path: pulled.pt,
      baudRate: 2400,
      dataBits: 8,
      stopBits: 1,
      parity: 'none',
    });
    const far = new PoleDisplaySimulator();
    void far.attach(line);
    await configurePole(t.ctx, { enabled: true, path: pulled.ecr, baudRate: 2400 });
    t.ctx.runtime.push.publish('customer.view', view('account', { amountFen: 700 }));
    await far.until(() => far.shown === '总计 7.00');
    await pulled.kill();
    const paid = await payWhile(() =>
      t.ctx.runtime.push.publish('customer.view', view('account', { amountFen: 10_000 })),
    );
    expect(paid.totalFen).toBe(10_000);
    await t.ctx.runtime.pole.display!.settled();
    const state = await t.must('pole.settings.get', { session });
    expect(['absent', 'error']).toContain(state.state);
    expect(state.detail).not.toBeNull();
    await line.close();
  });
});
