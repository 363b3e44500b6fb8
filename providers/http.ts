/**
 * The one HTTP layer under the Graph and Exchange clients: auth → concurrency limit → retry → redirect
 * → transport.
 *
 * - Retries the answers the retry policy (tenant/retry-policy.ts) calls transient — 408, 429, 500,
 *   502, 503, 504, Exchange's per-tenant concurrency refusal — and connection resets and timeouts,
 *   honouring Retry-After (seconds, fractional, or an HTTP date), capped, within a total time budget.
 * - A 429 pauses the whole client until its Retry-After has passed, so the other requests in flight
 *   or queued do not spend more of the budget only to be refused too.
 * - Only requests marked idempotent are replayed after an answer whose outcome is unknown.
 * - Every wait is bounded: the token request and each attempt get a timeout inside the budget.
 * - Redirects are never followed silently: only to a host `allowRedirect` accepts, keeping method, body
 *   and Authorization; any other redirect fails.
 * - Each request carries a `client-request-id` (a UUID, the same on every attempt), shown in errors:
 *   it is what Microsoft support asks for.
 * - Errors are ApiError with a stable `code`, the method and a credential-free URL, in one line;
 *   tokens never appear in messages, and the response is kept off the enumerable properties.
 */
import { randomUUID } from "node:crypto";
import { DEFAULT_RETRY, classifyAnswer, retryDelayMs, type RetryOptions } from "../tenant/retry-policy.ts";
import {
  TokenServiceError,
  classifyTokenError,
  describeTokenError,
  untrustedCertificateAdvice,
  untrustedCertificateCode,
} from "../tenant/token-errors.ts";

export { DEFAULT_RETRY, parseRetryAfter, retryDelayMs, type RetryOptions } from "../tenant/retry-policy.ts";

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
    this.clientRequestId = opts.clientRequestId;
    this.attempts = opts.attempts;
  }
}

