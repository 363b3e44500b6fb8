/**
 * Several mailboxes' answers side by side: `Get-CASMailbox a,b,c | ft Name,SmtpClientAuthenticationDisabled`
 * prints one row per mailbox (a blank cell for $null), which normalise.ts also writes out as Format-List records
 * ("Name : a" / "SmtpClientAuthenticationDisabled : True"), as `| fl` prints several. Admins paste them to compare
 * the failing mailbox with those that work, so the row that decides is the failing account's: the one the report
 * names outside the table (not only as the one that works), else the one that differs from all the others.
 */

/** A cell's value as the check answers read it: PowerShell's True / False, or blank for $null. */
export type SwitchValue = "true" | "false" | "blank";

export interface TableRow {
  /** The first column (Name, Identity, UserPrincipalName, PrimarySmtpAddress): the mailbox. */
  name: string;
  value: SwitchValue;
}

/** A table's rows and the lines it spans, so the text around it can be told apart. */
interface Table {
  rows: TableRow[];
  first: number;
  last: number;
}

/** "Key : value" as Format-List prints it (normalise.ts rewrites a Format-Table's rows so too). */
const FIELD = /^[ \t]*([A-Za-z][\w.-]{0,60})[ \t]*:[ \t]*(.*?)[ \t]*$/u;

function cellValue(cell: string): SwitchValue | undefined {
  if (/^\$?true$/iu.test(cell)) return "true";
  if (/^\$?false$/iu.test(cell)) return "false";
  return cell === "" ? "blank" : undefined;
}

/**
 * Two or more Format-List records in a row, each a run of "Key : value" lines with `column` among them and a
 * blank line between: a record's first field names the mailbox. The lines of the Format-Table they were read
 * from (its header names the column, a few lines above) belong to the table too.
 */
function readRecords(lines: readonly string[], column: string): Table | undefined {
  const key = column.toLowerCase();
  const header = new RegExp(String.raw`(?<![\w-])${column}(?![\w-])`, "iu");
  for (let i = 0; i < lines.length; i++) {
    const rows: TableRow[] = [];
    let j = i;
    let last = i;
    // Where the scan stopped: no record starts inside the lines it read (a suffix of a record has the same
    // fields), so the next start is after them; a long run of "Key: value" log lines is read once.
    let stop = i;
    while (j < lines.length) {
      let k = j;
      let name: string | undefined;
      let value: SwitchValue | undefined;
      for (; k < lines.length; k++) {
        const f = FIELD.exec(lines[k]!);
        if (f === null) break;
        name ??= f[2]!.toLowerCase();
        if (f[1]!.toLowerCase() === key) value = cellValue(f[2]!);
      }
      stop = Math.max(stop, k);
      if (k === j || name === undefined || name === "" || value === undefined) break;
      rows.push({ name, value });
      last = k - 1;
      if (lines[k]?.trim() !== "") break;
      j = k + 1;
    }
    if (rows.length >= 2) {
      let first = i;
      for (let h = i - 1; h >= Math.max(0, i - 6); h--)
        if (header.test(lines[h]!) && !FIELD.test(lines[h]!)) {
          first = h;
          break;
        }
      return { rows, first, last };
    }
    i = Math.max(i, stop - 1);
  }
  return undefined;
}

/**
 * A Format-Table pasted without its dashed rule, or with its column runs collapsed: a header line whose first
 * word names the mailbox column and that names `column`, then rows of as many words (one fewer for a blank last
 * cell) whose cell under `column` is True, False or blank.
 */
