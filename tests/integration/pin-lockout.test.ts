// Wrong PINs lock a clerk per connection (docs/trust.md "PIN lockout"), through the real WebSocket
// host: five wrong PINs on one client lock the clerk there; a second client (another window of the
// counter) still logs the clerk in; the Electron bridge names each window as its own connection.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHost, type Host } from '../../src-main/host/server';
import { ipcConnection } from '../../src-main/electron/ipc';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let terminal: TestTerminal;
let host: Host;

beforeAll(async () => {
  dir = tempDir('cashier-pins-');
  const staticDir = join(dir.dir, 'static');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  terminal = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 5 });
  host = await startHost({ ctx: terminal.ctx, port: 0, staticDir });
});
afterAll(async () => {
  await host?.close();
  terminal?.close();
  dir?.cleanup();
});

interface Client {
  login(pin: string): Promise<{ ok: boolean; error?: { code: string } }>;
  close(): void;
}

async function client(): Promise<Client> {
  const ws = new WebSocket(`${host.url.replace(/^http/, 'ws')}/api`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let next = 0;
  return {
    login: (pin) =>
      new Promise((resolve) => {
        const id = ++next;
        const onMessage = (data: WebSocket.RawData) => {
          const reply = JSON.parse(String(data)) as {
            id: number;
            result: { ok: boolean; error?: { code: string } };
          };
          if (reply.id !== id) return;
          ws.off('message', onMessage);
          resolve(reply.result);
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ id, name: 'session.login', input: { clerkCode: '1002', pin } }));
      }),
    close: () => ws.close(),
  };
}

describe('PIN lockout per connection', () => {
  it('five wrong PINs lock the clerk on that WebSocket client; another client logs in', async () => {
    const a = await client();
    const b = await client();
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push((await a.login('999999')).error!.code);
    expect(codes).toEqual([
      'BAD_CREDENTIALS',
      'BAD_CREDENTIALS',
      'BAD_CREDENTIALS',
      'BAD_CREDENTIALS',
      'CLERK_LOCKED',
    ]);
    expect((await a.login('123456')).error?.code).toBe('CLERK_LOCKED');
    expect((await b.login('123456')).ok).toBe(true);
    expect((await a.login('123456')).error?.code).toBe('CLERK_LOCKED');
    a.close();
    b.close();
  });

  it('each Electron window is its own connection', () => {
    expect(ipcConnection({ senderFrame: null, sender: { id: 3 } })).toBe('window:3');
    expect(ipcConnection({ senderFrame: null, sender: { id: 4 } })).toBe('window:4');
  });
});
