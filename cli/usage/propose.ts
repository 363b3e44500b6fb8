/**
 * `usage --propose`: writes the missing SMTP AUTH exceptions into tenant.yaml in place. The yaml
 * library's Document API locates `smtpAuth.mailboxes` (and any entry for the address); the new lines
 * are spliced in there, so comments, order and formatting of everything else are kept byte for byte
 * (a Document round-trip would move end-of-line comments of mapping keys onto the next line).
 *
 * Each proposal is `{ state: enabled, owner: <placeholder>, expires: <today + 90 days> }` with a
 * comment saying what a person must decide. The placeholder owner is a valid address in the
 * reserved `.invalid` domain (RFC 2606), so the file still loads, and the policy pack's
 * `smtp-auth-exception-owned-and-expiring` refuses it — as it refuses the missing ticket — until a
 * person fills both in: the preview blocks and the pull request shows exactly who must decide.
 *
 * Failure semantics: the file is only written when the edited text validates (loadDesiredState);
 * otherwise a UsageError names the problem and the file is left as it was.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { isMap, isScalar, parseDocument, type Pair, type Scalar, type YAMLMap } from "yaml";
import { DesiredStateError, parseDesiredState } from "../../desired/tenant-yaml.ts";
import { UsageError } from "../io.ts";
import type { AccountReadiness } from "./model.ts";

/** The owner `--propose` writes: never a mailbox (RFC 2606 reserves .invalid); the policy pack refuses it. */
export const PLACEHOLDER_OWNER = "owner-to-decide@example.invalid";
/** How long a proposed exception runs; a person shortens or renews it. */
export const PROPOSED_DAYS = 90;

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

const lineOf = (text: string, offset: number) => text.slice(0, offset).split("\n").length - 1;
const columnOf = (text: string, offset: number) => offset - text.lastIndexOf("\n", offset - 1) - 1;

/** The proposed entry as YAML lines at `indent` (key) and `indent + step` (fields). */
function entryLines(a: AccountReadiness, today: string, days: number, indent: string, step: string): string[] {
  return [
    `${indent}# Proposed by \`m365-smtp-auth usage --propose\` on ${today}: ${a.logins} SMTP AUTH sign-ins with a password in ${days} days, last ${a.lastSeen?.slice(0, 10) ?? "unknown"}; recommended instead: ${a.recommendation.path}.`,
    `${indent}${a.account}:`,
    `${indent}${step}state: enabled`,
    `${indent}${step}owner: ${PLACEHOLDER_OWNER} # TODO: who answers for this exception; then add ticket: <change id>`,
    `${indent}${step}expires: ${addDays(today, PROPOSED_DAYS)}`,
  ];
}

/** The text with `smtpAuth.mailboxes` appended (block style) when the file has no block mapping there. */
function withMailboxesSection(text: string): string {
  const doc = parseDocument(text);
  const smtpAuth = doc.get("smtpAuth", true);
  if (smtpAuth === undefined || smtpAuth === null) return `${text.replace(/\n*$/, "\n")}smtpAuth:\n  mailboxes:\n`;
  if (isMap(smtpAuth) && !smtpAuth.flow && !smtpAuth.has("mailboxes")) {
    const end = lineOf(text, smtpAuth.range![1]);
    const lines = text.split("\n");
    const key = smtpAuth.items[0]!.key as Scalar;
    const indent = " ".repeat(columnOf(text, key.range![0]));
    lines.splice(end + 1, 0, `${indent}mailboxes:`);
    return lines.join("\n");
  }
  return text;
}

/**
 * Returns tenant.yaml text with an exception proposed for each account (Basic users that signed in
 * without one). The Document API finds where `smtpAuth.mailboxes` and any existing entry for the
 * address are; the new lines are spliced into the original text there, so every other byte —
 * comments, order, quoting — stays as it was and the pull request's diff is only the proposal. An
 * address already present (e.g. `inherit`) has its entry replaced, keeping the comments above it.
 * A flow-style (`{ … }`) `smtpAuth` or `mailboxes` is refused: rewrite it in block style first.
 */
export function proposeExceptions(
  original: string,
  accounts: readonly AccountReadiness[],
  today: string,
  days: number,
): string {
  let text = withMailboxesSection(original);
  for (const a of accounts) {
    const doc = parseDocument(text);
    if (doc.errors.length > 0) throw new UsageError(`the tenant file does not parse: ${doc.errors[0]!.message}`);
    const mailboxes = doc.getIn(["smtpAuth", "mailboxes"], true);
    const lines = text.split("\n");
    if (mailboxes === null || mailboxes === undefined || (isScalar(mailboxes) && mailboxes.value === null)) {
      // `mailboxes:` with nothing under it yet.
      const at = lines.findIndex((l) => /^\s*mailboxes:\s*(#.*)?$/.test(l));
      const indent = `${/^\s*/.exec(lines[at]!)![0]}  `;
      lines.splice(at + 1, 0, ...entryLines(a, today, days, indent, "  "));
      text = lines.join("\n");
      continue;
    }
    if (!isMap(mailboxes) || mailboxes.flow)
      throw new UsageError("smtpAuth.mailboxes is not a block mapping: write it in block style to use --propose");
    const first = mailboxes.items[0]!;
    const keyStart = (first.key as Scalar).range![0];
    const indent = " ".repeat(columnOf(text, keyStart));
    const firstValue = first.value;
    const childKey =
      isMap(firstValue) && !firstValue.flow ? (firstValue.items[0]?.key as Scalar | undefined) : undefined;
    const width = childKey?.range ? columnOf(text, childKey.range[0]) - indent.length : 2;
    const step = " ".repeat(width > 0 ? width : 2);
    const existing = mailboxes.items.find(
      (p): p is Pair<Scalar, unknown> => isScalar(p.key) && String(p.key.value).toLowerCase() === a.account,
    );
    const block = entryLines(a, today, days, indent, step);
    if (existing) {
      const from = lineOf(text, existing.key.range![0]);
      const valueEnd = (existing.value as Scalar | YAMLMap | null)?.range?.[1] ?? existing.key.range![1];
      lines.splice(from, lineOf(text, Math.max(valueEnd - 1, existing.key.range![0])) - from + 1, ...block);
    } else {
      const last = mailboxes.items[mailboxes.items.length - 1]!;
      const end = (last.value as Scalar | YAMLMap | null)?.range?.[1] ?? (last.key as Scalar).range![1];
      lines.splice(lineOf(text, Math.max(end - 1, 0)) + 1, 0, ...block);
    }
    text = lines.join("\n");
  }
  return text;
}

/**
 * Edits `file` in place. Returns the addresses proposed. Throws UsageError, leaving the file as it
 * was, when the file cannot be read or the result does not validate.
 */
export function proposeInFile(
  file: string,
  accounts: readonly AccountReadiness[],
  today: string,
  days: number,
): string[] {
  if (accounts.length === 0) return [];
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`--propose ${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const next = proposeExceptions(text, accounts, today, days);
  try {
    parseDesiredState(next, file, { today });
  } catch (err) {
    if (err instanceof DesiredStateError)
      throw new UsageError(`--propose ${file}: the edited file would not validate, left unchanged: ${err.message}`);
    throw err;
  }
  writeFileSync(file, next);
  return accounts.map((a) => a.account);
}
