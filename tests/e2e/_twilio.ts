// The SMS provider for tests: a recording, fault-injecting stand-in in front of the spec-validated Twilio mock (Prism
// serving Twilio's own OpenAPI document, started by scripts/test as TWILIO_MOCK_URL). Every request is forwarded to
// the mock unless a fault is queued, so whether a request is valid is decided by Twilio's spec, never by this file.
import type { TwilioAccount } from "../../supabase/functions/_shared/twilio_config.ts";

export const TEST_ACCOUNT: TwilioAccount = {
  accountSid: "AC0123456789abcdef0123456789abcdef",
  authToken: "test-auth-token-not-a-secret",
};

/** Another tenant's own Twilio account (TWILIO_ORG_CREDENTIALS), configured beside the fixture organization's. */
export const OTHER_TENANT_ACCOUNT: TwilioAccount = {
  accountSid: "ACfedcba9876543210fedcba9876543210",
  authToken: "other-tenant-token-not-a-secret",
};

/** The platform's own account (TWILIO_ACCOUNT_SID): it sends for the organizations without an account of their own. */
export const PLATFORM_ACCOUNT: TwilioAccount = {
  accountSid: "AC00112233445566778899aabbccddeeff",
  authToken: "platform-token-not-a-secret",
};

/**
 * What the stand-in does with the next request:
 *   status     answers itself with that status and a Twilio error body (429 with Retry-After, 500, 400 + code)
 *   lost       forwards to the mock (the text is sent), then never answers: the client times out, outcome unknown
 *   dropped    never forwards and never answers (the text is NOT sent): the client times out, outcome unknown
 */
export type Fault = { status: number; code?: number } | { lost: true } | { dropped: true };

export interface SentRequest {
  to: string | null;
  from: string | null;
  messagingServiceSid: string | null;
  body: string | null;
  /** What the spec-validated mock answered (201 = a valid Messages request); null when a fault answered instead. */
  mockStatus: number | null;
  mockBody: Record<string, unknown> | null;
  at: Date;
}

export interface TwilioStandIn {
  url: string;
  /** The Messages POSTs (sends). */
  requests: SentRequest[];
  /** The Messages list GETs (reconciliations), with the mock's status for each (200 = valid per the spec). */
  lookups: { to: string | null; mockStatus: number | null }[];
  /** Requests the mock accepted (HTTP 201): the texts Twilio would have sent. */
  accepted(): SentRequest[];
  inject(...faults: Fault[]): void;
  /** Forgets the recorded requests and the faults not used yet. */
  reset(): void;
  close(): Promise<void>;
}

export function twilioMockUrl(): string {
  const url = Deno.env.get("TWILIO_MOCK_URL");
  if (!url) throw new Error("TWILIO_MOCK_URL is not set: run scripts/test (it starts the spec-validated Twilio mock)");
  return url;
}

export function startTwilioStandIn(mockUrl = twilioMockUrl()): TwilioStandIn {
  const requests: SentRequest[] = [];
  const lookups: { to: string | null; mockStatus: number | null }[] = [];
  const faults: Fault[] = [];
  const hanging = new Set<() => void>();
  const hang = () => new Promise<void>((resolve) => hanging.add(resolve));
  const forward = (req: Request, body?: string) =>
    fetch(new URL(new URL(req.url).pathname + new URL(req.url).search, mockUrl), {
      method: req.method,
      headers: {
        authorization: req.headers.get("authorization") ?? "",
        "content-type": "application/x-www-form-urlencoded",
      },
      body,
    });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    if (req.method === "GET") return await list(req);
    const raw = await req.text();
    const form = new URLSearchParams(raw);
    const sent: SentRequest = {
      to: form.get("To"),
      from: form.get("From"),
      messagingServiceSid: form.get("MessagingServiceSid"),
      body: form.get("Body"),
      mockStatus: null,
      mockBody: null,
      at: new Date(),
    };
    requests.push(sent);
    const fault = faults.shift();
    if (fault && "status" in fault) {
      const headers = { "content-type": "application/json", ...(fault.status === 429 ? { "retry-after": "1" } : {}) };
      return new Response(
        JSON.stringify({ code: fault.code ?? 20000 + fault.status, message: "injected fault", status: fault.status }),
        { status: fault.status, headers },
      );
    }
    if (fault && "dropped" in fault) {
      await hang();
      return new Response(null, { status: 504 });
    }
    const forwarded = await forward(req, raw);
    sent.mockStatus = forwarded.status;
    const text = await forwarded.text();
    sent.mockBody = JSON.parse(text);
    if (fault) {
      // Sent, but the answer is lost: hold the connection until the client gives up (or close() runs).
      await hang();
      return new Response(null, { status: 504 });
    }
    return new Response(text, { status: forwarded.status, headers: { "content-type": "application/json" } });
  });
  // Twilio's message list: the mock validates the request; the answer lists what the mock really accepted (newest
  // first, Twilio's shape), since the mock's own examples are random.
  async function list(req: Request): Promise<Response> {
    const to = new URL(req.url).searchParams.get("To");
    const lookup = { to, mockStatus: null as number | null };
    lookups.push(lookup);
    const fault = faults.shift();
    if (fault && "status" in fault) return new Response("{}", { status: fault.status });
    const forwarded = await forward(req);
    lookup.mockStatus = forwarded.status;
    await forwarded.body?.cancel();
    const messages = requests.filter((r) => r.mockStatus === 201 && r.to === to).reverse().map((r) => ({
      sid: r.mockBody?.sid,
      to: r.to,
      body: r.body,
      direction: "outbound-api",
      date_created: r.at.toUTCString().replace("GMT", "+0000"),
    }));
    return Response.json({ messages, page: 0, page_size: 50 }, { status: forwarded.status });
  }
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    lookups,
    accepted: () => requests.filter((r) => r.mockStatus === 201),
    inject: (...more) => faults.push(...more),
    reset: () => {
      requests.length = 0;
      lookups.length = 0;
      faults.length = 0;
    },
    close: async () => {
      for (const release of hanging) release();
      await server.shutdown();
    },
  };
}
