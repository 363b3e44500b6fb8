/**
 * Effective SMTP AUTH: the one place that decides whether a mailbox can authenticate to
 * smtp.office365.com:587, and which reply Exchange Online gives when it cannot.
 *
 * Pure functions, no I/O. The providers' outputs, the sandbox's SMTP server and the doctor all
 * call {@link evaluateGates}; the facts come either from the sandbox tenant
 * ({@link factsFromTenant}) or from live API reads, where any fact may be `"unknown"`.
 *
 * Gate order follows ../shared/DESIGN.md "The gates SMTP AUTH must pass". Reply texts are
 * Exchange Online's own; each catalogue entry names its source, and says so where the mapping from
 * gate to reply is inferred rather than observed.
 */
import type { ConditionalAccessPolicy, PerUserMfaState, TenantState, TenantUser } from "../sandbox/model.ts";

/** Identifier of one gate. Equal to the doctor's cause id where one corresponds. */
export type GateId =
  | "mailbox_unlicensed_or_missing"
  | "account_disabled"
  | "wrong_credentials"
  | "account_locked"
  | "security_defaults_enabled"
  | "conditional_access_block"
  | "per_user_mfa"
  | "smtp_auth_disabled_mailbox"
  | "smtp_auth_disabled_tenant"
  | "authentication_policy_blocks_basic_smtp"
  | "basic_auth_disabled_or_retired"
  | "oauth_misconfigured_app_or_sp"
  | "send_as_permission";

/** All gates, in the order they are walked. */
export const GATE_ORDER: readonly GateId[] = [
  "mailbox_unlicensed_or_missing",
  "account_disabled",
  "wrong_credentials",
  "account_locked",
  "security_defaults_enabled",
  "conditional_access_block",
  "per_user_mfa",
  "smtp_auth_disabled_mailbox",
  "smtp_auth_disabled_tenant",
  "authentication_policy_blocks_basic_smtp",
  "basic_auth_disabled_or_retired",
  "oauth_misconfigured_app_or_sp",
  "send_as_permission",
];

/** "basic": AUTH LOGIN (or PLAIN) with a password. "oauth": AUTH XOAUTH2 with an app-only token. */
export type Mechanism = "basic" | "oauth";

/** A fact that was read, or `"unknown"` when it was not (no permission, not fetched, probe not run). */
export type Fact<T> = T | "unknown";

export const UNKNOWN = "unknown" as const;

/**
 * What the gates need to know about one mailbox and its tenant. Every field can be `"unknown"`;
 * a gate whose facts are unknown reports `unknown` and never blocks.
 */
export interface GateFacts {
  mechanism: Mechanism;
  /** Entra object id of the user, used to match Conditional Access include/exclude lists. */
  userId: Fact<string>;
  /** The user exists and has an Exchange Online mailbox. */
  mailboxExists: Fact<boolean>;
  /** The user holds an Exchange-bearing licence. */
  licensed: Fact<boolean>;
  accountEnabled: Fact<boolean>;
  /** Basic only: the password presented (or probed) is the account's. */
  passwordCorrect: Fact<boolean>;
  /** Entra smart lockout. */
  accountLocked: Fact<boolean>;
  securityDefaultsEnabled: Fact<boolean>;
  /** All Conditional Access policies of the tenant (the gate picks the ones that apply). */
  conditionalAccessPolicies: Fact<readonly ConditionalAccessPolicy[]>;
  /** Legacy per-user MFA state as stored. */
  perUserMfa: Fact<PerUserMfaState>;
  /** The user has registered an MFA method (turns `enabled` into `enforced`). */
  mfaMethodRegistered: Fact<boolean>;
  /** Get-CASMailbox SmtpClientAuthenticationDisabled: null inherits the organisation's. */
  mailboxSmtpAuthDisabled: Fact<boolean | null>;
  /** Get-TransportConfig SmtpClientAuthenticationDisabled. */
  organizationSmtpAuthDisabled: Fact<boolean>;
  /**
   * The Exchange authentication policy in effect for the user (the assigned one, else the
   * organisation default), or null when there is none (basic SMTP then allowed).
   */
  authenticationPolicy: Fact<{ name: string; allowBasicAuthSmtp: boolean } | null>;
  /** Basic authentication for SMTP AUTH has been removed for the tenant. */
  basicAuthSmtpRetired: Fact<boolean>;
  /** OAuth only: the token's app has a service principal registered in Exchange (New-ServicePrincipal). */
  exchangeServicePrincipalRegistered: Fact<boolean>;
  /** OAuth only: that service principal holds FullAccess or SendAs on the mailbox. */
  mailboxPermissionGranted: Fact<boolean>;
}

