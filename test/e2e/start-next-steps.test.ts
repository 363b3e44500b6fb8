/**
 * Issue 16.8: the README's path after `npm start`, through the real commands: `npm start` shows its
 * preview's progress; `npm run sandbox -- --resume` brings the tenant back on its ports; `npm run
 * preview -- --stack sandbox` then works without exporting anything, and says what to do once the
 * sandbox has stopped. It uses this checkout's .sandbox/ and .state/, as a user's run does.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.join(import.meta.dirname, "..", "..");
const node = process.execPath;
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;

function run(args: string[]) {
  const r = spawnSync(node, args, { cwd: root, env, encoding: "utf8", timeout: 280_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("after npm start", { timeout: 600_000 }, () => {
  let sandbox: ChildProcess | undefined;
  afterAll(() => {
    sandbox?.kill("SIGINT");
  });

  it("npm start says what its preview is doing", () => {
    const r = run(["scripts/start.ts"]);
    expect(r.code, `${r.out}\n${r.err}`).toBe(0);
    expect(r.out).toContain("  previewing (refresh + policy pack)…\n");
    // Progress while it previews: a refresh of what the stack has, or what a first run will create.
    expect(r.out).toMatch(/^ {4}(reading the tenant \(refresh\)…|create \w+ \S+)$/mu);
    expect(r.out).toContain("after: scanner@contoso.com sends through SMTP AUTH: 250 2.0.0 OK");
  });

  it("npm run sandbox -- --resume, then npm run preview -- --stack sandbox", async () => {
    const ready = new Promise<string>((resolve, reject) => {
      sandbox = spawn(node, ["sandbox/main.ts", "--resume"], { cwd: root, env });
      let out = "";
      sandbox.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("Ctrl-C stops the sandbox.")) resolve(out);
      });
      sandbox.stderr!.on("data", (d: Buffer) => (out += d.toString()));
      sandbox.on("exit", (code) => reject(new Error(`sandbox exited ${code}: ${out}`)));
    });
    const out = await ready;
    expect(out).toContain(`export NODE_EXTRA_CA_CERTS=${path.join(root, ".sandbox", "ca.pem")}`);

    // No NODE_EXTRA_CA_CERTS in the environment: the wrapper trusts the sandbox's CA itself.
    const preview = run(["scripts/pulumi.ts", "preview", "--policy-pack", "policies", "--stack", "sandbox"]);
    expect(preview.code, `${preview.out}\n${preview.err}`).toBe(0);
    expect(preview.out).toMatch(/Resources:\n\s+\d+ unchanged/);

    await new Promise<void>((resolve) => {
      sandbox!.removeAllListeners("exit");
      sandbox!.once("exit", () => resolve());
      sandbox!.kill("SIGINT");
    });
    sandbox = undefined;
    const stopped = run(["scripts/pulumi.ts", "preview", "--policy-pack", "policies", "--stack", "sandbox"]);
    expect(stopped.code).toBe(1);
    expect(stopped.err).toMatch(
      /^pulumi: the sandbox tenant for stack sandbox is not running \(nothing listens on 127\.0\.0\.1:\d+; npm start stops it when it ends\): start it with 'npm run sandbox -- --resume' in another terminal, then run this again\.\n$/,
    );
  });
});
