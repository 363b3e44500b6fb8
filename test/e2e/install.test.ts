/**
 * Issue 16.6: the CLI works from a packed tarball installed globally, away from the repository.
 * `npm pack` (prepack builds dist/), `npm install -g --prefix <tmp> <tgz>` from the npm registry
 * (its dependencies), then the installed bin in a temporary working directory: on Node 24, and on an
 * older Node through the re-exec to the package's own Node 24. Slow (a real install): in test/e2e.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.join(import.meta.dirname, "..", "..");
const node24 = process.execPath;

/** npm's own CLI script, run with Node 24 so that the install sees a supported Node. */
function npmCli(): string {
  const fromEnv = process.env.npm_execpath;
  if (fromEnv && /npm-cli\.js$/.test(fromEnv)) return fromEnv;
  const r = spawnSync("npm", ["root", "-g"], { encoding: "utf8" });
  return path.join(r.stdout.trim(), "npm", "bin", "npm-cli.js");
}

function show(r: SpawnSyncReturns<string>): string {
  return `exit ${r.status}\n${r.stdout}\n${r.stderr}`;
}

describe("the packed CLI, installed globally", { timeout: 600_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), "install-"));
  const prefix = path.join(dir, "prefix");
  const cwd = path.join(dir, "elsewhere");
  let install: SpawnSyncReturns<string>;
  const bin = () => path.join(prefix, "bin", process.platform === "win32" ? "m365-smtp-auth.cmd" : "m365-smtp-auth");

  beforeAll(() => {
    mkdirSync(cwd);
    const env = { ...process.env, PATH: `${path.dirname(node24)}${path.delimiter}${process.env.PATH ?? ""}` };
    const pack = spawnSync(node24, [npmCli(), "pack", "--pack-destination", dir], { cwd: root, env, encoding: "utf8" });
    if (pack.status !== 0) throw new Error(`npm pack failed: ${show(pack)}`);
    const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz"));
    if (!tgz) throw new Error(`npm pack wrote no tarball: ${show(pack)}`);
    install = spawnSync(
      node24,
      [
        npmCli(),
        "install",
        "-g",
        "--prefix",
        prefix,
        path.join(dir, tgz),
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
      ],
      { cwd, env, encoding: "utf8" },
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("installs without an engine warning, and packs no source tests or sandbox", () => {
    expect(install.status, show(install)).toBe(0);
    expect(install.stdout + install.stderr).not.toContain("EBADENGINE");
    const installed = path.join(prefix, "lib", "node_modules", "m365-smtp-auth");
    expect(readdirSync(installed).sort()).toEqual(expect.arrayContaining(["cli", "dist", "docs", "package.json"]));
    expect(readdirSync(installed)).not.toContain("test");
    expect(readdirSync(path.join(installed, "cli"))).toEqual(expect.arrayContaining(["bin.js"]));
    expect(readdirSync(path.join(installed, "cli")).filter((f) => f.endsWith(".ts"))).toEqual([]);
  });

  it("diagnoses a pasted error from another directory", () => {
    const r = spawnSync(bin(), ["doctor", "diagnose", "535 5.7.3 Authentication unsuccessful"], {
      cwd,
      encoding: "utf8",
    });
    expect(r.status, show(r)).toBe(0);
    // The installed package answers exactly as the clone's CLI does.
    const clone = spawnSync(
      process.execPath,
      [path.join(root, "cli", "main.ts"), "doctor", "diagnose", "535 5.7.3 Authentication unsuccessful"],
      {
        encoding: "utf8",
      },
    );
    expect(r.stdout).toBe(clone.stdout);
    expect(r.stdout).toMatch(/^1\. wrong_credentials {2}\(\d+%\) {2}Wrong user name or password/mu);
    // A text no rule reads takes its leads from the word table, a data file the package build copies.
    const words = "the scanner says send failed since Monday, webmail works";
    const lead = spawnSync(bin(), ["doctor", "diagnose", words], { cwd, encoding: "utf8" });
    expect(lead.status, show(lead)).toBe(0);
    const cloneLead = spawnSync(process.execPath, [path.join(root, "cli", "main.ts"), "doctor", "diagnose", words], {
      encoding: "utf8",
    });
    expect(lead.stdout).toBe(cloneLead.stdout);
    expect(lead.stdout).toContain("a lead from its words only");
  });

  it("runs on an older Node by re-executing with the package's own Node 24", () => {
    // A PATH whose only node is the system's (older) one, when the machine has one.
    const system = ["/usr/bin/node", "/usr/local/bin/node"].find((p) => spawnSync(p, ["--version"]).status === 0);
    if (!system) return;
    const version = spawnSync(system, ["--version"], { encoding: "utf8" }).stdout.trim();
    if (Number(version.slice(1).split(".")[0]) >= 24) return;
    const onlyOld = path.join(dir, "old-node-bin");
    mkdirSync(onlyOld, { recursive: true });
    symlinkSync(system, path.join(onlyOld, "node"));
    writeFileSync(path.join(cwd, "empty.yaml"), "# nothing yet\n");
    const r = spawnSync(bin(), ["validate", "empty.yaml", "--today", "2026-11-30"], {
      cwd,
      env: { PATH: onlyOld, HOME: dir },
      encoding: "utf8",
    });
    expect(r.stderr).toBe(
      "empty.yaml: 1 problem in the desired state; nothing was sent to the tenant\n" +
        "  empty.yaml:1:1 the file is empty; declare at least one of securityDefaults, smtpAuth, mfa, oauth, conditionalAccessBaseline (an absent section is left unmanaged)\n",
    );
    expect(r.status).toBe(1);
  });

  it("exports, validates and prints help without the repository", () => {
    writeFileSync(path.join(cwd, "ok.yaml"), "smtpAuth:\n  organization: disabled\n");
    const v = spawnSync(bin(), ["validate", "ok.yaml"], { cwd, encoding: "utf8" });
    expect([v.status, v.stdout]).toEqual([0, "ok.yaml: valid (organisation SMTP AUTH)\n"]);
    const e = spawnSync(bin(), ["export", "--help"], { cwd, encoding: "utf8" });
    expect(e.status, show(e)).toBe(0);
    expect(e.stdout).toMatch(/^usage: m365-smtp-auth export/);
  });
});
