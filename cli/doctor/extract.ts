/**
 * Normalises an SMTP error as a user pastes it — wrapped by nodemailer, .NET, Python smtplib, JavaMail,
 * MailKit, PHPMailer, Ruby, postfix or a raw protocol log — into the server replies and hints the
 * diagnosis needs. Pure and total: any string in, an `Extracted` out, never a throw.
 */

import { dotnetWrapperCode, normalise, type Normalised } from "./normalise.ts";

/** The SMTP stage a failure happened in, as far as the text tells. */
export type Stage = "connect" | "starttls" | "auth" | "mail" | "rcpt" | "data" | "unknown";

/** The client library or program that produced the text, as far as the text tells. */
export type ClientHint =
  | "nodemailer"
  | "dotnet"
  | "mailkit"
  | "python-smtplib"
  | "javamail"
  | "phpmailer"
  | "ruby"
  | "postfix"
  | "symfony-swift"
  | "openssl"
  | "unknown";

/** One server reply found in the text. */
export interface Reply {
  /** Basic reply code (535), or null when the client dropped it (.NET "The server response was: 5.7.57 …"). */
  code: number | null;
  /** Enhanced status code (5.7.139), or null. */
  enhanced: string | null;
  /** Reply text after the codes, diagnostic suffix included, trimmed. */
  text: string;
  /** True when this reply was quoted inside another one ("530 5.7.57 … Error: 535 5.7.139 …"). */
  echoed: boolean;
}

/** Everything diagnose() reads from the text. */
export interface Extracted {
  /** The replies in order of appearance; continuation lines (535-…) are merged. Only 4xx/5xx replies. */
  replies: Reply[];
  /** Distinct basic codes of `replies`, in order. */
  codes: number[];
  /** Distinct enhanced codes of `replies`, in order. */
  enhancedCodes: string[];
  /** Stage of the failing reply. */
  stage: Stage;
  /** Authentication mechanism the client used, when visible. */
  authMechanism: "LOGIN" | "PLAIN" | "XOAUTH2" | "CRAM-MD5" | "NTLM" | null;
  /** True when the text shows OAuth in use (XOAUTH2, bearer tokens, client credentials, SaslMechanismOAuth2 …). */
  oauth: boolean;
  /** Exchange front-end from the diagnostic suffix, e.g. "PN0PR01CA0024.INDPRD01.PROD.OUTLOOK.COM". */
  serverId: string | null;
  /** ISO timestamp from the diagnostic suffix. */
  timestamp: string | null;
  /** 16-hex request id from the diagnostic suffix or banner. */
  requestId: string | null;
  /** Host the client connected to (smtp.office365.com, smtp-mail.outlook.com, …) when named. */
  host: string | null;
  /** Port the client connected to, when named next to the host or in a socket error. */
  port: number | null;
  client: ClientHint;
  /** A TLS-layer failure: "wrong-version-number", "no-common-algorithm", "not-tls-handshake", "handshake-failed", or null. */
  tlsError: "wrong-version-number" | "no-common-algorithm" | "not-tls-handshake" | "handshake-failed" | null;
  /** A socket-layer failure code (ETIMEDOUT, ECONNREFUSED, ECONNRESET, ENOTFOUND, "timeout"), or null. */
  networkError: string | null;
  /** STARTTLS was issued and accepted in the transcript. */
  tlsStarted: boolean;
  /** An EHLO reply listing STARTTLS but no AUTH was seen (the pre-TLS capability list). */
  authNotOffered: boolean;
  /** The account is a personal Microsoft account (outlook.com, hotmail.*, live.*, msn.com) or the consumer endpoint was used. */
  consumerAccount: boolean;
  /** Mail addresses seen (for `<mailbox>` in checks), in order, deduplicated. */
  addresses: string[];
  /** The text after unescaping (lines kept). */
  normalized: string;
  /** Every normalised form of the text (flat, body, glued) the rules read. */
  norm: Normalised;
}

const CONSUMER_DOMAIN = /@(?:outlook\.[a-z.]+|hotmail\.[a-z.]+|live\.[a-z.]+|msn\.com)\b/i;

/**
 * The unescaped text with its lines (see normalise.ts).
 * @internal exported for tests
 */
export function unescapeText(input: string): string {
  return normalise(input).text;
}

// A version after the name of a runtime, library or product ("PHPMailer 5.2.9", "PHP 5.4.16", ".NET Framework
// 4.5.2", "nodemailer 4.6.8", "firmware 2.4.1") has the shape of an enhanced status code but is none.
export const VERSION_OF =
  /(?:\b(?:php(?:mailer)?|python|node(?:js)?|node\.js|nodemailer|java|jdk|jre|openssl|libressl|mailkit|mimekit|swift ?mailer|symfony|laravel|django|rails|ruby|golang|dotnet|\.net|net core|framework|powershell|ubuntu|debian|centos|rhel|alma ?linux|rocky ?linux|dsm|firmware|fw|version|ver\.?|release|build|wordpress|wp mail smtp|thunderbird|spring(?: boot)?|jakarta mail|javamail|commons[- ]email|lettre|gomail|plugin|library|package|nuget|npm|pip|gem|composer|v)\s*[:=@]?\s*v?)$/iu;

