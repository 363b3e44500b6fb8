/**
 * The exceptions a tenant.yaml declares with an expiry, and how close each is to it (issue 6 item 4):
 * SMTP AUTH per mailbox, per-user MFA per user, and the risk acceptance for security defaults off.
 *
 * The loader (desired/tenant-yaml.ts) already refuses a file with a past `expires`, which makes every
 * preview of that stack fail; this module reads the same files without that check so the scheduled
 * job can say which exception expired, where, and whose it is.
 */
import { readFileSync } from "node:fs";
import { DesiredStateError, formatIssue, isValidDate, parseDesiredState } from "../../desired/tenant-yaml.ts";

/** Days ahead from which an exception counts as expiring (the pull-request comment uses the same). */
export { EXPIRY_WARNING_DAYS } from "../preview-comment/render.ts";

/** One declared exception that has an `expires` date. */
export interface DatedException {
  file: string;
  /** 1-based position of the `expires` key (of the entry when the key has none recorded). */
  line: number;
  column: number;
  /** Key path, e.g. `smtpAuth.mailboxes.scanner@contoso.com.expires`. */
  key: string;
  /** What is excepted, in a few words: "SMTP AUTH enabled for scanner@contoso.com". */
  what: string;
  owner?: string;
  ticket?: string;
  expires: string;
  /** Days from today to the expiry: negative once expired, 0 on its last day. */
  daysLeft: number;
  /** expired: the day has passed; expiring: within the warning window; ok: later. */
  status: "expired" | "expiring" | "ok";
}

/** A file that could not be read or is invalid for a reason other than a past expiry. */
export interface ScanProblem {
  file: string;
  message: string;
}

export interface ExpiryScan {
  today: string;
  days: number;
  files: string[];
  exceptions: DatedException[];
  problems: ScanProblem[];
}

/** A day before any expiry can be, so the loader's own "expired" check never fires here. */
const EPOCH = "1970-01-01";

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Lists the dated exceptions in the tenant.yaml `files` (read as UTF-8), judged on `today`
 * (YYYY-MM-DD) with a warning window of `days`. Files that cannot be read or parsed are reported in
 * `problems`, never thrown; the result is sorted soonest first. Throws only on a malformed `today`.
 */
