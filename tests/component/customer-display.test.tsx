// @vitest-environment happy-dom-terminal
// The customer display page on a real ledger, as the Electron customer window runs it: bound by the
// shell (no code), fed by the push bus, rating through the command table. Views in order only (an
// older version never replaces a newer one), the rating stored for the receipt, and nothing of the
// previous customer once the clerk moves on.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerView } from '@heating-cashier/core/contract/customer-view';
import { formatFen } from '@heating-cashier/core/money';
import { dispatch } from '../../src-main/api/dispatch';
import { maskName } from '../../src-main/features/customer/customer-view';
import { createBridgeClient } from '../../src-renderer/api/client';
import { CustomerApp } from '../../src-renderer/features/customer/CustomerApp';
import { renderScreen } from '../support/render';
import '../support/renderer-client';
import { householdsOwing, openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let session: string;
const WINDOW = 'window:9';

beforeAll(async () => {
  dir = tempDir('customer-display-');
  t = openTestTerminal(`${dir.dir}/ledger.db`, { households: 12 });
  session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 10_000 });
  t.ctx.runtime.customer.bind(WINDOW);
});
afterEach(cleanup);
afterAll(() => {
  t.close();
  dir.cleanup();
});

/** The customer window's client: its own connection, and the push events the shell forwards. */
function displayClient() {
  return createBridgeClient({
    invoke: (name, input) => dispatch(t.ctx, name, input, () => {}, { connection: WINDOW }),
    on: (event, listener) =>
      t.ctx.runtime.push.subscribe((e, data) => {
        if (e === event) listener(data);
      }),
  });
}
const phase = () => screen.getByTestId('customer-display').getAttribute('data-phase');

describe('customer display page', () => {
  it('follows the clerk, ignores an older view, rates, and never shows the previous customer', async () => {
    const [a, b] = householdsOwing(t, 10_000);
    const first = await t.must('household.account', { session, householdId: a });
    const second = await t.must('household.account', { session, householdId: b });
    renderScreen(<CustomerApp client={displayClient()} bound />);
    await screen.findByTestId('cd-welcome');

    await t.must('customer.show', { session, screen: { phase: 'account', householdId: a } });
    await waitFor(() =>
      expect(screen.getByTestId('cd-name').textContent).toBe(maskName(first.household.name)),
    );
    expect(screen.getByTestId('cd-owed').textContent).toBe(formatFen(first.owedFen));

    // A late, older view (lower version) does not replace what is shown.
    const shown = t.ctx.runtime.customer.lastView(Date.now()) as CustomerView;
    await act(async () => {
      t.ctx.runtime.push.publish('customer.view', {
        ...shown,
        version: shown.version - 1,
        householdNameMasked: '旧*人',
      });
      await Promise.resolve();
    });
    expect(screen.getByTestId('cd-name').textContent).toBe(maskName(first.household.name));

    const amountFen = first.owedFen;
    const receipt = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: a,
      amountFen,
      tenders: [{ kind: 'cash', amountFen, tenderedFen: amountFen + 1_000 }],
    });
    await t.must('customer.show', {
      session,
      screen: { phase: 'paid', householdId: a, receiptId: receipt.id },
    });
    await waitFor(() => expect(phase()).toBe('paid'));
    expect(screen.getByTestId('cd-change').textContent).toBe(formatFen(1_000));
    expect(screen.getByTestId('cd-receipt').textContent).toBe(receipt.receiptLabel);
    fireEvent.click(screen.getByRole('button', { name: '满意' }));
    await screen.findByTestId('cd-thanks');
    const row = t.ctx.db
      .prepare('SELECT score, source FROM service_ratings WHERE receipt_id = ?')
      .get(receipt.id);
    expect(row).toEqual({ score: 4, source: 'display' });

    // The next customer: only the new household, nothing of the one before.
    await t.must('customer.show', { session, screen: { phase: 'account', householdId: b } });
    await waitFor(() =>
      expect(screen.getByTestId('cd-name').textContent).toBe(maskName(second.household.name)),
    );
    const text = document.body.textContent ?? '';
    expect(text).not.toContain(maskName(first.household.name));
    expect(text).not.toContain(receipt.receiptLabel);
    await t.must('customer.show', { session, screen: { phase: 'idle' } });
    await screen.findByTestId('cd-welcome');
    expect(document.body.textContent).not.toContain(maskName(second.household.name));
  });
});
