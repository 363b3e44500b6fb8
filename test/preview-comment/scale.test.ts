/**
 * Issue 16.1: the comment for a first adoption of 3,000 mailboxes stays under GitHub's limit and
 * shows current values; the drift report, posted as an issue body, is bounded the same way.
 */
import { describe, expect, it } from "vitest";
import { GITHUB_COMMENT_LIMIT, DEFAULT_BUDGET } from "../../cli/preview-comment/layout.ts";
import { renderPreviewComment } from "../../cli/preview-comment/render.ts";
import { renderDriftReport } from "../../cli/pipeline/drift.ts";
import { currentLine } from "../../program/current.ts";

const TODAY = "2026-11-29";
const RUN = "https://github.com/contoso/m365-tenants/actions/runs/4242";
const m365 = (kind: string, name: string) => `urn:pulumi:contoso::m365::pulumi-nodejs:dynamic/m365:${kind}::${name}`;
const create = (kind: string, name: string, inputs: object) => ({
  resourcePreEvent: {
    metadata: { op: "create", urn: m365(kind, name), type: `pulumi-nodejs:dynamic/m365:${kind}`, new: { inputs } },
  },
});
const info = (message: string) => ({ diagnosticEvent: { severity: "info", message: `${message}\n` } });

const N = 3000;
const address = (i: number) => `m${String(i).padStart(4, "0")}@contoso.com`;

/** 3,000 new mailboxes: even ones disabled (SMTP AUTH enabled today), odd ones enabled exceptions (inherit today). */
function adoption(): unknown[] {
  const events: unknown[] = [{ policyLoadEvent: {} }];
  for (let i = 0; i < N; i++) {
    const disabled = i % 2 === 0;
    events.push(
      create(
        "MailboxSmtpAuth",
        `mailbox-${address(i)}`,
        disabled
          ? { mailbox: address(i), state: "disabled" }
          : {
              mailbox: address(i),
              state: "enabled",
              owner: "facilities@contoso.com",
              ticket: "CHG-7",
              expires: "2027-06-30",
            },
      ),
    );
    events.push(
      info(
        currentLine(
          disabled
            ? { kind: "MailboxSmtpAuth", item: address(i), current: "enabled", declared: "disabled", effect: "loses" }
            : { kind: "MailboxSmtpAuth", item: address(i), current: "inherit", declared: "enabled", effect: "gains" },
        ),
      ),
    );
  }
  events.push(
    create("PerUserMfa", "mfa-alice@contoso.com", { user: "alice@contoso.com", state: "enforced" }),
    info(currentLine({ kind: "PerUserMfa", item: "alice@contoso.com", current: "disabled", declared: "enforced" })),
    create("ExchangeServicePrincipal", "exchange-sp-scanner", {
      appId: "52e8a1c4-9f07-4b3d-a6e2-d1c0b9a8f7e6",
      objectId: "e3f4a5b6-c7d8-4e9f-8a0b-1c2d3e4f5a6b",
      displayName: "Scanner (OAuth)",
    }),
    create("MailboxPermission", "mailbox-permission-scanner", {
      mailbox: "scanner@contoso.com",
      user: "e3f4a5b6-c7d8-4e9f-8a0b-1c2d3e4f5a6b",
      appId: "52e8a1c4-9f07-4b3d-a6e2-d1c0b9a8f7e6",
      accessRights: ["FullAccess"],
    }),
    info(`tenant now: read ${N + 1} declared items, ${N + 1} differ from tenant.yaml`),
    { policyAnalyzeSummaryEvent: {} },
  );
  return events;
}

