/**
 * `npm start` passes no secret on a command line (issue 17 item 8): every `pulumi` it runs goes
 * through a logging wrapper, and no argument of any of them holds a client secret of the sandbox.
 * Run again with the sandbox's certificates aged eight days, it still works (issue 17 item 5).
 */
import { spawn } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { projectRoot, resolvePulumiBinary } from "../../engine/pulumi-env.ts";
import { fixturePath, loadFixture } from "../../sandbox/store/fixture.ts";
import { createPki } from "../../sandbox/tls.ts";

// What scripts/start.ts needs of the checkout, copied so that its .sandbox/, .state/ and stack files stay in the copy.
const ENTRIES = [
  "package.json",
  "Pulumi.yaml",
  "index.ts",
  "m365",
  "tenant",
  "engine",
  "program",
  "providers",
  "desired",
  "sandbox",
  "cli",
  "scripts",
  "stacks",
  "policies",
];

describe("npm start", { timeout: 400_000 }, () => {
  it("converges with the client secret on stdin, never in a pulumi argument; a week later, still", async () => {
    const real = resolvePulumiBinary();
    mkdirSync(path.join(projectRoot, ".tmp"), { recursive: true });
    const dir = mkdtempSync(path.join(projectRoot, ".tmp", "start-"));
    try {
      for (const entry of ENTRIES) cpSync(path.join(projectRoot, entry), path.join(dir, entry), { recursive: true });
      // A `pulumi` first on PATH that records its arguments and runs the real CLI; the language host
      // and the provider launcher beside it, as start.ts looks for them next to the CLI.
      const bin = path.join(dir, "bin");
      const log = path.join(dir, "argv.log");
      mkdirSync(bin);
      writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`);
      chmodSync(path.join(bin, "pulumi"), 0o755);
      for (const f of ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "exit-with-parent.cjs"]) {
        const from = path.join(path.dirname(real), f);
        if (existsSync(from)) symlinkSync(from, path.join(bin, f));
      }

      const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` };
      delete env.PULUMI_BACKEND_URL;
      delete env.PULUMI_CONFIG_PASSPHRASE;
      delete env.PULUMI_HOME;
      const runStart = () =>
        new Promise<{ code: number; out: string }>((resolve, reject) => {
          const child = spawn(process.execPath, [path.join(dir, "scripts", "start.ts")], { cwd: dir, env });
          let out = "";
          child.stdout.on("data", (d: Buffer) => (out += d.toString()));
          child.stderr.on("data", (d: Buffer) => (out += d.toString()));
          child.on("error", reject);
          child.on("close", (code) => resolve({ code: code ?? -1, out }));
        });
      const run = await runStart();
      expect(run.code, run.out).toBe(0);
      expect(run.out).toContain("3. The device tries again");
      // Issue 15.5: before the apply, the article's blind spot is named: who else loses MFA.
      expect(run.out).toContain(
        "warning: Security defaults off: 4 of 6 accounts will have no MFA: admin@contoso.com, alice@contoso.com, bob@contoso.com, contractor@contoso.com; declared without MFA in tenant.yaml: scanner@contoso.com.",
      );

      const argv = readFileSync(log, "utf8").split("\n").filter(Boolean);
      expect(argv).toContainEqual(
        expect.stringMatching(/^config set --secret m365-smtp-auth:clientSecret --stack sandbox /),
      );
      expect(argv).toContainEqual(expect.stringMatching(/^up --yes --refresh --skip-preview /));
      const secrets = loadFixture(fixturePath("contoso-failing")).apps.flatMap((a) => a.secrets);
      expect(secrets.length).toBeGreaterThan(0);
      for (const secret of secrets) {
        expect(argv.filter((a) => a.includes(secret))).toEqual([]);
        expect(run.out).not.toContain(secret);
      }
      // And the stack file holds it encrypted.
      expect(readFileSync(path.join(dir, "Pulumi.sandbox.yaml"), "utf8")).toMatch(
        /m365-smtp-auth:clientSecret:\n\s+secure: v1:/,
      );

      // Issue 17 item 5: eight days later the persisted certificates have expired (what
      // reliability-scripts/age-sandbox-pki.ts writes); the next start renews them, says so, and works.
      vi.useFakeTimers({ now: Date.now() - 8 * 86_400_000, toFake: ["Date"] });
      let aged;
      try {
        aged = createPki(["127.0.0.1", "localhost"], { fresh: true });
      } finally {
        vi.useRealTimers();
      }
      writeFileSync(path.join(dir, ".sandbox", "ca.pem"), aged.caPem);
      writeFileSync(path.join(dir, ".sandbox", "server-cert.pem"), aged.certPem);
      writeFileSync(path.join(dir, ".sandbox", "server-key.pem"), aged.keyPem);
      const again = await runStart();
      expect(again.code, again.out).toBe(0);
      expect(again.out).toMatch(
        /^\[sandbox\] TLS: the CA certificate expired on .*; made a new CA and server certificate/m,
      );
      expect(again.out).toContain("Nothing to change: the tenant already matches the desired state.");
      expect(again.out).not.toContain("certificate has expired");
      expect(readFileSync(path.join(dir, ".sandbox", "ca.pem"), "utf8")).not.toBe(aged.caPem);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
