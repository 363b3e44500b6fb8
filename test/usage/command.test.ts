/**
 * `m365-smtp-auth usage` end to end: the real command against the sandbox over TLS, reading the
 * fixture's sign-in logs and the tenant's gates, joined with a real tenant.yaml. Asserts the exact
 * accounts and verdicts, the call-outs, the refusals (no Entra ID P1, no AuditLog.Read.All) and the
 * CSV fallback.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../sandbox/server.ts";
import type { TenantState } from "../../sandbox/model.ts";
import type { UsageReport } from "../../cli/usage/model.ts";
import { NOBODY_APP, OAUTH_APP, run, startDoctorSandbox, tenantWith } from "../cli/helpers.ts";
import { printReadinessSummary } from "../../cli/usage/summary.ts";
import { stackValues } from "../../cli/usage/stack.ts";

let sb: Sandbox;
let base: TenantState;
const dir = mkdtempSync(join(tmpdir(), "usage-cmd-"));
const SANDBOX_YAML = "stacks/sandbox/tenant.yaml";
const OAUTH_YAML = "stacks/sandbox-oauth/tenant.yaml";

beforeAll(async () => {
  sb = await startDoctorSandbox();
  base = sb.store.snapshot();
});
afterAll(async () => {
  await sb.stop();
});
beforeEach(() => {
  sb.store.replace(structuredClone(base));
});

async function report(...args: string[]): Promise<UsageReport> {
  const r = await run(sb, ["usage", "--ca", sb.caCertPath, "--format", "json", ...args]);
  expect(r.err).not.toMatch(/error/i);
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as UsageReport;
}

const summary = (r: UsageReport) =>
  r.accounts.map((a) => [
    a.account,
    a.mechanism,
    a.logins,
    a.failures,
    a.today.answer,
    a.afterDefaultOff.answer,
    a.afterRemoval.answer,
    a.recommendation.path,
  ]);

describe("usage against the sandbox", () => {
  it("lists exactly the fixture's SMTP AUTH accounts with the failing tenant's verdicts", async () => {
    const r = await report("--tenant-file", SANDBOX_YAML);
    expect(r.source).toBe("sign-in-logs");
    expect(summary(r)).toEqual([
      [OAUTH_APP.appId, "oauth", 2, 1, "unknown", "unknown", "unknown", "keep-oauth"],
      ["alice@contoso.com", "basic", 0, 2, "no", "no", "no", "keep-off"],
      ["printer@contoso.com", "basic", 5, 1, "no", "no", "no", "connector"],
      ["scanner@contoso.com", "basic", 7, 5, "no", "no", "no", "connector"],
    ]);
    const scanner = r.accounts.find((a) => a.account === "scanner@contoso.com")!;
    expect(scanner.today.reason).toBe(
      "security_defaults_enabled: security defaults are on, which block legacy authentication",
    );
    expect(scanner.exception).toEqual({ owner: "facilities@contoso.com", ticket: "CHG-1042", expires: "2027-06-30" });
    expect(scanner.ipAddresses).toEqual(["203.0.113.10"]);
    expect(r.undeclared).toEqual(["printer@contoso.com"]);
    expect(r.unused).toEqual([]);
  });

  it("after the change: Basic works today, only if re-enabled after December 2026, never after removal; OAuth throughout", async () => {
    sb.store.replace(tenantWith(base));
    const r = await report("--tenant-file", OAUTH_YAML);
    expect(summary(r)).toEqual([
      [OAUTH_APP.appId, "oauth", 2, 1, "yes", "yes", "yes", "keep-oauth"],
      ["alice@contoso.com", "basic", 0, 2, "no", "no", "no", "keep-off"],
      ["printer@contoso.com", "basic", 5, 1, "no", "no", "no", "connector"],
      ["scanner@contoso.com", "basic", 7, 5, "yes", "if-re-enabled", "no", "oauth"],
    ]);
    const scanner = r.accounts.find((a) => a.account === "scanner@contoso.com")!;
    expect(scanner.afterRemoval.reason).toBe(
      "basic_auth_disabled_or_retired: basic authentication for SMTP AUTH is retired for this tenant",
    );
    expect(scanner.recommendation.reason).toBe(
      "tenant.yaml already declares the OAuth app 'scanner' for this mailbox: switch the sender to XOAUTH2 with a client-credentials token",
    );
    // printer inherits the organisation's SMTP AUTH off.
    expect(r.accounts.find((a) => a.account === "printer@contoso.com")!.today.reason).toBe(
      "smtp_auth_disabled_tenant: SMTP AUTH disabled for the organisation and the mailbox inherits it",
    );
    expect(r.accounts[0]!.mailbox).toBe("scanner@contoso.com");
  });

  it("calls out a declared exception nobody used and one about to expire", async () => {
    const file = join(dir, "unused.yaml");
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    writeFileSync(
      file,
      readFileSync(SANDBOX_YAML, "utf8").replace(
        "  others: unmanaged",
        `    bob@contoso.com: { state: enabled, owner: reception@contoso.com, ticket: CHG-7, expires: ${soon} }\n  others: unmanaged`,
      ),
    );
    const r = await report("--tenant-file", file);
    expect(r.unused).toEqual([{ mailbox: "bob@contoso.com", owner: "reception@contoso.com", expires: soon }]);
    expect(r.expiring).toEqual([
      { mailbox: "bob@contoso.com", owner: "reception@contoso.com", expires: soon, daysLeft: 10 },
    ]);
  });

  it("reports progress on stderr and a terminal table on stdout", async () => {
    const r = await run(sb, ["usage", "--ca", sb.caCertPath, "--tenant-file", SANDBOX_YAML]);
    expect(r.code).toBe(0);
    expect(r.err).toBe(
      "m365-smtp-auth usage: SMTP AUTH sign-ins with a password: 1 page, 20 records\n" +
        "m365-smtp-auth usage: app-only (service principal) sign-ins: 1 page, 5 records\n",
    );
    expect(r.out).toMatch(
      /^printer@contoso\.com +Basic +5 \(\+1 failed\) +\S+ \S+ +none +no +no +no +relay via connector$/m,
    );
    expect(r.out).toContain("! Using SMTP AUTH without a declared exception: printer@contoso.com.");
  });

  it("a tenant without Entra ID P1: exit 1 naming it and the CSV fallback, nothing written", async () => {
    sb.store.patch({ signInLogs: { ...base.signInLogs!, premium: false } });
    const r = await run(sb, ["usage", "--ca", sb.caCertPath]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toBe(
      "m365-smtp-auth usage: the tenant's sign-in logs need Microsoft Entra ID P1 or P2 (Graph answered 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant); use --from-csv FILE with the Exchange admin center's SMTP AUTH clients report instead (Reports > Mail flow > SMTP AUTH clients report > Export; see docs/usage.md)\n",
    );
  });

  it("an app without AuditLog.Read.All: exit 1 naming the permission", async () => {
    const r = await run(sb, ["usage", "--ca", sb.caCertPath], {
      M365_CLIENT_ID: NOBODY_APP.appId,
      M365_CLIENT_SECRET: NOBODY_APP.secret,
    });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/grant the Microsoft Graph application permission AuditLog\.Read\.All with admin consent/);
    expect(r.err).toMatch(/or use --from-csv FILE/);
  });

  it("--from-csv reads the SMTP AUTH clients report export, Basic and OAuth per sender", async () => {
    const csv = join(dir, "smtp-auth-clients.csv");
    writeFileSync(
      csv,
      "\uFEFFSender address,Domain,Authentication protocol,TLS 1.0,TLS 1.1,TLS 1.2,Messages sent\r\n" +
        'printer@contoso.com,contoso.com,Basic,0%,0%,100%,"1,204"\r\n' +
        "scanner@contoso.com,contoso.com,OAuth,0%,0%,100%,40\r\n",
    );
    sb.store.patch({ signInLogs: { ...base.signInLogs!, premium: false } });
    const r = await report("--from-csv", csv, "--tenant-file", SANDBOX_YAML);
    expect(r.source).toBe("csv");
    expect(r.accounts.map((a) => [a.account, a.mechanism, a.logins, a.lastSeen, a.today.answer])).toEqual([
      ["printer@contoso.com", "basic", 1204, null, "no"],
      ["scanner@contoso.com", "oauth", 40, null, "no"],
    ]);
    expect(r.undeclared).toEqual(["printer@contoso.com"]);
  });

  it.each([
    [["--days", "0"], "--days must be a whole number from 1 to 365, got '0'"],
    [["--format", "pdf"], "--format must be one of text, md, html, json, got 'pdf'"],
    [["--format", "html"], "--format html needs --out FILE"],
    [["--propose"], "--propose needs --tenant-file FILE to edit"],
  ])("bad arguments %j exit 2", async (args, message) => {
    const r = await run(sb, ["usage", ...args]);
    expect(r.code).toBe(2);
    expect(r.err.split("\n")[0]).toBe(`m365-smtp-auth usage: ${message}`);
  });

  it("a CSV without a sender column is refused with file and line", async () => {
    const csv = join(dir, "wrong.csv");
    writeFileSync(csv, "Date,Count\n2026-11-01,3\n");
    const r = await run(sb, ["usage", "--from-csv", csv]);
    expect(r.code).toBe(2);
    expect(r.err.split("\n")[0]).toBe(
      `m365-smtp-auth usage: --from-csv ${csv}:1: no "Sender address" column (found: "date", "count"); export the SMTP AUTH clients report from the Exchange admin center`,
    );
  });
});

describe("printReadinessSummary (the end of npm start)", () => {
  it("summarises the converged sandbox in a few lines", async () => {
    sb.store.replace(tenantWith(base));
    const lines: string[] = [];
    const ok = await printReadinessSummary({
      env: sb.env,
      caPem: sb.caPem,
      tenantFile: SANDBOX_YAML,
      write: (l) => lines.push(l),
    });
    expect(ok).toBe(true);
    expect(lines).toEqual([
      "SMTP AUTH readiness (last 30 days of sign-in logs): 4 accounts signed in, 3 with a password (Basic), 1 with OAuth.",
      "  can send today: 1; after 2026-12-31: 0 (+1 only if Basic is re-enabled); after the 2027 removal: 0.",
      "  using SMTP AUTH without a declared exception: printer@contoso.com (npm run usage -- --propose --tenant-file stacks/sandbox/tenant.yaml)",
      "  full report: npm run usage -- --tenant-file stacks/sandbox/tenant.yaml [--format md|html --out FILE]",
    ]);
  });

  it("says in one line why it is not available, never throwing", async () => {
    sb.store.patch({ signInLogs: { ...base.signInLogs!, premium: false } });
    const lines: string[] = [];
    const ok = await printReadinessSummary({
      env: sb.env,
      caPem: sb.caPem,
      tenantFile: SANDBOX_YAML,
      write: (l) => lines.push(l),
    });
    expect(ok).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^SMTP AUTH readiness: not available \(the tenant's sign-in logs need Microsoft Entra ID P1 or P2 /,
    );
  });
});

describe("pipeline options", () => {
  it("--owner-handles mentions the owners of expiring exceptions; --json-out writes the JSON too", async () => {
    const file = join(dir, "expiring.yaml");
    const soon = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    writeFileSync(
      file,
      readFileSync(SANDBOX_YAML, "utf8").replace("expires: 2027-06-30 # last day", `expires: ${soon} # last day`),
    );
    const handles = join(dir, "handles.json");
    writeFileSync(handles, JSON.stringify({ "facilities@contoso.com": "@contoso/facilities" }));
    const json = join(dir, "report.json");
    const r = await run(sb, [
      "usage",
      "--ca",
      sb.caCertPath,
      "--tenant-file",
      file,
      "--format",
      "md",
      "--expiring-days",
      "14",
      "--owner-handles",
      handles,
      "--json-out",
      json,
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      `- The exception for scanner@contoso.com expires on ${soon} (5 days; @contoso/facilities (facilities@contoso.com)): renew it or move the sender.`,
    );
    expect(r.out).toContain("cc @contoso/facilities: an exception you own expires within 14 days.");
    const report = JSON.parse(readFileSync(json, "utf8")) as UsageReport;
    expect(report.expiring).toEqual([
      { mailbox: "scanner@contoso.com", owner: "facilities@contoso.com", expires: soon, daysLeft: 5 },
    ]);
  });

  it("--owner-handles refuses a value that is not a handle", async () => {
    const handles = join(dir, "bad-handles.json");
    writeFileSync(handles, JSON.stringify({ "facilities@contoso.com": "facilities" }));
    const r = await run(sb, ["usage", "--owner-handles", handles]);
    expect(r.code).toBe(2);
    expect(r.err.split("\n")[0]).toBe(
      `m365-smtp-auth usage: --owner-handles ${handles}: "facilities@contoso.com" must map to an @handle or @org/team, not "facilities"`,
    );
  });

  it("stackValues reads a stack's plain connection config and never a secret", () => {
    const stackDir = mkdtempSync(join(tmpdir(), "usage-stack-"));
    writeFileSync(
      join(stackDir, "Pulumi.contoso.yaml"),
      "config:\n  m365-smtp-auth:tenantId: contoso.onmicrosoft.com\n  m365-smtp-auth:clientId: 11111111-2222-3333-4444-555555555555\n  m365-smtp-auth:credential: workloadIdentity\n  m365-smtp-auth:clientSecret:\n    secure: v1:abc\n",
    );
    expect(stackValues("contoso", stackDir)).toEqual({
      values: { tenant: "contoso.onmicrosoft.com", "client-id": "11111111-2222-3333-4444-555555555555" },
      tenantFile: "stacks/contoso/tenant.yaml",
      credential: "workloadIdentity",
    });
    expect(() => stackValues("missing", stackDir)).toThrow(
      /^--stack missing: cannot read .*Pulumi\.missing\.yaml \(ENOENT\)$/,
    );
  });
});
