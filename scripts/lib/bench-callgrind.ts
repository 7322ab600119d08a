/**
 * scripts/bench, the instruction counts: PostgreSQL in single-user mode under valgrind's callgrind runs a SQL scenario
 * of bench-sql.ts 10 and then 110 times (one transaction each, random tenants, after prewarming its buffers);
 * (instructions of 110 − of 10) / 100 is what one call costs. Instructions, unlike seconds, do not move with the
 * machine's load, so ratios between outcomes and sizes are exact. Runs while the bench's cluster is stopped; writes
 * `instructions.json` and the profiles of the booking (`callgrind_annotate callgrind-<db>.out`) into --out.
 *
 *   deno run -A scripts/lib/bench-callgrind.ts --pg-bin DIR --data DIR --db postgres --tenants N --small-db bench_small
 *     --small-tenants 10 --out DIR [--setting name=value ...]
 */
import { parseArgs } from "node:util";
import { scenarioQuery, type SqlScenario, tenantRange } from "./bench-sql.ts";

const RUNS = [10, 110] as const;

/** The scenario as a prepared statement of the tenant number ($1), then `n` executions over spread-out tenants. */
function script(scenario: SqlScenario, tenants: number, n: number): string {
  const range = tenantRange(scenario, tenants); // the tenants pgbench draws from
  const query = scenarioQuery(scenario, "$1").replaceAll(/\n\s*/g, " ").replace(/;\s*$/, "");
  const lines = ["select bench.prewarm();", `prepare scenario(int) as ${query};`];
  for (let i = 1; i <= n; i++) lines.push(`execute scenario(${1 + (i * 7919) % range});`);
  return lines.join("\n") + "\n";
}

/** Where and how a single-user backend runs. */
interface Backend {
  pgBin: string;
  data: string;
  db: string;
  settings: string[];
}

/** Instructions of one single-user backend running `sql`; its profile goes to `profile`. */
async function countRun(b: Backend, sql: string, profile: string) {
  const valgrind = [
    "valgrind",
    "--tool=callgrind",
    `--callgrind-out-file=${profile}`,
    `${b.pgBin}/postgres`,
    "--single",
    "-D",
    b.data,
    ...b.settings.flatMap((s) => ["-c", s]),
    b.db,
  ];
  // PostgreSQL refuses to run as root: as root, the backend runs as postgres (the cluster's owner).
  const argv = Deno.uid() === 0 ? ["runuser", "-u", "postgres", "--", ...valgrind] : valgrind;
  const cmd = new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = cmd.stdin.getWriter();
  await writer.write(new TextEncoder().encode(sql));
  await writer.close();
  const out = await cmd.output();
  const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
  const collected = /Collected : (\d+)/.exec(text)?.[1];
  if (!out.success || collected === undefined || /\bERROR:/.test(text)) {
    throw new Error(`callgrind run on ${b.db} failed:\n${text.slice(-2000)}`);
  }
  return Number(collected);
}

/** Instructions one call of `scenario` costs PostgreSQL on `db`. */
export async function instructionsPerCall(
  o: Backend & { tenants: number; scenario: SqlScenario; workDir: string },
): Promise<number> {
  const counts: number[] = [];
  for (const n of RUNS) {
    const profile = `${o.workDir}/callgrind-${o.db}-${o.scenario}-${n}.out`;
    counts.push(await countRun(o, script(o.scenario, o.tenants, n), profile));
  }
  return (counts[1] - counts[0]) / (RUNS[1] - RUNS[0]);
}

if (import.meta.main) {
  const { values: a } = parseArgs({
    args: Deno.args,
    strict: true,
    options: {
      "pg-bin": { type: "string" },
      data: { type: "string" },
      db: { type: "string" },
      tenants: { type: "string" },
      "small-db": { type: "string" },
      "small-tenants": { type: "string" },
      out: { type: "string" },
      setting: { type: "string", multiple: true },
    },
  });
  if (!a["pg-bin"] || !a.data || !a.db || !a.tenants || !a["small-db"] || !a["small-tenants"] || !a.out) {
    throw new Error(
      "usage: bench-callgrind.ts --pg-bin DIR --data DIR --db DB --tenants N --small-db DB --small-tenants N --out DIR",
    );
  }
  const workDir = await Deno.makeTempDir({ dir: a.data + "/..", prefix: "callgrind-" });
  await Deno.chmod(workDir, 0o777); // the backend (user postgres) writes its profiles here
  const base = { pgBin: a["pg-bin"], data: a.data, settings: a.setting ?? [], workDir };
  const big = { ...base, db: a.db, tenants: Number(a.tenants) };
  const result: Record<string, number> = {};
  for (const scenario of ["booked", "refused_taken", "refused_closed", "availability"] as const) {
    console.error(`[bench] callgrind: ${scenario} (${a.tenants} tenants)`);
    result[scenario] = await instructionsPerCall({ ...big, scenario });
  }
  console.error(`[bench] callgrind: booked (${a["small-tenants"]} tenants)`);
  result.booked_small = await instructionsPerCall({
    ...base,
    db: a["small-db"],
    tenants: Number(a["small-tenants"]),
    scenario: "booked",
  });
  for (const db of [a.db, a["small-db"]]) {
    await Deno.copyFile(`${workDir}/callgrind-${db}-booked-${RUNS[1]}.out`, `${a.out}/callgrind-${db}.out`);
  }
  await Deno.remove(workDir, { recursive: true });
  await Deno.writeTextFile(`${a.out}/instructions.json`, JSON.stringify(result, null, 2) + "\n");
}
