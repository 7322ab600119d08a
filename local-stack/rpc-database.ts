// LOCAL-ONLY: how the RPC endpoint talks to PostgreSQL, shaped like PostgREST's own machinery:
// - a schema cache (routines by name, impersonated roles' settings) loaded on first use, reloaded on a miss, after
//   errors that mean a routine changed, and after every reconnect — no catalog query per request;
// - one transaction per request, sent as ONE pipelined round trip of prepared statements (begin, settings, call,
//   commit) on a reserved connection, written as one burst (pg-socket.ts);
// - a connection worker: after a connection failure it probes the database; while a probe fails every request not
//   yet sent is answered at once (503 PGRST000) instead of waiting for a timeout, and the first successful probe
//   swaps in a fresh pool, so the gateway serves again without a restart. A request whose statements were sent waits
//   for its connection's fate (an unresponsive server may still commit them) unless the server is gone (connections
//   refused): then it is answered 503 PGRST001, "outcome unknown", as a session lost mid-transaction is.
import postgres, { type Sql } from "postgres";
import { openPgSocket } from "./pg-socket.ts";
import { ROLE_SETTINGS_QUERY, ROLES_QUERY, ROUTINES_QUERY } from "./rpc-catalog.ts";
import {
  ConnectFailedError,
  DatabaseDownError,
  isSessionLost,
  onDriverWriteCrash,
  PoolTimeoutError,
  SessionLostError,
} from "./rpc-connection-errors.ts";

export interface RpcDatabaseOptions {
  /** Pool size (PostgREST's db-pool; default 5). */
  max?: number;
  /** PostgREST's db-pool-acquisition-timeout (default 10 s): waiting longer for a connection answers 504. */
  acquireTimeoutMs?: number;
  /** How often the connection worker probes a database that is down (default 250 ms). */
  probeIntervalMs?: number;
  /** A wait for a connection longer than this makes the worker check the database once (default 300 ms). */
  suspectAfterMs?: number;
}

export interface RoutineRow {
  name: string;
  volatility: string;
  returns_set: boolean;
  returns_composite: boolean;
  returns_void: boolean;
  n_defaults: number;
  /** The function's own `SET name = value` clauses, as `name=value`. */
  settings: string[];
  params: { name: string | null; type: string; mode: string }[];
}

type Statement = [text: string, params: unknown[]];
type Rows = Record<string, unknown>[];

export class RpcDatabase {
  readonly #url: string;
  readonly #max: number;
  readonly #acquireTimeoutMs: number;
  readonly #probeIntervalMs: number;
  readonly #suspectAfterMs: number;
  #pool: Sql;
  #routines = new Map<string, RoutineRow[]>();
  #roleSettings: Promise<Map<string, [string, string][]>> | undefined;
  #roles: Promise<Map<string, boolean>> | undefined;
  #down: string | undefined;
  #probing: Promise<void> | undefined;
  #checking: Promise<void> | undefined;
  // Requests waiting for a connection; nothing of theirs reached PostgreSQL, so they can be answered at once when it
  // goes down (a request whose statements were sent waits for its connection's fate: no answer may hide a commit).
  #waiting = new Set<(error: Error) => void>();
  // Transactions sent, abandoned once the server is known gone. postgres.js may never settle them (a write to a
  // socket it already closed); left alone they would hold their request until the function's timeout.
  #inFlight = new Set<(error: Error) => void>();
  #closed = false;
  #catalogQueries = 0;
  readonly #stopCrashGuard: () => void;

  constructor(url: string, options: RpcDatabaseOptions = {}) {
    this.#url = url;
    this.#max = options.max ?? 5;
    this.#acquireTimeoutMs = options.acquireTimeoutMs ?? 10_000;
    this.#probeIntervalMs = options.probeIntervalMs ?? 250;
    this.#suspectAfterMs = options.suspectAfterMs ?? 300;
    this.#pool = this.#newPool();
    this.#stopCrashGuard = onDriverWriteCrash((error) => this.reportFailure(error));
  }

  // Not `fetch_types: false`: with it, postgres.js 3.4.9 never hands a freshly opened connection to reserve().
  #newPool(): Sql {
    const options = {
      max: this.#max,
      idle_timeout: 0, // keep warm connections: a fresh backend first compiles the plpgsql tool functions (~80 ms)
      connect_timeout: 10,
      onnotice: () => {},
      connection: { application_name: "local-stack-postgrest" },
      socket: openPgSocket, // one write per pipelined transaction (pg-socket.ts); not in postgres.js' types
    };
    return postgres(this.#url, options);
  }

  /** How many schema-cache queries ran (routines, role settings): a cache that works keeps this flat. */
  get catalogQueries(): number {
    return this.#catalogQueries;
  }

