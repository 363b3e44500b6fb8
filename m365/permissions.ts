/**
 * The permission table: which application permission (app role in the token's `roles` claim) each
 * operation needs, per the fact sheet (../shared/reference/m365-api-facts.md §1.2, §2.3, §3.1, §4.3).
 * The sandbox enforces exactly this table, and the project's providers import it to name the
 * permission that is missing when a real tenant answers 403. Dependency-free on purpose.
 */

/** Resource whose token carries the roles: Microsoft Graph or Office 365 Exchange Online. */
export type PermissionResource = "graph" | "exchange";

export interface PermissionRequirement {
  resource: PermissionResource;
  /** Any one of these application permissions is enough; listed least privileged first. */
  anyOf: readonly string[];
  /**
   * Exchange only: the service principal must also hold one of these Entra roles (RBAC for
   * app-only Exchange management). Checked against the app registration's `directoryRoles`.
   */
  adminRoles?: readonly string[];
  /** Where the requirement comes from. */
  source: string;
}

const USER_READ = ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"] as const;
const ROLE_READ = [
  "RoleManagement.Read.Directory",
  "Directory.Read.All",
  "RoleManagement.ReadWrite.Directory",
  "Directory.ReadWrite.All",
] as const;
const EXO_APP = ["Exchange.ManageAsApp"] as const;
const EXO_ADMIN = ["Exchange Administrator", "Global Administrator"] as const;
const EXO_RECIPIENT_WRITE = [
  "Exchange Administrator",
  "Global Administrator",
  "Exchange Recipient Administrator",
] as const;
const EXO_RECIPIENT_READ = [
  ...EXO_RECIPIENT_WRITE,
  "Global Reader",
  "Helpdesk Administrator",
  "Security Reader",
] as const;
const EXO_ORG_READ = [...EXO_ADMIN, "Global Reader", "Security Reader", "Security Administrator"] as const;
const EXO_SOURCE =
  "learn.microsoft.com powershell/exchange/app-only-auth-powershell-v2 (Exchange.ManageAsApp + Entra role)";

