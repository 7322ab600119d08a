// Supabase Edge Function entry point: transport wiring only; the logic lives in ./handler.ts and ../_shared/.
// Twilio's "A message comes in" webhook of the tenants' numbers; deploy with --no-verify-jwt: Twilio signs its
// requests (X-Twilio-Signature), which the handler verifies, fail closed.
import { handler } from "./handler.ts";

Deno.serve(handler);
