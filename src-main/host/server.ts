import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mimeType } from '../app/mime';
import { stat } from 'node:fs/promises';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import { commandError, describeIssues, type Result } from '@heating-cashier/core/contract/errors';
import { dispatch, type Caller, type Logger } from '../api/dispatch';
import type { ServiceContext } from '../services/context';

/** Largest WebSocket message accepted; a bigger one closes that socket (1009), nothing else. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
export const API_PATH = '/api';

export interface HostOptions {
  ctx: ServiceContext;
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (vite build output). */
  staticDir: string;
  log?: Logger;
}

export interface Host {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** What a client sends: one command call. `input` is validated by dispatch against the contract. */
const envelope = z
  .object({
    id: z.union([z.string().min(1).max(128), z.number().int().safe()]),
    name: z.string().min(1).max(128),
    input: z.unknown(),
  })
  .strict();

export type RequestEnvelope = z.infer<typeof envelope>;
export interface ResponseEnvelope {
  id: string | number | null;
  result: Result<unknown>;
}

const silentLogger: Logger = () => {};

/**
 * The plain-Node host: serves the built renderer and `dispatch` over a WebSocket at /api, on
 * 127.0.0.1 only. Browsers may connect only from the host's own origin.
 */
export async function startHost(options: HostOptions): Promise<Host> {
  const { ctx } = options;
  const log = options.log ?? silentLogger;
  const staticRoot = path.resolve(options.staticDir);
  let allowedOrigins = new Set<string>();
  let allowedHosts = new Set<string>();

  const server = createServer((req, res) => {
    serveStatic(req, res).catch((e: unknown) => {
      log('error', 'static request failed', { url: req.url, error: String(e) });
      if (!res.headersSent) sendText(res, 500, 'Internal Server Error');
      else res.destroy();
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_PAYLOAD_BYTES,
    perMessageDeflate: false,
  });

  // -- static files --------------------------------------------------------------------------

  function sendText(
    res: ServerResponse,
    status: number,
    text: string,
    extra: OutgoingHttpHeaders = {},
  ) {
    res.writeHead(status, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...extra,
    });
    res.end(text);
  }

  /** Maps a raw request path to a file under staticRoot, or null if it tries to leave it. */
  function resolveStatic(rawPath: string): string | null {
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawPath);
    } catch {
      return null;
    }
    if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null;
    const segments = decoded.split('/').filter((s) => s !== '');
    // No `..`, no `.`, no dotfiles (also catches `%2e%2e` after decoding).
    if (segments.some((s) => s.startsWith('.'))) return null;
    const file = path.resolve(staticRoot, ...segments);
    if (file !== staticRoot && !file.startsWith(staticRoot + path.sep)) return null;
    return file;
  }

  async function isFile(file: string) {
    try {
      return (await stat(file)).isFile();
    } catch {
      return false;
    }
  }

