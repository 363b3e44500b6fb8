/**
 * The ports a persistent sandbox keeps between runs (<state dir>/ports.json). A Pulumi stack records
 * the sandbox's endpoints in its config and refresh uses the recorded ones, so `npm start` and
 * `npm run sandbox -- --resume` start it on the same ports every time (issue 16.8).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The HTTPS and SMTP ports; 0 means "any free port". */
export interface SandboxPorts {
  https: number;
  smtp: number;
}

/** The ports file of a state folder. */
export function portsFile(stateDir: string): string {
  return path.join(stateDir, "ports.json");
}

/** The ports recorded in `stateDir`, or zeros when none are. Throws naming the file when it is not valid. */
export function readPorts(stateDir: string): SandboxPorts {
  const file = portsFile(stateDir);
  if (!existsSync(file)) return { https: 0, smtp: 0 };
  try {
    const v = JSON.parse(readFileSync(file, "utf8")) as Partial<SandboxPorts>;
    const port = (n: unknown) =>
      Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 65535 ? (n as number) : NaN;
    const ports = { https: port(v.https), smtp: port(v.smtp ?? 0) };
    if (Number.isNaN(ports.https) || Number.isNaN(ports.smtp)) throw new Error("not two port numbers");
    return ports;
  } catch (err) {
    throw new Error(`${file} is not valid (${(err as Error).message}): delete it to start on new ports`);
  }
}

/** Records the ports the sandbox got. */
export function writePorts(stateDir: string, ports: SandboxPorts): void {
  writeFileSync(portsFile(stateDir), JSON.stringify(ports));
}

/**
 * One sentence for a sandbox that could not listen on a recorded port, or undefined for any other
 * error: which port, which file, and what to do.
 */
export function portInUseMessage(err: unknown, stateDir: string): string | undefined {
  const e = err as { code?: string; port?: number; message?: string };
  if (e.code !== "EADDRINUSE") return undefined;
  const port = e.port ?? /:(\d+)\s*$/.exec(e.message ?? "")?.[1];
  const file = path.relative(process.cwd(), portsFile(stateDir)) || portsFile(stateDir);
  return (
    `port ${port ?? "(unknown)"} recorded in ${file} is in use, most likely by a sandbox that is still running ` +
    `(npm start or npm run sandbox in another terminal): stop that one, or delete ${file} to start on new ports ` +
    `(then run npm start once more so that the sandbox stack records them).`
  );
}
