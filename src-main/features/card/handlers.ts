import type { cardCommands } from '@heating-cashier/core/contract/card-commands';
import {
  withClerk,
  withSupervisor,
  withSupervisorSession,
  type HandlerTable,
} from '../../api/handler';
import {
  cardPorts,
  cardSettingsView,
  saveCardTerminal,
  testCardTerminal,
} from './card-terminal-config';
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

export const cardHandlers = {
  'card.sale': withClerk((ctx, input, clerk) => cardSale(ctx, clerk, input)),
  'card.progress': withClerk((ctx) => cardProgress(ctx)),
  'card.abort': withClerk((ctx) => cardAbort(ctx)),
  'card.reconnect': withClerk((ctx) => connectCardTerminal(ctx)),
  'card.pending': withClerk((ctx) => ({ payments: pendingCardPayments(ctx) })),
  'card.inspect': withClerk((ctx, input) => inspectCardPayment(ctx, input.intentId)),
  'card.resolve': withClerk((ctx, input, clerk) =>
    resolveCardPayment(ctx, clerk, input.intentId, input.action),
  ),
  'card.manual': withClerk((ctx, input, clerk) => manualCardPayment(ctx, clerk, input)),
  'card.report': withClerk((ctx, input) => cardReport(ctx, input.businessDate)),
  'card.endOfDay': withClerk((ctx) => cardEndOfDay(ctx)),
  'card.ports': withClerk(() => cardPorts()),
  'card.settings.get': withClerk((ctx) => cardSettingsView(ctx)),
  'card.settings.test': withSupervisorSession((ctx, input) =>
    testCardTerminal(ctx, input.settings),
  ),
  'card.settings.set': withSupervisor((ctx, input) => saveCardTerminal(ctx, input)),
} satisfies HandlerTable<keyof typeof cardCommands>;
