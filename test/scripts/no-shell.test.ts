/**
 * Issue 16.4: the user-facing commands need no sh or bash when a Pulumi CLI is on PATH. They run
 * here with a PATH holding one folder with only `node` and `pulumi` in it, as on Windows.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findAllOnPath, findOnPath } from "../../engine/find-on-path.ts";
import { fileBackendUrl } from "../../engine/pulumi-env.ts";

const root = path.join(import.meta.dirname, "..", "..");
const pulumi = path.join(root, ".tools", "bin", "pulumi");

describe("findOnPath", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "which-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (rel: string, mode = 0o755) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), "", { mode });
    return path.join(dir, rel);
  };

  // Execute bits mean nothing on Windows.
  it.skipIf(process.platform === "win32")(
    "finds executables in PATH order, skipping non-executables and folders",
    () => {
      file("a/pulumi", 0o644);
      mkdirSync(path.join(dir, "b", "pulumi"), { recursive: true });
      const c = file("c/pulumi");
      const d = file("d/pulumi");
      const env = { PATH: ["a", "b", "c", "", "c", "d"].map((x) => (x ? path.join(dir, x) : x)).join(":") };
      expect(findAllOnPath("pulumi", { env, platform: "linux" })).toEqual([c, d]);
      expect(findOnPath("pulumi", { env: { PATH: path.join(dir, "a") }, platform: "linux" })).toBeUndefined();
      expect(findOnPath("sub/pulumi", { env, platform: "linux" })).toBeUndefined();
    },
  );

  it("on Windows tries PATHEXT, reads Path in any case, and needs an extension", () => {
    const exe = file("w1/pulumi.EXE");
    file("w2/pulumi");
    const cmd = file("w2/pulumi.CMD");
    const env = { Path: `${path.join(dir, "w2")};${path.join(dir, "w1")}`, PATHEXT: ".COM;.EXE;.BAT;.CMD" };
    expect(findAllOnPath("pulumi", { env, platform: "win32" })).toEqual([cmd, exe]);
    expect(findOnPath("pulumi.EXE", { env, platform: "win32" })).toBe(exe);
  });
});

describe.skipIf(!existsSync(pulumi))("commands with only node and pulumi on PATH (no sh, no bash)", () => {
  const bin = mkdtempSync(path.join(tmpdir(), "only-node-pulumi-"));
  symlinkSync(process.execPath, path.join(bin, "node"));
  symlinkSync(pulumi, path.join(bin, "pulumi"));
  afterAll(() => rmSync(bin, { recursive: true, force: true }));
  const env = { PATH: bin, HOME: bin };
  const run = (args: string[]) => {
    const r = spawnSync("node", args, { cwd: root, env, encoding: "utf8" });
    return { code: r.status, out: r.stdout, err: r.stderr, error: r.error };
  };

  it("really has no shell on that PATH", () => {
    expect(spawnSync("sh", ["-c", "true"], { env }).error).toMatchObject({ code: "ENOENT" });
    expect(spawnSync("bash", ["-c", "true"], { env }).error).toMatchObject({ code: "ENOENT" });
  });

  it("npm run pulumi -- version (node scripts/pulumi.ts version)", () => {
    const r = run(["scripts/pulumi.ts", "version"]);
    expect([r.code, r.err]).toEqual([0, ""]);
    expect(r.out).toMatch(/^v3\.\d+\.\d+\n$/);
  });

  it("doctor diagnose, export --help and ci:stacks", () => {
    const d = run(["cli/main.ts", "doctor", "diagnose", "535 5.7.3 Authentication unsuccessful"]);
    expect(d.code, d.err).toBe(0);
    expect(d.out).toContain("1. wrong_credentials  (46%)");
    const e = run(["cli/main.ts", "export", "--help"]);
    expect(e.code, e.err).toBe(0);
    expect(e.out).toMatch(/^usage: m365-smtp-auth export/);
    const s = run(["cli/pipeline/main.ts", "stacks"]);
    // A JSON array of stacks; which ones depends on the stack configs this checkout has.
    expect([s.code, s.err]).toEqual([0, ""]);
    expect(JSON.parse(s.out)).toBeInstanceOf(Array);
  });
});

describe("fileBackendUrl on Windows", () => {
  it("writes the drive path with forward slashes, as Pulumi's file backend takes it", () => {
    expect(fileBackendUrl("C:\\Users\\it\\m365-smtp-auth\\.state", "win32")).toBe(
      "file://C:/Users/it/m365-smtp-auth/.state?metadata=skip",
    );
    expect(fileBackendUrl("/home/it/.state", "linux")).toBe("file:///home/it/.state?metadata=skip");
  });
});
