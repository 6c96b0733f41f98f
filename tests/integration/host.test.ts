import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHost, MAX_PAYLOAD_BYTES, type Host } from '../../src-main/host/server';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let terminal: TestTerminal;
let host: Host;
let wsUrl: string;
const INDEX = '<!doctype html><html lang="zh-CN"><title>测试</title><div id="root"></div></html>';

interface Reply {
  id: string | number | null;
  result: {
    ok: boolean;
    value?: unknown;
    error?: { code: string; message: Record<string, string> };
  };
}

beforeAll(async () => {
  dir = tempDir('cashier-host-');
  // The static root sits INSIDE the temp dir; secret files sit beside it, to catch traversal.
  const staticDir = join(dir.dir, 'static');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), INDEX);
  writeFileSync(join(staticDir, 'assets', 'app-1234.js'), 'console.log("app");\n');
  writeFileSync(join(staticDir, 'assets', 'app-1234.css'), 'body { margin: 0 }\n');
  writeFileSync(join(staticDir, '.env'), 'SECRET=1\n');
  writeFileSync(join(dir.dir, 'package.json'), '{"secret": true}\n');
  terminal = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 20 });
  host = await startHost({ ctx: terminal.ctx, port: 0, staticDir });
  wsUrl = `${host.url.replace(/^http/, 'ws')}/api`;
});

afterAll(async () => {
  await host?.close();
  terminal?.close();
  dir?.cleanup();
});

/** A raw HTTP request: the path goes on the wire exactly as given (no URL normalisation). */
function get(path: string, options: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path,
          method: options.method ?? 'GET',
          headers: options.headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    },
  );
}

function connect(options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, options);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onClose = () => reject(new Error('socket closed before a reply'));
    ws.once('close', onClose);
    ws.once('message', (data) => {
      ws.off('close', onClose);
      resolve(JSON.parse(String(data)) as Reply);
    });
  });
}

/** Sends one call and waits for the reply with that id (replies may come in any order). */
function call(ws: WebSocket, id: string | number, name: string, input: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const reply = JSON.parse(String(data)) as Reply;
      if (reply.id !== id) return;
      ws.off('message', onMessage);
      resolve(reply);
    };
    ws.on('message', onMessage);
    ws.once('close', () => reject(new Error('socket closed before a reply')));
    ws.send(JSON.stringify({ id, name, input }));
  });
}

