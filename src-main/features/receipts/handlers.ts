import { withClerk, type HandlerTable } from '../../api/handler';
import { issueBook } from './books';
import { findReceipt, reprintReceipt, voidReceipt } from './receipts';

export const receiptHandlers = {
  'receipt.find': withClerk((ctx, input) => findReceipt(ctx, input)),
  'receipt.void': withClerk((ctx, input, clerk) => voidReceipt(ctx, clerk, input)),
  'receipt.reprint': withClerk((ctx, input, clerk) => reprintReceipt(ctx, clerk, input.receiptId)),
  'book.issue': withClerk((ctx, input, clerk) => issueBook(ctx, clerk, input)),
} satisfies HandlerTable<'receipt.find' | 'receipt.void' | 'receipt.reprint' | 'book.issue'>;
