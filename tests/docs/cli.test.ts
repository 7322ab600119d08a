// The commands a user copies from the README must run as written: every `scripts/supabase …` command exists in the
// pinned CLI with those flags, the deploy path targets the hosted project, and every script explains itself.
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;
const SCRIPTS = ["dev", "test", "call", "doctor", "supabase", "types", "bench", "stress"];

async function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  const { code, stdout, stderr } = await new Deno.Command(cmd, { args, cwd: ROOT, stdin: "null" }).output();
  return { code, out: new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr) };
}

/** `scripts/supabase …` invocations in the README and the onboarding template, comments stripped. */
function documentedCliCommands(): string[] {
  const texts = [
    Deno.readTextFileSync(`${ROOT}README.md`),
    Deno.readTextFileSync(`${ROOT}supabase/templates/onboard_tenant.sql`),
  ];
  const commands: string[] = [];
  for (const line of texts.join("\n").split("\n")) {
    const at = line.indexOf("scripts/supabase ");
    if (at < 0) continue;
    const rest = line.slice(at + "scripts/supabase ".length).replace(/\s+#.*$/, "").replace(/`.*$/, "").trim();
    if (/^[a-z]/.test(rest)) commands.push(rest);
  }
  return commands;
}

Deno.test("README: every supabase command is run through the pinned CLI (scripts/supabase)", () => {
  const readme = Deno.readTextFileSync(`${ROOT}README.md`);
  const bare = readme.split("\n").filter((l) => /^\s*supabase\s/.test(l));
  assert.deepEqual(bare, [], "bare `supabase` commands are not on PATH on a fresh clone");
  assert.ok(documentedCliCommands().length >= 6, "the README documents the deploy and onboarding commands");
});

Deno.test("README: the deploy path targets the hosted project without Docker", () => {
  const commands = documentedCliCommands();
  const pushes = commands.filter((c) => c.startsWith("db push"));
  assert.ok(pushes.length >= 2);
  for (const push of pushes) assert.match(push, /--remote\b/, `${push}: plain db push targets the LOCAL database`);
  const deploys = commands.filter((c) => c.startsWith("functions deploy"));
  assert.ok(deploys.length >= 1);
  for (const deploy of deploys) assert.match(deploy, /--use-api\b/, `${deploy}: without --use-api it needs Docker`);
});

Deno.test("README: each scripts/supabase command and flag exists in the pinned CLI", async () => {
  const helps = new Map<string, Promise<{ code: number; out: string }>>();
  const helpOf = (sub: string[]) => {
    const key = sub.join(" ");
    if (!helps.has(key)) helps.set(key, run("scripts/supabase", [...sub, "--help"]));
    return helps.get(key)!;
  };
  await Promise.all(
    documentedCliCommands().map(async (command) => {
      const words = command.split(/\s+/);
      const sub = words.filter((w, i) => /^[a-z][a-z-]*$/.test(w) && words.slice(0, i).every((p) => /^[a-z]/.test(p)));
      const flags = words.filter((w) => w.startsWith("--")).map((w) => w.split("=")[0]);
      // The longest leading word sequence the CLI documents as a command.
      let help = "";
      for (let n = Math.min(sub.length, 2); n > 0 && !help; n--) {
        const { code, out } = await helpOf(sub.slice(0, n));
        if (code === 0 && out.includes(`supabase ${sub.slice(0, n).join(" ")}`)) help = out;
      }
      assert.ok(help, `scripts/supabase ${command}: no such command in the pinned CLI`);
      for (const flag of flags) assert.ok(help.includes(flag), `scripts/supabase ${command}: ${flag} is not a flag`);
    }),
  );
});

for (const script of SCRIPTS) {
  Deno.test(`scripts/${script} --help prints its usage; an unknown flag is refused with a usage error`, async () => {
    const help = await run(`scripts/${script}`, ["--help"]);
    assert.equal(help.code, 0, help.out);
    assert.ok(help.out.trim().split("\n").length >= 2, `scripts/${script} --help: ${help.out}`);
    if (script === "supabase") return; // the CLI's own flags and errors
    const bad = await run(`scripts/${script}`, ["--no-such-flag-xyz"]);
    assert.notEqual(bad.code, 0, `scripts/${script} accepted an unknown flag`);
    assert.match(bad.out, /unknown|usage/i);
    assert.doesNotMatch(bad.out, /^\s+at /m, "no stack trace");
  });
}

function listenOnFirstFree(first: number): [number, Deno.TcpListener] {
  for (let port = first; port < first + 50; port += 5) {
    try {
      return [port, Deno.listen({ hostname: "127.0.0.1", port })];
    } catch (err) {
      if (!(err instanceof Deno.errors.AddrInUse)) throw err;
    }
  }
  throw new Error(`no free port from ${first}`);
}

Deno.test("scripts/bench and scripts/stress: a second run on the same ports is refused at once, the first left alone", async () => {
  const home = (await run("bash", ["-c", "source scripts/lib/stack.sh && pg_home"])).out.trim();
  // bench: P to P+3; stress: P (PostgreSQL) and P+2 (gateway) — placed by TEST_PG_PORT, as scripts/test --help says
  // As the first run's PostgreSQL does; the next candidate when an outgoing connection holds the port (ephemeral range).
  const [port, busy] = listenOnFirstFree(Number(Deno.env.get("TEST_PG_PORT") ?? 54330) + 20);
  try {
    for (
      const [script, name, dir, args] of [
        ["bench", `bench-${port}`, `bench-pg-${port}`, [
          "--tenants",
          "10",
          "--appointments",
          "10",
          "--port",
          `${port}`,
        ]],
        ["stress", `stress-${port}`, `stress-${port}`, ["--pg-port", `${port}`, "--api-port", `${port + 2}`]],
      ] as const
    ) {
      await Deno.mkdir(`${home}/${dir}/data`, { recursive: true }); // the first run's cluster…
      await Deno.writeTextFile(`${home}/${name}.pid`, `${Deno.pid}`); // …and its claim, by a live process
      const second = await run(`scripts/${script}`, [...args]);
      assert.equal(second.code, 1, second.out);
      assert.match(second.out, new RegExp(`another run uses ${name}`));
      assert.ok(
        (await Deno.stat(`${home}/${dir}/data`)).isDirectory,
        `scripts/${script} removed the first run's cluster`,
      );
      await Deno.remove(`${home}/${dir}`, { recursive: true });
      await Deno.remove(`${home}/${name}.pid`);
    }
  } finally {
    busy.close();
  }
});

Deno.test("scripts/call and scripts/doctor read supabase/functions/.env as the function does (Deno's --env-file)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/supabase/functions`, { recursive: true });
    const env = "# rotated\nVAPI_WEBHOOK_SECRET=abc123secret # rotated 2026-12\nOTHER='x'\n";
    await Deno.writeTextFile(`${dir}/supabase/functions/.env`, env);
    // Run from a folder whose deno.json Deno cannot read (scripts/call reads the secret before it changes folder).
    await Deno.writeTextFile(`${dir}/deno.json`, "{ not json");
    const script = `source scripts/lib/stack.sh; ROOT="$1"; cd "$1"; unset VAPI_WEBHOOK_SECRET; export_local_secret; ` +
      `printf '%s' "$VAPI_WEBHOOK_SECRET"`;
    const { code, out } = await run("bash", ["-c", script, "bash", dir]);
    assert.equal(code, 0, out);
    assert.equal(out, "abc123secret", "the secret, without the comment");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
