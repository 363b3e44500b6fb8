#!/usr/bin/env node
// Launcher for the `m365-smtp-auth` command. It runs the CLI's TypeScript source in a clone
// (cli/main.ts, Node 24 strips the types) and the built JavaScript in an installed package
// (dist/cli/main.js: Node does not strip types under node_modules). On a Node older than 24 it
// re-executes itself with the package's own Node 24 (the "node" dependency's binary, found wherever
// npm put it), passing arguments, stdio and the exit code through. No shell and no node.cmd shim is
// involved, so it behaves the same on Windows.
// Plain JavaScript that Node 18+ can parse, on purpose.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import module, { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const major = Number(process.versions.node.split(".")[0]);
const source = join(here, "main.ts");
const entry = existsSync(source) ? source : join(here, "..", "dist", "cli", "main.js");

/** The bundled Node 24 executable, or undefined when the "node" dependency is not installed. */
function bundledNode() {
  try {
    const pkg = createRequire(import.meta.url).resolve("node/package.json");
    const exe = join(dirname(pkg), "bin", process.platform === "win32" ? "node.exe" : "node");
    return existsSync(exe) ? exe : undefined;
  } catch {
    return undefined;
  }
}

if (major >= 24) {
  // Repeated runs (a pasted error, a pre-commit hook) start faster with V8's code cache.
  module.enableCompileCache?.();
  const { main } = await import(pathToFileURL(entry).href);
  await main();
} else {
  const bundled = bundledNode();
  if (process.env.M365_SMTP_AUTH_REEXEC === "1" || bundled === undefined) {
    process.stderr.write(
      `m365-smtp-auth: needs Node.js 24 or later (this is ${process.version}), and the package's own Node 24 ` +
        `(the "node" dependency) was not found; reinstall the package, or use Node 24\n`,
    );
    process.exit(1);
  }
  const result = spawnSync(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
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
