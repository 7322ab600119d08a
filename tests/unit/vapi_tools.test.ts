// examples/vapi-tools.json: the four tools as Vapi's API creates them (POST /tool), typed with the official SDK, named
// as the webhook serves them, with the arguments the README and the contract give each.
import assert from "node:assert/strict";
import type { Vapi } from "@vapi-ai/server-sdk";
import { TOOL_RPCS } from "../../supabase/functions/_shared/tools.ts";

type ToolBody = Vapi.CreateFunctionToolDto & { type: "function" };
const tools: ToolBody[] = JSON.parse(
  Deno.readTextFileSync(new URL("../../examples/vapi-tools.json", import.meta.url)),
);
const byName = new Map(tools.map((t) => [t.function!.name, t]));
const properties = (name: string) =>
  Object.keys((byName.get(name)!.function!.parameters as { properties: Record<string, unknown> }).properties);
const required = (name: string) => (byName.get(name)!.function!.parameters as { required?: string[] }).required ?? [];

Deno.test("vapi-tools.json: one function tool per tool the webhook serves, sync", () => {
  assert.deepEqual([...byName.keys()].sort(), Object.keys(TOOL_RPCS).sort());
  for (const t of tools) {
    assert.equal(t.type, "function");
    assert.equal(t.async, false, `${t.function!.name}: Vapi waits for the answer`);
    assert.ok(t.function!.description, `${t.function!.name}: a description the model reads`);
  }
});

Deno.test("vapi-tools.json: each tool's arguments as the README gives them", () => {
  assert.deepEqual(properties("book_appointment").sort(), [
    "customer_name",
    "customer_phone",
    "duration_minutes",
    "notes",
    "service",
    "staff_name",
    "start_time",
  ]);
  assert.deepEqual(required("book_appointment").sort(), ["customer_name", "start_time"]);
  assert.deepEqual(properties("check_availability").sort(), [
    "date",
    "duration_minutes",
    "from",
    "service",
    "staff_name",
    "to",
  ]);
  assert.deepEqual(properties("cancel_appointment").sort(), ["appointment_id", "customer_phone", "start_time"]);
  assert.deepEqual(required("cancel_appointment"), [], "no arguments: the caller's one upcoming appointment");
  assert.deepEqual(properties("reschedule_appointment").sort(), [
    "appointment_id",
    "customer_phone",
    "duration_minutes",
    "new_start_time",
    "staff_name",
    "start_time",
  ]);
  assert.deepEqual(required("reschedule_appointment"), ["new_start_time"]);
});
