/**
 * The shared vocabulary of a Microsoft 365 tenant's SMTP AUTH settings: one definition of each state
 * and policy shape, used by the desired-state loader, the providers, the tenant client, the gates and
 * the sandbox alike. Values use Microsoft's own words so each mapping to a wire format is obvious.
 */

/** A fact that was read, or `"unknown"` when it was not (no permission, not fetched, probe not run). */
export type Fact<T> = T | "unknown";

export const UNKNOWN = "unknown" as const;

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
  /**
   * grantControls.authenticationStrength is set: the grant asks for a multifactor method of a given
   * strength (every built-in strength is multifactor), which a password alone never satisfies.
   */
  requiresAuthenticationStrength?: boolean;
  /** conditions.users.includeGroups / excludeGroups: group object ids, matched by transitive membership. */
  includeGroups?: string[];
  excludeGroups?: string[];
  /** conditions.users.includeRoles / excludeRoles: directory role *template* ids the user holds. */
  includeRoles?: string[];
  excludeRoles?: string[];
  /**
   * conditions.applications.includeApplications / excludeApplications: "All", "Office365", app ids
   * (Exchange Online is 00000002-0000-0ff1-ce00-000000000000). Absent means "All" / none.
   */
  includeApplications?: string[];
  excludeApplications?: string[];
  /** conditions.locations.includeLocations / excludeLocations: "All", "AllTrusted" or named location ids. */
  includeLocations?: string[];
  excludeLocations?: string[];
  /** conditions.platforms.includePlatforms / excludePlatforms: "all", "android", "windows", … */
  includePlatforms?: string[];
  excludePlatforms?: string[];
}
