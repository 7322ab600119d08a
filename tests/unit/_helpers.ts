/** Shared test fixtures: an injectable handler with a counting fake RPC, a captured log, and Vapi payloads. */
import assert from "node:assert/strict";
import type { WebhookConfig } from "../../supabase/functions/_shared/config.ts";
import type { RpcTransport } from "../../supabase/functions/_shared/rpc.ts";
import { createHandler } from "../../supabase/functions/vapi-webhook/handler.ts";

export const SECRET = "test-webhook-secret-0123456789";
export const HMAC_SECRET = "test-hmac-secret-abcdef";
export const NOW_MS = Date.UTC(2026, 0, 6, 15, 0, 0);

export function testConfig(overrides: Partial<WebhookConfig> = {}): WebhookConfig {
  return {
    webhookSecret: SECRET,
    previousWebhookSecret: null,
    hmacSecret: null,
    supabaseUrl: "http://127.0.0.1:54321",
    supabaseSecretKey: "service-role-key",
    rpcTimeoutMs: 1000,
    assistantRequestTimeoutMs: 500,
    ...overrides,
  };
}

export interface RecordedCall {
  fn: string;
  args: Record<string, unknown>;
}

export type Responder = (
  fn: string,
  args: Record<string, unknown>,
  signal: AbortSignal,
) => Promise<{ data: unknown; error: unknown }>;

/** The tool RPC's success shape of docs/rpc-contract.md. */
export function okReturn(result: string, extra: Record<string, unknown> = {}) {
  return {
    ok: true,
    result,
    error: null,
    reason: "booked",
    organization_id: "d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2",
    resolved_by: "assistant_id",
    replayed: false,
    ...extra,
  };
}

export const defaultResponder: Responder = (fn) => Promise.resolve({ data: okReturn(`done by ${fn}`), error: null });

/** A fake `RpcTransport` that records every call; what it answers is up to the test. */
export function fakeRpc(
  responder: Responder = defaultResponder,
): RpcTransport & { calls: RecordedCall[]; deadlines: (number | undefined)[] } {
  const calls: RecordedCall[] = [];
  const deadlines: (number | undefined)[] = [];
  return {
    calls,
    deadlines,
    call(fn, args, signal, deadline) {
      calls.push({ fn, args });
      deadlines.push(deadline);
      return responder(fn, args, signal);
    },
  };
}

export function setup(options: { config?: Partial<WebhookConfig>; responder?: Responder; now?: number } = {}) {
  const rpc = fakeRpc(options.responder);
  const lines: string[] = [];
  const handle = createHandler({
    config: testConfig(options.config),
    rpc,
    log: (line) => lines.push(line),
    now: () => options.now ?? NOW_MS,
  });
  return { handle, rpc, lines };
}

/** The webhook's URL as the handler sees it in these tests. */
export const WEBHOOK_URL = "http://localhost/functions/v1/vapi-webhook";

export function post(body: unknown, headers: Record<string, string> = { "x-vapi-secret": SECRET }): Request {
  return new Request(WEBHOOK_URL, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** The captured Vapi deliveries, kept in the repository (tests never read outside it). */
export function payloadsDir(): string {
  return new URL("../fixtures/", import.meta.url).pathname;
}

export async function loadPayload(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await Deno.readTextFile(`${payloadsDir()}${name}`));
}

export async function listPayloads(): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(payloadsDir())) {
    if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name);
  }
  return names.sort();
}

/** The single log line a request wrote, parsed. */
export function onlyLogLine(lines: string[]): Record<string, unknown> {
  if (lines.length !== 1) throw new Error(`expected exactly one log line, got ${lines.length}`);
  return JSON.parse(lines[0]);
}

/** A JSON answer with exactly this status and body. */
export async function expectJson(res: Response, status: number, body: unknown): Promise<void> {
  assert.equal(res.status, status);
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.deepEqual(await res.json(), body);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A check_availability tool call item, with `id` when given (a tool call id of any JSON type). */
export const checkItem = (id?: unknown) => ({
  ...(id === undefined ? {} : { id }),
  function: { name: "check_availability", arguments: { date: "2026-01-09" } },
});

/** A minimal tool-calls message with the given `toolCallList` items. */
export function toolCallsMessage(items: unknown[], extra: Record<string, unknown> = {}) {
  return {
    message: {
      type: "tool-calls",
      toolCallList: items,
      call: { id: "call-uuid-1", assistantId: "asst_hvac_company_assistant" },
      phoneNumber: { number: "+15550100001" },
      customer: { number: "+15557654321" },
      ...extra,
    },
  };
}

/** The console.log lines `run` writes (a function's start-up config_error line, a request's log line). */
export function capturedConsole(run: () => Promise<unknown>): Promise<string[]>;
export function capturedConsole(run: () => void): string[];
export function capturedConsole(run: () => unknown): string[] | Promise<string[]> {
  const lines: string[] = [];
  const original = console.log;
  const restore = () => console.log = original;
  console.log = (line: unknown) => lines.push(String(line));
  let ran: unknown;
  try {
    ran = run();
  } catch (err) {
    restore();
    throw err;
  }
  if (ran instanceof Promise) return ran.then(() => lines).finally(restore);
  restore();
  return lines;
}

/**
 * Sends one request through a real Deno.serve (an ephemeral port) to `handler`: what a client receives, e.g. for HEAD
 * GET's headers without the body. Returns the status, the headers and the body as received.
 */
export async function throughServer(
  handler: (req: Request) => Response | Promise<Response>,
  method: string,
  path: string,
): Promise<{ status: number; headers: Headers; body: string }> {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  try {
    const res = await fetch(`http://127.0.0.1:${server.addr.port}${path}`, { method });
    return { status: res.status, headers: res.headers, body: await res.text() };
  } finally {
    await server.shutdown();
  }
}
