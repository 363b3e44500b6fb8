/**
 * Fidelity review findings 11, 12 and 14 through the real client against the sandbox over TLS:
 * users found by their mail address when it differs from the UPN, licences counted only for mailbox
 * plans in force, and Conditional Access judged by groups (transitive), roles, applications,
 * locations and guests. Each mailbox's verdict is asserted exactly, for the program's `effective`
 * output and for `doctor explain`, and the sandbox's own SMTP judgement (sandbox/smtp/facts.ts)
 * must agree with the live reader on every gate it can judge.
 */
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDesiredState } from "../../desired/tenant-yaml.ts";
import { evaluateGates, type GateId } from "../../m365/gates.ts";
import { effectiveSmtpAuth } from "../../program/effective.ts";
import { buildReport } from "../../cli/doctor/explain.ts";
import type { TenantApi } from "../../tenant/api.ts";
import { gatherFacts } from "../../tenant/facts.ts";
import { factsFromTenant } from "../../sandbox/smtp/facts.ts";
import type { Sandbox } from "../../sandbox/server.ts";
import { FIXTURE, projectApi, startTestSandbox } from "../sandbox/helpers.ts";
import { SmtpReplies, formatReply } from "../../m365/smtp-replies.ts";

const today = "2026-11-30";
const nothingDeclared = parseDesiredState("{}\n", "empty.yaml");

const apiFor = (sb: Sandbox, app: { appId: string; secret: string } = FIXTURE.automation): TenantApi =>
  projectApi(sb, app);

/** Status of one gate in the live reader's verdict (password right, account unlocked, as the program takes them). */
async function liveGates(api: TenantApi, mailbox: string) {
  const gathered = await gatherFacts(api, mailbox, { mechanism: "basic", today });
  const verdict = evaluateGates({ ...gathered.facts, passwordCorrect: true, accountLocked: false });
  return { gathered, verdict, status: (id: GateId) => verdict.gates.find((g) => g.id === id)!.status };
}

