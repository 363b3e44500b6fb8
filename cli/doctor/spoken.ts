/**
 * Codes and names said aloud, as call transcripts, voicemail-to-text and dictated tickets write them
 * (issue 14 item 1): "five three five, five point seven point one three nine" is 535 5.7.139, "port five
 * eight seven" is 587, "TLS one point oh" is TLS 1.0, "smtp dot office three six five dot com" is the host,
 * "S M T P" is SMTP and "star TLS" is STARTTLS. English only: the reply codes are read in English.
 *
 * Only shapes that prose does not take: three or more digit words in a row, or digit words joined by
 * "point"/"dot". "One or two mailboxes" and "five thirty in the morning" stay words.
 */

const DIGITS: Readonly<Record<string, string>> = {
  zero: "0",
  oh: "0",
  one: "1",
  two: "2",
  three: "3",
  four: "4",
  five: "5",
  six: "6",
  seven: "7",
  eight: "8",
  nine: "9",
};
const DIGIT = "zero|one|two|three|four|five|six|seven|eight|nine";

// A run of digit words, "point"/"dot" between them; "oh" counts as 0 only after a digit word ("five oh four").
const SPOKEN_RUN = new RegExp(
  `\\b(?:${DIGIT})(?:[ -]+(?:point|dot)[ -]+(?:${DIGIT}|oh)\\b|[ -]+(?:${DIGIT}|oh)\\b)+`,
  "giu",
);

/** The digits a run of spoken digit words stands for, or null when the run is prose. */
function spokenNumber(run: string): string | null {
  const words = run.toLowerCase().split(/[ -]+/u);
  let out = "";
  let digits = 0;
  let points = 0;
  for (const w of words) {
    if (w === "point" || w === "dot") {
      out += ".";
      points++;
    } else {
      out += DIGITS[w];
      digits++;
    }
  }
  if (points === 0 && digits < 3) return null;
  if (points === 0) {
    // "five three five five seven one three nine": a basic code run into its enhanced code.
    const run = /^([245]\d\d)([45])([0-7])(\d{1,3})$/u.exec(out);
    if (run) return `${run[1]} ${run[2]}.${run[3]}.${run[4]}`;
    // "five seven one three nine", "five seven five seven": an enhanced code without its dots.
    const enhanced = /^([45])([0-7])(\d{2,3})$/u.exec(out);
    if (enhanced && digits >= 4) return `${enhanced[1]}.${enhanced[2]}.${enhanced[3]}`;
    return out;
  }
  // "five three five five point seven point one three nine": the basic code said before the class digit.
  const head = /^([245]\d\d)([45]\.[0-7]\.\d{1,3})$/u.exec(out);
  return head ? `${head[1]} ${head[2]}` : out;
}

/** Host names read out with "dot" ("smtp dot office 365 dot com"). */
const HOST_WORD = "(?:office ?365|[a-z0-9-]+)";
const SPOKEN_HOST = new RegExp(`\\b${HOST_WORD}(?: dot ${HOST_WORD})+\\b`, "giu");
const HOST_PART = /^(?:com|net|org|us|cn|uk|de|io|office365|outlook|onmicrosoft|microsoft|protection|mail)$/iu;

/** Addresses read out ("d dot kowalski at contoso dot com"); not after a verb that takes "at" ("look at"). */
const SPOKEN_ADDRESS = new RegExp(
  `\\b((?!(?:look|looked|in|is|was|it|me|us|up|on|that|this|there|here|logged|signed|went|go|got|check|checked|points?|pointed|arrive[ds]?|hosted|sits?)\\b)[a-z0-9_-]+(?: dot [a-z0-9_-]+)*) at (${HOST_WORD}(?: dot ${HOST_WORD})+)\\b`,
  "giu",
);

/** Letters spelt one by one ("S M T P", "U P N"): three or more capitals, each alone. */
const SPELT_LETTERS = /\b[A-Z](?: [A-Z]){2,}\b/gu;

export function readAloud(s: string): string {
  return (
    s
      // A spoken pause, not a sentence's end: "Manage security defaults... yeah, that says Enabled".
      .replace(/(?<=\p{L})(?:\.{3}|…)[ \t]*(?=\p{Ll})/gu, ", ")
      .replace(SPELT_LETTERS, (m) => m.replaceAll(" ", ""))
      .replace(/\bx ?o ?auth ?(?:two|2)\b/giu, (m) => (m.includes(" ") ? "XOAUTH2" : m))
      .replace(/\bo auth\b/giu, "OAuth")
      .replace(/\bstart? tls\b/giu, "STARTTLS")
      .replace(SPOKEN_RUN, (m) => spokenNumber(m) ?? m)
      .replace(SPOKEN_ADDRESS, (m, local: string, domain: string) => {
        const parts = domain.split(/ dot /iu);
        return HOST_PART.test(parts.at(-1)!) ? `${local.replaceAll(/ dot /giu, ".")}@${parts.join(".")}` : m;
      })
      .replace(SPOKEN_HOST, (m) => {
        const parts = m.split(/ dot /iu);
        return parts.some((p) => HOST_PART.test(p.replace(" ", "")))
          ? parts.join(".").replace(/office 365/iu, "office365")
          : m;
      })
  );
}
