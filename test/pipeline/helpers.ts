/**
 * Runs the pipeline entry (cli/pipeline/main.ts, what the `ci:*` npm scripts run) as a child process
 * in a test program's folder, against its throwaway backend and the in-process sandbox.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileBackendUrl, projectRoot } from "../../engine/pulumi-env.ts";
import type { ProgramUnderTest } from "../helpers/program.ts";

export const PIPELINE_MAIN = path.join(projectRoot, "cli", "pipeline", "main.ts");

export interface CiResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The passphrase test/helpers/pulumi-cli.ts gives every test project's secrets provider. */
const TEST_PASSPHRASE = "test-only";

/** Runs `node cli/pipeline/main.ts …args` with `cwd` (default: the program's folder). */
export function runCi(
  args: string[],
  opts: { program?: ProgramUnderTest; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CiResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The tests must not write into a real job summary or print annotations when CI is GitHub Actions.
  delete env.GITHUB_STEP_SUMMARY;
  delete env.GITHUB_ACTIONS;
  if (opts.program) {
    Object.assign(env, {
      PULUMI_BACKEND_URL: fileBackendUrl(opts.program.project.backendDir),
      PULUMI_CONFIG_PASSPHRASE: TEST_PASSPHRASE,
      NODE_EXTRA_CA_CERTS: opts.program.sandbox.caCertPath,
    });
    delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
  }
  Object.assign(env, opts.env);
  const cwd = opts.cwd ?? opts.program?.project.dir ?? projectRoot;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PIPELINE_MAIN, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** YYYY-MM-DD, `days` from today (UTC). */
export function inDays(days: number, from = new Date()): string {
  return new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + days))
    .toISOString()
    .slice(0, 10);
}
