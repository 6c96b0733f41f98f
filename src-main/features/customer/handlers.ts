import type { customerCommands } from '@heating-cashier/core/contract/customer-commands';
import { withClerk, type HandlerTable } from '../../api/handler';
import { currentCustomerView, showCustomerScreen } from './customer-view';
import { pairDisplay, pairingCodeFor } from './pairing';
import { rateOnDisplay } from './rating';

// customer.current / customer.rate reach these only from a paired display (dispatch: refusalFor).
export const customerHandlers = {
  'customer.show': withClerk((ctx, input) => showCustomerScreen(ctx, input)),
  'customer.pairingCode': withClerk((ctx, input) => pairingCodeFor(ctx, input.renew)),
  'customer.pair': (ctx, input, caller) => pairDisplay(ctx, caller.connection, input.code),
  'customer.current': (ctx) => ({ view: currentCustomerView(ctx) }),
  'customer.rate': (ctx, input) => rateOnDisplay(ctx, input.score),
} satisfies HandlerTable<keyof typeof customerCommands>;
