import type { syncCommands } from '@heating-cashier/core/contract/sync-commands';
import { withClerk, withSupervisor, type HandlerTable } from '../../api/handler';
import { configureSyncSettings, syncView, unsyncedList } from './sync-settings';

export const syncHandlers = {
  'sync.status': withClerk((ctx) => syncView(ctx)),
  'sync.configure': withSupervisor((ctx, input) => configureSyncSettings(ctx, input)),
  'sync.unsynced': withClerk((ctx) => unsyncedList(ctx)),
} satisfies HandlerTable<keyof typeof syncCommands>;
