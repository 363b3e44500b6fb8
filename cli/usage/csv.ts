/**
 * The fallback source: the Exchange admin center's SMTP AUTH clients report, exported as CSV
 * (Reports > Mail flow > SMTP AUTH clients report > Export). Microsoft documents the table's columns
 * as Sender address, Domain, TLS 1.0, TLS 1.1, TLS 1.2 and Messages sent; since October 2024
 * (MC786329) it also says which authentication protocol (Basic or OAuth) each sender used. The
 * exact header text of the export is not documented, so columns are matched by name, ignoring case,
 * and an unknown layout is refused naming the columns found.
 *
 * A `Date` column, when the export has one (a per-day view), fills the per-day counts and last seen.
 *
 * Failure semantics: an unreadable file or a missing "Sender address" column is a UsageError with
 * the file and line; a row with a bad count names its line. Without a protocol column every sender
 * is taken as Basic (the pessimistic reading) and the report says so.
 */
import { readFileSync } from "node:fs";
import { UsageError } from "../io.ts";
import type { AccountUsage, UsageMechanism } from "./model.ts";

/** Splits CSV text into rows of fields (RFC 4180: quotes, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const src = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && src[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ""));
}

/** YYYY-MM-DD from `2026-11-29`, `2026-11-29T…` or the US form the admin center exports, `11/29/2026`. */
export function csvDay(text: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(text);
  const [y, m, d] = iso
    ? [iso[1]!, iso[2]!, iso[3]!]
    : us
      ? [us[3]!, us[1]!.padStart(2, "0"), us[2]!.padStart(2, "0")]
      : [];
  if (y === undefined) return undefined;
  const day = `${y}-${m}-${d}`;
  const t = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(day) ? day : undefined;
}

export interface CsvUsage {
  accounts: AccountUsage[];
  /** False when the export had no authentication-protocol column (every sender taken as Basic). */
  hasProtocol: boolean;
}

/** Reads an SMTP AUTH clients report export. Throws UsageError naming the file and line. */
export function readSmtpAuthReport(file: string): CsvUsage {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(
      `--from-csv ${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  return parseSmtpAuthReport(text, file);
}

/** Parses the export's text; `file` names it in errors. */
export function parseSmtpAuthReport(text: string, file: string): CsvUsage {
  const rows = parseCsv(text);
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const col = (re: RegExp) => header.findIndex((h) => re.test(h));
  const sender = col(/^sender( address)?$/);
  const messages = col(/^messages( sent)?$/);
  const protocol = col(/auth(entication)? ?(protocol|method|type)/);
  // A per-day export has a date column; the summary table has none.
  const date = col(/^(date|day)$/);
  if (sender < 0) {
    throw new UsageError(
      `--from-csv ${file}:1: no "Sender address" column (found: ${header.map((h) => `"${h}"`).join(", ") || "nothing"}); export the SMTP AUTH clients report from the Exchange admin center`,
    );
  }
  const byKey = new Map<string, AccountUsage>();
  rows.slice(1).forEach((r, i) => {
    const line = i + 2;
    const address = (r[sender] ?? "").trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+$/.test(address))
      throw new UsageError(`--from-csv ${file}:${line}: "${r[sender] ?? ""}" is not a sender address`);
    const countText = messages >= 0 ? (r[messages] ?? "").trim().replace(/,/g, "") : "1";
    if (!/^\d+$/.test(countText))
      throw new UsageError(`--from-csv ${file}:${line}: "Messages sent" must be a whole number, not "${countText}"`);
    const proto = protocol >= 0 ? (r[protocol] ?? "").trim().toLowerCase() : "";
    const mechanism: UsageMechanism = proto.includes("oauth") ? "oauth" : "basic";
    const key = `${mechanism}:${address}`;
    const a = byKey.get(key) ?? {
      account: address,
      // OAuth senders in this report are mailboxes, not apps: the report is per sender address.
      kind: "user" as const,
      mechanism,
      displayName: null,
      logins: 0,
      failures: 0,
      lastSeen: null,
      perDay: {},
      errorCodes: {},
      ipAddresses: [],
    };
    a.logins += Number(countText);
    if (date >= 0) {
      const day = csvDay((r[date] ?? "").trim());
      if (day === undefined)
        throw new UsageError(`--from-csv ${file}:${line}: "${r[date] ?? ""}" is not a date (YYYY-MM-DD or M/D/YYYY)`);
      a.perDay[day] = (a.perDay[day] ?? 0) + Number(countText);
      if (a.lastSeen === null || `${day}T00:00:00Z` > a.lastSeen) a.lastSeen = `${day}T00:00:00Z`;
    }
    byKey.set(key, a);
  });
  const accounts = [...byKey.values()].sort(
    (x, y) => x.account.localeCompare(y.account) || x.mechanism.localeCompare(y.mechanism),
  );
  return { accounts, hasProtocol: protocol >= 0 };
}
