// Cable pulled (socat killed) while the serial reader is between "readable" and its read(): the
// read then runs on a hung-up tty and gets 0 bytes, which @serialport/bindings-cpp retries forever
// (unixRead) — no 'close', no 'error'. The status bar kept saying 就绪 (the flaky e2e
// "terminal unplugged"). Here that ordering is forced: libuv's thread pool is held (reads from
// FIFOs nobody writes yet) while a byte arrives and while socat is killed, then released.
import { spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ByteChannel } from '../../../src-main/devices/card-terminal/link';
import type { CardTerminalEvent } from '../../../src-main/devices/card-terminal/port';
import {
  openSerialChannel,
  ZVT_SERIAL,
} from '../../../src-main/devices/card-terminal/serial-channel';
import {
  attachCardTerminal,
  cardTerminalStatus,
} from '../../../src-main/features/card/card-payments';
import { ptyDriver, startSimulator } from '../../support/card';
import { sleep, waitFor } from '../../support/wait';
import { startPtyPair, tempDir, type PtyPair } from '../../support/pty';
import { openTestTerminal, type TestTerminal } from '../../support/terminal';

let tmp: ReturnType<typeof tempDir>;
let pty: PtyPair;
let t: TestTerminal | null = null;
const cleanups: (() => Promise<unknown> | unknown)[] = [];

beforeEach(async () => {
  tmp = tempDir('zvt-unplug-');
  pty = await startPtyPair(tmp.dir);
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await pty.kill();
  t?.close();
  t = null;
  tmp.cleanup();
});

/** Occupies every libuv pool thread until the returned function is called. */
async function holdThreadPool(): Promise<() => Promise<void>> {
  const n = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  const fifos = Array.from({ length: n }, (_, i) => join(tmp.dir, `hold-${i}`));
  for (const f of fifos) expect(spawnSync('mkfifo', [f]).status).toBe(0);
  const blocked = fifos.map((f) => open(f, 'r')); // each open() waits in a pool thread for a writer
  await sleep(100);
  return async () => {
    for (const f of fifos) closeSync(openSync(f, 'w')); // main thread: the readers are there, no wait
    for (const h of await Promise.all(blocked)) await h.close();
  };
}

/**
 * A byte reaches the ECR end while the pool is held (its read() is queued), socat is killed, and
 * only then does the queued read run — on a line that has hung up.
 */
async function pullCableWithReadQueued(): Promise<void> {
  const terminalEnd = openSync(pty.pt, constants.O_RDWR | constants.O_NOCTTY);
  try {
    const release = await holdThreadPool();
    try {
      writeSync(terminalEnd, Uint8Array.of(0x06)); // a stray ACK: harmless to the driver
      await sleep(300); // the ECR end's poller fires, its read() waits for a pool thread
      await pty.kill();
    } finally {
      await release();
    }
  } finally {
    closeSync(terminalEnd);
  }
}

describe('card terminal line hang-up (cable pulled)', () => {
  it('the serial channel reports close even when a read was queued at the hang-up', async () => {
    const ecr: ByteChannel = await openSerialChannel({ ...ZVT_SERIAL, path: pty.ecr });
    cleanups.push(() => ecr.close());
    const closes: (Error | null)[] = [];
    ecr.onClose((e) => closes.push(e));
    ecr.onData(() => undefined);
    await sleep(100);
    expect(ecr.isOpen).toBe(true);

    await pullCableWithReadQueued();

    expect(await waitFor(() => closes.length > 0, 5000)).toBe(true);
    expect(ecr.isOpen).toBe(false);
    expect(closes).toHaveLength(1);
    expect(closes[0]?.message).toMatch(/hung up/);
    await expect(ecr.write(Uint8Array.of(0x06))).rejects.toThrow();
  });

  it('a registered terminal goes ready → offline, and the driver says the line dropped', async () => {
    t = openTestTerminal(join(tmp.dir, 'l.db'));
    const sim = await startSimulator(pty.pt, join(tmp.dir, 'journal.json'));
    cleanups.push(() => sim.channel.close());
    const driver = ptyDriver(pty.ecr);
    cleanups.push(() => driver.close().catch(() => undefined));
    const events: CardTerminalEvent[] = [];
    driver.onEvent((e) => events.push(e));
    attachCardTerminal(t.ctx, driver);
    await driver.connect();
    expect(cardTerminalStatus(t.ctx).state).toBe('ready');

    await pullCableWithReadQueued();

    expect(await waitFor(() => cardTerminalStatus(t!.ctx).state === 'offline', 5000)).toBe(true);
    expect(driver.connected).toBe(false);
    expect(events.filter((e) => e.kind === 'connection').at(-1)?.text.en).toMatch(/dropped/);
  });
});
