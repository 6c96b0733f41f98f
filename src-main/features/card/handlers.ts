import type { cardCommands } from '@heating-cashier/core/contract/card-commands';
import { requireClerk } from '../session/auth';
import {
  cardAbort,
  cardEndOfDay,
  cardProgress,
  cardReport,
  cardSale,
  connectCardTerminal,
  inspectCardPayment,
  manualCardPayment,
  pendingCardPayments,
  resolveCardPayment,
} from './card-payments';
import type { HandlerTable } from '../../api/handlers';

export const cardHandlers = {
  'card.sale': (ctx, input) => cardSale(ctx, requireClerk(ctx, input.session), input),
  'card.progress': (ctx, input) => {
    requireClerk(ctx, input.session);
    return cardProgress(ctx);
  },
  'card.abort': (ctx, input) => {
    requireClerk(ctx, input.session);
    return cardAbort(ctx);
  },
  'card.reconnect': (ctx, input) => {
    requireClerk(ctx, input.session);
    return connectCardTerminal(ctx);
  },
  'card.pending': (ctx, input) => {
    requireClerk(ctx, input.session);
    return { payments: pendingCardPayments(ctx) };
  },
  'card.inspect': (ctx, input) => {
    requireClerk(ctx, input.session);
    return inspectCardPayment(ctx, input.intentId);
  },
  'card.resolve': (ctx, input) =>
    resolveCardPayment(ctx, requireClerk(ctx, input.session), input.intentId, input.action),
  'card.manual': (ctx, input) => manualCardPayment(ctx, requireClerk(ctx, input.session), input),
  'card.report': (ctx, input) => {
    requireClerk(ctx, input.session);
    return cardReport(ctx, input.businessDate);
  },
  'card.endOfDay': (ctx, input) => {
    requireClerk(ctx, input.session);
    return cardEndOfDay(ctx);
  },
} satisfies HandlerTable<keyof typeof cardCommands>;
