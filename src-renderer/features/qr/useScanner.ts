// The payment screen's ear for the barcode scanner: every keydown goes through the pure detector
// (scanner.ts) before any field sees it; a burst that ends in a payment code swallows its Enter and
// hands the screen the code plus the snapshot taken before the burst's first digit (to undo it).
import { useEffect, useRef } from 'react';
import type { QrProvider } from '@heating-cashier/core/payment-code';
import { createScanDetector, type ScannerOptions } from './scanner';

export interface Scan<S> {
  code: string;
  provider: QrProvider;
  before: S;
}

export function usePaymentCodeScanner<S>({
  snapshot,
  onScan,
  options,
}: {
  /** The screen's state before a burst (read at each possible burst's first digit). */
  snapshot: () => S;
  onScan(scan: Scan<S>): void;
  options?: ScannerOptions;
}) {
  const latest = useRef({ snapshot, onScan });
  latest.current = { snapshot, onScan };
  const maxGapMs = options?.maxGapMs;
  const minDigits = options?.minDigits;
  useEffect(() => {
    const detector = createScanDetector<S>({
      ...(maxGapMs !== undefined ? { maxGapMs } : {}),
      ...(minDigits !== undefined ? { minDigits } : {}),
    });
    const onKey = (e: KeyboardEvent) => {
      if (e.isComposing || e.ctrlKey || e.altKey || e.metaKey) {
        detector.reset();
        return;
      }
      if (e.repeat) return;
      // The event's own time: when the scanner's key came, even if the page was busy rendering
      // the previous one (keys wait in the queue; their timestamps do not).
      const time = e.timeStamp > 0 ? e.timeStamp : performance.now();
      const step = detector.key({ key: e.key, time }, () => latest.current.snapshot());
      if (step.kind !== 'scan') return;
      // The scanner's Enter: not the form's submit, not a key of the screen.
      e.preventDefault();
      e.stopImmediatePropagation();
      latest.current.onScan({ code: step.code, provider: step.provider, before: step.before });
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [maxGapMs, minDigits]);
}
