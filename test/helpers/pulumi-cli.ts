/**
 * Runs the real Pulumi CLI for tests: the same binary and hermetic environment as `npm run pulumi`,
 * with a throwaway file backend per test project so tests never share state.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { fileBackendUrl, projectRoot, pulumiEnv, resolvePulumiBinary } from "../../engine/pulumi-env.ts";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface PulumiProject {
  /** A private copy of the project folder (stack config files land here), removed by cleanup(). */
  dir: string;
  /** The file backend's folder, inside dir. */
  backendDir: string;
  run(args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<CliResult>;
  /** Starts the CLI in its own process group (so a test can kill it and its plugins) and returns it. */
  start(args: string[]): ChildProcess;
  /** Like run, but throws with the CLI's output when it exits non-zero. */
  ok(args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<CliResult>;
  cleanup(): void;
}

let binary: string | undefined;

/**
 * Copies the project folder `source` (or only the entries `only` of it) to a fresh folder under .tmp/ (inside the repository, so that
 * node_modules resolves as for the original) and runs the CLI there.
 */
export function pulumiProject(source: string, baseEnv: NodeJS.ProcessEnv = {}, only?: string[]): PulumiProject {
  binary ??= resolvePulumiBinary();
  const bin = binary;
  const tmpRoot = path.join(projectRoot, ".tmp");
  mkdirSync(tmpRoot, { recursive: true });
  const dir = mkdtempSync(path.join(tmpRoot, `${path.basename(source)}-`));
  for (const entry of only ?? ["."]) cpSync(path.join(source, entry), path.join(dir, entry), { recursive: true });
  const backendDir = path.join(dir, ".state");
  mkdirSync(backendDir);
  const env = pulumiEnv(
    {
      ...process.env,
      ...baseEnv,
      PULUMI_BACKEND_URL: fileBackendUrl(backendDir),
      PULUMI_CONFIG_PASSPHRASE: "test-only",
    },
    bin,
  );
  const run = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    new Promise<CliResult>((resolve, reject) => {
      const child = spawn(bin, [...args, "--non-interactive"], { cwd: dir, env: { ...env, ...extraEnv } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  return {
    dir,
    backendDir,
    run,
    start: (args) =>
      spawn(bin, [...args, "--non-interactive"], { cwd: dir, env, detached: true, stdio: ["ignore", "pipe", "pipe"] }),
    async ok(args, extraEnv) {
      const result = await run(args, extraEnv);
      if (result.code !== 0) {
        throw new Error(`pulumi ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
      }
      return result;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
