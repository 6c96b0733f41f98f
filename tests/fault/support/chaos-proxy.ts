import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP-aware fault-injection proxy on 127.0.0.1 between terminals and head office. For each
 * request it picks (from a seeded PRNG) one of the faults below, so a failing run can be replayed.
 * Given several head-office instances, it is also the load balancer: every request (and each copy
 * of a duplicated or replayed one) goes to an instance picked at random.
 */
export const FAULTS = [
  'pass',
  'drop', // the request never reaches head office; the client's connection is cut
  'delay', // forwarded after up to 800 ms
  'duplicate', // forwarded twice at once; the client gets one answer
  'reorder', // forwarded now AND replayed later, after newer requests
  'error500', // answered 500 without forwarding
  'applied500', // forwarded (head office applies it), but the client is told 500
  'reset', // forwarded, then the client's connection is reset before the answer
  'truncateRequest', // half the body reaches head office, then the connection closes
  'truncateResponse', // the answer is cut off mid-body
] as const;
export type Fault = (typeof FAULTS)[number];

export interface ChaosProxy {
  url: string;
  stats: Record<Fault, number>;
  /** Requests (and copies) forwarded to each head-office instance, in the order given. */
  routed: number[];
  setFaults(on: boolean): void;
  close(): Promise<void>;
}

interface Upstream {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export async function startChaosProxy(
  upstreamUrls: string | readonly string[],
  random: () => number,
  weights: Partial<Record<Fault, number>> = {},
): Promise<ChaosProxy> {
  const ups = (typeof upstreamUrls === 'string' ? [upstreamUrls] : upstreamUrls).map(
    (u) => new URL(u),
  );
  if (ups.length === 0) throw new Error('the chaos proxy needs a head office to forward to');
  const routed = ups.map(() => 0);
  const upstream = () => {
    const i = ups.length === 1 ? 0 : Math.floor(random() * ups.length);
    routed[i]!++;
    return ups[i]!;
  };
  const stats = Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>;
  const w = FAULTS.map((f) => weights[f] ?? (f === 'pass' ? 10 : 1));
  const total = w.reduce((a, b) => a + b, 0);
  let faults = true;
  const timers = new Set<NodeJS.Timeout>();
  const inflight = new Set<Promise<unknown>>();
  const sockets = new Set<net.Socket>();
  const agent = new http.Agent({ keepAlive: false });

  const pick = (): Fault => {
    if (!faults) return 'pass';
    let r = random() * total;
    for (let i = 0; i < FAULTS.length; i++) {
      r -= w[i]!;
      if (r < 0) return FAULTS[i]!;
    }
    return 'pass';
  };

  const forward = (req: http.IncomingMessage, body: Buffer): Promise<Upstream> => {
    const up = upstream();
    const p = new Promise<Upstream>((resolve, reject) => {
      const headers = { ...req.headers, host: up.host };
      const out = http.request(
        { host: up.hostname, port: up.port, path: req.url, method: req.method, headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 502,
              headers: res.headers,
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });
    const tracked = p.catch(() => undefined);
    inflight.add(tracked);
    void tracked.finally(() => inflight.delete(tracked));
    return p;
  };

  const truncatedRequest = (req: http.IncomingMessage, body: Buffer) => {
    const up = upstream();
    const s = net.connect(Number(up.port), up.hostname, () => {
      const head = [`${req.method} ${req.url} HTTP/1.1`, `host: ${up.host}`];
      for (const [k, v] of Object.entries(req.headers))
        if (k !== 'host' && k !== 'connection' && v !== undefined) head.push(`${k}: ${String(v)}`);
      s.write(head.join('\r\n') + '\r\nconnection: close\r\n\r\n');
      s.end(body.subarray(0, Math.floor(body.length / 2)));
    });
    s.on('error', () => {});
    s.setTimeout(2000, () => s.destroy());
  };

  const answer = (res: http.ServerResponse, u: Upstream) => {
    const headers = { ...u.headers };
    delete headers['transfer-encoding'];
    delete headers.connection;
    res.writeHead(u.status, { ...headers, 'content-length': u.body.length });
    res.end(u.body);
  };

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const fault = pick();
      stats[fault]++;
      const cut = () => req.socket.destroy();
      const relay = (u: Promise<Upstream>) =>
        u.then(
          (x) => answer(res, x),
          () => cut(),
        );
      switch (fault) {
        case 'pass':
          return void relay(forward(req, body));
        case 'drop':
          return cut();
        case 'delay':
          return later(50 + Math.floor(random() * 750), () => void relay(forward(req, body)));
        case 'duplicate': {
          const a = forward(req, body);
          forward(req, body).catch(() => {});
          return void relay(a);
        }
        case 'reorder':
          later(200 + Math.floor(random() * 2800), () => void forward(req, body).catch(() => {}));
          return void relay(forward(req, body));
        case 'error500':
          res.writeHead(500, { 'content-type': 'application/json' });
          return void res.end('{"error":"internal","message":"proxy says 500"}');
        case 'applied500':
          return void forward(req, body).then(
            () => {
              res.writeHead(500, { 'content-type': 'application/json' });
              res.end('{"error":"internal","message":"proxy says 500 after applying"}');
            },
            () => cut(),
          );
        case 'reset':
          return void forward(req, body).then(cut, cut);
        case 'truncateRequest':
          truncatedRequest(req, body);
          return cut();
        case 'truncateResponse':
          return void forward(req, body).then(
            (u) => {
              res.writeHead(u.status, {
                'content-type': String(u.headers['content-type'] ?? 'application/json'),
                'content-length': u.body.length,
              });
              res.write(u.body.subarray(0, Math.floor(u.body.length / 2)));
              setTimeout(cut, 5);
            },
            () => cut(),
          );
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats,
    routed,
    setFaults: (on) => {
      faults = on;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.all([...inflight]);
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      agent.destroy();
    },
  };
}
