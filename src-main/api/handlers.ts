import type { CommandName } from '@heating-cashier/core/contract/commands';
import { backupHandlers } from '../features/backup/handlers';
import { cardHandlers } from '../features/card/handlers';
import { cashHandlers } from '../features/cash/handlers';
import { chequeHandlers } from '../features/cheques/handlers';
import { customerHandlers } from '../features/customer/handlers';
import { dunningHandlers } from '../features/dunning/handlers';
import { householdHandlers } from '../features/households/handlers';
import { paymentHandlers } from '../features/payments/handlers';
import { qrHandlers } from '../features/qr/handlers';
import { printerHandlers } from '../features/printing/handlers';
import { poleHandlers } from '../features/pole/handlers';
import { receiptHandlers } from '../features/receipts/handlers';
import { rulesHandlers } from '../features/rules/handlers';
import { serviceHandlers } from '../features/service/handlers';
import { sessionHandlers } from '../features/session/handlers';
import { setupHandlers } from '../features/setup/handlers';
import { syncHandlers } from '../features/sync/handlers';
import { terminalHandlers } from '../features/terminal/handlers';
import { updateHandlers } from '../features/updates/handlers';
import type { HandlerTable } from './handler';

/** One handler per command of the contract table; the compiler checks none is missing. */
export const handlers: HandlerTable<CommandName> = {
  ...terminalHandlers,
  ...sessionHandlers,
  ...householdHandlers,
  ...paymentHandlers,
  ...receiptHandlers,
  ...cashHandlers,
  ...chequeHandlers,
  ...cardHandlers,
  ...qrHandlers,
  ...printerHandlers,
  ...poleHandlers,
  ...dunningHandlers,
  ...rulesHandlers,
  ...backupHandlers,
  ...syncHandlers,
  ...setupHandlers,
  ...customerHandlers,
  ...serviceHandlers,
  ...updateHandlers,
};
