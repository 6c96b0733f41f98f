import type {
  CommandName,
  CommandOutput,
  ParsedInput,
} from '@heating-cashier/core/contract/commands';
import {
  requireClerk,
  requireSupervisor,
  requireSupervisorSession,
} from '../features/session/auth';
import type { ClerkRow } from '../features/session/clerks.store';
import type { ServiceContext } from '../services/context';

/**
 * Who sent a command, as far as the use cases need to know: the transport's connection (one
 * WebSocket client, one Electron window; `local` for the CLI and in-process calls). Wrong PINs are
 * counted per clerk and connection (features/session/pin-lockout.ts).
 */
export interface Caller {
  readonly connection: string;
}

export type Handler<N extends CommandName> = (
  ctx: ServiceContext,
  input: ParsedInput<N>,
  caller: Caller,
) => CommandOutput<N> | Promise<CommandOutput<N>>;

/** A feature area's handlers, for the commands of its own `*-commands.ts` table. */
export type HandlerTable<Names extends CommandName> = { [N in Names]: Handler<N> };

/** The commands whose parsed input has the fields of `Shape`. */
type CommandsWith<Shape> = {
  [N in CommandName]: ParsedInput<N> extends Shape ? N : never;
}[CommandName];

type Authed = { session: string };
type Supervised = Authed & { supervisorCode: string; supervisorPin: string };

/** A command for a logged-in clerk: checks `input.session`, then runs one use case. */
export function withClerk<N extends CommandsWith<Authed>>(
  run: (ctx: ServiceContext, input: ParsedInput<N>, clerk: ClerkRow) => ReturnType<Handler<N>>,
): Handler<N> {
  return (ctx, input) => run(ctx, input, requireClerk(ctx, input.session));
}

/** A command only a supervisor's own session may run (no second person's code and PIN). */
export function withSupervisorSession<N extends CommandsWith<Authed>>(
  run: (ctx: ServiceContext, input: ParsedInput<N>, supervisor: ClerkRow) => ReturnType<Handler<N>>,
): Handler<N> {
  return (ctx, input) => {
    const clerk = requireClerk(ctx, input.session);
    requireSupervisorSession(clerk);
    return run(ctx, input, clerk);
  };
}

/**
 * A command that also needs a supervisor's code + PIN given at the counter: checks the session,
 * then the supervisor, then runs one use case.
 */
export function withSupervisor<N extends CommandsWith<Supervised>>(
  run: (ctx: ServiceContext, input: ParsedInput<N>, supervisor: ClerkRow) => ReturnType<Handler<N>>,
): Handler<N> {
  return (ctx, input, caller) => {
    requireClerk(ctx, input.session);
    return run(
      ctx,
      input,
      requireSupervisor(ctx, input.supervisorCode, input.supervisorPin, caller.connection),
    );
  };
}
