// Vapi messages shaped like real deliveries (docs/vapi-protocol.md), with the tenant keys set per test.

export interface TenantKeys {
  callId?: string;
  /** message.call.assistantId */
  callAssistantId?: string;
  /** message.assistant.id */
  assistantId?: string;
  /** message.phoneNumber.number (the tenant's own line) */
  line?: string;
  /** message.call.phoneNumber.number (the tenant's own line, where some payloads carry it) */
  callLine?: string;
  /** message.customer.number and message.call.customer.number (the caller) */
  customerNumber?: string;
}

export interface ToolCallSpec {
  id?: string;
  name: string;
  args: Record<string, unknown> | string;
}

function envelope(type: string, keys: TenantKeys, extra: Record<string, unknown>, timestamp = Date.now()) {
  const customer = { number: keys.customerNumber ?? "+15557654321" };
  return {
    message: {
      timestamp,
      type,
      ...extra,
      ...(keys.assistantId ? { assistant: { id: keys.assistantId, name: "E2E Receptionist" } } : {}),
      customer,
      ...(keys.line ? { phoneNumber: { id: crypto.randomUUID(), provider: "vapi", number: keys.line } } : {}),
      call: {
        ...(keys.callId ? { id: keys.callId } : {}),
        orgId: "6f1c2a9e-3b7d-4c11-9a52-0d8e4f7b2c10",
        type: keys.line ? "inboundPhoneCall" : "webCall",
        status: "in-progress",
        ...(keys.callAssistantId ? { assistantId: keys.callAssistantId } : {}),
        ...(keys.callLine ? { phoneNumber: { number: keys.callLine } } : {}),
        customer,
      },
    },
  };
}

export function toolCallsMessage(keys: TenantKeys, calls: ToolCallSpec[]) {
  const list = calls.map((c) => ({
    id: c.id ?? `call_${crypto.randomUUID().replaceAll("-", "")}`,
    type: "function",
    function: { name: c.name, arguments: c.args },
  }));
  return envelope("tool-calls", keys, {
    toolCallList: list,
    toolCalls: list,
    toolWithToolCallList: list.map((toolCall) => ({
      type: "function",
      function: { name: toolCall.function.name, parameters: { type: "object", properties: {} } },
      async: false,
      toolCall,
    })),
    artifact: { messages: [] },
  });
}

export function functionCallMessage(keys: TenantKeys, name: string, parameters: Record<string, unknown>) {
  return envelope("function-call", keys, { functionCall: { name, parameters } });
}

export function statusUpdateMessage(keys: TenantKeys, status: string, timestamp = Date.now()) {
  return envelope("status-update", keys, { status }, timestamp);
}

export function endOfCallReportMessage(keys: TenantKeys, timestamp = Date.now()) {
  return envelope("end-of-call-report", keys, {
    endedReason: "customer-ended-call",
    startedAt: "2026-01-06T14:48:53.512Z",
    endedAt: "2026-01-06T14:52:10.031Z",
    cost: 0.2312,
    analysis: { summary: "Caller booked a furnace check.", successEvaluation: "true" },
    artifact: { transcript: "AI: Hello\nUser: Book me in.\n", recordingUrl: "https://storage.vapi.ai/e2e-mono.wav" },
    summary: "Caller booked a furnace check.",
    transcript: "AI: Hello\nUser: Book me in.\n",
    recordingUrl: "https://storage.vapi.ai/e2e-mono.wav",
    durationSeconds: 196.519,
    durationMs: 196519,
  }, timestamp);
}

export function assistantRequestMessage(keys: TenantKeys) {
  return envelope("assistant-request", keys, {});
}

/** book_appointment arguments as a model sends them. */
/** A caller's number no other test uses (+1555 and seven random digits). */
export function freshCallerNumber(): string {
  return `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
}

export function bookingArgs(start: string, extra: Record<string, unknown> = {}) {
  return { service: "furnace check", start_time: start, customer_name: "Dana Ortiz", ...extra };
}
