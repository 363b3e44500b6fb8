import { describe, expect, it } from "vitest";
import { securityDefaultsOffNeedsJustification as policy } from "../../policies/securityDefaults.ts";
import { UNKNOWN_SENTINELS } from "../../policies/testing.ts";
import { TYPE_TOKENS } from "../../policies/tokens.ts";
import { createResourceValidationArgs, messages, runResourcePolicy } from "./util.ts";

const TODAY = "2026-11-29";
const config = { today: TODAY };

/** Security defaults off, justified by a risk acceptance: valid. */
function happyPath(): Record<string, unknown> {
  return {
    enabled: false,
    reason: "Scanner cannot do OAuth yet",
    riskAcceptance: { owner: "ciso@contoso.com", ticket: "RISK-7", expires: "2027-03-31" },
  };
}

const run = (props: Record<string, unknown>, cfg: object = config) =>
  runResourcePolicy(policy, createResourceValidationArgs(TYPE_TOKENS.SecurityDefaults, props, cfg));

const NO_REASON = "Security defaults are turned off without a reason: set securityDefaults.reason in tenant.yaml.";
const NO_JUSTIFICATION =
  "Security defaults are turned off with no Conditional Access baseline, no mfa.others: enforced and no risk acceptance: set securityDefaults.conditionalAccessBaseline to true, mfa.others to enforced, or securityDefaults.riskAcceptance with an owner.";
const NO_OWNER =
  "The risk acceptance for turning security defaults off has no owner: set securityDefaults.riskAcceptance.owner.";

describe("security-defaults-off-needs-justification", () => {
  it("is a mandatory resource policy with a kebab-case name and a one-sentence description", () => {
    expect(policy.name).toBe("security-defaults-off-needs-justification");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.description).toMatch(/^[A-Z][^.]*\.$/);
    expect(Object.keys(policy.configSchema?.properties ?? {})).toEqual(["today"]);
  });

  it("passes a risk acceptance with an owner, and a Conditional Access baseline without one", async () => {
    expect(messages(await run(happyPath()))).toEqual([]);
    expect(messages(await run({ enabled: false, reason: "CA baseline", conditionalAccessBaseline: true }))).toEqual([]);
    expect(
      messages(
        await run({
          ...happyPath(),
          conditionalAccessBaseline: true,
          riskAcceptance: { owner: "", expires: "2001-01-01" },
        }),
      ),
    ).toEqual([]);
  });

  it("passes mfa.others: enforced as the compensating control, not mfa.others: enabled (issue 15.5)", async () => {
    expect(messages(await run({ enabled: false, reason: "scanner", mfaOthers: "enforced" }))).toEqual([]);
    // Enforced MFA covers the rest of the tenant, so an expired or ownerless acceptance beside it is not judged.
    expect(
      messages(
        await run({ ...happyPath(), mfaOthers: "enforced", riskAcceptance: { owner: "", expires: "2001-01-01" } }),
      ),
    ).toEqual([]);
    // `enabled` does not ask a user without a registered method for MFA: it is no compensating control.
    expect(messages(await run({ enabled: false, reason: "scanner", mfaOthers: "enabled" }))).toEqual([
      NO_JUSTIFICATION,
    ]);
    expect(messages(await run({ enabled: false, reason: "scanner", mfaOthers: UNKNOWN_SENTINELS.string }))).toEqual([]);
  });

  it("ignores security defaults that stay on, and other resource types", async () => {
    expect(messages(await run({ enabled: true }))).toEqual([]);
    expect(
      messages(
        await runResourcePolicy(policy, createResourceValidationArgs(TYPE_TOKENS.PerUserMfa, { enabled: false })),
      ),
    ).toEqual([]);
  });

  it.each([
    ["missing", undefined],
    ["blank", "   "],
    ["not a string", 42],
  ])("reports a %s reason", async (_, reason) => {
    expect(messages(await run({ ...happyPath(), reason }))).toEqual([NO_REASON]);
  });

  it("reports neither baseline nor risk acceptance (a false baseline counts as none)", async () => {
    expect(messages(await run({ enabled: false, reason: "r" }))).toEqual([NO_JUSTIFICATION]);
    expect(messages(await run({ enabled: false, reason: "r", conditionalAccessBaseline: false }))).toEqual([
      NO_JUSTIFICATION,
    ]);
  });

  it("reports a risk acceptance without an owner", async () => {
    expect(messages(await run({ ...happyPath(), riskAcceptance: { ticket: "RISK-7" } }))).toEqual([NO_OWNER]);
    expect(messages(await run({ ...happyPath(), riskAcceptance: { owner: " " } }))).toEqual([NO_OWNER]);
  });

  it("reports an expired risk acceptance; the expiry day itself is still valid", async () => {
    const at = (expires: string) => run({ ...happyPath(), riskAcceptance: { owner: "ciso@contoso.com", expires } });
    expect(messages(await at("2026-11-28"))).toEqual([
      "The risk acceptance for turning security defaults off expired on 2026-11-28: renew it or turn security defaults back on.",
    ]);
    expect(messages(await at(TODAY))).toEqual([]);
  });

  it("reports a malformed risk-acceptance expiry", async () => {
    expect(messages(await run({ ...happyPath(), riskAcceptance: { owner: "o", expires: "2026-02-30" } }))).toEqual([
      'The risk acceptance for turning security defaults off has an invalid expiry "2026-02-30": use YYYY-MM-DD.',
    ]);
  });

  it("reports every broken field at once", async () => {
    expect(messages(await run({ enabled: false, riskAcceptance: { expires: "2020-01-01" } }, config))).toEqual([
      NO_REASON,
      NO_OWNER,
      "The risk acceptance for turning security defaults off expired on 2020-01-01: renew it or turn security defaults back on.",
    ]);
  });

  it("skips what is unknown at preview instead of failing", async () => {
    const u = UNKNOWN_SENTINELS;
    expect(messages(await run({ enabled: u.boolean }))).toEqual([]);
    expect(messages(await run({ enabled: false, reason: u.string, conditionalAccessBaseline: u.boolean }))).toEqual([]);
    expect(messages(await run({ enabled: false, reason: "r", riskAcceptance: u.object }))).toEqual([]);
    expect(
      messages(await run({ enabled: false, reason: "r", riskAcceptance: { owner: u.string, expires: u.string } })),
    ).toEqual([]);
  });

  it("judges against the current day when config sets none, and rejects a malformed config day", async () => {
    expect(messages(await run({ ...happyPath(), riskAcceptance: { owner: "o", expires: "2000-01-01" } }, {}))).toEqual([
      "The risk acceptance for turning security defaults off expired on 2000-01-01: renew it or turn security defaults back on.",
    ]);
    await expect(run(happyPath(), { today: "29/11/2026" })).rejects.toThrow(
      '[today] policy config is not a YYYY-MM-DD date: "29/11/2026"',
    );
  });
});
