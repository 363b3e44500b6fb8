import { describe, expect, it } from "vitest";
import {
  GATE_ORDER,
  conditionalAccessBlocksLegacy,
  evaluateGates,
  judgeConditionalAccess,
  type CaSubject,
  replyForGate,
  type GateFacts,
  type GateId,
} from "../m365/gates.ts";
import { SmtpReplies, formatReply, type SmtpReply } from "../m365/smtp-replies.ts";
import { checkSender, factsFromTenant } from "../sandbox/smtp/facts.ts";
import type { ConditionalAccessPolicy, TenantState, TenantUser } from "../sandbox/model.ts";
import {
  APP_ID,
  OTHER,
  PASSWORD,
  SCANNER,
  SCANNER_ID,
  SP_OBJECT_ID,
  healthyTenant,
  tenantWith,
} from "../sandbox/smtp/fixture.ts";

const basic = (t: TenantState, password = PASSWORD) =>
  evaluateGates(factsFromTenant(t, SCANNER, "basic", { password }));
const oauth = (t: TenantState, appId = APP_ID) => evaluateGates(factsFromTenant(t, SCANNER, "oauth", { appId }));

describe("evaluateGates on a healthy tenant", () => {
  it("allows basic and OAuth, and reports every gate in order", () => {
    for (const v of [basic(healthyTenant()), oauth(healthyTenant())]) {
      expect(v.allowed).toBe(true);
      expect(v.complete).toBe(true);
      expect(v.blockingGate).toBeUndefined();
      expect(v.gates.map((g) => g.id)).toEqual(GATE_ORDER);
    }
  });

  it("skips the gates that do not apply to each mechanism", () => {
    const skippedOf = (v: ReturnType<typeof basic>) => v.gates.filter((g) => g.status === "skipped").map((g) => g.id);
    expect(skippedOf(basic(healthyTenant()))).toEqual([
      "smtp_auth_disabled_tenant",
      "oauth_misconfigured_app_or_sp",
      "send_as_permission",
    ]);
    expect(skippedOf(oauth(healthyTenant()))).toEqual([
      "account_disabled",
      "wrong_credentials",
      "account_locked",
      "security_defaults_enabled",
      "conditional_access_block",
      "per_user_mfa",
      "smtp_auth_disabled_tenant",
      "authentication_policy_blocks_basic_smtp",
      "basic_auth_disabled_or_retired",
    ]);
  });
});

type Break = (t: TenantState, u: TenantUser) => void;

// One case per gate: break exactly one thing, expect that gate and Exchange's reply.
const basicCases: Array<[GateId, Break, SmtpReply]> = [
  ["mailbox_unlicensed_or_missing", (_t, u) => void (u.hasMailbox = false), SmtpReplies.authenticationUnsuccessful],
  ["account_disabled", (_t, u) => void (u.accountEnabled = false), SmtpReplies.accountHasAnIssue],
  ["wrong_credentials", (_t, u) => void (u.smtpPassword = "something else"), SmtpReplies.credentialsIncorrect],
  ["account_locked", (_t, u) => void (u.locked = true), SmtpReplies.accountLocked],
  ["security_defaults_enabled", (t) => void (t.securityDefaultsEnabled = true), SmtpReplies.securityDefaults],
  [
    "conditional_access_block",
    (t) =>
      t.conditionalAccessPolicies.push({
        id: "ca1",
        displayName: "Block legacy authentication",
        state: "enabled",
        clientAppTypes: ["exchangeActiveSync", "other"],
        includeUsers: ["All"],
        excludeUsers: [],
        builtInControls: ["block"],
      }),
    SmtpReplies.criteriaNotMet,
  ],
  ["per_user_mfa", (_t, u) => void (u.perUserMfa = "enforced"), SmtpReplies.criteriaNotMet],
  [
    "smtp_auth_disabled_mailbox",
    (_t, u) => void (u.smtpClientAuthenticationDisabled = true),
    SmtpReplies.smtpAuthDisabledMailbox,
  ],
  [
    "smtp_auth_disabled_tenant",
    (_t, u) => void (u.smtpClientAuthenticationDisabled = null),
    SmtpReplies.smtpAuthDisabledTenant,
  ],
  [
    "authentication_policy_blocks_basic_smtp",
    (_t, u) => void (u.authenticationPolicy = "Block Basic SMTP"),
    SmtpReplies.basicAuthDisabled,
  ],
  ["basic_auth_disabled_or_retired", (t) => void (t.basicAuthSmtpRetired = true), SmtpReplies.basicAuthRetired],
];

