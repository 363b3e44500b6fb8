/**
 * Every read call the providers and the facts reader make, as the conformance check exercises them:
 * the same endpoints and cmdlets as tenant/api.ts (getSecurityDefaults, listUserPrincipalNames,
 * findUser, getUser, getPerUserMfa, getPerUserMfaMany, getCasMailbox, listCasMailboxes,
 * getOrganizationSmtpAuthDisabled), tenant/facts.ts (licenseDetails, Conditional Access,
 * transitiveMemberOf, Get-OrganizationConfig, Get-AuthenticationPolicy, Get-User) and
 * tenant/exchange-reads.ts (Get-ServicePrincipal, Get-MailboxPermission). A new read in those
 * modules needs a check here; its answer's shape lives in ./shapes.ts.
 *
 * Listings ask for a few rows only: the permission and the shape are the same for one row as for
 * ten thousand, and the check must stay cheap on a large tenant.
 */
import type { OperationName } from "../../m365/permissions.ts";
import type { TenantApi } from "../../tenant/api.ts";
import type { ShapeId } from "./shapes.ts";

/** What a check may use: the client and the sample mailbox (its user, once found). */
export interface CheckContext {
  api: TenantApi;
  /** The mailbox address the per-user reads use (--mailbox, else the first listed mailbox). */
  address?: string;
  /** The Graph user of `address` (object id and UPN), once graph.users.byAddress has run. */
  user?: { id: string; userPrincipalName: string };
}

export interface ReadCheck {
  id: ShapeId;
  api: "graph" | "exchange";
  /** The permission-table operation (m365/permissions.ts) that names what a refusal lacks. */
  operation: OperationName;
  /** The call, as a person would recognise it. */
  call: string;
  /** Who depends on it. */
  usedBy: string;
  /** "address": needs the sample mailbox; "user": needs its Graph user. */
  needs?: "address" | "user";
  /** Runs the call; returns the raw answer whose shape ./shapes.ts describes. */
  run(ctx: CheckContext): Promise<unknown>;
}

const enc = encodeURIComponent;
const rows = (page: Record<string, unknown>): unknown => page.value;

