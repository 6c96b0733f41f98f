import { useCallback, useState } from 'react';
import type { ClientError } from '../api/client';

export function isSessionLost(e: ClientError): boolean {
  return e.code === 'NOT_LOGGED_IN';
}

/**
 * The error a screen shows for its commands. `fail` sends a lost session back to login and shows
 * anything else; `setError(null)` clears it once a command succeeds.
 */
export function useCommandError(sessionLost: () => void) {
  const [error, setError] = useState<ClientError | null>(null);
  const fail = useCallback(
    (e: ClientError) => (isSessionLost(e) ? sessionLost() : setError(e)),
    [sessionLost],
  );
  return { error, setError, fail };
}
