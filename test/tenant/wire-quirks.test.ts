/**
 * The real service's wire quirks (the quirks review's findings 1–6 and 9; 7 and 8 are tested in
 * token-bounds.test.ts and exchange-fidelity.test.ts), reproduced by the sandbox's fault kinds and
 * switches and driven through the project's own tenant client over TLS.
 * Each test fails on the client as it was before its fix (see the comment on each). Waits are
 * recorded through the client's `sleep`, never slept.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createProviderContext } from "../../providers/context.ts";
import { otherUsersMfa } from "../../providers/kinds/other-users-mfa.ts";
import { ApiError } from "../../tenant/http.ts";
import type { Sandbox } from "../../sandbox/server.ts";
import { LIVE } from "../sandbox/helpers.ts";
import { wireFixture } from "./wire-fixture.ts";

const CRID = String.raw`\[client-request-id [0-9a-f-]{36}\]`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

describe.skipIf(LIVE)("real-service wire quirks against the sandbox", () => {
  const wire = wireFixture();
  const { waits, attempts, api, failure } = wire;
  let sb: Sandbox;
  beforeAll(() => {
    sb = wire.state.sb;
  });
  const exceptions = () =>
    sb.store
      .users()
      .filter((u) => u.hasMailbox && u.smtpClientAuthenticationDisabled !== null)
      .map((u) => ({ mailbox: u.mail, state: u.smtpClientAuthenticationDisabled ? "disabled" : "enabled" }));
  const faultsLogged = () => sb.requestLog.entries().map((e) => e.fault ?? null);

  describe("finding 3: a body broken after the headers", () => {
    // Before: `await res.text()` sat outside the fetch's try, so this threw a raw "TypeError: terminated"
    // after one attempt.
    it("retries a Get-CASMailbox page cut mid-body and returns the whole listing", async () => {
      sb.faults.add({ kind: "cut-body", match: "Get-CASMailbox", times: 1 });
      expect(await api().listCasMailboxes(true)).toEqual(exceptions());
      expect(attempts).toEqual(["error", 200]);
      expect(faultsLogged()).toEqual(["cut-body", null]);
      expect(waits).toHaveLength(1);
    });

    it("names a body cut on every attempt as NETWORK, with the attempts and the client-request-id", async () => {
      sb.faults.add({ kind: "cut-body", match: "identitySecurityDefaults" });
      const err = await failure(api().getSecurityDefaults());
      expect(err).toBeInstanceOf(ApiError);
      expect(err.code).toBe("NETWORK");
      expect(err.attempts).toBe(3);
      expect(err.message).toMatch(
        new RegExp(
          String.raw`^GET https://127\.0\.0\.1:\d+/v1\.0/policies/identitySecurityDefaultsEnforcementPolicy failed after 3 attempts: terminated: other side closed ${CRID}$`,
        ),
      );
    });

    // Before: the attempt's AbortSignal fired during the body read and escaped as a raw TimeoutError.
    it("names a body slower than the attempt timeout as TIMEOUT after retrying it", async () => {
      sb.faults.add({ kind: "stall-body", match: "Get-TransportConfig" });
      const err = await failure(api({ maxAttempts: 2, timeoutMs: 300 }).getOrganizationSmtpAuthDisabled());
      expect(err.code).toBe("TIMEOUT");
      expect(err.message).toMatch(
        new RegExp(
          String.raw`^POST https://127\.0\.0\.1:\d+/adminapi/beta/[^/]+/InvokeCommand failed after 2 attempts: timed out ${CRID}$`,
        ),
      );
      expect(attempts).toEqual(["error", "error"]);
      expect(faultsLogged()).toEqual(["stall-body", "stall-body"]);
    });

    it("does not replay a cmdlet that is not idempotent when its answer was cut (the outcome is unknown)", async () => {
      sb.faults.add({ kind: "cut-body", match: "New-ServicePrincipal" });
      const err = await failure(
        api().invoke("New-ServicePrincipal", {
          AppId: "52e8a1c4-9f07-4b3d-a6e2-d1c0b9a8f7e6",
          ObjectId: "e3f4a5b6-c7d8-4e9f-8a0b-1c2d3e4f5a6b",
        }),
      );
      expect(err.code).toBe("NETWORK");
      expect(attempts).toEqual(["error"]);
    });
  });

  describe("finding 1: a 2xx that is not the API's JSON", () => {
    const SELECT = String.raw`\?\$select=Identity,PrimarySmtpAddress,SmtpClientAuthenticationDisabled`;
    const INVOKE = String.raw`POST https://127\.0\.0\.1:\d+/adminapi/beta/[^/]+/InvokeCommand`;

    // Before: each of these gave listCasMailboxes(true) → [] (no strays, no drift), without an error.
    it.each(["html-200", "empty-200", "no-value-200"] as const)(
      "retries a Get-CASMailbox page answered %s and returns the real listing",
      async (kind) => {
        sb.faults.add({ kind, match: "Get-CASMailbox", times: 1 });
        expect(await api().listCasMailboxes(true)).toEqual(exceptions());
        expect(attempts).toEqual([200, 200]);
        expect(faultsLogged()).toEqual([kind, null]);
      },
    );

    it.each([
      [
        "html-200",
        "a body that is not JSON: <html><head><title>Web filter</title></head> <body><p>The page you requested is being checked.</p></body></html>",
      ],
      ["empty-200", "an empty body"],
      ["no-value-200", "a body without a value array"],
    ] as const)("fails a Get-CASMailbox answered %s on every attempt, saying what came back", async (kind, what) => {
      sb.faults.add({ kind, match: "Get-CASMailbox" });
      const err = await failure(api().listCasMailboxes(true));
      expect(err.code).toBe("SERVER_ERROR");
      expect(err.status).toBe(200);
      expect(err.attempts).toBe(3);
      expect(err.message).toMatch(
        new RegExp(`^${INVOKE}${SELECT} answered 200 with ${escape(what)} \\(after 3 attempts\\) ${CRID}$`),
      );
    });

    // Before: listUserPrincipalNames() → [] and getUser() → the proxy's page as a "user".
    it("fails Graph's user listing answered with an empty 200 instead of listing nobody", async () => {
      sb.faults.add({ kind: "empty-200", match: "GET /v1.0/users" });
      const err = await failure(api().listUserPrincipalNames());
      expect(err.code).toBe("SERVER_ERROR");
      expect(err.message).toMatch(
        new RegExp(
          String.raw`^GET https://127\.0\.0\.1:\d+/v1\.0/users\?\$select=userPrincipalName&\$top=999 answered 200 with an empty body \(after 3 attempts\) ${CRID}$`,
        ),
      );
    });

    it.each([
      ["html-200", "a body that is not JSON: <html>"],
      ["no-value-200", "a user without an id"],
    ] as const)("fails getUser answered %s instead of returning it as a user", async (kind, what) => {
      sb.faults.add({ kind, match: "GET /v1.0/users/" });
      const err = await failure(api({ maxAttempts: 1 }).getUser("scanner@contoso.com"));
      expect(err.code).toBe("SERVER_ERROR");
      expect(err.message).toContain(` answered 200 with ${what}`);
      expect(err.attempts).toBe(1);
    });

    it("still accepts a cmdlet other than Get-* answered without value (only @adminapi.warnings may come back)", async () => {
      sb.faults.add({ kind: "no-value-200", match: "Set-CASMailbox" });
      await api().setCasMailbox("scanner@contoso.com", "enabled");
      expect(attempts).toEqual([200]);
    });

    it("fails a Set-* answered with a proxy's page, after retrying it (an absolute Set is safe to send twice)", async () => {
      sb.faults.add({ kind: "html-200", match: "Set-CASMailbox" });
      const err = await failure(api().setCasMailbox("scanner@contoso.com", "enabled"));
      expect(err.code).toBe("SERVER_ERROR");
      expect(attempts).toEqual([200, 200, 200]);
    });
  });

  describe("finding 4: $batch items answered with a transient status", () => {
    const upns = ["scanner@contoso.com", "alice@contoso.com", "bob@contoso.com"];

    // Before: only 429/503 items were retried; a 408/500/502/504 item threw after one round.
    it.each(["408", "500", "502", "504"] as const)("retries items answered %s and reads every user", async (kind) => {
      sb.faults.add({ kind, scope: "batchItem", times: 2 });
      const states = await api().getPerUserMfaMany(upns);
      expect(Object.fromEntries(states)).toEqual({
        "scanner@contoso.com": "enforced",
        "alice@contoso.com": "disabled",
        "bob@contoso.com": "disabled",
      });
      expect(sb.faults.list()[0]!.hits).toBe(2);
      expect(attempts).toEqual([200, 200]);
      expect(waits).toHaveLength(1);
    });

    it("still fails at once on an item answered 400, naming the user", async () => {
      sb.faults.add({ kind: "concurrency", status: 400, scope: "batchItem", match: "alice" });
      const err = await failure(api().getPerUserMfaMany(upns));
      expect(err.message).toMatch(
        /^GET \/beta\/users\/alice@contoso\.com\/authentication\/requirements \(in \$batch\) answered 400/,
      );
      expect(attempts).toEqual([200]);
    });

    // Before: the PATCH answered 404 was dropped, yet OtherUsersMfa returned every stray as raised
    // (strays: [], and alice in `reset` with a prior although her MFA was never written).
    it("OtherUsersMfa keeps a user whose PATCH came back 404 as a stray, not as raised", async () => {
      sb.faults.add({ kind: "404", scope: "batchItem", match: "PATCH /beta/users/alice%40contoso\\.com/" });
      const ctx = createProviderContext(api(), "restore");
      const declared = ["scanner@contoso.com", "printer@contoso.com"];
      const { outs } = await otherUsersMfa.create(ctx, { state: "enabled", declared, strays: [] });
      expect(outs.strays).toEqual(["alice@contoso.com"]);
      expect(outs.reset.map((r) => r.user).sort()).toEqual([
        "admin@contoso.com",
        "bob@contoso.com",
        "contractor@contoso.com",
        "former.employee@contoso.com",
      ]);
      expect(sb.faults.list()[0]!.hits).toBe(1);
      expect(sb.store.findUser("alice@contoso.com")!.perUserMfa).toBe("disabled");
      expect(sb.store.findUser("bob@contoso.com")!.perUserMfa).toBe("enabled");
      expect(ctx.journal.entries("OtherUsersMfa").map((e) => e.id)).not.toContain("alice@contoso.com");
    });
  });

  describe("finding 6: a Retry-After longer than maxDelayMs", () => {
    // Before: the wait was cut to maxDelayMs (30 s), so the client retried inside the throttle window
    // four times and failed THROTTLED although one 150 s wait fitted the budget.
    it("waits the whole Retry-After when it fits the budget, and holds the client's other requests as long", async () => {
      sb.faults.add({ kind: "429", retryAfter: 150, times: 1, match: "identitySecurityDefaults" });
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const held = api({ budgetMs: 300_000, gate });
      const first = held.getSecurityDefaults();
      await expect.poll(() => waits.length).toBe(1);
      const second = held.listUserPrincipalNames();
      await expect.poll(() => waits.length).toBe(2);
      release();
      expect(await first).toBe(true);
      expect((await second).length).toBe(sb.store.users().length);
      expect(waits[0]).toBe(150_000);
      expect(waits[1]).toBeGreaterThan(149_000);
      expect(waits[1]).toBeLessThanOrEqual(150_000);
      expect(sb.requestLog.entries().map((e) => e.status)).toEqual([429, 200, 200]);
    });

    it("fails at once, THROTTLED, saying how long the service asked to wait, when it does not fit", async () => {
      sb.faults.add({ kind: "429", retryAfter: 150, match: "identitySecurityDefaults" });
      const err = await failure(api({ maxAttempts: 10, budgetMs: 120_000 }).getSecurityDefaults());
      expect(err.code).toBe("THROTTLED");
      expect(err.attempts).toBe(1);
      expect(waits).toEqual([]);
      expect(err.message).toMatch(
        new RegExp(
          String.raw`^GET https://127\.0\.0\.1:\d+/v1\.0/policies/identitySecurityDefaultsEnforcementPolicy answered 429 TooManyRequests: .+; the service asked to wait 150 s \(Retry-After\), more than the 1(19|20) s left of the 120 s retry budget ${CRID}$`,
        ),
      );
    });

    it("says the same for a $batch item whose Retry-After does not fit", async () => {
      sb.faults.add({ kind: "429", scope: "batchItem", retryAfter: 150 });
      const err = await failure(api({ maxAttempts: 10, budgetMs: 120_000 }).getPerUserMfaMany(["alice@contoso.com"]));
      expect(err.code).toBe("THROTTLED");
      expect(err.message).toMatch(
        /^GET \/beta\/users\/alice@contoso\.com\/authentication\/requirements \(in \$batch\) answered 429 TooManyRequests: .+; the service asked to wait 150 s \(Retry-After\), more than the 1(19|20) s left of the 120 s retry budget$/,
      );
    });
  });

  describe("finding 2: an error inside a 200 that says it is transient", () => {
    // Before: every error found in a 200 threw at once; the retry loop never saw it.
    it("retries a Get-TransportConfig answered 200 with a transient directory error, and reads the value", async () => {
      sb.faults.add({ kind: "error-in-200", reason: "transient", match: "Get-TransportConfig", times: 1 });
      expect(await api().getOrganizationSmtpAuthDisabled()).toBe(true);
      expect(attempts).toEqual([200, 200]);
      expect(faultsLogged()).toEqual(["error-in-200", null]);
      expect(waits).toHaveLength(1);
    });

    it.each(["error", "odata.error", "adminapi.errors"] as const)(
      "retries a Set-CASMailbox throttled inside a 200 (%s) and applies the write",
      async (shape) => {
        sb.faults.add({ kind: "error-in-200", reason: "throttled", shape, match: "Set-CASMailbox", times: 2 });
        await api().setCasMailbox("scanner@contoso.com", "enabled");
        expect(attempts).toEqual([200, 200, 200]);
        expect(sb.store.findUser("scanner@contoso.com")!.smtpClientAuthenticationDisabled).toBe(false);
      },
    );

    it("names the error and the attempts when the transient error outlasts them", async () => {
      sb.faults.add({ kind: "error-in-200", reason: "transient", match: "Get-TransportConfig" });
      const err = await failure(api().getOrganizationSmtpAuthDisabled());
      expect(err.code).toBe("SERVER_ERROR");
      expect(err.attempts).toBe(3);
      expect(err.message).toMatch(
        /^POST https:\/\/127\.0\.0\.1:\d+\/adminapi\/beta\/[^/]+\/InvokeCommand \(Get-TransportConfig\) answered 200 with an error in its body ADTransientException: The operation couldn't be performed because of a transient directory error\. Please try again\. \(after 3 attempts\)$/,
      );
    });

    it("does not retry an error inside a 200 that does not say it is transient", async () => {
      sb.faults.add({ kind: "error-in-200", reason: "failed", match: "Get-TransportConfig" });
      const err = await failure(api().getOrganizationSmtpAuthDisabled());
      expect(err.code).toBe("SERVER_ERROR");
      expect(err.serviceCode).toBe("TaskException");
      expect(attempts).toEqual([200]);
    });

    it("does not replay a cmdlet that is not idempotent after a transient (not throttled) error in a 200", async () => {
      sb.faults.add({ kind: "error-in-200", reason: "transient", match: "New-ServicePrincipal" });
      const err = await failure(
        api().invoke("New-ServicePrincipal", {
          AppId: "52e8a1c4-9f07-4b3d-a6e2-d1c0b9a8f7e6",
          ObjectId: "e3f4a5b6-c7d8-4e9f-8a0b-1c2d3e4f5a6b",
        }),
      );
      expect(err.code).toBe("SERVER_ERROR");
      expect(attempts).toEqual([200]);
    });
  });

  describe("finding 5: SmtpClientAuthenticationDisabled spelt otherwise or left out", () => {
    // Before: the key was read case-sensitively and a missing key meant "inherit", so a disabled
    // mailbox read as inherit and fell out of the strays.
    it("reads the property in any casing", async () => {
      sb.exchange.behaviour.casSmtpAuthKey = "camelCase";
      expect(await api().getCasMailbox("scanner@contoso.com")).toEqual({
        mailbox: "scanner@contoso.com",
        state: "disabled",
      });
      expect(await api().listCasMailboxes(true)).toEqual(exceptions());
    });

    it("fails, naming the mailbox, when a row has no such property at all", async () => {
      sb.exchange.behaviour.casSmtpAuthKey = "missing";
      await expect(api().getCasMailbox("scanner@contoso.com")).rejects.toThrow(
        /^Get-CASMailbox returned no SmtpClientAuthenticationDisabled for scanner@contoso\.com$/,
      );
      await expect(api().listCasMailboxes(true)).rejects.toThrow(
        /^Get-CASMailbox returned no SmtpClientAuthenticationDisabled for [^ @]+@contoso\.com$/,
      );
    });

    it("still reads an explicit null as inherit", async () => {
      expect(await api().getCasMailbox("alice@contoso.com")).toEqual({
        mailbox: "alice@contoso.com",
        state: "inherit",
      });
    });
  });
});
