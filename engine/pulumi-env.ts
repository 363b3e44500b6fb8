/**
 * How this project runs the Pulumi CLI: which binary, and the hermetic environment around it.
 *
 * - The CLI is `pulumi` from PATH when it is there and new enough; otherwise the one built from Go
 *   modules into .tools/bin by tools/build-pulumi.sh (built on first use, cached after).
 * - State lives in a local file backend (.state/), PULUMI_HOME in .pulumi-home/, both git-ignored;
 *   the update check and automatic plugin downloads are off; secrets use the passphrase provider,
 *   with a random passphrase kept in .pulumi-home/passphrase unless the caller sets one.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { findAllOnPath } from "./find-on-path.ts";

/** The oldest CLI we accept from PATH: policy packs run through the language host from 3.221, and
 * dynamic providers serialize `import * as` correctly from 3.229 (pulumi/pulumi#22388). */
export const MIN_PULUMI_VERSION = "3.229.0";

export const projectRoot = path.resolve(import.meta.dirname, "..");
const toolsBin = path.join(projectRoot, ".tools", "bin");

/** Compares dotted versions numerically; "v" prefixes and pre-release suffixes are ignored. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const parse = (v: string) => v.replace(/^v/, "").split(/[-+]/)[0]!.split(".").map(Number);
  const a = parse(version);
  const b = parse(minimum);
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

function pulumiOnPath(): string | undefined {
  // Searched in Node, not with `sh -c "command -v"`: Windows has no sh (issue 16.4).
  const bin = findAllOnPath("pulumi").find((b) => !b.startsWith(toolsBin));
  if (bin === undefined) return undefined;
  try {
    const version = execFileSync(bin, ["version"], {
      encoding: "utf8",
      env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    }).trim();
    return versionAtLeast(version, MIN_PULUMI_VERSION) ? bin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Returns the path of the `pulumi` binary to run, building it from Go modules when no suitable
 * CLI is installed. Build output goes to stderr so that `--json` output on stdout stays clean.
 */
export function resolvePulumiBinary(): string {
  const fromPath = pulumiOnPath();
  if (fromPath) return fromPath;
  const built = path.join(toolsBin, process.platform === "win32" ? "pulumi.exe" : "pulumi");
  if (process.platform === "win32") {
    // The Go build is a bash script; on Windows the CLI comes from the official installer.
    if (existsSync(built)) return built;
    throw new Error(
      `no Pulumi CLI ${MIN_PULUMI_VERSION} or newer on PATH: install it (winget install pulumi, or https://www.pulumi.com/docs/install/) and open a new terminal`,
    );
  }
  const build = spawnSync("bash", [path.join(projectRoot, "tools", "build-pulumi.sh")], {
    stdio: ["ignore", process.stderr, process.stderr],
  });
  if (build.status !== 0) {
    throw new Error(`could not build the Pulumi CLI (tools/build-pulumi.sh exited ${build.status ?? "on a signal"})`);
  }
  return path.join(toolsBin, "pulumi");
}

/**
 * A file backend URL for a folder. `metadata=skip` stops gocloud's fileblob from writing `.attrs`
 * sidecar files: it writes them in place (create, then encode), so a CLI killed at that moment leaves an
 * empty one and every later command fails with "failed to load checkpoint: EOF". The checkpoint itself
 * is written to a temporary file and renamed, which is safe.
 */
export function fileBackendUrl(dir: string, platform: NodeJS.Platform = process.platform): string {
  // Windows: `file://C:/path`, the form Pulumi's file backend takes there (pulumi/pulumi#2747).
  return `file://${platform === "win32" ? dir.replaceAll("\\", "/") : dir}?metadata=skip`;
}

/**
 * The environment for one CLI command. A preview persists nothing, yet the engine serialises and
 * verifies the whole snapshot after each step unless PULUMI_SKIP_CHECKPOINTS is set, which makes a
 * preview of n items cost O(n²); so previews skip checkpoints. Commands that write state (up,
 * refresh, destroy) keep a checkpoint per step unless the caller sets PULUMI_SKIP_CHECKPOINTS=true
 * (bench/README.md, "Checkpoints": worth it for the first adoption of a very large tenant, at the
 * cost of the record of a run that is killed outright).
 */
export function envForCommand(args: readonly string[], env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const command = args.find((a) => !a.startsWith("-"));
  if (command === "preview" && env.PULUMI_SKIP_CHECKPOINTS === undefined) {
    return { ...env, PULUMI_SKIP_CHECKPOINTS: "true" };
  }
  return env;
}

/** The environment every CLI run gets; `base` is usually process.env. */
export function pulumiEnv(base: NodeJS.ProcessEnv, pulumiBin: string): NodeJS.ProcessEnv {
  const home = path.join(projectRoot, ".pulumi-home");
  const stateDir = path.join(projectRoot, ".state");
  mkdirSync(home, { recursive: true });
  mkdirSync(stateDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...base,
    // Node 24 from node_modules first, so the program and every provider run on it (its own folder
    // before .bin: on Windows .bin has only a node.cmd shim, the folder has node.exe); then the CLI's
    // own folder, where the language host and the dynamic-provider launcher live.
    PATH: [
      path.join(projectRoot, "node_modules", "node", "bin"),
      path.join(projectRoot, "node_modules", ".bin"),
      path.dirname(pulumiBin),
      toolsBin,
      base.PATH ?? "",
    ].join(path.delimiter),
    PULUMI_HOME: base.PULUMI_HOME ?? home,
    PULUMI_BACKEND_URL: base.PULUMI_BACKEND_URL ?? fileBackendUrl(stateDir),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    // The engine keeps this many resource operations in flight (default 4 × cores, 8 here). The
    // providers coalesce concurrent reads into bulk calls and bound the API calls in flight
    // themselves (tenant/http.ts), so a high value costs nothing and lets reads coalesce.
    PULUMI_PARALLEL: base.PULUMI_PARALLEL ?? "256",
    // Go lets the heap grow to twice what is live before collecting; a refresh of 20,000 resources
    // holds ~530 MB live and peaked at 1.2 GB. A soft limit makes the CLI collect sooner near it
    // (never fails: above it Go just spends more CPU on GC) (bench/README.md, "Memory").
    GOMEMLIMIT: base.GOMEMLIMIT ?? "700MiB",
  };
  if (base.PULUMI_CONFIG_PASSPHRASE === undefined && base.PULUMI_CONFIG_PASSPHRASE_FILE === undefined) {
    const file = path.join(home, "passphrase");
    if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString("base64url"), { mode: 0o600 });
    env.PULUMI_CONFIG_PASSPHRASE_FILE = file;
    readFileSync(file); // fail early if it is unreadable
  }
  return env;
}
