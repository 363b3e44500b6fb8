/**
 * A Pulumi project copied under .tmp/ (so node_modules resolves as for the checkout) with its own
 * file backend, run through the real CLI in the project's hermetic environment (engine/pulumi-env.ts).
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileBackendUrl, projectRoot, pulumiEnv, resolvePulumiBinary } from "../engine/pulumi-env.ts";
import { runMeasured, type Measured } from "./measure.ts";

export interface BenchProject {
  dir: string;
  bin: string;
  env: NodeJS.ProcessEnv;
  /** Runs `pulumi <args> --stack bench --non-interactive`, measured. */
  run(args: string[]): Promise<Measured>;
  ok(args: string[]): Promise<Measured>;
  /** Size in bytes of the stack's checkpoint file. */
  stateBytes(): number;
  cleanup(): void;
}

let binary: string | undefined;

export async function benchProject(opts: {
  source: string;
  files: string[];
  env: NodeJS.ProcessEnv;
  config: Record<string, string>;
  secretConfig?: Record<string, string>;
}): Promise<BenchProject> {
  binary ??= resolvePulumiBinary();
  const bin = binary;
  const tmpRoot = path.join(projectRoot, ".tmp");
  mkdirSync(tmpRoot, { recursive: true });
  const dir = mkdtempSync(path.join(tmpRoot, "bench-"));
  for (const f of opts.files) cpSync(path.join(opts.source, f), path.join(dir, f), { recursive: true });
  const backendDir = path.join(dir, ".state");
  mkdirSync(backendDir);
  const env = pulumiEnv(
    {
      // The benchmark measures the large-tenant setting: one state write per command (bench/README.md).
      PULUMI_SKIP_CHECKPOINTS: "true",
      // The drift check as ci:drift runs it: without the pull request's current-value report.
      M365_SMTP_AUTH_CURRENT_VALUES: "off",
      ...process.env,
      ...opts.env,
      PULUMI_BACKEND_URL: fileBackendUrl(backendDir),
      PULUMI_CONFIG_PASSPHRASE: "bench-only",
    },
    bin,
  );
  const run = (args: string[]) =>
    runMeasured(bin, [...args, "--stack", "bench", "--non-interactive"], { cwd: dir, env });
  const ok = async (args: string[]) => {
    const r = await run(args);
    if (r.code !== 0) {
      // The errors, not the tail: at 10,000 items the tail is the `effective` output.
      const errors = r.stdout
        .split("\n")
        .filter((l) => /\berror\b/i.test(l))
        .slice(0, 40);
      throw new Error(
        `pulumi ${args.join(" ")} exited ${r.code}\n${errors.join("\n")}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-4000)}`,
      );
    }
    return r;
  };
  execFileSync(bin, ["stack", "init", "bench", "--non-interactive"], { cwd: dir, env, stdio: "pipe" });
  execFileSync(
    bin,
    [
      "config",
      "set-all",
      "--stack",
      "bench",
      ...Object.entries(opts.secretConfig ?? {}).flatMap(([k, v]) => ["--secret", `${k}=${v}`]),
      ...Object.entries(opts.config).flatMap(([k, v]) => ["--plaintext", `${k}=${v}`]),
    ],
    { cwd: dir, env, stdio: "pipe" },
  );
  const stateBytes = () => {
    const find = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? find(path.join(d, e.name)) : e.name === "bench.json" ? [path.join(d, e.name)] : [],
      );
    const files = find(path.join(backendDir, ".pulumi", "stacks"));
    return files.length > 0 ? statSync(files[0]!).size : 0;
  };
  return { dir, bin, env, run, ok, stateBytes, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
