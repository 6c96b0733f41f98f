// The clerk's renderer tells main what is on its screen (`customer.show`), so the customer display
// follows it live. Off the keystroke path: screens call `show()` from effects; it only remembers the
// state, and one call goes out after a short pause (debounce), never twice for the same state.
// Failures are logged and otherwise ignored: the customer display never holds up the clerk.
import { createContext, useContext } from 'react';
import type { CommandInput } from '@heating-cashier/core/contract';
import { parseYuanToFen } from '@heating-cashier/core/money';
import type { ApiClient } from '../../api/client';
import { paymentAmount, type PaymentDraft } from '../payment/payment-model';

export type CustomerScreen = CommandInput<'customer.show'>['screen'];

export const IDLE: CustomerScreen = { phase: 'idle' };
export const PUBLISH_DELAY_MS = 150;

export interface CustomerPublisher {
  /** The screen state now; sent after PUBLISH_DELAY_MS unless another replaces it. */
  show(session: string, screen: CustomerScreen): void;
  /** Sends what is waiting at once (before log-out, which ends the session). */
  flush(): void;
  dispose(): void;
}

export function createCustomerPublisher(
  client: Pick<ApiClient, 'invoke'>,
  delayMs = PUBLISH_DELAY_MS,
): CustomerPublisher {
  let pending: { session: string; screen: CustomerScreen; key: string } | null = null;
  let lastSent: string | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function send() {
    timer = null;
    const next = pending;
    pending = null;
    if (!next || next.key === lastSent) return;
    lastSent = next.key;
    void client
      .invoke('customer.show', { session: next.session, screen: next.screen })
      .then((r) => {
        if (r.ok) return;
        // A refused state must not block a later identical one.
        if (lastSent === next.key) lastSent = null;
        console.info('customer display not updated', r.error.code);
      });
  }

  return {
    show(session, screen) {
      pending = { session, screen, key: JSON.stringify([session, screen]) };
      if (timer === null) timer = setTimeout(send, delayMs);
    },
    flush() {
      if (timer !== null) clearTimeout(timer);
      send();
    },
    dispose() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      pending = null;
    },
  };
}

/** The shell's publisher for the screens below it; a no-op where none is provided (tests). */
export const CustomerPublisherContext = createContext<CustomerPublisher | null>(null);
export function useCustomerPublisher(): CustomerPublisher | null {
  return useContext(CustomerPublisherContext);
}

/**
 * The payment form as the customer may see it: the amount (or the clerk's split) once it is a
 * valid amount, the cash tendered once typed, the cash part when other tenders pay the rest.
 */
export function paymentScreen(
  householdId: string,
  draft: PaymentDraft,
  cashDueFen: number | null,
): CustomerScreen {
  const screen: CustomerScreen = { phase: 'payment', householdId };
  const amount = paymentAmount(draft);
  if (amount.fen === null || amount.fen <= 0 || amount.problems.length > 0) return screen;
  if (draft.manual === null) screen.amountFen = amount.fen;
  else {
    const manual = draft.manual;
    screen.allocation = draft.seasons
      .map((s) => ({ seasonId: s.seasonId, amountFen: parseYuanToFen(manual[s.seasonId] ?? '') }))
      .filter((a): a is { seasonId: string; amountFen: number } => (a.amountFen ?? 0) > 0);
  }
  const cash = draft.tenders.find((t) => t.kind === 'cash');
  if (cash && cashDueFen !== null && cashDueFen > 0) {
    if (cashDueFen !== amount.fen) screen.cashFen = cashDueFen;
    const typed = cash.tenderedText.trim() === '' ? null : parseYuanToFen(cash.tenderedText);
    if (typed !== null && typed > 0) screen.tenderedFen = typed;
  }
  return screen;
}
