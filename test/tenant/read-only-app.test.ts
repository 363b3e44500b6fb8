/**
 * Issue 16.5: a second, read-only app. With stack config readClientId/readClientSecret, every read
 * signs in as that app and only a write signs in as the write app — so a preview or drift check runs
 * with the read app alone, and a write without the write app's credential fails with the config key
 * to set, before anything reaches the tenant. Real @azure/identity and clients against the sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectTenant } from "../../tenant/connect.ts";
import { ConnectionConfigError, readConnectionSettings } from "../../tenant/connection.ts";
import type { Sandbox } from "../../sandbox/server.ts";
import { FIXTURE, startTestSandbox } from "../sandbox/helpers.ts";

describe("a read-only app for reads, the write app only for writes", () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startTestSandbox({ throttle: false });
  });
  afterAll(() => sb.stop());

  const settings = (config: Record<string, string>) =>
    readConnectionSettings(
      (k) =>
        ({
          tenantId: sb.env.M365_TENANT_ID,
          authorityHost: sb.env.M365_AUTHORITY_HOST,
          graphUrl: sb.env.M365_GRAPH_URL,
          exchangeUrl: sb.env.M365_EXCHANGE_URL,
          clientId: FIXTURE.automation.appId,
          readClientId: FIXTURE.reader.appId,
          readClientSecret: FIXTURE.reader.secret,
          maxAttempts: "1",
          ...config,
        })[k],
    );
  const appsCalling = (api: "graph" | "exchange") =>
    [
      ...new Set(
        sb.requestLog
          .entries()
          .filter((e) => e.api === api)
          .map((e) => e.appId),
      ),
    ].sort();

  it("reads as the read app with no write secret configured; a write names the missing key and sends nothing", async () => {
    // The write app is declared with a client secret that this job (a pull-request preview) lacks.
    const s = settings({ credential: "clientSecret" });
    expect(s.writeProblem).toBeInstanceOf(ConnectionConfigError);
    expect(s.writeProblem!.key).toBe("clientSecret");
    const api = await connectTenant(s);
    sb.requestLog.clear();

    expect(await api.getSecurityDefaults()).toBe(true);
    expect(await api.getCasMailbox(FIXTURE.scanner.upn)).toEqual({ mailbox: FIXTURE.scanner.upn, state: "disabled" });
    expect(await api.getPerUserMfa(FIXTURE.scanner.upn)).toBe("enforced");
    expect((await api.invoke("Get-OrganizationConfig", {})).length).toBe(1);
    expect(appsCalling("graph")).toEqual([FIXTURE.reader.appId]);
    expect(appsCalling("exchange")).toEqual([FIXTURE.reader.appId]);

    await expect(api.setSecurityDefaults(false)).rejects.toThrow(
      "stack config m365-smtp-auth:clientSecret is not set: pipe it to 'pulumi config set --secret m365-smtp-auth:clientSecret'",
    );
    const missing = "stack config m365-smtp-auth:clientSecret is not set";
    await expect(api.setCasMailbox(FIXTURE.scanner.upn, "enabled")).rejects.toThrow(missing);
    await expect(api.invoke("Set-TransportConfig", { SmtpClientAuthenticationDisabled: false })).rejects.toThrow(
      missing,
    );
    // Nothing was written, and no request went out as the write app.
    expect(sb.store.read().securityDefaultsEnabled).toBe(true);
    expect(sb.store.findUser(FIXTURE.scanner.upn)!.smtpClientAuthenticationDisabled).toBe(true);
    expect(sb.requestLog.entries().filter((e) => e.appId === FIXTURE.automation.appId)).toEqual([]);
  });

  it("with both apps, writes go out as the write app and reads as the read app", async () => {
    const api = await connectTenant(settings({ clientSecret: FIXTURE.automation.secret }));
    sb.requestLog.clear();
    await api.setCasMailbox(FIXTURE.scanner.upn, "enabled");
    expect(await api.getCasMailbox(FIXTURE.scanner.upn)).toEqual({ mailbox: FIXTURE.scanner.upn, state: "enabled" });
    const byApp = (endpoint: string) => [
      ...new Set(
        sb.requestLog
          .entries()
          .filter((e) => e.endpoint === endpoint)
          .map((e) => e.appId),
      ),
    ];
    expect(byApp("InvokeCommand Set-CASMailbox")).toEqual([FIXTURE.automation.appId]);
    expect(byApp("InvokeCommand Get-CASMailbox")).toEqual([FIXTURE.reader.appId]);
  });

  it("without readClientId nothing changes: one app for everything, its missing secret refused up front", () => {
    expect(() =>
      readConnectionSettings(
        (k) => ({ tenantId: "t", clientId: FIXTURE.automation.appId, credential: "clientSecret" })[k],
      ),
    ).toThrow("stack config m365-smtp-auth:clientSecret is not set");
    const s = readConnectionSettings((k) => ({ tenantId: "t", clientId: "a", clientSecret: "s" })[k]);
    expect(s.reader).toBeUndefined();
    expect(s.writeProblem).toBeUndefined();
  });

  it("a read app declared without its own credential uses workload identity (CI's OIDC) and names the key otherwise", () => {
    const s = readConnectionSettings(
      (k) => ({ tenantId: "t", clientId: "a", clientSecret: "s", readClientId: "r" })[k],
    );
    expect(s.reader).toEqual({
      clientId: "r",
      credential: "workloadIdentity",
      clientSecret: undefined,
      clientCertificate: undefined,
      clientCertificatePath: undefined,
    });
    expect(() =>
      readConnectionSettings((k) => ({ tenantId: "t", readClientId: "r", readCredential: "clientSecret" })[k]),
    ).toThrow("stack config m365-smtp-auth:readClientSecret is not set");
  });
});
