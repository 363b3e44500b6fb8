/**
 * Meaning-preserving transforms of a pasted error, for the metamorphic tests: each returns the
 * text as another UI, log or client would have shown it, or null when it does not apply.
 */
import { REASONS } from "../../cli/doctor/rules.ts";

export type Transform = (text: string) => string | null;

const wrapAt = (text: string, cols: number): string =>
  text
    .split("\n")
    .map((line) => line.match(new RegExp(`.{1,${cols}}`, "gu"))?.join("\n") ?? line)
    .join("\n");

const LANGS = [
  {
    name: "de",
    pick: (list: readonly string[]) =>
      list.find((p) => /[äöüß]|ist |deaktiviert|sicherheits|kriterien|verweigert|falsch/u.test(p)),
  },
  {
    name: "fr",
    pick: (list: readonly string[]) => list.find((p) => /[éèà]|critères|désactiv|par défaut|envoyer/u.test(p)),
  },
];

/**
 * The first line of the text that is a server reply ("535 5.7.139 …") rewritten by `wrap`, as a
 * client library would report it; null when the text has no such line or `wrap` declines.
 */
const wrapReply =
  (wrap: (code: number, rest: string) => string | null) =>
  (t: string): string | null => {
    const lines = t.split("\n");
    const i = lines.findIndex((l) => /^\s*[45]\d\d[ -]\d\.\d+\.\d+ \S/u.test(l));
    if (i < 0) return null;
    const m = /^\s*([45]\d\d)[ -](.*)$/u.exec(lines[i]!)!;
    const wrapped = wrap(Number(m[1]), m[2]!.trim());
    if (wrapped === null) return null;
    lines[i] = wrapped;
    return lines.join("\n");
  };
// Replies a client gets to its AUTH command, which the libraries report as a failed login.
const AUTH_STAGE = new Set([535, 534, 504, 454]);

