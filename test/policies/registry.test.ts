import { describe, expect, it } from "vitest";
import { typeToken, type ResourceKind } from "../../providers/types.ts";
import { PolicyRegistry, m365Policies } from "../../policies/registry.ts";
import { addMonths, isDay } from "../../policies/support.ts";
import { TYPE_TOKENS } from "../../policies/tokens.ts";
import type { ResourceValidationPolicy } from "../../policies/testing.ts";

const policy = (name: string): ResourceValidationPolicy => ({
  name,
  description: "A test policy.",
  validateResource: () => {},
});

describe("the policy registry", () => {
  it("holds the pack's five policies, each with an enforcement level and config defaults", () => {
    const policies = m365Policies.policies();
    expect(policies.map((p) => p.name)).toEqual([
      "security-defaults-off-needs-justification",
      "smtp-auth-exception-owned-and-expiring",
      "organization-smtp-auth-enable-denied",
      "per-user-mfa-disabled-only-for-exceptions",
      "smtp-auth-mfa-blast-radius",
    ]);
    for (const p of policies) {
      expect(p.enforcementLevel).toBe("mandatory");
      expect(p.description).toMatch(/^[A-Z][^.]*\.$/);
      const withoutDefault = Object.entries(p.configSchema?.properties ?? {})
        .filter(([key, schema]) => key !== "today" && !("default" in schema))
        .map(([key]) => `${p.name}.${key}`);
      expect(withoutDefault).toEqual([]);
    }
  });

  it("rejects a duplicate name and a name that is not kebab-case", () => {
    const registry = new PolicyRegistry([policy("a-policy")]);
    expect(() => registry.register(policy("a-policy"))).toThrow('[name] policy "a-policy" is already registered');
    expect(() => registry.register(policy("NotKebab"))).toThrow('[name] policy name is not kebab-case: "NotKebab"');
    expect(registry.policies().map((p) => p.name)).toEqual(["a-policy"]);
  });

  it("matches the type tokens of providers/types.ts", () => {
    for (const [kind, token] of Object.entries(TYPE_TOKENS)) expect(token).toBe(typeToken(kind as ResourceKind));
  });
});

describe("calendar helpers", () => {
  it.each([
    ["2026-11-29", 12, "2027-11-29"],
    ["2026-01-31", 1, "2026-02-28"],
    ["2028-01-31", 1, "2028-02-29"],
    ["2026-08-31", 6, "2027-02-28"],
  ])("%s plus %i months is %s", (day, months, expected) => {
    expect(addMonths(day, months)).toBe(expected);
  });

  it.each([
    ["2026-02-29", false],
    ["2028-02-29", true],
    ["2026-13-01", false],
    ["2026-1-01", false],
    [20261129, false],
  ])("isDay(%j) is %s", (value, expected) => {
    expect(isDay(value)).toBe(expected);
  });
});
