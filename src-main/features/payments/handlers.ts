import { withClerk, type HandlerTable } from '../../api/handler';
import { previewPayment, takePayment } from './payments';

export const paymentHandlers = {
  'payment.preview': withClerk((ctx, input) => previewPayment(ctx, input)),
  'payment.take': withClerk((ctx, input, clerk) => takePayment(ctx, clerk, input)),
} satisfies HandlerTable<'payment.preview' | 'payment.take'>;
