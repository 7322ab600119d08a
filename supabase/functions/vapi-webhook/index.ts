// Supabase Edge Function entry point: transport wiring only; the logic lives in ./handler.ts and ../_shared/.
// Deploy with JWT verification off (Vapi authenticates with its own secret): supabase functions deploy vapi-webhook --no-verify-jwt
import { handler } from "./handler.ts";

Deno.serve(handler);
