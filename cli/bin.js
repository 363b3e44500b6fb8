#!/usr/bin/env node
// Launcher for `npx m365-smtp-auth …`: runs cli/main.ts, which needs Node 24 (native TypeScript).
// On an older Node it re-executes itself with the package's own Node 24 (node_modules/.bin/node,
// from the "node" dependency), passing arguments, stdio and the exit code through.
// Plain JavaScript that Node 18+ can parse, on purpose.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const major = Number(process.versions.node.split(".")[0]);

if (major >= 24) {
  // Node's on-disk compile cache (22.1+) keeps a pasted diagnosis's start-up short on later runs.
  const { enableCompileCache } = await import("node:module");
  enableCompileCache?.();
  const { main } = await import("./main.ts");
  await main();
} else {
  const bundled = join(here, "..", "node_modules", ".bin", process.platform === "win32" ? "node.cmd" : "node");
  if (process.env.M365_SMTP_AUTH_REEXEC === "1" || !existsSync(bundled)) {
    process.stderr.write(
      `m365-smtp-auth: needs Node.js 24 or later (this is ${process.version}), and the package's own Node 24 ` +
        `was not found at ${bundled}; run 'npm install' in the package, or use Node 24\n`,
    );
    process.exit(1);
  }
  const result = spawnSync(bundled, [join(here, "main.ts"), ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, M365_SMTP_AUTH_REEXEC: "1" },
  });
  if (result.error) {
    process.stderr.write(`m365-smtp-auth: cannot start ${bundled}: ${result.error.message}\n`);
    process.exit(1);
  }
  if (result.signal) process.kill(process.pid, result.signal);
  process.exit(result.status ?? 1);
}
