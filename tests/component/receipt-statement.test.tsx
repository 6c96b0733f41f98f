// @vitest-environment happy-dom-terminal
// The receipt screen prints again the written statement of a voided receipt (issue 21: 一式四份),
// by F7, on a real ledger; a valid receipt offers no statement.
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReceiptPage } from '../../src-renderer/features/receipts/ReceiptPage';
import { printJobsOf } from '../../src-main/features/printing/print-jobs.store';
import { renderScreen } from '../support/render';
import { clerkSession, screenProps, terminalClient } from '../support/renderer-client';
import {
  householdsOwing,
  openTestTerminal,
  payCash,
  tempDir,
  type TestTerminal,
} from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let api: string;

beforeAll(async () => {
  dir = tempDir('receipt-statement-');
  t = openTestTerminal(`${dir.dir}/ledger.db`, { households: 10 });
  api = await t.login();
  await t.must('shift.open', { session: api, openingFloatFen: 0 });
});
afterEach(cleanup);
afterAll(() => {
  t.close();
  dir.cleanup();
});

const statements = (receiptId: string) =>
  printJobsOf(t.ctx.db, receiptId).filter((j) => j.template === 'void-statement');

async function receiptScreen(receiptId: string) {
  const client = terminalClient(t);
  const props = screenProps(client, await clerkSession(client));
  renderScreen(
    <ReceiptPage {...props} receiptId={receiptId} back={{ name: 'search' }} setBusy={() => {}} />,
  );
  await waitFor(() => expect(screen.getByTestId('receipt-preview')).toBeTruthy());
  return userEvent.setup();
}

describe('the written statement from the receipt screen', () => {
  it('F7 on a voided receipt queues its four copies again, marked 补打', async () => {
    const [householdId] = householdsOwing(t, 5_000, 1);
    const r = await payCash(t, api, householdId!, 5_000);
    await t.must('receipt.void', {
      session: api,
      receiptId: r.id,
      reason: '收错户',
      supervisorCode: '9001',
      supervisorPin: '888888',
    });
    expect(statements(r.id)).toHaveLength(4);
    const user = await receiptScreen(r.id);
    await user.keyboard('{F7}');
    await waitFor(() =>
      expect(screen.getByTestId('receipt-done').textContent).toContain('一式 4 份'),
    );
    const again = statements(r.id).slice(4);
    expect(again.map((j) => j.label)).toEqual(
      ['第一份 收费员自留', '第二份 报财务部', '第三份 报供热台账', '第四份 报供热组长'].map(
        (h) => `${r.receiptLabel} 作废说明 ${h} 补打`,
      ),
    );
  });

  it('a valid receipt: F7 does nothing', async () => {
    const [, householdId] = householdsOwing(t, 5_000, 2);
    const r = await payCash(t, api, householdId!, 5_000);
    const user = await receiptScreen(r.id);
    await user.keyboard('{F7}');
    expect(statements(r.id)).toEqual([]);
    expect(screen.queryByTestId('receipt-done')).toBeNull();
  });
});
