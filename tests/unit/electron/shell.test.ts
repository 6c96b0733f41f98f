// The Electron shell's decidable parts, without the Electron binary: window options, CSP, the
// app:// protocol's path resolution, navigation/request/permission policy, the IPC guard and the
// preload bridge's surface.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandError, type Result } from '@heating-cashier/core/contract/errors';
import {
  BRIDGE_KEY,
  createPreloadBridge,
  PRELOAD_KEYS,
  type IpcRendererLike,
} from '../../../src-main/electron/bridge';
import {
  createIpcHandler,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  isTrustedSender,
  MAX_IPC_PAYLOAD_BYTES,
} from '../../../src-main/electron/ipc';
import {
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  contentSecurityPolicy,
  decidePermission,
  isAllowedNavigation,
  isAllowedRequest,
  parseCsp,
  resolveAppRequest,
  responseHeaders,
  windowOptions,
} from '../../../src-main/electron/security';

describe('window options', () => {
  it('have every security flag, in production and in development', () => {
    for (const devTools of [false, true]) {
      const o = windowOptions({ preload: '/app/preload.cjs', devTools });
      expect(o.webPreferences).toMatchObject({
        preload: '/app/preload.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        experimentalFeatures: false,
        navigateOnDragDrop: false,
        devTools,
      });
      // Nothing that loosens them may sneak in.
      const prefs = o.webPreferences as Record<string, unknown>;
      for (const loose of ['enableRemoteModule', 'nodeIntegrationInWorker', 'plugins']) {
        expect(prefs[loose] === true, loose).toBe(false);
      }
      expect(o.show).toBe(false); // shown on ready-to-show, no white flash
    }
  });

  it('the app scheme is standard and secure and does not bypass the CSP', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true, bypassCSP: false });
  });
});

describe('Content-Security-Policy', () => {
  const csp = parseCsp(contentSecurityPolicy());
  const sourcesFor = (directive: string) => csp.get(directive) ?? csp.get('default-src') ?? [];

  it('forbids inline script, eval and every remote origin', () => {
    const scripts = sourcesFor('script-src');
    expect(scripts).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    for (const [directive, sources] of csp) {
      for (const s of sources) {
        expect(s, `${directive} ${s}`).not.toMatch(/^(\*|https?:|wss?:|file:|blob:|filesystem:)/);
        expect(s, `${directive} ${s}`).not.toMatch(/\*|\.\w+\//);
        expect(s).not.toBe("'unsafe-eval'");
        expect(s).not.toBe("'wasm-unsafe-eval'");
        expect(s).not.toBe("'strict-dynamic'");
      }
    }
    expect(sourcesFor('connect-src')).toEqual(["'none'"]);
    expect(sourcesFor('object-src')).toEqual(["'none'"]);
    expect(sourcesFor('frame-ancestors')).toEqual(["'none'"]);
    expect(sourcesFor('base-uri')).toEqual(["'none'"]);
    expect(sourcesFor('form-action')).toEqual(["'none'"]);
    // Only styles may be inline (antd's CSS-in-JS); never scripts.
    for (const [directive, sources] of csp) {
      if (sources.includes("'unsafe-inline'")) expect(directive).toBe('style-src');
    }
  });

  it('is sent with the document, not with assets', () => {
    const doc = responseHeaders('text/html; charset=utf-8', true);
    expect(doc['Content-Security-Policy']).toBe(contentSecurityPolicy());
    expect(doc['X-Frame-Options']).toBe('DENY');
    expect(responseHeaders('text/javascript', false)['X-Content-Type-Options']).toBe('nosniff');
  });
});

describe('app:// protocol handler', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'cashier-renderer-'));
  mkdirSync(path.join(root, 'assets'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  writeFileSync(path.join(root, 'assets', 'index.js'), '');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('serves files under the renderer folder and the app for client-side routes', () => {
    expect(resolveAppRequest(root, APP_ENTRY_URL)).toMatchObject({
      ok: true,
      file: path.join(root, 'index.html'),
      isDocument: true,
    });
    expect(resolveAppRequest(root, 'app://cashier/assets/index.js?v=1#x')).toMatchObject({
      ok: true,
      file: path.join(root, 'assets', 'index.js'),
      contentType: 'text/javascript; charset=utf-8',
      isDocument: false,
    });
    expect(resolveAppRequest(root, 'app://cashier/')).toMatchObject({ ok: true, isDocument: true });
    expect(resolveAppRequest(root, 'app://cashier/menu/backup')).toMatchObject({
      ok: true,
      file: path.join(root, 'index.html'),
    });
  });

  it('refuses .. traversal in every spelling, other hosts and methods', () => {
    const hostile = [
      'app://cashier/../package.json',
      'app://cashier/assets/../../package.json',
      'app://cashier/%2e%2e/package.json',
      'app://cashier/%2E%2E/%2E%2E/etc/passwd',
      'app://cashier/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      'app://cashier/..%2f..%2fpackage.json',
      'app://cashier/..%5c..%5cpackage.json',
      'app://cashier/%252e%252e/package.json',
      'app://cashier/assets\\..\\..\\package.json',
      'app://cashier/%00/index.html',
      'app://cashier/C:/Windows/win.ini',
      'app://cashier/.env',
      'app://cashier/assets/.hidden',
      'app://cashier/%',
      'app://evil/index.html',
      'app://cashier.evil/index.html',
      'file:///etc/passwd',
      'http://cashier/index.html',
    ];
    for (const url of hostile) {
      const r = resolveAppRequest(root, url);
      if (r.ok) {
        // The only acceptable "ok" is a file inside root (e.g. %252e decodes once to a literal name).
        expect(r.file.startsWith(root + path.sep), url).toBe(true);
        expect(path.relative(root, r.file).split(path.sep), url).not.toContain('..');
      } else {
        expect([400, 403, 404], url).toContain(r.status);
      }
    }
    for (const url of hostile.slice(0, 14))
      expect(resolveAppRequest(root, url).ok, url).toBe(false);
    expect(resolveAppRequest(root, APP_ENTRY_URL, 'POST')).toEqual({ ok: false, status: 405 });
  });
});

