/**
 * explain's pure parts against a fake TenantApi (every unexpected call throws): facts from reads,
 * missing permissions as unknown gates, probe evidence, the change named for each gate, the schedule;
 * and probe's failure text and masking helpers.
 */
import { describe, expect, it } from "vitest";
import { parseDesiredState } from "../../desired/tenant-yaml.ts";
import { gatesAnswering, type GateId } from "../../m365/gates.ts";
import { SmtpReplies } from "../../m365/smtp-replies.ts";
import { ApiError } from "../../tenant/http.ts";
import { PermissionError, type TenantApi } from "../../tenant/api.ts";
import { applyProbeEvidence, buildReport, changeFor } from "../../cli/doctor/explain.ts";
import { gatherFacts, type GatheredFacts } from "../../tenant/facts.ts";
import { basicAuthSchedule } from "../../m365/schedule.ts";
import { failureText, scrub, secretForms, xoauth2String, type ProbeResult } from "../../cli/doctor/probe.ts";
import { confirmCause } from "../../cli/doctor/probe-command.ts";
import { diagnose } from "../../cli/doctor/diagnose.ts";

const M = "scanner@contoso.com";
const USER = { id: "u-1", userPrincipalName: M, mail: M, accountEnabled: true };
const denied = (op: ConstructorParameters<typeof PermissionError>[0]) =>
  new PermissionError(
    op,
    new ApiError({
      code: "PERMISSION_DENIED",
      message: "403",
      method: "GET",
      url: "https://x/",
      status: 403,
      attempts: 1,
    }),
  );

/** A TenantApi whose reads answer from `over` (or a healthy default); anything else throws. */
function fakeApi(over: Partial<Record<string, () => Promise<unknown>>> = {}): TenantApi {
  const defaults: Record<string, () => Promise<unknown>> = {
    findUser: () => Promise.resolve(USER),
    getCasMailbox: () => Promise.resolve({ mailbox: M, state: "enabled" }),
    getSecurityDefaults: () => Promise.resolve(false),
    getOrganizationSmtpAuthDisabled: () => Promise.resolve(true),
    getPerUserMfa: () => Promise.resolve("disabled"),
    "graphList:/v1.0/identity/conditionalAccess/policies": () => Promise.resolve([]),
    "graphList:/v1.0/users/u-1/licenseDetails": () =>
      Promise.resolve([{ servicePlans: [{ servicePlanName: "EXCHANGE_S_STANDARD", provisioningStatus: "Success" }] }]),
    "invoke:Get-OrganizationConfig": () => Promise.resolve([{ DefaultAuthenticationPolicy: null }]),
    "invoke:Get-AuthenticationPolicy": () => Promise.resolve([{ Name: "Allow Basic SMTP", AllowBasicAuthSmtp: true }]),
    "invoke:Get-User": () => Promise.resolve([{ AuthenticationPolicy: null }]),
    "invoke:Get-ServicePrincipal": () => Promise.resolve([{ AppId: "app-1", ObjectId: "sp-1", DisplayName: "mailer" }]),
    "invoke:Get-MailboxPermission": () => Promise.resolve([{ User: "sp-1", AccessRights: ["FullAccess"] }]),
  };
  const table = { ...defaults, ...over };
  const call = (key: string) => {
    const f = table[key];
    if (!f) throw new Error(`unexpected call ${key}`);
    return f();
  };
  return new Proxy({} as TenantApi, {
    get: (_t, name: string) => {
      if (name === "graphList") return (path: string) => call(`graphList:${path}`);
      if (name === "invoke") return (cmdlet: string) => call(`invoke:${cmdlet}`);
      if (name === "then") return undefined;
      return () => call(name);
    },
  });
}

const today = "2026-11-29";
const gather = (api: TenantApi, mechanism: "basic" | "oauth" = "basic", appId?: string) =>
  gatherFacts(api, M, { mechanism, today, ...(appId ? { appId } : {}) });
const statusOf = (g: GatheredFacts, id: GateId) => buildReport(M, g, { today }).gates.find((x) => x.id === id)!;