// A reply start: optional basic code, then an enhanced code, or a basic code followed by text.
// Basic codes are 4xx/5xx with a second digit 0-5 (RFC 5321); enhanced codes x.y.z with class 2/4/5.
const REPLY_RE =
  /(?<![\w.\/:-])(?:([45][0-5]\d)(?:[ -]|[:,]\s?|\.(?=[245]\.\d))\s*)?([245]\.[0-7]\.\d{1,3})(?=[ \t]+[\p{L}"'\[(])|(?<![\w.,\/:-])([45][0-5]\d)(?:[ -])(?=[\p{L}"'\[])/gmu;

/** A number in prose that counts something: "500 recipients a day", "per day 500", "about 550 mails". */
const COUNTED_AFTER =
  /^\s*(?:%|\+|x\b|times\b|reminders?\b|e-?mails?\b|mails?\b|messages?\b|recipients?\b|users?\b|staff\b|people\b|employees\b|accounts?\b|mailboxes\b|devices\b|scans?\b|items?\b|per\b|a (?:day|month|week)\b|an hour\b|\/\s*(?:day|hour|h|min|minute|month)\b|ms\b|milli\w+|seconds?\b|secs?\b|minutes?\b|mins?\b|[kmg]b\b|bytes?\b|characters?\b|chars?\b|lines?\b|rows?\b|pages?\b|dollars?\b|euros?\b|€|\$)/iu;
const COUNTED_BEFORE =
  /(?:\blimits?(?: of| to| is| at)?|\bper (?:day|hour|minute|month)|\bup to|\bmax(?:imum)?|\babout|\baround|\bapprox\w*|\broughly|~|\bover|\bunder|\bthan|\bat (?:most|least)|\bset to|\bnearly|\balmost)\s*$/iu;

/** The number at `start`…`end` of `text` counts something in prose: no reply code. */
export function countedInProse(text: string, start: number, end: number): boolean {
  return (
    COUNTED_AFTER.test(text.slice(end, end + 20)) || COUNTED_BEFORE.test(text.slice(Math.max(0, start - 20), start))
  );
}

/**
 * An HTTP status line ("403 Forbidden", "503 Service Unavailable" from Graph or a web API) is not an
 * SMTP reply: SMTP has no such reason phrases (RFC 9110 §15 has them).
 */
export const HTTP_REASON =
  /^(?:Bad Request|Unauthorized|Payment Required|Forbidden|Not Found|Method Not Allowed|Not Acceptable|Request Time-?out|Conflict|Gone|Precondition Failed|Payload Too Large|Too Many Requests|Internal Server Error|Not Implemented|Bad Gateway|Service Unavailable|Gateway Time-?out)\b/iu;

function cleanReplyText(raw: string): string {
  let t = raw.trim();
  // Cut at the end of a quoted repr / JSON string: a quote followed by , ) } or ].
  const close = /['"]\s*[,)}]|"\s/u.exec(t);
  if (close !== null) t = t.slice(0, close.index);
  t = t.replace(/['"]\s*[,)}\]]?\s*$/u, "");
  t = t.replace(/\s*(?:'\)|"\)|',|",|\}\s*$)\s*$/u, "");
  return t.trim();
}

/** The words before a bare code the reporter says never came: "the server never returns a 535", "no 535 at all". */
export const NEGATION_BEFORE_CODE = String.raw`\b(?:never|no|not an?|not any|without an?|without any)\s+(?:(?:returns?|returned|gets?|got|sees?|saw|shows?|showed|logs?|logged|sends?|sent|an?|any)\s+){0,2}`;
const NEGATED_BEFORE = new RegExp(`${NEGATION_BEFORE_CODE}$`, "iu");

/**
 * Find every 4xx/5xx reply in the text.
 * @internal exported for tests
 */
export function findReplies(normalized: string): Reply[] {
  const found: Array<{ index: number; end: number; code: number | null; enhanced: string | null; sep: string }> = [];
  for (const m of normalized.matchAll(REPLY_RE)) {
    const code = m[1] ?? m[3];
    const enhanced = m[2] ?? null;
    const index = m.index;
    if (m[1] === undefined && enhanced !== null && VERSION_OF.test(normalized.slice(Math.max(0, index - 30), index)))
      continue;
    // A bare number that counts something in prose ("500 reminders a day", "per day 500") is no reply.
    if (enhanced === null && countedInProse(normalized, index, index + 3)) continue;
    if (enhanced === null && NEGATED_BEFORE.test(normalized.slice(Math.max(0, index - 40), index))) continue;
    const sepMatch = /^[45]\d\d(-)/.exec(m[0]);
    found.push({
      index,
      end: index + m[0].length,
      code: code === undefined ? null : Number(code),
      enhanced,
      sep: sepMatch ? "-" : " ",
    });
  }
  const replies: Reply[] = [];
  const lines: Array<{ reply: Reply; continued: boolean }> = [];
  for (let i = 0; i < found.length; i++) {
    const f = found[i]!;
    const next = found[i + 1];
    const lineEnd = normalized.indexOf("\n", f.end);
    const stopAtLine = lineEnd === -1 ? normalized.length : lineEnd;
    const stop = next !== undefined && next.index < stopAtLine ? next.index : stopAtLine;
    let text = normalized.slice(f.end, stop);
    // An echoed reply is introduced by "Error:"; drop that connector from the outer text.
    const echoedNext = next !== undefined && next.index < stopAtLine && /Error:\s*$/u.test(text);
    if (echoedNext) text = text.replace(/\s*Error:\s*$/u, "");
    const prev = lines[lines.length - 1];
    const echoed =
      prev !== undefined &&
      !prev.continued &&
      found[i - 1] !== undefined &&
      isEchoIntro(normalized, found[i - 1]!.end, f.index);
    const reply: Reply = { code: f.code, enhanced: f.enhanced, text: cleanReplyText(text), echoed };
    if (reply.enhanced === null && HTTP_REASON.test(reply.text)) continue;
    // Merge continuation lines: "535-5.7.139 first part" + "535 5.7.139 second part".
    if (prev !== undefined && prev.continued && prev.reply.code === reply.code) {
      prev.reply.text = `${prev.reply.text} ${reply.text}`.trim();
      prev.continued = f.sep === "-";
      continue;
    }
    lines.push({ reply, continued: f.sep === "-" });
  }
  for (const l of lines) {
    if (l.reply.code !== null && l.reply.code < 400) continue;
    if (l.reply.code === null && l.reply.enhanced !== null && l.reply.enhanced.startsWith("2.")) continue;
    replies.push(l.reply);
  }
  return dedupe(replies);
}

function isEchoIntro(text: string, from: number, to: number): boolean {
  return /Error:\s*$/u.test(text.slice(from, to));
}

// The same reply is often printed two or three times (message, response, stack); keep the first.
function dedupe(replies: Reply[]): Reply[] {
  const out: Reply[] = [];
  for (const r of replies) {
    const key = (x: Reply) => `${x.code ?? ""}|${x.enhanced ?? ""}|${x.text.slice(0, 60).toLowerCase()}`;
    const same = out.find(
      (o) => key(o) === key(r) || (o.enhanced === r.enhanced && o.enhanced !== null && sameStart(o.text, r.text)),
    );
    if (same) {
      if (same.code === null && r.code !== null) same.code = r.code;
      if (r.text.length > same.text.length && sameStart(same.text, r.text)) same.text = r.text;
      continue;
    }
    out.push({ ...r });
  }
  return out;
}

function sameStart(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length, 40);
  return n > 10 && a.slice(0, n).toLowerCase() === b.slice(0, n).toLowerCase();
}

const SUFFIX_RE =
  /\[([A-Z0-9]{6,}(?:\.[A-Za-z0-9-]+)*\.(?:outlook\.com|exchangelabs\.com|outlook\.cn|office365\.us|protection\.outlook\.com|hotmail\.com))(?:\s+(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)\s+([0-9A-F]{16}))?\]/i;

function detectClient(s: string): ClientHint {
  if (/MailKit\.|MimeKit|SaslMechanism|SmtpCommandException|SmtpProtocolException/u.test(s)) return "mailkit";
  if (
    /System\.Net\.Mail|SmtpException|The server response was|SmtpClient\.Send|HResult|Exception calling "Send"/u.test(s)
  )
    return "dotnet";
  if (
    /nodemailer|SMTPConnection|smtp-connection|EAUTH|ESOCKET|EENVELOPE|Invalid login:|responseCode|command: 'CONN'/u.test(
      s,
    )
  )
    return "nodemailer";
  if (/Net::SMTP|net\/smtp\.rb|\(Net::/u.test(s)) return "ruby";
  if (
    /smtplib|SMTPAuthenticationError|SMTPSenderRefused|SMTPDataError|SMTPRecipientsRefused|SMTPServerDisconnected|Traceback \(most recent call last\)/u.test(
      s,
    )
  )
    return "python-smtplib";
  if (/javax\.mail|jakarta\.mail|com\.sun\.mail|angus\.mail|AuthenticationFailedException|DEBUG SMTP:/u.test(s))
    return "javamail";
  if (/PHPMailer|SERVER -> CLIENT|CLIENT -> SERVER|SMTP ERROR:|SMTP -> ERROR|SMTP connect\(\) failed/u.test(s))
    return "phpmailer";
  if (/Swift_|Symfony\\Component\\Mailer|Expected response code/u.test(s)) return "symfony-swift";
  if (/postfix\/|SASL authentication failed; server/u.test(s)) return "postfix";
  if (/ssl3_get_record|SSL routines/u.test(s)) return "openssl";
  return "unknown";
}

/**
 * Lines that list the mechanisms on offer, not the one in use: the server's EHLO capability
 * ("250-AUTH LOGIN XOAUTH2"), Jakarta Mail's "DEBUG SMTP: Attempt to authenticate using mechanisms:
 * LOGIN PLAIN DIGEST-MD5 NTLM XOAUTH2" and 'Found extension "AUTH", arg "LOGIN XOAUTH2"' (SMTPTransport) and PHPMailer's "Auth methods
 * available on the server: LOGIN,XOAUTH2" (SMTP::authenticate), and an EHLO reply flattened onto one line by a
 * wrapper (PEAR Net_SMTP's "response: … ENHANCEDSTATUSCODES AUTH LOGIN XOAUTH2 …"). XOAUTH2 in them is not OAuth in use.
 */
// The marker and the list of names after it, bounded: no backtracking over a long joined reading. The
// marker's spaces are optional: the glued reading has none.
// "250-AUTH" also glued to the capability before it: PHPMailer's debug output shown as HTML loses its
// line breaks ("…ENHANCEDSTATUSCODES250-AUTH LOGIN XOAUTH2250-8BITMIME…"; blind set 16).
export const MECHANISM_LISTS =
  /(?:\b250[- ]?AUTH\b|\b(?:ENHANCEDSTATUSCODES|PIPELINING|DSN|SIZE\s?\d+)\s?AUTH\b|250[- ]AUTH\b|using\s?mechanisms:|auth\s?methods\s?available\s?on\s?the\s?server:|using\s?the\s?following\s?authenticators:|found\s?extension\s?"AUTH",\s?arg\s?"|\bAUTH=)[ \t]*[A-Z0-9, \t"-]{0,120}/giu;

/**
 * A `port = 587`-style setting, skipping the port of an HTTPS endpoint: urllib3's
 * "HTTPSConnectionPool(host='login.microsoftonline.com', port=443)" is the token service or Graph
 * (blind set 15), not the SMTP port the client was configured with.
 */
function smtpPortSetting(scan: string): RegExpExecArray | null {
  // Several ports named (a firewall rule's 443 beside the mailer's 587): a submission port wins.
  let first: RegExpExecArray | null = null;
  // Also the word in the languages device menus use ("포트 465", "ポート: 587", "Puerto 465").
  for (const m of scan.matchAll(
    /(?:\bport|\bpuerto|\bporta|\bporte|\bpoort|포트|ポート|端口|порт)['"]?\s*[:=]?\s*['"]?(\d{2,4})\b/giu,
  )) {
    const before = scan.slice(Math.max(0, m.index - 90), m.index);
    if (/HTTPSConnectionPool|https:\/\/|login\.microsoftonline\.|graph\.microsoft\.|login\.live\.com/iu.test(before))
      continue;
    if (["587", "465", "25"].includes(m[1]!)) return m;
    first ??= m;
  }
  return first;
}

function detectMechanism(s: string): Extracted["authMechanism"] {
  // The client's own account of the mechanism it chose: Jakarta Mail "DEBUG SMTP: Using mechanism
  // LOGIN", PHPMailer "Auth method selected: LOGIN" / "Auth method requested: CRAM-MD5".
  const chosen =
    /\bUsing mechanism (XOAUTH2|LOGIN|PLAIN|CRAM-MD5|NTLM)\b|\bAuth method (?:selected|requested): (XOAUTH2|LOGIN|PLAIN|CRAM-MD5|NTLM)\b|\bAuthenticator "(XOAUTH2|LOGIN|PLAIN|CRAM-MD5|NTLM)" returned\b/iu.exec(
      s,
    );
  // Symfony Mailer: 'Authenticator "LOGIN" returned "Expected response code 235 …"' names the one that failed.
  if (chosen !== null) return (chosen[1] ?? chosen[2] ?? chosen[3])!.toUpperCase() as Extracted["authMechanism"];
  const cmd = /\bAUTH\s+(XOAUTH2|LOGIN|PLAIN|CRAM-MD5|NTLM)\b(?!\s+(?:XOAUTH2|LOGIN|PLAIN)\b[^\n]*\n?\s*250)/giu;
  let last: string | null = null;
  for (const m of s.matchAll(cmd)) {
    // Skip capability lines ("250-AUTH LOGIN XOAUTH2").
    const before = s.slice(Math.max(0, m.index - 5), m.index);
    if (/250[- ]$/u.test(before)) continue;
    last = m[1]!.toUpperCase();
  }
  if (last !== null) return last as Extracted["authMechanism"];
  if (/auth_plain|authtype\s*:?\s*plain|AUTH PLAIN/iu.test(s)) return "PLAIN";
  // The mechanism as a client is configured with it: nodemailer `authMethod: 'PLAIN'`
  // (lib/smtp-connection), Mailpit/msmtp-style `auth: plain`, Ruby Mail `authentication: :plain`.
  const configured =
    /\b(?:authMethod|auth_?method|authentication|auth_?type|auth)\b['"]?\s*[:=]\s*['":]*\s*(plain|cram[-_]md5|ntlm)\b/iu.exec(
      s,
    )?.[1];
  if (configured !== undefined) return configured.toUpperCase().replace("_", "-") as Extracted["authMechanism"];
  if (/auth_login|AUTH LOGIN/iu.test(s)) return "LOGIN";
  // "OAuth2" named as the remedy or as what the client lacks is not the mechanism in use (twikoo #756).
  if (/xoauth2|SaslMechanismOAuth2/iu.test(withoutOAuthElsewhereSentences(s).replace(MECHANISM_LISTS, " ")))
    return "XOAUTH2";
  if (/oauth2/iu.test(withoutOAuthElsewhere(s).replace(MECHANISM_LISTS, " "))) return "XOAUTH2";
  return null;
}

/**
 * The reporter's comparison "OAuth works, the password login fails" (Thunderbird's OAuth2 against "Normal
 * password"): the failing login is the password one, so OAuth named there is no OAuth login. Also in pt, es, de, fr, it, nl.
 * Also told as the fix: "changed SMTP to OAuth2 and it worked", "did not send until I changed it to OAuth2"
 * (thunderbird/autoconfig #93).
 */
export const OAUTH_WORKS_PASSWORD_FAILS =
  /(?:\b(?:oauth2?|xoauth2|modern auth\w*)|saslmechanismoauth2)\b(?:[^.\n]|\.\b){0,80}\b(?:works?|goes out|go out|goes through|went through|sends? (?:fine|happily|ok|okay)|sends(?= *[.,;]| *$)|succeeds?|is sent|kept working|keeps working|authenticates|(?:is|gets|was) delivered)\b[^\n]{0,160}\n?[^\n]{0,160}?\b(?:normal password|plain password|password|pass\b|basic auth\w*|user ?name (?:and|\+) password|auth login|-credential)\b(?:[^.\n]|\.\b){0,60}\b(?:fails?|failed|stopped(?: working)?|(?:is|was|gets) (?:refused|rejected)|does ?n[o']t (?:work|send)|not working|(?:does|do) ?n[o']t(?= *[.,;]| *$)|\w*exception\b)|\b(?:user ?name\/password|user ?name ?(?:and|\+) ?password|password|basic auth\w*)\b(?:[^.\n]|\.\b){0,80}\b(?:fail\w*|stopped|can ?not authenticate|can't authenticate)\b[^\n]{0,300}?\b(?:oauth2?|xoauth2|modern auth\w*)\b(?:[^.\n]|\.\b){0,100}\b(?:still )?(?:works?|goes out|goes through|went through|sends? (?:fine|happily|ok|okay)|succeeds?|kept working|keeps working)\b|\b(?:senha|contraseña|passwort|kennwort|mot de passe|wachtwoord|password)\b(?:[^.\n]|\.\b){0,80}\b(?:falha|falla|fehl|échec|erreur|errore|mislukt|fout)\w*[^\n]{0,200}?\boauth2?\b(?:[^.\n]|\.\b){0,100}\b(?:funciona|envia normalmente|envía normalmente|funktioniert|fonctionne|funziona|werkt)\b|\boauth2?\b(?:[^.\n]|\.\b){0,100}\b(?:funciona|envia normalmente|envía normalmente|funktioniert|fonctionne|funziona|werkt)\b[^\n]{0,200}?\b(?:senha|contraseña|passwort|kennwort|mot de passe|wachtwoord)\b(?:[^.\n]|\.\b){0,80}\b(?:falha|falla|fehl|échec|erreur|errore|mislukt|fout)\w*|\b(?:chang\w*|switch\w*|set|moved?|migrat\w*)\b(?:[^.\n]|\.\b){0,40}?\bto\s+[`'"“]?(?:x?oauth\s*2?(?:\.0)?|modern auth\w*)\b[`'"”]?(?:[^.\n]|\.\b){0,40}?\b(?:(?:it|this|that|everything|now)\s+)?(?:works?|worked|fixed|solved|resolved|goes through|went through)\b|\b(?:until|unless|till)\s+(?:i|we|you|they)\s+(?:chang\w*|switch\w*|set|moved?)\b(?:[^.\n]|\.\b){0,60}?\bto\s+[`'"“]?(?:x?oauth\s*2?|modern auth\w*)\b/u;

/**
 * OAuth named as the remedy or a wish, not as the login in use: "moved to OAuth for SMTP",
 * "requires OAuth2", "add OAuth support" (hoppscotch #4401, pingvin-share #761, the Outlook.com
 * Basic retirement threads), also OAuth named as what the client lacks ("cannot use OAuth2", Chinese
 * 无法使用OAuth2 / 不支持 / 改为, twikoo #756, SmsForwarder #631). Removed before the generic "OAuth"
 * test; XOAUTH2, tokens and SaslMechanismOAuth2 still count.
 */
export const OAUTH_AS_REMEDY =
  /\b(?:mov(?:e|ed|ing)|switch(?:ed|ing)?|migrat(?:e|ed|ing)|upgrad(?:e|ed|ing)|requir(?:e|es|ed|ing)(?: the use of)?|need(?:s|ed)?|support(?:s|ed|ing)?(?: for)?|add(?:ing)?(?: support for)?|only supports?|in favou?r of|must(?: now| instead)?(?: use| move| switch| migrate)?|ha(?:ve|s) to (?:use|move|switch|migrate)|should (?:use|move|switch|migrate))\s+(?:(?:it|them|this|that|everything)\s+)?(?:(?:to|for|the)\s+)?(?:modern auth(?:entication)?\s*\/\s*)?oauth\s*2?(?:\.0)?\b|\boauth\s*2?(?:\.0)?[\s-]+(?:support|authentication support|is required|required|unterstützung|-?unterstützung)\b|\boauth\s*2?(?:\.0)?\b(?:[^.\n]|\.\b){0,80}\b(?:nicht unterstützt|not supported|ne supporte pas|no soporta|não suporta|non supporta)\b|\boauth\s*2?(?:\.0)?\s+(?:unterstützt|supported|pris en charge|soportado|suportado|supportato)\s+(?:wäre|würde|would be|were|werden|serait|sería|seria|sarebbe)\b|\boauth\s*2?(?:\.0)?[- ](?:capable|compatible|enabled|ready|aware)\b|\b(?:can ?not|can't|unable to|does ?n[o']t|do ?n[o']t|no)\s+(?:use\s+|support\s+|do\s+)?oauth\s*2?(?:\.0)?\b|\b(?:none of them|neither of them|nothing here) can (?:do|use|support) oauth\s*2?\b|(?:无法|不能|不支持|需要|改为|更改为|換成|换成|切换到|迁移到)\s*(?:使用\s*)?oauth\s*2?(?:\.0)?|\b(?:passare|passer|migrer|cambiar|pasar|migrar|mudar|umstellen|wechseln|overstappen|przejść|byta)\s+(?:a|à|vers|para|auf|zu|op|na|till)\s+(?:l'|el |la |o |den )?oauth\s*2?(?:\.0)?|\boauth\s*2?(?:\.0)?\s+(?:neumí|nepodporuje|nicht|non|no|não|niet|nie|inte|не|desteklemiyor)(?![a-z])|oauth\s*2?\s*(?:를 지원하지|に対応していない|非対応|をサポートしていない)|\b(?:kann|unterstützt)\s+(?:kein(?:e|en)?\s+)?oauth|\bne (?:supporte|gère) pas (?:l')?oauth|\b(?:solo|only|nur|seulement|solamente|apenas|alleen|tylko)\b(?:[^.\n]|\.\b){0,40}\b(?:non|nicht|pas|no|não|niet|nie|not)\s+(?:l'|el |la |o |den |de )?oauth|\bno (?:soporta|admite) oauth|\b(?:nie ma|brak|hat keine?n?|keine?n?|n'a pas d'|no tiene|não tem|non ha|heeft geen|har ingen|nessuna|ninguna|nenhuma|aucune|sin|sem|senza)\s+(?:(?:l'|la |de |d')?(?:opcji|opcja|option|opción|opção|opzione|optie|möglichkeit|funkcji)\s+)?(?:de\s+|d'|für\s+|dla\s+)?oauth|\bnão suporta oauth|\bnon supporta oauth|\bondersteunt geen oauth|\bnie obsługuje oauth|\bstöder inte oauth|не поддерживает oauth|\bauf oauth\s*2?(?:\.0)?\s+(?:umstellen|umzustellen|umgestellt|umsteigen|wechseln|migrieren)\b|支持\s*oauth\s*2?(?:\.0)?\s*的|\b(?:migração|migration|migración|migrazione|migratie|umstellung|passage|transition|move|switch|mudança|cambio) (?:para|to|a|al|auf|vers|naar|à|zu) (?:o |el |l['’]|den |the )?(?:modern auth\w* ?\/ ?)?oauth\s*2?(?:\.0)?\b/giu;

/**
 * A sentence naming OAuth as a plan, an option a product has, advice read somewhere, or what other
 * apps use, not as the failing login (blind set 15: "I read OAuth is better but our Kyocera model has
 * no OAuth option", "QuickBooks has an Outlook/OAuth option in the newer release", "the vendor says the
 * new version supports OAuth2", "all the OAuth apps keep working", "we'll do the M365 OAuth option later").
 */
const OAUTH_ELSEWHERE =
  /^\s*(?:[-*•]\s*)?(?:use|switch to|move to|migrate to|consider|try)\s+(?:the\s+)?(?:modern auth\S*\s+|microsoft 365\s+)?oauth|\b(?:either|or)\b[^\n]{0,60}\b(?:switch|move|change|migrate|use)\b[^\n]{0,60}\boauth|\bplease (?:move|switch|migrate|use|change)\b[^\n]{0,60}\boauth|\b(?:plan(?:s|ned|ning)?|going to|gonna|will|we'll|later|eventually|next (?:week|month|quarter|year)|some ?day|maybe|perhaps|should|want(?:s|ed)?(?: us)? to|would (?:like|prefer)|consider(?:ing)?|thinking (?:about|of)|is better|are better|more secure|recommend(?:s|ed)?|i read|read that|heard|skimmed|guide|article|newer|new (?:release|version|firmware|model)|latest (?:release|version|firmware)|(?:next|future|upcoming|coming) (?:release|version|update)|nächste[nmr]? (?:release|version|update)|künftige[nmr]? version|prochaine version|próxima (?:versión|versão)|prossima versione|volgende versie|has an?|have an?|offers?|comes with|other|another|all (?:the|our)|the rest|still (?:fine|work)|keep(?:s)? working|to force|nuova versione|neue(?:n|re)? version|nouvelle version|nueva versión|nova versão|supporta oauth|unterstützt oauth|soporta oauth|suporta oauth|prend en charge oauth|(?:no|without|kein(?:e|en)?|ohne|sans|sin|sem|senza|geen|bez)\s+oauth|pas d'oauth|can(?:'t|not) (?:do|use) oauth|does(?:n't| not) support oauth|no way to (?:do|use) oauth)\b|\b(?:still|keeps?|continues? to)\s+(?:sends?|sending|works?|working|goes? through|going through)\b|\bwithout (?:any )?(?:issues?|problems?|errors?)\b|\bworks? fine\b|\bwhile (?:it|we|they|the|our|my|i)\b[^.\n]{0,40}\b(?:sorts? out|sets? up|rolls? out|works? on|finish\w*|migrat\w*|implement\w*|moves?)\b|\b(?:enquanto|mientras|während|pendant que|mentre|terwijl|medan|dopóki)\b(?! tanto\b)[^.\n]{0,20}\b(?:não|no|nicht|noch|pas|non|niet|inte|nie)\b/iu;

/**
 * OAuth for receiving ("IMAP is set to OAuth2 and I got the Microsoft login window"): a mail client signs in to
 * IMAP and SMTP apart, so it says nothing of the SMTP login.
 */
export const OAUTH_FOR_RECEIVING =
  /^(?![^]*\b(?:smtp|outgoing|sending|send)\b)[^]*\b(?:imap|pop3?|receiving|incoming)\b/iu;

/** The sentences naming OAuth that `blank` says are not about the failing login, blanked. */
function withoutOAuthSentences(r: string, blank: (sentence: string) => boolean): string {
  return r.replace(/[^.!?\n]{0,300}(?:\b|x)oauth[^.!?\n]{0,300}/giu, (sentence) => (blank(sentence) ? " " : sentence));
}

/** The sentences that name OAuth only for receiving ({@link OAUTH_FOR_RECEIVING}), blanked. */
export function withoutOAuthForReceiving(r: string): string {
  return withoutOAuthSentences(r, (sentence) => OAUTH_FOR_RECEIVING.test(sentence));
}

/** The sentences that name OAuth for another system, a plan or an option, blanked. */
function withoutOAuthElsewhereSentences(r: string): string {
  return withoutOAuthSentences(r, (sentence) => OAUTH_ELSEWHERE.test(sentence) || OAUTH_FOR_RECEIVING.test(sentence));
}

function withoutOAuthElsewhere(r: string): string {
  // Each expression below names OAuth; without the word none is compiled (a diagnosis's start-up).
  if (!/oauth/iu.test(r)) return r;
  return withoutOAuthElsewhereSentences(
    r.replace(OAUTH_AS_REMEDY, " ").replace(/[^.?!\n]{0,300}\boauth\s*2?\b[^.?!\n]{0,300}?[?？]/giu, " "),
  );
}

/** OAuth tokens, mechanisms and flows: never a remedy sentence. */
// Also the OAuth proxies whose upstream AUTH is always XOAUTH2 (email-oauth2-proxy's emailproxy.py and
// sasl-xoauth2: their READMEs; email-oauth2-proxy #297, a 535 5.7.3 through the proxy that was the token's
// client id). And a token the reporter says is valid, renewed or expired: only OAuth logins carry one
// (ioBroker.email #398, a 535 5.7.3 with "token is valid until …", fixed by using fresh tokens; batch 25).
const OAUTH_STRONG =
  /XOAUTH2|SaslMechanismOAuth2|client_credentials|AcquireTokenForClient|auth=Bearer|Bearer [A-Za-z0-9._-]{10,}|SMTP\.SendAsApp|oauth2_flow|emailproxy\.py|email-?oauth2-proxy|Email OAuth 2\.0 Proxy|sasl-xoauth2|\btoken (?:is|was) (?:still )?(?:valid|expired|refreshed|renewed)\b|\b(?:renewal|refresh) of the (?:access )?token\b|\b(?:expired|stale|cached) access token\b|\baccess token (?:has )?expired\b/iu;

/**
 * Symfony Mailer tries every authenticator in turn and reports each ('Authenticator "LOGIN" returned …
 * Authenticator "XOAUTH2" returned …'): with a password-based one tried first, its XOAUTH2 attempt
 * is the fallback with the same password, not an OAuth login.
 */
function withoutSymfonyFallback(r: string): string {
  return /Authenticator\s?"(?:LOGIN|PLAIN|CRAM-MD5)"\s?returned/iu.test(r)
    ? r.replace(/Authenticator\s?"XOAUTH2"\s?returned/giu, " ")
    : r;
}

/**
 * Exchange's own reply names a refusal only a Basic (password) login gets — "user is locked by your
 * organization's security defaults policy", "basic authentication is disabled" — and no AUTH XOAUTH2 was
 * sent: the failing login is Basic, whatever OAuth the text also mentions (blind set 21).
 */
function basicOnlyReply(replies: readonly Reply[], scan: string): boolean {
  return (
    replies.some((r) => /security defaults|basic authentication is disabled/iu.test(r.text)) &&
    !/\bAUTH\s+XOAUTH2\b(?!\s+(?:LOGIN|PLAIN)\b)/u.test(scan.replace(MECHANISM_LISTS, " "))
  );
}

function detectOAuth(readings: readonly string[], mech: Extracted["authMechanism"]): boolean {
  if (
    mech === "XOAUTH2" ||
    // In the joined reading (the last): a log column can cut a token ("AcquireTokenFo|rClient") or leave
    // XOAUTH2 alone on a line after its mechanism list; joined, both read whole.
    // Not in a sentence that puts it on another system that keeps working ("our Jira, which moved to XOAUTH2,
    // still sends").
    OAUTH_STRONG.test(
      withoutOAuthElsewhereSentences(withoutSymfonyFallback(readings.at(-1)!)).replace(MECHANISM_LISTS, " "),
    )
  )
    return true;
  // The bare word "OAuth" counts only when it is still there once the remedies are removed from every
  // reading: a log or UI that wraps at a fixed column can cut the verb itself ("… and mo⏎ve to oauth for
  // smtp login", hoppscotch #4401 wrapped at 40 columns), which only the joined reading puts back.
  // A question naming it ("OAuth on this Brother?", "Could we use OAuth2?") is a wish, not the login in use.
  // Bounded spans: the question test must stay linear on a long line without punctuation.
  return readings.every((r) => /\bOAuth\s*2?\b/iu.test(r) && /\bOAuth\s*2?\b/iu.test(withoutOAuthElsewhere(r)));
}

function detectStage(s: string, replies: Reply[]): Stage {
  // Explicit command markers from wrappers.
  const cmd = /command:\s*['"]?(AUTH [A-Z0-9-]+|CONN|MAIL FROM|RCPT TO|DATA|STARTTLS|EHLO|API)['"]?/u.exec(s)?.[1];
  if (cmd !== undefined) {
    if (cmd.startsWith("AUTH")) return "auth";
    if (cmd === "CONN") return "connect";
    if (cmd === "MAIL FROM") return "mail";
    if (cmd === "RCPT TO") return "rcpt";
    if (cmd === "DATA" || cmd === "API") return "data";
    if (cmd === "STARTTLS") return "starttls";
  }
  if (
    /Invalid login|AuthenticationException|AuthenticationFailedException|SMTPAuthenticationError|Password command failed|Password not accepted|AUTH command failed|AUTH LOGIN failed|SASL authentication failed|Net::SMTPAuthenticationError|failed to authenticate|in response to AUTH/iu.test(
      s,
    )
  )
    return "auth";
  if (
    /SMTPSenderRefused|MAIL FROM command failed|during MAIL FROM|Mail command failed|client was not authenticated/iu.test(
      s,
    )
  )
    return "mail";
  if (/SMTPRecipientsRefused|RCPT TO command failed|Recipient command failed/iu.test(s)) return "rcpt";
  if (
    /SMTPDataError|Message failed|SMTPSendFailedException|DATA command failed|STOREDRV\.Submission|Transaction failed/iu.test(
      s,
    )
  )
    return "data";
  if (/STARTTLS command failed/iu.test(s)) return "starttls";
  if (
    /ETIMEDOUT|ECONNREFUSED|Greeting never received|Connection timeout|Timed Out|ssl3_get_record|wrong version number|first record does not look like a TLS handshake|common algorithm/iu.test(
      s,
    )
  )
    return "connect";
  // Transcript: the last client command before the first error reply.
  const firstError = replies[0];
  if (firstError !== undefined) {
    const at = s.indexOf(firstError.text.slice(0, 30));
    const before = at > 0 ? s.slice(0, at) : s;
    const cmds = [
      ...before.matchAll(
        /(?:C:|CLIENT -> SERVER:|-->\s*b?['"]?|Tx ')\s*(AUTH|MAIL FROM|RCPT TO|DATA|STARTTLS|EHLO)\b/giu,
      ),
    ];
    const lastCmd = cmds[cmds.length - 1]?.[1]?.toUpperCase();
    if (lastCmd === "AUTH") return "auth";
    if (lastCmd === "MAIL FROM") return "mail";
    if (lastCmd === "RCPT TO") return "rcpt";
    if (lastCmd === "DATA") return "data";
    if (lastCmd === "STARTTLS") return "starttls";
  }
  return "unknown";
}

/**
 * Extract replies and hints from pasted text. Never throws.
 */
export function extract(text: string): Extracted {
  const norm = normalise(text);
  const normalized = norm.text;
  const replies = findReplies(normalized);
  // .NET drops the basic code and says it in words ("Mailbox unavailable." = 550): put it back.
  const wrapperCode = dotnetWrapperCode(normalized);
  if (wrapperCode !== null) for (const r of replies) if (r.code === null && !r.echoed) r.code = wrapperCode;
  // Hints are read from the text, from a copy with hard-wrap breaks removed, so a token split by
  // a log column ("client_cred\nentials", a wrapped diagnostic suffix) is still seen, and from the
  // one-line copy, so words wrapped at their boundary ("Timed\nOut") still read as words.
  const scan = `${normalized}\n${norm.joined}\n${norm.flat}`;
  const suffix = SUFFIX_RE.exec(scan);
  const hostName =
    /\b(smtp\.office365\.com|smtp-mail\.outlook\.com|smtp\.live\.com|smtp-legacy\.office365\.com|outlook\.office365\.com|smtp\.partner\.outlook\.cn|smtp\.office365\.us|[a-z0-9-]{1,63}\.mail\.protection\.outlook\.com|smtp\.azurecomm\.net)\b/iu.exec(
      scan,
    )?.[1] ?? null;
  const hostPorts = [
    ...scan.matchAll(
      /(?:smtp[\w.-]{0,253}\.(?:com|cn|us|net)|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?:\[[\d.]{7,15}\])?:(\d{2,4})\b/gu,
    ),
  ];
  // The reporter's own test ("openssl s_client -starttls smtp -connect smtp.office365.com:587 answers") is not
  // the port the failing client uses: a port setting beside it ("port: 465") is.
  const isTest = (m: RegExpExecArray): boolean => /-connect\s+$/u.test(scan.slice(Math.max(0, m.index - 12), m.index));
  const portMatch = hostPorts.find((m) => !isTest(m)) ?? smtpPortSetting(scan) ?? hostPorts[0] ?? null;
  const mech = detectMechanism(scan);
  const addresses = [
    ...new Set(
      [...normalized.matchAll(/\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}\b/gu)].map((m) => m[0]),
    ),
  ].filter((a) => !/^(?:git@|noreply@github)/iu.test(a));
  let tlsError: Extracted["tlsError"] = null;
  if (/wrong version number|WRONG_VERSION_NUMBER/iu.test(scan)) tlsError = "wrong-version-number";
  else if (
    /do not possess a common algorithm|SEC_E_ALGORITHM_MISMATCH|no protocols available|unsupported protocol|tlsv1 alert protocol version/iu.test(
      normalized,
    )
  )
    tlsError = "no-common-algorithm";
  else if (/first record does not look like a TLS handshake/iu.test(scan)) tlsError = "not-tls-handshake";
  else if (
    /SSLHandshakeException|handshake failed|SSL or TLS connection|(?:ssl|tls) negotiation (?:failed|error)/iu.test(scan)
  )
    tlsError = "handshake-failed";
  const net =
    /\b(ETIMEDOUT|ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ENETUNREACH)\b/iu.exec(scan)?.[1]?.toUpperCase() ??
    (/Connection reset by peer|ConnectionResetError/iu.test(scan) ? "ECONNRESET" : null) ??
    // Also Python requests/urllib3's ConnectTimeout (ConnectTimeoutError) and Java's SocketTimeoutException.
    (/Connection timeout|Greeting never received|Timed Out|timed out|Operation timed out|\bConnectTimeout(?:Error)?\b|\bSocketTimeoutException\b/iu.test(
      scan,
    )
      ? "timeout"
      : null);
  const ehloBlocks = scan.split(/\n(?=[^\n]*\b220\b)/u);
  const authNotOffered =
    /250[- ]STARTTLS/iu.test(scan) &&
    !/250[- ]AUTH\b/iu.test(scan) &&
    !/220 2\.0\.0 SMTP server ready/iu.test(scan) &&
    ehloBlocks.length > 0;
  return {
    replies,
    codes: [...new Set(replies.map((r) => r.code).filter((c): c is number => c !== null))],
    enhancedCodes: [...new Set(replies.map((r) => r.enhanced).filter((c): c is string => c !== null))],
    stage: detectStage(normalized, replies),
    authMechanism: mech,
    oauth:
      detectOAuth([normalized, norm.joined], mech) &&
      !basicOnlyReply(replies, scan) &&
      // Unless the transcript shows the XOAUTH2 command itself failing.
      !(OAUTH_WORKS_PASSWORD_FAILS.test(norm.flat.toLowerCase()) && !/\bAUTH XOAUTH2\b/iu.test(norm.flat)),
    serverId: suffix?.[1] ?? /Hostname=([A-Z0-9.]+\.(?:outlook\.com|outlook\.cn))/iu.exec(scan)?.[1] ?? null,
    timestamp: suffix?.[2] ?? null,
    requestId: suffix?.[3] ?? /\[([0-9A-F]{16})\]/u.exec(scan)?.[1] ?? null,
    host: hostName === null ? null : hostName.toLowerCase(),
    port: portMatch?.[1] !== undefined ? Number(portMatch[1]) : null,
    client: detectClient(scan),
    tlsError,
    networkError: net,
    tlsStarted:
      /STARTTLS[\s\S]{0,400}220 2\.0\.0 SMTP server ready|Connection upgraded with STARTTLS|Successfully negotiated SMTP STARTTLS|250[- ]AUTH\b|s_client\b[^\n]*-starttls\s+smtp/iu.test(
        scan,
      ),
    authNotOffered,
    consumerAccount:
      addresses.some((a) => CONSUMER_DOMAIN.test(a)) ||
      /smtp-mail\.outlook\.com|smtp\.live\.com|\bhotmail\b|outlook\.com personal|personal (?:Microsoft |outlook )?account|(?:^|[\s(])@(?:outlook|hotmail|live)\.[a-z.]+\b|\b(?:personal|pessoal|persönliche?s?|privat(?:e|es)?|personnel(?:le)?|personale)\b[^.\n]{0,30}\b(?:outlook\.com|hotmail|live\.com)\b/iu.test(
        scan,
      ),
    addresses,
    normalized,
    norm,
  };
}
