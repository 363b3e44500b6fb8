/**
 * Runs one CLI command and measures it: wall time, and the peak resident memory (VmHWM) of every
 * process in its tree, grouped as the CLI (`pulumi`), the language host, and the Node.js processes
 * (the program and the dynamic-provider host). /proc is sampled every 100 ms; VmHWM is each
 * process's own high-water mark, so a sample taken any time before a process exits sees its peak.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessPeak {
  pid: number;
  comm: string;
  /** Command line, shortened. */
  cmd: string;
  hwmKb: number;
}

export interface Measured {
  code: number;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** Peak RSS of the `pulumi` CLI process, bytes. */
  cliPeak: number;
  /** Largest peak RSS among the Node.js processes (program, dynamic-provider host), bytes. */
  nodePeak: number;
  /** Sum of the per-process peaks: an upper bound of the tree's peak at any one time, bytes. */
  treePeakSum: number;
  processes: ProcessPeak[];
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return undefined;
  }
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProc(Number(name), "stat");
    if (!stat) continue;
    // pid (comm) state ppid …: comm may contain spaces, so split after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

export function runMeasured(
  bin: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(bin, args, { cwd: opts.cwd, env: opts.env });
    const peaks = new Map<number, ProcessPeak>();
    const sample = () => {
      if (child.pid === undefined) return;
      for (const pid of descendants(child.pid)) {
        const status = readProc(pid, "status");
        if (!status) continue;
        const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        const comm = /Name:\s+(\S+)/.exec(status)?.[1] ?? "?";
        const cmd = (readProc(pid, "cmdline") ?? "").replace(/\0/g, " ").slice(0, 160);
        const prev = peaks.get(pid);
        if (!prev || hwm > prev.hwmKb) peaks.set(pid, { pid, comm, cmd: prev?.cmd || cmd, hwmKb: hwm });
      }
    };
    const timer = setInterval(sample, 100);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearInterval(timer);
      const wallMs = performance.now() - started;
      const processes = [...peaks.values()].filter((p) => p.hwmKb > 0);
      const kb = (p: ProcessPeak) => p.hwmKb * 1024;
      resolve({
        code: code ?? -1,
        stdout,
        stderr,
        wallMs,
        cliPeak: Math.max(0, ...processes.filter((p) => p.comm === "pulumi").map(kb)),
        nodePeak: Math.max(0, ...processes.filter((p) => p.comm.startsWith("node") || p.comm === "MainThread").map(kb)),
        treePeakSum: processes.reduce((s, p) => s + kb(p), 0),
        processes,
      });
    });
  });
}
