import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runPreviewComment, type PreviewCommentIo } from "../../cli/preview-comment/command.ts";
import { parsePreviewOutput, readPreview, UNKNOWN_VALUE } from "../../cli/preview-comment/model.ts";
import { commentMarker, renderPreviewComment } from "../../cli/preview-comment/render.ts";

/** Recorded by test/preview-comment/record.ts from the policy-scenarios program, with today = 2026-11-29. */
const fixtures = path.join(import.meta.dirname, "..", "fixtures", "preview");
const TODAY = "2026-11-29";
const recorded = (file: string) => parsePreviewOutput(readFileSync(path.join(fixtures, file), "utf8"));

describe("renderPreviewComment on recorded previews", () => {
  it.each([
    ["compliant-create.jsonl", "a first preview: creates, effective SMTP AUTH, retirement and 30-day warnings"],
    ["violations-create.jsonl", "mandatory violations block the preview"],
    ["changes-update.jsonl", "updates, a delete and unchanged rows after an up"],
    ["unknown-create.jsonl", "values unknown at preview"],
    ["changes-update-digest.json", "the plain --json digest, which carries no policy results"],
  ])("%s (%s)", async (file) => {
    const markdown = renderPreviewComment(recorded(file), { today: TODAY, stack: "dev" });
    await expect(markdown).toMatchFileSnapshot(path.join(fixtures, file.replace(/\.jsonl?$/, ".md")));
  });

  it("starts with a marker naming the stack, so a pipeline can update its comment", () => {
    const markdown = renderPreviewComment(recorded("compliant-create.jsonl"), { today: TODAY, stack: "contoso" });
    expect(markdown.split("\n")[0]).toBe(commentMarker("contoso"));
    expect(markdown).toContain("**Stack `contoso`:** 8 to create · ✅ policies passed");
  });

  it("judges expiry warnings against opts.today", () => {
    const later = renderPreviewComment(recorded("compliant-create.jsonl"), { today: "2026-12-20", stack: "dev" });
    expect(later).toContain(
      "- ⏳ The SMTP AUTH exception for scanner@contoso.com expired on 2026-12-19, 1 day ago (owner facilities@contoso.com, ticket CHG-1042): the scheduled drift check fails until it is renewed or removed.",
    );
    expect(later).toContain(
      "| scanner@contoso.com | — → **enabled** | ✅ can send | facilities@contoso.com | 2026-12-19 (expired) |",
    );
    const earlier = renderPreviewComment(recorded("compliant-create.jsonl"), { today: "2026-10-01", stack: "dev" });
    expect(earlier).not.toContain("⏳");
  });

  it("rejects a malformed today and input that is not preview output", () => {
    expect(() => renderPreviewComment([], { today: "29.11.2026", stack: "dev" })).toThrow("[today]");
    expect(() => renderPreviewComment({ hello: 1 }, { today: TODAY, stack: "dev" })).toThrow(
      "[preview] not `pulumi preview --json` output",
    );
  });
});

const m365 = (kind: string, name: string) => `urn:pulumi:prod::m365::pulumi-nodejs:dynamic/m365:${kind}::${name}`;
const pre = (op: string, kind: string, name: string, old: object | null, inputs: object | null) => ({
  resourcePreEvent: {
    metadata: {
      op,
      urn: m365(kind, name),
      type: `pulumi-nodejs:dynamic/m365:${kind}`,
      old: old && { inputs: old },
      new: inputs && { inputs: { ...inputs, __provider: "exports.handler = …" } },
    },
  },
});

describe("readPreview", () => {
  it("folds a replacement's steps into one replace, and drops the serialized provider", () => {
    const model = readPreview([
      pre("create-replacement", "MailboxSmtpAuth", "m", { state: "enabled" }, { state: "disabled" }),
      pre("replace", "MailboxSmtpAuth", "m", { state: "enabled" }, { state: "disabled" }),
      pre("delete-replaced", "MailboxSmtpAuth", "m", { state: "enabled" }, null),
    ]);
    expect(model.steps).toEqual([
      {
        urn: m365("MailboxSmtpAuth", "m"),
        type: "pulumi-nodejs:dynamic/m365:MailboxSmtpAuth",
        name: "m",
        op: "replace",
        before: { state: "enabled" },
        after: { state: "disabled" },
      },
    ]);
    expect(model.stack).toBe("prod");
    expect(model.policyResults).toBe("no-policy-pack");
  });

  it("keeps the violation message without the policy description, and error diagnostics", () => {
    const model = readPreview([
      { policyLoadEvent: {} },
      {
        policyEvent: {
          resourceUrn: "",
          message: "Description.\nThe message.\n",
          policyName: "p",
          policyPackName: "m365-smtp-auth",
          enforcementLevel: "advisory",
        },
      },
      { diagnosticEvent: { severity: "error", message: "tenant.yaml:3: bad key\n" } },
      { diagnosticEvent: { severity: "error", message: "preview failed\n" } },
      { diagnosticEvent: { severity: "debug", message: "noise" } },
    ]);
    expect(model.violations).toEqual([
      { policyName: "p", policyPackName: "m365-smtp-auth", enforcementLevel: "advisory", message: "The message." },
    ]);
    expect(model.errors).toEqual(["tenant.yaml:3: bad key"]);
    expect(model.failed).toBe(true);
    expect(model.policyResults).toBe("included");
  });
});

