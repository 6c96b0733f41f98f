// Every command of the contract through every transport's code path, from the same starting
// state: dispatch directly, the WebSocket host (renderer client -> ws -> host -> dispatch), and
// the bridge client (renderer client -> preload-like bridge -> dispatch, as Electron IPC does).
// Same ok/error code and the same value shape on all three.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WS, { WebSocketServer } from 'ws';
import { dispatch } from '../../src-main/api/dispatch';
import { commands, type CommandName } from '../../src-main/contract';
import { startHost, type Host } from '../../src-main/host/server';
import {
  createBridgeClient,
  createWebSocketClient,
  type ApiClient,
  type ClientResult,
  type WebSocketConstructor,
} from '../../src-renderer/api/client';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';
import { attachMemoryCardTerminal } from '../support/card';

/** What a step may read from earlier replies on the same path. */
interface State {
  session: string;
  householdId: string;
  receiptId: string;
  receiptLabel: string;
  printJobId: string;
  shiftId: string;
  bookId: string;
  cardIntentId?: string;
}

interface Step {
  name: CommandName | 'no.such.command';
  /** The code the step must end with on every path: 'ok' or an error code. */
  expect: string;
  input(s: State): unknown;
  remember?(value: Record<string, unknown>, s: State): void;
}

const REQUEST_ID = '0190a5e4-1111-7222-8333-444455556666';
const SUPERVISOR = { supervisorCode: '9001', supervisorPin: '888888' };

