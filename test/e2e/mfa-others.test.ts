import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../engine/pulumi-env.ts";
import type { TenantUser } from "../../sandbox/model.ts";
import { SANDBOX_TENANT_YAML, startProgram, type ProgramUnderTest } from "../helpers/program.ts";

/**
 * `mfa.others: enforced` (issue 15.5) end to end through the real CLI: one OtherUsersMfa resource
 * raises every undeclared user through Graph $batch, leaves the declared ones alone, reports an
 * out-of-band change as drift of that one resource, and destroy puts every user's prior back.
 */

const USERS = 120;
const mfaOf = (u: TenantUser) => (u.perUserMfa === "enabled" && u.mfaMethodRegistered ? "enforced" : u.perUserMfa);

describe("mfa.others: enforced", { timeout: 240_000 }, () => {
  let program: ProgramUnderTest;
  let initial: Map<string, string>;

  beforeAll(async () => {
    program = await startProgram({
      sandbox: { generate: { users: USERS, seed: 3 } },
      tenantYaml: `${SANDBOX_TENANT_YAML}  others: enforced\n`,
    });
    initial = new Map(program.sandbox.store.users().map((u) => [u.userPrincipalName.toLowerCase(), mfaOf(u)]));
  });
  afterAll(() => program.stop());

  it("up enforces MFA for every user not listed, in $batch requests, and leaves the listed one alone", async () => {
    expect([...initial.values()].filter((s) => s !== "enforced").length).toBeGreaterThan(USERS / 2);
    program.sandbox.requestLog.clear();
    await program.ok(["up", "--yes", "--skip-preview"]);
    const now = program.sandbox.store.users().map((u) => [u.userPrincipalName.toLowerCase(), mfaOf(u)] as const);
    expect(now.filter(([upn, s]) => upn !== "scanner@contoso.com" && s !== "enforced")).toEqual([]);
    expect(now.find(([upn]) => upn === "scanner@contoso.com")?.[1]).toBe("disabled");
    // Each raised user is one PATCH, and every one of them travels inside a $batch of 20.
    const raised = [...initial].filter(([upn, s]) => upn !== "scanner@contoso.com" && s !== "enforced").length;
    const mfaPatches = program.sandbox.requestLog
      .entries()
      .filter((e) => e.method === "PATCH" && e.endpoint.endsWith("/authentication/requirements"));
    expect(mfaPatches.filter((e) => e.batchItem !== undefined).length).toBe(raised);
    // The one outside a $batch is the scanner's own PerUserMfa resource (enforced → disabled).
    expect(mfaPatches.filter((e) => e.batchItem === undefined).map((e) => e.path)).toEqual([
      expect.stringContaining("/authentication/requirements"),
    ]);
  });

  it("exports who is left without MFA once security defaults are off: only the declared device", async () => {
    const out = JSON.parse((await program.ok(["stack", "output", "--json"])).stdout) as {
      mfaCoverage: { accounts: number; coveredBy: Record<string, number>; withoutMfa: unknown };
    };
    const enabledAccounts = program.sandbox.store.users().filter((u) => u.accountEnabled).length;
    expect(out.mfaCoverage.accounts).toBe(enabledAccounts);
    expect(out.mfaCoverage.coveredBy.perUserMfa).toBe(enabledAccounts - 1);
    expect(out.mfaCoverage.withoutMfa).toEqual({
      count: 1,
      declaredCount: 1,
      users: ["scanner@contoso.com"],
      declared: ["scanner@contoso.com"],
    });
  });

  it("records each raised user's prior, and a refreshed preview shows no change", async () => {
    const exported = JSON.parse((await program.ok(["stack", "export"])).stdout) as {
      deployment: { resources: { type: string; outputs?: { reset?: { user: string; prior: string }[] } }[] };
    };
    const others = exported.deployment.resources.find((r) => r.type.endsWith(":OtherUsersMfa"))!;
    const expected = [...initial].filter(([upn, s]) => upn !== "scanner@contoso.com" && s !== "enforced");
    expect(new Map(others.outputs!.reset!.map((r) => [r.user, r.prior]))).toEqual(new Map(expected));
    await program.ok(["preview", "--refresh", "--expect-no-changes"]);
  });

  it("an undeclared user whose MFA was turned off is drift of the one collective resource", async () => {
    const victim = program.sandbox.store.users().find((u) => /^user\d+@/.test(u.userPrincipalName))!;
    program.sandbox.store.updateUser(victim.id, { perUserMfa: "disabled" });
    const preview = await program.pulumi(["preview", "--refresh", "--expect-no-changes", "--json"]);
    expect(preview.code).not.toBe(0);
    const steps = (JSON.parse(preview.stdout) as { steps: { op: string; urn: string }[] }).steps
      .filter((s) => s.op !== "same" && s.op !== "refresh")
      .map((s) => `${s.op} ${s.urn.split("::").pop()}`);
    expect(steps).toEqual(["update other-users-mfa"]);
    await program.ok(["up", "--yes", "--skip-preview", "--refresh"]);
    expect(mfaOf(program.sandbox.store.findUser(victim.id)!)).toBe("enforced");
  });

  it("destroy puts every user's prior back", async () => {
    await program.ok(["destroy", "--yes", "--skip-preview"]);
    const now = new Map(program.sandbox.store.users().map((u) => [u.userPrincipalName.toLowerCase(), mfaOf(u)]));
    // The user turned off out of band was raised again by the same resource: its prior is still the first one.
    expect([...initial].filter(([upn, s]) => now.get(upn) !== s)).toEqual([]);
  });
});

describe("the policy pack and mfa.others", { timeout: 240_000 }, () => {
  let program: ProgramUnderTest;
  const yaml = (others: string) => `securityDefaults:
  enabled: false
  reason: "The scan-to-email device can only use SMTP AUTH with a password"
smtpAuth:
  organization: disabled
  mailboxes:
    scanner@contoso.com: { state: enabled, owner: facilities@contoso.com, ticket: CHG-1042, expires: 2027-06-30 }
mfa:
  users:
    scanner@contoso.com: disabled
  others: ${others}
`;
  beforeAll(async () => {
    program = await startProgram({ tenantYaml: yaml("enforced") });
  });
  afterAll(() => program.stop());

  const preview = () => program.pulumi(["preview", "--policy-pack", path.join(projectRoot, "policies")]);

  it("accepts security defaults off with mfa.others: enforced and no risk acceptance", async () => {
    const r = await preview();
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it("refuses it with mfa.others: enabled, naming the three ways out", async () => {
    program.writeTenantYaml(yaml("enabled"));
    const r = await preview();
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain(
      "[mandatory]  security-defaults-off-needs-justification  (pulumi-nodejs:dynamic/m365:SecurityDefaults: security-defaults)",
    );
    expect(r.stdout).toContain(
      "Security defaults are turned off with no Conditional Access baseline, no mfa.others: enforced and no risk acceptance",
    );
  });
});
