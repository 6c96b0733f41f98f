import type { pinCommands, setupCommands } from '@heating-cashier/core/contract/setup-commands';
import type { HandlerTable } from '../../api/handler';
import { changePin } from '../session/pin-change';
import { setupBackups, setupDemo, setupEnroll, setupRestore, setupStatus } from './first-run';

/** No clerk yet on a ledger to be set up: these run without a session, and only while it is so. */
export const setupHandlers = {
  'setup.status': (ctx) => setupStatus(ctx),
  'setup.enroll': (ctx, input) => setupEnroll(ctx, input),
  'setup.backups': (ctx, input) => setupBackups(ctx, input),
  'setup.restore': (ctx, input) => setupRestore(ctx, input),
  'setup.demo': (ctx) => setupDemo(ctx),
  // the first log-in's new PIN (the session may still hold an initial PIN: no withClerk)
  'session.changePin': (ctx, input, caller) => changePin(ctx, input, caller.connection),
} satisfies HandlerTable<keyof typeof setupCommands | keyof typeof pinCommands>;
