/**
 * A position-aware walker over a parsed tenant.yaml: typed reads of mappings, address maps and scalars
 * that record every problem with file, line, column and key path (they never throw), and the
 * location of each key for the doctor and the PR comment. The sections (./sections/) are written
 * with it; ./tenant-yaml.ts runs them.
 */
import { LineCounter, isAlias, isMap, isScalar } from "yaml";
import type { ExceptionRecord } from "../providers/types.ts";
import { EXCEPTION_KEYS, GUID } from "./keys.ts";
import type { DesiredStateIssue, SourcePosition } from "./types.ts";
import {
  characters,
  closestKey,
  describe as describePlain,
  describeRedacted,
  isEmpty,
  isList,
  isMailAddress,
  isMapping,
  keyAsWritten,
  isValidDate,
  secretHint,
  show as showPlain,
  showRedacted,
} from "./values.ts";

/** One key of a mapping with its value, the nodes for positions, and its key path. */
export interface Entry {
  key: string;
  path: string;
  keyNode: unknown;
  value: unknown;
}

/** Where a key that is unknown at one level belongs, when it is a known key elsewhere. */
const BELONGS_UNDER: Record<string, string> = {
  organization: "smtpAuth",
  mailboxes: "smtpAuth",
  others: "smtpAuth",
  users: "mfa",
  apps: "oauth",
  serviceAccounts: "conditionalAccessBaseline",
  breakGlass: "conditionalAccessBaseline",
  state: "an entry under smtpAuth.mailboxes or mfa.users",
};

/**
 * Other names admins use for a known key (lower case): the Entra portal's "Application (client) ID"
 * is `appId` here, its "Object ID" the service principal's. Suggested only where the key is known.
 */
const SYNONYMS: Record<string, string> = {
  clientid: "appId",
  client_id: "appId",
  applicationid: "appId",
  application_id: "appId",
  objectid: "servicePrincipalObjectId",
  object_id: "servicePrincipalObjectId",
  serviceprincipalid: "servicePrincipalObjectId",
  spobjectid: "servicePrincipalObjectId",
  enterpriseappobjectid: "servicePrincipalObjectId",
  name: "displayName",
  email: "mailbox",
  mail: "mailbox",
  address: "mailbox",
  upn: "mailbox",
  sender: "mailbox",
  from: "mailbox",
  status: "state",
  expiry: "expires",
  expiration: "expires",
  expirationdate: "expires",
  expirydate: "expires",
  expireson: "expires",
  validuntil: "expires",
  until: "expires",
  enddate: "expires",
  change: "ticket",
  changeticket: "ticket",
  ticketid: "ticket",
  approver: "owner",
  contact: "owner",
};

/** A visible character outside ASCII: in a key, most likely a lookalike of a Latin letter. */
const LOOKALIKE = /(?![\x00-\x7f])[\p{L}\p{N}\p{P}\p{S}]/u;