describe("renderPreviewComment details", () => {
  it("renders advisory violations, a stack-level violation, replace, unknowns and escaped cells", () => {
    const markdown = renderPreviewComment(
      [
        { policyLoadEvent: {} },
        pre(
          "replace",
          "PerUserMfa",
          "mfa-a",
          { user: "a@contoso.com", state: "enforced" },
          { user: "a@contoso.com", state: UNKNOWN_VALUE },
        ),
        pre(
          "update",
          "MailboxSmtpAuth",
          "mb",
          { mailbox: "x|y@contoso.com", state: "disabled" },
          {
            mailbox: "x|y@contoso.com",
            state: "enabled",
            owner: "o",
            ticket: "t",
            expires: TODAY,
          },
        ),
        { policyEvent: { message: "D.\nWhole stack.\n", policyName: "s", enforcementLevel: "advisory" } },
        { diagnosticEvent: { severity: "error", message: "boom" } },
      ],
      { today: TODAY, stack: "prod" },
    );
    expect(markdown).toBe(`${commentMarker("prod")}
### Pulumi preview: \`prod\`

**❌ The preview failed.**

\`\`\`
boom
\`\`\`

**Stack \`prod\`:** 1 to update · 1 to replace · ⚠️ 1 advisory policy violation · ❌ preview failed

#### SMTP AUTH per mailbox

| Item | Before → after | Effective SMTP AUTH | Owner | Expiry |
|---|---|---|---|---|
| x\\|y@contoso.com | disabled → **enabled** | — | o | 2026-11-29 (today) |

#### Per-user MFA

| Item | Before → after | Effective SMTP AUTH | Owner | Expiry |
|---|---|---|---|---|
| a@contoso.com | enforced → **(known after apply)** (replace) | — | — | — |

#### Policy violations

| Policy | Level | Resource | Message |
|---|---|---|---|
| \`s\` | ⚠️ advisory | (stack) | Whole stack. |

#### Warnings

- ⚠️ **Basic authentication for SMTP AUTH is being retired.** Microsoft keeps it available through December 2026, turns it off by default for existing tenants from the end of December 2026 and removes it in the second half of 2027. After this change SMTP AUTH is enabled for: x|y@contoso.com. Plan the move to OAuth 2.0 (client credentials) for SMTP.
- ⏳ The SMTP AUTH exception for x|y@contoso.com expires today (2026-11-29) (owner o, ticket t): renew it with a new ticket and expiry, or move the sender to OAuth.

<details>
<summary><b>Raw preview</b> (2)</summary>

\`\`\`text
+- replace pulumi-nodejs:dynamic/m365:PerUserMfa  mfa-a
~  update  pulumi-nodejs:dynamic/m365:MailboxSmtpAuth  mb
\`\`\`

</details>
`);
  });

  it("says so when no resource changes and no policy pack ran", () => {
    expect(renderPreviewComment([], { today: TODAY, stack: "dev" })).toBe(
      `${commentMarker("dev")}\n### Pulumi preview: \`dev\`\n\n**Stack \`dev\`:** no changes · ⚠️ no policy pack ran\n`,
    );
  });
});

describe("runPreviewComment", () => {
  function io(over: Partial<PreviewCommentIo> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const value: PreviewCommentIo = {
      stdin: null,
      readFile: (p) => readFileSync(p, "utf8"),
      stdout: (s) => out.push(s),
      stderr: (s) => err.push(s),
      today: () => TODAY,
      ...over,
    };
    return { io: value, out, err };
  }
  const file = path.join(fixtures, "compliant-create.jsonl");
  const expected = () => renderPreviewComment(recorded("compliant-create.jsonl"), { today: TODAY, stack: "dev" });

  it("reads a file, takes the stack from the URNs and today from io", () => {
    const t = io();
    expect(runPreviewComment([file], t.io)).toBe(0);
    expect(t.out.join("")).toBe(expected());
    expect(t.err).toEqual([]);
  });

  it("reads stdin, with --stack and --today", () => {
    const t = io({ stdin: readFileSync(file, "utf8") });
    expect(runPreviewComment(["--stack", "contoso", "--today", "2026-10-01", "-"], t.io)).toBe(0);
    expect(t.out.join("")).toBe(
      renderPreviewComment(recorded("compliant-create.jsonl"), { today: "2026-10-01", stack: "contoso" }),
    );
  });

  it.each([
    [["--bogus"], null, "m365-smtp-auth preview-comment: unknown option '--bogus'"],
    [["--today", "tomorrow", file], null, "m365-smtp-auth preview-comment: --today is not YYYY-MM-DD: tomorrow"],
    [["--stack"], null, "m365-smtp-auth preview-comment: --stack needs a value"],
    [[], null, "m365-smtp-auth preview-comment: no preview output on stdin"],
    [[], "not json\n{", "m365-smtp-auth preview-comment: [preview] line 1 is not JSON: not json"],
    [["/nonexistent/preview.json"], null, "m365-smtp-auth preview-comment: cannot read /nonexistent/preview.json"],
  ])("exits 2 on %j", (args, stdin, message) => {
    const t = io({ stdin });
    expect(runPreviewComment(args, t.io)).toBe(2);
    expect(t.err.join("")).toContain(message);
    expect(t.out).toEqual([]);
  });

  it("prints usage for --help", () => {
    const t = io();
    expect(runPreviewComment(["--help"], t.io)).toBe(0);
    expect(t.out.join("")).toContain("usage: m365-smtp-auth preview-comment");
  });
});

