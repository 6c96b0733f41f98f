import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EventPayload } from '@heating-cashier/core/contract/events';
import type { WireEvent } from '@heating-cashier/core/contract/sync-wire';
import { chequeRestoration, type Restoration } from '@heating-cashier/core/cheques';
import type { HoDb, Queryable } from './db';
import { resolutionOf, resolutionWhere, type ResolutionFilter } from './resolutions';
import { appendChanges, counterPayment, type PendingChange } from './store';

/**
 * Cheques at head office. Every cheque tender pushed by a terminal is a row in ho_cheques, pending
 * until a decision: finance here (POST /v1/cheques/decisions, pulled by the terminal), or a
 * supervisor at the counter (its cheque.cleared / cheque.bounced event, pushed up). The first decision
 * wins; the echo of a decision (same decisionId) is a no-op; a contrary decision is listed in
 * ho_cheque_conflicts. A bounce lowers the receipt lines' payments that other counters pulled, so
 * their balances owe again too.
 */

interface ChequeRowDb {
  receipt_id: string;
  position: number;
  terminal_id: string;
  receipt_label: string;
  household_id: string;
  amount_fen: number;
  issued_date: string;
  status: 'pending' | 'cleared' | 'bounced';
  decision_id: string | null;
  voided: boolean;
  issued_seq: number;
}

interface Decision {
  decisionId: string;
  outcome: 'cleared' | 'bounced';
  source: 'head-office' | 'counter';
  valueDate: string;
  decidedBy: string;
  reason: string | null;
  restored: Restoration[];
}

async function lockCheque(
  q: Queryable,
  receiptId: string,
  position: number,
): Promise<ChequeRowDb | null> {
  const rows = await q.query<ChequeRowDb>(
    `SELECT c.receipt_id, c.position, c.terminal_id, c.receipt_label, c.household_id, c.amount_fen, c.issued_date,
            c.status, c.decision_id, r.voided_seq IS NOT NULL AS voided, r.issued_seq
     FROM ho_cheques c JOIN ho_receipts r ON r.receipt_id = c.receipt_id
     WHERE c.receipt_id = $1 AND c.position = $2 FOR UPDATE OF c`,
    [receiptId, position],
  );
  return rows[0] ?? null;
}

/** Writes the decision; a bounce lowers the lines other counters hold as payments elsewhere. */
async function recordDecision(
  q: Queryable,
  row: ChequeRowDb,
  d: Decision,
): Promise<PendingChange[]> {
  await q.query(
    `UPDATE ho_cheques SET status = $3, decision_id = $4, decision_source = $5, value_date = $6, decided_by = $7,
            reason = $8, restored = $9, decided_at = now()
     WHERE receipt_id = $1 AND position = $2`,
    [
      row.receipt_id,
      row.position,
      d.outcome,
      d.decisionId,
      d.source,
      d.valueDate,
      d.decidedBy,
      d.reason,
      d.outcome === 'bounced' ? JSON.stringify(d.restored) : null,
    ],
  );
  if (d.outcome !== 'bounced' || d.restored.length === 0) return [];
  const lines = await q.query<{ household_id: string; season_id: string; left_fen: number }>(
    `UPDATE ho_receipt_lines l SET bounced_fen = l.bounced_fen + x.fen
     FROM unnest($2::text[], $3::bigint[]) AS x(season_id, fen)
     WHERE l.receipt_id = $1 AND l.season_id = x.season_id
     RETURNING l.household_id, l.season_id, (l.amount_fen - l.bounced_fen)::bigint AS left_fen`,
    [row.receipt_id, d.restored.map((r) => r.seasonId), d.restored.map((r) => r.amountFen)],
  );
  return lines
    .sort((a, b) => a.season_id.localeCompare(b.season_id))
    .map((l) =>
      counterPayment(
        { terminalId: row.terminal_id, occurredAt: null },
        row.receipt_id,
        l.household_id,
        l.season_id,
        l.left_fen,
        row.receipt_label,
      ),
    );
}

