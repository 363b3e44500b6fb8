/**
 * The doctor's rules as one declarative table (issue 12 item 4, issue 14 items 2–5).
 *
 * Each rule reads one piece of evidence (a status-code family, a reply phrase, a client library's
 * own wording, the order of a transcript, the user's own words) and adds log-odds to the causes it
 * supports, scaled by how strongly the evidence is present (a phrase cut off mid-word counts less
 * than a whole one). diagnose() adds every rule's weights to a prior and takes a softmax, so
 * evidence combines instead of "strongest rule wins". Weights are log-odds: +1 multiplies a
 * cause's odds by e; ±4 or more is decisive.
 *
 * Client-library wording lives in clients.ts, the user's own words in user-words.ts; both are
 * tables of this same shape, concatenated into {@link RULES}.
 */
import type { CauseId } from "./causes.ts";
import { CLIENT_RULES } from "./clients.ts";
import type { Evidence } from "./evidence.ts";
import { BASIC_ONLY_CAUSES, OAUTH_ONLY_CAUSES } from "./gate-causes.ts";
import { USER_WORD_RULES } from "./user-words.ts";

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

const enh =
  (...codes: string[]) =>
  (ev: Evidence): number =>
    codes.some((c) => ev.enhanced.includes(c)) ? 1 : 0;
const enhPrefix =
  (prefix: string) =>
  (ev: Evidence): number =>
    ev.enhanced.some((c) => c.startsWith(prefix)) ? 1 : 0;
const basic =
  (...codes: number[]) =>
  (ev: Evidence): number =>
    codes.some((c) => ev.basic.includes(c)) ? 1 : 0;
const both =
  (a: (ev: Evidence) => number, b: (ev: Evidence) => number) =>
  (ev: Evidence): number =>
    Math.min(a(ev), b(ev));
const not =
  (a: (ev: Evidence) => number) =>
  (ev: Evidence): number =>
    1 - a(ev);

// ---------------------------------------------------------------------------------------------
// Reason phrases, with the languages Exchange and its admin surfaces answer in.
// en: the catalogue (m365 SmtpReplies; each text's source is cited there).
// es/pt "criteria": gophish/gophish#3220 (a localised 5.7.139 reply, 2024).
// de: Microsoft Learn de-de "Einstellung der Standardauthentifizierung in Exchange Online"
//     (Standardauthentifizierung = basic authentication) and de-de "Fortlaufende Fehlerdrosselung
//     für SMTP AUTH-Übermittlungen" (550 5.2.252 … „Senden als verweigert" gedrosselt).
// fr: Microsoft Learn fr-fr "paramètres de sécurité par défaut", "authentification de base"
//     (it-connect.fr "fin de vie pour l'authentification basique SMTP" quotes both).
// it, nl, ja, zh: the product terms of Microsoft Learn's localised pages (security defaults,
//     basic authentication, send as). No public capture of a fully translated 5.7.139 reply was
//     found for these; the terms are what a localised wrapper or NDR shows.
// ---------------------------------------------------------------------------------------------

