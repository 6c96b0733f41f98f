// @vitest-environment happy-dom-terminal
// Opening a shift, on a real ledger: the search screen comes only once the shell has the new shift
// in its session, so F2 pressed at once there is Search (with no shift in the session F2 means
// 开班 and would send the clerk back to this screen: seen in the Chromium day test on a loaded machine).
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clerkSession, screenProps, terminalClient } from '../support/renderer-client';
import { OpenShiftPage } from '../../src-renderer/features/shift/OpenShiftPage';
import { renderScreen } from '../support/render';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;

beforeAll(() => {
  dir = tempDir('open-shift-');
  t = openTestTerminal(`${dir.dir}/ledger.db`, { households: 3 });
});
afterEach(cleanup);
afterAll(() => {
  t.close();
  dir.cleanup();
});

describe('open shift', () => {
  it('goes to the search screen only after the shell has re-read the shift', async () => {
    const client = terminalClient(t);
    const session = await clerkSession(client);
    expect(session.shift).toBeNull();
    const props = screenProps(client, session);
    let reread: () => void = () => {};
    let rereads = 0;
    props.refresh = () => {
      rereads += 1;
      return new Promise<void>((resolve) => {
        reread = resolve;
      });
    };
    renderScreen(<OpenShiftPage {...props} logout={() => {}} />);
    const user = userEvent.setup();
    await user.type(await screen.findByRole('textbox'), '200{Enter}');

    await waitFor(() => expect(rereads).toBe(1));
    const shift = await client.invoke('shift.current', { session: session.token });
    expect(shift.ok && shift.value.shift?.openingFloatFen).toBe(20_000);
    expect(props.went).toEqual([]); // still waiting for the shell's session to hold the shift
    reread();
    await waitFor(() => expect(props.went).toEqual([{ name: 'search' }]));
  });
});
