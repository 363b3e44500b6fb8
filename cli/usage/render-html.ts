/**
 * The readiness report as one self-contained HTML file: inline CSS and SVG, no script, no network.
 * A stacked bar chart of successful SMTP AUTH sign-ins per day per account, the deadlines (and each
 * exception's expiry) on a timeline, and the same table and call-outs as the Markdown report.
 * Elements carry data-* attributes (account, day, count) so a browser test can check the DOM. Pure.
 */
import { BASIC_AVAILABLE_UNTIL, BASIC_REMOVAL_EARLIEST, BASIC_REMOVAL_LATEST } from "../../m365/schedule.ts";
import type { UsageReport } from "./model.ts";
import { HEADERS, PATH_LABELS, rowCells, sourceLine } from "./render.ts";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Colour-blind-safe palette (Okabe–Ito). */
const COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

const DAY = 86_400_000;
/** How an account is named to people: an app by its display name. */
const label = (a: { account: string; displayName: string | null }) => a.displayName ?? a.account;
const dayOf = (d: string) => Date.parse(`${d}T00:00:00Z`);
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

function chart(r: UsageReport): string {
  const accounts = r.accounts.filter((a) => a.logins > 0 && Object.keys(a.perDay).length > 0);
  if (accounts.length === 0)
    return `<p class="empty">No per-day sign-ins to chart${r.source === "csv" ? " (the CSV export has no dates)" : ""}.</p>`;
  const days: string[] = [];
  for (let t = dayOf(r.since); t <= dayOf(r.until); t += DAY) days.push(iso(t));
  const totals = days.map((d) => accounts.reduce((n, a) => n + (a.perDay[d] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const W = 760,
    H = 220,
    left = 36,
    bottom = 30,
    top = 10;
  const bw = (W - left - 10) / days.length;
  const scale = (n: number) => (n / max) * (H - top - bottom);
  const bars: string[] = [];
  days.forEach((d, i) => {
    let y = H - bottom;
    accounts.forEach((a, j) => {
      const n = a.perDay[d] ?? 0;
      if (n === 0) return;
      const h = scale(n);
      y -= h;
      bars.push(
        `<rect class="bar" data-account="${esc(a.account)}" data-day="${d}" data-count="${n}" x="${(left + i * bw + 1).toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLOURS[j % COLOURS.length]}"><title>${esc(a.account)} ${d}: ${n}</title></rect>`,
      );
    });
  });
  const labels = days
    .map((d, i) =>
      i % 7 === 0 || i === days.length - 1
        ? `<text x="${(left + i * bw).toFixed(1)}" y="${H - 12}" class="tick">${d.slice(5)}</text>`
        : "",
    )
    .join("");
  const legend = accounts
    .map((a, j) => `<span class="key"><i style="background:${COLOURS[j % COLOURS.length]}"></i>${esc(label(a))}</span>`)
    .join(" ");
  return `<svg id="logins-chart" role="img" aria-label="Successful SMTP AUTH sign-ins per day" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">
<line x1="${left}" y1="${H - bottom}" x2="${W - 10}" y2="${H - bottom}" class="axis"/>
<text x="4" y="${top + 10}" class="tick">${max}</text><text x="4" y="${H - bottom}" class="tick">0</text>
${bars.join("\n")}
${labels}
</svg>
<p class="legend">${legend}</p>`;
}

function timeline(r: UsageReport): string {
  const start = dayOf(r.today);
  const end =
    Math.max(
      dayOf(BASIC_REMOVAL_LATEST),
      ...r.accounts.map((a) => (a.exception?.expires ? dayOf(a.exception.expires) : 0)),
    ) +
    30 * DAY;
  const W = 760,
    H = 150,
    x0 = 20,
    x1 = W - 20;
  const x = (t: number) => x0 + ((t - start) / (end - start)) * (x1 - x0);
  const mark = (id: string, day: string, label: string, row: number, cls: string) =>
    `<g class="${cls}" data-marker="${id}" data-day="${day}"><line x1="${x(dayOf(day)).toFixed(1)}" y1="40" x2="${x(dayOf(day)).toFixed(1)}" y2="70"/><text x="${x(dayOf(day)).toFixed(1)}" y="${34 - row * 12 + (cls === "expiry" ? 62 + row * 24 : 0)}">${esc(label)}</text></g>`;
  // One marker per mailbox: a mailbox's Basic user and its OAuth app share the exception.
  const seen = new Set<string>();
  const expiries = r.accounts
    .filter((a) => a.exception?.expires && !seen.has(a.mailbox ?? a.account) && seen.add(a.mailbox ?? a.account))
    .map((a, i) =>
      mark(
        `expiry:${a.mailbox ?? a.account}`,
        a.exception!.expires!,
        `${a.mailbox ?? a.account} exception ends ${a.exception!.expires}`,
        i % 2,
        "expiry",
      ),
    );
  return `<svg id="deadlines" role="img" aria-label="Deadlines" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">
<line x1="${x0}" y1="55" x2="${x1}" y2="55" class="axis"/>
<rect class="removal" x="${x(dayOf(BASIC_REMOVAL_EARLIEST)).toFixed(1)}" y="47" width="${(x(dayOf(BASIC_REMOVAL_LATEST)) - x(dayOf(BASIC_REMOVAL_EARLIEST))).toFixed(1)}" height="16"/>
${mark("today", r.today, `today ${r.today}`, 0, "today")}
${mark("default-off", BASIC_AVAILABLE_UNTIL, `Basic off by default after ${BASIC_AVAILABLE_UNTIL}`, 1, "deadline")}
${mark("removal", BASIC_REMOVAL_EARLIEST, `removal window ${BASIC_REMOVAL_EARLIEST} – ${BASIC_REMOVAL_LATEST}`, 0, "deadline")}
${expiries.join("\n")}
</svg>`;
}

const CSS = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1b1b1b;max-width:1100px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.yes{background:#e3f4e8}td.no{background:#fbe3e1}td.if-re-enabled{background:#fff4d6}td.unknown{background:#eee}
.axis{stroke:#555;stroke-width:1}.tick{font-size:10px;fill:#555}.legend .key{margin-right:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
.removal{fill:#fbe3e1;stroke:#D55E00}.deadline line{stroke:#D55E00;stroke-width:2}.today line{stroke:#0072B2;stroke-width:2}.expiry line{stroke:#009E73;stroke-width:2;stroke-dasharray:3 2}
svg text{font-size:11px}.callouts li{margin:4px 0}.muted{color:#555}`;

/** The whole HTML document. */
export function renderHtml(r: UsageReport): string {
  const answerCols = [5, 6, 7];
  const keys: ("today" | "afterDefaultOff" | "afterRemoval")[] = ["today", "afterDefaultOff", "afterRemoval"];
  const rows = r.accounts
    .map((a) => {
      const cells = rowCells(a)
        .map((c, i) => {
          const k = answerCols.indexOf(i);
          const v = k >= 0 ? a[keys[k]!] : undefined;
          return v ? `<td class="${v.answer}" title="${esc(v.reason)}">${esc(c)}</td>` : `<td>${esc(c)}</td>`;
        })
        .join("");
      return `<tr data-account="${esc(a.account)}" data-mechanism="${a.mechanism}">${cells}</tr>`;
    })
    .join("\n");
  const why = r.accounts
    .map(
      (a) =>
        `<li><b>${esc(label(a))}</b> → ${esc(PATH_LABELS[a.recommendation.path])}: ${esc(a.recommendation.reason)}.</li>`,
    )
    .join("\n");
  const notes = [
    ...(r.undeclared.length > 0 ? [`Using SMTP AUTH without a declared exception: ${r.undeclared.join(", ")}.`] : []),
    ...r.unused.map(
      (u) =>
        `No sign-in in ${r.days} days for the declared exception ${u.mailbox} (owner ${u.owner ?? "none"}): remove it.`,
    ),
    ...r.expiring.map(
      (e) => `The exception for ${e.mailbox} expires on ${e.expires} (${e.daysLeft} days; owner ${e.owner ?? "none"}).`,
    ),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SMTP AUTH readiness ${esc(r.today)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>${CSS}</style></head>
<body>
<h1>SMTP AUTH readiness</h1>
<p class="muted">${esc(sourceLine(r))}${r.tenantFile ? ` Declared exceptions from ${esc(r.tenantFile)}.` : ""}</p>
<h2>Successful sign-ins per day</h2>
${chart(r)}
<h2>Deadlines</h2>
${timeline(r)}
<h2>Accounts</h2>
<table id="accounts"><thead><tr>${HEADERS.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead>
<tbody>
${rows}
</tbody></table>
<ul class="why">${why}</ul>
${notes.length > 0 ? `<h2>Needs a decision</h2>\n<ul class="callouts">${notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : ""}
</body></html>
`;
}
