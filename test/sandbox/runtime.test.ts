/** Throttling, fault injection, latency, the request log and --loose, against a sandbox started per suite. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GraphError, type Client } from "@microsoft/microsoft-graph-client";
import type { Sandbox } from "../../sandbox/server.ts";
import { GraphCodes } from "../../sandbox/errors/graph.ts";
import { ExchangeCodes } from "../../sandbox/errors/exchange.ts";
import { admin, call, FIXTURE, fetchToken, graphClient, invoke, LIVE, startTestSandbox, targetOf } from "./helpers.ts";

describe.skipIf(LIVE)("throttling, faults and the request log", () => {
  let sb: Sandbox;
  let client: Client;
  let graphToken: string;
  let exoToken: string;

  beforeAll(async () => {
    sb = await startTestSandbox();
    client = graphClient(targetOf(sb));
    graphToken = await fetchToken(
      sb,
      FIXTURE.automation.appId,
      FIXTURE.automation.secret,
      "https://graph.microsoft.com/.default",
    );
    exoToken = await fetchToken(
      sb,
      FIXTURE.automation.appId,
      FIXTURE.automation.secret,
      "https://outlook.office365.com/.default",
    );
  });
  afterAll(() => sb.stop());
  beforeEach(() => {
    sb.faults.clear();
    sb.throttler.restore();
    sb.requestLog.clear();
  });

  describe("throttling", () => {
    it("starts with the documented budgets for a small tenant", () => {
      expect(sb.throttler.budgets()).toEqual({
        graphResourceUnits: { capacity: 3500, windowSeconds: 10 },
        graphWrites: { capacity: 3000, windowSeconds: 150 },
        conditionalAccess: { capacity: 1, windowSeconds: 1 },
        exchange: { capacity: 10000, windowSeconds: 600 },
      });
    });

    it("answers 429 TooManyRequests with Retry-After once an app's resource units are spent", async () => {
      sb.throttler.configure({ budgets: { graphResourceUnits: { capacity: 3, windowSeconds: 10 } } });
      for (let i = 0; i < 3; i++)
        expect((await client.api(`/users/${FIXTURE.scanner.upn}`).get()).id).toBe(FIXTURE.scanner.id);
      const e = await client
        .api(`/users/${FIXTURE.scanner.upn}`)
        .get()
        .then(
          () => null,
          (err: unknown) => err as GraphError,
        );
      expect(e).toBeInstanceOf(GraphError);
      expect([e!.statusCode, e!.code]).toEqual([429, GraphCodes.throttled]);
      expect(e!.headers?.get("Retry-After")).toBe("4");
      expect(e!.headers?.get("x-ms-throttle-scope")).toBe(
        `Tenant_Application/Read/${FIXTURE.automation.appId}/${FIXTURE.tenantId}`,
      );
      expect(e!.headers?.get("x-ms-throttle-information")).toBe("ResourceUnitLimitExceeded");
      // Another app has its own budget.
      const other = graphClient(targetOf(sb), undefined);
      void other;
      const readerToken = await fetchToken(
        sb,
        FIXTURE.reader.appId,
        FIXTURE.reader.secret,
        "https://graph.microsoft.com/.default",
      );
      expect(
        (
          await call(`${sb.baseUrl}/v1.0/users/${FIXTURE.scanner.upn}`, {
            ca: sb.caPem,
            headers: { authorization: `Bearer ${readerToken}` },
          })
        ).status,
      ).toBe(200);
    });

    it("charges users lists 2 resource units (1 with $select or a small $top)", async () => {
      sb.throttler.configure({ budgets: { graphResourceUnits: { capacity: 3, windowSeconds: 1000 } } });
      const h = { authorization: `Bearer ${graphToken}` };
      const r1 = await call(`${sb.baseUrl}/v1.0/users`, { ca: sb.caPem, headers: h });
      expect([r1.status, r1.headers["x-ms-resource-unit"]]).toEqual([200, "2"]);
      const r2 = await call(`${sb.baseUrl}/v1.0/users?$select=id`, { ca: sb.caPem, headers: h });
      expect([r2.status, r2.headers["x-ms-resource-unit"]]).toEqual([200, "1"]);
      expect((await call(`${sb.baseUrl}/v1.0/users?$select=id`, { ca: sb.caPem, headers: h })).status).toBe(429);
    });

    it("Conditional Access reads are limited to 1 per second per tenant and the 429 has no Retry-After", async () => {
      const h = { authorization: `Bearer ${graphToken}` };
      expect(
        (await call(`${sb.baseUrl}/v1.0/identity/conditionalAccess/policies`, { ca: sb.caPem, headers: h })).status,
      ).toBe(200);
      const r = await call(`${sb.baseUrl}/v1.0/identity/conditionalAccess/policies`, { ca: sb.caPem, headers: h });
      expect(r.status).toBe(429);
      expect(r.headers["retry-after"]).toBeUndefined();
    });

    it("throttles Exchange cmdlets per app with an Exchange-shaped 429", async () => {
      sb.throttler.configure({ budgets: { exchange: { capacity: 2, windowSeconds: 60 } } });
      expect((await invoke(sb, exoToken, "Get-TransportConfig")).status).toBe(200);
      expect((await invoke(sb, exoToken, "Get-TransportConfig")).status).toBe(200);
      const r = await invoke(sb, exoToken, "Get-TransportConfig");
      expect(r.status).toBe(429);
      expect(r.headers["retry-after"]).toBe("30");
      expect((r.json as { error: { code: string } }).error.code).toBe(ExchangeCodes.throttled);
    });

    it("throttles $batch items individually", async () => {
      sb.throttler.configure({ budgets: { graphResourceUnits: { capacity: 2, windowSeconds: 1000 } } });
      const res = await client.api("/$batch").post({
        requests: [1, 2, 3].map((i) => ({ id: String(i), method: "GET", url: `/users/${FIXTURE.scanner.upn}` })),
      });
      expect((res.responses as { status: number }[]).map((r) => r.status)).toEqual([200, 200, 429]);
      expect((res.responses as { headers: Record<string, string> }[])[2]!.headers["Retry-After"]).toBe("500");
    });

    it("can be switched off", async () => {
      sb.throttler.configure({ enabled: false, budgets: { graphResourceUnits: { capacity: 1, windowSeconds: 1000 } } });
      for (let i = 0; i < 5; i++)
        expect((await client.api(`/users/${FIXTURE.scanner.upn}`).get()).id).toBe(FIXTURE.scanner.id);
    });
  });

  describe("fault injection", () => {
    it("answers 503 for a targeted cmdlet a given number of times, leaving others alone", async () => {
      sb.faults.add({ kind: "503", match: "Set-CASMailbox", times: 1 });
      expect((await invoke(sb, exoToken, "Get-CASMailbox", { Identity: "scanner@contoso.com" })).status).toBe(200);
      const r = await invoke(sb, exoToken, "Set-CASMailbox", {
        Identity: "scanner@contoso.com",
        SmtpClientAuthenticationDisabled: false,
      });
      expect(r.status).toBe(503);
      expect((r.json as { error: { code: string } }).error.code).toBe(ExchangeCodes.serviceUnavailable);
      expect(sb.store.findUser("scanner@contoso.com")!.smtpClientAuthenticationDisabled).toBe(true);
      expect(
        (
          await invoke(sb, exoToken, "Set-CASMailbox", {
            Identity: "scanner@contoso.com",
            SmtpClientAuthenticationDisabled: false,
          })
        ).status,
      ).toBe(200);
      expect(sb.faults.list()[0]!.hits).toBe(1);
    });

    it("answers 429 with the configured Retry-After, and 504, on Graph", async () => {
      sb.faults.add({ kind: "429", match: "^GET /v1.0/users", retryAfter: 7, times: 1 });
      sb.faults.add({ kind: "504", match: "identitySecurityDefaultsEnforcementPolicy", times: 1 });
      const e1 = (await client
        .api("/users")
        .get()
        .catch((e: unknown) => e)) as GraphError;
      expect([e1.statusCode, e1.headers?.get("Retry-After")]).toEqual([429, "7"]);
      const e2 = (await client
        .api("/policies/identitySecurityDefaultsEnforcementPolicy")
        .get()
        .catch((e: unknown) => e)) as GraphError;
      expect([e2.statusCode, e2.code]).toEqual([504, GraphCodes.gatewayTimeout]);
      expect((await client.api("/users").top(1).get()).value).toHaveLength(1);
    });

    it("resets the connection", async () => {
      sb.faults.add({ kind: "reset", match: "Get-TransportConfig", times: 1 });
      const err = await invoke(sb, exoToken, "Get-TransportConfig").then(
        () => null,
        (e: unknown) => e as NodeJS.ErrnoException,
      );
      expect(err?.code).toBe("ECONNRESET");
      expect(sb.requestLog.entries().at(-1)).toMatchObject({
        endpoint: "InvokeCommand Get-TransportConfig",
        status: 0,
        fault: "reset",
      });
    });

    it("never answers (timeout) until the client gives up", async () => {
      sb.faults.add({ kind: "timeout", match: "users", times: 1 });
      const started = Date.now();
      const err = await call(`${sb.baseUrl}/v1.0/users`, {
        ca: sb.caPem,
        headers: { authorization: `Bearer ${graphToken}` },
        timeoutMs: 300,
      }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(err?.message).toBe("client timeout");
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });

    it("is controllable over the admin endpoint, with rates decided by a seeded PRNG", async () => {
      const added = await admin(sb, "POST", "/faults", { kind: "503", rate: 0.5, match: "Get-TransportConfig" });
      expect(added.status).toBe(201);
      expect(added.json).toMatchObject({ id: expect.stringMatching(/^fault-\d+$/), kind: "503", rate: 0.5, hits: 0 });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await invoke(sb, exoToken, "Get-TransportConfig")).status);
      const failures = statuses.filter((s) => s === 503).length;
      expect(failures).toBeGreaterThan(8);
      expect(failures).toBeLessThan(32);
      expect(((await admin(sb, "GET", "/faults")).json as { rules: { hits: number }[] }).rules[0]!.hits).toBe(failures);
      expect((await admin(sb, "DELETE", "/faults")).status).toBe(204);
      expect((await invoke(sb, exoToken, "Get-TransportConfig")).status).toBe(200);
      expect((await admin(sb, "POST", "/faults", { kind: "418" })).status).toBe(400);
    });
  });

  describe("request log", () => {
    it("counts requests per endpoint (method + normalised path, or InvokeCommand + cmdlet)", async () => {
      await client.api(`/users/${FIXTURE.scanner.upn}`).get();
      await client.api("/users/alice@contoso.com").get();
      await client.api("/users").top(1).get();
      await invoke(sb, exoToken, "Get-CASMailbox", { Identity: "scanner@contoso.com" });
      await invoke(sb, exoToken, "Get-CASMailbox", { Identity: "ghost@contoso.com" });
      expect(sb.requestLog.counts()).toEqual({
        "GET /v1.0/users/{id}": 2,
        "GET /v1.0/users": 1,
        "InvokeCommand Get-CASMailbox": 2,
      });
      const last = sb.requestLog.entries().at(-1)!;
      expect(last).toMatchObject({
        api: "exchange",
        method: "POST",
        path: `/adminapi/beta/${sb.tenantId}/InvokeCommand`,
        status: 404,
        appId: FIXTURE.automation.appId,
      });
      const viaAdmin = (await admin(sb, "GET", "/requests")).json as {
        counts: Record<string, number>;
        entries: unknown[];
      };
      expect(viaAdmin.counts["InvokeCommand Get-CASMailbox"]).toBe(2);
      expect(viaAdmin.entries).toHaveLength(5);
    });
  });

  describe("latency", () => {
    it("the realistic profile makes Exchange Set-* cmdlets take hundreds of milliseconds", async () => {
      sb.latency.profile = "realistic";
      try {
        const started = Date.now();
        await invoke(sb, exoToken, "Set-TransportConfig", { SmtpClientAuthenticationDisabled: true });
        expect(Date.now() - started).toBeGreaterThanOrEqual(450);
      } finally {
        sb.latency.profile = "none";
      }
    });
  });
});

describe.skipIf(LIVE)("--loose", () => {
  let sb: Sandbox;
  let token: string;
  beforeAll(async () => {
    sb = await startTestSandbox({ loose: true });
    token = await fetchToken(
      sb,
      FIXTURE.automation.appId,
      FIXTURE.automation.secret,
      "https://graph.microsoft.com/.default",
    );
  });
  afterAll(() => sb.stop());

  it("ignores query options it does not model and answers 400 for unknown segments", async () => {
    const r = await call(`${sb.baseUrl}/v1.0/users?$orderby=displayName&$top=1`, {
      ca: sb.caPem,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(r.status).toBe(200);
    const g = await call(`${sb.baseUrl}/v1.0/groups`, { ca: sb.caPem, headers: { authorization: `Bearer ${token}` } });
    expect(g.status).toBe(400);
    expect((g.json as { error: { message: string } }).error.message).toBe(
      "Resource not found for the segment 'groups'.",
    );
  });
});
