/**
 * THE live reader of the gates' facts (m365/gates.ts) for one mailbox of a real tenant, used by the
 * program's `effective` output, `doctor explain` / `probe --explain` and every new consumer. What it
 * cannot read stays `"unknown"`, with a note saying why.
 *
 * Rules for the facts the API cannot show directly (chosen once, here, for every consumer):
 * - `basicAuthSmtpRetired`: Microsoft publishes no per-tenant read. Through the end of December 2026
 *   Basic SMTP AUTH is available to every tenant (false); after that the schedule no longer
 *   guarantees it and the fact is unknown until a probe shows it (m365/schedule.ts).
 * - `mfaMethodRegistered`: Graph's authentication/requirements reads `enforced` once an `enabled`
 *   user has registered a method, so a state read as `enabled` means none is registered (false).
 * - `passwordCorrect` and `accountLocked`: the APIs do not reveal them; unknown unless the caller
 *   supplies them (the program judges configuration and takes them as right and unlocked).
 *
 * Failure semantics: a read refused for lack of permission makes the facts it feeds unknown and
 * names the permission. Any other failed read (after the HTTP layer's retries) is thrown when
 * `failures` is "throw" (the doctor: a person should see the real error) and becomes unknown with
 * the error in the note when it is "unknown" (the stack output: one unreadable fact must not abort
 * an apply).
 */
import { UNKNOWN, type Fact, type GateFacts, type GateId, type Mechanism } from "../m365/gates.ts";
import type { ConditionalAccessPolicy } from "../m365/model.ts";
import { hasExchangeLicence } from "../m365/licences.ts";
import { basicAuthSchedule } from "../m365/schedule.ts";
import { PermissionError, type TenantApi } from "./api.ts";
import { findExchangeServicePrincipal, holdsAny, mailboxRights, unlessNotFound } from "./exchange-reads.ts";
import { ApiError } from "./http.ts";

/** What was read besides the facts, for naming policies, principals and fixes. */
export interface TenantContext {
  userId: string | null;
  /** Authentication policies that allow Basic SMTP (candidates for Set-User -AuthenticationPolicy). */
  allowingAuthenticationPolicies: string[];
  /** The app's Exchange service principal, when `appId` was given and it is registered. */
  servicePrincipal: { objectId: string; displayName: string } | null;
  appId: string | null;
}

export interface GatheredFacts {
  facts: GateFacts;
  /** Per gate: why its facts could not be read (the missing permission) or where they came from. */
  notes: Partial<Record<GateId, string>>;
  context: TenantContext;
}

export interface ReadOptions {
  /** What to do with a failed read that is not a missing permission (see the file header). */
  failures?: "throw" | "unknown";
}

export interface MailboxReadOptions extends ReadOptions {
  mechanism: Mechanism;
  /** OAuth: the app whose token would be used with XOAUTH2. */
  appId?: string;
  /** Today, YYYY-MM-DD, for the Basic-auth schedule. */
  today: string;
}

/** The tenant-wide reads every mailbox's verdict shares; read once for many mailboxes. */
export interface TenantWideFacts {
  securityDefaultsEnabled: Fact<boolean>;
  organizationSmtpAuthDisabled: Fact<boolean>;
  conditionalAccessPolicies: Fact<ConditionalAccessPolicy[]>;
  organizationConfig: Fact<Record<string, unknown>>;
  authenticationPolicies: Fact<Record<string, unknown>[]>;
  notes: Partial<Record<GateId, string>>;
}

type Notes = Partial<Record<GateId, string>>;
type PermissionOperation = ConstructorParameters<typeof PermissionError>[0];

/** A reader of one fact that records why it is unknown in `notes`. */
function factReader(notes: Notes, failures: "throw" | "unknown") {
  return async function read<T>(
    gates: GateId[],
    what: string,
    fn: () => Promise<T>,
    operation?: PermissionOperation,
  ): Promise<Fact<T>> {
    try {
      return await fn();
    } catch (caught) {
      // graphList is a raw read: its 403 is turned into the PermissionError of the operation here.
      const err =
        caught instanceof ApiError && caught.status === 403 && operation !== undefined
          ? new PermissionError(operation, caught)
          : caught;
      if (err instanceof PermissionError) {
        for (const g of gates)
          notes[g] = `${what} could not be read: missing permission ${err.permission} (${err.message})`;
        return UNKNOWN;
      }
      if (failures === "unknown") {
        const message = err instanceof Error ? err.message : String(err);
        for (const g of gates) notes[g] = `${what} could not be read: ${message}`;
        return UNKNOWN;
      }
      throw err;
    }
  };
}

