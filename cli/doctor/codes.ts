/**
 * Status-code family priors (issue 14 item 3): each basic and enhanced code found anywhere in the
 * text gives a prior over causes (RFC 3463 classes, Exchange Online's NDR reference). A recognised
 * code always pushes `unknown` down, so it can never come first.
 */
import type { Evidence } from "./evidence.ts";
import { REASONS } from "./reasons.ts";
import { anyPhrase, basic, both, echoesAuthError, enh, enhPrefix, not, type Rule } from "./rule-kit.ts";

const ANY_REASON = anyPhrase(Object.values(REASONS).flat(), 10);
// What a 5.7.139 reply says around its reason: the generic words, the diagnostic suffix, the link.
const REPLY_FRAME =
  /authentication unsuccessful|\[[^\][]{0,300}\]?|contact your administrator|visit \S+(?: for more information)?|[\s,.;:'"()]+/giu;

/** 1 when a 5.7.139 is present but its reason is not: no reason phrase, no words after the frame. */
function bare5739(ev: Evidence): number {
  if (!ev.enhanced.includes("5.7.139") || ANY_REASON(ev) > 0) return 0;
  const replies = ev.ex.replies.filter((r) => r.enhanced === "5.7.139");
  return replies.every((r) => r.text.replace(REPLY_FRAME, "") === "") ? 1 : 0;
}

/*
 * Priors of the generic families are set from the measured resolved-cause mix of the corpus
 * (test/doctor/corpus/*.yaml, 164 cases; a case counts as generic when only generic code rules
 * spoke, diagnose.ts onlyGeneric). Rule for the order: a cause that resolved more threads of the
 * family ranks above one that resolved fewer; a cause seen once is at least in the family and above
 * every cause seen in none; a single thread does not overturn the code's own meaning (RFC 3463 /
 * Exchange's reply) at the top. Checked held out by thread with `npm run doctor:eval`.
 */

/** The status-code table. */
export const CODE_RULES: readonly Rule[] = [
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
    question:
      "What reason follows '5.7.139 Authentication unsuccessful,' in the full reply (the device's SMTP log or the message trace)? It names the gate: basic authentication disabled, SmtpClientAuthentication disabled for the tenant or the mailbox, security defaults, or the sign-in criteria.",
  },
  {
    id: "code-5.7.139-no-reason",
    source:
      "Measured over the corpus's 5.7.139 cases (test/doctor/corpus); m365-api-facts §7 (Basic SMTP AUTH off by default from December 2026)",
    kind: "code",
    // A 5.7.139 always names its reason after the comma; a printer screen, a UI field limit or a
    // log column can leave only the code. Then the ranking is the measured mix of the reasons over
    // every corpus case with the code (26 cases, 26 threads): basic authentication disabled 12, the
    // tenant switch 4, security defaults 3, MFA 2, account locked 2, the mailbox switch, an
    // authentication policy and a wrong password 1 each. Added to code-5.7.139's family weights,
    // which stay as they are so that a reason that is present decides as before.
    evidence: bare5739,
    weights: {
      basic_auth_disabled_or_retired: 1.1,
      authentication_policy_blocks_basic_smtp: 0.5,
      smtp_auth_disabled_tenant: 0.4,
      account_locked: 0.9,
    },
    why: "{reply} without its reason: most often Basic authentication disabled for the account, then SMTP AUTH off for the tenant, security defaults or MFA",
    question:
      "What reason follows '5.7.139 Authentication unsuccessful,' in the full reply (the device's SMTP log or the message trace)? It names the gate: basic authentication disabled, SmtpClientAuthentication disabled for the tenant or the mailbox, security defaults, or the sign-in criteria.",
  },
  {
    id: "code-5.7.3-auth",
    source: "Microsoft 'Authenticate … using OAuth' (535 5.7.3 failure example); MailKit #700, PHPMailer #992",
    kind: "code",
    evidence: both(enh("5.7.3"), not(basic(451))),
    // Measured mix, 535 5.7.3 with no other evidence (13 cases, 13 threads): wrong_credentials 9,
    // smtp_auth_disabled_mailbox 3 (nodemailer #1071, mageplaza #258, SaaS-Accelerator #777),
    // per_user_mfa 1; with any evidence (21): + oauth_misconfigured_app_or_sp 7 (XOAUTH2, read by
    // oauth-5.7.3), security_defaults_enabled 1. MFA now ranks above security defaults (it was
    // below). No thread resolved it as the tenant switch or Conditional Access. An unlicensed or
    // shared mailbox (0 threads) stays third: it is the gates module's mapping for this reply
    // (m365/gates.ts replyForGate, INFERRED), which probe --explain and rules.test.ts rely on.
    weights: {
      wrong_credentials: 2.3,
      smtp_auth_disabled_mailbox: 1.6,
      mailbox_unlicensed_or_missing: 1.1,
      per_user_mfa: 1.05,
      security_defaults_enabled: 1.0,
      smtp_auth_disabled_tenant: 0.8,
      conditional_access_block: 0.6,
      oauth_misconfigured_app_or_sp: 0.6,
      unknown: -5,
    },
    why: "{reply} is the credential/identity family: the sign-in was refused without a named gate",
    // Separates the family's two leading causes (9 and 3 threads): the password, or the mailbox's switch.
    question:
      "Does the same user name and password sign in to Outlook on the web, and is 'Authenticated SMTP' ticked for the mailbox (admin center > user > Mail > Manage email apps)?",
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
    // Measured mix, 535 without 5.7.139 (23 cases): wrong_credentials 10, OAuth 7, mailbox switch 3,
    // MFA 1, security defaults 1, Basic refused 1 (jenkins-infra/helpdesk #2856); unlicensed 0.
    weights: {
      wrong_credentials: 1.0,
      basic_auth_disabled_or_retired: 0.3,
      mailbox_unlicensed_or_missing: 0.2,
      unknown: -4,
    },
    why: "{reply}: the server refused the credentials",
    question:
      "Does the same user name and password sign in to the provider's web mail, and does the provider still accept password (Basic) logins for this account?",
  },
  {
    id: "code-5.0.0-auth",
    source: "RFC 3463 (X.0.0 other undefined status); terse 'Authentication failed' replies",
    kind: "code",
    evidence: enh("5.0.0"),
    // Measured mix (1 case): account_locked 1 (Magento-SMTP-Pro #80, a sign-in Microsoft blocked as
    // risky from one host). One thread puts it in the family, second; the code's meaning stays first.
    weights: {
      wrong_credentials: 1.3,
      account_locked: 0.9,
      basic_auth_disabled_or_retired: 0.5,
      security_defaults_enabled: 0.3,
      unknown: -3,
    },
    why: "{reply} is a generic refusal; next to an authentication step it reads as refused credentials",
    question:
      "Does the same password work from another network, and does the account's Entra sign-in log show this attempt blocked (locked or risky sign-in)?",
  },
  {
    id: "code-5.7.8",
    source: "RFC 4954 §6 (535 5.7.8 Authentication credentials invalid)",
    kind: "code",
    evidence: enh("5.7.8"),
    weights: { wrong_credentials: 3, unknown: -4 },
    why: "{reply}: the authentication credentials are invalid",
  },
  {
    id: "code-5.7.1",
    source:
      "RFC 3463 (X.7.1 delivery not authorized); Exchange 'Client does not have permissions to send as this sender', 'Unable to relay'",
    kind: "code",
    evidence: enh("5.7.1"),
    weights: { send_as_permission: 1.0, not_authenticated_anonymous_send: 1.0, unknown: -3 },
    why: "{reply}: the server would not accept this sender or relay for this session",
    question: "Is the From address the mailbox you sign in as, and did the client authenticate at all?",
  },
  {
    id: "code-5.7.57",
    source: "Exchange Online '530 5.7.57 Client not authenticated to send mail' (m365 SmtpReplies)",
    kind: "code",
    evidence: both(enh("5.7.57"), not(echoesAuthError)),
    // Measured mix, 530 5.7.57 with no other evidence (10 cases, 10 threads):
    // not_authenticated_anonymous_send 8, starttls_required 1 (glowroot #226), conditional_access_block
    // 1 (OfficeDocs-Exchange #2707); wrong credentials, security defaults and the mailbox switch 0
    // (a failed AUTH echoed after it is read by echoed-auth-error instead).
    weights: {
      not_authenticated_anonymous_send: 2.6,
      starttls_required: 1.0,
      conditional_access_block: 1.0,
      wrong_credentials: 0.4,
      security_defaults_enabled: 0.3,
      smtp_auth_disabled_mailbox: 0.3,
      unknown: -5,
    },
    why: "{reply}: MAIL FROM came on a session with no successful AUTH",
    question: "Does your log show STARTTLS and an AUTH command (and its reply) before MAIL FROM?",
  },
  {
    id: "dotnet-5.7.57",
    source: ".NET System.Net.Mail sends MAIL FROM after a failed or skipped AUTH (SendEmail-BuildTask #49)",
    kind: "client",
    evidence: (ev) => (ev.ex.client === "dotnet" && ev.enhanced.includes("5.7.57") && !echoesAuthError(ev) ? 1 : 0),
    // Measured mix, .NET 5.7.57 with no echoed 535 (3 cases): not_authenticated_anonymous_send 2,
    // conditional_access_block 1 (OfficeDocs-Exchange #2707); with the echo (4 more) the echoed
    // reply decides. EnableSsl off and a refused AUTH stay plausible (the wrapper sentence names both).
    weights: {
      conditional_access_block: 0.9,
      wrong_credentials: 0.6,
      starttls_required: 0.6,
      smtp_auth_disabled_mailbox: 0.5,
      security_defaults_enabled: 0.5,
    },
    why: "System.Net.Mail hides a failed AUTH behind 5.7.57: EnableSsl off, or the AUTH itself was refused",
  },
  {
    id: "code-530",
    source: "RFC 4954 §6 (530 authentication required); Exchange '530 5.7.0 Must issue a STARTTLS command first'",
    kind: "code",
    evidence: both(basic(530), not(echoesAuthError)),
    weights: { not_authenticated_anonymous_send: 1.4, starttls_required: 1.2, unknown: -4 },
    why: "{reply}: the server wants authentication (or TLS) before this command",
    question: "Does your log show STARTTLS, then an AUTH command and its reply, before MAIL FROM?",
  },
  {
    id: "code-5.7.0",
    source: "RFC 3463 (X.7.0 other security status)",
    kind: "code",
    // Next to 535 it is an authentication refusal, which code-535 reads.
    evidence: both(enh("5.7.0"), not(basic(535))),
    weights: { starttls_required: 1.0, not_authenticated_anonymous_send: 0.8, unknown: -3 },
    why: "{reply} is a generic security refusal",
  },
  {
    id: "code-504-5.7.4",
    source:
      "Exchange Online '504 5.7.4 Unrecognized authentication type' (m365 SmtpReplies); PHPMailer #1254, mattermost #954",
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
    // Measured mix, 5.2.x (9 cases): send_as_permission 8, sender_restricted 1 (uptime-kuma #242,
    // '550 5.2.0 Spam message rejected'); unlicensed or missing mailbox 0, transient 0.
    weights: {
      send_as_permission: 1.4,
      sender_restricted: 0.9,
      mailbox_unlicensed_or_missing: 0.8,
      transient: 0.2,
      unknown: -4,
    },
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
    evidence: (ev) =>
      ev.basic.some((c) => c >= 400 && c < 500) || ev.enhanced.some((c) => c.startsWith("4.")) ? 1 : 0,
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
    weights: {
      starttls_required: 1.0,
      auth_mechanism_unsupported: 1.0,
      not_authenticated_anonymous_send: 0.8,
      unknown: -3,
    },
    why: "{reply}: the server refused a command out of sequence or in a bad form",
    question: "Does your log show EHLO, then STARTTLS, then EHLO again before AUTH?",
  },
  {
    id: "code-550-554",
    source: "RFC 5321 (550/554 permanent refusal)",
    kind: "code",
    evidence: basic(550, 554),
    weights: {
      send_as_permission: 0.6,
      sender_restricted: 0.5,
      recipient_rejected: 0.5,
      mailbox_unlicensed_or_missing: 0.3,
      unknown: -3,
    },
    why: "{reply} is a permanent refusal after authentication",
  },
  {
    id: "code-sender-restricted",
    source:
      "Exchange Online NDR reference 5.1.8 (bad outbound sender), 5.7.501–5.7.503 (spam abuse), 5.7.511 (banned sender), 5.7.606–5.7.649 (banned sending IP), 5.7.700–5.7.750 (learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online)",
    kind: "code",
    evidence: (ev) =>
      // 5.7.703 is the tenant's own Tenant Allow/Block List refusing a recipient: code-recipient reads it.
      ev.enhanced.some((c) => c === "5.1.8" || /^5\.7\.(?:7(?!03)\d\d|50[1-3]|511|60[6-9]|6[1-4]\d)$/u.test(c)) ? 1 : 0,
    weights: { sender_restricted: 6, unknown: -5 },
    why: "{reply}: Exchange Online restricts this sender or tenant from sending (spam or reputation)",
  },
  {
    id: "code-recipient",
    source:
      "Exchange Online NDR reference 5.1.1, 5.1.10, 5.4.1, 5.7.703 ('messages to … are blocked by your organization using Tenant Allow Block List'); RFC 3463 X.1.2/X.1.3 (bad destination system / address syntax); a refusal at RCPT TO (Python's SMTPRecipientsRefused, 'RCPT TO command failed')",
    kind: "code",
    evidence: (ev) =>
      enh("5.1.1", "5.1.10", "5.4.1", "5.1.0", "5.1.2", "5.1.3", "5.7.703")(ev) > 0
        ? 1
        : ev.ex.stage === "rcpt"
          ? 0.8
          : 0,
    weights: { recipient_rejected: 5, unknown: -5 },
    why: "{reply}: a recipient was refused; the message got past SMTP AUTH",
  },
  {
    id: "code-recipient-restriction",
    source:
      "Exchange Online NDR reference: 5.7.133 'sender not authenticated for group', 5.7.134 'sender was not authenticated for mailbox', 5.7.12 'sender was not authenticated by organization', 5.7.124 'sender not in allowed-senders list' (the recipient accepts only some senders), 5.2.121 / 5.2.122 (the recipient's per-hour receive limit)",
    kind: "code",
    // The recipient's own restriction, after the login and the send succeeded. Outweighs the 5.2.x family's
    // Send As mix (5.2.121/5.2.122 are about the recipient, not the sender).
    evidence: enh("5.7.133", "5.7.134", "5.7.12", "5.7.124", "5.2.121", "5.2.122"),
    weights: { recipient_rejected: 5, send_as_permission: -2, unknown: -5 },
    why: "{reply}: the recipient (a group or mailbox) refuses this sender or has reached its receive limit; the login and the send were accepted",
  },
  {
    id: "code-5.7.64-relay-denied",
    source:
      "Exchange Online NDR reference 5.7.64 'TenantAttribution; Relay Access Denied': a message relayed through the MX that no inbound connector (certificate or IP) attributes to the tenant, i.e. sent without authenticating",
    kind: "code",
    evidence: enh("5.7.64"),
    weights: { not_authenticated_anonymous_send: 3, send_as_permission: -1, unknown: -4 },
    why: "{reply}: Exchange Online would not relay for an unauthenticated sender that no connector identifies",
  },
  {
    id: "code-5.7.68-direct-send-rejected",
    source:
      "Exchange Team blog 'Introducing more control over Direct Send in Exchange Online' (2025): with Set-OrganizationConfig -RejectDirectSend $true, unauthenticated mail to the MX from the tenant's own domains that no connector attributes is refused '550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources'",
    kind: "code",
    evidence: (ev) =>
      Math.max(
        enh("5.7.68")(ev),
        /direct ?send (?:is )?not allowed for this organi[sz]ation/iu.test(ev.ex.normalized) ? 1 : 0,
      ),
    weights: { not_authenticated_anonymous_send: 4, send_as_permission: -1, unknown: -4 },
    why: "{reply}: the tenant rejects Direct Send: the device must log in (smtp.office365.com:587) or be matched by a partner connector for its IP or certificate",
  },
  {
    id: "code-5.7.520-forwarding-blocked",
    source:
      "Exchange Online NDR reference 5.7.520 'Access denied, Your organization does not allow external forwarding': the outbound spam policy's automatic forwarding control",
    kind: "code",
    evidence: enh("5.7.520"),
    weights: { sender_restricted: 3, send_as_permission: -1, unknown: -4 },
    why: "{reply}: the organisation's outbound policy blocks this (forwarded) message",
  },
  {
    id: "code-4.3.x-4.4.x",
    source: "RFC 3463 (X.3.X system status, X.4.X network status)",
    kind: "code",
    evidence: (ev) => (ev.enhanced.some((c) => /^4\.[34]\./u.test(c)) ? 1 : 0),
    weights: { transient: 1.5 },
    why: "{reply}: a system or network condition on the server side",
  },
];
