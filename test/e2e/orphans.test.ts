/**
 * No orphans (issue 17 item 4): the language host, the Node.js program under it and the
 * dynamic-provider process end with the CLI, whether it exits normally or is killed with SIGKILL
 * (which gives it no chance to stop its plugins).
 */
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../engine/pulumi-env.ts";
import { startProgram } from "../helpers/program.ts";

interface Proc {
  pid: number;
  cmd: string;
}

/** Live processes whose environment holds `marker` (each test run sets its own; every process the CLI starts inherits it). */
function processesMarked(marker: string): Proc[] {
  const found: Proc[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      // A zombie (exited, not yet reaped) holds no resources; it is not an orphan.
      if (/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${entry}/stat`, "utf8"))) continue;
      if (!readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(`${MARK}=${marker}`)) continue;
      found.push({ pid: Number(entry), cmd: readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ") });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

const MARK = "M365_ORPHAN_TEST_RUN";

/** A program whose every process carries a fresh marker in its environment. */
async function markedProgram(options: Parameters<typeof startProgram>[0] = {}) {
  const marker = randomUUID();
  // pulumiProject copies process.env when the program is set up; nothing else sees the marker.
  process.env[MARK] = marker;
  try {
    return { program: await startProgram(options), marker };
  } finally {
    delete process.env[MARK];
  }
}

const kind = (p: Proc) =>
  /pulumi-language-nodejs/.test(p.cmd)
    ? "language host"
    : /dynamic-provider/.test(p.cmd)
      ? "dynamic provider"
      : /cmd\/run-policy-pack/.test(p.cmd)
        ? "policy pack"
        : /cmd\/run/.test(p.cmd)
          ? "program"
          : p.cmd;

/** Polls until no process is left in `dir` or `ms` pass; returns what is left and how long it took. */
async function drained(marker: string, ms: number): Promise<{ left: Proc[]; afterMs: number }> {
  const start = Date.now();
  for (;;) {
    const left = processesMarked(marker);
    if (left.length === 0 || Date.now() - start > ms) return { left, afterMs: Date.now() - start };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Ends what a failed assertion would otherwise leave running, by pid. */
function killAll(procs: Proc[]): void {
  for (const p of procs) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

describe.skipIf(process.platform !== "linux")("no plugin process outlives the CLI", { timeout: 240_000 }, () => {
  it("after a normal preview, none of its processes remains", async () => {
    const { program, marker } = await markedProgram();
    try {
      await program.ok(["preview"]);
      const { left } = await drained(marker, 5_000);
      killAll(left);
      expect(left.map(kind)).toEqual([]);
    } finally {
      await program.stop();
    }
  });

  it("after kill -9 of the CLI mid-preview, the host, program, policy pack and provider exit within 5 s", async () => {
    // Realistic latency keeps the preview busy long enough to be caught with every process up.
    const { program, marker } = await markedProgram({ sandbox: { latency: "realistic" } });
    let seen: Proc[] = [];
    try {
      // With the policy pack, whose process the language host starts (RunPlugin), as `npm run preview` does.
      const child = program.start(["preview", "--policy-pack", path.join(projectRoot, "policies")]);
      child.stdout!.resume();
      child.stderr!.resume();
      let exited = false;
      const exit = new Promise((resolve) => child.on("exit", () => resolve((exited = true))));
      const deadline = Date.now() + 120_000;
      const kinds = () => new Set(seen.map(kind));
      const all = ["language host", "program", "dynamic provider", "policy pack"];
      while (!all.every((k) => kinds().has(k))) {
        if (exited) throw new Error(`the preview ended before all its processes were seen: ${[...kinds()].join(", ")}`);
        if (Date.now() > deadline) throw new Error(`not all processes started: ${[...kinds()].join(", ")}`);
        await new Promise((r) => setTimeout(r, 50));
        seen = processesMarked(marker);
      }
      // The CLI alone, not its process group: the point is that nobody stops the plugins for it.
      process.kill(child.pid!, "SIGKILL");
      await exit;
      const { left, afterMs } = await drained(marker, 5_000);
      const detail = left.map((p) => `${p.pid} ${p.cmd}`);
      killAll(left);
      expect(left.map(kind), detail.join("\n")).toEqual([]);
      console.log(`orphans after kill -9: ${left.length} (of ${seen.length} processes; all gone after ${afterMs} ms)`);
    } finally {
      killAll(processesMarked(marker));
      await program.stop();
    }
  });
});
