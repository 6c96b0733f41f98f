import { withClerk, type HandlerTable } from '../../api/handler';
import { terminalInfo, verifyTerminalLedger } from './info';
import { terminalStatus } from './status';

export const terminalHandlers = {
  'terminal.info': (ctx) => terminalInfo(ctx),
  'terminal.status': (ctx) => terminalStatus(ctx),
  'ledger.verify': withClerk((ctx) => verifyTerminalLedger(ctx)),
} satisfies HandlerTable<'terminal.info' | 'terminal.status' | 'ledger.verify'>;
