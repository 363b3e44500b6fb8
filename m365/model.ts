/**
 * The shared vocabulary of a Microsoft 365 tenant's SMTP AUTH settings: one definition of each state
 * and policy shape, used by the desired-state loader, the providers, the tenant client, the gates and
 * the sandbox alike. Values use Microsoft's own words so each mapping to a wire format is obvious.
 */

/** Legacy per-user MFA state, as Graph beta `strongAuthenticationRequirements.perUserMfaState` names it. */
export const PER_USER_MFA_STATES = ["disabled", "enabled", "enforced"] as const;
export type PerUserMfaState = (typeof PER_USER_MFA_STATES)[number];

/** Exchange Set-CASMailbox -SmtpClientAuthenticationDisabled as declared: $null / $false / $true. */
export const MAILBOX_SMTP_AUTH_STATES = ["inherit", "enabled", "disabled"] as const;
export type MailboxSmtpAuthState = (typeof MAILBOX_SMTP_AUTH_STATES)[number];

/** Exchange Set-TransportConfig -SmtpClientAuthenticationDisabled as declared. */
export const ORGANIZATION_SMTP_AUTH_STATES = ["enabled", "disabled"] as const;
export type OrganizationSmtpAuthState = (typeof ORGANIZATION_SMTP_AUTH_STATES)[number];

/** True when `value` is one of `states`; narrows it. */
export function isOneOf<T extends string>(states: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (states as readonly string[]).includes(value);
}

/** An Exchange authentication policy (New-AuthenticationPolicy); only the SMTP switch matters here. */
export interface AuthenticationPolicy {
  name: string;
  allowBasicAuthSmtp: boolean;
}

/** A Conditional Access policy, modelled as far as SMTP AUTH cares: does it block legacy authentication for a user? */
export interface ConditionalAccessPolicy {
  id: string;
  displayName: string;
  state: "enabled" | "disabled" | "enabledForReportingButNotEnforced";
  /** conditions.clientAppTypes, e.g. ["exchangeActiveSync", "other"] for a legacy-authentication block. */
  clientAppTypes: string[];
  /** conditions.users.includeUsers: user ids or "All". */
  includeUsers: string[];
  /** conditions.users.excludeUsers: user ids. */
  excludeUsers: string[];
  /** grantControls.builtInControls, e.g. ["block"] or ["mfa"]. */
  builtInControls: string[];
}
