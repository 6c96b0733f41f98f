// A terminal switched off (or its cable pulled from a built-in port) leaves the serial port open and
// simply stops answering: no close, no error. The idle liveness check (a registration, 06 00) must
// show it offline, refuse card sales with a clear error before any intent is written, and bring the
// terminal back (registered anew) once it answers, without ever cutting into a transaction. Real
// socat pty pair, the simulator on the other end.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJournal, type SimScript } from '../../../src-main/devices/card-terminal/simulator';
import type { ZvtCardTerminal } from '../../../src-main/devices/card-terminal/zvt-driver';
import {
  attachCardTerminal,
  cardTerminalStatus,
  connectCardTerminal,
  detachCardTerminal,
  pendingCardPayments,
  probeCardTerminal,
} from '../../../src-main/features/card/card-payments';
import { ptyDriver, startSimulator } from '../../support/card';
import { sleep, waitFor } from '../../support/wait';
import { startPtyPair, type PtyPair } from '../../support/pty';
import {
  householdsOwing,
  openTestTerminal,
  tempDir,
  type TestTerminal,
} from '../../support/terminal';

const HEARTBEAT_MS = 200;
const NO_HEARTBEAT = 0;

let tmp: ReturnType<typeof tempDir>;
let pty: PtyPair;
let t: TestTerminal;
let session: string;
let driver: ZvtCardTerminal;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let journal: string;
let simLog: string[];
/** When the driver was asked to register (boot, heartbeat, the sale's own check). */
let registrations: number[];

const state = () => cardTerminalStatus(t.ctx).state;

/** Simulator on the pty; the real driver attached with a heartbeat, connected. */
async function boot(options: { on?: boolean; script?: SimScript; heartbeatMs?: number } = {}) {
  sim = await startSimulator(pty.pt, journal, options.script ?? {});
  simLog = [];
  sim.sim.log = (line) => simLog.push(line);
  if (options.on === false) sim.sim.powerOff();
  driver = ptyDriver(pty.ecr);
  registrations = [];
  const register = driver.register.bind(driver);
  driver.register = (o) => {
    registrations.push(Date.now());
    return register(o);
  };
  attachCardTerminal(t.ctx, driver, { heartbeatMs: options.heartbeatMs ?? HEARTBEAT_MS });
  return connectCardTerminal(t.ctx);
}

const sale = (householdId: string, amountFen = 5000) =>
  t.call('card.sale', { session, requestId: randomUUID(), householdId, amountFen });

beforeEach(async () => {
  tmp = tempDir('card-power-');
  journal = join(tmp.dir, 'sim-journal.json');
  t = openTestTerminal(join(tmp.dir, 'l.db'));
  session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 0 });
  pty = await startPtyPair(tmp.dir);
});
afterEach(async () => {
  detachCardTerminal(t.ctx);
  if (sim?.sim.isPoweredOff) sim.sim.powerOn(); // else the log-off waits out its retransmissions
  await driver?.close().catch(() => undefined);
  await sim?.channel.close().catch(() => undefined);
  await pty.kill();
  t.close();
  tmp.cleanup();
});

