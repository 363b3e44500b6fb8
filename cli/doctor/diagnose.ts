/**
 * `doctor diagnose`: from an error as a user pastes it to ranked causes, each with a one-line reason,
 * what to check and what fixes it.
 *
 * How it decides: the text is normalised (normalise.ts), evidence is gathered (evidence.ts), and
 * every rule of the table in rules.ts that finds its evidence adds log-odds to the causes it
 * supports. Scores start from a prior in which `unknown` is modestly ahead of every named cause;
 * a recognised status code or phrase pushes `unknown` down. A softmax with a temperature fitted on
 * the corpus held out by thread (calibration.ts, `npm run doctor:eval`) turns scores into
 * confidences. `unknown` can therefore never reach confidence 1, and a recognised code never
 * leaves it on top.
 */
import { CAUSE_IDS, CAUSES, type CauseId } from "./causes.ts";
import { gatherEvidence, type Evidence } from "./evidence.ts";
import type { Extracted, Reply } from "./extract.ts";
import { ambiguityFor } from "./questions.ts";
import { restoreLines } from "./reflow.ts";
import { RULES, type Rule } from "./rules.ts";
import { rankByWords, type WordLead } from "./word-evidence.ts";

/** One ranked cause. */
export interface DiagnosedCause {
  id: CauseId;
  title: string;
  /** 0..1; the list's confidences sum to at most 1. */
  confidence: number;
  /** One line: why this cause, from this text. */
  reason: string;
  check: string[];
  fix: string;
  tenantYaml?: string;
  weakensTenant: boolean;
  /** True when only the report's words put it here (word-evidence.ts): a lead, not a finding. */
  fromWords?: true;
}

/** One rule that fired, with the log-odds it added (for --verbose and the tests). */
export interface FiredRule {
  id: string;
  strength: number;
  source: string;
}

/** The result of diagnose(). `causes` is never empty. */
export interface Diagnosis {
  /**
   * Ranked by confidence, except for a text with no reply whose likeliest answer is `unknown`: the
   * causes something speaks for and the words' leads come first, `unknown` after them.
   */
  causes: DiagnosedCause[];
  extracted: Extracted;
  /** Present when the text cannot decide between the top causes: which remain and how to tell them apart. */
  ambiguity?: string;
  /** The one question whose answer tells the top causes apart, when they are close or the code is generic. */
  question?: string;
  /** The rules that fired, strongest first. */
  fired: FiredRule[];
  /** The mailbox the text (or the context) names, used for `<mailbox>` in checks and fixes. */
  mailbox?: string;
}

/** Options for {@link diagnose}. */
export interface DiagnoseOptions {
  /** The user's own account ("MFA is on", "worked until Monday"), read as evidence. */
  context?: string;
  /** Softmax temperature; defaults to the fitted {@link TEMPERATURE}. */
  temperature?: number;
}

/** Prior log-odds: every named cause equal, `unknown` a modest favourite when nothing is recognised. */
const PRIOR_NAMED = -3;
const PRIOR_UNKNOWN = 0;

/**
 * Softmax temperature when a reply phrase, client wording or transcript spoke. Chosen, not fitted:
 * on the corpus these cases are separable, so the log loss keeps falling as the temperature goes
 * to 0 (calibration.ts shows it); 0.6 keeps a decisive phrase near 0.95–0.99 and leaves room for
 * evidence the text does not carry.
 */
export const TEMPERATURE = 0.6;

/**
 * The temperature when the only evidence is a generic status code (bare 5.7.3, 504 5.7.4, 5.7.57,
 * 5.7.139 without its reason), where the corpus's labels vary: fitted on those cases by
 * `npm run doctor:eval` (k-fold by thread, minimum log loss), which keeps the top cause well below
 * the confidence a decisive phrase earns (review: "correct only by prior").
 */
export const GENERIC_TEMPERATURE = 1.6;

const GENERIC_CODE_RULES = new Set([
  "code-5.7.3-auth",
  "code-504-5.7.4",
  "code-5.7.57",
  "code-5.7.139",
  "code-5.7.139-no-reason",
  "code-5.2.x",
  "code-5.5.x",
  "code-535",
  "code-530",
  "code-5.0.0-auth",
  "client-auth-failed-generic",
  "phrase-unrecognized-auth",
  "phrase-not-authenticated",
  "dotnet-5.7.57",
]);

