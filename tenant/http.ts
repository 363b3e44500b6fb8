/**
 * The one HTTP layer under the Graph and Exchange clients: auth → concurrency limit → retry → redirect
 * → transport.
 *
 * - Retries the answers the retry policy (tenant/retry-policy.ts) calls transient — 408, 429, 500,
 *   502, 503, 504, Exchange's per-tenant concurrency refusal — and connection resets and timeouts,
 *   honouring Retry-After (seconds, fractional, or an HTTP date) in full within a total time budget;
 *   one longer than the budget left fails at once, saying how long the service asked to wait.
 * - An error inside a 2xx whose text says it is transient (throttled, busy, try again) is retried like
 *   a 503; a 2xx body that is not what the request `expect`s is a failed attempt, retried likewise.
 * - A 429, or a 503 with Retry-After (an outage the service says how long to wait out), pauses the
 *   whole client until its Retry-After has passed, so the other requests in flight or queued do not
 *   spend more of the budget only to be refused too.
 * - A 401 whose WWW-Authenticate says `invalid_token` or `insufficient_claims` (a claims challenge:
 *   Continuous Access Evaluation, Conditional Access) gets one fresh token, with the challenge's claims,
 *   and one more attempt, as @azure/identity's challenge handling and the msgraph SDKs do.
 * - A token refusal is final, but AADSTS700027 (a certificate rotated a moment ago, not yet on every
 *   token-service node) is retried for CERTIFICATE_ROTATION_GRACE_MS first (tenant/token-errors.ts).
 * - Only requests marked idempotent are replayed after an answer whose outcome is unknown.
 * - Every wait is bounded: the token request and each attempt get a timeout, a retry's cut to what is
 *   left of the budget.
 * - Redirects are never followed silently: only to a host `allowRedirect` accepts, keeping method, body
 *   and Authorization; any other redirect fails.
 * - Each request carries a `client-request-id` (a UUID, the same on every attempt), shown in errors:
 *   it is what Microsoft support asks for.
 * - Errors are ApiError with a stable `code`, the method and a credential-free URL, in one line;
 *   tokens never appear in messages, and the response is kept off the enumerable properties.
 */
import { randomUUID } from "node:crypto";
import {
  DEFAULT_RETRY,
  classifyAnswer,
  retryAfterBeyondBudget,
  transientErrorInOk,
  retryDelayMs,
  type RetryOptions,
} from "./retry-policy.ts";
import {
  oneLine,
  redirectRefused,
  toApiError,
  tokenFailed,
  untrustedCertificate,
  type AttemptOutcome,
} from "./api-error.ts";
import {
  CERTIFICATE_ROTATION_GRACE_MS,
  TokenServiceError,
  classifyTokenError,
  isCertificateRotationLag,
  isTokenThrottling,
  untrustedCertificateCode,
} from "./token-errors.ts";

export { DEFAULT_RETRY, parseRetryAfter, retryDelayMs, type RetryOptions } from "./retry-policy.ts";
export { ApiError, oneLine, safeUrl, type ApiErrorCode } from "./api-error.ts";

export interface HttpRequest {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  /** JSON-serialisable body. */
  body?: unknown;
  /** May this request be sent again after a failure whose outcome is unknown? */
  idempotent: boolean;
  /**
   * What a 2xx body must be (e.g. {@link expectObject}, {@link expectCollection}): returns what is wrong
   * with it, or undefined. A 2xx that fails it (a proxy's HTML page, an empty body, a page without
   * `value`) is a failed attempt, retried for an idempotent request and thrown as SERVER_ERROR at the end.
   */
  expect?: (body: unknown) => string | undefined;
}

/** True for a body carrying an error envelope: its caller names that error (tenant/exchange-errors.ts). */
function carriesError(body: object): boolean {
  return "error" in body || "@odata.error" in body;
}

/** A 2xx body must be a JSON object (an error envelope passes: the caller reads it). */
export function expectObject(body: unknown): string | undefined {
  if (body === undefined) return "an empty body";
  if (typeof body === "string") return `a body that is not JSON: ${oneLine(body).slice(0, 120)}`;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "a JSON body that is not an object";
  return undefined;
}

/** A 2xx body must be an OData collection page: a JSON object with an array `value`. */
export function expectCollection(body: unknown): string | undefined {
  const notObject = expectObject(body);
  if (notObject !== undefined) return notObject;
  const b = body as Record<string, unknown>;
  if (carriesError(b) || Array.isArray(b.value)) return undefined;
  return "a body without a value array";
}

