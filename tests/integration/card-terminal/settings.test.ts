// The card terminal set from the settings screen's commands (issue 19): card.ports,
// card.settings.get / .test / .set against the real ZVT simulator behind a socat pty pair. Bad
// input of every kind is refused with a clear error and changes nothing (the saved row, the terminal
// in use); a good port registers, is saved and replaces the terminal in use without a restart (a
// card sale then goes through it); a change is refused while a card transaction is open.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../../src-main/devices/card-terminal/simulator';
import { resolveCardTerminal } from '../../../src-main/features/card/card-terminal-config';
import { startSimulator } from '../../support/card';
import { waitFor } from '../../support/wait';
import { startPtyPair, type PtyPair } from '../../support/pty';
import {
  householdsOwing,
  openTestTerminal,
  tempDir,
  type TestTerminal,
} from '../../support/terminal';

let tmp: ReturnType<typeof tempDir>;
let good: PtyPair; // the simulator behind it
let mute: PtyPair; // nothing behind it: a port that opens, a terminal that never answers
let sim: Awaited<ReturnType<typeof startSimulator>>;
let journal: string;
let t: TestTerminal;
let clerk: string;
let sup: string;
let households: string[];
const SUP = { supervisorCode: '9001', supervisorPin: '888888' };
/** Short protocol timers (the simulator runs the tests' fast ones). */
const FAST = { t3Ms: 1000, t4Ms: 3000, heartbeatMs: 0 };

const savedRow = () =>
  (
    t.ctx.db.prepare("SELECT value FROM settings WHERE key = 'cardTerminal'").get() as
      { value: string } | undefined
  )?.value ?? null;

/** What a refused change must leave as it was: the saved row and the terminal in use. */
function snapshot() {
  return {
    row: savedRow(),
    attached: t.ctx.runtime.card.attached,
    settings: t.ctx.runtime.card.settings,
  };
}

beforeAll(async () => {
  // no card terminal from the environment of whoever runs the tests
  for (const k of Object.keys(process.env)) if (k.startsWith('CASHIER_CARD')) delete process.env[k];
  tmp = tempDir('card-settings-');
  journal = join(tmp.dir, 'journal.json');
  good = await startPtyPair(tmp.dir, 'good');
  mute = await startPtyPair(tmp.dir, 'mute');
  // the 5th sale is approved by nobody: ACK, then silence (its outcome stays unknown)
  sim = await startSimulator(good.pt, journal, {
    faults: [{ on: 'sale', nth: 5, fault: 'silence' }],
  });
  t = openTestTerminal(join(tmp.dir, 'l.db'));
  clerk = await t.login();
  sup = await t.login('9001', '888888');
  await t.must('shift.open', { session: clerk, openingFloatFen: 0 });
  households = householdsOwing(t, 5000, 5);
});
afterAll(async () => {
  t.close();
  await sim.channel.close().catch(() => undefined);
  await good.kill();
  await mute.kill();
  tmp.cleanup();
});

