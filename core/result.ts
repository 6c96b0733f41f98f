export type DomainErrorCode =
  | 'NOT_POSITIVE'
  | 'NOT_INTEGER'
  | 'OVERPAY'
  | 'NOTHING_OWED'
  | 'UNKNOWN_SEASON'
  | 'DUPLICATE_SEASON'
  | 'OVER_SEASON_BALANCE'
  | 'ALLOCATION_SUM_MISMATCH'
  | 'TENDERED_TOO_LOW'
  | 'TOO_LARGE'
  | 'CLOCK_BACKWARDS';

export type DomainResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: DomainErrorCode; detail?: Record<string, string | number> };

export function ok<T>(value: T): DomainResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(
  code: DomainErrorCode,
  detail?: Record<string, string | number>,
): DomainResult<T> {
  return detail === undefined ? { ok: false, code } : { ok: false, code, detail };
}