/** Phrases per reason, every language; exported for the metamorphic tests' translated transform. */
export const REASONS = {
  tenantDisabled: [
    "smtpclientauthentication is disabled for the tenant",
    "smtp client authentication is disabled for the tenant",
    "smtpclientauthentication ist für den mandanten deaktiviert",
    "smtpclientauthentication est désactivé pour le locataire",
    "smtpclientauthentication está deshabilitado para el inquilino",
    "smtpclientauthentication está desabilitado para o locatário",
  ],
  mailboxDisabled: [
    "smtpclientauthentication is disabled for the mailbox",
    "smtp client authentication is disabled for the mailbox",
    "smtpclientauthentication ist für das postfach deaktiviert",
    "smtpclientauthentication est désactivé pour la boîte aux lettres",
    "smtpclientauthentication está deshabilitado para el buzón",
    "smtpclientauthentication está desabilitado para a caixa de correio",
  ],
  securityDefaults: [
    "security defaults",
    "locked by your organization's security defaults",
    "locked by your organisation's security defaults",
    "sicherheitsstandards",
    "paramètres de sécurité par défaut",
    "valores predeterminados de seguridad",
    "padrões de segurança",
    "impostazioni predefinite per la sicurezza",
    "standaardinstellingen voor beveiliging",
    "セキュリティの既定値",
    "安全默认值",
  ],
  criteria: [
    "did not meet the criteria to be authenticated",
    "não atendeu aos critérios",
    "no cumplió con los criterios",
    "no cumple con los criterios",
    "ne répondait pas aux critères",
    "ne remplit pas les critères",
    "erfüllte nicht die kriterien",
    "non soddisfaceva i criteri",
    "voldeed niet aan de criteria",
  ],
  basicDisabled: [
    "basic authentication is disabled",
    "basic auth is disabled",
    "standardauthentifizierung ist deaktiviert",
    "l'authentification de base est désactivée",
    "la autenticación básica está deshabilitada",
    "a autenticação básica está desabilitada",
    "l'autenticazione di base è disabilitata",
    "basisverificatie is uitgeschakeld",
    "基本認証が無効",
    "基本身份验证已禁用",
  ],
  credentials: [
    "the user credentials were incorrect",
    "die benutzeranmeldeinformationen waren falsch",
    "les informations d'identification de l'utilisateur étaient incorrectes",
    "las credenciales del usuario eran incorrectas",
    "as credenciais do usuário estavam incorretas",
  ],
  sendAs: [
    "sendasdenied",
    "not allowed to send as",
    "send as this sender",
    "send as denied",
    "senden als verweigert",
    "envoyer en tant que",
    "enviar como",
    "invia come",
    "verzenden als",
  ],
} as const;

const OAUTH_GATE_WEIGHTS: Weights = Object.fromEntries([
  ...BASIC_ONLY_CAUSES.map((c) => [c, -2.5] as const),
  ...OAUTH_ONLY_CAUSES.map((c) => [c, 1.5] as const),
]);

// Outlook.com personal accounts: Basic auth off from 16 September 2024. After that date the reply is
// mostly the personal-account retirement even when the text does not show the account type
// (nodemailer #1714, twikoo #840).
const CONSUMER_BASIC_OFF = Date.UTC(2024, 8, 16);

