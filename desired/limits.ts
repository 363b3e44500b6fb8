/**
 * Limits on a tenant.yaml, checked before the YAML library composes it (issue 17 item 6): the file's
 * size and encoding on its bytes, then nesting depth, string length and anchor/alias count on the
 * token stream of yaml's CST parser, which keeps its own stack and so cannot overflow Node's call
 * stack the way composing a 5,000-deep file does. Every problem has a file:line:column position.
 */
import { CST, LineCounter, Parser } from "yaml";
import type { DesiredStateIssue } from "./tenant-yaml.ts";
import { keyPathAtLine } from "./syntax-key.ts";

/** The limits: far above what a real tenant needs, far below what hurts the parser or the state. */
export const DESIRED_STATE_LIMITS = {
  /** Bytes in the file: about 110,000 declared items at the ~37 bytes each that the bench's files use. */
  fileBytes: 4 * 1024 * 1024,
  /** Characters in any one key or value (a reason, a ticket, an address). */
  stringChars: 1024,
  /** Mappings and lists inside one another; a tenant.yaml needs 5. */
  depth: 20,
  /** Anchors (&a) plus aliases (*a) in the file: the YAML "billion laughs" expansion needs many. */
  anchorsAndAliases: 100,
} as const;

/** At most this many problems of one kind are listed; the rest are counted in the last one. */
const MAX_ISSUES_PER_KIND = 10;

/**
 * Decodes a tenant.yaml's bytes as UTF-8. Refuses a file over the size limit (positioned at the
 * first byte past it) and invalid UTF-8 (positioned at the first bad byte) rather than replacing
 * bytes with U+FFFD. Returns the text, or the problems; never throws.
 */
export function decodeDesiredStateBytes(
  bytes: Uint8Array,
  file: string,
): { text: string; issues?: never } | { text?: never; issues: DesiredStateIssue[] } {
  const limit = DESIRED_STATE_LIMITS.fileBytes;
  if (bytes.length > limit) {
    const at = positionOfByte(bytes, limit);
    return {
      issues: [
        {
          file,
          ...at,
          key: "",
          message: `the file is ${bytes.length.toLocaleString("en-US")} bytes; the limit is ${limit.toLocaleString("en-US")} bytes (4 MiB), passed here`,
        },
      ],
    };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8Byte(bytes);
    const at = positionOfByte(bytes, bad);
    return {
      issues: [
        {
          file,
          ...at,
          key: keyPathAtLine(new TextDecoder().decode(bytes.subarray(0, bad)), at.line),
          message: `the file is not valid UTF-8 (byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, "0")} at offset ${bad}); save it as UTF-8`,
        },
      ],
    };
  }
}

/** The offset of the first byte that makes `bytes` invalid UTF-8 (bytes.length when it is valid). */
function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  // Invalidity is monotonic in the prefix length when a trailing incomplete sequence is allowed
  // (stream: true), so a binary search finds the shortest invalid prefix.
  const invalid = (n: number) => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return false;
    } catch {
      return true;
    }
  };
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (invalid(mid + 1)) hi = mid;
    else lo = mid + 1;
  }
  // bytes[lo] ends the valid text. When it breaks off a sequence begun earlier (an incomplete tail
  // before it), the bad sequence starts at that lead byte: point there.
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, lo));
  } catch {
    for (let k = 1; k <= 3 && lo - k >= 0; k++) if ((bytes[lo - k] ?? 0) >= 0xc0) return lo - k;
  }
  return lo;
}

/** 1-based line and column (in characters, decoding the line leniently) of byte `offset`. */
function positionOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const before = new TextDecoder("utf-8").decode(bytes.subarray(lineStart, offset));
  return { line, column: [...before].length + 1 };
}

/**
 * Checks nesting depth, string length and the anchor/alias count of tenant.yaml text without
 * composing it. Returns the problems found (empty when the text is within the limits), each with
 * file:line:column and the key path as far as it is known, e.g. `securityDefaults.reason`.
 * Syntax errors are left to the full parse that follows.
 */
