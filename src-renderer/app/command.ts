import { useCallback, useState } from 'react';
import type { ClientError, ClientResult } from '../api/client';

export function isSessionLost(e: ClientError): boolean {
  return e.code === 'NOT_LOGGED_IN';
}

/**
 * A screen's commands: `fail` sends a lost session back to login and shows any other error (until
 * `setError(null)`); `run` sends one command with `busy` set meanwhile and resolves to its value,
 * or to null once `fail` has taken the error.
 */
export function useCommand(sessionLost: () => void) {
  const [error, setError] = useState<ClientError | null>(null);
  const [busy, setBusy] = useState(false);
  const fail = useCallback(
    (e: ClientError) => (isSessionLost(e) ? sessionLost() : setError(e)),
    [sessionLost],
  );
  const run = useCallback(
    async <T>(send: () => Promise<ClientResult<T>>): Promise<T | null> => {
      setBusy(true);
      const r = await send();
      setBusy(false);
      if (r.ok) return r.value;
      fail(r.error);
      return null;
    },
    [fail],
  );
  return { error, setError, fail, busy, run };
}
