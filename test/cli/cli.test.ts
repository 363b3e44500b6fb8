/**
 * The CLI's contract outside the gates: secrets never printed, bad arguments exit 2, unreachable hosts
 * and missing permissions give a clear message (or an "unknown" gate naming the permission), never a
 * stack trace; explain cites tenant.yaml by file:line and the schedule; the bin launcher runs under
 * the machine's Node 20 by re-executing the package's Node 24.
 */
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClientSecretCredential } from "@azure/identity";
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import type { Sandbox } from "../../sandbox/server.ts";
import type { TenantState } from "../../sandbox/model.ts";
import type { ExplainReport } from "../../cli/doctor/explain.ts";
import { trustCa } from "../../cli/connection.ts";
import { runCli } from "../../cli/main.ts";
import { NOBODY_APP, OAUTH_APP, SCANNER, SCANNER_PASSWORD, run, startDoctorSandbox, tenantWith } from "./helpers.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "cli", "bin.js");
const b64 = (s: string) => Buffer.from(s).toString("base64");

let sb: Sandbox;
let base: TenantState;
beforeAll(async () => {
  sb = await startDoctorSandbox();
  base = sb.store.snapshot();
});
afterAll(async () => {
  await sb?.stop();
});
beforeEach(() => {
  sb.store.replace(tenantWith(base));
});

/** spawn, awaited: the sandbox lives in this process, so a blocking spawnSync would starve it. */
function spawnAsync(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/u);

