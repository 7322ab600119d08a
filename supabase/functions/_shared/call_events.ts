/**
 * The call lifecycle events `record_call_event` records (status-update, end-of-call-report, language-change-detected):
 * their zod schema and the compact event the RPC receives. Tolerant as every inbound schema (schemas.ts).
 */
import { z } from "zod";
import { optionalNumber, optionalObject, optionalText, plainJson } from "./schemas.ts";

/** The events `record_call_event` records. */
export const CALL_EVENT_TYPES = ["status-update", "end-of-call-report", "language-change-detected"] as const;

const recordingShape = {
  stereoUrl: optionalText,
  mono: optionalObject({ combinedUrl: optionalText }),
};
/**
 * The SDK's `costs[]` (one entry per provider); their sum is the call's cost when `cost` itself is absent, to 10
 * decimals (binary floating point makes 0.1 + 0.2 0.30000000000000004).
 */
const costsShape = z.array(z.looseObject({ cost: optionalNumber })).nullish().catch(null)
  .transform((list) => (list?.length ? Number(list.reduce((sum, c) => sum + (c.cost ?? 0), 0).toFixed(10)) : null));
const reportShape = {
  startedAt: optionalText,
  endedAt: optionalText,
  endedReason: optionalText,
  cost: optionalNumber,
  costs: costsShape,
  analysis: optionalObject({
    summary: optionalText,
    structuredData: z.record(z.string(), z.unknown()).refine(plainJson).nullish().catch(null).transform((v) =>
      v ?? null
    ),
    // Typed as a string in the SDK; rubrics deliver booleans and numbers too.
    successEvaluation: z.union([z.string(), z.number(), z.boolean()]).nullish().catch(null)
      .transform((v) => (v === null || v === undefined || v === "" ? null : String(v))),
  }),
  artifact: optionalObject({
    transcript: optionalText,
    recordingUrl: optionalText,
    stereoRecordingUrl: optionalText,
    recording: optionalObject(recordingShape),
  }),
};

export const callEventMessageSchema = z.looseObject({
  type: z.enum(CALL_EVENT_TYPES),
  timestamp: z.union([z.number().finite(), z.string()]).nullish().catch(null),
  status: optionalText,
  durationSeconds: optionalNumber,
  durationMs: optionalNumber,
  summary: optionalText,
  transcript: optionalText,
  recordingUrl: optionalText,
  language: optionalText,
  ...reportShape,
  call: optionalObject(reportShape),
});

/** The compact `p_event` of `record_call_event`: no caller number, no payload beyond these fields. */
export interface CallEvent {
  type: (typeof CALL_EVENT_TYPES)[number];
  timestamp?: string;
  status?: string;
  endedReason?: string;
  startedAt?: string;
  endedAt?: string;
  durationSeconds?: number;
  cost?: number;
  summary?: string;
  transcript?: string;
  recordingUrl?: string;
  structuredData?: Record<string, unknown>;
  successEvaluation?: string;
  language?: string;
}

/** Vapi sends epoch milliseconds (older SPEC: ISO string); both become an ISO string. */
export function normaliseTimestamp(value: number | string | null | undefined): string | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  const ms = typeof value === "number" ? value : /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  const date = new Date(ms);
  return Number.isFinite(date.getTime()) ? date.toISOString() : undefined;
}

/** A recording a dashboard may link to: http(s) only (a `javascript:` URL is no recording). */
const linkable = (url: string | null | undefined) => (url && /^https?:\/\//i.test(url) ? url : undefined);
/** Vapi's ended reasons are short codes; a longer text is no reason and is cut. */
const MAX_REASON_CHARS = 200;
/** A call's cost in dollars: a number beyond any call's (or below zero) is no cost. */
const plausibleCost = (cost: number | null | undefined) =>
  cost !== null && cost !== undefined && cost >= 0 && cost < 1e6 ? cost : undefined;

/**
 * The report fields wherever the message carries them: top level (real deliveries), else `artifact`/`analysis`
 * (the SDK's shape), else the embedded `call`. The duration falls back to SQL (ended − started) when absent.
 */
export function buildCallEvent(m: z.infer<typeof callEventMessageSchema>): CallEvent {
  const recording = (a: typeof m.artifact) =>
    a.recordingUrl ?? a.recording.mono.combinedUrl ?? a.stereoRecordingUrl ?? a.recording.stereoUrl;
  const event: CallEvent = {
    type: m.type,
    timestamp: normaliseTimestamp(m.timestamp),
    status: m.status ?? undefined,
    endedReason: (m.endedReason ?? m.call.endedReason)?.slice(0, MAX_REASON_CHARS) ?? undefined,
    startedAt: m.startedAt ?? m.call.startedAt ?? undefined,
    endedAt: m.endedAt ?? m.call.endedAt ?? undefined,
    durationSeconds: m.durationSeconds ?? (m.durationMs !== null ? m.durationMs / 1000 : undefined),
    cost: plausibleCost(m.cost ?? m.call.cost ?? m.costs ?? m.call.costs),
    summary: m.summary ?? m.analysis.summary ?? m.call.analysis.summary ?? undefined,
    transcript: m.transcript ?? m.artifact.transcript ?? m.call.artifact.transcript ?? undefined,
    recordingUrl: linkable(m.recordingUrl ?? recording(m.artifact) ?? recording(m.call.artifact)),
    structuredData: m.analysis.structuredData ?? m.call.analysis.structuredData ?? undefined,
    successEvaluation: m.analysis.successEvaluation ?? m.call.analysis.successEvaluation ?? undefined,
    language: m.language ?? undefined,
  };
  // Compact: absent fields are left out rather than sent as null.
  return Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined)) as unknown as CallEvent;
}
