import { ZvtCodecError } from './errors';
import { fromHex, hex2, toHex } from './frame';
import { intermediateText, resultText, terminalStatusText } from './messages';
import {
  decodeTlvItems,
  encodeTlvItems,
  encodeTlvLength,
  fromLatin1,
  latin1,
  readTlvLength,
  tlvSummary,
  type TlvNode,
} from './tlv';

/** A decoded APDU: command "CC II", a name, and its fields (names as in the golden frames). */
export interface DecodedApdu {
  command: string;
  name: string;
  fields: Record<string, unknown>;
}

type BmpKind =
  | 'int1'
  | 'bcdInt'
  | 'bcdStr'
  | 'ascii'
  | 'asciiNul'
  | 'hex'
  | 'llvarHex'
  | 'lllvarHex'
  | 'llvarText'
  | 'llvarTextNul'
  | 'lllvarText'
  | 'tlv';

interface BmpDef {
  name: string;
  kind: BmpKind;
  len?: number;
}

/**
 * Bitmaps (BMP) with their lengths, from the BMP summary of ZVT PA00P015 (fixed lengths in bytes;
 * LLVAR = 2 length bytes F0–F9, LLLVAR = 3). Field names follow the golden frames. BMP 19 is the
 * payment type in 06 01 / 04 0F and the status byte in 06 0F.
 */
// prettier-ignore
export const BMPS: Record<number, BmpDef> = {
  0x01: { name: 'timeout', kind: 'int1' },
  0x02: { name: 'max_status_infos', kind: 'int1' },
  0x03: { name: 'service_byte', kind: 'int1' },
  0x04: { name: 'amount_minor', kind: 'bcdInt', len: 6 },
  0x05: { name: 'pump_no', kind: 'int1' },
  0x06: { name: 'tlv', kind: 'tlv' },
  0x0b: { name: 'trace_no', kind: 'bcdStr', len: 3 },
  0x0c: { name: 'time', kind: 'bcdStr', len: 3 },
  0x0d: { name: 'date', kind: 'bcdStr', len: 2 },
  0x0e: { name: 'card_expiry', kind: 'bcdStr', len: 2 },
  0x17: { name: 'card_seq_no', kind: 'bcdStr', len: 2 },
  0x19: { name: 'payment_type', kind: 'int1' },
  0x22: { name: 'pan_masked', kind: 'llvarHex' },
  0x23: { name: 'track2_data', kind: 'llvarHex' },
  0x24: { name: 'track3_data', kind: 'lllvarHex' },
  0x27: { name: 'result_code', kind: 'int1' },
  0x29: { name: 'terminal_id', kind: 'bcdStr', len: 4 },
  0x2a: { name: 'vu_number', kind: 'ascii', len: 15 },
  0x2d: { name: 'track1_data', kind: 'llvarHex' },
  0x2e: { name: 'sync_chip_data', kind: 'lllvarHex' },
  0x37: { name: 'original_trace_no', kind: 'bcdStr', len: 3 },
  0x3a: { name: 'cvv', kind: 'hex', len: 2 },
  0x3b: { name: 'auth_code', kind: 'asciiNul', len: 8 },
  0x3c: { name: 'additional_text', kind: 'lllvarText' },
  0x3d: { name: 'password_bmp', kind: 'bcdStr', len: 3 },
  0x49: { name: 'currency_code', kind: 'bcdInt', len: 2 },
  0x60: { name: 'individual_totals', kind: 'lllvarHex' },
  0x87: { name: 'receipt_no', kind: 'bcdStr', len: 2 },
  0x88: { name: 'turnover_no', kind: 'bcdStr', len: 3 },
  0x8a: { name: 'card_type', kind: 'int1' },
  0x8b: { name: 'card_name', kind: 'llvarTextNul' },
  0x8c: { name: 'card_operator', kind: 'int1' },
  0x92: { name: 'additional_data', kind: 'lllvarHex' },
  0x9a: { name: 'geldkarte_data', kind: 'lllvarHex' },
  0xa0: { name: 'result_code_as', kind: 'int1' },
  0xa7: { name: 'chip_data', kind: 'llvarHex' },
  0xaa: { name: 'date_yymmdd', kind: 'bcdStr', len: 3 },
  0xaf: { name: 'ef_id', kind: 'lllvarHex' },
  0xba: { name: 'aid_parameter', kind: 'hex', len: 5 },
  0xe0: { name: 'min_length', kind: 'int1' },
  0xe9: { name: 'max_length', kind: 'int1' },
  0xea: { name: 'echo', kind: 'int1' },
  0xf0: { name: 'display_duration', kind: 'int1' },
  0xf9: { name: 'beeps', kind: 'int1' },
  0xfa: { name: 'card_reader', kind: 'int1' },
};
for (let i = 1; i <= 8; i++) {
  BMPS[0xe0 + i] = { name: `text_line${i}`, kind: 'llvarText' };
  BMPS[0xf0 + i] = { name: `display_line${i}`, kind: 'llvarText' };
}