/** In the order they run: listings first, they name the sample mailbox when --mailbox is not given. */
export const READ_CHECKS: readonly ReadCheck[] = [
  {
    id: "graph.securityDefaults",
    api: "graph",
    operation: "graph.securityDefaults.read",
    call: "GET /v1.0/policies/identitySecurityDefaultsEnforcementPolicy",
    usedBy: "SecurityDefaults, effective, export",
    run: ({ api }) => api.graphGet("/v1.0/policies/identitySecurityDefaultsEnforcementPolicy"),
  },
  {
    id: "graph.users.list",
    api: "graph",
    operation: "graph.users.read",
    call: "GET /v1.0/users?$select=id,userPrincipalName",
    usedBy: "PerUserMfa (check), export",
    run: async ({ api }) => rows(await api.graphGet("/v1.0/users?$select=id,userPrincipalName&$top=5")),
  },
  {
    id: "exchange.Get-CASMailbox.list",
    api: "exchange",
    operation: "exchange.Get-CASMailbox",
    call: "Get-CASMailbox -ResultSize",
    usedBy: "OtherMailboxesSmtpAuth, export",
    run: ({ api }) => api.invoke("Get-CASMailbox", { ResultSize: 5 }),
  },
  {
    id: "graph.users.byAddress",
    api: "graph",
    operation: "graph.users.read",
    call: "GET /v1.0/users/{upn}, else ?$filter=mail eq … or proxyAddresses/any(…)",
    usedBy: "effective, doctor explain",
    needs: "address",
    run: async (ctx) => {
      const u = await ctx.api.findUser(ctx.address!);
      if (u) ctx.user = { id: u.id, userPrincipalName: u.userPrincipalName };
      return u ? [u] : [];
    },
  },
  {
    id: "graph.users.get",
    api: "graph",
    operation: "graph.users.read",
    call: "GET /v1.0/users/{id}?$select=id,userPrincipalName,mail,accountEnabled,userType",
    usedBy: "effective, doctor explain",
    needs: "user",
    run: ({ api, user }) =>
      api.graphGet(`/v1.0/users/${enc(user!.id)}?$select=id,userPrincipalName,mail,accountEnabled,userType`),
  },
  {
    id: "graph.licenseDetails",
    api: "graph",
    operation: "graph.licenseDetails.read",
    call: "GET /v1.0/users/{id}/licenseDetails",
    usedBy: "effective, doctor explain",
    needs: "user",
    run: ({ api, user }) => api.graphList(`/v1.0/users/${enc(user!.id)}/licenseDetails`),
  },
  {
    id: "graph.perUserMfa",
    api: "graph",
    operation: "graph.perUserMfa.read",
    call: "GET /beta/users/{id}/authentication/requirements",
    usedBy: "PerUserMfa, effective, doctor explain",
    needs: "user",
    run: ({ api, user }) => api.graphGet(`/beta/users/${enc(user!.id)}/authentication/requirements`),
  },
  {
    id: "graph.perUserMfa.batch",
    api: "graph",
    operation: "graph.perUserMfa.read",
    call: "POST /beta/$batch (authentication/requirements)",
    usedBy: "PerUserMfa (bulk reads), export",
    needs: "user",
    run: async ({ api, user }) => ({ states: (await api.getPerUserMfaMany([user!.userPrincipalName])).size }),
  },
  {
    id: "graph.conditionalAccess",
    api: "graph",
    operation: "graph.conditionalAccess.read",
    call: "GET /v1.0/identity/conditionalAccess/policies",
    usedBy: "effective, doctor explain",
    run: ({ api }) => api.graphList("/v1.0/identity/conditionalAccess/policies"),
  },
  {
    id: "graph.memberOf",
    api: "graph",
    operation: "graph.memberOf.read",
    call: "GET /v1.0/users/{id}/transitiveMemberOf",
    usedBy: "effective, doctor explain (group- and role-scoped Conditional Access)",
    needs: "user",
    run: ({ api, user }) => api.graphList(`/v1.0/users/${enc(user!.id)}/transitiveMemberOf`),
  },
  {
    id: "exchange.Get-CASMailbox",
    api: "exchange",
    operation: "exchange.Get-CASMailbox",
    call: "Get-CASMailbox -Identity",
    usedBy: "MailboxSmtpAuth, effective, doctor explain",
    needs: "address",
    run: ({ api, address }) => api.invoke("Get-CASMailbox", { Identity: address }),
  },
  {
    id: "exchange.Get-TransportConfig",
    api: "exchange",
    operation: "exchange.Get-TransportConfig",
    call: "Get-TransportConfig",
    usedBy: "OrganizationSmtpAuth, effective, export",
    run: ({ api }) => api.invoke("Get-TransportConfig", {}),
  },
  {
    id: "exchange.Get-OrganizationConfig",
    api: "exchange",
    operation: "exchange.Get-OrganizationConfig",
    call: "Get-OrganizationConfig",
    usedBy: "effective, doctor explain",
    run: ({ api }) => api.invoke("Get-OrganizationConfig", {}),
  },
  {
    id: "exchange.Get-AuthenticationPolicy",
    api: "exchange",
    operation: "exchange.Get-AuthenticationPolicy",
    call: "Get-AuthenticationPolicy",
    usedBy: "effective, doctor explain",
    run: ({ api }) => api.invoke("Get-AuthenticationPolicy", {}),
  },
  {
    id: "exchange.Get-User",
    api: "exchange",
    operation: "exchange.Get-User",
    call: "Get-User -Identity",
    usedBy: "effective, doctor explain",
    needs: "address",
    run: ({ api, address }) => api.invoke("Get-User", { Identity: address }),
  },
  {
    id: "exchange.Get-ServicePrincipal",
    api: "exchange",
    operation: "exchange.Get-ServicePrincipal",
    call: "Get-ServicePrincipal",
    usedBy: "ExchangeServicePrincipal, effective and doctor explain for OAuth",
    run: ({ api }) => api.invoke("Get-ServicePrincipal", {}),
  },
  {
    id: "exchange.Get-MailboxPermission",
    api: "exchange",
    operation: "exchange.Get-MailboxPermission",
    call: "Get-MailboxPermission -Identity",
    usedBy: "MailboxPermission, effective and doctor explain for OAuth",
    needs: "address",
    run: ({ api, address }) => api.invoke("Get-MailboxPermission", { Identity: address }),
  },
];