describe('navigation, requests, permissions', () => {
  it('navigation stays in the app; the web, file:// and other schemes are blocked', () => {
    expect(isAllowedNavigation('app://cashier/index.html')).toBe(true);
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:5380/',
      'file:///etc/passwd',
      'app://evil/index.html',
      'app://user:pw@cashier/',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'chrome://settings',
    ]) {
      expect(isAllowedNavigation(url), url).toBe(false);
    }
  });

  it('the session lets no request leave the app', () => {
    expect(isAllowedRequest('app://cashier/assets/a.js')).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AAAA')).toBe(true);
    for (const url of ['https://cdn.example.com/x.js', 'ws://127.0.0.1:5380/api', 'file:///c:/x']) {
      expect(isAllowedRequest(url), url).toBe(false);
    }
    expect(isAllowedRequest('devtools://devtools/x')).toBe(false);
  });

  it('every permission request is denied', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      expect(decidePermission(p)).toBe(false);
    }
  });
});

const appFrame = { senderFrame: { url: 'app://cashier/index.html', parent: null } };

describe('IPC guard', () => {
  const calls: [string, unknown][] = [];
  const handler = createIpcHandler({
    dispatch: async (name, input) => {
      calls.push([name, input]);
      return { ok: true, value: { echoed: name } } as Result<unknown>;
    },
  });

  it('passes a well-formed request from the app page to dispatch, as plain JSON', async () => {
    calls.length = 0;
    const r = await handler(appFrame, { name: 'terminal.info', input: { when: new Date(0) } });
    expect(r).toEqual({ ok: true, value: { echoed: 'terminal.info' } });
    expect(calls).toEqual([['terminal.info', { when: '1970-01-01T00:00:00.000Z' }]]);
  });

  it('rejects a foreign sender: another origin, an iframe, a destroyed frame, no event', async () => {
    calls.length = 0;
    const foreign = [
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { senderFrame: { url: 'file:///tmp/x.html', parent: null } },
      { senderFrame: { url: 'app://evil/index.html', parent: null } },
      { senderFrame: { url: 'app://cashier/index.html', parent: { url: 'app://cashier/' } } },
      { senderFrame: null },
      {},
      null,
      'app://cashier/index.html',
    ];
    for (const event of foreign) {
      const r = await handler(event, { name: 'terminal.info', input: {} });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('SENDER_REFUSED');
    }
    expect(calls).toEqual([]);
    expect(isTrustedSender(appFrame)).toBe(true);
  });

  it('rejects malformed input before dispatch', async () => {
    calls.length = 0;
    const cyclic: Record<string, unknown> = { name: 'terminal.info' };
    cyclic.input = cyclic;
    const bad: unknown[][] = [
      [],
      [undefined],
      [null],
      ['terminal.info'],
      [{ name: 'terminal.info', input: {} }, 'extra'],
      [{ name: '', input: {} }],
      [{ name: 42, input: {} }],
      [{ name: 'x'.repeat(200), input: {} }],
      [{ name: 'terminal.info', input: {}, extra: true }],
      [{ name: 'terminal.info', input: { big: 1n } }],
      [cyclic],
      [{ name: 'terminal.info', input: 'x'.repeat(MAX_IPC_PAYLOAD_BYTES) }],
      [{ name: 'terminal.info', input: '汉'.repeat(MAX_IPC_PAYLOAD_BYTES / 2) }],
    ];
    for (const args of bad) {
      const r = await handler(appFrame, ...args);
      expect(r.ok, `case ${bad.indexOf(args)}`).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('BAD_INPUT');
    }
    expect(calls).toEqual([]);
  });

  it('never rejects, even when dispatch throws', async () => {
    const throwing = createIpcHandler({
      dispatch: () => {
        throw new Error('boom');
      },
    });
    const r = await throwing(appFrame, { name: 'terminal.info', input: {} });
    expect(r).toEqual({ ok: false, error: commandError('INTERNAL', { ref: 'ipc' }) });
  });
});