function readPlainTable(lines: readonly string[], column: string): Table | undefined {
  const named = new RegExp(String.raw`^(?:${column})$`, "iu");
  for (let i = 0; i < lines.length; i++) {
    const heads = lines[i]!.trim().split(/[ \t]+/u);
    const at = heads.findIndex((h) => named.test(h));
    if (
      at <= 0 ||
      !/^(?:name|identity|displayname|userprincipalname|primarysmtpaddress|alias|user|mailbox)$/iu.test(heads[0]!)
    )
      continue;
    // Rows a paste ran onto the header's line ("Name SmtpClientAuthenticationDisabled facturation False relances
    // True"): read in groups of as many words as there are columns, when the column is the last.
    if (heads.length > at + 1 && at === heads.findIndex((h) => named.test(h))) {
      const width = at + 1;
      const rest = heads.slice(width).filter((c) => !/^-+$/u.test(c));
      if (at === 1 && rest.length >= 4 && rest.length % width === 0) {
        const rows: TableRow[] = [];
        for (let k = 0; k < rest.length; k += width) {
          const value = cellValue(rest[k + at]!);
          if (value === undefined) break;
          rows.push({ name: rest[k]!.toLowerCase(), value });
        }
        if (rows.length * width === rest.length) return { rows, first: i, last: i };
      }
      continue;
    }
    let j = i + 1;
    if (/^[ \t]*-{2,}/u.test(lines[j]!)) j++;
    const rows: TableRow[] = [];
    for (; j < lines.length; j++) {
      const cells = lines[j]!.trim().split(/[ \t]+/u);
      if (lines[j]!.trim() === "" || cells.length > heads.length || cells.length < heads.length - 1) break;
      const value = cellValue(cells.length === heads.length ? cells[at]! : at === heads.length - 1 ? "" : "?");
      if (value === undefined) break;
      rows.push({ name: cells[0]!.toLowerCase(), value });
    }
    if (rows.length >= 2) return { rows, first: i, last: j - 1 };
  }
  return undefined;
}

/** A sentence about a mailbox that works, and one about a failure. */
const WORKS =
  /\b(?:works?|worked|working|fine|ok|okay|sends? (?:ok|fine|without)|no (?:problem|issue)s?|never (?:had|given|gave) (?:us )?(?:any )?(?:trouble|problems?))\b|(?<![\p{L}])(?:funktioniert|fonctionne|funciona|funziona|werkt|envoie sans souci)(?![\p{L}])/u;
const FAILS =
  /\b(?:fails?|failed|failing|errors?|refused|rejected|can(?:no|'|’)?t|does(?:n['’]t| not)|won['’]?t|stopped|5\d\d|[45]\.\d\.\d{1,3})\b|(?<![\p{L}])(?:erreur|fehler|error|falha|fout|échec|fehlgeschlagen|falla|fallo|errore)(?![\p{L}])/u;

/** The mailbox part of a row's name ("svc-erp" of "svc-erp@fabrikam.com"), as the report may name it. */
function localPart(name: string): string {
  return name.split("@")[0]!;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
}

/**
 * The value in the `column` of the failing account's row of a Format-Table answer in `text`, or undefined when
 * there is no such table or no row can be told to be the failing one. The failing row is the only row the report
 * names outside the table (by address or mailbox name), or among several named the only one whose value differs
 * from the rest; with none named, the only row that differs from all the others.
 */
export function failingRowValue(text: string, column: string): SwitchValue | undefined {
  const lines = text.split("\n");
  const table = readRecords(lines, column) ?? readPlainTable(lines, column);
  if (table === undefined) return undefined;
  // The command that printed it names the mailboxes it asked for ("Get-CASMailbox a,b,c | ft …"): part of the table.
  for (let h = table.first - 1; h >= Math.max(0, table.first - 3); h--)
    if (/\b(?:Get|Set)-[A-Za-z]+/u.test(lines[h]!)) {
      table.first = h;
      break;
    }
  const outside = [...lines.slice(0, table.first), ...lines.slice(table.last + 1)].join("\n").toLowerCase();
  // Named outside the table, and not only as the one that works ("The printer works.", "A (scan1@…) works, B fails").
  const sentences = outside.split(/(?<=[.!?])\s+|\n|[,;]\s*|\s+(?:but|while|whereas)\s+/u);
  const saidOf = (r: TableRow) => {
    const mention = new RegExp(String.raw`(?<![\w.-])${escape(localPart(r.name))}(?![\w-])`, "u");
    return sentences.filter((t) => mention.test(t));
  };
  // A row named as working somewhere and never as failing is a working peer ("facturation@ : envoi OK.").
  const working = (r: TableRow) =>
    saidOf(r).some((t) => WORKS.test(t) && !FAILS.test(t)) && !saidOf(r).some((t) => FAILS.test(t) && !WORKS.test(t));
  const named = table.rows.filter((r) => saidOf(r).length > 0 && !working(r));
  const odd = (rows: readonly TableRow[]): TableRow | undefined => {
    const differs = rows.filter((r) => table.rows.filter((o) => o.value === r.value).length === 1);
    return differs.length === 1 && table.rows.length >= 3 ? differs[0] : undefined;
  };
  if (named.length === 1) return named[0]!.value;
  if (named.length > 1) return odd(named)?.value;
  return odd(table.rows)?.value;
}
