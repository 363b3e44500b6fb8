/**
 * The readiness pipelines (issue 15 item 6): the GitHub workflow and the Azure DevOps pipeline run
 * `m365-smtp-auth usage` weekly per stack, read-only, signed in by workload identity federation,
 * post the Markdown report to an issue / work item and notify the owners of expiring exceptions.
 * actionlint runs on every workflow in test/pipeline/workflows.test.ts.
 */
import { accessSync, constants, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface Step {
  uses?: string;
  run?: string;
  bash?: string;
  task?: string;
  inputs?: Record<string, unknown> & { inlineScript?: string };
  env?: Record<string, string>;
}

const load = (file: string) => parse(readFileSync(file, "utf8")) as Record<string, unknown>;

describe("GitHub readiness workflow", () => {
  const wf = load(".github/workflows/readiness.yml") as {
    on: Record<string, unknown>;
    permissions: unknown;
    jobs: Record<string, { permissions?: unknown; steps: Step[]; concurrency?: unknown }>;
  };
  const job = wf.jobs.readiness!;
  const text = job.steps.map((s) => s.run ?? "").join("\n");

  it("runs weekly and on demand with read-only defaults", () => {
    expect(wf.on).toEqual({ schedule: [{ cron: "23 6 * * 1" }], workflow_dispatch: null });
    expect(wf.permissions).toEqual({ contents: "read" });
    expect(job.permissions).toEqual({ contents: "read", "id-token": "write", issues: "write" });
  });

  it("runs usage per stack through the OIDC wrapper and writes Markdown and JSON", () => {
    expect(text).toContain(
      '.github/scripts/with-azure-oidc.sh npm run --silent ci:readiness -- --stack "$STACK" --days 30',
    );
    expect(text).toContain('--format md --out ".pipeline/$STACK/readiness.md"');
    expect(text).toContain("--owner-handles .github/exception-owners.json");
    expect(text).not.toMatch(/--propose|pulumi up|ci:apply/);
  });

  it("posts to one issue per stack and mentions owners in a new comment", () => {
    expect(text).toContain('title="SMTP AUTH readiness: stack $STACK"');
    expect(text).toContain('gh issue edit "$number" --body-file "$report"');
    expect(text).toContain('gh issue comment "$number" --body "$cc');
  });
});

describe("Azure DevOps readiness pipeline", () => {
  const ado = load("pipelines/readiness.yml") as {
    trigger: unknown;
    pr: unknown;
    schedules: { cron: string; branches: unknown }[];
    stages: { stage: string; jobs: { steps: Step[] }[] }[];
  };
  const steps = ado.stages.find((s) => s.stage === "Readiness")!.jobs[0]!.steps;

  it("runs on a weekly schedule only", () => {
    expect(ado.trigger).toBe("none");
    expect(ado.pr).toBe("none");
    expect(ado.schedules.map((s) => [s.cron, s.branches])).toEqual([["23 6 * * 1", { include: ["main"] }]]);
  });

  it("signs in through the read service connection and posts the report to a work item", () => {
    const cli = steps.find((s) => s.task === "AzureCLI@2")!;
    expect(cli.inputs).toMatchObject({
      azureSubscription: "${{ parameters.readServiceConnection }}",
      addSpnToEnvironment: true,
    });
    expect(cli.inputs?.inlineScript).toMatch(
      /^pipelines\/with-ado-oidc\.sh npm run --silent ci:readiness -- --stack "\$\(stack\)" /,
    );
    const post = steps.find((s) => s.bash?.startsWith("pipelines/readiness-work-item.sh"))!;
    expect(post.env).toEqual({ AZURE_DEVOPS_EXT_PAT: "$(System.AccessToken)" });
    expect(() => accessSync("pipelines/readiness-work-item.sh", constants.X_OK)).not.toThrow();
  });

  it("assigns the work item to the owner of the first expiring exception", () => {
    const script = readFileSync("pipelines/readiness-work-item.sh", "utf8");
    expect(script).toContain('assign=(--assigned-to "$first")');
    expect(script).toContain("r.expiring.map((e) => e.owner)");
  });
});
