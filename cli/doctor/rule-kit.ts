/**
 * The shape of the doctor's rules (rules.ts assembles the tables) and the small evidence helpers
 * the tables are written with. No rule lives here.
 */
import type { CauseId } from "./causes.ts";
import type { Evidence } from "./evidence.ts";

/** Log-odds per cause. */
export type Weights = Partial<Record<CauseId, number>>;

/** One rule of the table. */
export interface Rule {
  /** Stable, unique id (shown with --verbose). */
  id: string;
  /** Where the wording or the mapping comes from. */
  source: string;
  kind: "code" | "phrase" | "client" | "transcript" | "context";
  /** How strongly the evidence is present, 0 (absent) … 1. Must not throw. */
  evidence: (ev: Evidence) => number;
  /** Log-odds added per cause, times the evidence strength. */
  weights: Weights;
  /** One line: what this evidence says. `{reply}` becomes the reply's codes. */
  why: string;
  /** The one question that tells this rule's causes apart when the result stays close. */
  question?: string;
}

/** Strongest of several phrases (all languages of one reason); see Evidence.phrase. */
export function anyPhrase(phrases: readonly string[], minPrefix?: number): (ev: Evidence) => number {
  return (ev) => {
    let best = 0;
    for (const p of phrases) {
      const v = ev.phrase(p, minPrefix);
      if (v > best) best = v;
      if (best === 1) break;
    }
    return best;
  };
}

export const enh =
  (...codes: string[]) =>
  (ev: Evidence): number =>
    codes.some((c) => ev.enhanced.includes(c)) ? 1 : 0;
export const enhPrefix =
  (prefix: string) =>
  (ev: Evidence): number =>
    ev.enhanced.some((c) => c.startsWith(prefix)) ? 1 : 0;
export const basic =
  (...codes: number[]) =>
  (ev: Evidence): number =>
    codes.some((c) => ev.basic.includes(c)) ? 1 : 0;
export const both =
  (a: (ev: Evidence) => number, b: (ev: Evidence) => number) =>
  (ev: Evidence): number =>
    Math.min(a(ev), b(ev));
export const not =
  (a: (ev: Evidence) => number) =>
  (ev: Evidence): number =>
    1 - a(ev);

/**
 * 1 when a 5.7.57 wraps an earlier AUTH refusal (Exchange appends "Error: 535 5.7.139 …", .NET skips a
 * failed AUTH and reports the MAIL FROM reply): the echoed refusal is the failure, so the 5.7.57 and
 * 530 families must not add their own mix on top of it.
 */
export const echoesAuthError = (ev: Evidence): number =>
  // An echo of the 5.7.57 itself (.NET: "5.7.57 Client not authenticated … Error: 530 5.7.57 … during MAIL
  // FROM") is no AUTH refusal.
  ev.ex.replies.some((r) => r.code === 535 || (r.echoed && r.enhanced !== "5.7.57" && r.code !== 530)) &&
  ev.enhanced.includes("5.7.57")
    ? 1
    : 0;

/**
 * True when one of the phrases is inside a reply the server sent (the extracted replies' texts), not
 * merely in the reporter's prose: "we turned security defaults off, still 504 5.7.4" names them in
 * the reporter's words, which the user-words rules read (negations included).
 */
export function inReply(
  ev: Evidence,
  phrases: readonly string[],
  which: (r: Evidence["ex"]["replies"][number]) => boolean = () => true,
): boolean {
  return ev.ex.replies.some((r) => {
    if (!which(r)) return false;
    // The reply's own first sentence: a reply line runs on into the reporter's words ("… disabled for the
    // Tenant. Could it be security defaults?"), and Exchange states its reason before the first full stop.
    const t = r.text
      .toLowerCase()
      .replace(/\s+/gu, " ")
      .split(/[.!?](?=\s)/u)[0]!;
    return phrases.some((p) => t.includes(p));
  });
}
