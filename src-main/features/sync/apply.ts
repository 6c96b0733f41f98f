import type { MasterChange } from '@heating-cashier/core/contract/sync-wire';
import { masterRecordMessage, type VerifySignature } from '@heating-cashier/core/signing';
import { bookById, overlappingBook } from '../cash/books-shifts.store';
import { clerkByCode } from '../session/clerks.store';
import type { Db } from '../../ledger/db';
import { appendEvent, type AppendContext } from '../../ledger/event-log';
import { upsertHousehold } from '../households/households.store';
import { stmt } from '../../ledger/statements';
import { createVerifier } from '../../ledger/signing';
import { applyHeadOfficeChequeDecision } from '../cheques/cheques';
import { writeTransaction, type LedgerContext } from '../../ledger/transaction';
import { updateSyncState } from './store';
import {
  masterKeys,
  writeCharge,
  writeClerk,
  writePaymentElsewhere,
  writeRate,
  writeSeason,
  type RowSignature,
} from './master-rows.store';

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
 *
 * Every change must carry head office's signature over masterRecordMessage(kind, data), valid
 * under the head-office key this terminal pinned at enrollment; one that does not is rejected
 * (sync_rejects says why) and nothing of it is applied. Clerks, seasons, rates, charges and
 * payments elsewhere keep the signature with the row (signed_by 'head-office'), so every later
 * use checks it again.
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
    const headOffice = { key: masterKeys(ctx.db).headOffice, verify: createVerifier() };
    for (const change of changes) {
      try {
        const signature = headOfficeSignature(headOffice, change);
        ctx.db.transaction(() => applyOne(ctx.db, append, ctx.terminal.id, change, signature))();
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

/** Head office's signature of a change, checked under the pinned key; throws the reject reason. */
function headOfficeSignature(
  headOffice: { key: string | null; verify: VerifySignature },
  c: MasterChange,
): RowSignature {
  // `sig` is required on the wire; a change without one (an older head office) is refused here too.
  const sig = (c as { sig?: unknown }).sig;
  if (typeof sig !== 'string' || sig === '')
    throw new Error(`unsigned ${c.kind} change: head office did not sign it; nothing applied`);
  if (!headOffice.key)
    throw new Error(
      `${c.kind} change not applied: this terminal is not enrolled, so it has no head-office key to check the signature with`,
    );
  if (!headOffice.verify(headOffice.key, masterRecordMessage(c.kind, c.data), sig))
    throw new Error(
      `bad signature on ${c.kind} change: not signed by the enrolled head office, or altered in transit; nothing applied`,
    );
  return { sig, signedBy: 'head-office' };
}

function applyOne(
  db: Db,
  append: AppendContext,
  terminalId: string,
  c: MasterChange,
  signature: RowSignature,
): void {
  switch (c.kind) {
    case 'household':
      return upsertHousehold(db, { ...c.data, isDemo: false });
    case 'season':
      return writeSeason(db, c.data, signature);
    case 'rate':
      return writeRate(db, c.data, signature);
    case 'charge':
      return writeCharge(db, c.data, signature);
    case 'payment': {
      if (c.data.originTerminalId === terminalId) return; // our own receipt: already in season_payments
      return writePaymentElsewhere(db, c.data, signature, c.seq);
    }
    case 'clerk':
      return writeClerk(db, c.data, signature);
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
