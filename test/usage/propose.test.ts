/**
 * `usage --propose`: the exceptions it writes into tenant.yaml keep every comment and key in place,
 * the file still validates (desired/tenant-yaml.ts), and the policy pack refuses the proposal until
 * a person fills in the owner and the ticket. End to end through the real command against the
 * sandbox, and on the edited text itself.
 */
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDesiredState, loadDesiredState } from "../../desired/tenant-yaml.ts";
import { smtpAuthExceptionOwnedAndExpiring as policy } from "../../policies/smtpAuth.ts";
import { TYPE_TOKENS } from "../../policies/tokens.ts";
import type { Sandbox } from "../../sandbox/server.ts";
import type { AccountReadiness } from "../../cli/usage/model.ts";
import { PLACEHOLDER_OWNER, proposeExceptions } from "../../cli/usage/propose.ts";
import { run, startDoctorSandbox } from "../cli/helpers.ts";
import { createResourceValidationArgs, messages, runResourcePolicy } from "../policies/util.ts";

const TODAY = "2026-11-30";
const ORIGINAL = readFileSync("stacks/sandbox/tenant.yaml", "utf8");

function account(address: string): AccountReadiness {
  const v = { answer: "no" as const, reason: "x" };
  return {
    account: address,
    kind: "user",
    mechanism: "basic",
    displayName: null,
    logins: 5,
    failures: 1,
    lastSeen: "2026-11-29T09:12:40Z",
    perDay: {},
    errorCodes: {},
    ipAddresses: ["203.0.113.11"],
    mailbox: address,
    exception: null,
    today: v,
    afterDefaultOff: v,
    afterRemoval: v,
    recommendation: { path: "connector", reason: "x" },
  };
}

const policyMessages = async (props: object) =>
  messages(
    await runResourcePolicy(
      policy,
      createResourceValidationArgs(TYPE_TOKENS.MailboxSmtpAuth, { ...props }, { today: TODAY }, "mailbox-printer"),
    ),
  );

describe("proposeExceptions", () => {
  it("appends the exception under smtpAuth.mailboxes and leaves every other byte as it was", () => {
    const next = proposeExceptions(ORIGINAL, [account("printer@contoso.com")], TODAY, 30);
    const added = next.split("\n").filter((l) => !ORIGINAL.split("\n").includes(l));
    expect(added).toEqual([
      "    # Proposed by `m365-smtp-auth usage --propose` on 2026-11-30: 5 SMTP AUTH sign-ins with a password in 30 days, last 2026-11-29; recommended instead: connector.",
      "    printer@contoso.com:",
      "      state: enabled",
      `      owner: ${PLACEHOLDER_OWNER} # TODO: who answers for this exception; then add ticket: <change id>`,
      "      expires: 2027-02-28",
    ]);
    // Every other byte is the original's: comments, order and quoting untouched.
    expect(
      next
        .split("\n")
        .filter((l) => !added.includes(l))
        .join("\n"),
    ).toBe(ORIGINAL);
    expect(next.indexOf("printer@contoso.com:")).toBeLessThan(next.indexOf("  others: unmanaged"));
  });

  it("validates, and the policy pack refuses it until owner and ticket are filled", async () => {
    const next = proposeExceptions(ORIGINAL, [account("printer@contoso.com")], TODAY, 30);
    const desired = parseDesiredState(next, "tenant.yaml", { today: TODAY });
    const printer = desired.mailboxes.find((m) => m.mailbox === "printer@contoso.com")!;
    expect(printer).toEqual({
      mailbox: "printer@contoso.com",
      state: "enabled",
      owner: PLACEHOLDER_OWNER,
      expires: "2027-02-28",
    });
    expect(await policyMessages(printer)).toEqual([
      `SMTP AUTH exception for printer@contoso.com has a placeholder owner (${PLACEHOLDER_OWNER}): set the person or team who answers for it as owner on smtpAuth.mailboxes.printer@contoso.com in tenant.yaml.`,
      "SMTP AUTH exception for printer@contoso.com has no ticket: set ticket on smtpAuth.mailboxes.printer@contoso.com in tenant.yaml.",
    ]);
    const filled = next.replace(
      `owner: ${PLACEHOLDER_OWNER} # TODO: who answers for this exception; then add ticket: <change id>`,
      "owner: reception@contoso.com\n      ticket: CHG-2001",
    );
    const decided = parseDesiredState(filled, "tenant.yaml", { today: TODAY }).mailboxes.find(
      (m) => m.mailbox === "printer@contoso.com",
    )!;
    expect(await policyMessages(decided)).toEqual([]);
    // The scanner's existing exception is untouched.
    expect(await policyMessages(desired.mailboxes.find((m) => m.mailbox === "scanner@contoso.com")!)).toEqual([]);
  });

  it("replaces an existing non-exception entry for the address, keeping its comment", () => {
    const text = ORIGINAL.replace(
      "  others: unmanaged",
      "    # the reception printer\n    printer@contoso.com: inherit\n  others: unmanaged",
    );
    const next = proposeExceptions(text, [account("printer@contoso.com")], TODAY, 30);
    expect(next.match(/printer@contoso\.com:/g)).toHaveLength(1);
    expect(next).toContain("    # the reception printer\n    # Proposed by");
    expect(parseDesiredState(next, "t.yaml", { today: TODAY }).mailboxes.map((m) => [m.mailbox, m.state])).toEqual([
      ["scanner@contoso.com", "enabled"],
      ["printer@contoso.com", "enabled"],
    ]);
  });

  it("creates smtpAuth.mailboxes when the file has none", () => {
    const next = proposeExceptions("# just MFA\nmfa:\n  users: {}\n", [account("printer@contoso.com")], TODAY, 30);
    expect(next.startsWith("# just MFA\nmfa:\n  users: {}\nsmtpAuth:\n  mailboxes:\n")).toBe(true);
    expect(parseDesiredState(next, "t.yaml", { today: TODAY }).mailboxes).toHaveLength(1);
  });
});

describe("usage --propose against the sandbox", () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startDoctorSandbox();
  });
  afterAll(async () => {
    await sb.stop();
  });

  it("adds exactly the undeclared Basic sender to the file, which then loads", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "usage-propose-")), "tenant.yaml");
    copyFileSync("stacks/sandbox/tenant.yaml", file);
    const r = await run(sb, ["usage", "--ca", sb.caCertPath, "--tenant-file", file, "--propose", "--format", "md"]);
    expect(r.code).toBe(0);
    expect(r.err.trimEnd().split("\n").at(-1)).toBe(
      `m365-smtp-auth usage: --propose: added printer@contoso.com to ${file} with owner and ticket to fill in; the policy pack blocks the preview until they are`,
    );
    const desired = loadDesiredState(file);
    expect(desired.mailboxes.map((m) => [m.mailbox, m.owner])).toEqual([
      ["scanner@contoso.com", "facilities@contoso.com"],
      ["printer@contoso.com", PLACEHOLDER_OWNER],
    ]);
    // A second run finds nothing missing and leaves the file alone.
    const before = readFileSync(file, "utf8");
    const again = await run(sb, [
      "usage",
      "--ca",
      sb.caCertPath,
      "--tenant-file",
      file,
      "--propose",
      "--format",
      "json",
    ]);
    expect(again.code).toBe(0);
    expect(again.err).toContain("--propose: every account that signed in has a declared exception; nothing to add");
    expect(readFileSync(file, "utf8")).toBe(before);
  });
});
