/**
 * Conditional GET (RFC 9110 §13.1.2, §13.1.3): calendar apps poll, and a 304 spares them the body. If-None-Match
 * decides when present (weak comparison, `*` matches); only without it does If-Modified-Since count.
 */

function opaqueTag(tag: string): string {
  return tag.trim().replace(/^W\//, "");
}

/** True when the client's copy (named by its validators) is still current. */
export function isNotModified(headers: Headers, etag: string, lastModified: Date): boolean {
  const ifNoneMatch = headers.get("if-none-match");
  if (ifNoneMatch !== null) {
    if (ifNoneMatch.trim() === "*") return true;
    const current = opaqueTag(etag);
    return ifNoneMatch.split(",").some((tag) => opaqueTag(tag) === current);
  }
  const ifModifiedSince = headers.get("if-modified-since");
  if (ifModifiedSince === null) return false;
  const since = Date.parse(ifModifiedSince);
  // HTTP dates have whole seconds; Last-Modified is whole seconds too (the RPC truncates).
  return Number.isFinite(since) && lastModified.getTime() <= since;
}