const oauthCases: Array<[GateId, Break, SmtpReply]> = [
  ["mailbox_unlicensed_or_missing", (_t, u) => void (u.hasMailbox = false), SmtpReplies.authenticationUnsuccessful],
  [
    "smtp_auth_disabled_mailbox",
    (_t, u) => void (u.smtpClientAuthenticationDisabled = true),
    SmtpReplies.smtpAuthDisabledMailbox,
  ],
  [
    "smtp_auth_disabled_tenant",
    (_t, u) => void (u.smtpClientAuthenticationDisabled = null),
    SmtpReplies.smtpAuthDisabledTenant,
  ],
  [
    "oauth_misconfigured_app_or_sp",
    (t) => void (t.exchangeServicePrincipals = []),
    SmtpReplies.authenticationUnsuccessful,
  ],
  ["send_as_permission", (t) => void (t.mailboxPermissions = []), SmtpReplies.authenticationUnsuccessful],
];

describe("one blocking gate at a time", () => {
  it.each(basicCases)("basic: %s", (gate, breakIt, reply) => {
    const v = basic(tenantWith(breakIt));
    expect(v.allowed).toBe(false);
    expect(v.blockingGate).toBe(gate);
    expect(v.reply).toEqual(reply);
    expect(v.gates.filter((g) => g.status === "block").map((g) => g.id)).toEqual([gate]);
  });

  it.each(oauthCases)("oauth: %s", (gate, breakIt, reply) => {
    const v = oauth(tenantWith(breakIt));
    expect(v.allowed).toBe(false);
    expect(v.blockingGate).toBe(gate);
    expect(v.reply).toEqual(reply);
  });

  it("every gate has a case", () => {
    const covered = new Set([...basicCases, ...oauthCases].map(([g]) => g));
    expect([...covered].sort()).toEqual([...GATE_ORDER].sort());
  });
});

describe("OAuth ignores the basic-only gates", () => {
  it.each<[string, Break]>([
    ["security defaults on", (t) => void (t.securityDefaultsEnabled = true)],
    ["per-user MFA enforced", (_t, u) => void (u.perUserMfa = "enforced")],
    ["basic blocked by authentication policy", (_t, u) => void (u.authenticationPolicy = "Block Basic SMTP")],
    ["basic retired", (t) => void (t.basicAuthSmtpRetired = true)],
    ["account disabled (shared mailbox)", (_t, u) => void (u.accountEnabled = false)],
    ["no password", (_t, u) => void delete u.smtpPassword],
  ])("%s", (_name, breakIt) => {
    expect(oauth(tenantWith(breakIt)).allowed).toBe(true);
  });

  it("an app without an Exchange service principal is refused", () => {
    expect(oauth(healthyTenant(), "dddddddd-0000-0000-0000-000000000000").blockingGate).toBe(
      "oauth_misconfigured_app_or_sp",
    );
  });

  it("SendAs on the mailbox is enough", () => {
    const t = tenantWith(
      (t) => void (t.mailboxPermissions = [{ mailbox: SCANNER, user: SP_OBJECT_ID, accessRights: ["SendAs"] }]),
    );
    expect(oauth(t).allowed).toBe(true);
  });
});