/** Reads security defaults, the organisation's SMTP AUTH switch, Conditional Access and authentication policies. */
export async function readTenantWideFacts(api: TenantApi, opts: ReadOptions = {}): Promise<TenantWideFacts> {
  const notes: Notes = {};
  const read = factReader(notes, opts.failures ?? "throw");
  const [
    securityDefaultsEnabled,
    organizationSmtpAuthDisabled,
    caPolicies,
    organizationConfig,
    authenticationPolicies,
  ] = await Promise.all([
    read(["security_defaults_enabled"], "security defaults", () => api.getSecurityDefaults()),
    read(["smtp_auth_disabled_tenant"], "Get-TransportConfig", () => api.getOrganizationSmtpAuthDisabled()),
    read(
      ["conditional_access_block"],
      "Conditional Access policies",
      () => api.graphList("/v1.0/identity/conditionalAccess/policies"),
      "graph.conditionalAccess.read",
    ),
    read(
      ["authentication_policy_blocks_basic_smtp"],
      "Get-OrganizationConfig",
      async () => (await api.invoke("Get-OrganizationConfig", {}))[0] ?? {},
    ),
    read(["authentication_policy_blocks_basic_smtp"], "Get-AuthenticationPolicy", () =>
      api.invoke("Get-AuthenticationPolicy", {}),
    ),
  ]);
  return {
    securityDefaultsEnabled,
    organizationSmtpAuthDisabled,
    conditionalAccessPolicies: caPolicies === UNKNOWN ? UNKNOWN : caPolicies.map((p) => conditionalAccessFromGraph(p)),
    organizationConfig,
    authenticationPolicies,
    notes,
  };
}

/**
 * Reads everything the gates need for `mailbox`, given the tenant-wide reads. Password, lockout and
 * (after December 2026) Basic-auth retirement cannot be read from the tenant's APIs: they stay
 * unknown unless a probe supplies them.
 */
export async function readMailboxFacts(
  api: TenantApi,
  mailbox: string,
  tenant: TenantWideFacts,
  opts: MailboxReadOptions,
): Promise<GatheredFacts> {
  const { mechanism, appId } = opts;
  const notes: Notes = { ...tenant.notes };
  const read = factReader(notes, opts.failures ?? "throw");
  const address = mailbox.trim().toLowerCase();

  const [user, cas] = await Promise.all([
    // By UPN, else by mail / proxy address: Graph keys users by id or UPN only (finding 11).
    read(["mailbox_unlicensed_or_missing", "account_disabled", "conditional_access_block"], "the user (Graph)", () =>
      api.findUser(address),
    ),
    read(
      ["mailbox_unlicensed_or_missing", "smtp_auth_disabled_mailbox", "smtp_auth_disabled_tenant"],
      "Get-CASMailbox",
      () => unlessNotFound(() => api.getCasMailbox(address), null),
    ),
  ]);

  const known = user !== UNKNOWN && user !== null;
  const [licensed, perUserMfa, exchangeUser, memberships] = await Promise.all([
    known
      ? read(
          ["mailbox_unlicensed_or_missing"],
          "licence details",
          async () =>
            hasExchangeLicence(await api.graphList(`/v1.0/users/${encodeURIComponent(user.id)}/licenseDetails`)),
          "graph.licenseDetails.read",
        )
      : Promise.resolve(UNKNOWN as Fact<boolean>),
    known
      ? read(["per_user_mfa"], "per-user MFA", () => api.getPerUserMfa(user.id))
      : Promise.resolve(UNKNOWN as Fact<never>),
    known
      ? read(["authentication_policy_blocks_basic_smtp"], "Get-User", () =>
          unlessNotFound(async () => (await api.invoke("Get-User", { Identity: address }))[0] ?? {}, {}),
        )
      : Promise.resolve(UNKNOWN as Fact<Record<string, unknown>>),
    known && needsMemberships(tenant.conditionalAccessPolicies)
      ? read(
          ["conditional_access_block"],
          "group and role memberships",
          async () =>
            membershipsFrom(await api.graphList(`/v1.0/users/${encodeURIComponent(user.id)}/transitiveMemberOf`)),
          "graph.memberOf.read",
        )
      : Promise.resolve(known ? NO_MEMBERSHIPS : UNKNOWN),
  ]);
  if (memberships !== UNKNOWN && memberships.roleTemplateIds === UNKNOWN)
    notes.conditional_access_block ??=
      "directory roles came back without roleTemplateId: grant RoleManagement.Read.Directory (or Directory.Read.All) to judge role-scoped policies";

  const oauth = mechanism === "oauth" ? await readOAuthFacts(api, address, appId, notes, read) : undefined;

  const mailboxExists: Fact<boolean> =
    user === null || cas === null ? false : user === UNKNOWN || cas === UNKNOWN ? UNKNOWN : true;

  notes.wrong_credentials ??= "the tenant's APIs do not reveal passwords: give --password-env to probe it";
  notes.account_locked ??= "the tenant's APIs do not reveal smart lockout: give --password-env to probe it";
  const available = basicAuthSchedule(opts.today).phase === "available";
  notes.basic_auth_disabled_or_retired ??= available
    ? "the tenant's APIs do not reveal it; judged from Microsoft's schedule (available through December 2026)"
    : "the tenant's APIs do not reveal it and Microsoft's schedule no longer guarantees it: give --password-env to probe it";

  const facts: GateFacts = {
    mechanism,
    userId: known ? user.id : UNKNOWN,
    mailboxExists,
    licensed: user === null ? false : licensed,
    accountEnabled: known ? user.accountEnabled !== false : UNKNOWN,
    passwordCorrect: UNKNOWN,
    accountLocked: UNKNOWN,
    securityDefaultsEnabled: tenant.securityDefaultsEnabled,
    conditionalAccessPolicies: tenant.conditionalAccessPolicies,
    userType: known ? (user.userType ?? "Member") : UNKNOWN,
    memberOfGroups: memberships === UNKNOWN ? UNKNOWN : memberships.groups,
    roleTemplateIds: memberships === UNKNOWN ? UNKNOWN : memberships.roleTemplateIds,
    perUserMfa,
    mfaMethodRegistered: perUserMfa === UNKNOWN ? UNKNOWN : false,
    mailboxSmtpAuthDisabled:
      cas === UNKNOWN || cas === null ? UNKNOWN : cas.state === "inherit" ? null : cas.state === "disabled",
    organizationSmtpAuthDisabled: tenant.organizationSmtpAuthDisabled,
    authenticationPolicy: authenticationPolicyInEffect(
      exchangeUser,
      tenant.organizationConfig,
      tenant.authenticationPolicies,
    ),
    basicAuthSmtpRetired: available ? false : UNKNOWN,
    exchangeServicePrincipalRegistered: oauth?.registered ?? UNKNOWN,
    mailboxPermissionGranted: oauth?.granted ?? UNKNOWN,
  };

  const policies = tenant.authenticationPolicies;
  return {
    facts,
    notes,
    context: {
      userId: known ? user.id : null,
      allowingAuthenticationPolicies:
        policies === UNKNOWN ? [] : policies.filter((p) => p.AllowBasicAuthSmtp === true).map((p) => String(p.Name)),
      servicePrincipal: oauth?.servicePrincipal ?? null,
      appId: appId ?? null,
    },
  };
}

