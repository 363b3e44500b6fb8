/**
 * The Entra ID side of the secure alternatives (issue 8), declared with @pulumi/azuread:
 *
 * - for each `oauth.apps.<name>` with `create: true`: an app registration that requests the
 *   application permission SMTP.SendAsApp on Office 365 Exchange Online, its service principal, the
 *   admin consent (an app role assignment), and a credential (a client secret whose value is a
 *   Pulumi secret output, or a public certificate);
 * - `conditionalAccessBaseline`: three Conditional Access policies that replace security defaults.
 *
 * Only real-provider resources live here, never a dynamic one, so unit tests can run this module
 * under `pulumi.runtime.setMocks` (test/azuread/). index.ts imports it only when tenant.yaml
 * declares one of the two sections, because the azuread provider plugin must then be installed
 * (docs/oauth.md, "Running the azuread parts").
 *
 * GUIDs are never hard-coded: the SMTP.SendAsApp role id is read from the Exchange Online service
 * principal's appRoleIds, and admin role template ids from the tenant's directory role templates.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type {
  ConditionalAccessBaselineDeclaration,
  CreatedOAuthApp,
  ConditionalAccessBaselineState,
} from "../desired/tenant-yaml.ts";

/** The application id of "Office 365 Exchange Online", the resource that owns SMTP.SendAsApp (fact sheet §6). */
export const EXCHANGE_ONLINE_APP_ID = "00000002-0000-0ff1-ce00-000000000000";
/** The application permission app-only SMTP needs. */
export const SMTP_SEND_AS_APP = "SMTP.SendAsApp";

/** tenant.yaml's `state` → Graph's conditionalAccessPolicy state. */
export const CONDITIONAL_ACCESS_STATE: Record<ConditionalAccessBaselineState, string> = {
  reportOnly: "enabledForReportingButNotEnforced",
  on: "enabled",
};

/**
 * The directory roles "require MFA for administrators" covers, by display name: the roles of
 * Microsoft's Conditional Access template "Require multifactor authentication for admins".
 * Their template ids are looked up in the tenant (getDirectoryRoleTemplates), not written here.
 */
export const ADMIN_ROLES = [
  "Global Administrator",
  "Application Administrator",
  "Authentication Administrator",
  "Billing Administrator",
  "Cloud Application Administrator",
  "Conditional Access Administrator",
  "Exchange Administrator",
  "Helpdesk Administrator",
  "Password Administrator",
  "Privileged Authentication Administrator",
  "Privileged Role Administrator",
  "Security Administrator",
  "SharePoint Administrator",
  "User Administrator",
] as const;

/** The Entra objects of one created OAuth app, as the Exchange-side resources need them. */
export interface CreatedOAuthAppOutputs {
  name: string;
  mailbox: string;
  /** Application (client) id. */
  appId: pulumi.Output<string>;
  /** The enterprise application's (service principal's) object id: what New-ServicePrincipal wants. */
  servicePrincipalObjectId: pulumi.Output<string>;
  /** The client secret, a Pulumi secret output; undefined for a certificate credential. */
  clientSecret?: pulumi.Output<string>;
  /** Every resource declared for the app, in declaration order. */
  resources: pulumi.CustomResource[];
}

/** The Exchange Online service principal (read, never managed) and the SMTP.SendAsApp role id it publishes. */
export function exchangeOnline(): { objectId: pulumi.Output<string>; smtpSendAsAppRoleId: pulumi.Output<string> } {
  const sp = azuread.getServicePrincipalOutput({ clientId: EXCHANGE_ONLINE_APP_ID });
  return {
    objectId: sp.objectId,
    smtpSendAsAppRoleId: sp.appRoleIds.apply(smtpSendAsAppRoleId),
  };
}

/** The SMTP.SendAsApp role id from the Exchange Online service principal's appRoleIds; throws when absent. */
export function smtpSendAsAppRoleId(appRoleIds: Record<string, string>): string {
  const id = appRoleIds[SMTP_SEND_AS_APP];
  if (!id) {
    throw new Error(
      `the Office 365 Exchange Online service principal publishes no app role ${SMTP_SEND_AS_APP}; cannot grant app-only SMTP`,
    );
  }
  return id;
}

/** Template ids of ADMIN_ROLES, in that order, from the tenant's role templates; throws on a missing one. */
export function adminRoleTemplateIdsFrom(templates: { displayName: string; objectId: string }[]): string[] {
  return ADMIN_ROLES.map((name) => {
    const t = templates.find((x) => x.displayName === name);
    if (!t) throw new Error(`the tenant has no directory role template named ${name}`);
    return t.objectId;
  });
}

const END_OF_DAY = (date: string) => `${date}T23:59:59Z`;

/**
 * Declares one `create: true` app: registration, service principal, admin consent for
 * SMTP.SendAsApp, and its credential. Resource names are `oauth-<kind>-<name>`.
 */
