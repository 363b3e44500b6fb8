/**
 * Issue 16.1: a comment that fits. GitHub refuses a comment body over 65,536 characters (422 "Body is
 * too long"), and a first adoption of a large tenant previews thousands of rows. The comment is laid
 * out as fixed parts (summary, errors, link) and sections of rows; when the whole does not fit the
 * budget, every section shows at most the same number of rows K, the largest K that fits, and says
 * how many rows it left out and where they are. The collapsed raw preview gets what is left (at
 * least a sixth of the budget when it needs it).
 */

/** GitHub's limit on a comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** What the comment aims for: below the limit with room for what a pipeline adds around it. */
export const DEFAULT_BUDGET = 60_000;

/** Sections longer than this many rows are collapsed (`<details>`) even when everything fits. */
export const COLLAPSE_ROWS = 20;

/** One titled part of the comment whose rows may be trimmed. */
export interface Section {
  title: string;
  /** Lines before the rows, e.g. a table header. */
  head: string[];
  rows: string[];
  /** Collapse whatever the row count (e.g. the raw preview). */
  collapsed?: boolean;
  /** Wrap the rows in a fenced block of this language (the raw preview). */
  fence?: string;
  /** Lines after the rows, kept whatever is trimmed (e.g. what to do about them). */
  tail?: string[];
}

/** Where the rows left out can be found, e.g. "the pipeline artifact (comment-full.md)". */
export interface LayoutOptions {
  budget: number;
  whereTrimmed: string;
}

function renderSection(s: Section, shown: number, where: string): string {
  const rows = s.rows.slice(0, shown);
  const body = s.fence !== undefined ? ["```" + s.fence, ...rows, "```"] : rows;
  const more = s.rows.length - shown;
  const note = more > 0 ? ["", `_… ${more} more ${more === 1 ? "row" : "rows"}, see ${where}._`] : [];
  const tail = s.tail ? ["", ...s.tail] : [];
  if (s.collapsed || s.rows.length > COLLAPSE_ROWS) {
    // A blank line after </summary> lets GitHub render the Markdown table inside.
    return [
      "<details>",
      `<summary><b>${s.title}</b> (${s.rows.length})</summary>`,
      "",
      ...s.head,
      ...body,
      ...note,
      ...tail,
      "",
      "</details>",
      "",
    ].join("\n");
  }
  return [`#### ${s.title}`, "", ...s.head, ...body, ...note, ...tail, ""].join("\n");
}

/**
 * Joins `top` (always shown in full), the sections in order and `bottom`, trimming rows so that the
 * result stays within `opts.budget` characters. Sections are trimmed evenly (the longest lose rows
 * first); the last section listed in `fillLast` (the raw preview) gets only the room left. Throws
 * when the fixed parts alone exceed the budget: callers keep them short.
 */
export function layoutComment(
  top: string[],
  sections: Section[],
  fillLast: Section | undefined,
  opts: LayoutOptions,
): string {
  const head = top.join("\n").trimEnd() + "\n\n";
  const render = (cap: number) =>
    sections.map((s) => renderSection(s, Math.min(cap, s.rows.length), opts.whereTrimmed)).join("\n");
  const max = Math.max(0, ...sections.map((s) => s.rows.length));
  // Keep up to a sixth of the budget for the raw preview, so that it is not always trimmed away.
  const reserve = fillLast
    ? Math.min(renderSection(fillLast, fillLast.rows.length, opts.whereTrimmed).length + 1, Math.floor(opts.budget / 6))
    : 0;
  const fits = (cap: number) => head.length + render(cap).length <= opts.budget - reserve;
  if (!fits(0)) throw new Error(`[comment] the summary alone exceeds ${opts.budget} characters`);
  // The largest row cap that fits: total length only grows with the cap.
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  let out = head + render(lo);
  if (fillLast) {
    const room = opts.budget - out.length - 1;
    let shown = fillLast.rows.length;
    let last = renderSection(fillLast, shown, opts.whereTrimmed);
    while (last.length > room && shown > 0) {
      // Drop rows in proportion to the overshoot, at least one.
      shown = Math.max(0, shown - Math.max(1, Math.ceil(((last.length - room) / last.length) * shown)));
      last = renderSection(fillLast, shown, opts.whereTrimmed);
    }
    if (last.length <= room) out += "\n" + last;
  }
  return out.trimEnd() + "\n";
}
