/** scripts/bench: latency summaries (milliseconds). */
export interface Stats {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** The sorted samples behind a summary: kept for pooling rounds (combine), left out of bench.json (a symbol key). */
const SAMPLES = Symbol("samples");
type Sampled = { [SAMPLES]?: number[] };

/** Nearest-rank percentiles: p is the smallest sample at or above p of them (p99 of 100 samples is the 99th). */
export function summarize(latenciesMs: number[]): Stats {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const at = (p: number) => sorted.length ? sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] : NaN;
  const max = sorted.at(-1) ?? NaN;
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max, [SAMPLES]: sorted } as Stats;
}

/** Several runs of one measurement as one: counts summed, rates averaged, percentiles of all their samples pooled. */
export function combine<T extends Stats & { perSecond: number }>(runs: T[]): T {
  const result = { ...runs[0] } as Record<string, unknown>;
  for (const key of ["count", "booked", "errors"]) {
    if (typeof result[key] === "number") result[key] = runs.reduce((n, r) => n + Number((r as never)[key]), 0);
  }
  const pooled = runs.flatMap((r) => (r as Sampled)[SAMPLES] ?? []);
  if (pooled.length !== runs.reduce((n, r) => n + r.count, 0)) throw new Error("combine: a run without its samples");
  return { ...result as T, ...summarize(pooled), perSecond: runs.reduce((n, r) => n + r.perSecond, 0) / runs.length };
}
