// LOCAL-ONLY: the SMS functions on the local gateway (/functions/v1/notifications-dispatch, /functions/v1/sms-inbound)
// and the stand-in for Supabase Cron: POST the dispatcher every LOCAL_DISPATCH_INTERVAL_SECONDS (default 60; 0 = off).
// Without TWILIO_* credentials the dispatcher claims nothing, so texts stay `pending` in the outbox.
import type { FunctionHandler } from "./gateway.ts";

export const DEV_DISPATCH_SECRET = "dev-dispatch-secret-change-me";

/** Imported after the gateway set the function environment (the handlers read it at import). */
export async function loadSmsFunctions(): Promise<Record<string, FunctionHandler>> {
  if (!Deno.env.get("NOTIFICATIONS_DISPATCH_SECRET")) {
    Deno.env.set("NOTIFICATIONS_DISPATCH_SECRET", DEV_DISPATCH_SECRET);
  }
  const dispatch = await import("../supabase/functions/notifications-dispatch/handler.ts");
  const inbound = await import("../supabase/functions/sms-inbound/handler.ts");
  return { "notifications-dispatch": dispatch.handler, "sms-inbound": inbound.handler };
}

export function startDispatchSchedule(functionsUrl: string): void {
  const raw = Deno.env.get("LOCAL_DISPATCH_INTERVAL_SECONDS") ?? "60";
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0 || raw.trim() === "") {
    console.error(
      `[local-stack] LOCAL_DISPATCH_INTERVAL_SECONDS=${raw} is not a number of seconds: texts are not sent`,
    );
    return;
  }
  if (seconds === 0) return;
  const run = async () => {
    try {
      const res = await fetch(`${functionsUrl}/notifications-dispatch`, {
        method: "POST",
        headers: { authorization: `Bearer ${Deno.env.get("NOTIFICATIONS_DISPATCH_SECRET")}` },
      });
      await res.body?.cancel();
    } catch (error) {
      console.error(`[local-stack] notifications-dispatch: ${error}`);
    }
  };
  Deno.unrefTimer(setInterval(run, seconds * 1000));
}
