// Set-up shared by the sync suites: one head office per backend for the describe block, terminals
// on real SQLite files closed after each test, and a drain of the sync worker that must finish.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { SyncWorker } from '../../src-main/features/sync/worker';
import { startHeadOffice, type Backend, type TestHeadOffice } from './head-office';
import { openTestTerminal, tempDir, type TestTerminal } from './terminal';

/** Short back-off so a test's drain takes milliseconds, not the production seconds. */
export const FAST_SYNC = { backoffBaseMs: 5, backoffCapMs: 50, requestTimeoutMs: 5000 };

export interface SyncSuite {
  /** The head office of this describe block (started in beforeAll). */
  readonly ho: TestHeadOffice;
  /** A fresh terminal with a demo district of `households`, closed after the test. */
  terminal(clock?: () => Date): TestTerminal;
  /** Pushes and pulls until nothing is left (at most 6 cycles, 20 s). */
  sync(t: TestTerminal): Promise<void>;
}

/** Call inside a describe block: registers the hooks and returns the suite's handles. */
export function syncSuite(
  backend: Backend,
  households: number,
  options: Parameters<typeof startHeadOffice>[1] = {},
): SyncSuite {
  let ho: TestHeadOffice | undefined;
  const dirs: { cleanup(): void }[] = [];
  const terminals: TestTerminal[] = [];
  beforeAll(async () => {
    ho = await startHeadOffice(backend, options);
  });
  afterAll(async () => {
    await ho?.close();
  });
  afterEach(() => {
    terminals.splice(0).forEach((t) => t.close());
    dirs.splice(0).forEach((d) => d.cleanup());
  });
  return {
    get ho() {
      if (!ho) throw new Error('the head office starts in beforeAll');
      return ho;
    },
    terminal(clock) {
      const d = tempDir();
      dirs.push(d);
      const t = openTestTerminal(join(d.dir, 'ledger.db'), {
        households,
        ...(clock ? { clock } : {}),
      });
      terminals.push(t);
      return t;
    },
    async sync(t) {
      expect(
        await new SyncWorker(t.ctx, FAST_SYNC).drain({ maxCycles: 6, deadlineMs: 20_000 }),
      ).toMatchObject({ done: true });
    },
  };
}