const TAG_BY_NAME = new Map<string, number>(
  Object.entries(BMPS).map(([tag, def]) => [def.name, Number(tag)]),
);
TAG_BY_NAME.set('status_byte', 0x19);

/** Fields that are derived from others and never encoded on their own. */
const DERIVED = new Set([
  'result_text',
  'error_text',
  'intermediate_status_text',
  'terminal_status_text',
  'text_lines',
  'auth_code_hex',
  'card_name_hex',
]);

const COMMAND_NAMES: Record<string, string> = {
  '04 0F': 'status_information',
  '04 FF': 'intermediate_status',
  '05 01': 'status_enquiry',
  '06 00': 'registration',
  '06 01': 'authorisation',
  '06 02': 'log_off',
  '06 0F': 'completion',
  '06 18': 'reset_terminal',
  '06 1E': 'abort',
  '06 20': 'repeat_receipt',
  '06 30': 'reversal',
  '06 31': 'refund',
  '06 50': 'end_of_day',
  '06 70': 'diagnosis',
  '06 93': 'initialisation',
  '06 B0': 'abort_command',
  '06 D1': 'print_line',
  '06 D3': 'print_text_block',
  '06 E0': 'display_text',
  '80 00': 'ack',
};

/** Commands whose data starts with a 3-byte BCD password, followed by BMPs. */
const WITH_PASSWORD = new Set(['05 01', '06 20', '06 30', '06 31', '06 50', '06 93']);

export function commandName(command: string): string {
  if (command.startsWith('84 ')) return command === '84 00' ? 'ack_84' : 'nak';
  return COMMAND_NAMES[command] ?? 'unknown';
}

// ---------------------------------------------------------------------------------------------
// decode

/** Splits CLASS INSTR LEN DATA (LEN one byte, or FF lo hi); the length must match exactly. */
export function splitApdu(apdu: Uint8Array): { cls: number; ins: number; data: Uint8Array } {
  if (apdu.length < 3) throw new ZvtCodecError('BAD_APDU', `APDU too short (${apdu.length} bytes)`);
  const cls = apdu[0]!;
  const ins = apdu[1]!;
  let len = apdu[2]!;
  let start = 3;
  if (len === 0xff) {
    if (apdu.length < 5) throw new ZvtCodecError('BAD_LENGTH', 'extended length cut off');
    len = apdu[3]! | (apdu[4]! << 8);
    start = 5;
  }
  if (apdu.length - start !== len)
    throw new ZvtCodecError(
      'BAD_LENGTH',
      `APDU ${hex2(cls)} ${hex2(ins)} says ${len} data bytes but has ${apdu.length - start}`,
    );
  return { cls, ins, data: apdu.subarray(start) };
}

function bcdDigits(bytes: Uint8Array, what: string): string {
  const s = toHex(bytes);
  if (!/^[0-9]*$/.test(s)) throw new ZvtCodecError('BAD_BCD', `${what}: not BCD (${s})`);
  return s;
}

function varLength(data: Uint8Array, pos: number, digits: number, tag: number): number {
  if (pos + digits > data.length)
    throw new ZvtCodecError('BAD_LENGTH', `BMP ${hex2(tag)}: length cut off`);
  let n = 0;
  for (let i = 0; i < digits; i++) {
    const b = data[pos + i]!;
    if (b >> 4 !== 0xf || (b & 0xf) > 9)
      throw new ZvtCodecError('BAD_LENGTH', `BMP ${hex2(tag)}: bad length byte 0x${hex2(b)}`);
    n = n * 10 + (b & 0xf);
  }
  return n;
}

