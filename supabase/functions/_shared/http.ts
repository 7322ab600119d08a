/** HTTP plumbing: JSON responses and a size-capped raw body read. */

/**
 * The contract's bound for an authenticated body. A 30-minute call's end-of-call report (thousands of
 * `artifact.messages`) is well over 1 MiB; 16 MiB leaves room while bounding memory per request.
 */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

export type BodyRead = { ok: true; bytes: Uint8Array } | { ok: false; reason: "too_large" | "unreadable" };

const FIRST_BUFFER_BYTES = 64 * 1024;
/** What a declared Content-Length may reserve up front; a larger body grows the buffer as its bytes arrive. */
const MAX_FIRST_BUFFER_BYTES = 1024 * 1024;
/** A whole body arrives within this, or the read stops: a slow sender cannot hold a connection (and its buffer). */
export const BODY_READ_TIMEOUT_MS = 10_000;

/** The next chunk, or null when none came within `ms`. */
function readWithin(reader: ReadableStreamDefaultReader<Uint8Array>, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => timer = setTimeout(() => resolve(null), ms));
  return Promise.race([reader.read(), late]).finally(() => clearTimeout(timer));
}

/**
 * Reads the raw body bytes (needed verbatim for the HMAC). A declared `Content-Length` over the cap is refused
 * before reading; the bytes are counted while streaming too (the header can be absent or wrong) and the read stops
 * at the first chunk past the cap. The buffer grows by doubling up to the cap, so memory stays within twice the cap
 * whatever the sender does. A body not complete within `timeoutMs` is unreadable (the sender is cut off).
 */
export async function readBodyCapped(
  req: Request,
  maxBytes = MAX_BODY_BYTES,
  timeoutMs = BODY_READ_TIMEOUT_MS,
): Promise<BodyRead> {
  const deadline = Date.now() + timeoutMs;
  const declaredText = req.headers.get("content-length")?.trim();
  const declared = declaredText && /^\d+$/.test(declaredText) ? Number(declaredText) : null;
  if (declared !== null && declared > maxBytes) {
    await req.body?.cancel().catch(() => {});
    return { ok: false, reason: "too_large" };
  }
  if (!req.body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = req.body.getReader();
  let buffer = new Uint8Array(Math.min(maxBytes, declared ?? FIRST_BUFFER_BYTES, MAX_FIRST_BUFFER_BYTES));
  let total = 0;
  try {
    while (true) {
      const chunk = await readWithin(reader, deadline - Date.now());
      if (chunk === null) {
        await reader.cancel().catch(() => {});
        return { ok: false, reason: "unreadable" };
      }
      const { done, value } = chunk;
      if (done) break;
      if (total + value.byteLength > maxBytes) {
        await reader.cancel().catch(() => {});
        return { ok: false, reason: "too_large" };
      }
      if (total + value.byteLength > buffer.byteLength) {
        const grown = new Uint8Array(Math.min(maxBytes, Math.max(buffer.byteLength * 2, total + value.byteLength)));
        grown.set(buffer.subarray(0, total));
        buffer = grown;
      }
      buffer.set(value, total);
      total += value.byteLength;
    }
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  return { ok: true, bytes: buffer.subarray(0, total) };
}