/** What the HTTP layer asks of a token source after a challenge. */
export interface TokenRequestOptions {
  /** Not the cached token: the service refused it (a new credential object, so MSAL's cache is skipped). */
  fresh?: boolean;
  /** The claims a 401's `insufficient_claims` challenge asked for, decoded (a JSON text), for `getToken`. */
  claims?: string;
}

/**
 * A 401's WWW-Authenticate that asks for another token: `error="invalid_token"` (Exchange's front door
 * for an expired or revoked token) or `error="insufficient_claims"` with base64 `claims` (Graph's
 * Continuous Access Evaluation and Conditional Access challenges). Undefined for any other 401.
 */
export function tokenChallenge(header: string | null): TokenRequestOptions | undefined {
  if (!header || !/\berror\s*=\s*"?(invalid_token|insufficient_claims)\b/i.test(header)) return undefined;
  const encoded = /\bclaims\s*=\s*"([^"]*)"/i.exec(header)?.[1];
  if (!encoded) return { fresh: true };
  return { fresh: true, claims: Buffer.from(encoded, "base64").toString("utf8") };
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: unknown;
  /** Attempts made, when more than one ended in this answer (a transient error inside a 2xx retried). */
  attempts?: number;
}

export interface HttpClientOptions {
  /**
   * Returns a bearer token for this client's audience; never logged. The signal aborts when the token
   * timeout passes (the client also stops waiting by itself, whether or not the source honours it).
   * Throw TokenServiceError (or any error; see tenant/token-errors.ts) to say whether to try again.
   * `options` comes only after a 401 challenge (tokenChallenge): a fresh token, with claims when asked.
   */
  getToken: (signal: AbortSignal, options?: TokenRequestOptions) => Promise<string>;
  retry?: RetryOptions;
  /** Requests in flight at once (ignored when `limiter` is given). */
  concurrency?: number;
  /** A limiter shared with other clients, e.g. one per tenant for Exchange. */
  limiter?: Limiter;
  /** Per-attempt timeout; a retry gets at most what is left of the retry budget. Default 60 s. */
  timeoutMs?: number;
  /** Longest wait for a token; on a retry at most what is left of the retry budget. Default 30 s. */
  tokenTimeoutMs?: number;
  /** May a redirect from `from` to `target` be followed? Default: only to the same host name, over https. */
  allowRedirect?: (target: URL, from: string) => boolean;
  /**
   * When AADSTS700027 was first met since the last token (isCertificateRotationLag): share one object
   * between the clients that sign in with the same credential, so they share one grace. Default: own.
   */
  rotationLag?: { since?: number };
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

/**
 * Runs a token request with an abort signal, resolving with its result or rejecting with a
 * TokenServiceError "timeout" after `ms` whether or not the source honours the signal.
 */
export async function withTokenDeadline<T>(run: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new TokenServiceError(
          "timeout",
          `the token service did not answer within ${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`,
        ),
      );
    }, ms);
  });
  try {
    return await Promise.race([run(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

type Outcome = AttemptOutcome;

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const retry = options.retry ?? DEFAULT_RETRY;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const limit = options.limiter ?? createLimiter(options.concurrency ?? 8);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const tokenTimeoutMs = options.tokenTimeoutMs ?? 30_000;
  const allowRedirect = options.allowRedirect ?? sameHost;
  // A 429 means the budget is spent for everyone using this client, not only for the request that got
  // it, and a 503 with Retry-After an outage for everyone: until its Retry-After has passed, no request
  // of this client starts an attempt.
  let pausedUntil = 0;
  // When AADSTS700027 was first met since the last token: a certificate rotated a moment ago.
  const rotationLag = options.rotationLag ?? {};

  /** One attempt, following allowed redirects; `remainingMs` bounds every wait in it. */
  async function attempt(
    req: HttpRequest,
    clientRequestId: string,
    remainingMs: number,
    tokenOptions: TokenRequestOptions | undefined,
  ): Promise<Outcome> {
    const bound = (ms: number) => Math.max(1, Math.min(ms, remainingMs));
    let token: string;
    try {
      token = await withTokenDeadline(
        (signal) => (tokenOptions ? options.getToken(signal, tokenOptions) : options.getToken(signal)),
        bound(tokenTimeoutMs),
      );
    } catch (error) {
      const cert = untrustedCertificateCode(error);
      if (cert || (error instanceof TokenServiceError && error.kind === "untrusted-certificate"))
        throw tokenFailed(req, error, clientRequestId);
      // A refusal from the token service (wrong secret, no consent) is final; AADSTS700027 only once it
      // has lasted past the grace a rotated certificate needs to reach every token-service node.
      if (classifyTokenError(error) === "refused") {
        if (!isCertificateRotationLag(error)) throw tokenFailed(req, error, clientRequestId);
        rotationLag.since ??= Date.now();
        if (Date.now() - rotationLag.since >= CERTIFICATE_ROTATION_GRACE_MS)
          throw tokenFailed(req, error, clientRequestId);
      }
      // Otherwise it failed on the way (throttled, unreachable, 5xx, too slow): nothing was sent,
      // so the request may be tried again whatever its method.
      return { error, notSent: true, url: req.url };
    }
    rotationLag.since = undefined;
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
      // The body is read inside its own try, as the fetch is: a chunked answer cut after the headers
      // or a body slower than the attempt's timeout is a transport failure, retried and named like one.
      let text: string;
      try {
        text = await res.text();
      } catch (error) {
        options.onAttempt?.(req, "error");
        return { error, url };
      }
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
        // After a 401 challenge: the options of the one fresh token request, then spent.
        let challenge: TokenRequestOptions | undefined;
        let challenged = false;
        for (let n = 1; ; n++) {
          if (pausedUntil > Date.now() && pausedUntil !== ownPause) await sleep(pausedUntil - Date.now());
          // The first attempt has its own timeouts; a retry gets what is left of the budget at most.
          const remaining = n === 1 ? Number.POSITIVE_INFINITY : retry.budgetMs - (Date.now() - started);
          const outcome = await attempt(req, clientRequestId, remaining, challenge);
          challenge = undefined;
          const { response, error, notSent } = outcome;
          // A refused token is not a processed request: one fresh token (with the claims asked for) and
          // one more attempt, at once and whatever the method.
          if (response?.status === 401 && !challenged) {
            challenge = tokenChallenge(response.headers.get("www-authenticate"));
            challenged = challenge !== undefined;
            if (challenged) continue;
          }
          // An error inside a 2xx that says it is transient (throttled, busy, try again) is retried like a
          // 503; when the attempts run out the answer goes back to the caller, which names the error.
          let inOk: { retryable: boolean; notProcessed: boolean } | undefined;
          if (response && response.status < 400) {
            outcome.unexpected = req.expect?.(response.body);
            inOk = outcome.unexpected === undefined ? transientErrorInOk(response.body) : undefined;
            if (outcome.unexpected === undefined && !inOk) return response;
          }
          const cert = error !== undefined ? untrustedCertificateCode(error) : undefined;
          if (cert) throw untrustedCertificate(req, outcome.url, cert, clientRequestId, error);
          // A 2xx that is not what was asked for (a gateway's or proxy's page) is transient, its outcome unknown.
          const answer =
            outcome.unexpected !== undefined
              ? { retryable: true, notProcessed: false }
              : (inOk ?? (response ? classifyAnswer(response.status, response.body) : undefined));
          const retryable = answer ? answer.retryable : req.idempotent || notSent === true;
          const replayable = req.idempotent || notSent === true || answer?.notProcessed === true;
          if (retryable && replayable) {
            const elapsed = Date.now() - started;
            let delay = retryDelayMs(
              n,
              response?.headers.get("retry-after"),
              elapsed,
              retry,
              Date.now(),
              Math.random(),
            );
            // MSAL replays a throttled token answer (429, 5xx) until the service's Retry-After has
            // passed, 60 s when it sent none: spread the attempts left over the budget left.
            if (delay !== undefined && notSent && isTokenThrottling(error)) {
              delay = Math.max(delay, Math.floor((retry.budgetMs - elapsed) / (retry.maxAttempts - n + 1)));
            }
            if (delay !== undefined) {
              const holdsAll =
                response?.status === 429 || (response?.status === 503 && response.headers.has("retry-after"));
              if (holdsAll && Date.now() + delay > pausedUntil) {
                pausedUntil = ownPause = Date.now() + delay;
              }
              await sleep(delay);
              continue;
            }
            // A Retry-After longer than the budget left: stop now rather than retry inside the window.
            if (n < retry.maxAttempts)
              outcome.stopped = retryAfterBeyondBudget(
                response?.headers.get("retry-after"),
                elapsed,
                retry,
                Date.now(),
              );
          }
          if (inOk && response) return { ...response, attempts: n };
          // A refusal retried in its grace (AADSTS700027) ends as the refusal it is.
          if (notSent && classifyTokenError(error) === "refused") throw tokenFailed(req, error, clientRequestId);
          throw toApiError(req, n, clientRequestId, outcome);
        }
      });
    },
  };
}
