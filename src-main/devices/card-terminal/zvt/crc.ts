/**
 * CRC-16/KERMIT as ZVT uses it on the serial line: polynomial 0x1021 reflected (0x8408), init 0,
 * no final XOR, computed over the UNSTUFFED APDU followed by ETX (0x03), sent low byte first.
 * check("123456789") = 0x2189. Verified against every frame of ../shared/fixtures/zvt/frames.json.
 */
export function crc16Kermit(bytes: Uint8Array | readonly number[]): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b & 0xff;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc & 0xffff;
}
