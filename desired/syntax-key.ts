/**
 * The key a YAML syntax error sits under, read from the text's lines: when the YAML does not parse
 * there is no document to walk, yet "file:line:column key: message" should still name the key an
 * admin has to fix. Indentation gives the path; a quote or flow collection still open at the error
 * names the key where it was opened, since that is where the mistake is, not where the parser gave up.
 */

/** `securityDefaults.reason`-style path of the key that line `line` (1-based) belongs to; "" at top level. */
export function keyPathAtLine(text: string, line: number): string {
  const lines = text.split(/\r?\n/);
  const stack: Declared[] = [];
  const scan: Scan = { depth: 0 };
  let openedAt: string | undefined;
  for (let i = 0; i < Math.min(line, lines.length); i++) {
    const raw = lines[i]!;
    const declared = openedAt === undefined ? keyLine(raw) : undefined;
    if (openedAt === undefined) {
      if (/^(---|\.\.\.)(\s|$)/.test(raw)) stack.length = 0; // a document marker: back to the top
      if (declared) {
        while (stack.length > 0 && !isParent(stack[stack.length - 1]!, declared)) stack.pop();
        stack.push(declared);
      }
    }
    if (i === line - 1) {
      // A comment, or a line that declares no key (a stray `%YAML` directive, a bare word), belongs to
      // the level it is indented at: at column 1 it is at the top level, under no key.
      const stray = /^([ \t]*)\S/u.exec(raw);
      if (stray && !declared && openedAt === undefined)
        while (stack.length > 0 && stack[stack.length - 1]!.indent >= stray[1]!.length) stack.pop();
      break;
    }
    scanLine(raw, scan);
    const open = scan.quote !== undefined || scan.depth > 0;
    if (open && openedAt === undefined) openedAt = stack.map((s) => s.key).join(".");
    if (!open) openedAt = undefined;
  }
  return openedAt ?? stack.map((s) => s.key).join(".");
}

interface Declared {
  indent: number;
  key: string;
  /** `enabled: false` rather than `securityDefaults:` with its mapping on the next lines. */
  inlineValue: boolean;
}

/** A key with its value on the same line has no children, whatever a stray tab makes an indent look like. */
function isParent(outer: Declared, inner: Declared): boolean {
  return outer.indent < inner.indent && !outer.inlineValue;
}

/** The key a block-mapping line declares and its column; undefined for blanks, comments and values. */
function keyLine(raw: string): Declared | undefined {
  const lead = /^[ \t]*(?:-[ \t]+)*/.exec(raw)![0].length;
  const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{}[\],&*!|>%@`][^#]*?)[ \t]*:(?:[ \t]|$)/.exec(raw.slice(lead));
  if (!m) return undefined;
  const key = /^["']/.test(m[1]!) ? m[1]!.slice(1, -1) : m[1]!;
  const rest = raw.slice(lead + m[0].length).trim();
  return { indent: lead, key, inlineValue: rest !== "" && !rest.startsWith("#") && !/^[&!][^\s]*$/.test(rest) };
}

interface Scan {
  quote?: '"' | "'";
  depth: number;
}

/** Carries an open quoted scalar or flow collection ({ … }, [ … ]) from line to line. */
function scanLine(raw: string, s: Scan): void {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (s.quote === '"') {
      if (c === "\\") i++;
      else if (c === '"') s.quote = undefined;
    } else if (s.quote === "'") {
      if (c === "'" && raw[i + 1] === "'") i++;
      else if (c === "'") s.quote = undefined;
    } else if (c === "#" && (i === 0 || /\s/.test(raw[i - 1]!))) {
      return;
    } else if ((c === '"' || c === "'") && /(^|[\s:,[{-])$/.test(raw.slice(0, i))) {
      // A quote opens a scalar only where a value starts, not inside a plain word (it's, O'Brien).
      s.quote = c;
    } else if (c === "{" || c === "[") {
      s.depth++;
    } else if ((c === "}" || c === "]") && s.depth > 0) {
      s.depth--;
    }
  }
}

/** A key line indented deeper than the key-with-a-value line before it, found after a syntax error. */
export interface OverIndentedKey {
  line: number;
  column: number;
  key: string;
  message: string;
}

/**
 * When line `line` (1-based) declares a key with its value on the same line (`organization: disabled`)
 * and a later line, before anything at that indentation or less, declares a key indented deeper
 * (`    others: inherit`), that later line is the mistake: yaml reads it as more of the value and
 * reports the error on `line` (fuzzer D13). Returns the deeper key's position, its path as a sibling
 * of `line`'s key, and a message saying how deep to indent it; undefined when the lines are not so.
 */
export function overIndentedSibling(text: string, line: number): OverIndentedKey | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  const at = lines[line - 1];
  const first = at === undefined ? undefined : keyLine(at);
  if (!first?.inlineValue) return undefined;
  // A block scalar (`reason: |`), or a quote or flow collection left open, continues on deeper lines.
  const open: Scan = { depth: 0 };
  scanLine(at!, open);
  if (open.quote !== undefined || open.depth > 0 || /:[ \t]+[|>]/.test(at!)) return undefined;
  for (let i = line; i < lines.length; i++) {
    const raw = lines[i]!;
    if (/^[ \t]*(#|$)/.test(raw)) continue;
    const indent = /^[ \t]*/.exec(raw)![0].length;
    if (indent <= first.indent) return undefined;
    const deeper = keyLine(raw);
    if (!deeper) continue; // more of a multi-line value
    // The parent is the nearest line above declaring a key less indented; keys may hold dots (addresses).
    let parent = "";
    for (let j = line - 2; j >= 0; j--) {
      const above = keyLine(lines[j]!);
      if (above && above.indent < first.indent) {
        parent = keyPathAtLine(text, j + 1);
        break;
      }
    }
    return {
      line: i + 1,
      column: deeper.indent + 1,
      key: parent ? `${parent}.${deeper.key}` : deeper.key,
      message: `indented deeper than "${first.key}" on line ${line}, which already has a value, so YAML reads this line as more of that value; indent it by ${first.indent} ${first.indent === 1 ? "space" : "spaces"} like "${first.key}", or, if it belongs under "${first.key}", remove that value`,
    };
  }
  return undefined;
}

/** Characters that look like a colon but are not one to YAML (fullwidth from CJK input methods, ratio, modifier letters). */
const LOOKALIKE_COLONS = "\\uFF1A\\uFE13\\uFE55\\u2236\\uA789\\u02D0\\u0589\\u05C3";
const KEY_THEN_LOOKALIKE_COLON = new RegExp(
  `^[ \\t]*(?:-[ \\t]+)*([^\\s#'"{}[\\],:${LOOKALIKE_COLONS}]+)[ \\t]*([${LOOKALIKE_COLONS}])`,
  "u",
);

/**
 * "; "smtpAuth" is followed by U+FF1A, which only looks like ":" …" when line `line` (1-based) starts
 * with a word followed by a lookalike colon, else "". YAML then reads `smtpAuth：` as a plain word, so
 * the error it gives (a syntax error, or "not the string …") names no key and no reason.
 */
export function lookalikeColonHint(text: string, line: number): string {
  const raw = text.split(/\r\n|\r|\n/)[line - 1];
  const m = raw === undefined ? null : KEY_THEN_LOOKALIKE_COLON.exec(raw);
  if (!m) return "";
  const code = `U+${m[2]!.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  return `; "${m[1]}" is followed by ${code}, which only looks like ":": write an ASCII colon`;
}