/** "it holds U+0410, which only looks like ASCII" for a key with LOOKALIKE characters, else "". */
function lookalikes(key: string): string {
  const foreign = [...new Set([...key].filter((c) => LOOKALIKE.test(c)))];
  if (foreign.length === 0) return "";
  const codes = foreign.map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`);
  return `it holds ${codes.join(", ")}, which only ${foreign.length === 1 ? "looks" : "look"} like ASCII`;
}

/**
 * The hint after "unknown key; " for key `k` where `known` are allowed: a misspelling's closest key,
 * another name for a known key (`clientId`), a dotted path written as one key, the section the key
 * belongs to, or where addresses go; "" when none applies.
 */
function unknownKeyHint(k: string, known: readonly string[]): string {
  const dotted = k.split(".");
  if (dotted.length > 1 && known.includes(dotted[0]!)) {
    const [head, ...rest] = dotted;
    return `a dotted key is not a path in YAML; write "${head}:" on its own line and "${rest.join(".")}: …" indented under it. `;
  }
  const synonym = SYNONYMS[k.toLowerCase()];
  if (synonym && known.includes(synonym) && synonym !== k) return `did you mean "${synonym}"? `;
  const suggestion = closestKey(k, known);
  // A letter from another script that looks Latin (Cyrillic а in smtpАuth) makes the key look right;
  // invisible characters are already written as escapes (formatIssue).
  const lookalike = isMailAddress(k) ? "" : lookalikes(k);
  if (suggestion) return `did you mean "${suggestion}"${lookalike ? ` (${lookalike})` : ""}? `;
  const elsewhere = BELONGS_UNDER[k];
  if (elsewhere) return `"${k}" belongs under ${elsewhere}. `;
  if (isMailAddress(k) && known.includes("mailboxes")) return "mailbox addresses belong under smtpAuth.mailboxes. ";
  return lookalike ? `${lookalike}. ` : "";
}

/**
 * A key as it goes into a message's path. A key shaped like a pasted credential (32 or more
 * characters with no spaces that is neither a GUID nor an address: an Entra client secret value is
 * 40) is named by its length, so the message does not print the secret (fuzzer D3, for keys).
 */
export function keyInPath(k: string): string {
  const secretShaped = k.length >= 32 && /^\S+$/.test(k) && !GUID.test(k) && !isMailAddress(k);
  return secretShaped ? `(a key of ${characters(k.length)})` : k;
}

/** "; if it is a client secret …" for a key keyInPath() names by its length, else "". */
export function keySecretAdvice(k: string): string {
  return keyInPath(k) === k ? "" : secretHint(k);
}

/**
 * Key paths of the fields where a secret is most likely pasted by mistake (a client secret's value
 * for the app id, or into the credential): messages about them never quote the value (fuzzer D3).
 */
const SECRET_PRONE = /^oauth\.apps\.[^.]+\.(?:appId|servicePrincipalObjectId|credential(?:\..*)?)$/;

/** True when messages about `path` must not quote its value. */
function isSecretProne(path: string): boolean {
  return SECRET_PRONE.test(path);
}

/** A node's kind for a message about `path`, redacted where a secret may have been pasted. */
function describe(node: unknown, path: string): string {
  return isSecretProne(path) ? describeRedacted(node) + secretHint(node) : describePlain(node);
}

/** A value for a message about `path`, redacted where a secret may have been pasted. */
function show(value: unknown, path: string): string {
  return isSecretProne(path) ? showRedacted(value) : showPlain(value);
}

/** The advice after a refused value at `path` that looks like a pasted secret, or "". */
function secretAdvice(value: unknown, path: string): string {
  return isSecretProne(path) ? secretHint(value) : "";
}

/**
 * After "… is not a valid mail address" for a key of the address map `e`: where a known key written
 * there belongs (`others` indented under mfa.users is mfa's key, fuzzer D13); "" for anything else.
 */
function misplacedKey(raw: string, e: Entry, sectionKeys: readonly string[]): string {
  const section = e.path.slice(0, -(e.key.length + 1));
  if (sectionKeys.includes(raw))
    return `; "${raw}" is a key of ${section}, not an address: indent it as deep as "${e.key}" (${section}.${raw})`;
  if ((EXCEPTION_KEYS as readonly string[]).includes(raw))
    return `; "${raw}" belongs in an entry: write the address first, then { ${EXCEPTION_KEYS.join(", ")} } under it`;
  const elsewhere = BELONGS_UNDER[raw];
  if (elsewhere) return `; "${raw}" belongs under ${elsewhere}`;
  const foreign = lookalikes(raw);
  return foreign ? `; ${foreign}` : "";
}

/** The documented message for an alias (`*name`), wherever one is written. */
const ALIAS = "aliases (*name) are not supported; write the value out";

/** A merge key (`<<: *name`, or `<<: { … }`) is named as such rather than as an unknown key. */
const MERGE_KEY = "merge keys (<<) are not supported; write the keys out";
const MERGE_ALIAS = "merge keys (<<: *name) are aliases, which are not supported; write the keys out";

/** The message for a section present with nothing in it. */
function emptySection(known: readonly string[]): string {
  return `is empty; write one of the keys ${known.join(", ")}, or remove it to leave it unmanaged`;
}

export class YamlWalker {
  readonly issues: DesiredStateIssue[] = [];
  readonly locations = new Map<string, SourcePosition>();
  readonly lines = new LineCounter();
  readonly file: string;
  /** Today's date (UTC, YYYY-MM-DD): expiry dates before it are reported. */
  readonly today: string;

  constructor(file: string, today: string) {
    this.file = file;
    this.today = today;
  }

  sortedIssues(): DesiredStateIssue[] {
    // Stable sort: problems at one position keep the order in which they were found.
    return [...this.issues].sort((a, b) => a.line - b.line || a.column - b.column);
  }

  /** A list of mail addresses, lower-cased; duplicates (ignoring case) are reported. */
  addressList(e: Entry): string[] | undefined {
    if (this.refuseAlias(e.value, e.path)) return undefined;
    if (!isList(e.value)) {
      this.issueAtValue(
        e.value,
        e.keyNode,
        e.path,
        `must be a list of mail addresses, not ${describe(e.value, e.path)}; write [] for none`,
      );
      return undefined;
    }
    const out: string[] = [];
    // A set beside the list: 100,000 items checked with includes() took most of a minute (fuzzer D5).
    const seen = new Set<string>();
    let ok = true;
    e.value.items.forEach((item, i) => {
      const a = this.address({ key: String(i), path: `${e.path}[${i}]`, keyNode: item, value: item });
      if (a === undefined) ok = false;
      else if (seen.has(a)) {
        this.issueAtNode(
          item,
          `${e.path}[${i}]`,
          `duplicate address ${show(a, e.path)} (addresses are compared ignoring case)`,
        );
        ok = false;
      } else {
        seen.add(a);
        out.push(a);
      }
    });
    return ok ? out : undefined;
  }

  guid(e: Entry, what: string): string | undefined {
    const s = this.string(e);
    if (s === undefined) return undefined;
    if (!GUID.test(s)) {
      this.issueAtValue(
        e.value,
        e.keyNode,
        e.path,
        `must be ${what}, a GUID such as 00000000-0000-0000-0000-000000000000, not ${show(s, e.path)}${secretAdvice(s, e.path)}`,
      );
      return undefined;
    }
    return s.toLowerCase();
  }

  /**
   * A per-address entry: a bare state (short form) or { state, owner?, ticket?, expires? } (long form).
   * `valid` is false when any field was reported; the state is still returned so that rules that
   * depend on it (an exception needs an owner and an expiry) are checked too.
   */
  stateEntry<S extends string>(
    entry: Entry,
    allowed: readonly S[],
  ): { state: S; short: boolean; valid: boolean; present: Set<string>; extras: ExceptionRecord } | undefined {
    if (isMapping(entry.value)) {
      const m = this.mapping(entry.value, entry.path, EXCEPTION_KEYS, entry.keyNode);
      if (!m) return undefined;
      const stateEntry = m.get("state");
      let state: S | undefined;
      if (stateEntry) state = this.oneOf(stateEntry, allowed, "state");
      else this.issueAtNode(entry.keyNode, `${entry.path}.state`, `missing state; allowed: ${allowed.join(", ")}`);
      const extras: ExceptionRecord = {};
      const owner = m.get("owner");
      if (owner) {
        const a = this.address(owner);
        if (a !== undefined) extras.owner = a;
      }
      const valid = this.exceptionExtras(m, extras) && (!owner || extras.owner !== undefined);
      return state ? { state, short: false, valid, present: new Set(m.keys()), extras } : undefined;
    }
    const state = this.oneOf(entry, allowed, "state", ` or a mapping { ${EXCEPTION_KEYS.join(", ")} }`);
    return state ? { state, short: true, valid: true, present: new Set(), extras: {} } : undefined;
  }

  /** ticket and expires, shared by exceptions and risk acceptances. False when either is invalid. */
  exceptionExtras(m: Map<string, Entry>, out: { ticket?: string; expires?: string }): boolean {
    let ok = true;
    const ticket = m.get("ticket");
    if (ticket) {
      const t = this.string(ticket, '; write a ticket id such as CHG-1042, and quote a number ("1042")');
      if (t === undefined) ok = false;
      else out.ticket = t;
    }
    const expires = m.get("expires");
    if (expires) {
      const d = this.date(expires);
      if (d === undefined) ok = false;
      else out.expires = d;
    }
    return ok;
  }

  /**
   * A mapping with a fixed set of keys: reports a non-mapping, non-string keys, duplicates and unknown
   * keys (with the closest known key), records each known key's location, and returns them by name.
   */
  mapping(node: unknown, path: string, known: readonly string[], keyNode?: unknown): Map<string, Entry> | undefined {
    if (this.refuseAlias(node, path)) return undefined;
    if (!isMapping(node)) {
      const message = isEmpty(node)
        ? emptySection(known)
        : `must be a mapping with the keys ${known.join(", ")}, not ${describe(node, path)}; remove it to leave it unmanaged`;
      this.issueAtValue(node, keyNode, path, message);
      return undefined;
    }
    const out = new Map<string, Entry>();
    for (const pair of node.items) {
      const k = this.keyName(pair.key, pair.value, path);
      if (k === undefined) continue;
      const p = path ? `${path}.${keyInPath(k)}` : keyInPath(k);
      if (k === "<<") {
        this.issueAtNode(pair.key, p, isAlias(pair.value) ? MERGE_ALIAS : MERGE_KEY);
        continue;
      }
      if (!known.includes(k)) {
        const sameButCase = known.find((name) => name.toLowerCase() === k.toLowerCase());
        const declared = sameButCase === undefined ? undefined : out.get(sameButCase);
        if (declared) {
          const line = this.pos(declared.keyNode).line;
          this.issueAtNode(
            pair.key,
            p,
            `duplicate key; "${sameButCase}" is already declared at line ${line} (keys are case-sensitive)`,
          );
          continue;
        }
        const hint = keyInPath(k) === k ? unknownKeyHint(k, known) : "";
        this.issueAtNode(pair.key, p, `unknown key; ${hint}Known keys here: ${known.join(", ")}${keySecretAdvice(k)}`);
        continue;
      }
      const first = out.get(k);
      if (first) {
        this.issueAtNode(pair.key, p, `duplicate key; first declared at line ${this.pos(first.keyNode).line}`);
        continue;
      }
      out.set(k, { key: k, path: p, keyNode: pair.key, value: pair.value });
      this.locations.set(p, this.pos(pair.key));
    }
    return out;
  }

  /**
   * A section that manages nothing unless it has a key (`smtpAuth`, `mfa`): like mapping(), and `{}`
   * is reported at the key as empty, the way `smtpAuth:` with nothing after it is (fuzzer D6). The
   * maps of named entries inside a section (addressMap(): `mailboxes`, `users`; `oauth.apps`) may be
   * `{}`, "none yet": the section then still says something (`mailboxes: {}` beside `others: inherit`).
   */
  section(e: Entry, known: readonly string[]): Map<string, Entry> | undefined {
    const m = this.mapping(e.value, e.path, known, e.keyNode);
    if (m && isMap(e.value) && e.value.items.length === 0) {
      this.issueAtNode(e.keyNode, e.path, emptySection(known));
      return undefined;
    }
    return m;
  }

  /**
   * A mapping keyed by mail address: validates and lower-cases each, and rejects case-insensitive
   * duplicates. `{}` is "none listed" and gives no entries; `key:` with nothing after it is an error.
   */
  addressMap(e: Entry, what: "mailbox" | "user", sectionKeys: readonly string[] = []): Entry[] {
    if (this.refuseAlias(e.value, e.path)) return [];
    if (!isMapping(e.value)) {
      this.issueAtValue(
        e.value,
        e.keyNode,
        e.path,
        `must be a mapping of ${what} addresses, not ${describe(e.value, e.path)}; write {} for none`,
      );
      return [];
    }
    const out: Entry[] = [];
    const seen = new Map<string, Entry>();
    for (const pair of e.value.items) {
      const raw = this.keyName(pair.key, pair.value, e.path);
      if (raw === undefined) continue;
      if (!isMailAddress(raw)) {
        this.issueAtNode(
          pair.key,
          `${e.path}.${keyInPath(raw)}`,
          `${show(raw, e.path)} is not a valid mail address${misplacedKey(raw, e, sectionKeys)}${keySecretAdvice(raw)}`,
        );
        continue;
      }
      const key = raw.toLowerCase();
      const entry: Entry = { key, path: `${e.path}.${key}`, keyNode: pair.key, value: pair.value };
      const first = seen.get(key);
      if (first) {
        const line = this.pos(first.keyNode).line;
        const how =
          first.keyNode && isScalar(first.keyNode) && first.keyNode.value === raw
            ? ""
            : " (addresses are compared ignoring case)";
        this.issueAtNode(pair.key, entry.path, `duplicate ${what}; already declared at line ${line}${how}`);
        continue;
      }
      seen.set(key, entry);
      out.push(entry);
      this.locations.set(entry.path, this.pos(pair.key));
    }
    return out;
  }

  /** A map key as a plain string; anything else (a number, a list, an empty key) is reported. */
  keyName(key: unknown, value: unknown, path: string): string | undefined {
    if (isScalar(key) && typeof key.value === "string" && key.value !== "") return key.value;
    const where = key ?? value;
    if (isScalar(key) && (typeof key.value === "number" || typeof key.value === "boolean")) {
      const name = keyAsWritten(key) ?? "";
      this.issueAtNode(
        key,
        path ? `${path}.${name}` : name,
        `keys must be names or mail addresses, not ${describePlain(key)}`,
      );
    } else if (isAlias(key)) {
      this.issueAtNode(key, path, ALIAS);
    } else {
      this.issueAtNode(where, path, `keys must be names or mail addresses, not ${describePlain(key)}`);
    }
    return undefined;
  }

  /** The scalar value of an entry, or a reported "must be …" problem (aliases and collections are refused). */
  scalar(e: Entry, expected: string): { ok: true; value: unknown } | { ok: false } {
    if (this.refuseAlias(e.value, e.path)) return { ok: false };
    if (isScalar(e.value)) return { ok: true, value: e.value.value };
    if (e.value === null) return { ok: true, value: null };
    this.issueAtValue(e.value, e.keyNode, e.path, `must be ${expected}, not ${describe(e.value, e.path)}`);
    return { ok: false };
  }

  bool(e: Entry): boolean | undefined {
    const s = this.scalar(e, "true or false");
    if (!s.ok) return undefined;
    if (typeof s.value === "boolean") return s.value;
    this.issueAtValue(e.value, e.keyNode, e.path, `must be true or false, not ${describe(e.value, e.path)}`);
    return undefined;
  }

  /** A non-empty string, trimmed; `hint` follows the "must be a string, not …" message. */
  string(e: Entry, hint = ""): string | undefined {
    const s = this.scalar(e, "a string");
    if (!s.ok) return undefined;
    if (typeof s.value !== "string") {
      this.issueAtValue(e.value, e.keyNode, e.path, `must be a string, not ${describe(e.value, e.path)}${hint}`);
      return undefined;
    }
    const t = s.value.trim();
    if (t === "") {
      this.issueAtValue(e.value, e.keyNode, e.path, "must not be empty");
      return undefined;
    }
    return t;
  }

  oneOf<S extends string>(e: Entry, allowed: readonly S[], what: string, alt = ""): S | undefined {
    const s = this.scalar(e, `one of ${allowed.join(", ")}${alt}`);
    if (!s.ok) return undefined;
    if (typeof s.value === "string" && (allowed as readonly string[]).includes(s.value)) return s.value as S;
    if (s.value === null) {
      this.issueAtValue(e.value, e.keyNode, e.path, `missing ${what}; allowed: ${allowed.join(", ")}${alt}`);
      return undefined;
    }
    const message =
      typeof s.value === "string"
        ? `invalid ${what} ${isSecretProne(e.path) ? `(${show(s.value, e.path)})` : show(s.value, e.path)}; allowed: ${allowed.join(", ")}${alt}${secretAdvice(s.value, e.path)}`
        : `must be one of ${allowed.join(", ")}${alt}, not ${describe(e.value, e.path)}`;
    this.issueAtValue(e.value, e.keyNode, e.path, message);
    return undefined;
  }

  address(e: Entry): string | undefined {
    const s = this.string(e);
    if (s === undefined) return undefined;
    if (!isMailAddress(s)) {
      this.issueAtValue(e.value, e.keyNode, e.path, `${show(s, e.path)} is not a valid mail address`);
      return undefined;
    }
    return s.toLowerCase();
  }

  date(e: Entry): string | undefined {
    const s = this.scalar(e, "a date YYYY-MM-DD");
    if (!s.ok) return undefined;
    if (typeof s.value !== "string" || !isValidDate(s.value)) {
      const got =
        typeof s.value === "string" ? show(s.value, e.path) + secretAdvice(s.value, e.path) : describe(e.value, e.path);
      this.issueAtValue(e.value, e.keyNode, e.path, `must be a date YYYY-MM-DD, not ${got}`);
      return undefined;
    }
    if (s.value < this.today) {
      this.issueAtValue(
        e.value,
        e.keyNode,
        e.path,
        `expired on ${s.value} (today is ${this.today}, UTC); renew it or remove the exception`,
      );
      return undefined;
    }
    return s.value;
  }

  /** Reports an alias (`*name`) where a value is written, and says whether it was one. */
  refuseAlias(node: unknown, path: string): boolean {
    if (!isAlias(node)) return false;
    this.issueAtNode(node, path, ALIAS);
    return true;
  }

  pos(node: unknown): SourcePosition {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    const lp = this.lines.linePos(range ? range[0] : 0);
    return { line: lp.line, column: lp.col };
  }

  issueAt(offset: number, key: string, message: string): void {
    const lp = this.lines.linePos(offset);
    this.issues.push({ file: this.file, line: lp.line, column: lp.col, key, message });
  }

  issueAtNode(node: unknown, key: string, message: string): void {
    const { line, column } = this.pos(node);
    this.issues.push({ file: this.file, line, column, key, message });
  }

  /** At the value when it is written out; at its key when the value is empty (`state:` with nothing after it). */
  issueAtValue(value: unknown, keyNode: unknown, key: string, message: string): void {
    this.issueAtNode(isEmpty(value) && keyNode ? keyNode : value, key, message);
  }
}
