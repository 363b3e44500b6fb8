/**
 * The doctor's catalogue of causes: every reason an SMTP AUTH submission to Exchange Online
 * (smtp.office365.com:587) can fail that the project knows how to name, check and fix.
 *
 * The ids are a stable, documented contract (issue 5): `--json` output, tests and the README use
 * them, so an id is never renamed or reused. Texts may be improved freely.
 *
 * Facts behind each entry are in /work/shared/reference/m365-api-facts.md (sections 1, 2, 4, 5, 6, 7);
 * cli/doctor/README.md documents each id with the replies that reveal it.
 */
import { BASIC_AUTH_SCHEDULE } from "../../m365/schedule.ts";

/** Stable cause ids, in the order of DESIGN.md's gates where a gate exists. */
export const CAUSE_IDS = [
  "security_defaults_enabled",
  "smtp_auth_disabled_tenant",
  "smtp_auth_disabled_mailbox",
  "per_user_mfa",
  "conditional_access_block",
  "basic_auth_disabled_or_retired",
  "authentication_policy_blocks_basic_smtp",
  "wrong_credentials",
  "account_locked",
  "not_authenticated_anonymous_send",
  "send_as_permission",
  "tls_version",
  "starttls_required",
  "auth_mechanism_unsupported",
  "oauth_misconfigured_app_or_sp",
  "mailbox_unlicensed_or_missing",
  "sender_restricted",
  "recipient_rejected",
  "transient",
  "unknown",
] as const;

/** One of the stable cause ids. */
export type CauseId = (typeof CAUSE_IDS)[number];

/** A catalogue entry. `<mailbox>` in `check`/`fix`/`tenantYaml` is replaced by the address diagnose found, when it found one. */
export interface Cause {
  id: CauseId;
  title: string;
  /** One line: what is wrong. */
  explanation: string;
  /** Concrete checks (portal path, PowerShell, Graph call), most decisive first. */
  check: string[];
  /** The action that fixes it, in one or two sentences. */
  fix: string;
  /** The tenant.yaml change that fixes it, when the fix is a declared setting. */
  tenantYaml?: string;
  /** True when the fix lowers the tenant's protection; the text then names the OAuth path and the schedule. */
  weakensTenant: boolean;
}

/** The modern path that avoids weakening the tenant. */
export const OAUTH_PATH =
  "The OAuth path keeps the tenant protected: an app registration with the Exchange application permission SMTP.SendAsApp, its service principal registered with New-ServicePrincipal, mailbox permission for it (Add-MailboxPermission … -AccessRights FullAccess), and AUTH XOAUTH2 with a client-credentials token (scope https://outlook.office365.com/.default). It needs SMTP AUTH enabled for the mailbox, but not security defaults off or MFA off.";

const WEAKENS = ` This weakens the tenant: declare it only for this mailbox, with an owner, a ticket and an expiry. ${OAUTH_PATH} ${BASIC_AUTH_SCHEDULE}`;

