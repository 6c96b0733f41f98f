// Component tests talk to a real terminal: the renderer's own bridge client (the one the Electron
// preload uses) whose `invoke` goes through the command table's dispatch on a SQLite ledger file.
// Test files using it run in `// @vitest-environment happy-dom-terminal` (happy-dom, Node transforms).
import { configure } from '@testing-library/react';
import { dispatch } from '../../src-main/api/dispatch';
import { createBridgeClient, type ApiClient } from '../../src-renderer/api/client';
import type { ScreenProps, Screen, Session } from '../../src-renderer/app/types';
import type { TestTerminal } from './terminal';

// A command on the ledger (signing, projections) can take seconds on a loaded machine: findBy…
// and waitFor wait up to 15 s for what the screen must show (the default is 1 s).
configure({ asyncUtilTimeout: 15_000 });

export function terminalClient(t: TestTerminal): ApiClient {
  return createBridgeClient({ invoke: (name, input) => dispatch(t.ctx, name, input) });
}

/** A clerk logged in over the client, as the shell's session. */
export async function clerkSession(
  client: ApiClient,
  clerkCode = '1001',
  pin = '123456',
): Promise<Session> {
  const r = await client.invoke('session.login', { clerkCode, pin });
  if (!r.ok) throw new Error(`login failed: ${r.error.code}`);
  const { session, clerk, openShift, book } = r.value;
  return { token: session, clerk, shift: openShift, book };
}

/** The props the shell gives a screen; `went` records where the screen sent the clerk. */
export function screenProps(
  client: ApiClient,
  session: Session,
): ScreenProps & { went: Screen[]; lost: number } {
  const went: Screen[] = [];
  const props = {
    client,
    session,
    status: null,
    went,
    lost: 0,
    go: (s: Screen) => void went.push(s),
    refresh: () => Promise.resolve(),
    sessionLost: () => {
      props.lost += 1;
    },
  };
  return props;
}
