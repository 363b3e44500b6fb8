/**
 * What the rules read from a paste: the extracted replies, every status code found anywhere in the
 * text, phrase tests that survive truncation and wrapping, the order of the client's commands in a
 * transcript, and the user's own words. Pure: no I/O, never throws.
 */
import { countedInProse, extract, HTTP_REASON, NEGATION_BEFORE_CODE, VERSION_OF, type Extracted } from "./extract.ts";
import { delimitedRecords, dotnetWrapperCode, gluedForm } from "./normalise.ts";
import { dropSuperseded } from "./superseded.ts";

/** The evidence one diagnosis is made from. */
export interface Evidence {
  ex: Extracted;
  /** Basic reply codes found anywhere (4xx/5xx), in order, deduplicated. */
  basic: number[];
  /** Enhanced status codes found anywhere (class 2/4/5), in order, deduplicated. */
  enhanced: string[];
  /**
   * 1 when `phrase` occurs (case, whitespace, wrapping and escaping ignored); between 0.5 and 1 when
   * the text is cut off inside it (a UI field limit or a log column) after at least its first
   * `minPrefix` characters; 0 otherwise.
   */
  phrase: (phrase: string, minPrefix?: number) => number;
  /** The user's own words, lower-cased: `--context` plus the paste itself. */
  words: string;
  /**
   * `words` without the reporter's questions and guesses ("Could it be TLS?", "I think it's the
   * Basic auth retirement", "怀疑是 TLS"): a word there is a hypothesis, not a stated fact.
   */
  statements: string;
  /** Index of the first client command of each kind in the transcript, or -1. */
  order: { ehlo: number; starttls: number; auth: number; mail: number };
}

