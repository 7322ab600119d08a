// Supabase Edge Function entry point: transport wiring only; the logic lives in ./handler.ts and ../_shared/.
// Deploy with JWT verification off (Vapi authenticates with its own secret): see README "Deploy".
// The handler is built at start, so a misconfigured deploy logs its `config_error` line before any request.
import { createEnvHandler } from "./handler.ts";

Deno.serve(createEnvHandler());
