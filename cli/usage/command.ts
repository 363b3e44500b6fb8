/**
 * `m365-smtp-auth usage`: who signed in to SMTP AUTH in the last N days, joined with tenant.yaml and
 * the gates, as a terminal table, Markdown, HTML or JSON; `--propose` writes the missing exceptions
 * into tenant.yaml. Read-only towards the tenant. Exit codes: 0 reported, 1 the tenant or its logs
 * could not be read (with what is missing and the CSV fallback), 2 bad arguments or a bad file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { DesiredStateError, loadDesiredState, type DesiredState } from "../../desired/tenant-yaml.ts";
import { SCOPES, type ConnectionSettings } from "../../tenant/connection.ts";
import {
  CONNECTION_OPTIONS,
  CONNECTION_USAGE,
  clientCredentialsToken,
  connect,
  settingsFrom,
  trustCa,
} from "../connection.ts";
import { UsageError, parse, readCa, str, type CliIo } from "../io.ts";
import { aggregateSignIns } from "./aggregate.ts";
import { readSmtpAuthReport } from "./csv.ts";
import { tenantFactsReader } from "./facts.ts";
import { buildReport } from "./join.ts";
import type { UsageData, UsageReport } from "./model.ts";
import { proposeInFile } from "./propose.ts";
import { renderHtml } from "./render-html.ts";
import { renderMarkdown, renderText } from "./render.ts";
import { readSmtpSignIns, signInLogClient } from "./signins.ts";
import { stackValues } from "./stack.ts";

export const USAGE_USAGE = `usage: m365-smtp-auth usage [options]

Lists who signed in to SMTP AUTH (Basic and OAuth) in the last N days from Entra's sign-in logs,
joined with tenant.yaml and the gates: per account its logins, last sign-in, declared exception, and
whether it can send today, after the end-of-December-2026 change and after the 2027 removal, with
the path to move it to. Read-only towards the tenant. See docs/usage.md.

  --days N                  how far back to read (default 30, at most 30 without Entra ID P2 retention)
  --tenant-file FILE        the stack's tenant.yaml (declared exceptions; needed for --propose)
  --from-csv FILE           read the Exchange admin center's SMTP AUTH clients report export instead
                            of the sign-in logs (no Entra ID P1, or no AuditLog.Read.All)
  --format text|md|html|json  output format (default text)
  --out FILE                write the report to FILE instead of stdout (html: required)
  --propose                 add the missing exceptions to --tenant-file, owner and ticket left to fill
  --expiring-days N         list exceptions expiring within N days (default 30)
  --stack NAME              in a pipeline: connect with the stack's Pulumi.<NAME>.yaml (tenantId, clientId,
                            credential: workloadIdentity) and read stacks/<NAME>/tenant.yaml
  --json-out FILE           also write the report as JSON (e.g. for a pipeline to pick owners from)
  --owner-handles FILE      JSON { "owner@contoso.com": "@github-handle" }: mention owners in Markdown
  --ca FILE                 also trust this CA certificate (PEM)
  --today YYYY-MM-DD        judge as of this day (default today, UTC)
  -h, --help                show this help

Reading (application permissions, read-only): AuditLog.Read.All for the sign-in logs (Entra ID P1
or P2), and what 'doctor explain' reads for the verdicts: Policy.Read.All, User.Read.All and
Exchange.ManageAsApp with an Exchange role.
${CONNECTION_USAGE}
`;

const OPTIONS = {
  days: { type: "string" },
  "tenant-file": { type: "string" },
  "from-csv": { type: "string" },
  format: { type: "string" },
  out: { type: "string" },
  propose: { type: "boolean" },
  "expiring-days": { type: "string" },
  ca: { type: "string" },
  stack: { type: "string" },
  "json-out": { type: "string" },
  "owner-handles": { type: "string" },
  today: { type: "string" },
  help: { type: "boolean", short: "h" },
  ...CONNECTION_OPTIONS,
} as const;

const FORMATS = ["text", "md", "html", "json"] as const;
type Format = (typeof FORMATS)[number];

function whole(value: string | undefined, option: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max)
    throw new UsageError(`${option} must be a whole number from 1 to ${max}, got '${value}'`);
  return n;
}

const DAY = 86_400_000;

/** Reads --owner-handles: a JSON object from owner mail address to a GitHub @handle. */
function ownerHandles(file: string | undefined): Record<string, string> {
  if (file === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new UsageError(`--owner-handles ${file}: ${(err as NodeJS.ErrnoException).code ?? "not JSON"}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new UsageError(`--owner-handles ${file}: must be a JSON object {"owner@example.com": "@handle"}`);
  const out: Record<string, string> = {};
  for (const [mail, handle] of Object.entries(parsed)) {
    if (typeof handle !== "string" || !/^@[\w-]+(\/[\w.-]+)?$/.test(handle))
      throw new UsageError(
        `--owner-handles ${file}: "${mail}" must map to an @handle or @org/team, not ${JSON.stringify(handle)}`,
      );
    out[mail.toLowerCase()] = handle;
  }
  return out;
}

/** Reads usage from the sign-in logs of the last `days` days, progress on stderr. Throws SignInLogError or ApiError. */
export async function fromLogs(settings: ConnectionSettings, io: CliIo, days: number, now: Date): Promise<UsageData> {
  const since = new Date(now.getTime() - days * DAY);
  const http = await signInLogClient(settings);
  const signIns = await readSmtpSignIns(settings.graphUrl, http, {
    since: since.toISOString().replace(/\.\d{3}Z$/, "Z"),
    ownAppId: settings.clientId,
    onProgress: (what, pages, records) =>
      io.stderr(`m365-smtp-auth usage: ${what}: ${pages} page${pages === 1 ? "" : "s"}, ${records} records\n`),
  });
  return {
    source: "sign-in-logs",
    since: since.toISOString().slice(0, 10),
    until: now.toISOString().slice(0, 10),
    accounts: aggregateSignIns(signIns),
  };
}

/** Runs `usage` with its arguments (after the word `usage`). Returns the exit code. */
export async function runUsageCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS, {
    "--client-secret": "secrets are never taken from the command line: use --client-secret-env VAR",
  });
  if (values.help === true) {
    io.stdout(USAGE_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const days = whole(str(values, "days"), "--days", 30, 365);
  const expiringDays = whole(str(values, "expiring-days"), "--expiring-days", 30, 3650);
  const format = (str(values, "format") ?? "text") as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got '${format}'`);
  const out = str(values, "out");
  if (format === "html" && out === undefined) throw new UsageError("--format html needs --out FILE");
  const now = io.now();
  const today = str(values, "today") ?? now.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(`${today}T00:00:00Z`)))
    throw new UsageError(`--today must be YYYY-MM-DD, got '${today}'`);
  const stack = str(values, "stack") !== undefined ? stackValues(str(values, "stack")!) : undefined;
  const tenantFile = str(values, "tenant-file") ?? stack?.tenantFile;
  const handles = ownerHandles(str(values, "owner-handles"));
  if (values.propose === true && tenantFile === undefined)
    throw new UsageError("--propose needs --tenant-file FILE to edit");
  let desired: DesiredState | null = null;
  if (tenantFile !== undefined) {
    try {
      desired = loadDesiredState(tenantFile, { today });
    } catch (err) {
      if (err instanceof DesiredStateError) throw new UsageError(err.message);
      throw err;
    }
  }
  const csv = str(values, "from-csv");
  const csvUsage = csv !== undefined ? readSmtpAuthReport(csv) : undefined;
  if (str(values, "ca") !== undefined) trustCa(readCa(str(values, "ca")!));

  let settings = settingsFrom({ ...stack?.values, ...values }, io);
  // The stack's own sign-in in CI: its app by workload identity federation (no secret anywhere).
  if (stack?.credential === "workloadIdentity" && settings.credential === "default" && settings.clientId)
    settings = { ...settings, credential: "workloadIdentity" };
  // A token first, so an unreachable or refusing token service is reported as such.
  await clientCredentialsToken(settings, SCOPES.graph);
  let usage: UsageData;
  if (csvUsage) {
    if (!csvUsage.hasProtocol)
      io.stderr(
        "m365-smtp-auth usage: the CSV has no authentication protocol column: every sender is taken as Basic\n",
      );
    usage = {
      source: "csv",
      since: new Date(Date.parse(`${today}T00:00:00Z`) - days * DAY).toISOString().slice(0, 10),
      until: today,
      accounts: csvUsage.accounts,
    };
  } else usage = await fromLogs(settings, io, days, now);

  const api = await connect(settings);
  const report = await buildReport(usage, desired, tenantFactsReader(api, today), {
    today,
    days,
    expiringWithinDays: expiringDays,
  });
  const text = renderAs(report, format, handles);
  if (str(values, "json-out") !== undefined) writeFileSync(str(values, "json-out")!, renderAs(report, "json"));
  if (out !== undefined) {
    writeFileSync(out, text);
    io.stderr(`m365-smtp-auth usage: wrote ${out}\n`);
  } else io.stdout(text);

  if (values.propose === true) {
    const missing = report.accounts.filter((a) => report.undeclared.includes(a.account) && a.mechanism === "basic");
    const proposed = proposeInFile(tenantFile!, missing, today, days);
    io.stderr(
      proposed.length === 0
        ? "m365-smtp-auth usage: --propose: every account that signed in has a declared exception; nothing to add\n"
        : `m365-smtp-auth usage: --propose: added ${proposed.join(", ")} to ${tenantFile} with owner and ticket to fill in; the policy pack blocks the preview until they are\n`,
    );
  }
  return 0;
}

/** The report in one of the output formats. */
export function renderAs(report: UsageReport, format: Format, handles: Record<string, string> = {}): string {
  if (format === "md") return renderMarkdown(report, handles);
  if (format === "html") return renderHtml(report);
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  return renderText(report);
}
