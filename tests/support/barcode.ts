/**
 * Reads the 1D barcodes out of an ESC/POS job the way the printer would print them: the
 * `GS k m n d1…dn` command (function B, m = 65…79), with CODE128's code-set switches (`{A`,
 * `{B`, `{C`, shift `{S`, literal `{{`) decoded to the text a scanner reads back. Independent of
 * receiptline (which wrote the bytes) and of the app's decoder.
 */
export interface PrintedBarcode {
  type: 'CODE128' | 'OTHER';
  /** What a barcode scanner reads from the printed bars. */
  text: string;
}

/** CODE128 data of GS k 73 → scanned text. */
export function decodeCode128Data(d: Buffer): string {
  let set: 'A' | 'B' | 'C' | null = null;
  let out = '';
  let i = 0;
  const charOf = (b: number, s: 'A' | 'B') =>
    s === 'A' && b < 32 ? String.fromCharCode(b) : String.fromCharCode(b);
  while (i < d.length) {
    const b = d[i]!;
    if (b === 0x7b) {
      const next = d[i + 1];
      if (next === 0x41 || next === 0x42 || next === 0x43) {
        set = next === 0x41 ? 'A' : next === 0x42 ? 'B' : 'C';
        i += 2;
        continue;
      }
      if (next === 0x7b) {
        out += '{';
        i += 2;
        continue;
      }
      if (next === 0x53) {
        // shift: the next character from the other of A/B
        const c = d[i + 2]!;
        out += String.fromCharCode(c);
        i += 3;
        continue;
      }
      if (next === 0x31 || next === 0x32 || next === 0x33 || next === 0x34) {
        i += 2; // FNC1..4: not part of the scanned text
        continue;
      }
      throw new Error(`bad CODE128 escape {${String.fromCharCode(next ?? 0)}`);
    }
    if (set === null) throw new Error('CODE128 data must start with a code set ({A, {B or {C)');
    if (set === 'C') {
      if (b > 99) throw new Error(`code set C value ${b} > 99`);
      out += String(b).padStart(2, '0');
    } else out += charOf(b, set);
    i++;
  }
  return out;
}

/** Every GS k barcode in `bytes`, in print order. */
export function barcodesIn(bytes: Buffer): PrintedBarcode[] {
  const found: PrintedBarcode[] = [];
  let from = 0;
  for (;;) {
    const at = bytes.indexOf(Buffer.from([0x1d, 0x6b]), from);
    if (at < 0) return found;
    const m = bytes[at + 2]!;
    if (m >= 65 && m <= 79) {
      const n = bytes[at + 3]!;
      const data = bytes.subarray(at + 4, at + 4 + n);
      found.push(
        m === 73
          ? { type: 'CODE128', text: decodeCode128Data(data) }
          : { type: 'OTHER', text: data.toString('latin1') },
      );
      from = at + 4 + n;
    } else from = at + 2;
  }
}
