/**
 * The sandbox's adapter from its tenant state to the gates' facts (m365/gates.ts), and its
 * per-message sender check. Sandbox code: the product reads live facts through tenant/facts.ts.
 */
import { UNKNOWN, type Fact, type GateFacts, type Mechanism } from "../../m365/gates.ts";
import { SmtpReplies, type SmtpReply } from "../../m365/smtp-replies.ts";
import type { TenantState, TenantUser } from "../model.ts";
import { holdsMailboxLicence } from "../store/skus.ts";
import { transitiveGroups, userRoleTemplateIds } from "../store/directory.ts";

/** Finds a user by UPN or primary SMTP address, case-insensitively. */
export function findUser(state: TenantState, address: string): TenantUser | undefined {
  const a = address.trim().toLowerCase();
  return state.users.find((u) => u.userPrincipalName.toLowerCase() === a || u.mail.toLowerCase() === a);
}

/**
 * Builds the gate facts for `address` from a sandbox tenant. For "basic", pass the password
 * presented (omit it to leave `passwordCorrect` unknown, as the doctor does without a probe). For
 * "oauth", pass the token's appId. An unknown address yields `mailboxExists: false`.
 */
export function factsFromTenant(
  state: TenantState,
  address: string,
  mechanism: Mechanism,
  opts: { password?: string; appId?: string } = {},
): GateFacts {
  const user = findUser(state, address);
  const policyName = user ? (user.authenticationPolicy ?? state.defaultAuthenticationPolicy) : UNKNOWN;
  let authenticationPolicy: GateFacts["authenticationPolicy"] = UNKNOWN;
  if (policyName === null) authenticationPolicy = null;
  else if (policyName !== UNKNOWN) {
    const p = state.authenticationPolicies.find((x) => x.name.toLowerCase() === policyName.toLowerCase());
    // An assignment naming a missing policy: Exchange would refuse the assignment; treat as none.
    authenticationPolicy = p ? { name: p.name, allowBasicAuthSmtp: p.allowBasicAuthSmtp } : null;
  }

  let exchangeServicePrincipalRegistered: Fact<boolean> = UNKNOWN;
  let mailboxPermissionGranted: Fact<boolean> = UNKNOWN;
  if (mechanism === "oauth" && opts.appId !== undefined) {
    const sp = state.exchangeServicePrincipals.find((s) => s.appId.toLowerCase() === opts.appId!.toLowerCase());
    exchangeServicePrincipalRegistered = sp !== undefined;
    mailboxPermissionGranted =
      sp !== undefined &&
      user !== undefined &&
      hasMailboxRight(state, user, [sp.objectId, sp.appId], ["FullAccess", "SendAs"]);
  }

  return {
    mechanism,
    userId: user ? user.id : UNKNOWN,
    mailboxExists: user ? user.hasMailbox : false,
    licensed: user ? holdsMailboxLicence(user) : UNKNOWN,
    accountEnabled: user ? user.accountEnabled : UNKNOWN,
    passwordCorrect:
      user && opts.password !== undefined
        ? user.smtpPassword !== undefined && user.smtpPassword === opts.password
        : UNKNOWN,
    accountLocked: user ? user.locked : UNKNOWN,
    securityDefaultsEnabled: state.securityDefaultsEnabled,
    conditionalAccessPolicies: state.conditionalAccessPolicies,
    userType: user ? (user.userType ?? "Member") : UNKNOWN,
    memberOfGroups: user ? transitiveGroups(state, user).map((g) => g.id) : UNKNOWN,
    roleTemplateIds: user ? userRoleTemplateIds(user) : UNKNOWN,
    perUserMfa: user ? user.perUserMfa : UNKNOWN,
    mfaMethodRegistered: user ? user.mfaMethodRegistered : UNKNOWN,
    mailboxSmtpAuthDisabled: user ? user.smtpClientAuthenticationDisabled : UNKNOWN,
    organizationSmtpAuthDisabled: state.organizationSmtpClientAuthenticationDisabled,
    authenticationPolicy,
    basicAuthSmtpRetired: state.basicAuthSmtpRetired,
    exchangeServicePrincipalRegistered,
    mailboxPermissionGranted,
  };
}

function hasMailboxRight(state: TenantState, mailboxOwner: TenantUser, trustees: string[], rights: string[]): boolean {
  const mailboxIds = [mailboxOwner.mail, mailboxOwner.userPrincipalName, mailboxOwner.id].map((s) => s.toLowerCase());
  const trusteeIds = trustees.map((s) => s.toLowerCase());
  const wanted = rights.map((r) => r.toLowerCase());
  return state.mailboxPermissions.some(
    (p) =>
      mailboxIds.includes(p.mailbox.toLowerCase()) &&
      trusteeIds.includes(p.user.toLowerCase()) &&
      p.accessRights.some((r) => wanted.includes(r.toLowerCase())),
  );
}

/**
 * Per-message check of the envelope sender (MAIL FROM) against the authenticated identity.
 * Returns null when Exchange would accept it, otherwise the SendAsDenied reply, which Exchange
 * gives at the end of DATA.
 * - basic: the sender is the account's own mailbox (UPN or primary address), or a mailbox on which
 *   the account holds SendAs (Add-RecipientPermission; kept in mailboxPermissions here).
 * - oauth: `authUser` is the mailbox in the XOAUTH2 `user=`; the sender must be that mailbox, or a
 *   mailbox on which the app's service principal holds SendAs (INFERRED from Notifuse/notifuse#250).
 * An empty sender (`MAIL FROM:<>`) is treated as the authenticated mailbox.
 */
export function checkSender(
  state: TenantState,
  auth: { mechanism: Mechanism; user: string; appId?: string },
  from: string,
): SmtpReply | null {
  if (from.trim() === "") return null;
  const owner = findUser(state, auth.user);
  const sender = findUser(state, from);
  if (owner && sender && owner.id === sender.id) return null;
  if (!owner && auth.user.trim().toLowerCase() === from.trim().toLowerCase()) return null;
  if (sender) {
    const trustees = [auth.user];
    if (owner) trustees.push(owner.id, owner.userPrincipalName, owner.mail);
    if (auth.mechanism === "oauth" && auth.appId !== undefined) {
      const sp = state.exchangeServicePrincipals.find((s) => s.appId.toLowerCase() === auth.appId!.toLowerCase());
      if (sp) trustees.push(sp.objectId, sp.appId);
    }
    if (hasMailboxRight(state, sender, trustees, ["SendAs"])) return null;
  }
  return SmtpReplies.sendAsDenied;
}