export type GateStatus = "pass" | "block" | "unknown" | "skipped";

export interface GateResult {
  id: GateId;
  status: GateStatus;
  /** One sentence for humans (doctor output, provider outputs). */
  reason: string;
}

/** An SMTP reply as Exchange writes it: `<code> <enhanced> <text>`, plus a server-id suffix on the wire. */
export interface SmtpReply {
  code: number;
  enhanced: string;
  text: string;
}

/**
 * The verdict for one mailbox and mechanism.
 * - `allowed` is true only when every gate that applies passes (none blocks, none unknown).
 * - `blockingGate` is the first gate, in walking order, that blocks; `reply` is its Exchange reply.
 * - `complete` is false when some applicable gate was `unknown`; then `allowed` is false even if
 *   nothing blocks, and the doctor should say what it could not read.
 */
export interface GateVerdict {
  mechanism: Mechanism;
  allowed: boolean;
  complete: boolean;
  blockingGate?: GateId;
  reply?: SmtpReply;
  gates: GateResult[];
}

// ---------------------------------------------------------------------------------------------
// Reply catalogue
// ---------------------------------------------------------------------------------------------

/**
 * Exchange Online's replies, keyed by what causes them. Texts exclude the diagnostic suffix
 * (`[AM0PR01CA0001.eurprd01.prod.outlook.com 2025-01-26T18:54:30.055Z 08DD3DD7D75D7743]`) that
 * Exchange appends to most of them; {@link formatReply} adds one.
 */
