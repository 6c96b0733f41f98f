// The web host routes pushed events by connection kind (issue 22): a `/customer` page paired with
// the clerk's code gets `customer.view` and nothing else (no card texts), may rate and nothing else
// (every clerk command refused), and a clerk's page never gets the customer view. Wrong codes are
// limited per connection. Real host, real sockets, real ledger.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHost, type Host } from '../../src-main/host/server';
import { PAIRING_ATTEMPTS_PER_CONNECTION } from '../../src-main/features/customer/displays';
import { householdsOwing, openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let terminal: TestTerminal;
let host: Host;
let wsUrl: string;

interface Message {
  id?: string | number | null;
  event?: string;
  data?: Record<string, unknown>;
  result?: { ok: boolean; value?: Record<string, unknown>; error?: { code: string } };
}

/** A socket that records everything it receives, in order. */
interface Socket {
  ws: WebSocket;
  received: Message[];
  call(name: string, input: unknown): Promise<Message['result']>;
  /** The next pushed event after the `seen`-th message. */
  nextEvent(seen: number): Promise<Message>;
}

let nextId = 1;
function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl);
    const received: Message[] = [];
    const waiters: (() => void)[] = [];
    ws.on('message', (data) => {
      received.push(JSON.parse(String(data)) as Message);
      for (const w of waiters.splice(0)) w();
    });
    const until = <T>(find: () => T | undefined): Promise<T> =>
      new Promise((res) => {
        const check = () => {
          const found = find();
          if (found !== undefined) res(found);
          else waiters.push(check);
        };
        check();
      });
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        ws,
        received,
        call(name, input) {
          const id = nextId++;
          ws.send(JSON.stringify({ id, name, input }));
          return until(() => received.find((m) => m.id === id)?.result);
        },
        nextEvent(seen) {
          return until(() => received.slice(seen).find((m) => m.event !== undefined));
        },
      }),
    );
  });
}

beforeAll(async () => {
  dir = tempDir('cashier-customer-host-');
  terminal = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 20 });
  host = await startHost({ ctx: terminal.ctx, port: 0, staticDir: join(dir.dir, 'none') });
  wsUrl = `${host.url.replace(/^http/, 'ws')}/api`;
});
afterAll(async () => {
  await host?.close();
  terminal?.close();
  dir?.cleanup();
});

describe('customer display over the web host', () => {
  it('a paired page gets only customer.view, a clerk page never; the display runs only its commands', async () => {
    const clerk = await open();
    const display = await open();
    const login = await clerk.call('session.login', { clerkCode: '1001', pin: '123456' });
    const session = login!.value!.session as string;
    const [a] = householdsOwing(terminal, 1_000);

    // Unpaired, the page can neither read the view nor rate.
    expect((await display.call('customer.current', {}))!.error!.code).toBe('CUSTOMER_NOT_PAIRED');
    const code = (await clerk.call('customer.pairingCode', { session }))!.value!.code as string;
    const paired = await display.call('customer.pair', { code });
    expect(paired!.ok).toBe(true);
    expect((paired!.value!.view as { phase: string }).phase).toBe('idle');

    // A card text goes to the clerk only; then a view goes to the display only.
    const seenByDisplay = display.received.length;
    const seenByClerk = clerk.received.length;
    terminal.ctx.runtime.push.publish('card.text', {
      intentId: null,
      kind: 'intermediate',
      code: null,
      text: { 'zh-CN': '请插卡', en: 'Insert card' },
      at: new Date().toISOString(),
    });
    const shown = await clerk.call('customer.show', {
      session,
      screen: { phase: 'account', householdId: a },
    });
    expect(shown!.ok).toBe(true);
    const first = await display.nextEvent(seenByDisplay);
    expect(first.event).toBe('customer.view');
    expect(first.data!.phase).toBe('account');
    expect(first.data!.version).toBe(shown!.value!.version);
    // Everything the clerk got after its call: the card text and its reply, no customer view.
    const clerkEvents = clerk.received
      .slice(seenByClerk)
      .filter((m) => m.event !== undefined)
      .map((m) => m.event);
    expect(clerkEvents).toEqual(['card.text']);

    // The display: every clerk command refused, even with the clerk's session.
    for (const [name, input] of [
      ['terminal.info', {}],
      ['household.search', { session, query: '1' }],
      ['household.account', { session, householdId: a }],
      ['customer.pairingCode', { session }],
      ['customer.show', { session, screen: { phase: 'idle' } }],
      ['session.logout', { session }],
    ] as const) {
      expect((await display.call(name, input))!.error!.code, name).toBe('CUSTOMER_DISPLAY_ONLY');
    }
    const current = await display.call('customer.current', {});
    expect((current!.value!.view as { phase: string }).phase).toBe('account');
    // Nothing to rate before a receipt.
    expect((await display.call('customer.rate', { score: 5 }))!.error!.code).toBe(
      'CUSTOMER_NOTHING_TO_RATE',
    );
    // Everything the display received: replies and customer.view events only.
    expect(
      display.received.filter((m) => m.event !== undefined && m.event !== 'customer.view'),
    ).toEqual([]);

    // Closing the page unpairs it (the host's close handler forgets the connection).
    const displays = terminal.ctx.runtime.customer;
    const forget = displays.forget.bind(displays);
    const forgotten = new Promise<string>((resolve) => {
      displays.forget = (connection: string) => {
        forget(connection);
        if (connection.startsWith('ws:')) resolve(connection);
      };
    });
    display.ws.close();
    await forgotten;
    displays.forget = forget;
    expect((await clerk.call('customer.pairingCode', { session }))!.value!.displays).toBe(0);
    clerk.ws.close();
  });

  it('wrong codes are limited per connection; a reload does not make the right code unnecessary', async () => {
    const clerk = await open();
    const login = await clerk.call('session.login', { clerkCode: '1001', pin: '123456' });
    const session = login!.value!.session as string;
    const code = (await clerk.call('customer.pairingCode', { session, renew: true }))!.value!
      .code as string;
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const page = await open();
    const codes: string[] = [];
    for (let i = 0; i < PAIRING_ATTEMPTS_PER_CONNECTION + 1; i++)
      codes.push((await page.call('customer.pair', { code: wrong }))!.error!.code);
    expect(codes).toEqual([
      ...Array(PAIRING_ATTEMPTS_PER_CONNECTION - 1).fill('CUSTOMER_PAIRING_WRONG'),
      'CUSTOMER_PAIRING_LOCKED',
      'CUSTOMER_PAIRING_LOCKED',
    ]);
    expect((await page.call('customer.pair', { code }))!.error!.code).toBe(
      'CUSTOMER_PAIRING_LOCKED',
    );
    const malformed = await page.call('customer.pair', { code: '12ab56' });
    expect(malformed!.error!.code).toBe('BAD_INPUT');
    // A new page (reload) with the right code pairs.
    const reloaded = await open();
    expect((await reloaded.call('customer.pair', { code }))!.ok).toBe(true);
    for (const s of [clerk, page, reloaded]) s.ws.close();
  });
});