describe("ordering: the first blocking gate wins", () => {
  it.each<[string, Break, GateId]>([
    [
      "missing mailbox before everything",
      (t, u) => ((u.hasMailbox = false), (t.securityDefaultsEnabled = true)),
      "mailbox_unlicensed_or_missing",
    ],
    ["wrong password before lockout", (_t, u) => ((u.smtpPassword = "x"), (u.locked = true)), "wrong_credentials"],
    [
      "security defaults before CA/MFA",
      (t, u) => ((t.securityDefaultsEnabled = true), (u.perUserMfa = "enforced")),
      "security_defaults_enabled",
    ],
    [
      "MFA before the SMTP switches",
      (_t, u) => ((u.perUserMfa = "enforced"), (u.smtpClientAuthenticationDisabled = true)),
      "per_user_mfa",
    ],
    [
      "mailbox switch before retirement",
      (t, u) => ((u.smtpClientAuthenticationDisabled = true), (t.basicAuthSmtpRetired = true)),
      "smtp_auth_disabled_mailbox",
    ],
    [
      "auth policy before retirement",
      (t, u) => ((u.authenticationPolicy = "Block Basic SMTP"), (t.basicAuthSmtpRetired = true)),
      "authentication_policy_blocks_basic_smtp",
    ],
  ])("%s", (_name, breakIt, gate) => {
    const v = basic(tenantWith(breakIt));
    expect(v.blockingGate).toBe(gate);
    expect(v.reply).toEqual(replyForGate(gate, "basic"));
    expect(v.gates.filter((g) => g.status === "block").length).toBe(2);
  });
});

describe("per-user MFA: enabled vs enforced", () => {
  it.each<[TenantUser["perUserMfa"], boolean, boolean]>([
    ["disabled", false, true],
    ["disabled", true, true],
    ["enabled", false, true],
    ["enabled", true, false],
    ["enforced", false, false],
    ["enforced", true, false],
  ])("%s with method registered=%s → allowed=%s", (state, registered, allowed) => {
    const v = basic(tenantWith((_t, u) => ((u.perUserMfa = state), (u.mfaMethodRegistered = registered))));
    expect(v.allowed).toBe(allowed);
    expect(v.blockingGate).toBe(allowed ? undefined : "per_user_mfa");
  });
});

describe("SmtpClientAuthenticationDisabled: mailbox overrides, null inherits", () => {
  it.each<[boolean | null, boolean, GateId | undefined]>([
    [false, true, undefined],
    [false, false, undefined],
    [true, false, "smtp_auth_disabled_mailbox"],
    [true, true, "smtp_auth_disabled_mailbox"],
    [null, false, undefined],
    [null, true, "smtp_auth_disabled_tenant"],
  ])("mailbox %s, organisation disabled %s → %s", (mailbox, org, gate) => {
    const v = basic(
      tenantWith(
        (t, u) => (
          (u.smtpClientAuthenticationDisabled = mailbox),
          (t.organizationSmtpClientAuthenticationDisabled = org)
        ),
      ),
    );
    expect(v.blockingGate).toBe(gate);
    expect(v.allowed).toBe(gate === undefined);
  });
});

describe("authentication policy: the user's, else the organisation default", () => {
  it.each<[string | null, string | null, boolean]>([
    [null, null, true],
    [null, "Block Basic SMTP", false],
    ["Allow Basic SMTP", "Block Basic SMTP", true],
    ["Block Basic SMTP", null, false],
  ])("user %s, default %s → allowed=%s", (assigned, orgDefault, allowed) => {
    const v = basic(
      tenantWith((t, u) => ((u.authenticationPolicy = assigned), (t.defaultAuthenticationPolicy = orgDefault))),
    );
    expect(v.allowed).toBe(allowed);
  });
});

