/**
 * Desired state: load and validate a stack's tenant.yaml into the resource inputs of
 * providers/types.ts. Validation runs before anything touches the tenant, collects every problem in
 * the file, and reports each one with file, line, column and key path (issue 4 item 1). The walker is
 * ./walker.ts, the sections are ./sections/, the shapes ./types.ts.
 */
import { readFileSync } from "node:fs";
import { YAMLError, isScalar, parseDocument } from "yaml";
import { MAILBOX_SMTP_AUTH_STATES, ORGANIZATION_SMTP_AUTH_STATES, PER_USER_MFA_STATES } from "../m365/model.ts";
import { conditionalAccessBaselineSection, oauthSection } from "./sections/oauth.ts";
import { mfaSection, securityDefaultsSection, smtpAuthSection } from "./sections/settings.ts";
import type { DesiredState, DesiredStateIssue, DesiredStateOptions } from "./types.ts";
import { describe, escapeInvisible, isMapping, isValidDate, show } from "./values.ts";
import { YamlWalker } from "./walker.ts";
import { TOP_KEYS } from "./keys.ts";
import { checkDesiredStateLimits, decodeDesiredStateBytes } from "./limits.ts";
import { keyPathAtLine, lookalikeColonHint, overIndentedSibling } from "./syntax-key.ts";

export * from "./types.ts";
export * from "./keys.ts";
export { closestKey, isMailAddress, isValidDate } from "./values.ts";
export { MAILBOX_SMTP_AUTH_STATES, ORGANIZATION_SMTP_AUTH_STATES, PER_USER_MFA_STATES };

/** At most this many problems are listed in DesiredStateError's message; `issues` keeps them all. */
export const MAX_LISTED_ISSUES = 50;

/**
 * Thrown when a tenant.yaml is unreadable or invalid. It carries every problem found, not just the
 * first, and its message lists them one per line as `file:line:column key: message`, the first
 * MAX_LISTED_ISSUES of them and then how many more (10,000 bad lines once printed 2 MB, fuzzer D9).
 * Messages quote at most a short scalar from the file, never a whole node.
 */
export class DesiredStateError extends Error {
  override readonly name = "DesiredStateError";
  readonly code = "DESIRED_STATE_INVALID";
  readonly issues: DesiredStateIssue[];

  constructor(issues: DesiredStateIssue[]) {
    const file = issues[0]?.file ?? "tenant.yaml";
    const n = issues.length;
    const listed = issues.slice(0, MAX_LISTED_ISSUES).map((i) => `  ${formatIssue(i)}`);
    const more = n - listed.length;
    if (more > 0)
      listed.push(`  … and ${more.toLocaleString("en-US")} more ${more === 1 ? "problem" : "problems"}, not listed`);
    super(
      `${file}: ${n.toLocaleString("en-US")} ${n === 1 ? "problem" : "problems"} in the desired state; nothing was sent to the tenant\n` +
        listed.join("\n"),
    );
    this.issues = issues;
  }
}

/**
 * `file:line:column key: message`, the form used in DesiredStateError's message. Invisible characters
 * in the key and message (a zero-width space, a no-break space, a CR) are written as escapes.
 */
export function formatIssue(issue: DesiredStateIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  return `${where} ${escapeInvisible(issue.key ? `${issue.key}: ${issue.message}` : issue.message)}`;
}

/**
 * Reads and validates a tenant.yaml. Throws DesiredStateError (code DESIRED_STATE_INVALID) listing
 * every problem, including an unreadable file, one over the size limit or not valid UTF-8
 * (desired/limits.ts); never returns a partially valid state.
 */
export function loadDesiredState(file: string, opts: DesiredStateOptions = {}): DesiredState {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "unknown error";
    throw new DesiredStateError([{ file, line: 0, column: 0, key: "", message: `cannot read the file (${code})` }]);
  }
  const decoded = decodeDesiredStateBytes(bytes, file);
  if (decoded.issues) throw new DesiredStateError(decoded.issues);
  return parseDesiredState(decoded.text, file, opts);
}

/**
 * Validates tenant.yaml text; `file` names it in messages. Same failure semantics as loadDesiredState;
 * the limits on depth, string length and anchors (desired/limits.ts) are checked before the YAML is composed.
 */
export function parseDesiredState(text: string, file: string, opts: DesiredStateOptions = {}): DesiredState {
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  if (!isValidDate(today)) throw new Error(`[today] must be a date YYYY-MM-DD, got ${show(today)}`);
  // YAML 1.2 §5.4 reads a lone CR (classic Mac line ends) as a line break; the yaml library does not,
  // and read a CR-only file as one line with the key "smtpAuth:\r  organization". One character for
  // one keeps every offset, so lines and columns are the ones an editor shows.
  text = text.replace(/\r(?!\n)/g, "\n");
  let limits: DesiredStateIssue[];
  const w = new YamlWalker(file, today);
  let state: DesiredState | undefined;
  try {
    limits = checkDesiredStateLimits(text, file);
    if (limits.length === 0) state = validate(w, text);
  } catch (err) {
    // A file must never crash the loader: whatever it is, the caller gets a DesiredStateError.
    throw new DesiredStateError([unexpectedIssue(err, text, file)]);
  }
  if (limits.length > 0) throw new DesiredStateError(limits);
  if (w.issues.length > 0 || !state)
    throw new DesiredStateError(
      w.sortedIssues().map((i) => ({ ...i, message: i.message + lookalikeColonHint(text, i.line) })),
    );
  return state;
}

/**
 * @internal The issue for an error the validator did not expect (a bug here or in the YAML library).
 * A YAML error is positioned at its offset, with the key read from the lines, and keeps the first
 * line of its message (yaml's messages name the syntax, not the value). Anything else is named by
 * its class and code only: its message could hold text from the file.
 */
