/**
 *   npm run zvt -- decode <hex>      frame (10 02 … 10 03 crc crc) or bare APDU → JSON
 *   npm run zvt -- encode '<json>'   {"command":"06 01","fields":{"amount_minor":25800,"currency_code":156}} → framed hex
 * Exit code 0 on success, 1 with a JSON {"error": …} on bad input.
 */
import { decodeApdu, encodeApdu } from './zvt/apdu';
import { encodeFrame, FrameParser, fromHex, toHex } from './zvt/frame';

function fail(message: string): never {
  process.stdout.write(`${JSON.stringify({ error: message })}\n`);
  process.exit(1);
}

function main(): void {
  const [verb, input] = process.argv.slice(2);
  if (!verb || input === undefined) fail('usage: zvt decode <hex> | zvt encode <json>');
  try {
    if (verb === 'decode') {
      let bytes: Uint8Array;
      try {
        bytes = fromHex(input);
      } catch (e) {
        return fail((e as Error).message);
      }
      let apdu = bytes;
      let framed = false;
      if (bytes[0] === 0x10 && bytes[1] === 0x02) {
        const items = new FrameParser().push(bytes);
        const frame = items.find((i) => i.type === 'frame');
        const error = items.find((i) => i.type === 'error');
        if (!frame || frame.type !== 'frame')
          fail(
            error && error.type === 'error'
              ? `${error.code}: ${error.message}`
              : 'incomplete frame',
          );
        apdu = frame.apdu;
        framed = true;
      }
      const decoded = decodeApdu(apdu);
      process.stdout.write(
        `${JSON.stringify({ framed, apdu: toHex(apdu), ...decoded }, null, 2)}\n`,
      );
    } else if (verb === 'encode') {
      let spec: { command?: unknown; fields?: unknown };
      try {
        spec = JSON.parse(input) as typeof spec;
      } catch {
        return fail('input is not JSON');
      }
      if (typeof spec.command !== 'string') fail('"command" like "06 01" is required');
      const fields =
        spec.fields && typeof spec.fields === 'object'
          ? (spec.fields as Record<string, unknown>)
          : {};
      const apdu = encodeApdu(spec.command, fields);
      process.stdout.write(`${toHex(encodeFrame(apdu))}\n`);
    } else fail(`unknown verb "${verb}"`);
  } catch (e) {
    fail((e as Error).message);
  }
}

main();
