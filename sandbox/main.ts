/**
 * `npm run sandbox`: runs the sandbox tenant in the foreground, prints its endpoints and the
 * environment a client needs, and stops cleanly on Ctrl-C (state is flushed to --state-dir).
 *
 *   node sandbox/main.ts [--port 8443] [--smtp-port 2587] [--fixture contoso-failing|path.yaml]
 *                        [--state-dir .sandbox] [--loose] [--latency none|realistic]
 *                        [--generate 10000[:seed]] [--no-throttle] [--admin-token TOKEN]
 */
import { parseArgs } from "node:util";
import { startSandbox, type SandboxOptions } from "./server.ts";

const USAGE = `usage: npm run sandbox -- [--port N] [--smtp-port N] [--fixture NAME|FILE] [--state-dir DIR] [--loose]
                           [--latency none|realistic] [--generate USERS[:SEED]] [--no-throttle] [--admin-token TOKEN]`;

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
  const latency = values.latency ?? "none";
  if (latency !== "none" && latency !== "realistic") fail(`--latency must be none or realistic (got '${latency}')`);
  const opts: SandboxOptions = {
    port: int("port", values.port) ?? 0,
    smtp: { port: int("smtp-port", values["smtp-port"]) ?? 0 },
    fixture: values.fixture ?? "contoso-failing",
    loose: values.loose ?? false,
    latency,
    throttle: !values["no-throttle"],
  };
  if (values["state-dir"]) opts.stateDir = values["state-dir"];
  if (values["admin-token"]) opts.adminToken = values["admin-token"];
  if (values.generate) {
    const m = /^(\d+)(?::(\d+))?$/.exec(values.generate);
    if (!m) fail(`--generate must be USERS or USERS:SEED (got '${values.generate}')`);
    opts.generate = { users: Number(m[1]), seed: Number(m[2] ?? 1) };
  }

  const sb = await startSandbox(opts);
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
