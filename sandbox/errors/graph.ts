/**
 * Microsoft Graph error catalogue: the OData error envelope
 * `{ error: { code, message, innerError: { date, "request-id", "client-request-id" } } }`
 * (learn.microsoft.com/graph/errors) with the status and code the real service uses.
 * Tests import this module to assert codes; messages may differ from Microsoft's, codes and statuses match.
 */
import { SandboxHttpError, type ErrorContext } from "./http-error.ts";

/** Graph's `innerError.date` format: ISO without milliseconds or zone, e.g. 2025-02-13T10:17:06. */
export function graphDate(d: Date): string {
  return d.toISOString().slice(0, 19);
}

/** The error envelope for a given code and message. */
export function graphErrorBody(ctx: ErrorContext, code: string, message: string): unknown {
  return {
    error: {
      code,
      message,
      innerError: {
        date: graphDate(ctx.now()),
        "request-id": ctx.requestId,
        "client-request-id": ctx.clientRequestId ?? ctx.requestId,
      },
    },
  };
}

function make(
  ctx: ErrorContext,
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): SandboxHttpError {
  return new SandboxHttpError({ status, code, message, body: graphErrorBody(ctx, code, message), headers });
}

/** WWW-Authenticate value Graph sends with 401s. */
const GRAPH_WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

/** Codes the sandbox's Graph emits; import these in tests instead of string literals. */
export const GraphCodes = {
  invalidToken: "InvalidAuthenticationToken",
  denied: "Authorization_RequestDenied",
  notFound: "Request_ResourceNotFound",
  badRequest: "Request_BadRequest",
  badRequestGeneric: "BadRequest",
  invalidRequest: "invalidRequest",
  throttled: "TooManyRequests",
  serviceUnavailable: "serviceNotAvailable",
  gatewayTimeout: "UnknownError",
  failedDependency: "FailedDependency",
  notImplemented: "NotImplemented",
  internal: "InternalServerError",
} as const;

