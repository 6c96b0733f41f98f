// Head office verifies reductions/write-offs approved offline at a counter (issue 8): the pushed
// `relief.granted` event is stored like any other (the chain stays intact), and its approvers are
// checked here against head office's clerks master data with the terminal's own pure rule
// (core/heating-rules verifyApprovals → checkApprovals). Failures form the approval-exceptions
// report and show in the reconciliation report.
//
// Issue 17: every approval names the version of the approver's PIN verifier that accepted it
// (core/contract/verifier: `verifier` on approval.given, `verifiers` on relief.granted). Head office
// flags an approval whose version is missing or is none it issued for that clerk (its current
// record, or an earlier one in ho_changes): the PIN hash was changed in the terminal's files, by
// someone who could re-sign the row there. Reliefs are checked at ingest (ho_relief_checks); the
// other approvals (approval.given: voids, book issues and returns, cash out, shift variances, day
// closes) are checked when the report is asked for, from ho_events.
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { eventPayloads } from '@heating-cashier/core/contract/events';
import type { WireEvent } from '@heating-cashier/core/contract/sync-wire';
import { verifierVersionOf } from '@heating-cashier/core/contract/verifier';
import { verifyApprovals, type ApprovalProblem } from '@heating-cashier/core/heating-rules';
import type { Queryable } from './db';
import { resolutionOf, resolutionWhere, type ResolutionFilter } from './resolutions';

type Relief = z.infer<(typeof eventPayloads)['relief.granted']>;
type Approval = z.infer<(typeof eventPayloads)['approval.given']>;

/** An approval whose PIN verifier version head office cannot vouch for. */
export type VerifierProblem = {
  code: 'VERIFIER_MISSING' | 'VERIFIER_NOT_ISSUED';
  approverId: string;
};
export type ApprovalExceptionProblem = ApprovalProblem | VerifierProblem;

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** What head office knows of a clerk: role, active flag and the PIN hash it issued last. */
interface ClerkInfo {
  role: string;
  active: boolean;
  pinHash: string | null;
}

async function clerkDirectory(q: Queryable, ids: string[]): Promise<Map<string, ClerkInfo>> {
  if (ids.length === 0) return new Map();
  const clerks = await q.query<{ id: string; data: string }>(
    'SELECT id, data FROM ho_clerks WHERE id = ANY($1::text[])',
    [ids],
  );
  return new Map(
    clerks.map((c) => {
      const d = JSON.parse(c.data) as { role?: unknown; active?: unknown; pinHash?: unknown };
      return [
        c.id,
        {
          role: String(d.role),
          active: d.active === true,
          pinHash: typeof d.pinHash === 'string' ? d.pinHash : null,
        },
      ] as const;
    }),
  );
}

/**
 * The verifier problems of some approvals: each `(approverId, verifier)` must name a version head
 * office issued for that clerk. The current record answers almost always; only a version that
 * differs from it is looked up among the clerk's earlier records (a PIN changed at head office
 * after the counter's approval, before its pull). Approvers head office does not know are left to
 * the caller (UNKNOWN_APPROVER).
 */
async function verifierProblems(
  q: Queryable,
  given: { approverId: string; verifier: string | undefined }[],
  directory: Map<string, ClerkInfo>,
): Promise<Map<string, VerifierProblem>> {
  const problems = new Map<string, VerifierProblem>();
  const doubtful = new Map<string, Set<string>>();
  for (const { approverId, verifier } of given) {
    const clerk = directory.get(approverId);
    if (!clerk) continue;
    if (verifier === undefined) {
      problems.set(`${approverId}\n`, { code: 'VERIFIER_MISSING', approverId });
    } else if (
      !clerk.pinHash ||
      verifierVersionOf(approverId, clerk.pinHash, sha256Hex) !== verifier
    ) {
      doubtful.set(approverId, (doubtful.get(approverId) ?? new Set()).add(verifier));
    }
  }
  if (doubtful.size === 0) return problems;
  const earlier = await q.query<{ data: string }>(
    "SELECT data FROM ho_changes WHERE kind = 'clerk' AND data::jsonb ->> 'id' = ANY($1::text[])",
    [[...doubtful.keys()]],
  );
  const issued = new Set(
    earlier.map((c) => {
      const d = JSON.parse(c.data) as { id: string; pinHash: string };
      return `${d.id}\n${verifierVersionOf(d.id, d.pinHash, sha256Hex)}`;
    }),
  );
  for (const [approverId, versions] of doubtful)
    for (const v of versions)
      if (!issued.has(`${approverId}\n${v}`))
        problems.set(`${approverId}\n${v}`, { code: 'VERIFIER_NOT_ISSUED', approverId });
  return problems;
}

