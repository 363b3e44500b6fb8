/**
 * program/registration-window.ts under Pulumi's runtime mocks: the engine (the mock) never sees
 * more registrations in flight than the window allows, and every resource is still registered, in
 * the order it was declared. Then through the real CLI: a registration the engine refuses ends the
 * run instead of leaving the program waiting for a slot that never frees.
 */
import * as pulumi from "@pulumi/pulumi";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REGISTRATION_WINDOW, RegistrationWindow } from "../../program/registration-window.ts";
import { projectRoot } from "../../engine/pulumi-env.ts";
import { pulumiProject, type PulumiProject } from "../helpers/pulumi-cli.ts";

class Item extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:index:Item", name, { key: name });
  }
}

describe("RegistrationWindow", () => {
  it("keeps at most `limit` registrations in flight and registers every resource in order", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const registered: string[] = [];
    await pulumi.runtime.setMocks({
      newResource: async (args) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        registered.push(args.name);
        // The engine answers a few event-loop turns later, as it would over gRPC.
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        return { id: `id-${args.name}`, state: args.inputs };
      },
      call: () => {
        throw new Error("no invoke expected");
      },
    });

    const window = new RegistrationWindow(3);
    const names = Array.from({ length: 10 }, (_, i) => `item-${i}`);
    const declared: Item[] = [];
    for (const name of names) {
      declared.push(await window.declare(() => new Item(name)));
      expect(window.inFlight).toBeLessThanOrEqual(3);
    }
    const ids = await Promise.all(declared.map((r) => new Promise((resolve) => r.id.apply(resolve))));

    expect(ids).toEqual(names.map((n) => `id-${n}`));
    expect(registered).toEqual(names);
    expect(maxInFlight).toBe(3);
    expect(window.inFlight).toBe(0);
  });

  it("stays above the engine's step parallelism and refuses a window below 1", () => {
    expect(REGISTRATION_WINDOW).toBe(500);
    expect(new RegistrationWindow().limit).toBe(500);
    expect(() => new RegistrationWindow(0)).toThrow("registration window must be ≥ 1, got 0");
    expect(() => new RegistrationWindow(2.5)).toThrow("registration window must be ≥ 1, got 2.5");
  });
});

// 40 items through a window of 3; the provider refuses to create item-10. The program sits two levels
// below the project root (.tmp/<copy>/index.ts), like the real program's copies in the e2e tests.
const REFUSING_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { RegistrationWindow } from "../../program/registration-window.ts";
const PROVIDER = 'exports.handler=()=>({check:async(o,n)=>({inputs:n,failures:[]}),diff:async()=>({changes:false}),' +
  'create:async(i)=>{if(i.key==="item-10")throw new Error("refused by test");return{id:i.key,outs:i}},' +
  'read:async(id,p)=>({id,props:p}),delete:async()=>{}});';
class Item extends pulumi.CustomResource {}
const registrations = new RegistrationWindow(3);
for (let i = 0; i < 40; i++) {
  const key = "item-" + i;
  await registrations.declare(() => new Item("pulumi-nodejs:dynamic/test:Item", key, { key, __provider: PROVIDER }));
}
`;

describe("RegistrationWindow through the real CLI", { timeout: 120_000 }, () => {
  let source: string;
  let project: PulumiProject;

  beforeAll(async () => {
    mkdirSync(path.join(projectRoot, ".tmp"), { recursive: true });
    source = mkdtempSync(path.join(projectRoot, ".tmp", "window-"));
    writeFileSync(
      path.join(source, "Pulumi.yaml"),
      "name: registration-window\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.ts\n",
    );
    writeFileSync(path.join(source, "index.ts"), REFUSING_PROGRAM);
    project = pulumiProject(source);
    await project.ok(["stack", "init", "window-test"]);
  });
  afterAll(() => {
    project.cleanup();
    rmSync(source, { recursive: true, force: true });
  });

  const items = async () => {
    const exported = JSON.parse((await project.ok(["stack", "export"])).stdout) as {
      deployment: { resources?: { type: string; id?: string }[] };
    };
    return (exported.deployment.resources ?? [])
      .filter((r) => r.type === "pulumi-nodejs:dynamic/test:Item")
      .map((r) => r.id)
      .sort();
  };

  it("fails the run when a registration in the window is refused, instead of waiting", async () => {
    const up = await project.run(["up", "--yes", "--skip-preview"]);
    expect(up.code).toBe(1);
    expect(up.stdout).toContain("error: refused by test");
    expect(await items()).not.toContain("item-10");
  });

  it("with --continue-on-error, frees the refused item's slot and declares every other item", async () => {
    const up = await project.run(["up", "--yes", "--skip-preview", "--continue-on-error"]);
    expect(up.code).toBe(1);
    const expected = Array.from({ length: 40 }, (_, i) => `item-${i}`).filter((k) => k !== "item-10");
    expect(await items()).toEqual(expected.sort());
  });
});
