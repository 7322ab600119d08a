/** scripts/bench: the printed table and the latency-against-load chart. */

/** [line, what is measured, value, target, met (undefined: no target)] */
export type Row = [string, string, string, string, boolean | undefined];

export function printTable(rows: Row[]): void {
  printMarkdownTable(
    ["line", "what", "value", "target", ""],
    rows.map(([line, what, value, target, met]) => [
      line,
      what,
      value,
      target,
      met === undefined ? "" : met ? "met" : "NOT met",
    ]),
  );
}

/** A Markdown table whose columns are as wide as their widest cell (also scripts/stress'). */
export function printMarkdownTable(head: string[], cells: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const format = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(" | ")} |`;
  console.log(format(head));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const c of cells) console.log(format(c));
}

export interface CurvePoint {
  rate: number;
  achieved: number;
  /** NaN when no request of that load was answered. */
  p50: number;
  p95: number;
  errors: number;
}

/**
 * p50 and p95 latency (from the scheduled send time) against the offered rate, as a small standalone SVG. The lines
 * join the loads that were answered; a load with failed requests says how many under its rate.
 */
export function latencySvg(all: CurvePoint[]): string {
  const W = 640, H = 360, L = 60, R = 20, T = 30, B = 50;
  const points = all.filter((p) => Number.isFinite(p.p50) && Number.isFinite(p.p95));
  const maxX = Math.max(1, ...all.map((p) => p.rate)) * 1.05;
  const maxY = Math.max(1, ...points.map((p) => p.p95)) * 1.1;
  const x = (v: number) => L + (v / maxX) * (W - L - R);
  const y = (v: number) => H - B - (v / maxY) * (H - T - B);
  const line = (key: "p50" | "p95", color: string) =>
    `<polyline fill="none" stroke="${color}" stroke-width="2" points="${
      points.map((p) => `${x(p.rate).toFixed(1)},${y(p[key]).toFixed(1)}`).join(" ")
    }"/>` +
    points.map((p) => `<circle cx="${x(p.rate).toFixed(1)}" cy="${y(p[key]).toFixed(1)}" r="3" fill="${color}"/>`)
      .join("");
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) =>
    `<text x="${L - 6}" y="${y(f * maxY) + 4}" text-anchor="end">${(f * maxY).toFixed(0)}</text>` +
    `<line x1="${L}" x2="${W - R}" y1="${y(f * maxY)}" y2="${y(f * maxY)}" stroke="#ddd"/>`
  ).join("");
  const xTicks = all.map((p) =>
    `<text x="${x(p.rate)}" y="${H - B + 16}" text-anchor="middle">${p.rate}</text>` +
    (p.errors > 0
      ? `<text x="${x(p.rate)}" y="${H - B + 28}" text-anchor="middle" fill="#d62728">${p.errors} failed</text>`
      : "")
  ).join("");
  const empty = points.length === 0
    ? `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" fill="#d62728">no request was answered</text>`
    : "";
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">
<text x="${
    W / 2
  }" y="18" text-anchor="middle" font-size="13">book_appointment through the webhook: latency against offered load</text>
${ticks}${xTicks}${empty}
<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#000"/><line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${
    H - B
  }" stroke="#000"/>
<text x="${W / 2}" y="${H - 12}" text-anchor="middle">offered rate (requests/s, open model)</text>
<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${
    H / 2
  })">latency from scheduled send (ms)</text>
${line("p50", "#1f77b4")}${line("p95", "#d62728")}
<text x="${W - R - 90}" y="${T + 12}" fill="#1f77b4">p50</text><text x="${W - R - 50}" y="${
    T + 12
  }" fill="#d62728">p95</text>
</svg>
`;
}
