import { ZvtCodecError } from './errors';
import { fromHex, toHex } from './frame';

/** One TLV data object as the golden frames describe it (tag in hex; text/value/value_hex or items). */
export interface TlvNode {
  tag: string;
  name?: string;
  text?: string;
  value?: number;
  value_hex?: string;
  items?: TlvNode[];
}

type Kind = 'text' | 'int' | 'hexText' | 'hex';

/**
 * Primitive tags we give names to (PA00P015 TLV tag list; names as the golden frames use them).
 * Every other primitive tag is kept as value_hex, every constructed tag is parsed recursively —
 * unknown tags never stop the parser.
 */
const TAGS: Record<string, { name: string; kind: Kind }> = {
  '07': { name: 'text_line', kind: 'text' },
  '14': { name: 'character_set', kind: 'int' },
  '15': { name: 'language_code', kind: 'text' },
  '1A': { name: 'max_apdu_length', kind: 'int' },
  '40': { name: 'emv_config', kind: 'hex' },
  '1F0E': { name: 'date', kind: 'hexText' },
  '1F0F': { name: 'time', kind: 'hexText' },
  '1F10': { name: 'cardholder_identification', kind: 'int' },
  '1F11': { name: 'online_tag', kind: 'int' },
  '1F16': { name: 'extended_error_code', kind: 'hexText' },
  '1F17': { name: 'extended_error_text', kind: 'text' },
  '1F40': { name: 'device_name', kind: 'text' },
  '1F41': { name: 'software_version', kind: 'text' },
  '1F42': { name: 'serial_number', kind: 'hexText' },
  '1F43': { name: 'device_state', kind: 'int' },
  '1F44': { name: 'terminal_identifier', kind: 'hexText' },
};

export const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);
export const fromLatin1 = (s: string): number[] => [...s].map((c) => c.charCodeAt(0) & 0xff);

/** Reads a BER length at `pos`: 1 byte below 0x80, or 81 xx, or 82 xx xx. */
export function readTlvLength(bytes: Uint8Array, pos: number): { length: number; next: number } {
  const first = bytes[pos];
  if (first === undefined)
    throw new ZvtCodecError('BAD_TLV', `TLV length missing at offset ${pos}`);
  if (first < 0x80) return { length: first, next: pos + 1 };
  if (first === 0x81 && pos + 1 < bytes.length) return { length: bytes[pos + 1]!, next: pos + 2 };
  if (first === 0x82 && pos + 2 < bytes.length)
    return { length: (bytes[pos + 1]! << 8) | bytes[pos + 2]!, next: pos + 3 };
  throw new ZvtCodecError(
    'BAD_TLV',
    `bad TLV length byte 0x${first.toString(16)} at offset ${pos}`,
  );
}

export function encodeTlvLength(length: number): number[] {
  if (length < 0x80) return [length];
  if (length <= 0xff) return [0x81, length];
  if (length <= 0xffff) return [0x82, length >> 8, length & 0xff];
  throw new ZvtCodecError('BAD_TLV', `TLV value too long (${length} bytes)`);
}

export function decodeTlvItems(bytes: Uint8Array, start = 0, end = bytes.length): TlvNode[] {
  const nodes: TlvNode[] = [];
  let pos = start;
  while (pos < end) {
    const tagStart = pos;
    const first = bytes[pos++]!;
    if ((first & 0x1f) === 0x1f) {
      let b: number;
      do {
        if (pos >= end) throw new ZvtCodecError('BAD_TLV', `TLV tag cut off at offset ${tagStart}`);
        b = bytes[pos++]!;
      } while (b & 0x80);
    }
    const tag = toHex(bytes.subarray(tagStart, pos));
    const { length, next } = readTlvLength(bytes, pos);
    if (next + length > end)
      throw new ZvtCodecError(
        'BAD_TLV',
        `TLV tag ${tag} says ${length} bytes but only ${end - next} remain`,
      );
    const value = bytes.subarray(next, next + length);
    pos = next + length;
    if (first & 0x20) {
      nodes.push({ tag, items: decodeTlvItems(value) });
      continue;
    }
    const known = TAGS[tag];
    if (!known) nodes.push({ tag, value_hex: toHex(value) });
    else if (known.kind === 'text') nodes.push({ tag, name: known.name, text: latin1(value) });
    else if (known.kind === 'hexText')
      nodes.push({ tag, name: known.name, text: toHex(value).toLowerCase() });
    else if (known.kind === 'hex') nodes.push({ tag, name: known.name, value_hex: toHex(value) });
    else nodes.push({ tag, name: known.name, value: value.reduce((n, b) => n * 256 + b, 0) });
  }
  return nodes;
}

function intBytes(value: number): number[] {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new ZvtCodecError('BAD_TLV', `TLV integer out of range: ${value}`);
  const out: number[] = [];
  let v = value;
  do {
    out.unshift(v % 256);
    v = Math.floor(v / 256);
  } while (v > 0);
  return out;
}

export function encodeTlvItems(nodes: readonly TlvNode[]): number[] {
  const out: number[] = [];
  for (const node of nodes) {
    const tag = [...fromHex(node.tag)];
    if (tag.length === 0) throw new ZvtCodecError('BAD_TLV', 'empty TLV tag');
    let value: number[];
    if (node.items) value = encodeTlvItems(node.items);
    else if (node.value_hex !== undefined) value = [...fromHex(node.value_hex)];
    else if (node.value !== undefined) value = intBytes(node.value);
    else if (node.text !== undefined)
      value = TAGS[node.tag]?.kind === 'hexText' ? [...fromHex(node.text)] : fromLatin1(node.text);
    else value = [];
    out.push(...tag, ...encodeTlvLength(value.length), ...value);
  }
  return out;
}

/** The derived fields the golden frames list next to a TLV container. */
export function tlvSummary(nodes: readonly TlvNode[]): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  const lines: string[] = [];
  const walk = (list: readonly TlvNode[]) => {
    for (const n of list) {
      if (n.items) walk(n.items);
      else if (n.name === 'text_line') lines.push(n.text ?? '');
      else if (n.name && !(`tlv_${n.name}` in flat))
        flat[`tlv_${n.name}`] = n.text ?? n.value ?? n.value_hex;
    }
  };
  walk(nodes);
  return { ...flat, ...(lines.length ? { text_lines: lines } : {}) };
}
