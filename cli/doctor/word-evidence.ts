/**
 * A lead when nothing decides: which cause the report's words most often came with.
 *
 * When no reply, client wording or rule names a cause, the doctor puts `unknown` first. Real
 * reports in that state still usually had a cause their thread found (a TLS 1.0 runtime, a missing
 * STARTTLS option, SMTP AUTH off for the mailbox), and their words lean towards it even when no
 * rule reads them. This module ranks causes by those words: a naive Bayes over which words occur
 * (uniform prior, Laplace-smoothed likelihood ratios), trained on the labelled corpus and the
 * blind-written sets. It only ever adds a runner-up behind `unknown`; it never outranks evidence.
 *
 * The table is generated (`npm run doctor:words`, scripts/doctor-word-table.ts) into word-table.txt and
 * checked against the labelled reports by test/doctor/word-evidence.test.ts, so it cannot go stale silently.
 */
import { readFileSync } from "node:fs";
import { CAUSE_IDS, type CauseId } from "./causes.ts";
import { normalise } from "./normalise.ts";

/** Document counts per cause and, per word, in how many of each cause's reports it occurs. */
export interface WordTable {
  docs: Map<CauseId, number>;
  words: Map<string, Map<CauseId, number>>;
}

/** What the ranking reads from a table: the document counts and one word's counts at a time. */
export interface WordLookup {
  docs: ReadonlyMap<CauseId, number>;
  words: Pick<ReadonlyMap<string, ReadonlyMap<CauseId, number>>, "has" | "get">;
}

/** A word must occur in this many labelled reports to count: rarer ones are names and ids. */
export const MIN_REPORTS = 3;

// Glue words in the languages the reports come in carry no cause; dropping them keeps the table small.
const STOP = new Set(
  "the a an to and or of in is it for on with i we my our this that be are was not but at from by have has as can if do you it's".split(
    " ",
  ),
);

/** The distinct words of a report: its normalised text lower-cased, CJK runs as character pairs. */
export function reportWords(text: string): Set<string> {
  const flat = normalise(text).flat.toLowerCase();
  const out = new Set<string>();
  for (const m of flat.matchAll(/[\p{L}\p{N}]+(?:[.'’-][\p{L}\p{N}]+)*/gu)) {
    if (m[0].length >= 2 && !STOP.has(m[0])) out.add(m[0]);
  }
  // Chinese, Japanese and Korean are written without spaces: character pairs stand in for words.
  for (const m of flat.matchAll(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]{2,}/gu)) {
    for (let i = 0; i + 1 < m[0].length; i++) out.add(m[0].slice(i, i + 2));
  }
  return out;
}

/** Count the words of labelled reports (those labelled `unknown` carry no cause to learn). */
export function trainWordTable(reports: Iterable<{ text: string; expected: CauseId }>): WordTable {
  const docs = new Map<CauseId, number>();
  const words = new Map<string, Map<CauseId, number>>();
  for (const r of reports) {
    if (r.expected === "unknown") continue;
    docs.set(r.expected, (docs.get(r.expected) ?? 0) + 1);
    for (const w of reportWords(r.text)) {
      let m = words.get(w);
      if (m === undefined) words.set(w, (m = new Map<CauseId, number>()));
      m.set(r.expected, (m.get(r.expected) ?? 0) + 1);
    }
  }
  for (const [w, m] of words) if (sum(m) < MIN_REPORTS) words.delete(w);
  return { docs, words };
}

function sum(m: ReadonlyMap<CauseId, number>): number {
  let n = 0;
  for (const v of m.values()) n += v;
  return n;
}

/** The table as the lines of word-table.txt: a header of document counts, then `word i:n i:n …`. */
export function serialiseWordTable(t: WordTable): string[] {
  const pairs = (m: Map<CauseId, number>) =>
    CAUSE_IDS.flatMap((c, i) => (m.has(c) ? [`${i}:${m.get(c)}`] : [])).join(" ");
  return [
    `# ${pairs(t.docs)}`,
    ...[...t.words].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([w, m]) => `${w} ${pairs(m)}`),
  ];
}

function counts(fields: readonly string[]): Map<CauseId, number> {
  return new Map(
    fields.map((f) => {
      const [i, n] = f.split(":");
      return [CAUSE_IDS[Number(i)]!, Number(n)] as const;
    }),
  );
}

export function parseWordTable(lines: readonly string[]): WordTable {
  const [header, ...rest] = lines;
  const docs = counts(header!.split(" ").slice(1));
  const words = new Map(rest.map((l) => l.split(" ")).map(([w, ...f]) => [w!, counts(f)] as const));
  return { docs, words };
}

/**
 * The table's lines as a lookup that parses a word's counts only when the word is asked for: a report
 * has a few dozen words, the table thousands, and parsing them all cost a pasted diagnosis tens of ms.
 */
export function lazyWordTable(lines: readonly string[]): WordLookup {
  const docs = counts(lines[0]!.split(" ").slice(1));
  const raw = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const space = line.indexOf(" ");
    if (space > 0) raw.set(line.slice(0, space), line.slice(space + 1));
  }
  const parsed = new Map<string, Map<CauseId, number>>();
  return {
    docs,
    words: {
      has: (w) => raw.has(w),
      get: (w) => {
        let m = parsed.get(w);
        if (m === undefined) {
          const fields = raw.get(w);
          if (fields === undefined) return undefined;
          parsed.set(w, (m = counts(fields.split(" "))));
        }
        return m;
      },
    },
  };
}

