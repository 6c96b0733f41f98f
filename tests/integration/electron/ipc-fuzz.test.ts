// IPC fuzz: 10,000 random, oversized and malformed payloads through the Electron IPC bridge's
// handler function (the exact function main.ts registers with ipcMain.handle) over a real ledger
// file → 0 crashes (the handler always resolves with a structured result) and 0 writes (the
// connection's total_changes(), the ledger file's bytes and the chain head are unchanged).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src-main/api/dispatch';
import { commands } from '@heating-cashier/core/contract/commands';
import { errorCodes } from '@heating-cashier/core/contract/errors';
import { createIpcHandler, MAX_IPC_PAYLOAD_BYTES } from '../../../src-main/electron/ipc';
import { chainHead } from '../../../src-main/ledger/event-log';
import { openTestTerminal, tempDir, type TestTerminal } from '../../support/terminal';

const PAYLOADS = Number(process.env.IPC_FUZZ_PAYLOADS ?? 10_000);

/** Deterministic PRNG (mulberry32) so a failure can be replayed with the same seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}

const BIG = 'x'.repeat(MAX_IPC_PAYLOAD_BYTES + 10);
const NAMES = Object.keys(commands);
const STRANGER = 'Z'.repeat(40);

function randomValue(r: ReturnType<typeof rng>, depth = 0): unknown {
  const kind = r.int(depth > 3 ? 12 : 17);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return r.next() < 0.5;
    case 3:
      return r.pick([0, -1, 1, 12.5, 1e20, -1e20, 2 ** 53 + 2, NaN, Infinity, -Infinity, -0]);
    case 4:
      return r.int(1_000_000);
    case 5:
      return r.pick([
        '',
        ' ',
        '张丽',
        "'; DROP TABLE events; --",
        'NEAR(a b) OR *',
        '\u0000',
        '../..',
        '%2e%2e',
        '\ud800',
      ]);
    case 6:
      return 'y'.repeat(r.int(5000));
    case 7:
      return BigInt(r.int(1000));
    case 8:
      return new Date(r.int(2 ** 40));
    case 9:
      return new Uint8Array(r.int(64));
    case 10:
      return r.pick([
        STRANGER,
        'A'.repeat(20),
        '9001',
        '1001x',
        'cashier-abcd1234-20260101T000000000Z-manual.sqlite',
      ]);
    case 11:
      return JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}');
    case 12: {
      const o: Record<string, unknown> = {};
      for (let i = r.int(6); i > 0; i--)
        o[r.pick(['session', 'input', 'amountFen', 'x', 'name', 'file', 'dir'])] = randomValue(
          r,
          depth + 1,
        );
      return o;
    }
    case 13:
      return Array.from({ length: r.int(5) }, () => randomValue(r, depth + 1));
    case 14:
      return new Map([[randomValue(r, depth + 1), randomValue(r, depth + 1)]]);
    case 15:
      return new Set([randomValue(r, depth + 1)]);
    default: {
      const cyclic: Record<string, unknown> = { a: 1 };
      cyclic.self = cyclic;
      return cyclic;
    }
  }
}

/** One fuzz case: [event, ...args] for the handler. */
function randomCall(r: ReturnType<typeof rng>): unknown[] {
  const appFrame = { senderFrame: { url: 'app://cashier/index.html', parent: null } };
  const roll = r.int(100);
  if (roll < 8) {
    // foreign or broken senders with otherwise valid requests
    const event = r.pick<unknown>([
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { senderFrame: { url: 'app://cashier/index.html', parent: {} } },
      { senderFrame: null },
      null,
      {},
    ]);
    return [event, { name: r.pick(NAMES), input: {} }];
  }
  if (roll < 13) return [appFrame, { name: r.pick(NAMES), input: { session: STRANGER, big: BIG } }];
  if (roll < 18) {
    let deep: unknown = {};
    for (let i = 0; i < 2000 + r.int(20_000); i++) deep = [deep];
    return [appFrame, { name: r.pick(NAMES), input: deep }];
  }
  if (roll < 28) return [appFrame, ...Array.from({ length: r.int(4) }, () => randomValue(r))];
  if (roll < 38) return [appFrame, { name: randomValue(r), input: randomValue(r) }];
  // A real command name with a mutated input; sessions are never valid, logins never match a clerk.
  const name = r.pick(NAMES);
  const input: Record<string, unknown> = { session: STRANGER };
  for (let i = r.int(8); i > 0; i--) {
    input[
      r.pick([
        'amountFen',
        'householdId',
        'query',
        'file',
        'dir',
        'pin',
        'reason',
        'limit',
        'extra',
        'tenders',
        'requestId',
      ])
    ] = randomValue(r);
  }
  if (name === 'session.login') {
    input.clerkCode = `Q${r.int(1e6)}`;
    input.pin = String(100000 + r.int(899999));
    delete input.session;
  }
  if (r.next() < 0.2) input.session = randomValue(r);
  return [appFrame, { name, input }];
}

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;

function snapshot() {
  t.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  return {
    bytes: createHash('sha256').update(readFileSync(t.dbFile)).digest('hex'),
    changes: (t.ctx.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n,
    head: chainHead(t.ctx.db),
  };
}

beforeAll(() => {
  dir = tempDir('cashier-ipc-fuzz-');
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 20 });
});
afterAll(() => {
  t?.close();
  dir?.cleanup();
});

describe('IPC bridge fuzz', () => {
  it(`${PAYLOADS} random/oversized/malformed payloads → 0 crashes, 0 writes`, async () => {
    const handler = createIpcHandler({
      dispatch: (name, input) => dispatch(t.ctx, name, input, () => {}),
    });
    const codes = new Set<string>(errorCodes as readonly string[]);
    const before = snapshot();
    const seen = new Map<string, number>();
    let crashes = 0;
    const r = rng(Number(process.env.IPC_FUZZ_SEED ?? 20261120));
    for (let i = 0; i < PAYLOADS; i++) {
      const [event, ...args] = randomCall(r);
      let result: unknown;
      try {
        result = await handler(event, ...args);
      } catch {
        crashes++;
        continue;
      }
      const res = result as {
        ok?: unknown;
        error?: { code?: unknown; message?: Record<string, unknown> };
      };
      if (res.ok === true) {
        seen.set('ok', (seen.get('ok') ?? 0) + 1);
        continue;
      }
      const code = res.error?.code;
      if (res.ok !== false || typeof code !== 'string' || !codes.has(code)) {
        crashes++;
        continue;
      }
      expect(typeof res.error?.message?.['zh-CN']).toBe('string');
      seen.set(code, (seen.get(code) ?? 0) + 1);
    }
    const after = snapshot();
    console.log(
      `IPC fuzz: ${PAYLOADS} payloads, ${crashes} crashes, outcomes ${JSON.stringify(Object.fromEntries(seen))}, total_changes ${before.changes} → ${after.changes}`,
    );
    expect(crashes).toBe(0);
    expect(after).toEqual(before);
    // The fuzz reached the guard, the contract and the services, not just one of them.
    expect(seen.get('SENDER_REFUSED')).toBeGreaterThan(0);
    expect(seen.get('BAD_INPUT')).toBeGreaterThan(0);
    expect(seen.get('NOT_LOGGED_IN')).toBeGreaterThan(0);
  }, 600_000);
});
