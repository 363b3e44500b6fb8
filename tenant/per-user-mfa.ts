/**
 * Legacy per-user MFA through Microsoft Graph beta `users/{id}/authentication/requirements`: one
 * user at a time, or many through $batch (20 a request) with items throttled or failed transiently one
 * by one retried by the one retry policy. A 403 becomes a PermissionError naming the permission.
 */
import { PER_USER_MFA_STATES, isOneOf, type PerUserMfaState } from "../m365/model.ts";
import type { TenantApi } from "./api.ts";
import { ApiError, expectObject, type HttpClient, type RetryOptions } from "./http.ts";
import { userPath } from "./graph.ts";
import { withPermission } from "./permission-error.ts";
import { DEFAULT_RETRY, RETRYABLE_STATUS, headerOf, retryAfterBeyondBudget, retryDelayMs } from "./retry-policy.ts";

/** The per-user MFA operations of the tenant client (see TenantApi in ./api.ts for each contract). */
export type PerUserMfaApi = Pick<
  TenantApi,
  "getPerUserMfa" | "setPerUserMfa" | "getPerUserMfaMany" | "setPerUserMfaMany"
>;

function parseMfaState(body: unknown, upn: string): PerUserMfaState {
  const state = (body as { perUserMfaState?: unknown } | undefined)?.perUserMfaState;
  if (!isOneOf(PER_USER_MFA_STATES, state)) {
    throw new Error(`Graph returned an unexpected perUserMfaState ${JSON.stringify(state)} for ${upn}`);
  }
  return state;
}

/**
 * $batch requests one per-user MFA call keeps in flight: the Graph client's concurrency
 * (DEFAULT_CONCURRENCY.graph in ./api.ts), as many as it would send at once anyway.
 */
export const BATCH_REQUESTS_IN_FLIGHT = 8;