/** Every operation the sandbox authorises, keyed by a stable name. */
export const PERMISSIONS = {
  "graph.securityDefaults.read": {
    resource: "graph",
    anyOf: ["Policy.Read.All", "Policy.ReadWrite.SecurityDefaults", "Policy.ReadWrite.ConditionalAccess"],
    source: "Graph v1.0 identitysecuritydefaultsenforcementpolicy-get",
  },
  "graph.securityDefaults.write": {
    resource: "graph",
    // The docs conflict (fidelity review finding 16): the generated table says least Policy.Read.All (a doc
    // bug: a read permission for a PATCH), higher Policy.Read.All and Policy.ReadWrite.ConditionalAccess;
    // the older page lists Policy.ReadWrite.SecurityDefaults too. We request the purpose-made
    // Policy.ReadWrite.SecurityDefaults and accept Policy.ReadWrite.ConditionalAccess, which the
    // current table names; which one Entra really enforces is unverified.
    anyOf: ["Policy.ReadWrite.SecurityDefaults", "Policy.ReadWrite.ConditionalAccess"],
    source:
      "Graph v1.0 identitysecuritydefaultsenforcementpolicy-update (and its generated permissions include); Microsoft365DSC AADSecurityDefaults",
  },
  "graph.users.read": { resource: "graph", anyOf: USER_READ, source: "Graph v1.0 user-list / user-get" },
  "graph.licenseDetails.read": {
    resource: "graph",
    anyOf: ["LicenseAssignment.Read.All", ...USER_READ],
    source: "Graph v1.0 user-list-licensedetails",
  },
  "graph.perUserMfa.read": {
    resource: "graph",
    anyOf: ["Policy.Read.All", "Policy.ReadWrite.AuthenticationMethod"],
    source: "Graph beta authentication-get (authentication-get-3-permissions)",
  },
  "graph.perUserMfa.write": {
    resource: "graph",
    anyOf: ["Policy.ReadWrite.AuthenticationMethod"],
    source: "Graph beta authentication-update (authentication-update-3-permissions)",
  },
  "graph.signIns.read": {
    resource: "graph",
    // Least privileged AuditLog.Read.All, higher Directory.Read.All; older pages asked for both (a since-fixed "known issue").
    anyOf: ["AuditLog.Read.All", "Directory.Read.All"],
    source: "Graph v1.0/beta signin-list; Entra howto-analyze-activity-logs-with-microsoft-graph",
  },
  "graph.conditionalAccess.read": {
    resource: "graph",
    anyOf: ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"],
    source: "Graph v1.0 conditionalaccessroot-list-policies",
  },
  "graph.memberOf.read": {
    resource: "graph",
    anyOf: [...USER_READ, "GroupMember.Read.All", "Group.Read.All"],
    source: "Graph v1.0 user-list-transitivememberof (application: User.Read.All least privileged)",
  },
  "exchange.Get-CASMailbox": {
    resource: "exchange",
    anyOf: EXO_APP,
    adminRoles: EXO_RECIPIENT_READ,
    source: EXO_SOURCE,
  },
  "exchange.Set-CASMailbox": {
    resource: "exchange",
    anyOf: EXO_APP,
    adminRoles: EXO_RECIPIENT_WRITE,
    source: EXO_SOURCE,
  },
  "exchange.Get-TransportConfig": {
    resource: "exchange",
    anyOf: EXO_APP,
    adminRoles: EXO_ORG_READ,
    source: EXO_SOURCE,
  },
  "exchange.Set-TransportConfig": { resource: "exchange", anyOf: EXO_APP, adminRoles: EXO_ADMIN, source: EXO_SOURCE },
  "exchange.Get-OrganizationConfig": {
    resource: "exchange",
    anyOf: EXO_APP,
    adminRoles: EXO_ORG_READ,
    source: EXO_SOURCE,
  },
  "exchange.Set-OrganizationConfig": {
    resource: "exchange",
    anyOf: EXO_APP,
    adminRoles: EXO_ADMIN,
    source: EXO_SOURCE,
  },
  "exchange.Get-AuthenticationPolicy": {
    resource: "exchange",
    anyOf: EXO_APP,
    adminRoles: EXO_ORG_READ,
    source: EXO_SOURCE,
  },
  "exchange.New-AuthenticationPolicy": {
    resource: "exchange",
    anyOf: EXO_APP,
    adminRoles: EXO_ADMIN,
    source: EXO_SOURCE,
  },
  "exchange.Set-AuthenticationPolicy": {
    resource: "exchange",
    anyOf: EXO_APP,
    adminRoles: EXO_ADMIN,
    source: EXO_SOURCE,
  },
  "exchange.Get-User": { resource: "exchange", anyOf: EXO_APP, adminRoles: EXO_RECIPIENT_READ, source: EXO_SOURCE },
  "exchange.Set-User": { resource: "exchange", anyOf: EXO_APP, adminRoles: EXO_RECIPIENT_WRITE, source: EXO_SOURCE },
  "exchange.Get-ServicePrincipal": {
    resource: "exchange",
    anyOf: EXO_APP,
    adminRoles: EXO_ORG_READ,
    source: EXO_SOURCE,
  },
  "exchange.New-ServicePrincipal": { resource: "exchange", anyOf: EXO_APP, adminRoles: EXO_ADMIN, source: EXO_SOURCE },
  "exchange.Remove-ServicePrincipal": {
    resource: "exchange",
    anyOf: EXO_APP,
    adminRoles: EXO_ADMIN,
    source: EXO_SOURCE,
  },
  "exchange.Get-MailboxPermission": {
    resource: "exchange",
    anyOf: EXO_APP,
    adminRoles: EXO_RECIPIENT_READ,
    source: EXO_SOURCE,
  },
  "exchange.Add-MailboxPermission": {
    resource: "exchange",
    anyOf: EXO_APP,
    adminRoles: EXO_RECIPIENT_WRITE,
    source: EXO_SOURCE,
  },
  "exchange.Remove-MailboxPermission": {
    resource: "exchange",
    anyOf: EXO_APP,
    adminRoles: EXO_RECIPIENT_WRITE,
    source: EXO_SOURCE,
  },
} as const satisfies Record<string, PermissionRequirement>;

/** Name of an authorised operation. */
export type OperationName = keyof typeof PERMISSIONS;

/** The outcome of a permission check; `missing` is a human sentence naming what to grant. */
export type PermissionVerdict = { ok: true } | { ok: false; missing: string };

