function assertNonNegativeSafeInteger(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer, got ${String(n)}`);
  }
}

/** Round half up of (area_hundredths × rate_fen / 100), in integers only. */
export function computeChargeFen(areaHundredths: number, rateFenPerM2: number): number {
  assertNonNegativeSafeInteger('areaHundredths', areaHundredths);
  assertNonNegativeSafeInteger('rateFenPerM2', rateFenPerM2);
  const product = areaHundredths * rateFenPerM2;
  // A true product above 2^53 rounds to a double >= 2^53, so this also catches lost precision.
  if (!Number.isSafeInteger(product)) {
    throw new RangeError(`charge product ${areaHundredths} × ${rateFenPerM2} is too large`);
  }
  // % and the exact division keep every step an integer; Math.round(product / 100) would not.
  const remainder = product % 100;
  const quotient = (product - remainder) / 100;
  return remainder >= 50 ? quotient + 1 : quotient;
}

/** part / whole in tenths of a percent, rounded half up: 1/3 -> 333 (33.3 %). */
export function percentTenths(partFen: number, wholeFen: number): number {
  assertNonNegativeSafeInteger('partFen', partFen);
  assertNonNegativeSafeInteger('wholeFen', wholeFen);
  if (wholeFen === 0) {
    if (partFen === 0) return 0;
    throw new RangeError(`percentTenths: ${partFen} of a zero whole`);
  }
  const scaled = BigInt(partFen) * 1000n;
  const whole = BigInt(wholeFen);
  const quotient = scaled / whole;
  const remainder = scaled % whole;
  return Number(remainder * 2n >= whole ? quotient + 1n : quotient);
}

/** 453 -> '45.3%', 1000 -> '100.0%'. */
export function formatPercentTenths(t: number): string {
  if (!Number.isSafeInteger(t)) {
    throw new RangeError(`formatPercentTenths: not an integer: ${String(t)}`);
  }
  const sign = t < 0 ? '-' : '';
  const digits = String(Math.abs(t)).padStart(2, '0');
  return `${sign}${digits.slice(0, -1)}.${digits.slice(-1)}%`;
}
