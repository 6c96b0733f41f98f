import type {
  BookInfo,
  HouseholdSummary,
  ReceiptDetail,
  ShiftInfo,
} from '@heating-cashier/core/contract/commands';
import type { BookRow, ShiftRow } from '../cash/books-shifts.store';
import type { Db } from '../../ledger/db';
import {
  formatAddress,
  householdById,
  rowToHousehold,
  type Household,
  type HouseholdRow,
} from '../households/households.store';
import { owedFen } from '../households/accounts.store';
import { issuingEventAt, receiptLines, receiptTenders, type ReceiptRow } from './receipts.store';
import { paperCodeOf } from './paper-code';

/** Row -> contract shapes shared by several commands. */
export function shiftView(s: ShiftRow): ShiftInfo {
  return {
    id: s.id,
    clerkId: s.clerk_id,
    clerkName: s.clerk_name,
    businessDate: s.business_date,
    openingFloatFen: s.opening_float_fen,
    openedAt: s.opened_at,
    closedAt: s.closed_at,
  };
}

export function bookView(b: BookRow): BookInfo {
  return {
    id: b.id,
    series: b.series,
    firstNo: b.first_no,
    lastNo: b.last_no,
    nextNo: b.next_no,
    remaining: b.last_no - b.next_no + 1,
  };
}

/** `owed` may come precomputed with the row (search does it in one query). */
export function householdSummary(
  db: Db,
  h: Household | HouseholdRow,
  owed?: number,
): HouseholdSummary {
  const hh = 'account_no' in h ? rowToHousehold(h) : h;
  return {
    id: hh.id,
    accountNo: hh.accountNo,
    name: hh.name,
    address: formatAddress(hh),
    phoneLast4: hh.phone.replace(/\D/g, '').slice(-4),
    areaHundredths: hh.areaHundredths,
    category: hh.category,
    owedFen: owed ?? owedFen(db, hh.id),
    flags: {
      subsidised: hh.subsidised,
      noHeat: hh.noHeat,
      blacklisted: hh.blacklisted,
      legalAction: hh.legalAction,
    },
  };
}

export function receiptSummaryView(r: ReceiptRow) {
  return {
    id: r.id,
    receiptLabel: r.receipt_label,
    householdId: r.household_id,
    totalFen: r.total_fen,
    changeFen: r.change_fen,
    issuedAt: r.issued_at,
    clerkId: r.clerk_id,
    shiftId: r.shift_id,
    voided: r.voided_seq !== null,
    voidReason: r.void_reason,
    reprintCount: r.reprint_count,
  };
}

export function receiptDetailView(db: Db, r: ReceiptRow): ReceiptDetail {
  const household = householdById(db, r.household_id);
  if (!household) throw new Error(`receipt ${r.id} names a missing household`);
  const issuing = issuingEventAt(db, r.issued_seq);
  return {
    ...receiptSummaryView(r),
    bookId: r.book_id,
    receiptNo: r.receipt_no,
    household: householdSummary(db, household),
    lines: receiptLines(db, r.id),
    tenders: receiptTenders(db, r.id),
    eventHash: issuing.hash,
    paperCode: paperCodeOf(db, {
      terminalId: issuing.terminalId,
      seq: r.issued_seq,
      receiptLabel: r.receipt_label,
      totalFen: r.total_fen,
      businessDate: issuing.businessDate,
    }),
  };
}