describe("gatherFacts", () => {
  it("a healthy tenant: every readable gate passes; password and lockout wait for a probe", async () => {
    const g = await gather(fakeApi());
    const r = buildReport(M, g, { today });
    expect(r.blockingGate).toBeNull();
    expect(r.gates.filter((x) => x.status === "unknown").map((x) => x.id)).toEqual([
      "wrong_credentials",
      "account_locked",
    ]);
    expect(statusOf(g, "wrong_credentials").note).toMatch(/--password-env/u);
    const probed = buildReport(M, applyProbeEvidence(g, { authenticated: true }), {
      today,
      probe: { authenticated: true },
    });
    expect(probed).toMatchObject({ allowed: true, complete: true, probe: { consistent: true } });
  });

  it("a missing permission makes its gates unknown and names the permission, never throws", async () => {
    const g = await gather(
      fakeApi({
        getSecurityDefaults: () => Promise.reject(denied("graph.securityDefaults.read")),
        "graphList:/v1.0/identity/conditionalAccess/policies": () =>
          Promise.reject(
            new ApiError({
              code: "PERMISSION_DENIED",
              message: "403",
              method: "GET",
              url: "https://x/",
              status: 403,
              attempts: 1,
            }),
          ),
      }),
    );
    expect(statusOf(g, "security_defaults_enabled")).toMatchObject({
      status: "unknown",
      note: expect.stringMatching(/missing permission Policy\.Read\.All/u) as unknown,
    });
    expect(statusOf(g, "conditional_access_block")).toMatchObject({
      status: "unknown",
      note: expect.stringMatching(
        /Conditional Access policies could not be read: missing permission Policy\.Read\.All/u,
      ) as unknown,
    });
  });

  it("other failures are thrown as they are", async () => {
    const boom = new ApiError({
      code: "NETWORK",
      message: "GET https://x/ failed",
      method: "GET",
      url: "https://x/",
      attempts: 3,
    });
    await expect(gather(fakeApi({ getSecurityDefaults: () => Promise.reject(boom) }))).rejects.toBe(boom);
  });

  it("a user Graph does not know: the mailbox gate blocks", async () => {
    const notFound = new ApiError({
      code: "NOT_FOUND",
      message: "404",
      method: "GET",
      url: "https://x/",
      status: 404,
      attempts: 1,
    });
    const g = await gather(
      fakeApi({ findUser: () => Promise.resolve(null), getCasMailbox: () => Promise.reject(notFound) }),
    );
    expect(buildReport(M, g, { today }).blockingGate).toBe("mailbox_unlicensed_or_missing");
  });

  it("OAuth: the app's service principal and its mailbox permission", async () => {
    expect(buildReport(M, await gather(fakeApi(), "oauth", "app-1"), { today })).toMatchObject({
      allowed: true,
      blockingGate: null,
    });
    const noSp = await gather(fakeApi({ "invoke:Get-ServicePrincipal": () => Promise.resolve([]) }), "oauth", "app-1");
    expect(buildReport(M, noSp, { today }).blockingGate).toBe("oauth_misconfigured_app_or_sp");
    const noPerm = await gather(
      fakeApi({
        "invoke:Get-MailboxPermission": () =>
          Promise.resolve([{ User: "NT AUTHORITY\\SELF", AccessRights: ["FullAccess"] }]),
      }),
      "oauth",
      "app-1",
    );
    const r = buildReport(M, noPerm, { today });
    expect(r).toMatchObject({ blockingGate: "send_as_permission", cause: "oauth_misconfigured_app_or_sp" });
    expect(r.change?.action).toBe(
      `Grant the service principal access to the mailbox: Add-MailboxPermission -Identity ${M} -User sp-1 -AccessRights FullAccess.`,
    );
  });
});

describe("probe evidence", () => {
  it("maps each reply to the gates that give it", () => {
    expect(gatesAnswering(SmtpReplies.credentialsIncorrect, "basic")).toEqual(["wrong_credentials"]);
    expect(gatesAnswering(SmtpReplies.criteriaNotMet, "basic")).toEqual(["conditional_access_block", "per_user_mfa"]);
    expect(
      gatesAnswering(
        {
          ...SmtpReplies.accountLocked,
          text: `${SmtpReplies.accountLocked.text} [X.prod.outlook.com 2026-01-01T00:00:00.000Z 08DE]`,
        },
        "basic",
      ),
    ).toEqual(["account_locked"]);
    expect(gatesAnswering(SmtpReplies.clientNotAuthenticated, "basic")).toEqual([]);
  });

  it("a reply naming a later gate passes the earlier probe-only gates; a reply naming one gate blocks it", async () => {
    const g = await gather(fakeApi());
    const later = applyProbeEvidence(g, { authenticated: false, reply: SmtpReplies.securityDefaults });
    expect(later.facts).toMatchObject({ passwordCorrect: true, accountLocked: false });
    const locked = applyProbeEvidence(g, { authenticated: false, reply: SmtpReplies.accountLocked });
    expect(locked.facts).toMatchObject({ passwordCorrect: true, accountLocked: true });
    expect(buildReport(M, locked, { today }).blockingGate).toBe("account_locked");
    const bare = applyProbeEvidence(g, { authenticated: false, reply: SmtpReplies.authenticationUnsuccessful });
    expect(bare.facts).toMatchObject({ passwordCorrect: "unknown", accountLocked: "unknown" });
  });

  it("a reply the tenant's settings do not explain is reported as inconsistent", async () => {
    const g = applyProbeEvidence(await gather(fakeApi()), {
      authenticated: false,
      reply: SmtpReplies.securityDefaults,
    });
    const r = buildReport(M, g, { today, probe: { authenticated: false, reply: SmtpReplies.securityDefaults } });
    expect(r.probe).toMatchObject({
      consistent: false,
      text: expect.stringMatching(/points at security_defaults_enabled.*caches up to an hour/u) as unknown,
    });
  });
});

