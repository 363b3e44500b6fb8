/**
 * `m365-smtp-auth doctor explain <mailbox>`: reads the tenant (cli/doctor/explain.ts), walks the gates,
 * marks the one that blocks and names what changes it. With `--password-env`/`--password-stdin` it
 * also probes AUTH LOGIN, so the gates only a conversation reveals (password, lockout, Basic
 * retirement) are judged too. Exit codes: 0 explained (whatever the verdict), 1 the tenant could not
 * be read (unreachable, refused credentials), 2 bad arguments.
 */
import { DesiredStateError, loadDesiredState, type DesiredState } from "../../desired/tenant-yaml.ts";
import { UsageError, parse, port, readCa, secretFromEnv, str, type CliIo } from "../io.ts";
import { applyProbeEvidence, buildReport, formatExplain, type ProbeEvidence } from "./explain.ts";
import { gatherFacts } from "../../tenant/facts.ts";
import { runProbe } from "./probe.ts";
import { smtpReplyOf } from "./probe-command.ts";
import {
  CONNECTION_OPTIONS,
  CONNECTION_USAGE,
  clientCredentialsToken,
  connect,
  settingsFrom,
  trustCa,
} from "../connection.ts";
import { SCOPES } from "../../tenant/connection.ts";

export const EXPLAIN_USAGE = `usage: m365-smtp-auth doctor explain <mailbox> [options]

Reads the tenant, walks the SMTP AUTH gates for the mailbox (cli/doctor/README.md), marks the one that blocks
and names the tenant.yaml entry (file:line with --tenant-file) or the resource or action that
changes it; says whether the OAuth path avoids weakening the tenant and how long Basic SMTP AUTH
has left on Microsoft's schedule.

  --mechanism basic|oauth   which path to explain (default basic; oauth when --app-id is given)
  --app-id ID               OAuth: the sending app's client id (service principal and mailbox permission)
  --tenant-file FILE        the stack's tenant.yaml, to cite file:line
  --password-env VAR        also probe AUTH LOGIN with the password in VAR (judges password, lockout,
  --password-stdin          Basic retirement, which the tenant's APIs do not reveal)
  --smtp-host HOST          for that probe (default $M365_SMTP_HOST or smtp.office365.com)
  --smtp-port PORT          (default $M365_SMTP_PORT or 587)
  --ca FILE                 also trust this CA certificate (PEM) for the tenant and SMTP
  --today YYYY-MM-DD        judge the schedule as of this day (default today)
  --json                    print the report as JSON
  -h, --help                show this help

Reading the tenant (application permissions, read-only): Policy.Read.All, User.Read.All and
Exchange.ManageAsApp with an Exchange role; a missing one makes its gates "unknown", naming it.
${CONNECTION_USAGE}
`;

const OPTIONS = {
  mechanism: { type: "string" },
  "app-id": { type: "string" },
  "tenant-file": { type: "string" },
  "password-env": { type: "string" },
  "password-stdin": { type: "boolean" },
  "smtp-host": { type: "string" },
  "smtp-port": { type: "string" },
  ca: { type: "string" },
  today: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  ...CONNECTION_OPTIONS,
} as const;

const HINTS = {
  "--password": "passwords are never taken from the command line: use --password-env VAR or --password-stdin",
  "--client-secret": "secrets are never taken from the command line: use --client-secret-env VAR",
};

/** Runs `doctor explain` with its arguments (after the word `explain`). Returns the exit code. */
export async function runExplainCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS, HINTS);
  if (values.help === true) {
    io.stdout(EXPLAIN_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? "which mailbox? give its address" : `one mailbox at a time, got ${positionals.length}`,
    );
  }
  const mailbox = positionals[0]!.trim();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/u.test(mailbox)) throw new UsageError(`'${mailbox}' is not a mail address`);
  const appId = str(values, "app-id");
  const mechanism = str(values, "mechanism") ?? (appId !== undefined ? "oauth" : "basic");
  if (mechanism !== "basic" && mechanism !== "oauth")
    throw new UsageError(`--mechanism must be basic or oauth, got '${mechanism}'`);
  const today = str(values, "today") ?? io.now().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(today) || Number.isNaN(Date.parse(`${today}T00:00:00Z`))) {
    throw new UsageError(`--today must be YYYY-MM-DD, got '${today}'`);
  }
  let desired: DesiredState | undefined;
  const tenantFile = str(values, "tenant-file");
  if (tenantFile !== undefined) {
    try {
      desired = loadDesiredState(tenantFile, { today });
    } catch (err) {
      if (err instanceof DesiredStateError) throw new UsageError(err.message);
      throw err;
    }
  }
  const ca = str(values, "ca") !== undefined ? readCa(str(values, "ca")!) : undefined;
  if (ca !== undefined) trustCa(ca);

  let password: string | undefined;
  if (str(values, "password-env") !== undefined && values["password-stdin"] === true) {
    throw new UsageError("give either --password-env or --password-stdin, not both");
  }
  if (str(values, "password-env") !== undefined)
    password = secretFromEnv(io, str(values, "password-env")!, "--password-env");
  else if (values["password-stdin"] === true) {
    password = ((await io.readStdin()) ?? "").split(/\r?\n/u)[0] ?? "";
    if (password === "") throw new UsageError("--password-stdin: no password on stdin");
  }
  if (password !== undefined && mechanism !== "basic")
    throw new UsageError("--password-env/--password-stdin probe AUTH LOGIN: use them with --mechanism basic");
  const smtpHost = str(values, "smtp-host") ?? io.env.M365_SMTP_HOST ?? "smtp.office365.com";
  const smtpPortText = str(values, "smtp-port") ?? io.env.M365_SMTP_PORT ?? "587";
  const smtpPort = port(smtpPortText, "--smtp-port");

  const settings = settingsFrom(values, io);
  // A token first, so an unreachable or refusing token service is reported as such.
  await clientCredentialsToken(settings, SCOPES.graph);
  const api = await connect(settings);
  let gathered = await gatherFacts(api, mailbox, {
    mechanism,
    today,
    ...(appId !== undefined ? { appId } : {}),
  });

  let evidence: ProbeEvidence | undefined;
  if (password !== undefined) {
    const result = await runProbe({
      host: smtpHost,
      port: smtpPort,
      ...(ca !== undefined ? { ca } : {}),
      auth: { mechanism: "LOGIN", user: mailbox, password },
      now: io.now,
    });
    const reply = smtpReplyOf(result);
    if (result.authenticated) evidence = { authenticated: true };
    else if (reply && result.failure?.stage === "auth") evidence = { authenticated: false, reply };
    else {
      io.stderr(
        `m365-smtp-auth doctor explain: the AUTH probe of ${smtpHost}:${smtpPort} did not reach AUTH (${result.failure?.error?.message ?? result.failure?.reply?.raw ?? "no reply"}); explaining from the tenant's settings only\n`,
      );
    }
    if (evidence) gathered = applyProbeEvidence(gathered, evidence);
  }

  const report = buildReport(mailbox, gathered, {
    today,
    ...(desired ? { desired } : {}),
    ...(evidence ? { probe: evidence } : {}),
  });
  io.stdout(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatExplain(report));
  return 0;
}