export function scanExceptions(
  files: string[],
  opts: { today: string; days: number; readFile?: (file: string) => string },
): ExpiryScan {
  if (!isValidDate(opts.today)) throw new Error(`[today] must be a date YYYY-MM-DD, got ${JSON.stringify(opts.today)}`);
  const read = opts.readFile ?? ((f: string) => readFileSync(f, "utf8"));
  const exceptions: DatedException[] = [];
  const problems: ScanProblem[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = read(file);
    } catch (err) {
      problems.push({ file, message: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? "error"})` });
      continue;
    }
    let state;
    try {
      state = parseDesiredState(text, file, { today: EPOCH });
    } catch (err) {
      if (err instanceof DesiredStateError) {
        for (const issue of err.issues) problems.push({ file, message: formatIssue(issue) });
        continue;
      }
      throw err;
    }
    const add = (key: string, what: string, record: { owner?: string; ticket?: string; expires?: string }) => {
      if (record.expires === undefined) return;
      const at = state.locations.get(key) ??
        state.locations.get(key.replace(/\.expires$/, "")) ?? { line: 0, column: 0 };
      const daysLeft = daysBetween(opts.today, record.expires);
      exceptions.push({
        file,
        line: at.line,
        column: at.column,
        key,
        what,
        ...(record.owner === undefined ? {} : { owner: record.owner }),
        ...(record.ticket === undefined ? {} : { ticket: record.ticket }),
        expires: record.expires,
        daysLeft,
        status: daysLeft < 0 ? "expired" : daysLeft <= opts.days ? "expiring" : "ok",
      });
    };
    const ra = state.securityDefaults?.riskAcceptance;
    if (ra) {
      add(
        "securityDefaults.riskAcceptance.expires",
        `security defaults ${state.securityDefaults?.enabled === false ? "off" : "on"} (risk acceptance)`,
        ra,
      );
    }
    for (const m of state.mailboxes)
      add(`smtpAuth.mailboxes.${m.mailbox}.expires`, `SMTP AUTH ${m.state} for ${m.mailbox}`, m);
    for (const u of state.mfaUsers) add(`mfa.users.${u.user}.expires`, `per-user MFA ${u.state} for ${u.user}`, u);
  }
  exceptions.sort(
    (a, b) => a.expires.localeCompare(b.expires) || a.file.localeCompare(b.file) || a.key.localeCompare(b.key),
  );
  return { today: opts.today, days: opts.days, files, exceptions, problems };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replace(/\s*\n\s*/g, " ");
}

/** "2026-12-09 (in 10 days)", "2026-11-20 (expired 9 days ago)", "2026-11-29 (last day)". */
export function whenText(e: Pick<DatedException, "expires" | "daysLeft">): string {
  if (e.daysLeft < 0) return `${e.expires} (expired ${plural(-e.daysLeft, "day")} ago)`;
  if (e.daysLeft === 0) return `${e.expires} (last day)`;
  return `${e.expires} (in ${plural(e.daysLeft, "day")})`;
}

/** `file:line`, or the file alone when no position is known. */
export function whereText(e: Pick<DatedException, "file" | "line">): string {
  return e.line > 0 ? `${e.file}:${e.line}` : e.file;
}

/** The one-line verdict of a scan, e.g. "❌ 1 expired · ⏳ 1 expiring within 30 days · 3 dated exceptions in 2 files". */
export function scanSummary(scan: ExpiryScan): string {
  const expired = scan.exceptions.filter((e) => e.status === "expired").length;
  const expiring = scan.exceptions.filter((e) => e.status === "expiring").length;
  const parts = [];
  if (expired > 0) parts.push(`❌ ${expired} expired`);
  if (expiring > 0) parts.push(`⏳ ${expiring} expiring within ${plural(scan.days, "day")}`);
  if (scan.problems.length > 0) parts.push(`❌ ${plural(scan.problems.length, "problem")} reading tenant.yaml`);
  if (parts.length === 0) parts.push(`✅ none expired or expiring within ${plural(scan.days, "day")}`);
  parts.push(`${plural(scan.exceptions.length, "dated exception")} in ${plural(scan.files.length, "file")}`);
  return parts.join(" · ");
}

/** The table rows of the expired and expiring exceptions (those further out are left off). */
export function exceptionRows(scan: ExpiryScan): string[] {
  return scan.exceptions
    .filter((e) => e.status !== "ok")
    .map(
      (e) =>
        `| ${e.status === "expired" ? "❌" : "⏳"} | ${cell(e.what)} | ${cell(e.owner ?? "—")} | ${cell(e.ticket ?? "—")} | ${whenText(e)} | \`${cell(whereText(e))}\` |`,
    );
}

/** The header of {@link exceptionRows}' table. */
export const EXCEPTION_TABLE_HEAD = ["| | Exception | Owner | Ticket | Expires | Where |", "|---|---|---|---|---|---|"];

/**
 * The Markdown table of expired and expiring exceptions (those further out are left off), or an
 * empty list when there are none. `heading` is the level-4 heading used.
 */
export function exceptionTable(scan: ExpiryScan, heading = "Exceptions expired or expiring"): string[] {
  const rows = exceptionRows(scan);
  const out: string[] = [];
  if (rows.length > 0) out.push(`#### ${heading}`, "", ...EXCEPTION_TABLE_HEAD, ...rows, "");
  if (scan.problems.length > 0) {
    out.push("#### Problems reading tenant.yaml", "", "```", ...scan.problems.map((p) => p.message), "```", "");
  }
  return out;
}

/** The full `ci:expiring` report. */
export function renderExpiryReport(scan: ExpiryScan): string {
  const lines = [
    `### Exceptions expiring within ${plural(scan.days, "day")} (as of ${scan.today})`,
    "",
    scanSummary(scan),
    "",
    ...exceptionTable(scan, "Expired or expiring"),
  ];
  if (scan.exceptions.some((e) => e.status === "expired")) {
    lines.push(
      "An expired exception makes every preview and update of its stack fail. Renew it (a new ticket and `expires`), or set the mailbox back to `inherit` and move the sender to OAuth 2.0.",
      "",
    );
  }
  return lines.join("\n").trimEnd() + "\n";
}
