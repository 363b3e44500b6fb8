import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_TENANT_YAML, startProgram, type ProgramUnderTest } from "../helpers/program.ts";

/** End to end through the real CLI: the program converges the sandbox tenant, reads drift, restores. */

const SCANNER = "scanner@contoso.com";

interface PreviewJson {
  steps?: {
    op: string;
    urn: string;
    oldState?: { inputs?: Record<string, unknown> };
    newState?: { inputs?: Record<string, unknown> };
  }[];
  changeSummary?: Record<string, number>;
}

/** The steps that change something, with the input properties whose values differ. */
const changes = (stdout: string) =>
  ((JSON.parse(stdout) as PreviewJson).steps ?? [])
    .filter((s) => s.op !== "same" && s.op !== "refresh")
    .map((s) => {
      const olds = s.oldState?.inputs ?? {};
      const news = s.newState?.inputs ?? {};
      const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter(
        (k) => k !== "__provider" && JSON.stringify(olds[k]) !== JSON.stringify(news[k]),
      );
      return { op: s.op, name: s.urn.split("::").pop(), diff: s.op === "update" ? keys.sort() : [] };
    });

async function sendAsScanner(program: ProgramUnderTest): Promise<string> {
  const { sandbox } = program;
  const transport = nodemailer.createTransport({
    host: sandbox.smtp!.host,
    port: sandbox.smtp!.port,
    requireTLS: true,
    tls: { ca: sandbox.caPem, servername: "localhost" },
    auth: { user: SCANNER, pass: sandbox.store.findUser(SCANNER)!.smtpPassword! },
  });
  try {
    const info = await transport.sendMail({ from: SCANNER, to: "alice@contoso.com", subject: "scan", text: "x" });
    return info.response;
  } catch (err) {
    return (err as { response?: string }).response ?? String(err);
  } finally {
    transport.close();
  }
}

