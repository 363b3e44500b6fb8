/**
 * Exchange cmdlet handlers for InvokeCommand: one function per cmdlet against the store, with a
 * declared parameter list (PowerShell binding is case-insensitive). Output objects carry the
 * properties the project reads, named as Exchange names them.
 */
import type { ExchangeServicePrincipal, TenantUser } from "../model.ts";
import type { HandlerContext } from "../protocol/context.ts";
import type { TenantStore } from "../store/store.ts";
import { ExchangeErrors } from "../errors/exchange.ts";
import {
  matchesOpath,
  OpathNotFilterable,
  OpathSyntax,
  OpathUnsupported,
  parseOpath,
  type OpathValue,
} from "./filter.ts";
import { alias, authPolicy, casMailbox, exoUser, permissionRow, servicePrincipal } from "./objects.ts";

export type ParamType = "string" | "nullableString" | "bool" | "nullableBool" | "resultSize" | "stringList" | "switch";

/** What a cmdlet returns before paging: output objects and PowerShell warnings. */
export interface CmdletOutput {
  value: Record<string, unknown>[];
  warnings?: string[];
}

export interface CmdletDefinition {
  name: string;
  /** Parameters the sandbox models, by canonical name. */
  params: Record<string, ParamType>;
  /** Accepted aliases (e.g. New-ServicePrincipal -ServiceId for -ObjectId). */
  aliases?: Record<string, string>;
  /** Real parameters accepted and ignored (e.g. Confirm). */
  ignored?: string[];
  required?: string[];
  /** Get-* cmdlets page; others do not. */
  kind: "get" | "set";
  run(ctx: HandlerContext, p: Record<string, unknown>): CmdletOutput;
}

const MORE_RESULTS =
  "There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.";
const DEFAULT_RESULT_SIZE_WARNING =
  'By default, only the first 1000 items are returned. Use the ResultSize parameter to specify the number of items returned. To return all items, specify "-ResultSize Unlimited". Be aware that, depending upon the actual number of items, returning all items can take a long time and consume a large amount of memory. Also, we don\'t recommend storing the results in a variable. Instead, pipe the results to another command or script to perform batch operations.';

const NOT_MODIFIED = (identity: string) =>
  `The command completed successfully but no settings of '${identity}' have been modified.`;

// ---- identity resolution --------------------------------------------------------------------------

/** A user only for listing the properties of output objects. */
const PROBE_USER: TenantUser = {
  id: "00000000-0000-0000-0000-000000000000",
  userPrincipalName: "probe@probe",
  displayName: "",
  mail: "probe@probe",
  accountEnabled: true,
  licenses: [],
  hasMailbox: true,
  directoryRoles: [],
  perUserMfa: "disabled",
  mfaMethodRegistered: false,
  locked: false,
  smtpClientAuthenticationDisabled: null,
  authenticationPolicy: null,
};

/** Resolves a recipient identity (UPN, primary SMTP, object id, alias or display name). */
function findRecipient(store: TenantStore, identity: string, mailboxOnly: boolean): TenantUser | undefined {
  const byKey = store.findUser(identity);
  const key = identity.toLowerCase();
  const u =
    byKey ??
    store.users().find((x) => alias(x).toLowerCase() === key) ??
    store.users().find((x) => x.displayName.toLowerCase() === key);
  if (!u) return undefined;
  if (mailboxOnly && !u.hasMailbox) return undefined;
  return u;
}

function mailbox(store: TenantStore, identity: string): TenantUser {
  const u = findRecipient(store, identity, true);
  if (!u) throw ExchangeErrors.objectNotFound(identity);
  return u;
}

function findServicePrincipal(store: TenantStore, identity: string): ExchangeServicePrincipal | undefined {
  const key = identity.toLowerCase();
  return store
    .read()
    .exchangeServicePrincipals.find(
      (s) => s.objectId.toLowerCase() === key || s.appId.toLowerCase() === key || s.displayName.toLowerCase() === key,
    );
}