export const SmtpReplies = {
  /** Source: nodemailer/nodemailer#1484 (2022), simonrob/email-oauth2-proxy#193 (2023), MicrosoftDocs/OfficeDocs-Exchange#3124. */
  smtpAuthDisabledTenant: {
    code: 535,
    enhanced: "5.7.139",
    text: "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
  },
  /** Source: fact sheet §5.2 (PatchMyPC capture); same shape as the Tenant variant. */
  smtpAuthDisabledMailbox: {
    code: 535,
    enhanced: "5.7.139",
    text: "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.",
  },
  /** Source: fact sheet §5.2; docs.bookyourpto.com "SMTP troubleshoot" (security defaults on). */
  securityDefaults: {
    code: 535,
    enhanced: "5.7.139",
    text: "Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.",
  },
  /**
   * Source: gophish/gophish#3220 (2024, localised), a 2026 production capture quoted in a public
   * test suite, fact sheet §5.2 (Dynamics 365 doc: "might be required because MFA is configured").
   * Used for Conditional Access and for enforced per-user MFA.
   */
  criteriaNotMet: {
    code: 535,
    enhanced: "5.7.139",
    text: "Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.",
  },
  /**
   * Source: nodemailer/nodemailer#1714 (2025), rpremraj/mailR#107 (2022). Observed for accounts
   * whose basic authentication is off; mapping to an authentication policy with
   * AllowBasicAuthSmtp:$false is INFERRED (fact sheet §9 item 6).
   */
  basicAuthDisabled: {
    code: 535,
    enhanced: "5.7.139",
    text: "Authentication unsuccessful, basic authentication is disabled.",
  },
  /** Source: codassassin/email-bomber-v2.0#1 (2022) and many captures: wrong password. */
  credentialsIncorrect: {
    code: 535,
    enhanced: "5.7.139",
    text: "Authentication unsuccessful, the user credentials were incorrect.",
  },
  /** Source: 2026 production capture (".NET: 5.7.57 … Error: 535 5.7.139 Authentication unsuccessful, account locked. Contact your administrator. [CH2PR19CA0002…]"). */
  accountLocked: {
    code: 535,
    enhanced: "5.7.139",
    text: "Authentication unsuccessful, account locked. Contact your administrator.",
  },
  /**
   * Source: a 2024 capture ("account has an issue. Contact your administrator. [AM8P190CA0003…]")
   * whose cause is not stated; mapping it to a disabled account (accountEnabled false) is INFERRED.
   */
  accountHasAnIssue: {
    code: 535,
    enhanced: "5.7.139",
    text: "Authentication unsuccessful, account has an issue. Contact your administrator.",
  },
  /**
   * Source: Microsoft "Authenticate an IMAP, POP or SMTP connection using OAuth" (failure example),
   * HChaoHui/msOauth2api#3 (2025), tarickb/sasl-xoauth2#43. XOAUTH2 failures (bad token, no
   * Exchange service principal, no mailbox permission) and, INFERRED, a user without a mailbox.
   */
  authenticationUnsuccessful: { code: 535, enhanced: "5.7.3", text: "Authentication unsuccessful" },
  /** Source: Exchange Team blog 2024-04-15 "Exchange Online to retire Basic auth for Client Submission (SMTP AUTH)". */
  basicAuthRetired: {
    code: 550,
    enhanced: "5.7.30",
    text: "Basic authentication is not supported for Client Submission.",
  },
  /** Source: tarickb/sasl-xoauth2#96 (postfix trace, 2024): "530 5.7.57 Client not authenticated to send mail. [US22278CA0034…]". */
  clientNotAuthenticated: { code: 530, enhanced: "5.7.57", text: "Client not authenticated to send mail." },
  /**
   * Source: mattermost/mattermost#954 (Microsoft engineer: AUTH PLAIN), PHPMailer/PHPMailer#1254
   * (AUTH before STARTTLS), maxisam/mgob#52 (2023, with suffix).
   */
  unrecognizedAuthType: { code: 504, enhanced: "5.7.4", text: "Unrecognized authentication type" },
  /**
   * Source: MicrosoftDocs/OfficeDocs-Support#1187 (2021), FusionAuth/fusionauth-issues#220,
   * Notifuse/notifuse#250 (2026, OAuth). Given at the end of DATA. Consumer outlook.com answers
   * `554 5.2.252 SendAsDenied; <a> not allowed to send as <b>; …` instead (gophish/gophish#2900).
   */
  sendAsDenied: {
    code: 554,
    enhanced: "5.2.0",
    text: "STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message Cannot submit message.",
  },
  /** Source: zehm/sendEmail#1 (2022), Microsoft "Opt in to the Exchange Online endpoint for legacy TLS clients". */
  tlsVersionNotSupported: {
    code: 421,
    enhanced: "4.7.66",
    text: "TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2. Visit https://aka.ms/smtp_auth_tls.",
  },
} as const satisfies Record<string, SmtpReply>;

/** The reply Exchange gives when a gate blocks, per gate and mechanism. */
export function replyForGate(gate: GateId, mechanism: Mechanism): SmtpReply {
  if (mechanism === "oauth") {
    // XOAUTH2 failures other than the SMTP AUTH switches all read 535 5.7.3 (Microsoft OAuth doc);
    // the switches give the 5.7.139 texts for OAuth too (jstedfast/MailKit#700).
    if (gate === "smtp_auth_disabled_tenant") return SmtpReplies.smtpAuthDisabledTenant;
    if (gate === "smtp_auth_disabled_mailbox") return SmtpReplies.smtpAuthDisabledMailbox;
    return SmtpReplies.authenticationUnsuccessful;
  }
  switch (gate) {
    case "mailbox_unlicensed_or_missing":
      return SmtpReplies.authenticationUnsuccessful; // INFERRED
    case "account_disabled":
      return SmtpReplies.accountHasAnIssue; // INFERRED
    case "wrong_credentials":
      return SmtpReplies.credentialsIncorrect;
    case "account_locked":
      return SmtpReplies.accountLocked;
    case "security_defaults_enabled":
      return SmtpReplies.securityDefaults;
    case "conditional_access_block":
    case "per_user_mfa":
      return SmtpReplies.criteriaNotMet;
    case "smtp_auth_disabled_mailbox":
      return SmtpReplies.smtpAuthDisabledMailbox;
    case "smtp_auth_disabled_tenant":
      return SmtpReplies.smtpAuthDisabledTenant;
    case "authentication_policy_blocks_basic_smtp":
      return SmtpReplies.basicAuthDisabled; // INFERRED
    case "basic_auth_disabled_or_retired":
      return SmtpReplies.basicAuthRetired;
    case "oauth_misconfigured_app_or_sp":
    case "send_as_permission":
      return SmtpReplies.authenticationUnsuccessful;
  }
}

