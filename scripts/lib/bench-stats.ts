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
