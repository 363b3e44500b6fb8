/**
 * Issue 16.1: at preview, what each change overwrites. The program reads the tenant's current value
 * of every declared switch (security defaults, organisation and per-mailbox SMTP AUTH, per-user MFA)
 * and reports each one that differs from tenant.yaml as one info diagnostic, for example
 *
 *   bob@contoso.com SMTP AUTH: enabled → disabled (tenant now → declared; ⛔ loses SMTP AUTH)
 *
 * Why diagnostics and not a stack output or the providers' diff: a diagnostic is shown under the
 * terminal preview and carried in `preview --json`'s event stream (which the PR comment is rendered
 * from), and it is kept in no state, so a drift check's `--expect-no-changes` never sees it change.
 * The providers' `check`/`diff` cannot carry values to the display (a dynamic provider's diff has
 * property names only), and putting the current value into inputs would store it in state.
 *
 * Reads are batched: one Exchange listing of the mailboxes with a per-mailbox value (every other
 * mailbox inherits) and Graph $batch for per-user MFA, 20 users a request.
 */
import type { DesiredState } from "../desired/tenant-yaml.ts";
import type { MailboxSmtpAuthState, PerUserMfaState } from "../providers/types.ts";
import { UNKNOWN } from "../m365/model.ts";
import type { TenantApi } from "../tenant/api.ts";
import { unknownIfRefused } from "../tenant/permission-error.ts";

/**
 * Set to "off" to skip the current-value report (ci:drift does: a drift check compares the state with
 * the tenant, and this report would read every declared switch a second time).
 */
export const CURRENT_VALUES_ENV = "M365_SMTP_AUTH_CURRENT_VALUES";

/** Kinds whose current value is reported. */
export type CurrentKind = "SecurityDefaults" | "OrganizationSmtpAuth" | "MailboxSmtpAuth" | "PerUserMfa";

/** One declared item whose value in the tenant differs from tenant.yaml. */
export interface CurrentChange {
  kind: CurrentKind;
  /** A mailbox or user (lower case), or "tenant" / "organisation" for the tenant-wide switches. */
  item: string;
  /** The value in the tenant now, or "unknown" when it could not be read. */
  current: string;
  declared: string;
  /** For mailboxes: the effect on SMTP AUTH once applied, judged from the switches alone. */
  effect?: "loses" | "gains";
}

const LABEL: Record<CurrentKind, string> = {
  SecurityDefaults: "security defaults",
  OrganizationSmtpAuth: "SMTP AUTH",
  MailboxSmtpAuth: "SMTP AUTH",
  PerUserMfa: "MFA",
};

/** The closing line of a report: it says the reads happened, so "no line" means "already so". */
export const CURRENT_SUMMARY = /^tenant now: read (\d+) declared items?, (\d+) differ from tenant\.yaml$/;

const LINE =
  /^(\S+) (security defaults|SMTP AUTH|MFA): (\S+) → (\S+) \(tenant now → declared(?:; (⛔ loses|✅ gains) SMTP AUTH)?\)$/;

/** Formats one change as the diagnostic line; {@link parseCurrentLine} reads it back. */
export function currentLine(c: CurrentChange): string {
  const effect = c.effect === "loses" ? "; ⛔ loses SMTP AUTH" : c.effect === "gains" ? "; ✅ gains SMTP AUTH" : "";
  return `${c.item} ${LABEL[c.kind]}: ${c.current} → ${c.declared} (tenant now → declared${effect})`;
}

/** Reads a diagnostic message written by {@link currentLine}; undefined for any other message. */
export function parseCurrentLine(message: string): CurrentChange | undefined {
  const m = LINE.exec(message.trim());
  if (!m) return undefined;
  const [, item, label, current, declared, effect] = m as unknown as [string, string, string, string, string, string?];
  const kind: CurrentKind =
    label === "security defaults"
      ? "SecurityDefaults"
      : label === "MFA"
        ? "PerUserMfa"
        : item === "organisation"
          ? "OrganizationSmtpAuth"
          : "MailboxSmtpAuth";
  return {
    kind,
    item,
    current,
    declared,
    ...(effect ? { effect: effect.includes("loses") ? "loses" : "gains" } : {}),
  };
}

const onOff = (on: boolean) => (on ? "enabled" : "disabled");

