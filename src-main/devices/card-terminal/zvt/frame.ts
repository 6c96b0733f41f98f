import { crc16Kermit } from './crc';

export const DLE = 0x10;
export const STX = 0x02;
export const ETX = 0x03;
export const ACK = 0x06;
export const NAK = 0x15;

/** Largest APDU the decoder accepts: CLASS INSTR FF lo hi + 65535 data bytes. */
export const MAX_APDU_BYTES = 5 + 0xffff;

/** `DLE STX` + APDU with every 0x10 doubled + `DLE ETX` + CRC-16/KERMIT (low byte, high byte). */
export function encodeFrame(apdu: Uint8Array): Uint8Array {
  const out: number[] = [DLE, STX];
  for (const b of apdu) {
    out.push(b);
    if (b === DLE) out.push(DLE);
  }
  const crc = crc16Kermit([...apdu, ETX]);
  out.push(DLE, ETX, crc & 0xff, crc >>> 8);
  return Uint8Array.from(out);
}

export type LineErrorCode = 'BAD_CRC' | 'GARBAGE' | 'BAD_ESCAPE' | 'TRUNCATED' | 'TOO_LONG';

/** What the byte-stream parser found: a link-level ACK/NAK, a checked frame, or a clear error. */
export type LineItem =
  | { type: 'ack' }
  | { type: 'nak' }
  | { type: 'frame'; apdu: Uint8Array }
  | { type: 'error'; code: LineErrorCode; message: string; bytes: number };

type State = 'idle' | 'idleDle' | 'body' | 'bodyDle' | 'crcLo' | 'crcHi';

/**
 * Streaming parser for the serial line. Never throws, never buffers more than MAX_APDU_BYTES, and
 * resynchronises on the next `DLE STX` after any error, so random or truncated input can neither
 * crash nor hang it. Bytes outside a frame other than ACK/NAK are reported as GARBAGE (one error per
 * run of garbage bytes).
 */
export class FrameParser {
  private state: State = 'idle';
  private body: number[] = [];
  private crcLo = 0;
  private garbage = 0;

  push(chunk: Uint8Array): LineItem[] {
    const out: LineItem[] = [];
    for (const b of chunk) this.step(b, out);
    this.flushGarbage(out);
    return out;
  }

  /** The inter-character timeout fired: drop a half-received frame (reported as TRUNCATED). */
  reset(): LineItem[] {
    const out: LineItem[] = [];
    this.flushGarbage(out);
    if (this.state !== 'idle' && this.state !== 'idleDle') {
      out.push({
        type: 'error',
        code: 'TRUNCATED',
        message: `frame cut off after ${this.body.length} bytes`,
        bytes: this.body.length,
      });
    }
    this.state = 'idle';
    this.body = [];
    return out;
  }

  get inFrame(): boolean {
    return this.state !== 'idle';
  }

  private flushGarbage(out: LineItem[]): void {
    if (this.garbage > 0) {
      out.push({
        type: 'error',
        code: 'GARBAGE',
        message: `${this.garbage} byte(s) outside a frame ignored`,
        bytes: this.garbage,
      });
      this.garbage = 0;
    }
  }

  private startFrame(out: LineItem[]): void {
    this.flushGarbage(out);
    this.state = 'body';
    this.body = [];
  }

  private step(b: number, out: LineItem[]): void {
    switch (this.state) {
      case 'idle':
        if (b === ACK || b === NAK) {
          this.flushGarbage(out);
          out.push({ type: b === ACK ? 'ack' : 'nak' });
        } else if (b === DLE) this.state = 'idleDle';
        else this.garbage++;
        return;
      case 'idleDle':
        if (b === STX) this.startFrame(out);
        else if (b === DLE) this.garbage++;
        else {
          this.garbage += 2;
          this.state = 'idle';
        }
        return;
      case 'body':
        if (b === DLE) this.state = 'bodyDle';
        else this.append(b, out);
        return;
      case 'bodyDle':
        if (b === DLE) {
          this.state = 'body';
          this.append(DLE, out);
        } else if (b === ETX) this.state = 'crcLo';
        else if (b === STX) {
          out.push({
            type: 'error',
            code: 'TRUNCATED',
            message: `new frame started inside a frame after ${this.body.length} bytes`,
            bytes: this.body.length,
          });
          this.startFrame(out);
        } else {
          out.push({
            type: 'error',
            code: 'BAD_ESCAPE',
            message: `DLE followed by 0x${hex2(b)} inside a frame`,
            bytes: this.body.length + 2,
          });
          this.state = 'idle';
          this.body = [];
        }
        return;
      case 'crcLo':
        this.crcLo = b;
        this.state = 'crcHi';
        return;
      case 'crcHi': {
        const received = this.crcLo | (b << 8);
        const expected = crc16Kermit([...this.body, ETX]);
        if (received === expected) out.push({ type: 'frame', apdu: Uint8Array.from(this.body) });
        else
          out.push({
            type: 'error',
            code: 'BAD_CRC',
            message: `CRC 0x${received.toString(16).padStart(4, '0')} received, 0x${expected.toString(16).padStart(4, '0')} computed`,
            bytes: this.body.length + 6,
          });
        this.state = 'idle';
        this.body = [];
        return;
      }
    }
  }

  private append(b: number, out: LineItem[]): void {
    if (this.body.length >= MAX_APDU_BYTES) {
      out.push({
        type: 'error',
        code: 'TOO_LONG',
        message: `frame longer than ${MAX_APDU_BYTES} bytes`,
        bytes: this.body.length,
      });
      this.state = 'idle';
      this.body = [];
      return;
    }
    this.body.push(b);
  }
}

export function hex2(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}

export function toHex(bytes: Uint8Array | readonly number[]): string {
  let s = '';
  for (const b of bytes) s += hex2(b);
  return s;
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(clean))
    throw new Error(`not a hex byte string: ${hex.slice(0, 40)}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}
