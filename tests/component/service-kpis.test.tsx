// @vitest-environment happy-dom-terminal
// Service KPIs on the counter's screens (issue 22), on a real ledger: the rating keypad on the
// payment's success screen (F7, digits 1–5, Esc skips; a second rating is refused with a clear
// message), the overdue complaints on the start screen (keyboard-reachable, opens the household),
// and the KPI panel of a report (no ratings → no score, never 0).
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Receipt } from '../../src-renderer/app/types';
import { SuccessPage } from '../../src-renderer/features/payment/SuccessPage';
import { SearchPage } from '../../src-renderer/features/search/SearchPage';
import type { SearchState } from '../../src-renderer/app/types';
import { ServiceKpisView } from '../../src-renderer/features/service/ServiceKpisView';
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
let now = Date.parse('2026-12-07T02:00:00.000Z');

beforeAll(async () => {
  dir = tempDir('service-kpis-');
  t = openTestTerminal(`${dir.dir}/ledger.db`, { households: 10, clock: () => new Date(now) });
  const session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 0 });
});
afterEach(cleanup);
afterAll(() => {
  t.close();
  dir.cleanup();
});

const ratingsOf = (receiptId: string) =>
  t.ctx.db.prepare('SELECT score, source FROM service_ratings WHERE receipt_id = ?').all(receiptId);

async function success() {
  const client = terminalClient(t);
  const session = await clerkSession(client);
  const [h] = householdsOwing(t, 1_000);
  const paid = await payCash(t, session.token, h!, 500);
  const receipt = (await t.must('receipt.find', {
    session: session.token,
    receiptId: paid.id,
  })) as Receipt;
  const props = screenProps(client, session);
  renderScreen(<SuccessPage {...props} receipt={receipt} changeFen={0} />);
  return { receipt, props, user: userEvent.setup() };
}

describe('the rating keypad on the success screen', () => {
  it('F7 asks the customer, 4 rates the receipt (keypad), and the digits do not start a search', async () => {
    const { receipt, props, user } = await success();
    expect(screen.getByTestId('rating-offer').textContent).toContain('F7');
    await user.keyboard('{F7}');
    expect(screen.getByRole('dialog').textContent).toContain('请顾客评价 1–5');
    await user.keyboard('4');
    expect((await screen.findByTestId('rating-done')).textContent).toBe('已评价：4 分（满意）');
    expect(ratingsOf(receipt.id)).toEqual([{ score: 4, source: 'keypad' }]);
    expect(props.went).toEqual([]);
    expect(screen.queryByRole('dialog')).toBeNull();
    // Rated: F7 is gone; typing an account number starts the next search as before.
    await user.keyboard('{F7}');
    expect(screen.queryByRole('dialog')).toBeNull();
    await user.keyboard('7');
    expect(props.went).toEqual([{ name: 'search', typed: '7' }]);
  });

  it('Esc skips without rating and without leaving; a digit then starts the next search', async () => {
    const { receipt, props, user } = await success();
    await user.keyboard('{F7}');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(props.went).toEqual([]);
    expect(ratingsOf(receipt.id)).toEqual([]);
    await user.keyboard('3');
    expect(props.went).toEqual([{ name: 'search', typed: '3' }]);
    expect(ratingsOf(receipt.id)).toEqual([]);
  });

  it('a receipt already rated on the customer display: the clear message, nothing stored twice', async () => {
    const { receipt, user } = await success();
    await t.must('service.rate', {
      session: await t.login(),
      receiptId: receipt.id,
      score: 5,
      source: 'display',
    });
    await user.keyboard('{F7}');
    await user.keyboard('2');
    expect((await screen.findByTestId('error')).textContent).toContain('已评价过');
    expect(ratingsOf(receipt.id)).toEqual([{ score: 5, source: 'display' }]);
  });
});

describe('overdue complaints on the start screen', () => {
  it('lists the complaints unanswered after 24 h; Tab reaches one and Enter opens the household', async () => {
    const client = terminalClient(t);
    const before = await t.login();
    const [a, b] = householdsOwing(t, 0, 2);
    const old = await t.must('service.complaint', {
      session: before,
      householdId: a,
      category: 'not_warm',
      text: '室温低',
    });
    now += 2 * 60 * 60 * 1000;
    await t.must('service.complaint', {
      session: before,
      householdId: b,
      category: 'noise',
      text: '噪音',
    });
    now += 23 * 60 * 60 * 1000; // the first is 25 h old, the second 23 h
    const session = await clerkSession(client);
    const props = screenProps(client, session);
    let state: SearchState = { query: '', shownFor: null, results: [], selected: 0 };
    renderScreen(
      <SearchPage
        {...props}
        state={state}
        setState={(u) => {
          state = u(state);
        }}
      />,
    );
    const list = await screen.findByTestId('overdue-complaints');
    expect(list.textContent).toContain('超过 24 小时未答复的投诉（1）');
    const items = screen.getAllByTestId('overdue-complaint');
    expect(items).toHaveLength(1);
    expect(items[0]!.textContent).toContain('已超时 1 小时');
    const user = userEvent.setup();
    await user.tab();
    await waitFor(() => expect(document.activeElement).toBe(items[0]));
    await user.keyboard('{Enter}');
    expect(props.went).toEqual([{ name: 'account', householdId: a }]);
    // Answered (its first status change): no longer overdue.
    await t.must('service.complaintStatus', {
      session: session.token,
      complaintId: old.id,
      status: 'in_progress',
      note: '已派人',
    });
    const after = await client.invoke('service.overdueComplaints', {
      session: session.token,
      limit: 3,
    });
    expect(after.ok && after.value.total).toBe(0);
  });
});

describe('the KPI panel of a report', () => {
  it('shows no score without ratings (not 0), and the figures with their targets', async () => {
    const session = await t.login();
    const daily = await t.must('report.daily', { session, businessDate: '2026-12-08' });
    renderScreen(<ServiceKpisView kpis={daily.serviceKpis} testId="kpis" />);
    expect(screen.getByTestId('kpis-satisfaction').textContent).toBe('无评价');
    cleanup();
    now += 2 * 60 * 60 * 1000; // the second complaint is now 25 h old, unanswered
    const month = await t.must('report.monthly', { session: await t.login(), month: '2026-12' });
    renderScreen(<ServiceKpisView kpis={month.serviceKpis} testId="kpis" />);
    const sat = month.serviceKpis.satisfaction;
    expect(sat.ratings).toBe(2);
    // 4 (80) and 5 (100) → 90.0 points: the target is met
    expect(screen.getByTestId('kpis-satisfaction').textContent).toBe('90.0 分（2 条评价） 达标');
    expect(screen.getByTestId('kpis-errors').textContent).toMatch(
      /^0\.00%（作废 0，废票 0，补打 0/,
    );
    expect(screen.getByTestId('kpis-complaints').textContent).toContain('受理 2');
    expect(screen.getByTestId('kpis-areas').textContent).toContain('‰');
    const overdue = screen.getByTestId('kpis-overdue');
    expect(overdue.querySelectorAll('tbody tr')).toHaveLength(1);
    expect(overdue.textContent).toContain(month.serviceKpis.complaints.overdueList[0]!.accountNo);
  });
});
