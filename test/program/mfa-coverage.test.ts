/**
 * Issue 15.5: who is left without MFA once security defaults are off (m365/mfa-coverage.ts), read
 * through the project's client from the sandbox over TLS (program/mfa-coverage.ts).
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DesiredState } from "../../desired/tenant-yaml.ts";
import { conditionalAccessRequiresMfa, type CaSubject } from "../../m365/conditional-access.ts";
import { mfaCoverageOf, summariseCoverage } from "../../m365/mfa-coverage.ts";
import { UNKNOWN, type ConditionalAccessPolicy } from "../../m365/model.ts";
import { coverageWarning, readMfaCoverage } from "../../program/mfa-coverage.ts";
import { fixturePath, parseFixture } from "../../sandbox/store/fixture.ts";
import type { Sandbox } from "../../sandbox/server.ts";
import { FIXTURE, projectApi, startTestSandbox } from "../sandbox/helpers.ts";
import { desiredState as desired } from "../helpers/fakes.ts";

const requireMfaForAll: ConditionalAccessPolicy = {
  id: "p1",
  displayName: "Require MFA for all users",
  state: "enabled",
  clientAppTypes: ["all"],
  includeUsers: ["All"],
  excludeUsers: [],
  builtInControls: ["mfa"],
};
const member = (id: string, groups: readonly string[] | typeof UNKNOWN = []): CaSubject => ({
  userId: id,
  userType: "Member",
  groups,
  roleTemplateIds: [],
});

describe("Conditional Access that requires MFA (m365/conditional-access.ts)", () => {
  it("covers a user only for an enabled policy with an MFA grant, every client and every app", () => {
    expect(conditionalAccessRequiresMfa(requireMfaForAll, member("u1"))).toBe(true);
    expect(
      conditionalAccessRequiresMfa({ ...requireMfaForAll, state: "enabledForReportingButNotEnforced" }, member("u1")),
    ).toBe(false);
    expect(
      conditionalAccessRequiresMfa({ ...requireMfaForAll, builtInControls: ["compliantDevice"] }, member("u1")),
    ).toBe(false);
    expect(
      conditionalAccessRequiresMfa(
        { ...requireMfaForAll, builtInControls: [], requiresAuthenticationStrength: true },
        member("u1"),
      ),
    ).toBe(true);
    expect(conditionalAccessRequiresMfa({ ...requireMfaForAll, clientAppTypes: ["browser"] }, member("u1"))).toBe(
      false,
    );
    expect(
      conditionalAccessRequiresMfa(
        { ...requireMfaForAll, clientAppTypes: ["browser", "mobileAppsAndDesktopClients"] },
        member("u1"),
      ),
    ).toBe(true);
    expect(
      conditionalAccessRequiresMfa({ ...requireMfaForAll, includeApplications: ["Office365"] }, member("u1")),
    ).toBe(false);
    expect(conditionalAccessRequiresMfa({ ...requireMfaForAll, excludeUsers: ["u1"] }, member("u1"))).toBe(false);
  });

  it("is unknown where the answer depends on unread groups or on where the user signs in", () => {
    const scoped = { ...requireMfaForAll, excludeGroups: ["g1"] };
    expect(conditionalAccessRequiresMfa(scoped, member("u1", UNKNOWN))).toBe(UNKNOWN);
    expect(conditionalAccessRequiresMfa(scoped, member("u1", ["g1"]))).toBe(false);
    expect(conditionalAccessRequiresMfa(scoped, member("u1", ["g2"]))).toBe(true);
    expect(
      conditionalAccessRequiresMfa(
        { ...requireMfaForAll, includeLocations: ["All"], excludeLocations: ["AllTrusted"] },
        member("u1"),
      ),
    ).toBe(UNKNOWN);
  });

  it("counts an authentication-strength grant as one a legacy sign-in cannot satisfy", async () => {
    const { judgeConditionalAccess } = await import("../../m365/conditional-access.ts");
    const legacy = {
      ...requireMfaForAll,
      clientAppTypes: ["other"],
      builtInControls: [],
      requiresAuthenticationStrength: true,
    };
    expect(judgeConditionalAccess(legacy, member("u1")).blocks).toBe(true);
  });
});

describe("MFA coverage per user (m365/mfa-coverage.ts)", () => {
  const subject = (upn: string, perUserMfa: "disabled" | "enabled" | "enforced" | typeof UNKNOWN) => ({
    upn,
    perUserMfa,
    ca: member(upn),
  });

  it("takes the first control that applies, and names what was not read", () => {
    const off = { securityDefaultsEnabled: false, policies: [] };
    expect(mfaCoverageOf(subject("a", "disabled"), { ...off, securityDefaultsEnabled: true })).toEqual({
      covered: true,
      by: "securityDefaults",
    });
    expect(mfaCoverageOf(subject("a", "enabled"), off)).toEqual({ covered: true, by: "perUserMfa" });
    expect(mfaCoverageOf(subject("a", "disabled"), off)).toEqual({ covered: false });
    expect(mfaCoverageOf(subject("a", "disabled"), { ...off, baselineExcludes: new Set(["b"]) })).toEqual({
      covered: true,
      by: "baseline",
    });
    expect(mfaCoverageOf(subject("b", "disabled"), { ...off, baselineExcludes: new Set(["b"]) })).toEqual({
      covered: false,
    });
    expect(mfaCoverageOf(subject("a", "disabled"), { ...off, policies: [requireMfaForAll] })).toEqual({
      covered: true,
      by: "conditionalAccess",
    });
    expect(mfaCoverageOf(subject("a", UNKNOWN), { ...off, policies: UNKNOWN })).toEqual({
      covered: UNKNOWN,
      why: "its per-user MFA could not be read; Conditional Access policies could not be read",
    });
  });

  it("names accidental gaps before declared ones, and keeps whole counts past the named limit", () => {
    const judged = [
      ...Array.from({ length: 60 }, (_, i) => ({
        upn: `u${String(i).padStart(2, "0")}@x`,
        coverage: { covered: false } as const,
      })),
      { upn: "scanner@x", coverage: { covered: false } as const },
      { upn: "ok@x", coverage: { covered: true, by: "perUserMfa" } as const },
    ];
    const s = summariseCoverage(judged, new Set(["scanner@x"]));
    expect(s.accounts).toBe(62);
    expect(s.withoutMfa.count).toBe(61);
    expect(s.withoutMfa.declaredCount).toBe(1);
    expect(s.withoutMfa.users).toHaveLength(50);
    expect(s.withoutMfa.users[0]).toBe("u00@x");
    expect(s.withoutMfa.declared).toEqual(["scanner@x"]);
    expect(s.coveredBy).toEqual({ securityDefaults: 0, perUserMfa: 1, baseline: 0, conditionalAccess: 0 });
  });
});

const off = { enabled: false, reason: "scanner", riskAcceptance: { owner: "it@contoso.com" } };
const exception = { owner: "facilities@contoso.com", ticket: "CHG-1", expires: "2027-01-31" };
/** The sandbox stack's declaration: security defaults off, the scanner's SMTP AUTH on and its MFA off. */
const scannerException: Partial<DesiredState> = {
  securityDefaults: off,
  mailboxes: [{ mailbox: "scanner@contoso.com", state: "enabled", ...exception }],
  mfaUsers: [{ user: "scanner@contoso.com", state: "disabled" }],
};

