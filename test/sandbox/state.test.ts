/** Tenant state: fixtures, the generator, persistence across restarts, the admin endpoint (drift), and the composition root's env. */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { Sandbox } from "../../sandbox/server.ts";
import { fixturePath, loadFixture, parseFixture } from "../../sandbox/store/fixture.ts";
import { generateUsers } from "../../sandbox/store/generate.ts";
import { admin, call, FIXTURE, fetchToken, graphClient, invoke, LIVE, startTestSandbox, targetOf } from "./helpers.ts";

describe("fixtures and the generator", () => {
  it("the failing tenant fixture is the article's tenant", () => {
    const t = loadFixture(fixturePath("contoso-failing"));
    expect(t.tenantId).toBe(FIXTURE.tenantId);
    expect(t.securityDefaultsEnabled).toBe(true);
    expect(t.organizationSmtpClientAuthenticationDisabled).toBe(true);
    expect(t.users.find((u) => u.userPrincipalName === FIXTURE.scanner.upn)).toEqual({
      id: FIXTURE.scanner.id,
      userPrincipalName: FIXTURE.scanner.upn,
      displayName: "Scanner (3rd floor)",
      mail: FIXTURE.scanner.upn,
      accountEnabled: true,
      licenses: ["EXCHANGESTANDARD"],
      hasMailbox: true,
      directoryRoles: [],
      perUserMfa: "enforced",
      mfaMethodRegistered: true,
      smtpPassword: "Scan-To-Mail-2026!",
      locked: false,
      smtpClientAuthenticationDisabled: true,
      authenticationPolicy: null,
    });
  });

  it("the large fixture has 10,001 users", () => {
    expect(loadFixture(fixturePath("contoso-large")).users).toHaveLength(10_001);
  });

  it("generates the same users for the same seed and different ones for another", () => {
    const a = generateUsers({ count: 10_000, seed: 42, tenantId: FIXTURE.tenantId, domain: "contoso.com" });
    const b = generateUsers({ count: 10_000, seed: 42, tenantId: FIXTURE.tenantId, domain: "contoso.com" });
    const c = generateUsers({ count: 10_000, seed: 43, tenantId: FIXTURE.tenantId, domain: "contoso.com" });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a[0]!.userPrincipalName).toBe("user00001@contoso.com");
    expect(new Set(a.map((u) => u.id)).size).toBe(10_000);
  });

  it.each([
    ["tenantId: nope\ndomain: contoso.com\n", "x.yaml:1 [tenantId] must be a GUID"],
    [
      `tenantId: ${FIXTURE.tenantId}\ndomain: contoso.com\nusers:\n  - userPrincipalName: a@contoso.com\n    perUserMfa: sometimes\n`,
      "x.yaml:5 [users.0.perUserMfa] must be disabled, enabled or enforced",
    ],
    [
      `tenantId: ${FIXTURE.tenantId}\ndomain: contoso.com\nusers:\n  - userPrincipalName: a@contoso.com\n    licenses: [E5_EVERYTHING]\n`,
      "x.yaml:5 [users.0.licenses.0] unknown SKU 'E5_EVERYTHING'",
    ],
    [
      `tenantId: ${FIXTURE.tenantId}\ndomain: contoso.com\nsecurityDefaults: true\n`,
      "x.yaml:3 [securityDefaults] unknown key",
    ],
    [
      `tenantId: ${FIXTURE.tenantId}\ndomain: contoso.com\ndefaultAuthenticationPolicy: Missing\n`,
      "x.yaml:3 [defaultAuthenticationPolicy] names no policy",
    ],
  ])("reports fixture errors with file, line and key (%#)", (text, message) => {
    expect(() => parseFixture(text, "x.yaml")).toThrow(message);
  });
});

describe.skipIf(LIVE)("persistence across restarts", () => {
  it("keeps tenant state, the signing key and the CA in the state dir", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sandbox-state-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const first = await startTestSandbox({ stateDir: dir });
    const graph = graphClient(targetOf(first));
    await graph.api("/policies/identitySecurityDefaultsEnforcementPolicy").patch({ isEnabled: false });
    const exo = await fetchToken(
      first,
      FIXTURE.automation.appId,
      FIXTURE.automation.secret,
      "https://outlook.office365.com/.default",
    );
    expect(
      (
        await invoke(first, exo, "Set-CASMailbox", {
          Identity: FIXTURE.scanner.upn,
          SmtpClientAuthenticationDisabled: false,
        })
      ).status,
    ).toBe(200);
    const caPem = first.caPem;
    await first.stop();
    expect(JSON.parse(readFileSync(join(dir, "tenant.json"), "utf8")).securityDefaultsEnabled).toBe(false);

    const second = await startTestSandbox({ stateDir: dir });
    onTestFinished(() => second.stop());
    expect(second.caPem).toBe(caPem);
    expect(second.caCertPath).toBe(join(dir, "ca.pem"));
    expect(second.store.read().securityDefaultsEnabled).toBe(false);
    expect(second.store.findUser(FIXTURE.scanner.upn)!.smtpClientAuthenticationDisabled).toBe(false);
    // A token issued before the restart is still valid (same signing key).
    expect((await invoke(second, exo, "Get-TransportConfig")).status).toBe(200);
    // Reset goes back to the fixture, and that is persisted too.
    expect((await admin(second, "POST", "/reset")).status).toBe(204);
    expect(second.store.read().securityDefaultsEnabled).toBe(true);
  });
});

