/** What the webhook RPCs answer (docs/rpc-contract.md), as zod schemas the function checks every answer against. */
import { z } from "zod";

const nullableText = z.string().nullish().transform((v) => v ?? null);

/** What every webhook RPC answers besides its own fields: the tenant, how it was found, the call's language. */
const rpcReturnBase = {
  ok: z.boolean(),
  reason: nullableText,
  organization_id: nullableText,
  resolved_by: nullableText,
  language: nullableText,
};

export const toolRpcReturnSchema = z.looseObject({
  ...rpcReturnBase,
  result: z.unknown().optional(),
  error: nullableText,
  replayed: z.boolean().nullish(),
});

export const callEventRpcReturnSchema = z.looseObject({ ...rpcReturnBase, changed: z.boolean().nullish() });

export const routeRpcReturnSchema = z.looseObject({
  ...rpcReturnBase,
  assistant_id: nullableText,
  error: nullableText,
});

export const transferRpcReturnSchema = z.looseObject({ ...rpcReturnBase, destination: nullableText });
