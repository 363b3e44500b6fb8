/**
 * What a failed token request means, so the HTTP layer knows whether to try again: a refusal
 * (wrong secret, no consent) is final; throttling and outages of the token service are transient
 * and retried within the request budget; an untrusted TLS certificate is final and named as such.
 *
 * @azure/identity wraps MSAL's errors: the HTTP status and the AAD error code sit on `cause`
 * (`status`, `errorCode`), the AADSTS number in the message. AADSTS50196 is the token service's
 * throttling ("client request loop"), not a refusal, although its error code is an AADSTS number.
 */

/** Node's codes for a certificate chain the process does not trust. */
const UNTRUSTED_CERT_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** The TLS trust failure code somewhere in an error's cause chain, or undefined. */
export function untrustedCertificateCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 6 && typeof e === "object" && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && UNTRUSTED_CERT_CODES.has(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The one sentence for an untrusted certificate, whichever call met it. */
export function untrustedCertificateAdvice(host: string, code: string): string {
  const what =
    code === "CERT_HAS_EXPIRED"
      ? "has expired"
      : code === "ERR_TLS_CERT_ALTNAME_INVALID"
        ? "does not name this host"
        : "is not trusted";
  return (
    `the TLS certificate of ${host} ${what} (${code}); if a TLS-inspecting proxy or a private CA ` +
    `(such as the sandbox's) signs it, set NODE_EXTRA_CA_CERTS to that CA's PEM file`
  );
}

/** A token request that failed; `kind` tells the HTTP layer what to do. Never carries a secret. */
export class TokenServiceError extends Error {
  override name = "TokenServiceError";
  readonly kind: "refused" | "transient" | "untrusted-certificate" | "timeout";
  constructor(kind: TokenServiceError["kind"], message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.kind = kind;
  }
}

const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
/**
 * AADSTS codes the Entra error-code reference calls transient, which arrive as a 400 with
 * `invalid_request` (not a 5xx) and so must be read before the refusal test: 90024
 * RequestBudgetExceededError ("A transient error has occurred. Try again."), 90033
 * MsodsServiceUnavailable, 90006 ExternalServerRetryableError ("The service is temporarily
 * unavailable"), 50087 SasRetryableError, and 50196 (the client-request-loop throttle).
 *
 * Deliberately not here: invalid_client and its codes 7000215 (wrong secret), 700016 (app not found)
 * and 700027 (assertion signature). A secret, app or certificate created a minute ago can get them
 * while Entra replicates, but a wrong secret gets exactly the same answer, and retrying it would hold
 * every run for the whole retry budget (two minutes) before saying the credentials are wrong; a new
 * secret or app is a one-off wait an operator can rerun. 700027 alone gets a short grace
 * ({@link isCertificateRotationLag}).
 */
const TRANSIENT_AADSTS = /AADSTS(?:50196|90024|90033|90006|50087)\b/;
/**
 * How long a client keeps retrying AADSTS700027 after it first met it (after that, until a token is
 * issued again, it is a refusal): 30 s, a few back-offs, well inside the two-minute retry budget.
 */
export const CERTIFICATE_ROTATION_GRACE_MS = 30_000;

/**
 * True for AADSTS700027 (the client assertion's signature or certificate is not known to the app):
 * CIPP retries it because it "occurs transiently after certificate rotation while the load-balanced
 * token service nodes catch up" (Get-GraphTokenFromCert.ps1). A certificate that was never uploaded
 * gets the same answer, so the HTTP layer retries it only for {@link CERTIFICATE_ROTATION_GRACE_MS}.
 */
export function isCertificateRotationLag(error: unknown): boolean {
  if (error instanceof TokenServiceError) return false;
  const cause = (error as { cause?: { errorCode?: unknown } } | null)?.cause;
  const message = error instanceof Error ? error.message : String(error);
  const errorCode = typeof cause?.errorCode === "string" ? cause.errorCode : "";
  return /AADSTS700027\b/.test(message) || /AADSTS700027\b/.test(errorCode);
}

const REFUSAL = /AADSTS\d+|invalid_client|invalid_grant|unauthorized_client|invalid_scope|invalid_request/;
const THROTTLED = /AADSTS50196|temporarily_unavailable|server_error|request_timeout/;
const UNREACHABLE =
  /endpoints_resolution_error|network_error|ECONNREFUSED|ENOTFOUND|ECONNRESET|ETIMEDOUT|socket hang up/;

/**
 * Reads a token failure from @azure/identity (or any Error): "refused" when trying again cannot help,
 * "transient" for throttling (429, AADSTS50196, temporarily_unavailable), 5xx, the AADSTS codes Entra
 * calls transient (TRANSIENT_AADSTS) and an unreachable service. Unknown failures are transient: the
 * retry budget bounds them.
 */
export function classifyTokenError(error: unknown): "refused" | "transient" {
  if (error instanceof TokenServiceError) return error.kind === "refused" ? "refused" : "transient";
  const cause = (error as { cause?: { status?: unknown; errorCode?: unknown } } | null)?.cause;
  const status = typeof cause?.status === "number" ? cause.status : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const errorCode = typeof cause?.errorCode === "string" ? cause.errorCode : "";
  if (status !== undefined && TRANSIENT_STATUS.has(status)) return "transient";
  if (THROTTLED.test(message) || THROTTLED.test(errorCode)) return "transient";
  if (TRANSIENT_AADSTS.test(message) || TRANSIENT_AADSTS.test(errorCode)) return "transient";
  if (UNREACHABLE.test(message)) return "transient";
  if (REFUSAL.test(message) || REFUSAL.test(errorCode)) return "refused";
  return "transient";
}

/**
 * True for throttling or an outage answered by the token service itself (429, 5xx, AADSTS50196,
 * temporarily_unavailable): the answers MSAL keeps replaying until their Retry-After has passed.
 */
export function isTokenThrottling(error: unknown): boolean {
  if (error instanceof TokenServiceError) return false;
  const cause = (error as { cause?: { status?: unknown; errorCode?: unknown; name?: unknown } } | null)?.cause;
  const status = typeof cause?.status === "number" ? cause.status : undefined;
  if (status !== undefined) return status === 429 || status >= 500;
  // MSAL's replay of a throttled answer is a ServerError without status or text.
  if (cause?.name === "ServerError") return true;
  const message = error instanceof Error ? error.message : String(error);
  return THROTTLED.test(message) || THROTTLED.test(typeof cause?.errorCode === "string" ? cause.errorCode : "");
}

/** One line naming a token failure: the AAD code and its description, never trace ids or secrets. */
export function describeTokenError(error: unknown): string {
  if (error instanceof TokenServiceError) return error.message;
  const cause = (error as { cause?: { status?: unknown; errorCode?: unknown } } | null)?.cause;
  const message = error instanceof Error ? error.message : String(error);
  const aadsts = /AADSTS\d+:[^\r\n]*?(?= - Correlation ID| - Trace ID|$)/m.exec(message)?.[0];
  const first = message.split(/\r?\n| - Timestamp: /)[0]!.replace(/^\[object Object\]:\s*/, "");
  const status = typeof cause?.status === "number" ? `the token service answered ${cause.status}` : undefined;
  const parts = [status, aadsts ?? (first.startsWith("Error(s): Not Available") ? undefined : first)].filter(
    (p): p is string => p !== undefined && p !== "",
  );
  return (parts.join(": ") || "the token service was unavailable or throttling and gave no reason").slice(0, 300);
}