/** True when only generic status codes spoke (no phrase, client wording or transcript). @internal */
export function onlyGeneric(contributions: ReadonlyArray<{ rule: Rule; strength: number }>): boolean {
  const generic = contributions.some((c) => GENERIC_CODE_RULES.has(c.rule.id));
  const specific = contributions.some(
    (c) =>
      !GENERIC_CODE_RULES.has(c.rule.id) &&
      c.rule.kind !== "context" &&
      Object.values(c.rule.weights).some((w) => w >= 1),
  );
  return generic && !specific;
}

/** The softmax temperature for one diagnosis. @internal exported for calibration */
export function temperatureFor(
  contributions: ReadonlyArray<{ rule: Rule; strength: number }>,
  base: number,
  generic: number = GENERIC_TEMPERATURE,
): number {
  return onlyGeneric(contributions) ? generic : base;
}

/** A confidence gap under which the top two causes count as close. */
const CLOSE = 0.25;
/** A top confidence under which the one question is asked even when the runner-up is far behind. */
const UNSURE = 0.7;

function replyLabel(r: Reply | undefined): string {
  if (r === undefined) return "The reply";
  return [r.code, r.enhanced].filter((x) => x !== null).join(" ") || "The reply";
}

/** Raw scores per cause and each rule's contributions. @internal exported for calibration */
export function score(ev: Evidence): {
  scores: Map<CauseId, number>;
  contributions: Array<{ rule: Rule; strength: number }>;
} {
  const scores = new Map<CauseId, number>(CAUSE_IDS.map((c) => [c, c === "unknown" ? PRIOR_UNKNOWN : PRIOR_NAMED]));
  const contributions: Array<{ rule: Rule; strength: number }> = [];
  for (const rule of RULES) {
    let s = 0;
    let guessOnly = false;
    try {
      s = rule.evidence(ev);
      // The reporter's words count in full when stated, half when only asked or guessed ("Could it be
      // TLS?", "I think it's the Basic auth retirement"), and a guess does not make the case recognised.
      if (s > 0 && rule.kind === "context") {
        const stated = rule.evidence({ ...ev, words: ev.statements });
        guessOnly = stated === 0;
        s = Math.max(stated, s / 2);
      }
    } catch {
      s = 0; // a rule must never break a diagnosis
    }
    if (!(s > 0)) continue;
    contributions.push({ rule, strength: s });
    for (const [c, w] of Object.entries(rule.weights) as Array<[CauseId, number]>)
      if (!(guessOnly && c === "unknown")) scores.set(c, scores.get(c)! + s * w);
  }
  return { scores, contributions };
}

/** Softmax of `scores / temperature`. @internal exported for calibration */
export function softmax(scores: Map<CauseId, number>, temperature: number): Map<CauseId, number> {
  const max = Math.max(...scores.values());
  const exp = new Map([...scores].map(([c, v]) => [c, Math.exp((v - max) / temperature)] as const));
  const total = [...exp.values()].reduce((a, b) => a + b, 0);
  return new Map([...exp].map(([c, v]) => [c, v / total] as const));
}

function reasonFor(id: CauseId, ev: Evidence, contributions: Array<{ rule: Rule; strength: number }>): string {
  // The reason is the rule that singles this cause out most: its weight plus its margin over the
  // rule's next-best cause ("disabled for the Tenant" over the shared "SmtpClientAuthentication").
  let best: { rule: Rule; v: number } | undefined;
  for (const { rule, strength } of contributions) {
    const w = rule.weights[id] ?? 0;
    if (w <= 0) continue;
    const others = Object.entries(rule.weights)
      .filter(([c]) => c !== id)
      .map(([, x]) => x);
    const v = strength * (w + Math.max(0, w - Math.max(0, ...others)));
    if (best === undefined || v > best.v) best = { rule, v };
  }
  const ex = ev.ex;
  const reply = ex.replies.find((r) => !r.echoed && r.code !== 530) ?? ex.replies[0];
  const echoed = ex.replies.some((r) => r.echoed) && ex.replies.some((r) => r.enhanced === "5.7.57");
  if (best === undefined) {
    if (id === "unknown") {
      return carriesReply(ev)
        ? `${replyLabel(ex.replies[0])} is not a reply the doctor knows for SMTP AUTH to Exchange Online.`
        : "No SMTP reply code or known error text found in the input.";
    }
    return `Not excluded by the text: ${CAUSES[id].explanation}`;
  }
  const label =
    reply !== undefined
      ? replyLabel(reply)
      : (ev.enhanced[0] ?? (ev.basic[0] !== undefined ? String(ev.basic[0]) : "The text"));
  let why = best.rule.why.replace("{reply}", label).replace("{mechanism}", ex.authMechanism ?? "");
  if (echoed && best.rule.kind !== "transcript")
    why += " (quoted inside 530 5.7.57 at MAIL FROM: the AUTH error is the real failure)";
  return `${why}.`.replace(/\.\.$/u, ".");
}

