/** The project's own Graph/Exchange client (tenant/api.ts) against the sandbox, retries off. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PermissionError, type TenantApi } from "../../tenant/api.ts";
import type { Sandbox } from "../../sandbox/server.ts";
import { FIXTURE, LIVE, projectApi, startTestSandbox } from "./helpers.ts";

function api(sb: Sandbox, appId: string, secret: string): TenantApi {
  return projectApi(
    sb,
    { appId, secret },
    { retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, budgetMs: 10_000 } },
  );
}

describe.skipIf(LIVE)("project client (tenant/api.ts) against the sandbox", () => {
  let sb: Sandbox;
  let tenant: TenantApi;

  beforeAll(async () => {
    sb = await startTestSandbox({ throttle: false, generate: { users: 1200, seed: 3 } });
    tenant = api(sb, FIXTURE.automation.appId, FIXTURE.automation.secret);
  });
  afterAll(() => sb.stop());

  it("reads and changes the article's three settings", async () => {
    expect(await tenant.getSecurityDefaults()).toBe(true);
    await tenant.setSecurityDefaults(false);
    expect(await tenant.getSecurityDefaults()).toBe(false);

    expect(await tenant.getOrganizationSmtpAuthDisabled()).toBe(true);
    expect(await tenant.getCasMailbox(FIXTURE.scanner.upn)).toMatchObject({
      mailbox: FIXTURE.scanner.upn,
      state: "disabled",
    });
    await tenant.setCasMailbox(FIXTURE.scanner.upn, "enabled");
    expect(sb.store.findUser(FIXTURE.scanner.upn)!.smtpClientAuthenticationDisabled).toBe(false);

    expect(await tenant.getPerUserMfa(FIXTURE.scanner.upn)).toBe("enforced");
    await tenant.setPerUserMfa(FIXTURE.scanner.upn, "disabled");
    expect(await tenant.getPerUserMfa(FIXTURE.scanner.upn)).toBe("disabled");
  });

  it("pages every mailbox and batches MFA reads", async () => {
    const all = await tenant.listCasMailboxes(false);
    expect(all).toHaveLength(sb.store.users().filter((u) => u.hasMailbox).length);
    const upns = sb.store
      .users()
      .slice(0, 45)
      .map((u) => u.userPrincipalName);
    const states = await tenant.getPerUserMfaMany(upns);
    expect(states.size).toBe(45);
    expect(sb.requestLog.counts()["POST /beta/$batch"]).toBe(3);
  });

  it("names the missing permission when the tenant answers 403", async () => {
    const reader = api(sb, FIXTURE.reader.appId, FIXTURE.reader.secret);
    const e = await reader.setSecurityDefaults(true).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(PermissionError);
    expect((e as PermissionError).permission).toBe("Policy.ReadWrite.SecurityDefaults");
  });
});