/** `535 5.7.139 Authentication unsuccessful, … [suffix]`; the suffix is omitted when empty. */
export function formatReply(reply: SmtpReply, suffix?: string): string {
  return `${reply.code} ${reply.enhanced} ${reply.text}${suffix ? ` ${suffix}` : ""}`;
}

// ---------------------------------------------------------------------------------------------
// Gates
// ---------------------------------------------------------------------------------------------

type Check = (f: GateFacts) => { status: GateStatus; reason: string };

const pass = (reason: string) => ({ status: "pass" as const, reason });
const block = (reason: string) => ({ status: "block" as const, reason });
const unknown = (reason: string) => ({ status: "unknown" as const, reason });
const skipped = (reason: string) => ({ status: "skipped" as const, reason });

const BASIC_ONLY = "does not apply to OAuth (XOAUTH2)";

const CHECKS: Record<GateId, Check> = {
  mailbox_unlicensed_or_missing: (f) => {
    if (f.mailboxExists === UNKNOWN) return unknown("whether the user has an Exchange Online mailbox was not read");
    if (!f.mailboxExists) return block("no Exchange Online mailbox for this address");
    if (f.licensed === UNKNOWN) return unknown("the user's licences were not read");
    if (!f.licensed) return block("the user holds no Exchange Online licence");
    return pass("licensed user with an Exchange Online mailbox");
  },
  account_disabled: (f) => {
    // App-only OAuth sends as the mailbox, not as the account: shared mailboxes (disabled accounts) work.
    if (f.mechanism === "oauth") return skipped("app-only OAuth does not sign the account in");
    if (f.accountEnabled === UNKNOWN) return unknown("accountEnabled was not read");
    return f.accountEnabled ? pass("account enabled") : block("account disabled (accountEnabled false)");
  },
  wrong_credentials: (f) => {
    if (f.mechanism === "oauth") return skipped(BASIC_ONLY);
    if (f.passwordCorrect === UNKNOWN) return unknown("the password was not tried");
    return f.passwordCorrect ? pass("password accepted") : block("the password is wrong");
  },
  account_locked: (f) => {
    if (f.mechanism === "oauth") return skipped(BASIC_ONLY);
    if (f.accountLocked === UNKNOWN) return unknown("lockout state was not read");
    return f.accountLocked ? block("account locked by Entra smart lockout") : pass("account not locked");
  },
  security_defaults_enabled: (f) => {
    if (f.mechanism === "oauth") return skipped(BASIC_ONLY);
    if (f.securityDefaultsEnabled === UNKNOWN) return unknown("security defaults were not read");
    return f.securityDefaultsEnabled
      ? block("security defaults are on, which block legacy authentication")
      : pass("security defaults are off");
  },
  conditional_access_block: (f) => {
    // Conditional Access user policies govern user sign-ins; app-only tokens are outside them.
    if (f.mechanism === "oauth") return skipped(BASIC_ONLY);
    if (f.conditionalAccessPolicies === UNKNOWN) return unknown("Conditional Access policies were not read");
    if (f.userId === UNKNOWN)
      return unknown("the user's object id is not known, so policy assignment cannot be matched");
    const blocking = f.conditionalAccessPolicies.filter((p) => conditionalAccessBlocksLegacy(p, f.userId));
    if (blocking.length > 0) {
      return block(
        `Conditional Access blocks legacy authentication: ${blocking.map((p) => `"${p.displayName}"`).join(", ")}`,
      );
    }
    return pass("no enabled Conditional Access policy blocks legacy authentication for this user");
  },
  per_user_mfa: (f) => {
    if (f.mechanism === "oauth") return skipped(BASIC_ONLY);
    if (f.perUserMfa === UNKNOWN) return unknown("per-user MFA state was not read");
    const effective = effectivePerUserMfa(f.perUserMfa, f.mfaMethodRegistered);
    if (effective === UNKNOWN) return unknown("per-user MFA is enabled; whether a method is registered was not read");
    if (effective === "enforced") return block("legacy per-user MFA is enforced");
    if (effective === "enabled")
      return pass("per-user MFA is enabled but no method is registered yet, so not enforced");
    return pass("per-user MFA is disabled");
  },
  smtp_auth_disabled_mailbox: (f) => {
    if (f.mailboxSmtpAuthDisabled === UNKNOWN)
      return unknown("the mailbox's SmtpClientAuthenticationDisabled was not read");
    if (f.mailboxSmtpAuthDisabled === true)
      return block("SMTP AUTH disabled for the mailbox (SmtpClientAuthenticationDisabled $true)");
    if (f.mailboxSmtpAuthDisabled === false)
      return pass("SMTP AUTH enabled for the mailbox ($false overrides the organisation)");
    return pass("the mailbox inherits the organisation setting ($null)");
  },
  smtp_auth_disabled_tenant: (f) => {
    // "The mailbox setting takes precedence over the organization setting" (Set-CASMailbox docs).
    if (f.mailboxSmtpAuthDisabled === false) return skipped("the mailbox's $false overrides the organisation setting");
    if (f.mailboxSmtpAuthDisabled === true) return skipped("the mailbox's own setting decides");
    if (f.mailboxSmtpAuthDisabled === UNKNOWN)
      return unknown("the mailbox setting was not read, so inheritance is unknown");
    if (f.organizationSmtpAuthDisabled === UNKNOWN)
      return unknown("Get-TransportConfig SmtpClientAuthenticationDisabled was not read");
    return f.organizationSmtpAuthDisabled
      ? block("SMTP AUTH disabled for the organisation and the mailbox inherits it")
      : pass("SMTP AUTH enabled for the organisation and the mailbox inherits it");
  },
  authentication_policy_blocks_basic_smtp: (f) => {
    if (f.mechanism === "oauth") return skipped(BASIC_ONLY);
    if (f.authenticationPolicy === UNKNOWN) return unknown("the authentication policy in effect was not read");
    if (f.authenticationPolicy === null) return pass("no authentication policy applies");
    return f.authenticationPolicy.allowBasicAuthSmtp
      ? pass(`authentication policy "${f.authenticationPolicy.name}" allows basic SMTP`)
      : block(`authentication policy "${f.authenticationPolicy.name}" blocks basic SMTP (AllowBasicAuthSmtp $false)`);
  },
  basic_auth_disabled_or_retired: (f) => {
    if (f.mechanism === "oauth") return skipped(BASIC_ONLY);
    if (f.basicAuthSmtpRetired === UNKNOWN)
      return unknown("whether basic SMTP AUTH is retired for the tenant is not known");
    return f.basicAuthSmtpRetired
      ? block("basic authentication for SMTP AUTH is retired for this tenant")
      : pass("basic authentication for SMTP AUTH is still available to the tenant");
  },
  oauth_misconfigured_app_or_sp: (f) => {
    if (f.mechanism === "basic") return skipped("applies to OAuth (XOAUTH2) only");
    if (f.exchangeServicePrincipalRegistered === UNKNOWN) return unknown("Exchange service principals were not read");
    return f.exchangeServicePrincipalRegistered
      ? pass("the app has a service principal registered in Exchange")
      : block("the app has no service principal registered in Exchange (New-ServicePrincipal)");
  },
  send_as_permission: (f) => {
    // For basic, the account sends as its own mailbox; sending as another address is judged per
    // message by checkSender().
    if (f.mechanism === "basic")
      return skipped("the account sends as its own mailbox; other senders are checked per message");
    if (f.mailboxPermissionGranted === UNKNOWN) return unknown("mailbox permissions were not read");
    return f.mailboxPermissionGranted
      ? pass("the service principal holds FullAccess or SendAs on the mailbox")
      : block("the service principal holds no FullAccess or SendAs permission on the mailbox (Add-MailboxPermission)");
  },
};

