/**
 * The sandbox tenant's data model: everything a Microsoft 365 tenant holds that SMTP AUTH depends on.
 * The store persists exactly this shape; Graph, the Exchange admin API and the SMTP endpoint are views of it.
 * Values use Microsoft's own vocabulary so that the mapping to each wire format is obvious.
 */

export type { AuthenticationPolicy, ConditionalAccessPolicy, PerUserMfaState } from "../m365/model.ts";
import type { AuthenticationPolicy, ConditionalAccessPolicy, PerUserMfaState } from "../m365/model.ts";

/** A user (Entra ID) with the Exchange mailbox settings that belong to it. */
export interface TenantUser {
  /** Object id (GUID). */
  id: string;
  userPrincipalName: string;
  displayName: string;
  /** Primary SMTP address of the mailbox; equals the UPN in the usual case. */
  mail: string;
  accountEnabled: boolean;
  /** SKU part numbers, e.g. "O365_BUSINESS_PREMIUM"; a mailbox needs an Exchange-bearing licence. */
  licenses: string[];
  /** False for users without an Exchange Online mailbox. */
  hasMailbox: boolean;
  /** Entra directory roles held, by display name, e.g. "Global Administrator". */
  directoryRoles: string[];
  /** "Member" (default) or "Guest"; Conditional Access's GuestsOrExternalUsers matches guests. */
  userType?: "Member" | "Guest";
  /**
   * Service plans of the user's licences whose provisioningStatus is not "Success", by plan name,
   * e.g. { EXCHANGE_S_STANDARD: "Disabled" } (the plan switched off in the licence assignment).
   */
  planStatus?: Record<string, "Disabled" | "PendingProvisioning" | "PendingInput" | "PendingActivation" | "Error">;
  perUserMfa: PerUserMfaState;
  /** True once the user has registered an MFA method: `enabled` then reads back as `enforced`. */
  mfaMethodRegistered: boolean;
  /** Password accepted by the sandbox's SMTP AUTH LOGIN; test data only, never a real secret. */
  smtpPassword?: string;
  /** Smart lockout: basic authentication answers "account locked". */
  locked: boolean;
  /** CASMailbox SmtpClientAuthenticationDisabled: null inherits the organisation's setting. */
  smtpClientAuthenticationDisabled: boolean | null;
  /** Name of the Exchange authentication policy assigned to the user, or null for the organisation default. */
  authenticationPolicy: string | null;
}

/** An app registration with its service principal, as the token service and Exchange see it. */
export interface AppRegistration {
  /** Application (client) id. */
  appId: string;
  displayName: string;
  /** Object id of the enterprise application (service principal) — the id Exchange's New-ServicePrincipal wants. */
  servicePrincipalId: string;
  /** Client secrets accepted by the token service (test data only). */
  secrets: string[];
  /** PEM certificates whose keys may sign client assertions. */
  certificates: string[];
  /** Application permissions granted with admin consent, per resource: "graph" or "exchange". */
  roles: { graph: string[]; exchange: string[] };
  /**
   * Entra roles assigned to the service principal, by display name (e.g. "Exchange Administrator").
   * App-only Exchange management needs one (RBAC); absent means none.
   */
  directoryRoles?: string[];
  /** Federated identity credentials (workload identity federation): assertions from these issuers are accepted. */
  federatedCredentials?: FederatedCredential[];
}

/** A federated identity credential on an app registration. */
export interface FederatedCredential {
  /** Issuer (`iss`) of the external token, e.g. https://token.actions.githubusercontent.com. */
  issuer: string;
  /** Subject (`sub`) of the external token, e.g. repo:org/repo:environment:prod. */
  subject: string;
  /** Accepted `aud` values; Entra's default is api://AzureADTokenExchange. */
  audiences: string[];
  /**
   * Sandbox only: PEM public key that verifies the external token's signature. Absent means the
   * sandbox's own workload-identity issuer (its token-signing key), see sandbox/README.md.
   */
  publicKeyPem?: string;
}

/** A service principal registered in Exchange Online with New-ServicePrincipal. */
export interface ExchangeServicePrincipal {
  appId: string;
  objectId: string;
  displayName: string;
}

/** A mailbox permission granted with Add-MailboxPermission. */
export interface MailboxPermission {
  /** Mailbox identity (primary SMTP address). */
  mailbox: string;
  /** Trustee: a service principal object id or a user. */
  user: string;
  accessRights: string[];
}

/** How an Entra sign-in log record was made (Graph beta `signInEventTypes`). */
export type SignInEventType = "interactiveUser" | "nonInteractiveUser" | "servicePrincipal";

/**
 * One Entra sign-in log record (Graph `signIn`), as far as SMTP AUTH usage cares. Its time is kept
 * relative to the sandbox's clock (`daysAgo` + `time`, UTC) so a fixture's logs never age out.
 */
export interface SignInRecord {
  daysAgo: number;
  /** HH:MM:SS, UTC. */
  time: string;
  eventType: SignInEventType;
  /** The user who signed in; null for service-principal (client credentials) sign-ins. */
  userPrincipalName: string | null;
  appId: string;
  appDisplayName: string;
  /** e.g. "Authenticated SMTP" (SMTP AUTH with a password), "Browser"; "" for service principals. */
  clientAppUsed: string;
  resourceDisplayName: string;
  ipAddress: string;
  /** 0 for success, else the AADSTS code (50126 bad password, 50076 MFA required, 53003 CA block…). */
  errorCode: number;
}

/** The tenant's sign-in logs and whether Graph serves them (Entra ID P1 or P2). */
export interface SignInLogs {
  /** False answers 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant, as a tenant without P1 does. */
  premium: boolean;
  records: SignInRecord[];
}

/** An Entra group; members are user object ids or the ids of nested groups. */
export interface DirectoryGroup {
  id: string;
  displayName: string;
  members: string[];
}

/** The whole tenant. */
export interface TenantState {
  tenantId: string;
  /** Verified domain, e.g. "contoso.com". */
  domain: string;
  securityDefaultsEnabled: boolean;
  /** Set-TransportConfig -SmtpClientAuthenticationDisabled. */
  organizationSmtpClientAuthenticationDisabled: boolean;
  /** Get-OrganizationConfig DefaultAuthenticationPolicy, or null for none. */
  defaultAuthenticationPolicy: string | null;
  /** Basic authentication for SMTP AUTH has been removed for this tenant (answers 550 5.7.30). */
  basicAuthSmtpRetired: boolean;
  users: TenantUser[];
  authenticationPolicies: AuthenticationPolicy[];
  conditionalAccessPolicies: ConditionalAccessPolicy[];
  /** Entra groups (Conditional Access includeGroups/excludeGroups); absent in states saved before groups. */
  groups?: DirectoryGroup[];
  apps: AppRegistration[];
  exchangeServicePrincipals: ExchangeServicePrincipal[];
  mailboxPermissions: MailboxPermission[];
  /** Entra sign-in logs (issue 15); absent means premium with no records. */
  signInLogs?: SignInLogs;
}

/** The keys of TenantState that can change after the tenant is created (all but tenantId and domain). */
export const MUTABLE_STATE_KEYS = [
  "securityDefaultsEnabled",
  "organizationSmtpClientAuthenticationDisabled",
  "defaultAuthenticationPolicy",
  "basicAuthSmtpRetired",
  "users",
  "authenticationPolicies",
  "conditionalAccessPolicies",
  "groups",
  "apps",
  "exchangeServicePrincipals",
  "mailboxPermissions",
  "signInLogs",
] as const satisfies readonly (keyof TenantState)[];
