import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pulumiProject, type PulumiProject } from "./helpers/pulumi-cli.ts";

/** The real engine, offline, on one dynamic resource: preview, up, no-change preview, refresh, destroy. */
describe("the Pulumi engine runs a dynamic provider here", { timeout: 180_000 }, () => {
  let project: PulumiProject;

  beforeAll(async () => {
    project = pulumiProject(path.join(import.meta.dirname, "fixtures", "smoke"));
    await project.ok(["stack", "init", "engine-test"]);
  });
  afterAll(() => project.cleanup());

  const steps = (previewJson: string) =>
    (JSON.parse(previewJson) as { steps: { op: string; urn: string }[] }).steps.map((s) => [
      s.op,
      s.urn.split("::").slice(2).join("::"),
    ]);

  it("previews the creation", async () => {
    const preview = await project.ok(["preview", "--json"]);
    expect(steps(preview.stdout)).toEqual([
      ["create", "pulumi:pulumi:Stack::smoke-engine-test"],
      ["create", "pulumi-nodejs:dynamic/smoke:Note::hello"],
    ]);
  });

  it("creates it, with its own type token, and records it in the file backend", async () => {
    await project.ok(["up", "--yes", "--skip-preview"]);
    const outputs = await project.ok(["stack", "output", "--json"]);
    expect(JSON.parse(outputs.stdout)).toEqual({ text: "hello from the real engine" });

    const exported = JSON.parse((await project.ok(["stack", "export"])).stdout) as {
      deployment: { resources: { type: string; id?: string; outputs?: Record<string, unknown> }[] };
    };
    const note = exported.deployment.resources.find((r) => r.type === "pulumi-nodejs:dynamic/smoke:Note");
    expect(note?.id).toBe("note-26");
    expect(note?.outputs?.text).toBe("hello from the real engine");
    const stacksDir = path.join(project.backendDir, ".pulumi", "stacks", "smoke");
    expect(readdirSync(stacksDir)).toContain("engine-test.json");
    expect(readFileSync(path.join(stacksDir, "engine-test.json"), "utf8")).toContain("note-26");
  });

  it("then previews no changes", async () => {
    const preview = await project.ok(["preview", "--expect-no-changes", "--json"]);
    expect((JSON.parse(preview.stdout) as { changeSummary: unknown }).changeSummary).toEqual({ same: 2 });
  });

  it("refreshes through the provider's read with no drift", async () => {
    const refresh = await project.ok(["refresh", "--yes", "--json"]);
    expect(refresh.code).toBe(0);
    await project.ok(["preview", "--expect-no-changes"]);
  });

  it("updates when the input changes", async () => {
    await project.ok(["config", "set", "text", "changed"]);
    const preview = await project.ok(["preview", "--json"]);
    expect(steps(preview.stdout)).toContainEqual(["update", "pulumi-nodejs:dynamic/smoke:Note::hello"]);
    await project.ok(["up", "--yes", "--skip-preview"]);
    expect(JSON.parse((await project.ok(["stack", "output", "--json"])).stdout)).toEqual({ text: "changed" });
  });

  it("destroys it", async () => {
    await project.ok(["destroy", "--yes", "--skip-preview"]);
    const exported = JSON.parse((await project.ok(["stack", "export"])).stdout) as {
      deployment: { resources?: unknown[] };
    };
    expect(exported.deployment.resources ?? []).toEqual([]);
  });
});
