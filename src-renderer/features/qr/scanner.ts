// A USB barcode scanner is a keyboard: it "types" the customer's payment code (付款码) as a burst of
// digit keys a few milliseconds apart, then Enter. A person types the same digits 100 ms or more
// apart. This pure detector tells the two apart from key names and timestamps only (no DOM, no
// clock of its own): the payment screen feeds it every keydown and, when a burst ends in a payment
// code, starts the QR sale and undoes what the burst typed into the focused field.
import { paymentCodeProvider, type QrProvider } from '@heating-cashier/core/payment-code';

export interface ScannerOptions {
  /** The longest gap between two keys of one burst (scanners: 1–20 ms; people: 80 ms and more). */
  maxGapMs?: number;
  /** The fewest digits a payment code has (Alipay's shortest is 16). */
  minDigits?: number;
}

export const SCANNER_MAX_GAP_MS = 50;
export const SCANNER_MIN_DIGITS = 16;

/** One keydown: its `key` (KeyboardEvent.key) and when it came (ms, any monotonic clock). */
export interface ScanKey {
  key: string;
  time: number;
}

/**
 * What a key means:
 * - `pass`: not part of a burst (a person typing, a function key): let it do what it does;
 * - `burst`: a digit that starts (`start`) or continues a possible burst;
 * - `scan`: Enter ending a burst that is a payment code: swallow the Enter, undo the burst (`before`
 *   is the snapshot taken at its first digit) and start the sale;
 * - `notScan`: Enter after a fast burst that is not a payment code (an account no. scanned, a
 *   code cut short): let it do what it does.
 */
export type ScanStep<S> =
  | { kind: 'pass' }
  | { kind: 'burst'; start: boolean; digits: number }
  | { kind: 'scan'; code: string; provider: QrProvider; before: S }
  | { kind: 'notScan'; digits: number };

export interface ScanDetector<S> {
  /** Feeds one keydown; `snapshot` is called only at a burst's first digit (before it lands). */
  key(e: ScanKey, snapshot: () => S): ScanStep<S>;
  reset(): void;
}

export function createScanDetector<S = undefined>(options: ScannerOptions = {}): ScanDetector<S> {
  const maxGap = options.maxGapMs ?? SCANNER_MAX_GAP_MS;
  const minDigits = options.minDigits ?? SCANNER_MIN_DIGITS;
  let digits = '';
  let last = Number.NEGATIVE_INFINITY;
  let before: { value: S } | null = null;
  const reset = () => {
    digits = '';
    last = Number.NEGATIVE_INFINITY;
    before = null;
  };
  return {
    reset,
    key(e, snapshot) {
      const fast = e.time - last <= maxGap;
      if (/^[0-9]$/.test(e.key)) {
        if (digits !== '' && fast) {
          digits += e.key;
          last = e.time;
          return { kind: 'burst', start: false, digits: digits.length };
        }
        // A slow digit: a new possible burst starts here (what came before was typed by a person).
        digits = e.key;
        last = e.time;
        before = { value: snapshot() };
        return { kind: 'burst', start: true, digits: 1 };
      }
      if (e.key === 'Enter' && digits !== '' && fast && digits.length >= 2) {
        const code = digits;
        const was = before;
        reset();
        const provider = code.length >= minDigits ? paymentCodeProvider(code) : null;
        if (provider && was) return { kind: 'scan', code, provider, before: was.value };
        return { kind: 'notScan', digits: code.length };
      }
      // Any other key (or a late Enter) ends whatever was going on: nothing to recognise.
      reset();
      return { kind: 'pass' };
    },
  };
}
