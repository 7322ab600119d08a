/** scripts/bench: latency summaries (milliseconds). */
export interface Stats {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(latenciesMs: number[]): Stats {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const at = (p: number) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN;
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? NaN };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Several runs of one measurement as one: counts summed, rates averaged, percentiles as the runs' median. */
export function combine<T extends Stats & { perSecond: number }>(runs: T[]): T {
  const result = { ...runs[0] } as Record<string, unknown>;
  for (const key of ["count", "booked", "errors"]) {
    if (typeof result[key] === "number") result[key] = runs.reduce((n, r) => n + Number((r as never)[key]), 0);
  }
  return {
    ...result as T,
    perSecond: runs.reduce((n, r) => n + r.perSecond, 0) / runs.length,
    p50: median(runs.map((r) => r.p50)),
    p95: median(runs.map((r) => r.p95)),
    p99: median(runs.map((r) => r.p99)),
    max: Math.max(...runs.map((r) => r.max)),
  };
}
