/**
 * `usage --propose`: writes the missing SMTP AUTH exceptions into tenant.yaml in place, through the
 * yaml library's Document API so comments, order and formatting of everything else are kept.
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
import { isMap, isScalar, parseDocument, type Document, type Pair, type Scalar, type YAMLMap } from "yaml";
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

/** The `smtpAuth.mailboxes` mapping, created (block style) when absent. */
function mailboxesMap(doc: Document): YAMLMap {
  if (!isMap(doc.contents)) throw new UsageError("the tenant file's root is not a mapping");
  let smtpAuth = doc.get("smtpAuth", true);
  if (!isMap(smtpAuth)) {
    doc.set("smtpAuth", doc.createNode({}));
    smtpAuth = doc.get("smtpAuth", true);
  }
  const section = smtpAuth as YAMLMap;
  section.flow = false;
  let mailboxes: unknown = section.get("mailboxes", true);
  if (!isMap(mailboxes)) {
    section.set("mailboxes", doc.createNode({}));
    mailboxes = section.get("mailboxes", true);
  }
  const map = mailboxes as YAMLMap;
  map.flow = false;
  return map;
}

/**
 * Returns tenant.yaml text with an exception proposed for each account (Basic users that signed in
 * without one). An address already present (e.g. `inherit`) gets its value replaced, keeping its key
 * and comments. `today` (YYYY-MM-DD) dates the comment and the expiry.
 */
export function proposeExceptions(
  text: string,
  accounts: readonly AccountReadiness[],
  today: string,
  days: number,
): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new UsageError(`the tenant file does not parse: ${doc.errors[0]!.message}`);
  const mailboxes = mailboxesMap(doc);
  for (const a of accounts) {
    const value = doc.createNode({
      state: "enabled",
      owner: PLACEHOLDER_OWNER,
      expires: addDays(today, PROPOSED_DAYS),
    });
    const owner = (value as YAMLMap).items.find((p) => isScalar(p.key) && p.key.value === "owner");
    if (owner && isScalar(owner.value))
      owner.value.comment = " TODO: who answers for this exception; then add ticket: <change id>";
    const existing = mailboxes.items.find(
      (p): p is Pair<Scalar, unknown> => isScalar(p.key) && String(p.key.value).toLowerCase() === a.account,
    );
    const note = ` Proposed by \`m365-smtp-auth usage --propose\` on ${today}: ${a.logins} SMTP AUTH sign-ins with a password in ${days} days, last ${a.lastSeen?.slice(0, 10) ?? "unknown"}; recommended instead: ${a.recommendation.path}.`;
    if (existing) {
      existing.value = value;
      existing.key.commentBefore = [existing.key.commentBefore, note].filter(Boolean).join("\n");
    } else {
      const key = doc.createNode(a.account) as Scalar;
      key.commentBefore = note;
      mailboxes.add(doc.createPair(key, value));
    }
  }
  return doc.toString();
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
