import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scenarioProject, type ScenarioProject } from "./scenario-project.ts";

/**
 * The policy pack through the real CLI: `pulumi preview --policy-pack policies` on the
 * policy-scenarios program, which declares resources with our type tokens per `scenario`.
 */
describe("the policy pack in a real preview", { timeout: 240_000 }, () => {
  let s: ScenarioProject;

  beforeAll(async () => {
    s = await scenarioProject();
  });
  afterAll(() => s.project.cleanup());

  /**
   * The violations in the CLI's "Policies:" block, one line each:
   * `[level] policy (resource name): message`, sorted.
   */
  function violations(stdout: string): string[] {
    const lines = stdout.split("\n");
    const out: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const head = /^\s+- \[(\w+)\]\s+(\S+)\s+\(\S+: (.+)\)$/.exec(lines[i]!);
      if (!head) continue;
      // The line after the head is the policy's description, the one after that the message.
      out.push(`[${head[1]}] ${head[2]} (${head[3]}): ${lines[i + 2]!.trim()}`);
    }
    return out.sort();
  }

  const ALL_VIOLATIONS = [
    "[mandatory] organization-smtp-auth-enable-denied (organization-smtp-auth): SMTP AUTH is turned on for the whole organisation: keep smtpAuth.organization disabled and declare per-mailbox exceptions, or allow it with allowOrganizationSmtpAuth: true in this policy's config.",
    "[mandatory] per-user-mfa-disabled-only-for-exceptions (mfa-admin@contoso.com): Per-user MFA is disabled for admin@contoso.com, who holds the admin role Exchange Administrator: administrators keep MFA; send from a separate mailbox without admin roles, or with OAuth.",
    "[mandatory] per-user-mfa-disabled-only-for-exceptions (mfa-admin@contoso.com): Per-user MFA is disabled for admin@contoso.com, who is not a declared SMTP AUTH exception: declare smtpAuth.mailboxes.admin@contoso.com with state enabled, or keep MFA on.",
    "[mandatory] per-user-mfa-disabled-only-for-exceptions (mfa-frontdesk@contoso.com): Per-user MFA is disabled for frontdesk@contoso.com, who is not a declared SMTP AUTH exception: declare smtpAuth.mailboxes.frontdesk@contoso.com with state enabled, or keep MFA on.",
    "[mandatory] security-defaults-off-needs-justification (security-defaults): Security defaults are turned off with no Conditional Access baseline, no mfa.others: enforced and no risk acceptance: set securityDefaults.conditionalAccessBaseline to true, mfa.others to enforced, or securityDefaults.riskAcceptance with an owner.",
    "[mandatory] security-defaults-off-needs-justification (security-defaults): Security defaults are turned off without a reason: set securityDefaults.reason in tenant.yaml.",
    "[mandatory] smtp-auth-exception-owned-and-expiring (mailbox-copier@contoso.com): SMTP AUTH exception for copier@contoso.com expires on 2029-02-06, more than 12 months ahead (latest allowed: 2027-11-29): shorten it.",
    "[mandatory] smtp-auth-exception-owned-and-expiring (mailbox-copier@contoso.com): SMTP AUTH exception for copier@contoso.com has no ticket: set ticket on smtpAuth.mailboxes.copier@contoso.com in tenant.yaml.",
    "[mandatory] smtp-auth-exception-owned-and-expiring (mailbox-scanner@contoso.com): SMTP AUTH exception for scanner@contoso.com expired on 2026-11-28: renew it with a new ticket, or set the mailbox back to inherit.",
    "[mandatory] smtp-auth-exception-owned-and-expiring (mailbox-scanner@contoso.com): SMTP AUTH exception for scanner@contoso.com has no owner: set owner on smtpAuth.mailboxes.scanner@contoso.com in tenant.yaml.",
  ];

  it("passes the compliant scenario", async () => {
    const result = await s.preview("compliant");
    expect(result.code === 0 ? "exit 0" : result.stdout + result.stderr).toBe("exit 0");
    expect(result.stdout).toContain("m365-smtp-auth@v0.1.0");
    expect(violations(result.stdout)).toEqual([]);
  });

  it("blocks the violations scenario with every violation, exactly", async () => {
    const result = await s.preview("violations");
    expect(result.code).not.toBe(0);
    expect(violations(result.stdout)).toEqual(ALL_VIOLATIONS);
  });

  it("never blocks on values unknown at preview", async () => {
    const result = await s.preview("unknown");
    expect(result.code === 0 ? "exit 0" : result.stdout + result.stderr).toBe("exit 0");
    expect(violations(result.stdout)).toEqual([]);
    expect(result.stdout + result.stderr).not.toContain("can't run policy");
  });

  it("takes enforcement levels and policy config from --policy-pack-config", async () => {
    const result = await s.preview("violations", {
      packConfig: {
        all: "advisory",
        "organization-smtp-auth-enable-denied": { allowOrganizationSmtpAuth: true },
        "per-user-mfa-disabled-only-for-exceptions": "disabled",
      },
    });
    expect(result.code === 0 ? "exit 0" : result.stdout + result.stderr).toBe("exit 0");
    expect(violations(result.stdout)).toEqual(
      ALL_VIOLATIONS.filter((v) => v.includes("security-defaults") || v.includes("smtp-auth-exception")).map((v) =>
        v.replace("[mandatory]", "[advisory]"),
      ),
    );
  });
});