export interface HttpRequest {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  /** JSON-serialisable body. */
  body?: unknown;
  /** May this request be sent again after a failure whose outcome is unknown? */
  idempotent: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: unknown;
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

/** Graph `{error:{code,message}}` or Exchange `{error:{code,message,details:[{message:"Ex…|Type|text"}]}}`. */
function describeServiceError(body: unknown): { serviceCode?: string; message?: string } {
  // Plain-text bodies (Exchange's concurrency refusal, gateway pages): their first line.
  if (typeof body === "string") return { message: oneLine(body) || undefined };
  if (typeof body !== "object" || body === null || !("error" in body)) return {};
  const error = body.error;
  if (typeof error !== "object" || error === null) return {};
  const e = error as { code?: unknown; message?: unknown; details?: unknown };
  const detail = Array.isArray(e.details) ? (e.details[0] as { message?: unknown } | undefined) : undefined;
  if (detail && typeof detail.message === "string") {
    const parts = detail.message.split("|");
    if (parts.length >= 3) {
      const type = parts[1]!.split(".").pop();
      return { serviceCode: type, message: parts.slice(2).join("|") };
    }
    return { serviceCode: typeof e.code === "string" ? e.code : undefined, message: detail.message };
  }
  return {
    serviceCode: typeof e.code === "string" ? e.code : undefined,
    message: typeof e.message === "string" ? e.message : undefined,
  };
}

/** Text as one line for a message: no line breaks, no ANSI escapes, at most 300 characters. */
export function oneLine(text: string): string {
  return text
    .replace(/\u001b\[[0-9;]*[A-Za-z]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 300);
}

export interface HttpClientOptions {
  /**
   * Returns a bearer token for this client's audience; never logged. The signal aborts when the token
   * timeout passes (the client also stops waiting by itself, whether or not the source honours it).
   * Throw TokenServiceError (or any error; see tenant/token-errors.ts) to say whether to try again.
   */
  getToken: (signal: AbortSignal) => Promise<string>;
  retry?: RetryOptions;
  /** Requests in flight at once (ignored when `limiter` is given). */
  concurrency?: number;
  /** A limiter shared with other clients, e.g. one per tenant for Exchange. */
  limiter?: Limiter;
  /** Per-attempt timeout, further bounded by what is left of the retry budget. Default 60 s. */
  timeoutMs?: number;
  /** Longest wait for a token, further bounded by what is left of the retry budget. Default 30 s. */
  tokenTimeoutMs?: number;
  /** May a redirect from `from` to `target` be followed? Default: only to the same host name, over https. */
  allowRedirect?: (target: URL, from: string) => boolean;
  /** Called once per attempt, for request counting in benchmarks and tests. */
  onAttempt?: (req: HttpRequest, status: number | "error") => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface HttpClient {
  send(req: HttpRequest): Promise<HttpResponse>;
}

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** A counting semaphore: at most `limit` tasks run at once, the rest wait in order. */
export function createLimiter(limit: number): Limiter {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

const MAX_REDIRECTS = 5;
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

function sameHost(target: URL, from: string): boolean {
  return target.protocol === "https:" && target.hostname === new URL(from).hostname;
}

/** Resolves with the promise, or rejects with a TokenServiceError "timeout" after `ms`. */
async function withDeadline<T>(run: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new TokenServiceError("timeout", `the token service did not answer within ${Math.round(ms / 1000)} s`));
    }, ms);
  });
  try {
    return await Promise.race([run(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

type Outcome = { response?: HttpResponse; error?: unknown; notSent?: boolean; url: string };

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const retry = options.retry ?? DEFAULT_RETRY;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const limit = options.limiter ?? createLimiter(options.concurrency ?? 8);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const tokenTimeoutMs = options.tokenTimeoutMs ?? 30_000;
  const allowRedirect = options.allowRedirect ?? sameHost;
  // A 429 means the budget is spent for everyone using this client, not only for the request that got
  // it: until its Retry-After has passed, no request of this client starts an attempt.
  let pausedUntil = 0;

  /** One attempt, following allowed redirects; `remainingMs` bounds every wait in it. */
  async function attempt(req: HttpRequest, clientRequestId: string, remainingMs: number): Promise<Outcome> {
    const bound = (ms: number) => Math.max(1, Math.min(ms, remainingMs));
    let token: string;
    try {
      token = await withDeadline((signal) => options.getToken(signal), bound(tokenTimeoutMs));
    } catch (error) {
      const cert = untrustedCertificateCode(error);
      if (cert || (error instanceof TokenServiceError && error.kind === "untrusted-certificate"))
        throw tokenFailed(req, error, clientRequestId);
      // A refusal from the token service (wrong secret, no consent) is final.
      if (classifyTokenError(error) === "refused") throw tokenFailed(req, error, clientRequestId);
      // Otherwise it failed on the way (throttled, unreachable, 5xx, too slow): nothing was sent,
      // so the request may be tried again whatever its method.
      return { error, notSent: true, url: req.url };
    }
    const headers: Record<string, string> = {
      accept: "application/json",
      ...req.headers,
      "client-request-id": clientRequestId,
      "return-client-request-id": "true",
      authorization: `Bearer ${token}`,
    };
    let body: string | undefined;
    if (req.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(req.body);
    }
    let url = req.url;
    for (let hops = 0; ; hops++) {
      let res: Response;
      try {
        // redirect "manual": fetch would turn a 302 POST into a body-less GET and drop Authorization
        // across origins without a word (fidelity finding 4); we decide below.
        res = await doFetch(url, {
          method: req.method,
          headers,
          body,
          redirect: "manual",
          signal: AbortSignal.timeout(bound(timeoutMs)),
        });
      } catch (error) {
        options.onAttempt?.(req, "error");
        return { error, url };
      }
      const location = res.headers.get("location");
      if (REDIRECT_STATUS.has(res.status) && location) {
        await res.body?.cancel();
        options.onAttempt?.(req, res.status);
        const target = new URL(location, url);
        if (hops >= MAX_REDIRECTS || !allowRedirect(target, url))
          throw redirectRefused(req, url, target, clientRequestId);
        url = target.toString();
        continue;
      }
      const text = await res.text();
      let parsed: unknown = undefined;
      if (text !== "") {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      options.onAttempt?.(req, res.status);
      return { response: { status: res.status, headers: res.headers, body: parsed }, url };
    }
  }

  return {
    send(req) {
      return limit(async () => {
        const started = Date.now();
        const clientRequestId = randomUUID();
        let ownPause = -1;
        for (let n = 1; ; n++) {
          if (pausedUntil > Date.now() && pausedUntil !== ownPause) await sleep(pausedUntil - Date.now());
          const outcome = await attempt(req, clientRequestId, retry.budgetMs - (Date.now() - started));
          const { response, error, notSent } = outcome;
          if (response && response.status < 400) return response;
          const cert = error !== undefined ? untrustedCertificateCode(error) : undefined;
          if (cert) throw untrustedCertificate(req, outcome.url, cert, clientRequestId, error);
          const answer = response ? classifyAnswer(response.status, response.body) : undefined;
          const retryable = answer ? answer.retryable : req.idempotent || notSent === true;
          const replayable = req.idempotent || notSent === true || answer?.notProcessed === true;
          if (retryable && replayable) {
            const delay = retryDelayMs(
              n,
              response?.headers.get("retry-after"),
              Date.now() - started,
              retry,
              Date.now(),
              Math.random(),
            );
            if (delay !== undefined) {
              if (response?.status === 429 && Date.now() + delay > pausedUntil) {
                pausedUntil = ownPause = Date.now() + delay;
              }
              await sleep(delay);
              continue;
            }
          }
          throw toApiError(req, n, clientRequestId, outcome);
        }
      });
    },
  };
}

function tokenFailed(req: HttpRequest, error: unknown, clientRequestId: string): ApiError {
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

function redirectRefused(req: HttpRequest, from: string, target: URL, clientRequestId: string): ApiError {
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

function untrustedCertificate(
  req: HttpRequest,
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

function toApiError(req: HttpRequest, attempts: number, clientRequestId: string, outcome: Outcome): ApiError {
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
  const { serviceCode, message } = describeServiceError(response.body);
  const requestId = response.headers.get("request-id") ?? response.headers.get("x-ms-request-id") ?? undefined;
  return new ApiError({
    code: codeForStatus(response.status),
    message: `${req.method} ${url} answered ${response.status}${serviceCode ? ` ${serviceCode}` : ""}${
      message ? `: ${oneLine(message)}` : ""
    }${attempts > 1 ? ` (${tries})` : ""} [client-request-id ${clientRequestId}]`,
    method: req.method,
    url,
    status: response.status,
    serviceCode,
    requestId,
    clientRequestId,
    attempts,
  });
}
