import type { syncCommands } from '@heating-cashier/core/contract/sync-commands';
import {
  withClerk,
  withSupervisor,
  withSupervisorSession,
  type HandlerTable,
} from '../../api/handler';
import { testHeadOffice } from './connection-test';
import { enrollTerminal } from './enroll';
import { configureSyncSettings, syncView, unsyncedList } from './sync-settings';

export const syncHandlers = {
  'sync.status': withClerk((ctx) => syncView(ctx)),
  'sync.configure': withSupervisor((ctx, input) => configureSyncSettings(ctx, input)),
  'sync.enroll': withSupervisor((ctx, input) => enrollTerminal(ctx, input)),
  'sync.unsynced': withClerk((ctx) => unsyncedList(ctx)),
  'sync.test': withSupervisorSession((ctx, input) => testHeadOffice(ctx, input)),
} satisfies HandlerTable<keyof typeof syncCommands>;
