/**
 * The readiness report as text: a terminal table and Markdown for a pull request or an issue. Pure;
 * both list the same rows and call-outs in the same order. HTML is render-html.ts.
 */
import { BASIC_AVAILABLE_UNTIL, BASIC_REMOVAL_EARLIEST, BASIC_REMOVAL_LATEST } from "../../m365/schedule.ts";
import type { AccountReadiness, RecommendedPath, UsageReport, Verdict } from "./model.ts";

export const PATH_LABELS: Record<RecommendedPath, string> = {
  "keep-oauth": "keep OAuth",
  oauth: "OAuth (XOAUTH2)",
  "high-volume-email": "High Volume Email",
  connector: "relay via connector",
  "graph-sendmail": "Graph sendMail",
  "keep-off": "keep SMTP AUTH off",
};

const ANSWERS: Record<Verdict["answer"], string> = {
  yes: "yes",
  no: "no",
  "if-re-enabled": "only if re-enabled",
  unknown: "unknown",
};

/** One line per account, the cells every format shows. */
export function rowCells(a: AccountReadiness): string[] {
  const name = a.kind === "app" ? `${a.displayName ?? a.account} (app ${a.account})` : a.account;
  const exception = a.exception
    ? `yes, until ${a.exception.expires ?? "?"} (${a.exception.owner ?? "no owner"})`
    : a.mechanism === "oauth"
      ? "n/a"
      : "none";
  return [
    name,
    a.mechanism === "basic" ? "Basic" : "OAuth",
    `${a.logins}${a.failures > 0 ? ` (+${a.failures} failed)` : ""}`,
    a.lastSeen ? a.lastSeen.slice(0, 16).replace("T", " ") : "—",
    exception,
    ANSWERS[a.today.answer],
    ANSWERS[a.afterDefaultOff.answer],
    ANSWERS[a.afterRemoval.answer],
    PATH_LABELS[a.recommendation.path],
  ];
}

export const HEADERS = [
  "account",
  "auth",
  "logins",
  "last seen (UTC)",
  "declared exception",
  "can send today",
  `after ${BASIC_AVAILABLE_UNTIL}`,
  "after 2027 removal",
  "move to",
];

/** Where the usage came from and for which days; exported for the HTML report. */
export function sourceLine(r: UsageReport): string {
  if (r.source === "csv")
    return `SMTP AUTH usage from the Exchange admin center's SMTP AUTH clients report (CSV, for the date range it was exported with), as of ${r.today}; exceptions unused in it are called out as unused for ${r.days} days.`;
  return `SMTP AUTH usage ${r.since} to ${r.until} (${r.days} days) from Entra sign-in logs, as of ${r.today}.`;
}

function callouts(r: UsageReport, handles: Record<string, string> = {}): string[] {
  const who = (owner: string | null) =>
    owner === null ? "no owner" : handles[owner] ? `${handles[owner]} (${owner})` : `owner ${owner}`;
  const out: string[] = [];
  if (r.undeclared.length > 0)
    out.push(
      `Using SMTP AUTH without a declared exception: ${r.undeclared.join(", ")}. Declare them (usage --propose) or move them off SMTP AUTH.`,
    );
  for (const u of r.unused)
    out.push(
      `No sign-in in ${r.days} days for the declared exception ${u.mailbox} (owner ${u.owner ?? "none"}): remove it.`,
    );
  for (const e of r.expiring)
    out.push(
      `The exception for ${e.mailbox} expires on ${e.expires} (${e.daysLeft} days; ${who(e.owner)}): renew it or move the sender.`,
    );
  return out;
}

const DEADLINES = `Deadlines: Basic SMTP AUTH off by default for existing tenants after ${BASIC_AVAILABLE_UNTIL}; removed between ${BASIC_REMOVAL_EARLIEST} and ${BASIC_REMOVAL_LATEST} (Microsoft, January 2026).`;

/** A plain-text table for a terminal, then the reasons and call-outs. */
export function renderText(r: UsageReport): string {
  const lines = [sourceLine(r), ""];
  if (r.accounts.length === 0) lines.push(`No SMTP AUTH sign-ins in the last ${r.days} days.`);
  else {
    const rows = [HEADERS, ...r.accounts.map(rowCells)];
    const widths = HEADERS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
    for (const row of rows)
      lines.push(
        row
          .map((c, i) => c.padEnd(widths[i]!))
          .join("  ")
          .trimEnd(),
      );
    lines.push("");
    for (const a of r.accounts) {
      lines.push(`${a.displayName ?? a.account}: ${PATH_LABELS[a.recommendation.path]} — ${a.recommendation.reason}.`);
      if (a.today.answer !== "yes") lines.push(`  today: ${a.today.reason}`);
    }
  }
  const notes = callouts(r);
  if (notes.length > 0) lines.push("", ...notes.map((n) => `! ${n}`));
  lines.push("", DEADLINES);
  return `${lines.join("\n")}\n`;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/**
 * GitHub-flavoured Markdown for a pull request comment or an issue body. `handles` maps owner mail
 * addresses to GitHub @handles: owners of exceptions expiring within the window are mentioned.
 */
export function renderMarkdown(r: UsageReport, handles: Record<string, string> = {}): string {
  const lines = ["## SMTP AUTH readiness", "", sourceLine(r), ""];
  if (r.accounts.length === 0) lines.push(`No SMTP AUTH sign-ins in the last ${r.days} days.`);
  else {
    lines.push(`| ${HEADERS.join(" | ")} |`, `|${HEADERS.map(() => "---").join("|")}|`);
    for (const a of r.accounts) lines.push(`| ${rowCells(a).map(cell).join(" | ")} |`);
    lines.push("", "### Why", "");
    for (const a of r.accounts) {
      lines.push(
        `- **${cell(a.displayName ?? a.account)}** → ${PATH_LABELS[a.recommendation.path]}: ${cell(a.recommendation.reason)}.`,
      );
      if (a.today.answer !== "yes") lines.push(`  Today: ${cell(a.today.reason)}.`);
    }
  }
  const notes = callouts(r, handles);
  if (notes.length > 0) lines.push("", "### Needs a decision", "", ...notes.map((n) => `- ${n}`));
  const mention = [...new Set(r.expiring.map((e) => (e.owner ? handles[e.owner] : undefined)).filter(Boolean))];
  if (mention.length > 0)
    lines.push("", `cc ${mention.join(" ")}: an exception you own expires within ${r.expiringWithinDays} days.`);
  lines.push("", `_${DEADLINES}_`);
  return `${lines.join("\n")}\n`;
}
