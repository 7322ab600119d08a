/**
 * RFC 5545 text plumbing: TEXT escaping (§3.3.11), UTC DATE-TIME values (§3.3.5) and content lines folded at 75
 * octets (§3.1) without ever splitting a UTF-8 character. Pure functions; no calendar knowledge.
 */

const MAX_LINE_OCTETS = 75;

/**
 * A TEXT value: backslash, semicolon and comma escaped, every line break (CRLF, LF, CR, and Unicode's NEL, LINE and
 * PARAGRAPH SEPARATOR, on which a lax reader splits too) as `\n`. Other control characters are not allowed in TEXT and
 * are dropped (HTAB stays).
 */
export function escapeText(value: string): string {
  return value
    .replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, "\n")
    // deno-lint-ignore no-control-regex
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "")
    .replace(/[\\;,\n]/g, (c) => c === "\n" ? "\\n" : `\\${c}`);
}

/** `2027-03-14T14:00:00Z` (or any instant) → `20270314T140000Z`. */
export function formatUtc(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
}

/** Octets of one code point in UTF-8 (a lone surrogate is encoded as U+FFFD: 3). */
function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * One content line folded so that no physical line exceeds 75 octets (CRLF excluded); continuation lines start
 * with one space, which counts. Splits only between code points, so a multibyte character is never cut.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let start = 0;
  let octets = 0;
  for (let i = 0; i < line.length;) {
    const codePoint = line.codePointAt(i)!;
    const size = utf8Length(codePoint);
    if (octets + size > MAX_LINE_OCTETS) {
      parts.push(line.slice(start, i));
      start = i;
      octets = 1; // the continuation line's leading space
    }
    octets += size;
    i += codePoint > 0xffff ? 2 : 1;
  }
  parts.push(line.slice(start));
  return parts.join("\r\n ");
}

/** `NAME:value` folded; `value` must already be in its property's format (escaped TEXT, DATE-TIME, ...). */
export function contentLine(name: string, value: string | number): string {
  return foldLine(`${name}:${value}`);
}

/** The calendar object's lines joined with CRLF, ending with CRLF as §3.1 requires. */
export function joinLines(lines: string[]): string {
  return lines.join("\r\n") + "\r\n";
}