  async function sendFile(req: IncomingMessage, res: ServerResponse, file: string) {
    const info = await stat(file);
    const isIndex = path.basename(file) === 'index.html';
    const headers: OutgoingHttpHeaders = {
      'Content-Type': mimeType(file),
      'Content-Length': info.size,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      // Vite puts a content hash in asset names; the entry page must always be fresh.
      'Cache-Control': isIndex ? 'no-store' : 'no-cache',
    };
    if (isIndex) {
      headers['Content-Security-Policy'] = [
        "default-src 'self'",
        `connect-src 'self' ${[...allowedOrigins].map((o) => o.replace(/^http/, 'ws')).join(' ')}`,
        "img-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ].join('; ');
      headers['X-Frame-Options'] = 'DENY';
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse) {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      sendText(res, 421, 'Misdirected Request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
      return;
    }
    const rawPath = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
    if (rawPath === API_PATH) {
      sendText(res, 426, 'Upgrade Required: /api is a WebSocket endpoint', {
        Upgrade: 'websocket',
      });
      return;
    }
    const file = resolveStatic(rawPath);
    if (file === null) {
      sendText(res, 404, 'Not Found');
      return;
    }
    if (file !== staticRoot && (await isFile(file))) {
      await sendFile(req, res, file);
      return;
    }
    // Unknown paths without a file extension are client-side routes: serve the app.
    if (path.extname(file) !== '') {
      sendText(res, 404, 'Not Found');
      return;
    }
    const index = path.join(staticRoot, 'index.html');
    if (!(await isFile(index))) {
      sendText(res, 503, 'The renderer is not built. Run `npm run build:renderer` and reload.');
      return;
    }
    await sendFile(req, res, index);
  }

  // -- WebSocket API -------------------------------------------------------------------------

  function refuseUpgrade(socket: Duplex, status: number, reason: string) {
    const body = `${reason}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const rawPath = (req.url ?? '/').split('?', 1)[0];
    if (rawPath !== API_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (!allowedHosts.has(req.headers.host ?? '')) {
      return refuseUpgrade(socket, 421, 'Misdirected Request');
    }
    const origin = req.headers.origin;
    // No Origin: a non-browser client (tests, CLI tools). A browser always sends one.
    if (origin !== undefined && !allowedOrigins.has(origin)) {
      log('warn', 'WebSocket upgrade refused: foreign origin', { origin: origin.slice(0, 200) });
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  function reply(ws: WebSocket, message: ResponseEnvelope) {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify(message), (err) => {
      if (err) log('warn', 'WebSocket send failed', { error: err.message });
    });
  }

  function badInput(ws: WebSocket, issues: string) {
    reply(ws, { id: null, result: { ok: false, error: commandError('BAD_INPUT', { issues }) } });
  }

  async function handleMessage(ws: WebSocket, caller: Caller, data: RawData, isBinary: boolean) {
    if (isBinary) return badInput(ws, 'binary frames are not accepted; send JSON text');
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Buffer.from(data).toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return badInput(ws, 'message is not valid JSON');
    }
    const parsed = envelope.safeParse(json);
    if (!parsed.success) {
      const issues = describeIssues(parsed.error.issues, '(envelope)');
      return badInput(ws, `envelope {id, name, input}: ${issues}`);
    }
    const { id, name, input } = parsed.data;
    let result: Result<unknown>;
    try {
      result = await dispatch(ctx, name, input, log, caller);
    } catch (e) {
      // dispatch never throws; this is a belt for the braces.
      log('error', 'dispatch threw', { error: String(e) });
      result = { ok: false, error: commandError('INTERNAL', { ref: 'host' }) };
    }
    reply(ws, { id, result });
  }

  /** Each open socket's connection id: pushes go by its kind (clerk, or a paired customer display). */
  const connections = new Map<WebSocket, string>();

  wss.on('connection', (ws: WebSocket) => {
    // Each WebSocket client is one connection: wrong PINs lock a clerk on it alone.
    const caller: Caller = { connection: `ws:${randomUUID()}` };
    connections.set(ws, caller.connection);
    ws.on('close', () => {
      connections.delete(ws);
      ctx.runtime.pins.forgetConnection(caller.connection);
      ctx.runtime.customer.forget(caller.connection);
    });
    ws.on('error', (err) => {
      // e.g. payload over maxPayload (close code 1009) or an invalid frame: ws closes the socket.
      log('warn', 'WebSocket connection error', { error: err.message });
    });
    ws.on('message', (data, isBinary) => {
      handleMessage(ws, caller, data, isBinary).catch((e: unknown) => {
        log('error', 'WebSocket message handling failed', { error: String(e) });
      });
    });
  });

  // Server → renderer events (live card-terminal texts, …): `{event, data}`, no `id`. A paired
  // customer display gets `customer.view` and nothing else; a clerk's page never gets that one.
  const unsubscribePush = ctx.runtime.push.subscribe((event, data) => {
    const text = JSON.stringify({ event, data });
    const forDisplays = event === 'customer.view';
    for (const client of wss.clients) {
      if (client.readyState !== client.OPEN) continue;
      const connection = connections.get(client);
      const display = connection !== undefined && ctx.runtime.customer.isDisplay(connection);
      if (display !== forDisplays) continue;
      client.send(text, (err) => {
        if (err) log('warn', 'WebSocket push failed', { error: err.message });
      });
    }
  });

  // -- start / stop --------------------------------------------------------------------------

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => log('error', 'HTTP server error', { error: err.message }));

  const port = (server.address() as AddressInfo).port;
  allowedOrigins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const url = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | null = null;
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      unsubscribePush();
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      const force = setTimeout(() => {
        for (const client of wss.clients) client.terminate();
        server.closeAllConnections();
      }, 1000);
      force.unref();
      wss.close();
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  }

  return { url, port, close };
}
