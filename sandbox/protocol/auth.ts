/**
 * Pipeline stage 4, authentication and authorisation: the admin token for /_sandbox routes; for API
 * routes a bearer token verified by the token service, an audience the API accepts, the tenant in the
 * URL, then the permission operation checked against the token's roles and the app's directory roles
 * (m365/permissions.ts). Refusals come from the request's error surface (errors/surfaces.ts).
 */
import { checkPermission, type OperationName } from "../../m365/permissions.ts";
import type { ErrorContext } from "../errors/http-error.ts";
import type { ApiErrors } from "../errors/surfaces.ts";
import type { TenantStore } from "../store/store.ts";
import { AUDIENCES, type TokenService } from "../token/service.ts";
import type { ApiName, Caller } from "./context.ts";

/** Token audiences each bearer-authenticated API accepts. */
const BEARER_AUDIENCES: Partial<Record<ApiName, readonly string[]>> = {
  graph: AUDIENCES.graph,
  exchange: AUDIENCES.exchange,
};

/** The bearer token of an Authorization header: null when there is no header, "" when it is not Bearer. */
export function bearerToken(headers: Record<string, string>): string | null {
  const h = headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(.*)$/i.exec(h);
  return m ? m[1]!.trim() : "";
}

/** Throws the admin surface's 401 unless the request carries the admin token. */
export function requireAdminToken(
  headers: Record<string, string>,
  adminToken: string,
  errors: ApiErrors,
  ectx: ErrorContext,
): void {
  if (bearerToken(headers) !== adminToken) throw errors.unauthorized(ectx, "missing");
}

/** What authentication needs from the request. */
export interface AuthRequest {
  api: ApiName;
  headers: Record<string, string>;
  /** The `{tenant}` path parameter, when the route has one (Exchange's InvokeCommand URL). */
  tenantParam: string | undefined;
  errors: ApiErrors;
  ectx: ErrorContext;
}

/** Verifies the bearer token for the request's API; returns the caller or throws the surface's 401/403. */
export function authenticate(r: AuthRequest, tokens: TokenService, store: TenantStore): Caller {
  const token = bearerToken(r.headers);
  if (!token) throw r.errors.unauthorized(r.ectx, "missing");
  const v = tokens.verify(token);
  if (!v.ok) throw r.errors.unauthorized(r.ectx, v.reason);
  if (!(BEARER_AUDIENCES[r.api] ?? []).includes(v.caller.audience)) throw r.errors.unauthorized(r.ectx, "audience");
  if (r.tenantParam !== undefined && !store.matchesTenant(r.tenantParam))
    throw r.errors.wrongTenant(r.ectx, r.tenantParam);
  return v.caller;
}

/** Throws the surface's refusal unless the caller's roles (and its app's directory roles) allow `op`. */
export function authorize(
  op: OperationName,
  caller: Caller,
  store: TenantStore,
  errors: ApiErrors,
  ectx: ErrorContext,
): void {
  const adminRoles = store.findApp(caller.appId)?.directoryRoles ?? [];
  const verdict = checkPermission(op, caller.roles, adminRoles);
  if (!verdict.ok) throw errors.denied(ectx, op, verdict.missing);
}
