/**
 * A paste's own lines, restored before anything reads it line by line. A log viewer, a terminal or a
 * ticket field cuts long lines at a fixed column (mid-word: "…disabled for the Mail" | "box. Visit …"),
 * and a mail client re-wraps at its margin; either way a story's entries ("09:12 535 …", "Attempt 2: …")
 * no longer start their own lines and an error's code and reason sit on two. Lines that break exactly
 * at the paste's widest column are one line again; every other break is the paste's own.
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
  const out: string[] = [];
  let building: string | undefined;
  lines.forEach((line, i) => {
    building = building === undefined ? line : building + line;
    if (!cuts.includes(i)) {
      out.push(building);
      building = undefined;
    }
  });
  return out;
}

/** `text` with the lines its paste cut restored (unchanged when no cut is seen). */
export function restoreLines(text: string): string {
  const lines = text.split(/\r?\n/u);
  if (lines.length < 3) return text;
  const restored = joinColumnCuts(lines);
  return restored.length === lines.length ? text : restored.join("\n");
}