export function unexpectedIssue(err: unknown, text: string, file: string): DesiredStateIssue {
  if (err instanceof YAMLError) {
    const first = err.message.split("\n")[0] ?? "";
    const offset = Math.min(Math.max(err.pos[0], 0), text.length);
    const lines = text.slice(0, offset).split("\n");
    const line = lines.length;
    const column = (lines.at(-1) ?? "").length + 1; // in UTF-16 units, as yaml's LineCounter counts
    const message = `YAML syntax error: ${first.length > 120 ? `${first.slice(0, 120)}…` : first}`;
    return { file, line, column, key: keyPathAtLine(text, line), message };
  }
  const name = err instanceof Error ? err.name : typeof err;
  const code = (err as { code?: unknown } | null)?.code;
  const what = typeof code === "string" ? `${name} ${code}` : name;
  return {
    file,
    line: 0,
    column: 0,
    key: "",
    message: `could not be validated (internal error: ${what}); nothing was sent to the tenant, please report this`,
  };
}

/**
 * The `%YAML` directive heading the file (after blank lines, comments and other directives), with
 * its offset; undefined when there is none. A `%` line after content is a syntax error instead.
 */
function yamlVersionDirective(text: string): { version: string; offset: number } | undefined {
  const head = /^(?:\uFEFF)?(?:[ \t]*(?:#[^\n]*)?\r?\n|%(?!YAML[ \t])[^\n]*\n)*%YAML[ \t]+([^\s#]*)/u.exec(text);
  if (!head) return undefined;
  return { version: head[1] ?? "", offset: head[0].lastIndexOf("%YAML") };
}

/** Parses `text` and validates every section; undefined when the file cannot be read as a whole. */
function validate(w: YamlWalker, text: string): DesiredState | undefined {
  // uniqueKeys off: duplicates are reported by this validator, with positions and case-insensitively.
  const doc = parseDocument(text, { lineCounter: w.lines, uniqueKeys: false, prettyErrors: false });
  const syntax = [...doc.errors, ...doc.warnings];
  const version = yamlVersionDirective(text);
  if (version && version.version !== "1.2") {
    // yaml honours `%YAML 1.1` (yes/no and on/off become booleans, 1:20 a number, dates timestamps),
    // and warns of other versions; either way the file is not the YAML 1.2 the docs define (fuzzer D4).
    const why = version.version === "1.1" ? " (YAML 1.1 reads yes, no, on and off as true or false)" : "";
    w.issueAt(version.offset, "", `the file is YAML 1.2, not ${show(version.version)}; remove the %YAML line${why}`);
  }
  const errorLines = new Set<number>();
  for (const e of syntax) {
    if (version && e.code === "BAD_DIRECTIVE" && e.message.startsWith("Unsupported YAML version")) continue;
    const message =
      e.code === "MULTIPLE_DOCS"
        ? "the file must hold a single YAML document; remove the second `---`"
        : `${e.name === "YAMLWarning" ? "YAML" : "YAML syntax error"}: ${e.message.split("\n")[0] ?? ""}`;
    const line = w.lines.linePos(e.pos[0]).line;
    w.issueAt(e.pos[0], keyPathAtLine(text, line), message);
    errorLines.add(line);
  }
  // yaml puts an over-indented key's error on the line before it: name the line to fix too (fuzzer D13).
  const hinted = new Set<number>();
  for (const line of errorLines) {
    const over = overIndentedSibling(text, line);
    if (!over || hinted.has(over.line)) continue;
    hinted.add(over.line);
    w.issues.push({ file: w.file, line: over.line, column: over.column, key: over.key, message: over.message });
  }
  if (w.issues.length > 0) return undefined;

  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) {
    w.issues.push({
      file: w.file,
      line: 1,
      column: 1,
      key: "",
      message: `the file is empty; declare at least one of ${TOP_KEYS.join(", ")} (an absent section is left unmanaged)`,
    });
    return undefined;
  }
  if (!isMapping(root)) {
    w.issueAtNode(root, "", `the file must be a mapping with the keys ${TOP_KEYS.join(", ")}, not ${describe(root)}`);
    return undefined;
  }

  const top = w.mapping(root, "", TOP_KEYS);
  const state: DesiredState = {
    file: w.file,
    mailboxes: [],
    othersPolicy: "unmanaged",
    mfaUsers: [],
    mfaOthers: "unmanaged",
    oauthApps: [],
    locations: w.locations,
  };
  const sd = top?.get("securityDefaults");
  if (sd) state.securityDefaults = securityDefaultsSection(w, sd);
  const smtp = top?.get("smtpAuth");
  if (smtp) smtpAuthSection(w, smtp, state);
  const mfa = top?.get("mfa");
  if (mfa) mfaSection(w, mfa, state);
  const oauth = top?.get("oauth");
  if (oauth) state.oauthApps = oauthSection(w, oauth);
  const cab = top?.get("conditionalAccessBaseline");
  if (cab) {
    const baseline = conditionalAccessBaselineSection(w, cab);
    if (baseline) state.conditionalAccessBaseline = baseline;
    // Entra refuses to turn Conditional Access policies on while security defaults are on (fact sheet §1.4).
    if (baseline?.state === "on" && state.securityDefaults?.enabled !== false) {
      const at = w.locations.get(`${cab.path}.state`) ?? w.pos(cab.keyNode);
      w.issues.push({
        file: w.file,
        ...at,
        key: `${cab.path}.state`,
        message:
          "state: on needs securityDefaults.enabled: false declared (Entra refuses to turn Conditional Access policies on while security defaults are on); use state: reportOnly until then",
      });
    }
  }
  return state;
}
