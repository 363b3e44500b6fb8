/**
 * Errors read as sentences (issue 17 item 8), and an unreadable fact is unknown, not fatal (item 3):
 * - a fact of the `effective` output that cannot be read, retries included, leaves that verdict
 *   "unknown" and the run succeeds (it used to abort the whole program with a stack trace);
 * - a failure of the program or of the providers ends the run with one line per error, no stack
 *   frames or ANSI escapes, and the CLI still exits non-zero.
 */
import { describe, expect, it } from "vitest";
import { startProgram } from "../helpers/program.ts";

describe("failures as sentences", { timeout: 240_000 }, () => {
  it("an unreadable fact makes the effective verdict unknown; the preview goes on", async () => {
    const program = await startProgram({ config: { maxAttempts: "2", retryBudgetSeconds: "5" } });
    try {
      // Every read of the licence facts behind the `effective` output fails, retries included.
      program.sandbox.faults.add({ kind: "503", match: "licenseDetails" });
      const preview = await program.pulumi(["preview"]);
      const out = preview.stdout + preview.stderr;
      expect(preview.code, out).toBe(0);
      expect(out).toContain(
        "scanner@contoso.com: whether it can send is unknown: these could not be read: mailbox_unlicensed_or_missing",
      );
      expect(out).not.toMatch(/^\s+at /mu);
      expect(out).not.toContain("\u001b");
    } finally {
      await program.stop();
    }
  });

  it("a configuration error is one line, no stack frames or colour codes, and the run fails", async () => {
    const program = await startProgram({ config: { cloud: "mars" } });
    try {
      const preview = await program.pulumi(["preview"]);
      const out = preview.stdout + preview.stderr;
      expect(preview.code).not.toBe(0);
      const line = "stack config m365-smtp-auth:cloud must be one of global, usgov, usgov-dod, china";
      expect(out).toContain(line);
      expect(out).toMatch(new RegExp(`^\\s+error: ${line}$`, "mu"));
      expect(out).not.toMatch(/^\s+at /mu);
      expect(out).not.toContain("\u001b");
      expect(out).not.toContain("unhandled exception");
      expect(out).not.toContain("PromiseRejectionHandledWarning");
    } finally {
      await program.stop();
    }
  });
});
