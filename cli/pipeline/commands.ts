/**
 * The pipeline commands the CI workflows call through npm scripts (issue 6 items 3-5), so that the
 * pipelines' logic is this code and is tested here:
 *
 *   ci:preview   pull request: preview with the policy pack, save the plan, write the PR comment
 *   ci:apply     main: apply exactly the reviewed plan (`pulumi up --plan`), nothing else
 *   ci:drift     schedule: `preview --refresh --expect-no-changes` + expired exceptions → report
 *   ci:expiring  schedule / anywhere: exceptions expiring within N days, fails on expired ones
 *   ci:stacks    the CI matrix: every stacks/<name>/tenant.yaml with a committed Pulumi.<name>.yaml
 *
 * Exit codes: the preview's / update's own code for preview and apply; 0 clean / 1 drift, expired or
 * failed for drift and expiring; 2 bad arguments. Files go to --out (default .pipeline/<stack>).
 * Nothing here prints a secret: the CLI masks secret values, and only file names, counts and the
 * rendered Markdown are printed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { policyPackProblem } from "../../engine/policy-pack.ts";
import { projectRoot } from "../../engine/pulumi-env.ts";
import { isValidDate } from "../../desired/tenant-yaml.ts";
import { parse, str, UsageError } from "../io.ts";
import { parsePreviewOutput, readPreview } from "../preview-comment/model.ts";
import { commentMarker, renderPreviewComment } from "../preview-comment/render.ts";
import { CURRENT_VALUES_ENV } from "../../program/current.ts";
import { renderDriftReport } from "./drift.ts";
import { EXPIRY_WARNING_DAYS, renderExpiryReport, scanExceptions, whereText } from "./exceptions.ts";
import type { PulumiRunner } from "./pulumi.ts";
import { annotate, jobSummary, printCurrent } from "./job-log.ts";
import { runUrlFromEnv } from "./run-link.ts";
import { driftCard, expiryCard, notifyTeams, TEAMS_WEBHOOK_ENV } from "./teams.ts";

/** What the commands need from the process; main.ts passes the real one, tests may pass fakes. */
export interface PipelineIo {
  /** The Pulumi project folder (Pulumi.yaml, stacks/); relative paths are resolved against it. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Today, YYYY-MM-DD (UTC). */
  today: () => string;
  pulumi: PulumiRunner;
}

export const PIPELINE_USAGE = `usage: node cli/pipeline/main.ts <command> [options]

Commands (npm run ci:<command> -- [options]):
  preview   --stack S   preview with the policy pack, save the plan, write the PR comment
  apply     --stack S   apply the reviewed plan (pulumi up --plan); refuses without one
  drift     --stack S   refreshed preview that expects no changes, plus expired exceptions
  expiring  [FILE…]     exceptions expiring within --days (default ${EXPIRY_WARNING_DAYS}) in stacks/*/tenant.yaml
  stacks                the stacks to run on, as a JSON array: stacks/<name>/tenant.yaml with a Pulumi.<name>.yaml

Options:
  --stack NAME               the stack (one per tenant)
  --out DIR                  where files are written (default .pipeline/<stack>; for expiring, none)
  --policy-pack DIR          the policy pack (default: this repository's policies/)
  --policy-pack-config FILE  enforcement levels and settings for the pack (default: stacks/<stack>/policy-config.json
                             when the stack has one, e.g. a reviewed blast-radius acknowledgement)
  --plan FILE                apply: the reviewed plan (default <out>/plan.json)
  --tenant-file FILE         drift: the stack's tenant.yaml (default: stack config tenantFile, else stacks/<stack>/tenant.yaml)
  --days N                   drift, expiring: the warning window in days (default ${EXPIRY_WARNING_DAYS})
  --today YYYY-MM-DD         the day expiries are judged against (default: today, UTC)
  --report FILE              expiring: also write the Markdown report to FILE

Notifications: with ${TEAMS_WEBHOOK_ENV} set (a Teams Workflows webhook, kept as a pipeline secret),
drift posts a card when the stack is not clean and expiring posts one naming each due exception's
owner with an @-mention; a post that fails makes the command exit 1.

Exit codes: preview and apply pass the Pulumi CLI's code through; drift and expiring exit 0 when
clean and 1 on drift, an expired exception or a failure; 2 means bad arguments.
`;

const OPTIONS = {
  stack: { type: "string" },
  out: { type: "string" },
  "policy-pack": { type: "string" },
  "policy-pack-config": { type: "string" },
  plan: { type: "string" },
  "tenant-file": { type: "string" },
  days: { type: "string" },
  today: { type: "string" },
  report: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = Record<string, string | boolean | undefined>;

interface Common {
  stack: string;
  out: string;
  today: string;
  packArgs: string[];
}

function allowOnly(values: Values, allowed: string[], command: string): void {
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && key !== "help" && !allowed.includes(key)) {
      throw new UsageError(`--${key} does not apply to '${command}'`);
    }
  }
}

