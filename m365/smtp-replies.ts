/**
 * The catalogue of Exchange Online's SMTP replies that matter to SMTP AUTH, each with its source.
 * Pure data: the gates (./gates.ts) map each blocking gate to one of these; the sandbox's SMTP
 * server sends them; the doctor reads them back.
 */

/** An SMTP reply as Exchange writes it: `<code> <enhanced> <text>`, plus a server-id suffix on the wire. */
export interface SmtpReply {
  code: number;
  enhanced: string;
  text: string;
}

/**
 * Exchange Online's replies, keyed by what causes them. Texts exclude the diagnostic suffix
 * (`[AM0PR01CA0001.eurprd01.prod.outlook.com 2025-01-26T18:54:30.055Z 08DD3DD7D75D7743]`) that
 * Exchange appends to most of them; {@link formatReply} adds one.
 */
export const SmtpReplies = {
  /** Source: nodemailer/nodemailer#1484 (2022), simonrob/email-oauth2-proxy#193 (2023), MicrosoftDocs/OfficeDocs-Exchange#3124. */
  smtpAuthDisabledTenant: {
    code: 535,
    enhanced: "5.7.139",
    text: "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
  },
  /** Source: fact sheet §5.2 (PatchMyPC capture); same shape as the Tenant variant. */
  smtpAuthDisabledMailbox: {
    code: 535,
    enhanced: "5.7.139",
    text: "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.",
  },
  /** Source: fact sheet §5.2; docs.bookyourpto.com "SMTP troubleshoot" (security defaults on). */
  securityDefaults: {
    code: 535,
    enhanced: "5.7.139",
    text: "Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.",
  },
  /**
   * Source: gophish/gophish#3220 (2024, localised), a 2026 production capture quoted in a public
   * test suite, fact sheet §5.2 (Dynamics 365 doc: "might be required because MFA is configured").
   * Used for Conditional Access and for enforced per-user MFA.
   */
  criteriaNotMet: {
    code: 535,
    enhanced: "5.7.139",
    text: "Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.",
  },
  /**
   * Source: nodemailer/nodemailer#1714 (2025), rpremraj/mailR#107 (2022). Observed for accounts
   * whose basic authentication is off; mapping to an authentication policy with
   * AllowBasicAuthSmtp:$false is INFERRED (fact sheet §9 item 6).
   */
  basicAuthDisabled: {
    code: 535,
    enhanced: "5.7.139",
    text: "Authentication unsuccessful, basic authentication is disabled.",
  },
  /** Source: codassassin/email-bomber-v2.0#1 (2022) and many captures: wrong password. */
  credentialsIncorrect: {
    code: 535,
    enhanced: "5.7.139",
    text: "Authentication unsuccessful, the user credentials were incorrect.",
  },
  /** Source: 2026 production capture (".NET: 5.7.57 … Error: 535 5.7.139 Authentication unsuccessful, account locked. Contact your administrator. [CH2PR19CA0002…]"). */
  accountLocked: {
    code: 535,
    enhanced: "5.7.139",
    text: "Authentication unsuccessful, account locked. Contact your administrator.",
  },
  /**
   * Source: a 2024 capture ("account has an issue. Contact your administrator. [AM8P190CA0003…]")
   * whose cause is not stated; mapping it to a disabled account (accountEnabled false) is INFERRED.
   */
  accountHasAnIssue: {
    code: 535,
    enhanced: "5.7.139",
    text: "Authentication unsuccessful, account has an issue. Contact your administrator.",
  },
  /**
   * Source: Microsoft "Authenticate an IMAP, POP or SMTP connection using OAuth" (failure example),
   * HChaoHui/msOauth2api#3 (2025), tarickb/sasl-xoauth2#43. XOAUTH2 failures (bad token, no
   * Exchange service principal, no mailbox permission) and, INFERRED, a user without a mailbox.
   */
  authenticationUnsuccessful: { code: 535, enhanced: "5.7.3", text: "Authentication unsuccessful" },
  /** Source: Exchange Team blog 2024-04-15 "Exchange Online to retire Basic auth for Client Submission (SMTP AUTH)". */
  basicAuthRetired: {
    code: 550,
    enhanced: "5.7.30",
    text: "Basic authentication is not supported for Client Submission.",
  },
  /** Source: tarickb/sasl-xoauth2#96 (postfix trace, 2024): "530 5.7.57 Client not authenticated to send mail. [US22278CA0034…]". */
  clientNotAuthenticated: { code: 530, enhanced: "5.7.57", text: "Client not authenticated to send mail." },
  /**
   * Source: mattermost/mattermost#954 (Microsoft engineer: AUTH PLAIN), PHPMailer/PHPMailer#1254
   * (AUTH before STARTTLS), maxisam/mgob#52 (2023, with suffix).
   */
  unrecognizedAuthType: { code: 504, enhanced: "5.7.4", text: "Unrecognized authentication type" },
  /**
   * Source: MicrosoftDocs/OfficeDocs-Support#1187 (2021), FusionAuth/fusionauth-issues#220,
   * Notifuse/notifuse#250 (2026, OAuth). Given at the end of DATA. Consumer outlook.com answers
   * `554 5.2.252 SendAsDenied; <a> not allowed to send as <b>; …` instead (gophish/gophish#2900).
   */
  sendAsDenied: {
    code: 554,
    enhanced: "5.2.0",
    text: "STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message Cannot submit message.",
  },
  /** Source: zehm/sendEmail#1 (2022), Microsoft "Opt in to the Exchange Online endpoint for legacy TLS clients". */
  tlsVersionNotSupported: {
    code: 421,
    enhanced: "4.7.66",
    text: "TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2. Visit https://aka.ms/smtp_auth_tls.",
  },
} as const satisfies Record<string, SmtpReply>;

/** `535 5.7.139 Authentication unsuccessful, … [suffix]`; the suffix is omitted when empty. */
export function formatReply(reply: SmtpReply, suffix?: string): string {
  return `${reply.code} ${reply.enhanced} ${reply.text}${suffix ? ` ${suffix}` : ""}`;
}
