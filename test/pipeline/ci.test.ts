import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_TENANT_YAML, startProgram, type ProgramUnderTest } from "../helpers/program.ts";
import { commentMarker } from "../../cli/preview-comment/render.ts";
import { driftMarker } from "../../cli/pipeline/drift.ts";
import { inDays, runCi, type CiResult } from "./helpers.ts";

/**
 * The ci:* commands end to end, as the workflows run them: the real CLI, the real program and
 * policy pack, against the in-process sandbox tenant (issue 6 items 3-5).
 */

const SCANNER = "scanner@contoso.com";

describe("the pipeline commands through the real CLI", { timeout: 300_000 }, () => {
  let program: ProgramUnderTest;
  const out = () => path.join(program.project.dir, ".pipeline", "test");
  const read = (file: string) => readFileSync(path.join(out(), file), "utf8");
  const explain = (r: CiResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
  const secret = () => program.sandbox.env.M365_CLIENT_SECRET!;

  beforeAll(async () => {
    program = await startProgram();
  });
  afterAll(() => program.stop());

  it("ci:preview on a pull request with a policy violation: comment with the violation, the preview's exit code, no plan", async () => {
    // Loads (owner and expiry present) but breaks the pack's rule that an exception names its ticket.
    program.writeTenantYaml(SANDBOX_TENANT_YAML.replace(" ticket: CHG-1042,", ""));
    const r = await runCi(["preview", "--stack", "test"], { program });
    expect(r.code, explain(r)).not.toBe(0);
    const result = JSON.parse(read("result.json"));
    expect(result).toMatchObject({ stack: "test", exitCode: r.code, planSaved: false, mandatory: 1 });
    const comment = read("comment.md");
    expect(comment.split("\n")[0]).toBe(commentMarker("test"));
    expect(comment).toContain("❌ 1 mandatory policy violation");
    expect(comment).toContain(
      `| \`smtp-auth-exception-owned-and-expiring\` | ❌ mandatory | MailboxSmtpAuth \`mailbox-${SCANNER}\` | SMTP AUTH exception for ${SCANNER} has no ticket: set ticket on smtpAuth.mailboxes.${SCANNER} in tenant.yaml. |`,
    );
    expect(existsSync(path.join(out(), "plan.json"))).toBe(false);
    expect(r.stdout + r.stderr + comment).not.toContain(secret());
    // Nothing was sent to the tenant.
    expect(program.sandbox.store.read().securityDefaultsEnabled).toBe(true);
  });

  it("ci:preview of a compliant change: exit 0, a saved plan, and a warning 30 days before an exception expires", async () => {
    const soon = inDays(12);
    program.writeTenantYaml(
      SANDBOX_TENANT_YAML.replace("expires: 2027-06-30 }\nsmtpAuth", `expires: ${soon} }\nsmtpAuth`),
    );
    const r = await runCi(["preview", "--stack", "test"], { program });
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toContain(
      "ci:preview test: exit 0; comment .pipeline/test/comment.md; plan .pipeline/test/plan.json",
    );
    const comment = read("comment.md");
    expect(comment).toContain("✅ policies passed");
    expect(comment).toContain(
      `- ⏳ The risk acceptance for turning security defaults off expires on ${soon}, in 12 days (owner it-security@contoso.com, ticket RISK-2031): renew it with a new ticket and expiry, or move the sender to OAuth.`,
    );
    // Issue 16.1: what the change overwrites, read from the tenant at preview (program/current.ts).
    expect(comment).toContain(`| tenant | on → **off** | — | it-security@contoso.com | ${soon} (in 12 days) |`);
    expect(comment).toContain("| tenant | already disabled (recorded, no write) | — | — | — |");
    expect(comment).toContain(
      `| ${SCANNER} | disabled → **enabled** | gains SMTP AUTH · ✅ can send | facilities@contoso.com | 2027-06-30 (in `,
    );
    expect(comment).toContain(`| ${SCANNER} | enforced → **disabled** | — | — | — |`);
    // The mailbox exception (2027-06-30) is further out than 30 days: no warning for it.
    expect(comment).not.toContain(`⏳ The SMTP AUTH exception for ${SCANNER}`);
    const plan = read("plan.json");
    expect(JSON.parse(plan)).toHaveProperty("resourcePlans");
    expect(plan).not.toContain(secret());
    expect(JSON.parse(read("result.json"))).toMatchObject({ exitCode: 0, planSaved: true, changes: 4, mandatory: 0 });
  });

  it("ci:apply refuses without a reviewed plan", async () => {
    const r = await runCi(["apply", "--stack", "test", "--plan", "no-such-plan.json"], { program });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("ci:apply test: no reviewed plan at no-such-plan.json; refusing to apply.");
  });

  it("ci:apply refuses a plan that no longer matches tenant.yaml, and changes nothing", async () => {
    const reviewed = readFileSync(path.join(program.project.dir, "stacks/test/tenant.yaml"), "utf8");
    program.writeTenantYaml(reviewed.replace("organization: disabled", "organization: enabled"));
    try {
      const r = await runCi(["apply", "--stack", "test"], { program });
      expect(r.code, explain(r)).not.toBe(0);
      expect(r.stdout).toContain(
        "organization-smtp-auth violates plan: properties changed: ++state[{disabled}!={enabled}]",
      );
      expect(r.stderr).toContain("ci:apply test: the update did not match the reviewed plan");
      const state = program.sandbox.store.read();
      expect(state.securityDefaultsEnabled).toBe(true);
      expect(state.organizationSmtpClientAuthenticationDisabled).toBe(true);
      expect(program.sandbox.store.findUser(SCANNER)!.perUserMfa).not.toBe("disabled");
    } finally {
      program.writeTenantYaml(reviewed);
    }
  });

  it("ci:apply applies the reviewed plan", async () => {
    const r = await runCi(["apply", "--stack", "test"], { program });
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toContain("5 created");
    const state = program.sandbox.store.read();
    const scanner = program.sandbox.store.findUser(SCANNER)!;
    expect(state.securityDefaultsEnabled).toBe(false);
    expect(scanner.smtpClientAuthenticationDisabled).toBe(false);
    expect(scanner.perUserMfa).toBe("disabled");
    expect(r.stdout + r.stderr).not.toContain(secret());
  });

  it("ci:drift is clean right after the apply", async () => {
    const r = await runCi(["drift", "--stack", "test"], { program });
    expect(r.code, explain(r)).toBe(0);
    const report = read("drift.md");
    expect(report.split("\n")[0]).toBe(driftMarker("test"));
    expect(report).toContain("✅ no drift");
    expect(report).toContain("⏳ 1 expiring within 30 days");
  });

  it("ci:drift fails after an out-of-band change and names the item", async () => {
    const scanner = program.sandbox.store.findUser(SCANNER)!;
    program.sandbox.store.updateUser(scanner.id, { smtpClientAuthenticationDisabled: true });
    const r = await runCi(["drift", "--stack", "test"], { program });
    expect(r.code, explain(r)).toBe(1);
    expect(r.stdout).toContain("ci:drift test: NOT clean (drift 1, expired 0");
    const report = read("drift.md");
    expect(report).toContain("❌ drift: 1 item differs from tenant.yaml");
    expect(report).toContain(`| ${SCANNER} | MailboxSmtpAuth | update | state: disabled → enabled |`);
    expect(JSON.parse(read("drift.json"))).toMatchObject({ ok: false, expired: 0 });
    expect(r.stdout + r.stderr + report).not.toContain(secret());
    // The drift check only reads: the tenant keeps the out-of-band value.
    expect(program.sandbox.store.findUser(SCANNER)!.smtpClientAuthenticationDisabled).toBe(true);
    program.sandbox.store.updateUser(scanner.id, { smtpClientAuthenticationDisabled: false });
  });

  it("ci:drift fails on an expired exception, naming it with file:line", async () => {
    const yesterday = inDays(-1);
    program.writeTenantYaml(
      SANDBOX_TENANT_YAML.replace(`ticket: CHG-1042, expires: 2027-06-30`, `ticket: CHG-1042, expires: ${yesterday}`),
    );
    const r = await runCi(["drift", "--stack", "test"], { program });
    expect(r.code, explain(r)).toBe(1);
    const report = read("drift.md");
    expect(report).toContain("❌ 1 expired");
    expect(report).toContain(
      `| ❌ | SMTP AUTH enabled for ${SCANNER} | facilities@contoso.com | CHG-1042 | ${yesterday} (expired 1 day ago) | \`stacks/test/tenant.yaml:8\` |`,
    );
    // The program refuses the file too, so the refreshed preview fails with the loader's message.
    expect(report).toContain(`expired on ${yesterday}`);
    expect(JSON.parse(read("drift.json"))).toMatchObject({ ok: false, expired: 1 });

    const expiring = await runCi(["expiring", "stacks/test/tenant.yaml"], { program });
    expect(expiring.code).toBe(1);
    expect(expiring.stderr).toContain(
      `ci:expiring: stacks/test/tenant.yaml:8 SMTP AUTH enabled for ${SCANNER} expired on ${yesterday}`,
    );
    program.writeTenantYaml(SANDBOX_TENANT_YAML);
  });

  it("writes nothing outside --out", () => {
    expect(existsSync(path.join(program.project.dir, "comment.md"))).toBe(false);
  });
});
