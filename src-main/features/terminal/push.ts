import {
  pushEvents,
  type PushEventData,
  type PushEventName,
} from '@heating-cashier/core/contract/push';

/**
 * Server → renderer events of one terminal (`ctx.runtime.push`). Use cases publish; the shells
 * (plain-Node host WebSocket, Electron main) subscribe and forward to every window.
 */
export type PushListener = <E extends PushEventName>(event: E, data: PushEventData<E>) => void;

export class PushBus {
  private readonly listeners = new Set<PushListener>();

  subscribe(listener: PushListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Validates the payload against the contract and hands it to every subscriber; never throws. */
  publish<E extends PushEventName>(event: E, data: PushEventData<E>): void {
    if (this.listeners.size === 0) return;
    const parsed = pushEvents[event].safeParse(data);
    if (!parsed.success) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(event, parsed.data as PushEventData<E>);
      } catch {
        // a failing subscriber (a closed socket) must not disturb the payment
      }
    }
  }
}
