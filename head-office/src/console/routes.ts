// The operator scope's gate and the console's own routes (/v1/console/*): sign-in with a session
// cookie, CSRF for cookie-authenticated writes, roles (permissions.ts), lockout, operator
// management and the audit log. The operator token (HO_ADMIN_TOKEN, scripted use) still works as
// an administrator with a bearer header (no cookie, so no CSRF).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { HoDb, Queryable } from '../db';
import {
  activeLock,
  clearAccountFailures,
  createOperator,
  csrfFor,
  findOperator,
  liveSession,
  openSession,
  operatorInput,
  publicOperator,
  recordFailure,
  revokeOperatorSessions,
  revokeSession,
  sha256Hex,
  unlockAccount,
  username as usernameSchema,
  type ConsolePolicy,
  type OperatorRow,
} from './accounts';
import { appendAudit, auditQuery, listAudit, type Actor, type Outcome } from './audit';
import {
  warmDummy,
  dummyVerify,
  hashPassword,
  oneTimePassword,
  passwordProblem,
  verifyPassword,
} from './passwords';
import { accessOf, isWrite, role, routeKey, type Role } from './permissions';

export const SESSION_COOKIE = 'ho_session';

export interface OperatorIdentity extends Actor {
  kind: 'token' | 'session';
  /** Session only: the cookie's token and its hash. */
  sessionToken: string | null;
  sessionHash: string | null;
  mustChangePassword: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who an operator request comes from (operator scope only). */
    operatorIdentity: OperatorIdentity | null;
    /** Set once a handler wrote its own audit row (in its transaction). */
    audited: boolean;
    /** Why the gate refused it (audited). */
    refusedFor: string | null;
  }
}

export interface ConsoleContext {
  db: HoDb;
  adminToken: string;
  now: () => Date;
  policy: ConsolePolicy;
  /** Cookies marked Secure (the server runs TLS). */
  secure: boolean;
  jsonBody: (req: FastifyRequest) => { raw: string; json: unknown } | null;
  issues: (e: z.ZodError) => string;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

function cookieValue(req: FastifyRequest, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      const v = part.slice(i + 1).trim();
      return /^[A-Za-z0-9_-]{20,100}$/.test(v) ? v : null;
    }
  }
  return null;
}

/** An Origin header naming another host than the request's own: a cross-site request. */
function crossOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true; // "null" or garbage
  }
}

const actorOf = (o: OperatorRow): Actor => ({
  operatorId: o.id,
  username: o.username,
  role: o.role,
});

/** The target an audit row names, from the route's parameters. */
function targetOf(req: FastifyRequest): string | null {
  const params = (req.params ?? {}) as Record<string, string>;
  const entries = Object.entries(params);
  return entries.length
    ? entries.map(([k, v]) => `${k}:${String(v).slice(0, 64)}`).join(',')
    : null;
}

const outcomeOf = (status: number): Outcome =>
  status < 400 ? 'ok' : status >= 500 ? 'failed' : 'refused';

const UNAUTHORIZED = {
  error: 'unauthorized',
  message:
    '请先登录（POST /v1/console/login）或使用操作员令牌 / sign in (POST /v1/console/login) or send the operator token',
};

/**
 * Installs the gate (every route of `scope` needs an entry in permissions.ts) and the audit of
 * state-changing requests, then the console's routes. Call before the scope's other routes.
 */
