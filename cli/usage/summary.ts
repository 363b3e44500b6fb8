/**
 * A short SMTP AUTH readiness summary for the end of `npm start` (and any script that already has a
 * tenant connection): how many accounts signed in to SMTP AUTH and how, how many can send today,
 * after the end-of-December-2026 change and after the 2027 removal, and who uses SMTP AUTH without
 * a declared exception. The same pipeline as `m365-smtp-auth usage`, condensed to a few lines.
 */
import { DesiredStateError, loadDesiredState } from "../../desired/tenant-yaml.ts";
import { connect, settingsFrom, trustCa } from "../connection.ts";
import { errorLine, type CliIo } from "../io.ts";
import { fromLogs } from "./command.ts";
import { tenantFactsReader } from "./facts.ts";
import { buildReport } from "./join.ts";
import type { UsageReport } from "./model.ts";
import { BASIC_AVAILABLE_UNTIL } from "../../m365/schedule.ts";

export interface ReadinessSummaryOptions {
  /** M365_TENANT_ID, M365_CLIENT_ID, M365_CLIENT_SECRET, M365_AUTHORITY_HOST, M365_GRAPH_URL, M365_EXCHANGE_URL (the sandbox's `env`). */
  env: Readonly<Record<string, string | undefined>>;
  /** The stack's tenant.yaml, for declared exceptions. */
  tenantFile: string;
  /** Each line of the summary, without a newline. */
  write: (line: string) => void;
  /** A CA to trust (the sandbox's), PEM. */
  caPem?: string;
  /** Days of sign-in logs to read (default 30). */
  days?: number;
  now?: Date;
}

/** The summary lines of a report. Pure. */
export function summaryLines(r: UsageReport, tenantFile: string): string[] {
  const basic = r.accounts.filter((a) => a.mechanism === "basic");
  const oauth = r.accounts.length - basic.length;
  const count = (k: "today" | "afterDefaultOff" | "afterRemoval", answer: string) =>
    r.accounts.filter((a) => a[k].answer === answer).length;
  const lines = [
    `SMTP AUTH readiness (last ${r.days} days of sign-in logs): ${r.accounts.length} account${r.accounts.length === 1 ? "" : "s"} signed in, ${basic.length} with a password (Basic), ${oauth} with OAuth.`,
    `  can send today: ${count("today", "yes")}; after ${BASIC_AVAILABLE_UNTIL}: ${count("afterDefaultOff", "yes")} (+${count("afterDefaultOff", "if-re-enabled")} only if Basic is re-enabled); after the 2027 removal: ${count("afterRemoval", "yes")}.`,
  ];
  if (r.undeclared.length > 0)
    lines.push(
      `  using SMTP AUTH without a declared exception: ${r.undeclared.join(", ")} (npm run usage -- --propose --tenant-file ${tenantFile})`,
    );
  for (const u of r.unused) lines.push(`  declared but unused for ${r.days} days: ${u.mailbox} (remove the exception)`);
  lines.push(`  full report: npm run usage -- --tenant-file ${tenantFile} [--format md|html --out FILE]`);
  return lines;
}

/**
 * Reads the tenant's SMTP AUTH sign-ins and gates and writes the summary. Never throws: when the
 * logs or the tenant cannot be read (no Entra ID P1, a missing permission, an invalid tenant.yaml)
 * it writes one line saying why and how to get the full report, and returns false.
 */
export async function printReadinessSummary(opts: ReadinessSummaryOptions): Promise<boolean> {
  const now = opts.now ?? new Date();
  const today = now.toISOString().slice(0, 10);
  const days = opts.days ?? 30;
  const io: CliIo = {
    stdout: () => {},
    stderr: () => {},
    env: opts.env,
    readStdin: () => Promise.resolve(null),
    now: () => now,
  };
  try {
    if (opts.caPem !== undefined) trustCa(opts.caPem);
    const desired = loadDesiredState(opts.tenantFile, { today });
    const settings = settingsFrom({}, io);
    const usage = await fromLogs(settings, io, days, now);
    const report = await buildReport(usage, desired, tenantFactsReader(await connect(settings), today), {
      today,
      days,
    });
    for (const line of summaryLines(report, opts.tenantFile)) opts.write(line);
    return true;
  } catch (err) {
    const why = err instanceof DesiredStateError ? err.message.split("\n")[0]! : errorLine(err);
    opts.write(`SMTP AUTH readiness: not available (${why}); see npm run usage -- --help`);
    return false;
  }
}
