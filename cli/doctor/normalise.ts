/**
 * Normalises an SMTP error as people paste it, before anything reads it (issue 14 item 1).
 *
 * Pastes arrive HTML-escaped (web forms, forum posts), JSON-quoted (logs, `console.log(err)`),
 * as Python bytes reprs split over lines (`(535, b'5.7.139 … '\n b'successfully.')`), with
 * non-breaking or zero-width spaces, hard-wrapped at a log column (sometimes mid-word), inside
 * markdown fences or `> ` quotes. All of that is undone here, so the rules see one text.
 *
 * Pure and total: any string in, a {@link Normalised} out, never a throw.
 */
import { REASONS } from "./reasons.ts";
import { readAloud } from "./spoken.ts";

/** The text in the forms the rules read. */
export interface Normalised {
  /** Unescaped text with line structure kept (transcripts need their lines). */
  text: string;
  /**
   * The unescaped text with every line break (and the indentation after it) removed inside each
   * paragraph, so a token a log column split mid-word reads whole again. Used to detect hints, never
   * to split replies.
   */
  joined: string;
  /** `text` on one line: every whitespace run (newlines included) is one space. */
  flat: string;
  /**
   * `body` with every whitespace and every hyphen between letters removed ({@link gluedForm}), so a phrase
   * broken by a log column (even mid-word: "crit\neria", "crit-\neria"), doubled or odd spaces still reads
   * whole. Used only for phrase matching.
   */
  glued: string;
  /**
   * `flat` without client wrapper sentences that carry no cause ("Mailbox unavailable. The server
   * response was:"), lower-cased: the text phrase evidence is read from.
   */
  body: string;
  /**
   * The stretches of `body` around retyped reply words, spelt as Exchange spells them ("criterea",
   * "unsucessful"); none when no word was retyped. Read beside `body`, never instead: a word in another
   * language can sit one letter from an English one ("condicional").
   */
  respelt: string[];
  /** The dates of the log-line prefixes stripped from `text` (a date can decide). */
  stamps: string[];
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  hellip: "…",
  ndash: "–",
  mdash: "—",
  lsquo: "'",
  rsquo: "'",
  ldquo: '"',
  rdquo: '"',
};

/** `&amp;`, `&#39;`, `&#x27;`, `&nbsp;` … → characters; HTML line breaks → newlines; other tags dropped. */
function unescapeHtml(s: string): string {
  if (!/[&<]/u.test(s)) return s;
  let out = s
    .replace(/<br\s*\/?>|<\/p>|<\/div>|<\/li>/giu, "\n")
    .replace(/<\/?(?:p|div|span|code|pre|b|i|strong|em|li|ul|ol|tt|kbd)(?:\s[^>]*)?>/giu, "");
  // Twice, for double-escaped text ("&amp;#39;").
  for (let i = 0; i < 2; i++) {
    out = out.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/giu, (m, e: string) => {
      if (e.startsWith("#x") || e.startsWith("#X")) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
      if (e.startsWith("#")) return String.fromCodePoint(Number(e.slice(1)));
      return NAMED_ENTITIES[e.toLowerCase()] ?? m;
    });
  }
  return out;
}

