import type { syncCommands } from '@heating-cashier/core/contract/sync-commands';
import { requireClerk } from '../session/auth';
import { configureSyncSettings, syncView, unsyncedList } from './sync-settings';
import type { HandlerTable } from '../../api/handlers';

export const syncHandlers = {
  'sync.status': (ctx, input) => {
    requireClerk(ctx, input.session);
    return syncView(ctx);
  },
  'sync.configure': (ctx, input) =>
    configureSyncSettings(ctx, requireClerk(ctx, input.session), input),
  'sync.unsynced': (ctx, input) => {
    requireClerk(ctx, input.session);
    return unsyncedList(ctx);
  },
} satisfies HandlerTable<keyof typeof syncCommands>;
