/**
 * Issue 16.9: ci:expiring and ci:drift post an Adaptive Card to a Teams Workflows webhook. A local
 * HTTP server stands in for the webhook and captures each POST.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runPipeline, type PipelineIo } from "../../cli/pipeline/commands.ts";

const TODAY = "2026-11-29";
const SECRET_SIG = "sig=Zm9yLXRlc3RzLW9ubHk";

interface Captured {
  method: string;
  url: string;
  contentType: string | undefined;
  body: unknown;
}

describe("Teams notifications (ci:expiring, ci:drift)", () => {
  let server: Server;
  let base: string;
  const posts: Captured[] = [];
  let status = 202;
  let dir: string;
  let out: string[];
  let err: string[];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        posts.push({
          method: req.method ?? "",
          url: req.url ?? "",
          contentType: req.headers["content-type"],
          body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown,
        });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "teams-"));
    mkdirSync(path.join(dir, "stacks", "contoso"), { recursive: true });
    writeFileSync(
      path.join(dir, "stacks", "contoso", "tenant.yaml"),
      `smtpAuth:
  mailboxes:
    scanner@contoso.com: { state: enabled, owner: facilities@contoso.com, ticket: CHG-1042, expires: 2026-12-09 }
    copier@contoso.com: { state: enabled, owner: print@contoso.com, expires: 2026-11-20 }
    fax@contoso.com: { state: enabled, owner: facilities@contoso.com, expires: 2027-06-30 }
`,
    );
    posts.length = 0;
    status = 202;
    out = [];
    err = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const io = (env: Record<string, string>, stdout = ""): PipelineIo => ({
    cwd: dir,
    env,
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    today: () => TODAY,
    pulumi: () => Promise.resolve({ code: 0, stdout }),
  });
  const hook = () => `${base}/workflows/abc/triggers/manual/paths/invoke?api-version=1&${SECRET_SIG}`;

  it("ci:expiring posts one card that @-mentions each due exception's owner", async () => {
    const env = {
      TEAMS_WEBHOOK_URL: hook(),
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "contoso/tenants",
      GITHUB_RUN_ID: "9",
    };
    expect(await runPipeline(["expiring", "--today", TODAY], io(env))).toBe(1); // copier has expired
    expect(posts).toHaveLength(1);
    expect(posts[0]!.method).toBe("POST");
    expect(posts[0]!.url).toBe(`/workflows/abc/triggers/manual/paths/invoke?api-version=1&${SECRET_SIG}`);
    expect(posts[0]!.contentType).toBe("application/json");
    expect(posts[0]!.body).toEqual({
      type: "message",
      attachments: [
        {
          contentType: "application/vnd.microsoft.card.adaptive",
          contentUrl: null,
          content: {
            $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
            type: "AdaptiveCard",
            version: "1.4",
            body: [
              {
                type: "TextBlock",
                text: `Exceptions due (as of ${TODAY})`,
                wrap: true,
                size: "Medium",
                weight: "Bolder",
              },
              {
                type: "TextBlock",
                text: "1 exception(s) expired: the scheduled drift check fails until they are renewed or removed.",
                wrap: true,
              },
              {
                type: "TextBlock",
                text:
                  "- ❌ SMTP AUTH enabled for copier@contoso.com: 2026-11-20 (expired 9 days ago); owner <at>print@contoso.com</at>; stacks/contoso/tenant.yaml:4\n" +
                  "- ⏳ SMTP AUTH enabled for scanner@contoso.com: 2026-12-09 (in 10 days); owner <at>facilities@contoso.com</at>; ticket CHG-1042; stacks/contoso/tenant.yaml:3",
                wrap: true,
              },
            ],
            actions: [
              {
                type: "Action.OpenUrl",
                title: "Open the pipeline run",
                url: "https://github.com/contoso/tenants/actions/runs/9",
              },
            ],
            msteams: {
              width: "Full",
              entities: [
                {
                  type: "mention",
                  text: "<at>facilities@contoso.com</at>",
                  mentioned: { id: "facilities@contoso.com", name: "facilities@contoso.com" },
                },
                {
                  type: "mention",
                  text: "<at>print@contoso.com</at>",
                  mentioned: { id: "print@contoso.com", name: "print@contoso.com" },
                },
              ],
            },
          },
        },
      ],
    });
    expect(out.join("")).toContain("ci:expiring: posted to the Teams channel\n");
  });

  it("posts nothing when nothing is due or no webhook is set", async () => {
    expect(await runPipeline(["expiring", "--today", "2026-01-01"], io({ TEAMS_WEBHOOK_URL: hook() }))).toBe(0);
    expect(await runPipeline(["expiring", "--today", TODAY], io({}))).toBe(1);
    // Azure Pipelines leaves an undefined secret variable as its macro text.
    expect(await runPipeline(["expiring", "--today", TODAY], io({ TEAMS_WEBHOOK_URL: "$(TEAMS_WEBHOOK_URL)" }))).toBe(
      1,
    );
    expect(err.join("")).not.toContain("Teams");
    expect(posts).toEqual([]);
  });

  it("a refused post fails the command, and the error never shows the webhook's signature", async () => {
    status = 400;
    expect(await runPipeline(["expiring", "--today", "2026-12-01"], io({ TEAMS_WEBHOOK_URL: hook() }))).toBe(1);
    expect(posts).toHaveLength(1);
    expect(err.join("")).toContain(`\nci:expiring: the Teams webhook (${new URL(base).host}) answered 400\n`);
    expect(JSON.stringify([out, err])).not.toContain("sig=");
  });

  it("ci:drift posts the items that differ", async () => {
    const urn = "urn:pulumi:contoso::m365::pulumi-nodejs:dynamic/m365:MailboxSmtpAuth::mailbox-fax@contoso.com";
    const stream = [
      { resourcePreEvent: { metadata: { op: "refresh", urn, type: "pulumi-nodejs:dynamic/m365:MailboxSmtpAuth" } } },
      {
        resourcePreEvent: {
          metadata: {
            op: "update",
            urn,
            type: "pulumi-nodejs:dynamic/m365:MailboxSmtpAuth",
            old: { inputs: { mailbox: "fax@contoso.com", state: "disabled" } },
            new: { inputs: { mailbox: "fax@contoso.com", state: "enabled" } },
          },
        },
      },
      { policyLoadEvent: {} },
    ]
      .map((e) => JSON.stringify(e))
      .join("\n");
    const code = await runPipeline(
      [
        "drift",
        "--stack",
        "contoso",
        "--tenant-file",
        "stacks/contoso/tenant.yaml",
        "--days",
        "0",
        "--today",
        "2026-11-01",
      ],
      io({ TEAMS_WEBHOOK_URL: hook() }, stream),
    );
    expect(code).toBe(1);
    const content = (posts[0]!.body as { attachments: { content: { body: { text: string }[]; msteams: unknown } }[] })
      .attachments[0]!.content;
    expect(content.body.map((b) => b.text)).toEqual([
      "Drift on stack contoso",
      "1 item(s) differ from tenant.yaml. Run the apply pipeline to put the tenant back, or change tenant.yaml in a pull request to accept what is there now.",
      "- **fax@contoso.com** (MailboxSmtpAuth, update): state: disabled → enabled",
    ]);
    expect(content.msteams).toEqual({ width: "Full", entities: [] });
  });
});
