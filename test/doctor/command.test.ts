import { describe, expect, it } from "vitest";
import { CAUSE_IDS } from "../../cli/doctor/causes.ts";
import { runDiagnose } from "../../cli/doctor/diagnose-command.ts";

function run(args: string[], stdin: string | null = null) {
  let out = "";
  let err = "";
  const code = runDiagnose(args, { stdin, stdout: (s) => (out += s), stderr: (s) => (err += s) });
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
    expect(doc.causes[0]).toMatchObject({ id: "smtp_auth_disabled_tenant", confidence: 0.86, weakensTenant: false });
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
    expect(r.out.split("\n")[0]).toBe("Read: reply 535 5.7.139; stage auth; client nodemailer");
    expect(r.out).toContain("1. smtp_auth_disabled_tenant  (86%)  SMTP AUTH is disabled for the organisation");
    expect(r.out).toContain("tenant.yaml:");
    expect(r.out).toContain("organization: disabled");
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
    expect((JSON.parse(r.out) as { causes: Array<{ id: string; confidence: number }> }).causes).toEqual([
      expect.objectContaining({ id: "unknown", confidence: 1 }),
    ]);
  });

  it("bad arguments: clear message, exit 2, no stack trace", () => {
    const r = run(["--jsn", TENANT]);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toBe(
      "m365-smtp-auth doctor diagnose: unknown option '--jsn' (use --json, or -- before text that starts with '-')\n",
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

  it("--help prints usage and exits 0", () => {
    const r = run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("usage: m365-smtp-auth doctor diagnose [--json]");
  });
});
