import type { ParsedInput, TenderInput } from '@heating-cashier/core/contract/commands';
import type { TenderRecord } from '@heating-cashier/core/contract/events';
import {
  allocateExplicit,
  allocateOldestFirst,
  totalOwed,
  type AllocationLine,
  type SeasonBalance,
} from '@heating-cashier/core/allocation';
import { cashChangeFen } from '@heating-cashier/core/cash';
import { inDrawer, tenderRecordOf } from '@heating-cashier/core/tenders';
import type { DomainResult } from '@heating-cashier/core/result';
import { seasonAccounts } from '../households/accounts.store';
import { currentBook } from '../cash/books-shifts.store';
import type { ClerkRow } from '../session/clerks.store';
import { appendEvent } from '../../ledger/event-log';
import { uuidv7 } from '../../ledger/ids';
import { receiptByRequestId } from '../receipts/receipts.store';
import { ServiceError, type ServiceContext } from '../../services/context';
import { writeTransaction } from '../../ledger/transaction';
import { requireHousehold } from '../households/households';
import { requireOwnOpenShift } from '../cash/shifts';
import { receiptDetailView } from '../receipts/views';
import { queueReceiptWithPayment } from '../printing/print-queue';
import { issuedReceiptViews } from '../receipts/issued-receipt';
import { formatFen } from '@heating-cashier/core/money';
import { requireSignedHouseholdRows } from '../sync/master-rows';

function balancesOf(ctx: ServiceContext, householdId: string): SeasonBalance[] {
  return seasonAccounts(ctx.db, householdId).map((s) => ({
    seasonId: s.seasonId,
    seasonCode: s.seasonCode,
    chargeFen: s.chargeFen,
    balanceFen: s.balanceFen,
  }));
}

function unwrapAllocation(result: DomainResult<AllocationLine[]>): AllocationLine[] {
  if (result.ok) return result.value;
  switch (result.code) {
    case 'NOTHING_OWED':
      throw new ServiceError('NOTHING_OWED');
    case 'OVERPAY':
      throw new ServiceError('OVERPAY', { owed: formatFen(Number(result.detail?.owedFen ?? 0)) });
    default:
      throw new ServiceError('ALLOCATION_INVALID', {
        reason: result.code,
        ...(result.detail ?? {}),
      });
  }
}

function allocate(
  balances: SeasonBalance[],
  amountFen: number,
  explicit: readonly { seasonId: string; amountFen: number }[] | undefined,
): AllocationLine[] {
  return unwrapAllocation(
    explicit
      ? allocateExplicit(balances, explicit, amountFen)
      : allocateOldestFirst(balances, amountFen),
  );
}

export function previewPayment(ctx: ServiceContext, input: ParsedInput<'payment.preview'>) {
  // A ledger in alarm takes no money (the card flows check here before charging the card).
  ctx.runtime.integrity.requireNoAlarm();
  requireHousehold(ctx, input.householdId);
  // Checked here too: the clerk learns before taking the money, and the payment then finds the
  // rows already verified on the connection.
  requireSignedHouseholdRows(ctx, input.householdId);
  const balances = balancesOf(ctx, input.householdId);
  const owed = totalOwed(balances);
  const amountFen =
    input.amountFen ??
    (input.allocation ? input.allocation.reduce((s, l) => s + l.amountFen, 0) : owed);
  return { amountFen, owedFen: owed, lines: allocate(balances, amountFen, input.allocation) };
}

/** Validates the tenders against the amount and turns them into ledger records; returns the change. */
export function settleTenders(
  amountFen: number,
  tenders: readonly TenderInput[],
  /**
   * Extra detail for the card or QR tender (card-payments service: terminal data, mode
   * terminal/manual; qr-payments service: confirmation, provider, tradeNo, outTradeNo, qrIntentId).
   */
  deviceDetail: Record<string, string> = {},
): { records: TenderRecord[]; changeFen: number } {
  const total = tenders.reduce((s, t) => s + t.amountFen, 0);
  if (total !== amountFen) {
    throw new ServiceError('TENDERS_MISMATCH', {
      tendered: formatFen(total),
      amount: formatFen(amountFen),
    });
  }
  const cash = tenders.filter((t) => inDrawer(t.kind));
  if (cash.length > 1)
    throw new ServiceError('BAD_INPUT', { issues: 'tenders: at most one cash tender' });
  let changeFen = 0;
  const records = tenders.map((t): TenderRecord => {
    if ('tenderedFen' in t) {
      const change = cashChangeFen(t.amountFen, t.tenderedFen);
      if (!change.ok) {
        throw new ServiceError('TENDERED_TOO_LOW', {
          tendered: formatFen(t.tenderedFen),
          due: formatFen(t.amountFen),
        });
      }
      changeFen = change.value;
    }
    return tenderRecordOf(t, t.kind === 'card' || t.kind === 'qr' ? deviceDetail : {});
  });
  return { records, changeFen };
}

export function receiptLabel(series: string, receiptNo: number, lastNo: number): string {
  return `${series}${String(receiptNo).padStart(Math.max(6, String(lastNo).length), '0')}`;
}

/** What a device sale (card terminal, QR) asks to be paid, before any intent is written. */
export interface DeviceSaleInput {
  requestId: string;
  householdId: string;
  amountFen: number;
  allocation?: { seasonId: string; amountFen: number }[] | undefined;
}

