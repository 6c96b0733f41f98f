import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { toChineseUppercase } from '@heating-cashier/core/chinese-amount';
import { MAX_FEN } from '@heating-cashier/core/money';

// Each value checked by hand against the PBoC rules for writing amounts on bills
// (正确填写票据和结算凭证的基本规定); the ones marked PBoC are that document's own examples.
const KNOWN: readonly (readonly [number, string])[] = [
  [0, '零元整'],
  [1, '壹分'],
  [5, '伍分'],
  [10, '壹角'],
  [50, '伍角'],
  [55, '伍角伍分'],
  [100, '壹元整'],
  [105, '壹元零伍分'],
  [110, '壹元壹角'],
  [150, '壹元伍角'],
  [1_000, '壹拾元整'],
  [1_100, '壹拾壹元整'],
  [2_000, '贰拾元整'],
  [10_000, '壹佰元整'],
  [10_100, '壹佰零壹元整'],
  [11_000, '壹佰壹拾元整'],
  [32_504, '叁佰贰拾伍元零肆分'], // PBoC ¥325.04
  [100_000, '壹仟元整'],
  [100_100, '壹仟零壹元整'],
  [120_000, '壹仟贰佰元整'],
  [140_950, '壹仟肆佰零玖元伍角'], // PBoC ¥1,409.50
  [168_032, '壹仟陆佰捌拾元叁角贰分'], // PBoC ¥1,680.32 (form without 零)
  [600_714, '陆仟零柒元壹角肆分'], // PBoC ¥6,007.14
  [1_000_000, '壹万元整'],
  [1_000_001, '壹万元零壹分'],
  [1_000_010, '壹万元壹角'],
  [1_000_507, '壹万零伍元零柒分'],
  [1_010_000, '壹万零壹佰元整'],
  [1_640_902, '壹万陆仟肆佰零玖元零贰分'], // PBoC ¥16,409.02
  [4_050_607, '肆万零伍佰零陆元零柒分'],
  [10_001_000, '壹拾万零壹拾元整'],
  [10_700_053, '壹拾万柒仟元伍角叁分'], // PBoC ¥107,000.53 (form without 零)
  [30_020_000, '叁拾万零贰佰元整'],
  [100_000_000, '壹佰万元整'],
  [100_000_100, '壹佰万零壹元整'],
  [101_000_000, '壹佰零壹万元整'],
  [1_000_000_010, '壹仟万元壹角'],
  [1_001_000_000, '壹仟零壹万元整'],
  [1_500_000_000, '壹仟伍佰万元整'],
  [2_000_000_000, '贰仟万元整'],
  [8_000_000_001, '捌仟万元零壹分'],
  [9_999_999_999, '玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
  [MAX_FEN, '壹亿元整'],
];

/** Independent reader of a 大写 amount, used to check the writer on random amounts. */
function readChineseUppercase(text: string): number {
  const digits = '零壹贰叁肆伍陆柒捌玖';
  const places: Record<string, number> = { 拾: 10, 佰: 100, 仟: 1000 };
  let total = 0;
  let section = 0;
  let digit = 0;
  let yuan = 0;
  let jiao = 0;
  let fen = 0;
  for (const ch of text) {
    const d = digits.indexOf(ch);
    if (d >= 0) digit = d;
    else if (ch in places) {
      section += digit * (places[ch] ?? 0);
      digit = 0;
    } else if (ch === '万') {
      total += (section + digit) * 10_000;
      section = 0;
      digit = 0;
    } else if (ch === '亿') {
      total = (total + section + digit) * 100_000_000;
      section = 0;
      digit = 0;
    } else if (ch === '元') {
      yuan = total + section + digit;
      digit = 0;
    } else if (ch === '角') {
      jiao = digit;
      digit = 0;
    } else if (ch === '分') {
      fen = digit;
      digit = 0;
    } else if (ch !== '整') throw new Error(`unexpected ${ch} in ${text}`);
  }
  return yuan * 100 + jiao * 10 + fen;
}

describe('toChineseUppercase', () => {
  it.each(KNOWN)('%s fen -> %s', (fen, text) => {
    expect(toChineseUppercase(fen)).toBe(text);
  });

  it('has at least 25 hand-checked values', () => {
    expect(KNOWN.length).toBeGreaterThanOrEqual(25);
  });

  it.each([-1, -100, MAX_FEN + 1, 0.5, Number.NaN, Infinity])('throws RangeError on %s', (n) => {
    expect(() => toChineseUppercase(n)).toThrow(RangeError);
  });

  it('reads back to the same amount and follows the 零/整 rules', () => {
    fc.assert(
      fc.property(
        fc
          .oneof(
            fc.integer({ min: 0, max: MAX_FEN }),
            fc.integer({ min: 0, max: 1_000_000 }),
            // amounts full of zeros are where the 零 rules bite
            fc
              .array(fc.constantFrom(0, 0, 0, 1, 5), { minLength: 1, maxLength: 10 })
              .map((ds) => Number(ds.join(''))),
          )
          .filter((fen) => fen !== 0), // 零元整 is the one form that starts with 零; it is in the table

        (fen) => {
          const text = toChineseUppercase(fen);
          expect(readChineseUppercase(text)).toBe(fen);
          expect(text).not.toContain('零零');
          expect(text.endsWith('整')).toBe(fen % 100 === 0);
          expect(text).not.toMatch(/零[元万亿]/);
          expect(text).not.toMatch(/元零[壹贰叁肆伍陆柒捌玖]角/);
          expect(text.startsWith('零')).toBe(false);
          if (fen < 100) expect(text).not.toContain('元');
          if (fen % 10 !== 0 && Math.trunc(fen / 10) % 10 === 0 && fen >= 100) {
            expect(text).toMatch(/元零[壹贰叁肆伍陆柒捌玖]分$/);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