describe("converging the support article's failing tenant", { timeout: 240_000 }, () => {
  let program: ProgramUnderTest;
  const outputs: string[] = [];
  const record = <T extends { stdout: string; stderr: string }>(r: T) => {
    outputs.push(r.stdout, r.stderr);
    return r;
  };

  beforeAll(async () => {
    program = await startProgram();
  });
  afterAll(() => program.stop());

  it("the device fails before", async () => {
    expect(await sendAsScanner(program)).toMatch(
      /^535 5\.7\.139 Authentication unsuccessful, user is locked by your organization's security defaults policy\./,
    );
  });

  it("previews the article's three steps and whether the device will send", async () => {
    const preview = record(await program.ok(["preview", "--json"]));
    expect(
      changes(preview.stdout)
        .map((c) => `${c.op} ${c.name}`)
        .sort(),
    ).toEqual([
      "create m365-smtp-auth-test",
      `create mailbox-${SCANNER}`,
      `create mfa-${SCANNER}`,
      "create organization-smtp-auth",
      "create security-defaults",
    ]);
    // Issue 15.5: turning security defaults off names everyone it leaves without MFA.
    const warnings = (
      (JSON.parse(preview.stdout) as { diagnostics?: { severity: string; message: string }[] }).diagnostics ?? []
    )
      .filter((d) => d.severity === "warning")
      .map((d) => d.message.trim());
    expect(warnings).toContain(
      "warning: Security defaults off: 4 of 6 accounts will have no MFA: admin@contoso.com, alice@contoso.com, bob@contoso.com, contractor@contoso.com; declared without MFA in tenant.yaml: scanner@contoso.com. Cover them with mfa.others: enforced, per-user MFA, or conditionalAccessBaseline: { state: on }.",
    );
  });

  it("up converges the tenant, records prior values and the device then sends", async () => {
    record(await program.ok(["up", "--yes", "--skip-preview"]));
    const state = program.sandbox.store.read();
    const scanner = program.sandbox.store.findUser(SCANNER)!;
    expect(state.securityDefaultsEnabled).toBe(false);
    expect(state.organizationSmtpClientAuthenticationDisabled).toBe(true);
    expect(scanner.smtpClientAuthenticationDisabled).toBe(false);
    expect(scanner.perUserMfa).toBe("disabled");
    expect(await sendAsScanner(program)).toMatch(/^250 2\.0\.0 OK /);

    const out = JSON.parse(record(await program.ok(["stack", "output", "--json"])).stdout);
    expect(out.effective).toEqual({
      [SCANNER]: {
        mechanism: "basic",
        status: "sends",
        canSend: true,
        blockedBy: null,
        reason: "every gate passes",
        unknown: [],
      },
    });
    expect(out.mfaCoverage.withoutMfa).toEqual({
      count: 5,
      declaredCount: 1,
      users: ["admin@contoso.com", "alice@contoso.com", "bob@contoso.com", "contractor@contoso.com", SCANNER],
      declared: [SCANNER],
    });
  });

  it("a second preview, refreshed, shows no changes", async () => {
    const preview = record(await program.ok(["preview", "--refresh", "--expect-no-changes", "--json"]));
    expect(changes(preview.stdout)).toEqual([]);
  });

  it("keeps each managed item's state small", async () => {
    const exported = JSON.parse(record(await program.ok(["stack", "export"])).stdout);
    const items = (exported.deployment.resources as { type: string }[]).filter((r) =>
      r.type.startsWith("pulumi-nodejs:dynamic/m365:"),
    );
    expect(items).toHaveLength(4);
    for (const item of items) expect(JSON.stringify(item).length).toBeLessThan(2048);
  });

  it("an out-of-band change shows as exactly that drift in preview --refresh", async () => {
    const scanner = program.sandbox.store.findUser(SCANNER)!;
    program.sandbox.store.updateUser(scanner.id, { smtpClientAuthenticationDisabled: true });
    const preview = record(await program.ok(["preview", "--refresh", "--json"]));
    expect(changes(preview.stdout)).toEqual([{ op: "update", name: `mailbox-${SCANNER}`, diff: ["state"] }]);
    const strict = record(await program.pulumi(["preview", "--refresh", "--expect-no-changes"]));
    expect(strict.code).not.toBe(0);
    record(await program.ok(["up", "--yes", "--refresh", "--skip-preview"]));
    expect(program.sandbox.store.findUser(SCANNER)!.smtpClientAuthenticationDisabled).toBe(false);
  });

  it("enabled per-user MFA that became enforced is not drift", async () => {
    program.writeTenantYaml(
      readFileSync(path.join(program.project.dir, "stacks/test/tenant.yaml"), "utf8").replace(
        `    ${SCANNER}: disabled`,
        `    ${SCANNER}: enabled`,
      ),
    );
    const before = program.sandbox.store.findUser(SCANNER)!;
    program.sandbox.store.updateUser(before.id, { mfaMethodRegistered: false });
    record(await program.ok(["up", "--yes", "--skip-preview"]));
    const scanner = program.sandbox.store.findUser(SCANNER)!;
    expect(scanner.perUserMfa).toBe("enabled");
    // The user registers a method: Graph now reads enforced.
    program.sandbox.store.updateUser(scanner.id, { mfaMethodRegistered: true });
    const preview = record(await program.ok(["preview", "--refresh", "--json"]));
    expect(changes(preview.stdout)).toEqual([]);
  });

  it("destroy puts every prior value back", async () => {
    record(await program.ok(["destroy", "--yes", "--skip-preview"]));
    const state = program.sandbox.store.read();
    const scanner = program.sandbox.store.findUser(SCANNER)!;
    expect(state.securityDefaultsEnabled).toBe(true);
    expect(state.organizationSmtpClientAuthenticationDisabled).toBe(true);
    expect(scanner.smtpClientAuthenticationDisabled).toBe(true);
    expect(scanner.perUserMfa).toBe("enforced");
  });

  it("no secret or token appears in the state, its history, or anything the CLI printed", async () => {
    const secret = program.sandbox.env.M365_CLIENT_SECRET!;
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else files.push(readFileSync(p, "utf8"));
      }
    };
    walk(program.project.backendDir);
    expect(files.length).toBeGreaterThan(2);
    for (const text of [...files, ...outputs]) {
      expect(text).not.toContain(secret);
      // Access tokens are JWTs: a base64url header starting {"alg" or {"typ".
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
    }
  });
});

