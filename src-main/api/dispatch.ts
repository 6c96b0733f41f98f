import { randomBytes } from 'node:crypto';
import { commands, type CommandName } from '@heating-cashier/core/contract/commands';
import { commandError, describeIssues, type Result } from '@heating-cashier/core/contract/errors';
import { LedgerError } from '../ledger/transaction';
import type { ServiceContext } from '../services/context';
import { handlers } from './handlers';
import type { Caller } from './handler';
import { LOCAL_CONNECTION } from '../features/session/pin-lockout';
import { refusalFor } from '../features/customer/pairing';
import { OFF_THREAD_COMMANDS } from './off-thread';

export type { Caller };
const LOCAL_CALLER: Caller = { connection: LOCAL_CONNECTION };

export type Logger = (
  level: 'error' | 'warn' | 'info',
  message: string,
  data?: Record<string, unknown>,
) => void;

const stderrLogger: Logger = (level, message, data) => {
  process.stderr.write(
    `${JSON.stringify({ t: new Date().toISOString(), level, message, ...data })}\n`,
  );
};

function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name);
}

function sqliteCode(e: unknown): string | null {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string'
    ? e.code
    : null;
}

/**
 * The one entry point of every transport: validates the input against the contract, runs the
 * handler, validates the output, and never throws — every failure is a structured, translated error.
 */
export async function dispatch(
  ctx: ServiceContext,
  name: unknown,
  input: unknown,
  log: Logger = stderrLogger,
  /** The transport's connection (WebSocket client, Electron window); the CLI and tests are local. */
  caller: Caller = LOCAL_CALLER,
): Promise<Result<unknown>> {
  if (!isCommandName(name)) {
    return {
      ok: false,
      error: commandError('UNKNOWN_COMMAND', { name: String(name).slice(0, 64) }),
    };
  }
  // First run: a ledger still to be set up answers the setup commands only.
  if (ctx.runtime.setup.pending && !name.startsWith('setup.'))
    return { ok: false, error: commandError('SETUP_REQUIRED') };
  // A customer display's connection runs the display's commands only, a clerk's never those.
  const refused = refusalFor(ctx, name, caller.connection);
  if (refused) return { ok: false, error: commandError(refused) };
  // Reports, exports and the dunning list run in a ledger worker (its own read connection), which
  // runs this same function there: the counter's thread stays free for search and payment.
  const offload = ctx.runtime.offload;
  if (offload && OFF_THREAD_COMMANDS.has(name))
    return offload.dispatch(ctx, name, input, caller.connection);
  const command = commands[name];
  const parsed = command.input.safeParse(input ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: commandError('BAD_INPUT', { issues: describeIssues(parsed.error.issues) }),
    };
  }
  try {
    const handler = handlers[name] as (ctx: ServiceContext, input: unknown, c: Caller) => unknown;
    const output = await handler(ctx, parsed.data, caller);
    const checked = command.output.safeParse(output);
    if (!checked.success) {
      const ref = randomBytes(4).toString('hex');
      log('error', 'command output does not match the contract', {
        ref,
        command: name,
        issues: describeIssues(checked.error.issues),
      });
      return { ok: false, error: commandError('INTERNAL', { ref }) };
    }
    return { ok: true, value: checked.data };
  } catch (e) {
    // A refusal from a use case (ServiceError) or from the write path (LedgerError).
    if (e instanceof LedgerError) return { ok: false, error: commandError(e.code, e.details) };
    if (sqliteCode(e) === 'SQLITE_BUSY') return { ok: false, error: commandError('LEDGER_BUSY') };
    const ref = randomBytes(4).toString('hex');
    log('error', 'command failed', {
      ref,
      command: name,
      error: e instanceof Error ? (e.stack ?? e.message) : String(e),
    });
    return { ok: false, error: commandError('INTERNAL', { ref }) };
  }
}

export function listCommands() {
  return Object.entries(commands).map(([name, c]) => ({
    name,
    summary: c.summary,
    input: c.input,
  }));
}
