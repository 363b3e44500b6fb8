/**
 * Effective SMTP AUTH: the one place that decides whether a mailbox can authenticate to
 * smtp.office365.com:587, and which reply Exchange Online gives when it cannot.
 *
 * Pure functions, no I/O. The program's `effective` output, the sandbox's SMTP server and the
 * doctor all call {@link evaluateGates}; the facts come either from the sandbox tenant
 * (sandbox/smtp/facts.ts) or from live API reads (tenant/facts.ts), where any fact may be
 * `"unknown"`.
 *
 * Gate order follows the project design, "The gates SMTP AUTH must pass". Reply texts live in
 * ./smtp-replies.ts, each with its source; {@link replyForGate} maps a gate to its reply and
 * {@link gatesAnswering} maps a reply back to the gates that give it.
 */
import { UNKNOWN, type ConditionalAccessPolicy, type Fact, type PerUserMfaState } from "./model.ts";
import { judgeConditionalAccess, type CaSubject } from "./conditional-access.ts";
import { SmtpReplies, type SmtpReply } from "./smtp-replies.ts";

export type { SmtpReply };

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

const BOTH: readonly Mechanism[] = ["basic", "oauth"];
const BASIC: readonly Mechanism[] = ["basic"];
const OAUTH: readonly Mechanism[] = ["oauth"];

/**
 * Which sign-in mechanisms go through each gate, and why the others do not. OAuth (XOAUTH2 with an
 * app-only token) skips the password, account and policy gates: the app signs in, not the user.
 */
export const GATE_APPLIES: Record<GateId, { mechanisms: readonly Mechanism[]; otherwise?: string }> = {
  mailbox_unlicensed_or_missing: { mechanisms: BOTH },
  // App-only OAuth sends as the mailbox, not as the account: shared mailboxes (disabled accounts) work.
  account_disabled: { mechanisms: BASIC, otherwise: "app-only OAuth does not sign the account in" },
  wrong_credentials: { mechanisms: BASIC, otherwise: "does not apply to OAuth (XOAUTH2)" },
  account_locked: { mechanisms: BASIC, otherwise: "does not apply to OAuth (XOAUTH2)" },
  security_defaults_enabled: { mechanisms: BASIC, otherwise: "does not apply to OAuth (XOAUTH2)" },
  // Conditional Access user policies govern user sign-ins; app-only tokens are outside them.
  conditional_access_block: { mechanisms: BASIC, otherwise: "does not apply to OAuth (XOAUTH2)" },
  per_user_mfa: { mechanisms: BASIC, otherwise: "does not apply to OAuth (XOAUTH2)" },
  smtp_auth_disabled_mailbox: { mechanisms: BOTH },
  smtp_auth_disabled_tenant: { mechanisms: BOTH },
  authentication_policy_blocks_basic_smtp: { mechanisms: BASIC, otherwise: "does not apply to OAuth (XOAUTH2)" },
  basic_auth_disabled_or_retired: { mechanisms: BASIC, otherwise: "does not apply to OAuth (XOAUTH2)" },
  oauth_misconfigured_app_or_sp: { mechanisms: OAUTH, otherwise: "applies to OAuth (XOAUTH2) only" },
  // For basic, the account sends as its own mailbox; sending as another address is judged per
  // message (the sandbox's checkSender, Exchange's SendAsDenied at the end of DATA).
  send_as_permission: {
    mechanisms: OAUTH,
    otherwise: "the account sends as its own mailbox; other senders are checked per message",
  },
};

/** True when `mechanism` goes through `gate`. */
export function gateApplies(gate: GateId, mechanism: Mechanism): boolean {
  return GATE_APPLIES[gate].mechanisms.includes(mechanism);
}

export { UNKNOWN, type Fact };
export {
  conditionalAccessBlocksLegacy,
  EXCHANGE_ONLINE_APP_ID,
  judgeConditionalAccess,
  type CaSubject,
} from "./conditional-access.ts";

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
  /**
   * What Conditional Access assignments match besides the user id: the user's type ("Member" or
   * "Guest"), the ids of the groups they belong to (transitively) and the template ids of the
   * directory roles they hold. Absent means not read: a policy that needs it is judged `unknown`.
   */
  userType?: Fact<string>;
  memberOfGroups?: Fact<readonly string[]>;
  roleTemplateIds?: Fact<readonly string[]>;
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

// ---------------------------------------------------------------------------------------------
// Gates
// ---------------------------------------------------------------------------------------------

type Check = (f: GateFacts) => { status: GateStatus; reason: string };

const pass = (reason: string) => ({ status: "pass" as const, reason });
const block = (reason: string) => ({ status: "block" as const, reason });
const unknown = (reason: string) => ({ status: "unknown" as const, reason });
const skipped = (reason: string) => ({ status: "skipped" as const, reason });

