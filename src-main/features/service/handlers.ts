import type { serviceCommands } from '@heating-cashier/core/contract/service-commands';
import { withClerk, type HandlerTable } from '../../api/handler';
import { rateReceipt } from './ratings';
import { overdueComplaints } from './complaints';

export const serviceHandlers = {
  'service.rate': withClerk((ctx, input, clerk) => rateReceipt(ctx, clerk, input)),
  'service.overdueComplaints': withClerk((ctx, input) => overdueComplaints(ctx, input.limit)),
} satisfies HandlerTable<keyof typeof serviceCommands>;
