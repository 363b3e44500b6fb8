import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trustCa } from "../../cli/connection.ts";
import {
  ApiError,
  DEFAULT_RETRY,
  createHttpClient,
  parseRetryAfter,
  retryDelayMs,
  safeUrl,
  type HttpRequest,
} from "../../tenant/http.ts";
import { startSandbox, type Sandbox } from "../../sandbox/server.ts";

const NOW = Date.parse("2026-11-29T12:00:00Z");
const OPTS = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000, budgetMs: 60_000 };

describe("retry delay (pure)", () => {
  it.each([
    ["delta-seconds", "7", 7000],
    ["HTTP date", "Sun, 29 Nov 2026 12:00:05 GMT", 5000],
    ["a date in the past", "Sun, 29 Nov 2026 11:00:00 GMT", 0],
    ["in full past maxDelayMs, within the budget", "45", 45_000],
  ])("honours Retry-After as %s", (_name, header, expected) => {
    expect(retryDelayMs(1, header, 0, OPTS, NOW, 0.5)).toBe(expected);
  });

  it.each([
    [1, 0, 500],
    [1, 1, 1000],
    [2, 0, 1000],
    [3, 1, 4000],
  ])("backs off exponentially with jitter: attempt %i, random %d → %i ms", (attempt, random, expected) => {
    expect(retryDelayMs(attempt, null, 0, OPTS, NOW, random)).toBe(expected);
  });

  it("gives up after maxAttempts and when the wait would exceed the budget", () => {
    expect(retryDelayMs(4, "1", 0, OPTS, NOW, 0)).toBeUndefined();
    expect(retryDelayMs(1, "30", 45_000, OPTS, NOW, 0)).toBeUndefined();
    expect(retryDelayMs(1, "30", 29_000, OPTS, NOW, 0)).toBe(30_000);
    expect(retryDelayMs(1, "3600", 0, OPTS, NOW, 0)).toBeUndefined();
  });

  it("ignores unreadable Retry-After values", () => {
    expect(parseRetryAfter("soon", NOW)).toBeUndefined();
    expect(parseRetryAfter("", NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });

  it("strips credentials from URLs in messages", () => {
    expect(safeUrl("https://user:pw@graph.example/v1.0/users#x")).toBe("https://graph.example/v1.0/users");
  });
});

describe("the HTTP layer against the sandbox", () => {
  let sandbox: Sandbox;
  let token: string;
  const waits: number[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ latency: "none", smtp: false });
    trustCa(sandbox.caPem);
    const res = await fetch(`${sandbox.baseUrl}/${sandbox.tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: sandbox.env.M365_CLIENT_ID!,
        client_secret: sandbox.env.M365_CLIENT_SECRET!,
        scope: "https://graph.microsoft.com/.default",
      }),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  afterAll(() => sandbox.stop());

  const client = (attempts: number[] = []) =>
    createHttpClient({
      getToken: async () => token,
      retry: { ...DEFAULT_RETRY, maxAttempts: 3 },
      // No real sleeps: record the waits the client asked for.
      sleep: async (ms) => {
        waits.push(ms);
      },
      onAttempt: (_req, status) => attempts.push(status === "error" ? 0 : status),
    });
  const get: HttpRequest = { method: "GET", url: "", idempotent: true };
  const securityDefaults = () => `${sandbox.baseUrl}/v1.0/policies/identitySecurityDefaultsEnforcementPolicy`;

  it("retries a 429 after the server's Retry-After and succeeds", async () => {
    sandbox.faults.clear();
    sandbox.faults.add({ kind: "429", times: 1, retryAfter: 2, match: "identitySecurityDefaults" });
    waits.length = 0;
    const attempts: number[] = [];
    const res = await client(attempts).send({ ...get, url: securityDefaults() });
    expect(res.status).toBe(200);
    expect(attempts).toEqual([429, 200]);
    expect(waits).toEqual([2000]);
  });

  it("replays a dropped connection only for idempotent requests", async () => {
    sandbox.faults.clear();
    sandbox.faults.add({ kind: "reset", times: 1, match: "identitySecurityDefaults" });
    const attempts: number[] = [];
    const res = await client(attempts).send({ ...get, url: securityDefaults() });
    expect(res.status).toBe(200);
    expect(attempts).toEqual([0, 200]);

    sandbox.faults.add({ kind: "reset", times: 1, match: "identitySecurityDefaults" });
    const once: number[] = [];
    const err = await client(once)
      .send({ method: "PATCH", url: securityDefaults(), body: { isEnabled: true }, idempotent: false })
      .catch((e: unknown) => e);
    expect(once).toEqual([0]);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe("NETWORK");
  });

  it("gives up after the attempts with a stable code, the method and URL, and no token", async () => {
    sandbox.faults.clear();
    sandbox.faults.add({ kind: "503", match: "identitySecurityDefaults" });
    const attempts: number[] = [];
    const err = (await client(attempts)
      .send({ ...get, url: securityDefaults() })
      .catch((e: unknown) => e)) as ApiError;
    sandbox.faults.clear();
    expect(attempts).toEqual([503, 503, 503]);
    expect(err.name).toBe("ApiError");
    expect(err.code).toBe("UNAVAILABLE");
    expect(err.status).toBe(503);
    expect(err.message).toMatch(
      /^GET https:\/\/127\.0\.0\.1:\d+\/v1\.0\/policies\/identitySecurityDefaultsEnforcementPolicy answered 503/,
    );
    expect(err.message).toContain("(after 3 attempts)");
    expect(JSON.stringify(err)).not.toContain(token);
    expect(err.message).not.toContain(token);
  });

  it("tries again when the token service fails on the way, and stops at once when it refuses", async () => {
    let calls = 0;
    const attempts: number[] = [];
    const flaky = createHttpClient({
      getToken: async () => {
        if (calls++ === 0) throw new Error("endpoints_resolution_error: See https://aka.ms/msal.js.errors");
        return token;
      },
      sleep: async () => undefined,
      onAttempt: (_r, s) => attempts.push(s === "error" ? 0 : s),
    });
    expect((await flaky.send({ ...get, url: securityDefaults() })).status).toBe(200);
    expect([calls, attempts]).toEqual([2, [200]]);

    const refused = (await createHttpClient({
      getToken: async () => {
        throw new Error(
          "invalid_client: Error(s): 7000215 - Timestamp: 2026-11-29 - Description: AADSTS7000215: Invalid client secret provided.",
        );
      },
      sleep: async () => undefined,
    })
      .send({ ...get, url: securityDefaults() })
      .catch((e: unknown) => e)) as ApiError;
    expect(refused.code).toBe("UNAUTHORIZED");
    expect(refused.message).toMatch(
      /^GET https:\/\/127\.0\.0\.1:\d+\/v1\.0\/policies\/identitySecurityDefaultsEnforcementPolicy was not sent: the token service refused the credentials: invalid_client: Error\(s\): 7000215$/,
    );
  });

  it("does not retry a refused token", async () => {
    const attempts: number[] = [];
    const err = (await createHttpClient({
      getToken: async () => "not-a-token",
      onAttempt: (_r, s) => attempts.push(s === "error" ? 0 : s),
    })
      .send({ ...get, url: securityDefaults() })
      .catch((e: unknown) => e)) as ApiError;
    expect(attempts).toEqual([401]);
    expect(err.code).toBe("UNAUTHORIZED");
    expect(err.serviceCode).toBe("InvalidAuthenticationToken");
  });
});