async function conflict(
  q: Queryable,
  receiptId: string,
  position: number,
  d: Pick<Decision, 'decisionId' | 'outcome' | 'source'>,
  detail: string,
): Promise<void> {
  await q.query(
    `INSERT INTO ho_cheque_conflicts (receipt_id, position, decision_id, outcome, source, detail)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [receiptId, position, d.decisionId, d.outcome, d.source, detail],
  );
}

/** A terminal's cheque event (inside the push transaction); answers the changes other counters pull. */
export async function applyTerminalChequeDecision(
  q: Queryable,
  e: WireEvent,
): Promise<PendingChange[]> {
  const bounced = e.type === 'cheque.bounced';
  const p = e.payload as EventPayload<'cheque.cleared'> | EventPayload<'cheque.bounced'>;
  const decision: Decision = {
    decisionId: p.decisionId,
    outcome: bounced ? 'bounced' : 'cleared',
    source: p.source === 'head-office' ? 'head-office' : 'counter',
    valueDate: 'clearedOn' in p ? p.clearedOn : p.bouncedOn,
    decidedBy: e.clerkId ?? p.decidedBy,
    reason: 'reason' in p ? p.reason : null,
    restored: 'restored' in p ? p.restored : [],
  };
  const row = await lockCheque(q, p.receiptId, p.position);
  if (!row) {
    await conflict(q, p.receiptId, p.position, decision, 'no such cheque at head office');
    return [];
  }
  if (row.decision_id === p.decisionId) return []; // head office's own decision coming back
  if (row.status !== 'pending') {
    await conflict(
      q,
      p.receiptId,
      p.position,
      decision,
      `already ${row.status} by decision ${row.decision_id}; the terminal recorded ${decision.outcome}`,
    );
    return [];
  }
  return recordDecision(q, row, decision);
}

/** What finance sends (`POST /v1/cheques/decisions`, `decide-cheques FILE.json`): all or none. */
export const chequeDecisionsRequest = z
  .array(
    z
      .object({
        receiptId: z.string().min(1).max(64),
        position: z.number().int().min(0).max(50),
        outcome: z.enum(['cleared', 'bounced']),
        valueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        reason: z.string().max(200).optional(),
        decidedBy: z.string().min(1).max(60).default('head-office'),
      })
      .strict(),
  )
  .min(1)
  .max(1000);

export interface ChequeDecisionRequest {
  receiptId: string;
  position: number;
  outcome: 'cleared' | 'bounced';
  valueDate: string;
  reason?: string | undefined;
  decidedBy: string;
}

export type DecideOutcome =
  | { ok: true; decisions: { receiptId: string; position: number; decisionId: string }[] }
  | { ok: false; errors: { index: number; message: string }[] };

/**
 * Finance at head office records cheques cleared or bounced: all of the request or none (a report
 * names every refused item). Each decision goes to the cheque's terminal by pull.
 */
export async function decideCheques(
  db: HoDb,
  items: ChequeDecisionRequest[],
): Promise<DecideOutcome> {
  const rollback = new Error('rollback');
  let result: DecideOutcome = { ok: true, decisions: [] };
  try {
    await db.tx(async (q) => {
      const errors: { index: number; message: string }[] = [];
      const decided: { receiptId: string; position: number; decisionId: string }[] = [];
      const changes: PendingChange[] = [];
      for (const [index, item] of items.entries()) {
        const row = await lockCheque(q, item.receiptId, item.position);
        const before = errors.length;
        const refuse = (message: string) => errors.push({ index, message });
        if (!row) {
          refuse('no such cheque');
          continue;
        }
        if (row.voided) refuse(`receipt ${row.receipt_label} is void`);
        else if (row.status !== 'pending')
          refuse(`cheque of ${row.receipt_label} is already ${row.status}`);
        else if (item.valueDate < row.issued_date)
          refuse(`value date ${item.valueDate} is before the payment (${row.issued_date})`);
        else if (item.outcome === 'bounced' && !(item.reason ?? '').trim())
          refuse('a bounced cheque needs a reason');
        if (errors.length > before) continue;
        let restored: Restoration[] = [];
        if (item.outcome === 'bounced') {
          const [issued] = await q.query<{ payload: string }>(
            'SELECT payload FROM ho_events WHERE terminal_id = $1 AND seq = $2',
            [row.terminal_id, row.issued_seq],
          );
          const payload = JSON.parse(issued!.payload) as EventPayload<'receipt.issued'>;
          const others = await q.query<{ restored: string }>(
            `SELECT restored FROM ho_cheques WHERE receipt_id = $1 AND status = 'bounced' AND restored IS NOT NULL`,
            [row.receipt_id],
          );
          const already = others.flatMap((o) => JSON.parse(o.restored) as Restoration[]);
          restored = chequeRestoration(payload.lines, already, row.amount_fen);
        }
        const decisionId = randomUUID();
        changes.push(
          ...(await recordDecision(q, row, {
            decisionId,
            outcome: item.outcome,
            source: 'head-office',
            valueDate: item.valueDate,
            decidedBy: item.decidedBy,
            reason: item.outcome === 'bounced' ? item.reason!.trim() : null,
            restored,
          })),
        );
        changes.push({
          kind: 'cheque',
          data: {
            decisionId,
            terminalId: row.terminal_id,
            receiptId: row.receipt_id,
            position: row.position,
            outcome: item.outcome,
            valueDate: item.valueDate,
            reason: item.outcome === 'bounced' ? item.reason!.trim() : null,
          },
          origin: null,
          target: row.terminal_id,
        });
        decided.push({ receiptId: row.receipt_id, position: row.position, decisionId });
      }
      if (errors.length > 0) {
        result = { ok: false, errors };
        throw rollback;
      }
      await appendChanges(q, changes);
      result = { ok: true, decisions: decided };
    });
  } catch (e) {
    if (e !== rollback) throw e;
  }
  return result;
}

export interface HoChequeRow {
  receipt_id: string;
  position: number;
  terminal_id: string;
  receipt_label: string;
  household_id: string;
  cheque_no: string;
  bank: string;
  amount_fen: number;
  issued_date: string;
  status: string;
  decision_source: string | null;
  value_date: string | null;
  decided_by: string | null;
  reason: string | null;
  restored: string | null;
}

/** Cheques by status / terminal (pending ones to chase, bounced ones listed), plus conflicts. */
export async function chequeReport(
  db: Queryable,
  filter: {
    status?: string | undefined;
    terminalId?: string | undefined;
    conflicts?: ResolutionFilter | undefined;
  } = {},
) {
  const rows = await db.query<HoChequeRow>(
    `SELECT receipt_id, position, terminal_id, receipt_label, household_id, cheque_no, bank, amount_fen, issued_date,
            status, decision_source, value_date, decided_by, reason, restored
     FROM ho_cheques WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR terminal_id = $2)
     ORDER BY terminal_id, issued_date, receipt_label, position`,
    [filter.status ?? null, filter.terminalId ?? null],
  );
  const conflicts = await db.query<{
    id: string;
    receipt_id: string;
    position: number;
    decision_id: string;
    outcome: string;
    source: string;
    detail: string;
    resolved_at: Date | string | null;
    resolved_by: string | null;
    resolution: string | null;
  }>(
    `SELECT id::text AS id, receipt_id, position, decision_id, outcome, source, detail, resolved_at, resolved_by, resolution
     FROM ho_cheque_conflicts c WHERE ${resolutionWhere('c', filter.conflicts ?? 'open')} ORDER BY c.id`,
  );
  return {
    rows: rows.map((r) => ({
      ...r,
      restored: r.restored ? (JSON.parse(r.restored) as Restoration[]) : [],
    })),
    conflicts: conflicts.map(({ resolved_at, resolved_by, resolution, ...c }) => ({
      ...c,
      ...resolutionOf({ resolved_at, resolved_by, resolution }),
    })),
  };
}
