import type { chequeCommands } from '@heating-cashier/core/contract/cheque-commands';
import { requireClerk } from '../session/auth';
import { chequeList, decideCheque } from './cheques';
import type { HandlerTable } from '../../api/handlers';

export const chequeHandlers = {
  'cheque.list': (ctx, input) => {
    requireClerk(ctx, input.session);
    return chequeList(ctx, input);
  },
  'cheque.clear': (ctx, input) =>
    decideCheque(ctx, requireClerk(ctx, input.session), {
      receiptId: input.receiptId,
      position: input.position,
      outcome: 'cleared',
      valueDate: input.clearedOn,
    }),
  'cheque.bounce': (ctx, input) =>
    decideCheque(ctx, requireClerk(ctx, input.session), {
      receiptId: input.receiptId,
      position: input.position,
      outcome: 'bounced',
      valueDate: input.bouncedOn,
      reason: input.reason,
    }),
} satisfies HandlerTable<keyof typeof chequeCommands>;
