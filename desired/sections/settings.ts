/**
 * The settings sections of tenant.yaml: `securityDefaults`, `smtpAuth` (organisation, mailboxes,
 * others) and `mfa.users`. Each reads its part with the walker and reports every problem it finds.
 */
import { MAILBOX_SMTP_AUTH_STATES, ORGANIZATION_SMTP_AUTH_STATES, PER_USER_MFA_STATES } from "../../m365/model.ts";
import type { MailboxSmtpAuthInputs, SecurityDefaultsInputs } from "../../providers/types.ts";
import { MFA_OTHERS_POLICIES, OTHERS_POLICIES, type DesiredState } from "../types.ts";
import { MFA_KEYS, RISK_ACCEPTANCE_KEYS, SECURITY_DEFAULTS_KEYS, SMTP_AUTH_KEYS } from "../keys.ts";
import type { Entry, YamlWalker } from "../walker.ts";

export function securityDefaultsSection(w: YamlWalker, e: Entry): SecurityDefaultsInputs | undefined {
  const m = w.mapping(e.value, e.path, SECURITY_DEFAULTS_KEYS, e.keyNode);
  if (!m) return undefined;
  const out: Partial<SecurityDefaultsInputs> = {};
  const enabled = m.get("enabled");
  if (enabled) {
    const b = w.bool(enabled);
    if (b !== undefined) out.enabled = b;
  } else {
    w.issueAtNode(e.keyNode, `${e.path}.enabled`, "missing; write enabled: true or enabled: false");
  }
  const reason = m.get("reason");
  if (reason) {
    const s = w.string(reason);
    if (s !== undefined) out.reason = s;
  }
  const cab = m.get("conditionalAccessBaseline");
  if (cab) {
    const b = w.bool(cab);
    if (b !== undefined) out.conditionalAccessBaseline = b;
  }
  const ra = m.get("riskAcceptance");
  if (ra) {
    const rm = w.mapping(ra.value, ra.path, RISK_ACCEPTANCE_KEYS, ra.keyNode);
    if (rm) {
      const owner = rm.get("owner");
      const r: Partial<NonNullable<SecurityDefaultsInputs["riskAcceptance"]>> = {};
      if (owner) {
        const a = w.address(owner);
        if (a !== undefined) r.owner = a;
      } else {
        w.issueAtNode(ra.keyNode, `${ra.path}.owner`, "a risk acceptance needs an owner (a mail address)");
      }
      w.exceptionExtras(rm, r);
      if (r.owner !== undefined) out.riskAcceptance = { owner: r.owner, ...r };
    }
  }
  return out.enabled === undefined ? undefined : { ...out, enabled: out.enabled };
}

export function smtpAuthSection(w: YamlWalker, e: Entry, state: DesiredState): void {
  const m = w.section(e, SMTP_AUTH_KEYS);
  if (!m) return;
  const org = m.get("organization");
  if (org) {
    const s = w.oneOf(org, ORGANIZATION_SMTP_AUTH_STATES, "state");
    if (s) state.organizationSmtpAuth = { state: s };
  }
  const others = m.get("others");
  if (others) {
    const o = w.oneOf(others, OTHERS_POLICIES, "value");
    if (o) state.othersPolicy = o;
  }
  const mailboxes = m.get("mailboxes");
  if (!mailboxes) return;
  for (const entry of w.addressMap(mailboxes, "mailbox", SMTP_AUTH_KEYS)) {
    const r = w.stateEntry(entry, MAILBOX_SMTP_AUTH_STATES);
    if (!r) continue;
    const mb: MailboxSmtpAuthInputs = { mailbox: entry.key, state: r.state, ...r.extras };
    if (mb.state === "enabled") {
      if (r.short) {
        w.issueAtNode(
          entry.keyNode,
          entry.path,
          "an SMTP AUTH exception needs an owner and an expiry; write { state: enabled, owner: <mail address>, ticket: <change ticket>, expires: YYYY-MM-DD }",
        );
        continue;
      }
      const problems = [!r.present.has("owner"), !r.present.has("expires")];
      if (problems[0]) w.issueAtNode(entry.keyNode, `${entry.path}.owner`, "an SMTP AUTH exception needs an owner");
      if (problems[1]) {
        w.issueAtNode(
          entry.keyNode,
          `${entry.path}.expires`,
          "an SMTP AUTH exception needs an expiry date (expires: YYYY-MM-DD)",
        );
      }
      if (problems.some(Boolean)) continue;
    }
    if (r.valid) state.mailboxes.push(mb);
  }
}

/** `mfa`: the listed users into `state.mfaUsers`, and `others` (issue 15.5) into `state.mfaOthers`. */
export function mfaSection(w: YamlWalker, e: Entry, state: DesiredState): void {
  const m = w.section(e, MFA_KEYS);
  const others = m?.get("others");
  if (others) {
    const o = w.oneOf(others, MFA_OTHERS_POLICIES, "value");
    if (o) state.mfaOthers = o;
  }
  const users = m?.get("users");
  if (!users) return;
  for (const entry of w.addressMap(users, "user", MFA_KEYS)) {
    const r = w.stateEntry(entry, PER_USER_MFA_STATES);
    if (r?.valid) state.mfaUsers.push({ user: entry.key, state: r.state, ...r.extras });
  }
}