describe('card terminal settings commands', () => {
  it('nothing configured: no terminal, source none; the ports serialport lists', async () => {
    const view = await t.must('card.settings.get', { session: clerk });
    expect(view).toMatchObject({ settings: null, source: 'none' });
    expect(view.status.state).toBe('unavailable');
    const { ports } = await t.must('card.ports', { session: sup });
    expect(Array.isArray(ports)).toBe(true); // a pty is never listed: the screen takes a typed path
  });

  it('bad input of every kind → BAD_INPUT, nothing changed', async () => {
    const before = snapshot();
    const bad: Record<string, unknown>[] = [
      { path: '' },
      { path: 'ttyUSB0' }, // relative
      { path: '/dev/tty USB0' },
      { path: '/dev/ttyUSB0; rm -rf /' },
      { path: 'COM1000' },
      { path: '/dev/ttyUSB0', baudRate: 300 },
      { path: '/dev/ttyUSB0', baudRate: 9600.5 },
      { path: '/dev/ttyUSB0', baudRate: '9600' },
      { path: '/dev/ttyUSB0', stopBits: 3 },
      { path: '/dev/ttyUSB0', dataBits: 6 },
      { path: '/dev/ttyUSB0', parity: 'mark' },
      { path: '/dev/ttyUSB0', password: '12345' },
      { path: '/dev/ttyUSB0', password: 'abcdef' },
      { path: '/dev/ttyUSB0', currency: 0 },
      { path: '/dev/ttyUSB0', heartbeatMs: -1 },
      { path: '/dev/ttyUSB0', extra: true },
    ];
    for (const settings of bad) {
      const test = await t.call('card.settings.test', { session: sup, settings });
      expect(test.ok ? 'ok' : test.error.code, JSON.stringify(settings)).toBe('BAD_INPUT');
      const set = await t.call('card.settings.set', {
        session: sup,
        ...SUP,
        enabled: true,
        settings,
      });
      expect(set.ok ? 'ok' : set.error.code, JSON.stringify(settings)).toBe('BAD_INPUT');
    }
    // enabled without settings; no PIN; a wrong PIN; a clerk instead of a supervisor
    const refusals = [
      [{ session: sup, ...SUP, enabled: true }, 'BAD_INPUT'],
      [{ session: sup, enabled: true, settings: { path: good.ecr } }, 'BAD_INPUT'],
      [
        {
          session: sup,
          ...SUP,
          supervisorPin: '000000',
          enabled: true,
          settings: { path: good.ecr },
        },
        'BAD_CREDENTIALS',
      ],
      [
        { session: clerk, supervisorCode: '1001', supervisorPin: '123456', enabled: false },
        'NOT_SUPERVISOR',
      ],
    ] as const;
    for (const [input, code] of refusals) {
      const r = await t.call('card.settings.set', input);
      expect(r.ok ? 'ok' : r.error.code).toBe(code);
    }
    const asClerk = await t.call('card.settings.test', {
      session: clerk,
      settings: { path: good.ecr },
    });
    expect(asClerk.ok ? 'ok' : asClerk.error.code).toBe('SUPERVISOR_SESSION_REQUIRED');
    expect(snapshot()).toEqual(before);
    expect(readJournal(journal).transactions).toEqual([]);
  });

  it('a port that does not exist, or is no serial port → CARD_PORT_UNAVAILABLE naming it, nothing changed', async () => {
    const notATty = join(tmp.dir, 'plain-file');
    writeFileSync(notATty, 'x');
    const before = snapshot();
    for (const path of ['/dev/ttyNOSUCH9', join(tmp.dir, 'missing'), notATty]) {
      for (const r of [
        await t.call('card.settings.test', { session: sup, settings: { path, ...FAST } }),
        await t.call('card.settings.set', {
          session: sup,
          ...SUP,
          enabled: true,
          settings: { path, ...FAST },
        }),
      ]) {
        expect(r.ok ? 'ok' : r.error.code, path).toBe('CARD_PORT_UNAVAILABLE');
        if (!r.ok) {
          expect(r.error.message['zh-CN']).toContain(path);
          expect(r.error.message['zh-CN']).toContain('原设置未改变');
          expect(r.error.message.en).toContain('the settings are unchanged');
        }
      }
    }
    expect(snapshot()).toEqual(before);
  });

  it('a port with no terminal answering → CARD_TEST_NO_ANSWER (check power, cable, baud), nothing changed', async () => {
    const before = snapshot();
    const r = await t.call('card.settings.set', {
      session: sup,
      ...SUP,
      enabled: true,
      settings: { path: mute.ecr, baudRate: 19200, ...FAST },
    });
    expect(r.ok ? 'ok' : r.error.code).toBe('CARD_TEST_NO_ANSWER');
    if (!r.ok) expect(r.error.message['zh-CN']).toContain('19200');
    expect(snapshot()).toEqual(before);
  });

  it('test registration answers in the clerk’s words and saves nothing', async () => {
    const before = snapshot();
    const r = await t.must('card.settings.test', {
      session: sup,
      settings: { path: good.ecr, ...FAST },
    });
    expect(r.terminalId).toBe('68012345');
    expect(r.message['zh-CN']).toBe('刷卡机已应答，签到成功（终端号 68012345）。');
    expect(snapshot()).toEqual(before);
  });

  it('save → the terminal is replaced without restart, saved on screen, and a card sale goes through it', async () => {
    const saved = await t.must('card.settings.set', {
      session: sup,
      ...SUP,
      enabled: true,
      settings: { path: good.ecr, ...FAST },
    });
    expect(saved).toMatchObject({ source: 'screen', terminalId: '68012345' });
    expect(saved.settings).toMatchObject({
      path: good.ecr,
      baudRate: 9600,
      stopBits: 2,
      password: '000000',
    });
    expect(saved.status.state).toBe('ready');
    expect(JSON.parse(savedRow()!)).toMatchObject({ path: good.ecr, t3Ms: 1000 });
    // the next start uses it too, before any flag or environment variable
    expect(
      resolveCardTerminal(
        t.ctx.db,
        { CASHIER_CARD_TERMINAL: '/dev/ttyS9' },
        { ...saved.settings!, path: '/dev/ttyS8' },
      ),
    ).toMatchObject({ source: 'screen', settings: { path: good.ecr } });

    const sale = await t.must('card.sale', {
      session: clerk,
      requestId: randomUUID(),
      householdId: households[0],
      amountFen: 2500,
    });
    expect(sale.payment.state).toBe('completed');
    expect(readJournal(journal).transactions).toHaveLength(1);
  });

  it('a wrong port after a working one: refused, the working terminal stays in use and takes the next sale', async () => {
    const before = snapshot();
    const r = await t.call('card.settings.set', {
      session: sup,
      ...SUP,
      enabled: true,
      settings: { path: '/dev/ttyNOSUCH9', ...FAST },
    });
    expect(r.ok ? 'ok' : r.error.code).toBe('CARD_PORT_UNAVAILABLE');
    expect(snapshot()).toEqual(before);
    const sale = await t.must('card.sale', {
      session: clerk,
      requestId: randomUUID(),
      householdId: households[1],
      amountFen: 1000,
    });
    expect(sale.payment.state).toBe('completed');
  });

  it('a test on the port in use closes it for the trial and reconnects the terminal in use', async () => {
    const inUse = t.ctx.runtime.card.attached;
    const r = await t.call('card.settings.test', {
      session: sup,
      settings: { path: good.ecr, ...FAST, password: '123456' },
    });
    expect(r.ok).toBe(true);
    expect(t.ctx.runtime.card.attached).toBe(inUse);
    expect(t.ctx.runtime.card.settings?.password).toBe('000000');
    expect((await t.must('card.settings.get', { session: sup })).status.state).toBe('ready');
    const sale = await t.must('card.sale', {
      session: clerk,
      requestId: randomUUID(),
      householdId: households[2],
      amountFen: 1200,
    });
    expect(sale.payment.state).toBe('completed');
  });

  it('refused while a sale runs on the terminal', async () => {
    // ¥x.99: the simulator shows "insert card" for 10 s (the 4th sale)
    const running = t.call('card.sale', {
      session: clerk,
      requestId: randomUUID(),
      householdId: households[4],
      amountFen: 1099,
    });
    expect(await waitFor(() => t.ctx.runtime.card.attached?.inFlight != null, 10_000)).toBe(true);
    const before = snapshot();
    const r = await t.call('card.settings.test', {
      session: sup,
      settings: { path: good.ecr, ...FAST },
    });
    expect(r.ok ? 'ok' : r.error.code).toBe('CARD_SETTINGS_BUSY');
    expect(snapshot()).toEqual(before);
    await t.must('card.abort', { session: clerk });
    const aborted = await running;
    expect(aborted.ok ? aborted.value.payment.state : aborted.error.code).toBe('declined');
  });

  it('refused while a card payment is unresolved; allowed again once it is resolved', async () => {
    const lost = await t.call('card.sale', {
      session: clerk,
      requestId: randomUUID(),
      householdId: households[3],
      amountFen: 3000,
    });
    expect(lost.ok ? 'ok' : lost.error.code).toBe('CARD_OUTCOME_UNKNOWN');
    const before = snapshot();
    for (const r of [
      await t.call('card.settings.test', { session: sup, settings: { path: good.ecr, ...FAST } }),
      await t.call('card.settings.set', { session: sup, ...SUP, enabled: false }),
    ]) {
      expect(r.ok ? 'ok' : r.error.code).toBe('CARD_SETTINGS_BUSY');
      if (!r.ok) expect(r.error.message['zh-CN']).toContain('原设置未改变');
    }
    expect(snapshot()).toEqual(before);
    const [pending] = (await t.must('card.pending', { session: clerk })).payments;
    await t.must('card.inspect', { session: clerk, intentId: pending!.intentId });
    await t.must('card.resolve', { session: clerk, intentId: pending!.intentId, action: 'fail' });

    const off = await t.must('card.settings.set', { session: sup, ...SUP, enabled: false });
    expect(off).toMatchObject({ settings: null, source: 'screen' });
    expect(off.status.state).toBe('unavailable');
    expect(savedRow()).toBe('off');
    expect(resolveCardTerminal(t.ctx.db, { CASHIER_CARD_TERMINAL: '/dev/ttyS9' })).toEqual({
      settings: null,
      source: 'screen',
    });
  });
});
