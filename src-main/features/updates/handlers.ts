import type { updateCommands } from '@heating-cashier/core/contract/update-commands';
import { withClerk, withSupervisor, type HandlerTable } from '../../api/handler';
import { checkForUpdates, updateStatus } from './updates';

export const updateHandlers = {
  'update.status': withClerk((ctx) => updateStatus(ctx)),
  'update.check': withSupervisor((ctx) => checkForUpdates(ctx)),
} satisfies HandlerTable<keyof typeof updateCommands>;
