/**
 * `npm run pulumi -- <args>`: runs the Pulumi CLI in this project's hermetic environment
 * (see engine/pulumi-env.ts), passing the arguments and the exit code through.
 */
import { spawn } from "node:child_process";
import { envForCommand, projectRoot, pulumiEnv, resolvePulumiBinary } from "../engine/pulumi-env.ts";

let bin: string;
try {
  bin = resolvePulumiBinary();
} catch (err) {
  console.error(`pulumi: ${(err as Error).message}`);
  process.exit(1);
}

const child = spawn(bin, process.argv.slice(2), {
  cwd: projectRoot,
  env: envForCommand(process.argv.slice(2), pulumiEnv(process.env, bin)),
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => {
  process.exit(code ?? (signal ? 128 : 1));
});
