// Shared setup for the local-stack tests: the database from TEST_DATABASE_URL (required: a missing database is a
// failure, not a skip) and SQL fixtures in `public` named gw_test_*, created here and dropped by the last test.
import postgres, { type Sql } from "postgres";
import { localKeys, signJwt } from "../../local-stack/jwt.ts";
import { createRpcPool, handleRpc, type RpcOptions } from "../../local-stack/postgrest-rpc.ts";
import { testDatabaseUrl } from "../_database.ts";

export { testDatabaseUrl };

const FIXTURES_SQL = `
  create table if not exists public.gw_test_items (id int primary key, label text not null unique);
  grant select, insert on public.gw_test_items to service_role;

  create or replace function public.gw_test_echo(p_x int, p_label text default 'none') returns jsonb
  language sql as $$ select jsonb_build_object('x', p_x, 'label', p_label) $$;

  create or replace function public.gw_test_raise() returns jsonb language plpgsql as $$
  begin
    raise exception 'gw test failure' using detail = 'some detail', hint = 'some hint';
  end $$;

  create or replace function public.gw_test_payment_required() returns void language plpgsql as $$
  begin
    raise sqlstate 'PT402' using message = 'Payment Required', detail = 'Quota exceeded', hint = 'Upgrade';
  end $$;


  create or replace function public.gw_test_service_only() returns text language sql as $$ select 'secret' $$;
  revoke execute on function public.gw_test_service_only() from public, anon, authenticated;
  grant execute on function public.gw_test_service_only() to service_role;

  create or replace function public.gw_test_whoami() returns jsonb language sql stable as $$
    select jsonb_build_object(
      'current_user', current_user,
      'uid', auth.uid(),
      'claims', current_setting('request.jwt.claims')::jsonb,
      'method', current_setting('request.method'),
      'path', current_setting('request.path'),
      'x_test', current_setting('request.headers')::jsonb ->> 'x-test',
      'search_path', current_setting('search_path'),
      'read_only', current_setting('transaction_read_only'))
  $$;

  create or replace function public.gw_test_insert(p_id int, p_label text) returns int language sql as $$
    insert into public.gw_test_items values (p_id, p_label) returning id
  $$;

  -- Mislabelled stable: it writes through a volatile helper (a direct INSERT is already refused by plpgsql, 0A000),
  -- so the write reaches PostgreSQL inside the read-only transaction PostgREST opens for non-volatile functions.
  create or replace function public.gw_test_stable_insert() returns int language sql stable as $$
    select public.gw_test_insert(-1, 'from a stable function')
  $$;

  create or replace function public.gw_test_insert_then_raise(p_id int) returns void language plpgsql as $$
  begin
    insert into public.gw_test_items values (p_id, 'must be rolled back');
    raise exception 'failing after the insert';
  end $$;

  create or replace function public.gw_test_items_list() returns setof public.gw_test_items language sql stable as $$
    select * from public.gw_test_items order by id
  $$;

  create or replace function public.gw_test_whole_body(jsonb) returns jsonb language sql as $$ select $1 $$;

  create or replace function public.gw_test_overloaded(p_a int) returns int language sql as $$ select 1 $$;
  create or replace function public.gw_test_overloaded(p_a text) returns int language sql as $$ select 2 $$;

  -- Explicit grants, as migrations must write them (the project revokes the default PUBLIC EXECUTE).
  grant execute on function public.gw_test_echo(int, text), public.gw_test_raise(), public.gw_test_payment_required(),
    public.gw_test_stable_insert(), public.gw_test_whoami(), public.gw_test_insert(int, text),
    public.gw_test_insert_then_raise(int), public.gw_test_items_list(), public.gw_test_whole_body(jsonb),
    public.gw_test_overloaded(int), public.gw_test_overloaded(text) to anon, authenticated, service_role;
`;

export const DROP_FIXTURES_SQL = `
  drop function if exists public.gw_test_echo(int, text), public.gw_test_raise(), public.gw_test_payment_required(),
    public.gw_test_stable_insert(), public.gw_test_service_only(), public.gw_test_whoami(),
    public.gw_test_insert(int, text), public.gw_test_insert_then_raise(int), public.gw_test_items_list(),
    public.gw_test_whole_body(jsonb), public.gw_test_overloaded(int), public.gw_test_overloaded(text);
  drop table if exists public.gw_test_items;
`;

let admin: Sql | undefined;
let ready: Promise<void> | undefined;

/** A superuser connection for fixtures and for checking what the RPC left in the database. */
export function adminSql(): Sql {
  return admin ??= postgres(testDatabaseUrl(), { max: 1, onnotice: () => {} });
}

/** Creates the fixtures once per test process (and empties the test table). */
export function fixtures(): Promise<void> {
  return ready ??= (async () => {
    await adminSql().unsafe(DROP_FIXTURES_SQL);
    await adminSql().unsafe(FIXTURES_SQL);
  })();
}

let rpcOptions: RpcOptions | undefined;

/** The RPC endpoint's database (pool + schema cache) used by rpc() below, once rpc() ran. */
export function rpcDatabase(): RpcOptions["db"] | undefined {
  return rpcOptions?.db;
}

/** Calls the RPC endpoint in-process (no server), the way the gateway routes `/rest/v1/rpc/<fn>`. */
export async function rpc(
  fn: string,
  init: { method?: string; body?: string | Record<string, unknown>; token?: string; headers?: HeadersInit } = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  await fixtures();
  const { jwtSecret } = await localKeys();
  rpcOptions ??= { db: createRpcPool(testDatabaseUrl(), 3), jwtSecret, schemas: ["public", "graphql_public"] };
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  const method = init.method ?? "POST";
  const body = typeof init.body === "object" ? JSON.stringify(init.body) : init.body;
  const request = new Request(`http://localhost/rest/v1/rpc/${fn}`, {
    method,
    headers,
    body: method === "POST" ? body ?? "{}" : undefined,
  });
  const response = await handleRpc(request, rpcOptions);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) };
}

export async function userToken(sub: string, role = "authenticated"): Promise<string> {
  const { jwtSecret } = await localKeys();
  return signJwt({ sub, role, aud: "authenticated", exp: Math.floor(Date.now() / 1000) + 3600 }, jwtSecret);
}

/** Drops the fixtures and closes every connection this module opened. */
export async function dropFixturesAndClose(): Promise<void> {
  await adminSql().unsafe(DROP_FIXTURES_SQL);
  await rpcOptions?.db.end(5);
  await admin?.end({ timeout: 5 });
  rpcOptions = admin = ready = undefined;
}

/** Deno.test for tests sharing the pooled connections above (they outlive one test by design). */
export function dbTest(name: string, fn: () => Promise<void>): void {
  Deno.test({ name, fn, sanitizeOps: false, sanitizeResources: false });
}
