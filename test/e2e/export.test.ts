import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trustCa } from "../../cli/connection.ts";
import { runCli } from "../../cli/main.ts";
import { startProgram, type ProgramUnderTest } from "../helpers/program.ts";

/** `export` writes tenant.yaml from the live tenant; the first up then changes nothing in it. */
describe("adopting an existing tenant with export", { timeout: 240_000 }, () => {
  let program: ProgramUnderTest;
  beforeAll(async () => {
    program = await startProgram();
    // In-process, the CLI trusts the sandbox's CA as NODE_EXTRA_CA_CERTS would make a child process do.
    trustCa(program.sandbox.caPem);
  });
  afterAll(() => program.stop());

  it("writes the tenant's state, then up records it without a single write", async () => {
    const out = path.join(program.project.dir, "stacks", "test", "tenant.yaml");
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runCli(
      ["export", "--out", out, "--force", "--owner", "it@contoso.com", "--expires", "2027-03-31"],
      {
        stdout: (s) => stdout.push(s),
        stderr: (s) => stderr.push(s),
        env: program.sandbox.env,
        readStdin: async () => null,
        now: () => new Date("2026-11-29T12:00:00Z"),
      },
    );
    expect(stderr.join("")).toBe("");
    expect(code).toBe(0);
    expect(readFileSync(out, "utf8"))
      .toBe(`# Exported from the tenant on 2026-11-29 by 'm365-smtp-auth export'. Review before committing:
# each exception below was found in the tenant; confirm its owner, ticket and expiry.

securityDefaults:
  enabled: true

smtpAuth:
  organization: disabled
  mailboxes:
    bob@contoso.com: { state: enabled, owner: it@contoso.com, ticket: EXPORTED, expires: 2027-03-31 }
    scanner@contoso.com: disabled
  others: unmanaged

mfa:
  users:
    printer@contoso.com: enabled
    scanner@contoso.com: enforced
`);
    program.sandbox.requestLog.clear();
    await program.ok(["up", "--yes", "--skip-preview"]);
    const writes = program.sandbox.requestLog
      .entries()
      .filter((e) => e.method === "PATCH" || /InvokeCommand (Set|New|Add|Remove)-/.test(e.endpoint));
    expect(writes).toEqual([]);
    await program.ok(["preview", "--refresh", "--expect-no-changes"]);
  });
});
