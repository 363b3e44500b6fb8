/**
 * `--stack NAME`: the stack's connection settings, read with `pulumi config --json --show-secrets`
 * through the project's Pulumi environment (engine/pulumi-env.ts), so the secret comes from the
 * stack's own secrets provider and never from the command line.
 */
import { spawnSync } from "node:child_process";
import { projectRoot, pulumiEnv, resolvePulumiBinary } from "../../engine/pulumi-env.ts";
import { CONFIG_NAMESPACE } from "../../tenant/connection.ts";
import { CliError } from "../io.ts";

/** Runs the Pulumi CLI and returns its stdout; injectable for tests. */
export type PulumiRunner = (args: string[]) => { status: number | null; stdout: string; stderr: string };

const defaultRunner: PulumiRunner = (args) => {
  const bin = resolvePulumiBinary();
  const r = spawnSync(bin, args, { cwd: projectRoot, env: pulumiEnv(process.env, bin), encoding: "utf8" });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
};

/**
 * The stack's `m365-smtp-auth:*` config as plain values (key without the namespace). Throws CliError
 * naming the stack when Pulumi cannot read it; the message carries Pulumi's first error line only.
 */
export function stackConfig(stack: string, run: PulumiRunner = defaultRunner): Record<string, string> {
  const r = run(["config", "--json", "--show-secrets", "--stack", stack]);
  if (r.status !== 0) {
    const why = r.stderr.split("\n").find((l) => l.trim() !== "") ?? `exit ${r.status}`;
    throw new CliError(`--stack ${stack}: cannot read the stack's config: ${why.replace(/^error:\s*/u, "")}`);
  }
  let parsed: Record<string, { value?: unknown }>;
  try {
    parsed = JSON.parse(r.stdout) as Record<string, { value?: unknown }>;
  } catch {
    throw new CliError(`--stack ${stack}: pulumi config --json did not print JSON`);
  }
  const out: Record<string, string> = {};
  const prefix = `${CONFIG_NAMESPACE}:`;
  for (const [k, v] of Object.entries(parsed)) {
    const value = v.value;
    if (!k.startsWith(prefix)) continue;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      out[k.slice(prefix.length)] = String(value);
  }
  return out;
}
