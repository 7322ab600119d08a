// Supabase Edge Function entry point: transport wiring only; the logic lives in ./handler.ts.
// Calendar apps send no JWT (the token in the URL is the credential): supabase functions deploy calendar-feed --no-verify-jwt
import { handler } from "./handler.ts";

Deno.serve(handler);
