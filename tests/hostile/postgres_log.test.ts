// PostgreSQL's own log must hold no phone number and no payload fragment. Runs after hostile.test.ts (file order), so
// the log already carries whatever the hostile requests provoked (cases 093-098 put U+0000 and lone surrogates next
// to phone numbers). scripts/test exports TEST_PG_LOG, the test cluster's log file.
import assert from "node:assert/strict";
import { pgSafeArgs } from "../../supabase/functions/_shared/pg_safe.ts";
import { adminPool } from "../e2e/_stack.ts";

const logPath = Deno.env.get("TEST_PG_LOG");
// E.164 as the webhook sees it (+ and 8–15 digits), also inside JSON text.
const PHONE = /\+\d{8,15}/;
// How PostgreSQL quotes the text around a JSON parse error: the request payload.
const JSON_CONTEXT = "CONTEXT:  JSON data";
// PostgreSQL quotes only the ~50 characters before the offending escape: the control's marker is short.
const token = crypto.randomUUID();

// PostgREST's argument conversion (local-stack/rpc-routine.ts builds the same), on the payload text as sent.
async function convert(payload: string): Promise<string | null> {
  const sql = adminPool(1);
  try {
    const [row] = await sql`select _args.p from json_to_record(${payload}::text::json) as _args(p text)`;
    return row.p;
  } catch {
    return null; // logged by PostgreSQL: that is what the control looks for
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function logLines(): Promise<string[]> {
  return (await Deno.readTextFile(logPath!)).split("\n");
}

Deno.test({
  name: "control: a payload PostgreSQL rejects is quoted in this log (so the checks below can fail)",
  ignore: !logPath,
  fn: async () => {
    assert.equal(await convert(JSON.stringify({ p: `${token}\u0000` })), null, "U+0000 is refused by PostgreSQL");
    for (let i = 0; i < 50; i++) {
      if ((await logLines()).some((line) => line.includes(JSON_CONTEXT) && line.includes(token))) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`${logPath} never showed the control's payload`);
  },
});

Deno.test("the function's cleaned arguments pass PostgreSQL's conversion", async () => {
  const args = pgSafeArgs({ p: "+15551234567 Da\u0000na \ud800" });
  assert.equal(await convert(JSON.stringify(args)), "+15551234567 Da\ufffdna \ufffd");
});

Deno.test({
  name: "the PostgreSQL log holds no phone number",
  ignore: !logPath,
  fn: async () => {
    const leaks = (await logLines()).filter((line) => PHONE.test(line));
    assert.deepEqual(leaks.slice(0, 5), [], `${leaks.length} log lines carry a phone number`);
  },
});

Deno.test({
  name: "the PostgreSQL log quotes no request payload (JSON data context lines)",
  ignore: !logPath,
  fn: async () => {
    const quoted = (await logLines()).filter((line) => line.includes(JSON_CONTEXT) && !line.includes(token));
    assert.deepEqual(quoted.slice(0, 5), [], `${quoted.length} log lines quote a payload`);
  },
});
