import { z } from 'zod';
import { customerView } from './customer-view';
import { localized } from './primitives';

/**
 * Events the main side pushes to the renderer without being asked (server → renderer). The host's
 * WebSocket sends them as `{event, data}` (no `id`: replies to commands always carry one); the
 * Electron preload will expose the same `on(event, listener)` over one IPC channel. Payloads are
 * validated against these schemas before they are sent.
 */
export const pushEvents = {
  /** A live text from the card terminal: insert card, enter PIN, line trouble, the result. */
  'card.text': z.object({
    /** The card payment (intent) the text belongs to, null outside a payment (e.g. reconnect). */
    intentId: z.string().nullable(),
    kind: z.enum(['intermediate', 'line', 'result', 'connection']),
    code: z.number().int().nullable(),
    text: localized,
    at: z.string(),
  }),
  /**
   * What the customer display and the pole display show now. Sent only to customer-facing clients
   * (a paired `/customer` page, the Electron customer window, the pole display driver), never to
   * the clerk's windows' other listeners as a way to reach another counter.
   */
  'customer.view': customerView,
} as const;

export type PushEventName = keyof typeof pushEvents;
export type PushEventData<E extends PushEventName> = z.infer<(typeof pushEvents)[E]>;

/** The envelope on the wire (host WebSocket) for a pushed event. */
export interface PushEnvelope<E extends PushEventName = PushEventName> {
  event: E;
  data: PushEventData<E>;
}

export function isPushEventName(name: unknown): name is PushEventName {
  return typeof name === 'string' && Object.hasOwn(pushEvents, name);
}
