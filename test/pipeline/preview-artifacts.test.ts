/** Issue 16.1: ci:preview links the comment to the run and keeps the untrimmed comment as an artifact. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runPipeline, type PipelineIo } from "../../cli/pipeline/commands.ts";
import { runUrlFromEnv } from "../../cli/pipeline/run-link.ts";

const recorded = readFileSync(
  path.join(import.meta.dirname, "..", "fixtures", "preview", "compliant-create.jsonl"),
  "utf8",
);

describe("ci:preview artifacts and run link", () => {
  let dir: string;
  const calls: string[][] = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "ci-preview-"));
    calls.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const io = (env: Record<string, string>): PipelineIo => ({
    cwd: dir,
    env,
    stdout: () => {},
    stderr: () => {},
    today: () => "2026-11-29",
    // The CLI's part is recorded output; test/pipeline/ci.test.ts runs the real CLI.
    pulumi: (args) => {
      calls.push(args);
      return Promise.resolve({ code: 0, stdout: recorded });
    },
  });

  it("links the GitHub run and writes comment.md and comment-full.md", async () => {
    const env = { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "contoso/tenants", GITHUB_RUN_ID: "77" };
    expect(await runPipeline(["preview", "--stack", "dev", "--today", "2026-11-29"], io(env))).toBe(0);
    expect(calls[0]?.slice(0, 4)).toEqual(["preview", "--stack", "dev", "--json"]);
    const comment = readFileSync(path.join(dir, ".pipeline/dev/comment.md"), "utf8");
    expect(comment.split("\n")[5]).toBe(
      "[The pipeline run](https://github.com/contoso/tenants/actions/runs/77) has the full preview (`preview.json`, `comment-full.md`).",
    );
    // Small enough to fit: the artifact copy is the same text.
    expect(readFileSync(path.join(dir, ".pipeline/dev/comment-full.md"), "utf8")).toBe(comment);
    expect(existsSync(path.join(dir, ".pipeline/dev/preview.json"))).toBe(true);
  });

  it("passes the stack's committed policy-config.json to the pack, unless one is given", async () => {
    mkdirSync(path.join(dir, "stacks", "dev"), { recursive: true });
    writeFileSync(
      path.join(dir, "stacks", "dev", "policy-config.json"),
      JSON.stringify({ "smtp-auth-mfa-blast-radius": { acknowledgedChanges: 3000 } }),
    );
    expect(await runPipeline(["preview", "--stack", "dev"], io({}))).toBe(0);
    expect(calls[0]?.slice(-4, -2)).toEqual([
      "--policy-pack-config",
      path.join(dir, "stacks", "dev", "policy-config.json"),
    ]);
    expect(await runPipeline(["preview", "--stack", "dev", "--policy-pack-config", "other.json"], io({}))).toBe(0);
    expect(calls[1]?.slice(-4, -2)).toEqual(["--policy-pack-config", path.join(dir, "other.json")]);
  });

  it("prints what the change overwrites to the job log", async () => {
    const changed = (i: number) =>
      JSON.stringify({
        diagnosticEvent: {
          severity: "info",
          message: `m${i}@contoso.com SMTP AUTH: enabled → disabled (tenant now → declared; ⛔ loses SMTP AUTH)\n`,
        },
      });
    const stream = `${recorded}${Array.from({ length: 52 }, (_, i) => changed(i)).join("\n")}\n`;
    const out: string[] = [];
    const code = await runPipeline(["preview", "--stack", "dev", "--today", "2026-11-29"], {
      ...io({}),
      stdout: (s) => out.push(s),
      pulumi: () => Promise.resolve({ code: 0, stdout: stream }),
    });
    expect(code).toBe(0);
    const lines = out.join("").split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "What this change overwrites (tenant now → declared), 52 item(s):",
      "  m0@contoso.com SMTP AUTH: enabled → disabled (tenant now → declared; ⛔ loses SMTP AUTH)",
      "  m1@contoso.com SMTP AUTH: enabled → disabled (tenant now → declared; ⛔ loses SMTP AUTH)",
    ]);
    expect(lines[51]).toBe("  … 2 more in comment-full.md");
  });

  it("builds the run's address for GitHub Actions and Azure Pipelines, and none elsewhere", () => {
    expect(
      runUrlFromEnv({
        GITHUB_SERVER_URL: "https://ghe.contoso.com/",
        GITHUB_REPOSITORY: "it/m365",
        GITHUB_RUN_ID: "5",
      }),
    ).toBe("https://ghe.contoso.com/it/m365/actions/runs/5");
    expect(
      runUrlFromEnv({
        SYSTEM_COLLECTIONURI: "https://dev.azure.com/contoso/",
        SYSTEM_TEAMPROJECT: "IT Ops",
        BUILD_BUILDID: "901",
      }),
    ).toBe("https://dev.azure.com/contoso/IT%20Ops/_build/results?buildId=901");
    expect(runUrlFromEnv({ GITHUB_REPOSITORY: "it/m365" })).toBeUndefined();
  });
});
