/**
 * Issue 16.8: `npm run preview|up -- --stack sandbox` after `npm start`. `npm start` stops the
 * sandbox tenant when it ends, and sets NODE_EXTRA_CA_CERTS only for itself; by hand, a stopped
 * sandbox costs a minute of retries and an untrusted CA reads as "could not be reached". This
 * checks both before the CLI starts and says what to do in one sentence.
 */
import { connect } from "node:net";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readPorts } from "../sandbox/ports-file.ts";

/** The state folder of each sandbox stack `npm start` sets up. */
const SANDBOX_STACKS: Record<string, string> = { sandbox: ".sandbox", "sandbox-oauth": ".sandbox-oauth" };

/** The stack named by `--stack S`, `--stack=S`, `-s S` in `args`, if any. */
export function stackOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--stack" || a === "-s") return args[i + 1];
    if (a.startsWith("--stack=")) return a.slice("--stack=".length);
  }
  return undefined;
}

function listening(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * For a command on a sandbox stack: the environment with NODE_EXTRA_CA_CERTS trusting the sandbox's
 * CA (the caller's own file, when set, plus the sandbox's CA, in a bundle in the state folder), or a
 * one-sentence problem (the sandbox is not
 * running). Other stacks and commands get `env` back unchanged. Never throws.
 */
export async function checkSandboxStack(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  root: string,
): Promise<{ env: NodeJS.ProcessEnv; problem?: string }> {
  const stack = stackOf(args);
  const command = args.find((a) => !a.startsWith("-"));
  if (
    stack === undefined ||
    !(stack in SANDBOX_STACKS) ||
    !["preview", "up", "refresh", "destroy"].includes(command ?? "")
  ) {
    return { env };
  }
  const dir = path.join(root, SANDBOX_STACKS[stack]!);
  let port = 0;
  try {
    port = readPorts(dir).https;
  } catch {
    // An unreadable ports file is npm run sandbox's to report.
  }
  const start =
    stack === "sandbox"
      ? "npm run sandbox -- --resume"
      : `npm run sandbox -- --resume --state-dir ${SANDBOX_STACKS[stack]}`;
  if (port === 0) {
    return {
      env,
      problem: `stack ${stack} belongs to the sandbox tenant, which has never run here: run npm start first.`,
    };
  }
  if (!(await listening(port, 1_000))) {
    return {
      env,
      problem: `the sandbox tenant for stack ${stack} is not running (nothing listens on 127.0.0.1:${port}; npm start stops it when it ends): start it with '${start}' in another terminal, then run this again.`,
    };
  }
  const ca = path.join(dir, "ca.pem");
  if (!existsSync(ca)) return { env };
  const yours = env.NODE_EXTRA_CA_CERTS;
  if (yours === undefined || yours === "" || path.resolve(yours) === ca)
    return { env: { ...env, NODE_EXTRA_CA_CERTS: ca } };
  // NODE_EXTRA_CA_CERTS names one file: keep the caller's certificates (a corporate bundle) and add the sandbox's.
  try {
    const bundle = path.join(dir, "ca-with-node-extra-ca-certs.pem");
    writeFileSync(bundle, `${readFileSync(yours, "utf8").trimEnd()}\n${readFileSync(ca, "utf8")}`);
    return { env: { ...env, NODE_EXTRA_CA_CERTS: bundle } };
  } catch {
    return { env };
  }
}