function applyResultSize(items: Record<string, unknown>[], p: Record<string, unknown>): CmdletOutput {
  const rs = p.ResultSize as number | "Unlimited" | undefined;
  const limit = rs === undefined ? 1000 : rs === "Unlimited" ? Infinity : rs;
  if (items.length <= limit) return { value: items };
  return { value: items.slice(0, limit), warnings: [rs === undefined ? DEFAULT_RESULT_SIZE_WARNING : MORE_RESULTS] };
}

/**
 * Parses -Filter against the cmdlet's filterable properties. A property the output has but Microsoft
 * does not list as filterable (filter-properties.md; e.g. SmtpClientAuthenticationDisabled) is
 * refused as Exchange refuses it, whatever the mode.
 */
function filterFor(
  ctx: HandlerContext,
  p: Record<string, unknown>,
  filterable: readonly string[],
  outputProperties: readonly string[],
) {
  const f = p.Filter as string | undefined;
  if (f === undefined) return null;
  try {
    return parseOpath(f, filterable);
  } catch (e) {
    if (e instanceof OpathNotFilterable && outputProperties.some((o) => o.toLowerCase() === e.property.toLowerCase()))
      throw ExchangeErrors.notFilterable(e.property, filterable);
    if (e instanceof OpathUnsupported) {
      if (ctx.loose) throw ExchangeErrors.invalidFilter(f);
      throw ExchangeErrors.notImplemented(`${e.message} (Get-CASMailbox/Get-User -Filter)`);
    }
    if (e instanceof OpathSyntax) throw ExchangeErrors.invalidFilter(f);
    throw e;
  }
}

// ---- the cmdlets -----------------------------------------------------------------------------------

/**
 * Get-CASMailbox -Filter properties: those Microsoft lists as confirmed to work with -Filter
 * (office-docs-powershell exchange/docs-conceptual/filter-properties.md). SmtpClientAuthenticationDisabled
 * is not among them (fidelity review finding 1).
 */
const CAS_FILTERABLE = ["PrimarySmtpAddress", "Name", "ExternalDirectoryObjectId"] as const;
const CAS_PROPERTIES = Object.keys(casMailbox(PROBE_USER, null)).filter((k) => !k.includes("@"));
const USER_PROPERTIES = Object.keys(exoUser(PROBE_USER));

