// LOCAL-ONLY stand-in for PostgREST's function lookup: find the routine a request means (name + argument names, like
// PostgREST) in the schema cache (rpc-database.ts) and build the SQL that calls it with named arguments taken from the
// JSON payload.
import type { RoutineRow, RpcDatabase } from "./rpc-database.ts";
import { PostgrestHttpError } from "./postgrest-errors.ts";

export interface RoutineParam {
  name: string;
  type: string;
  variadic: boolean;
  hasDefault: boolean;
}

export interface Routine {
  schema: string;
  name: string;
  params: RoutineParam[];
  volatile: boolean;
  returnsSet: boolean;
  returnsComposite: boolean;
  returnsVoid: boolean;
  /** Its settings PostgREST (≥ 12.2, db-hoisted-tx-settings) applies to the whole transaction, as [name, value]. */
  hoisted: [string, string][];
}

// PostgREST's default db-hoisted-tx-settings, less default_transaction_isolation (it picks the isolation level of the
// BEGIN; no RPC here sets one). A function's own SET applies only once it runs, after its statement's timer started.
const HOISTED_SETTINGS = new Set(["statement_timeout", "plan_filter.statement_cost_limit"]);

function toRoutine(schema: string, row: RoutineRow): Routine {
  const firstDefault = row.params.length - row.n_defaults;
  return {
    schema,
    name: row.name,
    params: row.params.map((param, index) => ({
      name: param.name ?? "",
      type: param.type,
      variadic: param.mode === "v",
      hasDefault: index >= firstDefault,
    })),
    volatile: row.volatility === "v",
    returnsSet: row.returns_set,
    returnsComposite: row.returns_composite,
    returnsVoid: row.returns_void,
    hoisted: row.settings
      .map((setting): [string, string] => {
        const at = setting.indexOf("="); // name=value; a value may hold "=" itself
        return [setting.slice(0, at), setting.slice(at + 1)];
      })
      .filter(([name]) => HOISTED_SETTINGS.has(name)),
  };
}

/** A function with a single unnamed json/jsonb parameter receives the whole request body. */
export function takesWholeBody(routine: Routine): boolean {
  return routine.params.length === 1 && routine.params[0].name === "" &&
    ["json", "jsonb"].includes(routine.params[0].type);
}

/** PostgREST's rule: every argument key names a parameter and every parameter without a default is given. */
function matches(routine: Routine, argNames: string[]): boolean {
  const paramNames = new Set(routine.params.map((param) => param.name));
  return argNames.every((name) => paramNames.has(name)) &&
    routine.params.every((param) => param.hasDefault || argNames.includes(param.name));
}

function candidatesFor(routines: Routine[], argNames: string[]): Routine[] {
  const candidates = routines.filter((routine) => matches(routine, argNames));
  return candidates.length > 0 ? candidates : routines.filter(takesWholeBody);
}

/**
 * Looks the routine up in the schema cache; throws PGRST202 (404) when nothing matches, PGRST203 (300) when
 * ambiguous. A cached name whose routines do not fit is looked up once more first: unlike PostgREST, which waits for
 * a schema reload, the stand-in follows `create or replace` at once (migrations applied while scripts/dev runs).
 */
export async function findRoutine(db: RpcDatabase, schema: string, name: string, argNames: string[]): Promise<Routine> {
  const load = async () => (await db.routines(schema, name)).map((row) => toRoutine(schema, row));
  let routines = await load();
  let candidates = candidatesFor(routines, argNames);
  if (candidates.length === 0 && routines.length > 0) {
    db.forgetRoutine(schema, name);
    routines = await load();
    candidates = candidatesFor(routines, argNames);
  }
  if (candidates.length === 1) return candidates[0];
  if (candidates.length > 1) {
    throw new PostgrestHttpError(300, {
      code: "PGRST203",
      message: `Could not choose the best candidate function between: ${
        candidates.map((routine) => signature(routine)).join(", ")
      }`,
      hint: "Try renaming the parameters or the function itself in the database so function overloading can be " +
        "resolved",
    });
  }
  const listed = argNames.length === 0 ? " without parameters" : `(${argNames.join(", ")})`;
  const searched = argNames.length === 0
    ? " without parameters"
    : ` with parameter${argNames.length > 1 ? "s" : ""} ${argNames.join(", ")}`;
  throw new PostgrestHttpError(404, {
    code: "PGRST202",
    message: `Could not find the function ${schema}.${name}${listed} in the schema cache`,
    details: `Searched for the function ${schema}.${name}${searched} or with a single unnamed json/jsonb parameter, ` +
      "but no matches were found in the schema cache.",
    hint: routines.length > 0
      ? `Perhaps you meant to call the function ${signature(routines[0])}`
      : "If a new function was created in the database with this name and parameters, try reloading the schema cache.",
  });
}

function signature(routine: Routine): string {
  return `${routine.schema}.${routine.name}(${routine.params.map((p) => `${p.name} => ${p.type}`).join(", ")})`;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * SQL that calls the routine with the JSON payload in $1, converting each argument to its declared type with
 * json_to_record (what PostgREST does), and returns one row `{ body: text, rows: int }` with the JSON result.
 */
export function buildCallSql(routine: Routine, argNames: string[]): string {
  const fn = `${quoteIdent(routine.schema)}.${quoteIdent(routine.name)}`;
  const given = routine.params.filter((param) => argNames.includes(param.name));
  // $1 is declared text: postgres.js would JSON-encode a string bound to a json parameter a second time.
  let source = "(select $1::text::json as payload) _payload";
  let args: string;
  if (takesWholeBody(routine)) {
    args = `_payload.payload::${routine.params[0].type}`;
  } else {
    if (given.length > 0) {
      const columns = given.map((param) => `${quoteIdent(param.name)} ${param.type}`).join(", ");
      source += `, lateral json_to_record(_payload.payload) as _args(${columns})`;
    }
    args = given.map((param) =>
      `${param.variadic ? "variadic " : ""}${quoteIdent(param.name)} := _args.${quoteIdent(param.name)}`
    ).join(", ");
  }
  const call = `${fn}(${args})`;
  if (routine.returnsSet) {
    return `select coalesce(json_agg(_result), '[]')::text as body, count(*)::int as rows
              from ${source}, lateral ${call} _result`;
  }
  if (routine.returnsComposite) {
    return `select to_json(_result)::text as body, 1 as rows from ${source}, lateral ${call} _result`;
  }
  if (routine.returnsVoid) return `select ${call} is null as body, 0 as rows from ${source}`;
  return `select coalesce(to_json(${call})::text, 'null') as body, 1 as rows from ${source}`;
}
