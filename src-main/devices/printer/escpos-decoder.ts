/**
 * An independent ESC/POS stream decoder: what a thermal printer would print, as text with the
 * printer's column layout (12-dot columns; CJK glyphs 24 dots = 2 columns; GS ! scaling), plus
 * raster images (GS 8 L / GS ( L or GS v 0 bitmaps), native QR symbols (GS ( k: model, module
 * size, level and the stored data, printed by fn 81), cuts and drawer pulses.
 * Used by the virtual printer and by tests; it shares no code with the renderer.
 */

export interface DecodedImage {
  /** Index of the text line the image was printed before. */
  line: number;
  width: number;
  height: number;
  /** Row-major bits, 1 = black; `bytesPerRow = ceil(width / 8)`. */
  bits: Uint8Array;
}

/** A QR symbol the printer itself would draw (GS ( k cn 49). */
export interface DecodedQr {
  /** Index of the text line the symbol was printed before. */
  line: number;
  /** 1 or 2 (GS ( k fn 65); 2 when never selected. */
  model: number;
  /** Module size in dots (fn 67). */
  cell: number;
  /** 'l' | 'm' | 'q' | 'h' (fn 69). */
  level: string;
  /** The stored data (fn 80), as UTF-8 text. */
  data: string;
}

export interface DecodedPage {
  lines: string[];
  /** Lines printed with a width scale above 1 (text carries the scaled spacing). */
  scaledLines: number[];
  images: DecodedImage[];
  qrCodes: DecodedQr[];
  drawerPulses: { pin: number; onMs: number; offMs: number }[];
  cut: boolean;
  /** Bytes a GB18030 decoder could not map, or unknown commands; empty on a clean job. */
  problems: string[];
}

export interface DecoderHooks {
  /** DLE EOT n (real-time): the printer answers immediately. */
  onRealtimeStatus?(n: number): void;
  /** GS r n: answered after everything before it was processed. */
  onTransmitStatus?(n: number): void;
  onCut?(): void;
  onDrawer?(pulse: { pin: number; onMs: number; offMs: number }): void;
}

const gb18030 = new TextDecoder('gb18030', { fatal: true });

/** Code page 1 (Katakana) box-drawing bytes receiptline uses for rules. */
function codepageChar(b: number): string {
  if (b === 0x95) return '-';
  if (b >= 0x90 && b <= 0x9f) return '+';
  return '?';
}

interface Glyph {
  x: number;
  width: number;
  text: string;
  scaled: boolean;
}

