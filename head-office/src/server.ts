import bearerAuth from '@fastify/bearer-auth';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  enrollRequest,
  pushRequest,
  type SyncErrorBody,
} from '@heating-cashier/core/contract/sync-wire';
import { approvalExceptions, reliefApprovalPolicy, setReliefApprovalPolicy } from './approvals';
import { chequeDecisionsRequest, chequeReport, decideCheques } from './cheques';
import { qrCancelRequest, qrSaleRequest } from '@heating-cashier/core/contract/qr-wire';
import { alipayNotification, type QrOptions } from './qr/notify';
import {
  parseSettlementFile,
  reconcileDate,
  reconcileQr,
  SettlementFileError,
} from './qr/reconcile';
import { cancelSale, getSale, startSale, type UnsentSale } from './qr/sales';
import type { HoDb } from './db';
import { importFile, IMPORT_KINDS } from './import';
import { resolutionFilter, resolutionInput, resolve, type ResolvableKind } from './resolutions';
import { masterSchemas, upsertMaster, type MasterItem } from './master';
import { enroll, EnrollThrottle, enrollmentCodeInput, issueEnrollmentCode } from './enrollment';
import { hoSigner } from './keys';
import { defaultIngestThreads, IngestPool } from './ingest-pool';
import { zodIssues } from './push-prep';
import { DEFAULT_POLICY, type ConsolePolicy } from './console/accounts';
import { installConsole } from './console/routes';
import { checkReceipt, receiptCheckRequest } from './receipt-check';
import { receiptNumberReport } from './receipt-numbers';
import { receiptSearchQuery, searchReceipts } from './receipt-search';
import { monthReport, monthReportQuery } from './month-report';
import { channelFile, releaseArtifact } from './releases';
import {
  ingestPush,
  overpayments,
  pullChanges,
  reconciliation,
  terminalByToken,
  verifyChain,
  type TerminalReg,
} from './store';

export interface ServerOptions {
  db: HoDb;
  /**
   * Bearer token for operator endpoints (scripted use; acts as an administrator, audited as
   * 'token'). Operators sign in with a session instead (console/routes.ts).
   */
  adminToken: string;
  /** The clock sessions, expiry and lockout read (tests inject one; default: the real time). */
  now?: () => Date;
  /** Session expiry and lockout limits (console/accounts.ts DEFAULT_POLICY). */
  consolePolicy?: Partial<ConsolePolicy>;
  /** Failed POST /v1/enroll attempts one address may make per window (default 10 per 15 min). */
  enrollLimit?: { failures: number; windowMs: number };
  /** Largest accepted request body in bytes (push batches, imports). */
  bodyLimit?: number;
  tls?: { keyFile: string; certFile: string };
  /** Fastify's logger: on/off, or a destination (tests capture it). Request bodies are never logged. */
  logger?: boolean | { stream: { write(line: string): void }; level?: string };
  /** QR sales (qr/sales.ts): the providers head office has keys for, and the procedure's timing. */
  qr?: QrOptions;
  /**
   * Worker threads for the CPU part of pushes (ingest-pool.ts; default: none on 2 cores or fewer,
   * else one per core but one, at most 4); 0: in-process, on the event loop.
   */
  ingestThreads?: number;
  /** Start the ingest threads when the server starts (`serve`), not at the first push. */
  warmIngest?: boolean;
}

export const DEFAULT_BODY_LIMIT = 8 * 1024 * 1024;

function send(reply: FastifyReply, status: number, body: SyncErrorBody) {
  return reply.code(status).send(body);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The registration whose token authenticated this request (terminal routes only). */
    terminalReg: TerminalReg | null;
  }
}

/** The body of a refused bearer check: 401 for a missing or wrong token, 500 if the lookup threw. */
const refusal =
  (message: string) =>
  (err: Error): SyncErrorBody =>
    (err as Error & { statusCode?: number }).statusCode === 401
      ? { error: 'unauthorized', message }
      : { error: 'internal', message: 'internal error; retry later' };

