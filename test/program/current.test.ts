/** program/current.ts: the tenant's current values at preview, read through the project's client from the sandbox over TLS. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  currentLine,
  parseCurrentLine,
  readCurrentChanges,
  reportCurrentValues,
  type CurrentChange,
} from "../../program/current.ts";
import type { TenantApi } from "../../tenant/api.ts";
import type { MailboxSmtpAuthInputs } from "../../providers/types.ts";
import type { Sandbox } from "../../sandbox/server.ts";
import { FIXTURE, projectApi, startTestSandbox } from "../sandbox/helpers.ts";
import { desiredState as desired } from "../helpers/fakes.ts";

function api(sb: Sandbox, appId: string, secret: string): TenantApi {
  return projectApi(
    sb,
    { appId, secret },
    { retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, budgetMs: 10_000 } },
  );
}

const exception = { owner: "facilities@contoso.com", ticket: "CHG-1", expires: "2027-01-31" };

describe("current values at preview (program/current.ts)", () => {
  let sb: Sandbox;
  let tenant: TenantApi;

  beforeAll(async () => {
    sb = await startTestSandbox({ throttle: false, generate: { users: 4700, seed: 16 } });
    tenant = api(sb, FIXTURE.automation.appId, FIXTURE.automation.secret);
  });
  afterAll(() => sb.stop());

  it("reports what each declared change overwrites, with the SMTP AUTH effect", async () => {
    const { read, changes } = await readCurrentChanges(
      tenant,
      desired({
        securityDefaults: { enabled: false, reason: "CA baseline", conditionalAccessBaseline: true },
        mailboxes: [
          { mailbox: "bob@contoso.com", state: "disabled" },
          { mailbox: "scanner@contoso.com", state: "enabled", ...exception },
          { mailbox: "printer@contoso.com", state: "inherit" },
        ],
        mfaUsers: [
          { user: "alice@contoso.com", state: "enforced" },
          { user: "printer@contoso.com", state: "enabled" },
          { user: "scanner@contoso.com", state: "enabled" },
        ],
      }),
    );
    expect(read).toBe(7);
    expect(changes.map(currentLine)).toEqual([
      "tenant security defaults: enabled → disabled (tenant now → declared)",
      "bob@contoso.com SMTP AUTH: enabled → disabled (tenant now → declared; ⛔ loses SMTP AUTH)",
      "scanner@contoso.com SMTP AUTH: disabled → enabled (tenant now → declared; ✅ gains SMTP AUTH)",
      "alice@contoso.com MFA: disabled → enforced (tenant now → declared)",
    ]);
    // printer inherits already; its MFA is enabled as declared; scanner's enforced satisfies "enabled".
  });

  it("reads 3,000 declared mailboxes with one Exchange listing, and MFA in $batch requests of 20", async () => {
    const users = sb.store
      .users()
      .filter((u) => u.hasMailbox && u.userPrincipalName.startsWith("user"))
      .slice(0, 3000);
    expect(users).toHaveLength(3000);
    const mailboxes: MailboxSmtpAuthInputs[] = users.map((u) => ({
      mailbox: u.userPrincipalName.toLowerCase(),
      state: "enabled",
      ...exception,
    }));
    const mfaUsers = users
      .slice(0, 100)
      .map((u) => ({ user: u.userPrincipalName.toLowerCase(), state: "disabled" as const }));
    sb.requestLog.clear();
    const { read, changes } = await readCurrentChanges(tenant, desired({ mailboxes, mfaUsers }));
    expect(read).toBe(mailboxes.length + 100);
    const smtp = changes.filter((c) => c.kind === "MailboxSmtpAuth");
    // Every mailbox not enabled by name today is a change; those that inherit the organisation's
    // "disabled" gain SMTP AUTH.
    const notEnabled = users.filter((u) => u.smtpClientAuthenticationDisabled !== false);
    expect(smtp).toHaveLength(notEnabled.length);
    expect(notEnabled.length).toBeGreaterThan(2500);
    expect(smtp[0]).toEqual({
      kind: "MailboxSmtpAuth",
      item: mailboxes[0]!.mailbox,
      current: "inherit",
      declared: "enabled",
      effect: "gains",
    });
    const counts = sb.requestLog.counts();
    expect(counts["InvokeCommand Get-TransportConfig"]).toBe(1);
    // One paged listing of every mailbox (1,000 a page, filtered on our side: the property is not
    // server-filterable), never one call per declared mailbox.
    const withMailbox = sb.store.users().filter((u) => u.hasMailbox).length;
    expect(counts["InvokeCommand Get-CASMailbox"]).toBe(Math.ceil(withMailbox / 1000));
    expect(counts["POST /beta/$batch"]).toBe(5);
  });

  it("shows a value it may not read as unknown, and a failed connection as one warning", async () => {
    const nobody = api(sb, FIXTURE.nobody.appId, FIXTURE.nobody.secret);
    const { changes } = await readCurrentChanges(
      nobody,
      desired({
        mailboxes: [{ mailbox: "bob@contoso.com", state: "disabled" }],
        mfaUsers: [{ user: "alice@contoso.com", state: "enforced" }],
      }),
    );
    expect(changes.map(currentLine)).toEqual([
      "bob@contoso.com SMTP AUTH: unknown → disabled (tenant now → declared)",
      "alice@contoso.com MFA: unknown → enforced (tenant now → declared)",
    ]);
    const info: string[] = [];
    const warn: string[] = [];
    await reportCurrentValues(
      () => Promise.reject(new Error("the token service could not be reached\nat stack")),
      desired({}),
      (m) => info.push(m),
      (m) => warn.push(m),
    );
    expect(info).toEqual([]);
    expect(warn).toEqual([
      "tenant now: the current values could not be read, so the preview cannot show what it overwrites: the token service could not be reached",
    ]);
  });

  it("parses every line it writes back to the same change", () => {
    const all: CurrentChange[] = [
      { kind: "SecurityDefaults", item: "tenant", current: "enabled", declared: "disabled" },
      { kind: "OrganizationSmtpAuth", item: "organisation", current: "disabled", declared: "enabled" },
      { kind: "MailboxSmtpAuth", item: "bob@contoso.com", current: "enabled", declared: "disabled", effect: "loses" },
      { kind: "PerUserMfa", item: "alice@contoso.com", current: "unknown", declared: "enforced" },
    ];
    for (const c of all) expect(parseCurrentLine(`${currentLine(c)}\n`)).toEqual(c);
    expect(parseCurrentLine("bob@contoso.com is declared enabled but will still not be able to send")).toBeUndefined();
  });
});