const stripNul = (s: string): string => s.replace(/\0+$/, '');

/** Decodes the BMPs of `data` from `pos` into `fields` (in wire order). */
function decodeBmps(
  data: Uint8Array,
  pos: number,
  fields: Record<string, unknown>,
  bmp19: string,
): void {
  while (pos < data.length) {
    const tag = data[pos++]!;
    const def = BMPS[tag];
    if (!def)
      throw new ZvtCodecError('UNKNOWN_BMP', `unknown BMP 0x${hex2(tag)} at offset ${pos - 1}`);
    const name = tag === 0x19 ? bmp19 : def.name;
    const take = (n: number): Uint8Array => {
      if (pos + n > data.length)
        throw new ZvtCodecError(
          'BAD_LENGTH',
          `BMP ${hex2(tag)} needs ${n} bytes, ${data.length - pos} left`,
        );
      const v = data.subarray(pos, pos + n);
      pos += n;
      return v;
    };
    switch (def.kind) {
      case 'int1':
        fields[name] = take(1)[0];
        break;
      case 'bcdInt':
        fields[name] = Number(bcdDigits(take(def.len!), `BMP ${hex2(tag)}`));
        break;
      case 'bcdStr':
        fields[name] = bcdDigits(take(def.len!), `BMP ${hex2(tag)}`);
        break;
      case 'ascii':
        fields[name] = latin1(take(def.len!));
        break;
      case 'asciiNul': {
        const raw = take(def.len!);
        fields[name] = stripNul(latin1(raw));
        fields[`${name}_hex`] = toHex(raw);
        break;
      }
      case 'hex':
        fields[name] = toHex(take(def.len!));
        break;
      case 'llvarHex':
      case 'lllvarHex':
      case 'llvarText':
      case 'llvarTextNul':
      case 'lllvarText': {
        const digits = def.kind.startsWith('lll') ? 3 : 2;
        const n = varLength(data, pos, digits, tag);
        pos += digits;
        const raw = take(n);
        if (def.kind.endsWith('Hex')) fields[name] = toHex(raw);
        else if (def.kind === 'llvarTextNul') {
          fields[name] = stripNul(latin1(raw));
          fields[`${name}_hex`] = toHex(raw);
        } else fields[name] = latin1(raw);
        break;
      }
      case 'tlv': {
        const { length, next } = readTlvLength(data, pos);
        if (next + length > data.length)
          throw new ZvtCodecError(
            'BAD_TLV',
            `TLV container says ${length} bytes, ${data.length - next} left`,
          );
        fields.tlv_hex = toHex(data.subarray(pos, next + length));
        const nodes = decodeTlvItems(data, next, next + length);
        fields.tlv = nodes;
        Object.assign(fields, tlvSummary(nodes));
        pos = next + length;
        break;
      }
    }
  }
}