describe("failures", { timeout: 240_000 }, () => {
  it("a read that keeps failing fails the run and reports no drift", async () => {
    const program = await startProgram({ config: { maxAttempts: "2", retryBudgetSeconds: "3" } });
    try {
      await program.ok(["up", "--yes", "--skip-preview"]);
      program.sandbox.faults.add({ kind: "503", match: "Get-CASMailbox" });
      const preview = await program.pulumi(["preview", "--refresh"]);
      expect(preview.code).not.toBe(0);
      expect(preview.stdout).toContain("answered 503");
      expect(preview.stdout).not.toMatch(/~ +pulumi-nodejs:dynamic\/m365:MailboxSmtpAuth .*update/);
      expect(preview.stdout).not.toMatch(/\d+ to update/);
    } finally {
      await program.stop();
    }
  });

  it("with 20% of calls failing transiently, up converges and finds no false drift", async () => {
    const program = await startProgram({ sandbox: { faultSeed: 7 } });
    try {
      for (const kind of ["429", "503", "504", "reset"] as const) program.sandbox.faults.add({ kind, rate: 0.05 });
      await program.ok(["up", "--yes", "--skip-preview"]);
      await program.ok(["preview", "--refresh", "--expect-no-changes"]);
      const faulted = program.sandbox.requestLog.entries().filter((e) => e.fault).length;
      expect(faulted).toBeGreaterThan(0);
      program.sandbox.faults.clear();
      expect(program.sandbox.store.read().securityDefaultsEnabled).toBe(false);
    } finally {
      await program.stop();
    }
  });

  it("a missing permission is named", async () => {
    // The read-only audit app of the fixture: it may read security defaults but not change them.
    const program = await startProgram({
      config: { clientId: "0a7f3e94-1b2c-4d5e-8f60-7a8b9c0d1e21" },
      tenantYaml: SANDBOX_TENANT_YAML.split("smtpAuth:")[0],
    });
    try {
      await program.ok(["config", "set", "--secret", "m365-smtp-auth:clientSecret", "sandbox-reader-secret"]);
      const up = await program.pulumi(["up", "--yes", "--skip-preview"]);
      expect(up.code).not.toBe(0);
      expect(up.stdout).toContain(
        "the app registration lacks permission for graph.securityDefaults.write: grant the Microsoft Graph application permission Policy.ReadWrite.SecurityDefaults with admin consent",
      );
      expect(up.stdout).not.toContain("sandbox-reader-secret");
    } finally {
      await program.stop();
    }
  });
});

describe("provider code", { timeout: 240_000 }, () => {
  it("refresh and delete run the code of the current checkout, not the code in the state", async () => {
    const program = await startProgram();
    try {
      await program.ok(["up", "--yes", "--skip-preview"]);
      const runtime = path.join(program.project.dir, "providers", "runtime.ts");
      const signature = "export async function dispatch(kind: string, call: ProviderCall): Promise<never> {";
      const code = readFileSync(runtime, "utf8");
      expect(code).toContain(signature);
      writeFileSync(
        runtime,
        code.replace(
          signature,
          `${signature}
  if (call.method === "read" || call.method === "delete") throw new Error(\`new provider code ran \${call.method} for \${kind}\`);`,
        ),
      );
      const refresh = await program.pulumi(["refresh", "--yes", "--skip-preview"]);
      expect(refresh.code).not.toBe(0);
      expect(refresh.stdout).toContain("new provider code ran read for MailboxSmtpAuth");
      const destroy = await program.pulumi(["destroy", "--yes", "--skip-preview"]);
      expect(destroy.code).not.toBe(0);
      expect(destroy.stdout).toMatch(/new provider code ran delete for \w+/);
    } finally {
      await program.stop();
    }
  });
});

