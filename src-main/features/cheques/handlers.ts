import type { chequeCommands } from '@heating-cashier/core/contract/cheque-commands';
import { withClerk, type HandlerTable } from '../../api/handler';
import { bounceCheque, chequeList, clearCheque } from './cheques';

export const chequeHandlers = {
  'cheque.list': withClerk((ctx, input) => chequeList(ctx, input)),
  'cheque.clear': withClerk((ctx, input, clerk) => clearCheque(ctx, clerk, input)),
  'cheque.bounce': withClerk((ctx, input, clerk) => bounceCheque(ctx, clerk, input)),
} satisfies HandlerTable<keyof typeof chequeCommands>;
