/**
 * Twilio's inbound-SMS webhook as a plain `(Request) => Promise<Response>` function. Order: method → size cap →
 * X-Twilio-Signature over SMS_INBOUND_URL and the form parameters, with the auth token of the account named in the
 * request (401 when unsigned, unknown account or SMS_INBOUND_URL unset: fail closed) → record_inbound_sms for the
 * organizations that account sends for — owning the `To` line, or texting from it through their own account — (STOP
 * adds the sender to their sms_opt_outs, START removes it) → empty TwiML.
 */
import { z } from "zod";
import { secretsEqual } from "../_shared/auth.ts";
import { denoEnv, type EnvReader } from "../_shared/config.ts";
import { jsonResponse, readBodyCapped } from "../_shared/http.ts";
import { consoleSink, eventLine, type LogSink, maskPhone, requestIdFrom } from "../_shared/log.ts";
import { callRpc, getServiceTransport, type RpcTransport } from "../_shared/rpc.ts";
import { twilioSignature } from "../_shared/twilio.ts";
import { loadTextsFunctionConfig, sendsFrom, type SmsConfig, type TwilioAccount } from "../_shared/twilio_config.ts";

const MAX_FORM_BYTES = 64 * 1024;
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export interface InboundDeps {
  /** The URL exactly as configured in Twilio (https://<ref>.supabase.co/functions/v1/sms-inbound). */
  publicUrl: string | null;
  sms: SmsConfig;
  rpc: RpcTransport;
  log: LogSink;
}

/**
 * Who signed the request: null (nobody: 401), `all` (the platform's own account, which sends for every organization
 * without one of its own) or the organizations whose own account (TWILIO_ORG_CREDENTIALS) did — only the lines of the
 * organizations the signing account sends for may change their opt-outs.
 */
async function signedBy(
  req: Request,
  params: URLSearchParams,
  deps: InboundDeps,
): Promise<"all" | string[] | null> {
  const given = req.headers.get("x-twilio-signature");
  const accountSid = params.get("AccountSid");
  if (!given || !deps.publicUrl || !accountSid) return null;
  const signs = async (account: TwilioAccount) =>
    account.accountSid === accountSid &&
    secretsEqual(given, await twilioSignature(account.authToken, deps.publicUrl!, params));
  if (deps.sms.global && await signs(deps.sms.global)) return "all";
  const organizations: string[] = [];
  for (const [organizationId, account] of deps.sms.perOrganization) {
    if (await signs(account)) organizations.push(organizationId);
  }
  return organizations.length ? organizations : null;
}

/**
 * The organizations with a TWILIO_ORG_CREDENTIALS entry on the platform's own account (`true`: it gives them only a
 * sender of their own, they still text through it) or on another (`false`: their customers reply there, never
 * through the platform's account).
 */
function onPlatformAccount(sms: SmsConfig, onIt: boolean): string[] {
  return [...sms.perOrganization]
    .filter(([, account]) => (account.accountSid === sms.global?.accountSid) === onIt)
    .map(([organizationId]) => organizationId);
}

/**
 * Of the organizations whose own account signed, those it texts from the number or Messaging Service the reply came to:
 * their customers' STOP and START count even though no configuration of theirs lists that number.
 */
function sendingFrom(params: URLSearchParams, sms: SmsConfig, organizations: string[]): string[] {
  const sender = { number: params.get("To"), messagingServiceSid: params.get("MessagingServiceSid") };
  return organizations.filter((id) => sendsFrom(sms.perOrganization.get(id), sender));
}

export function createInboundHandler(deps: InboundDeps): (req: Request) => Promise<Response> {
  return async (req) => {
    const requestId = requestIdFrom(req.headers);
    const line = eventLine(deps.log, requestId, "inbound-sms");
    if (req.method !== "POST") {
      line("warn", "method_not_allowed");
      return jsonResponse(405, { error: "Method not allowed" }, { Allow: "POST" });
    }
    const body = await readBodyCapped(req, MAX_FORM_BYTES);
    if (!body.ok) {
      line("warn", body.reason === "too_large" ? "payload_too_large" : "bad_request");
      return jsonResponse(body.reason === "too_large" ? 413 : 400, { error: "Unreadable request body" });
    }
    const params = new URLSearchParams(new TextDecoder().decode(body.bytes));
    const signer = await signedBy(req, params, deps);
    if (signer === null) {
      line("warn", "unauthorized", deps.publicUrl ? {} : { error: "SMS_INBOUND_URL is not set (or not a URL)" });
      return jsonResponse(401, { error: "Unauthorized" });
    }
    const recorded = await callRpc(
      deps.rpc,
      "record_inbound_sms",
      {
        p_to_phone: params.get("To"),
        p_from_phone: params.get("From"),
        p_body: params.get("Body"),
        p_organization_ids: signer === "all" ? null : signer,
        p_except_organization_ids: signer === "all" ? onPlatformAccount(deps.sms, false) : null,
        p_sender_organization_ids: sendingFrom(
          params,
          deps.sms,
          signer === "all" ? onPlatformAccount(deps.sms, true) : signer,
        ),
      },
      z.string(),
      8000,
    );
    if (!recorded.ok) {
      line("error", "rpc_failed", { error: recorded.detail });
      return jsonResponse(503, { error: "Try again later" });
    }
    line(recorded.data === "unknown_line" ? "warn" : "info", recorded.data, {
      from: maskPhone(params.get("From")),
      to: maskPhone(params.get("To")),
    });
    return new Response(EMPTY_TWIML, { status: 200, headers: { "Content-Type": "text/xml" } });
  };
}

/** The handler configured from the environment; one that cannot check Twilio's signatures says so at start. */
export function createEnvInboundHandler(env: EnvReader = denoEnv): (req: Request) => Promise<Response> {
  const { sms, database, own } = loadTextsFunctionConfig(
    env,
    {
      name: "SMS_INBOUND_URL",
      unset: "every Twilio request is refused with 401 (its signature covers that URL)",
      urlExample: "https://<ref>.supabase.co/functions/v1/sms-inbound",
    },
    "no STOP or START is recorded",
  );
  return createInboundHandler({ publicUrl: own, sms, rpc: getServiceTransport(database), log: consoleSink });
}

export const handler = createEnvInboundHandler();