const steps: Step[] = [
  { name: 'terminal.info', expect: 'ok', input: () => ({}) },
  { name: 'terminal.info', expect: 'BAD_INPUT', input: () => ({ unexpected: 1 }) },
  { name: 'terminal.status', expect: 'ok', input: () => ({}) },
  {
    name: 'session.login',
    expect: 'BAD_CREDENTIALS',
    input: () => ({ clerkCode: '1001', pin: '000000' }),
  },
  {
    name: 'session.login',
    expect: 'ok',
    input: () => ({ clerkCode: '1001', pin: '123456' }),
    remember: (v, s) => {
      s.session = v.session as string;
    },
  },
  { name: 'shift.current', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'shift.open',
    expect: 'ok',
    input: (s) => ({ session: s.session, openingFloatFen: 20_000 }),
    remember: (v, s) => {
      s.shiftId = v.id as string;
    },
  },
  {
    name: 'shift.current',
    expect: 'ok',
    input: (s) => ({ session: s.session }),
    remember: (v, s) => {
      s.bookId = (v.book as { id: string }).id;
    },
  },
  { name: 'shift.xReport', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'cash.move',
    expect: 'ok',
    input: (s) => ({ session: s.session, kind: 'cash_in', amountFen: 5000, reason: '备用零钱' }),
  },
  {
    name: 'cash.move',
    expect: 'NOT_SUPERVISOR',
    input: (s) => ({ session: s.session, kind: 'cash_out', amountFen: 100, reason: '找零' }),
  },
  { name: 'receipt.spoil', expect: 'ok', input: (s) => ({ session: s.session, reason: '卡纸' }) },
  {
    name: 'household.search',
    expect: 'ok',
    input: (s) => ({ session: s.session, query: '10000001' }),
    remember: (v, s) => {
      const results = v.results as { id: string }[];
      s.householdId = results[0]?.id ?? 'none';
    },
  },
  {
    name: 'household.account',
    expect: 'ok',
    input: (s) => ({ session: s.session, householdId: s.householdId }),
  },
  {
    name: 'household.account',
    expect: 'HOUSEHOLD_NOT_FOUND',
    input: (s) => ({ session: s.session, householdId: 'H00000000' }),
  },
  {
    name: 'payment.preview',
    expect: 'ok',
    input: (s) => ({ session: s.session, householdId: s.householdId, amountFen: 10_000 }),
  },
  {
    name: 'payment.take',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      requestId: REQUEST_ID,
      householdId: s.householdId,
      amountFen: 10_000,
      tenders: [{ kind: 'cash', amountFen: 10_000, tenderedFen: 20_000 }],
    }),
    remember: (v, s) => {
      s.receiptId = v.id as string;
      s.receiptLabel = v.receiptLabel as string;
    },
  },
  {
    // The same request again is a replay, not a second payment.
    name: 'payment.take',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      requestId: REQUEST_ID,
      householdId: s.householdId,
      amountFen: 10_000,
      tenders: [{ kind: 'cash', amountFen: 10_000, tenderedFen: 20_000 }],
    }),
  },
  {
    name: 'receipt.find',
    expect: 'ok',
    input: (s) => ({ session: s.session, receiptLabel: s.receiptLabel }),
  },
  {
    name: 'receipt.reprint',
    expect: 'ok',
    input: (s) => ({ session: s.session, receiptId: s.receiptId }),
  },
  {
    name: 'receipt.void',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      receiptId: s.receiptId,
      reason: '金额错误',
      ...SUPERVISOR,
    }),
  },
  {
    name: 'receipt.void',
    expect: 'RECEIPT_ALREADY_VOID',
    input: (s) => ({ session: s.session, receiptId: s.receiptId, reason: '重复', ...SUPERVISOR }),
  },
  {
    name: 'book.issue',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      series: 'C',
      firstNo: 1,
      lastNo: 100,
      clerkCode: '1002',
      ...SUPERVISOR,
    }),
  },
  {
    name: 'book.issue',
    expect: 'BOOK_OVERLAP',
    input: (s) => ({
      session: s.session,
      series: 'C',
      firstNo: 50,
      lastNo: 150,
      clerkCode: '1002',
      ...SUPERVISOR,
    }),
  },
  { name: 'ledger.verify', expect: 'ok', input: (s) => ({ session: s.session }) },
  // Card terminal (ZVT driver + simulator on an in-memory line).
  { name: 'card.reconnect', expect: 'ok', input: (s) => ({ session: s.session }) },
  { name: 'card.progress', expect: 'ok', input: (s) => ({ session: s.session }) },
  { name: 'card.abort', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'card.sale',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      requestId: '0190a5e4-2222-7222-8333-444455556666',
      householdId: s.householdId,
      amountFen: 1013,
    }),
    remember: (v, s) => {
      s.cardIntentId = (v.payment as { intentId: string }).intentId;
    },
  },
  {
    name: 'card.sale',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      requestId: '0190a5e4-3333-7222-8333-444455556666',
      householdId: s.householdId,
      amountFen: 1000,
    }),
  },
  {
    name: 'card.inspect',
    expect: 'ok',
    input: (s) => ({ session: s.session, intentId: s.cardIntentId }),
  },
  {
    name: 'card.resolve',
    expect: 'ok',
    input: (s) => ({ session: s.session, intentId: s.cardIntentId, action: 'fail' }),
  },
  {
    name: 'card.resolve',
    expect: 'CARD_ACTION_NOT_ALLOWED',
    input: (s) => ({ session: s.session, intentId: s.cardIntentId, action: 'record' }),
  },
  { name: 'card.pending', expect: 'ok', input: (s) => ({ session: s.session }) },
  { name: 'sync.status', expect: 'ok', input: (s) => ({ session: s.session }) },
  { name: 'sync.unsynced', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'sync.configure',
    expect: 'BAD_INPUT',
    input: (s) => ({ session: s.session, url: 'ftp://x', token: 'short', ...SUPERVISOR }),
  },
  {
    name: 'sync.configure',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      url: 'http://127.0.0.1:5480',
      token: `hot_${'t'.repeat(40)}`,
      ...SUPERVISOR,
    }),
  },
  {
    name: 'card.manual',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      requestId: '0190a5e4-4444-7222-8333-444455556666',
      householdId: s.householdId,
      amountFen: 500,
      terminalRef: 'POS-778899',
      authCode: 'A1B2C3',
      maskedPan: '622588******1234',
    }),
  },
  { name: 'card.report', expect: 'ok', input: (s) => ({ session: s.session }) },
  { name: 'card.endOfDay', expect: 'ok', input: (s) => ({ session: s.session }) },
  // Printer: no printer attached here, so jobs wait in the queue (printing is in printer tests).
  { name: 'printer.status', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'printer.jobs',
    expect: 'ok',
    input: (s) => ({ session: s.session }),
    remember: (v, s) => {
      s.printJobId = (v.jobs as { id: string }[])[0]?.id ?? 'none';
    },
  },
  { name: 'printer.retry', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'printer.reprint',
    expect: 'ok',
    input: (s) => ({ session: s.session, jobId: s.printJobId }),
  },
  {
    name: 'printer.reprint',
    expect: 'PRINT_JOB_NOT_FOUND',
    input: (s) => ({ session: s.session, jobId: 'J-none' }),
  },
  {
    name: 'printer.preview',
    expect: 'ok',
    input: (s) => ({ session: s.session, receiptId: s.receiptId }),
  },
  { name: 'printer.settings.get', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'printer.settings.set',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      ...SUPERVISOR,
      interface: 'none',
      width: 32,
      encoding: 'cp936',
      companyName: '测试热力',
      drawerKick: '1b 70 00 19 fa',
      printStub: false,
    }),
  },
  { name: 'printer.testPrint', expect: 'ok', input: (s) => ({ session: s.session }) },
  {
    name: 'shift.close',
    expect: 'VARIANCE_NEEDS_APPROVAL',
    input: (s) => ({ session: s.session, denominations: { '10': 1 } }),
  },
  {
    name: 'shift.close',
    expect: 'ok',
    input: (s) => ({
      session: s.session,
      denominations: { '100': 3 },
      varianceReason: '点钞短款，待查',
      ...SUPERVISOR,
    }),
  },
  {
    name: 'shift.handInSlip',
    expect: 'ok',
    input: (s) => ({ session: s.session, shiftId: s.shiftId }),
  },
  {
    name: 'report.daily',
    expect: 'ok',
    input: (s) => ({ session: s.session, businessDate: '2026-11-20' }),
  },
  {
    name: 'report.monthly',
    expect: 'ok',
    input: (s) => ({ session: s.session, month: '2026-11' }),
  },
  {
    name: 'day.close',
    expect: 'ok',
    input: (s) => ({ session: s.session, businessDate: '2026-11-20', ...SUPERVISOR }),
  },
  {
    name: 'day.close',
    expect: 'DAY_ALREADY_CLOSED',
    input: (s) => ({ session: s.session, businessDate: '2026-11-20', ...SUPERVISOR }),
  },
  {
    name: 'book.return',
    expect: 'ok',
    input: (s) => ({ session: s.session, bookId: s.bookId, ...SUPERVISOR }),
  },
  {
    name: 'book.return',
    expect: 'BOOK_NOT_RETURNABLE',
    input: (s) => ({ session: s.session, bookId: s.bookId, ...SUPERVISOR }),
  },
  { name: 'session.logout', expect: 'ok', input: (s) => ({ session: s.session }) },
  { name: 'shift.current', expect: 'NOT_LOGGED_IN', input: (s) => ({ session: s.session }) },
  { name: 'no.such.command', expect: 'UNKNOWN_COMMAND', input: () => ({}) },
];

