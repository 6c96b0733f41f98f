import type { syncCommands } from '@heating-cashier/core/contract/sync-commands';
import { withClerk, withSupervisor, type HandlerTable } from '../../api/handler';
import { requireSupervisorSession } from '../card/card-terminal-config';
import { testHeadOffice } from './connection-test';
import { enrollTerminal } from './enroll';
import { configureSyncSettings, syncView, unsyncedList } from './sync-settings';

export const syncHandlers = {
  'sync.status': withClerk((ctx) => syncView(ctx)),
  'sync.configure': withSupervisor((ctx, input) => configureSyncSettings(ctx, input)),
  'sync.enroll': withSupervisor((ctx, input) => enrollTerminal(ctx, input)),
  'sync.unsynced': withClerk((ctx) => unsyncedList(ctx)),
  'sync.test': withClerk((ctx, input, clerk) => {
    requireSupervisorSession(clerk);
    return testHeadOffice(ctx, input);
  }),
} satisfies HandlerTable<keyof typeof syncCommands>;