describe("Conditional Access matching", () => {
  const base: ConditionalAccessPolicy = {
    id: "p",
    displayName: "p",
    state: "enabled",
    clientAppTypes: ["other"],
    includeUsers: ["All"],
    excludeUsers: [],
    builtInControls: ["block"],
  };
  it.each<[string, Partial<ConditionalAccessPolicy>, boolean]>([
    ["block legacy for All", {}, true],
    ["report-only", { state: "enabledForReportingButNotEnforced" }, false],
    ["disabled", { state: "disabled" }, false],
    ["browser and mobile apps only", { clientAppTypes: ["browser", "mobileAppsAndDesktopClients"] }, false],
    ["Exchange ActiveSync only", { clientAppTypes: ["exchangeActiveSync"] }, false],
    ["all client apps", { clientAppTypes: ["all"] }, true],
    ["user included by id", { includeUsers: [SCANNER_ID] }, true],
    ["other user included", { includeUsers: ["someone-else"] }, false],
    ["user excluded", { excludeUsers: [SCANNER_ID] }, false],
    ["MFA required for legacy clients (unsatisfiable)", { builtInControls: ["mfa"] }, true],
    ["terms of use only", { builtInControls: [] }, false],
  ])("%s → blocks=%s", (_name, over, blocks) => {
    expect(conditionalAccessBlocksLegacy({ ...base, ...over }, SCANNER_ID)).toBe(blocks);
  });

  // Fidelity review finding 14: groups (transitive ids given), roles (template ids), applications,
  // locations, platforms and guests. The subject is a member of group g-devices and holds the
  // Exchange Administrator role template.
  const EXO_ADMIN = "29232cdf-9323-42fd-ade2-1d097af3e4de";
  const subject: CaSubject = {
    userId: SCANNER_ID,
    userType: "Member",
    groups: ["g-devices", "g-parent"],
    roleTemplateIds: [EXO_ADMIN],
  };
  const unread: CaSubject = { userId: SCANNER_ID, userType: "unknown", groups: "unknown", roleTemplateIds: "unknown" };
  it.each<[string, Partial<ConditionalAccessPolicy>, CaSubject, boolean | "unknown"]>([
    ["a group holding the device", { includeUsers: [], includeGroups: ["g-devices"] }, subject, true],
    ["a parent group (transitive)", { includeUsers: [], includeGroups: ["G-PARENT"] }, subject, true],
    ["another group", { includeUsers: [], includeGroups: ["g-other"] }, subject, false],
    ["All, device excluded via excludeGroups", { excludeGroups: ["g-devices"] }, subject, false],
    ["a role the user holds", { includeUsers: [], includeRoles: [EXO_ADMIN] }, subject, true],
    ["All, the user's role excluded", { excludeRoles: [EXO_ADMIN] }, subject, false],
    ["a group, memberships not read", { includeUsers: [], includeGroups: ["g-devices"] }, unread, "unknown"],
    ["All, an exclusion by group not read", { excludeGroups: ["g-devices"] }, unread, "unknown"],
    ["included by id, group exclusion not read but id decides", { includeUsers: [SCANNER_ID] }, unread, true],
    ["excluded by id, whatever the groups", { includeGroups: ["g-x"], excludeUsers: [SCANNER_ID] }, unread, false],
    ["Exchange Online by app id", { includeApplications: ["00000002-0000-0ff1-ce00-000000000000"] }, subject, true],
    ["Office365 app group", { includeApplications: ["Office365"] }, subject, true],
    ["SharePoint only", { includeApplications: ["00000003-0000-0ff1-ce00-000000000000"] }, subject, false],
    ["All apps but Exchange Online", { excludeApplications: ["00000002-0000-0ff1-ce00-000000000000"] }, subject, false],
    ["All apps but Office365", { excludeApplications: ["Office365"] }, subject, false],
    ["locations: All", { includeLocations: ["All"] }, subject, true],
    ["locations: All but trusted", { includeLocations: ["All"], excludeLocations: ["AllTrusted"] }, subject, "unknown"],
    ["locations: a named location", { includeLocations: ["loc-1"] }, subject, "unknown"],
    [
      "locations on a policy that excludes the user",
      { includeLocations: ["loc-1"], excludeUsers: [SCANNER_ID] },
      subject,
      false,
    ],
    ["platforms: all", { includePlatforms: ["all"] }, subject, true],
    ["platforms: android only", { includePlatforms: ["android"] }, subject, "unknown"],
    ["guests only, a member signs in", { includeUsers: ["GuestsOrExternalUsers"] }, subject, false],
    [
      "guests only, a guest signs in",
      { includeUsers: ["GuestsOrExternalUsers"] },
      { ...subject, userType: "Guest" },
      true,
    ],
    ["guests only, user type not read", { includeUsers: ["GuestsOrExternalUsers"] }, unread, "unknown"],
    ["None", { includeUsers: ["None"] }, subject, false],
  ])("%s → blocks=%s", (_name, over, who, blocks) => {
    expect(judgeConditionalAccess({ ...base, ...over }, who).blocks).toBe(blocks);
  });

  it("the gate blocks on a group-scoped policy and is unknown, naming the policy, on a location-scoped one", () => {
    const facts = (policies: ConditionalAccessPolicy[]): GateFacts => ({
      ...factsFromTenant(healthyTenant(), SCANNER, "basic", { password: PASSWORD }),
      userId: SCANNER_ID,
      conditionalAccessPolicies: policies,
      memberOfGroups: ["g-devices"],
      roleTemplateIds: [],
    });
    const gate = (f: GateFacts) => evaluateGates(f).gates.find((g) => g.id === "conditional_access_block")!;
    expect(gate(facts([{ ...base, displayName: "G", includeUsers: [], includeGroups: ["g-devices"] }]))).toEqual({
      id: "conditional_access_block",
      status: "block",
      reason: 'Conditional Access blocks legacy authentication: "G"',
    });
    expect(gate(facts([{ ...base, displayName: "L", includeLocations: ["loc-1"] }]))).toEqual({
      id: "conditional_access_block",
      status: "unknown",
      reason:
        'whether "L" applies is unknown: it has a locations condition, which depends on where the device signs in',
    });
  });
});

