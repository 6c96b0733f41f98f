let zone: string | undefined;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Times are shown in the terminal's time zone (terminal.info), not the browser's. */
export function setDisplayTimeZone(timeZone: string | undefined) {
  zone = timeZone;
}

function formatter(): Intl.DateTimeFormat {
  const key = zone ?? '';
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(key, f);
  }
  return f;
}

/** An ISO instant as `2026-11-26 19:05:07` in the terminal's time zone — the same in every language. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = Object.fromEntries(
    formatter()
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}
