import { spawnSync } from "node:child_process";
import { accessSync, constants, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { projectRoot } from "../../engine/pulumi-env.ts";

/**
 * The CI definitions (issue 6 item 3): actionlint on .github/workflows, and the structure both the
 * GitHub workflows and the Azure DevOps pipeline must keep — triggers, OIDC sign-in, one apply at a
 * time per stack, the reviewed plan, no stored client secret, and the npm scripts they call.
 */

/** The parts of a GitHub workflow step or an Azure DevOps step this test reads. */
interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  task?: string;
  inputs?: Record<string, unknown> & { inlineScript?: string };
}
interface Job {
  permissions?: unknown;
  concurrency?: unknown;
  environment?: string;
  strategy?: { matrix?: { stack?: string }; maxParallel?: number };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown> & { schedule?: unknown[] };
  permissions?: unknown;
  jobs: Record<string, Job>;
}
interface CompositeAction {
  runs: { steps: Step[] };
}
interface AdoPipeline {
  trigger: { branches: unknown };
  pr: unknown;
  schedules: { branches: unknown }[];
  lockBehavior: string;
  stages: { stage: string; condition?: string; jobs: Job[] }[];
}

const workflowsDir = path.join(projectRoot, ".github", "workflows");
const load = <T>(file: string): T => parse(readFileSync(path.join(projectRoot, file), "utf8")) as T;
const runs = (job: Job | undefined) => (job?.steps ?? []).map((s) => s.run ?? "");

/** The npm scripts the lead adds to package.json; the workflows call exactly these. */
const CI_SCRIPTS: Record<string, string> = {
  "ci:preview": "node cli/pipeline/main.ts preview",
  "ci:apply": "node cli/pipeline/main.ts apply",
  "ci:drift": "node cli/pipeline/main.ts drift",
  "ci:expiring": "node cli/pipeline/main.ts expiring",
  "ci:stacks": "node cli/pipeline/main.ts stacks",
  "ci:readiness": "node cli/main.ts usage",
  "lint:workflows": "bash tools/build-actionlint.sh && .tools/bin/actionlint",
};

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

/** Every `npm run <script>` named in a text. */
const npmScripts = (text: string) => [...text.matchAll(/npm run (?:--silent )?([\w:-]+)/g)].map((m) => m[1]!);

