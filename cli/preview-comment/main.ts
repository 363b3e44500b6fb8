/**
 * Process entry for the preview comment: `node cli/preview-comment/main.ts [args]`, e.g.
 * `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true npm run pulumi -- preview --json --policy-pack policies | node cli/preview-comment/main.ts`.
 */
import { readFileSync } from "node:fs";
import { runPreviewComment } from "./command.ts";

const stdin = process.stdin.isTTY ? null : readFileSync(0, "utf8");
process.exitCode = runPreviewComment(process.argv.slice(2), {
  stdin,
  readFile: (path) => readFileSync(path, "utf8"),
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  today: () => new Date().toISOString().slice(0, 10),
  env: process.env,
});