/**
 * Walks every gate in {@link GATE_ORDER} and returns the verdict. All gates are evaluated (so the
 * doctor can list every problem); the first blocking one decides the reply.
 */
export function evaluateGates(facts: GateFacts): GateVerdict {
  const gates: GateResult[] = GATE_ORDER.map((id) => ({ id, ...CHECKS[id](facts) }));
  const first = gates.find((g) => g.status === "block");
  const complete = !gates.some((g) => g.status === "unknown");
  const verdict: GateVerdict = {
    mechanism: facts.mechanism,
    allowed: first === undefined && complete,
    complete,
    gates,
  };
  if (first) {
    verdict.blockingGate = first.id;
    verdict.reply = replyForGate(first.id, facts.mechanism);
  }
  return verdict;
}

/**
 * Legacy per-user MFA as it reads back: `enabled` with a registered method behaves as `enforced`
 * (Graph beta authentication/requirements). `enabled` with the registration unknown is unknown.
 */
export function effectivePerUserMfa(state: PerUserMfaState, methodRegistered: Fact<boolean>): Fact<PerUserMfaState> {
  if (state !== "enabled") return state;
  if (methodRegistered === UNKNOWN) return UNKNOWN;
  return methodRegistered ? "enforced" : "enabled";
}

/** Client app types under which SMTP AUTH is signed in: "other" is Entra's "Other clients" (legacy). */
const LEGACY_CLIENT_APP_TYPES = new Set(["other", "all"]);
/** Grant controls a legacy (password-only) sign-in can never satisfy. */
const UNSATISFIABLE_BY_LEGACY = new Set([
  "block",
  "mfa",
  "compliantDevice",
  "domainJoinedDevice",
  "approvedApplication",
  "compliantApplication",
]);