/** The catalogue. Every id of CAUSE_IDS has exactly one entry. */
export const CAUSES: Readonly<Record<CauseId, Cause>> = {
  security_defaults_enabled: {
    id: "security_defaults_enabled",
    title: "Security defaults block Basic authentication",
    explanation:
      "Microsoft Entra security defaults are on; they block every legacy (Basic) sign-in, SMTP AUTH with a password included, whatever the SMTP AUTH switches say.",
    check: [
      "Entra admin center > Identity > Overview > Properties > Manage security defaults (Enabled?)",
      "Graph: GET https://graph.microsoft.com/v1.0/policies/identitySecurityDefaultsEnforcementPolicy → isEnabled",
      "Entra sign-in logs for <mailbox>: failure 'blocked by security defaults' on client app 'Authenticated SMTP'",
    ],
    fix:
      "Use the OAuth path (XOAUTH2) so security defaults can stay on; otherwise turn security defaults off and replace them with a Conditional Access baseline that excludes only this mailbox from the legacy-auth block." +
      WEAKENS,
    tenantYaml: 'securityDefaults: { enabled: false, reason: "Conditional Access baseline replaces it" }',
    weakensTenant: true,
  },
  smtp_auth_disabled_tenant: {
    id: "smtp_auth_disabled_tenant",
    title: "SMTP AUTH is disabled for the organisation",
    explanation:
      "Set-TransportConfig -SmtpClientAuthenticationDisabled is $true (the default for organisations created after January 2020) and the mailbox inherits it ($null); this gate applies to OAuth too.",
    check: [
      "Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled   (True = disabled)",
      "Get-CASMailbox -Identity <mailbox> | Format-List SmtpClientAuthenticationDisabled   (blank = inherits the organisation)",
      "Exchange admin center > Settings > Mail flow > 'Turn off SMTP AUTH protocol for your organization'",
    ],
    fix: "Leave the organisation disabled and enable SMTP AUTH only for this mailbox (the mailbox setting takes precedence over the organisation's).",
    tenantYaml:
      "smtpAuth:\n  organization: disabled\n  mailboxes:\n    <mailbox>: { state: enabled, owner: <owner>, ticket: <ticket>, expires: <yyyy-mm-dd> }",
    weakensTenant: false,
  },
  smtp_auth_disabled_mailbox: {
    id: "smtp_auth_disabled_mailbox",
    title: "SMTP AUTH is disabled for the mailbox",
    explanation:
      "Set-CASMailbox -SmtpClientAuthenticationDisabled is $true for this mailbox (or it inherits a disabled organisation); applies to Basic and OAuth alike.",
    check: [
      "Get-CASMailbox -Identity <mailbox> | Format-List SmtpClientAuthenticationDisabled   (True = disabled)",
      "Microsoft 365 admin center > Users > Active users > <mailbox> > Mail > Manage email apps > 'Authenticated SMTP'",
    ],
    fix: "Enable SMTP AUTH for this one mailbox (Set-CASMailbox -SmtpClientAuthenticationDisabled $false), declared with owner, ticket and expiry. For a personal Outlook.com account there is no admin switch: use OAuth or Microsoft Graph.",
    tenantYaml:
      "smtpAuth:\n  mailboxes:\n    <mailbox>: { state: enabled, owner: <owner>, ticket: <ticket>, expires: <yyyy-mm-dd> }",
    weakensTenant: false,
  },
  per_user_mfa: {
    id: "per_user_mfa",
    title: "Legacy per-user MFA is enforced for the account",
    explanation:
      "The account's legacy per-user MFA state is enabled/enforced; a password-only SMTP AUTH sign-in cannot satisfy it, so Entra refuses it.",
    check: [
      "Graph beta: GET https://graph.microsoft.com/beta/users/<mailbox>/authentication/requirements → perUserMfaState",
      "Entra admin center > Users > Per-user multifactor authentication > <mailbox>",
      "Entra sign-in logs for <mailbox>: 'Strong Authentication is required' / AADSTS50076 on client app 'Authenticated SMTP'",
    ],
    fix:
      "Prefer the OAuth path (client credentials need no user MFA). Otherwise set per-user MFA to disabled for this service mailbox only and protect it with a Conditional Access policy (trusted location, excluded from the legacy-auth block)." +
      WEAKENS,
    tenantYaml: "mfa:\n  users:\n    <mailbox>: disabled",
    weakensTenant: true,
  },
  conditional_access_block: {
    id: "conditional_access_block",
    title: "A Conditional Access policy blocks the sign-in",
    explanation:
      "A Conditional Access policy (typically 'Block legacy authentication', or a location/MFA requirement) applies to this account and the 'Other clients'/'Exchange ActiveSync' client apps.",
    check: [
      "Entra sign-in logs for <mailbox> > Conditional Access tab: which policy failed",
      "Graph: GET https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies → policies with conditions.clientAppTypes containing 'other' and grantControls 'block'",
      "Entra admin center > Protection > Conditional Access > What If (user <mailbox>, client app 'Other clients')",
    ],
    fix:
      "Use the OAuth path, which legacy-auth blocks do not apply to. If Basic must stay, exclude only this mailbox from the legacy-auth block and restrict it another way (named location). This is a Conditional Access change made outside tenant.yaml." +
      WEAKENS,
    weakensTenant: true,
  },
  basic_auth_disabled_or_retired: {
    id: "basic_auth_disabled_or_retired",
    title: "Basic authentication is disabled or retired for this account",
    explanation:
      "The service refuses Basic (password) SMTP AUTH for the account: personal Outlook.com/Hotmail accounts since 16 September 2024, and Exchange Online tenants on Microsoft's retirement schedule (550 5.7.30 once removed).",
    check: [
      "Is the account personal (outlook.com, hotmail.*, live.*, msn.com)? Then only OAuth works; there is no switch.",
      "For a work account: Exchange admin center > Reports > Mail flow > SMTP AUTH clients report (authentication protocol column)",
      "Check the current Message Center post MC786329 for the tenant's state",
    ],
    fix: `Move the sender to OAuth (XOAUTH2) or Microsoft Graph sendMail; for devices that cannot, use High Volume Email or an SMTP relay connector. ${OAUTH_PATH} ${BASIC_AUTH_SCHEDULE}`,
    weakensTenant: false,
  },
  authentication_policy_blocks_basic_smtp: {
    id: "authentication_policy_blocks_basic_smtp",
    title: "An Exchange authentication policy blocks Basic SMTP",
    explanation:
      "An Exchange authentication policy assigned to the user (or the organisation default) has AllowBasicAuthSmtp $false; Basic is refused before the request reaches Entra, even with SMTP AUTH enabled.",
    check: [
      "Get-User -Identity <mailbox> | Format-List AuthenticationPolicy",
      "(Get-OrganizationConfig).DefaultAuthenticationPolicy",
      "Get-AuthenticationPolicy -Identity <policy> | Format-List AllowBasicAuthSmtp",
    ],
    fix:
      "Prefer the OAuth path. Otherwise assign this mailbox a dedicated policy that allows only SMTP Basic (New-AuthenticationPolicy … -AllowBasicAuthSmtp; Set-User -Identity <mailbox> -AuthenticationPolicy <policy>); it takes effect within 24 hours. Authentication policies are not in tenant.yaml." +
      WEAKENS,
    weakensTenant: true,
  },
  wrong_credentials: {
    id: "wrong_credentials",
    title: "Wrong user name or password (or token for the wrong account)",
    explanation:
      "The password, user name (must be the full UPN) or, for OAuth, the account the token was issued to does not match the mailbox authenticating.",
    check: [
      "Sign in to https://outlook.office.com as <mailbox> with the same password",
      "The SMTP user name is the full user principal name, not an alias or DOMAIN\\user",
      "Entra sign-in logs for <mailbox>: error 50126 (invalid user name or password)",
      "For XOAUTH2: the token's upn/oid (delegated) is the mailbox in the user= field",
    ],
    fix: "Correct the credentials in the sending application (a new password, the full UPN, or a token issued to the right account). No tenant change.",
    weakensTenant: false,
  },
  account_locked: {
    id: "account_locked",
    title: "The account is locked",
    explanation:
      "Entra smart lockout (or an admin block) has locked the account, usually after repeated failures from a device with an old password.",
    check: [
      "Entra sign-in logs for <mailbox>: error 50053 (account locked) and the source IPs",
      "Microsoft 365 admin center > Users > Active users > <mailbox>: sign-in blocked?",
    ],
    fix: "Stop the source of failed attempts (update every device/app holding the old password), wait for the lockout to expire or unblock the account, then retry.",
    weakensTenant: false,
  },
  not_authenticated_anonymous_send: {
    id: "not_authenticated_anonymous_send",
    title: "The client sent MAIL FROM without authenticating",
    explanation:
      "Exchange saw MAIL FROM on a session with no successful AUTH (530 5.7.57): the client never sent AUTH (no credentials, TLS not started so AUTH not offered) or ignored a failed AUTH.",
    check: [
      "The client is configured with SMTP authentication on, a user name and a password/token",
      "The client uses STARTTLS on port 587 (AUTH is only offered after STARTTLS)",
      "A protocol log shows an AUTH command and its reply before MAIL FROM",
    ],
    fix: "Turn authentication on in the client (user name + password or XOAUTH2 token) with STARTTLS; if an AUTH error precedes this reply, fix that error instead.",
    weakensTenant: false,
  },
  send_as_permission: {
    id: "send_as_permission",
    title: "The authenticated account may not send as the From address",
    explanation:
      "The From (or MAIL FROM) address differs from the authenticated mailbox and the account has no Send As permission on it (SendAsDenied).",
    check: [
      "Compare the From address with the authenticated user name",
      "Get-RecipientPermission -Identity <from address> | Where-Object AccessRights -contains SendAs",
    ],
    fix: "Send with From equal to the authenticated mailbox, or grant Send As: Add-RecipientPermission -Identity <from address> -Trustee <mailbox> -AccessRights SendAs.",
    weakensTenant: false,
  },
  tls_version: {
    id: "tls_version",
    title: "The client's TLS is too old",
    explanation:
      "The client offers only TLS 1.0/1.1 (or old ciphers), or its TLS stack no longer trusts Microsoft's certificate chain (an outdated root store); smtp.office365.com requires TLS 1.2 or later.",
    check: [
      "The client or OS TLS settings (.NET: ServicePointManager.SecurityProtocol / SslProtocols; Windows SCHANNEL TLS 1.2 enabled)",
      "Exchange admin center > Reports > Mail flow > SMTP AUTH clients report (TLS version column)",
      "openssl s_client -starttls smtp -connect smtp.office365.com:587 -tls1_2",
    ],
    fix: "Update the client, runtime or device firmware to TLS 1.2+ and current root certificates. (Set-TransportConfig -AllowLegacyTLSClients with smtp-legacy.office365.com was a temporary opt-in; do not rely on it.)",
    weakensTenant: false,
  },
  starttls_required: {
    id: "starttls_required",
    title: "The client must use STARTTLS on port 587",
    explanation:
      "smtp.office365.com:587 starts in plain text and requires STARTTLS before AUTH or MAIL FROM; implicit TLS (port 465 / secure=true) and plain sessions fail.",
    check: [
      "Host smtp.office365.com, port 587, encryption 'STARTTLS' (nodemailer secure:false + requireTLS:true; .NET EnableSsl=true; MailKit SecureSocketOptions.StartTls)",
      "A protocol log shows 'STARTTLS' → '220 2.0.0 SMTP server ready' before AUTH",
    ],
    fix: "Configure the client for port 587 with STARTTLS (not SSL/TLS on connect, not port 465).",
    weakensTenant: false,
  },
  auth_mechanism_unsupported: {
    id: "auth_mechanism_unsupported",
    title: "The client used an authentication mechanism Exchange Online does not offer",
    explanation:
      "smtp.office365.com offers only AUTH LOGIN and XOAUTH2 (after STARTTLS); AUTH PLAIN, CRAM-MD5 or NTLM, or AUTH against an endpoint that offers none (the MX/direct-send endpoint), is refused with 504 5.7.4.",
    check: [
      "The EHLO reply after STARTTLS lists '250-AUTH LOGIN XOAUTH2'",
      "The client's auth type setting (LOGIN or XOAUTH2, not PLAIN/CRAM-MD5/NTLM)",
      "The host is smtp.office365.com, not <tenant>.mail.protection.outlook.com (direct send takes no AUTH)",
    ],
    fix: "Set the client's mechanism to LOGIN (or XOAUTH2) and connect to smtp.office365.com:587 with STARTTLS; for direct send to the MX endpoint, send without credentials.",
    weakensTenant: false,
  },
  oauth_misconfigured_app_or_sp: {
    id: "oauth_misconfigured_app_or_sp",
    title: "OAuth token accepted by Entra but refused by Exchange",
    explanation:
      "XOAUTH2 failed: the app lacks SMTP.SendAsApp (or the token has the wrong audience/scope), its service principal is not registered in Exchange (or with the app registration's object id instead of the enterprise application's), or it has no permission on the mailbox.",
    check: [
      "Decode the token: aud https://outlook.office365.com, roles contains SMTP.SendAsApp (app-only) or scp contains SMTP.Send (delegated)",
      "Get-ServicePrincipal | Where-Object AppId -eq <client id>   (ObjectId must be the Enterprise application's object id)",
      "Get-MailboxPermission -Identity <mailbox> | Where-Object User -like '*<service principal id>*'   (FullAccess)",
      "Test-ServicePrincipalAuthorization -Identity <service principal> -Resource <mailbox>",
    ],
    fix: "Grant SMTP.SendAsApp with admin consent, New-ServicePrincipal -AppId <client id> -ObjectId <enterprise app object id>, Add-MailboxPermission -Identity <mailbox> -User <service principal id> -AccessRights FullAccess, request the token for https://outlook.office365.com/.default, and allow up to an hour for propagation.",
    weakensTenant: false,
  },
  mailbox_unlicensed_or_missing: {
    id: "mailbox_unlicensed_or_missing",
    title: "The account has no usable Exchange Online mailbox",
    explanation:
      "The authenticating account has no licensed Exchange Online mailbox (unlicensed, shared mailbox used as a login, mailbox still on-premises, or not yet provisioned), so Exchange cannot open it.",
    check: [
      "Get-Mailbox -Identity <mailbox> | Format-List RecipientTypeDetails   (UserMailbox expected; SharedMailbox cannot sign in)",
      "Graph: GET https://graph.microsoft.com/v1.0/users/<mailbox>/licenseDetails → an Exchange Online service plan",
    ],
    fix: "License the account with an Exchange Online plan (or authenticate as a licensed user who has Send As on the shared mailbox) and wait for the mailbox to provision.",
    weakensTenant: false,
  },
  sender_restricted: {
    id: "sender_restricted",
    title: "Exchange Online blocks this sender or tenant from sending (spam or reputation)",
    explanation:
      "Authentication worked, but Exchange Online refuses the message because the account was restricted for sending spam (550 5.1.8 bad outbound sender) or the tenant's outbound traffic is blocked (5.7.705, 5.7.708 low-reputation or new tenant, 5.7.750 unregistered domains).",
    check: [
      "Microsoft Defender portal > Email & collaboration > Review > Restricted entities: is <mailbox> listed?",
      "Get-BlockedSenderAddress (Exchange Online PowerShell)",
      "Message trace for <mailbox>; the NDR's 5.7.7xx code names the tenant-level block",
    ],
    fix: "Find and stop what sent spam (reset the password, revoke sessions, check inbox rules), then release the user in Restricted entities; for 5.7.7xx tenant blocks, open a Microsoft support case. Not an SMTP AUTH setting.",
    weakensTenant: false,
  },
  recipient_rejected: {
    id: "recipient_rejected",
    title: "A recipient was refused",
    explanation:
      "The message got past SMTP AUTH; a recipient address does not exist or its domain refuses the message (5.1.1, 5.1.10, 5.4.1).",
    check: ["The recipient address in the NDR or the RCPT TO reply", "Message trace in the Exchange admin center"],
    fix: "Correct the recipient address (or ask the recipient's admin). No SMTP AUTH change is needed.",
    weakensTenant: false,
  },
  transient: {
    id: "transient",
    title: "Temporary or network failure",
    explanation:
      "A 4xx reply (server busy, throttling, concurrency or rate limits) or a connection timeout; the request may succeed on retry, or the network path to port 587 is blocked.",
    check: [
      "Retry after a few minutes; check https://status.office.com / Service health in the admin center",
      "Test-NetConnection smtp.office365.com -Port 587 (or nc -vz smtp.office365.com 587) from the sending host",
      "Limits: 30 messages/minute and 10,000 recipients/day per mailbox, 3 concurrent connections",
    ],
    fix: "Retry with back-off and stay within the submission limits; if connections time out, open outbound TCP 587 to smtp.office365.com on the firewall/hosting provider.",
    weakensTenant: false,
  },
  unknown: {
    id: "unknown",
    title: "Not recognised",
    explanation:
      "The text does not contain a reply the doctor recognises as an SMTP AUTH failure from Exchange Online.",
    check: [
      "Paste the complete error including the server reply line (e.g. '535 5.7.139 …'), or run `m365-smtp-auth doctor probe`",
    ],
    fix: "No fix can be named from this text alone.",
    weakensTenant: false,
  },
};