function todayOf(values: Values, io: PipelineIo): string {
  const today = str(values, "today") ?? io.today();
  if (!isValidDate(today)) throw new UsageError(`--today must be a date YYYY-MM-DD, got '${today}'`);
  return today;
}

function daysOf(values: Values): number {
  const days = str(values, "days");
  if (days === undefined) return EXPIRY_WARNING_DAYS;
  if (!/^\d{1,4}$/.test(days)) throw new UsageError(`--days must be a whole number of days, got '${days}'`);
  return Number(days);
}

function common(values: Values, io: PipelineIo): Common {
  const stack = str(values, "stack");
  if (stack === undefined || stack === "") throw new UsageError("--stack is required");
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new UsageError(`--stack must be a stack name, got '${stack}'`);
  const out = path.resolve(io.cwd, str(values, "out") ?? path.join(".pipeline", stack));
  const pack = path.resolve(io.cwd, str(values, "policy-pack") ?? path.join(projectRoot, "policies"));
  // Issue 16.8: one sentence, before the engine prints a stack trace per policy.
  const packProblem = policyPackProblem(pack);
  if (packProblem) throw new Error(packProblem);
  const packArgs = ["--policy-pack", pack];
  // A stack's committed pack config (e.g. a reviewed blast-radius acknowledgement) applies by default.
  const stackConfig = path.join("stacks", stack, "policy-config.json");
  const packConfig =
    str(values, "policy-pack-config") ?? (existsSync(path.resolve(io.cwd, stackConfig)) ? stackConfig : undefined);
  if (packConfig !== undefined) packArgs.push("--policy-pack-config", path.resolve(io.cwd, packConfig));
  return { stack, out, today: todayOf(values, io), packArgs };
}

/** The preview's JSON event stream, parsed; null when the CLI printed nothing parseable. */
function parseStream(stdout: string): unknown {
  try {
    return parsePreviewOutput(stdout);
  } catch {
    return null;
  }
}

