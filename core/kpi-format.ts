/**
 * Formatting of the service KPIs (issue 22), from their integer forms; shared by the counter's
 * screens and the printed / exported reports. Integer arithmetic only.
 */

function fixed(value: number, decimals: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer: ${String(value)}`);
  const sign = value < 0 ? '-' : '';
  const digits = String(Math.abs(value)).padStart(decimals + 1, '0');
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** Tenths of a point on the 100-point scale: 925 → '92.5'. */
export function formatPointsTenths(tenths: number): string {
  return fixed(tenths, 1);
}

/** Basis points as a percentage: 42 → '0.42%'. */
export function formatBasisPoints(bp: number): string {
  return `${fixed(bp, 2)}%`;
}

/** Tenths of a per mille: 13 → '1.3‰'. */
export function formatPerMilleTenths(tenths: number): string {
  return `${fixed(tenths, 1)}‰`;
}

/** Whole seconds as minutes and seconds: 545 → '9:05'. */
export function formatMinSec(seconds: number): string {
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new RangeError(`not a duration: ${String(seconds)}`);
  }
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
