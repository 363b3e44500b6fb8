/**
 * Records real `pulumi preview --json` event streams of the policy-scenarios program into
 * test/fixtures/preview/, normalised: no debug diagnostics, no serialized provider code, timestamps
 * and durations zeroed, local paths replaced. Re-run after a CLI or policy change:
 *
 *   node test/preview-comment/record.ts
 *
 * and review the diff of the fixtures and of the expected comments.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { format, resolveConfig } from "prettier";
import { projectRoot } from "../../engine/pulumi-env.ts";
import { POLICY_PACK_DIR, scenarioProject, type Scenario } from "../policies/scenario-project.ts";

const outDir = path.join(projectRoot, "test", "fixtures", "preview");

function scrub(value: unknown, dir: string): unknown {
  if (typeof value === "string") return value.replaceAll(POLICY_PACK_DIR, "<policies>").replaceAll(dir, "<project>");
  if (Array.isArray(value)) return value.map((v) => scrub(v, dir));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "__provider") continue;
      if (k === "timestamp" || k === "durationSeconds") out[k] = 0;
      else out[scrub(k, dir) as string] = scrub(v, dir);
    }
    return out;
  }
  return value;
}

/** Normalises an event stream (one JSON object per line) for committing. */
export function normaliseEvents(stdout: string, dir: string): string {
  const events = stdout
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, { severity?: string }>)
    .filter((e) => e.diagnosticEvent?.severity !== "debug");
  return events.map((e, i) => JSON.stringify({ ...(scrub(e, dir) as object), sequence: i })).join("\n") + "\n";
}

/** Normalises the digest (one JSON object) the same way. */
export async function normaliseDigest(stdout: string, dir: string, file: string): Promise<string> {
  const digest = scrub(JSON.parse(stdout), dir) as Record<string, unknown>;
  return format(JSON.stringify({ ...digest, duration: 0 }), { ...(await resolveConfig(file)), parser: "json" });
}

async function record(file: string, scenario: Scenario, before?: Scenario): Promise<void> {
  const s = await scenarioProject();
  try {
    if (before) await s.up(before);
    const digest = file.endsWith(".json");
    const result = await s.preview(scenario, { json: digest ? "digest" : "events" });
    const text = digest
      ? await normaliseDigest(result.stdout, s.project.dir, path.join(outDir, file))
      : normaliseEvents(result.stdout, s.project.dir);
    writeFileSync(path.join(outDir, file), text);
    console.log(`${file}: exit ${result.code}`);
  } finally {
    s.project.cleanup();
  }
}

await record("compliant-create.jsonl", "compliant");
await record("violations-create.jsonl", "violations");
await record("changes-update.jsonl", "changes", "compliant");
await record("unknown-create.jsonl", "unknown");
await record("changes-update-digest.json", "changes", "compliant");
