import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeApdu, encodeApdu } from '../../../src-main/devices/card-terminal/zvt/apdu';
import { crc16Kermit } from '../../../src-main/devices/card-terminal/zvt/crc';
import {
  encodeFrame,
  FrameParser,
  fromHex,
  toHex,
} from '../../../src-main/devices/card-terminal/zvt/frame';
import { resultMessage, resultText } from '../../../src-main/devices/card-terminal/zvt/messages';
import { decodeTlvItems, encodeTlvItems } from '../../../src-main/devices/card-terminal/zvt/tlv';

/** Golden frames produced by an independent implementation (wirelane/ecrterm), see the file's notes. */
const FIXTURE = new URL('../../../../shared/fixtures/zvt/frames.json', import.meta.url);
interface Case {
  name: string;
  direction: string;
  apdu: string;
  frame: string;
  fields: Record<string, unknown>;
}
const golden = JSON.parse(readFileSync(FIXTURE, 'utf8')) as {
  cases: Case[];
  error_codes: Record<string, string>;
};

/** Human texts are ours (zh-CN + en); they are checked separately below. */
const TEXT_KEYS = ['result_text', 'error_text', 'intermediate_status_text', 'terminal_status_text'];
const withoutTexts = (f: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(f).filter(([k]) => !TEXT_KEYS.includes(k)));

describe('ZVT codec against the golden frames', () => {
  it('has the expected fixture', () => {
    expect(golden.cases.length).toBeGreaterThanOrEqual(50);
    expect(crc16Kermit(new TextEncoder().encode('123456789'))).toBe(0x2189);
  });

  for (const c of golden.cases) {
    describe(c.name, () => {
      it('frames the APDU byte-exactly (stuffing, CRC-16/KERMIT low byte first)', () => {
        expect(toHex(encodeFrame(fromHex(c.apdu)))).toBe(c.frame.toUpperCase());
      });

      it('parses the frame from the byte stream, also split into 1-byte chunks', () => {
        const whole = new FrameParser().push(fromHex(c.frame));
        expect(whole).toEqual([{ type: 'frame', apdu: fromHex(c.apdu) }]);
        const p = new FrameParser();
        const items = [...fromHex(c.frame)].flatMap((b) => p.push(Uint8Array.of(b)));
        expect(items).toEqual([{ type: 'frame', apdu: fromHex(c.apdu) }]);
      });

      it('decodes field-exactly', () => {
        const decoded = decodeApdu(fromHex(c.apdu));
        expect(withoutTexts(decoded.fields)).toEqual(withoutTexts(c.fields));
        for (const k of TEXT_KEYS) {
          if (typeof c.fields[k] === 'string') {
            expect(String(decoded.fields[k]).toLowerCase()).toContain(
              String(c.fields[k])
                .replace(/^00 /, '')
                .replace(/ \(0x[0-9A-F]{2}\)$/, '')
                .toLowerCase(),
            );
          }
        }
      });

      it('encodes from the decoded fields byte-exactly', () => {
        const decoded = decodeApdu(fromHex(c.apdu));
        expect(toHex(encodeApdu(decoded.command, decoded.fields))).toBe(c.apdu.toUpperCase());
      });

      if (c.direction === 'ecr->pt') {
        it('encodes from the golden fields alone (what the driver sends)', () => {
          const command = `${c.apdu.slice(0, 2)} ${c.apdu.slice(2, 4)}`;
          expect(toHex(encodeFrame(encodeApdu(command, c.fields)))).toBe(c.frame.toUpperCase());
        });
      }

      if (typeof c.fields.tlv_hex === 'string') {
        it('re-encodes the TLV tree byte-exactly (unknown tags kept)', () => {
          const tlv = c.fields.tlv as Parameters<typeof encodeTlvItems>[0];
          const hex = c.fields.tlv_hex as string;
          const body = hex.slice(hex.startsWith('82') ? 6 : hex.startsWith('81') ? 4 : 2);
          expect(toHex(encodeTlvItems(tlv))).toBe(body.toUpperCase());
          expect(decodeTlvItems(fromHex(body))).toEqual(tlv);
        });
      }
    });
  }

  it('maps every result code of the fixture to a clear zh-CN/en message', () => {
    for (const [code, text] of Object.entries(golden.error_codes)) {
      const n = parseInt(code, 16);
      expect(resultText(n).toLowerCase()).toContain(
        text
          .replace(/^00 /, '')
          .replace(/ \(0x[0-9A-F]{2}\)$/, '')
          .toLowerCase(),
      );
      const m = resultMessage(n);
      expect(m['zh-CN'].length).toBeGreaterThan(2);
      expect(m.en).toContain(code.toUpperCase());
    }
  });
});