export function declareOAuthApp(app: CreatedOAuthApp, exo = exchangeOnline()): CreatedOAuthAppOutputs {
  const application = new azuread.Application(`oauth-app-${app.name}`, {
    displayName: app.displayName ?? `m365-smtp-auth ${app.name}`,
    signInAudience: "AzureADMyOrg",
    notes: `Sends as ${app.mailbox} over SMTP with OAuth (XOAUTH2, client credentials). Managed by m365-smtp-auth.`,
    requiredResourceAccesses: [
      {
        resourceAppId: EXCHANGE_ONLINE_APP_ID,
        resourceAccesses: [{ id: exo.smtpSendAsAppRoleId, type: "Role" }],
      },
    ],
  });
  const servicePrincipal = new azuread.ServicePrincipal(`oauth-sp-${app.name}`, {
    clientId: application.clientId,
    appRoleAssignmentRequired: false,
  });
  // Admin consent for an application permission is this app role assignment.
  const consent = new azuread.AppRoleAssignment(`oauth-consent-${app.name}`, {
    appRoleId: exo.smtpSendAsAppRoleId,
    principalObjectId: servicePrincipal.objectId,
    resourceObjectId: exo.objectId,
  });

  const out: CreatedOAuthAppOutputs = {
    name: app.name,
    mailbox: app.mailbox,
    appId: application.clientId,
    servicePrincipalObjectId: servicePrincipal.objectId,
    resources: [application, servicePrincipal, consent],
  };
  const credential = app.credential;
  if (credential.type === "password") {
    const password = new azuread.ApplicationPassword(`oauth-password-${app.name}`, {
      applicationId: application.id,
      displayName: "m365-smtp-auth XOAUTH2",
      ...(credential.expires ? { endDate: END_OF_DAY(credential.expires) } : {}),
    });
    out.clientSecret = pulumi.secret(password.value);
    out.resources.push(password);
  } else {
    const certificate = new azuread.ApplicationCertificate(`oauth-certificate-${app.name}`, {
      applicationId: application.id,
      type: "AsymmetricX509Cert",
      encoding: "pem",
      value: credential.pem,
      ...(credential.expires ? { endDate: END_OF_DAY(credential.expires) } : {}),
    });
    out.resources.push(certificate);
  }
  return out;
}

/** Declares every created app, sharing one read of the Exchange Online service principal. */
export function declareOAuthApps(apps: CreatedOAuthApp[]): CreatedOAuthAppOutputs[] {
  if (apps.length === 0) return [];
  const exo = exchangeOnline();
  return apps.map((app) => declareOAuthApp(app, exo));
}

/** Object ids of users by user principal name (one getUsers read; an unknown name fails the run). */
function userIds(upns: string[]): pulumi.Output<string[]> {
  if (upns.length === 0) return pulumi.output([]);
  return azuread.getUsersOutput({ userPrincipalNames: upns }).objectIds;
}

/** Object ids of users by mail address (mailboxes are declared by address, which may differ from the UPN). */
function mailboxUserIds(mails: string[]): pulumi.Output<string[]> {
  if (mails.length === 0) return pulumi.output([]);
  return azuread.getUsersOutput({ mails }).objectIds;
}

/**
 * Template ids of ADMIN_ROLES from the tenant's directory role templates; a missing one fails the run.
 * Listing directoryRoleTemplates needs RoleManagement.Read.Directory (or Directory.Read.All): without
 * it this read fails with 403 (m365/permissions.ts OTHER_PERMISSIONS, fidelity review finding 5).
 */
function adminRoleTemplateIds(): pulumi.Output<string[]> {
  return azuread.getDirectoryRoleTemplatesOutput().roleTemplates.apply(adminRoleTemplateIdsFrom);
}

const concat = (...lists: pulumi.Output<string[]>[]) => pulumi.all(lists).apply((l) => [...new Set(l.flat())]);

/**
 * Declares the baseline:
 * 1. block legacy authentication (clientAppTypes exchangeActiveSync and other) for all users except
 *    the SMTP AUTH exception mailboxes' users and break-glass;
 * 2. require MFA for the admin roles, except break-glass;
 * 3. require MFA for all users except the declared service accounts, the SMTP AUTH exception
 *    mailboxes' users (a device that signs in with a password cannot answer an MFA prompt, so the
 *    baseline must not undo the exception declared next to it) and break-glass.
 *
 * `smtpAuthExceptionMailboxes` are the mailboxes declared `enabled` under smtpAuth.mailboxes.
 */
export function declareConditionalAccessBaseline(
  baseline: ConditionalAccessBaselineDeclaration,
  smtpAuthExceptionMailboxes: string[],
): azuread.ConditionalAccessPolicy[] {
  const state = CONDITIONAL_ACCESS_STATE[baseline.state];
  const breakGlass = userIds(baseline.breakGlass);
  const devices = mailboxUserIds(smtpAuthExceptionMailboxes);
  const serviceAccounts = userIds(baseline.serviceAccounts);
  const allApps = { includedApplications: ["All"] };

  const blockLegacy = new azuread.ConditionalAccessPolicy("ca-block-legacy-authentication", {
    displayName: "m365-smtp-auth: block legacy authentication",
    state,
    conditions: {
      clientAppTypes: ["exchangeActiveSync", "other"],
      applications: allApps,
      users: { includedUsers: ["All"], excludedUsers: concat(devices, breakGlass) },
    },
    grantControls: { operator: "OR", builtInControls: ["block"] },
  });
  const mfaAdmins = new azuread.ConditionalAccessPolicy("ca-require-mfa-admins", {
    displayName: "m365-smtp-auth: require MFA for administrators",
    state,
    conditions: {
      clientAppTypes: ["all"],
      applications: allApps,
      users: { includedRoles: adminRoleTemplateIds(), excludedUsers: breakGlass },
    },
    grantControls: { operator: "OR", builtInControls: ["mfa"] },
  });
  const mfaAll = new azuread.ConditionalAccessPolicy("ca-require-mfa-all-users", {
    displayName: "m365-smtp-auth: require MFA for all users",
    state,
    conditions: {
      clientAppTypes: ["all"],
      applications: allApps,
      users: { includedUsers: ["All"], excludedUsers: concat(serviceAccounts, devices, breakGlass) },
    },
    grantControls: { operator: "OR", builtInControls: ["mfa"] },
  });
  return [blockLegacy, mfaAdmins, mfaAll];
}
