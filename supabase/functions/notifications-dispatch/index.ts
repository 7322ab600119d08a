// Supabase Edge Function entry point: transport wiring only; the logic lives in ./handler.ts and ../_shared/.
// Called by Supabase Cron every minute with `Authorization: Bearer <NOTIFICATIONS_DISPATCH_SECRET>` (README "Text
// messages"); deploy with --no-verify-jwt: the function checks that secret itself, fail closed.
import { handler } from "./handler.ts";

Deno.serve(handler);