// Enhanced codes anywhere: not inside an IP address, a version ("nodemailer@4.6.8", "v5.0.0") or a path, and with
// a one-digit subject (RFC 3463: 0-7), so "Mail 5.11.5" is a version, not a reply.
const ENHANCED_ANYWHERE = /(?<![\w./@:-]|\d\.)([245])\.([0-7])\.(\d{1,3})(?![\w-]|\.\d)/gu;
const BASIC_ANYWHERE =
  /(?<![\w.,:/@#-])(421|450|451|452|454|500|501|502|503|504|530|534|535|550|551|552|553|554)(?![\w.]|:\d)/gu;

/** A bare code the reporter says never came ("the server never returns a 535 in our logs"). */
const NEGATED_BASIC_CODE = new RegExp(String.raw`${NEGATION_BEFORE_CODE}[45]\d\d\b(?![.\d])`, "giu");

function codesAnywhere(flat: string): { basic: number[]; enhanced: string[] } {
  const enhanced = [
    ...new Set(
      [...flat.matchAll(ENHANCED_ANYWHERE)]
        .filter((m) => !VERSION_OF.test(flat.slice(Math.max(0, m.index - 30), m.index)))
        .map((m) => `${m[1]}.${m[2]}.${m[3]}`),
    ),
  ];
  const basic: number[] = [];
  for (const m of flat.matchAll(BASIC_ANYWHERE)) {
    // "line 535, in login" is a Python traceback line number, not a reply.
    if (/\bline\s*$/iu.test(flat.slice(Math.max(0, m.index - 6), m.index))) continue;
    // "503 Service Unavailable" is an HTTP status line, not an SMTP reply.
    if (HTTP_REASON.test(flat.slice(m.index + m[0].length).trimStart())) continue;
    // A count in prose is no reply.
    if (countedInProse(flat, m.index, m.index + m[0].length)) continue;
    // "[500] An unexpected error occurred" is an automation platform's HTTP status: SMTP's 500 (an unrecognised
    // command) is never printed in brackets without its enhanced code.
    if (
      m[1] === "500" &&
      flat[m.index - 1] === "[" &&
      flat[m.index + 3] === "]" &&
      !/^\]\s*5\.\d\.\d/u.test(flat.slice(m.index + 3))
    )
      continue;
    const n = Number(m[1]);
    if (!basic.includes(n)) basic.push(n);
  }
  return { basic, enhanced };
}

// Where a paste is cut off: the end, an ellipsis, the end of a line or of a quoted string.
function truncationTails(text: string): string[] {
  const tails = new Set<string>();
  const lower = text.toLowerCase();
  const ends = [lower.length];
  for (const m of lower.matchAll(/…|\.\.\.|\n|['"](?=\s*[,)}\]]|\s*$)/gu)) ends.push(m.index);
  for (const end of ends) {
    const tail = lower
      .slice(Math.max(0, end - 90), end)
      .replace(/\s+/gu, "")
      .replace(/[.…'"]+$/u, "");
    if (tail.length > 0) tails.add(tail);
  }
  return [...tails];
}

// A client command in a transcript: after a client marker anywhere early on the line (nodemailer's
// "[time] DEBUG [id] C:", PHPMailer's "CLIENT -> SERVER:", smtplib's "send: '", "Tx '"), or at
// the start of a line after an optional timestamp (JavaMail's DEBUG output). Server lines
// ("S: 250-AUTH LOGIN") carry no client marker, so their capability words do not count.
const CLIENT_CMD =
  /^(?:[^\n]{0,60}?(?:\bC:|CLIENT -> SERVER:|\bsend:|>>>?|-->|\[C\]|\bTx\b|\bSent:)|\s*(?:[\d:.\-TZ ]{8,}\s+)?)\s*['"]?b?['"]?(EHLO|HELO|STARTTLS|AUTH|MAIL FROM)\b/gimu;

function commandOrder(text: string): Evidence["order"] {
  const order = { ehlo: -1, starttls: -1, auth: -1, mail: -1 };
  for (const m of text.matchAll(CLIENT_CMD)) {
    const key = ({ EHLO: "ehlo", HELO: "ehlo", STARTTLS: "starttls", AUTH: "auth", "MAIL FROM": "mail" } as const)[
      m[1]!.toUpperCase() as "EHLO"
    ];
    if (order[key] === -1) order[key] = m.index;
  }
  return order;
}

// A sentence that asks or guesses: it ends in a question mark, or hedges (en, de, fr, es, pt, it, nl, ja, zh).
const GUESS =
  /\b(?:i think|i thought|we thought|thought it was|i bet|i guess|i suspect|i believe|i assume|maybe|perhaps|might be|could (?:it|this|that) be|could be|not sure|isn't sure|is not sure|wonder(?:ing)? (?:if|whether)|thinks? (?:it'?s|it is|that)|suspects?|my guess|theory|vermute|vielleicht|könnte es|peut-être|je pense|je crois|quizás|quizá|tal vez|creo que|acho que|talvez|será que|forse|penso che|credo che|misschien|ik denk|vermoed|denk ik)\b|怀疑|可能是|是不是|かもしれ|でしょうか|のでは/u;

/** A question asking why, how or what (en, de, fr, es, pt, it, nl, zh, ja). */
const WH_QUESTION =
  /^\W*(?:(?:so|and|but|ok|hi|hello|hey)\W+)*(?:why|how|what|which|where|when|warum|wieso|wie|was|pourquoi|comment|quel(?:le)?s?|por ?qu[eé]|c[oó]mo|qu[eé]|porque|como|perch[eé]|come|waarom|hoe|wat)\b|为什么|怎么|为何|なぜ|どうして/u;

/**
 * `words` with its guesses (from the guessing clause to the sentence's end) and the asking clause of each
 * question blanked (same length).
 * Clauses split at commas, dashes, colons and "but", so "we enabled security defaults last month,
 * could that be it?" keeps its fact and "…steht immer noch Aktiviert – …, oder?" its state.
 */
function withoutGuesses(words: string): string {
  // A sentence ends at . ! ? followed by a space or the end: "5.7.3" and "smtp.office365.com" are inside one.
  return words.replace(/(?:[^.!?。？\n]|[.!?](?=[^\s.!?]))+(?:[?？]+|(?=[.!。\n]|$))/gu, (sentence) => {
    // A question that asks why or how presupposes its facts ("Why 535 5.7.3 when security defaults are
    // on?"); a yes/no question proposes them ("Could the copier need an app password?").
    const question = /[?？]$/u.test(sentence) && !WH_QUESTION.test(sentence);
    // From the first guess word to the end of the sentence ("Could be security defaults, MFA, SMTP AUTH
    // disabled for the mailbox, …" is one guess; "we enabled them last week, could that be it?" keeps its
    // fact), and a question's asking clause.
    const guess = GUESS.exec(sentence);
    let cut = guess === null ? sentence.length : guess.index;
    // "Found this, I think: <pasted output>": a hedge that ends in a colon qualifies what follows without
    // guessing it; only the hedge is blanked.
    const colon = guess === null ? null : /^[^,;:.!?]{0,12}:/u.exec(sentence.slice(guess.index + guess[0].length));
    if (!question && guess !== null && colon !== null) {
      const end = guess.index + guess[0].length + colon[0].length;
      return sentence.slice(0, cut) + " ".repeat(end - cut) + sentence.slice(end);
    }
    if (question) {
      // The asking clause: after the last clause break, and no more than its last eight words (a lost
      // sentence boundary, "…over smtp.wondering if…", must not turn a whole paragraph into the question).
      const lastBreak = Math.max(
        ...[...sentence.matchAll(/[,;:–—，、]|\s-\s|\s(?=(?:but|aber|mais|pero|mas|ma|maar)\s)/gu)].map(
          (m) => m.index + 1,
        ),
        0,
      );
      const words = [...sentence.matchAll(/\S+/gu)];
      const eightBack = words.length > 8 ? words[words.length - 8]!.index : 0;
      cut = Math.min(cut, Math.max(lastBreak, eightBack));
    }
    return sentence.slice(0, cut) + " ".repeat(sentence.length - cut);
  });
}

/**
 * Advice quoted by the reporter — Microsoft's article, a technician, a forum: "it says to turn off security
 * defaults, enable SMTP AUTH and disable per-user MFA". That names what to check, not what the tenant is,
 * so the words from the advice verb to the end of its sentence (or its parenthesis) are blanked (same length).
 */
const ADVICE =
  /(?:\b(?:says?|said|suggests?|suggested|recommends?|recommended|tells? (?:you|us|me)|told (?:you|us|me)|asks? (?:you|us)|advises?|advised|instructs?)\s+to\b|\b(?:says?|said|suggests?|suggested|claims?|claimed|insists?|insisted) (?:that )?(?:we|you|i|they) (?:need|needed|have|had|should|must) to\b|\baccording to (?:microsoft|the (?:article|docs?|documentation|guide|kb))\b|\b(?:laut|gemäß) (?:microsoft|artikel|anleitung)\b|\bselon (?:microsoft|l'article)\b|\bsegún (?:microsoft|el artículo)\b|\bsegundo (?:a microsoft|o artigo)\b|\bsecondo (?:microsoft|l'articolo)\b|\bvolgens (?:microsoft|het artikel)\b)[^.!?)\n]{0,300}/gu;

/** A tool's or article's list of recommended actions under its heading: what to try, not what the tenant is. */
const ADVICE_LIST =
  /(?<=^|\n)[^\S\n]*(?:recommended actions?|recommendations?|next steps|suggested (?:fix(?:es)?|actions?)|how to fix(?: it)?)[^\S\n]*:?[^\S\n]*\n(?:[^\S\n]*(?:[-*•]|\d+[.)])[^\n]*(?:\n|$)){1,12}/gu;

/** `words` without quoted advice: the lines of `text`'s recommended-actions lists, and advice sentences. */
function withoutAdvice(words: string, text: string): string {
  let rest = words;
  for (const list of text.toLowerCase().matchAll(ADVICE_LIST))
    for (const line of list[0].split("\n")) {
      const item = line.replace(/\s+/gu, " ").trim();
      if (item.length > 12) rest = rest.split(item).join(" ".repeat(item.length));
    }
  return rest.replace(ADVICE, (span) => " ".repeat(span.length));
}

/** That a sender works, and that one fails, after its name: "- Fabrikam (fabrikam.com): scan to email works". */
const WORKS = String.raw`(?:(?:scan(?:-| )to(?:-| )e?-?mail|it|everything|sending|mail|scans?|alerts?)\s+)?(?:works?(?:\s+fine)?|is\s+fine|fine|ok|is\s+working|working|no\s+(?:issues?|problems?))\b`;
const FAILS = String.raw`(?:(?:scan(?:-| )to(?:-| )e?-?mail|it|sending|mail|scans?|alerts?)\s+)?(?:fails?|failing|is\s+failing|does\s?n[o']t\s+work|broken|errors?)\b`;
/** A peer named in a comparison: a list item's name (and its domain), a customer or site, or a mailbox address. */
const PEER = [
  String.raw`^[ \t]*[-*•][ \t]*([A-Z][\w&'.-]*(?:[ \t][A-Z][\w&'.-]*){0,3})(?:[ \t]*\(([\w-]+(?:\.[\w-]+)*\.[a-z]{2,})\))?[ \t]*[:,–-][ \t]*`,
  String.raw`\b((?:customer|client|tenant|site|office|branch|location)\s+[a-z0-9]{1,20})[ \t]*[:,–-]?[ \t]*(?:is\s+)?`,
  // Not a From address ("From: hrsystem@ works" is Send As, not a mailbox that signs in).
  String.raw`(?<![\w.@-]|\b(?:from|as):?\s{0,3})([\w.-]{1,64}@(?:[\w-]+\.)*[\w-]*)[ \t]*[:,–-]?[ \t]*(?:is\s+)?`,
];
const WORKING_PEER = PEER.map((p) => new RegExp(p + WORKS, "gimu"));
const FAILING_PEER = PEER.map((p) => new RegExp(p + FAILS, "gimu"));
/** Words too common to stand for a peer on their own ("Customer A" is not every "customer"). */
const NOT_A_PEER_WORD = /^(?:customer|client|tenant|site|office|branch|location|the|our|old|new|main|both|same)$/u;

function peerNames(text: string, patterns: readonly RegExp[]): Set<string> {
  const names = new Set<string>();
  for (const re of patterns)
    for (const m of text.matchAll(re)) {
      const name = m[1]!.toLowerCase().replace(/\s+/gu, " ");
      names.add(name);
      const first = name.split(" ")[0]!;
      if (first !== name && first.length >= 4 && !NOT_A_PEER_WORD.test(first)) names.add(first);
      const domain = m[2]?.toLowerCase();
      if (domain !== undefined) names.add(domain).add(domain.split(".")[0]!);
    }
  return names;
}

/**
 * `words` without what the reporter says about the peer that works, when a working and a failing one are
 * compared ("- Alpine: works. - Lamna: fails …", "customer A fine, customer B fails", "alerts@ works, billing@
 * fails"): Fabrikam's Conditional Access or Alpine's security defaults are not the failing tenant's. A clause
 * (to a comma or colon) that names a working peer and no failing one is blanked (same length).
 */
function withoutWorkingPeer(words: string, text: string): string {
  const working = peerNames(text, WORKING_PEER);
  if (working.size === 0) return words;
  const failing = peerNames(text, FAILING_PEER);
  for (const name of failing) working.delete(name);
  if (failing.size === 0 || working.size === 0) return words;
  const names = (set: Set<string>) =>
    new RegExp(
      String.raw`(?<![\w@.-])(?:${[...set].map((n) => n.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&")).join("|")})(?![\w-])`,
      "u",
    );
  const works = names(working);
  const fails = names(failing);
  return words.replace(/(?:[^.!?;,:\n]|[.!?:](?=[^\s.!?:]))+/gu, (clause) =>
    works.test(clause) && !fails.test(clause) ? " ".repeat(clause.length) : clause,
  );
}

/**
 * Other customers, tenants or sites named as a group: an MSP's comparison ("at our other customers we turned
 * security defaults off", "the others show Disabled", "chez nos autres clients …"). Their settings are not
 * the failing tenant's.
 */
const OTHER_TENANTS =
  /\b(?:(?:our|the|my|all|every|any|both) (?:other|remaining) (?:(?:\d+|two|three|four|few|several|\d+ or so) )?(?:customers?|clients?|tenants?|orgs?|organi[sz]ations?|sites?|companies|offices?)|(?:every|any) other (?:customer|client|tenant|org|organi[sz]ation|site|company|office)|the others\b|at the other (?:two|three|four|\d+)\b)|(?<![\p{L}])(?:(?:nos |les |tous les )?autres (?:clients|tenants|locataires|sites)|(?:den |unseren |allen )?anderen (?:kunden|mandanten|tenants|standorten?)|(?:los |nuestros |los demás )?(?:otros|demás) (?:clientes|tenants|inquilinos|sitios)|(?:os |nossos )?outros (?:clientes|tenants|locatários)|(?:gli |i nostri )?altri (?:clienti|tenant)|(?:onze |de )?andere (?:klanten|tenants|vestigingen))(?![\p{L}])/u;
/** What the failing side says: a failure in the same clause keeps it ("the other tenant now fails too"). */
const FAILURE_WORD =
  /\bfail|\berror|\bnot work|\bdoes ?n['o]?t work|\brefus|\bblock|\b5\d\d\b|\b5\.\d\.\d|échou|erreur|fehl|falla|falh|mislukt|fout/u;

/** `words` without the clauses about other customers or tenants named as a group (same length). */
function withoutOtherTenants(words: string): string {
  return words.replace(/(?:[^.!?;,:\n]|[.!?:](?=[^\s.!?:]))+/gu, (clause) =>
    OTHER_TENANTS.test(clause) && !FAILURE_WORD.test(clause) ? " ".repeat(clause.length) : clause,
  );
}

/** Build the evidence for `text`, with the user's own account of it in `context`. Never throws. */
export function gatherEvidence(text: string, context = ""): Evidence {
  // An error the reporter says was fixed, or had earlier, is history, not the failure to diagnose.
  const ex = extract(dropSuperseded(text));
  const { body, glued, respelt } = ex.norm;
  // A reply retyped from a screen, spelt as Exchange spells it; read beside the text as typed.
  const respeltGlued = respelt.map(gluedForm);
  // Also in the joined reading: a log column can cut an enhanced code ("4" | ".3.2").
  const { basic, enhanced: enhancedFlat } = codesAnywhere(ex.norm.flat.replace(NEGATED_BASIC_CODE, " "));
  const enhanced = [...new Set([...enhancedFlat, ...codesAnywhere(ex.norm.joined).enhanced])];
  // .NET says the basic code in words ("Mailbox unavailable." = 550) even when no code is printed.
  const wrapper = dotnetWrapperCode(ex.norm.text);
  if (wrapper !== null && !basic.includes(wrapper)) basic.push(wrapper);
  const tails = truncationTails(ex.norm.text.replace(/\[[^\]\n[]{0,300}\]/gu, "\n"));
  const cache = new Map<string, number>();
  // The places the text may be cut off, by their last 8 characters (every phrase prefix tried is
  // at least 8 long), built on first use: a phrase prefix can only match tails in its own bucket.
  let byEnd: Map<string, string[]> | undefined;
  const tailsEndingLike = (prefix: string): readonly string[] => {
    if (byEnd === undefined) {
      byEnd = new Map();
      for (const t of tails) {
        const key = t.slice(-8);
        const list = byEnd.get(key);
        if (list === undefined) byEnd.set(key, [t]);
        else list.push(t);
      }
    }
    return byEnd.get(prefix.slice(-8)) ?? [];
  };
  const phrase = (p: string, minPrefix = 10): number => {
    const key = `${p}|${minPrefix}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const q = p.toLowerCase();
    const qg = gluedForm(q);
    let v = 0;
    if (
      body.includes(q) ||
      glued.includes(qg) ||
      respelt.some((w) => w.includes(q)) ||
      respeltGlued.some((w) => w.includes(qg))
    )
      v = 1;
    else if (qg.length > minPrefix) {
      // A cut-off phrase must reach into its second word: a text that merely ends in a common
      // first word ("… legacy authentication") is not "authentication not supported" cut short.
      const words = q.split(/\s+/u);
      const least = Math.max(minPrefix, words.length > 1 ? words[0]!.length + 1 : minPrefix);
      for (let k = qg.length - 1; k >= Math.max(least, 8); k--) {
        const prefix = qg.slice(0, k);
        if (tailsEndingLike(prefix).some((t) => t.endsWith(prefix))) {
          v = 0.5 + (0.5 * k) / qg.length;
          break;
        }
      }
    }
    cache.set(key, v);
    return v;
  };
  // Also the line-joined text, so the user's words survive a hard wrap (even mid-word).
  // And a delimited export's rows as "Header: value" lines, so a value reads next to its column's name.
  const records = delimitedRecords(ex.norm.text);
  const words = withoutOtherTenants(
    withoutWorkingPeer(
      withoutAdvice(
        `${context}\n${body}\n${ex.norm.joined}\n${records}\n${ex.norm.stamps.join(" ")}${respelt.map((w) => `\n${w}`).join("")}`.toLowerCase(),
        ex.norm.text,
      ),
      ex.norm.text,
    ),
  );
  return {
    ex,
    basic: [...new Set([...ex.codes, ...basic])],
    enhanced: [...new Set([...ex.enhancedCodes, ...enhanced])],
    phrase,
    words,
    statements: withoutGuesses(words),
    order: commandOrder(ex.norm.text),
  };
}
