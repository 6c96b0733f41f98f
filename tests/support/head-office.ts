import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { openPglite, openPostgres, type HoDb } from '../../head-office/src/db';
import { issueEnrollmentCode } from '../../head-office/src/enrollment';
import { importFile, type ImportKind } from '../../head-office/src/import';
import { buildServer, type ServerOptions } from '../../head-office/src/server';
import { enrollTerminal } from '../../src-main/features/sync/enroll';
import { syncState } from '../../src-main/features/sync/store';
import type { OpenTerminal } from '../../src-main/app/open-terminal';
import { tempDir } from './terminal';

export type Backend = 'pglite' | 'postgres';

/** Where the test PostgreSQL is (`.ci/run` starts the installed cluster and sets this password). */
export const PG_ADMIN_URL =
  process.env.TEST_PG_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';

export interface TestHeadOffice {
  backend: Backend;
  db: HoDb;
  url: string;
  /** The throwaway PostgreSQL database (null on PGlite): a second head office may open it too. */
  databaseUrl: string | null;
  adminToken: string;
  /**
   * Enrolls a terminal for real: head office issues a one-time code, the terminal's sync.enroll
   * use case sends its key and proof, appends terminal.enrolled and keeps url + token. Answers
   * the token.
   */
  enrol(t: OpenTerminal, name?: string): Promise<string>;
  /** A one-time enrollment code from this head office (for a given terminal id: re-enrollment). */
  enrollmentCode(name: string, terminalId?: string): Promise<string>;
  admin(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** Runs `fn` on a connection to the test cluster's administrative database. */
export async function onTestCluster<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The URL of database `name` on the test cluster. */
export function testDatabaseUrl(name: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A throwaway database on the test cluster; dropped by the returned cleanup. */
export async function throwawayDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `ho_test_${randomBytes(6).toString('hex')}`;
  await onTestCluster((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    url: testDatabaseUrl(name),
    drop: async () => {
      await onTestCluster((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

export async function startHeadOffice(
  backend: Backend,
  options: Pick<
    ServerOptions,
    'bodyLimit' | 'enrollLimit' | 'qr' | 'ingestThreads' | 'now' | 'consolePolicy' | 'logger'
  > = {},
): Promise<TestHeadOffice> {
  let cleanup: () => Promise<void>;
  let db: HoDb;
  let databaseUrl: string | null = null;
  if (backend === 'postgres') {
    const tdb = await throwawayDatabase();
    db = await openPostgres(tdb.url, 20);
    databaseUrl = tdb.url;
    cleanup = tdb.drop;
  } else {
    const dir = tempDir('ho-pglite-');
    db = await openPglite(dir.dir);
    cleanup = async () => dir.cleanup();
  }
  const adminToken = `hoa_${randomBytes(18).toString('base64url')}`;
  const app = buildServer({ db, adminToken, ...options });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    backend,
    db,
    url,
    databaseUrl,
    adminToken,
    async enrol(t, name = t.ctx.terminal.name) {
      // a terminal enrolled before (a test enrolling again) needs a code for its own id
      const known = await db.query('SELECT 1 FROM ho_terminals WHERE terminal_id = $1', [
        t.ctx.terminal.id,
      ]);
      const { code } = await issueEnrollmentCode(db, {
        name,
        ...(known.length > 0 ? { terminalId: t.ctx.terminal.id } : {}),
      });
      await enrollTerminal(t.ctx, { url, code });
      return syncState(t.ctx.db).terminal_token!;
    },
    async enrollmentCode(name, terminalId) {
      return (await issueEnrollmentCode(db, { name, ...(terminalId ? { terminalId } : {}) })).code;
    },
    admin: (path, init = {}) =>
      fetch(url + path, {
        ...init,
        headers: { authorization: `Bearer ${adminToken}`, ...(init.headers ?? {}) },
      }),
    async close() {
      await app.close();
      await db.close();
      await cleanup();
    },
  };
}

/** The terminal's own totals per business day and receipt book, shaped like head office's report. */
export function terminalRecon(t: OpenTerminal) {
  return t.ctx.db
    .prepare(
      `SELECT ? AS terminal_id, e.business_date, r.book_id, count(*) AS receipts,
              count(r.voided_seq) AS voids, sum(r.total_fen) AS issued_fen,
              coalesce(sum(CASE WHEN r.voided_seq IS NOT NULL THEN r.total_fen END), 0) AS voided_fen,
              coalesce(sum(CASE WHEN r.voided_seq IS NULL THEN r.total_fen END), 0) AS net_fen
       FROM receipts r JOIN events e ON e.seq = r.issued_seq
       GROUP BY e.business_date, r.book_id ORDER BY e.business_date, r.book_id`,
    )
    .all(t.ctx.terminal.id) as Record<string, unknown>[];
}

/** Master data into head office as a CSV upload (first row the header); throws when it is refused. */
export async function importCsv(db: HoDb, kind: ImportKind, rows: string[][]): Promise<void> {
  const bytes = Buffer.from(rows.map((r) => r.join(',')).join('\n'), 'utf8');
  const result = await importFile(db, kind, 'csv', bytes, `${kind}.csv`);
  if (!result.accepted)
    throw new Error(`head office refused the ${kind} import: ${JSON.stringify(result)}`);
}

/** The seasons CSV of one heating season starting in `year` (15 Nov – 15 Mar, rates 25/38/31 yuan). */
export function seasonRows(year: number): string[][] {
  return [
    [
      'code',
      'starts_on',
      'ends_on',
      'no_heat_deadline',
      'no_heat_ratio_pct',
      'rate_residential',
      'rate_commercial',
      'rate_public',
    ],
    [
      `${year}-${year + 1}`,
      `${year}-11-15`,
      `${year + 1}-03-15`,
      `${year}-10-15`,
      '50',
      '25.00',
      '38.00',
      '31.00',
    ],
  ];
}

/** An operator signed in to the head-office console (a browser: session cookie + CSRF header). */
export interface ConsoleSession {
  cookie: string;
  csrfToken: string;
  operator: { username: string; displayName: string; role: string; mustChangePassword: boolean };
  /**
   * A request with the session cookie; a write carries the CSRF header unless `csrf` says
   * otherwise (false: none; a string: that one). `json` is sent as the body.
   */
  call(
    path: string,
    init?: {
      method?: string;
      json?: unknown;
      csrf?: string | false;
      headers?: Record<string, string>;
    },
  ): Promise<Response>;
}

/** POST /v1/console/login (with a cookie the browser already holds, if any). */
export async function consoleLogin(
  url: string,
  username: string,
  password: string,
  cookie?: string,
): Promise<{ res: Response; body: Record<string, unknown>; session: ConsoleSession | null }> {
  const res = await fetch(`${url}/v1/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as Record<string, unknown>;
  const set = res.headers.getSetCookie().find((c) => c.startsWith('ho_session='));
  if (res.status !== 200 || !set) return { res, body, session: null };
  return { res, body, session: consoleSession(url, set.split(';')[0]!, body) };
}

function consoleSession(
  url: string,
  cookie: string,
  body: Record<string, unknown>,
): ConsoleSession {
  const session: ConsoleSession = {
    cookie,
    csrfToken: body.csrfToken as string,
    operator: body.operator as ConsoleSession['operator'],
    call: (path, init = {}) => {
      const method = init.method ?? (init.json === undefined ? 'GET' : 'POST');
      const csrf = init.csrf === undefined ? session.csrfToken : init.csrf;
      return fetch(url + path, {
        method,
        headers: {
          cookie: session.cookie,
          ...(method !== 'GET' && csrf !== false ? { 'x-csrf-token': csrf } : {}),
          ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(init.headers ?? {}),
        },
        ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
      });
    },
  };
  return session;
}

/**
 * A new operator created with the operator token, signed in with the one-time password and
 * changed to `password`: a session ready for work.
 */
export async function newOperator(
  ho: Pick<TestHeadOffice, 'url' | 'admin'>,
  username: string,
  role: 'admin' | 'finance' | 'manager' | 'auditor',
  password = `${username}-Pass-2026!`,
): Promise<{ session: ConsoleSession; password: string; initialPassword: string }> {
  const created = await ho.admin('/v1/console/operators', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, displayName: `${username} 测试`, role }),
  });
  if (created.status !== 201) throw new Error(`create ${username}: ${await created.text()}`);
  const { initialPassword } = (await created.json()) as { initialPassword: string };
  const first = await consoleLogin(ho.url, username, initialPassword);
  if (!first.session) throw new Error(`login ${username}: ${JSON.stringify(first.body)}`);
  const changed = await first.session.call('/v1/console/password', {
    json: { current: initialPassword, next: password },
  });
  if (changed.status !== 200) throw new Error(`password ${username}: ${await changed.text()}`);
  first.session.operator = { ...first.session.operator, mustChangePassword: false };
  return { session: first.session, password, initialPassword };
}
