/**
 * Issue 16.8: no dead ends after `npm start`. The sandbox resumes on its recorded ports and prints
 * the CA line; a busy port, a stopped sandbox and a policy pack without its dependencies each get
 * one sentence; `npm start` shows its preview's progress. Real processes throughout.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { previewProgress } from "../../scripts/preview-progress.ts";
import { checkSandboxStack, stackOf } from "../../scripts/sandbox-stack.ts";

const root = path.join(import.meta.dirname, "..", "..");
const node = process.execPath;

/** Starts `node sandbox/main.ts args` in `cwd` and resolves with its output once it is ready. */
function startSandboxProcess(cwd: string, args: string[]): Promise<{ child: ChildProcess; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [path.join(root, "sandbox", "main.ts"), ...args], { cwd });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("Ctrl-C stops the sandbox.")) resolve({ child, out });
    });
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => reject(new Error(`sandbox exited ${code}: ${out}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.once("exit", () => resolve());
    child.kill("SIGINT");
  });
}

describe("npm run sandbox -- --resume", () => {
  const cwd = mkdtempSync(path.join(tmpdir(), "resume-"));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it("records its ports, prints the CA line and the next command, and keeps the ports on the next run", async () => {
    const first = await startSandboxProcess(cwd, ["--resume"]);
    const ca = path.join(cwd, ".sandbox", "ca.pem");
    const ports = JSON.parse(readFileSync(path.join(cwd, ".sandbox", "ports.json"), "utf8")) as {
      https: number;
      smtp: number;
    };
    expect(first.out).toContain(`  CA certificate  .sandbox/ca.pem\n`);
    expect(first.out).toContain(
      `Next, in another terminal at the repository root (the sandbox stack was set up by npm start):\n  export NODE_EXTRA_CA_CERTS=${ca}\n  npm run preview -- --stack sandbox\n`,
    );
    expect(first.out).toContain(`export M365_AUTHORITY_HOST=https://127.0.0.1:${ports.https}\n`);

    // A second one on the same recorded ports: one sentence naming the file and what to do.
    const busy = spawnSync(node, [path.join(root, "sandbox", "main.ts"), "--resume"], { cwd, encoding: "utf8" });
    expect(busy.status).toBe(1);
    expect(busy.stderr).toBe(
      `npm run sandbox: port ${ports.https} recorded in .sandbox/ports.json is in use, most likely by a sandbox that is still running (npm start or npm run sandbox in another terminal): stop that one, or delete .sandbox/ports.json to start on new ports (then run npm start once more so that the sandbox stack records them).\n`,
    );
    await stop(first.child);

    const again = await startSandboxProcess(cwd, ["--resume"]);
    expect(again.out).toContain(`export M365_AUTHORITY_HOST=https://127.0.0.1:${ports.https}\n`);
    expect(again.out).toContain(`SMTP            127.0.0.1:${ports.smtp} (STARTTLS)`);
    await stop(again.child);
  });

  it("describes every flag in --help", () => {
    const r = spawnSync(node, [path.join(root, "sandbox", "main.ts"), "--help"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    for (const flag of [
      "--resume",
      "--port",
      "--smtp-port",
      "--fixture",
      "--state-dir",
      "--loose",
      "--latency",
      "--generate",
      "--no-throttle",
      "--admin-token",
      "--help",
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^  (-h, )?${flag}\\b.* {2,}\\S`, "m"));
    }
  });
});

describe("preview and up on the sandbox stack by hand", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "sandbox-stack-"));
  let server: Server | undefined;
  afterAll(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("finds the stack in the arguments", () => {
    expect(stackOf(["preview", "--stack", "sandbox"])).toBe("sandbox");
    expect(stackOf(["up", "--stack=sandbox-oauth", "--yes"])).toBe("sandbox-oauth");
    expect(stackOf(["preview", "-s", "prod"])).toBe("prod");
    expect(stackOf(["preview"])).toBeUndefined();
  });

  it("says to start the sandbox when it is stopped, and trusts its CA when it runs", async () => {
    const args = ["preview", "--policy-pack", "policies", "--stack", "sandbox"];
    expect(await checkSandboxStack(args, {}, dir)).toEqual({
      env: {},
      problem: "stack sandbox belongs to the sandbox tenant, which has never run here: run npm start first.",
    });
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    mkdirSync(path.join(dir, ".sandbox"));
    writeFileSync(path.join(dir, ".sandbox", "ports.json"), JSON.stringify({ https: port, smtp: 0 }));
    writeFileSync(path.join(dir, ".sandbox", "ca.pem"), "");
    expect(await checkSandboxStack(args, { PATH: "p" }, dir)).toEqual({
      env: { PATH: "p", NODE_EXTRA_CA_CERTS: path.join(dir, ".sandbox", "ca.pem") },
    });
    // The caller's own CA file (a corporate bundle) is kept, with the sandbox's CA added to it.
    writeFileSync(path.join(dir, ".sandbox", "ca.pem"), "SANDBOX CA\n");
    writeFileSync(path.join(dir, "corporate.pem"), "CORPORATE CA\n");
    const bundle = path.join(dir, ".sandbox", "ca-with-node-extra-ca-certs.pem");
    expect(await checkSandboxStack(args, { NODE_EXTRA_CA_CERTS: path.join(dir, "corporate.pem") }, dir)).toEqual({
      env: { NODE_EXTRA_CA_CERTS: bundle },
    });
    expect(readFileSync(bundle, "utf8")).toBe("CORPORATE CA\nSANDBOX CA\n");
    // Other stacks and commands are left alone.
    expect(await checkSandboxStack(["preview", "--stack", "prod"], {}, dir)).toEqual({ env: {} });
    expect(await checkSandboxStack(["config", "--stack", "sandbox"], {}, dir)).toEqual({ env: {} });
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    expect(await checkSandboxStack(args, {}, dir)).toEqual({
      env: {},
      problem: `the sandbox tenant for stack sandbox is not running (nothing listens on 127.0.0.1:${port}; npm start stops it when it ends): start it with 'npm run sandbox -- --resume' in another terminal, then run this again.`,
    });
  });

  it("npm run preview with a policy pack whose dependencies are missing: one sentence, exit 1", () => {
    const pack = path.join(dir, "pack");
    mkdirSync(pack);
    writeFileSync(path.join(pack, "package.json"), "{}");
    const r = spawnSync(node, [path.join(root, "scripts", "pulumi.ts"), "preview", "--policy-pack", pack], {
      cwd: root,
      encoding: "utf8",
    });
    expect([r.status, r.stdout]).toEqual([1, ""]);
    expect(r.stderr).toBe(
      `pulumi: the policy pack's dependencies are not installed (${path.join(pack, "node_modules")} has no @pulumi/policy): run npm ci at the repository root, which installs them too (or npm ci --prefix policies)\n`,
    );
  });
});

describe("npm start's preview progress", () => {
  it("prints each planned change as it streams, keeps the counts, and the failures as single lines", () => {
    const printed: string[] = [];
    const progress = previewProgress((l) => printed.push(l), 2);
    const events = readFileSync(path.join(root, "test", "fixtures", "preview", "compliant-create.jsonl"), "utf8");
    for (const line of events.split("\n")) progress.line(line);
    expect(printed).toEqual([
      "create OrganizationSmtpAuth organization-smtp-auth",
      "create MailboxSmtpAuth mailbox-printer@contoso.com",
      "… (more changes: see the summary)",
    ]);
    expect(progress.changes()).toEqual({ create: 9 }); // the summary counts the stack itself too
    const failed = previewProgress(() => {});
    failed.line(
      JSON.stringify({ diagnosticEvent: { severity: "error", message: "\u001b[31mboom\u001b[0m\n  at x\n" } }),
    );
    failed.line(JSON.stringify({ diagnosticEvent: { severity: "error", message: "preview failed" } }));
    failed.line("not json");
    expect(failed.problems()).toEqual(["boom at x"]);
  });

  it("prints each of the program's warnings once, on one line, before the change is applied", () => {
    const printed: string[] = [];
    const progress = previewProgress((l) => printed.push(l));
    const warning = {
      diagnosticEvent: {
        severity: "warning",
        message: "\u001b[33mSecurity defaults off: 4 of 6 accounts will have no MFA:\n  admin@contoso.com\n",
      },
    };
    progress.line(JSON.stringify(warning));
    progress.line(JSON.stringify(warning));
    expect(printed).toEqual(["warning: Security defaults off: 4 of 6 accounts will have no MFA: admin@contoso.com"]);
  });
});

describe("help texts through the real CLI", () => {
  const cli = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(node, [path.join(root, "cli", "main.ts"), ...args], {
      cwd: root,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it("lists validate and preview-comment, and runs preview-comment with the run's link", () => {
    const help = cli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("\n  validate [FILE…]   ");
    expect(help.out).toContain("\n  preview-comment [FILE]   ");
    const fixture = path.join(root, "test", "fixtures", "preview", "compliant-create.jsonl");
    const r = cli(["preview-comment", fixture, "--today", "2026-11-29"], {
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "contoso/tenants",
      GITHUB_RUN_ID: "12",
    });
    expect([r.code, r.err]).toEqual([0, ""]);
    expect(r.out.split("\n").slice(0, 6)).toEqual([
      "<!-- m365-smtp-auth preview-comment stack=dev -->",
      "### Pulumi preview: `dev`",
      "",
      "**Stack `dev`:** 8 to create · ✅ policies passed",
      "",
      "[The pipeline run](https://github.com/contoso/tenants/actions/runs/12) has the full preview (`preview.json`, `comment-full.md`).",
    ]);
  });

  it("ends every help with a newline and cites no file outside the repository", () => {
    for (const args of [
      ["export", "--help"],
      ["doctor", "explain", "--help"],
      ["validate", "--help"],
      ["preview-comment", "--help"],
    ]) {
      const r = cli(args);
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.out.endsWith("\n"), args.join(" ")).toBe(true);
      expect(r.out, args.join(" ")).not.toContain("DESIGN.md");
    }
  });
});
