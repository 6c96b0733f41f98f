// A new PIN at the counter (issue 19): required at the first log-in after head office issued an
// initial PIN (its hash carries INITIAL_PIN_MARK). The clerk gives the current PIN and the new one
// twice; an easy guess is refused. The change is a signed ledger event (clerk.pin_changed) that syncs:
// head office takes the new hash over and sends it back as the clerk's master row.
import type { ParsedInput } from '@heating-cashier/core/contract/commands';
import { appendEvent } from '../../ledger/event-log';
import { writeTransaction } from '../../ledger/transaction';
import { ServiceError, type ServiceContext } from '../../services/context';
import { authenticate, hashPin, sessionOwner } from './auth';
import { setClerkPin } from './clerks.store';

/** Why a new PIN is too easy to guess, or null. */
export function weakPinReason(pin: string, clerkCode: string, current: string): string | null {
  if (pin.length < 6) return 'short';
  if (pin === current) return 'same';
  if (pin === clerkCode || (pin.includes(clerkCode) && clerkCode.length >= 4)) return 'code';
  // 000000, 121212, 123123: a short block repeated
  for (let n = 1; n <= pin.length / 2; n++)
    if (pin.length % n === 0 && pin.slice(0, n).repeat(pin.length / n) === pin) return 'repeated';
  const steps = [...pin].slice(1).map((d, i) => (Number(d) - Number(pin[i]) + 10) % 10);
  if (steps.every((s) => s === 1) || steps.every((s) => s === 9)) return 'sequence';
  return null;
}

export function changePin(
  ctx: ServiceContext,
  input: ParsedInput<'session.changePin'>,
  connection?: string,
) {
  const owner = sessionOwner(ctx, input.session);
  // the current PIN again: a wrong one counts towards the lock like at log-in
  const clerk = authenticate(ctx, owner.code, input.pin, connection);
  if (input.newPin !== input.newPinAgain) throw new ServiceError('PIN_MISMATCH');
  const weak = weakPinReason(input.newPin, clerk.code, input.pin);
  if (weak) throw new ServiceError('PIN_WEAK', { reason: weak });
  const pinHash = hashPin(input.newPin); // scrypt: outside the write transaction
  writeTransaction(ctx, (append) => {
    appendEvent(append, 'clerk.pin_changed', { clerkId: clerk.id, pinHash }, clerk.id);
    setClerkPin(ctx.db, clerk, pinHash);
  });
  ctx.runtime.sync?.kick();
  return { changed: true as const };
}