function substitute(text: string, mailbox: string | undefined): string {
  return mailbox === undefined ? text : text.replaceAll("<mailbox>", mailbox);
}

/** The question telling the top two apart: from the rule that supports both most, else the top's. */
function pickQuestion(
  top: CauseId,
  second: CauseId | undefined,
  contributions: Array<{ rule: Rule; strength: number }>,
): Rule | undefined {
  let best: { rule: Rule; v: number } | undefined;
  for (const { rule, strength } of contributions) {
    if (rule.question === undefined) continue;
    const a = rule.weights[top] ?? 0;
    const b = second !== undefined ? (rule.weights[second] ?? 0) : 0;
    const v = strength * (second !== undefined ? Math.min(a, b) : a);
    if (v > 0 && (best === undefined || v > best.v)) best = { rule, v };
  }
  return best?.rule;
}

/** Whether the text carries an SMTP reply or an enhanced status code. @internal exported for calibration */
export function carriesReply(ev: Evidence): boolean {
  return ev.ex.replies.length > 0 || ev.enhanced.length > 0;
}

/**
 * Whether a listing names no cause: `unknown` is listed and holds the most confidence (a text with no
 * reply lists the words' leads before it; they are leads, not a finding).
 */
export function namesNoCause(causes: ReadonlyArray<{ id: CauseId; confidence: number }>): boolean {
  const unknown = causes.find((c) => c.id === "unknown");
  return unknown !== undefined && causes.every((c) => c.confidence <= unknown.confidence);
}

/** A cause as listed: its confidence rounded down, and the word lead when that is what put it there. */
export interface ShownCause {
  id: CauseId;
  p: number;
  lead?: WordLead;
}

/**
 * The causes the doctor lists, from the probabilities: ranked by the exact probability, shown rounded
 * down (so the list never sums above 1), without causes no evidence speaks for (noise; their share
 * stays in the remainder). There is always a runner-up when anything can name one: the best cause
 * the evidence supports even below 2%, else the cause the report's words lean to (word-evidence.ts),
 * a lead to check when nothing else speaks. @internal exported for calibration
 */
export function shownCauses(
  probs: ReadonlyMap<CauseId, number>,
  contributions: ReadonlyArray<{ rule: Rule; strength: number }>,
  leads: () => readonly WordLead[],
  replied: boolean,
): ShownCause[] {
  const supported = new Set<CauseId>();
  for (const { rule } of contributions)
    for (const [c, w] of Object.entries(rule.weights) as Array<[CauseId, number]>) if (w > 0) supported.add(c);
  const all = [...probs].sort((a, b) => b[1] - a[1] || CAUSE_IDS.indexOf(a[0]) - CAUSE_IDS.indexOf(b[0]));
  const shown: ShownCause[] = all
    .map(([id, p]) => ({ id, p: Math.floor(p * 100) / 100 }))
    .filter((c) => c.p >= 0.02 && (c.id === "unknown" || supported.has(c.id)));
  if (shown.length === 0) shown.push({ id: "unknown", p: 0.02 });
  const listed = (id: CauseId) => shown.some((c) => c.id === id);
  // A lead's confidence: its share of what `rest` leaves, to the thousandth and never shown as 0.
  const asLead = (lead: WordLead, rest: number): ShownCause => ({
    id: lead.id,
    p: Math.max(0.001, Math.floor(rest * lead.share * 1000) / 1000),
    lead,
  });
  if (shown.length === 1) {
    const runnerUp = all.find(([id]) => !listed(id) && (id === "unknown" || supported.has(id)));
    // To the thousandth, and never shown as 0: it is listed because something speaks for it.
    if (runnerUp !== undefined)
      shown.push({ id: runnerUp[0], p: Math.max(0.001, Math.floor(runnerUp[1] * 1000) / 1000) });
  }
  if (shown.length === 1) {
    const lead = leads().find((l) => !listed(l.id));
    if (lead !== undefined) shown.push(asLead(lead, 1 - (probs.get(shown[0]!.id) ?? 0)));
  }
  if (shown[0]!.id !== "unknown" || shown.length === 1 || replied) return shown;
  // With no reply at all, `unknown` only says the text names none of the causes: it is not a cause to
  // check, and the thread behind such a report almost always found one. So the causes something speaks
  // for come first, at least two when the words can name them, and `unknown` after them with its own
  // confidence. (A reply the doctor does not know keeps `unknown` first: that reply is the finding.)
  const named = shown.slice(1);
  if (named.length === 1) {
    const lead = leads().find((l) => !listed(l.id));
    if (lead !== undefined) named.push(asLead(lead, 1 - (probs.get("unknown") ?? 0)));
  }
  return [...named, shown[0]!];
}