let shipped: WordLookup | undefined;

/**
 * The generated table, read on first use: most diagnoses never need it, and reading the file when one does
 * costs a fraction of what loading it as a module cost every diagnosis (bench/startup.ts). The package
 * build copies it next to the compiled module (package.json prepack).
 */
export function shippedWordTable(): WordLookup {
  return (shipped ??= lazyWordTable(
    readFileSync(new URL("./word-table.txt", import.meta.url), "utf8")
      .trimEnd()
      .split("\n"),
  ));
}

/** A ranked cause with the words that lean towards it most. */
export interface WordLead {
  id: CauseId;
  /** Share among the named causes (softmax of the log-likelihood ratios at {@link LEAD_TEMPERATURE}). */
  share: number;
  words: string[];
}

/** Naive Bayes is overconfident (its words are not independent): flatten its scores this much. */
export const LEAD_TEMPERATURE = 3;

const SMOOTHING = 0.5;

/** Named causes ranked by the report's words; empty when none of its words is in the table. */
export function rankByWords(text: string, table: WordLookup = shippedWordTable()): WordLead[] {
  const present = [...reportWords(text)].filter((w) => table.words.has(w));
  if (present.length === 0) return [];
  const total = sum(table.docs);
  const k = table.docs.size;
  const scored = [...table.docs].map(([id, n]) => {
    const parts = present.map((w) => {
      const m = table.words.get(w)!;
      const ratio =
        Math.log(((m.get(id) ?? 0) + SMOOTHING) / (n + 1)) - Math.log((sum(m) + SMOOTHING * k) / (total + 1));
      return { w, ratio };
    });
    const score = parts.reduce((a, p) => a + p.ratio, 0);
    const words = parts
      // The words that make this cause at least half as likely again as the reports overall.
      .filter((p) => p.ratio > Math.log(1.5))
      .sort((a, b) => b.ratio - a.ratio)
      .slice(0, 4)
      .map((p) => p.w);
    return { id, score, words };
  });
  scored.sort((a, b) => b.score - a.score || CAUSE_IDS.indexOf(a.id) - CAUSE_IDS.indexOf(b.id));
  const top = scored[0]!.score;
  const z = scored.map((s) => Math.exp((s.score - top) / LEAD_TEMPERATURE));
  const zsum = z.reduce((a, b) => a + b, 0);
  return scored.map((s, i) => ({ id: s.id, share: z[i]! / zsum, words: s.words }));
}
