import type { CommandName } from '@heating-cashier/core/contract/commands';
import type { ErrorCode } from '@heating-cashier/core/contract/errors';
import { ServiceError, type ServiceContext } from '../../services/context';
import { currentCustomerView } from './customer-view';

/** The only commands a customer display's connection may send (besides pairing again). */
export const DISPLAY_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>([
  'customer.current',
  'customer.rate',
  'customer.pair',
]);

/**
 * Whether `name` may run on `connection`, by the connection's kind: a customer display sends only
 * DISPLAY_COMMANDS (every clerk command is refused, whatever session it carries); a clerk's
 * connection never reads the view or rates as if it were the customer. Checked by dispatch before
 * any input is parsed.
 */
export function refusalFor(
  ctx: ServiceContext,
  name: CommandName,
  connection: string,
): ErrorCode | null {
  const display = ctx.runtime.customer.isDisplay(connection);
  if (display) return DISPLAY_COMMANDS.has(name) ? null : 'CUSTOMER_DISPLAY_ONLY';
  if (name === 'customer.current' || name === 'customer.rate') return 'CUSTOMER_NOT_PAIRED';
  return null;
}

/** `customer.pairingCode`: the code the clerk reads out (or shows) to the customer display. */
export function pairingCodeFor(ctx: ServiceContext, renew: boolean) {
  const now = ctx.clock().getTime();
  const { code, expiresAt } = ctx.runtime.customer.pairingCode(now, renew);
  return {
    code,
    expiresAt: new Date(expiresAt).toISOString(),
    displays: ctx.runtime.customer.displayCount(),
  };
}

/** `customer.pair`: a right code makes the connection a display and hands it the current view. */
export function pairDisplay(ctx: ServiceContext, connection: string, code: string) {
  const outcome = ctx.runtime.customer.pair(connection, code, ctx.clock().getTime());
  if (outcome.kind === 'locked') throw new ServiceError('CUSTOMER_PAIRING_LOCKED');
  if (outcome.kind === 'wrong') {
    ctx.log?.('warn', 'customer display: wrong pairing code', {
      connection,
      attemptsLeft: outcome.attemptsLeft,
    });
    throw new ServiceError('CUSTOMER_PAIRING_WRONG', { attemptsLeft: outcome.attemptsLeft });
  }
  ctx.log?.('info', 'customer display paired', { connection });
  return { view: currentCustomerView(ctx) };
}