export class EscPosDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private page: DecodedPage = EscPosDecoder.emptyPage();
  private glyphs: Glyph[] = [];
  private x = 0;
  private align = 0;
  private areaLeft = 0;
  private areaWidth: number;
  private widthScale = 1;
  private kanji = false;
  private codepage = 0;

  constructor(
    private readonly hooks: DecoderHooks = {},
    private readonly paperDots = 576,
    private readonly charDots = 12,
  ) {
    this.areaWidth = paperDots;
  }

  static emptyPage(): DecodedPage {
    return {
      lines: [],
      scaledLines: [],
      images: [],
      qrCodes: [],
      drawerPulses: [],
      cut: false,
      problems: [],
    };
  }

  /** Feeds bytes; complete commands are processed now, a split command waits for the rest. */
  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    let pos = 0;
    while (pos < this.buf.length) {
      const used = this.step(this.buf, pos);
      if (used === 0) break;
      pos += used;
    }
    this.buf = this.buf.subarray(pos);
  }

  /** Everything printed since the last `takePage` (a pending line is flushed). */
  takePage(): DecodedPage {
    if (this.glyphs.length > 0) this.lineFeed();
    const page = this.page;
    this.page = EscPosDecoder.emptyPage();
    return page;
  }

  /** Whether anything (text, image, pulse) is waiting on the current page. */
  hasContent(): boolean {
    return (
      this.glyphs.length > 0 ||
      this.page.lines.length > 0 ||
      this.page.images.length > 0 ||
      this.page.qrCodes.length > 0 ||
      this.page.drawerPulses.length > 0
    );
  }

  private reset(): void {
    this.align = 0;
    this.areaLeft = 0;
    this.areaWidth = this.paperDots;
    this.widthScale = 1;
    this.kanji = false;
    this.codepage = 0;
  }

  private lineFeed(): void {
    let shift = 0;
    if (this.align !== 0 && this.glyphs.length > 0) {
      const used = Math.max(...this.glyphs.map((g) => g.x + g.width));
      const free = Math.max(0, this.areaWidth - used);
      shift = this.align === 1 ? Math.floor(free / 2) : free;
    }
    const cells: string[] = [];
    let scaled = false;
    for (const g of this.glyphs) {
      const col = Math.round((this.areaLeft + g.x + shift) / this.charDots);
      const cols = g.width / this.charDots;
      const natural = g.text.length === 1 && g.text.charCodeAt(0) < 0x80 ? 1 : 2;
      cells[col] = g.text;
      for (let i = 1; i < natural; i++) cells[col + i] = '';
      for (let i = natural; i < cols; i++) cells[col + i] = ' ';
      scaled ||= g.scaled;
    }
    let line = '';
    for (let i = 0; i < cells.length; i++) line += cells[i] ?? ' ';
    if (scaled) this.page.scaledLines.push(this.page.lines.length);
    this.page.lines.push(line);
    this.glyphs = [];
    this.x = 0;
  }

  private put(text: string, cjk: boolean): void {
    const width = (cjk ? 2 : 1) * this.charDots * this.widthScale;
    this.glyphs.push({ x: this.x, width, text, scaled: this.widthScale > 1 });
    this.x += width;
  }

  private image(width: number, height: number, bits: Uint8Array): void {
    if (this.glyphs.length > 0) this.lineFeed();
    this.page.images.push({ line: this.page.lines.length, width, height, bits });
  }

  /** Processes one command or character at `pos`; returns the bytes used (0 = need more). */
  private step(b: Buffer, pos: number): number {
    const c = b[pos]!;
    const need = (n: number) => pos + n <= b.length;
    const at = (i: number) => b[pos + i]!;
    switch (c) {
      case 0x0a:
        this.lineFeed();
        return 1;
      case 0x0d:
      case 0x00:
        return 1;
      case 0x09:
        this.x = (Math.floor(this.x / (8 * this.charDots)) + 1) * 8 * this.charDots;
        return 1;
      case 0x0c:
        this.lineFeed();
        return 1;
      case 0x10: // DLE
        if (!need(3)) return 0;
        if (at(1) === 0x04) {
          this.hooks.onRealtimeStatus?.(at(2));
          return 3;
        }
        if (at(1) === 0x05) return 3;
        if (at(1) === 0x14) {
          if (!need(5)) return 0;
          if (at(2) === 1) {
            const pulse = { pin: at(3), onMs: at(4) * 100, offMs: at(4) * 100 };
            this.page.drawerPulses.push(pulse);
            this.hooks.onDrawer?.(pulse);
          }
          return 5;
        }
        return 2;
      case 0x1b:
        return this.esc(b, pos);
      case 0x1c:
        return this.fs(b, pos);
      case 0x1d:
        return this.gs(b, pos);
      default:
        break;
    }
    if (c < 0x20 || c === 0x7f) return 1;
    if (c < 0x80) {
      this.put(String.fromCharCode(c), false);
      return 1;
    }
    if (!this.kanji) {
      this.put(this.codepage === 1 ? codepageChar(c) : '?', false);
      return 1;
    }
    // GB18030: 2 bytes, or 4 when the second byte is a digit.
    if (!need(2)) return 0;
    const len = at(1) >= 0x30 && at(1) <= 0x39 ? 4 : 2;
    if (!need(len)) return 0;
    try {
      const ch = gb18030.decode(b.subarray(pos, pos + len));
      this.put(ch, true);
    } catch {
      this.page.problems.push(`undecodable bytes ${b.subarray(pos, pos + len).toString('hex')}`);
      this.put('?', false);
    }
    return len;
  }

  private esc(b: Buffer, pos: number): number {
    if (pos + 2 > b.length) return 0;
    const cmd = String.fromCharCode(b[pos + 1]!);
    const arg = (i: number) => b[pos + 2 + i]!;
    const fixed: Record<string, number> = {
      '@': 0,
      '!': 1,
      '-': 1,
      E: 1,
      G: 1,
      M: 1,
      ' ': 1,
      '2': 0,
      '3': 1,
      a: 1,
      d: 1,
      J: 1,
      '{': 1,
      t: 1,
      R: 1,
      $: 2,
      '\\': 2,
      p: 3,
      i: 0,
      m: 0,
      V: 1,
      r: 1,
      U: 1,
      S: 0,
      L: 0,
      T: 1,
      '=': 1,
      '%': 1,
      c: 2,
      e: 1,
      K: 1,
      W: 8,
    };
    const n = fixed[cmd];
    if (n === undefined) {
      if (cmd === '*') {
        if (pos + 5 > b.length) return 0;
        const dots = arg(1) + arg(2) * 256;
        const bytes = dots * (arg(0) >= 32 ? 3 : 1);
        return pos + 5 + bytes <= b.length ? 5 + bytes : 0;
      }
      this.page.problems.push(`unknown ESC ${b[pos + 1]!.toString(16)}`);
      return 2;
    }
    if (pos + 2 + n > b.length) return 0;
    switch (cmd) {
      case '@':
        if (this.glyphs.length > 0) this.lineFeed();
        this.reset();
        break;
      case 'a':
        this.align = arg(0) % 48;
        break;
      case 't':
        this.codepage = arg(0);
        break;
      case '$':
        this.x = arg(0) + arg(1) * 256;
        break;
      case '\\': {
        const rel = arg(0) + arg(1) * 256;
        this.x += rel >= 0x8000 ? rel - 0x10000 : rel;
        break;
      }
      case 'd':
        for (let i = 0; i < arg(0); i++) this.lineFeed();
        break;
      case '!':
        this.widthScale = arg(0) & 0x20 ? 2 : 1;
        break;
      case 'p': {
        const pulse = { pin: arg(0) & 1 ? 5 : 2, onMs: arg(1) * 2, offMs: arg(2) * 2 };
        this.page.drawerPulses.push(pulse);
        this.hooks.onDrawer?.(pulse);
        break;
      }
      case 'i':
      case 'm':
        this.cut();
        break;
      default:
        break;
    }
    return 2 + n;
  }

  private fs(b: Buffer, pos: number): number {
    if (pos + 2 > b.length) return 0;
    const cmd = String.fromCharCode(b[pos + 1]!);
    switch (cmd) {
      case '&':
        this.kanji = true;
        return 2;
      case '.':
        this.kanji = false;
        return 2;
      case '!':
      case '-':
      case 'C':
      case 'W':
        return pos + 3 <= b.length ? 3 : 0;
      case 'S':
      case 'p':
        return pos + 4 <= b.length ? 4 : 0;
      case '(': {
        if (pos + 5 > b.length) return 0;
        const len = b[pos + 3]! + b[pos + 4]! * 256;
        return pos + 5 + len <= b.length ? 5 + len : 0;
      }
      default:
        this.page.problems.push(`unknown FS ${b[pos + 1]!.toString(16)}`);
        return 2;
    }
  }

  private cut(): void {
    if (this.glyphs.length > 0) this.lineFeed();
    this.page.cut = true;
    this.hooks.onCut?.();
  }

  private gs(b: Buffer, pos: number): number {
    if (pos + 2 > b.length) return 0;
    const cmd = String.fromCharCode(b[pos + 1]!);
    const have = (n: number) => pos + n <= b.length;
    const u8 = (i: number) => b[pos + i]!;
    switch (cmd) {
      case '!':
        if (!have(3)) return 0;
        this.widthScale = ((u8(2) >> 4) & 0x07) + 1;
        return 3;
      case 'L':
        if (!have(4)) return 0;
        this.areaLeft = u8(2) + u8(3) * 256;
        return 4;
      case 'W':
        if (!have(4)) return 0;
        this.areaWidth = u8(2) + u8(3) * 256;
        return 4;
      case 'r':
        if (!have(3)) return 0;
        this.hooks.onTransmitStatus?.(u8(2));
        return 3;
      case 'V': {
        if (!have(3)) return 0;
        const m = u8(2);
        const len = [65, 66, 97, 98, 103, 104].includes(m) ? 4 : 3;
        if (!have(len)) return 0;
        this.cut();
        return len;
      }
      case 'v': {
        // GS v 0 m xL xH yL yH d1...dk
        if (!have(8)) return 0;
        const bytesPerRow = u8(4) + u8(5) * 256;
        const height = u8(6) + u8(7) * 256;
        const total = 8 + bytesPerRow * height;
        if (!have(total)) return 0;
        this.image(bytesPerRow * 8, height, b.subarray(pos + 8, pos + total));
        return total;
      }
      case '8': {
        // GS 8 L p1 p2 p3 p4 m fn ...
        if (!have(7)) return 0;
        const len = u8(3) + u8(4) * 256 + u8(5) * 65536 + u8(6) * 16777216;
        if (!have(7 + len)) return 0;
        this.graphics(b.subarray(pos + 7, pos + 7 + len));
        return 7 + len;
      }
      case '(': {
        // GS ( x pL pH m fn ...
        if (!have(5)) return 0;
        const len = u8(3) + u8(4) * 256;
        if (!have(5 + len)) return 0;
        if (b[pos + 2] === 0x4c) this.graphics(b.subarray(pos + 5, pos + 5 + len));
        else if (b[pos + 2] === 0x6b) this.symbol(b.subarray(pos + 5, pos + 5 + len));
        return 5 + len;
      }
      case 'k': {
        if (!have(3)) return 0;
        const m = u8(2);
        if (m <= 6) {
          const end = b.indexOf(0, pos + 3);
          return end < 0 ? 0 : end - pos + 1;
        }
        if (!have(4)) return 0;
        return have(4 + u8(3)) ? 4 + u8(3) : 0;
      }
      case 'B':
      case 'a':
      case 'h':
      case 'w':
      case 'H':
      case 'f':
      case 'b':
      case 'I':
      case '/':
      case 'E':
        return have(3) ? 3 : 0;
      case 'P':
        return have(4) ? 4 : 0;
      default:
        this.page.problems.push(`unknown GS ${b[pos + 1]!.toString(16)}`);
        return 2;
    }
  }

  private qr = { model: 2, cell: 3, level: 'm', data: null as Buffer | null };

  /** 2D symbol functions (GS ( k): only QR (cn 49) is drawn; others are skipped. */
  private symbol(data: Buffer): void {
    if (data[0] !== 49 || data.length < 2) return;
    const fn = data[1];
    const levels: Record<number, string> = { 48: 'l', 49: 'm', 50: 'q', 51: 'h' };
    if (fn === 65 && data.length >= 3) this.qr.model = data[2]! - 48;
    else if (fn === 67 && data.length >= 3) this.qr.cell = data[2]!;
    else if (fn === 69 && data.length >= 3) this.qr.level = levels[data[2]!] ?? '?';
    else if (fn === 80 && data.length >= 3) this.qr.data = Buffer.from(data.subarray(3));
    else if (fn === 81) {
      if (this.qr.data === null) {
        this.page.problems.push('QR print without stored data');
        return;
      }
      if (this.glyphs.length > 0) this.lineFeed();
      this.page.qrCodes.push({
        line: this.page.lines.length,
        model: this.qr.model,
        cell: this.qr.cell,
        level: this.qr.level,
        data: this.qr.data.toString('utf8'),
      });
    }
  }

  private pendingRaster: { width: number; height: number; bits: Uint8Array } | null = null;

  /** Graphics data (GS ( L / GS 8 L): fn 112 stores a raster, fn 50 prints it. */
  private graphics(data: Buffer): void {
    const fn = data[1];
    if (fn === 0x70 && data.length >= 10) {
      const width = data[6]! + data[7]! * 256;
      const height = data[8]! + data[9]! * 256;
      this.pendingRaster = { width, height, bits: new Uint8Array(data.subarray(10)) };
    } else if (fn === 0x32 && this.pendingRaster) {
      const r = this.pendingRaster;
      this.image(r.width, r.height, r.bits);
      this.pendingRaster = null;
    }
  }
}

/** Decodes a whole byte stream at once (tests, the `receipt` CLI). */
export function decodeEscPos(bytes: Buffer, hooks: DecoderHooks = {}): DecodedPage {
  const decoder = new EscPosDecoder(hooks);
  decoder.push(bytes);
  return decoder.takePage();
}
