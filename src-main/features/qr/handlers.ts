import type { qrCommands } from '@heating-cashier/core/contract/qr-commands';
import { withClerk, type HandlerTable } from '../../api/handler';
import { cancelQrPayment, pendingQrPayments, qrSale, resolveQrPayment } from './qr-payments';

export const qrHandlers = {
  'qr.sale': withClerk((ctx, input, clerk) => qrSale(ctx, clerk, input)),
  'qr.pending': withClerk((ctx) => ({ payments: pendingQrPayments(ctx) })),
  'qr.resolve': withClerk((ctx, input, clerk) => resolveQrPayment(ctx, clerk, input.intentId)),
  'qr.cancel': withClerk((ctx, input, clerk) => cancelQrPayment(ctx, clerk, input.intentId)),
} satisfies HandlerTable<keyof typeof qrCommands>;
