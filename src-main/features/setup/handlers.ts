import type { setupCommands } from '@heating-cashier/core/contract/setup-commands';
import type { HandlerTable } from '../../api/handler';
import { setupBackups, setupDemo, setupEnroll, setupRestore, setupStatus } from './first-run';

/** No clerk yet on a ledger to be set up: these run without a session, and only while it is so. */
export const setupHandlers = {
  'setup.status': (ctx) => setupStatus(ctx),
  'setup.enroll': (ctx, input) => setupEnroll(ctx, input),
  'setup.backups': (ctx, input) => setupBackups(ctx, input),
  'setup.restore': (ctx, input) => setupRestore(ctx, input),
  'setup.demo': (ctx) => setupDemo(ctx),
} satisfies HandlerTable<keyof typeof setupCommands>;
