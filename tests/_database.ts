// The database every integration, gateway and end-to-end test needs, and what to do when there is none: one place,
// so `deno test` on its own explains itself instead of failing with permission or connection errors.
const HOW_TO_GET_ONE = `these tests need a PostgreSQL built from supabase/migrations.
  Easiest: scripts/test (or deno task test) builds a throw-away database and runs every suite.
  By hand: start scripts/dev, then TEST_DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:54322/postgres \\
    deno test -A tests/    (this writes test data into that database; scripts/dev --reset cleans it)`;

export function testDatabaseUrl(): string {
  let url: string | undefined;
  try {
    url = Deno.env.get("TEST_DATABASE_URL");
  } catch {
    throw new Error(`no permission to read TEST_DATABASE_URL (run deno test with -A): ${HOW_TO_GET_ONE}`);
  }
  if (!url) throw new Error(`TEST_DATABASE_URL is not set: ${HOW_TO_GET_ONE}`);
  return url;
}
