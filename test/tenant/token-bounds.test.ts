/**
 * Token acquisition through the real @azure/identity credential (connectTenant) against the sandbox's
 * token service: a stalled service ends the call within the retry budget with a clear message;
 * throttling and outages are retried; a refusal stops at once; an untrusted certificate is named
 * as such within seconds, for token calls and for API calls alike.
 */
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { connectTenant } from "../../tenant/connect.ts";
import { ApiError, createHttpClient } from "../../tenant/http.ts";
import { CERTIFICATE_ROTATION_GRACE_MS } from "../../tenant/token-errors.ts";
import type { Sandbox } from "../../sandbox/server.ts";
import { createPki } from "../../sandbox/tls.ts";
import { connectionSettingsFor, startTestSandbox } from "../sandbox/helpers.ts";

const TOKEN = "oauth2/v2.0/token";

const tokenCalls = (sb: Sandbox) => sb.requestLog.entries().filter((e) => e.path.endsWith(`/${TOKEN}`)).length;

describe("token acquisition, bounded and classified", () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startTestSandbox({ latency: "none", throttle: false });
  });
  afterAll(() => sb.stop());
  beforeEach(() => {
    sb.faults.clear();
    sb.requestLog.clear();
  });

  it("ends a call to a token service that accepts and never answers within the budget, saying so", async () => {
    sb.faults.add({ kind: "timeout", match: TOKEN });
    const api = await connectTenant(connectionSettingsFor(sb, { retryBudgetSeconds: "5" }), { tokenTimeoutMs: 2_000 });
    const started = Date.now();
    const err = (await api.getSecurityDefaults().catch((e: unknown) => e)) as ApiError;
    const elapsed = Date.now() - started;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe("TIMEOUT");
    expect(err.message).toMatch(
      /^GET https:\/\/127\.0\.0\.1:\d+\/v1\.0\/policies\/identitySecurityDefaultsEnforcementPolicy failed after [23] attempts: no token: the token service did not answer within \d\.\d s \[client-request-id [0-9a-f-]{36}\]$/,
    );
    // Two 2 s token waits and a back-off fit the 5 s budget; the last wait is cut to what is left.
    expect(elapsed).toBeGreaterThanOrEqual(4_000);
    expect(elapsed).toBeLessThan(6_500);
  });

  it.each([
    ["429 (AADSTS50196)", "429" as const],
    ["503", "503" as const],
  ])(
    "retries a token service answering %s within the budget instead of reporting refused credentials",
    async (_n, kind) => {
      // @azure/identity tries four times per getToken; six refusals fail its first call, not the second.
      // MSAL then replays the refusal until the Retry-After (1 s here) has passed; the client spreads its
      // attempts over the budget (12 s / 4 ≈ 3 s apart), so the second getToken reaches the service.
      sb.faults.add({ kind, match: TOKEN, times: 6, retryAfter: 1 });
      const api = await connectTenant(connectionSettingsFor(sb), {
        retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 5_000, budgetMs: 12_000 },
      });
      expect(await api.getSecurityDefaults()).toBe(true);
      expect(sb.faults.list()[0]!.hits).toBe(6);
    },
  );

  it("spreads token-throttling retries over the budget, so MSAL's 60 s hold without Retry-After fits", async () => {
    const waits: number[] = [];
    let calls = 0;
    const client = createHttpClient({
      getToken: async () => {
        if (calls++ === 0) {
          throw Object.assign(new Error("temporarily_unavailable: AADSTS50196: client request loop"), {
            cause: { status: 429, errorCode: "temporarily_unavailable" },
          });
        }
        return "t";
      },
      fetch: async () => new Response("{}", { status: 200 }),
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await client.send({ method: "GET", url: "https://graph.example/v1.0/x", idempotent: true });
    // Default policy: 120 s and 10 attempts → about 12 s apart, not 0.5 s.
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(11_500);
    expect(waits[0]).toBeLessThanOrEqual(12_000);
  });

  it("says why when token-service throttling outlasts the attempts", async () => {
    sb.faults.add({ kind: "503", match: TOKEN, retryAfter: 1 });
    const api = await connectTenant(connectionSettingsFor(sb), {
      retry: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 5_000, budgetMs: 14_000 },
    });
    const err = (await api.getSecurityDefaults().catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe("UNAVAILABLE");
    expect(err.message).toMatch(
      / failed after 2 attempts: no token: the token service answered 503 \[client-request-id [0-9a-f-]{36}\]$/,
    );
  });

  // Quirks finding 7. Before: every AADSTS code but 50196 in a 400 was "refused", so a token-service
  // hiccup failed the whole run at its first request.
  it.each([90024, 90033, 90006, 50087])(
    "retries AADSTS%i, which Entra calls transient, although it comes as a 400 invalid_request",
    async (aadsts) => {
      sb.faults.add({ kind: "aadsts", aadsts, match: TOKEN, times: 1 });
      const api = await connectTenant(connectionSettingsFor(sb), {
        retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 1_000, budgetMs: 10_000 },
      });
      expect(await api.getSecurityDefaults()).toBe(true);
      expect(sb.faults.list()[0]!.hits).toBe(1);
      expect(tokenCalls(sb)).toBe(2);
    },
  );

  it.each([
    [7000215, "invalid_client"],
    [700016, "unauthorized_client"],
  ])("still stops at once on AADSTS%i (%s): a wrong secret or app must fail fast", async (aadsts, error) => {
    sb.faults.add({ kind: "aadsts", aadsts, match: TOKEN });
    const api = await connectTenant(connectionSettingsFor(sb), {
      retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 1_000, budgetMs: 10_000 },
    });
    const err = (await api.getSecurityDefaults().catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe("UNAUTHORIZED");
    expect(err.attempts).toBe(0);
    expect(err.message).toContain(
      `was not sent: the token service refused the credentials: ${error}: Error(s): ${aadsts}`,
    );
    expect(tokenCalls(sb)).toBe(1);
  });

  // Quirks finding 13 (section 7's open end). Before: AADSTS700027 was a refusal like any other, so a
  // certificate rotated a moment ago failed the run at its first token request.
  describe("AADSTS700027 right after a certificate rotation", () => {
    // The default retry policy (10 attempts, 0.5 s doubling to 30 s, 120 s budget).
    const rotated = (sleep?: (ms: number) => Promise<void>) =>
      connectTenant(connectionSettingsFor(sb), sleep ? { sleep } : {});

    it("retries it while the token-service nodes catch up, and the call succeeds", async () => {
      sb.faults.add({ kind: "aadsts", aadsts: 700027, match: TOKEN, times: 2 });
      const waits: number[] = [];
      const api = await rotated(async (ms) => void waits.push(ms));
      expect(await api.getSecurityDefaults()).toBe(true);
      expect(sb.faults.list()[0]!.hits).toBe(2);
      expect(tokenCalls(sb)).toBe(3);
      expect(waits).toHaveLength(2);
    });

    it("gives it 30 s, then names it as the refusal it is, and the next call fails at once", async () => {
      sb.faults.add({ kind: "aadsts", aadsts: 700027, match: TOKEN });
      // Only Date is faked: each back-off moves the clock on instead of sleeping.
      vi.useFakeTimers({ toFake: ["Date"] });
      onTestFinished(() => void vi.useRealTimers());
      const started = Date.now();
      const api = await rotated(async (ms) => void vi.setSystemTime(Date.now() + ms));
      const err = (await api.getSecurityDefaults().catch((e: unknown) => e)) as ApiError;
      expect(err.code).toBe("UNAUTHORIZED");
      expect(err.attempts).toBe(0);
      expect(err.message).toContain(
        "was not sent: the token service refused the credentials: invalid_client: Error(s): 700027",
      );
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(CERTIFICATE_ROTATION_GRACE_MS);
      expect(elapsed).toBeLessThan(2 * CERTIFICATE_ROTATION_GRACE_MS);
      const calls = tokenCalls(sb);
      expect(calls).toBeGreaterThan(2);
      await expect(api.getOrganizationSmtpAuthDisabled()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      expect(tokenCalls(sb)).toBe(calls + 1);
    });
  });

  it("stops at once when the token service refuses the credentials", async () => {
    const api = await connectTenant(connectionSettingsFor(sb, { clientSecret: "not-the-secret" }));
    const started = Date.now();
    const err = (await api.getSecurityDefaults().catch((e: unknown) => e)) as ApiError;
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(err.code).toBe("UNAUTHORIZED");
    expect(err.attempts).toBe(0);
    expect(err.message).toMatch(/was not sent: the token service refused the credentials: invalid_client: /);
    expect(err.message).not.toContain("not-the-secret");
    expect(tokenCalls(sb)).toBe(1);
  });
});