describe('WebSocket API', () => {
  it('serves terminal.info, session.login and household.search over one socket', async () => {
    const ws = await connect();
    const info = await call(ws, 1, 'terminal.info', {});
    expect(info.result.ok).toBe(true);
    expect(info.result.value).toMatchObject({
      terminalId: terminal.ctx.terminal.id,
      isDemo: true,
    });

    const login = await call(ws, 'login-1', 'session.login', { clerkCode: '1001', pin: '123456' });
    expect(login.id).toBe('login-1');
    expect(login.result.ok).toBe(true);
    const value = login.result.value as { session: string; clerk: { name: string; code: string } };
    expect(value.clerk.code).toBe('1001');

    const search = await call(ws, 3, 'household.search', {
      session: value.session,
      query: '10000001',
    });
    expect(search.result.ok).toBe(true);
    const results = (search.result.value as { results: { accountNo: string }[] }).results;
    expect(results.map((h) => h.accountNo)).toContain('10000001');
    ws.close();
  });

  it('answers command errors with the contract’s translated error', async () => {
    const ws = await connect();
    const wrong = await call(ws, 7, 'session.login', { clerkCode: '1001', pin: '000000' });
    expect(wrong.result.ok).toBe(false);
    expect(wrong.result.error?.code).toBe('BAD_CREDENTIALS');
    expect(wrong.result.error?.message['zh-CN']).toContain('工号或密码错误');
    const unknown = await call(ws, 8, 'no.such.command', {});
    expect(unknown.result.error?.code).toBe('UNKNOWN_COMMAND');
    const notLoggedIn = await call(ws, 9, 'household.search', {
      session: 'x'.repeat(40),
      query: '1',
    });
    expect(notLoggedIn.result.error?.code).toBe('NOT_LOGGED_IN');
    ws.close();
  });

  it('handles concurrent calls on one connection and matches replies by id', async () => {
    const ws = await connect();
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => call(ws, `c${i}`, 'terminal.info', {})),
    );
    expect(replies.map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, i) => `c${i}`));
    expect(replies.every((r) => r.result.ok)).toBe(true);
    ws.close();
  });

  it('refuses malformed JSON and bad envelopes with BAD_INPUT and keeps the socket usable', async () => {
    const ws = await connect();
    const bad: (string | Buffer)[] = [
      '{not json',
      JSON.stringify([1, 2, 3]),
      JSON.stringify({ name: 'terminal.info', input: {} }), // no id
      JSON.stringify({ id: { x: 1 }, name: 'terminal.info', input: {} }),
      JSON.stringify({ id: 1, name: 42, input: {} }),
      JSON.stringify({ id: 1, name: 'terminal.info', input: {}, extra: true }),
      Buffer.from([0xff, 0x00, 0x01]), // a binary frame
    ];
    for (const message of bad) {
      const reply = nextMessage(ws);
      ws.send(message);
      const r = await reply;
      expect(r.id).toBeNull();
      expect(r.result.ok).toBe(false);
      expect(r.result.error?.code).toBe('BAD_INPUT');
      expect(r.result.error?.message['zh-CN']).toContain('输入有误');
    }
    expect(ws.readyState).toBe(WebSocket.OPEN);
    const after = await call(ws, 'after', 'terminal.info', {});
    expect(after.result.ok).toBe(true);
    ws.close();
  });

  it('closes a socket that sends more than 1 MiB and keeps serving others', async () => {
    const ws = await connect();
    const errors: Error[] = [];
    ws.on('error', (e) => errors.push(e));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(
      JSON.stringify({ id: 1, name: 'terminal.info', input: { x: 'a'.repeat(MAX_PAYLOAD_BYTES) } }),
    );
    expect(await closed).toBe(1009); // "message too big"
    const other = await connect();
    const info = await call(other, 1, 'terminal.info', {});
    expect(info.result.ok).toBe(true);
    other.close();
  });

  it('refuses a browser from a foreign origin with 403 and accepts its own origins', async () => {
    for (const origin of ['http://evil.example', 'http://127.0.0.1:1', 'null']) {
      await expect(connect({ origin })).rejects.toThrow(/403/);
    }
    for (const origin of [host.url, `http://localhost:${host.port}`]) {
      const ws = await connect({ origin });
      expect((await call(ws, 1, 'terminal.info', {})).result.ok).toBe(true);
      ws.close();
    }
  });

  it('refuses a request whose Host is not this server (DNS rebinding)', async () => {
    await expect(connect({ headers: { Host: `evil.example:${host.port}` } })).rejects.toThrow(
      /421/,
    );
    expect((await get('/', { headers: { Host: `evil.example:${host.port}` } })).status).toBe(421);
  });

  it('upgrades only at /api', async () => {
    await expect(
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`${host.url.replace(/^http/, 'ws')}/other`);
        ws.once('open', resolve);
        ws.once('error', reject);
      }),
    ).rejects.toThrow(/404/);
  });
});

describe('static files', () => {
  it('serves index.html with no-store and a CSP', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.body).toBe(INDEX);
  });

  it('serves assets with their MIME types', async () => {
    const js = await get('/assets/app-1234.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toContain('console.log');
    const css = await get('/assets/app-1234.css?v=1');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const head = await get('/assets/app-1234.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('falls back to index.html for client routes, 404 plain text for missing files', async () => {
    const route = await get('/shift/close');
    expect(route.status).toBe(200);
    expect(route.body).toBe(INDEX);
    const missing = await get('/assets/missing.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(missing.body).toBe('Not Found');
    expect((await get('/', { method: 'POST' })).status).toBe(405);
    expect((await get('/api')).status).toBe(426);
  });

  it('refuses directory traversal and dotfiles', async () => {
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/%2E%2E/package.json',
      '/assets/../../package.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/..%5cpackage.json',
      '/%2e%2e%5cpackage.json',
      '/.env',
      '/%00/package.json',
      '/%E0%A4%A', // undecodable
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain('secret');
      expect(res.body, path).not.toContain('SECRET');
    }
  });
});
