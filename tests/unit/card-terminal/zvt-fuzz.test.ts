import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeApdu } from '../../../src-main/devices/card-terminal/zvt/apdu';
import { ZvtCodecError } from '../../../src-main/devices/card-terminal/zvt/errors';
import { encodeFrame, FrameParser } from '../../../src-main/devices/card-terminal/zvt/frame';

const apdus = fc.uint8Array({ minLength: 3, maxLength: 300 });

describe('ZVT parser fuzz: random and truncated byte streams', () => {
  it('random bytes: the frame parser never throws and only yields known items', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }), (chunks) => {
        const p = new FrameParser();
        for (const c of chunks) {
          for (const item of [...p.push(c), ...(Math.random() < 0.1 ? p.reset() : [])]) {
            expect(['ack', 'nak', 'frame', 'error']).toContain(item.type);
            if (item.type === 'error') expect(item.message.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a good frame after garbage or a truncated frame is still found (resync)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), apdus, fc.nat(), (junk, apdu, cut) => {
        const frame = encodeFrame(apdu);
        const truncated = frame.subarray(0, cut % frame.length);
        const p = new FrameParser();
        const items = [...p.push(junk), ...p.push(truncated), ...p.reset(), ...p.push(frame)];
        const frames = items.filter((i) => i.type === 'frame');
        expect(frames.at(-1)).toEqual({ type: 'frame', apdu });
      }),
      { numRuns: 500 },
    );
  });

  it('a flipped byte inside a frame is never accepted as a different APDU', () => {
    fc.assert(
      fc.property(apdus, fc.nat(), fc.integer({ min: 1, max: 255 }), (apdu, at, x) => {
        const frame = Uint8Array.from(encodeFrame(apdu));
        const i = 2 + (at % (frame.length - 2));
        frame[i] = frame[i]! ^ x;
        const out = new FrameParser().push(frame).filter((f) => f.type === 'frame');
        for (const f of out) if (f.type === 'frame') expect(f.apdu).toEqual(apdu);
      }),
      { numRuns: 1000 },
    );
  });

  it('random APDUs: the decoder returns fields or a ZvtCodecError, nothing else', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x04, 0x05, 0x06, 0x80, 0x84),
        fc.constantFrom(0x00, 0x01, 0x0f, 0x1e, 0x30, 0x31, 0x50, 0xd1, 0xd3, 0xe0, 0xff),
        fc.uint8Array({ maxLength: 260 }),
        (cls, ins, data) => {
          const len =
            data.length < 0xff ? [data.length] : [0xff, data.length & 0xff, data.length >> 8];
          const apdu = Uint8Array.from([cls, ins, ...len, ...data]);
          try {
            const d = decodeApdu(apdu);
            expect(typeof d.command).toBe('string');
          } catch (e) {
            expect(e).toBeInstanceOf(ZvtCodecError);
          }
          // truncated APDUs always give a clear length error
          if (data.length > 0)
            expect(() => decodeApdu(apdu.subarray(0, apdu.length - 1))).toThrow(ZvtCodecError);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
