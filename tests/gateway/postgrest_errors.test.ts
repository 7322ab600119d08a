// PostgREST's SQLSTATE → HTTP status table and error bodies (no database needed).
import assert from "node:assert/strict";
import { connectionErrorResponse, fromServerError, statusForSqlState } from "../../local-stack/postgrest-errors.ts";

Deno.test("errors: SQLSTATE → HTTP status follows PostgREST's mapSQLtoHTTP", () => {
  const cases: [string, number][] = [
    ["08006", 503],
    ["09000", 500],
    ["0L000", 403],
    ["0P000", 403],
    ["23503", 409],
    ["23505", 409],
    ["23502", 400],
    ["25006", 405],
    ["25001", 500],
    ["28000", 403],
    ["40001", 500],
    ["42883", 404],
    ["42P01", 404],
    ["42P17", 500],
    ["53400", 500],
    ["53300", 503],
    ["57014", 500],
    ["57P01", 503],
    ["P0001", 400],
    ["P0002", 500],
    ["XX000", 500],
    ["22P02", 400],
    ["PT402", 402],
    ["PT999", 500],
  ];
  for (const [code, status] of cases) assert.equal(statusForSqlState(code, "", true), status, code);
});

Deno.test("errors: 42501 is 401 for the anonymous role and 403 otherwise; unknown JWT role is 401", () => {
  assert.equal(statusForSqlState("42501", "permission denied", false), 401);
  assert.equal(statusForSqlState("42501", "permission denied", true), 403);
  assert.equal(statusForSqlState("22023", 'role "nobody" does not exist', true), 401);
  assert.equal(statusForSqlState("22023", "invalid parameter value", true), 400);
});

Deno.test("errors: server errors become { code, message, details, hint } with nulls for missing fields", () => {
  const error = fromServerError({ code: "23505", message: "duplicate key", detail: "Key (id)=(1) exists." }, true);
  assert.equal(error.status, 409);
  assert.deepEqual(error.body, {
    code: "23505",
    message: "duplicate key",
    details: "Key (id)=(1) exists.",
    hint: null,
  });
  const anon = fromServerError({ code: "42501", message: "permission denied" }, false);
  assert.equal(anon.headers["www-authenticate"], "Bearer");
});

Deno.test("errors: RAISE SQLSTATE 'PGRST' gives full control of code, status and headers", () => {
  const error = fromServerError({
    code: "PGRST",
    message: '{"code":"123","message":"Payment Required","details":"Quota exceeded","hint":"Upgrade your plan"}',
    detail: '{"status":402,"headers":{"X-Powered-By":"Nerd Rage"}}',
  }, false);
  assert.equal(error.status, 402);
  assert.deepEqual(error.body, {
    code: "123",
    message: "Payment Required",
    details: "Quota exceeded",
    hint: "Upgrade your plan",
  });
  assert.deepEqual(error.headers, { "X-Powered-By": "Nerd Rage" });
  const broken = fromServerError({ code: "PGRST", message: "not json" }, false);
  assert.equal(broken.status, 500);
  assert.equal(broken.body.code, "PGRST121");
});

Deno.test("errors: a session lost mid-transaction is PGRST001 (outcome unknown), never PGRST000 (nothing sent)", () => {
  const lost = connectionErrorResponse(new Error("read ECONNRESET"), "PGRST001");
  assert.equal(lost.status, 503);
  assert.equal(lost.body.code, "PGRST001");
  assert.equal(lost.body.details, "read ECONNRESET");
  assert.equal(connectionErrorResponse(new Error("connect ECONNREFUSED")).body.code, "PGRST000");
});
