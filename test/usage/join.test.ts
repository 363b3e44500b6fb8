/**
 * The join's rules on their own (cli/usage/join.ts), with a scripted facts reader that throws on any
 * call it does not expect: the verdicts across Microsoft's schedule, every recommended path, and
 * the call-outs. The sandbox tests (command.test.ts) cover the same through the real command.
 */
import { describe, expect, it } from "vitest";
import { parseDesiredState } from "../../desired/tenant-yaml.ts";
import type { GateFacts } from "../../m365/gates.ts";
import type { FactsReader } from "../../cli/usage/facts.ts";
import { buildReport } from "../../cli/usage/join.ts";
import type { AccountUsage, UsageData } from "../../cli/usage/model.ts";

const HEALTHY: GateFacts = {
  mechanism: "basic",
  userId: "u-1",
  mailboxExists: true,
  licensed: true,
  accountEnabled: true,
  passwordCorrect: "unknown",
  accountLocked: "unknown",
  securityDefaultsEnabled: false,
  conditionalAccessPolicies: [],
  perUserMfa: "disabled",
  mfaMethodRegistered: false,
  mailboxSmtpAuthDisabled: false,
  organizationSmtpAuthDisabled: true,
  authenticationPolicy: null,
  basicAuthSmtpRetired: "unknown",
  exchangeServicePrincipalRegistered: "unknown",
  mailboxPermissionGranted: "unknown",
};

/** Answers only for the mailboxes given; anything else fails the test. */
function reader(table: Record<string, Partial<GateFacts>>): FactsReader {
  return (mailbox, mechanism) => {
    const over = table[`${mechanism}:${mailbox}`];
    if (!over) throw new Error(`unexpected facts read ${mechanism}:${mailbox}`);
    return Promise.resolve({ ...HEALTHY, mechanism, ...over });
  };
}

function usage(account: string, over: Partial<AccountUsage> = {}): AccountUsage {
  return {
    account,
    kind: "user",
    mechanism: "basic",
    displayName: null,
    logins: 10,
    failures: 0,
    lastSeen: "2026-11-29T08:00:00Z",
    perDay: { "2026-11-28": 5, "2026-11-29": 5 },
    errorCodes: {},
    ipAddresses: ["203.0.113.1"],
    ...over,
  };
}

const data = (accounts: AccountUsage[]): UsageData => ({
  source: "sign-in-logs",
  since: "2026-10-31",
  until: "2026-11-30",
  accounts,
});

describe("verdicts across the schedule", () => {
  it.each([
    ["2026-11-30", ["yes", "if-re-enabled", "no"]],
    ["2027-01-15", ["if-re-enabled", "if-re-enabled", "no"]],
    // In the removal window Basic may still work where re-enabled, until Microsoft removes it.
    ["2027-08-01", ["if-re-enabled", "if-re-enabled", "no"]],
    ["2028-01-15", ["no", "no", "no"]],
  ])("a healthy Basic sender judged on %s", async (today, answers) => {
    const r = await buildReport(data([usage("mfp@contoso.com")]), null, reader({ "basic:mfp@contoso.com": {} }), {
      today,
      days: 30,
    });
    const a = r.accounts[0]!;
    expect([a.today.answer, a.afterDefaultOff.answer, a.afterRemoval.answer]).toEqual(answers);
  });

  it("a Basic sender already blocked stays blocked, naming the gate", async () => {
    const r = await buildReport(
      data([usage("mfp@contoso.com")]),
      null,
      reader({ "basic:mfp@contoso.com": { perUserMfa: "enforced" } }),
      { today: "2026-11-30", days: 30 },
    );
    expect(r.accounts[0]!.today).toEqual({ answer: "no", reason: "per_user_mfa: legacy per-user MFA is enforced" });
    expect(r.accounts[0]!.afterDefaultOff.reason).toBe(
      "already blocked: per_user_mfa: legacy per-user MFA is enforced",
    );
  });

  it("a fact that could not be read makes the verdict unknown, naming it", async () => {
    const r = await buildReport(
      data([usage("mfp@contoso.com")]),
      null,
      reader({ "basic:mfp@contoso.com": { conditionalAccessPolicies: "unknown" } }),
      { today: "2026-11-30", days: 30 },
    );
    expect(r.accounts[0]!.today).toEqual({ answer: "unknown", reason: "could not be read: conditional_access_block" });
  });
});

describe("recommended paths", () => {
  it("picks each path by its rule", async () => {
    const accounts = [
      usage("busy@contoso.com", { logins: 1200, perDay: { "2026-11-28": 600, "2026-11-29": 600 } }),
      usage("app@contoso.com", { ipAddresses: ["192.0.2.1", "192.0.2.2"] }),
      usage("guess@contoso.com", { logins: 0, failures: 3, perDay: {}, errorCodes: { "50126": 3 } }),
      usage("scanner@contoso.com"),
      usage("mfp@contoso.com"),
    ];
    const desired = parseDesiredState(
      "oauth:\n  apps:\n    scanner:\n      mailbox: scanner@contoso.com\n      appId: 52e8a1c4-9f07-4b3d-a6e2-d1c0b9a8f7e6\n      servicePrincipalObjectId: e3f4a5b6-c7d8-4e9f-8a0b-1c2d3e4f5a6b\n",
      "t.yaml",
      { today: "2026-11-30" },
    );
    const table = Object.fromEntries(accounts.map((a) => [`basic:${a.account}`, {}]));
    const r = await buildReport(data(accounts), desired, reader(table), { today: "2026-11-30", days: 30 });
    expect(r.accounts.map((a) => [a.account, a.recommendation.path])).toEqual([
      ["busy@contoso.com", "high-volume-email"],
      ["app@contoso.com", "graph-sendmail"],
      ["guess@contoso.com", "keep-off"],
      ["scanner@contoso.com", "oauth"],
      ["mfp@contoso.com", "connector"],
    ]);
    expect(r.accounts[0]!.recommendation.reason).toBe(
      "about 600 sign-ins a day: High Volume Email takes this volume (internal recipients only; Basic accepted until September 2028)",
    );
    // guess@ only failed: not "using SMTP AUTH without an exception".
    expect(r.undeclared).toEqual(["app@contoso.com", "busy@contoso.com", "mfp@contoso.com", "scanner@contoso.com"]);
  });

  it("an OAuth app without a declared mailbox is unknown and reads nothing", async () => {
    const app = usage("0a7f3e94-1b2c-4d5e-8f60-7a8b9c0d1e21", {
      kind: "app",
      mechanism: "oauth",
      displayName: "mailer",
    });
    const r = await buildReport(data([app]), null, reader({}), { today: "2026-11-30", days: 30 });
    expect(r.accounts[0]!.today.answer).toBe("unknown");
    expect(r.accounts[0]!.recommendation.path).toBe("keep-oauth");
    expect(r.undeclared).toEqual([]);
  });
});
