import { useCallback, useState } from 'react';
import type { ClientError, ClientResult } from '../api/client';

export function isSessionLost(e: ClientError): boolean {
  return e.code === 'NOT_LOGGED_IN';
}

/**
 * A screen's commands: `fail` sends a lost session back to login and shows any other error (until
 * `setError(null)`); `take` hands a result's value on and clears the error, or fails; `run` sends
 * one command with `busy` set meanwhile and resolves to its value, or to null once failed (and
 * `failed` has seen the error).
 */
export function useCommand(sessionLost: () => void) {
  const [error, setError] = useState<ClientError | null>(null);
  const [busy, setBusy] = useState(false);
  const fail = useCallback(
    (e: ClientError) => (isSessionLost(e) ? sessionLost() : setError(e)),
    [sessionLost],
  );
  const take = useCallback(
    <T>(r: ClientResult<T>, use: (value: T) => void) => {
      if (!r.ok) return fail(r.error);
      setError(null);
      use(r.value);
    },
    [fail],
  );
  const run = useCallback(
    async <T>(
      send: () => Promise<ClientResult<T>>,
      failed?: (e: ClientError) => void,
    ): Promise<T | null> => {
      setBusy(true);
      const r = await send();
      setBusy(false);
      if (r.ok) return r.value;
      fail(r.error);
      failed?.(r.error);
      return null;
    },
    [fail],
  );
  return { error, setError, fail, take, busy, run };
}
