/**
 * @internal Test fixture (gates and SMTP outcome matrix), not part of the sandbox runtime.
 * A small sandbox tenant for the gate and SMTP tests: one healthy basic-auth mailbox, an OAuth app
 * fully set up for it, and helpers to break exactly one thing at a time.
 */
import type { TenantState, TenantUser } from "../model.ts";

export const TENANT_ID = "11111111-2222-3333-4444-555555555555";
export const SCANNER = "scanner@contoso.com";
export const SCANNER_ID = "aaaaaaaa-0000-0000-0000-000000000001";
export const OTHER = "reception@contoso.com";
export const OTHER_ID = "aaaaaaaa-0000-0000-0000-000000000002";
export const PASSWORD = "Correct-Horse-1";
export const APP_ID = "bbbbbbbb-0000-0000-0000-00000000a001";
export const SP_OBJECT_ID = "cccccccc-0000-0000-0000-00000000c001";

function user(over: Partial<TenantUser> & Pick<TenantUser, "id" | "userPrincipalName">): TenantUser {
  return {
    displayName: over.userPrincipalName,
    mail: over.userPrincipalName,
    accountEnabled: true,
    licenses: ["O365_BUSINESS_PREMIUM"],
    hasMailbox: true,
    directoryRoles: [],
    perUserMfa: "disabled",
    mfaMethodRegistered: false,
    smtpPassword: PASSWORD,
    locked: false,
    smtpClientAuthenticationDisabled: false,
    authenticationPolicy: null,
    ...over,
  };
}

/** Every gate passes for SCANNER, with basic and with OAuth (APP_ID). */
export function healthyTenant(): TenantState {
  return {
    tenantId: TENANT_ID,
    domain: "contoso.com",
    securityDefaultsEnabled: false,
    organizationSmtpClientAuthenticationDisabled: true,
    defaultAuthenticationPolicy: null,
    basicAuthSmtpRetired: false,
    users: [
      user({ id: SCANNER_ID, userPrincipalName: SCANNER }),
      user({ id: OTHER_ID, userPrincipalName: OTHER, smtpClientAuthenticationDisabled: null }),
    ],
    authenticationPolicies: [
      { name: "Block Basic SMTP", allowBasicAuthSmtp: false },
      { name: "Allow Basic SMTP", allowBasicAuthSmtp: true },
    ],
    conditionalAccessPolicies: [
      {
        id: "ca-report-only",
        displayName: "Block legacy auth (report-only)",
        state: "enabledForReportingButNotEnforced",
        clientAppTypes: ["exchangeActiveSync", "other"],
        includeUsers: ["All"],
        excludeUsers: [],
        builtInControls: ["block"],
      },
    ],
    apps: [
      {
        appId: APP_ID,
        displayName: "Scanner mailer",
        servicePrincipalId: SP_OBJECT_ID,
        secrets: [],
        certificates: [],
        roles: { graph: [], exchange: ["SMTP.SendAsApp"] },
      },
    ],
    exchangeServicePrincipals: [{ appId: APP_ID, objectId: SP_OBJECT_ID, displayName: "Scanner mailer" }],
    mailboxPermissions: [{ mailbox: SCANNER, user: SP_OBJECT_ID, accessRights: ["FullAccess"] }],
  };
}

/** Returns a healthy tenant after `mutate` has broken it. */
export function tenantWith(mutate: (t: TenantState, scanner: TenantUser) => void): TenantState {
  const t = healthyTenant();
  const scanner = t.users.find((u) => u.id === SCANNER_ID);
  if (!scanner) throw new Error("fixture lost its scanner");
  mutate(t, scanner);
  return t;
}
