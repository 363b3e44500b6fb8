/**
 * The one retry policy, driven through the real HTTP layer and tenant client against the sandbox's
 * fault switches: 408/500/502, Exchange's plain-text concurrency refusal (and the concurrency cap
 * that produces it), fractional Retry-After, and Retry-After in any case or as an HTTP date inside
 * Graph $batch items. Waits are recorded through the client's `sleep`, never slept.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiError, createHttpClient, type HttpRequest } from "../../tenant/http.ts";
import { createTenantApi, type TenantApi } from "../../tenant/api.ts";
import { CONCURRENCY_REFUSAL_TEXT } from "../../sandbox/runtime/fault-responses.ts";
import type { Sandbox } from "../../sandbox/server.ts";
import { classifyAnswer, parseRetryAfter, retryDelayMs } from "../../tenant/retry-policy.ts";
import { startTestSandbox } from "../sandbox/helpers.ts";

const NOW = Date.parse("2026-11-29T12:00:00Z");
const OPTS = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000, budgetMs: 60_000 };

describe("retry policy (pure)", () => {
  it.each([
    ["2.128", 2128],
    ["1.5", 1500],
    ["0.25", 250],
    ["7", 7000],
    [" 3 ", 3000],
    ["Sun, 29 Nov 2026 12:00:05 GMT", 5000],
  ])("reads Retry-After %j as %i ms (fractions are seconds, never a date)", (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it("does not read a bare number with a dot as a date", () => {
    // Date.parse("1.5") is a day in 2001: read as a date it would mean "retry now".
    expect(parseRetryAfter("1.5.3", NOW)).toBeUndefined();
    expect(retryDelayMs(1, "1.5", 0, OPTS, NOW, 0)).toBe(1500);
  });

  it.each([
    [408, "", true, false],
    [429, "", true, true],
    [500, "", true, false],
    [502, "", true, false],
    [503, "", true, false],
    [504, "", true, false],
    [400, "", false, false],
    [501, "", false, false],
    [400, CONCURRENCY_REFUSAL_TEXT, true, true],
    [503, `${CONCURRENCY_REFUSAL_TEXT}.`, true, true],
  ])("status %i %j → retryable %s, not processed %s", (status, body, retryable, notProcessed) => {
    expect(classifyAnswer(status, body)).toEqual({ retryable, notProcessed });
  });
});

describe("retries against the sandbox's faults", () => {
  let sb: Sandbox;
  let graphToken: string;
  let exchangeToken: string;
  const waits: number[] = [];

  const tokenFor = async (scope: string) => {
    const res = await fetch(`${sb.baseUrl}/${sb.tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: sb.env.M365_CLIENT_ID!,
        client_secret: sb.env.M365_CLIENT_SECRET!,
        scope,
      }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  };

  beforeAll(async () => {
    sb = await startTestSandbox({ latency: "none", throttle: false });
    graphToken = await tokenFor("https://graph.microsoft.com/.default");
    exchangeToken = await tokenFor("https://outlook.office365.com/.default");
  });
  afterAll(() => sb.stop());
  beforeEach(() => {
    sb.faults.clear();
    sb.requestLog.clear();
    waits.length = 0;
  });

  const client = (attempts: number[], token = () => graphToken) =>
    createHttpClient({
      getToken: async () => token(),
      retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 30_000, budgetMs: 60_000 },
      sleep: async (ms) => {
        waits.push(ms);
      },
      onAttempt: (_req, status) => attempts.push(status === "error" ? 0 : status),
    });
  const securityDefaults = (): HttpRequest => ({
    method: "GET",
    url: `${sb.baseUrl}/v1.0/policies/identitySecurityDefaultsEnforcementPolicy`,
    idempotent: true,
  });
  const invoke = (cmdlet: string, idempotent: boolean): HttpRequest => ({
    method: "POST",
    url: `${sb.baseUrl}/adminapi/beta/${sb.tenantId}/InvokeCommand`,
    body: { CmdletInput: { CmdletName: cmdlet, Parameters: {} } },
    idempotent,
  });

  it.each(["408", "500", "502"] as const)("retries a %s from Graph and succeeds", async (kind) => {
    sb.faults.add({ kind, times: 1, match: "identitySecurityDefaults" });
    const attempts: number[] = [];
    const res = await client(attempts).send(securityDefaults());
    expect(res.status).toBe(200);
    expect(attempts).toEqual([Number(kind), 200]);
    expect(waits).toHaveLength(1);
  });

  it("does not replay a 500 for a request that is not idempotent, and says why it stopped", async () => {
    sb.faults.add({ kind: "500", times: 1, match: "Get-TransportConfig" });
    const attempts: number[] = [];
    const err = (await client(attempts, () => exchangeToken)
      .send(invoke("Get-TransportConfig", false))
      .catch((e: unknown) => e)) as ApiError;
    expect(attempts).toEqual([500]);
    expect(err.code).toBe("SERVER_ERROR");
    expect(err.message).toMatch(
      /^POST https:\/\/127\.0\.0\.1:\d+\/adminapi\/beta\/[^/]+\/InvokeCommand answered 500 InternalServerError: An internal server error occurred\. \[client-request-id [0-9a-f-]{36}\]$/,
    );
  });

  it("retries Exchange's plain-text concurrency refusal whatever its status, even for a request that is not idempotent", async () => {
    sb.faults.add({ kind: "concurrency", times: 2, match: "Get-TransportConfig" });
    const attempts: number[] = [];
    const res = await client(attempts, () => exchangeToken).send(invoke("Get-TransportConfig", false));
    expect(res.status).toBe(200);
    expect(attempts).toEqual([400, 400, 200]);
    expect(sb.requestLog.entries().map((e) => e.status)).toEqual([400, 400, 200]);
    expect(sb.requestLog.entries().map((e) => e.fault ?? null)).toEqual(["concurrency", "concurrency", null]);
  });

  it("names the last status and reason when the attempts run out", async () => {
    sb.faults.add({ kind: "concurrency", status: 503, match: "Get-TransportConfig" });
    const attempts: number[] = [];
    const err = (await client(attempts, () => exchangeToken)
      .send(invoke("Get-TransportConfig", true))
      .catch((e: unknown) => e)) as ApiError;
    expect(attempts).toEqual([503, 503, 503, 503]);
    expect(err.message).toMatch(
      / answered 503: You have reached the maximum number of concurrent requests per tenant\. Please wait and try again \(after 4 attempts\) \[client-request-id [0-9a-f-]{36}\]$/,
    );
  });

  it.each([
    ["2.128", 2128],
    ["1.5", 1500],
  ])("honours a fractional Retry-After %s on a 429", async (retryAfter, ms) => {
    sb.faults.add({ kind: "429", times: 1, retryAfter: Number(retryAfter), match: "identitySecurityDefaults" });
    const attempts: number[] = [];
    expect((await client(attempts).send(securityDefaults())).status).toBe(200);
    expect(attempts).toEqual([429, 200]);
    expect(waits).toEqual([ms]);
  });

  describe("through the tenant client", () => {
    const tenantApi = (retry: { maxAttempts: number; maxDelayMs: number; budgetMs: number }, realSleep = false) =>
      createTenantApi({
        graphUrl: sb.baseUrl,
        exchangeUrl: sb.baseUrl,
        tenantId: sb.tenantId,
        getGraphToken: async () => graphToken,
        getExchangeToken: async () => exchangeToken,
        http: {
          retry: { baseDelayMs: 20, ...retry },
          sleep: async (ms) => {
            waits.push(ms);
            if (realSleep) await new Promise((r) => setTimeout(r, ms));
          },
        },
      });
    let api: TenantApi;
    beforeAll(() => {
      api = tenantApi({ maxAttempts: 30, maxDelayMs: 30_000, budgetMs: 60_000 });
    });
    const upns = ["scanner@contoso.com", "alice@contoso.com", "bob@contoso.com"];

    it("waits for a lowercase retry-after given as an HTTP date in $batch items (not NaN, not at once)", async () => {
      const at = new Date(Date.now() + 4_000).toUTCString();
      sb.faults.add({ kind: "429", scope: "batchItem", times: 2, retryAfter: at, lowercaseHeaders: true });
      const states = await api.getPerUserMfaMany(upns);
      expect([...states.keys()].sort()).toEqual([...upns].sort());
      expect(sb.faults.list()[0]!.hits).toBe(2);
      expect(waits).toHaveLength(1);
      // The date has one-second precision: between 2 and 4 s from now.
      expect(waits[0]).toBeGreaterThanOrEqual(2_000);
      expect(waits[0]).toBeLessThanOrEqual(4_000);
    });

    it("waits for a fractional retry-after in $batch items", async () => {
      sb.faults.add({ kind: "429", scope: "batchItem", times: 1, retryAfter: 2.128, lowercaseHeaders: true });
      await api.getPerUserMfaMany(upns);
      expect(waits).toEqual([2128]);
    });

    it("stops $batch retries after maxAttempts and names the last status and reason", async () => {
      sb.faults.add({ kind: "503", scope: "batchItem", retryAfter: 40 });
      const few = tenantApi({ maxAttempts: 3, maxDelayMs: 30_000, budgetMs: 600_000 });
      const err = (await few.getPerUserMfaMany(["scanner@contoso.com"]).catch((e: unknown) => e)) as ApiError;
      expect(err).toBeInstanceOf(ApiError);
      expect(waits).toEqual([40_000, 40_000]); // Retry-After 40 s in full, although maxDelayMs is 30 s
      expect(err.message).toBe(
        "GET /beta/users/scanner@contoso.com/authentication/requirements (in $batch) answered 503 serviceNotAvailable: " +
          "Service unavailable. (after 3 attempts)",
      );
    });

    it("stops $batch retries when the Retry-After would end past the budget", async () => {
      sb.faults.add({ kind: "429", scope: "batchItem", retryAfter: 70 });
      const short = tenantApi({ maxAttempts: 30, maxDelayMs: 120_000, budgetMs: 60_000 });
      const err = (await short.getPerUserMfaMany(["scanner@contoso.com"]).catch((e: unknown) => e)) as ApiError;
      expect(waits).toEqual([]);
      expect(err.code).toBe("THROTTLED");
      expect(err.message).toMatch(
        /^GET \/beta\/users\/scanner@contoso\.com\/authentication\/requirements \(in \$batch\) answered 429 TooManyRequests: /,
      );
    });

    it("keeps Exchange calls under a per-tenant concurrency cap and absorbs the refusals beyond it", async () => {
      sb.throttler.configure({ exchangeConcurrency: 2 });
      sb.latency.profile = "realistic";
      const patient = tenantApi({ maxAttempts: 30, maxDelayMs: 2_000, budgetMs: 60_000 }, true);
      try {
        const rows = await Promise.all(upns.flatMap((u) => [u, u, u, u]).map((u) => patient.getCasMailbox(u)));
        expect(rows).toHaveLength(12);
        const refused = sb.requestLog.entries().filter((e) => e.api === "exchange" && e.status === 400);
        const done = sb.requestLog.entries().filter((e) => e.api === "exchange" && e.status === 200);
        expect(done).toHaveLength(12);
        // Eight in flight against a cap of two: refusals happened and every one was retried.
        expect(refused.length).toBeGreaterThan(0);
      } finally {
        sb.latency.profile = "none";
        sb.throttler.configure({ exchangeConcurrency: null });
      }
    });
  });
});
