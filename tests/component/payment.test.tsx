// @vitest-environment happy-dom-terminal
// The payment screen and its tender editor on a real ledger: the first tender's kind is reachable
// from the keyboard (Tab from "cash tendered"), Shift+Tab from the cash still goes to the amount,
// and cash turned into card keeps the cursor on the kind (also when the kind changes while an earlier
// render's effects are pending) and takes the amount due.
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fenToInput, formatFen } from '@heating-cashier/core/money';
import type { Account, Screen } from '../../src-renderer/app/types';
import { PaymentPage } from '../../src-renderer/features/payment/PaymentPage';
import { renderScreen } from '../support/render';
import type { ApiClient } from '../../src-renderer/api/client';
import { clerkSession, screenProps, terminalClient } from '../support/renderer-client';
import { householdsOwing, openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let householdIds: string[];

beforeAll(async () => {
  dir = tempDir('payment-screen-');
  t = openTestTerminal(`${dir.dir}/ledger.db`, { households: 12 });
  const session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 10_000 });
  householdIds = householdsOwing(t, 10_000, 3);
});
afterEach(cleanup);
afterAll(() => {
  t.close();
  dir.cleanup();
});

const focused = () => (document.activeElement as HTMLInputElement | null)?.name;
const field = <E extends Element = HTMLInputElement>(name: string) => {
  const el = document.querySelector<E>(`[name="${name}"]`);
  if (!el) throw new Error(`no field ${name}`);
  return el;
};

async function paymentScreen(householdId: string, client = terminalClient(t)) {
  const session = await clerkSession(client);
  const r = await client.invoke('household.account', { session: session.token, householdId });
  if (!r.ok) throw new Error(r.error.code);
  const account: Account = r.value;
  const props = screenProps(client, session);
  renderScreen(<PaymentPage {...props} account={account} setBusy={() => {}} />);
  await waitFor(() => expect(focused()).toBe('tender-1-tendered'));
  return { account, went: props.went, user: userEvent.setup() };
}

describe('tender editor keyboard', () => {
  it('Tab from "cash tendered" reaches the first tender\'s kind; Shift+Tab still goes to the amount', async () => {
    const { user } = await paymentScreen(householdIds[0]!);
    await user.tab();
    expect(focused()).toBe('tender-1-kind');
    expect(field<HTMLSelectElement>('tender-1-kind').value).toBe('cash');
    await user.tab({ shift: true });
    expect(focused()).toBe('tender-1-tendered');
    await user.tab({ shift: true });
    expect(focused()).toBe('amount');
  });

  it('cash turned into card: the cursor stays on the kind, the card takes the amount due, Enter pays', async () => {
    const { account, went, user } = await paymentScreen(householdIds[1]!);
    await user.tab();
    await user.selectOptions(field<HTMLSelectElement>('tender-1-kind'), 'card');
    await waitFor(() => expect(field('tender-1-amount').value).toBe(fenToInput(account.owedFen)));
    await waitFor(() => expect(focused()).toBe('tender-1-kind'));
    expect(screen.queryByTestId('cash-due')).toBeNull();
    await user.tab(); // the amount (already the whole balance)
    await user.tab(); // the slip reference
    expect(focused()).toBe('tender-1-ref');
    await user.keyboard('POS000777{Enter}');
    await waitFor(() => expect(went.at(-1)?.name).toBe('success'));
    const receipt = (went.at(-1) as Extract<Screen, { name: 'success' }>).receipt;
    expect(receipt.totalFen).toBe(account.owedFen);
    expect(receipt.tenders).toEqual([
      expect.objectContaining({ kind: 'card', amountFen: account.owedFen }),
    ]);
    expect(formatFen(receipt.totalFen)).toBe(formatFen(account.owedFen));
  });

  it("a kind change handled while an earlier render's effects are still pending keeps the cursor on the kind", async () => {
    // The allocation preview answers in its own render, outside any key press: its effects run a
    // moment after its commit. The kind is changed in that moment, so the preview's effects run after
    // the change was asked for but before the change is rendered. (They used to take the focus
    // request and put the cursor on the cash row's select, which the change then removed.)
    // The preview's answers are held until the cursor is on the kind, so the moment is the test's.
    let release = () => {};
    let held: Promise<void> | null = null;
    const real = terminalClient(t);
    const client: ApiClient = {
      ...real,
      invoke: async (name, input, options) => {
        if (name === 'payment.preview' && held) await held;
        return real.invoke(name, input, options);
      },
    };
    const { user } = await paymentScreen(householdIds[2]!, client);
    held = new Promise<void>((resolve) => (release = resolve));
    await user.clear(field('amount'));
    await user.type(field('amount'), '1');
    await user.tab();
    await user.tab();
    expect(focused()).toBe('tender-1-kind');
    const select = field<HTMLSelectElement>('tender-1-kind');
    const table = document.querySelector('tbody');
    if (!table) throw new Error('no allocation table');
    const changed = new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        observer.disconnect();
        select.value = 'card';
        select.dispatchEvent(new Event('change', { bubbles: true }));
        resolve();
      });
      observer.observe(table, { subtree: true, childList: true, characterData: true });
    });
    release();
    await changed;
    await waitFor(() => expect(field('tender-1-amount')).toBeTruthy());
    await waitFor(() => expect(focused()).toBe('tender-1-kind'));
    expect(field<HTMLSelectElement>('tender-1-kind').value).toBe('card');
  });
});