const STREAMING = { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" };

/** `preview`: see the module comment. Exit code: the CLI's. */
async function previewCommand(values: Values, io: PipelineIo): Promise<number> {
  allowOnly(values, ["stack", "out", "policy-pack", "policy-pack-config", "today"], "preview");
  const c = common(values, io);
  mkdirSync(c.out, { recursive: true });
  const files = {
    stream: path.join(c.out, "preview.json"),
    plan: path.join(c.out, "plan.json"),
    comment: path.join(c.out, "comment.md"),
    commentFull: path.join(c.out, "comment-full.md"),
    result: path.join(c.out, "result.json"),
  };
  for (const f of Object.values(files)) rmSync(f, { force: true }); // never leave a stale plan behind
  const run = await io.pulumi(["preview", "--stack", c.stack, "--json", ...c.packArgs, "--save-plan", files.plan], {
    cwd: io.cwd,
    env: STREAMING,
    captureStdout: true,
    stderr: io.stderr,
    stdout: io.stdout,
  });
  writeFileSync(files.stream, run.stdout);
  const parsed = parseStream(run.stdout);
  let comment: string;
  let summary: { changes: number; violations: number; mandatory: number } | undefined;
  try {
    if (parsed === null) throw new Error("no JSON output");
    const runUrl = runUrlFromEnv(io.env);
    const opts = { today: c.today, stack: c.stack, ...(runUrl ? { runUrl } : {}) };
    comment = renderPreviewComment(parsed, opts);
    // The comment fits GitHub's limit; the artifact keeps every row it had to leave out.
    writeFileSync(files.commentFull, renderPreviewComment(parsed, { ...opts, budget: Infinity }));
    const model = readPreview(parsed);
    summary = {
      changes: model.steps.filter((s) => s.op !== "same").length,
      violations: model.violations.length,
      mandatory: model.violations.filter((v) => v.enforcementLevel === "mandatory").length,
    };
    printCurrent(io, [...model.current.values()]);
  } catch {
    comment = [
      commentMarker(c.stack),
      `### Pulumi preview: \`${c.stack}\``,
      "",
      `**Stack \`${c.stack}\`:** ❌ the preview failed (exit ${run.code}) before it reported any result; see the job log.`,
      "",
    ].join("\n");
  }
  writeFileSync(files.comment, comment);
  // A failed preview leaves no plan: there is nothing reviewed to apply.
  const planSaved = run.code === 0 && hasContent(files.plan);
  if (!planSaved) rmSync(files.plan, { force: true });
  writeFileSync(
    files.result,
    JSON.stringify({ stack: c.stack, exitCode: run.code, planSaved, ...summary }, null, 2) + "\n",
  );
  jobSummary(io, comment);
  io.stdout(
    `ci:preview ${c.stack}: exit ${run.code}; comment ${path.relative(io.cwd, files.comment)}` +
      (planSaved ? `; plan ${path.relative(io.cwd, files.plan)}` : "; no plan saved") +
      "\n",
  );
  return run.code;
}

/** True when the file exists and holds more than white space. */
function hasContent(file: string): boolean {
  try {
    return readFileSync(file, "utf8").trim() !== "";
  } catch {
    return false;
  }
}

/** `apply`: `pulumi up --plan <reviewed plan>`. Exit code: the CLI's; 1 without a plan. */
async function applyCommand(values: Values, io: PipelineIo): Promise<number> {
  allowOnly(values, ["stack", "out", "policy-pack", "policy-pack-config", "plan"], "apply");
  const c = common(values, io);
  const plan = path.resolve(io.cwd, str(values, "plan") ?? path.join(c.out, "plan.json"));
  if (!hasContent(plan)) {
    io.stderr(
      `ci:apply ${c.stack}: no reviewed plan at ${path.relative(io.cwd, plan) || plan}; refusing to apply. ` +
        "Run ci:preview (the pull request's job) and pass its plan.json with --plan.\n",
    );
    return 1;
  }
  let violatesPlan = false;
  const watch = (write: (s: string) => void) => (s: string) => {
    // The engine's words for a step outside the plan (pkg/resource/deploy/plan.go).
    if (s.includes("violates plan")) violatesPlan = true;
    write(s);
  };
  const run = await io.pulumi(["up", "--stack", c.stack, "--yes", "--plan", plan, ...c.packArgs], {
    cwd: io.cwd,
    captureStdout: false,
    stdout: watch(io.stdout),
    stderr: watch(io.stderr),
  });
  if (run.code !== 0 && violatesPlan) {
    io.stderr(
      `ci:apply ${c.stack}: the update did not match the reviewed plan, so nothing outside it was applied. ` +
        "tenant.yaml, the program or the stack changed after the preview was reviewed: preview again and review the new plan.\n",
    );
  }
  io.stdout(`ci:apply ${c.stack}: exit ${run.code}\n`);
  return run.code;
}

/** The stack's tenant.yaml: --tenant-file, else stack config tenantFile, else stacks/<stack>/tenant.yaml. */
async function tenantFileOf(values: Values, c: Common, io: PipelineIo): Promise<string> {
  const given = str(values, "tenant-file");
  if (given !== undefined) return given;
  const run = await io.pulumi(["config", "get", "m365-smtp-auth:tenantFile", "--stack", c.stack], {
    cwd: io.cwd,
    captureStdout: true,
    stdout: io.stdout,
    stderr: () => {}, // "configuration key not found" is the usual answer
  });
  const configured = run.code === 0 ? run.stdout.trim() : "";
  return configured !== "" ? configured : path.join("stacks", c.stack, "tenant.yaml");
}

/** `drift`: see the module comment. Exit 0 clean, 1 drift / expired / failed. */
async function driftCommand(values: Values, io: PipelineIo): Promise<number> {
  allowOnly(values, ["stack", "out", "policy-pack", "policy-pack-config", "tenant-file", "days", "today"], "drift");
  const c = common(values, io);
  const days = daysOf(values);
  mkdirSync(c.out, { recursive: true });
  const tenantFile = await tenantFileOf(values, c, io);
  const scan = scanExceptions([tenantFile], {
    today: c.today,
    days,
    readFile: (f) => readFileSync(path.resolve(io.cwd, f), "utf8"),
  });
  annotate(io, scan);
  const run = await io.pulumi(
    ["preview", "--stack", c.stack, "--refresh", "--expect-no-changes", "--json", ...c.packArgs],
    // The drift check compares state with the tenant; the review's "tenant now" lines (a second read
    // of every declared switch) are for pull requests only.
    {
      cwd: io.cwd,
      env: { ...STREAMING, [CURRENT_VALUES_ENV]: "off" },
      captureStdout: true,
      stderr: io.stderr,
      stdout: io.stdout,
    },
  );
  writeFileSync(path.join(c.out, "drift-preview.json"), run.stdout);
  const input = { stack: c.stack, previewJson: parseStream(run.stdout), previewCode: run.code, scan };
  const { markdown, verdict } = renderDriftReport(input);
  const report = path.join(c.out, "drift.md");
  writeFileSync(report, markdown);
  // drift.md fits an issue body; the artifact keeps every row.
  writeFileSync(path.join(c.out, "drift-full.md"), renderDriftReport({ ...input, budget: Infinity }).markdown);
  writeFileSync(
    path.join(c.out, "drift.json"),
    JSON.stringify({ stack: c.stack, previewExitCode: run.code, ...verdict }, null, 2) + "\n",
  );
  jobSummary(io, markdown);
  io.stdout(
    `ci:drift ${c.stack}: ${verdict.ok ? "clean" : "NOT clean"} (drift ${verdict.drift.length}, expired ${verdict.expired}, preview exit ${run.code}); report ${path.relative(io.cwd, report)}\n`,
  );
  const posted = await notifyTeams(io, "drift", driftCard(c.stack, verdict, runUrlFromEnv(io.env)));
  return verdict.ok && posted ? 0 : 1;
}

/** Every stacks/<name>/tenant.yaml under cwd, sorted, relative to cwd. */
export function discoverTenantFiles(cwd: string): string[] {
  const dir = path.join(cwd, "stacks");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "tenant.yaml")))
    .map((d) => path.join("stacks", d.name, "tenant.yaml"))
    .sort();
}