describe('card terminal switched off with the port still open', () => {
  it('idle: ready → offline (无应答) → switched on → registered anew and ready; a sale then goes through', async () => {
    expect((await boot()).connected).toBe(true);
    expect(state()).toBe('ready');
    // the heartbeat registers while idle
    simLog.length = 0;
    expect(await waitFor(() => simLog.some((l) => l.startsWith('06 00')), 3000)).toBe(true);

    sim.sim.powerOff();
    expect(await waitFor(() => state() === 'offline', 5000)).toBe(true);
    const detail = cardTerminalStatus(t.ctx).detail!;
    expect(detail['zh-CN']).toMatch(/无应答/);
    expect(detail['zh-CN']).toMatch(/手工刷卡登记/);
    expect(detail.en).toMatch(/does not answer/);
    expect(driver.connected).toBe(true); // the port itself never reported anything

    simLog.length = 0;
    sim.sim.powerOn(); // forgets the registration, like a real power cycle
    expect(await waitFor(() => state() === 'ready', 5000)).toBe(true);
    expect(simLog.some((l) => l.startsWith('06 00'))).toBe(true); // registered again

    const [household] = householdsOwing(t, 5000, 1);
    expect((await sale(household!)).ok).toBe(true);
    expect(readJournal(journal).transactions).toHaveLength(1);
  });

  it('a power cycle shorter than the heartbeat: registered again by the next one, the sale goes through', async () => {
    await boot();
    sim.sim.powerOff();
    await sleep(50);
    sim.sim.powerOn(); // not registered now; every answer it gives looks normal
    const since = Date.now();
    expect(await waitFor(() => registrations.some((at) => at > since + 10), 3000)).toBe(true);
    await sleep(100);
    const [household] = householdsOwing(t, 5000, 1);
    const r = await sale(household!);
    expect(r.ok ? 'ok' : r.error.code).toBe('ok');
  });

  it('a sale while it is off is refused before anything is written or charged; cash still works', async () => {
    await boot();
    sim.sim.powerOff();
    expect(await waitFor(() => state() === 'offline', 5000)).toBe(true);
    const [household, other] = householdsOwing(t, 5000, 2);

    const started = Date.now();
    const r = await sale(household!);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('CARD_TERMINAL_UNANSWERED');
    expect(r.error.message['zh-CN']).toMatch(/未扣款/);
    // one more check (T3 = 1 s in tests), not three transmissions of a sale
    expect(Date.now() - started).toBeLessThan(2900);
    const intents = t.ctx.db.prepare('SELECT count(*) AS n FROM card_payments').get() as {
      n: number;
    };
    expect(intents.n).toBe(0);
    expect(pendingCardPayments(t.ctx)).toEqual([]);
    expect(readJournal(journal).transactions).toHaveLength(0);

    const cash = await t.call('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: other!,
      amountFen: 5000,
      tenders: [{ kind: 'cash', amountFen: 5000, tenderedFen: 5000 }],
    });
    expect(cash.ok).toBe(true);
  });

  it('switched on again: the next sale asks first and goes through without waiting for a heartbeat', async () => {
    await boot({ heartbeatMs: NO_HEARTBEAT });
    sim.sim.powerOff();
    await probeCardTerminal(t.ctx); // as the heartbeat would
    expect(state()).toBe('offline');
    sim.sim.powerOn();
    const [household] = householdsOwing(t, 5000, 1);
    expect((await sale(household!)).ok).toBe(true);
    expect(state()).toBe('ready');
  });

  it('off when the terminal starts: offline, not ready; comes up by itself once switched on', async () => {
    const r = await boot({ on: false });
    expect(r.connected).toBe(false);
    expect(state()).toBe('offline');
    sim.sim.powerOn();
    expect(await waitFor(() => state() === 'ready', 6000)).toBe(true);
  });

  it('the heartbeat never cuts into a sale or an end-of-day', async () => {
    // a slow terminal: "insert card" shown for 1.5 s, several heartbeats long
    await boot({ script: { faults: [{ on: 'sale', fault: 'slow', ms: 1500 }], stepMs: 100 } });
    const [household] = householdsOwing(t, 5000, 1);
    let started = Date.now();
    expect((await sale(household!)).ok).toBe(true);
    let ended = Date.now();
    expect(registrations.filter((at) => at >= started && at <= ended)).toEqual([]);
    // no unresolved payment guards an end-of-day (settling with the bank takes a while)
    sim.sim.setStepMs(1000);
    started = Date.now();
    expect((await t.call('card.endOfDay', { session })).ok).toBe(true);
    ended = Date.now();
    expect(ended - started).toBeGreaterThan(4 * HEARTBEAT_MS);
    expect(registrations.filter((at) => at >= started && at <= ended)).toEqual([]);
    // and it carries on afterwards
    expect(await waitFor(() => registrations.some((at) => at > ended), 3000)).toBe(true);
  });

  it('a sale arriving while a check is under way waits for it instead of failing busy', async () => {
    // every terminal step takes 400 ms, the registration too
    await boot({ script: { stepMs: 400 }, heartbeatMs: NO_HEARTBEAT });
    const [household] = householdsOwing(t, 5000, 1);
    const check = probeCardTerminal(t.ctx);
    const r = await sale(household!);
    await check;
    expect(r.ok ? 'ok' : r.error.code).toBe('ok');
  });

  it('no check while a card payment is unresolved (the terminal may still be finishing it)', async () => {
    // the terminal acknowledges the sale and goes silent: outcome unknown after T4 (3 s in tests)
    await boot({ script: { faults: [{ on: 'sale', fault: 'silence' }] } });
    const [household] = householdsOwing(t, 5000, 1);
    const r = await sale(household!);
    expect(r.ok ? 'ok' : r.error.code).toBe('CARD_OUTCOME_UNKNOWN');
    const since = Date.now();
    await sleep(4 * HEARTBEAT_MS);
    expect(registrations.filter((at) => at > since)).toEqual([]);
    expect(state()).toBe('error');
  });

  it('detaching stops the heartbeat: a terminal attached again is not checked by the old timer', async () => {
    await boot();
    detachCardTerminal(t.ctx);
    attachCardTerminal(t.ctx, driver, { heartbeatMs: NO_HEARTBEAT });
    const since = Date.now();
    await sleep(4 * HEARTBEAT_MS);
    expect(registrations.filter((at) => at > since)).toEqual([]);
  });
});
