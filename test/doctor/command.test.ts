import { describe, expect, it } from "vitest";
import { CAUSE_IDS } from "../../cli/doctor/causes.ts";
import { runDiagnose } from "../../cli/doctor/diagnose-command.ts";
import { diagnose } from "../../cli/doctor/diagnose.ts";
import { formatHuman } from "../../cli/doctor/format.ts";

function run(args: string[], stdin: string | null = null, columns?: number) {
  let out = "";
  let err = "";
  const code = runDiagnose(args, {
    stdin,
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    ...(columns !== undefined ? { columns } : {}),
  });
  return { code, out, err };
}

const TENANT =
  "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.";

describe("runDiagnose", () => {
  it("--json prints {causes:[{id, confidence, …}]} with stable ids", () => {
    const r = run(["--json", TENANT]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    const doc = JSON.parse(r.out) as {
      causes: Array<Record<string, unknown>>;
      extracted: Record<string, unknown>;
      ambiguity?: string;
    };
    expect(doc.causes[0]).toMatchObject({ id: "smtp_auth_disabled_tenant", weakensTenant: false });
    expect(doc.causes[0]!.confidence as number).toBeGreaterThan(0.9);
    for (const c of doc.causes) {
      expect(CAUSE_IDS).toContain(c.id);
      expect(typeof c.confidence).toBe("number");
      expect(c.confidence as number).toBeGreaterThanOrEqual(0);
      expect(c.confidence as number).toBeLessThanOrEqual(1);
      expect(Object.keys(c).sort()).toEqual(
        expect.arrayContaining(["check", "confidence", "fix", "id", "reason", "title", "weakensTenant"]),
      );
    }
    expect(doc.extracted).toMatchObject({
      replies: [{ code: 535, enhanced: "5.7.139", echoed: false }],
      stage: "unknown",
    });
    expect(doc.ambiguity).toBeUndefined();
  });

  it("--json carries the ambiguity for a bare 5.7.3", () => {
    const doc = JSON.parse(run(["--json", "535 5.7.3 Authentication unsuccessful"]).out) as {
      ambiguity?: string;
      causes: Array<{ id: string }>;
    };
    expect(doc.causes[0]!.id).toBe("wrong_credentials");
    expect(doc.ambiguity).toMatch(/does not say which gate/u);
  });

  it("reads stdin when no text is given, and prints ranked human output", () => {
    const r = run([], `Error: Invalid login: ${TENANT}\n`);
    expect(r.code).toBe(0);
    expect(r.out.split("\n")[0]).toMatch(
      /^1\. smtp_auth_disabled_tenant {2}\(9\d%\) {2}SMTP AUTH is disabled for the organisation$/u,
    );
    expect(r.out).toContain(
      "   why:   535 5.7.139: SMTP AUTH is off for the organisation and the mailbox inherits it.",
    );
    expect(r.out).toContain("tenant.yaml:");
    expect(r.out).toContain("organization: disabled");
    expect(r.out).not.toContain("check:");
    const v = run(["--verbose"], `Error: Invalid login: ${TENANT}\n`);
    expect(v.out.split("\n")[0]).toBe("Read: reply 535 5.7.139; stage auth; client nodemailer");
    expect(v.out).toContain("   check:");
    expect(v.out).toContain("Evidence (rule, strength, source):\n  code-5.7.139 1 — ");
  });

  it("joins several arguments into one text; -- allows text starting with '-'", () => {
    expect(run(["535", "5.7.139", "Authentication", "unsuccessful,", "account", "locked."]).out).toContain(
      "1. account_locked",
    );
    expect(run(["--", "-- 535 5.7.139 Authentication unsuccessful, account locked."]).code).toBe(0);
  });

  it("unknown text still exits 0 with the unknown cause", () => {
    const r = run(["--json", "the printer says no"]);
    expect(r.code).toBe(0);
    const causes = (JSON.parse(r.out) as { causes: Array<{ id: string; confidence: number; fromWords?: boolean }> })
      .causes;
    // No reply in the text: the leads from the report's words first, marked as such and far behind
    // `unknown`, which comes last with a modest prior, never certainty.
    const unknown = causes.at(-1)!;
    expect(unknown.id).toBe("unknown");
    expect(unknown.confidence).toBeGreaterThan(0.2);
    expect(unknown.confidence).toBeLessThan(0.9);
    expect(causes.length).toBeLessThanOrEqual(3);
    for (const c of causes.slice(0, -1)) {
      expect(c.fromWords).toBe(true);
      expect(c.confidence).toBeLessThan(0.05);
    }
  });

  it("bad arguments: clear message, exit 2, no stack trace", () => {
    const r = run(["--jsn", TENANT]);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toBe(
      "m365-smtp-auth doctor diagnose: unknown option '--jsn' (use --json, --verbose, --context, or -- before text that starts with '-')\n",
    );
    expect(r.err).not.toMatch(/\n\s+at /u);
  });

  it("no text at all: exit 2 with usage", () => {
    for (const [args, stdin] of [
      [[], null],
      [[], "  \n"],
      [["--json"], ""],
    ] as const) {
      const r = run([...args], stdin);
      expect(r.code).toBe(2);
      expect(r.err).toContain("no error text given");
      expect(r.err).toContain("usage: m365-smtp-auth doctor diagnose");
    }
  });

  it("--context is read as evidence and names the mailbox", () => {
    const bare = run(["535 5.7.3 Authentication unsuccessful"]);
    expect(bare.out.split("\n")[0]).toMatch(/^1\. wrong_credentials /u);
    const r = run(["--context", "MFA is on for scanner@contoso.com", "535 5.7.3 Authentication unsuccessful"]);
    expect(r.out.split("\n")[0]).toBe("Mailbox: scanner@contoso.com");
    expect(r.out.split("\n")[2]).toMatch(/^1\. per_user_mfa /u);
    expect(r.out).toContain("why:   You mention MFA");
    expect(r.out).toContain("scanner@contoso.com");
    expect(run(["--context"]).code).toBe(2);
  });

  it("fits one 80×24 screen: wrapped to its width, the OAuth/retirement note once, the runners-up on one line", () => {
    const r = run(["535 5.7.139 Authentication unsuccessful, the request did not meet the criteria"], null, 80);
    const lines = r.out.trimEnd().split("\n");
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
    expect(r.out.match(/second\s+half\s+of\s+2027/gu)).toHaveLength(1);
    expect(r.out.match(/^\d\. /gmu)).toHaveLength(1);
    expect(r.out).toMatch(/^Also possible: conditional_access_block \(\d+%\), security_defaults_enabled \(\d+%\)$/mu);
    expect(r.out).toContain("Question: Is MFA or Security Defaults on for this account");
    expect(lines.length).toBeLessThanOrEqual(24);
  });

  it("a paste with no reply that names no cause: the lead as a lead, what to check, no tenant change, one screen", () => {
    const r = run(["Brother MFC-L2750DW scan to email to Office 365 just says Send Failed. Ideas?"], null, 80);
    const lines = r.out.trimEnd().split("\n");
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(lines[0]).toMatch(/^1\. [a-z_]+ {2}\(\d+%, a lead from its words only\)/u);
    expect(r.out).toMatch(/^ {3}check: \S/mu);
    expect(r.out).toContain("   if so: ");
    expect(r.out).not.toContain("   fix:");
    expect(r.out).not.toContain("tenant.yaml");
    expect(r.out).toMatch(/^Undecided: the text itself names none of these \(\d+%\): Paste the complete error/mu);
  });

  it("never tells the user to run the command they just ran", () => {
    const r = run(["--verbose", "the printer says no"]);
    expect(r.out).not.toMatch(/doctor diagnose/u);
    // The same text from a probe: the check that says "run doctor probe" is dropped.
    const d = diagnose("the printer says no");
    expect(formatHuman(d, { verbose: true })).toMatch(/doctor probe/u);
    expect(formatHuman(d, { verbose: true, command: "probe" })).not.toMatch(/doctor probe/u);
  });

  it("--help prints usage and exits 0", () => {
    const r = run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("usage: m365-smtp-auth doctor diagnose [--json]");
  });
});
