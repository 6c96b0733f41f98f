// The scanner detector on synthetic timestamps: a scanner's burst + Enter is a payment code, a
// person typing the same digits is not, nor a burst too short, one without Enter, or one that is not
// a payment code; a burst into the amount field hands back the field's text from before the burst.
import { describe, expect, it } from 'vitest';
import { createScanDetector, type ScanStep } from '../../../src-renderer/features/qr/scanner';

const ALIPAY = '286498003621849257'; // 18 digits, 28…: an Alipay payment code
const WECHAT = '134567890123456789'; // 18 digits, 13…
const NOT_A_CODE = '990000000000000001'; // 18 digits, a prefix no provider issues

/** Types `text` (then Enter unless `enter` is false) with `gapMs` between keys from `t0`. */
function type<S>(
  detector: ReturnType<typeof createScanDetector<S>>,
  text: string,
  gapMs: number,
  snapshot: () => S,
  { t0 = 1000, enter = true, enterGapMs = gapMs } = {},
): ScanStep<S>[] {
  const steps: ScanStep<S>[] = [];
  let time = t0;
  for (const ch of text) {
    steps.push(detector.key({ key: ch, time }, snapshot));
    time += gapMs;
  }
  if (enter) steps.push(detector.key({ key: 'Enter', time: time - gapMs + enterGapMs }, snapshot));
  return steps;
}

describe('scanner detector', () => {
  it('recognises a scanner burst (5 ms apart) ending in Enter, and its provider', () => {
    const d = createScanDetector<number>();
    const steps = type(d, ALIPAY, 5, () => undefined);
    expect(steps.slice(0, -1).every((s) => s.kind === 'burst')).toBe(true);
    expect(steps[0]).toEqual({ kind: 'burst', start: true, digits: 1 });
    expect(steps.at(-1)).toEqual({
      kind: 'scan',
      code: ALIPAY,
      provider: 'alipay',
      before: undefined,
    });
    // and the next scan after it, with a pause in between
    expect(type(d, WECHAT, 8, () => undefined, { t0: 5000 }).at(-1)).toMatchObject({
      kind: 'scan',
      code: WECHAT,
      provider: 'wechat',
    });
  });

  it('a person typing the same code (gaps of 120 ms) is not a scan', () => {
    const d = createScanDetector<number>();
    const steps = type(d, ALIPAY, 120, () => undefined);
    expect(steps.some((s) => s.kind === 'scan' || s.kind === 'notScan')).toBe(false);
    expect(steps.at(-1)).toEqual({ kind: 'pass' });
    // each slow digit starts over
    expect(steps.slice(0, -1).every((s) => s.kind === 'burst' && s.start)).toBe(true);
  });

  it('gaps just over the limit are a person; the limit is configurable', () => {
    expect(type(createScanDetector<number>(), ALIPAY, 51, () => 0).at(-1)?.kind).toBe('pass');
    expect(type(createScanDetector<number>(), ALIPAY, 50, () => 0).at(-1)?.kind).toBe('scan');
    const slowScanner = createScanDetector<number>({ maxGapMs: 80 });
    expect(type(slowScanner, ALIPAY, 70, () => 0).at(-1)?.kind).toBe('scan');
  });

  it('a burst too short (15 digits) is not a payment code', () => {
    const d = createScanDetector<number>();
    expect(type(d, ALIPAY.slice(0, 15), 5, () => 0).at(-1)).toEqual({
      kind: 'notScan',
      digits: 15,
    });
  });

  it('a burst without Enter is nothing: a key after a pause, or a late Enter, passes', () => {
    const d = createScanDetector<number>();
    const steps = type(d, ALIPAY, 5, () => 0, { enter: false });
    expect(steps.every((s) => s.kind === 'burst')).toBe(true);
    // Enter half a second later is the clerk's, not the scanner's
    expect(d.key({ key: 'Enter', time: 1000 + 17 * 5 + 500 }, () => 0)).toEqual({ kind: 'pass' });
    // a burst broken by a letter does not become a scan either
    const e = createScanDetector<number>();
    type(e, ALIPAY.slice(0, 10), 5, () => 0, { enter: false });
    expect(e.key({ key: 'a', time: 1060 }, () => 0)).toEqual({ kind: 'pass' });
    expect(type(e, ALIPAY.slice(10), 5, () => 0, { t0: 1065 }).at(-1)?.kind).toBe('notScan');
  });

  it('a fast burst that is not a payment code (an account number, an unknown prefix) is not a scan', () => {
    const d = createScanDetector<number>();
    expect(type(d, NOT_A_CODE, 5, () => 0).at(-1)).toEqual({ kind: 'notScan', digits: 18 });
    expect(type(d, '20240001', 5, () => 0, { t0: 9000 }).at(-1)).toEqual({
      kind: 'notScan',
      digits: 8,
    });
  });

  it('a burst while the amount field has focus: the scan hands back the text before the burst', () => {
    // The field receives every digit the scanner types (the keydown comes first, then the text).
    let amount = '1234.5';
    const d = createScanDetector<string>();
    type(d, '0', 300, () => amount, { enter: false }); // the clerk types a 0 by hand: 1234.50
    amount += '0';
    let last: ScanStep<string> | undefined;
    let time = 2000;
    for (const ch of `${ALIPAY}\n`) {
      last = d.key({ key: ch === '\n' ? 'Enter' : ch, time }, () => amount);
      if (ch !== '\n') amount += ch;
      time += 4;
    }
    expect(amount).toBe(`1234.50${ALIPAY}`);
    expect(last).toEqual({ kind: 'scan', code: ALIPAY, provider: 'alipay', before: '1234.50' });
  });
});
