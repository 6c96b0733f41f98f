/**
 * The pole display (客显, 顾客显示屏): the 8-digit LED customer display of Chinese payment counters,
 * with four lamps under the number (单价 price, 总计 total, 收款 collect, 找零 change), on a serial
 * line. Most of them (LED8, LED8N, PDLED8 and their many clones) speak the same small ESC/POS-style
 * command set; this file encodes it, byte for byte, from integer fen. Pure: no I/O.
 *
 * Where the command set is documented (read, not copied):
 *  - LED8N Customer Display Users Manual, https://www.scribd.com/doc/256223395/LED8N-Manual :
 *    2400 bps 8N1 by default (STX B n selects 9600 … 300); ESC @ = 1B 40 initialise (settings to
 *    their power-on values, screen cleared); CLR = 0C clear the screen; CAN = 18 clear the line;
 *    ESC Q A d1…dn CR = 1B 51 41 … 0D shows a number, each d one of 30H–39H, 2DH '-' or 2EH '.',
 *    at most 8 digits (up to 15 characters counting the decimal points, which sit beside a digit).
 *  - The lamp command ESC s n = 1B 73 n with n an ASCII digit, '0' (30H) all lamps off, '1' 单价,
 *    '2' 总计, '3' 收款, '4' 找零: not in the excerpt of that manual we could read, but the same in
 *    three independent drivers of these displays (an Android cashier app's parser of the bytes a
 *    POS sends, bfyd easypay CustomerDisplayEntity.java: 1B 73 31 … 34; an "ASM LED8" bridge's
 *    README: `1B 73 n, n = '0'..'4' (off / Price / Total / Collect / Change)`, 2400 8N1; a PDLED8
 *    driver's comment "LED8 bits customer display command spec": ESC s n with n '0'–'4').
 *    Note: n is the ASCII digit, not the byte 00–04.
 *
 * What we send (and the simulator checks):
 *  - on opening the line: ESC @                                   1B 40
 *  - an amount under a lamp: CLR, ESC s n, ESC Q A <text> CR       0C 1B 73 3n 1B 51 41 … 0D
 *  - blank (no customer): CLR, ESC s '0'                           0C 1B 73 30
 * An amount is yuan with two decimals from integer fen (150000 → "1500.00"); it must fit the 8
 * digits, so ¥999,999.99 is the largest. A longer one is never cut (a wrong number in front of the
 * customer is worse than none): the display shows eight dashes "--------" under the lamp.
 */

export const ESC = 0x1b;
export const CLR = 0x0c;
export const CR = 0x0d;
/** ESC s n: the lamp command's letter. */
export const LAMP_S = 0x73;
/** ESC Q A: show a number. */
export const SHOW_Q = 0x51;
export const SHOW_A = 0x41;
/** ESC @: initialise. */
export const INIT_AT = 0x40;

/** Digits of the display (decimal points do not take a digit). */
export const POLE_DIGITS = 8;
/** What an amount too long for the display shows instead. */
export const POLE_OVERFLOW = '-'.repeat(POLE_DIGITS);
/** Default line speed of these displays (LED8N manual: 2400 bps, 8 data bits, no parity, 1 stop bit). */
export const POLE_DEFAULT_BAUD = 2400;
export const POLE_BAUDS = [2400, 4800, 9600] as const;

export const POLE_LAMPS = ['off', 'price', 'total', 'collect', 'change'] as const;
export type PoleLamp = (typeof POLE_LAMPS)[number];

/** ESC s n: n is the ASCII digit '0'–'4'. */
export const LAMP_CODE: Readonly<Record<PoleLamp, number>> = {
  off: 0x30,
  price: 0x31,
  total: 0x32,
  collect: 0x33,
  change: 0x34,
};

/** What the display should show: an amount under a lamp, or nothing (`amountFen` null, lamp off). */
export type PoleContent = { lamp: Exclude<PoleLamp, 'off'>; amountFen: number } | { lamp: 'off' };

export const BLANK: PoleContent = { lamp: 'off' };

/** Integer fen → the display's text: "1500.00"; POLE_OVERFLOW when it needs more than 8 digits. */
export function amountText(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0)
    throw new RangeError(`pole display: amount must be whole fen ≥ 0, got ${fen}`);
  const yuan = Math.floor(fen / 100);
  const text = `${yuan}.${String(fen % 100).padStart(2, '0')}`;
  return text.length - 1 > POLE_DIGITS ? POLE_OVERFLOW : text;
}

/** The text the display shows for `content` ('' when blank). */
export function contentText(content: PoleContent): string {
  return content.lamp === 'off' ? '' : amountText(content.amountFen);
}

export function encodeInit(): Uint8Array {
  return Uint8Array.of(ESC, INIT_AT);
}

/** Clears the number and puts every lamp out. */
export function encodeBlank(): Uint8Array {
  return Uint8Array.of(CLR, ESC, LAMP_S, LAMP_CODE.off);
}

/** Shows `amountFen` under one lamp. */
export function encodeAmount(lamp: Exclude<PoleLamp, 'off'>, amountFen: number): Uint8Array {
  const text = amountText(amountFen);
  const digits = [...text].map((c) => c.charCodeAt(0));
  return Uint8Array.of(CLR, ESC, LAMP_S, LAMP_CODE[lamp], ESC, SHOW_Q, SHOW_A, ...digits, CR);
}

export function encodeContent(content: PoleContent): Uint8Array {
  return content.lamp === 'off' ? encodeBlank() : encodeAmount(content.lamp, content.amountFen);
}

export function sameContent(a: PoleContent | null, b: PoleContent | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.lamp === 'off' || b.lamp === 'off') return a.lamp === b.lamp;
  return a.lamp === b.lamp && a.amountFen === b.amountFen;
}
