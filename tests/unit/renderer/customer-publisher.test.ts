// The clerk's side of the customer display (issue 22): the payment form as the customer may see it
// (paymentScreen), and the publisher that sends it to main: one call per pause (debounced), never
// twice the same state, a refused state logged and forgotten. Real dispatch on a real ledger through
// the renderer's bridge client; the views main publishes are read from its push bus.
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CustomerView } from '@heating-cashier/core/contract/customer-view';
import { dispatch } from '../../../src-main/api/dispatch';
import { createBridgeClient } from '../../../src-renderer/api/client';
import {
  createCustomerPublisher,
  paymentScreen,
  PUBLISH_DELAY_MS,
} from '../../../src-renderer/features/customer/publisher';
import { newTender, type PaymentDraft } from '../../../src-renderer/features/payment/payment-model';
import {
  householdsOwing,
  openTestTerminal,
  tempDir,
  type TestTerminal,
} from '../../support/terminal';

const seasons = [
  { seasonId: 'S2025', seasonCode: '2025-2026', balanceFen: 10_000 },
  { seasonId: 'S2026', seasonCode: '2026-2027', balanceFen: 20_000 },
];
function draft(change: Partial<PaymentDraft> = {}): PaymentDraft {
  return {
    owedFen: 30_000,
    seasons,
    amountText: '300',
    manual: null,
    tenders: [newTender('cash')],
    ...change,
  };
}

describe('paymentScreen', () => {
  it('sends the amount once valid, the tendered cash once typed', () => {
    expect(paymentScreen('H1', draft(), 30_000)).toEqual({
      phase: 'payment',
      householdId: 'H1',
      amountFen: 30_000,
    });
    const cash = { ...newTender('cash'), tenderedText: '400' };
    expect(paymentScreen('H1', draft({ tenders: [cash] }), 30_000)).toEqual({
      phase: 'payment',
      householdId: 'H1',
      amountFen: 30_000,
      tenderedFen: 40_000,
    });
  });

  it('sends no amount while the amount is not one that can be taken', () => {
    for (const amountText of ['', '3OO', '0', '300.01'])
      expect(paymentScreen('H1', draft({ amountText }), null)).toEqual({
        phase: 'payment',
        householdId: 'H1',
      });
  });

  it('sends the clerk’s split as the allocation, and the cash part of a split tender', () => {
    const manual = { S2025: '', S2026: '150' };
    const card = { ...newTender('card'), amountText: '100' };
    const cash = { ...newTender('cash'), tenderedText: '100' };
    expect(paymentScreen('H1', draft({ manual, tenders: [card, cash] }), 5_000)).toEqual({
      phase: 'payment',
      householdId: 'H1',
      allocation: [{ seasonId: 'S2026', amountFen: 15_000 }],
      cashFen: 5_000,
      tenderedFen: 10_000,
    });
  });
});

describe('createCustomerPublisher', () => {
  let dir: ReturnType<typeof tempDir>;
  let t: TestTerminal;
  let session: string;
  let household: string;
  const views: CustomerView[] = [];
  let calls = 0;

  beforeAll(async () => {
    dir = tempDir();
    t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 10 });
    session = await t.login();
    household = householdsOwing(t, 1_000)[0]!;
    t.ctx.runtime.push.subscribe((event, data) => {
      if (event === 'customer.view') views.push(data as CustomerView);
    });
  });
  afterAll(() => {
    t.close();
    dir.cleanup();
  });
  beforeEach(() => {
    views.length = 0;
    vi.useFakeTimers();
  });

  const client = () =>
    createBridgeClient({
      invoke: (name, input) => {
        calls++;
        return dispatch(t.ctx, name, input, () => {});
      },
    });

  it('sends the last state after a pause, once, and never the same state twice', async () => {
    const publisher = createCustomerPublisher(client());
    calls = 0;
    publisher.show(session, { phase: 'account', householdId: household });
    publisher.show(session, { phase: 'payment', householdId: household });
    publisher.show(session, { phase: 'payment', householdId: household, amountFen: 100 });
    expect(calls).toBe(0); // nothing on the keystroke itself
    await vi.advanceTimersByTimeAsync(PUBLISH_DELAY_MS);
    expect(calls).toBe(1);
    expect(views.map((v) => [v.phase, v.amountFen])).toEqual([['payment', 100]]);
    publisher.show(session, { phase: 'payment', householdId: household, amountFen: 100 });
    await vi.advanceTimersByTimeAsync(PUBLISH_DELAY_MS);
    expect(calls).toBe(1);
    // flush: at once (before log-out).
    publisher.show(session, { phase: 'idle' });
    publisher.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(2);
    expect(views.at(-1)?.phase).toBe('idle');
    vi.useRealTimers();
  });

  it('a refused state is logged, publishes nothing, and may be sent again', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const publisher = createCustomerPublisher(client());
    calls = 0;
    const bad = { phase: 'account', householdId: 'H-none' } as const;
    publisher.show(session, bad);
    await vi.advanceTimersByTimeAsync(PUBLISH_DELAY_MS);
    expect(views).toEqual([]);
    expect(info).toHaveBeenCalledWith('customer display not updated', 'HOUSEHOLD_NOT_FOUND');
    publisher.show(session, bad);
    await vi.advanceTimersByTimeAsync(PUBLISH_DELAY_MS);
    expect(calls).toBe(2);
    info.mockRestore();
    vi.useRealTimers();
  });
});