describe("GitHub Actions workflows", () => {
  let preview: Workflow;
  let apply: Workflow;
  let drift: Workflow;

  beforeAll(() => {
    preview = load<Workflow>(".github/workflows/preview.yml");
    apply = load<Workflow>(".github/workflows/apply.yml");
    drift = load<Workflow>(".github/workflows/drift.yml");
  });

  it("pass actionlint", { timeout: 300_000 }, () => {
    const build = spawnSync("bash", [path.join(projectRoot, "tools", "build-actionlint.sh")], { encoding: "utf8" });
    expect(build.status, build.stderr).toBe(0);
    const lint = spawnSync(path.join(projectRoot, ".tools", "bin", "actionlint"), ["-no-color"], {
      cwd: projectRoot,
      encoding: "utf8",
    });
    expect(`${lint.stdout}${lint.stderr}`).toBe("");
    expect(lint.status).toBe(0);
  });

  it("are exactly preview, apply, drift, readiness and the Windows check", () => {
    expect(readdirSync(workflowsDir).sort()).toEqual([
      "apply.yml",
      "drift.yml",
      "preview.yml",
      "readiness.yml",
      "windows.yml",
    ]);
  });

  it("windows runs the admin's commands on windows-latest with PowerShell only", () => {
    const text = readFileSync(path.join(workflowsDir, "windows.yml"), "utf8");
    const windows = load<Workflow>(".github/workflows/windows.yml");
    const job = windows.jobs.windows!;
    const { "runs-on": runsOn, defaults } = job as { "runs-on"?: unknown; defaults?: unknown };
    expect(runsOn).toBe("windows-latest");
    expect(defaults).toEqual({ run: { shell: "pwsh" } });
    expect(text).not.toMatch(/shell: *(bash|sh)\b|\.sh\b|\.github\/actions\/setup/);
    for (const command of [
      "npm run pulumi -- version",
      "node cli/bin.js doctor diagnose",
      "npm start",
      "npm run validate",
      "npm run ci:stacks",
    ]) {
      expect(text).toContain(command);
    }
  });

  it("preview runs on pull requests into main and signs in with an OIDC token per stack", () => {
    expect(preview.on).toEqual({ pull_request: { branches: ["main"] } });
    const job = preview.jobs.preview!;
    expect(job.permissions).toEqual({ contents: "read", "id-token": "write", "pull-requests": "write" });
    expect(job.strategy?.matrix?.stack).toBe("${{ fromJSON(needs.stacks.outputs.stacks) }}");
    const text = runs(job).join("\n");
    expect(text).toContain('.github/scripts/with-azure-oidc.sh npm run ci:preview -- --stack "$STACK"');
    expect(text).toContain('marker="$(head -n 1 "$file")"');
    const upload = job.steps.find((s) => s.uses === "actions/upload-artifact@v4");
    expect(upload?.with?.name).toBe("pulumi-plan-${{ matrix.stack }}");
    expect(upload?.with?.path).toContain(".pipeline/${{ matrix.stack }}/plan.json");
  });

  it("apply runs on main only, applies the reviewed plan, one at a time per stack, behind an environment", () => {
    expect(apply.on).toEqual({ push: { branches: ["main"] } });
    const job = apply.jobs.apply!;
    expect(job.concurrency).toEqual({ group: "pulumi-${{ matrix.stack }}", "cancel-in-progress": false });
    expect(job.environment).toBe("${{ matrix.stack }}");
    expect(job.permissions).toMatchObject({ "id-token": "write" });
    const steps = runs(job);
    const download = steps.indexOf('.github/scripts/download-reviewed-plan.sh "$STACK" ".pipeline/$STACK"');
    expect(download).toBeGreaterThan(-1);
    expect(download).toBeLessThan(steps.findIndex((r) => r.includes("npm run ci:apply")));
    expect(steps.join("\n")).toContain('npm run ci:apply -- --stack "$STACK" --plan ".pipeline/$STACK/plan.json"');
    expect(steps.join("\n")).not.toMatch(/pulumi up|ci:preview/);
  });

  it("drift runs daily and on demand, shares the apply queue, checks expiries and reports in an issue", () => {
    expect(Object.keys(drift.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(drift.on.schedule).toHaveLength(1);
    const job = drift.jobs.drift!;
    expect(job.concurrency).toEqual({ group: "pulumi-${{ matrix.stack }}", "cancel-in-progress": false });
    expect(job.permissions).toEqual({ contents: "read", "id-token": "write", issues: "write" });
    const text = runs(job).join("\n");
    expect(text).toContain("npm run ci:drift");
    expect(text).toContain("gh issue create");
    expect(runs(drift.jobs.expiring).join("\n")).toContain("npm run ci:expiring -- --days 30");
  });

  it("give no job more than read access by default", () => {
    for (const wf of [preview, apply, drift]) expect(wf.permissions).toEqual({ contents: "read" });
  });

  it("pin every action to a version", () => {
    const uses = [
      ...[preview, apply, drift].flatMap((wf) => Object.values(wf.jobs).flatMap((job) => job.steps)),
      ...load<CompositeAction>(".github/actions/setup/action.yml").runs.steps,
    ]
      .map((s) => s.uses)
      .filter((u): u is string => typeof u === "string" && !u.startsWith("./"));
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
  });
});

describe("Azure DevOps pipeline", () => {
  let ado: AdoPipeline;
  beforeAll(() => {
    ado = load<AdoPipeline>("pipelines/azure-pipelines.yml");
  });
  const stage = (name: string) => ado.stages.find((s) => s.stage === name)!;

  it("triggers on merges to main, pull requests into main and a daily schedule", () => {
    expect(ado.trigger.branches).toEqual({ include: ["main"] });
    expect(ado.pr).toEqual({ branches: { include: ["main"] } });
    expect(ado.schedules).toHaveLength(1);
    expect(ado.schedules[0]?.branches).toEqual({ include: ["main"] });
    expect(ado.stages.map((s) => s.stage)).toEqual(["Discover", "Preview", "Apply", "Drift"]);
  });

  it("chooses the stage by the build reason", () => {
    const condition = (name: string) => stage(name).condition ?? "";
    expect(condition("Preview")).toContain("eq(variables['Build.Reason'], 'PullRequest')");
    expect(condition("Apply")).toContain("in(variables['Build.Reason'], 'IndividualCI', 'BatchedCI')");
    expect(condition("Apply")).toContain("eq(variables['Build.SourceBranch'], 'refs/heads/main')");
    expect(condition("Drift")).toContain("in(variables['Build.Reason'], 'Schedule', 'Manual')");
  });

  it("signs in only through workload identity federation service connections", () => {
    const tasks = ado.stages
      .flatMap((s) => s.jobs)
      .flatMap((j) => j.steps)
      .filter((t) => t.task === "AzureCLI@2");
    expect(tasks).toHaveLength(3);
    for (const t of tasks) {
      expect(t.inputs?.addSpnToEnvironment).toBe(true);
      expect(t.inputs?.inlineScript).toMatch(/^pipelines\/with-ado-oidc\.sh npm run ci:(preview|apply|drift) /);
    }
    const apply = tasks.find((t) => t.inputs?.inlineScript?.includes("ci:apply"));
    expect(apply?.inputs?.azureSubscription).toBe("${{ parameters.applyServiceConnection }}");
  });

  it("applies the reviewed plan, one stack at a time, queueing behind the exclusive lock", () => {
    expect(ado.lockBehavior).toBe("sequential");
    const job = stage("Apply").jobs[0]!;
    expect(job.strategy?.maxParallel).toBe(1);
    const download = job.steps.find((t) => t.task === "DownloadPipelineArtifact@2");
    expect(download?.inputs).toMatchObject({ pipelineId: "$(reviewed.buildId)", artifactName: "pulumi-plan-$(stack)" });
  });
});

describe("every CI definition", () => {
  const files = () => [
    ...allFiles(path.join(projectRoot, ".github")),
    ...allFiles(path.join(projectRoot, "pipelines")),
  ];

  it("names no client secret", () => {
    for (const file of files()) {
      expect(readFileSync(file, "utf8"), path.relative(projectRoot, file)).not.toMatch(/client[_-]?secret/i);
    }
  });

  it("calls only the ci:* npm scripts, which package.json defines", () => {
    // windows.yml runs the user-facing commands on purpose; the deployment workflows run only ci:*.
    const called = new Set(
      files()
        .filter((f) => !f.endsWith("windows.yml"))
        .flatMap((f) => npmScripts(readFileSync(f, "utf8"))),
    );
    expect([...called].sort()).toEqual([
      "ci:apply",
      "ci:drift",
      "ci:expiring",
      "ci:preview",
      "ci:readiness",
      "ci:stacks",
    ]);
    const pkg = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const scripts = pkg.scripts;
    for (const name of called) expect(scripts[name], `package.json scripts["${name}"]`).toBe(CI_SCRIPTS[name]);
  });

  it("runs scripts that exist and are executable", () => {
    for (const file of files()) {
      for (const m of readFileSync(file, "utf8").matchAll(/((?:\.github\/scripts|pipelines)\/[\w-]+\.sh)/g)) {
        expect(() => accessSync(path.join(projectRoot, m[1]!), constants.X_OK), m[1]).not.toThrow();
      }
    }
  });
});
