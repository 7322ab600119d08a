/**
 * Runtime checks of the function's replies against the SDK's ServerMessageResponse* shapes (only the fields this
 * function sets), for tests: the same shapes are checked at compile time in sdk_types.test.ts.
 */
import { z } from "zod";

// Every line end Unicode or a splitlines() reader knows, control characters included on purpose.
// deno-lint-ignore no-control-regex
export const LINE_BREAK = /[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]/;
const singleLine = z.string().refine((s) => !LINE_BREAK.test(s), "must be a single line");

export const toolCallResultSchema = z.union([
  z.strictObject({ name: z.string(), toolCallId: z.string(), result: singleLine }),
  z.strictObject({ name: z.string(), toolCallId: z.string(), error: singleLine }),
]);
export const toolCallsResponseSchema = z.strictObject({ results: z.array(toolCallResultSchema) });
export const functionCallResponseSchema = z.strictObject({ result: singleLine });
export const assistantRequestResponseSchema = z.union([
  z.looseObject({ assistantId: z.string().min(1) }),
  z.strictObject({ error: z.string().min(1) }),
]);
export const transferDestinationResponseSchema = z.union([
  z.strictObject({
    destination: z.strictObject({
      type: z.literal("number"),
      number: z.string().regex(/^\+[1-9]\d{6,14}$/),
      message: singleLine.min(1),
    }),
  }),
  z.strictObject({ error: singleLine.min(1) }),
]);
