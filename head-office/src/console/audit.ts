// The append-only audit log (ho_audit, head-office migration 0010): who did what, to what, from
// where, with which outcome. Never a password, token or code in `detail`.
import { z } from 'zod';
import type { Queryable } from '../db';
import type { Role } from './permissions';

export interface Actor {
  operatorId: number | null;
  /** The operator's username; 'token' for the scripted operator token; the name tried at a login. */
  username: string;
  role: Role | null;
}

export type Outcome = 'ok' | 'refused' | 'failed';

export interface AuditEntry {
  at: Date;
  actor: Actor;
  action: string;
  target?: string | null;
  detail?: Record<string, unknown>;
  source: string | null;
  outcome: Outcome;
}

const SECRET_KEY = /pass|token|secret|code$|^code|csrf|cookie|authorization/i;

/** Drops every key that could carry a secret, at any depth. */
function scrub(value: unknown, depth = 0): unknown {
  if (depth > 4) return '…';
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => scrub(v, depth + 1));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !SECRET_KEY.test(k))
        .map(([k, v]) => [k, scrub(v, depth + 1)]),
    );
  return typeof value === 'string' && value.length > 200 ? `${value.slice(0, 200)}…` : value;
}

export async function appendAudit(q: Queryable, e: AuditEntry): Promise<void> {
  await q.query(
    `INSERT INTO ho_audit (at, operator_id, username, role, action, target, detail, source, outcome)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      e.at,
      e.actor.operatorId,
      e.actor.username.slice(0, 64),
      e.actor.role,
      e.action,
      e.target ?? null,
      JSON.stringify(scrub(e.detail ?? {})),
      e.source,
      e.outcome,
    ],
  );
}

const when = z.union([
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  z.string().datetime({ offset: true }),
]);

/** GET /v1/console/audit's filters; pages go back in time: `before` is the last page's `next`. */
export const auditQuery = z
  .object({
    from: when.optional(),
    to: when.optional(),
    actor: z.string().min(1).max(64).optional(),
    action: z.string().min(1).max(64).optional(),
    before: z.coerce.number().int().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type AuditQuery = z.infer<typeof auditQuery>;

export interface AuditRow {
  id: number;
  at: string;
  operatorId: number | null;
  username: string;
  role: string | null;
  action: string;
  target: string | null;
  detail: unknown;
  source: string | null;
  outcome: Outcome;
}

/** Newest first. `to` as a date means up to the end of that day (UTC+8, the company's day). */
export async function listAudit(
  q: Queryable,
  f: AuditQuery,
): Promise<{ rows: AuditRow[]; next: number | null }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  const day = (d: string, end: boolean) =>
    /^\d{4}-\d{2}-\d{2}$/.test(d)
      ? new Date(Date.parse(`${d}T00:00:00+08:00`) + (end ? 86_400_000 : 0))
      : new Date(d);
  if (f.from) add('at >= ?', day(f.from, false));
  if (f.to) add('at < ?', day(f.to, true));
  if (f.actor) add('username = ?', f.actor);
  if (f.action) add('action = ?', f.action);
  if (f.before) add('id < ?', f.before);
  params.push(f.limit + 1);
  const rows = await q.query<{
    id: number;
    at: Date;
    operator_id: number | null;
    username: string;
    role: string | null;
    action: string;
    target: string | null;
    detail: string;
    source: string | null;
    outcome: Outcome;
  }>(
    `SELECT id, at, operator_id, username, role, action, target, detail, source, outcome FROM ho_audit
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, f.limit);
  return {
    rows: page.map((r) => ({
      id: Number(r.id),
      at: new Date(r.at).toISOString(),
      operatorId: r.operator_id === null ? null : Number(r.operator_id),
      username: r.username,
      role: r.role,
      action: r.action,
      target: r.target,
      detail: JSON.parse(r.detail) as unknown,
      source: r.source,
      outcome: r.outcome,
    })),
    next: rows.length > f.limit ? Number(page[page.length - 1]!.id) : null,
  };
}
