/**
 * The one HTTP layer under the Graph and Exchange clients: auth → concurrency limit → retry → transport.
 *
 * - Retries 429, 503 and 504 (and connection resets and timeouts), honouring Retry-After as seconds
 *   or an HTTP date, capped, within a total time budget; jittered exponential back-off otherwise.
 * - A 429 pauses the whole client until its Retry-After has passed, so the other requests in flight
 *   or queued do not spend more of the budget only to be refused too.
 * - Only requests marked idempotent are replayed.
 * - Errors are ApiError with a stable `code`, the method and a credential-free URL; tokens never
 *   appear in messages, and the response is kept off the enumerable properties.
 */

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
  | "NOT_IMPLEMENTED";

/** An API call that failed. `serviceCode` is Graph's `error.code` or Exchange's exception name. */
export class ApiError extends Error {
  override name = "ApiError";
  readonly code: ApiErrorCode;
  readonly status: number | undefined;
  readonly method: string;
  readonly url: string;
  readonly serviceCode: string | undefined;
  readonly requestId: string | undefined;
  readonly attempts: number;
  constructor(opts: {
    code: ApiErrorCode;
    message: string;
    method: string;
    url: string;
    status?: number;
    serviceCode?: string;
    requestId?: string;
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

export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First back-off delay without Retry-After. */
  baseDelayMs: number;
  /** Longest single wait, whatever Retry-After says. */
  maxDelayMs: number;
  /** Total time a request may spend, waits included; past it the last error is returned. */
  budgetMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, budgetMs: 120_000 };

/**
 * How long to wait before attempt `attempt + 1` (attempt counts from 1), or undefined to give up.
 * Pure: `now` and `random` are passed in so tests need no clock.
 */
export function retryDelayMs(
  attempt: number,
  retryAfter: string | null,
  elapsedMs: number,
  options: RetryOptions,
  now: number,
  random: number,
): number | undefined {
  if (attempt >= options.maxAttempts) return undefined;
  let delay: number;
  const fromHeader = parseRetryAfter(retryAfter, now);
  if (fromHeader !== undefined) {
    delay = Math.min(fromHeader, options.maxDelayMs);
  } else {
    const exponential = options.baseDelayMs * 2 ** (attempt - 1);
    // Full jitter between half and all of the exponential delay.
    delay = Math.min(options.maxDelayMs, exponential / 2 + (random * exponential) / 2);
  }
  if (elapsedMs + delay > options.budgetMs) return undefined;
  return Math.round(delay);
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

const RETRYABLE_STATUS = new Set([429, 503, 504]);

function codeForStatus(status: number): ApiErrorCode {
  if (status === 401) return "UNAUTHORIZED";
  if (status === 403) return "PERMISSION_DENIED";
  if (status === 404) return "NOT_FOUND";
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
  // Some Exchange gateway errors arrive as plain text (fidelity finding 19): keep their first line.
  if (typeof body === "string" && body.trim() !== "") return { message: body.trim().split(/\r?\n/)[0]!.slice(0, 300) };
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

export interface HttpClientOptions {
  /** Returns a bearer token for this client's audience; never logged. */
  getToken: () => Promise<string>;
  retry?: RetryOptions;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Per-attempt timeout. */
  timeoutMs?: number;
  /** Called once per attempt, for request counting in benchmarks and tests. */
  onAttempt?: (req: HttpRequest, status: number | "error") => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface HttpClient {
  send(req: HttpRequest): Promise<HttpResponse>;
}

/** A counting semaphore: at most `limit` tasks run at once, the rest wait in order. */
export function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
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

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const retry = options.retry ?? DEFAULT_RETRY;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const limit = createLimiter(options.concurrency ?? 8);
  const timeoutMs = options.timeoutMs ?? 60_000;
  // A 429 means the budget is spent for everyone using this client, not only for the request that got
  // it: until its Retry-After has passed, no request of this client starts an attempt.
  let pausedUntil = 0;

  async function attempt(req: HttpRequest): Promise<{ response?: HttpResponse; error?: unknown; notSent?: boolean }> {
    let token: string;
    try {
      token = await options.getToken();
    } catch (error) {
      // A refusal from the token service (wrong secret, no consent) is final.
      if (isTokenRefusal(error)) throw tokenRefused(req, error);
      // Otherwise it failed on the way (unreachable, 5xx, its metadata not fetched): nothing was sent,
      // so the request may be tried again whatever its method.
      return { error, notSent: true };
    }
    const headers: Record<string, string> = {
      accept: "application/json",
      ...req.headers,
      authorization: `Bearer ${token}`,
    };
    let body: string | undefined;
    if (req.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(req.body);
    }
    try {
      const res = await doFetch(req.url, {
        method: req.method,
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
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
      return { response: { status: res.status, headers: res.headers, body: parsed } };
    } catch (error) {
      options.onAttempt?.(req, "error");
      return { error };
    }
  }

  return {
    send(req) {
      return limit(async () => {
        const started = Date.now();
        let ownPause = -1;
        for (let n = 1; ; n++) {
          if (pausedUntil > Date.now() && pausedUntil !== ownPause) await sleep(pausedUntil - Date.now());
          const { response, error, notSent } = await attempt(req);
          const retryable = error !== undefined ? req.idempotent || notSent : RETRYABLE_STATUS.has(response!.status);
          const replayable = req.idempotent || notSent || response?.status === 429; // a 429 was not processed
          if (response && response.status < 400) return response;
          if (retryable && replayable) {
            const delay = retryDelayMs(
              n,
              response?.headers.get("retry-after") ?? null,
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
          throw toApiError(req, n, response, error);
        }
      });
    },
  };
}

/** An answer from the token service that trying again cannot change (an AADSTS error such as invalid_client). */
function isTokenRefusal(error: unknown): boolean {
  return (
    error instanceof Error &&
    /AADSTS\d+|invalid_client|invalid_grant|unauthorized_client|invalid_scope/.test(error.message)
  );
}

function tokenRefused(req: HttpRequest, error: unknown): ApiError {
  // The first line of an AADSTS message names the error; the rest is trace ids and timestamps.
  const first = (error as Error).message.split(/\r?\n| - Timestamp: /)[0]!.slice(0, 300);
  return new ApiError({
    code: "UNAUTHORIZED",
    message: `${req.method} ${safeUrl(req.url)} was not sent: the token service refused the credentials: ${first}`,
    method: req.method,
    url: safeUrl(req.url),
    attempts: 0,
    cause: error,
  });
}

function toApiError(req: HttpRequest, attempts: number, response?: HttpResponse, error?: unknown): ApiError {
  const url = safeUrl(req.url);
  if (!response) {
    const timeout = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : "";
    return new ApiError({
      code: timeout ? "TIMEOUT" : "NETWORK",
      message: `${req.method} ${url} failed after ${attempts} attempt(s): ${timeout ? "timed out" : reason}`,
      method: req.method,
      url,
      attempts,
      cause: error,
    });
  }
  const { serviceCode, message } = describeServiceError(response.body);
  const requestId = response.headers.get("request-id") ?? response.headers.get("x-ms-request-id") ?? undefined;
  return new ApiError({
    code: codeForStatus(response.status),
    message: `${req.method} ${url} answered ${response.status}${serviceCode ? ` ${serviceCode}` : ""}${
      message ? `: ${message}` : ""
    }${attempts > 1 ? ` (after ${attempts} attempts)` : ""}`,
    method: req.method,
    url,
    status: response.status,
    serviceCode,
    requestId,
    attempts,
  });
}