/** A mailbox's SMTP AUTH in effect: its own value, else the organisation's. */
function inEffect(mailbox: MailboxSmtpAuthState | typeof UNKNOWN, org: string): string {
  return mailbox === "inherit" ? org : mailbox;
}

/**
 * Reads the current value of every switch `desired` declares and returns those that differ, in file
 * order (tenant-wide first), plus the number of items read. MFA declared `enabled` is satisfied by
 * `enforced`, as the provider judges it. Throws what the tenant client throws, except a missing
 * read permission, which makes a value "unknown".
 */
export async function readCurrentChanges(
  api: TenantApi,
  desired: DesiredState,
): Promise<{ read: number; changes: CurrentChange[] }> {
  // A missing read permission leaves a value unknown; the providers report their own failures.
  const [securityDefaults, orgDisabled, exceptions, mfa] = await Promise.all([
    desired.securityDefaults ? unknownIfRefused(() => api.getSecurityDefaults()) : undefined,
    unknownIfRefused(() => api.getOrganizationSmtpAuthDisabled()),
    desired.mailboxes.length > 0 ? unknownIfRefused(() => api.listCasMailboxes(true)) : [],
    desired.mfaUsers.length > 0
      ? unknownIfRefused(() => api.getPerUserMfaMany(desired.mfaUsers.map((u) => u.user)))
      : undefined,
  ]);
  const changes: CurrentChange[] = [];
  if (desired.securityDefaults && securityDefaults !== undefined) {
    const current = securityDefaults === UNKNOWN ? UNKNOWN : onOff(securityDefaults);
    const declared = onOff(desired.securityDefaults.enabled);
    if (current !== declared) changes.push({ kind: "SecurityDefaults", item: "tenant", current, declared });
  }
  const orgNow = orgDisabled === UNKNOWN ? UNKNOWN : onOff(!orgDisabled);
  const orgAfter = desired.organizationSmtpAuth?.state ?? orgNow;
  if (desired.organizationSmtpAuth && orgNow !== orgAfter) {
    changes.push({ kind: "OrganizationSmtpAuth", item: "organisation", current: orgNow, declared: orgAfter });
  }
  const byMailbox = new Map(exceptions === UNKNOWN ? [] : exceptions.map((m) => [m.mailbox, m.state]));
  for (const m of desired.mailboxes) {
    // Not in the listing of per-mailbox values: the mailbox inherits (or does not exist, which check reports).
    const current = exceptions === UNKNOWN ? UNKNOWN : (byMailbox.get(m.mailbox) ?? "inherit");
    if (current === m.state) continue;
    const before = inEffect(current, orgNow);
    const after = inEffect(m.state, orgAfter);
    const effect =
      before === "enabled" && after === "disabled"
        ? "loses"
        : before === "disabled" && after === "enabled"
          ? "gains"
          : undefined;
    changes.push({
      kind: "MailboxSmtpAuth",
      item: m.mailbox,
      current,
      declared: m.state,
      ...(effect ? { effect } : {}),
    });
  }
  for (const u of desired.mfaUsers) {
    const current: PerUserMfaState | typeof UNKNOWN | undefined = mfa === UNKNOWN ? UNKNOWN : mfa?.get(u.user);
    if (current === undefined) continue; // no such user: check reports it
    if (current === u.state || (u.state === "enabled" && current === "enforced")) continue;
    changes.push({ kind: "PerUserMfa", item: u.user, current, declared: u.state });
  }
  const read =
    (desired.securityDefaults ? 1 : 0) +
    (desired.organizationSmtpAuth ? 1 : 0) +
    desired.mailboxes.length +
    desired.mfaUsers.length;
  return { read, changes };
}

/**
 * Connects and reports {@link readCurrentChanges} through `log` (the program passes `pulumi.log.info`): one line
 * per change, then the summary line. A failed read is reported through `warn` in one line and does
 * not fail the preview: the comment then shows no current values.
 */
export async function reportCurrentValues(
  connect: () => Promise<TenantApi>,
  desired: DesiredState,
  log: (message: string) => void,
  warn: (message: string) => void,
): Promise<void> {
  try {
    const { read, changes } = await readCurrentChanges(await connect(), desired);
    for (const c of changes) log(currentLine(c));
    log(`tenant now: read ${read} declared item${read === 1 ? "" : "s"}, ${changes.length} differ from tenant.yaml`);
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    warn(`tenant now: the current values could not be read, so the preview cannot show what it overwrites: ${why}`);
  }
}
