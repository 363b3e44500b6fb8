/**
 * Graph policies: identitySecurityDefaultsEnforcementPolicy (GET/PATCH, v1.0 and beta) and
 * Conditional Access policies (read-only), shaped as in the Graph docs.
 */
import type { ConditionalAccessPolicy } from "../model.ts";
import type { HandlerContext, HandlerResult } from "../protocol/context.ts";
import { json, noContent } from "../protocol/context.ts";
import { GraphErrors } from "../errors/graph.ts";
import { contextUrl, parseSelect, project } from "./odata.ts";

/** The well-known id from the documented example. */
export const SECURITY_DEFAULTS_ID = "00000000-0000-0000-0000-000000000005";

const SECURITY_DEFAULTS_DESCRIPTION =
  "Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks.";

const SD_PROPS = ["description", "displayName", "id", "isEnabled"] as const;

/** GET /{version}/policies/identitySecurityDefaultsEnforcementPolicy */
export function getSecurityDefaults(ctx: HandlerContext): HandlerResult {
  const select = parseSelect(ctx, SD_PROPS);
  const full = {
    description: SECURITY_DEFAULTS_DESCRIPTION,
    displayName: "Security Defaults",
    id: SECURITY_DEFAULTS_ID,
    isEnabled: ctx.store.read().securityDefaultsEnabled,
  };
  return json(200, {
    "@odata.context": contextUrl(
      ctx,
      select
        ? `policies/identitySecurityDefaultsEnforcementPolicy(${select.join(",")})`
        : "policies/identitySecurityDefaultsEnforcementPolicy",
    ),
    ...(select ? project(full, select) : full),
  });
}

/** PATCH /{version}/policies/identitySecurityDefaultsEnforcementPolicy — body `{ isEnabled }`, 204. */
export function patchSecurityDefaults(ctx: HandlerContext): HandlerResult {
  const body = ctx.body;
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw GraphErrors.invalidBody(ctx, "The request body must be a JSON object.");
  for (const [k, v] of Object.entries(body)) {
    if (k === "isEnabled") {
      if (typeof v !== "boolean")
        throw GraphErrors.invalidBody(ctx, "Cannot convert the literal to the expected type 'Edm.Boolean'.");
    } else if ((SD_PROPS as readonly string[]).includes(k)) {
      throw GraphErrors.readOnlyProperty(ctx, k);
    } else if (!k.startsWith("@odata.")) {
      throw GraphErrors.invalidBody(
        ctx,
        `Property '${k}' does not exist on type 'microsoft.graph.identitySecurityDefaultsEnforcementPolicy'.`,
      );
    }
  }
  const isEnabled = (body as { isEnabled?: boolean }).isEnabled;
  if (isEnabled === undefined) return noContent();
  // Microsoft 365 refuses to turn security defaults on while any CA policy exists (any state).
  if (isEnabled && !ctx.store.read().securityDefaultsEnabled && ctx.store.read().conditionalAccessPolicies.length > 0) {
    throw GraphErrors.securityDefaultsBlockedByCa(ctx);
  }
  ctx.store.setSecurityDefaults(isEnabled);
  return noContent();
}

/** The Graph conditionalAccessPolicy representation of a sandbox policy. */
export function toGraphCaPolicy(p: ConditionalAccessPolicy): Record<string, unknown> {
  return {
    id: p.id,
    templateId: null,
    displayName: p.displayName,
    createdDateTime: "2025-01-01T00:00:00Z",
    modifiedDateTime: null,
    state: p.state,
    sessionControls: null,
    conditions: {
      userRiskLevels: [],
      signInRiskLevels: [],
      clientAppTypes: [...p.clientAppTypes],
      platforms:
        p.includePlatforms || p.excludePlatforms
          ? { includePlatforms: [...(p.includePlatforms ?? [])], excludePlatforms: [...(p.excludePlatforms ?? [])] }
          : null,
      locations:
        p.includeLocations || p.excludeLocations
          ? { includeLocations: [...(p.includeLocations ?? [])], excludeLocations: [...(p.excludeLocations ?? [])] }
          : null,
      devices: null,
      applications: {
        includeApplications: [...(p.includeApplications ?? ["All"])],
        excludeApplications: [...(p.excludeApplications ?? [])],
        includeUserActions: [],
        includeAuthenticationContextClassReferences: [],
      },
      users: {
        includeUsers: [...p.includeUsers],
        excludeUsers: [...p.excludeUsers],
        includeGroups: [...(p.includeGroups ?? [])],
        excludeGroups: [...(p.excludeGroups ?? [])],
        includeRoles: [...(p.includeRoles ?? [])],
        excludeRoles: [...(p.excludeRoles ?? [])],
        includeGuestsOrExternalUsers: null,
        excludeGuestsOrExternalUsers: null,
      },
    },
    grantControls: {
      operator: "OR",
      builtInControls: [...p.builtInControls],
      customAuthenticationFactors: [],
      termsOfUse: [],
    },
  };
}

/** GET /{version}/identity/conditionalAccess/policies */
export function listCaPolicies(ctx: HandlerContext): HandlerResult {
  return json(200, {
    "@odata.context": contextUrl(ctx, "identity/conditionalAccess/policies"),
    value: ctx.store.read().conditionalAccessPolicies.map(toGraphCaPolicy),
  });
}

/** GET /{version}/identity/conditionalAccess/policies/{id} */
export function getCaPolicy(ctx: HandlerContext): HandlerResult {
  const id = ctx.params.id ?? "";
  const p = ctx.store.read().conditionalAccessPolicies.find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!p) throw GraphErrors.policyNotFound(ctx, id);
  return json(200, {
    "@odata.context": contextUrl(ctx, "identity/conditionalAccess/policies/$entity"),
    ...toGraphCaPolicy(p),
  });
}
