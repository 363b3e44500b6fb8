/**
 * More of the real service's wire quirks (the quirks review's findings 9–13), reproduced by the
 * sandbox's fault kinds and driven through the project's own tenant client over TLS, as
 * wire-quirks.test.ts does for findings 1–6. Each test fails on the client as it was before its fix
 * (see the comment on each). Waits are recorded through the client's `sleep`, never slept.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTenantApi, type TenantApi } from "../../tenant/api.ts";
import { ApiError, type TokenRequestOptions } from "../../tenant/http.ts";
import { connectTenant } from "../../tenant/connect.ts";
import { createProviderContext } from "../../providers/context.ts";
import { otherUsersMfa } from "../../providers/kinds/other-users-mfa.ts";
import type { Sandbox } from "../../sandbox/server.ts";
import { connectionSettingsFor, LIVE } from "../sandbox/helpers.ts";
import { wireFixture } from "./wire-fixture.ts";

describe.skipIf(LIVE)("more real-service wire quirks against the sandbox", () => {
  const wire = wireFixture();
  const { waits, attempts, tokenFor, api, failure } = wire;
  let sb: Sandbox;
  beforeAll(() => {
    sb = wire.state.sb;
  });

  describe("finding 12: the concurrency refusal inside Exchange's JSON envelope", () => {
    const newServicePrincipal = (a: TenantApi) =>
      a.invoke("New-ServicePrincipal", {
        AppId: "52e8a1c4-9f07-4b3d-a6e2-d1c0b9a8f7e6",
        ObjectId: "e3f4a5b6-c7d8-4e9f-8a0b-1c2d3e4f5a6b",
      });

    // Before: only a plain-text body or error.message was read, so the refusal in details[0].message
    // failed a cmdlet that is not idempotent at once (BAD_REQUEST) instead of replaying it.
    it("replays a cmdlet that is not idempotent when the refusal's text is in error.details", async () => {
      sb.faults.add({ kind: "concurrency", shape: "error", match: "New-ServicePrincipal", times: 1 });
      await newServicePrincipal(api());
      expect(attempts).toEqual([400, 200]);
      expect(sb.requestLog.entries().map((e) => e.fault ?? null)).toEqual(["concurrency", null]);
      expect(waits).toHaveLength(1);
    });

    it("names the refusal from the envelope when it outlasts the attempts", async () => {
      sb.faults.add({ kind: "concurrency", shape: "error", match: "New-ServicePrincipal" });
      const err = await failure(newServicePrincipal(api()));
      expect(err).toBeInstanceOf(ApiError);
      expect(err.code).toBe("BAD_REQUEST");
      expect(err.attempts).toBe(3);
      expect(err.message).toMatch(
        /^POST https:\/\/127\.0\.0\.1:\d+\/adminapi\/beta\/[^/]+\/InvokeCommand answered 400 ConcurrencyLimitExceeded: You have reached the maximum number of concurrent requests per tenant\. Please wait and try again \(after 3 attempts\) \[client-request-id [0-9a-f-]{36}\]$/,
      );
    });
  });

  describe("finding 13: a 503 with Retry-After", () => {
    // Before: only a 429 paused the client, so the other requests ran straight into the same outage.
    it("holds the client's other requests until the Retry-After of a 503 has passed", async () => {
      sb.faults.add({ kind: "503", retryAfter: 5, times: 1, match: "identitySecurityDefaults" });
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const held = api({ gate });
      const first = held.getSecurityDefaults();
      await expect.poll(() => waits.length).toBe(1);
      const second = held.listUserPrincipalNames();
      await expect.poll(() => waits.length).toBe(2);
      release();
      expect(await first).toBe(true);
      expect((await second).length).toBe(sb.store.users().length);
      expect(waits[0]).toBe(5_000);
      expect(waits[1]).toBeGreaterThan(4_000);
      expect(waits[1]).toBeLessThanOrEqual(5_000);
      expect(sb.requestLog.entries().map((e) => e.status)).toEqual([503, 200, 200]);
    });

    it("does not hold the others for a 503 without Retry-After (its back-off is the request's own)", async () => {
      sb.faults.add({ kind: "503", times: 1, match: "identitySecurityDefaults" });
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const held = api({ gate });
      const first = held.getSecurityDefaults();
      await expect.poll(() => waits.length).toBe(1);
      expect((await held.listUserPrincipalNames()).length).toBe(sb.store.users().length);
      expect(waits).toHaveLength(1);
      release();
      expect(await first).toBe(true);
    });
  });

  describe("finding 13: the legacy odata.error envelope, request-id and x-ms-ags-diagnostic", () => {
    // Before: only `error` was read, so the answer was named by its status alone ("answered 500").
    it("names the code and the text of a {odata.error: {code, message: {lang, value}}} answer", async () => {
      sb.faults.add({ kind: "legacy-error", match: "identitySecurityDefaults" });
      const err = await failure(api({ maxAttempts: 2 }).getSecurityDefaults());
      expect(err.code).toBe("SERVER_ERROR");
      expect(err.serviceCode).toBe("Service_InternalServerError");
      expect(err.message).toMatch(
        /^GET https:\/\/127\.0\.0\.1:\d+\/v1\.0\/policies\/identitySecurityDefaultsEnforcementPolicy answered 500 Service_InternalServerError: Encountered an internal server error\. \(after 2 attempts\) \[client-request-id [0-9a-f-]{36}\]$/,
      );
    });

    it("names a 400 in the legacy envelope, which is not retried", async () => {
      sb.faults.add({ kind: "legacy-error", status: 400, match: "GET /v1.0/users" });
      const err = await failure(api().listUserPrincipalNames());
      expect(err.code).toBe("BAD_REQUEST");
      expect(err.attempts).toBe(1);
      expect(err.message).toContain(
        " answered 400 Service_InternalServerError: Encountered an internal server error. [",
      );
    });

    // Before: ApiError kept request-id but not x-ms-ags-diagnostic (Graph's region and scale unit).
    it("keeps the answer's request-id and x-ms-ags-diagnostic on the error, as support asks for both", async () => {
      const err = await failure(api().getUser("nobody@contoso.com"));
      expect(err.code).toBe("NOT_FOUND");
      const last = sb.requestLog.entries().at(-1)!;
      expect(err.requestId).toBe(last.requestId);
      expect(JSON.parse(err.diagnostic!)).toEqual({
        ServerInfo: { DataCenter: "Sandbox", Slice: "E", Ring: "0", ScaleUnit: "000", RoleInstance: "SANDBOX" },
      });
    });
  });

  describe("finding 9: a $batch GET item answered 404", () => {
    const props = {
      state: "enabled" as const,
      declared: ["scanner@contoso.com", "printer@contoso.com"],
      strays: [],
      reset: [],
    };
    const ALICE_GET = "GET /beta/users/alice%40contoso\\.com/";

    // Before: the 404 item was left out without a word, so alice (per-user MFA disabled) fell out of
    // the strays and a refresh showed no drift for her.
    it("asks once more and keeps the user among the strays when the second answer comes", async () => {
      const ctx = createProviderContext(api(), "restore");
      const expected = (await otherUsersMfa.read(ctx, "other-users-mfa", props)).props.strays;
      expect(expected).toContain("alice@contoso.com");
      sb.faults.add({ kind: "404", scope: "batchItem", match: ALICE_GET, times: 1 });
      const again = await otherUsersMfa.read(createProviderContext(api(), "restore"), "other-users-mfa", props);
      expect(again.props.strays).toEqual(expected);
      expect(sb.faults.list()[0]!.hits).toBe(1);
    });

    it("fails the read, naming the user, when Graph answers 404 twice", async () => {
      sb.faults.add({ kind: "404", scope: "batchItem", match: ALICE_GET });
      const ctx = createProviderContext(api(), "restore");
      await expect(otherUsersMfa.read(ctx, "other-users-mfa", props)).rejects.toThrow(
        /^Graph listed a user whose per-user MFA it then answered 404 for twice \(a user created, renamed or deleted during the run\): alice@contoso\.com; run again$/,
      );
      expect(sb.faults.list()[0]!.hits).toBe(2);
    });

    it("still leaves a user Graph does not know out of getPerUserMfaMany, after asking twice", async () => {
      const states = await api().getPerUserMfaMany(["alice@contoso.com", "ghost@contoso.com"]);
      expect(Object.fromEntries(states)).toEqual({ "alice@contoso.com": "disabled" });
      expect(sb.requestLog.entries().filter((e) => e.path.endsWith("/$batch"))).toHaveLength(2);
    });
  });

  describe("finding 10: a UPN beginning with $, and an address that is not UPN-shaped", () => {
    const renameAlice = (upn: string) => {
      const alice = sb.store.findUser("alice@contoso.com")!;
      sb.store.updateUser(alice.id, { userPrincipalName: upn });
      return alice.id;
    };

    it("the sandbox, like Graph, reads /users/$… as a system segment and refuses it", async () => {
      renameAlice("$alice@contoso.com");
      const err = await failure(api().graphGet("/v1.0/users/$alice@contoso.com"));
      expect(err.status).toBe(400);
      expect(err.message).toContain(
        "answered 400 BadRequest: Resource not found for the segment '$alice@contoso.com'.",
      );
    });

    // Before: /users/$alice%40contoso.com, answered 400 (BAD_REQUEST) for getUser and in $batch.
    it("gets a $-UPN user by /users('$…'), one at a time and in $batch", async () => {
      const id = renameAlice("$alice@contoso.com");
      const a = api();
      expect((await a.getUser("$alice@contoso.com")).id).toBe(id);
      expect((await a.findUser("$alice@contoso.com"))?.id).toBe(id);
      expect(await a.getPerUserMfa("$alice@contoso.com")).toBe("disabled");
      const states = await a.getPerUserMfaMany(["$alice@contoso.com", "bob@contoso.com"]);
      expect(Object.fromEntries(states)).toEqual({ "$alice@contoso.com": "disabled", "bob@contoso.com": "disabled" });
      expect(await a.setPerUserMfaMany([{ upn: "$alice@contoso.com", state: "enabled" }])).toEqual(
        new Set(["$alice@contoso.com"]),
      );
      expect(sb.store.findUser(id)!.perUserMfa).not.toBe("disabled");
      expect(sb.requestLog.entries().map((e) => e.status)).not.toContain(400);
      expect(sb.requestLog.entries()[0]!.path).toBe("/v1.0/users('%24alice%40contoso.com')");
    });

    it("doubles a ' inside the key form", async () => {
      const id = renameAlice("$o'neil@contoso.com");
      expect((await api().getUser("$o'neil@contoso.com")).id).toBe(id);
    });

    // Before: the 400 Graph answers for a key with `+` was thrown instead of trying mail/proxyAddresses.
    it("findUser falls back to the mail and proxyAddresses filter when the UPN lookup answers 400", async () => {
      const alice = sb.store.findUser("alice@contoso.com")!;
      sb.store.updateUser(alice.id, { mail: "alice+scan@contoso.com" });
      expect((await api().findUser("alice+scan@contoso.com"))?.id).toBe(alice.id);
      expect(sb.requestLog.entries().map((e) => e.status)).toEqual([400, 200]);
    });
  });

  describe("finding 11: a 401 that asks for another token", () => {
    const CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}';
    const tokenRequests: (TokenRequestOptions | undefined)[] = [];
    beforeEach(() => {
      tokenRequests.length = 0;
    });
    // Every token request recorded, with the options the client passed; a fresh token each time.
    const challenged = (): TenantApi =>
      createTenantApi({
        graphUrl: sb.baseUrl,
        exchangeUrl: sb.baseUrl,
        tenantId: sb.tenantId,
        getGraphToken: async (_signal, options) => {
          tokenRequests.push(options);
          return tokenFor("https://graph.microsoft.com/.default");
        },
        getExchangeToken: async (_signal, options) => {
          tokenRequests.push(options);
          return tokenFor("https://outlook.office365.com/.default");
        },
        http: {
          retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 30_000, budgetMs: 60_000 },
          sleep: async (ms) => {
            waits.push(ms);
          },
          onAttempt: (_req, status) => attempts.push(status),
        },
      });

    // Before: a 401 was final, whatever its WWW-Authenticate said (one attempt).
    it("answers Graph's claims challenge with one fresh token carrying the claims, and one more attempt", async () => {
      sb.faults.add({ kind: "401", claims: CLAIMS, match: "identitySecurityDefaults", times: 1 });
      expect(await challenged().getSecurityDefaults()).toBe(true);
      expect(attempts).toEqual([401, 200]);
      expect(tokenRequests).toEqual([undefined, { fresh: true, claims: CLAIMS }]);
      expect(waits).toEqual([]);
    });

    it("gets a fresh token once for Exchange's invalid_token, even for a cmdlet that is not idempotent", async () => {
      sb.faults.add({ kind: "401", match: "New-ServicePrincipal", times: 1 });
      await challenged().invoke("New-ServicePrincipal", {
        AppId: "52e8a1c4-9f07-4b3d-a6e2-d1c0b9a8f7e6",
        ObjectId: "e3f4a5b6-c7d8-4e9f-8a0b-1c2d3e4f5a6b",
      });
      expect(attempts).toEqual([401, 200]);
      expect(tokenRequests.filter((o) => o !== undefined)).toEqual([{ fresh: true }]);
    });

    it("asks only once: a second challenge is the answer, UNAUTHORIZED", async () => {
      sb.faults.add({ kind: "401", claims: CLAIMS, match: "identitySecurityDefaults" });
      const err = await failure(challenged().getSecurityDefaults());
      expect(err.code).toBe("UNAUTHORIZED");
      expect(err.attempts).toBe(2);
      expect(tokenRequests).toEqual([undefined, { fresh: true, claims: CLAIMS }]);
      expect(err.message).toMatch(
        /^GET https:\/\/127\.0\.0\.1:\d+\/v1\.0\/policies\/identitySecurityDefaultsEnforcementPolicy answered 401 InvalidAuthenticationToken: Continuous access evaluation resulted in challenge .+ \(after 2 attempts\) \[client-request-id [0-9a-f-]{36}\]$/,
      );
    });

    it("does not ask again for a 401 without such a challenge (Graph's expired token: the source refreshes it)", async () => {
      sb.faults.add({ kind: "401", match: "identitySecurityDefaults", times: 1 });
      const err = await failure(challenged().getSecurityDefaults());
      expect(err.code).toBe("UNAUTHORIZED");
      expect(attempts).toEqual([401]);
      expect(tokenRequests).toEqual([undefined]);
    });

    it.each([
      ["Graph's claims challenge", "identitySecurityDefaults", (a: TenantApi) => a.getSecurityDefaults()],
      ["Exchange's invalid_token", "Get-TransportConfig", (a: TenantApi) => a.getOrganizationSmtpAuthDisabled()],
    ] as const)(
      "through @azure/identity (connectTenant): %s makes a new token request, not MSAL's cached token",
      async (_what, match, call) => {
        sb.faults.add({ kind: "401", ...(match === "Get-TransportConfig" ? {} : { claims: CLAIMS }), match, times: 1 });
        expect(await call(await connectTenant(connectionSettingsFor(sb)))).toBe(true);
        // Discovery documents aside: the token, the challenge, a new token, the answer.
        const log = sb.requestLog
          .entries()
          .filter((e) => /\/oauth2\/v2\.0\/token$|^\/v1\.0\/|^\/adminapi\//.test(e.path));
        expect(log.map((e) => (e.path.endsWith("/oauth2/v2.0/token") ? "token" : e.status))).toEqual([
          "token",
          401,
          "token",
          200,
        ]);
      },
    );
  });
});
