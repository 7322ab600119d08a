// A migration the README's "Add a tenant" creates today (`migration new`: named by the current UTC time) must sort
// after every migration of the repository, or `db push` refuses it as "to be inserted before the last migration".
import assert from "node:assert/strict";

const DIR = new URL("../../supabase/migrations/", import.meta.url).pathname;
const NAME = /^(\d{14})_[a-z0-9_]+\.sql$/;

const names = [...Deno.readDirSync(DIR)].filter((e) => e.isFile).map((e) => e.name).sort();

/** `20261204080200` → that moment, UTC. */
function versionTime(version: string): number {
  const [y, mo, d, h, mi, s] = version.match(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/)!.slice(1).map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

Deno.test("migrations: every file is <UTC timestamp>_<snake_case name>.sql, each version once", () => {
  assert.ok(names.length > 0);
  for (const name of names) assert.match(name, NAME);
  const versions = names.map((n) => n.slice(0, 14));
  assert.equal(new Set(versions).size, versions.length, "two migrations share a version");
});

Deno.test("migrations: none is dated in the future, so one created now sorts last", () => {
  const now = Date.now();
  const future = names.filter((n) => versionTime(n.slice(0, 14)) > now);
  assert.deepEqual(future, [], `dated after ${new Date(now).toISOString()}`);
});
