/**
 * Errors the reporter says are behind them. Real threads carry the history of a failure: "we had
 * 5.7.57 before, fixed by enabling SMTP AUTH; now we get …", a quoted earlier post marked FIXED, "the
 * 5.7.139 for the mailbox was fixed last week, now it doesn't even get that far". The earlier reply is
 * the loudest thing in such a paste and names the wrong cause, so its span is blanked before the
 * evidence is read — only when the rest of the text still holds an error to diagnose. A quoted reply
 * without a fix marker (a forwarded ticket) is the current error and stays.
 */

/** The reporter's account of a fix or of an earlier error (en, de, fr, es, pt, it, nl, ja, zh). */
const FIXED =
  /\b(?:fixed(?!\s+(?:maximum|max|size|limit|length|width|ip|address|port|rate|number|value|string)\b)|resolved|solved|sorted(?: out)?|got (?:past|rid of)|used to (?:get|see)|which is why (?:i|we) (?:upgraded|updated|changed|switched|moved)|previously (?:got|had|saw|received)|initially (?:got|had|we got|i got)|at first (?:we|i) got|the (?:first|earlier|previous|old|original) error|behoben|gelöst|corrigé|résolu|resuelto|solucionado|arreglado|corrigido|resolvido|risolto|opgelost|verholpen|(?:is|are|was|were) (?:now )?gone|went away|disappeared|no longer (?:appears|shows(?: up)?|happens|comes up|relevant)|(?:does ?n[o']t|doesn['’]t|did ?n[o']t|didn['’]t|won['’]t) come back|(?:was|is) fine again|working again|no longer in use|(?:those|that|it|they|which)(?: have| has)? cleared|ist (?:jetzt )?weg|verschwunden|a disparu|(?:ha )?desaparecido|sumiu|desapareceu|is verdwenen)\b|(?<!\p{L})(?:desapareci[oó]|se resolvi[oó]|se solucion[oó]|è sparit[oa]|non compare più|kommt (?:seitdem |jetzt |nun )?nicht mehr|n['’]appara[iî]t plus|no (?:aparece|sale) más|não aparece mais|non (?:appare|esce) più|komt niet meer)(?!\p{L})|已解决|解决了|修复了|搞定了|解決済|解決しました|直りました|消失了|なくなりました|消えました/iu;

/** Where the current failure starts after the history: "now", "this time", "but now", localised. */
const NOW =
  /(?:^|[\s.;:,(—–-])(?:but now|and now|now|this time|since then|after that|still|but|however|jetzt|nun|immer noch|aber|maintenant|désormais|toujours|mais|ahora|todavía|pero|agora|ainda|adesso|ora|ancora|nu|nog steeds|maar)\b|现在|仍然|还是|但是|今度は|今は|いまは|まだ/giu;

/** An error the rest of the text must still hold before history is dropped. */
const ERROR_LEFT =
  /\b(?:421|45[0124]|50[0-4]|53[045]|55[0-4])\b|\b[245]\.[0-7]\.\d{1,3}\b|exception|error|fail(?:ed|ure|s)?\b|refused|unsuccessful|timed? ?out|fehler|erreur|échec|fallo|falha|errore|fout|エラー|错误|失败/iu;

/** Where a sentence starts, looking back from `at` (the start of the line when none). */
function sentenceStart(line: string, at: number): number {
  const before = line.slice(0, at);
  let start = 0;
  for (const m of before.matchAll(/[.!?。](?=\s+[A-Z"“(])|[;:](?=\s)/gu)) start = m.index + 1;
  return start;
}

/** A failure named by a client: an exception or error class, a TLS or socket failure. */
const NAMED_FAILURE =
  /\b\w*(?:exception|error)\b\s*:|\bexception\b|handshake|\btimed? ?out\b|connection (?:was )?(?:refused|reset|closed)|forcibly closed|\bE(?:CONNRESET|TIMEDOUT|CONNREFUSED)\b/iu;

// A reply code (the basic codes evidence.ts reads, not a port such as 587 or 465) or an enhanced one.
const CODE = /\b(?:421|45[0124]|50[0-4]|53[045]|55[0-4])\b|\b[245]\.[0-7]\.\d{1,3}\b/u;

/**
 * One line with its earlier-error span blanked (or the line itself), and whether the current failure is
 * announced after the history ("… fixed that. Now we get …", or a next line that starts with "Now").
 */
function dropInLine(line: string, nextLine: string): { line: string; announced: boolean } {
  const fix = FIXED.exec(line);
  if (fix === null) return { line, announced: false };
  // The reply the fix is about may come first in its sentence ("5.7.57 … was fixed"): start there.
  const code = CODE.exec(line.slice(Math.max(0, fix.index - 200), fix.index));
  const at = code !== null ? Math.max(0, fix.index - 200) + code.index : fix.index;
  // "Follow-up to "<error>": added starttls(), that error is gone": "that error" points back to the line's start.
  const from =
    /\b(?:that|this|the (?:old|first|earlier|previous)) (?:error|one|problem|issue|message)\s+(?:is|was|has)?\s*$/iu.test(
      line.slice(0, fix.index),
    )
      ? 0
      : sentenceStart(line, at);
  let to = line.length;
  for (const m of line.matchAll(NOW)) {
    if (m.index > fix.index) {
      to = m.index;
      break;
    }
  }
  // Only a span that holds an error is history worth dropping; the reporter's other words stay.
  const span = line.slice(from, to);
  // A quoted reply counts as an error too ('the "disabled for the Mailbox" message is gone').
  if (!CODE.test(span) && !ERROR_LEFT.test(span) && !/["“„][^"”“\n]{12,}["”“]/u.test(span))
    return { line, announced: false };
  const announced = to < line.length || STARTS_NOW.test(nextLine);
  return { line: line.slice(0, from) + " ".repeat(to - from) + line.slice(to), announced };
}

/** A line that starts the current failure after the history: "Now we get this:", "Today: …", "Jetzt …". */
const STARTS_NOW =
  /^\s*(?:but |and )?(?:now|today|this time|since then|jetzt|nun|maintenant|désormais|ahora|agora|adesso|ora|nu|现在|今は)\b/iu;

/** A line stamped with a time ("[Mon 09:34]", "2026-03-09 22:10:31", "09:34:02") that carries an AUTH refusal. */
const STAMPED_REFUSAL =
  /^(?=[^\n]{0,40}\b\d{1,2}:\d{2}\b)[^\n]*?\b(?:535|534|504)[ -](?:\d\.\d{1,3}\.\d{1,3} )?([^\n[]{8,160})/u;

/**
 * A log of several attempts, each line stamped with its time, whose AUTH refusals differ ("the user
 * credentials were incorrect" at 09:12, the password reset, "disabled for the Mailbox" at 09:34): the
 * last attempt is the current failure, so the earlier refusals are blanked. Identical refusals (a retry
 * loop) are left alone.
 */
function dropEarlierAttempts(text: string): string {
  const lines = text.split("\n");
  const refusals: Array<{ line: number; reason: string }> = [];
  lines.forEach((l, i) => {
    const m = STAMPED_REFUSAL.exec(l);
    if (m !== null) refusals.push({ line: i, reason: m[1]!.toLowerCase().replace(/\s+/gu, " ").trim() });
  });
  if (refusals.length < 2) return text;
  // Shown newest first (an event viewer sorts so), the first refusal is the latest attempt.
  const last = newestFirst(refusals.map((r) => lines[r.line]!)) ? refusals[0]! : refusals.at(-1)!;
  // The same refusal retold, often cut short ("SMTP ERROR: Password command failed: 535 5.7.139 ..." after
  // the server's full line): one attempt, not a later one with another reason.
  const core = (reason: string) => reason.replace(/^\d\.\d{1,3}\.\d{1,3}\s*/u, "").replace(/[\s.…]+$/u, "");
  const same = (a: string, b: string) => core(a).startsWith(core(b)) || core(b).startsWith(core(a));
  if (refusals.every((r) => same(r.reason, last.reason))) return text;
  for (const r of refusals)
    if (r !== last && !same(r.reason, last.reason)) lines[r.line] = " ".repeat(lines[r.line]!.length);
  return lines.join("\n");
}

/** Exchange's reply reasons, to tell one error from another when a line quotes no code. */
const REASON =
  /smtpclientauthentication is disabled for the (?:tenant|mailbox)|did not meet the criteria|basic authentication is disabled|locked by your organi[sz]ation|credentials were incorrect|starttls is required|tls 1\.0 and 1\.1 are not supported|send ?as ?denied|client not authenticated|unrecognized authentication type|authentication unsuccessful/iu;
/** A failure reply code (not 2xx/3xx), as the error lines carry it. */
const FAILURE_CODE = /\b(?:421|45[0124]|50[0-4]|53[045]|55[0-4])\b|\b[45]\.[0-7]\.\d{1,3}\b/u;
/** The words that say the error after them is the current one, or the later one in a story. */
const TRANSITION =
  /\b(?:now|today|current(?:ly| one)?|still|since (?:then|that|this|last|the|\w+day)|every (?:run|send|time|scan|night|job) since|this (?:week|morning)|update ?\d+|edit ?\d+|changed to|(?:a |the )?(?:different|new|another) (?:error|message|one)|after that|afterwards|newest)\b|(?<![\p{L}])(?:jetzt|nun|maintenant|désormais|ahora|agora|adesso|ora|nu|aktuell|actuellement|actualmente|atualmente|attualmente|huidige)(?![\p{L}])|现在|目前|今は|現在/iu;
/** A test the reporter ran to see what happens, whose error is not the failure itself. */
const EXPERIMENT =
  /\b(?:when|if) (?:i|we) (?:try|tried|remove|removed|leave|left|don['’]?t|do not|disable|turn off|switch off|uncheck|untick)\b|\bwithout (?:basic |smtp )?auth\w*|\bwithout (?:the |a )?(?:user(?: ?name)?|password|credentials|login)\b|\b(?:just )?(?:to|for a|as a) test\b|\bout of curiosity\b/iu;

/** A line stamped with a date, a time, a weekday, "Day N" or a number ("Attempt 2", "#3"): one entry of a chronological list or log. */
const STAMPED =
  /^\s*(?:[-*•]\s*)?(?:\[?\d{4}-\d\d-\d\d|\[?\d{1,2}[:/.]\d{2}|(?:day|week) \d+|(?:attempt|try|run|round|test) ?#?\d+\b|#\d+\b|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)/iu;

/** The date and time a log line starts with ("2024-05-16 09:12:03", "21.08.2024 07:31:12", "[2024-05-16T09:12]"), as a number. */
function stampOf(line: string): number | null {
  const iso = /^\W{0,3}(?:\w+\s+){0,1}\[?(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d))?/u.exec(line);
  const dotted = /^\W{0,3}(?:\w+\s+){0,1}\[?(\d\d)\.(\d\d)\.(\d{4})[ ,]+(\d\d?):(\d\d)(?::(\d\d))?/u.exec(line);
  const [y, mo, d, h, mi, sec] = iso
    ? iso.slice(1)
    : dotted
      ? [dotted[3], dotted[2], dotted[1], dotted[4], dotted[5], dotted[6]]
      : [];
  if (y === undefined) return null;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec ?? 0));
}

/** Whether log lines, each stamped with a date and time, run from the latest down to the earliest. */
function newestFirst(logLines: readonly string[]): boolean {
  const stamps = logLines.map(stampOf);
  return (
    stamps.every((t) => t !== null) &&
    stamps[0]! > stamps.at(-1)! &&
    stamps.every((t, k) => k === 0 || t <= stamps[k - 1]!)
  );
}

/** An e-mail's header lines in a paste (From: … Sent: / Date:), as mail clients quote them, in several languages. */
const MAIL_HEADERS =
  /^[ \t>]*(?:from|von|de|van|da)[ \t]*:[^\n]*\n(?:[^\n]*\n){0,3}?[ \t>]*(?:sent|date|gesendet|datum|envoyé|enviado|fecha|verzonden|inviato|data)[ \t]*:/imu;

/** The rest of the sentence an error line starts, when it goes on over the next line ("… delays⏎on Saturday, but those cleared."). */
function sentenceGoingOn(lines: readonly string[], i: number): string {
  if (/[.!?:]\s*$/u.test(lines[i]!)) return "";
  const next = lines[i + 1] ?? "";
  const end = next.search(/[.!?](?:\s|$)/u);
  return end < 0 ? next : next.slice(0, end);
}

/** What tells one error from another: its basic and enhanced codes and its reason ("535 5.7.139 credentials were incorrect"). */
interface ErrorKey {
  basic: Set<string>;
  enhanced: Set<string>;
  reason: string;
  /** An AUTH refusal ("Authentication unsuccessful"), which no refusal before AUTH or after it can be. */
  authRefusal: boolean;
}

/** Reasons Exchange gives before AUTH (STARTTLS, TLS version) or after it (Send As, no AUTH at all): never an AUTH refusal. */
const NOT_AUTH_REASON =
  /^(?:starttls is required|tls 1\.0 and 1\.1 are not supported|send ?as ?denied|client not authenticated)$/u;

function errorKey(text: string): ErrorKey {
  // The specific reason, not the "Authentication unsuccessful" most replies start with.
  const reasons = [...text.matchAll(new RegExp(REASON.source, "giu"))].map((m) => m[0].toLowerCase());
  const reason = reasons.find((r) => r !== "authentication unsuccessful") ?? "";
  return {
    basic: new Set([...text.matchAll(/\b(?:421|45[0124]|50[0-4]|53[045]|55[0-4])\b/gu)].map((m) => m[0])),
    enhanced: new Set([...text.matchAll(/\b[45]\.[0-7]\.\d{1,3}\b/gu)].map((m) => m[0])),
    reason,
    authRefusal: reasons.includes("authentication unsuccessful") || /\b53[45]\b/u.test(text),
  };
}

/**
 * Whether two mentions can be the same error. One that says less (a bare "same 550", a reason without its code)
 * is the same as any it agrees with; two that both give enhanced codes or reasons differ when those differ.
 */
function sameError(a: ErrorKey, b: ErrorKey): boolean {
  const meets = (x: Set<string>, y: Set<string>) => [...x].some((v) => y.has(v));
  if (a.enhanced.size > 0 && b.enhanced.size > 0 && !meets(a.enhanced, b.enhanced)) return false;
  if (a.reason !== "" && b.reason !== "" && a.reason !== b.reason) return false;
  if (a.basic.size > 0 && b.basic.size > 0 && !meets(a.basic, b.basic)) return false;
  // "451 5.7.3 STARTTLS is required" and a later "5.7.3 Authentication unsuccessful" share a code, not a cause.
  if ((a.authRefusal && NOT_AUTH_REASON.test(b.reason)) || (b.authRefusal && NOT_AUTH_REASON.test(a.reason)))
    return false;
  return true;
}

/**
 * A story of errors where the last is the current one ("421 4.7.66 … I updated the firmware and that message doesn't
 * come back. Now the test mail says: 535 5.7.139 …", "Mon: … Gone. Tue: … Gone. Wed (today, still): 554 5.2.0 …", a log
 * whose host was replaced between its lines): the earlier errors, when they differ from the last, and the fixes told
 * before it are blanked, since each names the cause of an error that is gone (blind set 87). The last error counts as
 * current when a word before it says so (now, today, still, since then, UPDATE 2, a different error) or when it and an
 * earlier error are entries of a dated list.
 */
function dropEarlierErrors(text: string): string {
  // Lines as the paste had them, also where a log or a web page escaped the breaks ("\\n" in JSON, "<br>").
  const parts = text.split(/(\r?\n|\\r\\n|\\n|<br\s*\/?>)/iu);
  const lines = parts.filter((_, k) => k % 2 === 0);
  // A forwarded chain or a reply quoting older mail runs newest first: its order is not the story's.
  const asLines = lines.join("\n");
  if (MAIL_HEADERS.test(asLines) || /^\s*(?:>|&gt;)/mu.test(asLines)) return text;
  // A question about a code ("Is it the 5.7.57 thing again?") is no occurrence of it.
  const errors = lines.flatMap((l, i) =>
    (FAILURE_CODE.test(l) || REASON.test(l)) && !/\?["'}\]\s]*$/u.test(l) ? [i] : [],
  );
  if (errors.length < 2) return text;
  // The current error is the last one not itself told as past ("… 4.4.7 delays on Saturday, but those cleared").
  const current = errors.filter((i) => !FIXED.test(lines[i]!) && !FIXED.test(sentenceGoingOn(lines, i)));
  if (current.length === 0) return text;
  // A log shown newest first (an event viewer, a ticket tool's mail log): the latest stamp is the current error.
  const reversed = newestFirst(current.map((i) => lines[i]!));
  const last = reversed ? current[0]! : current.at(-1)!;
  // An error wrapped over lines ("… 504 5.7.4⏎Unrecognized authentication type [...", the reason without a code of
  // its own) is one error: its first line.
  let cur = last;
  while (errors.includes(cur - 1) && !FAILURE_CODE.test(lines[cur]!)) cur--;
  const curKey = errorKey(lines.slice(cur, last + 1).join(" "));
  const earlier = errors
    .filter((i) => (reversed ? i > last : i < cur))
    .filter((i) => !sameError(errorKey(lines[i]!), curKey) && !lines[i]!.includes(lines[cur]!.trim()));
  if (earlier.length === 0) return text;
  if (reversed) {
    const out = [...lines];
    for (const i of earlier) out[i] = " ".repeat(lines[i]!.length);
    return parts.map((p, k) => (k % 2 === 0 ? out[k / 2]! : p)).join("");
  }
  // The words before the current error: its own line up to the code, and the two lines before it.
  const before = lines.slice(0, cur).filter((l) => /\S/u.test(l));
  const lead = [lines[cur]!.slice(0, Math.max(0, lines[cur]!.search(FAILURE_CODE))), ...before.slice(-2)];
  // An experiment is no later state: "When I try to send without the user and password, I get 530 5.7.57".
  if (lead.some((l) => EXPERIMENT.test(l))) return text;
  const told = lead.some((l) => TRANSITION.test(l));
  // An entry's error may sit on the line under its stamp ("Attempt 1 (port 25):" ⏎ "451 5.7.3 …").
  const stamped = (i: number) =>
    STAMPED.test(lines[i]!) || STAMPED.test(lines.slice(0, i).findLast((l) => /\S/u.test(l)) ?? "");
  if (!told && !(stamped(cur) && earlier.some(stamped))) return text;
  const out = [...lines];
  for (const i of earlier) out[i] = " ".repeat(lines[i]!.length);
  // The fixes told before the current error worked for the earlier ones, not for it.
  for (let i = 0; i < cur; i++) if (FIXED.test(out[i]!)) out[i] = " ".repeat(lines[i]!.length);
  return parts.map((p, k) => (k % 2 === 0 ? out[k / 2]! : p)).join("");
}

/**
 * The text with the spans holding errors the reporter calls fixed or earlier blanked (same length and
 * lines, so positions stay meaningful). Unchanged when nothing is marked, or when blanking would leave
 * no error to diagnose.
 */
export function dropSuperseded(text: string): string {
  text = dropEarlierErrors(dropEarlierAttempts(text));
  if (!FIXED.test(text)) return text;
  const lines = text.split("\n");
  const out = [...lines];
  // A quoted block ("> …") whose own lines, or the line right after it, mark it fixed.
  for (let i = 0; i < lines.length;) {
    if (!/^\s*>/u.test(lines[i]!)) {
      i++;
      continue;
    }
    let j = i;
    while (j < lines.length && /^\s*>/u.test(lines[j]!)) j++;
    const block = lines.slice(i, Math.min(j + 1, lines.length)).join("\n");
    if (FIXED.test(block) && CODE.test(block)) for (let k = i; k < j; k++) out[k] = " ".repeat(lines[k]!.length);
    i = j;
  }
  let announced = false;
  for (let i = 0; i < out.length; i++) {
    if (/^\s*$/u.test(out[i]!)) continue;
    const next = out.slice(i + 1).find((l) => !/^\s*$/u.test(l)) ?? "";
    const d = dropInLine(out[i]!, next);
    out[i] = d.line;
    announced ||= d.announced;
  }
  const result = out.join("\n");
  if (announced) return /\S/u.test(result) ? result : text;
  // Unannounced, the current error must survive, as specific as the one dropped: where a reply code was
  // dropped, another code or a named exception or TLS/socket failure ("Error sending mail:" above a reply
  // whose own line says it was fixed is no current error); otherwise any error wording.
  const left = CODE.test(text) && !CODE.test(result) ? NAMED_FAILURE.test(result) : ERROR_LEFT.test(result);
  return left ? result : text;
}
