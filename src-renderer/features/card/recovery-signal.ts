// "Look for unconfirmed card payments now": the payment screen raises it after an unknown outcome;
// the recovery dialog (CardRecovery) listens. A module-level signal keeps the two screens apart.
const listeners = new Set<() => void>();

export function requestCardRecoveryCheck(): void {
  for (const l of [...listeners]) l();
}

export function onCardRecoveryCheck(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