export function installConsole(
  scope: FastifyInstance,
  ctx: ConsoleContext,
): {
  /** A handler's own audit row, in the transaction of its change (the route's action name). */
  audit(
    q: Queryable,
    req: FastifyRequest,
    outcome: Outcome,
    detail?: Record<string, unknown>,
    target?: string,
  ): Promise<void>;
} {
  const { db, policy, now } = ctx;
  const tokenHash = sha256(ctx.adminToken);
  warmDummy();

  scope.decorateRequest('operatorIdentity', null);
  scope.decorateRequest('audited', false);
  scope.decorateRequest('refusedFor', null);

  scope.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods)
      if (m !== 'HEAD' && !accessOf(m, route.url))
        throw new Error(
          `operator route ${routeKey(m, route.url)} has no entry in head-office/src/console/permissions.ts`,
        );
  });

  const refuse = (
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    error: string,
    message: string,
  ) => {
    req.refusedFor = error;
    return reply.code(status).send({ error, message });
  };

  scope.addHook('onRequest', async (req, reply) => {
    const access = accessOf(req.method === 'HEAD' ? 'GET' : req.method, req.routeOptions.url ?? '');
    if (!access) return refuse(req, reply, 403, 'forbidden', 'no operator may call this route');
    if (access.roles === 'public') {
      if (crossOrigin(req))
        return refuse(
          req,
          reply,
          403,
          'csrf',
          '请求来源与本站不符，已拒绝 / cross-site request refused',
        );
      return;
    }
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      if (!m || !timingSafeEqual(sha256(m[1]!), tokenHash))
        return reply.code(401).send({ error: 'unauthorized', message: 'operator token required' });
      req.operatorIdentity = {
        kind: 'token',
        operatorId: null,
        username: 'token',
        role: 'admin',
        sessionToken: null,
        sessionHash: null,
        mustChangePassword: false,
      };
      if (access.roles === 'session')
        return refuse(req, reply, 403, 'forbidden', 'the operator token has no session; sign in');
      return;
    }
    const token = cookieValue(req, SESSION_COOKIE);
    const session = token ? await liveSession(db, token, now(), policy) : null;
    if (!token || !session) return reply.code(401).send(UNAUTHORIZED);
    req.operatorIdentity = {
      kind: 'session',
      ...actorOf(session.operator),
      sessionToken: token,
      sessionHash: session.tokenHash,
      mustChangePassword: session.operator.must_change_password,
    };
    if (isWrite(req.method)) {
      const sent = req.headers['x-csrf-token'];
      const ok =
        typeof sent === 'string' &&
        timingSafeEqual(Buffer.from(sha256Hex(sent)), Buffer.from(session.csrfHash));
      if (!ok || crossOrigin(req))
        return refuse(
          req,
          reply,
          403,
          'csrf',
          '请求缺少有效的 CSRF 令牌或来源不符，请刷新页面后重试 / missing or wrong x-csrf-token (or a cross-site origin); reload and retry',
        );
    }
    if (access.roles === 'session') return;
    if (session.operator.must_change_password)
      return refuse(
        req,
        reply,
        403,
        'password_change_required',
        '请先修改初始密码（POST /v1/console/password）/ change your one-time password first',
      );
    if (!(access.roles as readonly Role[]).includes(session.operator.role))
      return refuse(
        req,
        reply,
        403,
        'forbidden',
        `角色“${session.operator.role}”无权执行此操作，请联系管理员 / your role may not do this; ask the administrator`,
      );
  });

  // State-changing requests a handler did not audit itself (in its own transaction): one row
  // right after, before the answer leaves (importFile and decideCheques run their own
  // transactions; the gate's refusals have no transaction at all).
  scope.addHook('onSend', async (req, reply, payload) => {
    const who = req.operatorIdentity;
    if (!who || req.audited || !isWrite(req.method)) return payload;
    const access = accessOf(req.method, req.routeOptions.url ?? '');
    if (!access || access.roles === 'public') return payload;
    await appendAudit(db, {
      at: now(),
      actor: who,
      action: access.action,
      target: targetOf(req),
      detail: {
        status: reply.statusCode,
        ...(req.refusedFor ? { refused: req.refusedFor } : {}),
        ...(req.query && Object.keys(req.query).length ? { query: req.query } : {}),
      },
      source: req.ip,
      outcome: outcomeOf(reply.statusCode),
    });
    return payload;
  });

  const who = (req: FastifyRequest) => req.operatorIdentity!;
  const audit = (
    q: Queryable,
    req: FastifyRequest,
    action: string,
    outcome: Outcome,
    target: string | null,
    detail: Record<string, unknown> = {},
    actor: Actor = who(req),
  ) => {
    req.audited = true;
    return appendAudit(q, { at: now(), actor, action, target, detail, source: req.ip, outcome });
  };
  const bad = (reply: FastifyReply, message: string) =>
    reply.code(400).send({ error: 'bad_request', message });
  const sessionCookie = (value: string, maxAgeS: number) =>
    `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeS}${ctx.secure ? '; Secure' : ''}`;

  const loginBody = z
    .object({ username: z.string().max(64), password: z.string().min(1).max(1024) })
    .strict();
  const INVALID = {
    error: 'invalid_credentials',
    message:
      '用户名或密码不正确，请重试；连续失败 5 次账号将锁定 15 分钟 / wrong username or password; 5 failures lock the account for 15 minutes',
  };

  scope.post('/v1/console/login', async (req, reply) => {
    const parsed = loginBody.safeParse(ctx.jsonBody(req)?.json);
    // the issues name fields, never their values: the password is not echoed
    if (!parsed.success) return bad(reply, 'username and password (strings) required');
    const name = parsed.data.username.trim().toLowerCase();
    const source = req.ip;
    const at = now();
    const oldToken = cookieValue(req, SESSION_COOKIE);
    // A refused sign-in ends the session the browser brought too, and is audited (with `also`).
    const refused = (
      detail: Record<string, unknown>,
      actor: Actor,
      also?: (q: Queryable) => Promise<unknown>,
    ) =>
      db.tx(async (q) => {
        if (oldToken) await revokeSession(q, sha256Hex(oldToken), at);
        await also?.(q);
        await audit(q, req, 'login', 'refused', `operator:${name}`, detail, actor);
      });
    const lock = await activeLock(db, name, source, at);
    if (lock) {
      await refused(
        { reason: 'locked', scope: lock.scope },
        { operatorId: null, username: name, role: null },
      );
      const waitS = Math.max(1, Math.ceil((lock.until.getTime() - at.getTime()) / 1000));
      const when = lock.until.toLocaleTimeString('zh-CN', {
        timeZone: 'Asia/Shanghai',
        hour: '2-digit',
        minute: '2-digit',
      });
      return reply
        .code(429)
        .header('retry-after', String(waitS))
        .send({
          error: 'locked',
          retryAt: lock.until.toISOString(),
          message:
            lock.scope === 'account'
              ? `登录失败次数过多，此账号已锁定。请在 ${when}（约 ${Math.ceil(waitS / 60)} 分钟后）再试，或请管理员解锁 / too many failed sign-ins: this account is locked until ${lock.until.toISOString()}; try again then or ask the administrator to unlock it`
              : `此地址登录失败次数过多，已暂停登录。请在 ${when}（约 ${Math.ceil(waitS / 60)} 分钟后）再试，或联系管理员 / too many failed sign-ins from this address; try again at ${lock.until.toISOString()} or ask the administrator`,
        });
    }
    const op = await findOperator(db, name);
    const ok = op
      ? await verifyPassword(parsed.data.password, op.password_hash)
      : await dummyVerify(parsed.data.password);
    if (!op || !ok) {
      await refused(
        { reason: 'invalid_credentials' },
        { operatorId: op?.id ?? null, username: name, role: op?.role ?? null },
        (q) => recordFailure(q, name, source, at, policy),
      );
      return reply.code(401).send(INVALID);
    }
    if (op.disabled_at) {
      await refused({ reason: 'disabled' }, actorOf(op));
      return reply.code(403).send({
        error: 'account_disabled',
        message: '此账号已停用，请联系管理员 / this account is disabled; ask the administrator',
      });
    }
    const session = await db.tx(async (q) => {
      // fixation: whatever session the browser brought is ended; the new one has a fresh id
      if (oldToken) await revokeSession(q, sha256Hex(oldToken), at);
      await clearAccountFailures(q, name);
      const s = await openSession(q, op.id, source, at, policy);
      await audit(q, req, 'login', 'ok', `operator:${name}`, {}, actorOf(op));
      return s;
    });
    return reply
      .header('set-cookie', sessionCookie(session.token, Math.floor(policy.absoluteMs / 1000)))
      .header('cache-control', 'no-store')
      .send({ operator: publicOperator(op), csrfToken: session.csrfToken });
  });

  scope.post('/v1/console/logout', async (req, reply) => {
    const id = who(req);
    await db.tx(async (q) => {
      await revokeSession(q, id.sessionHash!, now());
      await audit(q, req, 'logout', 'ok', `operator:${id.username}`);
    });
    return reply.header('set-cookie', sessionCookie('', 0)).send({ ok: true });
  });

  scope.get('/v1/console/session', async (req, reply) => {
    const id = who(req);
    const op = await findOperator(db, id.username);
    if (!op) return reply.code(401).send(UNAUTHORIZED);
    return reply
      .header('cache-control', 'no-store')
      .send({ operator: publicOperator(op), csrfToken: csrfFor(id.sessionToken!) });
  });

  const passwordBody = z
    .object({ current: z.string().min(1).max(1024), next: z.string().min(1).max(1024) })
    .strict();
  scope.post('/v1/console/password', async (req, reply) => {
    const id = who(req);
    const parsed = passwordBody.safeParse(ctx.jsonBody(req)?.json);
    if (!parsed.success) return bad(reply, 'current and next (strings) required');
    const op = await findOperator(db, id.username);
    if (!op) return reply.code(401).send(UNAUTHORIZED);
    const refused = async (error: string, message: string, status = 400) => {
      await audit(db, req, 'password.change', 'refused', `operator:${op.username}`, {
        reason: error,
      });
      return reply.code(status).send({ error, message });
    };
    if (!(await verifyPassword(parsed.data.current, op.password_hash)))
      return refused(
        'wrong_password',
        '当前密码不正确，请重新输入 / the current password is wrong',
        403,
      );
    const problem = passwordProblem(parsed.data.next, op.username);
    if (problem) return refused('weak_password', problem);
    if (parsed.data.next === parsed.data.current)
      return refused('weak_password', '新密码不能与当前密码相同 / choose a new password');
    const hash = await hashPassword(parsed.data.next);
    const ended = await db.tx(async (q) => {
      await q.query(
        'UPDATE ho_operators SET password_hash = $2, must_change_password = false WHERE id = $1',
        [op.id, hash],
      );
      const n = await revokeOperatorSessions(q, op.id, now(), id.sessionHash);
      await audit(q, req, 'password.change', 'ok', `operator:${op.username}`, {
        otherSessionsEnded: n,
      });
      return n;
    });
    return { ok: true, otherSessionsEnded: ended };
  });

  // --- operator management (administrator) ---------------------------------------------------
  scope.get('/v1/console/operators', async () => {
    const rows = await db.query<OperatorRow & { locked_until: Date | null }>(
      `SELECT o.*, l.locked_until FROM ho_operators o
       LEFT JOIN ho_login_locks l ON l.scope = 'account' AND l.key = o.username AND l.locked_until > $1
       ORDER BY o.username`,
      [now()],
    );
    return {
      operators: rows.map((o) => ({
        ...publicOperator(o),
        disabledAt: o.disabled_at ? new Date(o.disabled_at).toISOString() : null,
        createdAt: new Date(o.created_at).toISOString(),
        createdBy: o.created_by,
        lockedUntil: o.locked_until ? new Date(o.locked_until).toISOString() : null,
      })),
    };
  });

  scope.post('/v1/console/operators', async (req, reply) => {
    const parsed = operatorInput.safeParse(ctx.jsonBody(req)?.json);
    if (!parsed.success) return bad(reply, ctx.issues(parsed.error));
    const created = await db.tx(async (q) => {
      const c = await createOperator(q, parsed.data, who(req).username, now());
      await audit(
        q,
        req,
        'operator.create',
        c ? 'ok' : 'refused',
        `operator:${parsed.data.username}`,
        {
          role: parsed.data.role,
          displayName: parsed.data.displayName,
          ...(c ? {} : { reason: 'exists' }),
        },
      );
      return c;
    });
    if (!created)
      return reply.code(409).send({
        error: 'exists',
        message: `用户名 ${parsed.data.username} 已存在，请换一个 / username taken`,
      });
    return reply
      .code(201)
      .header('cache-control', 'no-store')
      .send({
        operator: publicOperator(created.operator),
        initialPassword: created.initialPassword,
      });
  });

  /** One management action on an existing account, its audit row in the same transaction. */
  const manage = (
    path: string,
    action: string,
    run: (
      q: Queryable,
      op: OperatorRow,
      req: FastifyRequest,
    ) => Promise<
      | { status: number; body: Record<string, unknown>; detail?: Record<string, unknown> }
      | { refused: string; message: string; status?: number }
    >,
  ) =>
    scope.post(`/v1/console/operators/:username${path}`, async (req, reply) => {
      const name = usernameSchema.safeParse((req.params as { username: string }).username);
      if (!name.success) return bad(reply, 'bad username');
      const out = await db.tx(async (q) => {
        const op = await findOperator(q, name.data);
        if (!op) {
          await audit(q, req, action, 'refused', `operator:${name.data}`, { reason: 'not_found' });
          return {
            status: 404,
            body: { error: 'not_found', message: `没有用户 ${name.data} / no such operator` },
          };
        }
        const r = await run(q, op, req);
        if ('refused' in r) {
          await audit(q, req, action, 'refused', `operator:${op.username}`, { reason: r.refused });
          return { status: r.status ?? 409, body: { error: r.refused, message: r.message } };
        }
        await audit(q, req, action, 'ok', `operator:${op.username}`, r.detail ?? {});
        return r;
      });
      return reply.code(out.status).header('cache-control', 'no-store').send(out.body);
    });

  const notSelf = (req: FastifyRequest, op: OperatorRow) =>
    who(req).operatorId === op.id
      ? {
          refused: 'self',
          message: '不能对自己的账号执行此操作，请让另一位管理员操作 / not on your own account',
        }
      : null;

  /**
   * Refuses to disable or demote the last active administrator (only the scripted token could
   * manage accounts then). The active administrators' rows are locked first, so two such changes
   * at once cannot each count on the other.
   */
  const notLastAdmin = async (q: Queryable, op: OperatorRow) => {
    if (op.role !== 'admin' || op.disabled_at) return null;
    const admins = await q.query<{ id: unknown }>(
      "SELECT id FROM ho_operators WHERE role = 'admin' AND disabled_at IS NULL FOR UPDATE",
    );
    return admins.some((a) => String(a.id) !== String(op.id))
      ? null
      : {
          refused: 'last_admin',
          message:
            '这是最后一位在用的管理员，请先新建或启用另一位管理员 / the last active administrator: create or enable another one first',
        };
  };

  manage('/disable', 'operator.disable', async (q, op, req) => {
    const self = notSelf(req, op) ?? (await notLastAdmin(q, op));
    if (self) return self;
    await q.query('UPDATE ho_operators SET disabled_at = coalesce(disabled_at, $2) WHERE id = $1', [
      op.id,
      now(),
    ]);
    const ended = await revokeOperatorSessions(q, op.id, now());
    return { status: 200, body: { ok: true }, detail: { sessionsEnded: ended } };
  });

  manage('/enable', 'operator.enable', async (q, op) => {
    await q.query('UPDATE ho_operators SET disabled_at = NULL WHERE id = $1', [op.id]);
    return { status: 200, body: { ok: true } };
  });

  manage('/reset-password', 'operator.reset_password', async (q, op, req) => {
    const self = notSelf(req, op);
    if (self) return self;
    const initialPassword = oneTimePassword();
    await q.query(
      'UPDATE ho_operators SET password_hash = $2, must_change_password = true WHERE id = $1',
      [op.id, await hashPassword(initialPassword)],
    );
    const ended = await revokeOperatorSessions(q, op.id, now());
    await unlockAccount(q, op.username);
    return { status: 200, body: { initialPassword }, detail: { sessionsEnded: ended } };
  });

  manage('/unlock', 'operator.unlock', async (q, op) => {
    const wasLocked = await unlockAccount(q, op.username);
    return { status: 200, body: { ok: true, wasLocked }, detail: { wasLocked } };
  });

  const roleBody = z.object({ role }).strict();
  manage('/role', 'operator.role', async (q, op, req) => {
    const parsed = roleBody.safeParse(ctx.jsonBody(req)?.json);
    if (!parsed.success)
      return { refused: 'bad_request', message: ctx.issues(parsed.error), status: 400 };
    const self =
      notSelf(req, op) ?? (parsed.data.role === 'admin' ? null : await notLastAdmin(q, op));
    if (self) return self;
    await q.query('UPDATE ho_operators SET role = $2 WHERE id = $1', [op.id, parsed.data.role]);
    return {
      status: 200,
      body: { operator: publicOperator({ ...op, role: parsed.data.role }) },
      detail: { from: op.role, to: parsed.data.role },
    };
  });

  scope.get('/v1/console/audit', async (req, reply) => {
    const q = auditQuery.safeParse(req.query);
    if (!q.success) return bad(reply, ctx.issues(q.error));
    return listAudit(db, q.data);
  });

  return {
    audit: (q, req, outcome, detail = {}, target) =>
      audit(
        q,
        req,
        accessOf(req.method, req.routeOptions.url ?? '')?.action ?? 'unknown',
        outcome,
        target ?? targetOf(req),
        detail,
      ),
  };
}
