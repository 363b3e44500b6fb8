/**
 * No orphans (issue 17 item 4): the language host, the Node.js program under it and the
 * dynamic-provider process end with the CLI, whether it exits normally or is killed with SIGKILL
 * (which gives it no chance to stop its plugins).
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startProgram } from "../helpers/program.ts";

interface Proc {
  pid: number;
  cmd: string;
}

/** Live processes whose working directory is `dir` (each test project has its own, so other runs never match). */
function processesIn(dir: string): Proc[] {
  const found: Proc[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) !== dir) continue;
      // A zombie (exited, not yet reaped) holds no resources; it is not an orphan.
      if (/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${entry}/stat`, "utf8"))) continue;
      found.push({ pid: Number(entry), cmd: readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ") });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

const kind = (p: Proc) =>
  /pulumi-language-nodejs/.test(p.cmd)
    ? "language host"
    : /dynamic-provider/.test(p.cmd)
      ? "dynamic provider"
      : /cmd\/run/.test(p.cmd)
        ? "program"
        : p.cmd;

/** Polls until no process is left in `dir` or `ms` pass; returns what is left and how long it took. */
async function drained(dir: string, ms: number): Promise<{ left: Proc[]; afterMs: number }> {
  const start = Date.now();
  for (;;) {
    const left = processesIn(dir);
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
    const program = await startProgram();
    try {
      await program.ok(["preview"]);
      const { left } = await drained(program.project.dir, 5_000);
      killAll(left);
      expect(left.map(kind)).toEqual([]);
    } finally {
      await program.stop();
    }
  });

  it("after kill -9 of the CLI in the middle of a preview, the host, program and provider exit within 5 s", async () => {
    // Realistic latency keeps the preview busy long enough to be caught with every process up.
    const program = await startProgram({ sandbox: { latency: "realistic" } });
    let seen: Proc[] = [];
    try {
      const child = program.start(["preview"]);
      child.stdout!.resume();
      child.stderr!.resume();
      let exited = false;
      const exit = new Promise((resolve) => child.on("exit", () => resolve((exited = true))));
      const deadline = Date.now() + 120_000;
      const kinds = () => new Set(seen.map(kind));
      while (!(kinds().has("language host") && kinds().has("program") && kinds().has("dynamic provider"))) {
        if (exited) throw new Error(`the preview ended before all its processes were seen: ${[...kinds()].join(", ")}`);
        if (Date.now() > deadline) throw new Error(`not all processes started: ${[...kinds()].join(", ")}`);
        await new Promise((r) => setTimeout(r, 50));
        seen = processesIn(program.project.dir);
      }
      // The CLI alone, not its process group: the point is that nobody stops the plugins for it.
      process.kill(child.pid!, "SIGKILL");
      await exit;
      const { left, afterMs } = await drained(program.project.dir, 5_000);
      const detail = left.map((p) => `${p.pid} ${p.cmd}`);
      killAll(left);
      expect(left.map(kind), detail.join("\n")).toEqual([]);
      console.log(`orphans after kill -9: ${left.length} (of ${seen.length} processes; all gone after ${afterMs} ms)`);
    } finally {
      killAll(processesIn(program.project.dir));
      await program.stop();
    }
  });
});