/** JSON / Python string escapes: `\\n`, `\\r\\n`, `\\t`, `\\"`, `\\'`, `\\uXXXX`, `\\xHH`, `\\/`, and JSON-in-JSON doubling. */
function unescapeStrings(s: string): string {
  // JSON in JSON (in JSON …) escapes the escape each time: "\\\\\\"" is a quote two levels down.
  let out = s.replace(/\\{2,}(?=[nrt'"u/x])/gu, "\\");
  out = out
    .replace(/\\u([0-9a-fA-F]{4})/gu, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
    .replace(/\\x([0-9a-fA-F]{2})/gu, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
    .replace(/\\r\\n|\\n|\\r/gu, "\n")
    .replace(/\\t/gu, "\t")
    .replace(/\\([/'"])/gu, "$1");
  return out;
}

/**
 * Python bytes reprs: adjacent literals (`'… '\n    b'…'`) are joined, as Python itself joins them,
 * then the `b'` prefixes are dropped. smtplib raises `SMTPAuthenticationError(535, b'5.7.139 …')`.
 */
function unwrapPythonBytes(s: string): string {
  if (!/\bb['"]/u.test(s)) return s;
  return s.replace(/(['"])\s*\n?\s*b\1/gu, "").replace(/(^|[\s(,[=:])b['"]/gu, "$1");
}

// Unicode spaces (NBSP, thin, ideographic …) become a space; zero-width characters and soft hyphens vanish.
const UNICODE_SPACE = /[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/gu;
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff\u00ad]/gu;

/** Markdown fences and quote markers, and e-mail style `> ` quoting. */
function stripMarkdown(s: string): string {
  // Quote markers first: a fence inside a quoted reply is "> ```".
  return s
    .replace(/^[ \t]*(?:>[ \t]?)+/gmu, "")
    .replace(/^[ \t]*(?:```|~~~)[\w-]*[ \t]*$/gmu, "")
    .replace(/`{1,3}([^`\n]+)`{1,3}/gu, "$1");
}

/**
 * Client sentences that wrap the server's reply and name no cause. .NET System.Net.Mail maps the
 * basic code to a fixed sentence (SR.SmtpMailboxUnavailable "Mailbox unavailable." for 550,
 * SR.SmtpTransactionFailed "Transaction failed." for 554, …, dotnet/runtime
 * src/libraries/System.Net.Mail/src/Resources/Strings.resx); left in, "Mailbox unavailable" would
 * read as a mailbox problem. {@link dotnetWrapperCode} keeps the code they stand for.
 */
const WRAPPERS: ReadonlyArray<readonly [RegExp, number]> = [
  [/mailbox unavailable\.?\s*the server response was:?/giu, 550],
  [/transaction failed\.?\s*the server response was:?/giu, 554],
  [/error in processing\.?\s*the server response was:?/giu, 451],
  [/service not available, closing transmission channel\.?\s*the server response was:?/giu, 421],
  [/syntax error, command unrecognized\.?\s*the server response was:?/giu, 500],
  [/bad sequence of commands\.?\s*the server response was:?/giu, 503],
  [/command parameter not implemented\.?\s*the server response was:?/giu, 504],
  [
    /the smtp server requires a secure connection or the client was not authenticated\.?\s*the server response (?:was|is):?/giu,
    530,
  ],
  // The same two sentences as localised .NET Framework builds print them, copied from captured
  // exception texts in Microsoft's localised SQL Server docs ("Monitor Reporting Services
  // subscriptions", docs/reporting-services/subscriptions/monitor-reporting-services-subscriptions.md
  // in zelanko/sql-docs.de-de, MicrosoftDocs/sql-docs.fr-fr, MicrosoftDocs/sql-docs.es-es,
  // zelanko/sql-docs.it-it, zelanko/sql-docs.pt-br, zelanko/sql-docs.ja-jp) and, for zh-Hans, a
  // captured "邮箱不可用。 服务器响应为:Mailbox not found." in a public C# DKIM mail README. No captured
  // Dutch text was found. Spacing and the colon vary, so both are optional.
  [
    /für den smtp-server ist eine sichere verbindung erforderlich,? oder der client wurde nicht authentifiziert\.?\s*die serverantwort war:?/giu,
    530,
  ],
  [
    /der smtp-server erfordert eine sichere verbindung,? oder der client (?:war|wurde) nicht authentifiziert\.?\s*die serverantwort war:?/giu,
    530,
  ],
  [/postfach nicht verfügbar\.?\s*die serverantwort war:?/giu, 550],
  [
    /le serveur smtp requiert une connexion sécurisée ou le client n['’]était pas authentifié\.?\s*la réponse du serveur était\s*:?/giu,
    530,
  ],
  [/bo[iî]te aux lettres non disponible\.?\s*la réponse du serveur était\s*:?/giu, 550],
  [
    /el servidor smtp requiere una conexión segura o el cliente no se autenticó\.?\s*la respuesta del servidor fue:?/giu,
    530,
  ],
  [/buzón de correo no disponible\.?\s*la respuesta del servidor fue:?/giu, 550],
  [
    /il server smtp richiede una connessione protetta oppure il client non è stato autenticato\.?\s*risposta del server:?/giu,
    530,
  ],
  [
    /o servidor smtp requer uma conexão segura ou o cliente não foi autenticado\.?\s*a resposta do servidor foi:?/giu,
    530,
  ],
  [/caixa de correio indisponível\.?\s*a resposta do servidor foi:?/giu, 550],
  [
    /smtp\s*サーバーにセキュリティで保護された接続が必要であるか、またはクライアントが認証されていません。?\s*サーバーの応答内容\s*[:：]?/giu,
    530,
  ],
  [/メールボックスが使用できません。?\s*サーバーの応答内容\s*[:：]?/giu, 550],
  [/smtp\s*服务器要求安全连接(?:\(ssl\))?或客户端未通过身份验证。?\s*服务器响应为\s*[:：]?/giu, 530],
  [/邮箱不可用。?\s*服务器响应为\s*[:：]?/giu, 550],
];

/** Log and exception prefixes that carry no cause of their own (the client is read before they go). */
const PREFIXES =
  /(?<![\w.])(?:the server response was:?|smtplib\.)?(?:SMTPAuthenticationError|SMTPSenderRefused|SMTPDataError|SMTPResponseException|SMTPException):\s*|\b(?:javax|jakarta)\.mail\.[\w.]*Exception:\s*|\bcom\.sun\.mail\.smtp\.SMTP\w*Exception:\s*|the server response was:?\s*|(?:die serverantwort war|la réponse du serveur était|la respuesta del servidor fue|risposta del server|a resposta do servidor foi)\s*:?\s*|(?:サーバーの応答内容|服务器响应为)\s*[:：]?\s*/giu;

/** The basic code a .NET wrapper sentence stands for, when the text has one. */
export function dotnetWrapperCode(text: string): number | null {
  for (const [re, code] of WRAPPERS) {
    re.lastIndex = 0;
    if (re.test(text)) return code;
  }
  return null;
}

/**
 * An enhanced status code read from a photo or a screenshot: OCR takes 1 for l, I or |, and 0 for o ("5.7.l39").
 * Only the third part, and only with a digit left in it, so a version or a word is not turned into a code.
 */
const OCR_STATUS_CODE =
  /(?<![\w.])([45])\.([0-7])\.((?=[0-9lI|oO]*[lI|oO])(?=[0-9lI|oO]*\d)[0-9lI|oO]{2,3})(?![\w.])/gu;

/**
 * An enhanced code retyped from a device's screen with spaces or commas for the dots: "535 5 7 139" (after a basic
 * code; Exchange pairs 451 with 5.7.3) or "5,7,139". Only these two shapes: a bare "5 7 139" could be any three numbers.
 */
const SPACED_AFTER_BASIC = /(?<![\w.])([245]\d\d[ -])([245])[ ,]([0-7])[ ,](\d{1,3})(?![\w.,]|[ ,]\d)/gu;
const COMMA_CODE = /(?<![\w.,])([245]),([0-7]),(\d{1,3})(?![\w,]|\.\d)/gu;

/**
 * The long words of Exchange Online's SMTP replies and of the settings they name (m365-api-facts' reply
 * catalogue), towards which a retyped word is corrected: "criterea", "unsucessful", "authenicated".
 */
const REPLY_WORDS = [
  "authentication",
  "unsuccessful",
  "smtpclientauthentication",
  "disabled",
  "criteria",
  "authenticated",
  "successfully",
  "administrator",
  "credentials",
  "incorrect",
  "security",
  "defaults",
  "organization",
  "unrecognized",
  "starttls",
  "anonymous",
  "supported",
  "submission",
  "permissions",
  "concurrent",
  "connections",
  "sendasdenied",
  "conditional",
  "temporarily",
  "exceeded",
  "threshold",
  "restricted",
  "rejected",
  "relaying",
  "recipient",
  "blocked",
  "mailbox",
  "account",
];
const REPLY_WORD_SET = new Set(REPLY_WORDS);
// The long words of the localised reasons ("critérios", "deaktiviert"), for the lower-cased reading only.
const LOCAL_REPLY_WORD_SET = new Set(
  Object.values(REASONS)
    .flat()
    .flatMap((phrase) => phrase.match(/\p{L}{7,}/gu) ?? [])
    .filter((word) => !REPLY_WORD_SET.has(word)),
);
const ALL_REPLY_WORDS = [...REPLY_WORDS, ...LOCAL_REPLY_WORD_SET];
/** Endings that make another form of a word, in the languages of the reasons. */
const ENDINGS = new Set(
  ["", "s", "es", "d", "ed", "e", "er", "ers", "ing", "ion", "ions", "or", "ors", "ly", "al", "able", "en", "t"].concat(
    ["ert", "ung", "ungen", "é", "ée", "és", "ées", "o", "a", "os", "as", "i", "ado", "ada", "ato", "ata"],
  ),
);

/** True when `a` and `b` differ only in their endings: two forms of one word, not a slip. */
function otherForm(a: string, b: string): boolean {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return ENDINGS.has(a.slice(i)) && ENDINGS.has(b.slice(i));
}

/** Edit distance with adjacent transpositions (optimal string alignment), or max + 1 once it is exceeded. */
function typoDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/** The reply word lower-cased `token` is a typo of (one slip in up to ten letters, two in longer words), if any. */
function replyWordFor(lower: string, words: readonly string[] = REPLY_WORDS): string | undefined {
  // A word of a localised reason is right in its own language, but a slip on an English reply line
  // ("basic authentification is disabled").
  if (REPLY_WORD_SET.has(lower) || (words !== REPLY_WORDS && LOCAL_REPLY_WORD_SET.has(lower))) return undefined;
  const max = lower.length <= 10 ? 1 : 2;
  let found: string | undefined;
  let least = max + 1;
  for (const word of words) {
    if (word[0] !== lower[0]) continue;
    // Another form of the same word ("credential", "authenticator", "deaktivieren") is no typo.
    if (otherForm(lower, word)) return undefined;
    const d = typoDistance(lower, word, max);
    if (d < least) {
      least = d;
      found = word;
    }
  }
  return found;
}

/**
 * A line with a status code, in ASCII letters only (a reply in English), with its retyped words spelt as
 * Exchange spells them, so the reply reads as Exchange sent it; other lines are left as typed.
 */
function respellReplyLines(s: string): string {
  return s.replace(/^.*$/gmu, (line) =>
    /(?<![\w.])[245]\d\d(?![\w.])|(?<![\w.])[245]\.\d\.\d{1,3}(?![\w.])/u.test(line) && !/[^\x00-\x7f]/u.test(line)
      ? line.replace(/\p{L}{7,}/gu, (token) => {
          const word = replyWordFor(token.toLowerCase());
          if (word === undefined) return token;
          if (token === token.toUpperCase()) return word.toUpperCase();
          return /^\p{Lu}/u.test(token) ? word[0]!.toUpperCase() + word.slice(1) : word;
        })
      : line,
  );
}

/** The stretches of lower-cased `body` around its retyped reply words, spelt as Exchange spells them. */
function respell(body: string): string[] {
  const windows: string[] = [];
  const seen = new Map<string, string | undefined>();
  for (const m of body.matchAll(/\p{L}{7,}/gu)) {
    const token = m[0];
    if (!seen.has(token)) seen.set(token, replyWordFor(token, ALL_REPLY_WORDS));
    const word = seen.get(token);
    if (word === undefined) continue;
    // The sentence around the word, as far as a phrase reaches, with every retyped word in it respelt.
    const from = Math.max(0, m.index - 160);
    windows.push(
      body
        .slice(from, m.index + token.length + 160)
        .replace(/\p{L}{7,}/gu, (t) => (seen.has(t) ? seen.get(t) : replyWordFor(t, ALL_REPLY_WORDS)) ?? t),
    );
  }
  return windows;
}

/** Marks a line that began with a log prefix (see joinWrapped); removed once lines are joined. */
const RECORD_START = "\uE000";

/** A text as phrases are matched whole: no whitespace, no hyphen between two letters. */
export function gluedForm(s: string): string {
  return s.replace(/\s+/gu, "").replace(/(?<=\p{L})-(?=\p{L})/gu, "");
}

/**
 * Join hard-wrapped lines: a line that ends inside a sentence (no terminal punctuation, at least 30
 * characters) and is followed by a line starting in lower case is one sentence. Transcript lines
 * (`S: 250-…`, `C: AUTH`) start with a code or a marker and are left alone.
 * A log record (a line stripLogPrefixes marked) that starts with a field (`host=…`) is a record of its own,
 * never a wrapped tail; a record that goes on a sentence or a reply code may be one (journald prefixes every line).
 */
function joinWrapped(s: string): string {
  const out: string[] = [];
  // The output line being built, in parts, and its last characters (trimmed at the end): the tests
  // read only the tail, so a paste that joins into one long line stays linear.
  let parts: string[] | undefined;
  let tail = "";
  let long = false;
  for (const line of s.split("\n")) {
    if (parts !== undefined) {
      const record = line.startsWith(RECORD_START);
      const bare = record ? line.slice(1) : line;
      const sentence =
        long && !/[.:;!?)\]}>]$/u.test(tail) && /^\s*\p{Ll}/u.test(bare) && !(record && /^\s*[\w.-]+=/u.test(bare));
      // A reply wrapped right after its code ("… \"5.7.57" / "Client not authenticated …").
      // The code must read as one (after a basic code, a quote, a colon or alone), not a version
      // number ending a line ("Microsoft.Identity.Client, 4.59.0").
      const afterCode = /(?:^\s*|[45]\d\d |["'(:]\s*)[45]\.[0-7]\.\d{1,3}$/u.test(tail) && /^\s*\p{L}/u.test(bare);
      // A code a column cut in two ("535 5.7" | ".3 Authentication …", "Exception: 4" | ".3.2 …").
      const codeCut = /(?:^|[\s"':(])(?:[45]\d\d[ -])?[45](?:\.\d{1,3})?$/u.test(tail) && /^\.\d/u.test(bare);
      if (codeCut || ((sentence || afterCode) && !/^\s*(?:[CS]:|\d{3}[ -]|at\s)/u.test(bare))) {
        // A line broken at a hyphen ("-\nstarttls", "multi-\nfactor") or inside a code was one token.
        const glue = tail.endsWith("-") || codeCut ? "" : " ";
        const added = line.trim();
        parts[parts.length - 1] = parts[parts.length - 1]!.trimEnd();
        parts.push(glue, added);
        tail = `${tail}${glue}${added}`.slice(-120);
        long ||= tail.length >= 30;
        continue;
      }
      out.push(parts.join(""));
    }
    parts = [line];
    tail = line.trimEnd().slice(-120);
    long = line.trimEnd().length >= 30;
  }
  if (parts !== undefined) out.push(parts.join(""));
  return out.join("\n");
}

/**
 * Join a multi-line reply: "535-5.7.8 first part" + "535 5.7.8 second part" is one reply (RFC 5321
 * 4.2.1: every line but the last has a hyphen after the code; Gmail-style relays and postfix logs
 * print the enhanced code again on each line). Only 4xx/5xx lines are joined: a transcript's
 * "250-AUTH LOGIN" capability lines must stay apart. A log prefix before the code may repeat.
 */
function joinContinuations(s: string): string {
  const lines = s.split("\n");
  const out: string[] = [];
  let open: { code: string; enhanced: string | undefined } | undefined;
  for (const line of lines) {
    const m = /^(.{0,80}?)\b([45]\d\d)([ -])(\d\.\d{1,3}\.\d{1,3}(?= ))?\s?(.*)$/u.exec(line);
    if (open !== undefined && m !== null && m[2] === open.code && (m[4] === undefined || m[4] === open.enhanced)) {
      out[out.length - 1] = `${out[out.length - 1]!.trimEnd()} ${m[5]!.trim()}`;
      open = m[3] === "-" ? open : undefined;
      continue;
    }
    out.push(line);
    open = m !== null && m[3] === "-" ? { code: m[2]!, enhanced: m[4] } : undefined;
    // The first line keeps its code with a space, as a one-line reply reads.
    if (open !== undefined) out[out.length - 1] = line.replace(`${m![2]}-`, `${m![2]} `);
  }
  return out.join("\n");
}

const CJK = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u3000-\\u303f\\uff00-\\uffef";
const CJK_LINE_BREAK = new RegExp(`(?<=[${CJK}])[ \\t]*\\n[ \\t]*(?=[${CJK}])`, "gu");

/** Normalise pasted text. Never throws. */
/**
 * PowerShell output whose line breaks a web form or chat lost ("PS> Get-CASMailbox x | fl
 * SmtpClientAuthenticationDisabled SmtpClientAuthenticationDisabled : True PS> Get-TransportConfig …"):
 * each prompt and each Format-List property (a CamelCase name, spaces, a colon) goes back on a line
 * of its own, so the answer reads as it does unflattened. Only long lines are touched.
 */
const POWERSHELL_LINE_START =
  /[ \t]+(?=PS[^\S\n]?(?:[A-Za-z]:\\[^>\n]{0,60})?>[ \t]|[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+[ \t]+:(?:[ \t]|$))/gu;

function unflattenPowerShell(s: string): string {
  return s
    .split("\n")
    .map((line) =>
      line.length >= 100 && /\bPS[^\S\n]?(?:[A-Za-z]:\\[^>\n]{0,60})?>/u.test(line)
        ? line.replace(POWERSHELL_LINE_START, "\n")
        : line,
    )
    .join("\n");
}

/**
 * A log line's own prefix: a timestamp, then optionally a level and a [component] or a logger name with a
 * colon ("2026-11-30T09:41:07.512Z ERROR [mailer] ", "Mar 02 08:10:01 host app[812]: ", "[2026-03-02 08:10:01] ").
 */
const LOG_LINE_PREFIX = new RegExp(
  String.raw`^[ 	]*(?:\[?(?:\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?: [\w.-]+ [\w./-]+(?:\[\d+\])?:)?)\]?)[ 	]+(?:\[?(?:ERROR|ERR|WARN(?:ING)?|INFO|DEBUG|TRACE|FATAL|NOTICE|CRIT(?:ICAL)?)\]?:?[ 	]+)?(?:\[[^\]
]{1,40}\][ 	]*)?`,
  "u",
);

/**
 * Strip the prefix every log line repeats (at least two lines, four in five of them), so a settings line
 * or a reply reads as it would pasted bare. The dates go to `stamps`: a date can decide (Basic SMTP AUTH
 * off by default from 2027).
 */
function stripLogPrefixes(s: string): { text: string; stamps: string[] } {
  const lines = s.split("\n");
  const filled = lines.filter((l) => l.trim() !== "");
  const prefixed = filled.filter((l) => LOG_LINE_PREFIX.test(l) && l.replace(LOG_LINE_PREFIX, "").trim() !== "");
  if (filled.length < 2 || prefixed.length < 0.8 * filled.length) return { text: s, stamps: [] };
  const stamps = new Set<string>();
  const text = lines
    .map((l) => {
      const m = LOG_LINE_PREFIX.exec(l);
      if (m === null) return l;
      const date = /\d{4}-\d\d-\d\d/u.exec(m[0])?.[0];
      if (date !== undefined) stamps.add(date);
      return RECORD_START + l.slice(m[0].length);
    })
    .join("\n");
  return { text, stamps: [...stamps] };
}

export function normalise(input: string): Normalised {
  let s = input.replace(/\r\n?/gu, "\n");
  s = unescapeHtml(s);
  s = unescapeStrings(s);
  s = unwrapPythonBytes(s);
  s = s
    .replace(UNICODE_SPACE, " ")
    .replace(ZERO_WIDTH, "")
    .replace(/[\u2018\u2019\u201a\u2032]/gu, "'")
    .replace(/[\u201c\u201d\u201e\u2033]/gu, '"');
  s = readAloud(stripMarkdown(s));
  s = s.replace(
    OCR_STATUS_CODE,
    (_m, cls: string, subject: string, detail: string) =>
      `${cls}.${subject}.${detail.replace(/[lI|]/gu, "1").replace(/[oO]/gu, "0")}`,
  );
  s = respellReplyLines(s.replace(SPACED_AFTER_BASIC, "$1$2.$3.$4").replace(COMMA_CODE, "$1.$2.$3"));
  const logged = stripLogPrefixes(s);
  s = tablesAsLists(logged.text);
  s = unflattenPowerShell(s);
  s = s.replace(/[ \t]+/gu, " ").replace(/ +\n/gu, "\n");
  s = joinContinuations(s);
  // A blank line (a paragraph break) never splits a token: it stays a break, so the next paragraph's
  // first word does not glue onto the last one ("…:587" + "Could it be…"). A list item is a statement of
  // its own too: "- MFA … Deaktiviert" must not run into the next item's "Authentifiziertes SMTP".
  const joined = s
    .replaceAll(RECORD_START, "")
    .split(/\n[ \t]*\n\s*|\n(?=[ \t]*(?:[-*•]|\d{1,2}[.)])[ \t]+\S)/u)
    .map((paragraph) => paragraph.replace(/\n\s*/gu, ""))
    .join("\n");
  // Chinese and Japanese put no space between words: a line broken between two of their characters
  // is one word broken ("无\n法" is 无法 "cannot", not 无 "no" + 法).
  s = joinWrapped(s).replaceAll(RECORD_START, "").replace(CJK_LINE_BREAK, "");
  const flat = s.replace(/\s+/gu, " ").trim();
  let unwrapped = s;
  for (const [re] of WRAPPERS) unwrapped = unwrapped.replace(re, " ");
  unwrapped = unwrapped.replace(PREFIXES, " ");
  // List items end like sentences, so a window read across the flattened text stops at the next item.
  const body = unwrapped
    .replace(/\n(?=[ \t]*(?:[-*•]|\d{1,2}[.)])[ \t]+\S)/gu, " . ")
    .replace(/\s+/gu, " ")
    .trim()
    .toLowerCase()
    // OCR of a screenshot or photo reads l as 1 and o as 0 inside words ("Mai1box", "C0nnection"); a
    // token with other digits (a hex code, a server name) is left alone.
    .replace(/[\p{L}\p{N}|]+/gu, (t) =>
      /^\p{L}+(?:[10|]\p{L}+)+$/u.test(t) ? t.replace(/[1|]/gu, "l").replace(/0/gu, "o") : t,
    );
  // Without any whitespace, a phrase broken by a wrap column (even mid-word) or by odd spaces still reads whole;
  // without a hyphen between letters, also one a wrap hyphenated ("Authenticatio-⏎n", PDF and mail reflow).
  const glued = gluedForm(body);
  return { text: s, joined, flat, glued, body, respelt: respell(body), stamps: logged.stamps };
}

/** One line split on `delimiter`, double-quoted fields kept whole (CSV's `""` is a quote). */
function splitFields(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === "") quoted = true;
    else if (ch === delimiter) {
      fields.push(field.trim());
      field = "";
    } else field += ch;
  }
  fields.push(field.trim());
  return fields;
}

/**
 * Delimited exports (a sign-in log or message trace saved as CSV, a tab-separated copy of a portal grid)
 * put a value far from its column name: "Conditional Access" in the header, "Not Applied" four lines
 * down. Each data row is rewritten as `Header: value` lines, so rules that read "Conditional Access: Not
 * Applied" read the export too. A header is a line of at least four fields, none a number; rows are the
 * lines after it with the same number of fields. At most 40 rows per table.
 */
export function delimitedRecords(text: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    for (const delimiter of [",", "\t", ";", "|"]) {
      if (!lines[i]!.includes(delimiter)) continue;
      const header = splitFields(lines[i]!, delimiter);
      if (header.length < 4 || header.some((h) => h === "" || /^[\d.:\-/ ]+$/u.test(h) || h.length > 40)) continue;
      let j = i + 1;
      for (; j < lines.length && j <= i + 40; j++) {
        const row = splitFields(lines[j]!, delimiter);
        if (row.length !== header.length) break;
        out.push(header.map((h, k) => `${h}: ${row[k]}`).join("\n"), "");
      }
      if (j > i + 1) {
        i = j - 1;
        break;
      }
    }
  }
  return out.join("\n");
}

/**
 * Tables an admin pastes from a terminal or a wiki, also as Format-List lines (`Name : value`), so a
 * value reads next to its name as the answers are read: a markdown row of two cells ("| Security defaults
 * (Entra > Properties) | Enabled |"), and PowerShell's Format-Table output, whose dashed underline gives each
 * column's span ("Name  SmtpClientAuthenticationDisabled" / "----  ---" / "svc-backup  True"). Runs before
 * runs of spaces are collapsed: they are what aligns the columns. At most 40 rows per table.
 */
function tablesAsLists(s: string): string {
  const lines = s.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const rule = lines[i + 1];
    if (rule !== undefined && /^\s*-{2,}(?:[ \t]+-{2,})*[ \t]*$/u.test(rule) && line.trim() !== "") {
      const spans = [...rule.matchAll(/-+/gu)].map((d) => d.index);
      const cut = (row: string): string[] =>
        spans.map((start, k) =>
          row
            .padEnd(rule.length)
            .slice(start, spans[k + 1])
            .trim(),
        );
      const header = cut(line);
      if (header.every((h) => h !== "" && !/\s{2,}/u.test(h))) {
        let j = i + 2;
        const records: string[] = [];
        for (; j < lines.length && j <= i + 41 && lines[j]!.trim() !== ""; j++) {
          const row = cut(lines[j]!);
          records.push(header.map((h, k) => `${h} : ${row[k]}`).join("\n"));
        }
        if (records.length > 0) {
          // The table stays as pasted too: some answers are read from its rows (Get-RecipientPermission's).
          out.push(...lines.slice(i, j), "", records.join("\n\n"));
          i = j - 1;
          continue;
        }
      }
    }
    const cells = /^\s*\|([^|\n]+)\|([^|\n]+)\|\s*$/u.exec(line);
    if (cells !== null) {
      // A header's underline ("|---|---|") says nothing.
      if (/^[\s:-]+$/u.test(cells[1]!) && /^[\s:-]+$/u.test(cells[2]!)) continue;
      // Ended like a sentence: flattened, the rows must not read as one ("MFA : Disabled security defaults").
      out.push(`${cells[1]!.trim()} : ${cells[2]!.trim().replace(/[.]$/u, "")}. `);
      continue;
    }
    out.push(line);
  }
  return out.join("\n");
}
