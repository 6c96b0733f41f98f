// "Look for payments left without a confirmed outcome now": the payment screen raises it after an
// unknown card or QR outcome; the recovery dialogs (CardRecovery, QrRecovery) listen. A module-level
// signal keeps the screens apart; each dialog asks its own `*.pending` and opens only if it has some.
const listeners = new Set<() => void>();

export function requestRecoveryCheck(): void {
  for (const l of [...listeners]) l();
}

export function onRecoveryCheck(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