export function checkDesiredStateLimits(text: string, file: string): DesiredStateIssue[] {
  const lines = new LineCounter();
  const issues: DesiredStateIssue[] = [];
  const counts = new Map<string, number>();
  const add = (kind: string, offset: number, key: string, message: string) => {
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    if (n > MAX_ISSUES_PER_KIND) return;
    const { line, col } = lines.linePos(offset);
    issues.push({ file, line, column: col, key, message });
  };
  const anchorOffsets: number[] = [];
  const countAnchors = (tokens: readonly CST.Token[] | undefined) => {
    for (const t of tokens ?? []) if (t.type === "anchor") anchorOffsets.push(t.offset);
  };

  // Offsets of the control characters already reported inside a key or value (by its key path).
  const controlsInScalars = new Set<number>();
  const checkControl = (token: CST.FlowScalar | CST.BlockScalar, path: string) => {
    const raw = NON_PRINTABLE.exec(token.source);
    if (raw !== null) {
      controlsInScalars.add(token.offset + raw.index);
      add("control", token.offset + raw.index, path, controlMessage(raw[0]));
      return;
    }
    // A double-quoted escape ("\0", "\e", "\x1b") makes one out of printable source.
    if (token.type === "double-quoted-scalar" && token.source.includes("\\")) {
      const value = resolveLeniently(token) ?? "";
      const escaped = NON_PRINTABLE.exec(value);
      if (escaped !== null) add("control", token.offset, path, controlMessage(escaped[0]));
    }
  };

  const checkString = (token: CST.FlowScalar | CST.BlockScalar, path: string) => {
    checkControl(token, path);
    const limit = DESIRED_STATE_LIMITS.stringChars;
    // The source is at least as long as the value but for escapes, so only long ones are resolved.
    if (token.source.length <= limit) return;
    const value = resolveLeniently(token) ?? token.source;
    if (value.length > limit)
      add(
        "string",
        token.offset,
        path,
        `a ${value.length.toLocaleString("en-US")}-character string; the limit is ${limit.toLocaleString("en-US")} characters`,
      );
  };

  // An explicit stack, not recursion: the point is to survive input nested thousands deep.
  const stack: { token: CST.Token; depth: number; path: string }[] = [];
  for (const token of new Parser(lines.addNewLine).parse(text)) stack.push({ token, depth: 0, path: "" });
  while (stack.length > 0) {
    const { token, depth, path } = stack.pop()!;
    switch (token.type) {
      case "document":
        countAnchors(token.start);
        if (token.value) stack.push({ token: token.value, depth, path });
        break;
      case "block-map":
      case "block-seq":
      case "flow-collection": {
        if (depth + 1 > DESIRED_STATE_LIMITS.depth) {
          add(
            "depth",
            token.offset,
            path,
            `nested more than ${DESIRED_STATE_LIMITS.depth} levels deep; a tenant.yaml needs at most 5`,
          );
          break; // not inside: one problem per over-deep branch
        }
        if (token.type === "flow-collection") countAnchors([token.start, ...token.end]);
        // Pushed last to first so that they are popped, and their problems found, in file order.
        for (let index = token.items.length - 1; index >= 0; index--) {
          const item = token.items[index]!;
          const name = item.key ? keyName(item.key) : undefined;
          const itemPath = join(path, name ?? String(index));
          if (item.value) stack.push({ token: item.value, depth: depth + 1, path: itemPath });
          if (item.key) stack.push({ token: item.key, depth: depth + 1, path: itemPath });
          countAnchors(item.start);
          countAnchors(item.sep);
        }
        break;
      }
      case "alias":
        anchorOffsets.push(token.offset);
        break;
      case "block-scalar":
        countAnchors(token.props);
        checkString(token, path);
        break;
      case "scalar":
      case "single-quoted-scalar":
      case "double-quoted-scalar":
        checkString(token, path);
        break;
      default:
        break;
    }
  }
  // Outside any key or value (a comment, the indentation): positioned, with no key.
  for (const m of text.matchAll(NON_PRINTABLE_ALL))
    if (!controlsInScalars.has(m.index)) add("control", m.index, "", controlMessage(m[0]));
  const anchorLimit = DESIRED_STATE_LIMITS.anchorsAndAliases;
  if (anchorOffsets.length > anchorLimit)
    add(
      "anchors",
      anchorOffsets.sort((a, b) => a - b)[anchorLimit]!,
      "",
      `${anchorOffsets.length} anchors and aliases; the limit is ${DESIRED_STATE_LIMITS.anchorsAndAliases} (write the values out instead)`,
    );
  issues.sort((a, b) => a.line - b.line || a.column - b.column);
  const more = [...counts.values()].reduce((sum, n) => sum + Math.max(0, n - MAX_ISSUES_PER_KIND), 0);
  const last = issues.at(-1);
  if (more > 0 && last) last.message += ` (${more} more problems like these are not listed)`;
  return issues;
}

/**
 * Characters YAML does not allow (YAML 1.2 §5.1 allows tab, line breaks, U+0020–U+007E, U+0085,
 * U+00A0 and up except U+FFFE/U+FFFF). The yaml library lets a NUL or an escape character through
 * into a string, where it would reach Graph, the state and the logs unseen.
 */
const NON_PRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]/u;
const NON_PRINTABLE_ALL = new RegExp(NON_PRINTABLE.source, "gu");

function controlMessage(char: string): string {
  const code = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
  return `contains the control character U+${code}; YAML allows only printable characters, tabs and line breaks: remove it`;
}

function keyName(key: CST.Token): string | undefined {
  if (key.type !== "scalar" && key.type !== "single-quoted-scalar" && key.type !== "double-quoted-scalar")
    return undefined;
  // Only short keys are resolved here; a long one is reported as a string and named by its index.
  if (key.source.length > DESIRED_STATE_LIMITS.stringChars) return undefined;
  return resolveLeniently(key);
}

/**
 * A scalar token's value, with its syntax errors ignored: without a handler yaml's resolveAsScalar
 * throws a bare YAMLParseError (an invalid escape such as `"C:\scans"`, a key starting with `@` or a
 * backtick) that names no file, line or key. Those errors are reported, positioned, by the full parse.
 */
function resolveLeniently(token: CST.Token): string | undefined {
  return CST.resolveAsScalar(token, true, () => {})?.value;
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}
