/**
 * Scalar checks and renderings shared by the tenant.yaml walker and its sections: mail addresses,
 * dates, safe quoting of values in messages, and "did you mean" suggestions for misspelt keys.
 */
import { isMap, isScalar, isSeq, type Scalar, type YAMLMap, type YAMLSeq } from "yaml";

/**
 * A pragmatic address check: one @, a dot-atom local part, and a domain with a dotted TLD that is
 * alphabetic or an IDN A-label (`xn--p1ai`, .рф).
 */
const ADDRESS =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/i;

/** @internal */
export function isMailAddress(s: string): boolean {
  return s.length <= 254 && ADDRESS.test(s) && (s.split("@")[0]?.length ?? 0) <= 64;
}

/** @internal */
export function isValidDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999, and 0001-01-01 failed the
  // round trip as "not a date" when it is a date long expired (fuzzer D11).
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** True for a value written as nothing at all (`key:` with nothing after it). */
export function isEmpty(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null && node.source === "");
}

/**
 * Characters a terminal shows as nothing or as a plain space: format characters (U+200B zero-width
 * space, U+FEFF byte-order mark), spaces other than U+0020 (U+00A0 no-break space), line and
 * paragraph separators, and controls (a lone CR that would overwrite the line).
 */
const INVISIBLE = /(?! )[\p{Cf}\p{Zs}\p{Zl}\p{Zp}\p{Cc}]/gu;

/**
 * `text` with every invisible character written as an escape (`smtp\u200bAuth`), so a key or value
 * that looks right in a message but is not shows why (fuzzer D8).
 */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => {
    const code = c.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** A short, safe rendering of a scalar from the file: strings are quoted and capped, never dumped whole. */
export function show(value: unknown): string {
  if (typeof value === "string") {
    if (value.length > 40) return `a ${value.length}-character string`;
    return escapeInvisible(JSON.stringify(value));
  }
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return "a value";
}

/**
 * A rendering of a value that may be a secret pasted into the wrong field (an app id, a credential):
 * its kind and length, never its text. Booleans and empty values are named, since neither is a secret.
 */
export function showRedacted(value: unknown): string {
  if (typeof value === "string") return `a value of ${characters(value.length)}`;
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number" || typeof value === "bigint") return "a number";
  return "a value";
}

export function characters(n: number): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? "character" : "characters"}`;
}

/** describe() for a field that may receive a secret by mistake: a scalar's kind and length, never its text. */
export function describeRedacted(node: unknown): string {
  if (!isScalar(node)) return describe(node);
  const v = node.value;
  if (typeof v === "string") return `a string of ${characters(v.length)}`;
  if (typeof v === "number") return "a number";
  return describe(node);
}

/**
 * The advice after a refused value that looks like a credential (an Entra client secret value is 40
 * characters with no spaces, and sits next to the GUID "Secret ID" in the portal), or "".
 */
export function secretHint(value: unknown): string {
  const text = isScalar(value) ? value.value : value;
  return typeof text === "string" && text.length >= 32 && /^\S+$/.test(text)
    ? "; if it is a client secret, remove it and rotate the secret in Entra ID (the file may already be in the repository's history)"
    : "";
}

/**
 * The YAML 1.1 types yaml resolves when a node is tagged with them explicitly (`!!binary Q0hH…`,
 * `!!set { a, b }`): named in messages by type and tag, and never taken for a plain mapping or list.
 */
const TYPED = new Map<string, string>([
  ["tag:yaml.org,2002:binary", "binary data (!!binary)"],
  ["tag:yaml.org,2002:timestamp", "a timestamp (!!timestamp)"],
  ["tag:yaml.org,2002:set", "a set (!!set)"],
  ["tag:yaml.org,2002:omap", "an ordered map (!!omap)"],
  ["tag:yaml.org,2002:pairs", "a list of pairs (!!pairs)"],
]);

function typed(node: unknown): string | undefined {
  const tag = (node as { tag?: unknown } | null)?.tag;
  return typeof tag === "string" ? TYPED.get(tag) : undefined;
}

/** A plain mapping: `isMap` without a `!!set` (whose keys would be read as fields with no value). */
export function isMapping(node: unknown): node is YAMLMap {
  return isMap(node) && typed(node) === undefined;
}

/** A plain list: `isSeq` without a `!!omap` or `!!pairs`. */
export function isList(node: unknown): node is YAMLSeq {
  return isSeq(node) && typed(node) === undefined;
}

/**
 * A number as the file writes it (`0755`, `0x1F40`, a 20-digit ticket, `.inf`), not as resolved
 * (493, 8000, a rounded 20261203104212345000, Infinity): the advice to quote it must show the
 * number the admin typed (fuzzer D12). Long sources are described by their length.
 */
function numberAsWritten(node: Scalar): string {
  const src = node.source;
  if (typeof src !== "string" || src === "") return show(node.value);
  return src.length > 40 ? `of ${src.length} characters` : escapeInvisible(src);
}

/** Describes a node's kind for "must be X, not Y" messages, quoting scalars with show(). */
export function describe(node: unknown): string {
  const t = typed(node);
  if (t) return t;
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return "an empty value";
    if (typeof v === "string") return `the string ${show(v)}`;
    if (typeof v === "number" || typeof v === "bigint") return `the number ${numberAsWritten(node)}`;
    if (typeof v === "boolean") return `the boolean ${show(v)}`;
    if (v instanceof Uint8Array) return "binary data (!!binary)";
    if (v instanceof Date) return "a timestamp (!!timestamp)";
    return show(v);
  }
  return "an empty value";
}

/** A scalar key as the file writes it (`0755`, not 493), for key paths; undefined for other nodes. */
export function keyAsWritten(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === "number" && typeof node.source === "string" && node.source !== "") return node.source;
  return String(node.value);
}

/** Plain Levenshtein distance, enough for typo suggestions on short key names. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] ?? 0;
      row[j] = Math.min(cur + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] ?? 0;
}

/** @internal The closest known key to a misspelt one, or undefined when none is close. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(lower, k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  const limit = Math.max(2, Math.floor((best?.length ?? 0) / 3));
  return bestD <= limit ? best : undefined;
}
