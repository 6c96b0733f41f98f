import { withClerk, type HandlerTable } from '../../api/handler';
import { login, logout } from './login';

export const sessionHandlers = {
  'session.login': (ctx, input, caller) =>
    login(ctx, input.clerkCode, input.pin, caller.connection),
  'session.logout': withClerk((ctx, input) => logout(ctx, input.session)),
} satisfies HandlerTable<'session.login' | 'session.logout'>;
