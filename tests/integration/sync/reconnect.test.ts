// Sync after an outage (issue 21, defect 11): a real head office (PGlite) behind a proxy that can cut
// the network. The worker's loop runs in virtual time (its injectable scheduler), so the test asserts
// on the delays it schedules and when it wakes, not on wall-clock timing: while head office is away
// the worker probes at most every 15 s, new payments wake it early (at most one attempt per 5 s),
// and the terminal reports online at most 15 s after head office returns.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureSync, syncState } from '../../../src-main/features/sync/store';
import { SyncWorker, type SyncScheduler } from '../../../src-main/features/sync/worker';
import { startChaosProxy, type ChaosProxy } from '../../fault/support/chaos-proxy';
import { startHeadOffice, type TestHeadOffice } from '../../support/head-office';
import { householdsOwing, openTestTerminal, payCash, tempDir } from '../../support/terminal';

/** Timers in virtual time: nothing fires until the test fires it. */
function virtualTime() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { due: number; fn: () => void }>();
  const scheduler: SyncScheduler = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.set(id, { due: now + ms, fn });
      return id;
    },
    clearTimeout: (handle) => {
      timers.delete(handle as number);
    },
  };
  return {
    scheduler,
    now: () => now,
    /**
     * Fires the pending timers in time order until the sleeping worker wakes (it then has no timer
     * pending: it is cycling). Answers the virtual time it woke at.
     */
    untilWake(): number {
      while (timers.size > 0) {
        const [id, next] = [...timers].sort((a, b) => a[1].due - b[1].due)[0]!;
        timers.delete(id);
        now = Math.max(now, next.due);
        next.fn();
      }
      return now;
    },
  };
}

/** The worker's sleeps, in order, as promises. */
function sleepLog() {
  const queued: { ms: number; reason: string }[] = [];
  const waiting: ((s: { ms: number; reason: string }) => void)[] = [];
  return {
    onSleep: (ms: number, reason: string) => {
      const w = waiting.shift();
      if (w) w({ ms, reason });
      else queued.push({ ms, reason });
    },
    next: (): Promise<{ ms: number; reason: string }> => {
      const q = queued.shift();
      return q ? Promise.resolve(q) : new Promise((r) => waiting.push(r));
    },
  };
}

const dir = tempDir();
let ho: TestHeadOffice | undefined;
let proxy: ChaosProxy | undefined;
let worker: SyncWorker | undefined;
beforeAll(async () => {
  ho = await startHeadOffice('pglite');
  // With faults on, every request is dropped (connection cut): head office is unreachable.
  proxy = await startChaosProxy(ho.url, () => 0.5, {
    pass: 0,
    drop: 1,
    delay: 0,
    duplicate: 0,
    reorder: 0,
    error500: 0,
    applied500: 0,
    reset: 0,
    truncateRequest: 0,
    truncateResponse: 0,
  });
});
afterAll(async () => {
  await worker?.stop();
  await proxy?.close();
  await ho?.close();
  dir.cleanup();
});

describe('sync after an outage (PGlite head office behind a proxy)', () => {
  it('probes at most every 15 s while offline, wakes early for new payments, and is online within 15 s of head office returning', async () => {
    if (!ho || !proxy) throw new Error('head office and proxy start in beforeAll');
    proxy.setFaults(false);
    const t = openTestTerminal(join(dir.dir, 't.db'), { households: 120 });
    const token = await ho.enrol(t);
    configureSync(t.ctx.db, proxy.url, token);
    const vt = virtualTime();
    const sleeps = sleepLog();
    // The worst case of every full-jitter draw: the longest wait the backoff allows.
    worker = new SyncWorker(t.ctx, {
      scheduler: vt.scheduler,
      onSleep: sleeps.onSleep,
      random: () => 0.999_999,
      requestTimeoutMs: 5000,
    });
    worker.start();
    expect(await sleeps.next()).toMatchObject({ reason: 'interval' });
    expect(worker.status()).toMatchObject({ online: true, state: 'ready', pendingEvents: 0 });

    // Head office goes away for a long outage: a dozen attempts fail, none waits more than 15 s.
    proxy.setFaults(true);
    const delays: number[] = [];
    let woke = vt.untilWake();
    for (let i = 0; i < 12; i++) {
      const s = await sleeps.next();
      expect(s.reason).toBe('backoff');
      delays.push(s.ms);
      if (i < 11) woke = vt.untilWake();
    }
    expect(worker.status()).toMatchObject({ online: false, state: 'offline' });
    expect(Math.max(...delays)).toBeGreaterThan(10_000); // the backoff did grow…
    expect(Math.max(...delays)).toBeLessThanOrEqual(15_000); // …to a short cap, not minutes

    // The counter goes on: 400 payments while offline. They wake the worker before its backoff
    // ends, but not more often than every 5 s.
    const lastAttempt = woke;
    const session = await t.login();
    await t.must('shift.open', { session, openingFloatFen: 0 });
    const households = householdsOwing(t, 500, 40);
    for (let i = 0; i < 400; i++) await payCash(t, session, households[i % 40]!, 1);
    const early = vt.untilWake();
    expect(early - lastAttempt).toBeGreaterThanOrEqual(5_000);
    expect(early - lastAttempt).toBeLessThan(delays.at(-1)!);
    expect(await sleeps.next()).toMatchObject({ reason: 'backoff' });
    expect(worker.status()).toMatchObject({ online: false, state: 'offline' });

    // Head office returns (no new payment meanwhile): online at most 15 s later, everything pushed.
    proxy.setFaults(false);
    const back = vt.now();
    const reconnected = vt.untilWake();
    expect(reconnected - back).toBeLessThanOrEqual(15_000);
    expect(await sleeps.next()).toMatchObject({ reason: 'interval' });
    expect(worker.status()).toMatchObject({ online: true, state: 'ready', pendingEvents: 0 });
    expect(syncState(t.ctx.db).acked_seq).toBeGreaterThan(400);
    await worker.stop();
    t.close();
  });
});
