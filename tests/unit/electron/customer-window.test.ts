// The Electron customer window's decidable parts (issue 22): which display it goes on, its options,
// the page it loads, and that the window's IPC connection, bound by the shell, is a customer display
// (gets the view and may rate; every clerk command refused) without any pairing code.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src-main/api/dispatch';
import {
  CUSTOMER_ENTRY_URL,
  chooseCustomerDisplay,
  customerDisplaySetting,
  customerWindowOptions,
  windowConnection,
  type DisplayInfo,
} from '../../../src-main/electron/customer-window';
import { createIpcHandler } from '../../../src-main/electron/ipc';
import { isAllowedNavigation, windowOptions } from '../../../src-main/electron/security';
import { openTestTerminal, tempDir, type TestTerminal } from '../../support/terminal';

const display = (id: number, x: number, extra: Partial<DisplayInfo> = {}): DisplayInfo => ({
  id,
  bounds: { x, y: 0, width: 1920, height: 1080 },
  ...extra,
});

describe('the customer window’s display', () => {
  it('is none with one display, the other one with two', () => {
    expect(chooseCustomerDisplay([display(1, 0)], 1)).toBeNull();
    expect(chooseCustomerDisplay([], 1)).toBeNull();
    expect(chooseCustomerDisplay([display(1, 0), display(2, 1920)], 1)?.id).toBe(2);
    // The primary is not always the left one.
    expect(chooseCustomerDisplay([display(1, 0), display(2, -1920)], 2)?.id).toBe(1);
  });

  it('prefers the configured display, then an external one, then the leftmost other', () => {
    const three = [display(1, 0), display(2, 1920, { internal: true }), display(3, 3840)];
    expect(chooseCustomerDisplay(three, 1)?.id).toBe(3);
    expect(chooseCustomerDisplay(three, 1, 2)?.id).toBe(2);
    // A preferred display that is gone, or is the clerk's own, does not count.
    expect(chooseCustomerDisplay(three, 1, 9)?.id).toBe(3);
    expect(chooseCustomerDisplay(three, 1, 1)?.id).toBe(3);
    expect(chooseCustomerDisplay([display(1, 0), display(5, 1920), display(4, 3840)], 1)?.id).toBe(
      5,
    );
    expect(
      chooseCustomerDisplay([display(1, 0), display(2, 1920, { internal: true })], 1)?.id,
    ).toBe(2);
  });

  it('reads CASHIER_CUSTOMER_DISPLAY: off, an id, or automatic', () => {
    expect(customerDisplaySetting(undefined)).toBeNull();
    expect(customerDisplaySetting('')).toBeNull();
    expect(customerDisplaySetting('OFF')).toBe('off');
    expect(customerDisplaySetting('2528732444')).toBe(2528732444);
    expect(customerDisplaySetting('second')).toBeNull();
  });
});

describe('the customer window', () => {
  it('covers its display full screen, without frame or focus, with the clerk window’s isolation', () => {
    const o = customerWindowOptions(
      { id: 2, bounds: { x: 1920, y: 0, width: 1024, height: 600 } },
      { preload: '/app/preload.cjs', devTools: false },
    );
    expect(o).toMatchObject({
      x: 1920,
      y: 0,
      width: 1024,
      height: 600,
      fullscreen: true,
      frame: false,
      focusable: false,
      show: false,
    });
    expect(o.webPreferences).toEqual(
      windowOptions({ preload: '/app/preload.cjs', devTools: false }).webPreferences,
    );
    expect('minWidth' in o).toBe(false);
  });

  it('loads the app’s own customer page', () => {
    expect(CUSTOMER_ENTRY_URL).toBe('app://cashier/index.html#customer');
    expect(isAllowedNavigation(CUSTOMER_ENTRY_URL)).toBe(true);
  });
});

describe('the bound window over IPC', () => {
  let dir: ReturnType<typeof tempDir>;
  let t: TestTerminal;
  beforeAll(() => {
    dir = tempDir();
    t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 5 });
  });
  afterAll(() => {
    t.close();
    dir.cleanup();
  });

  it('is a customer display without a code: the view yes, clerk commands no', async () => {
    const handler = createIpcHandler({
      dispatch: (name, input, connection) => dispatch(t.ctx, name, input, () => {}, { connection }),
    });
    const frame = { url: 'app://cashier/index.html#customer', parent: null };
    const customer = { senderFrame: frame, sender: { id: 7 } };
    const clerk = { senderFrame: { ...frame, url: 'app://cashier/index.html' }, sender: { id: 3 } };
    // Before the shell binds it, the window is an ordinary (clerk) window.
    const before = await handler(customer, { name: 'customer.current', input: {} });
    expect(!before.ok && before.error.code).toBe('CUSTOMER_NOT_PAIRED');
    t.ctx.runtime.customer.bind(windowConnection(7));
    const view = await handler(customer, { name: 'customer.current', input: {} });
    expect(view.ok).toBe(true);
    const login = await handler(customer, {
      name: 'session.login',
      input: { clerkCode: '1001', pin: '123456' },
    });
    expect(!login.ok && login.error.code).toBe('CUSTOMER_DISPLAY_ONLY');
    // The clerk's window is not affected.
    expect((await handler(clerk, { name: 'terminal.info', input: {} })).ok).toBe(true);
  });
});
