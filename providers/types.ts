/**
 * The contract between desired state (tenant.yaml), the Pulumi program, the dynamic providers and
 * the policy pack: each resource kind's type token and its input properties. Inputs hold plain,
 * non-secret values only.
 */
import type { MailboxSmtpAuthState, OrganizationSmtpAuthState, PerUserMfaState } from "../m365/model.ts";

export type { MailboxSmtpAuthState, OrganizationSmtpAuthState, PerUserMfaState };

/** The dynamic-provider module: type tokens are `pulumi-nodejs:dynamic/m365:<Kind>`. */
export const RESOURCE_MODULE = "m365";

export const RESOURCE_KINDS = [
  "SecurityDefaults",
  "OrganizationSmtpAuth",
  "MailboxSmtpAuth",
  "OtherMailboxesSmtpAuth",
  "PerUserMfa",
  // Issue 15.5: `mfa.others`, per-user MFA for every user not declared by name.
  "OtherUsersMfa",
  // Issue 8: the Exchange side of OAuth (XOAUTH2) for SMTP.
  "ExchangeServicePrincipal",
  "MailboxPermission",
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** The URN type token of a resource kind, e.g. `pulumi-nodejs:dynamic/m365:MailboxSmtpAuth`. */
export function typeToken(kind: ResourceKind): string {
  return `pulumi-nodejs:dynamic/${RESOURCE_MODULE}:${kind}`;
}

/** Who owns an exception to the secure default, and until when it is allowed. */
export interface ExceptionRecord {
  /** Mail address of the person or team accountable for the exception. */
  owner?: string;
  /** Change ticket that approved it, e.g. CHG-1042. */
  ticket?: string;
  /** Last day the exception is allowed, YYYY-MM-DD. */
  expires?: string;
}

/** Graph v1.0 policies/identitySecurityDefaultsEnforcementPolicy. One per tenant. */
export interface SecurityDefaultsInputs {
  enabled: boolean;
  /** Why security defaults are off; required by the policy pack when enabled is false. */
  reason?: string;
  /** True when a Conditional Access baseline is declared to replace security defaults. */
  conditionalAccessBaseline?: boolean;
  /** An explicit, owned risk acceptance instead of a Conditional Access baseline. */
  riskAcceptance?: { owner: string; ticket?: string; expires?: string };
  /** Issue 15.5: `mfa.others` when declared (per-user MFA for everyone not listed), for the policy pack. */
  mfaOthers?: OtherUsersMfaState;
}

/** Exchange Set-TransportConfig -SmtpClientAuthenticationDisabled. One per tenant. */
export interface OrganizationSmtpAuthInputs {
  state: OrganizationSmtpAuthState;
}

export interface MailboxSmtpAuthInputs extends ExceptionRecord {
  /** Primary SMTP address, lower case. */
  mailbox: string;
  state: MailboxSmtpAuthState;
}

/**
 * `smtpAuth.others: inherit`: every mailbox not declared by name follows the organisation's setting.
 * One resource per tenant; refresh lists the stray per-mailbox values it finds, update resets them.
 */
export interface OtherMailboxesSmtpAuthInputs {
  /** Mailboxes declared by name (lower case, sorted): they are left alone. */
  declared: string[];
  /** Undeclared mailboxes with a per-mailbox value; the program always declares none. */
  strays: string[];
}

export interface PerUserMfaInputs extends ExceptionRecord {
  /** User principal name, lower case. */
  user: string;
  state: PerUserMfaState;
  /** Entra directory roles the user holds (read from the tenant by the program), for the policy pack. */
  directoryRoles?: string[];
}

/** What `mfa.others` may declare for the users not listed under `mfa.users` (`unmanaged`: no resource). */
export type OtherUsersMfaState = Exclude<PerUserMfaState, "disabled">;

/**
 * `mfa.others: enabled | enforced`: per-user MFA for every user not declared under `mfa.users`.
 * One resource per tenant; refresh lists the users whose MFA falls short (`enabled` is satisfied by
 * `enforced`), update raises them.
 */
export interface OtherUsersMfaInputs {
  state: OtherUsersMfaState;
  /** Users declared by name under mfa.users (lower case, sorted): they are left alone. */
  declared: string[];
  /** Undeclared users whose MFA falls short of `state`; the program always declares none. */
  strays: string[];
}

// ---- Issue 8: OAuth (XOAUTH2) for SMTP, the Exchange side ---------------------------------------

/** Whether the object was there before this stack first declared it; delete removes only what it added. */
export type Presence = "present" | "absent";

/**
 * New-ServicePrincipal -AppId -ObjectId: an Entra app's service principal registered in Exchange
 * Online, so Exchange accepts its app-only tokens. `objectId` is the **enterprise application
 * (service principal)** object id, not the app registration's object id.
 */
export interface ExchangeServicePrincipalInputs {
  /** Application (client) id, a GUID. */
  appId: string;
  /** Object id of the app's service principal in Entra ID (the enterprise application), a GUID. */
  objectId: string;
  /** Display name Exchange shows; defaults to the declared OAuth app's name. */
  displayName?: string;
}

/** Add-MailboxPermission -AccessRights FullAccess -AutoMapping:$false for a service principal. */
export interface MailboxPermissionInputs {
  /** The mailbox the app sends as: primary SMTP address, lower case. */
  mailbox: string;
  /** The trustee: the service principal's object id (as registered with New-ServicePrincipal). */
  user: string;
  /** The app's application (client) id, recorded for reviewers and the doctor. */
  appId: string;
  /** Always ["FullAccess"] for now (the Microsoft OAuth doc's choice). */
  accessRights: string[];
}