/** {@link readTenantWideFacts} then {@link readMailboxFacts}, for one mailbox. */
export async function gatherFacts(api: TenantApi, mailbox: string, opts: MailboxReadOptions): Promise<GatheredFacts> {
  return readMailboxFacts(api, mailbox, await readTenantWideFacts(api, opts), opts);
}

/** OAuth: the app's service principal in Exchange, and whether it holds FullAccess or SendAs on the mailbox. */
async function readOAuthFacts(
  api: TenantApi,
  address: string,
  appId: string | undefined,
  notes: Notes,
  read: ReturnType<typeof factReader>,
): Promise<{ registered: Fact<boolean>; granted: Fact<boolean>; servicePrincipal: TenantContext["servicePrincipal"] }> {
  if (appId === undefined) {
    notes.oauth_misconfigured_app_or_sp = "no --app-id given: the app's service principal was not looked up";
    notes.send_as_permission = "no --app-id given: mailbox permissions were not looked up";
    return { registered: UNKNOWN, granted: UNKNOWN, servicePrincipal: null };
  }
  const sp = await read(["oauth_misconfigured_app_or_sp", "send_as_permission"], "Get-ServicePrincipal", () =>
    findExchangeServicePrincipal(api, appId),
  );
  if (sp === UNKNOWN) return { registered: UNKNOWN, granted: UNKNOWN, servicePrincipal: null };
  if (sp === undefined) return { registered: false, granted: false, servicePrincipal: null };
  const held = await read(["send_as_permission"], "Get-MailboxPermission", () =>
    unlessNotFound(() => mailboxRights(api, address, sp.trusteeForms), undefined),
  );
  return {
    registered: true,
    granted: held === UNKNOWN ? UNKNOWN : holdsAny(held, ["FullAccess", "SendAs"]),
    servicePrincipal: { objectId: sp.objectId, displayName: sp.displayName },
  };
}

/**
 * The Exchange authentication policy in effect for a user: the one assigned to them (Get-User
 * AuthenticationPolicy), else the organisation's default (Get-OrganizationConfig), else none. Names
 * match case-insensitively, as Exchange identities do.
 */