/** The structure of a value: key sets and primitive types, recursively (JSON semantics). */
function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, shape(v)]),
    );
  }
  return typeof value;
}

type Invoke = (name: string, input: unknown) => Promise<ClientResult<unknown>>;
interface Path {
  label: string;
  invoke: Invoke;
  outcomes: { code: string; shape: unknown; errorDetailKeys?: string[] }[];
}

const fixedClock = () => new Date('2026-11-20T02:00:00.000Z');
let dir: ReturnType<typeof tempDir>;
const terminals: TestTerminal[] = [];
let host: Host;
const clients: ApiClient[] = [];
const paths: Path[] = [];

function asInvoke(client: ApiClient): Invoke {
  return client.invoke as unknown as Invoke;
}

beforeAll(async () => {
  dir = tempDir('cashier-contract-');
  for (const name of ['direct', 'websocket', 'bridge']) {
    terminals.push(
      openTestTerminal(join(dir.dir, `${name}.db`), { households: 20, clock: fixedClock }),
    );
  }
  const [direct, viaWs, viaBridge] = terminals as [TestTerminal, TestTerminal, TestTerminal];
  // Card terminal: the real ZVT driver and simulator on an in-memory line (pty tests are separate).
  for (const t of terminals) attachMemoryCardTerminal(t.ctx);

  host = await startHost({ ctx: viaWs.ctx, port: 0, staticDir: join(dir.dir, 'no-renderer') });
  const wsClient = createWebSocketClient(`${host.url.replace(/^http/, 'ws')}/api`, {
    WebSocket: WS as unknown as WebSocketConstructor,
    timeoutMs: 10_000,
  });
  // Electron's preload forwards to ipcRenderer.invoke; IPC copies with the structured clone
  // algorithm and the main side calls dispatch. This fake does the same minus Electron.
  const bridgeClient = createBridgeClient({
    invoke: async (name, input) =>
      structuredClone(await dispatch(viaBridge.ctx, name, structuredClone(input))),
  });
  clients.push(wsClient, bridgeClient);

  paths.push(
    {
      label: 'dispatch',
      invoke: (name, input) => dispatch(direct.ctx, name, input),
      outcomes: [],
    },
    { label: 'websocket', invoke: asInvoke(wsClient), outcomes: [] },
    { label: 'bridge', invoke: asInvoke(bridgeClient), outcomes: [] },
  );

  for (const path of paths) {
    const state: State = {
      session: '',
      householdId: '',
      receiptId: '',
      receiptLabel: '',
      printJobId: '',
      shiftId: '',
      bookId: '',
    };
    for (const step of steps) {
      const result = await path.invoke(step.name, step.input(state));
      if (result.ok) {
        step.remember?.(result.value as Record<string, unknown>, state);
        path.outcomes.push({ code: 'ok', shape: shape(result.value) });
      } else {
        path.outcomes.push({
          code: result.error.code,
          shape: shape(result.error),
          errorDetailKeys: Object.keys(result.error.details ?? {}).sort(),
        });
      }
    }
  }
});