describe("unknown facts", () => {
  const known = (): GateFacts => factsFromTenant(healthyTenant(), SCANNER, "basic", { password: PASSWORD });

  it("a password not tried leaves the verdict incomplete, not allowed, not blocked", () => {
    const v = evaluateGates(factsFromTenant(healthyTenant(), SCANNER, "basic"));
    expect(v).toMatchObject({ allowed: false, complete: false });
    expect(v.blockingGate).toBeUndefined();
    expect(v.gates.find((g) => g.id === "wrong_credentials")?.status).toBe("unknown");
  });

  it.each<[keyof GateFacts, GateId]>([
    ["securityDefaultsEnabled", "security_defaults_enabled"],
    ["conditionalAccessPolicies", "conditional_access_block"],
    ["perUserMfa", "per_user_mfa"],
    ["mailboxSmtpAuthDisabled", "smtp_auth_disabled_mailbox"],
    ["authenticationPolicy", "authentication_policy_blocks_basic_smtp"],
    ["basicAuthSmtpRetired", "basic_auth_disabled_or_retired"],
  ])("%s unknown → %s unknown", (fact, gate) => {
    const v = evaluateGates({ ...known(), [fact]: "unknown" });
    expect(v.gates.find((g) => g.id === gate)?.status).toBe("unknown");
    expect(v.allowed).toBe(false);
  });

  it("an org setting that is unknown matters only when the mailbox inherits", () => {
    expect(evaluateGates({ ...known(), organizationSmtpAuthDisabled: "unknown" }).allowed).toBe(true);
    const inherit = evaluateGates({
      ...known(),
      mailboxSmtpAuthDisabled: null,
      organizationSmtpAuthDisabled: "unknown",
    });
    expect(inherit.gates.find((g) => g.id === "smtp_auth_disabled_tenant")?.status).toBe("unknown");
  });

  it("enabled MFA with registration unknown is unknown", () => {
    const v = evaluateGates({ ...known(), perUserMfa: "enabled", mfaMethodRegistered: "unknown" });
    expect(v.gates.find((g) => g.id === "per_user_mfa")?.status).toBe("unknown");
  });

  it("a block still decides even when other gates are unknown", () => {
    const v = evaluateGates({ ...known(), securityDefaultsEnabled: true, perUserMfa: "unknown" });
    expect(v).toMatchObject({ allowed: false, complete: false, blockingGate: "security_defaults_enabled" });
  });

  it("an address not in the tenant has no mailbox", () => {
    const v = evaluateGates(factsFromTenant(healthyTenant(), "nobody@contoso.com", "basic", { password: "x" }));
    expect(v.blockingGate).toBe("mailbox_unlicensed_or_missing");
  });
});

