// npm postinstall: in a clone, installs the policy pack's own dependencies (policies/ is a package
// of its own). An installed copy of the CLI has no policies/ folder and nothing to do. Runs npm
// through the Node that runs this script, so no shell (and no npm.cmd) is needed on Windows.
// Plain JavaScript on purpose: npm may run it with any Node.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

if (existsSync("policies/package.json")) {
  const npm = process.env.npm_execpath;
  const args = ["ci", "--prefix", "policies", "--no-audit", "--no-fund"];
  const result = npm
    ? spawnSync(process.execPath, [npm, ...args], { stdio: "inherit" })
    : spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", args, {
        stdio: "inherit",
        shell: process.platform === "win32",
      });
  if (result.error) {
    process.stderr.write(`postinstall: cannot run npm for policies/: ${result.error.message}\n`);
    process.exit(1);
  }
  process.exit(result.status ?? 1);
}