describe("the PR comment for 3,000 new mailboxes", () => {
  const events = adoption();
  const started = performance.now();
  const markdown = renderPreviewComment(events, { today: TODAY, stack: "contoso", runUrl: RUN });
  const elapsed = performance.now() - started;
  const lines = markdown.split("\n");

  it("stays within the budget, below GitHub's 65,536 characters", () => {
    expect(DEFAULT_BUDGET).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(markdown.length).toBeLessThanOrEqual(DEFAULT_BUDGET);
    expect(markdown.length).toBeGreaterThan(DEFAULT_BUDGET - 2_000); // it uses the room it has
    expect(elapsed).toBeLessThan(5_000);
  });

  it("starts with the summary counts and the link to the run", () => {
    expect(lines.slice(0, 7)).toEqual([
      "<!-- m365-smtp-auth preview-comment stack=contoso -->",
      "### Pulumi preview: `contoso`",
      "",
      "**Stack `contoso`:** 3003 to create · ✅ policies passed",
      "",
      `[The pipeline run](${RUN}) has the full preview (\`preview.json\`, \`comment-full.md\`).`,
      "",
    ]);
  });

  it("collapses the mailbox section, shows current → declared and the effect, and says how many rows it left out", () => {
    const at = lines.indexOf("<summary><b>SMTP AUTH per mailbox</b> (3000)</summary>");
    expect(lines[at - 1]).toBe("<details>");
    expect(lines.slice(at + 2, at + 6)).toEqual([
      "| Item | Tenant now → declared | Effective SMTP AUTH | Owner | Expiry |",
      "|---|---|---|---|---|",
      "| m0000@contoso.com | enabled → **disabled** | ⛔ loses SMTP AUTH | — | — |",
      "| m0001@contoso.com | inherit → **enabled** | ✅ gains SMTP AUTH | facilities@contoso.com | 2027-06-30 (in 213 days) |",
    ]);
    const rows = lines.filter((l) => /^\| m\d{4}@contoso\.com \|/.test(l)).length;
    expect(rows).toBeGreaterThan(100);
    expect(lines).toContain(`_… ${N - rows} more rows, see the run's artifact \`comment-full.md\`._`);
  });

  it("shows MFA and the OAuth kinds in their own readable sections", () => {
    expect(markdown).toContain("| alice@contoso.com | disabled → **enforced** | — | — | — |");
    expect(markdown).toContain(
      "#### OAuth: apps registered in Exchange (New-ServicePrincipal)\n\n| App | App (client) id | Enterprise app object id | Step |\n|---|---|---|---|\n| Scanner (OAuth) | 52e8a1c4-9f07-4b3d-a6e2-d1c0b9a8f7e6 | e3f4a5b6-c7d8-4e9f-8a0b-1c2d3e4f5a6b | **add** |",
    );
    expect(markdown).toContain("| scanner@contoso.com | 52e8a1c4-9f07-4b3d-a6e2-d1c0b9a8f7e6 | FullAccess | **add** |");
    expect(markdown).not.toContain("Other resources");
    // The retirement warning names ten mailboxes and counts the rest.
    expect(markdown).toContain("m0019@contoso.com and 1490 more. Plan the move to OAuth");
  });

  it("keeps a collapsed raw preview with what room is left, and the full copy has every row", () => {
    expect(markdown).toContain("<summary><b>Raw preview</b> (3003)</summary>");
    const full = renderPreviewComment(events, { today: TODAY, stack: "contoso", runUrl: RUN, budget: Infinity });
    expect(full.split("\n").filter((l) => /^\| m\d{4}@contoso\.com \|/.test(l))).toHaveLength(N);
    expect(full).not.toContain("more rows, see");
  });

  it("puts a failed preview's error first", () => {
    const failed = renderPreviewComment(
      [...events, { diagnosticEvent: { severity: "error", message: "tenant.yaml:3:5 smtpAuth.other: unknown key" } }],
      { today: TODAY, stack: "contoso" },
    );
    expect(failed.split("\n").slice(3, 9)).toEqual([
      "**❌ The preview failed.**",
      "",
      "```",
      "tenant.yaml:3:5 smtpAuth.other: unknown key",
      "```",
      "",
    ]);
    expect(failed.length).toBeLessThanOrEqual(DEFAULT_BUDGET);
  });
});

describe("the drift report for 3,000 drifted mailboxes", () => {
  const urn = (i: number) =>
    `urn:pulumi:contoso::m365::pulumi-nodejs:dynamic/m365:MailboxSmtpAuth::mailbox-${address(i)}`;
  const events = Array.from({ length: N }, (_, i) => ({
    resourcePreEvent: {
      metadata: {
        op: "update",
        urn: urn(i),
        type: "pulumi-nodejs:dynamic/m365:MailboxSmtpAuth",
        old: { inputs: { mailbox: address(i), state: "enabled" } },
        new: { inputs: { mailbox: address(i), state: "disabled" } },
      },
    },
  }));
  const scan = { today: TODAY, days: 30, files: ["stacks/contoso/tenant.yaml"], exceptions: [], problems: [] };
  const input = { stack: "contoso", previewJson: events, previewCode: 255, scan };

  it("fits an issue body, keeps what to do, and the artifact copy has every row", () => {
    const { markdown, verdict } = renderDriftReport(input);
    expect(verdict.drift).toHaveLength(N);
    expect(markdown.length).toBeLessThanOrEqual(DEFAULT_BUDGET);
    const lines = markdown.split("\n");
    expect(lines[3]).toBe(
      "❌ drift: 3000 items differ from tenant.yaml · ✅ none expired or expiring within 30 days · 0 dated exceptions in 1 file",
    );
    expect(lines).toContain("<summary><b>Drift (in the tenant → declared in tenant.yaml)</b> (3000)</summary>");
    expect(lines).toContain("| m0000@contoso.com | MailboxSmtpAuth | update | state: enabled → disabled |");
    const rows = lines.filter((l) => /^\| m\d{4}@contoso\.com \|/.test(l)).length;
    expect(lines).toContain(`_… ${N - rows} more rows, see the run's artifact \`drift-full.md\`._`);
    expect(markdown).toContain("Either run the apply pipeline (`pulumi up --refresh`)");
    const full = renderDriftReport({ ...input, budget: Infinity }).markdown;
    expect(full.split("\n").filter((l) => /^\| m\d{4}@contoso\.com \|/.test(l))).toHaveLength(N);
  });
});
