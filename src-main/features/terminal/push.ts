import { pushEvents, type PushEventData, type PushEventName } from '@heating-cashier/core/contract/push';
import type { ServiceContext } from '../../services/context';

/**
 * Server → renderer events of one service context (one terminal). Use cases publish; the shells
 * (plain-Node host WebSocket, Electron main) subscribe and forward to every window.
 */
export type PushListener = <E extends PushEventName>(event: E, data: PushEventData<E>) => void;

const buses = new WeakMap<ServiceContext, Set<PushListener>>();

export function subscribePush(ctx: ServiceContext, listener: PushListener): () => void {
  let set = buses.get(ctx);
  if (!set) buses.set(ctx, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/** Validates the payload against the contract and hands it to every subscriber; never throws. */
export function publish<E extends PushEventName>(
  ctx: ServiceContext,
  event: E,
  data: PushEventData<E>,
): void {
  const set = buses.get(ctx);
  if (!set || set.size === 0) return;
  const parsed = pushEvents[event].safeParse(data);
  if (!parsed.success) return;
  for (const listener of [...set]) {
    try {
      listener(event, parsed.data as PushEventData<E>);
    } catch {
      // a failing subscriber (a closed socket) must not disturb the payment
    }
  }
}
