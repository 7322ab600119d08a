/**
 * scripts/call: one simulated phone call against a running webhook (the local stack or any URL), the way Vapi
 * would deliver it: status-update → check_availability → book_appointment → status-update ended →
 * end-of-call-report. Prints each request's outcome and exits non-zero on any unexpected answer.
 */
import { parseArgs } from "node:util";

// The local stack's API port, as scripts/dev chose it (LOCAL_API_PORT), else Supabase's local one.
const DEFAULT_URL = `http://127.0.0.1:${Deno.env.get("LOCAL_API_PORT") || "54321"}/functions/v1/vapi-webhook`;
const USAGE = `usage: scripts/call [--url URL] [--secret S] [--assistant ID | --phone E164] [--call-id-only] [--web]
                   [--date YYYY-MM-DD] [--name NAME] [--caller E164] [--service NAME] [--staff NAME]
  --url           webhook URL (default ${DEFAULT_URL})
  --secret        X-Vapi-Secret (default: the secret scripts/dev uses: $VAPI_WEBHOOK_SECRET, else
                  supabase/functions/.env, else the development secret)
  --assistant     assistant id the call carries (default asst_hvac_company_assistant unless --phone is given)
  --phone         the tenant's own line the call came in on (phoneNumber.number)
  --call-id-only  only the first event carries assistant/line; later ones carry nothing but call.id
  --web           a web call: no phoneNumber and no caller number
  --date          day to ask availability for (default: the next open times)
  --name          the customer's name on the booking (default "Sam Simulator")
  --caller        the caller's number (customer.number, and the booking's phone; default +15557654321)
  --service       the service asked for and booked (default "simulated visit"; a tenant with services needs one of them)
  --staff         the staff member asked for (staff_name); the booking must go to them`;

