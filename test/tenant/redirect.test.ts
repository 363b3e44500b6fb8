/**
 * Redirects and request headers through the real tenant client against the sandbox: a regional
 * redirect (307 or 302) to the sandbox's second listener is followed with method, body and
 * Authorization intact; a redirect elsewhere fails with a clear error and is never followed;
 * every request carries a client-request-id (the same on each attempt) that errors show, and
 * Exchange calls ask for JSON answers.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectTenant } from "../../tenant/connect.ts";
import { ApiError } from "../../tenant/http.ts";
import type { Sandbox } from "../../sandbox/server.ts";
import { connectionSettingsFor, startTestSandbox } from "../sandbox/helpers.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("redirects and request headers", () => {
  let sb: Sandbox;
  const sent: { url: string; method: string; headers: Record<string, string>; body: unknown }[] = [];
  const attempts: (number | "error")[] = [];

  const connect = (retry = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100, budgetMs: 30_000 }) => {
    return connectTenant(connectionSettingsFor(sb), {
      retry,
      onAttempt: (_r, s) => attempts.push(s),
      // The real fetch, recording what goes on the wire.
      fetch: (async (url: string, init: RequestInit) => {
        sent.push({
          url,
          method: init.method ?? "GET",
          headers: init.headers as Record<string, string>,
          body: init.body === undefined ? undefined : JSON.parse(init.body as string),
        });
        return fetch(url, init);
      }) as typeof fetch,
    });
  };

  beforeAll(async () => {
    sb = await startTestSandbox({ latency: "none", throttle: false });
  });
  afterAll(() => sb.stop());
  beforeEach(() => {
    sb.faults.clear();
    sent.length = 0;
    attempts.length = 0;
  });

  it.each([307, 302])(
    "follows a %i regional redirect of an InvokeCommand POST, keeping method, body and Authorization",
    async (status) => {
      sb.faults.add({ kind: "redirect", status, times: 1, match: "Get-TransportConfig" });
      const api = await connect();
      expect(await api.getOrganizationSmtpAuthDisabled()).toBe(true);
      expect(attempts).toEqual([status, 200]);
      expect(sent).toHaveLength(2);
      const [first, second] = sent;
      expect(new URL(second!.url).origin).toBe(sb.regionalUrl);
      expect(new URL(second!.url).pathname).toBe(new URL(first!.url).pathname);
      expect(sb.regionalUrl).not.toBe(sb.baseUrl);
      expect(second!.method).toBe("POST");
      expect(second!.body).toEqual({ CmdletInput: { CmdletName: "Get-TransportConfig", Parameters: {} } });
      expect(second!.headers.authorization).toBe(first!.headers.authorization);
      expect(second!.headers["client-request-id"]).toBe(first!.headers["client-request-id"]);
    },
  );

  it("refuses a redirect to a host outside the cloud and the configured endpoint, without following it", async () => {
    sb.faults.add({ kind: "redirect", location: "https://exchange.example.net", match: "Get-TransportConfig" });
    const api = await connect();
    const err = (await api.getOrganizationSmtpAuthDisabled().catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe("REDIRECT_REFUSED");
    expect(sent.map((s) => new URL(s.url).origin)).toEqual([sb.baseUrl]);
    expect(err.message).toMatch(
      /^POST https:\/\/127\.0\.0\.1:\d+\/adminapi\/beta\/[^/]+\/InvokeCommand was redirected to https:\/\/exchange\.example\.net\/adminapi\/beta\/[^/]+\/InvokeCommand, which is not a host of this cloud or the configured endpoint: not followed \[client-request-id [0-9a-f-]{36}\]$/,
    );
  });

  it("sends one client-request-id per request, the same on every attempt, and shows it in the error", async () => {
    sb.faults.add({ kind: "503", match: "identitySecurityDefaults" });
    const api = await connect();
    const err = (await api.getSecurityDefaults().catch((e: unknown) => e)) as ApiError;
    const ids = sent.map((s) => s.headers["client-request-id"]);
    expect(ids).toHaveLength(3);
    expect(ids[0]).toMatch(UUID);
    expect(new Set(ids).size).toBe(1);
    expect(err.clientRequestId).toBe(ids[0]);
    expect(err.message).toContain(`[client-request-id ${ids[0]}]`);

    sb.faults.clear();
    sent.length = 0;
    await api.getSecurityDefaults();
    await api.getSecurityDefaults();
    expect(new Set(sent.map((s) => s.headers["client-request-id"])).size).toBe(2);
  });

  it("asks Exchange for JSON answers and sends the routing hint", async () => {
    const api = await connect();
    await api.getOrganizationSmtpAuthDisabled();
    expect(sent[0]!.headers).toMatchObject({
      "x-responseformat": "json",
      "x-anchormailbox": `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${sb.tenantId}`,
      prefer: "odata.maxpagesize=1000",
      "return-client-request-id": "true",
    });
  });
});
