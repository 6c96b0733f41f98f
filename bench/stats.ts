/** Percentiles and summaries of latency samples (milliseconds). */

/** Linear-interpolated percentile (p in 0..100) of already sorted samples. */
export function percentileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * (p / 100);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

export function percentile(samples: readonly number[], p: number): number {
  return percentileSorted(
    [...samples].sort((x, y) => x - y),
    p,
  );
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export interface Summary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((x, y) => x - y);
  const mean = sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length);
  return {
    n: sorted.length,
    p50: round(percentileSorted(sorted, 50)),
    p90: round(percentileSorted(sorted, 90)),
    p99: round(percentileSorted(sorted, 99)),
    mean: round(mean),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** ours ÷ baseline, rounded; NaN-safe. */
export function ratio(ours: number, baseline: number): number {
  return baseline > 0 ? round(ours / baseline, 2) : Number.NaN;
}
