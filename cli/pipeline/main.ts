/**
 * Process entry of the pipeline commands: `node cli/pipeline/main.ts <preview|apply|drift|expiring>
 * [options]`, run by the `ci:*` npm scripts from the project folder (see commands.ts and
 * docs/gitops.md).
 */
import { runPipeline } from "./commands.ts";
import { runPulumi } from "./pulumi.ts";

const code = await runPipeline(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  today: () => new Date().toISOString().slice(0, 10),
  pulumi: runPulumi,
});
process.exitCode = code;
