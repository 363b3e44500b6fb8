/**
 * Legacy per-user MFA (Graph beta users/{id}/authentication/requirements). A user set to `enabled`
 * who has registered a method reads back as `enforced` (strongauthenticationrequirements docs).
 */
import type { PerUserMfaState, TenantUser } from "../model.ts";
import type { HandlerContext, HandlerResult } from "../protocol/context.ts";
import { json, noContent } from "../protocol/context.ts";
import { GraphErrors } from "../errors/graph.ts";
import { contextUrl } from "./odata.ts";
import { userFromPath } from "./users.ts";

/** The state Graph reports for a user. */
export function effectiveMfaState(u: TenantUser): PerUserMfaState {
  return u.perUserMfa === "enabled" && u.mfaMethodRegistered ? "enforced" : u.perUserMfa;
}

/** GET /beta/users/{id | upn}/authentication/requirements */
export function getRequirements(ctx: HandlerContext): HandlerResult {
  const u = userFromPath(ctx);
  return json(200, {
    "@odata.context": contextUrl(ctx, `users('${ctx.params.id ?? u.id}')/authentication/requirements/$entity`),
    perUserMfaState: effectiveMfaState(u),
  });
}

/** PATCH /beta/users/{id | upn}/authentication/requirements — `{ perUserMfaState }`, 204. */
export function patchRequirements(ctx: HandlerContext): HandlerResult {
  const u = userFromPath(ctx);
  const body = ctx.body;
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw GraphErrors.invalidBody(ctx, "The request body must be a JSON object.");
  for (const k of Object.keys(body)) {
    if (k !== "perUserMfaState" && !k.startsWith("@odata.")) {
      throw GraphErrors.invalidBody(
        ctx,
        `Property '${k}' does not exist on type 'microsoft.graph.strongAuthenticationRequirements'.`,
      );
    }
  }
  const state = (body as { perUserMfaState?: unknown }).perUserMfaState;
  if (state === undefined) return noContent();
  if (state !== "disabled" && state !== "enabled" && state !== "enforced") {
    throw GraphErrors.invalidBody(ctx, `Requested value '${JSON.stringify(state)}' was not found.`);
  }
  ctx.store.updateUser(u.id, { perUserMfa: state === "enabled" && u.mfaMethodRegistered ? "enforced" : state });
  return noContent();
}

/** v1.0 has no such segment: Graph answers 400 "Resource not found for the segment 'requirements'". */
export function requirementsNotInV1(ctx: HandlerContext): HandlerResult {
  throw GraphErrors.segmentNotFound(ctx, "requirements");
}