/** Exchange replies and status-code families. */
const EXCHANGE_RULES: readonly Rule[] = [
  // --- Status-code family priors (RFC 3463 classes; Exchange Online NDR reference) ---------
  {
    id: "code-5.7.139",
    source: "Exchange Online 5.7.139 replies (m365 SmtpReplies); Microsoft 'Enable SMTP AUTH' troubleshooting",
    kind: "code",
    evidence: enh("5.7.139"),
    weights: {
      security_defaults_enabled: 2.1,
      per_user_mfa: 1.8,
      smtp_auth_disabled_tenant: 1.8,
      smtp_auth_disabled_mailbox: 1.7,
      conditional_access_block: 1.5,
      wrong_credentials: 1.4,
      basic_auth_disabled_or_retired: 1.3,
      authentication_policy_blocks_basic_smtp: 1.0,
      account_locked: 0.9,
      unknown: -5,
    },
    why: "{reply} is the account/tenant policy family: Exchange refused the sign-in for a named reason",
    question: "Is MFA or Security Defaults on for this account, and is SMTP AUTH enabled for the mailbox?",
  },
  {
    id: "code-5.7.3-auth",
    source: "Microsoft 'Authenticate … using OAuth' (535 5.7.3 failure example); MailKit #700, PHPMailer #992",
    kind: "code",
    evidence: both(enh("5.7.3"), not(basic(451))),
    weights: {
      wrong_credentials: 2.3,
      smtp_auth_disabled_mailbox: 1.2,
      security_defaults_enabled: 1.1,
      per_user_mfa: 0.9,
      smtp_auth_disabled_tenant: 0.8,
      conditional_access_block: 0.6,
      oauth_misconfigured_app_or_sp: 0.6,
      // A shared or unlicensed mailbox used as the login (the gates' mapping for this reply).
      mailbox_unlicensed_or_missing: 1.15,
      unknown: -5,
    },
    why: "{reply} is the credential/identity family: the sign-in was refused without a named gate",
    question: "Does the same user name and password sign in to Outlook on the web? (If yes, is MFA or Security Defaults on for it?)",
  },
  {
    id: "code-451-5.7.3",
    source: "Exchange Online '451 5.7.3 STARTTLS is required to send mail'",
    kind: "code",
    evidence: both(enh("5.7.3"), basic(451)),
    weights: { starttls_required: 5, unknown: -5 },
    why: "{reply} comes before authentication: the session was never encrypted",
  },
  {
    id: "code-535",
    source: "RFC 4954 §6 (535 authentication credentials invalid)",
    kind: "code",
    // 5.7.139 names its own family; the bare 535 adds nothing to it.
    evidence: (ev) => (ev.basic.includes(535) && !ev.enhanced.includes("5.7.139") ? 1 : 0),
    weights: { wrong_credentials: 1.0, mailbox_unlicensed_or_missing: 0.4, unknown: -4 },
    why: "{reply}: the server refused the credentials",
  },
  {
    id: "code-5.0.0-auth",
    source: "RFC 3463 (X.0.0 other undefined status); terse 'Authentication failed' replies",
    kind: "code",
    evidence: enh("5.0.0"),
    weights: { wrong_credentials: 1.3, basic_auth_disabled_or_retired: 0.5, security_defaults_enabled: 0.3, unknown: -3 },
    why: "{reply} is a generic refusal; next to an authentication step it reads as refused credentials",
  },
  {
    id: "code-5.7.57",
    source: "Exchange Online '530 5.7.57 Client not authenticated to send mail' (m365 SmtpReplies)",
    kind: "code",
    evidence: enh("5.7.57"),
    weights: {
      not_authenticated_anonymous_send: 2.6,
      starttls_required: 1.0,
      wrong_credentials: 0.6,
      conditional_access_block: 0.4,
      security_defaults_enabled: 0.4,
      smtp_auth_disabled_mailbox: 0.4,
      unknown: -5,
    },
    why: "{reply}: MAIL FROM came on a session with no successful AUTH",
    question: "Does your log show STARTTLS and an AUTH command (and its reply) before MAIL FROM?",
  },
  {
    id: "dotnet-5.7.57",
    source: ".NET System.Net.Mail sends MAIL FROM after a failed or skipped AUTH (SendEmail-BuildTask #49)",
    kind: "client",
    evidence: (ev) => (ev.ex.client === "dotnet" && ev.enhanced.includes("5.7.57") ? 1 : 0),
    weights: { wrong_credentials: 0.9, starttls_required: 0.9, smtp_auth_disabled_mailbox: 0.6, conditional_access_block: 0.5, security_defaults_enabled: 0.5 },
    why: "System.Net.Mail hides a failed AUTH behind 5.7.57: EnableSsl off, or the AUTH itself was refused",
  },
  {
    id: "code-530",
    source: "RFC 4954 §6 (530 authentication required); Exchange '530 5.7.0 Must issue a STARTTLS command first'",
    kind: "code",
    evidence: basic(530),
    weights: { not_authenticated_anonymous_send: 1.4, starttls_required: 1.2, unknown: -4 },
    why: "{reply}: the server wants authentication (or TLS) before this command",
  },
  {
    id: "code-5.7.0",
    source: "RFC 3463 (X.7.0 other security status)",
    kind: "code",
    evidence: enh("5.7.0"),
    weights: { starttls_required: 1.0, not_authenticated_anonymous_send: 0.8, unknown: -3 },
    why: "{reply} is a generic security refusal",
  },
  {
    id: "code-504-5.7.4",
    source: "Exchange Online '504 5.7.4 Unrecognized authentication type' (m365 SmtpReplies); PHPMailer #1254, mattermost #954",
    kind: "code",
    evidence: (ev) => Math.max(enh("5.7.4")(ev), basic(504)(ev)),
    weights: {
      auth_mechanism_unsupported: 2.6,
      starttls_required: 2.1,
      basic_auth_disabled_or_retired: 0.9,
      unknown: -5,
    },
    why: "{reply}: the AUTH step is wrong — a mechanism not offered at that point (none before STARTTLS; only LOGIN and XOAUTH2 after)",
    question: "Does your log show STARTTLS before AUTH, and which AUTH mechanism did the client send?",
  },
  {
    id: "code-5.7.30",
    source: "Exchange Team blog 2024-04-15 (550 5.7.30 Basic authentication is not supported for Client Submission)",
    kind: "code",
    evidence: enh("5.7.30"),
    weights: { basic_auth_disabled_or_retired: 6, unknown: -5 },
    why: "{reply}: Basic authentication for SMTP AUTH has been removed for this tenant; only OAuth works",
  },
  {
    id: "code-send-as",
    source: "Exchange NDR 5.7.60; continuous-error throttling doc (5.2.252); OfficeDocs-Support #1187",
    kind: "code",
    evidence: enh("5.7.60", "5.2.252"),
    weights: { send_as_permission: 5, unknown: -5 },
    why: "{reply}: authentication worked, but the From address is not the mailbox and it has no Send As right",
  },
  {
    id: "code-5.2.x",
    source: "RFC 3463 (X.2.X mailbox status); Exchange STOREDRV.Submission 5.2.0",
    kind: "code",
    evidence: enhPrefix("5.2."),
    weights: { send_as_permission: 1.4, mailbox_unlicensed_or_missing: 1.2, transient: 0.4, unknown: -4 },
    why: "{reply} is a mailbox-status failure at submission (Send As, licence or quota)",
    question: "Is the From address exactly the mailbox you sign in as?",
  },
  {
    id: "code-5.2.253",
    source: "Microsoft 'Continuous error throttling for SMTP AUTH submissions' (5.2.253 invalid license)",
    kind: "code",
    evidence: enh("5.2.253"),
    weights: { mailbox_unlicensed_or_missing: 4 },
    why: "{reply}: the sender was throttled for continuous 'invalid license' failures",
  },
  {
    id: "code-4.7.66",
    source: "Exchange Online '421 4.7.66 TLS 1.0 and 1.1 are not supported' (m365 SmtpReplies)",
    kind: "code",
    evidence: enh("4.7.66"),
    weights: { tls_version: 6, unknown: -5 },
    why: "{reply}: the client negotiated TLS 1.0/1.1; Exchange Online requires TLS 1.2",
  },
  {
    id: "code-4xx",
    source: "RFC 5321 §4.2.1 (4yz transient negative completion); not automatically transient (review class D)",
    kind: "code",
    evidence: (ev) => (ev.basic.some((c) => c >= 400 && c < 500) || ev.enhanced.some((c) => c.startsWith("4.")) ? 1 : 0),
    weights: { transient: 1.8, tls_version: 0.3, starttls_required: 0.3, unknown: -4 },
    why: "{reply} is a temporary reply: server busy, throttling or a limit — unless it names TLS",
  },
  {
    id: "code-4.7.x",
    source: "RFC 3463 (X.7.X security or policy status)",
    kind: "code",
    evidence: enhPrefix("4.7."),
    weights: { tls_version: 0.6, starttls_required: 0.6, transient: 0.3 },
    why: "{reply} is a temporary security/policy refusal",
  },
  {
    id: "code-5.5.x",
    source: "RFC 3463 (X.5.X mail delivery protocol status); RFC 5321 500/501/502/503",
    kind: "code",
    evidence: (ev) => Math.max(enhPrefix("5.5.")(ev), basic(500, 501, 502, 503)(ev)),
    weights: { starttls_required: 1.0, auth_mechanism_unsupported: 1.0, not_authenticated_anonymous_send: 0.8, unknown: -3 },
    why: "{reply}: the server refused a command out of sequence or in a bad form",
    question: "Does your log show EHLO, then STARTTLS, then EHLO again before AUTH?",
  },
  {
    id: "code-550-554",
    source: "RFC 5321 (550/554 permanent refusal)",
    kind: "code",
    evidence: basic(550, 554),
    weights: { send_as_permission: 0.6, sender_restricted: 0.5, recipient_rejected: 0.5, mailbox_unlicensed_or_missing: 0.3, unknown: -3 },
    why: "{reply} is a permanent refusal after authentication",
  },
  {
    id: "code-sender-restricted",
    source: "Exchange Online NDR reference 5.1.8 (bad outbound sender), 5.7.700–5.7.750",
    kind: "code",
    evidence: (ev) => (ev.enhanced.some((c) => c === "5.1.8" || /^5\.7\.7\d\d$/u.test(c)) ? 1 : 0),
    weights: { sender_restricted: 6, unknown: -5 },
    why: "{reply}: Exchange Online restricts this sender or tenant from sending (spam or reputation)",
  },
  {
    id: "code-recipient",
    source: "Exchange Online NDR reference 5.1.1, 5.1.10, 5.4.1",
    kind: "code",
    evidence: enh("5.1.1", "5.1.10", "5.4.1", "5.1.0"),
    weights: { recipient_rejected: 5, unknown: -5 },
    why: "{reply}: a recipient was refused; the message got past SMTP AUTH",
  },
  {
    id: "code-4.3.x-4.4.x",
    source: "RFC 3463 (X.3.X system status, X.4.X network status)",
    kind: "code",
    evidence: (ev) => (ev.enhanced.some((c) => /^4\.[34]\./u.test(c)) ? 1 : 0),
    weights: { transient: 1.5 },
    why: "{reply}: a system or network condition on the server side",
  },

  // --- Reply phrases ---------------------------------------------------------------------------
  {
    id: "phrase-smtp-auth-disabled",
    source: "m365 SmtpReplies.smtpAuthDisabledTenant/Mailbox (shared start, and the aka.ms link both carry)",
    kind: "phrase",
    evidence: anyPhrase(["smtpclientauthentication", "smtp client authentication is disabled", "aka.ms/smtp_auth_disabled"], 12),
    weights: { smtp_auth_disabled_tenant: 3.4, smtp_auth_disabled_mailbox: 3.4, unknown: -3 },
    why: "{reply}: SMTP AUTH is switched off (SmtpClientAuthenticationDisabled)",
    question: "Does Get-CASMailbox <mailbox> show SmtpClientAuthenticationDisabled True (mailbox) or blank (inherits the organisation)?",
  },
  {
    id: "phrase-tenant-disabled",
    source: "m365 SmtpReplies.smtpAuthDisabledTenant",
    kind: "phrase",
    evidence: anyPhrase([...REASONS.tenantDisabled, "disabled for the tenant"], 14),
    // The mailbox override stays listed: enabling SMTP AUTH on the mailbox is the fix.
    weights: { smtp_auth_disabled_tenant: 2.0 },
    why: "{reply}: SMTP AUTH is off for the organisation and the mailbox inherits it",
  },
  {
    id: "phrase-mailbox-disabled",
    source: "m365 SmtpReplies.smtpAuthDisabledMailbox",
    kind: "phrase",
    evidence: anyPhrase([...REASONS.mailboxDisabled, "disabled for the mailbox"], 14),
    weights: { smtp_auth_disabled_mailbox: 2.5, smtp_auth_disabled_tenant: -1 },
    why: "{reply}: SMTP AUTH is disabled on this mailbox (CASMailbox SmtpClientAuthenticationDisabled $true)",
  },
  {
    id: "phrase-security-defaults",
    source: "m365 SmtpReplies.securityDefaults",
    kind: "phrase",
    evidence: anyPhrase([...REASONS.securityDefaults, "user is locked by your organi"], 12),
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
    question: "Is MFA or Security Defaults on for this account, or does its sign-in log name a Conditional Access policy?",
  },
  {
    id: "phrase-basic-disabled",
    source: "m365 SmtpReplies.basicAuthDisabled (nodemailer #1714, mailR #107)",
    kind: "phrase",
    evidence: anyPhrase([...REASONS.basicDisabled, "basic authentication is not supported"], 10),
    weights: { basic_auth_disabled_or_retired: 4.8, authentication_policy_blocks_basic_smtp: 4.3, unknown: -3 },
    why: "{reply}: Basic (password) authentication is refused for the account before the password is checked",
    question: "Is this a personal Outlook.com/Hotmail account, or a work account with an Exchange authentication policy?",
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
    source: "the reply's diagnostic suffix dated before Microsoft turned Basic off for personal accounts (16 September 2024)",
    kind: "context",
    evidence: (ev) => {
      if (ev.ex.consumerAccount || anyPhrase(REASONS.basicDisabled, 10)(ev) === 0) return 0;
      const when = ev.ex.timestamp !== null ? Date.parse(ev.ex.timestamp) : Number.NaN;
      return (!Number.isNaN(when) && when < CONSUMER_BASIC_OFF) || (Number.isNaN(when) && ev.ex.serverId !== null) ? 1 : 0;
    },
    weights: { authentication_policy_blocks_basic_smtp: 1.2 },
    why: "A reply dated before the personal-account retirement: an Exchange authentication policy (AllowBasicAuthSmtp $false)",
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
    evidence: (ev) =>
      Math.max(anyPhrase(["account locked", "account is locked", "aadsts50053", "konto ist gesperrt", "compte verrouillé", "cuenta bloqueada", "conta bloqueada"], 10)(ev), 0),
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
    evidence: anyPhrase(REASONS.sendAs, 12),
    weights: { send_as_permission: 5, mailbox_unlicensed_or_missing: -1, unknown: -3 },
    why: "{reply}: the authenticated account may not send as the From address",
  },
  {
    id: "phrase-tls-old",
    source: "m365 SmtpReplies.tlsVersionNotSupported; Microsoft 'Opt in to the Exchange Online endpoint for legacy TLS clients'",
    kind: "phrase",
    evidence: anyPhrase(["tls 1.0 and 1.1 are not supported", "aka.ms/smtp_auth_tls", "upgrade/update your client to support tls 1.2"], 12),
    weights: { tls_version: 5.5, transient: -2, unknown: -3 },
    why: "{reply}: the client negotiated TLS 1.0/1.1; Exchange Online requires TLS 1.2",
  },
  {
    id: "phrase-starttls-required",
    source: "Exchange '451 5.7.3 STARTTLS is required to send mail', '530 5.7.0 Must issue a STARTTLS command first'",
    kind: "phrase",
    evidence: anyPhrase(["starttls is required", "must issue a starttls command first", "需要 starttls", "starttls erforderlich"], 12),
    weights: { starttls_required: 5.5, transient: -2, unknown: -3 },
    why: "{reply}: the client sent mail commands on a plain-text session; it must issue STARTTLS first",
  },
  {
    id: "phrase-tls-negotiation",
    source: "RFC 3207 §4 (454 TLS not available due to temporary reason); Exchange 'TLS negotiation failed' replies",
    kind: "phrase",
    evidence: anyPhrase(["tls negotiation", "tls not available", "starttls failed", "tls handshake failed", "failed to negotiate tls"], 12),
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
    evidence: anyPhrase(["client not authenticated to send", "client was not authenticated to send", "not authenticated to send anonymous mail"], 14),
    weights: { not_authenticated_anonymous_send: 2.5, unknown: -3 },
    why: "{reply}: MAIL FROM came on a session with no successful AUTH",
  },
  {
    id: "echoed-auth-error",
    source: "Exchange appends the AUTH error to 530 5.7.57 ('… Error: 535 5.7.139 …'); .NET skips a failed AUTH",
    kind: "transcript",
    evidence: (ev) => (ev.ex.replies.some((r) => r.echoed || r.code === 535) && ev.enhanced.includes("5.7.57") ? 1 : 0),
    weights: { not_authenticated_anonymous_send: -5 },
    why: "The 530 5.7.57 quotes an earlier AUTH error: that error is the real failure",
  },
  {
    id: "phrase-mailbox-logon",
    source: "Exchange STOREDRV mailbox logon failures; nodemailer #949; continuous-error throttling (invalid license)",
    kind: "phrase",
    evidence: anyPhrase(["mailbox cannot be accessed", "mapiexceptionlogonfailed", "mailbox logon failure", "cannot open mailbox", "invalid license", "mailboxnotenabledforrestapi", "mailbox does not exist", "mailbox not found"], 14),
    weights: { mailbox_unlicensed_or_missing: 3.8, transient: 0.6, unknown: -3 },
    why: "{reply}: Exchange could not open the authenticating mailbox (missing, unlicensed, shared or not in Exchange Online)",
  },
  {
    id: "phrase-throttled",
    source: "Exchange Online sending limits; RFC 5321 4yz; 432 4.3.2 STOREDRV.ClientSubmit sender thread limit",
    kind: "phrase",
    evidence: anyPhrase(["try again later", "server busy", "submissionquotaexceeded", "sender thread limit", "concurrent connections", "too many connections", "throttled", "rate limit", "temporary server error"], 12),
    weights: { transient: 2.6 },
    why: "{reply}: a submission limit or a busy server; it resets with time",
  },
  {
    id: "phrase-sender-restricted",
    source: "Exchange Online NDR 5.1.8 'Access denied, bad outbound sender'; 5.7.708 'traffic not accepted from this IP'",
    kind: "phrase",
    evidence: anyPhrase(["bad outbound sender", "traffic not accepted from this ip", "restricted from sending", "weren't recognized as a valid sender"], 14),
    weights: { sender_restricted: 4, unknown: -3 },
    why: "{reply}: Exchange Online restricts this sender or tenant from sending",
  },
  {
    id: "phrase-recipient",
    source: "RFC 5321 550 mailbox unavailable (recipient); Exchange 5.1.10 RecipientNotFound",
    kind: "phrase",
    evidence: anyPhrase(["recipient address rejected", "recipientnotfound", "user unknown", "resolver.adr.recipientnotfound"], 12),
    weights: { recipient_rejected: 3.5, unknown: -3 },
    why: "{reply}: a recipient was refused; the message got past SMTP AUTH",
  },
  // --- Entra token-endpoint codes (OAuth flows) — Entra error code reference -------------------
  {
    id: "aadsts-mfa",
    source: "Entra AADSTS50076/50079",
    kind: "phrase",
    evidence: (ev) => (/aadsts5007[69]\b/u.test(ev.words) ? 1 : 0),
    weights: { per_user_mfa: 4.5, conditional_access_block: 4.0, unknown: -3 },
    why: "AADSTS50076/50079: the account must complete MFA, which a non-interactive sign-in cannot",
    question: "Is MFA enforced per user for this account, or required by a Conditional Access policy?",
  },
  {
    id: "aadsts-ca",
    source: "Entra AADSTS53003",
    kind: "phrase",
    evidence: (ev) => (/aadsts53003\b/u.test(ev.words) ? 1 : 0),
    weights: { conditional_access_block: 6, unknown: -3 },
    why: "AADSTS53003: access was blocked by a Conditional Access policy",
  },
  {
    id: "aadsts-password",
    source: "Entra AADSTS50126",
    kind: "phrase",
    evidence: (ev) => (/aadsts50126\b/u.test(ev.words) ? 1 : 0),
    weights: { wrong_credentials: 6, unknown: -3 },
    why: "AADSTS50126: invalid user name or password",
  },
  {
    id: "aadsts-app",
    source: "Entra AADSTS700016/7000215/7000222/70011/65001/500011/50194/700027",
    kind: "phrase",
    evidence: (ev) => (/aadsts(?:700016|7000215|7000222|70011|65001|500011|50194|700027)\b/u.test(ev.words) ? 1 : 0),
    weights: { oauth_misconfigured_app_or_sp: 6, unknown: -3 },
    why: "The token request failed at Entra (app id, secret, scope or consent): the OAuth app registration is misconfigured",
  },
  // --- Mechanism, from the gates module: which gates apply to OAuth ----------------------------
  {
    id: "oauth-in-use",
    source: "m365 gates: a gate skipped for mechanism 'oauth' cannot block an XOAUTH2 login (derived, gate-causes.ts)",
    kind: "transcript",
    evidence: (ev) => (ev.ex.oauth ? 1 : 0),
    weights: OAUTH_GATE_WEIGHTS,
    why: "The login uses OAuth (XOAUTH2): Exchange refused the token — permission, service principal or mailbox access",
    question: "Is this an OAuth (XOAUTH2) login, and does the token carry SMTP.SendAsApp for https://outlook.office365.com?",
  },
  {
    id: "oauth-5.7.3",
    source: "Microsoft 'Authenticate an IMAP, POP or SMTP connection using OAuth' (535 5.7.3 for a refused token); MailKit #1712/#1733",
    kind: "transcript",
    evidence: (ev) => (ev.ex.oauth && (ev.enhanced.includes("5.7.3") || ev.basic.includes(535)) ? 1 : 0),
    weights: { oauth_misconfigured_app_or_sp: 3, mailbox_unlicensed_or_missing: 0.5 },
    why: "{reply} to AUTH XOAUTH2: Exchange refused the token — SMTP.SendAsApp, the Exchange service principal or the mailbox permission is missing",
    question: "Does the token carry SMTP.SendAsApp for https://outlook.office365.com, and does Get-ServicePrincipal list the app?",
  },
  {
    id: "oauth-mailbox-logon",
    source: "email-oauth2-proxy #271 pattern: STOREDRV logon failure after an app-only AUTH succeeded",
    kind: "transcript",
    evidence: (ev) => (ev.ex.oauth ? anyPhrase(["mailbox logon failure", "mapiexceptionlogonfailed", "cannot open mailbox"], 14)(ev) : 0),
    weights: { oauth_misconfigured_app_or_sp: 2.5, mailbox_unlicensed_or_missing: -0.5 },
    why: "{reply} after an app-only token was accepted: the service principal has no permission on the mailbox (Add-MailboxPermission)",
  },
  {
    id: "last-reply-temporary",
    source: "RFC 5321 §4.2: the last reply of a session is the failure that ended it",
    kind: "transcript",
    evidence: (ev) => {
      const last = ev.ex.replies[ev.ex.replies.length - 1];
      return ev.ex.replies.length > 1 && last?.code !== null && last!.code! >= 400 && last!.code! < 500 && !/tls/iu.test(last!.text) ? 1 : 0;
    },
    weights: { transient: 1.8, not_authenticated_anonymous_send: -1.5 },
    why: "The session ended on a temporary reply; earlier refusals came before it",
  },
  {
    id: "auth-mechanism-not-offered",
    source: "Exchange Online offers AUTH LOGIN and XOAUTH2 only (EHLO after STARTTLS)",
    kind: "transcript",
    evidence: (ev) => (["PLAIN", "CRAM-MD5", "NTLM"].includes(ev.ex.authMechanism ?? "") && ev.enhanced.includes("5.7.4") ? 1 : 0),
    weights: { auth_mechanism_unsupported: 3, starttls_required: -1 },
    why: "The client used AUTH {mechanism}; Exchange Online offers only LOGIN and XOAUTH2",
  },
  {
    id: "direct-send-endpoint",
    source: "Microsoft 'How to set up a multifunction device … to send email' (direct send takes no AUTH)",
    kind: "transcript",
    evidence: (ev) => (/protection\.outlook\.com|\beop-/iu.test(`${ev.ex.host ?? ""} ${ev.ex.serverId ?? ""}`) && ev.enhanced.includes("5.7.4") ? 1 : 0),
    weights: { auth_mechanism_unsupported: 3, starttls_required: -1.5 },
    why: "The MX/direct-send endpoint (*.mail.protection.outlook.com) offers no AUTH: use smtp.office365.com:587",
  },
];

/** Every rule, in table order. Ids are unique (tested). */
export const RULES: readonly Rule[] = [...EXCHANGE_RULES, ...CLIENT_RULES, ...USER_WORD_RULES];