describe("mfa.others in the comment", () => {
  it("has its own section naming the users not listed and how many it raises", () => {
    const markdown = renderPreviewComment(
      [
        pre(
          "update",
          "OtherUsersMfa",
          "other-users-mfa",
          { state: "enforced", declared: ["scanner@contoso.com"], strays: ["alice@contoso.com", "bob@contoso.com"] },
          { state: "enforced", declared: ["scanner@contoso.com"], strays: [] },
        ),
      ],
      { today: TODAY, stack: "dev" },
    );
    expect(markdown).toContain("Per-user MFA for other users");
    expect(markdown).toMatch(/\| users not listed by name \| enforced \(raises 2 users\) → \*\*enforced\*\* \|/u);
  });
});

describe("MFA coverage in the comment (issue 15.5)", () => {
  const stack = (outputs: object) => ({
    resourcePreEvent: {
      metadata: {
        op: "same",
        urn: "urn:pulumi:prod::m365::pulumi:pulumi:Stack::m365-prod",
        type: "pulumi:pulumi:Stack",
        new: { outputs },
      },
    },
  });
  const coverage = {
    securityDefaults: "disabled",
    accounts: 6,
    coveredBy: { securityDefaults: 0, perUserMfa: 1, baseline: 0, conditionalAccess: 0 },
    withoutMfa: {
      count: 3,
      declaredCount: 1,
      users: ["alice@contoso.com", "bob@contoso.com", "scanner@contoso.com"],
      declared: ["scanner@contoso.com"],
    },
    unknown: { count: 0, users: [], why: [] },
  };
  const securityDefaultsOff = pre(
    "update",
    "SecurityDefaults",
    "security-defaults",
    { enabled: true },
    { enabled: false },
  );
  const tenantNow = (current: string) => ({
    diagnosticEvent: {
      severity: "info",
      message: `tenant security defaults: ${current} → disabled (tenant now → declared)\n`,
    },
  });

  it("names the users who lose MFA with the change, the declared exception apart", () => {
    const markdown = renderPreviewComment(
      [securityDefaultsOff, tenantNow("enabled"), stack({ mfaCoverage: coverage })],
      {
        today: TODAY,
        stack: "dev",
      },
    );
    expect(markdown).toContain(
      "- 🔓 **MFA coverage.** Security defaults go from on to off. 2 accounts of 6 lose MFA with this change: alice@contoso.com, bob@contoso.com. Cover them with `mfa.others: enforced`, per-user MFA or `conditionalAccessBaseline: { state: on }`. Declared without MFA in tenant.yaml: scanner@contoso.com.",
    );
  });

  it("says 'have no MFA' when security defaults are already off, and nothing when nobody is left out", () => {
    const already = renderPreviewComment([tenantNow("disabled"), stack({ mfaCoverage: coverage })], {
      today: TODAY,
      stack: "dev",
    });
    expect(already).toContain(
      "Security defaults are off. 2 accounts of 6 have no MFA: alice@contoso.com, bob@contoso.com.",
    );
    const none = { ...coverage, withoutMfa: { count: 0, declaredCount: 0, users: [], declared: [] } };
    expect(renderPreviewComment([stack({ mfaCoverage: none })], { today: TODAY, stack: "dev" })).not.toContain(
      "MFA coverage",
    );
    expect(
      renderPreviewComment([securityDefaultsOff, tenantNow("enabled"), stack({ mfaCoverage: none })], {
        today: TODAY,
        stack: "dev",
      }),
    ).toContain("🔐 **MFA coverage:** security defaults go off, and every account keeps MFA.");
  });

  it("shows a failed read instead of guessing", () => {
    const markdown = renderPreviewComment(
      [stack({ mfaCoverage: { securityDefaults: "disabled", error: "Graph answered 503" } })],
      {
        today: TODAY,
        stack: "dev",
      },
    );
    expect(markdown).toContain("🔓 **MFA coverage with security defaults off could not be read:** Graph answered 503");
  });
});