/** Graph's 404 for any id it does not know: users and policies answer alike. */
function resourceNotFound(ctx: ErrorContext, id: string): SandboxHttpError {
  return make(
    ctx,
    404,
    GraphCodes.notFound,
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

export const GraphErrors = {
  /** 401: no Authorization header, or an empty bearer token. */
  tokenMissing: (ctx: ErrorContext) =>
    make(ctx, 401, GraphCodes.invalidToken, "Access token is empty.", { "WWW-Authenticate": GRAPH_WWW_AUTHENTICATE }),
  /** 401: not a JWT, bad signature, wrong issuer or tenant. */
  tokenInvalid: (ctx: ErrorContext, detail: string) =>
    make(ctx, 401, GraphCodes.invalidToken, detail, { "WWW-Authenticate": GRAPH_WWW_AUTHENTICATE }),
  /** 401: exp in the past. */
  tokenExpired: (ctx: ErrorContext) =>
    make(ctx, 401, GraphCodes.invalidToken, "Lifetime validation failed, the token is expired.", {
      "WWW-Authenticate": GRAPH_WWW_AUTHENTICATE,
    }),
  /**
   * 401: a Continuous Access Evaluation claims challenge, the claims base64 in WWW-Authenticate with
   * `error="insufficient_claims"` (Microsoft identity platform, "claims challenges" and CAE docs).
   */
  claimsChallenge: (ctx: ErrorContext, claimsBase64: string) =>
    make(
      ctx,
      401,
      GraphCodes.invalidToken,
      "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp",
      { "WWW-Authenticate": `${GRAPH_WWW_AUTHENTICATE}, error="insufficient_claims", claims="${claimsBase64}"` },
    ),
  /** 401: a token for another resource (e.g. Exchange). */
  tokenWrongAudience: (ctx: ErrorContext) =>
    make(ctx, 401, GraphCodes.invalidToken, "Invalid audience.", { "WWW-Authenticate": GRAPH_WWW_AUTHENTICATE }),
  /** 403: the app lacks every application permission that would allow the operation. */
  denied: (ctx: ErrorContext) =>
    make(ctx, 403, GraphCodes.denied, "Insufficient privileges to complete the operation."),
  /** 404 for a directory object (user) that does not exist. */
  userNotFound: (ctx: ErrorContext, id: string) => resourceNotFound(ctx, id),
  /** 404 for a policy id that does not exist. */
  policyNotFound: (ctx: ErrorContext, id: string) => resourceNotFound(ctx, id),
  /** 400 for a URL segment Graph does not know in this version (e.g. authentication/requirements on v1.0). */
  segmentNotFound: (ctx: ErrorContext, segment: string) =>
    make(ctx, 400, GraphCodes.badRequestGeneric, `Resource not found for the segment '${segment}'.`),
  /** 400 for a user key that is neither an object id nor UPN-shaped (the message is the sandbox's). */
  invalidObjectId: (ctx: ErrorContext, key: string) =>
    make(ctx, 400, GraphCodes.badRequest, `Invalid object identifier '${key}'.`),
  /** 400 for an unknown property in $select or $filter. */
  unknownProperty: (ctx: ErrorContext, property: string) =>
    make(
      ctx,
      400,
      GraphCodes.badRequest,
      `Could not find a property named '${property}' on type 'Microsoft.DirectoryServices.User'.`,
    ),
  /** 400 for a $filter the parser cannot read. */
  invalidFilter: (ctx: ErrorContext, detail: string) =>
    make(ctx, 400, GraphCodes.badRequest, `Invalid filter clause: ${detail}`),
  /** 400 for an advanced query (ne, not, endswith) sent without ConsistencyLevel: eventual and $count=true. */
  unsupportedQuery: (ctx: ErrorContext, property: string) =>
    make(
      ctx,
      400,
      "Request_UnsupportedQuery",
      `Unsupported or invalid query filter clause specified for property '${property}' of resource 'User'.`,
    ),
  /** 400 for $top outside 1..999 (observed message; the code is a guess). */
  invalidPageSize: (ctx: ErrorContext, top: string) =>
    make(
      ctx,
      400,
      GraphCodes.badRequest,
      `Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`,
    ),
  /** 400 for a $skiptoken this sandbox did not issue. */
  invalidSkipToken: (ctx: ErrorContext) => make(ctx, 400, GraphCodes.badRequest, "Invalid paging token."),
  /** 400 for $count without ConsistencyLevel: eventual. */
  countNeedsConsistency: (ctx: ErrorContext) =>
    make(ctx, 400, GraphCodes.badRequest, "$count is not currently supported."),
  /** 400 for a body that is not what the endpoint takes. */
  invalidBody: (ctx: ErrorContext, detail: string) => make(ctx, 400, GraphCodes.badRequestGeneric, detail),
  /** 400 for a write to a read-only property. */
  readOnlyProperty: (ctx: ErrorContext, property: string) =>
    make(ctx, 400, GraphCodes.badRequestGeneric, `Property '${property}' is read-only and cannot be set.`),
  /** 400 when security defaults cannot be enabled because Conditional Access policies exist (status and text are a guess: undocumented). */
  securityDefaultsBlockedByCa: (ctx: ErrorContext) =>
    make(
      ctx,
      400,
      GraphCodes.badRequestGeneric,
      "Security defaults cannot be enabled while Conditional Access policies exist.",
    ),
  /** 405 for a method the resource does not allow. */
  methodNotAllowed: (ctx: ErrorContext) =>
    make(ctx, 405, GraphCodes.badRequest, "Specified HTTP method is not allowed for the request target."),
  /** 400 for a malformed $batch payload. */
  invalidBatch: (ctx: ErrorContext, detail: string) => make(ctx, 400, GraphCodes.badRequestGeneric, detail),
  /** 424 for a batch item whose dependency failed. */
  failedDependency: (ctx: ErrorContext) => make(ctx, 424, GraphCodes.failedDependency, "Failed dependency."),
  /** 429 with Retry-After (seconds); omit retryAfter for budgets that send none (Conditional Access). */
  throttled: (ctx: ErrorContext, retryAfter: number | null, scope: string, information: string) =>
    make(
      ctx,
      429,
      GraphCodes.throttled,
      "Too many requests from the application for this tenant. Please retry after the time given in Retry-After.",
      {
        ...(retryAfter === null ? {} : { "Retry-After": String(retryAfter) }),
        "x-ms-throttle-scope": scope,
        "x-ms-throttle-information": information,
      },
    ),
  /** 503 injected fault. */
  serviceUnavailable: (ctx: ErrorContext, retryAfter?: number) =>
    make(
      ctx,
      503,
      GraphCodes.serviceUnavailable,
      "Service unavailable.",
      retryAfter === undefined ? {} : { "Retry-After": String(retryAfter) },
    ),
  /** 504 injected fault. */
  gatewayTimeout: (ctx: ErrorContext) => make(ctx, 504, GraphCodes.gatewayTimeout, "Gateway timeout."),
  /** 501 strict mode: the sandbox does not model this feature. */
  notImplemented: (ctx: ErrorContext, feature: string) =>
    make(ctx, 501, GraphCodes.notImplemented, notModelled(feature)),
  /** 500 for an unexpected exception (logged; should become a catalogued error). */
  internal: (ctx: ErrorContext) =>
    make(ctx, 500, GraphCodes.internal, "An internal server error occurred in the sandbox."),
};

/** The 501 message every API uses. */
export function notModelled(feature: string): string {
  return `The sandbox tenant does not model ${feature}. Start it with --loose to ignore unmodelled options, or see sandbox/README.md ("Differences from Microsoft 365").`;
}