describe("reply catalogue", () => {
  it.each<[SmtpReply, string]>([
    [
      SmtpReplies.smtpAuthDisabledTenant,
      "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
    ],
    [
      SmtpReplies.smtpAuthDisabledMailbox,
      "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.",
    ],
    [SmtpReplies.credentialsIncorrect, "535 5.7.139 Authentication unsuccessful, the user credentials were incorrect."],
    [SmtpReplies.authenticationUnsuccessful, "535 5.7.3 Authentication unsuccessful"],
    [SmtpReplies.basicAuthRetired, "550 5.7.30 Basic authentication is not supported for Client Submission."],
    [SmtpReplies.clientNotAuthenticated, "530 5.7.57 Client not authenticated to send mail."],
  ])("formats %#", (reply, line) => {
    expect(formatReply(reply)).toBe(line);
  });

  it("appends the server-id suffix", () => {
    expect(formatReply(SmtpReplies.unrecognizedAuthType, "[HOST 2026-01-01T00:00:00.000Z 08DE000000000001]")).toBe(
      "504 5.7.4 Unrecognized authentication type [HOST 2026-01-01T00:00:00.000Z 08DE000000000001]",
    );
  });
});

describe("checkSender", () => {
  it.each<[string, TenantState, { mechanism: "basic" | "oauth"; user: string; appId?: string }, string, boolean]>([
    ["own address (basic)", healthyTenant(), { mechanism: "basic", user: SCANNER }, SCANNER, true],
    ["own address, other case", healthyTenant(), { mechanism: "basic", user: SCANNER }, "Scanner@Contoso.com", true],
    ["null sender", healthyTenant(), { mechanism: "basic", user: SCANNER }, "", true],
    ["another mailbox (basic)", healthyTenant(), { mechanism: "basic", user: SCANNER }, OTHER, false],
    [
      "another mailbox with SendAs (basic)",
      tenantWith((t) => t.mailboxPermissions.push({ mailbox: OTHER, user: SCANNER, accessRights: ["SendAs"] })),
      { mechanism: "basic", user: SCANNER },
      OTHER,
      true,
    ],
    [
      "FullAccess is not SendAs",
      tenantWith((t) => t.mailboxPermissions.push({ mailbox: OTHER, user: SCANNER, accessRights: ["FullAccess"] })),
      { mechanism: "basic", user: SCANNER },
      OTHER,
      false,
    ],
    ["OAuth user= mailbox", healthyTenant(), { mechanism: "oauth", user: SCANNER, appId: APP_ID }, SCANNER, true],
    ["OAuth other mailbox", healthyTenant(), { mechanism: "oauth", user: SCANNER, appId: APP_ID }, OTHER, false],
    [
      "OAuth other mailbox with SendAs for the SP",
      tenantWith((t) => t.mailboxPermissions.push({ mailbox: OTHER, user: SP_OBJECT_ID, accessRights: ["SendAs"] })),
      { mechanism: "oauth", user: SCANNER, appId: APP_ID },
      OTHER,
      true,
    ],
    ["external address", healthyTenant(), { mechanism: "basic", user: SCANNER }, "someone@fabrikam.com", false],
  ])("%s", (_name, t, auth, from, ok) => {
    expect(checkSender(t, auth, from)).toEqual(ok ? null : SmtpReplies.sendAsDenied);
  });
});
