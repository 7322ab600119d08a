// PostgreSQL killed (`pg_ctl -m immediate`) under 20 concurrent callers, and again while idle: the gateway process
// survives, every request is answered (HTTP 200, tool calls with the spoken failure) within the function's few quick
// tries (rpc.ts RETRY_PAUSES_MS), a failure answer never hides a booking — the kill cuts answers of commits already
// made, and the function's next try hears them from the ledger — and the same gateway books again once PostgreSQL is
// back — no restart. Then it freezes PostgreSQL (SIGSTOP) with a booking in flight and thaws it before that booking's
// commit deadline: the answer must match what was stored. It runs on a throw-away copy of the test cluster
// (pg_basebackup), so other tests never see the outage.
import assert from "node:assert/strict";
import postgres from "postgres";
import type { RunningGateway } from "../../local-stack/gateway.ts";
import {
  bookingArgs,
  futureWeekday,
  HVAC,
  post,
  type Reply,
  SPOKEN_RPC_FAILURE,
  startWebhookGateway,
  testDatabaseUrl,
  toolCallsMessage,
} from "./_stack.ts";

const PG_BIN = "/usr/lib/postgresql/15/bin";
// Under /tmp: the postgres OS user may not be able to enter the checkout (e.g. one under /root).
let DIR = "";
const PORT = Number(Deno.env.get("DEATH_PG_PORT") ?? Number(new URL(testDatabaseUrl()).port) + 3);
const URL_ = `postgresql://postgres:postgres@127.0.0.1:${PORT}/postgres?sslmode=disable`;
const CALLERS = 20;

async function run(...cmd: string[]): Promise<void> {
  // initdb/pg_ctl refuse root: run them as the postgres OS user, as scripts/lib/stack.sh does.
  const asPg = Deno.uid() === 0 ? ["runuser", "-u", "postgres", "--", ...cmd] : cmd;
  const out = await new Deno.Command(asPg[0], { args: asPg.slice(1), stdout: "piped", stderr: "piped" }).output();
  if (!out.success) throw new Error(`${cmd.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
}

const pgCtl = (...args: string[]) => run(`${PG_BIN}/pg_ctl`, "-D", `${DIR}/data`, ...args);
const start = () =>
  pgCtl(
    "-l",
    `${DIR}/postgres.log`,
    "-w",
    "-t",
    "30",
    "-o",
    `-p ${PORT} -k '${DIR}' -c listen_addresses=127.0.0.1 -c fsync=off`,
    "start",
  );
const kill = () => pgCtl("-m", "immediate", "-w", "stop");

/** The postmaster and every process it started. */
async function postgresPids(): Promise<string[]> {
  const postmaster = (await Deno.readTextFile(`${DIR}/data/postmaster.pid`)).split("\n")[0].trim();
  const out = await new Deno.Command("pgrep", { args: ["-P", postmaster], stdout: "piped" }).output();
  return [postmaster, ...new TextDecoder().decode(out.stdout).split("\n").filter(Boolean)];
}

async function signal(name: "STOP" | "CONT", pids: string[]): Promise<void> {
  if (pids.length > 0) await new Deno.Command("kill", { args: [`-${name}`, ...pids] }).output();
}

async function cloneTestCluster(): Promise<void> {
  DIR = await Deno.makeTempDir({ prefix: "death-pg-" });
  if (Deno.uid() === 0) await new Deno.Command("chown", { args: ["postgres", DIR] }).output();
  const source = new URL(testDatabaseUrl());
  // A fast checkpoint: the default spread one can make pg_basebackup wait minutes.
  const copy = ["-h", source.hostname, "-p", source.port, "-U", "postgres", "-D", `${DIR}/data`, "-X", "stream"];
  await run(`${PG_BIN}/pg_basebackup`, "--checkpoint=fast", ...copy);
  await start();
}

/** Distinct 30-minute wall-clock slots inside HVAC's hours, on future weekdays no other test of this process uses. */
function* slots(): Generator<string> {
  while (true) {
    const day = futureWeekday();
    for (let hour = 8; hour < 18; hour++) {
      for (const min of ["00", "30"]) yield `${day}T${String(hour).padStart(2, "0")}:${min}`;
    }
  }
}

interface Answer {
  callId: string;
  /** What was sent, to deliver it again. */
  message: unknown;
  reply: Reply;
  ms: number;
  at: number;
}

/** booked; refused (the database answered: taken, closed); spoken failure (it could not be reached); else unexpected. */
function outcome(answer: Answer): string {
  const result = answer.reply.body?.results?.[0];
  if (answer.reply.status !== 200 || !result) return `HTTP ${answer.reply.status} ${JSON.stringify(answer.reply.body)}`;
  if (result.error === SPOKEN_RPC_FAILURE) return "spoken failure";
  if (typeof result.error === "string" && /taken|not open|closing time/.test(result.error)) return "refused";
  return JSON.parse(result.result ?? "{}").status ?? JSON.stringify(result);
}

async function book(webhookUrl: string, slot: string): Promise<Answer> {
  const callId = `death-${crypto.randomUUID()}`;
  const message = toolCallsMessage({ callId, callAssistantId: HVAC.assistant }, [{
    name: "book_appointment",
    args: bookingArgs(slot, { duration_minutes: 30 }),
  }]);
  const started = performance.now();
  const reply = await post(webhookUrl, message);
  return { callId, message, reply, ms: performance.now() - started, at: started };
}

/** Books until `until()` says stop, `CALLERS` at a time; collects every answer. */
async function load(webhookUrl: string, next: () => string, until: () => boolean): Promise<Answer[]> {
  const answers: Answer[] = [];
  await Promise.all(Array.from({ length: CALLERS }, async () => {
    while (!until()) answers.push(await book(webhookUrl, next()));
  }));
  return answers;
}

/** Books one slot after another until one is booked; returns how long that took. */
async function untilBooked(webhookUrl: string, next: () => string, limitMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    if (outcome(await book(webhookUrl, next())) === "booked") return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not serving again ${limitMs} ms after PostgreSQL came back`);
}

