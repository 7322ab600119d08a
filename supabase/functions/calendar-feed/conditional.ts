/**
 * Conditional GET (RFC 9110 §13.1.2): calendar apps poll, and a 304 spares them the body. Only If-None-Match decides
 * (weak comparison, `*` matches): the ETag is a hash of the body, so any change — an event that left the feed, a
 * renamed staff member — gives a new one. There is no Last-Modified: a feed's newest change time cannot see an event
 * that left it, and If-Modified-Since answered 304 for a copy that still showed a moved job.
 */

function opaqueTag(tag: string): string {
  return tag.trim().replace(/^W\//, "");
}

/** True when the client's copy (named by its ETag) is still current. */
export function isNotModified(headers: Headers, etag: string): boolean {
  const ifNoneMatch = headers.get("if-none-match");
  if (ifNoneMatch === null) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const current = opaqueTag(etag);
  return ifNoneMatch.split(",").some((tag) => opaqueTag(tag) === current);
}