/** Per-user MFA calls on `graph` (an HTTP client with the Graph token) against `graphUrl`. */
export function createPerUserMfaApi(
  graph: HttpClient,
  graphUrl: string,
  retry?: RetryOptions,
  sleep?: (ms: number) => Promise<void>,
): PerUserMfaApi {
  const batchRetry = retry ?? DEFAULT_RETRY;
  const batchSleep = sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const batchItemError = (
    upn: string,
    r: { status: number; body?: unknown; headers?: Record<string, string> },
    attempts: number,
    method: "GET" | "PATCH" = "GET",
    stopped?: string,
  ) => {
    const reason = (r.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const why = reason ? ` ${String(reason.code)}: ${String(reason.message)}` : "";
    return new ApiError({
      code:
        r.status === 403
          ? "PERMISSION_DENIED"
          : r.status === 429
            ? "THROTTLED"
            : r.status === 404
              ? "NOT_FOUND"
              : "SERVER_ERROR",
      message: `${method} /beta/users/${upn}/authentication/requirements (in $batch) answered ${r.status}${why}${
        attempts > 1 ? ` (after ${attempts} attempts)` : ""
      }${stopped ? `; ${stopped}` : ""}`,
      method,
      url: `${graphUrl}/beta${userPath(upn)}/authentication/requirements`,
      status: r.status,
      requestId: headerOf(r.headers, "request-id"),
      attempts,
    });
  };
  return {
    async getPerUserMfa(upn) {
      return withPermission("graph.perUserMfa.read", async () => {
        const res = await graph.send({
          method: "GET",
          url: `${graphUrl}/beta${userPath(upn)}/authentication/requirements`,
          idempotent: true,
        });
        return parseMfaState(res.body, upn);
      });
    },
    async setPerUserMfa(upn, state) {
      await withPermission("graph.perUserMfa.write", () =>
        graph.send({
          method: "PATCH",
          url: `${graphUrl}/beta${userPath(upn)}/authentication/requirements`,
          body: { perUserMfaState: state },
          idempotent: true,
        }),
      );
    },
    async getPerUserMfaMany(upns) {
      return withPermission("graph.perUserMfa.read", async () => {
        const result = new Map<string, PerUserMfaState>();
        const bodies = await mfaBatch(upns.map((upn) => ({ upn })));
        for (const [upn, body] of bodies) result.set(upn, parseMfaState(body, upn));
        return result;
      });
    },
    async setPerUserMfaMany(changes) {
      return withPermission("graph.perUserMfa.write", async () => new Set((await mfaBatch(changes)).keys()));
    },
  };

  /**
   * Per-user MFA requests through Graph $batch, 20 a request, {@link BATCH_REQUESTS_IN_FLIGHT} requests
   * of one call at a time. A GET for each `{ upn }`, a PATCH for each `{ upn, state }`. Items answered
   * 408/429/500/502/503/504 are retried with the one retry policy (Retry-After honoured); a GET answered
   * 404 is asked once more (a user listed a moment ago may be missing on the replica that serves the
   * read) and, still 404, left out of the result; a PATCH answered 404 is left out too, so it is not in
   * the Set setPerUserMfaMany returns; any other status throws an ApiError. Resolves with each answered
   * user's body.
   *
   * Why the pool and the shared pause: Graph's write budget (20 a second) paces a 10,000-user change
   * over minutes, so the retry allowance must measure a chunk's own time, not its wait in a queue
   * behind every other chunk, and a round in which some items of the call got through is progress, not
   * a failed attempt (the allowance starts again): the budget is shared, so which chunk wins a refill
   * is chance. An item answered 429 holds the call's other requests back until its Retry-After has
   * passed, instead of spending their attempts on the same refusal. The call fails only when none of
   * its items is answered for a whole retry allowance.
   */
  async function mfaBatch(items: { upn: string; state?: PerUserMfaState }[]): Promise<Map<string, unknown>> {
    const result = new Map<string, unknown>();
    const chunks: (typeof items)[] = [];
    for (let i = 0; i < items.length; i += 20) chunks.push(items.slice(i, i + 20));
    let pausedUntil = 0;
    let failed = false;
    /** Items of this call answered so far (any status but a retryable one): the call's progress. */
    let answered = 0;
    let next = 0;

    const runChunk = async (chunk: typeof items) => {
      let pending = chunk.map((item, i) => ({ id: String(i + 1), askedAgain: false, ...item }));
      let started = Date.now();
      let attempt = 1;
      let ownPause = -1;
      let answeredBefore = answered;
      while (pending.length > 0) {
        // Another chunk's 429 holds this one back; a chunk has already waited out its own.
        if (pausedUntil > Date.now() && pausedUntil !== ownPause) await batchSleep(pausedUntil - Date.now());
        const res = await graph.send({
          method: "POST",
          url: `${graphUrl}/beta/$batch`,
          body: {
            requests: pending.map((p) =>
              p.state === undefined
                ? { id: p.id, method: "GET", url: `${userPath(p.upn)}/authentication/requirements` }
                : {
                    id: p.id,
                    method: "PATCH",
                    url: `${userPath(p.upn)}/authentication/requirements`,
                    headers: { "content-type": "application/json" },
                    body: { perUserMfaState: p.state },
                  },
            ),
          },
          // Each item is a read or an absolute PATCH: sending the batch twice is safe.
          idempotent: true,
          expect: (b) =>
            expectObject(b) ??
            (Array.isArray((b as { responses?: unknown }).responses) ? undefined : "a body without a responses array"),
        });
        const responses = (
          res.body as {
            responses: { id: string; status: number; body?: unknown; headers?: Record<string, string> }[];
          }
        ).responses;
        const throttled: { p: (typeof pending)[number]; r: (typeof responses)[number] }[] = [];
        for (const p of pending) {
          const method = p.state === undefined ? "GET" : "PATCH";
          const r = responses.find((x) => x.id === p.id);
          if (!r) throw new Error(`Graph $batch answered without response ${p.id}`);
          if (r.status >= 200 && r.status < 300) result.set(p.upn, r.body);
          else if (r.status === 404 && method === "GET" && !p.askedAgain) {
            // Directory replication: ask once more before leaving the user out (quirks finding 9).
            p.askedAgain = true;
            throttled.push({ p, r });
          } else if (r.status === 404) continue;
          // An item's status is what the same request alone would get: 408/429/500/502/503/504 are
          // transient as they are for any request, and every item is a GET or an absolute PATCH.
          else if (RETRYABLE_STATUS.has(r.status)) throttled.push({ p, r });
          else throw batchItemError(p.upn, r, attempt, method);
        }
        if (throttled.length === 0) return;
        answered += pending.length - throttled.length;
        if (answered > answeredBefore) {
          // The call made progress since this chunk's last round (here or in another chunk sharing
          // the same budget): the retry allowance starts again for the items left.
          attempt = 1;
          started = Date.now();
        }
        answeredBefore = answered;
        let wait = 0;
        for (const { p, r } of throttled) {
          const delay = retryDelayMs(
            attempt,
            headerOf(r.headers, "retry-after"),
            Date.now() - started,
            batchRetry,
            Date.now(),
            Math.random(),
          );
          if (delay === undefined) {
            const stopped =
              attempt < batchRetry.maxAttempts
                ? retryAfterBeyondBudget(
                    headerOf(r.headers, "retry-after"),
                    Date.now() - started,
                    batchRetry,
                    Date.now(),
                  )
                : undefined;
            throw batchItemError(p.upn, r, attempt, p.state === undefined ? "GET" : "PATCH", stopped);
          }
          wait = Math.max(wait, delay);
        }
        if (Date.now() + wait > pausedUntil) pausedUntil = ownPause = Date.now() + wait;
        await batchSleep(wait);
        attempt++;
        pending = throttled.map((t) => t.p);
      }
    };

    const worker = async () => {
      while (!failed && next < chunks.length) {
        const chunk = chunks[next++]!;
        try {
          await runChunk(chunk);
        } catch (err) {
          failed = true; // no new chunk starts once the call has failed
          throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_REQUESTS_IN_FLIGHT, chunks.length) }, worker));
    return result;
  }
}
