/**
 * Token service (Entra ID v2.0 endpoint) error catalogue: the OAuth 2.0 error body
 * `{ error, error_description: "AADSTSnnnn: ...", error_codes: [n], timestamp, trace_id, correlation_id }`
 * (entra-docs v2-oauth2-client-creds-grant-flow.md). AADSTS numbers are Microsoft's; texts are close paraphrases.
 */
import { SandboxHttpError, type ErrorContext } from "./http-error.ts";
import { notModelled } from "./graph.ts";

export const TokenCodes = {
  invalidRequest: "invalid_request",
  invalidClient: "invalid_client",
  unauthorizedClient: "unauthorized_client",
  invalidScope: "invalid_scope",
  invalidResource: "invalid_resource",
  unsupportedGrant: "unsupported_grant_type",
} as const;

function make(ctx: ErrorContext, status: number, error: string, aadsts: number, text: string): SandboxHttpError {
  const description = `AADSTS${aadsts}: ${text} Trace ID: ${ctx.requestId} Correlation ID: ${ctx.clientRequestId ?? ctx.requestId} Timestamp: ${ctx.now().toISOString().replace("T", " ").slice(0, 19)}Z`;
  return new SandboxHttpError({
    status,
    code: error,
    message: description,
    body: {
      error,
      error_description: description,
      error_codes: [aadsts],
      timestamp: ctx.now().toISOString().replace("T", " ").slice(0, 19) + "Z",
      trace_id: ctx.requestId,
      correlation_id: ctx.clientRequestId ?? ctx.requestId,
      error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
    },
  });
}

/**
 * AADSTS answers the "aadsts" fault sends: the transient ones the Entra error-code reference lists
 * (as a 400 invalid_request, as the quirks review saw them; Microsoft does not publish the status)
 * and the credential refusals a new secret, app or certificate also gets while Entra replicates (700027:
 * the assertion's certificate is not known, as right after a rotation).
 */
export const FAULT_AADSTS: Readonly<Record<number, { status: number; error: string; text: string }>> = {
  90024: {
    status: 400,
    error: TokenCodes.invalidRequest,
    text: "RequestBudgetExceededError - A transient error has occurred. Try again.",
  },
  90033: {
    status: 400,
    error: TokenCodes.invalidRequest,
    text: "MsodsServiceUnavailable - A transient error has occurred. Please try again.",
  },
  90006: {
    status: 400,
    error: TokenCodes.invalidRequest,
    text: "ExternalServerRetryableError - The service is temporarily unavailable.",
  },
  50087: {
    status: 400,
    error: TokenCodes.invalidRequest,
    text: "SasRetryableError - A transient error has occurred during strong authentication. Please try again.",
  },
  7000215: {
    status: 401,
    error: TokenCodes.invalidClient,
    text: "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
  },
  700027: {
    status: 401,
    error: TokenCodes.invalidClient,
    text: "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found.]",
  },
  700016: {
    status: 400,
    error: TokenCodes.unauthorizedClient,
    text: "Application with identifier was not found in the directory.",
  },
};

export const TokenErrors = {
  /** An "aadsts" fault's answer (FAULT_AADSTS); `status` overrides the catalogued one. */
  fault: (ctx: ErrorContext, aadsts: number, status?: number) => {
    const f = FAULT_AADSTS[aadsts]!;
    return make(ctx, status ?? f.status, f.error, aadsts, f.text);
  },
  tenantNotFound: (ctx: ErrorContext, tenant: string) =>
    make(
      ctx,
      400,
      TokenCodes.invalidRequest,
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    ),
  unsupportedGrant: (ctx: ErrorContext, grant: string) =>
    make(ctx, 400, TokenCodes.unsupportedGrant, 70003, `The app requested an unsupported grant type '${grant}'.`),
  missingParameter: (ctx: ErrorContext, name: string) =>
    make(
      ctx,
      400,
      TokenCodes.invalidRequest,
      900144,
      `The request body must contain the following parameter: '${name}'.`,
    ),
  appNotFound: (ctx: ErrorContext, clientId: string, tenant: string) =>
    make(
      ctx,
      400,
      TokenCodes.unauthorizedClient,
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    ),
  invalidSecret: (ctx: ErrorContext, clientId: string) =>
    make(
      ctx,
      401,
      TokenCodes.invalidClient,
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  noCredential: (ctx: ErrorContext) =>
    make(
      ctx,
      401,
      TokenCodes.invalidClient,
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  invalidAssertionType: (ctx: ErrorContext) =>
    make(
      ctx,
      400,
      TokenCodes.invalidRequest,
      50027,
      "JWT token is invalid or malformed. The client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.",
    ),
  malformedAssertion: (ctx: ErrorContext) =>
    make(ctx, 400, TokenCodes.invalidRequest, 50027, "JWT token is invalid or malformed."),
  assertionSignature: (ctx: ErrorContext) =>
    make(ctx, 401, TokenCodes.invalidClient, 700027, "Client assertion contains an invalid signature."),
  assertionUnknownKey: (ctx: ErrorContext, thumbprint: string, clientId: string) =>
    make(
      ctx,
      401,
      TokenCodes.invalidClient,
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}'], app '${clientId}'.`,
    ),
  assertionTime: (ctx: ErrorContext) =>
    make(ctx, 401, TokenCodes.invalidClient, 700024, "Client assertion is not within its valid time range."),
  assertionAudience: (ctx: ErrorContext, aud: string) =>
    make(
      ctx,
      401,
      TokenCodes.invalidClient,
      700021,
      `Client assertion audience claim does not match Realm issuer. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials. Audience: '${aud}'.`,
    ),
  assertionSubject: (ctx: ErrorContext) =>
    make(
      ctx,
      401,
      TokenCodes.invalidClient,
      700023,
      "Client assertion subject or issuer does not match the client id.",
    ),
  noFederatedMatch: (ctx: ErrorContext, issuer: string, subject: string) =>
    make(
      ctx,
      400,
      TokenCodes.invalidClient,
      70021,
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${issuer}'. Assertion Subject: '${subject}'.`,
    ),
  scopeNotDefault: (ctx: ErrorContext, scope: string) =>
    make(
      ctx,
      400,
      TokenCodes.invalidScope,
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  resourceNotFound: (ctx: ErrorContext, resource: string) =>
    make(
      ctx,
      400,
      TokenCodes.invalidResource,
      500011,
      `The resource principal named ${resource} was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    ),
  notImplemented: (ctx: ErrorContext, feature: string) =>
    new SandboxHttpError({
      status: 501,
      code: "not_implemented",
      message: notModelled(feature),
      body: { error: "not_implemented", error_description: notModelled(feature) },
    }),
  /** Entra's throttling answer: 429 temporarily_unavailable with AADSTS50196 (the request-loop guard). */
  throttled: (retryAfter: string) =>
    new SandboxHttpError({
      status: 429,
      code: "temporarily_unavailable",
      message: "throttled",
      body: {
        error: "temporarily_unavailable",
        error_description:
          "AADSTS50196: The server terminated an operation because it encountered a client request loop.",
      },
      headers: { "Retry-After": retryAfter },
    }),
};