/** True when `name` is an operation in the table. */
export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(PERMISSIONS, name);
}

/**
 * Checks token roles (and, for Exchange, the service principal's Entra roles) against the table.
 * Never throws; an unknown operation is a programming error caught by the type.
 */
export function checkPermission(
  op: OperationName,
  tokenRoles: readonly string[],
  adminRoles: readonly string[] = [],
): PermissionVerdict {
  const req: PermissionRequirement = PERMISSIONS[op];
  if (!req.anyOf.some((r) => tokenRoles.includes(r))) return { ok: false, missing: describeAppPermission(op) };
  if (req.adminRoles && !req.adminRoles.some((r) => adminRoles.includes(r))) {
    return {
      ok: false,
      missing: `one of the Entra roles ${req.adminRoles.join(", ")} assigned to the app's service principal`,
    };
  }
  return { ok: true };
}

/** "Policy.ReadWrite.SecurityDefaults (or Policy.ReadWrite.ConditionalAccess) on Microsoft Graph" — for messages. */
export function describeAppPermission(op: OperationName): string {
  const req: PermissionRequirement = PERMISSIONS[op];
  const [first, ...rest] = req.anyOf;
  const api = req.resource === "graph" ? "Microsoft Graph" : "Office 365 Exchange Online";
  return `the application permission ${first}${rest.length ? ` (or ${rest.join(", ")})` : ""} on ${api}`;
}

/** The least-privileged application permission for an operation (what the project should request). */
export function leastPrivileged(op: OperationName): string {
  return PERMISSIONS[op].anyOf[0];
}

/**
 * Permissions that gate not a request but what its answer shows (Graph returns directory objects an
 * app may not read "with limited information": `@odata.type` and `id` only), and those of operations
 * run by @pulumi/azuread (the OAuth app, the Conditional Access baseline) or by the usage report
 * rather than by the providers. Documented in the README's least-permissions table and checked by
 * the conformance check; the sandbox does not route the azuread and usage operations.
 */
export const OTHER_PERMISSIONS = {
  "graph.groups.read": {
    resource: "graph",
    anyOf: ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"],
    source: "Graph v1.0 group-get; without it transitiveMemberOf returns groups with id and @odata.type only",
  },
  "graph.directoryRoles.read": {
    resource: "graph",
    anyOf: ROLE_READ,
    source: "Graph v1.0 directoryrole-list-members; without it transitiveMemberOf returns roles without roleTemplateId",
  },
  "graph.directoryRoleTemplates.read": {
    resource: "graph",
    anyOf: ROLE_READ,
    source: "Graph v1.0 directoryroletemplate-list (directoryroletemplate-list-permissions)",
  },
  "graph.applications.write": {
    resource: "graph",
    anyOf: ["Application.ReadWrite.All"],
    source: "Graph v1.0 application-post-applications, serviceprincipal-post-serviceprincipals",
  },
  "graph.appRoleAssignments.write": {
    resource: "graph",
    anyOf: ["AppRoleAssignment.ReadWrite.All"],
    source: "Graph v1.0 serviceprincipal-post-approleassignedto",
  },
  "graph.conditionalAccess.write": {
    resource: "graph",
    // Creating a policy also reads it back: Policy.Read.All is granted beside it.
    anyOf: ["Policy.ReadWrite.ConditionalAccess"],
    source: "Graph v1.0 conditionalaccessroot-post-policies",
  },
  "graph.auditLogs.read": {
    resource: "graph",
    anyOf: ["AuditLog.Read.All"],
    source: "Graph v1.0 signin-list (sign-in logs, for the usage report)",
  },
  "exchange.smtpSendAsApp": {
    resource: "exchange",
    anyOf: ["SMTP.SendAsApp"],
    source: "how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth (the device app's token, XOAUTH2)",
  },
} as const satisfies Record<string, PermissionRequirement>;

/** Name of an entry of {@link OTHER_PERMISSIONS}. */
export type OtherPermissionName = keyof typeof OTHER_PERMISSIONS;

/** True when `tokenRoles` hold one of the application permissions an {@link OTHER_PERMISSIONS} entry accepts. */
export function holdsOther(name: OtherPermissionName, tokenRoles: readonly string[]): boolean {
  return (OTHER_PERMISSIONS[name].anyOf as readonly string[]).some((r) => tokenRoles.includes(r));
}
