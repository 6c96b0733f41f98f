import type { MasterChange } from '@heating-cashier/core/contract/sync-wire';
import { bookById, overlappingBook } from '../cash/books-shifts.store';
import { clerkByCode } from '../session/clerks.store';
import type { Db } from '../../ledger/db';
import { appendEvent, type AppendContext } from '../../ledger/event-log';
import { upsertHousehold } from '../households/households.store';
import { stmt } from '../../ledger/statements';
import { applyHeadOfficeChequeDecision } from '../cheques/cheques';
import { writeTransaction, type LedgerContext } from '../../ledger/transaction';
import { updateSyncState } from './store';
import { upsertRate, upsertSeason } from '../rules/rules.store';

export interface ApplyResult {
  applied: number;
  rejected: number;
}

/** Head office's approver id on receipt books it allocates (the `book.issued` event's approvedBy). */
export const HEAD_OFFICE_APPROVER = 'head-office';

/**
 * Applies one pulled page of master-data changes and advances the cursor in ONE transaction.
 * A change that cannot apply (unknown household, overlapping book) is kept in sync_rejects with
 * the reason, so one bad record never blocks the rest and nothing is silently lost.
 */
export function applyChanges(
  ctx: LedgerContext,
  changes: MasterChange[],
  cursor: number,
  serverTime: string,
): ApplyResult {
  return writeTransaction(ctx, (append) => {
    let applied = 0;
    let rejected = 0;
    for (const change of changes) {
      try {
        ctx.db.transaction(() => applyOne(ctx.db, append, ctx.terminal.id, change))();
        applied++;
      } catch (e) {
        rejected++;
        stmt(
          ctx.db,
          `INSERT OR REPLACE INTO sync_rejects (change_seq, kind, data, reason, at) VALUES (?, ?, ?, ?, ?)`,
        ).run(
          change.seq,
          change.kind,
          JSON.stringify(change.data),
          e instanceof Error ? e.message : String(e),
          append.now.toISOString(),
        );
      }
    }
    updateSyncState(ctx.db, {
      pull_cursor: cursor,
      last_pull_at: append.now.toISOString(),
      server_time: serverTime,
    });
    return { applied, rejected };
  });
}

function applyOne(db: Db, append: AppendContext, terminalId: string, c: MasterChange): void {
  switch (c.kind) {
    case 'household':
      return upsertHousehold(db, { ...c.data, isDemo: false });
    case 'season':
      return upsertSeason(db, c.data.id, c.data);
    case 'rate':
      return upsertRate(db, c.data.seasonId, c.data.category, c.data.rateFenPerM2);
    case 'charge': {
      const elsewhere = stmt(
        db,
        'SELECT coalesce(sum(amount_fen), 0) AS fen FROM payments_elsewhere WHERE household_id = ? AND season_id = ?',
      ).get(c.data.householdId, c.data.seasonId) as { fen: number };
      stmt(
        db,
        `INSERT INTO charges (household_id, season_id, charge_fen, paid_elsewhere_fen) VALUES (?, ?, ?, ?)
         ON CONFLICT (household_id, season_id) DO UPDATE
           SET charge_fen = excluded.charge_fen, paid_elsewhere_fen = excluded.paid_elsewhere_fen`,
      ).run(
        c.data.householdId,
        c.data.seasonId,
        c.data.chargeFen,
        c.data.paidBeforeFen + elsewhere.fen,
      );
      return;
    }
    case 'payment': {
      const p = c.data;
      if (p.originTerminalId === terminalId) return; // our own receipt: already in season_payments
      const old = stmt(db, 'SELECT amount_fen FROM payments_elsewhere WHERE id = ?').get(p.id) as
        { amount_fen: number } | undefined;
      stmt(
        db,
        `INSERT INTO payments_elsewhere (id, household_id, season_id, amount_fen, source, origin_terminal_id,
                                         reference, paid_at, change_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET amount_fen = excluded.amount_fen, change_seq = excluded.change_seq`,
      ).run(
        p.id,
        p.householdId,
        p.seasonId,
        p.amountFen,
        p.source,
        p.originTerminalId,
        p.reference,
        p.paidAt,
        c.seq,
      );
      const delta = p.amountFen - (old?.amount_fen ?? 0);
      if (delta !== 0)
        stmt(
          db,
          `UPDATE charges SET paid_elsewhere_fen = paid_elsewhere_fen + ?
           WHERE household_id = ? AND season_id = ?`,
        ).run(delta, p.householdId, p.seasonId);
      return;
    }
    case 'clerk':
      stmt(
        db,
        `INSERT INTO clerks (id, code, name, role, pin_hash, active) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, role = excluded.role,
           pin_hash = excluded.pin_hash, active = excluded.active`,
      ).run(
        c.data.id,
        c.data.code,
        c.data.name,
        c.data.role,
        c.data.pinHash,
        Number(c.data.active),
      );
      return;
    case 'book': {
      const b = c.data;
      if (b.terminalId !== terminalId || bookById(db, b.id)) return;
      const holder = clerkByCode(db, b.clerkCode);
      if (!holder) throw new Error(`unknown clerk ${b.clerkCode}`);
      const overlap = overlappingBook(db, b.series, b.firstNo, b.lastNo);
      if (overlap)
        throw new Error(`overlaps book ${overlap.series} ${overlap.first_no}-${overlap.last_no}`);
      appendEvent(
        append,
        'book.issued',
        {
          bookId: b.id,
          series: b.series,
          firstNo: b.firstNo,
          lastNo: b.lastNo,
          clerkId: holder.id,
          approvedBy: HEAD_OFFICE_APPROVER,
        },
        null,
      );
      return;
    }
    case 'cheque':
      if (c.data.terminalId !== terminalId) return;
      return applyHeadOfficeChequeDecision(append, c.data);
  }
}
