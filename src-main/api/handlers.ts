import { backupHandlers } from '../features/backup/handlers';
import { cardHandlers } from '../features/card/handlers';
import { cashHandlers } from '../features/cash/handlers';
import { chequeHandlers } from '../features/cheques/handlers';
import { domainHandlers } from '../features/rules/handlers';
import { dunningHandlers } from '../features/dunning/handlers';
import type { CommandName, CommandOutput, ParsedInput } from '@heating-cashier/core/contract/commands';
import { currentBook, openShift } from '../features/cash/books-shifts.store';
import { chainHead } from '../ledger/event-log';
import { schemaVersion } from '../ledger/migrate';
import { verifyLedger } from '../ledger/verify';
import { authenticate, createSession, endSession, requireClerk } from '../features/session/auth';
import { issueBook } from '../features/receipts/books';
import { today, type ServiceContext } from '../services/context';
import { terminalStatus } from '../features/terminal/status';
import { householdAccount, searchHouseholdSummaries } from '../features/households/households';
import { previewPayment, takePayment } from '../features/payments/payments';
import { findReceipt, reprintReceipt, voidReceipt } from '../features/receipts/receipts';
import { openNewShift } from '../features/cash/shifts';
import { bookView, shiftView } from '../features/receipts/views';
import { printerHandlers } from '../features/printing/handlers';
import { syncHandlers } from '../features/sync/handlers';

export type Handler<N extends CommandName> = (
  ctx: ServiceContext,
  input: ParsedInput<N>,
) => CommandOutput<N> | Promise<CommandOutput<N>>;

/** A feature area's handlers, for the commands of its own `*-commands.ts` table. */
export type HandlerTable<Names extends CommandName> = { [N in Names]: Handler<N> };

const coreHandlers = {
  'terminal.info': (ctx) => {
    const now = ctx.clock();
    return {
      terminalId: ctx.terminal.id,
      name: ctx.terminal.name,
      timeZone: ctx.terminal.timeZone,
      isDemo: ctx.terminal.isDemo,
      schemaVersion: schemaVersion(ctx.db),
      eventCount: chainHead(ctx.db).seq,
      businessDate: today(ctx, now),
      now: now.toISOString(),
    };
  },
  'terminal.status': (ctx) => terminalStatus(ctx),
  'session.login': (ctx, input) => {
    const clerk = authenticate(ctx, input.clerkCode, input.pin);
    const shift = openShift(ctx.db);
    const book = currentBook(ctx.db, clerk.id);
    return {
      ...createSession(ctx, clerk),
      clerk: { id: clerk.id, code: clerk.code, name: clerk.name, role: clerk.role },
      openShift: shift ? shiftView(shift) : null,
      book: book ? bookView(book) : null,
    };
  },
  'session.logout': (ctx, input) => {
    requireClerk(ctx, input.session);
    endSession(ctx, input.session);
    return { loggedOut: true as const };
  },
  'shift.current': (ctx, input) => {
    const clerk = requireClerk(ctx, input.session);
    const shift = openShift(ctx.db);
    const book = currentBook(ctx.db, clerk.id);
    return { shift: shift ? shiftView(shift) : null, book: book ? bookView(book) : null };
  },
  'shift.open': (ctx, input) =>
    openNewShift(ctx, requireClerk(ctx, input.session), input.openingFloatFen),
  'household.search': (ctx, input) => {
    requireClerk(ctx, input.session);
    return searchHouseholdSummaries(ctx, input.query, input.limit);
  },
  'household.account': (ctx, input) => {
    requireClerk(ctx, input.session);
    return householdAccount(ctx, input.householdId);
  },
  'payment.preview': (ctx, input) => {
    requireClerk(ctx, input.session);
    return previewPayment(ctx, input);
  },
  'payment.take': (ctx, input) => takePayment(ctx, requireClerk(ctx, input.session), input),
  'receipt.find': (ctx, input) => {
    requireClerk(ctx, input.session);
    return findReceipt(ctx, input);
  },
  'receipt.void': (ctx, input) => voidReceipt(ctx, requireClerk(ctx, input.session), input),
  'receipt.reprint': (ctx, input) =>
    reprintReceipt(ctx, requireClerk(ctx, input.session), input.receiptId),
  'book.issue': (ctx, input) => issueBook(ctx, requireClerk(ctx, input.session), input),
  'ledger.verify': (ctx, input) => {
    requireClerk(ctx, input.session);
    return verifyLedger(ctx.db, ctx.terminal.id);
  },
} satisfies Partial<HandlerTable<CommandName>>;

/** One handler per command of the contract table; the compiler checks none is missing. */
export const handlers: HandlerTable<CommandName> = {
  ...dunningHandlers,
  ...coreHandlers,
  ...backupHandlers,
  ...cardHandlers,
  ...cashHandlers,
  ...domainHandlers,
  ...printerHandlers,
  ...syncHandlers,
  ...chequeHandlers,
};