export const CMDLETS: readonly CmdletDefinition[] = [
  {
    name: "Get-CASMailbox",
    kind: "get",
    params: { Identity: "string", ResultSize: "resultSize", Filter: "string" },
    run(ctx, p) {
      // What the answering replica holds: the value from before a recent write, while lag is on.
      const row = (u: TenantUser) =>
        casMailbox(u, ctx.exchange.lag.read(`cas:${u.id}`, u.smtpClientAuthenticationDisabled));
      if (p.Identity !== undefined) return { value: [row(mailbox(ctx.store, p.Identity as string))] };
      const clauses = filterFor(ctx, p, CAS_FILTERABLE, CAS_PROPERTIES);
      let rows = ctx.store
        .users()
        .filter((u) => u.hasMailbox)
        .map(row);
      if (clauses) rows = rows.filter((r) => matchesOpath(clauses, (prop) => r[prop] as OpathValue));
      return applyResultSize(rows, p);
    },
  },
  {
    name: "Set-CASMailbox",
    kind: "set",
    params: { Identity: "string", SmtpClientAuthenticationDisabled: "nullableBool" },
    required: ["Identity"],
    run(ctx, p) {
      const u = mailbox(ctx.store, p.Identity as string);
      if (
        !("SmtpClientAuthenticationDisabled" in p) ||
        p.SmtpClientAuthenticationDisabled === u.smtpClientAuthenticationDisabled
      ) {
        return { value: [], warnings: [NOT_MODIFIED(p.Identity as string)] };
      }
      ctx.exchange.lag.wrote(`cas:${u.id}`, u.smtpClientAuthenticationDisabled);
      ctx.store.updateUser(u.id, {
        smtpClientAuthenticationDisabled: p.SmtpClientAuthenticationDisabled as boolean | null,
      });
      return { value: [] };
    },
  },
  {
    name: "Get-TransportConfig",
    kind: "get",
    params: {},
    run(ctx) {
      const s = ctx.store.read();
      return {
        value: [
          {
            Identity: "Transport Settings",
            Name: "Transport Settings",
            SmtpClientAuthenticationDisabled: ctx.exchange.lag.read(
              "transport",
              s.organizationSmtpClientAuthenticationDisabled,
            ),
            AllowLegacyTLSClients: false,
          },
        ],
      };
    },
  },
  {
    name: "Set-TransportConfig",
    kind: "set",
    params: { SmtpClientAuthenticationDisabled: "bool" },
    run(ctx, p) {
      const v = p.SmtpClientAuthenticationDisabled as boolean | undefined;
      if (v === undefined || v === ctx.store.read().organizationSmtpClientAuthenticationDisabled)
        return { value: [], warnings: [NOT_MODIFIED("Transport Settings")] };
      ctx.exchange.lag.wrote("transport", ctx.store.read().organizationSmtpClientAuthenticationDisabled);
      ctx.store.setOrganizationSmtpAuthDisabled(v);
      return { value: [] };
    },
  },
  {
    name: "Get-OrganizationConfig",
    kind: "get",
    params: {},
    run(ctx) {
      const s = ctx.store.read();
      const name = `${s.domain.split(".")[0]}.onmicrosoft.com`;
      return {
        value: [
          {
            Identity: name,
            Name: name,
            DefaultAuthenticationPolicy: s.defaultAuthenticationPolicy,
            OAuth2ClientProfileEnabled: true,
          },
        ],
      };
    },
  },
  {
    name: "Set-OrganizationConfig",
    kind: "set",
    params: { DefaultAuthenticationPolicy: "nullableString" },
    run(ctx, p) {
      if (!("DefaultAuthenticationPolicy" in p)) return { value: [], warnings: [NOT_MODIFIED(ctx.store.domain)] };
      const name = p.DefaultAuthenticationPolicy as string | null;
      if (name !== null && !ctx.store.findAuthenticationPolicy(name)) throw ExchangeErrors.objectNotFound(name);
      ctx.store.setDefaultAuthenticationPolicy(name === null ? null : ctx.store.findAuthenticationPolicy(name)!.name);
      return { value: [] };
    },
  },
  {
    name: "Get-AuthenticationPolicy",
    kind: "get",
    params: { Identity: "string" },
    run(ctx, p) {
      if (p.Identity !== undefined) {
        const pol = ctx.store.findAuthenticationPolicy(p.Identity as string);
        if (!pol) throw ExchangeErrors.objectNotFound(p.Identity as string);
        return { value: [authPolicy(pol)] };
      }
      return { value: ctx.store.read().authenticationPolicies.map(authPolicy) };
    },
  },
  {
    name: "New-AuthenticationPolicy",
    kind: "set",
    params: { Name: "string", AllowBasicAuthSmtp: "switch" },
    required: ["Name"],
    run(ctx, p) {
      const name = p.Name as string;
      if (ctx.store.findAuthenticationPolicy(name)) throw ExchangeErrors.alreadyExists(name);
      const pol = { name, allowBasicAuthSmtp: p.AllowBasicAuthSmtp === true };
      ctx.store.upsertAuthenticationPolicy(pol);
      return { value: [authPolicy(pol)] };
    },
  },
  {
    name: "Set-AuthenticationPolicy",
    kind: "set",
    params: { Identity: "string", AllowBasicAuthSmtp: "switch" },
    required: ["Identity"],
    run(ctx, p) {
      const pol = ctx.store.findAuthenticationPolicy(p.Identity as string);
      if (!pol) throw ExchangeErrors.objectNotFound(p.Identity as string);
      if (p.AllowBasicAuthSmtp === undefined || p.AllowBasicAuthSmtp === pol.allowBasicAuthSmtp)
        return { value: [], warnings: [NOT_MODIFIED(pol.name)] };
      ctx.store.upsertAuthenticationPolicy({ ...pol, allowBasicAuthSmtp: p.AllowBasicAuthSmtp as boolean });
      return { value: [] };
    },
  },
  {
    name: "Get-User",
    kind: "get",
    params: { Identity: "string", ResultSize: "resultSize", Filter: "string" },
    run(ctx, p) {
      if (p.Identity !== undefined) {
        const u = findRecipient(ctx.store, p.Identity as string, false);
        if (!u) throw ExchangeErrors.objectNotFound(p.Identity as string);
        return { value: [exoUser(u)] };
      }
      const clauses = filterFor(
        ctx,
        p,
        ["AuthenticationPolicy", "UserPrincipalName", "Name", "ExternalDirectoryObjectId"],
        USER_PROPERTIES,
      );
      let rows = ctx.store.users().map(exoUser);
      if (clauses) rows = rows.filter((r) => matchesOpath(clauses, (prop) => r[prop] as OpathValue));
      return applyResultSize(rows, p);
    },
  },
  {
    name: "Set-User",
    kind: "set",
    params: { Identity: "string", AuthenticationPolicy: "nullableString" },
    required: ["Identity"],
    run(ctx, p) {
      const u = findRecipient(ctx.store, p.Identity as string, false);
      if (!u) throw ExchangeErrors.objectNotFound(p.Identity as string);
      if (!("AuthenticationPolicy" in p)) return { value: [], warnings: [NOT_MODIFIED(p.Identity as string)] };
      const name = p.AuthenticationPolicy as string | null;
      const pol = name === null ? null : ctx.store.findAuthenticationPolicy(name);
      if (name !== null && !pol) throw ExchangeErrors.objectNotFound(name);
      ctx.store.updateUser(u.id, { authenticationPolicy: pol ? pol.name : null });
      return { value: [] };
    },
  },
  {
    name: "New-ServicePrincipal",
    kind: "set",
    params: { AppId: "string", ObjectId: "string", DisplayName: "string" },
    aliases: { ServiceId: "ObjectId" },
    required: ["AppId", "ObjectId"],
    run(ctx, p) {
      const appId = p.AppId as string;
      const objectId = p.ObjectId as string;
      if (findServicePrincipal(ctx.store, appId) || findServicePrincipal(ctx.store, objectId))
        throw ExchangeErrors.alreadyExists(appId);
      const sp = {
        appId,
        objectId,
        displayName: (p.DisplayName as string | undefined) ?? ctx.store.findApp(appId)?.displayName ?? appId,
      };
      ctx.store.addServicePrincipal(sp);
      return { value: [servicePrincipal(sp)] };
    },
  },
  {
    name: "Get-ServicePrincipal",
    kind: "get",
    params: { Identity: "string" },
    run(ctx, p) {
      if (p.Identity !== undefined) {
        const sp = findServicePrincipal(ctx.store, p.Identity as string);
        if (!sp) throw ExchangeErrors.objectNotFound(p.Identity as string);
        return { value: [servicePrincipal(sp)] };
      }
      return { value: ctx.store.read().exchangeServicePrincipals.map(servicePrincipal) };
    },
  },
  {
    name: "Remove-ServicePrincipal",
    kind: "set",
    params: { Identity: "string" },
    ignored: ["Confirm"],
    required: ["Identity"],
    run(ctx, p) {
      const sp = findServicePrincipal(ctx.store, p.Identity as string);
      if (!sp) throw ExchangeErrors.objectNotFound(p.Identity as string);
      ctx.store.removeServicePrincipal(sp.objectId);
      return { value: [] };
    },
  },
  {
    name: "Get-MailboxPermission",
    kind: "get",
    params: { Identity: "string", User: "string" },
    required: ["Identity"],
    run(ctx, p) {
      const u = mailbox(ctx.store, p.Identity as string);
      const rows = [
        {
          trustee: "NT AUTHORITY\\SELF",
          row: permissionRow(u, "NT AUTHORITY\\SELF", ["FullAccess", "ReadPermission"]),
        },
      ];
      for (const perm of ctx.store.read().mailboxPermissions) {
        if (perm.mailbox.toLowerCase() !== u.mail.toLowerCase()) continue;
        const sp = findServicePrincipal(ctx.store, perm.user);
        const row = permissionRow(
          u,
          perm.user,
          [...perm.accessRights],
          sp && { sp, behaviour: ctx.exchange.behaviour },
        );
        rows.push({ trustee: perm.user, row });
      }
      if (p.User === undefined) return { value: rows.map((r) => r.row) };
      const trustee = resolveTrustee(ctx.store, p.User as string);
      return { value: rows.filter((r) => r.trustee.toLowerCase() === trustee.toLowerCase()).map((r) => r.row) };
    },
  },
  {
    name: "Add-MailboxPermission",
    kind: "set",
    params: {
      Identity: "string",
      User: "string",
      AccessRights: "stringList",
      AutoMapping: "bool",
      InheritanceType: "string",
    },
    required: ["Identity", "User", "AccessRights"],
    run(ctx, p) {
      const u = mailbox(ctx.store, p.Identity as string);
      const trustee = resolveTrustee(ctx.store, p.User as string);
      const rights = validRights(p.AccessRights as string[]);
      ctx.store.addMailboxPermission({ mailbox: u.mail, user: trustee, accessRights: rights });
      return { value: [permissionRow(u, trustee, rights)] };
    },
  },
  {
    name: "Remove-MailboxPermission",
    kind: "set",
    params: { Identity: "string", User: "string", AccessRights: "stringList", InheritanceType: "string" },
    ignored: ["Confirm"],
    required: ["Identity", "User", "AccessRights"],
    run(ctx, p) {
      const u = mailbox(ctx.store, p.Identity as string);
      const trustee = resolveTrustee(ctx.store, p.User as string);
      const rights = validRights(p.AccessRights as string[]);
      const had = ctx.store
        .read()
        .mailboxPermissions.some(
          (m) => m.mailbox.toLowerCase() === u.mail.toLowerCase() && m.user.toLowerCase() === trustee.toLowerCase(),
        );
      if (!had)
        return {
          value: [],
          warnings: [
            `Can't remove the access control entry on the object '${alias(u)}' for account '${trustee}' because the ACE doesn't exist on the object.`,
          ],
        };
      ctx.store.removeMailboxPermission(u.mail, trustee, rights);
      return { value: [] };
    },
  },
];

const ACCESS_RIGHTS = [
  "ChangeOwner",
  "ChangePermission",
  "DeleteItem",
  "ExternalAccount",
  "FullAccess",
  "ReadPermission",
];

function validRights(rights: string[]): string[] {
  return rights.map((r) => {
    const m = ACCESS_RIGHTS.find((a) => a.toLowerCase() === r.toLowerCase());
    if (!m)
      throw ExchangeErrors.invalidArgument(
        "AccessRights",
        `The value '${r}' is not one of ${ACCESS_RIGHTS.join(", ")}.`,
      );
    return m;
  });
}

/** A trustee is stored as the service principal's object id, or the user's UPN. */
function resolveTrustee(store: TenantStore, identity: string): string {
  const sp = findServicePrincipal(store, identity);
  if (sp) return sp.objectId;
  const u = findRecipient(store, identity, false);
  if (u) return u.userPrincipalName;
  throw ExchangeErrors.objectNotFound(identity);
}

/** By name, case-insensitive. */
export function findCmdlet(name: string): CmdletDefinition | undefined {
  return CMDLETS.find((c) => c.name.toLowerCase() === name.toLowerCase());
}
