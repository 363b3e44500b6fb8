/** Microsoft Graph routes (v1.0 and beta) with their permission operations, query options and costs. */
import type { HandlerContext } from "../protocol/context.ts";
import type { Route } from "../protocol/router.ts";
import { countUsers, getUser, listLicenseDetails, listUsers } from "./users.ts";
import { listTransitiveMemberOf } from "./memberof.ts";
import { getCaPolicy, getSecurityDefaults, listCaPolicies, patchSecurityDefaults } from "./policies.ts";
import { getRequirements, patchRequirements, requirementsNotInV1 } from "./mfa.ts";
import { createBatchHandler, type BatchDispatcher } from "./batch.ts";
import { listSignIns } from "./signins.ts";

/** Resource-unit cost per the identity & access table: base, −1 with $select, −1 with $top < 20, minimum 1. */
function ru(base: number) {
  return (ctx: HandlerContext): number => {
    let c = base;
    if (ctx.query.has("$select")) c -= 1;
    const top = Number(ctx.query.get("$top") ?? "100");
    if (top < 20) c -= 1;
    return Math.max(1, c);
  };
}

export function graphRoutes(dispatchBatchItem: BatchDispatcher): Route[] {
  const g = { api: "graph", auth: "bearer", budget: "graph", latency: "graph" } as const;
  const w = { ...g, write: true, latency: "graph-write" } as const;
  return [
    {
      ...g,
      method: "GET",
      pattern: "/{version}/policies/identitySecurityDefaultsEnforcementPolicy",
      operation: "graph.securityDefaults.read",
      query: ["$select"],
      handler: getSecurityDefaults,
    },
    {
      ...w,
      method: "PATCH",
      pattern: "/{version}/policies/identitySecurityDefaultsEnforcementPolicy",
      operation: "graph.securityDefaults.write",
      query: [],
      handler: patchSecurityDefaults,
    },
    {
      ...g,
      method: "GET",
      pattern: "/{version}/users/$count",
      operation: "graph.users.read",
      query: [],
      handler: countUsers,
    },
    {
      ...g,
      method: "GET",
      pattern: "/{version}/users",
      operation: "graph.users.read",
      query: ["$select", "$filter", "$top", "$skiptoken", "$count"],
      cost: ru(2),
      handler: listUsers,
    },
    {
      ...g,
      method: "GET",
      pattern: "/{version}/users/{id}",
      operation: "graph.users.read",
      query: ["$select"],
      cost: ru(1),
      handler: getUser,
    },
    {
      ...g,
      method: "GET",
      pattern: "/{version}/users/{id}/licenseDetails",
      operation: "graph.licenseDetails.read",
      query: [],
      cost: () => 2,
      handler: listLicenseDetails,
    },
    {
      ...g,
      method: "GET",
      pattern: "/{version}/users/{id}/transitiveMemberOf",
      operation: "graph.memberOf.read",
      query: ["$select"],
      cost: ru(2),
      handler: listTransitiveMemberOf,
    },
    {
      ...g,
      method: "GET",
      pattern: "/{version}/users/{id}/authentication/requirements",
      versions: ["beta"],
      operation: "graph.perUserMfa.read",
      query: [],
      handler: getRequirements,
    },
    {
      ...w,
      method: "PATCH",
      pattern: "/{version}/users/{id}/authentication/requirements",
      versions: ["beta"],
      operation: "graph.perUserMfa.write",
      query: [],
      handler: patchRequirements,
    },
    {
      ...g,
      method: "GET",
      pattern: "/{version}/users/{id}/authentication/requirements",
      versions: ["v1.0"],
      operation: "graph.perUserMfa.read",
      query: [],
      handler: requirementsNotInV1,
    },
    {
      ...g,
      method: "PATCH",
      pattern: "/{version}/users/{id}/authentication/requirements",
      versions: ["v1.0"],
      operation: "graph.perUserMfa.write",
      query: [],
      handler: requirementsNotInV1,
    },
    {
      ...g,
      budget: "conditionalAccess",
      method: "GET",
      pattern: "/{version}/identity/conditionalAccess/policies",
      operation: "graph.conditionalAccess.read",
      query: [],
      handler: listCaPolicies,
    },
    {
      ...g,
      budget: "conditionalAccess",
      method: "GET",
      pattern: "/{version}/identity/conditionalAccess/policies/{id}",
      operation: "graph.conditionalAccess.read",
      query: [],
      handler: getCaPolicy,
    },
    {
      ...g,
      method: "GET",
      pattern: "/{version}/auditLogs/signIns",
      operation: "graph.signIns.read",
      query: ["$filter", "$top", "$skiptoken"],
      handler: listSignIns,
    },
    // $batch itself needs no permission and costs nothing: each item is authorised and charged on its own.
    {
      api: "graph",
      auth: "bearer",
      method: "POST",
      pattern: "/{version}/$batch",
      query: [],
      handler: createBatchHandler(dispatchBatchItem),
    },
  ];
}