/** The transforms, by name. */
export const TRANSFORMS: Readonly<Record<string, Transform>> = {
  // Red herrings (blind set 4's lesson): what posters add that is not the cause must not move it.
  "red herring: guesses appended": (t) =>
    `${t}\n\nCould it be the firewall? Or maybe TLS? I think it might be the printer.`,
  "red herring: an earlier error, fixed": (t) =>
    `Last month we had "421 4.3.2 Service not available" - fixed that by restarting the proxy.\nNow we get this:\n${t}`,
  "red herring: a signature": (t) =>
    `${t}\n\n--\nJane Doe | IT Support | Contoso Ltd | +44 20 7946 0000\nThis e-mail and any attachments are confidential. If you received it in error, please delete it.`,
  "red herring: the article quoted": (t) =>
    `I read Microsoft's article "Enable SMTP authentication and troubleshooting" (it says to turn off security defaults, enable SMTP AUTH for the mailbox and disable per-user MFA) but wanted to ask first.\n${t}`,
  "double spaces": (t) => t.replaceAll(" ", "  "),
  "non-breaking spaces": (t) => t.replaceAll(" ", "\u00a0"),
  "hard wrap at 40 columns": (t) => wrapAt(t, 40),
  "upper case": (t) => t.toUpperCase(),
  "lower case": (t) => t.toLowerCase(),
  "HTML-escaped": (t) =>
    t
      .replaceAll("&", "&amp;")
      .replaceAll("<", "&lt;")
      .replaceAll(">", "&gt;")
      .replaceAll('"', "&quot;")
      .replaceAll("'", "&#39;"),
  "JSON-quoted": (t) => JSON.stringify({ error: t }),
  "log prefix": (t) =>
    t
      .split("\n")
      .map((l) => `2026-11-30T09:41:07.512Z ERROR [mailer] ${l}`)
      .join("\n"),
  "markdown fence": (t) => `Here is the error:\n\n\`\`\`text\n${t}\n\`\`\`\n`,
  ".NET Mailbox unavailable wrapper": (t) =>
    /^\s*\d{3}[ -]\d\.\d+\.\d+ /u.test(t) && !t.includes("\n")
      ? `System.Net.Mail.SmtpException: Mailbox unavailable. The server response was: ${t.replace(/^\s*\d{3}[ -]/u, "")}`
      : null,
  "Python bytes split over lines": (t) => {
    const m = /^\s*(\d{3})[ -](\d\.\d+\.\d+ .{20,})$/u.exec(t);
    if (m === null) return null;
    const body = m[2]!.replaceAll("'", "\\'");
    const cut = body.lastIndexOf(" ", Math.floor(body.length / 2)) + 1;
    return `smtplib.SMTPAuthenticationError: (${m[1]}, b'${body.slice(0, cut)}'\n    b'${body.slice(cut)}')`;
  },
  "multi-line reply (535-…)": (t) => {
    const m = /^\s*([45]\d\d) (\d\.\d+\.\d+) (\S.*\s\S.*)$/u.exec(t);
    if (m === null || t.includes("\n")) return null;
    const words = m[3]!.split(" ");
    const half = Math.ceil(words.length / 2);
    return `${m[1]}-${m[2]} ${words.slice(0, half).join(" ")}\n${m[1]} ${m[2]} ${words.slice(half).join(" ")}`;
  },
  "smart quotes": (t) => t.replaceAll("'", "\u2019").replace(/"([^"\n]*)"/gu, "\u201c$1\u201d"),
  tabs: (t) => t.replaceAll(" ", "\t"),
  // Someone retyping a reply from a device's screen: the code's dots as spaces, and one letter dropped from the
  // middle of each long plain word of the reply ("criteria" → "critria"). Words in camel case or with
  // digits (SmtpClientAuthentication, host names) are copied, not retyped.
  "retyped from a screen": (t) => {
    const lines = t.split("\n");
    const i = lines.findIndex((l) => /(?<![\w.])[45]\d\d[ -]\d\.\d+\.\d+ \S/u.test(l));
    if (i < 0) return null;
    const line = lines[i]!;
    const at = line.search(/(?<![\w.])[45]\d\d[ -]\d\.\d+\.\d+ \S/u);
    // The reply runs to the end of the line, or to the quote or bracket a wrapper closes it with.
    const end = line.slice(at).search(/["'[\]]|$/u) + at;
    const reply = line
      .slice(at, end)
      .replace(/^([45]\d\d[ -])(\d)\.(\d+)\.(\d+)/u, "$1$2 $3 $4")
      .replace(
        /(?<![\w./@-])\p{Ll}{8,}(?![\w./@-])/gu,
        (w) => w.slice(0, w.length >> 1) + w.slice((w.length >> 1) + 1),
      );
    lines[i] = line.slice(0, at) + reply + line.slice(end);
    return lines.join("\n");
  },

  "CRLF, wrapped at 76": (t) => wrapAt(t, 76).replaceAll("\n", "\r\n"),
  "HTML line breaks": (t) => `<p>${wrapAt(t, 50).replaceAll("\n", "<br/>")}</p>`,
  // A web form or chat that drops line breaks: a log, a settings page or a cmdlet's answer on one line.
  "line breaks lost": (t) => (t.includes("\n") ? t.replace(/\r?\n/gu, " ") : null),
  "JSON in JSON": (t) => JSON.stringify(JSON.stringify({ response: t })),
  "UI wrapper (vi)": (t) => `Lỗi gửi thư: ${t}`,
  "UI wrapper (ja)": (t) => `メール送信エラー: ${t}`,
  "UI wrapper (zh)": (t) => `邮件发送失败：${t}`,
  "postfix log": (t) =>
    /^\s*[45]\d\d[ -]\d\.\d+\.\d+ /u.test(t) && !t.includes("\n")
      ? `Nov 30 09:41:07 nas01 postfix/smtp[1234]: 1A2B3C4D: SASL authentication failed; server smtp.office365.com[52.96.1.1] said: ${t}`
      : null,
  // How each client library reports a server reply, from the libraries' own source.
  // nodemailer lib/smtp-connection _actionAUTHComplete: "Invalid login: " + the reply, code EAUTH.
  "nodemailer EAUTH": wrapReply((code, rest) => {
    if (!AUTH_STAGE.has(code)) return null;
    return `Error: Invalid login: ${code} ${rest}\n    at SMTPConnection._formatError (/app/node_modules/nodemailer/lib/smtp-connection/index.js:809:19) {\n  code: 'EAUTH',\n  response: '${code} ${rest.replaceAll("'", "\\'")}',\n  responseCode: ${code},\n  command: 'AUTH LOGIN'\n}`;
  }),
  // Jakarta/Java Mail SMTPTransport: AuthenticationFailedException at AUTH, SMTPSendFailedException after.
  "Jakarta Mail": wrapReply((code, rest) => {
    const cls = AUTH_STAGE.has(code)
      ? "jakarta.mail.AuthenticationFailedException"
      : "org.eclipse.angus.mail.smtp.SMTPSendFailedException";
    return `${cls}: ${code} ${rest}\n\n\tat org.eclipse.angus.mail.smtp.SMTPTransport$Authenticator.authenticate(SMTPTransport.java:954)`;
  }),
  // MailKit SmtpClient.Authenticate: AuthenticationException("{code}: {text}").
  "MailKit AuthenticationException": wrapReply((code, rest) => {
    if (code !== 535) return null;
    return `MailKit.Security.AuthenticationException: ${code}: ${rest}\n   at MailKit.Net.Smtp.SmtpClient.AuthenticateAsync(Encoding encoding, ICredentials credentials, Boolean doAsync, CancellationToken cancellationToken)`;
  }),
  // Ruby net-smtp: SMTPAuthenticationError for AUTH replies, SMTPFatalError for other 5xx, SMTPServerBusy for 4xx.
  "Ruby Net::SMTP": wrapReply((code, rest) => {
    const cls = AUTH_STAGE.has(code)
      ? "Net::SMTPAuthenticationError"
      : code >= 500
        ? "Net::SMTPFatalError"
        : "Net::SMTPServerBusy";
    return `${cls} (${code} ${rest}\n)`;
  }),
  // PHPMailer with SMTPDebug 2: the server line, then its own sentence (phpmailer.lang-en.php 'authenticate').
  "PHPMailer debug": wrapReply((code, rest) => {
    if (!AUTH_STAGE.has(code)) return null;
    return `2026-11-30 09:41:07 SERVER -> CLIENT: ${code} ${rest}\n2026-11-30 09:41:07 SMTP ERROR: Password command failed: ${code} ${rest}\nSMTP Error: Could not authenticate.`;
  }),
  ...Object.fromEntries(
    LANGS.map(({ name, pick }) => [
      `reason translated (${name})`,
      (t: string): string | null => {
        let out = t;
        let changed = false;
        for (const list of Object.values(REASONS)) {
          const target = pick(list);
          const english = list[0];
          const at = out.toLowerCase().indexOf(english);
          if (target === undefined || at < 0) continue;
          out = out.slice(0, at) + target + out.slice(at + english.length);
          changed = true;
        }
        return changed ? out : null;
      },
    ]),
  ),
};
