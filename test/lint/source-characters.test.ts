/**
 * No raw control character in a tracked text file. One slipped into two regular expressions of the
 * doctor as a literal backspace (a "\b" lost to an escaping slip): the alternatives never matched, and
 * nothing failed. Escapes written out ("\u0008", "\x1b") are fine; only the raw bytes are refused.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.join(import.meta.dirname, "..", "..");
const TEXT = /\.(?:ts|js|mjs|cjs|json|ya?ml|md|sh|txt|go|mod|html|css)$/u;
// Tab, line feed and carriage return are text; every other C0 control and DEL is not.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/u;

describe("source characters", () => {
  it("no tracked text file holds a raw control character", () => {
    const files = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" })
      .split("\0")
      .filter((f) => TEXT.test(f));
    expect(files.length).toBeGreaterThan(100);
    const offenders: string[] = [];
    for (const f of files) {
      let text: string;
      try {
        text = readFileSync(path.join(root, f), "utf8");
      } catch {
        continue; // listed but absent in this checkout (a deleted file not yet committed)
      }
      const lines = text.split("\n");
      const i = lines.findIndex((l) => CONTROL.test(l));
      if (i >= 0) offenders.push(`${f}:${i + 1}`);
    }
    expect(offenders).toEqual([]);
  });
});