describe("malformed tenant.yaml", { timeout: 600_000 }, () => {
  const corpus = path.join(import.meta.dirname, "..", "desired", "malformed");
  const files = readdirSync(corpus).filter((f) => f.endsWith(".yaml"));

  it("has at least 30 cases", () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  it("each gives its error with file, line and key, exits non-zero and makes no API call", async () => {
    const program = await startProgram();
    try {
      for (const file of files) {
        const text = readFileSync(path.join(corpus, file), "utf8");
        // Expiry messages name today's date, which the unit tests pin and the CLI does not.
        const expected = [...text.matchAll(/^# expect: (\d+:\d+) (.*)$/gm)].map(
          (m) => `stacks/test/tenant.yaml:${m[1]} ${m[2]!.split(" (today is")[0]}`,
        );
        program.writeTenantYaml(text);
        program.sandbox.requestLog.clear();
        const preview = await program.pulumi(["preview"]);
        expect.soft(preview.code, file).not.toBe(0);
        for (const line of expected) expect.soft(preview.stdout, file).toContain(line);
        expect.soft(program.apiCalls(), file).toBe(0);
      }
    } finally {
      await program.stop();
    }
  });
});

describe("a killed run", { timeout: 240_000 }, () => {
  it("killing the CLI in the middle of up and running it again converges with nothing lost", async () => {
    // Realistic latency: Exchange cmdlets take hundreds of milliseconds, so the run is caught mid-way.
    const program = await startProgram({ sandbox: { latency: "realistic" } });
    try {
      const child = program.start(["up", "--yes", "--skip-preview"]);
      let printed = "";
      child.stdout!.on("data", (d: Buffer) => (printed += d.toString()));
      child.stderr!.resume();
      const exited = new Promise((resolve) => child.on("exit", resolve));
      // Kill once one item is recorded and another one's write has reached the tenant.
      const deadline = Date.now() + 90_000;
      const writes = () =>
        program.sandbox.requestLog
          .entries()
          .filter((e) => e.method === "PATCH" || /InvokeCommand Set-/.test(e.endpoint));
      while (!(/ created \(/.test(printed) && writes().length >= 2)) {
        if (Date.now() > deadline) throw new Error(`up never got half-way:\n${printed}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      process.kill(-child.pid!, "SIGKILL");
      await exited;

      // The recovery the README gives ("Killed runs"): remove the file backend's lock, drop the pending
      // creates the killed run left (creates adopt, so doing them again is safe), run up again.
      await program.ok(["cancel", "--yes"]);
      await program.ok(["refresh", "--yes", "--clear-pending-creates"]);
      const again = await program.pulumi(["up", "--yes", "--skip-preview"]);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      await program.ok(["preview", "--refresh", "--expect-no-changes"]);
      const state = program.sandbox.store.read();
      const scanner = program.sandbox.store.findUser(SCANNER)!;
      expect(state.securityDefaultsEnabled).toBe(false);
      expect(scanner.smtpClientAuthenticationDisabled).toBe(false);
      expect(scanner.perUserMfa).toBe("disabled");
      const exported = JSON.parse((await program.ok(["stack", "export"])).stdout);
      const names = (exported.deployment.resources as { urn: string }[]).map((r) => r.urn.split("::").pop()).sort();
      expect(names).toEqual(
        [
          "default",
          `mailbox-${SCANNER}`,
          `mfa-${SCANNER}`,
          "m365-smtp-auth-test",
          "organization-smtp-auth",
          "security-defaults",
        ].sort(),
      );
      expect(exported.deployment.pending_operations ?? []).toEqual([]);
    } finally {
      await program.stop();
    }
  });
});