describe.skipIf(LIVE)("admin endpoint", () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(() => sb.stop());

  it("requires the admin token", async () => {
    const r = await call(`${sb.baseUrl}/_sandbox/state`, { ca: sb.caPem });
    expect(r.status).toBe(401);
    const wrong = await call(`${sb.baseUrl}/_sandbox/state`, {
      ca: sb.caPem,
      headers: { authorization: "Bearer guess" },
    });
    expect(wrong.status).toBe(401);
  });

  it("simulates drift: an out-of-band change shows in Graph and Exchange reads", async () => {
    expect(
      (
        await admin(sb, "PATCH", `/users/${FIXTURE.scanner.upn}`, {
          perUserMfa: "disabled",
          smtpClientAuthenticationDisabled: null,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await admin(sb, "PATCH", "/state", {
          organizationSmtpClientAuthenticationDisabled: false,
          securityDefaultsEnabled: false,
        })
      ).status,
    ).toBe(204);
    const beta = graphClient(targetOf(sb), undefined, "beta");
    expect((await beta.api(`/users/${FIXTURE.scanner.upn}/authentication/requirements`).get()).perUserMfaState).toBe(
      "disabled",
    );
    expect((await beta.api("/policies/identitySecurityDefaultsEnforcementPolicy").get()).isEnabled).toBe(false);
    const exo = await fetchToken(
      sb,
      FIXTURE.automation.appId,
      FIXTURE.automation.secret,
      "https://outlook.office365.com/.default",
    );
    const mbx = (await invoke(sb, exo, "Get-CASMailbox", { Identity: FIXTURE.scanner.upn })).json as {
      value: { SmtpClientAuthenticationDisabled: unknown }[];
    };
    expect(mbx.value[0]!.SmtpClientAuthenticationDisabled).toBeNull();
    const state = (await admin(sb, "GET", "/state")).json as { organizationSmtpClientAuthenticationDisabled: boolean };
    expect(state.organizationSmtpClientAuthenticationDisabled).toBe(false);
    expect((await admin(sb, "PATCH", "/state", { tenantId: "x" })).status).toBe(400);
    expect((await admin(sb, "PATCH", "/users/ghost@contoso.com", { locked: true })).status).toBe(404);
    expect((await admin(sb, "POST", "/reset")).status).toBe(204);
    expect(sb.store.findUser(FIXTURE.scanner.upn)!.perUserMfa).toBe("enforced");
  });

  it("mints tokens for tests (expired ones included) and reports info", async () => {
    const r = await admin(sb, "POST", "/tokens", {
      appId: FIXTURE.automation.appId,
      resource: "graph",
      lifetimeSeconds: -10,
    });
    const token = (r.json as { access_token: string }).access_token;
    const g = await call(`${sb.baseUrl}/v1.0/users`, { ca: sb.caPem, headers: { authorization: `Bearer ${token}` } });
    expect(g.status).toBe(401);
    const info = (await admin(sb, "GET", "/info")).json as { baseUrl: string; tenantId: string };
    expect(info).toMatchObject({ baseUrl: sb.baseUrl, tenantId: FIXTURE.tenantId });
    expect(
      (await admin(sb, "PUT", "/throttle", { budgets: { exchange: { capacity: 5, windowSeconds: 10 } } })).json,
    ).toMatchObject({ enabled: true, budgets: { exchange: { capacity: 5, windowSeconds: 10 } } });
    expect((await admin(sb, "PUT", "/latency", { profile: "slow" })).status).toBe(400);
  });
});

describe.skipIf(LIVE)("composition root", () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startTestSandbox({ smtp: {} });
  });
  afterAll(() => sb.stop());

  it("exposes the environment a client or child process needs", () => {
    expect(sb.env).toEqual({
      NODE_EXTRA_CA_CERTS: sb.caCertPath,
      M365_AUTHORITY_HOST: sb.baseUrl,
      AZURE_AUTHORITY_HOST: sb.baseUrl,
      M365_GRAPH_URL: sb.baseUrl,
      M365_EXCHANGE_URL: sb.baseUrl,
      M365_TENANT_ID: FIXTURE.tenantId,
      M365_CLIENT_ID: FIXTURE.automation.appId,
      M365_CLIENT_SECRET: FIXTURE.automation.secret,
      M365_SMTP_HOST: "127.0.0.1",
      M365_SMTP_PORT: String(sb.smtp!.port),
      M365_SANDBOX_ADMIN_TOKEN: sb.adminToken,
    });
    expect(readFileSync(sb.caCertPath, "utf8")).toBe(sb.caPem);
    expect(sb.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it("a child process trusts the sandbox through NODE_EXTRA_CA_CERTS alone and gets a token with @azure/identity", async () => {
    const script = `
      import { ClientSecretCredential } from "@azure/identity";
      const e = process.env;
      const c = new ClientSecretCredential(e.M365_TENANT_ID, e.M365_CLIENT_ID, e.M365_CLIENT_SECRET, { authorityHost: e.M365_AUTHORITY_HOST, disableInstanceDiscovery: true, retryOptions: { maxRetries: 0 } });
      const t = await c.getToken("https://graph.microsoft.com/.default");
      const r = await fetch(e.M365_GRAPH_URL + "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy", { headers: { authorization: "Bearer " + t.token } });
      console.log(r.status, (await r.json()).isEnabled);
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? "", ...sb.env },
    });
    expect(stdout.trim()).toBe("200 true");
  });

  it("starts the SMTP endpoint next to the HTTPS one", async () => {
    const banner = await new Promise<string>((resolve, reject) => {
      const s = connect(sb.smtp!.port, sb.smtp!.host);
      s.once("data", (d) => {
        resolve(d.toString("utf8"));
        s.end("QUIT\r\n");
      });
      s.once("error", reject);
    });
    expect(banner).toMatch(/^220 .*Microsoft ESMTP MAIL Service ready/);
  });
});