function leadReason(lead: WordLead): string {
  const words = lead.words.length > 0 ? `its words (${lead.words.map((w) => `"${w}"`).join(", ")})` : "its words";
  return `Nothing in the report names a cause, but ${words} came most often with this one in the labelled reports the doctor is measured on: a lead to check, not a finding.`;
}

/**
 * Diagnose pasted error text. Never throws; text with nothing recognisable yields `unknown`
 * first, with a modest confidence.
 */
export function diagnose(pasted: string, options: DiagnoseOptions = {}): Diagnosis {
  // A paste cut at a fixed column is read with its own lines, as its stories and transcripts are told line by line.
  const text = restoreLines(pasted);
  const ev = gatherEvidence(text, options.context ?? "");
  const { scores, contributions } = score(ev);
  const probs = softmax(scores, temperatureFor(contributions, options.temperature ?? TEMPERATURE));
  const mailbox =
    ev.ex.addresses[0] ??
    /\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}\b/u.exec(options.context ?? "")?.[0];
  const ranked = shownCauses(
    probs,
    contributions,
    () => rankByWords(`${text}\n${options.context ?? ""}`),
    carriesReply(ev),
  );
  const causes = ranked.map(({ id, p, lead }): DiagnosedCause => {
    const cause = CAUSES[id];
    const d: DiagnosedCause = {
      id,
      title: cause.title,
      confidence: p,
      reason: lead !== undefined ? leadReason(lead) : reasonFor(id, ev, contributions),
      check: cause.check.map((x) => substitute(x, mailbox)),
      fix: substitute(cause.fix, mailbox),
      weakensTenant: cause.weakensTenant,
    };
    if (cause.tenantYaml !== undefined) d.tenantYaml = substitute(cause.tenantYaml, mailbox);
    if (lead !== undefined) d.fromWords = true;
    return d;
  });
  const fired = contributions
    .map(({ rule, strength }) => ({ id: rule.id, strength: Math.round(strength * 100) / 100, source: rule.source }))
    .sort((a, b) => b.strength - a.strength);
  const result: Diagnosis = { causes, extracted: ev.ex, fired };
  if (mailbox !== undefined) result.mailbox = mailbox;
  const [first, second] = causes;
  // Ask when the top two are close, the top cause is not clearly ahead, or only a generic code spoke.
  const close = (second !== undefined && first!.confidence - second.confidence < CLOSE) || first!.confidence < UNSURE;
  const generic =
    onlyGeneric(contributions) ||
    (contributions.some((c) => GENERIC_CODE_RULES.has(c.rule.id)) && first!.confidence < 0.8);
  if ((close || generic) && first!.id !== "unknown") {
    const q = pickQuestion(first!.id, second?.id, contributions);
    if (q !== undefined) {
      result.question = q.question!;
      const amb = ambiguityFor(q.id, ev.ex.oauth, ev.ex.client === "dotnet");
      if (amb !== undefined) result.ambiguity = amb;
    }
  }
  return result;
}