function parseOptions() {
  try {
    return parseArgs({
      args: Deno.args,
      options: {
        url: { type: "string", default: DEFAULT_URL },
        // scripts/call exports the secret scripts/dev uses (scripts/lib/stack.sh export_local_secret).
        secret: { type: "string", default: Deno.env.get("VAPI_WEBHOOK_SECRET") ?? "" },
        assistant: { type: "string" },
        phone: { type: "string" },
        "call-id-only": { type: "boolean", default: false },
        web: { type: "boolean", default: false },
        date: { type: "string" },
        name: { type: "string", default: "Sam Simulator" },
        caller: { type: "string", default: "+15557654321" },
        service: { type: "string", default: "simulated visit" },
        staff: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    console.error(`scripts/call: ${err instanceof Error ? err.message : err}\n${USAGE}`);
    Deno.exit(2);
  }
}
const { values: opts } = parseOptions();
if (opts.help) {
  console.log(USAGE);
  Deno.exit(0);
}
await requireLocalStack();

// The default URL is scripts/dev's: say so instead of a raw connection error (after the flags were checked).
async function requireLocalStack(): Promise<void> {
  if (opts.url !== DEFAULT_URL) return;
  const { hostname, port } = new URL(DEFAULT_URL);
  try {
    (await Deno.connect({ hostname, port: Number(port) })).close();
  } catch {
    console.error(
      `[call] error: nothing answers on ${hostname}:${port}: start the local stack first (scripts/dev), or pass --url`,
    );
    Deno.exit(1);
  }
}

const callId = `sim-${crypto.randomUUID()}`;
const assistantId = opts.assistant ?? (opts.phone ? undefined : "asst_hvac_company_assistant");
let step = 0;
const STEPS = 5;

/** The envelope fields Vapi puts on every message; `keys` decides whether tenant hints are included. */
function envelope(type: string, keys: boolean, extra: Record<string, unknown>): Record<string, unknown> {
  const call: Record<string, unknown> = { id: callId, type: opts.web ? "webCall" : "inboundPhoneCall" };
  const message: Record<string, unknown> = { type, timestamp: Date.now(), call, ...extra };
  if (keys && assistantId) {
    call.assistantId = assistantId;
    message.assistant = { id: assistantId };
  }
  if (keys && opts.phone && !opts.web) message.phoneNumber = { number: opts.phone };
  if (!opts.web) message.customer = { number: opts.caller };
  return { message };
}

function keysFor(index: number): boolean {
  return !opts["call-id-only"] || index === 0;
}

async function post(label: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  step++;
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(opts.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-vapi-secret": opts.secret },
      body: JSON.stringify(body),
    });
  } catch (err) {
    fail(`${step}/${STEPS} ${label}: no answer from ${opts.url} (${err})`);
  }
  const text = await res.text();
  const ms = Math.round(performance.now() - started);
  if (res.status !== 200) fail(`${step}/${STEPS} ${label} → HTTP ${res.status} ${text}`);
  const json = JSON.parse(text);
  console.log(`${step}/${STEPS} ${label} → 200 (${ms} ms)`);
  return json;
}

function fail(message: string): never {
  console.error(`✖ ${message}`);
  Deno.exit(1);
}

function toolCall(index: number, name: string, args: Record<string, unknown>): Record<string, unknown> {
  const item = { id: `${callId}-tool-${index}`, type: "function", function: { name, arguments: args } };
  return envelope("tool-calls", keysFor(index), { toolCallList: [item], toolWithToolCallList: [] });
}

function onlyResult(reply: Record<string, unknown>, name: string): string {
  const results = reply.results as Array<Record<string, string>> | undefined;
  if (!results || results.length !== 1 || results[0].name !== name) {
    fail(`${name}: unexpected reply ${JSON.stringify(reply)}`);
  }
  if (results[0].error !== undefined) fail(`${name}: ${results[0].error}`);
  console.log(`    ${results[0].result}`);
  return results[0].result;
}

function expectAck(reply: Record<string, unknown>, label: string): void {
  if (Object.keys(reply).length !== 0) fail(`${label}: expected {} but got ${JSON.stringify(reply)}`);
}

console.log(
  `call ${callId} → ${opts.url}` + (assistantId ? ` assistant=${assistantId}` : "") +
    (opts.phone ? ` line=${opts.phone}` : "") + (opts["call-id-only"] ? " (call id only after the first event)" : "") +
    (opts.web ? " (web call)" : ""),
);

expectAck(
  await post("status-update in-progress", envelope("status-update", keysFor(0), { status: "in-progress" })),
  "status-update",
);

// What the caller asks for, in both tool calls: the service, and the person when one is named.
const wanted = { service: opts.service, ...(opts.staff ? { staff_name: opts.staff } : {}) };
const availability = onlyResult(
  await post(
    "check_availability",
    toolCall(1, "check_availability", { ...wanted, ...(opts.date ? { date: opts.date } : {}) }),
  ),
  "check_availability",
);
const slot = availability.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}/)?.[0];
if (!slot) fail(`check_availability offered no open time: ${availability}`);

const booking = onlyResult(
  await post(
    `book_appointment ${slot}`,
    toolCall(2, "book_appointment", {
      start_time: slot,
      customer_name: opts.name,
      ...(opts.web ? {} : { customer_phone: opts.caller }),
      ...wanted,
    }),
  ),
  "book_appointment",
);
const booked = JSON.parse(booking);
if (booked.status !== "booked") fail(`book_appointment did not book: ${booking}`);
if (opts.staff && !String(booked.staff_name ?? "").toLowerCase().startsWith(opts.staff.toLowerCase())) {
  fail(`book_appointment went to ${booked.staff_name}, not ${opts.staff}`);
}

expectAck(
  await post(
    "status-update ended",
    envelope("status-update", keysFor(3), {
      status: "ended",
      endedReason: "customer-ended-call",
    }),
  ),
  "status-update ended",
);
expectAck(
  await post(
    "end-of-call-report",
    envelope("end-of-call-report", keysFor(4), {
      endedReason: "customer-ended-call",
      summary: `Simulated call: booked ${slot}.`,
      durationSeconds: 42,
    }),
  ),
  "end-of-call-report",
);

console.log(`✔ call ${callId} booked ${slot}` + (booked.staff_name ? ` with ${booked.staff_name}` : ""));