/**
 * Everything that would refuse the payment, checked before a device is asked to charge anything
 * (a charge must never be left without its receipt): no ledger alarm, the clerk's own open shift,
 * the allocation, a receipt book, a requestId not used yet. Answers the shift.
 */
export function validateDeviceSale(ctx: ServiceContext, clerk: ClerkRow, input: DeviceSaleInput) {
  ctx.runtime.integrity.requireNoAlarm();
  const shift = requireOwnOpenShift(ctx, clerk);
  previewPayment(ctx, {
    session: '',
    householdId: input.householdId,
    amountFen: input.amountFen,
    ...(input.allocation ? { allocation: input.allocation } : {}),
  } as ParsedInput<'payment.preview'>);
  if (!currentBook(ctx.db, clerk.id)) throw new ServiceError('BOOK_EXHAUSTED');
  if (receiptByRequestId(ctx.db, input.requestId)) throw new ServiceError('REQUEST_REUSED');
  return shift;
}

/** A write-ahead intent's columns (card_payments, qr_payments) that make its payment. */
export interface PaymentIntentRow {
  request_id: string;
  household_id: string;
  amount_fen: number;
  /** JSON of the explicit allocation, or null. */
  allocation: string | null;
}

/** The payment an intent stands for, paid by one device tender (its receipt commits with it). */
export function intentPayment(
  r: PaymentIntentRow,
  tender: ParsedInput<'payment.take'>['tenders'][number],
): ParsedInput<'payment.take'> {
  return {
    session: '',
    requestId: r.request_id,
    householdId: r.household_id,
    amountFen: r.amount_fen,
    ...(r.allocation
      ? { allocation: JSON.parse(r.allocation) as { seasonId: string; amountFen: number }[] }
      : {}),
    tenders: [tender],
  } as ParsedInput<'payment.take'>;
}

/**
 * Takes one payment: allocation, tenders, the next number of the clerk's book and the receipt event,
 * all in one transaction. A repeated requestId returns the receipt already issued for it.
 */
export function takePayment(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: ParsedInput<'payment.take'>,
  deviceDetail?: Record<string, string>,
) {
  // A ledger in alarm (failed verify) takes no new money; a card payment the terminal already
  // approved or a QR payment the provider confirmed (`deviceDetail`) still gets its receipt.
  if (!deviceDetail) ctx.runtime.integrity.requireNoAlarm();
  const receipt = writeTransaction(ctx, (append) => {
    const previous = receiptByRequestId(ctx.db, input.requestId);
    if (previous) {
      if (previous.household_id !== input.householdId || previous.total_fen !== input.amountFen) {
        throw new ServiceError('REQUEST_REUSED');
      }
      return { ...receiptDetailView(ctx.db, previous), replayed: true };
    }
    const shift = requireOwnOpenShift(ctx, clerk, append.businessDate);
    const household = requireHousehold(ctx, input.householdId);
    // The charges and payments elsewhere behind the balance must carry valid signatures.
    requireSignedHouseholdRows(ctx, household.id);
    const accounts = seasonAccounts(ctx.db, household.id);
    const lines = allocate(accounts, input.amountFen, input.allocation);
    const { records, changeFen } = settleTenders(input.amountFen, input.tenders, deviceDetail);
    const book = currentBook(ctx.db, clerk.id);
    if (!book) throw new ServiceError('BOOK_EXHAUSTED');
    const receiptId = uuidv7(append.now.getTime());
    const event = appendEvent(
      append,
      'receipt.issued',
      {
        receiptId,
        requestId: input.requestId,
        bookId: book.id,
        receiptNo: book.next_no,
        receiptLabel: receiptLabel(book.series, book.next_no, book.last_no),
        householdId: household.id,
        accountNo: household.accountNo,
        shiftId: shift.id,
        totalFen: input.amountFen,
        changeFen,
        lines: lines.map((l) => ({
          seasonId: l.seasonId,
          seasonCode: l.seasonCode,
          amountFen: l.amountFen,
          chargeFen: l.chargeFen,
          pctTenths: l.pctTenths,
          balanceAfterFen: l.balanceAfterFen,
        })),
        tenders: records,
        ...serviceStart(ctx, clerk.id, household.id),
      },
      clerk.id,
    );
    // Built from what this transaction already holds; `payment.take` ≡ `receipt.find` is tested.
    const issued = issuedReceiptViews(ctx, event, household, clerk, accounts);
    // Its paper is queued in this same commit, from what it holds now; the printer itself works
    // after the commit, so a printer fault never blocks or loses the payment.
    queueReceiptWithPayment(ctx, receiptId, issued.print);
    return { ...issued.detail, replayed: false };
  });
  // The service time ends with this receipt: the clerk's clock stops (in memory, no query).
  if (!receipt.replayed) ctx.runtime.service.stop(clerk.id);
  return receipt;
}

/** The receipt's `serviceStartedAt` when this clerk opened this household's account (in memory). */
function serviceStart(ctx: ServiceContext, clerkId: string, householdId: string) {
  const startedAt = ctx.runtime.service.startOf(clerkId, householdId);
  return startedAt === undefined ? {} : { serviceStartedAt: startedAt };
}
