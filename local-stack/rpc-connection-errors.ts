// LOCAL-ONLY: how the RPC endpoint's database layer (rpc-database.ts) tells its connection failures apart (the endpoint,
// postgrest-rpc.ts, answers each the way PostgREST does) and survives its driver's crash on a dead connection.

/** Raised without touching the database while it is known to be down. */
export class DatabaseDownError extends Error {
  constructor(readonly detail: string) {
    super(`the database is down: ${detail}`);
    this.name = "DatabaseDownError";
  }
}

/** No pooled connection became free within the acquisition timeout (PostgREST's PGRST003). */
export class PoolTimeoutError extends Error {
  constructor(ms: number) {
    super(`Timed out acquiring connection from connection pool after ${ms} ms`);
    this.name = "PoolTimeoutError";
  }
}

/** A failure to get a connection at all (refused, reset, the server starting up): PostgREST answers 503. */
export class ConnectFailedError extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "ConnectFailedError";
  }
}

/**
 * The session was lost after the transaction's statements were sent: whether it committed is unknown. PostgREST's
 * PGRST001 — never PGRST000, which says the request reached no session (the function answers that at once).
 */
export class SessionLostError extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "SessionLostError";
  }
}

/** Errors after which the session is gone: socket errors, postgres.js' CONNECTION_*, and FATAL/PANIC from the server. */
export function isSessionLost(error: unknown): boolean {
  const e = error as { code?: unknown; severity?: unknown } | null;
  if (typeof e?.code !== "string") return false;
  return /^(E[A-Z]+|CONNECT_TIMEOUT|CONNECTION_.*|57P0[1-3])$/.test(e.code) ||
    /^(FATAL|PANIC)$/.test(String(e.severity));
}

// postgres.js 3.4.9 can write to a socket it already closed when PostgreSQL dies mid-transaction (connection.js:255,
// "Cannot read properties of null (reading 'write')", thrown from a timer). Without this guard that kills the whole
// gateway; with it each listener drops its pool (the driver's dead connection with it) and the request is answered.
function isDriverWriteCrash(error: unknown): boolean {
  return error instanceof TypeError && error.message.includes("reading 'write'") &&
    /postgres[/@\\].*connection\.js/.test(error.stack ?? "");
}

const crashListeners = new Set<(error: Error) => void>();
let guardInstalled = false;

/** Calls `listener` whenever postgres.js crashes writing to a closed connection; returns what stops that. */
export function onDriverWriteCrash(listener: (error: Error) => void): () => void {
  if (!guardInstalled) {
    guardInstalled = true;
    globalThis.addEventListener("error", (event) => {
      if (!isDriverWriteCrash(event.error)) return;
      event.preventDefault();
      console.error("[local-stack] postgres.js wrote to a closed connection; dropping the pool and reconnecting");
      for (const notify of crashListeners) notify(event.error);
    });
  }
  crashListeners.add(listener);
  return () => void crashListeners.delete(listener);
}