describe("changeFor", () => {
  const desired = parseDesiredState(
    [
      "smtpAuth:",
      "  organization: disabled",
      "  mailboxes:",
      "    other@contoso.com: { state: enabled, owner: a@contoso.com, ticket: T-1, expires: 2027-01-01 }",
      "",
    ].join("\n"),
    "stacks/prod/tenant.yaml",
    { today },
  );
  const ctx = {
    userId: "u-1",
    allowingAuthenticationPolicies: ["Allow Basic SMTP"],
    servicePrincipal: null,
    appId: null,
  };

  it("an undeclared mailbox: add it under the cited smtpAuth.mailboxes line", () => {
    const c = changeFor("smtp_auth_disabled_tenant", M, "basic", desired, ctx, "r");
    expect(c).toMatchObject({
      where: "tenant.yaml",
      file: "stacks/prod/tenant.yaml",
      line: 3,
      key: `smtpAuth.mailboxes.${M}`,
      weakensTenant: false,
    });
    expect(c.action).toBe(
      `stacks/prod/tenant.yaml does not declare smtpAuth.mailboxes.${M}; add it (under stacks/prod/tenant.yaml:3): state: enabled, with owner, ticket and expires. Keep smtpAuth.organization: disabled — the mailbox's own setting takes precedence.`,
    );
  });

  it("settings outside tenant.yaml name the action", () => {
    expect(
      changeFor("authentication_policy_blocks_basic_smtp", M, "basic", desired, ctx, "policy X blocks").action,
    ).toMatch(
      /^Not a tenant\.yaml setting: policy X blocks\. Assign a policy that allows only Basic SMTP to this user: Set-User -Identity scanner@contoso\.com -AuthenticationPolicy "Allow Basic SMTP"/u,
    );
    expect(changeFor("conditional_access_block", M, "basic", undefined, ctx, "CA blocks").action).toMatch(
      /object id u-1/u,
    );
    expect(changeFor("wrong_credentials", M, "basic", undefined, ctx, "").where).toBe("client");
  });
});

describe("the schedule", () => {
  it.each([
    ["2026-11-29", "available", 32, 214, 397],
    ["2026-12-31", "available", 0, 182, 365],
    ["2027-01-01", "off-by-default", -1, 181, 364],
    ["2027-08-01", "removal-window", -213, -31, 152],
    ["2028-01-01", "removed", -366, -184, -1],
  ] as const)("%s: %s", (day, phase, off, earliest, latest) => {
    expect(basicAuthSchedule(day)).toMatchObject({
      phase,
      daysUntilDefaultOff: off,
      daysUntilRemoval: { earliest, latest },
    });
  });
});

describe("probe helpers", () => {
  it("scrubs every form of a secret", () => {
    const auth = { mechanism: "XOAUTH2" as const, user: M, token: "eyJ0eXAi.token.sig" };
    const s = secretForms(auth);
    expect(scrub(`AUTH XOAUTH2 ${xoauth2String(M, auth.token)} / Bearer eyJ0eXAi.token.sig`, s)).toBe(
      "AUTH XOAUTH2 <masked> / Bearer <masked>",
    );
  });

  it("failureText is the failing exchange as a protocol log, which diagnose reads", () => {
    const line = (dir: "C" | "S" | "*", text: string) => ({ at: "2026-11-29T00:00:00.000Z", dir, text });
    const result: ProbeResult = {
      ok: false,
      host: "h",
      port: 587,
      mechanism: "XOAUTH2",
      tls: null,
      authMechanisms: ["LOGIN", "XOAUTH2"],
      authenticated: false,
      messageAccepted: null,
      transcript: [
        line("S", "250-AUTH LOGIN XOAUTH2"),
        line("S", "250 SMTPUTF8"),
        line("C", "AUTH XOAUTH2 <masked>"),
        line("S", "535 5.7.3 Authentication unsuccessful [X]"),
      ],
      failure: {
        stage: "auth",
        reply: {
          code: 535,
          lines: ["5.7.3 Authentication unsuccessful [X]"],
          raw: "535 5.7.3 Authentication unsuccessful [X]",
        },
      },
    };
    const text = failureText(result)!;
    expect(text).toBe("C: AUTH XOAUTH2 <masked>\nS: 535 5.7.3 Authentication unsuccessful [X]");
    expect(diagnose(text).causes[0]!.id).toBe("oauth_misconfigured_app_or_sp");
  });

  it("confirmCause puts the confirmed cause first and keeps the confidences under 1", () => {
    const d = confirmCause(
      diagnose("535 5.7.3 Authentication unsuccessful"),
      "mailbox_unlicensed_or_missing",
      "confirmed",
    );
    expect(d.causes[0]).toMatchObject({ id: "mailbox_unlicensed_or_missing", confidence: 0.9, reason: "confirmed" });
    expect(d.causes.reduce((s, c) => s + c.confidence, 0)).toBeLessThanOrEqual(1.0001);
  });
});