/**
 * Whether a Conditional Access policy blocks a basic-auth SMTP sign-in for the user. Our reading,
 * documented because Microsoft does not spell it out for SMTP:
 * - only `enabled` policies count (`enabledForReportingButNotEnforced` only logs);
 * - SMTP AUTH is an "Other clients" (legacy) sign-in, so `clientAppTypes` must contain `other`
 *   or `all`; `exchangeActiveSync` alone does not cover SMTP;
 * - the grant is `block`, or a control a password-only client cannot satisfy (e.g. `mfa`): Entra
 *   fails such sign-ins the same way;
 * - the user is included (`All` or their id) and not excluded.
 */
export function conditionalAccessBlocksLegacy(policy: ConditionalAccessPolicy, userId: string): boolean {
  if (policy.state !== "enabled") return false;
  if (!policy.clientAppTypes.some((t) => LEGACY_CLIENT_APP_TYPES.has(t))) return false;
  if (!policy.builtInControls.some((c) => UNSATISFIABLE_BY_LEGACY.has(c))) return false;
  const included = policy.includeUsers.some((u) => u === "All" || u === userId);
  return included && !policy.excludeUsers.includes(userId);
}

// ---------------------------------------------------------------------------------------------
// Facts from the sandbox tenant, and per-message sender check
// ---------------------------------------------------------------------------------------------

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
    licensed: user ? user.licenses.length > 0 : UNKNOWN,
    accountEnabled: user ? user.accountEnabled : UNKNOWN,
    passwordCorrect:
      user && opts.password !== undefined
        ? user.smtpPassword !== undefined && user.smtpPassword === opts.password
        : UNKNOWN,
    accountLocked: user ? user.locked : UNKNOWN,
    securityDefaultsEnabled: state.securityDefaultsEnabled,
    conditionalAccessPolicies: state.conditionalAccessPolicies,
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