Deno.test({
  name: "PostgreSQL killed under 20 callers and while idle, then frozen mid-booking → every answer true, serving again",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const t0 = performance.now();
    const phase = (what: string) => console.log(`[death] ${what} at ${Math.round(performance.now() - t0)} ms`);
    let gateway: RunningGateway | undefined;
    const sql = postgres(URL_, { max: 1, onnotice: () => {} });
    try {
      await cloneTestCluster();
      phase("cloned");
      gateway = await startWebhookGateway(URL_);
      const webhookUrl = `${gateway.functionsUrl}/vapi-webhook`;
      const slot = slots();
      const next = () => slot.next().value as string;
      assert.equal(outcome(await book(webhookUrl, next())), "booked", "control: the copy serves");

      // 1. Killed mid-load: keep 20 callers busy across the kill and the restart.
      let stopLoad = false;
      const loading = load(webhookUrl, next, () => stopLoad);
      await new Promise((resolve) => setTimeout(resolve, 800));
      await kill();
      const killedAt = performance.now();
      // Down for well under the function's tries (~2.6 s): a short outage loses no answer.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await start();
      const recovery = await untilBooked(webhookUrl, next, 20_000);
      stopLoad = true;
      const answers = await loading;
      phase("load done");

      const outcomes = answers.map(outcome);
      const unexpected = outcomes.filter((o) => !["booked", "refused", "spoken failure"].includes(o));
      assert.deepEqual(unexpected, [], "every request answered: booked, or HTTP 200 with the spoken failure");
      const cut = answers.filter((a) => a.at < killedAt && a.at + a.ms > killedAt);
      assert.ok(outcomes.includes("booked") && cut.length > 0, "load spans the kill");
      // A short outage loses no answer: each call the kill cut asked again and was answered by the database.
      assert.deepEqual(
        cut.map(outcome).filter((o) => o === "spoken failure"),
        [],
        "no call in flight at the kill failed",
      );
      // Bounded: the function's tries end well inside its 8 s RPC budget.
      assert.ok(
        answers.every((a) => a.ms < 4000),
        `slowest answer: ${Math.max(...answers.map((a) => a.ms))} ms`,
      );

      // Every "booked" answer has its row, and no failure answer hides one: a request whose answer the kill cut after
      // its commit asked again and heard the ledger's "booked".
      const failed = answers.filter((a) => outcome(a) === "spoken failure");
      const booked = answers.filter((a) => outcome(a) === "booked").map((a) => a.callId);
      const [{ count }] = await sql`
        select count(*)::int from public.appointments where vapi_call_id = any(${booked})`;
      assert.equal(count, booked.length, "every booked answer has its row");
      const [{ behind }] = await sql`
        select count(*)::int as behind from public.appointments
        where vapi_call_id = any(${failed.map((a) => a.callId)})`;
      assert.equal(behind, 0, "no booking behind a failure answer");
      console.log(
        `killed under load: ${answers.length} requests, ${booked.length} booked, ${failed.length} spoken failures, ` +
          `${cut.length} in flight at the kill; serving again ${
            Math.round(recovery)
          } ms after the restart; slowest answer ${Math.round(Math.max(...answers.map((a) => a.ms)))} ms`,
      );

      // 2. Killed while idle: each request is answered with the spoken failure after its tries, then serving resumes.
      await kill();
      const idle: Answer[] = [];
      for (let i = 0; i < 3; i++) idle.push(await book(webhookUrl, next()));
      assert.deepEqual(idle.map(outcome), Array(3).fill("spoken failure"));
      assert.ok(idle.every((a) => a.ms < 4000), `slowest idle answer: ${Math.max(...idle.map((a) => a.ms))} ms`);
      await start();
      await untilBooked(webhookUrl, next, 20_000);

      // 3. Frozen (SIGSTOP) with a booking in flight and thawed before its commit deadline (the function's 8 s budget
      //    less the commit margin): the function may not answer "failed" while that booking commits behind it.
      const pids = await postgresPids();
      await signal("STOP", pids);
      const frozen = book(webhookUrl, next());
      await new Promise((resolve) => setTimeout(resolve, 7300));
      await signal("CONT", pids);
      const answer = await frozen;
      await new Promise((resolve) => setTimeout(resolve, 500)); // a commit the answer did not wait for lands by now
      const [{ rows }] = await sql`
        select count(*)::int as rows from public.appointments where vapi_call_id = ${answer.callId}`;
      const said = outcome(answer);
      assert.ok(["booked", "spoken failure"].includes(said), said);
      assert.equal(rows, said === "booked" ? 1 : 0, `"${said}" after ${Math.round(answer.ms)} ms, ${rows} row(s)`);
      phase(`frozen 7.3 s: "${said}" after ${Math.round(answer.ms)} ms`);
    } finally {
      await signal("CONT", await postgresPids().catch(() => [])).catch(() => {});
      await gateway?.close();
      await sql.end({ timeout: 1 });
      await kill().catch(() => {});
      await Deno.remove(DIR, { recursive: true }).catch(() => {});
    }
  },
});
