// @vitest-environment happy-dom-terminal
// The close-shift count (F8), on a real ledger: Enter moves to the next denomination and the count
// lands in the row the clerk typed in, even when the running variance crosses the approval limit;
// the fen coins (¥0.05, ¥0.02, ¥0.01) let a drawer that gave fen change match to the fen.
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clerkSession, screenProps, terminalClient } from '../support/renderer-client';
import { DENOMINATIONS_FEN } from '@heating-cashier/core/cash-count';
import { CloseShiftPage } from '../../src-renderer/features/cash/CloseShiftPage';
import { renderScreen } from '../support/render';
import {
  householdsOwing,
  openTestTerminal,
  payCash,
  tempDir,
  type TestTerminal,
} from '../support/terminal';

const FLOAT_FEN = 50_000;
const PAID_FEN = 7_811; // ¥78.11: fen change was given, so the drawer holds fen coins

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;

beforeAll(async () => {
  dir = tempDir('cash-count-');
  t = openTestTerminal(`${dir.dir}/ledger.db`, { households: 10 });
  const session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: FLOAT_FEN });
  await payCash(t, session, householdsOwing(t, PAID_FEN, 1)[0]!, PAID_FEN, 10_000);
});
afterEach(cleanup);
afterAll(() => {
  t.close();
  dir.cleanup();
});

const focusedName = () => (document.activeElement as HTMLInputElement | null)?.name;

describe('close-shift count', () => {
  it('Enter goes to the next row, the count stays where typed, and ¥578.11 counts exactly', async () => {
    const client = terminalClient(t);
    const props = screenProps(client, await clerkSession(client));
    renderScreen(<CloseShiftPage {...props} />);
    await waitFor(() => expect(focusedName()).toBe('count-10000'));
    expect(screen.getByTestId('expected-cash').textContent).toBe('¥578.11');

    // ¥578.11 = 5×¥100 + ¥50 + ¥20 + ¥5 + 3×¥1 + ¥0.1 + ¥0.01. After the ¥20 the variance (−¥8.11)
    // falls within the ¥10 limit: the cursor must not move.
    const pieces: Record<number, string> = {
      10000: '5',
      5000: '1',
      2000: '1',
      500: '1',
      100: '3',
      10: '1',
      1: '1',
    };
    const user = userEvent.setup();
    for (const [i, face] of DENOMINATIONS_FEN.entries()) {
      expect(focusedName()).toBe(`count-${face}`);
      if (pieces[face]) await user.keyboard(pieces[face]);
      expect(focusedName()).toBe(`count-${face}`);
      if (i < DENOMINATIONS_FEN.length - 1) await user.keyboard('{Enter}');
    }
    for (const face of DENOMINATIONS_FEN) {
      const input = document.querySelector<HTMLInputElement>(`input[name="count-${face}"]`);
      expect(input?.value, `¥${face / 100}`).toBe(pieces[face] ?? '');
    }
    expect(screen.getByTestId('counted-total').textContent).toBe('¥578.11');
    expect(screen.getByTestId('running-variance').textContent).toBe('¥0.00');

    await user.keyboard('{Enter}'); // on ¥0.01: to the check
    await waitFor(() =>
      expect(screen.getByTestId('close-shift').getAttribute('data-step')).toBe('review'),
    );
    expect(screen.getByTestId('review-variance').textContent).toBe('¥0.00');
  });

  it('lists the fen coins after ¥0.1 with their labels', async () => {
    const client = terminalClient(t);
    renderScreen(<CloseShiftPage {...screenProps(client, await clerkSession(client))} />);
    await waitFor(() => expect(focusedName()).toBe('count-10000'));
    const faces = [...document.querySelectorAll('[data-testid="count-table"] tbody th')].map(
      (th) => th.textContent,
    );
    expect(faces.slice(-4)).toEqual(['¥0.1', '¥0.05', '¥0.02', '¥0.01']);
  });
});
