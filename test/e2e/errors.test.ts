/**
 * Errors read as sentences (issue 17 item 8): a failure of the Pulumi program ends the run with its
 * message on one line, with no stack frames or ANSI escapes, and the CLI still exits non-zero.
 */
import { describe, expect, it } from "vitest";
import { startProgram } from "../helpers/program.ts";

describe("a failing program", { timeout: 240_000 }, () => {
  it("prints one line, no stack frames or colour codes, and the engine reports the failure", async () => {
    const program = await startProgram();
    try {
      // Every read of the licence facts behind the `effective` output fails, retries included.
      program.sandbox.faults.add({ kind: "503", match: "licenseDetails" });
      const scanner = program.sandbox.store.findUser("scanner@contoso.com")!;
      const preview = await program.pulumi(["preview"]);
      const out = preview.stdout + preview.stderr;

      expect(preview.code).not.toBe(0);
      const line = `error: GET ${program.sandbox.baseUrl}/v1.0/users/${scanner.id}/licenseDetails answered 503 serviceNotAvailable: Service unavailable. (after 6 attempts)`;
      const diagnostics = out.slice(out.indexOf("Diagnostics:"));
      expect(diagnostics.split("\n").slice(0, 4)).toEqual([
        "Diagnostics:",
        "  pulumi:pulumi:Stack (m365-smtp-auth-test):",
        `    ${line}`,
        "",
      ]);
      expect(out).toContain("1 errored");
      expect(out).not.toMatch(/^\s+at /m);
      expect(out).not.toContain("\u001b");
      expect(out).not.toContain("unhandled exception");
      expect(out).not.toContain("PromiseRejectionHandledWarning");
    } finally {
      await program.stop();
    }
  });
});
