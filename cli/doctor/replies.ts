/**
 * Exchange Online's reply phrases and what the transcript shows (issue 14 item 4): phrases are
 * evidence that survives truncation and wrapping (Evidence.phrase), in the languages Exchange and
 * its admin surfaces answer in; the mechanism rules take the OAuth-applicable gates from the gates
 * module (gate-causes.ts).
 */
import { LOCK_DENIED, SECURITY_DEFAULTS_OFF } from "./user-words.ts";
import { BASIC_ONLY_CAUSES, OAUTH_ONLY_CAUSES } from "./gate-causes.ts";
import { REASONS } from "./reasons.ts";
import { anyPhrase, echoesAuthError, inReply, type Rule, type Weights } from "./rule-kit.ts";
import type { Evidence } from "./evidence.ts";

export { REASONS };

// "SmtpClientAuthentication is disabled for the " (whitespace removed) is shared by the Tenant and
// Mailbox replies: a prefix must reach past it to say which.
const PAST_SHARED_START = "smtpclientauthenticationisdisabledforthe".length + 1;

const OAUTH_GATE_WEIGHTS: Weights = Object.fromEntries([
  ...BASIC_ONLY_CAUSES.map((c) => [c, -2.5] as const),
  ...OAUTH_ONLY_CAUSES.map((c) => [c, 1.5] as const),
]);

// Outlook.com personal accounts: Basic auth off from 16 September 2024. After that date the reply is
// mostly the personal-account retirement even when the text does not show the account type
// (nodemailer #1714, twikoo #840).
const CONSUMER_BASIC_OFF = Date.UTC(2024, 8, 16);
// Work tenants: Basic SMTP AUTH off by default for existing tenants from the end of December 2026, unavailable by
// default for tenants created after it (Exchange Team blog, 27/29 January 2026, MC786329).
const TENANT_BASIC_OFF = Date.UTC(2027, 0, 1);
/**
 * A date in January 2027 or later as reporters write it ("since 4 January 2027", "this is January 2027", "2027-01-06"),
 * or in December 2026, the month Microsoft named for the default-off ("mid-December 2026", "2026 年 12 月中旬").
 */
const REPORTED_AFTER_DEFAULT_OFF =
  /\b2027-(?:0[1-9]|1[0-2])-[0-3]\d\b|(?<!\p{L})(?:jan(?:uary|\.)?|januar|janvier|enero|janeiro|gennaio|januari|stycznia|styczeń|января|январь|ocak|leden|ledna)(?!\p{L})[^.\n]{0,16}\b2027\b|\b2027\b[^.\n]{0,6}(?:年\s*1\s*月|1月)|\b(?:new year|neujahr|nouvel an|año nuevo|ano novo|capodanno|nieuwjaar)\b[^.\n]{0,24}\b2027\b|(?<!\p{L})(?:dec(?:ember|\.)?|dezember|décembre|diciembre|dezembro|dicembre|grudnia|grudzień|декабря|aralık)(?!\p{L})[^.\n]{0,6}\b2026\b|\b2026\s*年\s*12\s*月/u;

/** Exchange's and Entra's wording of a locked account, in the languages it is seen in. */
/** The send-as reasons but the bare localised verbs ("enviar como", "invia come"), which prose uses too. */
const SEND_AS_STRONG = REASONS.sendAs.filter(
  (p) => !["envoyer en tant que", "enviar como", "invia come", "verzenden als"].includes(p),
);
/** The permission's name as the admin centre labels it, quoted: « Envoyer en tant que », "Invia come". */
const SEND_AS_LABEL = /["“„«]\s?(?:envoyer en tant que|enviar como|invia come|verzenden als)\s?["”»]/u;
/** A refusal named beside a bare "send as" verb. */
const SEND_AS_REFUSED =
  /\b(?:denied|not allowed|verweigert|refusée?|refus|denegad[oa]|no permitid[oa]|negad[oa]|não permitid[oa]|negat[oa]|non consentit[oa]|geweigerd|niet toegestaan)\b/u;

/** "account locked/disabled or unreachable", "account locked or disabled": the lock as one of several possibilities. */
const LOCK_AMONG_ALTERNATIVES = /\baccount (?:is |may be |might be )?locked\s*(?:\/|\bor\b)\s*\p{L}+/u;
const LOCK_AMONG_ALTERNATIVES_G = new RegExp(LOCK_AMONG_ALTERNATIVES.source, "gu");

const ACCOUNT_LOCKED_PHRASES = [
  "account locked",
  "account is locked",
  "aadsts50053",
  "konto ist gesperrt",
  "compte verrouillé",
  "cuenta bloqueada",
  "conta bloqueada",
];

/** Exchange's own security-defaults reason, decisive without a code (and cut off after "organi…"). */
const SECURITY_DEFAULTS_REPLY = anyPhrase(
  [
    "locked by your organization's security defaults",
    "locked by your organisation's security defaults",
    "user is locked by your organi",
  ],
  12,
);

/**
 * Entra sign-in error codes in the text: "AADSTS50126", and the same number as the sign-in log shows it
 * ("Sign-in error code: 50126", "errorCode": 50126, the localised labels of the portal's column).
 */
