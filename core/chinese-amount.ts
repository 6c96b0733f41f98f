import { MAX_FEN } from './money';

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const PLACE_UNITS: readonly string[] = ['', '拾', '佰', '仟'];
const GROUP_UNITS: readonly string[] = ['', '万', '亿'];

/**
 * Financial uppercase (大写) amount for receipts, following the PBoC rules for writing amounts:
 * one 零 for any run of zeros inside the yuan part, 整 only when 角 and 分 are both zero,
 * 零 between 元 and 分 when 角 is zero, none between 元 and a non-zero 角.
 */
export function toChineseUppercase(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0 || fen > MAX_FEN) {
    throw new RangeError(`toChineseUppercase: not a fen amount in 0..${MAX_FEN}: ${String(fen)}`);
  }
  const yuan = Math.trunc(fen / 100);
  const jiao = Math.trunc(fen / 10) % 10;
  const fenDigit = fen % 10;

  if (fen === 0) return '零元整';
  let out = yuan > 0 ? yuanToChinese(yuan) + '元' : '';
  if (jiao === 0 && fenDigit === 0) return out + '整';
  if (jiao > 0) out += DIGITS.charAt(jiao) + '角';
  else if (yuan > 0) out += '零';
  if (fenDigit > 0) out += DIGITS.charAt(fenDigit) + '分';
  return out;
}

/** yuan > 0. Groups of four digits (个/万/亿), high to low. */
function yuanToChinese(yuan: number): string {
  const groups: number[] = [];
  for (let rest = yuan; rest > 0; rest = Math.trunc(rest / 10_000)) groups.push(rest % 10_000);

  let out = '';
  let zeroPending = false;
  for (let g = groups.length - 1; g >= 0; g--) {
    const group = groups[g] ?? 0;
    if (group === 0) {
      zeroPending = out !== '';
      continue;
    }
    // A zero group, or leading zeros of this group, between two non-zero digits read as one 零.
    if (out !== '' && (zeroPending || group < 1000)) out += '零';
    out += groupToChinese(group) + (GROUP_UNITS[g] ?? '');
    zeroPending = false;
  }
  return out;
}

/** 1..9999, without leading 零; inner runs of zeros collapse to one 零, trailing zeros vanish. */
function groupToChinese(group: number): string {
  let out = '';
  let zeroPending = false;
  for (let place = 3; place >= 0; place--) {
    const digit = Math.trunc(group / 10 ** place) % 10;
    if (digit === 0) {
      zeroPending = out !== '';
      continue;
    }
    if (zeroPending) out += '零';
    out += DIGITS.charAt(digit) + (PLACE_UNITS[place] ?? '');
    zeroPending = false;
  }
  return out;
}