afterAll(async () => {
  for (const client of clients) client.close();
  await host?.close();
  for (const t of terminals) t.close();
  dir?.cleanup();
});

describe('one command table, every transport', () => {
  it('the table covers every command of the contract', () => {
    const covered = new Set(steps.filter((s) => s.expect === 'ok').map((s) => s.name));
    const missing = (Object.keys(commands) as CommandName[]).filter((n) => !covered.has(n));
    expect(missing, 'add a successful step for each new command').toEqual([]);
  });

  it.each(steps.map((step, i) => [i, `${step.name} → ${step.expect}`] as const))(
    'step %i: %s is the same on dispatch, WebSocket and bridge',
    (i) => {
      const step = steps[i]!;
      for (const path of paths) {
        expect(path.outcomes[i]?.code, `${path.label}: ${step.name}`).toBe(step.expect);
      }
      const [reference, ...others] = paths as [Path, ...Path[]];
      for (const path of others) {
        expect(path.outcomes[i], `${path.label} vs dispatch: ${step.name}`).toEqual(
          reference.outcomes[i],
        );
      }
    },
  );

  it('the WebSocket client fails pending calls with a structured error when the host goes away', async () => {
    const t = openTestTerminal(join(dir.dir, 'drop.db'), { households: 5, clock: fixedClock });
    const h = await startHost({ ctx: t.ctx, port: 0, staticDir: join(dir.dir, 'no-renderer') });
    const client = createWebSocketClient(`${h.url.replace(/^http/, 'ws')}/api`, {
      WebSocket: WS as unknown as WebSocketConstructor,
      timeoutMs: 1_500,
      backoffBaseMs: 50,
      backoffMaxMs: 200,
    });
    try {
      expect((await client.invoke('terminal.info', {})).ok).toBe(true);
      expect(client.state()).toBe('open');
      const states: string[] = [];
      client.onStateChange((s) => states.push(s));
      await h.close();
      // Not connected: the call waits for a reconnect, then fails as OFFLINE (nothing was sent).
      const offline = await client.invoke('terminal.info', {});
      expect(offline.ok).toBe(false);
      if (!offline.ok) {
        expect(offline.error.code).toBe('OFFLINE');
        expect(offline.error.message['zh-CN']).toContain('操作未执行');
      }
      expect(states).toContain('closed');
    } finally {
      client.close();
      await h.close();
      t.close();
    }
  });

  it('a call in flight when the socket drops fails as CONNECTION_LOST, not a hang', async () => {
    // A server that accepts the socket and the call, then drops the connection without replying.
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    server.on('connection', (socket) => socket.on('message', () => socket.terminate()));
    const port = (server.address() as { port: number }).port;
    const client = createWebSocketClient(`ws://127.0.0.1:${port}/api`, {
      WebSocket: WS as unknown as WebSocketConstructor,
      timeoutMs: 5_000,
    });
    try {
      const result = await client.invoke('terminal.info', {});
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('CONNECTION_LOST');
    } finally {
      client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a call the host never answers times out with TIMEOUT', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as { port: number }).port;
    const client = createWebSocketClient(`ws://127.0.0.1:${port}/api`, {
      WebSocket: WS as unknown as WebSocketConstructor,
      timeoutMs: 300,
    });
    try {
      const result = await client.invoke('terminal.info', {});
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('TIMEOUT');
    } finally {
      client.close();
      for (const socket of server.clients) socket.terminate();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('the bridge client turns a rejected or malformed bridge reply into a structured error', async () => {
    const rejecting = createBridgeClient({
      invoke: () => Promise.reject(new Error('IPC channel refused')),
    });
    const r1 = await rejecting.invoke('terminal.info', {});
    expect(!r1.ok && r1.error.code).toBe('CONNECTION_LOST');
    const malformed = createBridgeClient({ invoke: async () => 'nonsense' });
    const r2 = await malformed.invoke('terminal.info', {});
    expect(!r2.ok && r2.error.code).toBe('CONNECTION_LOST');
    const hanging = createBridgeClient({ invoke: () => new Promise(() => {}) }, { timeoutMs: 50 });
    const r3 = await hanging.invoke('terminal.info', {});
    expect(!r3.ok && r3.error.code).toBe('TIMEOUT');
  });
});