  /** True while the connection worker knows the database is unreachable (requests are answered at once). */
  get isDown(): boolean {
    return this.#down !== undefined;
  }

  /** The routines named `schema.name` (cached; a name with no routine is looked up again each time). */
  async routines(schema: string, name: string): Promise<RoutineRow[]> {
    const key = `${schema}.${name}`;
    const cached = this.#routines.get(key);
    if (cached) return cached;
    const rows = await this.#query<RoutineRow>(ROUTINES_QUERY, [schema, name]);
    if (rows.length > 0) this.#routines.set(key, rows);
    return rows;
  }

  /** The `alter role … set` settings PostgREST applies when it impersonates `role` (cached for all roles). */
  async roleSettings(role: string): Promise<[string, string][]> {
    this.#roleSettings ??= this.#query<{ role: string; name: string; value: string }>(ROLE_SETTINGS_QUERY, [])
      .then((rows) => {
        const byRole = new Map<string, Map<string, string>>();
        for (const row of rows) {
          if (!byRole.has(row.role)) byRole.set(row.role, new Map());
          byRole.get(row.role)!.set(row.name, row.value);
        }
        return new Map([...byRole].map(([r, settings]) => [r, [...settings]]));
      });
    this.#roleSettings.catch(() => this.#roleSettings = undefined);
    return (await this.#roleSettings).get(role) ?? [];
  }

  /**
   * Whether PostgREST's `authenticator` may switch to `role`; undefined: no such role. Cached with the schema cache (a
   * revoked membership counts from the next reload); a role the cache does not know is looked up again.
   */
  async roleSwitchable(role: string): Promise<boolean | undefined> {
    const load = () => {
      const roles = this.#query<{ role: string; switchable: boolean }>(ROLES_QUERY, [])
        .then((rows) => new Map(rows.map((row) => [row.role, row.switchable])));
      roles.catch(() => this.#roles = undefined);
      return this.#roles = roles;
    };
    const known = (await (this.#roles ?? load())).get(role);
    return known ?? (await load()).get(role);
  }

  /** Forgets the schema cache (PostgREST's `NOTIFY pgrst, 'reload schema'`). */
  reloadSchemaCache(): void {
    this.#routines.clear();
    this.#roleSettings = undefined;
    this.#roles = undefined;
  }

  /** Forgets one routine, e.g. after PostgreSQL said it no longer has that signature. */
  forgetRoutine(schema: string, name: string): void {
    this.#routines.delete(`${schema}.${name}`);
  }

  /**
   * Runs `statements` in one transaction, pipelined with its begin and commit: one round trip once the statements
   * are prepared on the connection. The first failure (in statement order) is thrown; the commit of a failed
   * transaction is PostgreSQL's rollback.
   */
  async transaction(accessMode: "read write" | "read only", statements: Statement[]): Promise<Rows[]> {
    const conn = await this.#reserve();
    let lost = false;
    try {
      const queries = [
        conn.unsafe(`begin ${accessMode}`, [], { prepare: true }),
        ...statements.map(([text, params]) => conn.unsafe(text, params as never[], { prepare: true })),
        conn.unsafe("commit", [], { prepare: true }),
      ];
      const settled = await this.#watch(Promise.allSettled(queries)).catch((error) => {
        lost = true;
        throw error;
      });
      const failure = settled.find((result) => result.status === "rejected");
      if (failure) {
        lost = isSessionLost(failure.reason);
        if (!lost) throw failure.reason;
        this.reportFailure(failure.reason);
        // The server's own FATAL is its answer; a broken socket leaves the commit unknown.
        throw failure.reason instanceof postgres.PostgresError ? failure.reason : new SessionLostError(failure.reason);
      }
      return settled.slice(1, -1).map((result) => [...(result as PromiseFulfilledResult<Rows>).value]);
    } finally {
      // A lost connection is already back in the driver's closed queue; releasing it would hand it out as open.
      if (!lost) conn.release();
    }
  }

  async #query<T>(text: string, params: unknown[]): Promise<T[]> {
    if (this.#down !== undefined) throw new DatabaseDownError(this.#down);
    this.#catalogQueries++;
    try {
      return [...await this.#watch(this.#pool.unsafe(text, params as never[], { prepare: true }))] as T[];
    } catch (error) {
      // Abandoned with the server gone, or its session broke: a schema-cache query is no part of the request's
      // transaction, which reached no session (PGRST000; never "outcome unknown", which makes the caller wait).
      if (!isSessionLost(error) && !(error instanceof SessionLostError)) throw error;
      this.reportFailure(error);
      throw new ConnectFailedError(error instanceof SessionLostError ? error.cause : error);
    }
  }

  /** `work`, unless the database is declared down first; a long wait makes the worker check the database once. */
  async #watch<T>(work: Promise<T>): Promise<T> {
    let abandon = (_: Error) => {};
    const abandoned = new Promise<never>((_, reject) => abandon = reject);
    this.#inFlight.add(abandon);
    const suspicion = setTimeout(() => this.#suspect(), this.#suspectAfterMs);
    try {
      return await Promise.race([work, abandoned]);
    } finally {
      clearTimeout(suspicion);
      this.#inFlight.delete(abandon);
    }
  }

  async #reserve() {
    if (this.#down !== undefined) throw new DatabaseDownError(this.#down);
    const reserving = this.#pool.reserve();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let giveUp = (_: Error) => {};
    const abandoned = new Promise<never>((_, reject) => {
      giveUp = reject;
      timer = setTimeout(() => reject(new PoolTimeoutError(this.#acquireTimeoutMs)), this.#acquireTimeoutMs);
    });
    this.#waiting.add(giveUp);
    // postgres.js can keep reserve() pending when its idle connections died with the server and a new one cannot
    // be opened: no error reaches us, so a long wait is checked with one probe.
    const suspicion = setTimeout(() => this.#suspect(), this.#suspectAfterMs);
    try {
      return await Promise.race([reserving, abandoned]);
    } catch (error) {
      reserving.then((conn) => conn.release(), () => {});
      if (error instanceof PoolTimeoutError || error instanceof DatabaseDownError) throw error;
      this.reportFailure(error);
      throw new ConnectFailedError(error);
    } finally {
      clearTimeout(timer);
      clearTimeout(suspicion);
      this.#waiting.delete(giveUp);
    }
  }

  /** One probe (at a time) while requests wait long for a connection; a failed one starts the connection worker. */
  #suspect(): void {
    if (this.#closed || this.#checking || this.#probing || this.#down !== undefined) return;
    this.#checking = this.#probe().then((state) => {
      if (state !== "up") this.reportFailure(new Error("no connection could be opened"));
    }).finally(() => this.#checking = undefined);
  }

  /** Starts the connection worker (once) after a connection failure. */
  reportFailure(error: unknown): void {
    if (this.#closed || this.#probing) return;
    const detail = error instanceof Error ? error.message : String(error);
    this.#probing = this.#recover(detail).finally(() => this.#probing = undefined);
  }

  // Probe until the database answers. Once a probe fails it is down: requests waiting for a connection and new ones
  // are answered at once; sent transactions only once the server is gone (their sessions died with it). Recovery
  // starts over with a fresh pool: the old one may hold connections the driver no longer handles correctly.
  async #recover(detail: string): Promise<void> {
    for (let state = await this.#probe(); !this.#closed && state !== "up"; state = await this.#probe()) {
      if (this.#down === undefined) {
        this.#down = detail;
        for (const giveUp of this.#waiting) giveUp(new DatabaseDownError(detail));
      }
      if (state === "gone") { for (const abandon of this.#inFlight) abandon(new SessionLostError(new Error(detail))); }
      await new Promise((resolve) => setTimeout(resolve, this.#probeIntervalMs));
    }
    if (this.#closed) return;
    const old = this.#pool;
    this.#pool = this.#newPool();
    this.reloadSchemaCache();
    this.#down = undefined;
    old.end({ timeout: 5 }).catch(() => {});
  }

  // Down means PostgreSQL cannot be reached or refuses sessions; any other answer, even an error such as "too many
  // clients", means it is there. Gone: nothing listens, or it is shutting down or starting up — no session of before
  // survives that. Anything else (a timeout) may be a server that stalls and then carries on.
  async #probe(): Promise<"up" | "gone" | "unresponsive"> {
    const probe = postgres(this.#url, {
      max: 1,
      connect_timeout: 2,
      onnotice: () => {},
      connection: { application_name: "local-stack-postgrest-probe" },
    });
    try {
      await probe.unsafe("select 1");
      return "up";
    } catch (error) {
      const code = String((error as { code?: unknown })?.code);
      if (/^(ECONNREFUSED|57P0[1-3])$/.test(code)) return "gone";
      return /^(E[A-Z]+|CONNECT_TIMEOUT|CONNECTION_.*)$/.test(code) ? "unresponsive" : "up";
    } finally {
      probe.end({ timeout: 0 }).catch(() => {});
    }
  }

  /** Stops the worker and closes the pool (in-flight queries get `timeoutSeconds`). Safe to call twice. */
  async end(timeoutSeconds = 5): Promise<void> {
    this.#closed = true;
    this.#stopCrashGuard();
    await this.#probing;
    await this.#pool.end({ timeout: timeoutSeconds });
  }
}

export function createRpcDatabase(url: string, options?: RpcDatabaseOptions): RpcDatabase {
  return new RpcDatabase(url, options);
}
