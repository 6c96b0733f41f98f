import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WS from 'ws';
import type { PushEventData } from '@heating-cashier/core/contract/push';
import { startHost, type Host } from '../../../src-main/host/server';
import {
  createBridgeClient,
  createWebSocketClient,
  type ApiClient,
  type WebSocketConstructor,
} from '../../../src-renderer/api/client';
import { attachMemoryCardTerminal } from '../../support/card';
import {
  householdsOwing,
  openTestTerminal,
  tempDir,
  type TestTerminal,
} from '../../support/terminal';

/**
 * Server → renderer events: the terminal's live texts of a card payment reach the renderer's API
 * client over the host WebSocket as `{event, data}` (real driver + simulator, real host, real ws),
 * tagged with the payment's intent; the bridge client exposes the same `on`.
 */
let tmp: ReturnType<typeof tempDir>;
let t: TestTerminal;
let host: Host;
let client: ApiClient;
let session: string;
let household: string;

beforeAll(async () => {
  tmp = tempDir('card-push-');
  t = openTestTerminal(join(tmp.dir, 'l.db'));
  attachMemoryCardTerminal(t.ctx);
  session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 0 });
  household = householdsOwing(t, 5000, 1)[0]!;
  host = await startHost({ ctx: t.ctx, port: 0, staticDir: join(tmp.dir, 'none') });
  client = createWebSocketClient(`${host.url.replace(/^http/, 'ws')}/api`, {
    WebSocket: WS as unknown as WebSocketConstructor,
  });
});
afterAll(async () => {
  client.close();
  await host.close();
  t.close();
  tmp.cleanup();
});

describe('pushed card-terminal texts', () => {
  it('a card sale over the WebSocket streams the terminal texts live, tagged with the intent', async () => {
    const reconnect = await client.invoke('card.reconnect', { session });
    expect(reconnect.ok && reconnect.value.connected).toBe(true);
    const texts: PushEventData<'card.text'>[] = [];
    const off = client.on('card.text', (e) => texts.push(e));
    const result = await client.invoke(
      'card.sale',
      { session, requestId: randomUUID(), householdId: household, amountFen: 3100 },
      { timeoutMs: 20_000 },
    );
    off();
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.value.payment.state).toBe('completed');
    const mine = texts.filter((x) => x.intentId === result.value.payment.intentId);
    const intermediate = mine.filter((x) => x.kind === 'intermediate');
    expect(intermediate.length).toBeGreaterThanOrEqual(3); // insert card, PIN, authorising …
    expect(intermediate.every((x) => x.text['zh-CN'].length > 0 && x.text.en.length > 0)).toBe(
      true,
    );
    expect(mine.at(-1)?.kind).toBe('result');
    // After `off` nothing more arrives.
    const before = texts.length;
    t.ctx.runtime.push.publish('card.text', {
      intentId: null,
      kind: 'connection',
      code: null,
      text: { 'zh-CN': '测试', en: 'test' },
      at: new Date().toISOString(),
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(texts.length).toBe(before);
  });

  it('a payload that breaks the contract is not pushed; a listener that throws does not stop others', async () => {
    const got: string[] = [];
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const offA = client.on('card.text', () => {
      throw new Error('listener bug');
    });
    const offB = client.on('card.text', (e) => got.push(e.text.en));
    const bad = { intentId: null, kind: 'nonsense', code: null, text: { en: 'x' }, at: 'now' };
    t.ctx.runtime.push.publish('card.text', bad as unknown as PushEventData<'card.text'>);
    t.ctx.runtime.push.publish('card.text', {
      intentId: null,
      kind: 'line',
      code: null,
      text: { 'zh-CN': '好', en: 'ok' },
      at: new Date().toISOString(),
    });
    await expect.poll(() => got).toEqual(['ok']);
    expect(logged).toHaveBeenCalledTimes(1); // the throwing listener, reported, not fatal
    logged.mockRestore();
    offA();
    offB();
  });

  it('the bridge client (Electron preload) exposes the same on()', () => {
    const listeners = new Map<string, (data: unknown) => void>();
    const bridge = {
      invoke: () => Promise.resolve({ ok: true, value: {} }),
      on: (event: string, l: (data: unknown) => void) => {
        listeners.set(event, l);
        return () => listeners.delete(event);
      },
    };
    const c = createBridgeClient(bridge);
    const got: unknown[] = [];
    const off = c.on('card.text', (e) => got.push(e.kind));
    listeners.get('card.text')?.({ kind: 'result' });
    off();
    expect(listeners.size).toBe(0);
    expect(got).toEqual(['result']);
  });
});
