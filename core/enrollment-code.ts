/**
 * The one-time enrollment code head office issues (docs/trust.md "Enrollment"): 80 random bits as
 * 16 Crockford base32 characters in four groups, easy to read out and type. Free of zod, so the
 * renderer checks a typed code with the same rule as the wire.
 */

/** Crockford base32: no I, L, O, U; what a person reads as I/L is 1 and O is 0. */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The code as typed (any case, spaces or dashes, I/L for 1, O for 0) in its one written form
 * `XXXX-XXXX-XXXX-XXXX`, or null when it cannot be one.
 */
export function normalizeEnrollmentCode(text: string): string | null {
  const plain = text.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (plain.length !== 16 || [...plain].some((c) => !CROCKFORD_ALPHABET.includes(c))) return null;
  return plain.match(/.{4}/g)!.join('-');
}
