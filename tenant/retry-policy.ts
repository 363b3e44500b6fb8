/**
 * The one retry policy of the tenant clients (Graph, Exchange, Graph `$batch` items): which answers are
 * transient, how long to wait before the next attempt, and when to give up. Pure: no clock, no I/O.
 *
 * Sources for what is transient: Microsoft Graph's throttling guidance (429, Retry-After in seconds,
 * fractional in its sample: "2.128"); CISA ScubaGear's Exchange REST helpers (429/500/502/503/504);
 * GreyCorbel ExoHelper (408/429/503/504, and Exchange's plain-text "You have reached the maximum number
 * of concurrent requests per tenant" refusal whatever its status).
 */

export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First back-off delay without Retry-After. */
  baseDelayMs: number;
  /** Longest computed back-off; a Retry-After is honoured in full when it fits the budget. */
  maxDelayMs: number;
  /** Total time a request may spend, waits and attempts included; past it the last error is returned. */
  budgetMs: number;
}

/**
 * Ten attempts within two minutes: at the 50 % transient-fault rate the reliability review injected,
 * a request fails all of six attempts 1.6 % of the time (a dozen failures in a 1,000-item apply) and
 * all of ten 0.1 % of the time; the budget, not the count, bounds how long a request may take.
 */
export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 10, baseDelayMs: 500, maxDelayMs: 30_000, budgetMs: 120_000 };

/** Statuses retried for requests that may be replayed (429 and the concurrency refusal for any request). */
export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Exchange Online's refusal when a tenant has too many requests in flight (a plain-text body). */
export const CONCURRENCY_REFUSAL = "You have reached the maximum number of concurrent requests per tenant";

/**
 * True when a response body is Exchange's per-tenant concurrency refusal: a plain-text body, or the text
 * in `error.message` or any `error.details[].message` of a JSON envelope (the usual Exchange error shape,
 * where the top-level message is a generic "Error executing cmdlet").
 */
export function isConcurrencyRefusal(body: unknown): boolean {
  if (typeof body === "string") return body.includes(CONCURRENCY_REFUSAL);
  if (typeof body === "object" && body !== null && "error" in body) {
    const error = body.error as { message?: unknown; details?: unknown } | null;
    const details = Array.isArray(error?.details) ? (error.details as ({ message?: unknown } | null)[]) : [];
    return [error?.message, ...details.map((d) => d?.message)].some(
      (m) => typeof m === "string" && m.includes(CONCURRENCY_REFUSAL),
    );
  }
  return false;
}

/**
 * May an answer be retried, and may it be replayed even for a request that is not idempotent?
 * A 429 and the concurrency refusal say the request was not processed, so any request may be sent
 * again; other transient statuses leave the outcome unknown, so only idempotent requests are.
 */
export function classifyAnswer(status: number, body: unknown): { retryable: boolean; notProcessed: boolean } {
  if (status < 400) return { retryable: false, notProcessed: false };
  if (isConcurrencyRefusal(body)) return { retryable: true, notProcessed: true };
  return { retryable: RETRYABLE_STATUS.has(status), notProcessed: status === 429 };
}

/**
 * Words of an error reported inside a 2xx that say trying again can help: CISA ScubaGear's functional
 * helper retries `throttl|busy|unavailable|try again` found in `error`/`@odata.error` of 200 answers;
 * ExoHelper's list adds UnableToWriteToAadException and "issue may be transient".
 */
const TRANSIENT_IN_OK = /throttl|busy|unavailable|try again|transient|UnableToWriteToAad/i;

/**
 * For a 2xx whose body carries an error (`error`, `@odata.error`, a non-empty `@adminapi.errors`) whose
 * text says it is transient: retryable, and not processed when it says throttled (so any request may
 * be replayed). Undefined for a 2xx without such an error.
 */
export function transientErrorInOk(body: unknown): { retryable: true; notProcessed: boolean } | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const nonTerminating = Array.isArray(b["@adminapi.errors"]) ? (b["@adminapi.errors"] as unknown[]) : [];
  const found = [b.error, b["@odata.error"], ...nonTerminating].filter((e) => e !== undefined && e !== null);
  if (found.length === 0) return undefined;
  const text = JSON.stringify(found);
  if (!TRANSIENT_IN_OK.test(text)) return undefined;
  return { retryable: true, notProcessed: /throttl/i.test(text) };
}

/**
 * Retry-After in milliseconds: delta-seconds, fractional allowed ("2.128" → 2128), or an HTTP date;
 * undefined when absent or unreadable. Only a value with letters is read as a date, because
 * `Date.parse("1.5")` is a day in 2001 and would mean "retry now".
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * How long to wait before attempt `attempt + 1` (attempt counts from 1), or undefined to give up:
 * after `maxAttempts`, or when the wait would end past the budget. Retry-After is honoured in full
 * (Microsoft's throttling guidance: wait that long; a retry sooner meets the same refusal and spends
 * the budget), so one longer than the budget left gives up at once ({@link retryAfterBeyondBudget}
 * says why); without it, jittered exponential back-off up to `maxDelayMs`. `now` and `random` are
 * passed in so tests need no clock.
 */
export function retryDelayMs(
  attempt: number,
  retryAfter: string | null | undefined,
  elapsedMs: number,
  options: RetryOptions,
  now: number,
  random: number,
): number | undefined {
  if (attempt >= options.maxAttempts) return undefined;
  let delay: number;
  const fromHeader = parseRetryAfter(retryAfter, now);
  if (fromHeader !== undefined) {
    delay = fromHeader;
  } else {
    const exponential = options.baseDelayMs * 2 ** (attempt - 1);
    // Full jitter between half and all of the exponential delay.
    delay = Math.min(options.maxDelayMs, exponential / 2 + (random * exponential) / 2);
  }
  if (elapsedMs + delay > options.budgetMs) return undefined;
  return Math.round(delay);
}

/**
 * When a Retry-After asks for a wait past the retry budget: the sentence that says so (how long the
 * service asked to wait, how much of the budget was left), else undefined.
 */
export function retryAfterBeyondBudget(
  retryAfter: string | null | undefined,
  elapsedMs: number,
  options: RetryOptions,
  now: number,
): string | undefined {
  const asked = parseRetryAfter(retryAfter, now);
  if (asked === undefined || elapsedMs + asked <= options.budgetMs) return undefined;
  const left = Math.max(0, Math.floor((options.budgetMs - elapsedMs) / 1000));
  return (
    `the service asked to wait ${Math.ceil(asked / 1000)} s (Retry-After), more than the ${left} s left of the ` +
    `${Math.round(options.budgetMs / 1000)} s retry budget`
  );
}

/** The Retry-After of a `$batch` item, whose headers object may spell the name in any case. */
export function headerOf(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}
