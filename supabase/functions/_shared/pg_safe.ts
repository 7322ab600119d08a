/**
 * RPC arguments PostgreSQL can take. It turns JSON text into `text`/`jsonb` (PostgREST's json_to_record) only without
 * U+0000 and lone surrogates; otherwise the call fails and PostgreSQL logs the payload around the offending escape,
 * phone numbers included. JSON.stringify writes both as \u escapes, so they are found (and made U+FFFD) in the text
 * supabase-js would send.
 */
const PG_REJECTED_ESCAPE = /\\u0000|\\ud[89a-f]/i;

/** `args` with every U+0000 and lone surrogate (in values and keys) replaced by U+FFFD; `args` itself when clean. */
export function pgSafeArgs<T>(args: T): T {
  const text = JSON.stringify(args);
  if (text === undefined || !PG_REJECTED_ESCAPE.test(text)) return args;
  // Escapes are matched whole from left to right, so an escaped backslash followed by "u0000" stays as it was.
  return JSON.parse(
    text.replace(/\\(u0000|ud[89a-f][0-9a-f]{2}|.)/gi, (escape, code: string) => code.length > 1 ? "\\ufffd" : escape),
  );
}
