/**
 * Headless Chromium for the HTML report test: Debian's `chromium` package, installed with apt-get
 * when missing and the test runs as root (CI installs it up front). Returns null, with the reason,
 * only when it cannot be had; the test then skips saying so.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CANDIDATES = ["chromium", "chromium-browser", "google-chrome"];

function which(name: string): string | null {
  const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() !== "" ? r.stdout.trim() : null;
}

/** The browser's path, installing Debian's chromium if needed and possible; else the reason it is missing. */
export function ensureChromium(): { path: string } | { missing: string } {
  for (const c of CANDIDATES) {
    const p = which(c);
    if (p) return { path: p };
  }
  if (process.getuid?.() !== 0)
    return { missing: "chromium is not installed and the test does not run as root to install it" };
  const r = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
    encoding: "utf8",
    timeout: 600_000,
  });
  const p = which("chromium");
  return p
    ? { path: p }
    : { missing: `apt-get install chromium failed (${r.status}): ${(r.stderr || "").trim().split("\n").at(-1) ?? ""}` };
}

/** Flags for a quiet, offline, throwaway headless run. */
function flags(): string[] {
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--user-data-dir=${mkdtempSync(join(tmpdir(), "usage-chromium-"))}`,
  ];
}

/** The DOM after the page loaded, as Chromium serialises it. */
export function dumpDom(browser: string, file: string): string {
  return execFileSync(browser, [...flags(), "--dump-dom", `file://${file}`], {
    encoding: "utf8",
    timeout: 120_000,
    stdio: ["ignore", "pipe", "ignore"],
  });
}

/** Writes a PNG screenshot of the page. */
export function screenshot(browser: string, file: string, png: string, size = "1200,1400"): void {
  execFileSync(browser, [...flags(), `--screenshot=${png}`, `--window-size=${size}`, `file://${file}`], {
    timeout: 120_000,
    stdio: "ignore",
  });
}
