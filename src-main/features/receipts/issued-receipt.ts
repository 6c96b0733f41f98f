import type { ReceiptDetail } from '@heating-cashier/core/contract/commands';
import type { LedgerEvent } from '@heating-cashier/core/contract/events';
import { currentSeasonCode, owedFen, type SeasonAccountRow } from '../households/accounts.store';
import type { ClerkRow } from '../session/clerks.store';
import type { Household } from '../households/households.store';
import type { ServiceContext } from '../../services/context';
import { today } from '../../ledger/transaction';
import type { ReceiptPrintParts } from '../printing/print-queue';
import { householdSummary } from './views';
import { paperCodeOf } from './paper-code';

/**
 * The reply view and the print parts of a receipt just issued, from the event and the rows the
 * payment transaction already read — a payment used to read all of it back (≈ 15 % of its CPU).
 * Must equal `receiptDetailView` / `receiptPrintData` over the ledger; tests hold it to that.
 */
export function issuedReceiptViews(
  ctx: ServiceContext,
  event: LedgerEvent<'receipt.issued'>,
  household: Household,
  clerk: ClerkRow,
  accountsBefore: readonly SeasonAccountRow[],
): { detail: ReceiptDetail; print: ReceiptPrintParts } {
  const p = event.payload;
  const paidBySeason = new Map(p.lines.map((l) => [l.seasonId, l.amountFen]));
  const lines = [...p.lines].sort((a, b) => (a.seasonCode < b.seasonCode ? -1 : 1));
  const paperCode = paperCodeOf(ctx.db, {
    terminalId: event.terminalId,
    seq: event.seq,
    receiptLabel: p.receiptLabel,
    totalFen: p.totalFen,
    businessDate: event.businessDate,
  });
  const detail: ReceiptDetail = {
    id: p.receiptId,
    receiptLabel: p.receiptLabel,
    householdId: p.householdId,
    totalFen: p.totalFen,
    changeFen: p.changeFen,
    issuedAt: event.occurredAt,
    clerkId: clerk.id,
    shiftId: p.shiftId,
    voided: false,
    voidReason: null,
    reprintCount: 0,
    bookId: p.bookId,
    receiptNo: p.receiptNo,
    household: householdSummary(ctx.db, household, owedFen(ctx.db, household.id)),
    lines,
    tenders: p.tenders,
    eventHash: event.hash,
    paperCode,
  };
  const print: ReceiptPrintParts = {
    receipt: {
      id: p.receiptId,
      label: p.receiptLabel,
      totalFen: p.totalFen,
      changeFen: p.changeFen,
      issuedAt: event.occurredAt,
      eventHash: event.hash,
      paperCode,
    },
    household,
    clerk,
    lines,
    tenders: p.tenders,
    accountsAfter: accountsBefore.map((a) => ({
      ...a,
      balanceFen: a.balanceFen - (paidBySeason.get(a.seasonId) ?? 0),
    })),
    currentSeason: currentSeasonCode(ctx.db, today(ctx, new Date(event.occurredAt))),
  };
  return { detail, print };
}