describe("secrets are masked", () => {
  it("AUTH LOGIN: the password (plain or base64) never appears, in text or --json, success or failure", async () => {
    for (const password of [SCANNER_PASSWORD, "Wrong-Password-42"]) {
      for (const json of [false, true]) {
        const r = await run(
          sb,
          [
            "doctor",
            "probe",
            "--ca",
            sb.caCertPath,
            "--user",
            SCANNER,
            "--password-env",
            "PW",
            ...(json ? ["--json"] : []),
          ],
          { PW: password },
        );
        const all = r.out + r.err;
        expect(all).not.toContain(password);
        expect(all).not.toContain(b64(password));
        expect(all).not.toContain(b64(SCANNER)); // the base64 user name is masked too
        expect(all).toMatch(/C: <masked>|"text": "<masked>"/u);
        expect(r.code).toBe(password === SCANNER_PASSWORD ? 0 : 1);
      }
    }
  });

  it("AUTH XOAUTH2: neither the token nor the XOAUTH2 string appears, nor the client secret", async () => {
    trustCa(sb.caPem);
    const cred = new ClientSecretCredential(sb.tenantId, OAUTH_APP.appId, OAUTH_APP.secret, {
      authorityHost: sb.baseUrl,
      disableInstanceDiscovery: true,
    });
    const token = (await cred.getToken("https://outlook.office365.com/.default")).token;
    const xoauth = b64(`user=${SCANNER}\x01auth=Bearer ${token}\x01\x01`);
    for (const args of [
      ["--token-env", "TOKEN"],
      ["--client-id", OAUTH_APP.appId, "--client-secret-env", "OAUTH_SECRET"],
    ]) {
      const r = await run(
        sb,
        ["doctor", "probe", "--ca", sb.caCertPath, "--user", SCANNER, "--auth", "xoauth2", ...args, "--json"],
        { TOKEN: token, OAUTH_SECRET: OAUTH_APP.secret },
      );
      expect(r.code).toBe(0);
      expect(r.out).toContain("AUTH XOAUTH2 <masked>");
      for (const secret of [token, xoauth, OAUTH_APP.secret]) expect(r.out + r.err).not.toContain(secret);
    }
  });

  it("passwords and secrets are refused on the command line, without echoing them", async () => {
    for (const [flag, hint] of [
      ["--password", "--password-env"],
      ["--client-secret", "--client-secret-env"],
      ["--token", "--token-env"],
    ] as const) {
      const r = await run(sb, ["doctor", "probe", "--user", SCANNER, `${flag}=hunter2-secret`]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(hint);
      expect(r.err + r.out).not.toContain("hunter2-secret");
    }
  });
});

describe("bad arguments exit 2 with a clear message", () => {
  it.each([
    [["nope"], /unknown command 'nope'/u],
    [["doctor", "nope"], /unknown doctor command 'nope'/u],
    [["doctor", "probe", "--bogus"], /Unknown option '--bogus'/u],
    [["doctor", "probe", "--port", "99999"], /--port must be a port number/u],
    [["doctor", "probe", "--user", SCANNER], /needs a password: --password-env VAR or --password-stdin/u],
    [["doctor", "probe", "--user", SCANNER, "--password-env", "UNSET_VAR_X"], /UNSET_VAR_X is not set/u],
    [
      ["doctor", "probe", "--user", SCANNER, "--auth", "plain", "--password-env", "PW"],
      /--auth must be login or xoauth2/u,
    ],
    [["doctor", "probe", "--user", SCANNER, "--auth", "xoauth2"], /needs --client-id/u],
    [["doctor", "probe", "--from", SCANNER], /only apply with --send-test/u],
    [
      ["doctor", "probe", "--ca", "/nonexistent/ca.pem"],
      /--ca \/nonexistent\/ca\.pem: cannot read the file \(ENOENT\)/u,
    ],
    [["doctor", "explain"], /which mailbox\?/u],
    [["doctor", "explain", "not-an-address"], /is not a mail address/u],
    [["doctor", "explain", SCANNER, "--mechanism", "ntlm"], /--mechanism must be basic or oauth/u],
    [
      ["doctor", "explain", SCANNER, "--tenant-file", "/nonexistent/tenant.yaml"],
      /tenant\.yaml: 1 problem in the desired state[\s\S]*cannot read the file \(ENOENT\)/u,
    ],
    [["doctor", "diagnose", "--bogus"], /unknown option '--bogus'/u],
  ])("%j", async (argv, message) => {
    const r = await run(sb, argv, { PW: "x" });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    noStack(r.err);
  });

  it("explain without tenant settings names the flag and variable", async () => {
    let err = "";
    const code = await runCli(["doctor", "explain", SCANNER], {
      stdout: () => {},
      stderr: (s) => void (err += s),
      env: {},
      readStdin: () => Promise.resolve(null),
      now: () => new Date(),
    });
    expect(code).toBe(2);
    expect(err).toMatch(/missing setting: --tenant or M365_TENANT_ID/u);
  });
});

describe("unreachable hosts and missing permissions", () => {
  it("probe of a closed loopback port exits 1 naming host, port and the refusal", async () => {
    const port = await closedPort();
    const r = await run(
      sb,
      ["doctor", "probe", "--host", "127.0.0.1", "--port", String(port), "--user", SCANNER, "--password-env", "PW"],
      { PW: "x" },
    );
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `m365-smtp-auth doctor probe: cannot reach 127.0.0.1:${port}: 127.0.0.1:${port}: connection refused (nothing listens on that port, or a firewall rejects it) (ECONNREFUSED)\n`,
    );
    expect(r.out).toContain("1. transient");
    noStack(r.err + r.out);
  });

  it("explain against an unreachable tenant exits 1 with one line", async () => {
    const port = await closedPort();
    const url = `https://127.0.0.1:${port}`;
    const r = await run(sb, [
      "doctor",
      "explain",
      SCANNER,
      "--authority-host",
      url,
      "--graph-url",
      url,
      "--exchange-url",
      url,
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `m365-smtp-auth doctor explain: cannot get a token for https://graph.microsoft.com/.default from ${url}: the token service could not be reached`,
    );
    expect(r.err.split("\n")).toHaveLength(2);
    noStack(r.err);
  }, 60_000);

  it("export with an app that has no permissions names every missing grant at once and writes nothing", async () => {
    trustCa(sb.caPem); // export takes no --ca: the sandbox CA as NODE_EXTRA_CA_CERTS would give it
    const out = join(mkdtempSync(join(tmpdir(), "export-")), "tenant.yaml");
    const r = await run(
      sb,
      [
        "export",
        "--out",
        out,
        "--owner",
        "it@contoso.com",
        "--client-id",
        NOBODY_APP.appId,
        "--client-secret-env",
        "NOBODY",
      ],
      { NOBODY: NOBODY_APP.secret },
    );
    expect(r.code, r.err).toBe(1);
    const lines = r.err.split("\n").filter((l) => l.startsWith("  - "));
    expect(lines).toHaveLength(5);
    expect(r.err).toContain("the app cannot read everything export needs; grant all of these, then run export again:");
    expect(r.err).toMatch(
      /lacks permission for graph\.securityDefaults\.read: grant the Microsoft Graph application permission Policy\.Read\.All/u,
    );
    expect(r.err).toMatch(/lacks permission for graph\.users\.read/u);
    expect(r.err).toMatch(/Get-TransportConfig/u);
    expect(r.err).toMatch(/Get-CASMailbox/u);
    expect(r.err).toContain("per-user MFA (Policy.Read.All) could not be tried without the users list");
    expect(existsSync(out)).toBe(false);
    noStack(r.err);
  });

  it("explain with an app that has no permissions: every read gate is unknown, naming the permission; exit 0", async () => {
    const r = await run(
      sb,
      [
        "doctor",
        "explain",
        SCANNER,
        "--ca",
        sb.caCertPath,
        "--client-id",
        NOBODY_APP.appId,
        "--client-secret-env",
        "NOBODY",
        "--json",
      ],
      { NOBODY: NOBODY_APP.secret },
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out) as ExplainReport;
    expect(rep).toMatchObject({ allowed: false, complete: false, blockingGate: null });
    const gate = (id: string) => rep.gates.find((g) => g.id === id)!;
    expect(gate("security_defaults_enabled")).toMatchObject({
      status: "unknown",
      note: expect.stringMatching(/missing permission Policy\.Read\.All/u) as unknown,
    });
    expect(gate("per_user_mfa").status).toBe("unknown");
    expect(gate("smtp_auth_disabled_mailbox")).toMatchObject({
      status: "unknown",
      note: expect.stringMatching(
        /Get-CASMailbox could not be read: missing permission Exchange\.ManageAsApp/u,
      ) as unknown,
    });
    const human = await run(
      sb,
      [
        "doctor",
        "explain",
        SCANNER,
        "--ca",
        sb.caCertPath,
        "--client-id",
        NOBODY_APP.appId,
        "--client-secret-env",
        "NOBODY",
      ],
      { NOBODY: NOBODY_APP.secret },
    );
    expect(human.out).toMatch(/could not be judged/u);
    expect(human.out).toMatch(/unknown {2}security_defaults_enabled/u);
  });
});

describe("a refused token", () => {
  it("probe --auth xoauth2 with a wrong client secret: exit 1 naming the AADSTS error, and its diagnosis", async () => {
    const r = await run(
      sb,
      [
        "doctor",
        "probe",
        "--ca",
        sb.caCertPath,
        "--user",
        SCANNER,
        "--auth",
        "xoauth2",
        "--client-id",
        OAUTH_APP.appId,
        "--client-secret-env",
        "BAD",
      ],
      { BAD: "wrong-secret-value" },
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^m365-smtp-auth doctor probe: cannot get a token for https:\/\/outlook\.office365\.com\/\.default from https:\/\/127\.0\.0\.1:\d+: .*AADSTS7000215/u,
    );
    expect(r.out).toMatch(/^1\. oauth_misconfigured_app_or_sp/mu);
    expect(r.out + r.err).not.toContain("wrong-secret-value");
    noStack(r.err);
  });
});

describe("explain names the tenant.yaml entry, the OAuth path and the schedule", () => {
  const dir = mkdtempSync(join(tmpdir(), "doctor-explain-"));
  const file = join(dir, "tenant.yaml");
  writeFileSync(
    file,
    [
      "securityDefaults:",
      "  enabled: true",
      "smtpAuth:",
      "  organization: disabled",
      "  mailboxes:",
      "    scanner@contoso.com: { state: disabled, owner: facilities@contoso.com, ticket: CHG-1, expires: 2027-06-30 }",
      "",
    ].join("\n"),
  );

  it("cites file:line of the declared mailbox entry that disables SMTP AUTH", async () => {
    sb.store.replace(tenantWith(base, (_t, s) => void (s.smtpClientAuthenticationDisabled = true)));
    const r = await run(sb, [
      "doctor",
      "explain",
      SCANNER,
      "--ca",
      sb.caCertPath,
      "--tenant-file",
      file,
      "--today",
      "2026-11-29",
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(">> BLOCKS   smtp_auth_disabled_mailbox");
    expect(r.out).toContain(`Change ${file}:6 (smtpAuth.mailboxes.scanner@contoso.com) to: state: enabled`);
    expect(r.out).toContain("Resource: pulumi-nodejs:dynamic/m365:MailboxSmtpAuth");
    expect(r.out).toContain("OAuth goes through 'smtp_auth_disabled_mailbox' too");
    expect(r.out).toContain(
      "Basic SMTP AUTH has 32 days left before it is off by default for existing tenants (end of December 2026), and 214–397 days before Microsoft removes it",
    );
  });

  it("security defaults: cites the line, says it weakens the tenant and that OAuth avoids it", async () => {
    sb.store.replace(tenantWith(base, (t) => void (t.securityDefaultsEnabled = true)));
    const r = await run(sb, [
      "doctor",
      "explain",
      SCANNER,
      "--ca",
      sb.caCertPath,
      "--tenant-file",
      file,
      "--json",
      "--today",
      "2027-03-01",
    ]);
    const rep = JSON.parse(r.out) as ExplainReport;
    expect(rep.change).toMatchObject({
      where: "tenant.yaml",
      file,
      line: 2,
      key: "securityDefaults.enabled",
      weakensTenant: true,
      resource: "pulumi-nodejs:dynamic/m365:SecurityDefaults",
    });
    expect(rep.oauth.avoidsWeakening).toBe(true);
    expect(rep.oauth.stillNeeds).toEqual(["oauth_misconfigured_app_or_sp", "send_as_permission"]);
    expect(rep.schedule).toMatchObject({ phase: "off-by-default", daysUntilRemoval: { earliest: 122, latest: 305 } });
    // after December 2026 the schedule no longer vouches for Basic: that gate is unknown without a probe
    expect(rep.gates.find((g) => g.id === "basic_auth_disabled_or_retired")?.status).toBe("unknown");
  });

  it("without the file: shows the snippet to add; a declared passing value is reported as drift", async () => {
    sb.store.replace(tenantWith(base, (_t, s) => void (s.perUserMfa = "enforced")));
    const r = await run(sb, ["doctor", "explain", SCANNER, "--ca", sb.caCertPath]);
    expect(r.out).toContain("Declare mfa.users.scanner@contoso.com in tenant.yaml");
    expect(r.out).toContain("    mfa:\n      users:\n        scanner@contoso.com: disabled");
    const stack = join(ROOT, "stacks", "sandbox", "tenant.yaml");
    const d = await run(sb, ["doctor", "explain", SCANNER, "--ca", sb.caCertPath, "--tenant-file", stack, "--json"]);
    const rep = JSON.parse(d.out) as ExplainReport;
    expect(rep.change).toMatchObject({ drift: true, key: "mfa.users.scanner@contoso.com", file: stack, line: 27 });
  });
});

describe("the bin launcher", () => {
  const machineNode = "/usr/bin/node";
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: "/usr/bin:/bin" };
  delete env.NODE_OPTIONS;

  it("runs under the machine's Node 20 by re-executing Node 24: --help exits 0", () => {
    const v = spawnSync(machineNode, ["--version"], { encoding: "utf8" });
    expect(Number(/^v(\d+)/u.exec(v.stdout)?.[1])).toBeLessThan(24);
    const r = spawnSync(machineNode, [BIN, "--help"], { encoding: "utf8", env, cwd: tmpdir() });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("usage: m365-smtp-auth <command> [options]");
    expect(r.stdout).toContain("doctor explain <mailbox>");
  });

  it("passes arguments, stdin and the exit code through", () => {
    const bad = spawnSync(machineNode, [BIN, "doctor", "probe", "--bogus"], { encoding: "utf8", env });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^m365-smtp-auth doctor probe: Unknown option '--bogus'/u);
    noStack(bad.stderr);
    const diag = spawnSync(machineNode, [BIN, "doctor", "diagnose", "--json"], {
      encoding: "utf8",
      env,
      input:
        "Invalid login: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.",
    });
    expect(diag.status).toBe(0);
    expect((JSON.parse(diag.stdout) as { causes: { id: string }[] }).causes[0]!.id).toBe("smtp_auth_disabled_tenant");
  });

  it("end to end in a child process: explain and probe against the sandbox with its printed env (NODE_EXTRA_CA_CERTS)", async () => {
    sb.store.replace(tenantWith(base, (t) => void (t.securityDefaultsEnabled = true)));
    const childEnv = { ...env, ...sb.env, PW: SCANNER_PASSWORD };
    const e = await spawnAsync(machineNode, [BIN, "doctor", "explain", SCANNER], childEnv);
    expect(e.stderr).toBe("");
    expect(e.status).toBe(0);
    expect(e.stdout).toContain(">> BLOCKS   security_defaults_enabled");
    const p = await spawnAsync(
      machineNode,
      [BIN, "doctor", "probe", "--user", SCANNER, "--password-env", "PW"],
      childEnv,
    );
    expect(p.status).toBe(1);
    expect(p.stdout).toContain("1. security_defaults_enabled");
    expect(p.stdout).not.toContain(SCANNER_PASSWORD);
    onTestFinished(() => sb.store.replace(tenantWith(base)));
  }, 120_000);
});
