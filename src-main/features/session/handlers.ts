import { withSupervisor, type HandlerTable } from '../../api/handler';
import { requireClerk, sessionOwner } from './auth';
import { addClerk } from './clerk-admin';
import { login, logout } from './login';

export const sessionHandlers = {
  'session.login': (ctx, input, caller) =>
    login(ctx, input.clerkCode, input.pin, caller.connection),
  // also for a clerk who has not replaced the initial PIN yet
  'session.logout': (ctx, input) => {
    sessionOwner(ctx, input.session);
    return logout(ctx, input.session);
  },
  'clerk.add': withSupervisor((ctx, input, supervisor) =>
    addClerk(ctx, input, requireClerk(ctx, input.session), supervisor),
  ),
} satisfies HandlerTable<'session.login' | 'session.logout' | 'clerk.add'>;
