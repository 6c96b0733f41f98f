// Head office verifies reductions/write-offs approved offline at a counter (issue 8): the pushed
// `relief.granted` event is stored like any other (the chain stays intact), and its approvers are
// checked here against head office's clerks master data with the terminal's own pure rule
// (core/heating-rules verifyApprovals → checkApprovals). Failures form the approval-exceptions
// report and show in the reconciliation report.
import type { z } from 'zod';
import type { eventPayloads } from '@heating-cashier/core/contract/events';
import type { WireEvent } from '@heating-cashier/core/contract/sync-wire';
import { verifyApprovals, type ApprovalProblem } from '@heating-cashier/core/heating-rules';
import type { Queryable } from './db';
import { resolutionOf, resolutionWhere, type ResolutionFilter } from './resolutions';

type Relief = z.infer<(typeof eventPayloads)['relief.granted']>;

/** Head office's policy: distinct supervisors a reduction/write-off needs (default 2). */
export async function reliefApprovalPolicy(q: Queryable): Promise<number> {
  const rows = await q.query<{ value: string }>(
    "SELECT value FROM ho_settings WHERE key = 'relief_approvals'",
  );
  const n = Number(rows[0]?.value ?? 2);
  return Number.isInteger(n) && n >= 1 ? n : 2;
}

export async function setReliefApprovalPolicy(q: Queryable, n: number): Promise<void> {
  await q.query(
    `INSERT INTO ho_settings (key, value) VALUES ('relief_approvals', $1)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [String(n)],
  );
}

/**
 * Checks the relief events of one accepted batch, inside the ingest transaction: one query for
 * the approvers' master records, one multi-row insert of the outcomes. Never refuses the batch.
 */
export async function checkReliefApprovals(q: Queryable, events: WireEvent[]): Promise<void> {
  if (events.length === 0) return;
  const policy = await reliefApprovalPolicy(q);
  const ids = [...new Set(events.flatMap((e) => (e.payload as Relief).approvers))];
  const clerks = await q.query<{ id: string; data: string }>(
    'SELECT id, data FROM ho_clerks WHERE id = ANY($1::text[])',
    [ids],
  );
  const directory = new Map(
    clerks.map((c) => {
      const d = JSON.parse(c.data) as { role?: unknown; active?: unknown };
      return [c.id, { role: String(d.role), active: d.active === true }] as const;
    }),
  );
  const rows = events.map((e) => {
    const p = e.payload as Relief;
    const required = Math.max(p.requiredApprovals, policy);
    const check = verifyApprovals(p.approvers, required, (id) => directory.get(id));
    return {
      eventId: e.id,
      terminalId: e.terminalId,
      seq: e.seq,
      businessDate: e.businessDate,
      reliefId: p.reliefId,
      kind: p.kind,
      householdId: p.householdId,
      seasonId: p.seasonId,
      amountFen: p.amountFen,
      required,
      approvers: JSON.stringify(p.approvers),
      ok: check.ok,
      problems: JSON.stringify(check.problems),
    };
  });
  await q.query(
    `INSERT INTO ho_relief_checks (event_id, terminal_id, seq, business_date, relief_id, kind, household_id,
                                   season_id, amount_fen, required, approvers, ok, problems)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS x("eventId" text, "terminalId" text, seq bigint,
       "businessDate" text, "reliefId" text, kind text, "householdId" text, "seasonId" text,
       "amountFen" bigint, required int, approvers text, ok boolean, problems text)
     ON CONFLICT (event_id) DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

export interface ApprovalException {
  terminalId: string;
  seq: number;
  eventId: string;
  businessDate: string;
  reliefId: string;
  kind: string;
  householdId: string;
  accountNo: string | null;
  seasonId: string;
  amountFen: number;
  required: number;
  approvers: string[];
  problems: ApprovalProblem[];
  /** Set once an operator marked it as dealt with (resolutions.ts). */
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
}

/** Reliefs whose approvals head office could not verify, oldest first (open ones by default). */
export async function approvalExceptions(
  q: Queryable,
  filter: { terminalId?: string; businessDate?: string; status?: ResolutionFilter } = {},
): Promise<ApprovalException[]> {
  const rows = await q.query<{
    terminal_id: string;
    seq: number;
    event_id: string;
    business_date: string;
    relief_id: string;
    kind: string;
    household_id: string;
    account_no: string | null;
    season_id: string;
    amount_fen: number;
    required: number;
    approvers: string;
    problems: string;
    resolved_at: Date | string | null;
    resolved_by: string | null;
    resolution: string | null;
  }>(
    `SELECT c.*, h.account_no FROM ho_relief_checks c LEFT JOIN ho_households h ON h.id = c.household_id
     WHERE NOT c.ok AND ($1::text IS NULL OR c.terminal_id = $1) AND ($2::text IS NULL OR c.business_date = $2)
       AND ${resolutionWhere('c', filter.status ?? 'open')}
     ORDER BY c.terminal_id, c.seq LIMIT 5000`,
    [filter.terminalId ?? null, filter.businessDate ?? null],
  );
  return rows.map((r) => ({
    terminalId: r.terminal_id,
    seq: r.seq,
    eventId: r.event_id,
    businessDate: r.business_date,
    reliefId: r.relief_id,
    kind: r.kind,
    householdId: r.household_id,
    accountNo: r.account_no,
    seasonId: r.season_id,
    amountFen: r.amount_fen,
    required: r.required,
    approvers: JSON.parse(r.approvers) as string[],
    problems: JSON.parse(r.problems) as ApprovalProblem[],
    ...resolutionOf(r),
  }));
}