describe("fabrikam-scoped: Conditional Access scoped by groups, roles, apps and locations; licences", () => {
  let sb: Sandbox;
  let api: TenantApi;
  beforeAll(async () => {
    sb = await startTestSandbox({ throttle: false, fixture: "fabrikam-scoped", smtp: {} });
    api = apiFor(sb);
  });
  afterAll(() => sb.stop());

  /** A real SMTP AUTH LOGIN over STARTTLS to the sandbox, as the device would do it. */
  async function smtpAuth(user: string, pass: string): Promise<string> {
    const t = nodemailer.createTransport({
      host: sb.smtp!.host,
      port: sb.smtp!.port,
      secure: false,
      requireTLS: true,
      tls: { ca: sb.caPem },
      auth: { user, pass },
    });
    try {
      await t.verify();
      return "235";
    } catch (err) {
      return (err as { response?: string }).response ?? String(err);
    } finally {
      t.close();
    }
  }

  it("the sandbox's SMTP endpoint honours the group scoping: the member is refused, the excluded device signs in", async () => {
    const refused = await smtpAuth("copier@fabrikam.com", "Copy-To-Mail-2026!");
    expect(refused.startsWith(formatReply(SmtpReplies.criteriaNotMet)), refused).toBe(true);
    expect(await smtpAuth("labeler@fabrikam.com", "Label-To-Mail-2026!")).toBe("235");
  });

  // mailbox → [blocking gate or null, conditional_access_block status, effective status, blocking policy]
  const EXPECTED: [string, GateId | null, string, string, string?][] = [
    // Included through the group "Legacy auth blocked"; mail ≠ UPN, found through its mail address.
    [
      "copier@fabrikam.com",
      "conditional_access_block",
      "block",
      "blocked",
      "Block legacy authentication (group-scoped)",
    ],
    // Included through the nested group "Print devices".
    [
      "plotter@fabrikam.com",
      "conditional_access_block",
      "block",
      "blocked",
      "Block legacy authentication (group-scoped)",
    ],
    // In the nested group too, but excluded through "SMTP AUTH exceptions".
    ["labeler@fabrikam.com", null, "pass", "sends"],
    // Included by the role template id of Exchange Administrator.
    [
      "exchange.admin@fabrikam.com",
      "conditional_access_block",
      "block",
      "blocked",
      "Block legacy authentication for Exchange admins",
    ],
    // Only outside trusted networks: depends on where the device signs in.
    ["fax@fabrikam.com", null, "unknown", "unknown"],
    // The SharePoint-only and guests-only policies do not touch an SMTP sign-in of a member.
    ["admin@fabrikam.com", null, "pass", "sends"],
    // Only an Exchange Foundation plan left; an Exchange plan Disabled; one still PendingProvisioning.
    ["reports@fabrikam.com", "mailbox_unlicensed_or_missing", "pass", "blocked"],
    ["scanner@fabrikam.com", "mailbox_unlicensed_or_missing", "pass", "blocked"],
    ["newhire@fabrikam.com", "mailbox_unlicensed_or_missing", "pass", "blocked"],
  ];

  it.each(EXPECTED)("%s: blocked by %s, Conditional Access %s, effective %s", async (mailbox, gate, ca, status, by) => {
    const live = await liveGates(api, mailbox);
    expect(live.verdict.blockingGate ?? null).toBe(gate);
    expect(live.status("conditional_access_block")).toBe(ca);
    const caReason = live.verdict.gates.find((g) => g.id === "conditional_access_block")!.reason;
    expect(by === undefined || caReason === `Conditional Access blocks legacy authentication: "${by}"`, caReason).toBe(
      true,
    );
    const effective = (await effectiveSmtpAuth(api, nothingDeclared, { today, mailboxes: [mailbox] }))[mailbox]!;
    expect(effective).toMatchObject({ status, blockedBy: gate });
    const report = buildReport(mailbox, live.gathered, { today });
    expect(report.blockingGate).toBe(gate);
    expect(report.gates.find((g) => g.id === "conditional_access_block")!.status).toBe(ca);
    // The sandbox's SMTP server judges from its own state: it must reach the same statuses.
    const sandboxVerdict = evaluateGates(factsFromTenant(sb.store.read(), mailbox, "basic", { password: "x" }));
    const judged = (v: typeof live.verdict) =>
      v.gates.filter((g) => !["wrong_credentials", "account_locked"].includes(g.id)).map((g) => `${g.id}:${g.status}`);
    expect(judged(sandboxVerdict)).toEqual(judged(live.verdict));
  });

  it("names the user whose mail differs from the UPN, and reads per-user MFA by its id", async () => {
    const live = await liveGates(api, "copier@fabrikam.com");
    expect(live.gathered.context.userId).toBe(sb.store.findUser("copier@fabrikam.onmicrosoft.com")!.id);
    expect(live.status("per_user_mfa")).toBe("pass");
    expect(live.verdict.gates.find((g) => g.id === "conditional_access_block")!.reason).toBe(
      'Conditional Access blocks legacy authentication: "Block legacy authentication (group-scoped)"',
    );
  });

  it("gives the reason a licence does not count", async () => {
    const live = await liveGates(api, "reports@fabrikam.com");
    expect(live.gathered.facts).toMatchObject({ mailboxExists: true, licensed: false });
    expect(live.verdict.gates[0]).toMatchObject({
      status: "block",
      reason: "the user holds no Exchange Online licence",
    });
  });

  it("says why a location-scoped policy cannot be judged", async () => {
    const live = await liveGates(api, "fax@fabrikam.com");
    expect(live.verdict.gates.find((g) => g.id === "conditional_access_block")!.reason).toBe(
      'whether "Block legacy authentication outside trusted networks" applies is unknown: it has a locations condition, which depends on where the device signs in',
    );
  });

  it("without RoleManagement.Read.Directory the role-scoped policy is unknown, with the permission named", async () => {
    const noRoles = sb.store.findApp(FIXTURE.automation.appId)!;
    sb.store.updateApp(noRoles.appId, {
      roles: { ...noRoles.roles, graph: noRoles.roles.graph.filter((r) => r !== "RoleManagement.Read.Directory") },
    });
    try {
      const live = await liveGates(apiFor(sb), "exchange.admin@fabrikam.com");
      expect(live.status("conditional_access_block")).toBe("unknown");
      expect(live.gathered.notes.conditional_access_block).toMatch(/grant RoleManagement\.Read\.Directory/u);
    } finally {
      sb.store.reset();
    }
  });
});

describe("contoso-failing: contractor@contoso.com, whose mail address is contractor@fabrikam.example", () => {
  let sb: Sandbox;
  let api: TenantApi;
  beforeAll(async () => {
    sb = await startTestSandbox({ throttle: false, fixture: "contoso-failing" });
    api = apiFor(sb);
  });
  afterAll(() => sb.stop());

  it.each(["contractor@fabrikam.example", "contractor@contoso.com"])(
    "%s is found; the verdict is 'no mailbox', with account and MFA read",
    async (mailbox) => {
      const live = await liveGates(api, mailbox);
      expect(live.gathered.context.userId).toBe(sb.store.findUser("contractor@contoso.com")!.id);
      expect(live.status("account_disabled")).toBe("pass");
      expect(live.status("per_user_mfa")).toBe("pass");
      expect(live.verdict.gates[0]).toMatchObject({
        id: "mailbox_unlicensed_or_missing",
        status: "block",
        reason: "no Exchange Online mailbox for this address",
      });
      const effective = (await effectiveSmtpAuth(api, nothingDeclared, { today, mailboxes: [mailbox] }))[mailbox]!;
      expect(effective).toMatchObject({ status: "blocked", blockedBy: "mailbox_unlicensed_or_missing" });
      expect(effective.unknown).not.toContain("account_disabled");
      expect(effective.unknown).not.toContain("per_user_mfa");
      const report = buildReport(mailbox, live.gathered, { today });
      expect(report.blockingGate).toBe("mailbox_unlicensed_or_missing");
      expect(report.gates.find((g) => g.id === "per_user_mfa")!.status).toBe("pass");
    },
  );
});
