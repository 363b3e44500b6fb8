/**
 * `npm run pulumi -- <args>`: runs the Pulumi CLI in this project's hermetic environment
 * (see engine/pulumi-env.ts), passing the arguments and the exit code through.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { policyPackProblem } from "../engine/policy-pack.ts";
import { envForCommand, projectRoot, pulumiEnv, resolvePulumiBinary } from "../engine/pulumi-env.ts";
import { checkSandboxStack } from "./sandbox-stack.ts";

const args = process.argv.slice(2);
// Issue 16.8: one sentence instead of a stack trace per policy, or a minute of retries.
const pack = args[args.indexOf("--policy-pack") + 1];
const packProblem = args.includes("--policy-pack") && pack ? policyPackProblem(path.resolve(pack)) : undefined;
if (packProblem) {
  console.error(`pulumi: ${packProblem}`);
  process.exit(1);
}
const sandbox = await checkSandboxStack(args, process.env, projectRoot);
if (sandbox.problem) {
  console.error(`pulumi: ${sandbox.problem}`);
  process.exit(1);
}

let bin: string;
try {
  bin = resolvePulumiBinary();
} catch (err) {
  console.error(`pulumi: ${(err as Error).message}`);
  process.exit(1);
}

const child = spawn(bin, args, {
  cwd: projectRoot,
  env: envForCommand(args, pulumiEnv(sandbox.env, bin)),
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => {
  process.exit(code ?? (signal ? 128 : 1));
});