describe('preload bridge', () => {
  function fakeIpc() {
    const invoked: unknown[][] = [];
    const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
    const ipc: IpcRendererLike = {
      invoke: async (...args) => {
        invoked.push(args);
        return { ok: true, value: null };
      },
      on: (channel, listener) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(listener);
      },
      removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
    };
    const emit = (message: unknown) => {
      const sender = { secret: 'ipcRenderer' };
      for (const l of listeners.get(IPC_EVENT_CHANNEL) ?? []) l({ sender }, message);
    };
    return { ipc, invoked, listeners, emit };
  }

  it('exposes exactly invoke and on, frozen, under window.cashier', () => {
    const bridge = createPreloadBridge(fakeIpc().ipc);
    expect(BRIDGE_KEY).toBe('cashier');
    expect(Object.keys(bridge).sort()).toEqual([...PRELOAD_KEYS].sort());
    expect(PRELOAD_KEYS).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(bridge)).toBe(true);
    for (const key of Object.keys(bridge)) {
      expect(typeof (bridge as unknown as Record<string, unknown>)[key]).toBe('function');
    }
  });

  it('invoke uses only the one channel with {name, input}', async () => {
    const { ipc, invoked } = fakeIpc();
    const bridge = createPreloadBridge(ipc);
    await bridge.invoke('terminal.info', {});
    await bridge.invoke('../../evil', { a: 1 });
    expect(invoked).toEqual([
      [IPC_INVOKE_CHANNEL, { name: 'terminal.info', input: {} }],
      [IPC_INVOKE_CHANNEL, { name: '../../evil', input: { a: 1 } }],
    ]);
  });

  it('on delivers only the data of the named event, never the IPC event object; unsubscribes', () => {
    const { ipc, listeners, emit } = fakeIpc();
    const bridge = createPreloadBridge(ipc);
    const got: unknown[] = [];
    const off = bridge.on('card.text', (data) => got.push(data));
    emit({ event: 'card.text', data: { text: 'PIN' } });
    emit({ event: 'other.event', data: 1 });
    emit('garbage');
    expect(got).toEqual([{ text: 'PIN' }]);
    off();
    off();
    expect(listeners.get(IPC_EVENT_CHANNEL)?.size).toBe(0);
    expect(() => bridge.on('../x', () => {})).toThrow(TypeError);
    expect(() => bridge.on('card.text', 'nope' as unknown as () => void)).toThrow(TypeError);
  });
});
