/**
 * Runs the policy-scenarios program (test/fixtures/policy-scenarios) through the real CLI with the
 * policy pack, as the npm scripts do. Used by the scenario test and by the preview recorder.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { pulumiProject, type CliResult, type PulumiProject } from "../helpers/pulumi-cli.ts";
import { projectRoot } from "../../engine/pulumi-env.ts";

/** The policy pack folder, as `--policy-pack` takes it. */
export const POLICY_PACK_DIR = path.join(projectRoot, "policies");

/** The day the scenarios and the pack judge expiries against, so that runs are reproducible. */
export const SCENARIO_TODAY = "2026-11-29";

export type Scenario = "compliant" | "violations" | "unknown" | "changes";

export interface ScenarioProject {
  project: PulumiProject;
  /** `pulumi preview --policy-pack policies` for `scenario`; `packConfig` is merged over the pinned day. */
  preview(
    scenario: Scenario,
    opts?: { json?: "events" | "digest"; packConfig?: Record<string, unknown> },
  ): Promise<CliResult>;
  /** `pulumi up` for `scenario`, with the policy pack. */
  up(scenario: Scenario): Promise<CliResult>;
}

/** A private copy of the scenarios program with stack `stack` initialised. */
export async function scenarioProject(stack = "dev"): Promise<ScenarioProject> {
  const project = pulumiProject(path.join(projectRoot, "test", "fixtures", "policy-scenarios"));
  await project.ok(["stack", "init", stack]);
  await project.ok(["config", "set", "today", SCENARIO_TODAY]);
  let configs = 0;
  const packConfigFile = (extra: Record<string, unknown> = {}) => {
    const config = {
      "security-defaults-off-needs-justification": { today: SCENARIO_TODAY },
      "smtp-auth-exception-owned-and-expiring": { today: SCENARIO_TODAY },
      ...extra,
    };
    const file = path.join(project.dir, `policy-config-${++configs}.json`);
    writeFileSync(file, JSON.stringify(config, null, 2));
    return file;
  };
  return {
    project,
    async preview(scenario, opts = {}) {
      await project.ok(["config", "set", "scenario", scenario]);
      const args = [
        "preview",
        "--policy-pack",
        POLICY_PACK_DIR,
        "--policy-pack-config",
        packConfigFile(opts.packConfig),
      ];
      if (opts.json) args.push("--json");
      // The plain --json digest leaves policy events out (pkg/backend/display/json.go); the event
      // stream keeps them.
      return project.run(args, opts.json === "events" ? { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" } : {});
    },
    async up(scenario) {
      await project.ok(["config", "set", "scenario", scenario]);
      return project.ok([
        "up",
        "--yes",
        "--skip-preview",
        "--policy-pack",
        POLICY_PACK_DIR,
        "--policy-pack-config",
        packConfigFile(),
      ]);
    },
  };
}