/** Builds the head-office HTTP API (not listening yet). */
export function buildServer(options: ServerOptions): FastifyInstance {
  const { db } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    ...(options.tls
      ? {
          https: {
            key: readFileSync(options.tls.keyFile),
            cert: readFileSync(options.tls.certFile),
          },
        }
      : {}),
  }) as unknown as FastifyInstance;

  const threads = options.ingestThreads ?? defaultIngestThreads();
  const pool = threads > 0 ? new IngestPool(threads) : null;
  if (pool) app.addHook('onClose', () => pool.close());
  // started beside listening, not awaited: the health check answers at once
  if (pool && options.warmIngest)
    app.addHook('onReady', async () => void pool.warm().catch(() => undefined));

  // Keep the raw text: a refused push is quarantined exactly as it arrived. A push's body is
  // parsed in an ingest worker thread (json: undefined here).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (pool && req.routeOptions.url === '/v1/sync/push')
      return done(null, { raw: body as string, json: undefined });
    try {
      done(null, { raw: body as string, json: JSON.parse(body as string) as unknown });
    } catch {
      const err = new Error('malformed JSON') as Error & { statusCode: number };
      err.statusCode = 400;
      done(err, undefined);
    }
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _req, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413)
      return send(reply, 413, { error: 'too_large', message: 'request body too large' });
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
      return send(reply, error.statusCode, { error: 'bad_request', message: error.message });
    reply.log.error(error);
    return send(reply, 500, { error: 'internal', message: 'internal error; retry later' });
  });
  app.setNotFoundHandler((_req, reply) =>
    send(reply, 404, { error: 'not_found', message: 'no such endpoint' }),
  );

  const jsonBody = (req: FastifyRequest): { raw: string; json: unknown } | null => {
    const b = req.body as { raw?: unknown; json?: unknown } | undefined;
    return b && typeof b.raw === 'string' ? { raw: b.raw, json: b.json } : null;
  };

  app.get('/v1/health', async () => ({
    ok: true,
    serverTime: new Date().toISOString(),
    storage: db.kind,
    headOfficeKey: (await hoSigner(db)).publicKey,
  }));

  // Enrollment: no bearer token; the one-time code authenticates and the proof shows the terminal
  // holds the key it asks head office to certify. Failed attempts are limited per address.
  const throttle = new EnrollThrottle(
    options.enrollLimit?.failures ?? 10,
    options.enrollLimit?.windowMs ?? 15 * 60_000,
  );
  app.post('/v1/enroll', async (req, reply) => {
    const wait = throttle.blockedFor(req.ip);
    if (wait > 0)
      return reply
        .code(429)
        .header('retry-after', String(Math.ceil(wait / 1000)))
        .send({
          error: 'rate_limited',
          problem: 'rate_limited',
          message: `too many failed enrollment attempts from this address; try again in ${Math.ceil(wait / 60_000)} min`,
        } satisfies SyncErrorBody);
    const parsed = enrollRequest.safeParse(jsonBody(req)?.json);
    if (!parsed.success) {
      throttle.fail(req.ip);
      return send(reply, 400, { error: 'bad_request', message: zodIssues(parsed.error) });
    }
    const out = await enroll(db, parsed.data);
    if (out.status !== 200) throttle.fail(req.ip);
    return reply.code(out.status).send(out.body);
  });

  // Alipay's asynchronous trade notification (no bearer: Alipay's signature authenticates it); the
  // answer is the text Alipay expects, `success` or `fail`.
  app.post('/v1/qr/notify/alipay', async (req, reply) => {
    const raw = req.body;
    const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : (jsonBody(req)?.raw ?? '');
    const answer = await alipayNotification(db, options.qr ?? { providers: {} }, text);
    return reply.header('content-type', 'text/plain; charset=utf-8').send(answer);
  });

  // Terminal routes: the bearer token is one registered terminal's own (@fastify/bearer-auth's
  // onRequest hook looks it up before the body is read).
  app.decorateRequest('terminalReg', null);
  app.register(async (terminals) => {
    await terminals.register(bearerAuth, {
      keys: [],
      auth: async (token, req) => {
        if (!/^[A-Za-z0-9_-]{8,200}$/.test(token)) return false;
        try {
          req.terminalReg = await terminalByToken(db, token);
        } catch (e) {
          req.log.error(e); // the store failed (database down): answered 500, logged like every 500
          throw e;
        }
        return req.terminalReg !== null;
      },
      errorResponse: refusal('terminal not authorised: missing or unknown token'),
      verifyErrorLogLevel: 'info', // a refused token is a request outcome, not a server error
    });

    terminals.post('/v1/sync/push', async (req, reply) => {
      const reg = req.terminalReg!;
      const body = jsonBody(req);
      if (!body) return send(reply, 400, { error: 'bad_request', message: 'JSON body required' });
      if (pool) {
        const prepared = await pool.prepare(body.raw, (await hoSigner(db)).pem);
        if (prepared.kind === 'bad_request')
          return send(reply, 400, { error: 'bad_request', message: prepared.message });
        const out = await ingestPush(db, reg, prepared.req, body.raw, prepared.checks);
        return reply.code(out.status).send(out.body);
      }
      const parsed = pushRequest.safeParse(body.json);
      if (!parsed.success)
        return send(reply, 400, { error: 'bad_request', message: zodIssues(parsed.error) });
      const out = await ingestPush(db, reg, parsed.data, body.raw);
      return reply.code(out.status).send(out.body);
    });

    const pullQuery = z.object({
      // optional: the token names the terminal; a different id is refused
      terminalId: z.string().min(1).max(64).optional(),
      cursor: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(2000).default(500),
    });
    terminals.get('/v1/sync/pull', async (req, reply) => {
      const reg = req.terminalReg!;
      const q = pullQuery.safeParse(req.query);
      if (!q.success)
        return send(reply, 400, { error: 'bad_request', message: zodIssues(q.error) });
      if (q.data.terminalId !== undefined && reg.terminal_id !== q.data.terminalId)
        return send(reply, 403, {
          error: 'forbidden',
          message: `this token belongs to terminal ${reg.terminal_id}, not ${q.data.terminalId}`,
        });
      const page = await pullChanges(db, reg.terminal_id, q.data.cursor, q.data.limit);
      return { ...page, serverTime: new Date().toISOString() };
    });

    // QR sales (core/contract/qr-wire.ts QR_ROUTES): head office calls the provider, the terminal
    // never holds its keys; a terminal sees only its own sales.
    const qr = options.qr ?? { providers: {} };
    terminals.post('/v1/qr/sales', async (req, reply) => {
      const r = qrSaleRequest.safeParse(jsonBody(req)?.json);
      if (!r.success)
        return send(reply, 400, { error: 'bad_request', message: zodIssues(r.error) });
      const out = await startSale(db, qr, req.terminalReg!.terminal_id, r.data);
      return reply.code(out.status).send(out.body);
    });
    const saleNo = (req: FastifyRequest) => String((req.params as { no?: string }).no ?? '');
    terminals.get('/v1/qr/sales/:no', async (req, reply) => {
      const out = await getSale(db, qr, req.terminalReg!.terminal_id, saleNo(req));
      return reply.code(out.status).send(out.body);
    });
    terminals.post('/v1/qr/sales/:no/cancel', async (req, reply) => {
      const body = qrCancelRequest.safeParse(jsonBody(req)?.json ?? {});
      if (!body.success)
        return send(reply, 400, { error: 'bad_request', message: zodIssues(body.error) });
      const unsent = 'provider' in body.data ? (body.data as UnsentSale) : undefined;
      const out = await cancelSale(db, qr, req.terminalReg!.terminal_id, saleNo(req), unsent);
      return reply.code(out.status).send(out.body);
    });

    // electron-updater's generic feed (releases.ts): the channel file (latest.yml,
    // latest-linux.yml) signed by head office, and the files it names, streamed.
    terminals.get('/v1/updates/:file', async (req, reply) => {
      const { file } = req.params as { file: string };
      if (file.endsWith('.yml')) {
        const text = await channelFile(db, file);
        if (text !== null)
          return reply
            .header('content-type', 'text/yaml; charset=utf-8')
            .header('cache-control', 'no-store')
            .send(text);
      } else {
        const artifact = await releaseArtifact(db, file);
        if (artifact)
          return reply
            .header('content-type', 'application/octet-stream')
            .header('content-length', String(artifact.size))
            .send(artifact.stream);
      }
      return send(reply, 404, { error: 'not_found', message: `no published ${file}` });
    });
  });

  // Operator routes: an operator's session (cookie + CSRF header, role per route in
  // console/permissions.ts) or the operator token (scripted use); the console's own routes.
  app.register(async (operator) => {
    const gate = installConsole(operator, {
      db,
      adminToken: options.adminToken,
      now: options.now ?? (() => new Date()),
      policy: { ...DEFAULT_POLICY, ...options.consolePolicy },
      secure: options.tls !== undefined,
      jsonBody,
      issues: zodIssues,
    });

    // A one-time enrollment code (shown once): {name, terminalId?, ttlHours?}.
    operator.post('/v1/enrollment-codes', async (req, reply) => {
      const r = enrollmentCodeInput.safeParse(jsonBody(req)?.json);
      if (!r.success)
        return send(reply, 400, { error: 'bad_request', message: zodIssues(r.error) });
      const issued = await db.tx(async (q) => {
        const c = await issueEnrollmentCode(q, r.data);
        // the code itself never goes to the audit log
        await gate.audit(
          q,
          req,
          'ok',
          { name: c.name, terminalId: c.terminalId },
          `enrollment:${c.name}`,
        );
        return c;
      });
      return reply.code(201).send(issued);
    });

    // Is this paper receipt genuine, and does head office hold the same one? {qr}
    operator.post('/v1/receipts/check', async (req, reply) => {
      const r = receiptCheckRequest.safeParse(jsonBody(req)?.json);
      if (!r.success)
        return send(reply, 400, { error: 'bad_request', message: zodIssues(r.error) });
      return checkReceipt(db, r.data.qr);
    });

    const numbersQuery = z.object({ terminalId: z.string().min(1).max(64).optional() });
    operator.get('/v1/reports/receipt-numbers', async (req, reply) => {
      const q = numbersQuery.safeParse(req.query);
      if (!q.success)
        return send(reply, 400, { error: 'bad_request', message: zodIssues(q.error) });
      return {
        rows: await receiptNumberReport(
          db,
          q.data.terminalId ? { terminalId: q.data.terminalId } : {},
        ),
      };
    });

    // ?signatures=all (the default, every stored signature: also names a wrong stored signature
    // whose event later signatures vouch for) or =transitive (those a push verifies: fast)
    const verifyQuery = z.object({ signatures: z.enum(['all', 'transitive']).default('all') });
    // The terminal's certified keys: what finance gives the offline receipt checker.
    operator.get('/v1/terminals/:terminalId/keys', async (req, reply) => {
      const { terminalId } = req.params as { terminalId: string };
      const keys = await db.query<{
        key_no: number;
        public_key: string;
        from_seq: number;
        issued_at: string;
      }>(
        `SELECT key_no, public_key, from_seq::int AS from_seq, issued_at FROM ho_terminal_keys
         WHERE terminal_id = $1 ORDER BY key_no`,
        [terminalId],
      );
      if (keys.length === 0)
        return send(reply, 404, {
          error: 'not_found',
          message: 'no enrolled terminal with this id',
        });
      return {
        terminalId,
        keys: keys.map((k) => ({
          keyNo: k.key_no,
          publicKey: k.public_key,
          fromSeq: Number(k.from_seq),
          issuedAt: k.issued_at,
        })),
      };
    });

    operator.get('/v1/terminals/:terminalId/verify', async (req, reply) => {
      const { terminalId } = req.params as { terminalId: string };
      const q = verifyQuery.safeParse(req.query);
      if (!q.success)
        return send(reply, 400, { error: 'bad_request', message: zodIssues(q.error) });
      const report = await verifyChain(db, terminalId, { signatures: q.data.signatures });
      return report ?? send(reply, 404, { error: 'not_found', message: 'unknown terminal' });
    });

    const reconQuery = z.object({
      status: resolutionFilter,
      terminalId: z.string().max(64).optional(),
      businessDate: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
    });
    operator.get('/v1/reports/reconciliation', async (req, reply) => {
      const q = reconQuery.safeParse(req.query);
      if (!q.success)
        return send(reply, 400, { error: 'bad_request', message: zodIssues(q.error) });
      return {
        rows: await reconciliation(db, q.data),
        // reductions/write-offs whose offline approvals head office could not verify (approvals.ts)
        approvalExceptions: await approvalExceptions(db, q.data),
      };
    });

    operator.get('/v1/reports/approval-exceptions', async (req, reply) => {
      const q = reconQuery.safeParse(req.query);
      if (!q.success)
        return send(reply, 400, { error: 'bad_request', message: zodIssues(q.error) });
      return {
        requiredApprovals: await reliefApprovalPolicy(db),
        rows: await approvalExceptions(db, q.data),
      };
    });

    const approvalPolicy = z.object({ requiredApprovals: z.number().int().min(1).max(5) }).strict();
    operator.put('/v1/settings/relief-approvals', async (req, reply) => {
      const r = approvalPolicy.safeParse(jsonBody(req)?.json);
      if (!r.success)
        return send(reply, 400, { error: 'bad_request', message: zodIssues(r.error) });
      await db.tx(async (q) => {
        await setReliefApprovalPolicy(q, r.data.requiredApprovals);
        await gate.audit(q, req, 'ok', r.data, 'relief_approvals');
      });
      return r.data;
    });

    operator.get('/v1/reports/overpayments', async () => ({ rows: await overpayments(db) }));

    // The provider's settlement file (CSV body) for one date against head office's paid QR sales
    // and the receipts terminals pushed (qr/reconcile.ts): the differences.
    const qrReconQuery = z.object({
      date: reconcileDate,
      provider: z.enum(['alipay', 'wechat', 'unionpay']).default('alipay'),
    });
    operator.post('/v1/reports/qr-reconciliation', async (req, reply) => {
      const q = qrReconQuery.safeParse(req.query);
      if (!q.success)
        return send(reply, 400, { error: 'bad_request', message: zodIssues(q.error) });
      const raw = req.body;
      const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(jsonBody(req)?.raw ?? '', 'utf8');
      let lines;
      try {
        lines = parseSettlementFile(q.data.provider, bytes);
      } catch (e) {
        if (e instanceof SettlementFileError)
          return send(reply, 400, { error: 'bad_request', message: e.message });
        throw e;
      }
      return reconcileQr(db, q.data.provider, q.data.date, lines);
    });

    // Master records as JSON (e.g. an online payment, a bank withholding line), validated, all-or-nothing.
    operator.post('/v1/master/:kind', async (req, reply) => {
      const { kind } = req.params as { kind: string };
      if (!Object.hasOwn(masterSchemas, kind))
        return send(reply, 404, { error: 'not_found', message: `unknown kind ${kind}` });
      const schema = z
        .array(masterSchemas[kind as keyof typeof masterSchemas])
        .min(1)
        .max(10_000);
      const r = schema.safeParse(jsonBody(req)?.json);
      if (!r.success)
        return send(reply, 400, { error: 'bad_request', message: zodIssues(r.error) });
      const items = r.data.map((data) => ({ kind, data }) as MasterItem);
      await db.tx(async (q) => {
        await upsertMaster(q, items);
        await gate.audit(q, req, 'ok', { kind, rows: items.length }, `master:${kind}`);
      });
      return { accepted: items.length };
    });

    // Cheque decisions by finance at head office: all or nothing, each pulled by the cheque's terminal.
    operator.post('/v1/cheques/decisions', async (req, reply) => {
      const r = chequeDecisionsRequest.safeParse(jsonBody(req)?.json);
      if (!r.success)
        return send(reply, 400, { error: 'bad_request', message: zodIssues(r.error) });
      const out = await decideCheques(db, r.data);
      return out.ok ? { decisions: out.decisions } : reply.code(422).send({ errors: out.errors });
    });

    const chequeQuery = z.object({
      status: z.enum(['pending', 'cleared', 'bounced']).optional(),
      terminalId: z.string().max(64).optional(),
      conflicts: resolutionFilter,
    });
    // Finance's receipt search across counters (receipt-search.ts): GET /v1/receipts?label=A000123…
    operator.get('/v1/receipts', async (req, reply) => {
      const q = receiptSearchQuery.safeParse(req.query);
      if (!q.success)
        return send(reply, 400, { error: 'bad_request', message: zodIssues(q.error) });
      return searchReceipts(db, q.data);
    });

    // The monthly company report (month-report.ts): GET /v1/reports/month?month=2026-11
    operator.get('/v1/reports/month', async (req, reply) => {
      const q = monthReportQuery.safeParse(req.query);
      if (!q.success)
        return send(reply, 400, { error: 'bad_request', message: zodIssues(q.error) });
      return monthReport(db, q.data);
    });

    operator.get('/v1/reports/cheques', async (req, reply) => {
      const q = chequeQuery.safeParse(req.query);
      if (!q.success)
        return send(reply, 400, { error: 'bad_request', message: zodIssues(q.error) });
      return chequeReport(db, q.data);
    });

    // An operator marks an approval exception / a cheque conflict as dealt with: {by, note}.
    const resolveRoute = (path: string, kind: ResolvableKind, param: string) =>
      operator.post(path, async (req, reply) => {
        const ref = String((req.params as Record<string, string>)[param] ?? '');
        const body = resolutionInput.safeParse(jsonBody(req)?.json);
        if (ref.length === 0 || ref.length > 64 || !body.success)
          return send(reply, 400, {
            error: 'bad_request',
            message: body.success ? 'bad reference' : zodIssues(body.error),
          });
        const r = await db.tx(async (q) => {
          const out = await resolve(q, kind, ref, body.data);
          await gate.audit(q, req, out.ok ? 'ok' : 'refused', {
            by: body.data.by,
            ...(out.ok ? {} : { reason: out.error }),
          });
          return out;
        });
        if (r.ok) return r.resolution;
        return r.error === 'not_found'
          ? send(reply, 404, { error: 'not_found', message: `no open ${kind} ${ref}` })
          : send(reply, 409, { error: 'conflict', message: `${kind} ${ref} is already resolved` });
      });
    resolveRoute(
      '/v1/reports/approval-exceptions/:eventId/resolve',
      'approval-exception',
      'eventId',
    );
    resolveRoute('/v1/reports/cheque-conflicts/:id/resolve', 'cheque-conflict', 'id');

    // CSV or XLSX upload: ?kind=households&format=csv; answers the row-level validation report.
    const importQuery = z.object({
      kind: z.enum(IMPORT_KINDS),
      format: z.enum(['csv', 'xlsx']),
      fileName: z.string().max(200).default('upload'),
      overwriteCounterEdits: z.enum(['true', 'false']).default('false'),
    });
    operator.post('/v1/import', async (req, reply) => {
      const q = importQuery.safeParse(req.query);
      if (!q.success)
        return send(reply, 400, { error: 'bad_request', message: zodIssues(q.error) });
      const raw = req.body;
      const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(jsonBody(req)?.raw ?? '', 'utf8');
      const report = await importFile(db, q.data.kind, q.data.format, bytes, q.data.fileName, {
        overwriteCounterEdits: q.data.overwriteCounterEdits === 'true',
      });
      return reply.code(report.accepted ? 200 : 422).send(report);
    });
  });

  return app;
}
