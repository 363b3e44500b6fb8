/**
 * `npm run sandbox`: runs the sandbox tenant in the foreground, prints its endpoints and the
 * environment a client needs, and stops cleanly on Ctrl-C (state is flushed to --state-dir).
 *
 *   node sandbox/main.ts [--resume] [--port 8443] [--smtp-port 2587] [--fixture contoso-failing|path.yaml]
 *                        [--state-dir .sandbox] [--loose] [--latency none|realistic]
 *                        [--generate 10000[:seed]] [--no-throttle] [--admin-token TOKEN]
 *
 * `--resume` (issue 16.8) starts the tenant `npm start` left in .sandbox/, on the ports it recorded,
 * so that `npm run preview -- --stack sandbox` and `npm run up -- --stack sandbox` work by hand.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { portInUseMessage, readPorts, writePorts } from "./ports-file.ts";
import { startSandbox, type SandboxOptions } from "./server.ts";

const USAGE = `usage: npm run sandbox -- [options]

Runs the sandbox tenant (a Microsoft 365 stand-in on 127.0.0.1: token service, Graph, Exchange admin
API, SMTP) in the foreground and prints its endpoints and the environment clients need.

  --resume                  the tenant npm start left: state in .sandbox/ (or --state-dir), on the
                            ports it recorded in ports.json; then 'npm run preview -- --stack sandbox'
  --port N                  HTTPS port (default: a free one; with --resume, the recorded one)
  --smtp-port N             SMTP port, STARTTLS (default: a free one; with --resume, the recorded one)
  --fixture NAME|FILE       seed tenant: contoso-failing (default), contoso-large, or a fixture YAML file
  --state-dir DIR           keep the state in DIR across runs (default: memory; .sandbox with --resume)
  --loose                   answer endpoints and query options it does not model, instead of 501
  --latency none|realistic  add Microsoft-like response times (default none)
  --generate USERS[:SEED]   add USERS generated users (deterministic for a SEED, default 1)
  --no-throttle             never answer 429
  --admin-token TOKEN       bearer token of the /_sandbox/ admin API (default: a random one, printed)
  -h, --help                show this help

Ctrl-C stops it; the state is flushed to the state dir.`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`--${name} must be a port number (got '${v}')`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        "smtp-port": { type: "string" },
        fixture: { type: "string" },
        "state-dir": { type: "string" },
        loose: { type: "boolean" },
        latency: { type: "string" },
        generate: { type: "string" },
        "no-throttle": { type: "boolean" },
        "admin-token": { type: "string" },
        resume: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const resume = values.resume === true;
  const stateDir = values["state-dir"] ?? (resume ? ".sandbox" : undefined);
  let recorded = { https: 0, smtp: 0 };
  if (resume && stateDir) {
    try {
      recorded = readPorts(stateDir);
    } catch (e) {
      console.error(`npm run sandbox: ${(e as Error).message}`);
      process.exit(1);
    }
    if (recorded.https === 0) {
      console.log(
        `No ports recorded in ${path.join(stateDir, "ports.json")}: starting on new ones (run npm start once to record them for the sandbox stack).`,
      );
    }
  }
  const latency = values.latency ?? "none";
  if (latency !== "none" && latency !== "realistic") fail(`--latency must be none or realistic (got '${latency}')`);
  const opts: SandboxOptions = {
    port: int("port", values.port) ?? recorded.https,
    smtp: { port: int("smtp-port", values["smtp-port"]) ?? recorded.smtp },
    fixture: values.fixture ?? "contoso-failing",
    loose: values.loose ?? false,
    latency,
    throttle: !values["no-throttle"],
  };
  if (stateDir) opts.stateDir = stateDir;
  if (values["admin-token"]) opts.adminToken = values["admin-token"];
  if (values.generate) {
    const m = /^(\d+)(?::(\d+))?$/.exec(values.generate);
    if (!m) fail(`--generate must be USERS or USERS:SEED (got '${values.generate}')`);
    opts.generate = { users: Number(m[1]), seed: Number(m[2] ?? 1) };
  }

  let sb;
  try {
    sb = await startSandbox(opts);
  } catch (e) {
    const busy = stateDir ? portInUseMessage(e, stateDir) : undefined;
    console.error(`npm run sandbox: ${busy ?? (e instanceof Error ? e.message : String(e))}`);
    process.exit(1);
  }
  if (resume && stateDir) writePorts(stateDir, { https: Number(new URL(sb.baseUrl).port), smtp: sb.smtp?.port ?? 0 });
  const lines = [
    `Sandbox tenant ${sb.tenantId} (fixture ${typeof opts.fixture === "string" ? opts.fixture : "inline"}, ${sb.store.users().length} users${opts.loose ? ", loose" : ", strict"}, latency ${latency})`,
    "",
    `  token service   ${sb.baseUrl}/${sb.tenantId}/oauth2/v2.0/token   (authority host ${sb.baseUrl})`,
    `  Graph           ${sb.baseUrl}/v1.0  ${sb.baseUrl}/beta`,
    `  Exchange admin  ${sb.baseUrl}/adminapi/beta/${sb.tenantId}/InvokeCommand`,
    `  SMTP            ${sb.smtp ? `${sb.smtp.host}:${sb.smtp.port} (STARTTLS)` : "off"}`,
    `  admin           ${sb.baseUrl}/_sandbox/  (Authorization: Bearer $M365_SANDBOX_ADMIN_TOKEN)`,
    `  CA certificate  ${sb.caCertPath}`,
    opts.stateDir ? `  state dir       ${opts.stateDir}` : "  state           in memory (use --state-dir to keep it)",
    "",
    "Environment for clients and child processes:",
    ...Object.entries(sb.env).map(([k, v]) => `export ${k}=${shellQuote(v)}`),
    "",
    ...(resume
      ? [
          "Next, in another terminal at the repository root (the sandbox stack was set up by npm start):",
          `  export NODE_EXTRA_CA_CERTS=${shellQuote(path.resolve(sb.caCertPath))}`,
          "  npm run preview -- --stack sandbox",
          "",
        ]
      : []),
    "Ctrl-C stops the sandbox.",
  ];
  console.log(lines.join("\n"));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the sandbox…`);
    sb.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

function shellQuote(v: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(v) ? v : `'${v.replaceAll("'", `'\\''`)}'`;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
