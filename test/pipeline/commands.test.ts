import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { discoverStacks, runPipeline, type PipelineIo } from "../../cli/pipeline/commands.ts";
import { scanExceptions } from "../../cli/pipeline/exceptions.ts";
import { renderDriftReport } from "../../cli/pipeline/drift.ts";

/** The pipeline commands' own logic without the Pulumi CLI: expiries, stacks, arguments, reports. */

const TODAY = "2026-11-29";

const tenantYaml = (opts: { risk: string; scanner: string; copier?: string }) => `securityDefaults:
  enabled: false
  reason: "device"
  riskAcceptance: { owner: it-security@contoso.com, ticket: RISK-1, expires: ${opts.risk} }
smtpAuth:
  mailboxes:
    scanner@contoso.com: { state: enabled, owner: facilities@contoso.com, ticket: CHG-1, expires: ${opts.scanner} }
${opts.copier ? `    copier@contoso.com: { state: enabled, owner: print@contoso.com, expires: ${opts.copier} }\n` : ""}mfa:
  users:
    scanner@contoso.com: { state: disabled, owner: facilities@contoso.com, expires: ${opts.scanner} }
`;

describe("pipeline commands without the CLI", () => {
  let dir: string;
  let out: string[];
  let err: string[];
  const io = (): PipelineIo => ({
    cwd: dir,
    env: {},
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    today: () => TODAY,
    pulumi: () => {
      throw new Error("not expected: the Pulumi CLI");
    },
  });
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "pipeline-"));
    out = [];
    err = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("scans every dated exception with its position, soonest first", () => {
    write(
      "stacks/contoso/tenant.yaml",
      tenantYaml({ risk: "2026-12-09", scanner: "2027-03-01", copier: "2026-11-20" }),
    );
    const scan = scanExceptions(["stacks/contoso/tenant.yaml"], {
      today: TODAY,
      days: 30,
      readFile: (f) => readFileSync(path.join(dir, f), "utf8"),
    });
    expect(scan.problems).toEqual([]);
    expect(scan.exceptions.map((e) => [e.what, `${e.line}:${e.column}`, e.key, e.daysLeft, e.status])).toEqual([
      [
        "SMTP AUTH enabled for copier@contoso.com",
        "8:69",
        "smtpAuth.mailboxes.copier@contoso.com.expires",
        -9,
        "expired",
      ],
      ["security defaults off (risk acceptance)", "4:69", "securityDefaults.riskAcceptance.expires", 10, "expiring"],
      ["per-user MFA disabled for scanner@contoso.com", "11:76", "mfa.users.scanner@contoso.com.expires", 92, "ok"],
      ["SMTP AUTH enabled for scanner@contoso.com", "7:90", "smtpAuth.mailboxes.scanner@contoso.com.expires", 92, "ok"],
    ]);
  });

  it("ci:expiring warns within 30 days and exits 0 when nothing has expired", async () => {
    write("stacks/contoso/tenant.yaml", tenantYaml({ risk: "2026-12-29", scanner: "2027-03-01" }));
    write("stacks/fabrikam/tenant.yaml", tenantYaml({ risk: "2026-12-30", scanner: "2027-05-01" }));
    expect(await runPipeline(["expiring"], io())).toBe(0);
    expect(out.join("")).toBe(`### Exceptions expiring within 30 days (as of ${TODAY})

⏳ 1 expiring within 30 days · 6 dated exceptions in 2 files

#### Expired or expiring

| | Exception | Owner | Ticket | Expires | Where |
|---|---|---|---|---|---|
| ⏳ | security defaults off (risk acceptance) | it-security@contoso.com | RISK-1 | 2026-12-29 (in 30 days) | \`stacks/contoso/tenant.yaml:4\` |
`);
    expect(err).toEqual([]);
  });

  it("ci:expiring exits 1 on an expired exception, names it on stderr and writes --report", async () => {
    write("stacks/contoso/tenant.yaml", tenantYaml({ risk: "2026-12-29", scanner: "2026-11-28" }));
    expect(await runPipeline(["expiring", "--days", "7", "--report", "out/expiring.md"], io())).toBe(1);
    expect(err).toEqual([
      "ci:expiring: stacks/contoso/tenant.yaml:10 per-user MFA disabled for scanner@contoso.com expired on 2026-11-28\n",
      "ci:expiring: stacks/contoso/tenant.yaml:7 SMTP AUTH enabled for scanner@contoso.com expired on 2026-11-28\n",
    ]);
    const report = readFileSync(path.join(dir, "out/expiring.md"), "utf8");
    expect(report).toBe(out.join(""));
    expect(report).toContain("❌ 2 expired · 3 dated exceptions in 1 file");
    expect(report).toContain("An expired exception makes every preview and update of its stack fail.");
  });

  it("ci:expiring reports an invalid tenant.yaml as a failure, with file:line", async () => {
    write("stacks/contoso/tenant.yaml", "smtpAuth:\n  organisation: enabled\n");
    expect(await runPipeline(["expiring"], io())).toBe(1);
    expect(out.join("")).toContain("stacks/contoso/tenant.yaml:2:3 smtpAuth.organisation: unknown key");
  });

  it("ci:expiring prints GitHub annotations on Actions", async () => {
    write("stacks/contoso/tenant.yaml", tenantYaml({ risk: "2026-12-01", scanner: "2027-03-01" }));
    expect(await runPipeline(["expiring"], { ...io(), env: { GITHUB_ACTIONS: "true" } })).toBe(0);
    expect(out[0]).toBe(
      "::warning file=stacks/contoso/tenant.yaml,line=4::security defaults off (risk acceptance): 2026-12-01 (in 2 days), owner it-security@contoso.com\n",
    );
  });

  it("ci:stacks lists tenants with a committed stack config, sorted", async () => {
    write("stacks/fabrikam/tenant.yaml", "{}\n");
    write("stacks/contoso/tenant.yaml", "{}\n");
    write("stacks/contoso-eu/tenant.yaml", "{}\n");
    write("stacks/sandbox/tenant.yaml", "{}\n");
    for (const s of ["fabrikam", "contoso", "contoso-eu"]) write(`Pulumi.${s}.yaml`, "config: {}\n");
    expect(discoverStacks(dir)).toEqual(["contoso", "contoso-eu", "fabrikam"]);
    expect(await runPipeline(["stacks"], io())).toBe(0);
    expect(out).toEqual(['["contoso","contoso-eu","fabrikam"]\n']);
  });

  it.each([
    [["preview"], "ci:preview: --stack is required"],
    [["apply", "--stack", "a b"], "ci:apply: --stack must be a stack name, got 'a b'"],
    [["drift", "--stack", "x", "--days", "soon"], "ci:drift: --days must be a whole number of days, got 'soon'"],
    [["expiring", "--today", "2026-02-30"], "ci:expiring: --today must be a date YYYY-MM-DD, got '2026-02-30'"],
    [["expiring", "--stack", "x"], "ci:expiring: --stack does not apply to 'expiring'"],
    [["preview", "--stack", "x", "--plan", "p.json"], "ci:preview: --plan does not apply to 'preview'"],
    [["deploy"], "ci:deploy: unknown command 'deploy'"],
    [["expiring"], "ci:expiring: no tenant.yaml given and none found under stacks/*/"],
  ])("%j exits 2: %s", async (args, message) => {
    expect(await runPipeline(args, io())).toBe(2);
    expect(err.join("").split("\n")[0]).toBe(message);
  });

  it("drift report: the refresh phase does not hide the update, and each difference is named", () => {
    const urn =
      "urn:pulumi:contoso::m365-smtp-auth::pulumi-nodejs:dynamic/m365:MailboxSmtpAuth::mailbox-scanner@contoso.com";
    const type = "pulumi-nodejs:dynamic/m365:MailboxSmtpAuth";
    const inputs = (state: string) => ({ inputs: { mailbox: "scanner@contoso.com", state, __provider: "x" } });
    const events = [
      { resourcePreEvent: { metadata: { op: "refresh", urn, type, old: inputs("enabled"), new: inputs("disabled") } } },
      { resourcePreEvent: { metadata: { op: "update", urn, type, old: inputs("disabled"), new: inputs("enabled") } } },
      { policyAnalyzeStackSummaryEvent: {} },
    ];
    const scan = scanExceptions([], { today: TODAY, days: 30 });
    const { markdown, verdict } = renderDriftReport({ stack: "contoso", previewJson: events, previewCode: 7, scan });
    expect(verdict).toMatchObject({ ok: false, expired: 0, failed: false });
    expect(markdown).toBe(`<!-- m365-smtp-auth drift-report stack=contoso -->
### Drift check: \`contoso\` (${TODAY})

❌ drift: 1 item differs from tenant.yaml · ✅ none expired or expiring within 30 days · 0 dated exceptions in 0 files · ✅ policies passed

#### Drift (in the tenant → declared in tenant.yaml)

| Item | Kind | Step | Differences |
|---|---|---|---|
| scanner@contoso.com | MailboxSmtpAuth | update | state: disabled → enabled |

Someone changed the tenant outside this repository. Either run the apply pipeline (\`pulumi up --refresh\`) to put the declared values back, or change tenant.yaml in a pull request to accept what is there now.
`);
  });
});