/**
 * The stacks a pipeline runs on: each stacks/<name>/tenant.yaml that has a committed stack config
 * Pulumi.<name>.yaml beside Pulumi.yaml. The sandbox stack's config is git-ignored (npm start
 * writes it), so a fresh checkout leaves it out.
 */
export function discoverStacks(cwd: string): string[] {
  return discoverTenantFiles(cwd)
    .map((f) => path.basename(path.dirname(f)))
    .filter((name) => existsSync(path.join(cwd, `Pulumi.${name}.yaml`)))
    .sort();
}

/** `stacks`: prints the stacks as a JSON array on one line, for a CI matrix. */
function stacksCommand(values: Values, io: PipelineIo): number {
  allowOnly(values, [], "stacks");
  io.stdout(`${JSON.stringify(discoverStacks(io.cwd))}\n`);
  return 0;
}

/** `expiring`: see the module comment. Exit 0 none expired, 1 some expired or unreadable. */
async function expiringCommand(values: Values, positionals: string[], io: PipelineIo): Promise<number> {
  allowOnly(values, ["days", "today", "report"], "expiring");
  const days = daysOf(values);
  const today = todayOf(values, io);
  const files = positionals.length > 0 ? positionals : discoverTenantFiles(io.cwd);
  if (files.length === 0) throw new UsageError("no tenant.yaml given and none found under stacks/*/");
  const scan = scanExceptions(files, { today, days, readFile: (f) => readFileSync(path.resolve(io.cwd, f), "utf8") });
  const markdown = renderExpiryReport(scan);
  const report = str(values, "report");
  if (report !== undefined) {
    mkdirSync(path.dirname(path.resolve(io.cwd, report)), { recursive: true });
    writeFileSync(path.resolve(io.cwd, report), markdown);
  }
  annotate(io, scan);
  jobSummary(io, markdown);
  io.stdout(markdown);
  for (const e of scan.exceptions.filter((x) => x.status === "expired")) {
    io.stderr(`ci:expiring: ${whereText(e)} ${e.what} expired on ${e.expires}\n`);
  }
  const posted = await notifyTeams(io, "expiring", expiryCard(scan, runUrlFromEnv(io.env)));
  return scan.exceptions.some((e) => e.status === "expired") || scan.problems.length > 0 || !posted ? 1 : 0;
}

/** Runs a pipeline command with `argv` (command first). Returns the exit code; throws nothing expected. */
export async function runPipeline(argv: string[], io: PipelineIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "-h" || command === "--help") {
    io.stdout(PIPELINE_USAGE);
    return command === undefined ? 2 : 0;
  }
  try {
    const { values, positionals } = parse(rest, OPTIONS);
    if (values.help === true) {
      io.stdout(PIPELINE_USAGE);
      return 0;
    }
    if (command !== "expiring" && positionals.length > 0) {
      throw new UsageError(`unexpected argument '${positionals[0]}'`);
    }
    switch (command) {
      case "preview":
        return await previewCommand(values, io);
      case "apply":
        return await applyCommand(values, io);
      case "drift":
        return await driftCommand(values, io);
      case "expiring":
        return await expiringCommand(values, positionals, io);
      case "stacks":
        return stacksCommand(values, io);
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`ci:${command}: ${err.message}\n\n${PIPELINE_USAGE}`);
      return 2;
    }
    io.stderr(`ci:${command}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