/** Decodes one APDU (without frame) into its command and fields; throws ZvtCodecError with a clear message. */
export function decodeApdu(apdu: Uint8Array): DecodedApdu {
  const { cls, ins, data } = splitApdu(apdu);
  const command = `${hex2(cls)} ${hex2(ins)}`;
  const fields: Record<string, unknown> = {};
  const need = (n: number) => {
    if (data.length < n)
      throw new ZvtCodecError('BAD_LENGTH', `${command}: needs at least ${n} data bytes`);
  };
  if (cls === 0x84) {
    fields.error_code = ins;
    fields.error_text = resultText(ins);
  } else if (command === '06 00') {
    need(4);
    fields.password = bcdDigits(data.subarray(0, 3), 'password');
    fields.config_byte = data[3];
    let pos = 4;
    if (data.length >= pos + 2 && data[pos] !== 0x03 && data[pos] !== 0x06) {
      fields.currency_code = Number(bcdDigits(data.subarray(pos, pos + 2), 'currency code'));
      pos += 2;
    }
    decodeBmps(data, pos, fields, 'payment_type');
  } else if (WITH_PASSWORD.has(command)) {
    if (data.length >= 3) {
      fields.password = bcdDigits(data.subarray(0, 3), 'password');
      decodeBmps(data, 3, fields, 'payment_type');
    } else decodeBmps(data, 0, fields, 'payment_type');
  } else if (command === '04 FF') {
    need(1);
    fields.intermediate_status = data[0];
    fields.intermediate_status_text = intermediateText(data[0]!).en;
    if (data.length >= 2) fields.timeout = data[1];
    decodeBmps(data, 2, fields, 'payment_type');
  } else if (command === '06 1E') {
    need(1);
    fields.result_code = data[0];
    fields.result_text = resultText(data[0]!);
    decodeBmps(data, 1, fields, 'payment_type');
  } else if (command === '06 0F') {
    let pos = 0;
    if (data.length > 0 && data[0]! >= 0xf0 && data[0]! <= 0xf9) {
      const n = varLength(data, 0, 3, 0x0f);
      if (3 + n + 1 > data.length)
        throw new ZvtCodecError('BAD_LENGTH', '06 0F: software version cut off');
      fields.sw_version = latin1(data.subarray(3, 3 + n));
      fields.terminal_status = data[3 + n];
      fields.terminal_status_text = terminalStatusText(data[3 + n]!).en;
      pos = 3 + n + 1;
    }
    decodeBmps(data, pos, fields, 'status_byte');
  } else if (command === '06 D1') {
    need(1);
    fields.attribute = data[0];
    fields.text = latin1(data.subarray(1));
  } else if (
    ['04 0F', '06 01', '06 D3', '06 E0', '06 02', '06 18', '06 70', '06 B0', '80 00'].includes(
      command,
    )
  ) {
    decodeBmps(data, 0, fields, 'payment_type');
  } else {
    fields.data_hex = toHex(data);
  }
  if (typeof fields.result_code === 'number' && fields.result_text === undefined)
    fields.result_text = resultText(fields.result_code);
  return { command, name: commandName(command), fields };
}

// ---------------------------------------------------------------------------------------------
// encode

function bcd(value: string | number, bytes: number, what: string): number[] {
  const digits = typeof value === 'number' ? String(value) : value;
  if (typeof value === 'number' && (!Number.isSafeInteger(value) || value < 0))
    throw new ZvtCodecError('BAD_FIELD', `${what}: not a non-negative integer`);
  if (!/^[0-9]*$/.test(digits) || digits.length > bytes * 2)
    throw new ZvtCodecError(
      'BAD_FIELD',
      `${what}: needs at most ${bytes * 2} digits, got "${digits}"`,
    );
  return [...fromHex(digits.padStart(bytes * 2, '0'))];
}

function varPrefix(n: number, digits: number, what: string): number[] {
  if (n >= 10 ** digits) throw new ZvtCodecError('BAD_FIELD', `${what}: too long (${n} bytes)`);
  return [...String(n).padStart(digits, '0')].map((d) => 0xf0 | Number(d));
}

function int1(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255)
    throw new ZvtCodecError('BAD_FIELD', `${what}: needs an integer 0..255`);
  return v;
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new ZvtCodecError('BAD_FIELD', `${what}: needs a string`);
  return v;
}

function encodeBmp(tag: number, fields: Record<string, unknown>, key: string): number[] {
  const def = BMPS[tag]!;
  const v = fields[key];
  const what = `${key} (BMP ${hex2(tag)})`;
  switch (def.kind) {
    case 'int1':
      return [tag, int1(v, what)];
    case 'bcdInt':
    case 'bcdStr':
      return [tag, ...bcd(v as string | number, def.len!, what)];
    case 'ascii': {
      const bytes = fromLatin1(str(v, what));
      if (bytes.length > def.len!)
        throw new ZvtCodecError('BAD_FIELD', `${what}: max ${def.len} characters`);
      while (bytes.length < def.len!) bytes.push(0x20);
      return [tag, ...bytes];
    }
    case 'asciiNul': {
      const raw = fields[`${key}_hex`];
      const bytes = typeof raw === 'string' ? [...fromHex(raw)] : fromLatin1(str(v, what));
      if (bytes.length > def.len!)
        throw new ZvtCodecError('BAD_FIELD', `${what}: max ${def.len} bytes`);
      while (bytes.length < def.len!) bytes.push(0);
      return [tag, ...bytes];
    }
    case 'hex': {
      const bytes = [...fromHex(str(v, what))];
      if (bytes.length !== def.len)
        throw new ZvtCodecError('BAD_FIELD', `${what}: needs ${def.len} bytes`);
      return [tag, ...bytes];
    }
    case 'llvarHex':
    case 'lllvarHex':
    case 'llvarText':
    case 'llvarTextNul':
    case 'lllvarText': {
      const digits = def.kind.startsWith('lll') ? 3 : 2;
      const raw = fields[`${key}_hex`];
      const bytes = def.kind.endsWith('Hex')
        ? [...fromHex(str(v, what))]
        : typeof raw === 'string'
          ? [...fromHex(raw)]
          : fromLatin1(str(v, what));
      return [tag, ...varPrefix(bytes.length, digits, what), ...bytes];
    }
    case 'tlv': {
      if (typeof fields.tlv_hex === 'string') return [0x06, ...fromHex(fields.tlv_hex)];
      const items = encodeTlvItems((fields.tlv ?? []) as TlvNode[]);
      return [0x06, ...encodeTlvLength(items.length), ...items];
    }
  }
}