describe("an untrusted certificate", () => {
  // A TLS server with a fresh CA that this process was never told to trust (a TLS-inspecting proxy,
  // or the sandbox without NODE_EXTRA_CA_CERTS). Nothing may get past the handshake.
  let server: Server;
  let untrusted: Pick<Sandbox, "tenantId" | "env" | "baseUrl">;
  let requests = 0;
  beforeAll(async () => {
    const pki = createPki(["127.0.0.1"], { fresh: true });
    server = createServer({ key: pki.keyPem, cert: pki.certPem }, (_req, res) => {
      requests++;
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    untrusted = {
      tenantId: "contoso.onmicrosoft.com",
      env: { M365_CLIENT_ID: "app", M365_CLIENT_SECRET: "s" },
      baseUrl: url,
    };
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it("on the token service is named, with NODE_EXTRA_CA_CERTS, within seconds and without retries", async () => {
    const api = await connectTenant(connectionSettingsFor(untrusted));
    const started = Date.now();
    const err = (await api.getSecurityDefaults().catch((e: unknown) => e)) as ApiError;
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(err.code).toBe("UNTRUSTED_CERTIFICATE");
    expect(err.message).toMatch(
      /^GET https:\/\/127\.0\.0\.1:\d+\/v1\.0\/policies\/identitySecurityDefaultsEnforcementPolicy was not sent: the TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\); if a TLS-inspecting proxy or a private CA \(such as the sandbox's\) signs it, set NODE_EXTRA_CA_CERTS to that CA's PEM file$/,
    );
  });

  it("on Graph or Exchange is named at the first attempt, not retried", async () => {
    const attempts: (number | "error")[] = [];
    const err = (await createHttpClient({
      getToken: async () => "unused",
      onAttempt: (_r, s) => attempts.push(s),
    })
      .send({ method: "GET", url: `${untrusted.baseUrl}/v1.0/users`, idempotent: true })
      .catch((e: unknown) => e)) as ApiError;
    expect(attempts).toEqual(["error"]);
    expect(requests).toBe(0);
    expect(err.code).toBe("UNTRUSTED_CERTIFICATE");
    expect(err.message).toMatch(
      /^GET https:\/\/127\.0\.0\.1:\d+\/v1\.0\/users failed: the TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\); .* set NODE_EXTRA_CA_CERTS to that CA's PEM file$/,
    );
  });
});
