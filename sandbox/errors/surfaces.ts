/**
 * One error surface per API (graph, exchange, token, admin): the errors the pipeline itself raises
 * (unknown endpoint, unmodelled feature, bad JSON, auth, faults, throttling, unexpected errors), each in
 * that API's real wire shape. The pipeline picks the surface once per request and never switches on
 * the API name; a new API surface is one more entry here.
 */
import { SandboxHttpError, type ErrorContext } from "./http-error.ts";
import { GraphErrors } from "./graph.ts";
import { ExchangeErrors } from "./exchange.ts";
import { TokenErrors } from "./token.ts";
import type { ApiName } from "../protocol/context.ts";
import type { TokenRejection } from "../token/service.ts";
import type { ExchangeBehaviour } from "../exchange/behaviour.ts";
import type { ErrorIn200Reason, ErrorIn200Shape } from "../runtime/faults.ts";

/** Why a bearer token was refused: the token service's verdict, none sent, or the wrong audience. */
export type TokenRefusal = TokenRejection | "missing" | "audience";

/** The errors one API surface answers with, for failures the pipeline detects before or around a handler. */
export interface ApiErrors {
  /** Strict mode: an endpoint, query option or method the sandbox does not model (501). */
  notImplemented(ectx: ErrorContext, feature: string): SandboxHttpError;
  /** Loose mode: an unknown endpoint (404, or the surface's nearest equivalent). */
  notFound(ectx: ErrorContext, feature: string): SandboxHttpError;
  /** Loose mode: a known path with a method it does not serve. */
  methodNotAllowed(ectx: ErrorContext, feature: string): SandboxHttpError;
  /** A body that is not valid JSON. */
  badJson(ectx: ErrorContext): SandboxHttpError;
  /** Anything unexpected (already logged by the pipeline). */
  internal(ectx: ErrorContext): SandboxHttpError;
  /** A refused bearer token. */
  unauthorized(ectx: ErrorContext, why: TokenRefusal): SandboxHttpError;
  /** The tenant in the URL is not the token's tenant. */
  wrongTenant(ectx: ErrorContext, tenant: string): SandboxHttpError;
  /** The caller's roles do not allow the operation; `missing` names what would. */
  denied(ectx: ErrorContext, operation: string, missing: string): SandboxHttpError;
  /**
   * 429: a budget or an injected fault; `retryAfter` null where the real service sends none (Graph's
   * Conditional Access budget); `scope`/`information` only where the surface reports them.
   */
  throttled(ectx: ErrorContext, retryAfter: number | null, scope?: string, information?: string): SandboxHttpError;
  serviceUnavailable(ectx: ErrorContext, retryAfter?: number): SandboxHttpError;
  gatewayTimeout(ectx: ErrorContext): SandboxHttpError;
  /** HTTP 200 carrying an error in its body (the handler did not run); `shape` says where, `reason` which. */
  errorInOk(ectx: ErrorContext, shape: ErrorIn200Shape, reason: ErrorIn200Reason): SandboxHttpError;
  /** Last look at any error of this surface before it is written (e.g. Exchange's plain-text bodies). */
  finish?(e: SandboxHttpError): SandboxHttpError;
}

const graph: ApiErrors = {
  notImplemented: (ectx, feature) => GraphErrors.notImplemented(ectx, feature),
  notFound: (ectx, feature) => GraphErrors.segmentNotFound(ectx, feature),
  methodNotAllowed: (ectx) => GraphErrors.methodNotAllowed(ectx),
  badJson: (ectx) =>
    GraphErrors.invalidBody(
      ectx,
      "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
    ),
  internal: (ectx) => GraphErrors.internal(ectx),
  unauthorized: (ectx, why) => {
    switch (why) {
      case "missing":
        return GraphErrors.tokenMissing(ectx);
      case "expired":
        return GraphErrors.tokenExpired(ectx);
      case "malformed":
        return GraphErrors.tokenInvalid(ectx, "IDX14100: JWT is not well formed, there are no dots (.).");
      case "signature":
        return GraphErrors.tokenInvalid(ectx, "Invalid signature.");
      case "audience":
        return GraphErrors.tokenWrongAudience(ectx);
      default:
        return GraphErrors.tokenInvalid(ectx, "Invalid token issuer or tenant.");
    }
  },
  wrongTenant: (ectx) => GraphErrors.tokenInvalid(ectx, "Invalid token issuer or tenant."),
  denied: (ectx) => GraphErrors.denied(ectx),
  throttled: (ectx, ra, scope, information) =>
    GraphErrors.throttled(
      ectx,
      ra,
      scope ?? "Tenant_Application/Read/fault-injection",
      information ?? "ResourceUnitLimitExceeded",
    ),
  serviceUnavailable: (ectx, ra) => GraphErrors.serviceUnavailable(ectx, ra),
  gatewayTimeout: (ectx) => GraphErrors.gatewayTimeout(ectx),
  errorInOk: (ectx) => okWithError(GraphErrors.internal(ectx)),
};