export function authenticationPolicyInEffect(
  exchangeUser: Fact<Record<string, unknown>>,
  orgConfig: Fact<Record<string, unknown>>,
  policies: Fact<readonly Record<string, unknown>[]>,
): GateFacts["authenticationPolicy"] {
  if (exchangeUser === UNKNOWN || orgConfig === UNKNOWN) return UNKNOWN;
  const name =
    (exchangeUser.AuthenticationPolicy as string | null | undefined) ??
    (orgConfig.DefaultAuthenticationPolicy as string | null | undefined) ??
    null;
  if (name === null) return null;
  if (policies === UNKNOWN) return UNKNOWN;
  const policy = policies.find((p) => typeof p.Name === "string" && p.Name.toLowerCase() === name.toLowerCase());
  return { name, allowBasicAuthSmtp: Boolean(policy?.AllowBasicAuthSmtp) };
}

interface Memberships {
  groups: string[];
  roleTemplateIds: Fact<string[]>;
}
/** When no policy is scoped by group or role, memberships are not read and match nothing. */
const NO_MEMBERSHIPS: Memberships = { groups: [], roleTemplateIds: [] };

/** True when some enabled policy is scoped by groups or roles, so a mailbox's memberships must be read. */
function needsMemberships(policies: Fact<readonly ConditionalAccessPolicy[]>): boolean {
  if (policies === UNKNOWN) return false;
  return policies.some(
    (p) =>
      p.state === "enabled" &&
      [p.includeGroups, p.excludeGroups, p.includeRoles, p.excludeRoles].some((l) => (l ?? []).length > 0),
  );
}

/**
 * Graph users/{id}/transitiveMemberOf → group ids and role template ids. Without permission to read
 * directory roles Graph returns them with `id` and `@odata.type` only: the roles are then unknown.
 */
export function membershipsFrom(rows: readonly Record<string, unknown>[]): Memberships {
  const groups: string[] = [];
  const roles: string[] = [];
  let rolesHidden = false;
  for (const r of rows) {
    const type = r["@odata.type"];
    if (type === "#microsoft.graph.group" && typeof r.id === "string") groups.push(r.id);
    else if (type === "#microsoft.graph.directoryRole") {
      if (typeof r.roleTemplateId === "string") roles.push(r.roleTemplateId);
      else rolesHidden = true;
    }
  }
  return { groups, roleTemplateIds: rolesHidden ? UNKNOWN : roles };
}

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined;

/** Graph conditionalAccessPolicy → the fields the gates read. */
export function conditionalAccessFromGraph(p: Record<string, unknown>): ConditionalAccessPolicy {
  const conditions = (p.conditions ?? {}) as Record<string, Record<string, unknown> | null | undefined> & {
    clientAppTypes?: string[];
  };
  const users = conditions.users ?? {};
  const apps = conditions.applications ?? {};
  const locations = conditions.locations ?? {};
  const platforms = conditions.platforms ?? {};
  const grant = (p.grantControls ?? {}) as { builtInControls?: string[]; authenticationStrength?: unknown };
  const policy: ConditionalAccessPolicy = {
    id: String(p.id),
    displayName: typeof p.displayName === "string" ? p.displayName : "",
    state: p.state as ConditionalAccessPolicy["state"],
    clientAppTypes: conditions.clientAppTypes ?? [],
    includeUsers: strings(users.includeUsers) ?? [],
    excludeUsers: strings(users.excludeUsers) ?? [],
    builtInControls: grant.builtInControls ?? [],
    ...(grant.authenticationStrength ? { requiresAuthenticationStrength: true } : {}),
  };
  const optional = {
    includeGroups: users.includeGroups,
    excludeGroups: users.excludeGroups,
    includeRoles: users.includeRoles,
    excludeRoles: users.excludeRoles,
    includeApplications: apps.includeApplications,
    excludeApplications: apps.excludeApplications,
    includeLocations: locations.includeLocations,
    excludeLocations: locations.excludeLocations,
    includePlatforms: platforms.includePlatforms,
    excludePlatforms: platforms.excludePlatforms,
  } as const;
  for (const [key, value] of Object.entries(optional)) {
    const list = strings(value);
    if (list !== undefined) policy[key as keyof typeof optional] = list;
  }
  // includeGuestsOrExternalUsers (an object naming guest kinds) is read as GuestsOrExternalUsers.
  if (users.includeGuestsOrExternalUsers) policy.includeUsers = [...policy.includeUsers, "GuestsOrExternalUsers"];
  if (users.excludeGuestsOrExternalUsers) policy.excludeUsers = [...policy.excludeUsers, "GuestsOrExternalUsers"];
  return policy;
}
