/** A malformed APDU or field: `code` is stable, `message` says where and what (English, for logs). */
export class ZvtCodecError extends Error {
  constructor(
    readonly code: 'BAD_APDU' | 'BAD_LENGTH' | 'UNKNOWN_BMP' | 'BAD_BCD' | 'BAD_TLV' | 'BAD_FIELD',
    message: string,
  ) {
    super(message);
    this.name = 'ZvtCodecError';
  }
}