const ENTRA_CODE =
  /\baadsts(\d{5,7})\b|(?:sign-?in logs?|anmeldeprotokoll\S*|dziennik logowań|journal des connexions|registros? de inicio de sesión|log(?:s)? de entrada)(?:[^.\n]|\.\b){0,120}?(?<![\d.])(\d{5,7})\b|\b(?:error|erreur|fehler|errore|erro|fout|fel)\s+(?:code\s+)?(?:es|is|was|ist|est|é|è|era|war|=|:)\s+(\d{5,7})\b|\bkod\s+(\d{5,7})\b|(?:קוד שגיאה|رمز الخطأ|κωδικός σφάλματος|mã lỗi|kode kesalahan|hibakód|cod de eroare|chybový kód|код помилки)\s*:?\s*(\d{5,7})\b|(?:sign-?in error code|error ?code|fehlercode|code d'erreur|código de error|código de erro|código do erro|codice (?:di )?errore|foutcode|felkod|fejlkode|feilkode|virhekoodi|kod błędu|kód chyby|код ошибки|hata kodu|오류 코드|エラー ?コード|错误代码|錯誤碼)(?:[ \t]+(?!\d)[\p{L}'-]+){0,4}?["'\s]*[:=]?\s*["']?(\d{5,7})\b/gu;

function hasEntraCode(ev: Evidence, codes: readonly string[]): boolean {
  for (const m of ev.words.matchAll(ENTRA_CODE)) {
    const code = m.slice(1).find((g) => g !== undefined)!;
    if (!codes.includes(code)) continue;
    // A code said absent ("the password is accepted (no 50126, no 50076)") is no code.
    const at = m.index + m[0].lastIndexOf(code);
    if (
      /\b(?:no|not|nor|without|never|kein\w*|sin|sans|sem|senza|geen)\s+(?:aadsts)?$/u.test(
        ev.words.slice(Math.max(0, at - 16), at),
      )
    )
      continue;
    return true;
  }
  return false;
}

/**
 * A reason's short form ("disabled for the mailbox"), which survives a cut-off reply, counted only in a
 * reply or a stated sentence: in a guess ("could be … SMTP AUTH disabled for the mailbox, a wrong
 * password …") it is a hypothesis.
 */
const statedShortReason =
  (phrase: string) =>
  (ev: Evidence): number =>
    new RegExp(phrase.replaceAll(" ", String.raw`\s+`), "u").test(ev.statements) || inReply(ev, [phrase])
      ? anyPhrase([phrase], 15)(ev)
      : 0;

/** Mail sent once security defaults were off: the success told after the change, not anywhere in the text. */
const SENT_ONCE_DEFAULTS_OFF = new RegExp(
  String.raw`(?:${SECURITY_DEFAULTS_OFF.source})[^\n]{0,300}?(?:status=sent|\b250 2\.0\.0\b|sent successfully|\b(?:and|now) it works\b|\bit works now\b|\b(?:then|and) it worked\b)`,
  "u",
);

/** The reply-phrase and transcript table. */
export const REPLY_RULES: readonly Rule[] = [
  {
    id: "phrase-smtp-auth-disabled",
    source: "m365 SmtpReplies.smtpAuthDisabledTenant/Mailbox (shared start, and the aka.ms link both carry)",
    kind: "phrase",
    // "SmtpClientAuthentication" as a word of its own (the reply, also translated or cut off after it);
    // not the cmdlet property SmtpClientAuthenticationDisabled pasted or named in prose (check-answers.ts
    // reads its value).
    evidence: (ev) =>
      Math.max(
        /\bsmtpclientauthentication\b/u.test(ev.words) ? 1 : 0,
        anyPhrase(["smtp client authentication is disabled", "aka.ms/smtp_auth_disabled"], 12)(ev),
      ),
    weights: { smtp_auth_disabled_tenant: 3.4, smtp_auth_disabled_mailbox: 3.4, unknown: -3 },
    why: "{reply}: SMTP AUTH is switched off (SmtpClientAuthenticationDisabled)",
    question:
      "Does Get-CASMailbox <mailbox> show SmtpClientAuthenticationDisabled True (mailbox) or blank (inherits the organisation)?",
  },
  {
    id: "phrase-tenant-disabled",
    source: "m365 SmtpReplies.smtpAuthDisabledTenant",
    kind: "phrase",
    // A cut-off prefix counts only past the point where the Tenant and Mailbox texts differ.
    evidence: (ev) =>
      Math.max(
        anyPhrase(REASONS.tenantDisabled, PAST_SHARED_START)(ev),
        statedShortReason("disabled for the tenant")(ev),
      ),
    // The mailbox override stays listed: enabling SMTP AUTH on the mailbox is the fix.
    weights: { smtp_auth_disabled_tenant: 2.0 },
    why: "{reply}: SMTP AUTH is off for the organisation and the mailbox inherits it",
  },
  {
    id: "phrase-mailbox-disabled",
    source: "m365 SmtpReplies.smtpAuthDisabledMailbox",
    kind: "phrase",
    evidence: (ev) =>
      Math.max(
        anyPhrase(REASONS.mailboxDisabled, PAST_SHARED_START)(ev),
        statedShortReason("disabled for the mailbox")(ev),
      ),
    weights: { smtp_auth_disabled_mailbox: 2.5, smtp_auth_disabled_tenant: -1 },
    why: "{reply}: SMTP AUTH is disabled on this mailbox (CASMailbox SmtpClientAuthenticationDisabled $true)",
  },
  {
    id: "phrase-security-defaults",
    source: "m365 SmtpReplies.securityDefaults",
    kind: "phrase",
    // The whole reason ("locked by your organization's security defaults policy") is decisive on
    // its own, and so is the bare name "security defaults" (or a translation) inside a reply the
    // server sent. In the reporter's prose it is their noun, which the user-words rules read,
    // negations included ("we turned security defaults off, still 504 5.7.4"). One prose form counts
    // here: a before/after account — mail sent once they were off ("enabled: 535 …; disabled:
    // status=sent", sasl-xoauth2 #69).
    evidence: (ev) =>
      Math.max(
        SECURITY_DEFAULTS_REPLY(ev),
        // Exchange gives that reason with 535 5.7.139 only: "5.7.3 is what security defaults gives you"
        // in a chat line is a colleague's guess, and "535 5.7.3 … when security defaults are on" the
        // reporter's sentence running on after the reply.
        inReply(
          ev,
          REASONS.securityDefaults,
          (r) => r.enhanced === "5.7.139" || (r.enhanced === null && r.code === 535),
        )
          ? 1
          : 0,
        SECURITY_DEFAULTS_OFF.test(ev.words) && SENT_ONCE_DEFAULTS_OFF.test(ev.words) ? 1 : 0,
      ),
    weights: { security_defaults_enabled: 5.5, account_locked: -1, unknown: -3 },
    why: "{reply}: Entra security defaults block Basic sign-ins for this account",
  },
  {
    id: "phrase-criteria",
    source: "m365 SmtpReplies.criteriaNotMet; gophish #3220 (localised); Dynamics 365 email troubleshooting (MFA)",
    kind: "phrase",
    evidence: anyPhrase(REASONS.criteria, 12),
    weights: { per_user_mfa: 4.6, conditional_access_block: 4.3, security_defaults_enabled: 3.0, unknown: -3 },
    why: "{reply}: Entra refused the password sign-in after the password was accepted — per-user MFA, a Conditional Access policy or security defaults",
    question:
      "Is MFA or Security Defaults on for this account, or does its sign-in log name a Conditional Access policy?",
  },
  {
    id: "phrase-message-too-large",
    source:
      "RFC 3463 X.3.4 (message too big for system); Exchange Online '552 5.3.4 Message size exceeds fixed maximum message size' after DATA (the mailbox's MaxSendSize, 35 MB by default): a size limit once the login has worked, none of the SMTP AUTH gates (blind set 89)",
    kind: "phrase",
    // Also the store's refusal of an oversized submission, which comes as 554 5.2.0 like SendAsDenied does.
    evidence: (ev) =>
      ev.enhanced.includes("5.3.4") ||
      ev.phrase("message size exceeds") > 0 ||
      /maxsubmissionexceeded|messagesubmissionexceededexception/u.test(ev.words)
        ? 1
        : 0,
    // A size refusal after a working login outweighs the 5.2.x and 554 families' priors (SendAsDenied, the store).
    weights: {
      unknown: 6,
      send_as_permission: -4,
      mailbox_unlicensed_or_missing: -2,
      sender_restricted: -2,
      recipient_rejected: -1,
    },
    why: "{reply}: the message is larger than the mailbox may send (MaxSendSize) — none of the SMTP AUTH gates; send it smaller or raise the limit",
  },
  {
    id: "phrase-invalid-helo-domain",
    source:
      "RFC 5321 §4.1.1.1 (EHLO takes the client's domain or address literal); Exchange Online '501 5.5.4 Invalid domain name' to a malformed EHLO/HELO name (snipe-it #12774, a stale environment variable; batch 22)",
    kind: "phrase",
    evidence: anyPhrase(["invalid domain name"], 14),
    weights: {
      unknown: 3,
      starttls_required: -1,
      auth_mechanism_unsupported: -1,
      not_authenticated_anonymous_send: -1,
    },
    why: "{reply}: the name the client gave in EHLO/HELO is not a valid domain — none of the SMTP AUTH gates; set the client's EHLO host name (or let it default)",
  },
  {
    id: "mail-from-parameter-refused",
    source:
      "RFC 3463 X.3.3 (system not capable of selected features); RFC 6531 SMTPUTF8; Exchange Online '502 5.3.3 Command not implemented' to a MAIL FROM with the SMTPUTF8 parameter (go-mail #545 via vikunja #2730, email-oauth2-proxy #416; batch 24)",
    kind: "phrase",
    // After the login, not to AUTH itself ("502 Command AUTH PLAIN not implemented" is a mechanism refused).
    evidence: (ev) => {
      if (!(ev.enhanced.includes("5.3.3") || ev.phrase("command not implemented") > 0)) return 0;
      if (/\bauth\s+[a-z0-9-]+["']?\s+not implemented/u.test(ev.words)) return 0;
      const atMail =
        ev.ex.stage === "mail" ||
        /\bmail from\b[^\n]{0,60}?(?:502|5\.3\.3|not implemented)/u.test(ev.words) ||
        /smtputf8/u.test(ev.words.replace(/\b250[- ]smtputf8\b/gu, " "));
      return atMail ? 1 : 0;
    },
    weights: {
      unknown: 3,
      starttls_required: -1,
      auth_mechanism_unsupported: -1,
      not_authenticated_anonymous_send: -1,
      oauth_misconfigured_app_or_sp: -2,
    },
    why: "{reply}: the server refused a command or parameter sent after the login (SMTPUTF8 on MAIL FROM, an extension the client assumed) — a protocol mismatch, none of the SMTP AUTH gates; turn the client's SMTPUTF8 option off or update it",
  },
  {
    id: "phrase-federated-sts-unreachable",
    source:
      "Microsoft 'Fix issues with printers, scanners, and LOB applications that send email using Microsoft 365': '535 5.7.139 Authentication unsuccessful, federated STS service was unreachable' (the customer's own federation server, AD FS, could not be reached)",
    kind: "phrase",
    evidence: anyPhrase(["federated sts service was unreachable"], 14),
    weights: { transient: 3.5, unknown: 3, security_defaults_enabled: -2, smtp_auth_disabled_tenant: -2 },
    why: "{reply}: Exchange could not reach your federation server (AD FS) to check a federated user's password — an outage or firewall on your side, not an SMTP AUTH setting",
    question:
      "Is your AD FS (or other federation service) reachable from the internet right now, and do cloud-only accounts still send?",
  },
  {
    id: "phrase-federated-sts-https",
    source:
      "Microsoft 'Fix issues with printers, scanners, and LOB applications …': '535 5.7.139 Authentication unsuccessful, the federated STS URL does not support HTTPS' (the federation server must offer TLS 1.2)",
    kind: "phrase",
    evidence: anyPhrase(
      ["the federated sts url does not support https", "federated sts url does not support https"],
      14,
    ),
    weights: { tls_version: 3, unknown: 3, security_defaults_enabled: -2, smtp_auth_disabled_tenant: -2 },
    why: "{reply}: your federation server (AD FS) did not offer the secure connection Exchange needs — make it answer HTTPS with TLS 1.2",
  },
  {
    id: "phrase-basic-disabled",
    source: "m365 SmtpReplies.basicAuthDisabled (nodemailer #1714, mailR #107)",
    kind: "phrase",
    // Other servers word the same refusal as "not allowed": SendGrid's "535 Authentication failed:
    // Basic authentication is not allowed with 2FA enabled" (jenkins-infra/helpdesk #2856; SendGrid
    // docs 'Basic authentication' — password logins are refused, an API key is required).
    evidence: anyPhrase(
      [
        ...REASONS.basicDisabled,
        "basic authentication is not supported",
        "basic authentication is not allowed",
        "basic auth is not allowed",
      ],
      10,
    ),
    weights: { basic_auth_disabled_or_retired: 4.8, authentication_policy_blocks_basic_smtp: 4.3, unknown: -3 },
    why: "{reply}: Basic (password) authentication is refused for the account before the password is checked",
    question:
      "Is this a personal Outlook.com/Hotmail account, or a work account with an Exchange authentication policy?",
  },
  {
    id: "phrase-basic-disabled-personal",
    source: "Microsoft support: Basic auth off for Outlook.com personal accounts from 16 September 2024",
    kind: "context",
    evidence: (ev) => (ev.ex.consumerAccount ? anyPhrase(REASONS.basicDisabled, 10)(ev) : 0),
    weights: { basic_auth_disabled_or_retired: 2.5, authentication_policy_blocks_basic_smtp: -2 },
    why: "A personal Outlook.com/Hotmail account: Basic auth is retired for it; only OAuth works",
  },
  {
    id: "phrase-basic-disabled-dated",
    source:
      "the reply's diagnostic suffix dated before Microsoft turned Basic off for personal accounts (16 September 2024)",
    kind: "context",
    evidence: (ev) => {
      if (ev.ex.consumerAccount || anyPhrase(REASONS.basicDisabled, 10)(ev) === 0) return 0;
      const when = ev.ex.timestamp !== null ? Date.parse(ev.ex.timestamp) : Number.NaN;
      return (!Number.isNaN(when) && when < CONSUMER_BASIC_OFF) || (Number.isNaN(when) && ev.ex.serverId !== null)
        ? 1
        : 0;
    },
    weights: { authentication_policy_blocks_basic_smtp: 1.2 },
    why: "A reply dated before the personal-account retirement: an Exchange authentication policy (AllowBasicAuthSmtp $false)",
  },
  {
    id: "dated-after-basic-default-off",
    source:
      "Exchange Team blog 'Updated Exchange Online SMTP AUTH Basic Authentication Deprecation Timeline' (27/29 January 2026): Basic SMTP AUTH disabled by default for existing tenants at the end of December 2026, admins can re-enable it",
    kind: "context",
    // A Basic SMTP AUTH refusal dated in 2027 (the reply's diagnostic suffix or the reporter's own date):
    // the default-off is a likely reason, not a decisive one — a decisive reply or answer outweighs it.
    evidence: (ev) => {
      const when = ev.ex.timestamp !== null ? Date.parse(ev.ex.timestamp) : Number.NaN;
      const dated = (!Number.isNaN(when) && when >= TENANT_BASIC_OFF) || REPORTED_AFTER_DEFAULT_OFF.test(ev.words);
      if (!dated || ev.ex.oauth || ev.ex.consumerAccount) return 0;
      // Any failure to send with a password: a device's error number is all many of them show.
      const refused =
        ev.basic.includes(535) ||
        ev.enhanced.includes("5.7.139") ||
        ev.enhanced.includes("5.7.3") ||
        /\b(?:fail(?:s|ed|ing|ure)?|errors?|stopped (?:working|sending)|no longer (?:works|sends)|(?:can'?t|cannot|doesn'?t|does not|won'?t) send)\b|could not authenticate|(?<![\w#])#\d{3,4}\b|(?<!\p{L})(?:hata\S*|hatası|ошибка|перестал\S*|fehler|erreur|échec|falla|falha|errore|fout|błąd)(?!\p{L})|\bnicht mehr\b|\bkeine\b[^.\n]{0,60}\bmehr\b|\bne \S+ plus\b|\bya no\b|\bnão \S+ mais\b|\bnon \S+ più\b|\bniet meer\b|\bstopped\b|\bslutade\b|\bprzestał\w*|不能|无法|無法|失败|失敗/u.test(
          ev.words,
        );
      return refused ? 1 : 0;
    },
    weights: { basic_auth_disabled_or_retired: 2.6, smtp_auth_disabled_tenant: 0.6, unknown: -1.5 },
    why: "Dated after Microsoft turned Basic SMTP AUTH off by default for existing tenants (end of December 2026): an admin must re-enable it, or the device must move to OAuth",
    question:
      "Did this start in January 2027, and does the tenant still allow Basic SMTP AUTH (Microsoft turned it off by default)?",
  },
  {
    id: "transcript-closed-after-starttls",
    source:
      "RFC 3207: after '220 2.0.0 SMTP server ready' the client starts the TLS handshake; a device that closes the connection there, before any EHLO, failed the handshake (Exchange Online needs TLS 1.2)",
    kind: "transcript",
    evidence: (ev) =>
      /220 2\.0\.0 smtp server ready[^\n]*\n(?:\s*\n)?[^\n]{0,80}\b(?:connection closed|closed (?:by|the connection)|connection (?:was )?reset|disconnected|eof)\b/iu.test(
        ev.ex.normalized,
      ) && !/250[- ]AUTH\b|\bAUTH (?:LOGIN|PLAIN|XOAUTH2)\b/iu.test(ev.ex.normalized)
        ? 1
        : 0,
    weights: { tls_version: 2.6, starttls_required: -0.8, unknown: -2 },
    why: "The connection closed right after the server agreed to STARTTLS: the TLS handshake failed — usually a client that offers only TLS 1.0/1.1",
  },
  {
    id: "transcript-rcpt-malformed",
    source: "RFC 5321 §4.1.2: RCPT TO needs a whole address (local-part@domain with a dotted domain)",
    kind: "transcript",
    evidence: (ev) =>
      /rcpt to:\s*<[^>\s@]*@[^>\s.]*(?:,[^>\s]*)?>|rcpt to:\s*<[^>@\s]+>/iu.test(ev.ex.normalized) ? 1 : 0,
    weights: { recipient_rejected: 3, unknown: -2 },
    why: "The recipient address in RCPT TO is malformed (no domain, or a comma for a dot): the server refuses that recipient",
  },
  {
    id: "phrase-credentials",
    source: "m365 SmtpReplies.credentialsIncorrect",
    kind: "phrase",
    evidence: anyPhrase(REASONS.credentials, 14),
    weights: { wrong_credentials: 5.5, account_locked: 1.0, unknown: -3 },
    why: "{reply}: Entra rejected the user name or password",
  },
  {
    id: "phrase-account-locked",
    source: "m365 SmtpReplies.accountLocked; Entra AADSTS50053",
    kind: "phrase",
    // A phrase the reporter asks about ("So is my account locked??") is read by words-account-locked,
    // which tells questions from statements: here only wording that is not inside a question counts.
    evidence: (ev) => {
      const v = anyPhrase(ACCOUNT_LOCKED_PHRASES, 10)(ev);
      if (v === 0) return 0;
      // A lockout retold ("the copier shows 'account locked'") that the reporter looked for and did not find.
      if (LOCK_DENIED.test(ev.words) && !inReply(ev, ACCOUNT_LOCKED_PHRASES)) return 0;
      const asked = /[^.!?\n]{0,80}\baccount (?:is )?locked\b[^.!?\n]{0,40}\?/u.test(ev.words);
      // An app's message that lists the lock among other causes ("Authentication failure due to account
      // locked/disabled or unreachable", Freshchat's custom-mailbox error) names no lock.
      if (LOCK_AMONG_ALTERNATIVES.test(ev.words)) {
        const withoutAlternatives = ev.statements.replace(LOCK_AMONG_ALTERNATIVES_G, " ");
        if (!ACCOUNT_LOCKED_PHRASES.some((p) => withoutAlternatives.includes(p))) return 0;
      }
      const stated = ACCOUNT_LOCKED_PHRASES.some((p) => ev.statements.includes(p));
      return asked && !stated ? 0 : v;
    },
    weights: { account_locked: 5.5, unknown: -3 },
    why: "{reply}: the account is locked (Entra smart lockout or blocked sign-in)",
  },
  {
    id: "phrase-account-issue",
    source: "m365 SmtpReplies.accountHasAnIssue (gate account_disabled; mapping INFERRED there)",
    kind: "phrase",
    evidence: anyPhrase(["account has an issue"], 12),
    weights: { account_locked: 3.5, wrong_credentials: 1.0, unknown: -3 },
    why: "{reply}: Entra refuses the account itself (disabled or blocked sign-in)",
  },
  {
    id: "phrase-basic-retired",
    source: "Exchange Team blog 2024-04-15 (Client Submission retirement reply)",
    kind: "phrase",
    evidence: anyPhrase(["basic authentication is not supported for client submission"], 30),
    weights: { basic_auth_disabled_or_retired: 4, authentication_policy_blocks_basic_smtp: -2 },
    why: "{reply}: Basic authentication for SMTP AUTH has been removed; only OAuth works",
  },
  {
    id: "phrase-send-as",
    source: "OfficeDocs-Support #1187, FusionAuth #220, gophish #1600/#2900; de-de continuous-error throttling doc",
    kind: "phrase",
    // The bare verbs of the localised reasons ("enviar como", "envoyer en tant que") are also plain prose
    // ("para enviar como avisos@…", a Spanish report of an OAuth app): alone they count only as the permission's
    // quoted label or beside a refusal.
    evidence: (ev) => {
      const v = anyPhrase(REASONS.sendAs, 12)(ev);
      if (v === 0 || anyPhrase(SEND_AS_STRONG, 12)(ev) > 0) return v;
      return SEND_AS_REFUSED.test(ev.words) || SEND_AS_LABEL.test(ev.words) ? v : 0;
    },
    weights: { send_as_permission: 5, mailbox_unlicensed_or_missing: -1, unknown: -3 },
    why: "{reply}: the authenticated account may not send as the From address",
  },
  {
    id: "phrase-tls-old",
    source:
      "m365 SmtpReplies.tlsVersionNotSupported; Microsoft 'Opt in to the Exchange Online endpoint for legacy TLS clients'",
    kind: "phrase",
    evidence: anyPhrase(
      ["tls 1.0 and 1.1 are not supported", "aka.ms/smtp_auth_tls", "upgrade/update your client to support tls 1.2"],
      12,
    ),
    weights: { tls_version: 5.5, transient: -2, unknown: -3 },
    why: "{reply}: the client negotiated TLS 1.0/1.1; Exchange Online requires TLS 1.2",
  },
  {
    id: "phrase-starttls-required",
    source: "Exchange '451 5.7.3 STARTTLS is required to send mail', '530 5.7.0 Must issue a STARTTLS command first'",
    kind: "phrase",
    evidence: anyPhrase(
      ["starttls is required", "must issue a starttls command first", "需要 starttls", "starttls erforderlich"],
      12,
    ),
    weights: { starttls_required: 5.5, transient: -2, unknown: -3 },
    why: "{reply}: the client sent mail commands on a plain-text session; it must issue STARTTLS first",
  },
  {
    id: "phrase-tls-negotiation",
    source: "RFC 3207 §4 (454 TLS not available due to temporary reason); Exchange 'TLS negotiation failed' replies",
    kind: "phrase",
    evidence: anyPhrase(
      ["tls negotiation", "tls not available", "starttls failed", "tls handshake failed", "failed to negotiate tls"],
      12,
    ),
    weights: { starttls_required: 2.6, tls_version: 2.4, transient: -1.5 },
    why: "{reply}: TLS negotiation failed — a client TLS setting (STARTTLS mode or TLS version), not a passing fault",
    question: "Does the client use STARTTLS on port 587 (not SSL/TLS on connect), with TLS 1.2 enabled?",
  },
  {
    id: "phrase-unrecognized-auth",
    source: "m365 SmtpReplies.unrecognizedAuthType",
    kind: "phrase",
    evidence: anyPhrase(["unrecognized authentication type"], 14),
    weights: { auth_mechanism_unsupported: 1.0, starttls_required: 0.8, unknown: -3 },
    why: "{reply}: the AUTH mechanism was not offered at that point",
  },
  {
    id: "phrase-not-authenticated",
    source: "m365 SmtpReplies.clientNotAuthenticated; .NET SR.SmtpMustIssueStartTlsFirst wording",
    kind: "phrase",
    evidence: anyPhrase(
      [
        "client not authenticated to send",
        "client was not authenticated to send",
        "not authenticated to send anonymous mail",
        // MailCore2 MCOErrorAuthenticationRequired (MCErrorMessage.cpp)
        "authentication is required for this smtp server",
      ],
      14,
    ),
    weights: { not_authenticated_anonymous_send: 1.2, unknown: -3 },
    why: "{reply}: MAIL FROM came on a session with no successful AUTH",
  },
  {
    id: "echoed-auth-error",
    source: "Exchange appends the AUTH error to 530 5.7.57 ('… Error: 535 5.7.139 …'); .NET skips a failed AUTH",
    kind: "transcript",
    evidence: echoesAuthError,
    weights: { not_authenticated_anonymous_send: -5 },
    why: "The 530 5.7.57 quotes an earlier AUTH error: that error is the real failure",
  },
  {
    id: "phrase-relay-denied",
    source:
      "Exchange '550 5.7.1 Unable to relay', '5.7.64 TenantAttribution; Relay Access Denied' (relay or direct send without AUTH)",
    kind: "phrase",
    evidence: anyPhrase(
      [
        "unable to relay",
        "relay access denied",
        "relaying denied",
        "relay not permitted",
        // RFC 4954 §6 530 5.7.0 "Authentication required" and the variants servers word it as
        "must authenticate",
        "authentication required",
        "authentication is required",
        "please authenticate",
        "authenticate before sending",
      ],
      12,
    ),
    weights: { not_authenticated_anonymous_send: 2.8, auth_mechanism_unsupported: 0.5, unknown: -3 },
    why: "{reply}: the server took the session as unauthenticated, so it would not relay — the client did not (successfully) authenticate",
  },
  {
    id: "phrase-4xx-names-tls",
    source:
      "review class D: a temporary-coded reply that names TLS is a TLS/STARTTLS client setting, not a passing fault (RFC 3207 454, Exchange 'TLS channel' replies)",
    kind: "phrase",
    evidence: (ev) =>
      ev.ex.replies.some(
        (r) =>
          ((r.code !== null && r.code >= 400 && r.code < 500) || r.enhanced?.startsWith("4.") === true) &&
          /\b(?:tls|starttls|ssl)\b/iu.test(r.text),
      )
        ? 1
        : 0,
    weights: { starttls_required: 2.6, tls_version: 2.0, transient: -3 },
    why: "{reply} is temporary-coded but names TLS: a TLS or STARTTLS setting of the client, which retrying does not fix",
    question: "Does the client use STARTTLS on port 587 (not SSL/TLS on connect), with TLS 1.2 enabled?",
  },
  {
    id: "phrase-mailbox-logon",
    source: "Exchange STOREDRV mailbox logon failures; nodemailer #949; continuous-error throttling (invalid license)",
    kind: "phrase",
    evidence: anyPhrase(
      [
        "mailbox cannot be accessed",
        "mapiexceptionlogonfailed",
        "mailbox logon failure",
        "cannot open mailbox",
        "invalid license",
        "mailboxnotenabledforrestapi",
        "mailbox does not exist",
        "mailbox not found",
      ],
      14,
    ),
    weights: { mailbox_unlicensed_or_missing: 3.8, transient: 0.6, unknown: -3 },
    why: "{reply}: Exchange could not open the authenticating mailbox (missing, unlicensed, shared or not in Exchange Online)",
  },
  {
    id: "phrase-throttled",
    source: "Exchange Online sending limits; RFC 5321 4yz; 432 4.3.2 STOREDRV.ClientSubmit sender thread limit",
    kind: "phrase",
    evidence: anyPhrase(
      [
        "try again later",
        "server busy",
        "submissionquotaexceeded",
        "sender thread limit",
        "concurrent connections",
        "too many connections",
        "throttled",
        "rate limit",
        "temporary server error",
      ],
      12,
    ),
    weights: { transient: 2.6 },
    why: "{reply}: a submission limit or a busy server; it resets with time",
  },
  {
    id: "phrase-transient-verdict",
    source:
      "Exchange Online's WASCL verdict on a submission it defers (Outlook REST/Graph sendMail, as FluentSMTP logs it): 'Cannot send this mail due to a transient error. Please try again later (0x00004000)., WASCL UserAction verdict is not None. Actual verdict is TransientError.' (FluentSMTP #101: a resend went through)",
    kind: "phrase",
    // Exchange's own words with no status code: the submission was deferred, not refused.
    evidence: anyPhrase(["due to a transient error", "actual verdict is transienterror"], 16),
    weights: { transient: 3.0, unknown: -3 },
    why: "{reply}: Exchange deferred the submission (verdict TransientError); resending later works",
  },
  {
    id: "phrase-sender-restricted",
    source:
      "Exchange Online NDR 5.1.8 'Access denied, bad outbound sender'; 5.7.708 'traffic not accepted from this IP'; 5.2.2 SubmissionQuotaExceededException (sending limits); a DNS block list refusing the sending host",
    kind: "phrase",
    evidence: anyPhrase(
      [
        "bad outbound sender",
        "traffic not accepted from this ip",
        "outboundspamexception",
        // Outlook.com's abuse verdict on a consumer account, also without the exception's name: "WASCL UserAction
        // verdict is not None. Actual verdict is HipNotify, ShowTierUpgrade." (verify the account: a Redmine write-up,
        // batch 37), "… RefuseQuota" (the sending limit), "… Suspend". TransientError is read by phrase-transient-verdict.
        "actual verdict is hipnotify",
        "actual verdict is refusequota",
        "actual verdict is suspend",
        "actual verdict is showtierupgrade",
        "spam abuse detected",
        // providers' outbound content filters
        "spam message rejected",
        "rejected as spam",
        "identified as spam",
        "detected as spam",
        "banned sender",
        // Exchange Online NDR 5.7.606–5.7.649 "Access denied, banned sending IP [<IP>]"
        "banned sending ip",
        "restricted from sending",
        "weren't recognized as a valid sender",
        // Exchange Online's sending limits: 5.2.2 STOREDRV.Submission.Exception:SubmissionQuotaExceededException
        // (the mailbox's recipient or message rate), and other providers' "sending quota exceeded".
        "submissionquotaexceeded",
        "sending quota exceeded",
        "daily sending quota",
        // Exchange Online 5.7.232/5.7.233 "… exceeded its daily limit for sending email to external recipients
        // (tenant external recipient rate limit)"; the mailbox's recipient rate limit; other providers' wording
        "exceeded its daily limit",
        "recipient rate limit",
        "sending limit exceeded",
        "exceeded the sending limit",
        "number of allowed outgoing messages",
        // a DNS block list refusing the sending host ("Client host [192.0.2.1] blocked using zen.spamhaus.org")
        "blocked using spamhaus",
        "blocked using zen.spamhaus",
      ],
      14,
    ),
    weights: { sender_restricted: 4, unknown: -3 },
    why: "{reply}: Exchange Online restricts this sender or tenant from sending",
  },
  {
    id: "phrase-recipient",
    source:
      "RFC 5321 550 mailbox unavailable (recipient); Exchange 5.1.10 RecipientNotFound; 554 5.2.2 mailbox full (STOREDRV.Deliver QuotaExceededException)",
    kind: "phrase",
    evidence: anyPhrase(
      [
        "recipient address rejected",
        "recipientnotfound",
        "user unknown",
        "resolver.adr.recipientnotfound",
        // PHPMailer phpmailer.lang-en.php 'recipients_failed': "SMTP Error: The following recipients failed: "
        "the following recipients failed",
        // the recipient's mailbox is full (554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException)
        "mailbox full",
        "mailbox is full",
        "storedrv.deliver.exception:quotaexceededexception",
        // Jakarta/Angus Mail SMTPTransport: SendFailedException("Invalid Addresses") when a recipient is refused or malformed
        "invalid addresses",
      ],
      12,
    ),
    weights: { recipient_rejected: 3.5, unknown: -3 },
    why: "{reply}: a recipient was refused; the message got past SMTP AUTH",
  },
  {
    id: "aadsts-mfa",
    source:
      "Entra AADSTS50076/50079/50074/500121 (Microsoft Entra authentication and authorization error codes), also as the sign-in log's 'Sign-in error code' and 'Failure reason'",
    kind: "phrase",
    evidence: (ev) =>
      hasEntraCode(ev, ["50076", "50079", "50074", "500121"]) ||
      /you must use multi-?factor authentication to access|you must enroll in multi-?factor authentication|strong authentication is required|authentication failed during strong authentication request/u.test(
        ev.words,
      )
        ? 1
        : 0,
    // Security defaults also demand MFA "when necessary" (Microsoft Entra security defaults), the only
    // source left when per-user MFA is off and there is no Conditional Access (blind set 15).
    weights: { per_user_mfa: 4.5, conditional_access_block: 4.0, security_defaults_enabled: 3.0, unknown: -3 },
    why: "Entra error 50076/50079: the account must complete MFA, which a non-interactive sign-in cannot",
    question: "Is MFA enforced per user for this account, or required by a Conditional Access policy?",
  },
  {
    id: "auth-succeeded",
    source:
      "RFC 4954 §6: 235 2.7.0 Authentication successful (Exchange Online: '235 2.7.0 Authentication successful'); a failure after it is not an authentication gate",
    kind: "transcript",
    // The server accepted the login and no AUTH was refused anywhere in the paste: the failure is at
    // MAIL FROM, RCPT TO or DATA (Send As, a restricted sender, a recipient, a limit), not a gate of
    // SMTP AUTH. A refusal anywhere (the application's 504 beside a manual test's 235, pocket-id #276)
    // leaves it unread: which attempt is current cannot be told.
    evidence: (ev) =>
      /\b235[ -](?:2\.7\.0 )?authentication succe(?:ssful|eded)|\b235 2\.7\.0\b/iu.test(ev.ex.normalized) &&
      !/\b(?:535|534|530|504)\b|\b5\.7\.(?:139|3|57|4)\b|authentication (?:unsuccessful|failed|error|failure)|not support the requested auth/iu.test(
        ev.ex.normalized,
      )
        ? 1
        : 0,
    weights: {
      security_defaults_enabled: -3,
      smtp_auth_disabled_tenant: -3,
      smtp_auth_disabled_mailbox: -3,
      per_user_mfa: -3,
      conditional_access_block: -3,
      basic_auth_disabled_or_retired: -3,
      authentication_policy_blocks_basic_smtp: -3,
      wrong_credentials: -3,
      account_locked: -3,
      auth_mechanism_unsupported: -3,
      not_authenticated_anonymous_send: -2,
      starttls_required: -2,
      tls_version: -2,
      mailbox_unlicensed_or_missing: -1,
      send_as_permission: 1,
      sender_restricted: 0.5,
      recipient_rejected: 0.5,
    },
    why: "The login succeeded (235 2.7.0): the failure came after it, at MAIL FROM, RCPT TO or DATA",
  },
  {
    id: "phrase-recipient-restriction",
    source:
      "Exchange Online NDR reference: 5.7.1 RESOLVER.RST.AuthRequired / RESOLVER.RST.NotAuthorized / RESOLVER.RST.RestrictedToRecipientsPermission (the recipient group accepts only authenticated or listed senders); .NET SmtpFailedRecipientsException 'The server rejected one or more recipient addresses' and its language packs",
    kind: "phrase",
    evidence: anyPhrase(
      [
        "resolver.rst.",
        "rejected one or more recipient addresses",
        "rechazó una o más direcciones de destinatario",
        "mindestens eine empfängeradresse abgelehnt",
        "rejeté une ou plusieurs adresses de destinataires",
        // Xerox: "One or more of the addresses are invalid. No messages were sent"
        "one or more of the addresses are invalid",
      ],
      14,
    ),
    weights: { recipient_rejected: 5, not_authenticated_anonymous_send: -2, unknown: -3 },
    why: "{reply}: the recipient refused the message (a group that accepts only certain or authenticated senders); the login is not the problem",
  },
  {
    id: "aadsts-security-defaults",
    source:
      "Entra AADSTS530035 'Access has been blocked by security defaults. This is due to the request using legacy auth or being deemed unsafe by security defaults policies.' (Microsoft Entra authentication and authorization error codes), as an AADSTS code or in the sign-in log",
    kind: "phrase",
    evidence: (ev) =>
      hasEntraCode(ev, ["530035"]) || /(?:access has been )?blocked by security defaults/u.test(ev.words) ? 1 : 0,
    weights: { security_defaults_enabled: 6, unknown: -3 },
    why: "Entra error 530035: access was blocked by security defaults (legacy authentication)",
  },
  {
    id: "signin-log-ca-not-applied",
    source:
      "Entra sign-in log details: 'Conditional Access: Not Applied' means no policy applied to the sign-in, so an MFA demand came from per-user MFA (or security defaults), not from a policy",
    kind: "phrase",
    evidence: (ev) =>
      /conditional access(?: status| column| result)?(?: says| shows| is| reads)?\s*:?\s*(?:"|'|“)?not ?applied|"conditionalaccessstatus"\s*:\s*"notapplied"|(?:voorwaardelijke toegang|bedingter zugriff|accès conditionnel|acceso condicional|acesso condicional|accesso condizionale)\s*:?\s*["']?(?:niet toegepast|nicht angewendet|non appliqué|no aplicado|não aplicado|non applicato)/u.test(
        ev.words,
      )
        ? 1
        : 0,
    weights: { conditional_access_block: -3, per_user_mfa: 1.0 },
    why: "The sign-in log says Conditional Access was not applied: the MFA demand is per-user MFA's",
  },
  {
    id: "signin-log-ca-failure",
    source: "Entra sign-in log details: 'Conditional Access: Failure' (a policy refused the sign-in)",
    kind: "phrase",
    evidence: (ev) =>
      /conditional access(?: status)?\s*:?\s*(?:"|')?failure|"conditionalaccessstatus"\s*:\s*"failure"|조건부 액세스\s*:\s*실패|(?:betinget (?:tilgang|adgang)|villkorsstyrd åtkomst|ehdollinen käyttöoikeus|bedingter zugriff|accès conditionnel|acceso condicional|acesso condicional|accesso condizionale|voorwaardelijke toegang|dostęp warunkowy)["'”:\s]{1,4}(?:mislykket|mislykkedes|misslyckades|epäonnistui|fehler|échec|error|falha|errore|fout|niepowodzenie)/u.test(
        ev.words,
      )
        ? 1
        : 0,
    weights: { conditional_access_block: 4.5, unknown: -3 },
    why: "The sign-in log says Conditional Access: Failure — a policy refused the sign-in",
  },
  {
    id: "aadsts-ca",
    source:
      "Entra AADSTS53003/53000/53001/53002/53004/50158/50097, 70043/70044 (a refresh token or session ended by a Conditional Access sign-in frequency), also as the sign-in log's error code and failure reason",
    kind: "phrase",
    evidence: (ev) =>
      hasEntraCode(ev, ["53003", "53000", "53001", "53002", "53004", "50158", "50097", "70043", "70044"]) ||
      /access has been blocked by conditional access polic|due to sign-in frequency checks by conditional access/u.test(
        ev.words,
      )
        ? 1
        : 0,
    weights: { conditional_access_block: 6, unknown: -3 },
    why: "Entra error 53003: access was blocked by a Conditional Access policy",
  },
  {
    id: "aadsts-password",
    source:
      "Entra AADSTS50126 ('Error validating credentials due to invalid username or password'), 50034 (user not found), 50055 (password expired), 50056, also as the sign-in log's error code and failure reason",
    kind: "phrase",
    // Not beside a lockout (50053): the wrong passwords that locked the account are behind it, the lock is what
    // refuses the right one now (blind set 67).
    evidence: (ev) =>
      (hasEntraCode(ev, ["50126", "50034", "50055", "50056", "50144"]) ||
        /error validating credentials due to invalid username or password|\binvalid user ?name or password\b|the user account does not exist in the .{0,20}directory|the password is expired/u.test(
          ev.words,
        )) &&
      !hasEntraCode(ev, ["50053"])
        ? 1
        : 0,
    weights: { wrong_credentials: 6, unknown: -3 },
    why: "Entra error 50126: invalid user name or password (or the user name is not the account's UPN)",
  },
  {
    id: "aadsts-grant-expired",
    source:
      "Entra AADSTS700082 ('The refresh token has expired due to inactivity'), 70008 ('The provided authorization code or refresh token has expired due to inactivity'), 50173 ('The provided grant has expired due to it being revoked … the user might have changed or reset their password'), 50133 ('Session is invalid due to expiration or recent password change'), and a device's 'Authorization has expired. Reauthorize the account.' (QNAP Notification Center)",
    kind: "phrase",
    // The stored sign-in (refresh token) is dead: sign in again. Not a setting; a Conditional Access
    // sign-in frequency (70043/70044) is read by aadsts-conditional-access.
    evidence: (ev) =>
      hasEntraCode(ev, ["700082", "70008", "50173", "50133"]) ||
      (!hasEntraCode(ev, ["70043", "70044"]) &&
        /\brefresh token (?:has |is )?(?:expired|been revoked|revoked)\b|\bauthori[sz]ation (?:has |is )?expired\b|\bre-?authori[sz]e (?:the |your |this )?(?:account|app|application|mailbox|connection)\b/u.test(
          ev.words,
        ))
        ? 1
        : 0,
    weights: { wrong_credentials: 3, oauth_misconfigured_app_or_sp: 0.5, transient: -1, unknown: -2 },
    why: "The stored OAuth sign-in expired or was revoked (a password change, 90 days unused, an admin's revoke): sign the sender in again",
    question: "Did the account's password change, or has the sender gone unused for 90 days? Sign it in again.",
  },
  {
    id: "aadsts-account-locked",
    source:
      "Entra AADSTS50053 ('Account is locked because user tried to sign in too many times …'), as the sign-in log's error code in any language",
    kind: "phrase",
    evidence: (ev) => (hasEntraCode(ev, ["50053"]) ? 1 : 0),
    weights: { account_locked: 5, unknown: -3 },
    why: "Entra error 50053: the account is locked (smart lockout)",
  },
  {
    id: "aadsts-account-disabled",
    source: "Entra AADSTS50057 ('The user account is disabled'), as an AADSTS code or in the sign-in log",
    kind: "phrase",
    evidence: (ev) => (hasEntraCode(ev, ["50057"]) || /\buser account is disabled\b/u.test(ev.words) ? 1 : 0),
    weights: { account_locked: 4.5, wrong_credentials: 1, unknown: -3 },
    why: "Entra error 50057: the user account is disabled (blocked from signing in)",
  },
  {
    id: "aadsts-app",
    source:
      "Entra AADSTS700016/7000215/7000222/70011/1002012 (scope)/65001/90094 (consent)/500011/650057 (resource)/50194/700027/700024/7000218/7000112/90002/50011/500113 (Microsoft Entra authentication and authorization error codes); the consent screen 'Need admin approval'",
    kind: "phrase",
    evidence: (ev) =>
      hasEntraCode(ev, [
        ...["700016", "7000215", "7000222", "70011", "1002012", "65001", "90094", "500011", "650057", "50194"],
        ...["700027", "700024", "7000218", "7000112", "90002", "50011", "500113"],
      ]) ||
      /\bneed admin approval\b|needs permission to access resources in your organi[sz]ation that only an admin can grant|\bconsent_required\b|"error"\s*:\s*"invalid_scope"/u.test(
        ev.words,
      )
        ? 1
        : 0,
    weights: { oauth_misconfigured_app_or_sp: 6, unknown: -3 },
    why: "The token request failed at Entra (app id, secret, scope or consent): the OAuth app registration is misconfigured",
  },
  {
    id: "oauth-in-use",
    source: "m365 gates: a gate skipped for mechanism 'oauth' cannot block an XOAUTH2 login (derived, gate-causes.ts)",
    kind: "transcript",
    evidence: (ev) => (ev.ex.oauth ? 1 : 0),
    weights: OAUTH_GATE_WEIGHTS,
    why: "The login uses OAuth (XOAUTH2): Exchange refused the token — permission, service principal or mailbox access",
    question:
      "Is this an OAuth (XOAUTH2) login, and does the token carry SMTP.SendAsApp for https://outlook.office365.com?",
  },
  {
    id: "oauth-5.7.3",
    source:
      "Microsoft 'Authenticate an IMAP, POP or SMTP connection using OAuth' (535 5.7.3 for a refused token); MailKit #1712/#1733",
    kind: "transcript",
    evidence: (ev) => (ev.ex.oauth && (ev.enhanced.includes("5.7.3") || ev.basic.includes(535)) ? 1 : 0),
    weights: { oauth_misconfigured_app_or_sp: 3, mailbox_unlicensed_or_missing: 0.5 },
    why: "{reply} to AUTH XOAUTH2: Exchange refused the token — SMTP.SendAsApp, the Exchange service principal or the mailbox permission is missing",
    question:
      "Does the token carry SMTP.SendAsApp for https://outlook.office365.com, and does Get-ServicePrincipal list the app?",
  },
  {
    id: "oauth-mailbox-logon",
    source: "email-oauth2-proxy #271 pattern: STOREDRV logon failure after an app-only AUTH succeeded",
    kind: "transcript",
    evidence: (ev) =>
      ev.ex.oauth ? anyPhrase(["mailbox logon failure", "mapiexceptionlogonfailed", "cannot open mailbox"], 14)(ev) : 0,
    weights: { oauth_misconfigured_app_or_sp: 2.5, mailbox_unlicensed_or_missing: -0.5 },
    why: "{reply} after an app-only token was accepted: the service principal has no permission on the mailbox (Add-MailboxPermission)",
  },
  {
    id: "last-reply-temporary",
    source: "RFC 5321 §4.2: the last reply of a session is the failure that ended it",
    kind: "transcript",
    evidence: (ev) => {
      const code = ev.ex.replies.length > 1 ? ev.ex.replies[ev.ex.replies.length - 1] : undefined;
      if (code === undefined || code.code === null) return 0;
      return code.code >= 400 && code.code < 500 && !/tls/iu.test(code.text) ? 1 : 0;
    },
    weights: { transient: 1.8, not_authenticated_anonymous_send: -1.5 },
    why: "The session ended on a temporary reply; earlier refusals came before it",
  },
  {
    id: "auth-mechanism-not-offered",
    source:
      "Exchange Online offers AUTH LOGIN and XOAUTH2 only (EHLO after STARTTLS); RFC 4954 §6 504 5.7.4, RFC 5321 502/504 (command or parameter not implemented)",
    kind: "transcript",
    // The client used (or is configured with) a mechanism Exchange does not offer, and the AUTH was
    // refused: 504 5.7.4, a 502/504 "not implemented", or a relay refusal because the session
    // stayed unauthenticated (nodemailer #1480, #878). Not when the EHLO reply the client answered offered no AUTH
    // at all (STARTTLS never started): then no mechanism would have been taken.
    evidence: (ev) =>
      ["PLAIN", "CRAM-MD5", "NTLM"].includes(ev.ex.authMechanism ?? "") &&
      !ev.ex.authNotOffered &&
      (ev.enhanced.includes("5.7.4") ||
        ev.basic.includes(502) ||
        ev.basic.includes(504) ||
        anyPhrase(["not implemented", "unable to relay", "relaying denied", "relay access denied"], 12)(ev) > 0)
        ? 1
        : 0,
    weights: { auth_mechanism_unsupported: 3, starttls_required: -1, not_authenticated_anonymous_send: -1.5 },
    why: "The client used AUTH {mechanism}; Exchange Online offers only LOGIN and XOAUTH2",
  },
  {
    id: "direct-send-endpoint",
    source: "Microsoft 'How to set up a multifunction device … to send email' (direct send takes no AUTH)",
    kind: "transcript",
    // A 504 5.7.4 from it, a client saying the server offers no AUTH at all (MailKit #624), or a
    // client's own "could not authenticate" / "authentication failed" there (ProjectSend #1175:
    // PHPMailer against <domain>.mail.protection.outlook.com:25, fixed by a submission host): the
    // endpoint advertises no AUTH, so every login attempt on it fails whatever the credentials. A
    // client's own "no compatible authentication mechanism" there (vaultwarden #3511, lettre, EHLO
    // from *.mail.protection.outlook.com; batch 14) is the same finding.
    evidence: (ev) =>
      // The endpoint connected to may not be the first host the text names ("instead of smtp.office365.com").
      (/protection\.outlook\.com|\beop-/iu.test(`${ev.ex.host ?? ""} ${ev.ex.serverId ?? ""}`) ||
        /\b[a-z0-9-]{1,63}\.mail\.protection\.outlook\.com\b/iu.test(ev.words)) &&
      (ev.enhanced.includes("5.7.4") ||
        anyPhrase(
          [
            "the smtp server does not support authentication",
            "smtp auth extension not supported by server",
            "smtp: server doesn't support auth",
            "could not authenticate",
            "authentication failed",
            "invalid login",
            "no compatible authentication mechanism",
            "no authentication mechanisms supported",
            "no authentication mechansims supported",
          ],
          14,
        )(ev) > 0)
        ? 1
        : 0,
    weights: { auth_mechanism_unsupported: 5, starttls_required: -3 },
    why: "The MX/direct-send endpoint (*.mail.protection.outlook.com) offers no AUTH: use smtp.office365.com:587",
  },
];