/** Encodes the remaining fields as BMPs, in the order of `fields`. */
function encodeBmps(fields: Record<string, unknown>, consumed: Set<string>): number[] {
  const out: number[] = [];
  let tlvDone = false;
  for (const key of Object.keys(fields)) {
    if (consumed.has(key) || DERIVED.has(key) || (key.startsWith('tlv_') && key !== 'tlv_hex'))
      continue;
    if (key === 'tlv' || key === 'tlv_hex') {
      if (!tlvDone) out.push(...encodeBmp(0x06, fields, 'tlv'));
      tlvDone = true;
      continue;
    }
    const tag = TAG_BY_NAME.get(key);
    if (tag === undefined) throw new ZvtCodecError('BAD_FIELD', `no BMP for field "${key}"`);
    out.push(...encodeBmp(tag, fields, key));
  }
  return out;
}

/** Builds CLASS INSTR LEN DATA from a command ("06 01") and fields (the shape decodeApdu returns). */
export function encodeApdu(command: string, fields: Record<string, unknown> = {}): Uint8Array {
  const m = /^([0-9A-Fa-f]{2})\s?([0-9A-Fa-f]{2})$/.exec(command.trim());
  if (!m) throw new ZvtCodecError('BAD_FIELD', `command must look like "06 01", got "${command}"`);
  const cls = parseInt(m[1]!, 16);
  const ins = parseInt(m[2]!, 16);
  const cmd = `${hex2(cls)} ${hex2(ins)}`;
  const consumed = new Set<string>();
  const use = (k: string) => {
    consumed.add(k);
    return fields[k];
  };
  const data: number[] = [];
  if (cls === 0x84) {
    consumed.add('error_code');
  } else if (cmd === '06 00') {
    data.push(...bcd(str(use('password') ?? '000000', 'password'), 3, 'password'));
    data.push(int1(use('config_byte'), 'config_byte'));
    if (fields.currency_code !== undefined)
      data.push(...bcd(use('currency_code') as number, 2, 'currency_code'));
  } else if (WITH_PASSWORD.has(cmd)) {
    data.push(...bcd(str(use('password') ?? '000000', 'password'), 3, 'password'));
  } else if (cmd === '04 FF') {
    data.push(int1(use('intermediate_status'), 'intermediate_status'));
    if (fields.timeout !== undefined) data.push(int1(use('timeout'), 'timeout'));
  } else if (cmd === '06 1E') {
    data.push(int1(use('result_code'), 'result_code'));
  } else if (cmd === '06 0F' && fields.sw_version !== undefined) {
    const sw = fromLatin1(str(use('sw_version'), 'sw_version'));
    data.push(...varPrefix(sw.length, 3, 'sw_version'), ...sw);
    data.push(int1(use('terminal_status') ?? 0, 'terminal_status'));
  } else if (cmd === '06 D1') {
    data.push(int1(use('attribute') ?? 0, 'attribute'));
    data.push(...fromLatin1(str(use('text'), 'text')));
  }
  if (fields.data_hex !== undefined) data.push(...fromHex(str(use('data_hex'), 'data_hex')));
  data.push(...encodeBmps(fields, consumed));
  const len = data.length;
  const header = len < 0xff ? [cls, ins, len] : [cls, ins, 0xff, len & 0xff, len >> 8];
  if (len > 0xffff) throw new ZvtCodecError('BAD_LENGTH', `APDU data too long (${len} bytes)`);
  return Uint8Array.from([...header, ...data]);
}
