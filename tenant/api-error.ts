/**
 * The errors of the tenant clients: ApiError with a stable `code`, the method and a credential-free
 * URL, in one line that names the last status or failure, the reason and the client-request-id
 * (what Microsoft support asks for). Never a token or a secret; the response stays off the error.
 */
import { inspect } from "node:util";
import {
  TokenServiceError,
  describeTokenError,
  untrustedCertificateAdvice,
  untrustedCertificateCode,
} from "./token-errors.ts";

export type ApiErrorCode =
  | "UNAUTHORIZED"
  | "PERMISSION_DENIED"
  | "NOT_FOUND"
  | "BAD_REQUEST"
  | "CONFLICT"
  | "THROTTLED"
  | "UNAVAILABLE"
  | "TIMEOUT"
  | "NETWORK"
  | "SERVER_ERROR"
  | "NOT_IMPLEMENTED"
  | "REDIRECT_REFUSED"
  | "UNTRUSTED_CERTIFICATE";

/** An API call that failed. `serviceCode` is Graph's `error.code` or Exchange's exception name. */
export class ApiError extends Error {
  override name = "ApiError";
  readonly code: ApiErrorCode;
  readonly status: number | undefined;
  readonly method: string;
  readonly url: string;
  readonly serviceCode: string | undefined;
  readonly requestId: string | undefined;
  /** Graph's `x-ms-ags-diagnostic` header (data centre, scale unit, role instance): Microsoft support asks for it. */
  readonly diagnostic: string | undefined;
  /** The `client-request-id` this client sent (the same on every attempt); quote it to Microsoft support. */
  readonly clientRequestId: string | undefined;
  readonly attempts: number;
  constructor(opts: {
    code: ApiErrorCode;
    message: string;
    method: string;
    url: string;
    status?: number;
    serviceCode?: string;
    requestId?: string;
    diagnostic?: string;
    clientRequestId?: string;
    attempts: number;
    cause?: unknown;
  }) {
    super(opts.message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = opts.code;
    this.status = opts.status;
    this.method = opts.method;
    this.url = opts.url;
    this.serviceCode = opts.serviceCode;
    this.requestId = opts.requestId;
    this.diagnostic = opts.diagnostic;
    this.clientRequestId = opts.clientRequestId;
    this.attempts = opts.attempts;
    // The call is identified by method, URL and client-request-id; JavaScript frames only clutter
    // what the user sees where a host prints the stack (issue 17.8). `cause` keeps the origin.
    this.stack = `${this.name}: ${this.message}`;
  }

  /** The same line for util.inspect (Pulumi prints program errors with it, in colour, with every property). */
  [inspect.custom](): string {
    return `${this.name}: ${this.message}`;
  }
}

/** The request as errors see it. */
interface RequestLine {
  method: string;
  url: string;
}

/** How the last attempt ended: an answer, or an error (notSent: no token, so nothing was sent). */
export interface AttemptOutcome {
  response?: { status: number; headers: Headers; body: unknown };
  error?: unknown;
  notSent?: boolean;
  /** Where the attempt ended, after any redirects. */
  url: string;
  /** What was wrong with a 2xx body the request's `expect` refused. */
  unexpected?: string;
  /** Why the client stopped before its attempts ran out (e.g. a Retry-After past the budget). */
  stopped?: string;
}

function codeForStatus(status: number): ApiErrorCode {
  if (status === 401) return "UNAUTHORIZED";
  if (status === 403) return "PERMISSION_DENIED";
  if (status === 404) return "NOT_FOUND";
  if (status === 408) return "TIMEOUT";
  if (status === 409) return "CONFLICT";
  if (status === 429) return "THROTTLED";
  if (status === 501) return "NOT_IMPLEMENTED";
  if (status === 503) return "UNAVAILABLE";
  if (status === 504) return "TIMEOUT";
  if (status >= 500) return "SERVER_ERROR";
  return "BAD_REQUEST";
}

/** The URL without credentials or fragments, for messages. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    u.hash = "";
    return u.toString();
  } catch {
    return "<invalid url>";
  }
}

/** An envelope's `message`: a string, or the legacy OData v3 object `{lang, value}`. */
function messageText(message: unknown): string | undefined {
  if (typeof message === "string") return message;
  const value = (message as { value?: unknown } | null | undefined)?.value;
  return typeof value === "string" ? value : undefined;
}

/**
 * An error envelope's exception name, code and text: Graph `{code,message}` (in the legacy
 * `odata.error` envelope `message` is `{lang, value}`), or Exchange's, whose text
 * may sit in `details[].message` ("Ex…|Type|text"), `innererror.internalException.message` or
 * `innererror.message` with only a generic "Error executing cmdlet" in `message` — read in that order,
 * as CIPP's New-ExoRequest and Get-NormalizedError do. `exception` is the exception's class name when
 * the body gives one; a caller falls back to the X-ExceptionType header, then to `code`.
 */
export function describeErrorEnvelope(envelope: unknown): { exception?: string; code?: string; message?: string } {
  if (typeof envelope !== "object" || envelope === null) return {};
  const raw = envelope as { code?: unknown; message?: unknown; details?: unknown; innererror?: unknown };
  const e = { ...raw, message: messageText(raw.message) };
  const code = typeof e.code === "string" ? e.code : undefined;
  const details = Array.isArray(e.details) ? (e.details as { message?: unknown }[]) : [];
  const detail = details.find((d) => typeof d?.message === "string")?.message as string | undefined;
  if (detail !== undefined) {
    const parts = detail.split("|");
    if (parts.length >= 3) return { exception: parts[1]!.split(".").pop(), code, message: parts.slice(2).join("|") };
    return { code, message: detail };
  }
  const inner = (typeof e.innererror === "object" && e.innererror !== null ? e.innererror : {}) as {
    message?: unknown;
    internalException?: { message?: unknown; type?: unknown } | null;
  };
  const internal = inner.internalException;
  if (typeof internal?.message === "string" && internal.message !== "") {
    const type = typeof internal.type === "string" ? internal.type.split(".").pop() : undefined;
    return { ...(type ? { exception: type } : {}), code, message: internal.message };
  }
  if (typeof inner.message === "string" && inner.message !== "" && inner.message !== e.message)
    return { code, message: inner.message };
  return { code, message: e.message };
}

/**
 * The error of a failed answer: a plain-text body's text, or its envelope (describeErrorEnvelope):
 * `error`, or the legacy `odata.error` / `@odata.error` of OData v3 (Azure AD Graph's shape).
 */
function describeServiceError(body: unknown): { exception?: string; code?: string; message?: string } {
  // Plain-text bodies (Exchange's concurrency refusal, gateway pages): their first line.
  if (typeof body === "string") return { message: oneLine(body) || undefined };
  if (typeof body !== "object" || body === null) return {};
  const b = body as Record<string, unknown>;
  const envelope = b.error ?? b["odata.error"] ?? b["@odata.error"];
  return envelope === undefined ? {} : describeErrorEnvelope(envelope);
}

/** Text as one line for a message: no line breaks, no ANSI escapes, at most 300 characters. */
export function oneLine(text: string): string {
  return text
    .replace(/\u001b\[[0-9;]*[A-Za-z]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 300);
}

export function tokenFailed(req: RequestLine, error: unknown, clientRequestId: string): ApiError {
  const url = safeUrl(req.url);
  const cert = untrustedCertificateCode(error);
  const why =
    cert !== undefined
      ? `the token service could not be reached: ${untrustedCertificateAdvice("the token service", cert)}`
      : error instanceof TokenServiceError && error.kind === "untrusted-certificate"
        ? error.message
        : // The first line of an AADSTS message names the error; the rest is trace ids and timestamps.
          `the token service refused the credentials: ${oneLine((error as Error).message.split(/\r?\n| - Timestamp: /)[0]!)}`;
  return new ApiError({
    code:
      cert !== undefined || (error instanceof TokenServiceError && error.kind === "untrusted-certificate")
        ? "UNTRUSTED_CERTIFICATE"
        : "UNAUTHORIZED",
    message: `${req.method} ${url} was not sent: ${why}`,
    method: req.method,
    url,
    clientRequestId,
    attempts: 0,
    cause: error,
  });
}

export function redirectRefused(req: RequestLine, from: string, target: URL, clientRequestId: string): ApiError {
  return new ApiError({
    code: "REDIRECT_REFUSED",
    message:
      `${req.method} ${safeUrl(from)} was redirected to ${safeUrl(target.toString())}, which is not a host of ` +
      `this cloud or the configured endpoint: not followed [client-request-id ${clientRequestId}]`,
    method: req.method,
    url: safeUrl(req.url),
    clientRequestId,
    attempts: 1,
  });
}

export function untrustedCertificate(
  req: RequestLine,
  url: string,
  code: string,
  clientRequestId: string,
  cause: unknown,
): ApiError {
  const host = new URL(url).host;
  return new ApiError({
    code: "UNTRUSTED_CERTIFICATE",
    message: `${req.method} ${safeUrl(url)} failed: ${untrustedCertificateAdvice(host, code)}`,
    method: req.method,
    url: safeUrl(req.url),
    clientRequestId,
    attempts: 1,
    cause,
  });
}

export function toApiError(
  req: RequestLine,
  attempts: number,
  clientRequestId: string,
  outcome: AttemptOutcome,
): ApiError {
  const { response, error, notSent } = outcome;
  const url = safeUrl(req.url);
  const tries = `after ${attempts} attempt${attempts === 1 ? "" : "s"}`;
  if (!response) {
    const timeout =
      error instanceof Error &&
      (error.name === "TimeoutError" ||
        error.name === "AbortError" ||
        (error instanceof TokenServiceError && error.kind === "timeout"));
    const reason = notSent
      ? `no token: ${describeTokenError(error)}`
      : error instanceof Error
        ? timeout
          ? "timed out"
          : oneLine(error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message)
        : oneLine(String(error));
    return new ApiError({
      code: timeout ? "TIMEOUT" : notSent ? "UNAVAILABLE" : "NETWORK",
      message: `${req.method} ${url} failed ${tries}: ${reason || "the connection failed without a reason"} [client-request-id ${clientRequestId}]`,
      method: req.method,
      url,
      clientRequestId,
      attempts,
      cause: error,
    });
  }
  const requestId = response.headers.get("request-id") ?? response.headers.get("x-ms-request-id") ?? undefined;
  const diagnostic = response.headers.get("x-ms-ags-diagnostic") ?? undefined;
  if (outcome.unexpected !== undefined) {
    return new ApiError({
      code: "SERVER_ERROR",
      message: `${req.method} ${url} answered ${response.status} with ${outcome.unexpected}${
        attempts > 1 ? ` (${tries})` : ""
      } [client-request-id ${clientRequestId}]`,
      method: req.method,
      url,
      status: response.status,
      requestId,
      diagnostic,
      clientRequestId,
      attempts,
    });
  }
  const described = describeServiceError(response.body);
  // Exchange names the exception in X-ExceptionType (ExoHelper reads it) when the body does not.
  const serviceCode = described.exception ?? response.headers.get("x-exceptiontype") ?? described.code;
  const message = described.message;
  return new ApiError({
    code: codeForStatus(response.status),
    message: `${req.method} ${url} answered ${response.status}${serviceCode ? ` ${serviceCode}` : ""}${
      message ? `: ${oneLine(message)}` : ""
    }${attempts > 1 ? ` (${tries})` : ""}${outcome.stopped ? `; ${outcome.stopped}` : ""} [client-request-id ${clientRequestId}]`,
    method: req.method,
    url,
    status: response.status,
    serviceCode,
    requestId,
    diagnostic,
    clientRequestId,
    attempts,
  });
}
