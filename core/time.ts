import { fail, ok } from './result';
import type { DomainResult } from './result';

// Building an Intl formatter costs ~0.2 ms; the payment path asks for the business date every time.
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

// The local date only changes on a minute boundary (every real UTC offset is a whole number of
// minutes), so the last answer per zone is reused within the same UTC minute: formatToParts is slow.
const lastDate = new Map<string, { minute: number; date: string }>();

/** 'YYYY-MM-DD' of the counter's local calendar day in the IANA zone. */
export function businessDate(now: Date, timeZone: string): string {
  if (Number.isNaN(now.getTime())) throw new RangeError('businessDate: invalid Date');
  // formatToParts rather than format(): the en-CA pattern has changed between ICU releases.
  const minute = Math.floor(now.getTime() / 60_000);
  const cached = lastDate.get(timeZone);
  if (cached && cached.minute === minute) return cached.date;
  const parts = dateFormatter(timeZone).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  const date = `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
  lastDate.set(timeZone, { minute, date });
  return date;
}

const ISO_WITH_ZONE =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function parseIso(name: string, iso: string): number {
  const ms = ISO_WITH_ZONE.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms))
    throw new RangeError(`${name} is not an ISO-8601 instant with a zone: ${iso}`);
  return ms;
}

/**
 * Refuses a clock that went backwards past the tolerance relative to the highest time already
 * used for an event (or seen from head office). Small backward steps (NTP slews) are tolerated.
 */
export function checkClock(
  nowIso: string,
  highWaterIso: string | null,
  toleranceMs: number,
): DomainResult<void> {
  if (!Number.isFinite(toleranceMs) || toleranceMs < 0) {
    throw new RangeError(
      `checkClock: toleranceMs must be a finite number >= 0, got ${toleranceMs}`,
    );
  }
  const nowMs = parseIso('nowIso', nowIso);
  if (highWaterIso === null) return ok(undefined);
  const highWaterMs = parseIso('highWaterIso', highWaterIso);
  if (nowMs < highWaterMs - toleranceMs) {
    return fail('CLOCK_BACKWARDS', { lastIso: highWaterIso, nowIso });
  }
  return ok(undefined);
}