/** The same error answered with HTTP 200. */
function okWithError(e: SandboxHttpError): SandboxHttpError {
  return new SandboxHttpError({ status: 200, code: e.code, message: e.message, body: e.body, headers: e.headers });
}

function exchangeTokenReason(why: TokenRefusal): string {
  if (why === "missing") return "The access token is missing.";
  if (why === "expired") return "The token has expired.";
  if (why === "audience") return "The audience claim value is invalid for this resource.";
  return "The access token is invalid.";
}

/** The Exchange surface; role refusals and body format follow the sandbox's Exchange switches. */
function exchangeErrors(behaviour: ExchangeBehaviour): ApiErrors {
  return {
    notImplemented: (_ectx, feature) => ExchangeErrors.notImplemented(feature),
    notFound: (_ectx, feature) => ExchangeErrors.invalidBody(`No such endpoint: ${feature}.`),
    methodNotAllowed: (_ectx, feature) => ExchangeErrors.invalidBody(`No such endpoint: ${feature}.`),
    badJson: () => ExchangeErrors.invalidBody("The request body is not valid JSON."),
    internal: () => ExchangeErrors.internal(),
    unauthorized: (_ectx, why) => ExchangeErrors.unauthorized(exchangeTokenReason(why)),
    wrongTenant: (_ectx, tenant) => ExchangeErrors.wrongTenant(tenant),
    denied: (_ectx, operation, missing) => {
      const cmdlet = operation.replace(/^exchange\./, "");
      switch (behaviour.roleRefusal) {
        case "401":
          return ExchangeErrors.notAllowedToCall(cmdlet);
        case "400-authz":
          return ExchangeErrors.noManagementRoles();
        case "command-not-found":
          return ExchangeErrors.unknownCmdlet(cmdlet);
        default:
          return ExchangeErrors.accessDenied(cmdlet, missing);
      }
    },
    throttled: (_ectx, ra) => ExchangeErrors.throttled(ra ?? 1),
    serviceUnavailable: (_ectx, ra) => ExchangeErrors.serviceUnavailable(ra),
    gatewayTimeout: () => ExchangeErrors.gatewayTimeout(),
    errorInOk: (_ectx, shape, reason) => ExchangeErrors.errorInOk(shape, reason),
    finish: (e) =>
      behaviour.errorBodies === "text"
        ? ExchangeErrors.asPlainText(e)
        : behaviour.errorBodies === "innererror"
          ? ExchangeErrors.asInnerError(e)
          : e,
  };
}

const tokenServerError = (): SandboxHttpError =>
  new SandboxHttpError({ status: 500, code: "server_error", message: "internal", body: { error: "server_error" } });

const token: ApiErrors = {
  notImplemented: (ectx, feature) => TokenErrors.notImplemented(ectx, feature),
  notFound: (ectx, feature) => TokenErrors.notImplemented(ectx, feature),
  methodNotAllowed: (ectx, feature) => TokenErrors.notImplemented(ectx, feature),
  badJson: (ectx) => TokenErrors.notImplemented(ectx, ""),
  internal: tokenServerError,
  // The token endpoint authenticates clients, not bearer tokens: these two never fire there.
  unauthorized: tokenServerError,
  wrongTenant: tokenServerError,
  denied: tokenServerError,
  throttled: (_ectx, ra) => TokenErrors.throttled(String(ra ?? 1)),
  // Entra's token endpoint answers outages in Graph's shape only loosely; the sandbox keeps Graph's.
  serviceUnavailable: (ectx, ra) => GraphErrors.serviceUnavailable(ectx, ra),
  gatewayTimeout: (ectx) => GraphErrors.gatewayTimeout(ectx),
  errorInOk: tokenServerError,
};

function adminError(status: number, message: string, bodyMessage = message): SandboxHttpError {
  return new SandboxHttpError({
    status,
    code: "SandboxAdminError",
    message,
    body: { error: { code: "SandboxAdminError", message: bodyMessage } },
  });
}

const admin: ApiErrors = {
  notImplemented: (_ectx, feature) => adminError(404, `No admin endpoint ${feature}.`),
  notFound: (_ectx, feature) => adminError(404, `No admin endpoint ${feature}.`),
  methodNotAllowed: () => adminError(405, "methodNotAllowed"),
  badJson: () => adminError(400, "badJson"),
  internal: () => adminError(500, "internal"),
  unauthorized: () => adminError(401, "admin token required", "Authorization: Bearer <admin token> required."),
  wrongTenant: () => adminError(403, "wrongTenant"),
  denied: () => adminError(403, "denied"),
  throttled: () => adminError(429, "throttled"),
  serviceUnavailable: () => adminError(503, "unavailable"),
  gatewayTimeout: () => adminError(504, "timeout"),
  errorInOk: () => adminError(500, "internal"),
};

/** The error surface of each API, for one sandbox (Exchange's follows its switches). */
export function createApiErrors(exchange: ExchangeBehaviour): Readonly<Record<ApiName, ApiErrors>> {
  return { graph, exchange: exchangeErrors(exchange), token, admin };
}
