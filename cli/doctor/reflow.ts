/**
 * A paste's own lines, restored before anything reads it line by line. A log viewer, a terminal or a
 * ticket field cuts long lines at a fixed column (mid-word: "…disabled for the Mail" | "box. Visit …"), so a
 * story's entries ("09:12 535 …", "Attempt 2: …") no longer start their own lines and an error's code and
 * reason sit on two. Lines that break exactly at the paste's widest column are one line again; every other
 * break is the paste's own (a mail client's re-wrap at word ends is joined later, by normalise.ts). A web form
 * or a chat that drops the breaks altogether leaves one long line: its entries start lines again.
 */

/** Length as a column counts it: code points, not UTF-16 units. */
const width = (line: string) => [...line].length;

/** A line drawn as part of a table or a box ("+----+", "| a | b |"), whose rows all share one width. */
const TABLE_EDGE = /^\s*[|+]|[|+]\s*$/u;

/** A line that starts a record of its own (a timestamped log or CSV row), however wide the one before it. */
const RECORD_START = /^\s*\[?(?:\d{4}-\d\d-\d\d|\d{1,2}:\d\d:\d\d)/u;

/**
 * The text with fixed-column cuts joined: the paste's widest lines (at least two, all exactly as wide)
 * each run on into the next, and at least one run ends in a shorter line, as a cut log's last piece
 * does. A table's rows are as wide as each other too, but none ends a run shorter, and its edges are drawn.
 */
function joinColumnCuts(lines: string[]): string[] {
  // A mail client quotes each piece of a cut line ("> … did not mee" | "> t the criteria …"): the piece goes on
  // after its quote marks.
  const quoteOf = (line: string) => /^(?:[ \t]*>)+ ?/u.exec(line)?.[0] ?? "";
  const widths = lines.map(width);
  const column = Math.max(0, ...widths);
  if (column < 20) return lines;
  const cut = (i: number) =>
    widths[i] === column &&
    i + 1 < lines.length &&
    /\S/u.test(lines[i + 1]!) &&
    !TABLE_EDGE.test(lines[i]!) &&
    !TABLE_EDGE.test(lines[i + 1]!) &&
    !RECORD_START.test(lines[i + 1]!);
  const cuts = lines.flatMap((_, i) => (cut(i) ? [i] : []));
  if (cuts.length < 2 || !cuts.some((i) => widths[i + 1]! < column)) return lines;
  // Text wrapped at word ends reaches its margin only now and then, and its other lines mostly fall a few
  // columns short; a column cut lands exactly on it every time, and only a run's last piece falls short, anywhere.
  const justShort = widths.filter((w) => w < column && w >= column - 6).length;
  if (justShort >= Math.max(2, cuts.length / 2)) return lines;
  // Two lines as wide as each other may be chance ("… with message" | "'Connection to … Timed" | "Out'"): so few
  // need one cut that shows, inside a word or a code ("basic a" | "uthentication", "5.7." | "139") or at a space
  // the cut left on either side.
  const shows = (i: number) => {
    const next = lines[i + 1]!.slice(quoteOf(lines[i + 1]!).length);
    return (
      /\s$/u.test(lines[i]!) ||
      /^ \S/u.test(next) ||
      (/[\p{L}\p{N}]$/u.test(lines[i]!) && /^[\p{Ll}\p{N}.]/u.test(next))
    );
  };
  if (cuts.length < 3 && !cuts.some(shows)) return lines;
  const out: string[] = [];
  let building: string | undefined;
  lines.forEach((line, i) => {
    building = building === undefined ? line : building + line.slice(quoteOf(line).length);
    if (!cuts.includes(i)) {
      out.push(building);
      building = undefined;
    }
  });
  return out;
}

/** An entry of a dated or numbered story: a date and time, "Attempt 2", "UPDATE:", "Edit 2", "Day 3", "Tue 09:12". */
const ENTRY =
  /(?<=\S[ \t]+)(?=\[?\d{4}-\d\d-\d\d[ T]\d\d:\d\d|(?:attempt|try|run|round|update|edit|day|week)\s?#?\d+\b|(?:update|edit)\s*:|(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?\s*(?:\d{1,2}:\d\d|:))/giu;
/** The server id that starts a reply's diagnostic suffix, whose date is no entry ("[AM0PR01CA0001.eurprd01.prod… 2025-…"). */
const SUFFIX_BEFORE = /\[[A-Z0-9]{6,}(?:\.[A-Za-z0-9-]+)+\s+$/u;

/**
 * A paste whose line breaks a web form or a chat dropped, as one long line: its blank lines survive as runs of
 * spaces (where single spaces are the rule), and its entries still start with their stamps; each starts a line again.
 */
function restoreBreaks(line: string): string {
  const runs = line.match(/ {2,}/gu)?.length ?? 0;
  const singles = line.match(/(?<! ) (?! )/gu)?.length ?? 0;
  let out = runs > 0 && singles >= 3 * runs ? line.replace(/ {2,}/gu, "\n") : line;
  out = out.replace(ENTRY, (_m, at: number) => (SUFFIX_BEFORE.test(out.slice(0, at)) ? "" : "\n"));
  return out.replace(/[ \t]+\n/gu, "\n");
}

/** `text` with the lines its paste cut or dropped restored (unchanged when neither is seen). */
export function restoreLines(text: string): string {
  const lines = text.split(/\r?\n/u);
  const written = lines.filter((l) => /\S/u.test(l));
  if (written.length === 1 && written[0]!.length >= 200)
    return text.replace(written[0]!, () => restoreBreaks(written[0]!));
  if (lines.length < 3) return text;
  const restored = joinColumnCuts(lines);
  return restored.length === lines.length ? text : restored.join("\n");
}