describe("MFA coverage read from the sandbox (program/mfa-coverage.ts)", () => {
  let contoso: Sandbox;
  let fabrikam: Sandbox;

  beforeAll(async () => {
    contoso = await startTestSandbox({ throttle: false, fixture: "contoso-failing" });
    // fabrikam-scoped plus one policy requiring MFA of everyone but the "Print devices" group.
    const text = readFileSync(fixturePath("fabrikam-scoped"), "utf8").replace(
      "conditionalAccessPolicies:\n",
      [
        "conditionalAccessPolicies:",
        "  - displayName: Require MFA except print devices",
        "    includeUsers: [All]",
        "    excludeGroups: [Print devices]",
        "    clientAppTypes: [all]",
        "    builtInControls: [mfa]",
        "",
      ].join("\n"),
    );
    fabrikam = await startTestSandbox({ throttle: false, fixture: parseFixture(text) });
  });
  afterAll(async () => {
    await contoso.stop();
    await fabrikam.stop();
  });

  it("reads nothing when tenant.yaml keeps security defaults on or does not declare them", async () => {
    const api = projectApi(contoso);
    expect(await readMfaCoverage(api, desired({}))).toBeUndefined();
    expect(await readMfaCoverage(api, desired({ securityDefaults: { enabled: true } }))).toBeUndefined();
  });

  it("names every enabled account left without MFA, the declared exception apart", async () => {
    const coverage = await readMfaCoverage(
      projectApi(contoso),
      desired({
        ...scannerException,
      }),
    );
    // contoso-failing: printer is per-user MFA enabled; admin, alice, bob, contractor have none;
    // former.employee is disabled (not an account that can sign in); scanner is declared disabled.
    expect(coverage).toEqual({
      securityDefaults: "disabled",
      accounts: 6,
      coveredBy: { securityDefaults: 0, perUserMfa: 1, baseline: 0, conditionalAccess: 0 },
      withoutMfa: {
        count: 5,
        declaredCount: 1,
        users: [
          "admin@contoso.com",
          "alice@contoso.com",
          "bob@contoso.com",
          "contractor@contoso.com",
          "scanner@contoso.com",
        ],
        declared: ["scanner@contoso.com"],
      },
      unknown: { count: 0, users: [], why: [] },
    });
    expect(coverageWarning(coverage!)).toBe(
      "Security defaults off: 4 of 6 accounts will have no MFA: admin@contoso.com, alice@contoso.com, bob@contoso.com, contractor@contoso.com; declared without MFA in tenant.yaml: scanner@contoso.com. Cover them with mfa.others: enforced, per-user MFA, or conditionalAccessBaseline: { state: on }.",
    );
  });

  it("counts mfa.others and the declared baseline as cover, without reading every user's MFA", async () => {
    contoso.requestLog.clear();
    const coverage = await readMfaCoverage(
      projectApi(contoso),
      desired({
        ...scannerException,
        mfaOthers: "enforced",
      }),
    );
    expect(coverage?.withoutMfa).toEqual({
      count: 1,
      declaredCount: 1,
      users: ["scanner@contoso.com"],
      declared: ["scanner@contoso.com"],
    });
    expect(coverage?.coveredBy.perUserMfa).toBe(5);
    expect(coverageWarning(coverage!)).toBe(
      "Security defaults off: declared without MFA in tenant.yaml: scanner@contoso.com.",
    );
    // No per-user MFA read: mfa.others declares every user's state.
    const graph = contoso.requestLog.entries().filter((e) => e.api === "graph");
    expect([...new Set(graph.map((e) => e.endpoint))].sort()).toEqual([
      "GET /v1.0/identity/conditionalAccess/policies",
      "GET /v1.0/users",
    ]);

    const withBaseline = await readMfaCoverage(
      projectApi(contoso),
      desired({
        securityDefaults: { ...off, conditionalAccessBaseline: true },
        mailboxes: [{ mailbox: "scanner@contoso.com", state: "enabled", ...exception }],
        conditionalAccessBaseline: {
          state: "on",
          serviceAccounts: ["bob@contoso.com"],
          breakGlass: ["admin@contoso.com"],
        },
      }),
    );
    expect(withBaseline?.coveredBy).toEqual({ securityDefaults: 0, perUserMfa: 2, baseline: 2, conditionalAccess: 0 });
    expect(withBaseline?.withoutMfa.users).toEqual(["admin@contoso.com", "bob@contoso.com"]);
    expect(withBaseline?.withoutMfa.declaredCount).toBe(2);
  });

  it("judges a group-scoped Conditional Access policy with the members read for uncovered users", async () => {
    const coverage = await readMfaCoverage(projectApi(fabrikam), desired({ securityDefaults: off }));
    // Print devices (plotter, labeler) are excluded from the MFA policy; everyone else is covered by it.
    expect(coverage?.withoutMfa.users).toEqual(["labeler@fabrikam.com", "plotter@fabrikam.com"]);
    expect(coverage?.unknown.count).toBe(0);
    expect(coverage?.coveredBy.conditionalAccess).toBe((coverage?.accounts ?? 0) - 2);
  });

  it("leaves per-user MFA unknown, naming why, when the app may not read it", async () => {
    // The read-only app, with User.Read.All but without Policy.Read.All (per-user MFA and CA policies).
    const reader = contoso.store.findApp(FIXTURE.reader.appId)!;
    contoso.store.updateApp(FIXTURE.reader.appId, { roles: { ...reader.roles, graph: ["User.Read.All"] } });
    const coverage = await readMfaCoverage(projectApi(contoso, FIXTURE.reader), desired({ securityDefaults: off }));
    expect(coverage?.accounts).toBe(6);
    expect(coverage?.withoutMfa.count).toBe(0);
    expect(coverage?.unknown).toEqual({
      count: 6,
      users: [
        "admin@contoso.com",
        "alice@contoso.com",
        "bob@contoso.com",
        "contractor@contoso.com",
        "printer@contoso.com",
        "scanner@contoso.com",
      ],
      why: ["its per-user MFA could not be read; Conditional Access policies could not be read"],
    });
  });
});