const CHECKS: Record<GateId, Check> = {
  mailbox_unlicensed_or_missing: (f) => {
    if (f.mailboxExists === UNKNOWN) return unknown("whether the user has an Exchange Online mailbox was not read");
    if (!f.mailboxExists) return block("no Exchange Online mailbox for this address");
    if (f.licensed === UNKNOWN) return unknown("the user's licences were not read");
    if (!f.licensed) return block("the user holds no Exchange Online licence");
    return pass("licensed user with an Exchange Online mailbox");
  },
  account_disabled: (f) => {
    if (f.accountEnabled === UNKNOWN) return unknown("accountEnabled was not read");
    return f.accountEnabled ? pass("account enabled") : block("account disabled (accountEnabled false)");
  },
  wrong_credentials: (f) => {
    if (f.passwordCorrect === UNKNOWN) return unknown("the password was not tried");
    return f.passwordCorrect ? pass("password accepted") : block("the password is wrong");
  },
  account_locked: (f) => {
    if (f.accountLocked === UNKNOWN) return unknown("lockout state was not read");
    return f.accountLocked ? block("account locked by Entra smart lockout") : pass("account not locked");
  },
  security_defaults_enabled: (f) => {
    if (f.securityDefaultsEnabled === UNKNOWN) return unknown("security defaults were not read");
    return f.securityDefaultsEnabled
      ? block("security defaults are on, which block legacy authentication")
      : pass("security defaults are off");
  },
  conditional_access_block: (f) => {
    if (f.conditionalAccessPolicies === UNKNOWN) return unknown("Conditional Access policies were not read");
    if (f.userId === UNKNOWN)
      return unknown("the user's object id is not known, so policy assignment cannot be matched");
    const subject: CaSubject = {
      userId: f.userId,
      userType: f.userType ?? UNKNOWN,
      groups: f.memberOfGroups ?? UNKNOWN,
      roleTemplateIds: f.roleTemplateIds ?? UNKNOWN,
    };
    const judged = f.conditionalAccessPolicies.map((p) => ({ p, ...judgeConditionalAccess(p, subject) }));
    const blocking = judged.filter((j) => j.blocks === true);
    if (blocking.length > 0) {
      return block(
        `Conditional Access blocks legacy authentication: ${blocking.map((j) => `"${j.p.displayName}"`).join(", ")}`,
      );
    }
    const undecided = judged.filter((j) => j.blocks === UNKNOWN);
    if (undecided.length > 0)
      return unknown(undecided.map((j) => `whether "${j.p.displayName}" applies is unknown: ${j.why}`).join("; "));
    return pass("no enabled Conditional Access policy blocks legacy authentication for this user");
  },
  per_user_mfa: (f) => {
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
    if (f.authenticationPolicy === UNKNOWN) return unknown("the authentication policy in effect was not read");
    if (f.authenticationPolicy === null) return pass("no authentication policy applies");
    return f.authenticationPolicy.allowBasicAuthSmtp
      ? pass(`authentication policy "${f.authenticationPolicy.name}" allows basic SMTP`)
      : block(`authentication policy "${f.authenticationPolicy.name}" blocks basic SMTP (AllowBasicAuthSmtp $false)`);
  },
  basic_auth_disabled_or_retired: (f) => {
    if (f.basicAuthSmtpRetired === UNKNOWN)
      return unknown("whether basic SMTP AUTH is retired for the tenant is not known");
    return f.basicAuthSmtpRetired
      ? block("basic authentication for SMTP AUTH is retired for this tenant")
      : pass("basic authentication for SMTP AUTH is still available to the tenant");
  },
  oauth_misconfigured_app_or_sp: (f) => {
    if (f.exchangeServicePrincipalRegistered === UNKNOWN) return unknown("Exchange service principals were not read");
    return f.exchangeServicePrincipalRegistered
      ? pass("the app has a service principal registered in Exchange")
      : block("the app has no service principal registered in Exchange (New-ServicePrincipal)");
  },
  send_as_permission: (f) => {
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
  const gates: GateResult[] = GATE_ORDER.map((id) =>
    gateApplies(id, facts.mechanism)
      ? { id, ...CHECKS[id](facts) }
      : { id, ...skipped(GATE_APPLIES[id].otherwise ?? "does not apply") },
  );
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

/**
 * Declared `enabled` is satisfied by `enforced`: Graph turns enabled into enforced by itself once the
 * user registers a method, and that is not drift.
 */
export function mfaSatisfies(declared: PerUserMfaState, actual: PerUserMfaState): boolean {
  return declared === actual || (declared === "enabled" && actual === "enforced");
}

/** The gates whose Exchange reply (for `mechanism`) is `reply`, in walking order. */
export function gatesAnswering(reply: SmtpReply, mechanism: Mechanism): GateId[] {
  const text = reply.text.replace(/\s*\[[^\]]*\]\s*$/u, "").trim();
  return GATE_ORDER.filter((g) => {
    const r = replyForGate(g, mechanism);
    return r.code === reply.code && r.enhanced === reply.enhanced && r.text === text;
  });
}
