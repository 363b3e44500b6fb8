/**
 * Runs the Pulumi CLI for the pipeline commands: the same binary and environment as `npm run pulumi`
 * (engine/pulumi-env.ts), so the state backend, passphrase and CA come from the caller's
 * environment (PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE[_FILE], NODE_EXTRA_CA_CERTS).
 */
import { spawn } from "node:child_process";
import { envForCommand, pulumiEnv, resolvePulumiBinary } from "../../engine/pulumi-env.ts";

/** What one CLI run gave back. `stdout` is captured only when asked for. */
export interface PulumiRun {
  code: number;
  stdout: string;
}

/** Runs the CLI; a test or another caller may replace it. */
export type PulumiRunner = (
  args: string[],
  opts: {
    cwd: string;
    env?: NodeJS.ProcessEnv;
    captureStdout: boolean;
    stderr: (s: string) => void;
    stdout: (s: string) => void;
  },
) => Promise<PulumiRun>;

let binary: string | undefined;

/**
 * The real CLI. Its stderr always goes to `opts.stderr` (the CLI masks secret values there); stdout
 * is captured (for `--json`) or passed to `opts.stdout`. Resolves with the exit code, 128 + n
 * style codes folded to 1 on a signal; rejects only when the binary cannot be started or built.
 */
export const runPulumi: PulumiRunner = (args, opts) => {
  binary ??= resolvePulumiBinary();
  const bin = binary;
  const env = envForCommand(args, pulumiEnv({ ...process.env, ...opts.env }, bin));
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [...args, "--non-interactive"], { cwd: opts.cwd, env });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => {
      if (opts.captureStdout) stdout += d.toString();
      else opts.stdout(d.toString());
    });
    child.stderr.on("data", (d: Buffer) => opts.stderr(d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout }));
  });
};
