import { z } from 'zod';
import type { Queryable } from './db';

/** What an operator can mark as dealt with, and the row each kind names. */
export const RESOLVABLE = {
  /** ref: the relief event's id (ho_relief_checks.event_id) */
  'approval-exception': { table: 'ho_relief_checks', key: 'event_id', open: 'NOT ok' },
  /** ref: the conflict's number (ho_cheque_conflicts.id) */
  'cheque-conflict': { table: 'ho_cheque_conflicts', key: 'id::text', open: 'true' },
} as const;
export type ResolvableKind = keyof typeof RESOLVABLE;

export const resolutionInput = z
  .object({
    by: z.string().trim().min(1).max(80),
    note: z.string().trim().min(1).max(1000),
  })
  .strict();
export type ResolutionInput = z.infer<typeof resolutionInput>;

/** Which rows a list shows: the open ones (default), the resolved ones, or all. */
export const resolutionFilter = z.enum(['open', 'resolved', 'all']).default('open');
export type ResolutionFilter = z.infer<typeof resolutionFilter>;

export function resolutionWhere(alias: string, filter: ResolutionFilter): string {
  if (filter === 'open') return `${alias}.resolved_at IS NULL`;
  if (filter === 'resolved') return `${alias}.resolved_at IS NOT NULL`;
  return 'true';
}

export interface Resolution {
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
}

export function resolutionOf(row: {
  resolved_at: Date | string | null;
  resolved_by: string | null;
  resolution: string | null;
}): Resolution {
  const at = row.resolved_at;
  return {
    resolvedAt: at === null ? null : new Date(at).toISOString(),
    resolvedBy: row.resolved_by,
    resolution: row.resolution,
  };
}

/**
 * Marks one open exception / conflict as dealt with. A second resolution of the same row is refused
 * (the first one stands), as is a ref that names nothing open of that kind.
 */
export async function resolve(
  q: Queryable,
  kind: ResolvableKind,
  ref: string,
  input: ResolutionInput,
): Promise<
  { ok: true; resolution: Resolution } | { ok: false; error: 'not_found' | 'already_resolved' }
> {
  const t = RESOLVABLE[kind];
  const rows = await q.query<{
    resolved_at: Date | string | null;
    resolved_by: string | null;
    resolution: string | null;
  }>(
    `UPDATE ${t.table} SET resolved_at = now(), resolved_by = $2, resolution = $3
     WHERE ${t.key} = $1 AND ${t.open} AND resolved_at IS NULL
     RETURNING resolved_at, resolved_by, resolution`,
    [ref, input.by, input.note],
  );
  if (rows[0]) return { ok: true, resolution: resolutionOf(rows[0]) };
  const exists = await q.query(
    `SELECT 1 FROM ${t.table} WHERE ${t.key} = $1 AND ${t.open} AND resolved_at IS NOT NULL`,
    [ref],
  );
  return { ok: false, error: exists.length > 0 ? 'already_resolved' : 'not_found' };
}