const problemFor = (
  problems: Map<string, VerifierProblem>,
  approverId: string,
  verifier: string | undefined,
): VerifierProblem | undefined => problems.get(`${approverId}\n${verifier ?? ''}`);

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
  const directory = await clerkDirectory(q, ids);
  const lookup = (id: string) => directory.get(id);
  const versions = await verifierProblems(
    q,
    events.flatMap((e) => {
      const p = e.payload as Relief;
      return p.approvers.map((approverId) => ({ approverId, verifier: p.verifiers?.[approverId] }));
    }),
    directory,
  );
  const rows = events.map((e) => {
    const p = e.payload as Relief;
    const required = Math.max(p.requiredApprovals, policy);
    const check = verifyApprovals(p.approvers, required, lookup);
    // An approval accepted by a PIN verifier head office never issued does not count.
    const byVerifier = [...new Set(p.approvers)]
      .map((id) => problemFor(versions, id, p.verifiers?.[id]))
      .filter((x) => x !== undefined);
    let problems: ApprovalExceptionProblem[] = check.problems;
    if (byVerifier.length > 0) {
      const bad = new Set(byVerifier.map((x) => x.approverId));
      const counted = verifyApprovals(
        p.approvers.filter((id) => !bad.has(id)),
        required,
        lookup,
      ).problems.find((x) => x.code === 'NOT_ENOUGH');
      problems = [
        ...check.problems.filter((x) => x.code !== 'NOT_ENOUGH'),
        ...byVerifier,
        ...(counted ? [counted] : []),
      ];
    }
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
      ok: problems.length === 0,
      problems: JSON.stringify(problems),
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
  /** What was approved: `relief.reduction` / `relief.write_off`, or approval.given's action (`receipt.void`, …). */
  action: string;
  /**
   * Why it is listed: `verifier` (an approver's PIN verifier version is missing or none head office
   * issued: look for altered clerk rows at that counter), else `approvers` (too few distinct active
   * supervisors known to head office).
   */
  reason: 'verifier' | 'approvers';
  /** approval.given: what it approved (receipt, book, shift, movement id, `Z<n>`); null for reliefs. */
  subjectId: string | null;
  reliefId: string | null;
  kind: string | null;
  householdId: string | null;
  accountNo: string | null;
  seasonId: string | null;
  amountFen: number | null;
  required: number | null;
  approvers: string[];
  problems: ApprovalExceptionProblem[];
  /** Set once an operator marked it as dealt with (resolutions.ts); reliefs only. */
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
}

const reasonOf = (problems: ApprovalExceptionProblem[]): ApprovalException['reason'] =>
  problems.some((p) => p.code === 'VERIFIER_MISSING' || p.code === 'VERIFIER_NOT_ISSUED')
    ? 'verifier'
    : 'approvers';

/**
 * Approvals head office could not verify, per terminal and seq: reliefs (checked at ingest, open
 * ones by default) and the other approvals whose approver or verifier version head office does not
 * recognise (checked now; they cannot be resolved, so `status=resolved` lists reliefs only).
 */
export async function approvalExceptions(
  q: Queryable,
  filter: { terminalId?: string; businessDate?: string; status?: ResolutionFilter } = {},
): Promise<ApprovalException[]> {
  const status = filter.status ?? 'open';
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
       AND ${resolutionWhere('c', status)}
     ORDER BY c.terminal_id, c.seq LIMIT 5000`,
    [filter.terminalId ?? null, filter.businessDate ?? null],
  );
  const reliefs = rows.map((r): ApprovalException => {
    const problems = JSON.parse(r.problems) as ApprovalExceptionProblem[];
    return {
      terminalId: r.terminal_id,
      seq: Number(r.seq),
      eventId: r.event_id,
      businessDate: r.business_date,
      action: `relief.${r.kind}`,
      reason: reasonOf(problems),
      subjectId: null,
      reliefId: r.relief_id,
      kind: r.kind,
      householdId: r.household_id,
      accountNo: r.account_no,
      seasonId: r.season_id,
      amountFen: Number(r.amount_fen),
      required: r.required,
      approvers: JSON.parse(r.approvers) as string[],
      problems,
      ...resolutionOf(r),
    };
  });
  const others = status === 'resolved' ? [] : await otherApprovalExceptions(q, filter);
  return [...reliefs, ...others].sort((a, b) =>
    a.terminalId === b.terminalId ? a.seq - b.seq : a.terminalId < b.terminalId ? -1 : 1,
  );
}

/** approval.given events whose approver or verifier version head office does not recognise. */
async function otherApprovalExceptions(
  q: Queryable,
  filter: { terminalId?: string; businessDate?: string },
): Promise<ApprovalException[]> {
  const events = await q.query<{
    terminal_id: string;
    seq: number;
    id: string;
    business_date: string;
    payload: string;
  }>(
    `SELECT terminal_id, seq, id, business_date, payload FROM ho_events
     WHERE type = 'approval.given' AND ($1::text IS NULL OR terminal_id = $1)
       AND ($2::text IS NULL OR business_date = $2)
     ORDER BY terminal_id, seq LIMIT 20000`,
    [filter.terminalId ?? null, filter.businessDate ?? null],
  );
  if (events.length === 0) return [];
  const approvals = events.map((e) => ({ e, p: JSON.parse(e.payload) as Approval }));
  const directory = await clerkDirectory(q, [...new Set(approvals.map((a) => a.p.approverId))]);
  const versions = await verifierProblems(
    q,
    approvals.map(({ p }) => ({ approverId: p.approverId, verifier: p.verifier })),
    directory,
  );
  const out: ApprovalException[] = [];
  for (const { e, p } of approvals) {
    const problem: ApprovalExceptionProblem | undefined = directory.has(p.approverId)
      ? problemFor(versions, p.approverId, p.verifier)
      : { code: 'UNKNOWN_APPROVER', approverId: p.approverId };
    if (!problem) continue;
    out.push({
      terminalId: e.terminal_id,
      seq: Number(e.seq),
      eventId: e.id,
      businessDate: e.business_date,
      action: p.action,
      reason: reasonOf([problem]),
      subjectId: p.subjectId,
      reliefId: null,
      kind: null,
      householdId: null,
      accountNo: null,
      seasonId: null,
      amountFen: null,
      required: null,
      approvers: [p.approverId],
      problems: [problem],
      resolvedAt: null,
      resolvedBy: null,
      resolution: null,
    });
  }
  return out;
}
