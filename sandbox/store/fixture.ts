/**
 * Tenant fixtures: YAML files (sandbox/fixtures/*.yaml) in the shape of model.ts's TenantState,
 * with defaults for the fields a user rarely sets and an optional `generate:` block that appends
 * generated users. Errors name the file, line and key; nothing is half-loaded.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { LineCounter, parseDocument, isNode, type Document } from "yaml";
import type {
  AppRegistration,
  AuthenticationPolicy,
  ConditionalAccessPolicy,
  DirectoryGroup,
  ExchangeServicePrincipal,
  FederatedCredential,
  MailboxPermission,
  SignInLogs,
  SignInRecord,
  TenantState,
  TenantUser,
} from "../model.ts";
import { MUTABLE_STATE_KEYS } from "../model.ts";
import { findSku, SKUS } from "./skus.ts";
import { stableGuid } from "./ids.ts";
import { generateUsers } from "./generate.ts";
import { roleTemplateId } from "./directory.ts";

/** Absolute path of a bundled fixture by name, e.g. fixturePath("contoso-failing"). */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}.yaml`, import.meta.url));
}

/** Loads and validates a fixture file. Throws `Error("<file>:<line> [<key>] <problem>")`. */
export function loadFixture(file: string): TenantState {
  return parseFixture(readFileSync(file, "utf8"), file);
}

/** Parses fixture text; `file` is only used in error messages. */
export function parseFixture(text: string, file = "<fixture>"): TenantState {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line ?? 1;
    throw new Error(`${file}:${line} ${e.message}`);
  }
  const v = new Validator(doc, lineCounter, file);
  return v.tenant(doc.toJS() as unknown);
}

type Path = (string | number)[];

const SIGN_IN_KEYS = [
  "daysAgo",
  "time",
  "eventType",
  "userPrincipalName",
  "appId",
  "appDisplayName",
  "clientAppUsed",
  "resourceDisplayName",
  "ipAddress",
  "errorCode",
] as const;

class Validator {
  readonly #doc: Document;
  readonly #lines: LineCounter;
  readonly #file: string;

  constructor(doc: Document, lines: LineCounter, file: string) {
    this.#doc = doc;
    this.#lines = lines;
    this.#file = file;
  }

  fail(path: Path, problem: string): never {
    let line = 1;
    for (let i = path.length; i >= 0; i--) {
      const node = this.#doc.getIn(path.slice(0, i), true);
      if (isNode(node) && node.range) {
        line = this.#lines.linePos(node.range[0]).line;
        break;
      }
    }
    throw new Error(`${this.#file}:${line} [${path.join(".") || "(root)"}] ${problem}`);
  }

  obj(v: unknown, path: Path): Record<string, unknown> {
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.fail(path, "must be a mapping");
    return v as Record<string, unknown>;
  }

  known(o: Record<string, unknown>, path: Path, keys: string[]): void {
    for (const k of Object.keys(o))
      if (!keys.includes(k)) this.fail([...path, k], `unknown key; expected one of ${keys.join(", ")}`);
  }

  str(v: unknown, path: Path): string {
    if (typeof v !== "string" || v === "") this.fail(path, "must be a non-empty string");
    return v;
  }

  bool(v: unknown, path: Path): boolean {
    if (typeof v !== "boolean") this.fail(path, "must be true or false");
    return v;
  }

  strs(v: unknown, path: Path): string[] {
    if (!Array.isArray(v)) this.fail(path, "must be a list of strings");
    return v.map((x, i) => this.str(x, [...path, i]));
  }

  list(v: unknown, path: Path): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(path, "must be a list");
    return v;
  }

  tenant(root: unknown): TenantState {
    const o = this.obj(root, []);
    this.known(o, [], ["tenantId", "domain", ...MUTABLE_STATE_KEYS, "generate"]);
    const tenantId = this.str(o.tenantId, ["tenantId"]);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tenantId))
      this.fail(["tenantId"], "must be a GUID");
    const domain = this.str(o.domain, ["domain"]);
    const users = this.list(o.users, ["users"]).map((u, i) => this.user(u, ["users", i], tenantId));
    if (o.generate !== undefined) {
      const g = this.obj(o.generate, ["generate"]);
      this.known(g, ["generate"], ["users", "seed", "prefix"]);
      const count = g.users;
      if (typeof count !== "number" || !Number.isInteger(count) || count < 0)
        this.fail(["generate", "users"], "must be a whole number");
      const seed = g.seed ?? 1;
      if (typeof seed !== "number") this.fail(["generate", "seed"], "must be a number");
      const prefix = g.prefix === undefined ? undefined : this.str(g.prefix, ["generate", "prefix"]);
      users.push(...generateUsers({ count, seed, tenantId, domain, ...(prefix ? { prefix } : {}) }));
    }
    const seen = new Set<string>();
    users.forEach((u, i) => {
      const k = u.userPrincipalName.toLowerCase();
      if (seen.has(k)) this.fail(["users", i, "userPrincipalName"], `duplicate user '${u.userPrincipalName}'`);
      seen.add(k);
    });
    const groups = this.groups(o.groups, users, tenantId);
    const authenticationPolicies = this.list(o.authenticationPolicies, ["authenticationPolicies"]).map((p, i) =>
      this.authPolicy(p, ["authenticationPolicies", i]),
    );
    const defaultAuthenticationPolicy =
      o.defaultAuthenticationPolicy == null
        ? null
        : this.str(o.defaultAuthenticationPolicy, ["defaultAuthenticationPolicy"]);
    const policyNames = new Set(authenticationPolicies.map((p) => p.name.toLowerCase()));
    if (defaultAuthenticationPolicy && !policyNames.has(defaultAuthenticationPolicy.toLowerCase())) {
      this.fail(["defaultAuthenticationPolicy"], `names no policy in authenticationPolicies`);
    }
    users.forEach((u, i) => {
      if (u.authenticationPolicy && !policyNames.has(u.authenticationPolicy.toLowerCase())) {
        this.fail(["users", i, "authenticationPolicy"], `names no policy in authenticationPolicies`);
      }
    });
    return {
      tenantId,
      domain,
      securityDefaultsEnabled:
        o.securityDefaultsEnabled === undefined
          ? true
          : this.bool(o.securityDefaultsEnabled, ["securityDefaultsEnabled"]),
      organizationSmtpClientAuthenticationDisabled:
        o.organizationSmtpClientAuthenticationDisabled === undefined
          ? true
          : this.bool(o.organizationSmtpClientAuthenticationDisabled, ["organizationSmtpClientAuthenticationDisabled"]),
      defaultAuthenticationPolicy,
      basicAuthSmtpRetired:
        o.basicAuthSmtpRetired === undefined ? false : this.bool(o.basicAuthSmtpRetired, ["basicAuthSmtpRetired"]),
      users,
      authenticationPolicies,
      conditionalAccessPolicies: this.list(o.conditionalAccessPolicies, ["conditionalAccessPolicies"]).map((p, i) =>
        this.caPolicy(p, ["conditionalAccessPolicies", i], tenantId, groups, users),
      ),
      ...(groups.length > 0 ? { groups } : {}),
      apps: this.list(o.apps, ["apps"]).map((a, i) => this.app(a, ["apps", i], tenantId)),
      exchangeServicePrincipals: this.list(o.exchangeServicePrincipals, ["exchangeServicePrincipals"]).map((s, i) =>
        this.sp(s, ["exchangeServicePrincipals", i]),
      ),
      mailboxPermissions: this.list(o.mailboxPermissions, ["mailboxPermissions"]).map((m, i) =>
        this.mailboxPermission(m, ["mailboxPermissions", i]),
      ),
      ...(o.signInLogs === undefined ? {} : { signInLogs: this.signInLogs(o.signInLogs, ["signInLogs"]) }),
    };
  }

  signInLogs(v: unknown, path: Path): SignInLogs {
    const o = this.obj(v, path);
    this.known(o, path, ["premium", "records"]);
    const records = this.list(o.records, [...path, "records"]).map((r, i): SignInRecord => {
      const at = [...path, "records", i];
      const x = this.obj(r, at);
      this.known(x, at, [...SIGN_IN_KEYS]);
      const daysAgo = x.daysAgo;
      if (typeof daysAgo !== "number" || !Number.isInteger(daysAgo) || daysAgo < 0)
        this.fail([...at, "daysAgo"], "must be a whole number of days (0 = today)");
      const time = this.str(x.time, [...at, "time"]);
      if (!/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(time)) this.fail([...at, "time"], "must be HH:MM:SS (UTC)");
      const eventType = x.eventType ?? "interactiveUser";
      if (eventType !== "interactiveUser" && eventType !== "nonInteractiveUser" && eventType !== "servicePrincipal")
        this.fail([...at, "eventType"], "must be interactiveUser, nonInteractiveUser or servicePrincipal");
      const errorCode = x.errorCode ?? 0;
      if (typeof errorCode !== "number" || !Number.isInteger(errorCode))
        this.fail([...at, "errorCode"], "must be a whole number (0 for success)");
      // Defaults describe an SMTP AUTH sign-in: Exchange Online's app and resource, client "Authenticated SMTP".
      const exo = "Office 365 Exchange Online";
      const opt = (k: (typeof SIGN_IN_KEYS)[number], fallback: string) =>
        x[k] === undefined ? fallback : this.str(x[k], [...at, k]);
      return {
        daysAgo,
        time,
        eventType,
        userPrincipalName:
          x.userPrincipalName == null ? null : this.str(x.userPrincipalName, [...at, "userPrincipalName"]),
        appId: opt("appId", "00000002-0000-0ff1-ce00-000000000000"),
        appDisplayName: opt("appDisplayName", exo),
        clientAppUsed: opt("clientAppUsed", eventType === "servicePrincipal" ? "" : "Authenticated SMTP"),
        resourceDisplayName: opt("resourceDisplayName", exo),
        ipAddress: this.str(x.ipAddress, [...at, "ipAddress"]),
        errorCode,
      };
    });
    return { premium: o.premium === undefined ? true : this.bool(o.premium, [...path, "premium"]), records };
  }

  user(v: unknown, path: Path, tenantId: string): TenantUser {
    const o = this.obj(v, path);
    this.known(o, path, [
      "id",
      "userPrincipalName",
      "displayName",
      "mail",
      "accountEnabled",
      "licenses",
      "hasMailbox",
      "directoryRoles",
      "perUserMfa",
      "mfaMethodRegistered",
      "smtpPassword",
      "locked",
      "smtpClientAuthenticationDisabled",
      "authenticationPolicy",
      "userType",
      "planStatus",
    ]);
    const upn = this.str(o.userPrincipalName, [...path, "userPrincipalName"]);
    if (!/^[^@\s]+@[^@\s]+$/.test(upn)) this.fail([...path, "userPrincipalName"], "must look like name@domain");
    const licenses = o.licenses === undefined ? [] : this.strs(o.licenses, [...path, "licenses"]);
    licenses.forEach((l, i) => {
      if (!findSku(l))
        this.fail(
          [...path, "licenses", i],
          `unknown SKU '${l}'; known: ${SKUS.map((s) => s.skuPartNumber).join(", ")}`,
        );
    });
    const mfa = o.perUserMfa ?? "disabled";
    if (mfa !== "disabled" && mfa !== "enabled" && mfa !== "enforced")
      this.fail([...path, "perUserMfa"], "must be disabled, enabled or enforced");
    const smtp = o.smtpClientAuthenticationDisabled;
    if (smtp !== undefined && smtp !== null && typeof smtp !== "boolean")
      this.fail([...path, "smtpClientAuthenticationDisabled"], "must be true, false or null");
    const user: TenantUser = {
      id: o.id === undefined ? stableGuid(tenantId, "user", upn.toLowerCase()) : this.str(o.id, [...path, "id"]),
      userPrincipalName: upn,
      displayName: o.displayName === undefined ? upn.split("@")[0]! : this.str(o.displayName, [...path, "displayName"]),
      mail: o.mail === undefined ? upn : this.str(o.mail, [...path, "mail"]),
      accountEnabled: o.accountEnabled === undefined ? true : this.bool(o.accountEnabled, [...path, "accountEnabled"]),
      licenses,
      hasMailbox:
        o.hasMailbox === undefined
          ? licenses.some((l) => findSku(l)?.exchange)
          : this.bool(o.hasMailbox, [...path, "hasMailbox"]),
      directoryRoles: o.directoryRoles === undefined ? [] : this.strs(o.directoryRoles, [...path, "directoryRoles"]),
      perUserMfa: mfa,
      mfaMethodRegistered:
        o.mfaMethodRegistered === undefined
          ? false
          : this.bool(o.mfaMethodRegistered, [...path, "mfaMethodRegistered"]),
      locked: o.locked === undefined ? false : this.bool(o.locked, [...path, "locked"]),
      smtpClientAuthenticationDisabled: smtp ?? null,
      authenticationPolicy:
        o.authenticationPolicy == null ? null : this.str(o.authenticationPolicy, [...path, "authenticationPolicy"]),
    };
    if (o.userType !== undefined) {
      if (o.userType !== "Member" && o.userType !== "Guest")
        this.fail([...path, "userType"], "must be Member or Guest");
      user.userType = o.userType;
    }
    if (o.planStatus !== undefined) {
      const ps = this.obj(o.planStatus, [...path, "planStatus"]);
      const allowed = ["Disabled", "PendingProvisioning", "PendingInput", "PendingActivation", "Error"] as const;
      for (const [plan, status] of Object.entries(ps))
        if (!(allowed as readonly unknown[]).includes(status))
          this.fail([...path, "planStatus", plan], `must be one of ${allowed.join(", ")}`);
      user.planStatus = ps as NonNullable<TenantUser["planStatus"]>;
    }
    if (o.smtpPassword !== undefined) user.smtpPassword = this.str(o.smtpPassword, [...path, "smtpPassword"]);
    return user;
  }

  authPolicy(v: unknown, path: Path): AuthenticationPolicy {
    const o = this.obj(v, path);
    this.known(o, path, ["name", "allowBasicAuthSmtp"]);
    return {
      name: this.str(o.name, [...path, "name"]),
      allowBasicAuthSmtp:
        o.allowBasicAuthSmtp === undefined ? false : this.bool(o.allowBasicAuthSmtp, [...path, "allowBasicAuthSmtp"]),
    };
  }

  caPolicy(
    v: unknown,
    path: Path,
    tenantId: string,
    groups: DirectoryGroup[],
    users: TenantUser[],
  ): ConditionalAccessPolicy {
    const o = this.obj(v, path);
    const lists = [
      "includeGroups",
      "excludeGroups",
      "includeRoles",
      "excludeRoles",
      "includeApplications",
      "excludeApplications",
      "includeLocations",
      "excludeLocations",
      "includePlatforms",
      "excludePlatforms",
    ] as const;
    this.known(o, path, [
      "id",
      "displayName",
      "state",
      "clientAppTypes",
      "includeUsers",
      "excludeUsers",
      "builtInControls",
      ...lists,
    ]);
    const displayName = this.str(o.displayName, [...path, "displayName"]);
    const state = o.state ?? "enabled";
    if (state !== "enabled" && state !== "disabled" && state !== "enabledForReportingButNotEnforced") {
      this.fail([...path, "state"], "must be enabled, disabled or enabledForReportingButNotEnforced");
    }
    const byId = (x: string) => users.find((u) => u.userPrincipalName.toLowerCase() === x.toLowerCase())?.id ?? x;
    const policy: ConditionalAccessPolicy = {
      id: o.id === undefined ? stableGuid(tenantId, "ca", displayName) : this.str(o.id, [...path, "id"]),
      displayName,
      state,
      clientAppTypes:
        o.clientAppTypes === undefined
          ? ["exchangeActiveSync", "other"]
          : this.strs(o.clientAppTypes, [...path, "clientAppTypes"]),
      // Users may be written by UPN; the policy holds object ids, as Graph does.
      includeUsers:
        o.includeUsers === undefined ? ["All"] : this.strs(o.includeUsers, [...path, "includeUsers"]).map(byId),
      excludeUsers: o.excludeUsers === undefined ? [] : this.strs(o.excludeUsers, [...path, "excludeUsers"]).map(byId),
      builtInControls:
        o.builtInControls === undefined ? ["block"] : this.strs(o.builtInControls, [...path, "builtInControls"]),
    };
    for (const key of lists) {
      if (o[key] === undefined) continue;
      // Groups and roles may be written by display name; the policy holds ids, as Graph does.
      policy[key] = this.strs(o[key], [...path, key]).map((x, i) => {
        if (key.endsWith("Groups")) {
          const g = groups.find((g) => g.id === x || g.displayName.toLowerCase() === x.toLowerCase());
          return g ? g.id : this.fail([...path, key, i], `names no group in groups`);
        }
        if (key.endsWith("Roles")) return roleTemplateId(x) ?? this.fail([...path, key, i], "unknown directory role");
        return x;
      });
    }
    return policy;
  }

  /** Groups; members are user UPNs or ids, or the display names of other groups. */
  groups(v: unknown, users: TenantUser[], tenantId: string): DirectoryGroup[] {
    const raw = this.list(v, ["groups"]).map((g, i) => {
      const path = ["groups", i];
      const o = this.obj(g, path);
      this.known(o, path, ["id", "displayName", "members"]);
      const displayName = this.str(o.displayName, [...path, "displayName"]);
      const id = o.id === undefined ? stableGuid(tenantId, "group", displayName) : this.str(o.id, [...path, "id"]);
      return { id, displayName, members: o.members === undefined ? [] : this.strs(o.members, [...path, "members"]) };
    });
    return raw.map((g, i) => ({
      ...g,
      members: g.members.map((m, j) => {
        const key = m.toLowerCase();
        const u = users.find((u) => u.id === key || u.userPrincipalName.toLowerCase() === key);
        const nested = raw.find((x) => x.displayName.toLowerCase() === key || x.id === key);
        return u?.id ?? nested?.id ?? this.fail(["groups", i, "members", j], "names no user or group");
      }),
    }));
  }

  app(v: unknown, path: Path, tenantId: string): AppRegistration {
    const o = this.obj(v, path);
    this.known(o, path, [
      "appId",
      "displayName",
      "servicePrincipalId",
      "secrets",
      "certificates",
      "roles",
      "directoryRoles",
      "federatedCredentials",
    ]);
    const appId = this.str(o.appId, [...path, "appId"]);
    const roles = o.roles === undefined ? {} : this.obj(o.roles, [...path, "roles"]);
    this.known(roles, [...path, "roles"], ["graph", "exchange"]);
    const app: AppRegistration = {
      appId,
      displayName: o.displayName === undefined ? appId : this.str(o.displayName, [...path, "displayName"]),
      servicePrincipalId:
        o.servicePrincipalId === undefined
          ? stableGuid(tenantId, "sp", appId)
          : this.str(o.servicePrincipalId, [...path, "servicePrincipalId"]),
      secrets: o.secrets === undefined ? [] : this.strs(o.secrets, [...path, "secrets"]),
      certificates: o.certificates === undefined ? [] : this.strs(o.certificates, [...path, "certificates"]),
      roles: {
        graph: roles.graph === undefined ? [] : this.strs(roles.graph, [...path, "roles", "graph"]),
        exchange: roles.exchange === undefined ? [] : this.strs(roles.exchange, [...path, "roles", "exchange"]),
      },
      directoryRoles: o.directoryRoles === undefined ? [] : this.strs(o.directoryRoles, [...path, "directoryRoles"]),
    };
    if (o.federatedCredentials !== undefined) {
      app.federatedCredentials = this.list(o.federatedCredentials, [...path, "federatedCredentials"]).map((f, i) =>
        this.federated(f, [...path, "federatedCredentials", i]),
      );
    }
    return app;
  }

  federated(v: unknown, path: Path): FederatedCredential {
    const o = this.obj(v, path);
    this.known(o, path, ["issuer", "subject", "audiences", "publicKeyPem"]);
    const f: FederatedCredential = {
      issuer: this.str(o.issuer, [...path, "issuer"]),
      subject: this.str(o.subject, [...path, "subject"]),
      audiences:
        o.audiences === undefined ? ["api://AzureADTokenExchange"] : this.strs(o.audiences, [...path, "audiences"]),
    };
    if (o.publicKeyPem !== undefined) f.publicKeyPem = this.str(o.publicKeyPem, [...path, "publicKeyPem"]);
    return f;
  }

  sp(v: unknown, path: Path): ExchangeServicePrincipal {
    const o = this.obj(v, path);
    this.known(o, path, ["appId", "objectId", "displayName"]);
    const appId = this.str(o.appId, [...path, "appId"]);
    return {
      appId,
      objectId: this.str(o.objectId, [...path, "objectId"]),
      displayName: o.displayName === undefined ? appId : this.str(o.displayName, [...path, "displayName"]),
    };
  }

  mailboxPermission(v: unknown, path: Path): MailboxPermission {
    const o = this.obj(v, path);
    this.known(o, path, ["mailbox", "user", "accessRights"]);
    return {
      mailbox: this.str(o.mailbox, [...path, "mailbox"]),
      user: this.str(o.user, [...path, "user"]),
      accessRights:
        o.accessRights === undefined ? ["FullAccess"] : this.strs(o.accessRights, [...path, "accessRights"]),
    };
  }
}
