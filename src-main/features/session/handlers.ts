import { withClerk, type HandlerTable } from '../../api/handler';
import { login, logout } from './login';

export const sessionHandlers = {
  'session.login': (ctx, input) => login(ctx, input.clerkCode, input.pin),
  'session.logout': withClerk((ctx, input) => logout(ctx, input.session)),
} satisfies HandlerTable<'session.login' | 'session.logout'>;
