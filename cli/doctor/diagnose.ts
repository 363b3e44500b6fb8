/**
 * `doctor diagnose`: from an error as a user pastes it to ranked causes, each with a one-line reason,
 * what to check and what fixes it.
 *
 * How it decides: every rule below reads the extracted replies and hints and, when it matches, yields
 * a finding — a strength (how specific the evidence is) and a distribution over causes. The strongest
 * finding decides the ranking; weaker findings add their causes at 40% weight. Confidences are then
 * scaled so they never sum above 1. The distributions are calibrated on the published corpus in
 * test/doctor/corpus (see cli/doctor/README.md for the figures) and each rule names its source.
 */
import { CAUSES, type CauseId } from "./causes.ts";
import { extract, type Extracted, type Reply } from "./extract.ts";

/** One ranked cause. */
export interface DiagnosedCause {
  id: CauseId;
  title: string;
  /** 0..1; the list's confidences sum to at most 1. */
  confidence: number;
  /** One line: why this cause, from this text. */
  reason: string;
  check: string[];
  fix: string;
  tenantYaml?: string;
  weakensTenant: boolean;
}

/** The result of diagnose(). `causes` is never empty: it ends in `unknown` when nothing matched. */
export interface Diagnosis {
  causes: DiagnosedCause[];
  extracted: Extracted;
  /** Present when the text cannot decide between the top causes: which remain and how to tell them apart. */
  ambiguity?: string;
}

interface Candidate {
  id: CauseId;
  p: number;
  reason: string;
}

interface Finding {
  /** How specific the evidence is, 0..1; the strongest finding decides. */
  strength: number;
  candidates: Candidate[];
  ambiguity?: string;
}

const CONSUMER_BASIC_OFF = Date.UTC(2024, 8, 16); // Outlook.com personal accounts: Basic auth off from 16 September 2024.

function replyLabel(r: Reply | undefined): string {
  if (r === undefined) return "the reply";
  return [r.code, r.enhanced].filter((x) => x !== null).join(" ") || "the reply";
}

function findReply(ex: Extracted, re: RegExp): Reply | undefined {
  return ex.replies.find((r) => re.test(`${r.code ?? ""} ${r.enhanced ?? ""} ${r.text}`));
}

const AMBIGUOUS_535_BASIC =
  "A bare '535 5.7.3 Authentication unsuccessful' does not say which gate refused the password. Today Exchange names most gates in a 5.7.139 reply, so a bare 5.7.3 is most often a wrong password or user name; older tenants and some front-ends also return it when SMTP AUTH is disabled for the mailbox/organisation, security defaults are on or MFA is enforced. Tell them apart: sign in to Outlook on the web with the same credentials (wrong_credentials if that fails); Get-CASMailbox <mailbox> | fl SmtpClientAuthenticationDisabled and Get-TransportConfig | fl SmtpClientAuthenticationDisabled (smtp_auth_disabled_*); the Entra sign-in log entry for client app 'Authenticated SMTP' names security defaults, MFA or the Conditional Access policy. If the client uses XOAUTH2, see oauth_misconfigured_app_or_sp.";

const AMBIGUOUS_535_OAUTH =
  "With XOAUTH2, '535 5.7.3 Authentication unsuccessful' means Entra issued a token but Exchange refused it. Tell the causes apart: decode the token (aud must be https://outlook.office365.com; roles must contain SMTP.SendAsApp for client credentials, or scp SMTP.Send for delegated); Get-ServicePrincipal must list the app with the Enterprise application's object id; Get-MailboxPermission <mailbox> must show the service principal with FullAccess; the user= in the XOAUTH2 string must be the mailbox the token may use (wrong_credentials when the token belongs to another account). SMTP AUTH disabled for the mailbox normally gives an explicit 5.7.139 reply instead.";

const AMBIGUOUS_CRITERIA =
  "'The request did not meet the criteria to be authenticated successfully' is Entra refusing the sign-in after the password was accepted: legacy per-user MFA enforced for the account, a Conditional Access policy (block legacy authentication, location, require MFA), or — less often, since it has its own reply — security defaults. Tell them apart in Entra admin center > Sign-in logs for the account, client app 'Authenticated SMTP': the Conditional Access tab names the policy (conditional_access_block), 'Strong Authentication is required' without a policy means per-user MFA (GET /beta/users/<mailbox>/authentication/requirements → perUserMfaState), and 'security defaults' in the failure reason means security_defaults_enabled.";

const AMBIGUOUS_BASIC_DISABLED =
  "'basic authentication is disabled' means Basic (password) SMTP AUTH is refused before the password is checked. For a personal Outlook.com/Hotmail account it is Microsoft's retirement (since 16 September 2024; only OAuth works). For a work account it is an Exchange authentication policy with AllowBasicAuthSmtp $false (Get-User <mailbox> | fl AuthenticationPolicy; (Get-OrganizationConfig).DefaultAuthenticationPolicy) or, after December 2026, the tenant's Basic-auth default. The address domain and the date in the reply's diagnostic suffix tell which.";

const AMBIGUOUS_5757_DOTNET =
  "System.Net.Mail sends MAIL FROM even when AUTH failed or was never offered, so '5.7.57 Client not authenticated' alone hides the real failure. Newer Exchange replies append 'Error: 535 …' with the cause; without it: check that EnableSsl=true (AUTH is only offered after STARTTLS) and credentials are set, then check the SMTP AUTH switches, security defaults and the Entra sign-in log as for 535 5.7.3.";

const AMBIGUOUS_504 =
  "'504 5.7.4 Unrecognized authentication type' means the AUTH mechanism was not offered at that point: before STARTTLS Exchange offers none, after STARTTLS only LOGIN and XOAUTH2, and the MX (direct send) endpoint offers none at all. A protocol log tells them apart: if the EHLO reply the client answered lists '250-STARTTLS' without '250-AUTH', start TLS first (starttls_required); if it lists 'AUTH LOGIN XOAUTH2', switch the client from PLAIN/CRAM-MD5/NTLM to LOGIN (auth_mechanism_unsupported).";

/** The rules, each with its source. */
function findings(ex: Extracted): Finding[] {
  const s = ex.normalized;
  const out: Finding[] = [];
  const has = (re: RegExp) => re.test(s);
  const echoed = ex.replies.some((r) => r.echoed);
  const echoNote = echoed ? " (quoted inside 530 5.7.57 at MAIL FROM: the AUTH error is the real failure)" : "";
  const oauthNote = ex.oauth ? " This gate applies to XOAUTH2 as well." : "";

  // Exchange 5.7.139 family — facts §5.2; MailKit #700, nodemailer #1484, email-oauth2-proxy #193.
  if (
    has(
      /SmtpClientAuthentication is disabled for the Tenant|smtp\s*client\s*authentication is disabled for the tenant/iu,
    )
  ) {
    const r = findReply(ex, /disabled for the Tenant/iu);
    out.push({
      strength: 0.97,
      candidates: [
        {
          id: "smtp_auth_disabled_tenant",
          p: 0.86,
          reason: `${replyLabel(r)}: SMTP AUTH is off for the organisation and the mailbox inherits it${echoNote}.${oauthNote}`,
        },
        {
          id: "smtp_auth_disabled_mailbox",
          p: 0.08,
          reason:
            "A mailbox-level enable (Set-CASMailbox -SmtpClientAuthenticationDisabled $false) overrides the organisation; check the mailbox is not explicitly disabled too.",
        },
      ],
    });
  }
  if (has(/SmtpClientAuthentication is disabled for the Mailbox/iu)) {
    const r = findReply(ex, /disabled for the Mailbox/iu);
    const personal = ex.consumerAccount
      ? " For a personal Outlook.com account there is no admin switch: use OAuth."
      : "";
    out.push({
      strength: 0.97,
      candidates: [
        {
          id: "smtp_auth_disabled_mailbox",
          p: 0.9,
          reason: `${replyLabel(r)}: SMTP AUTH is disabled on this mailbox (CASMailbox SmtpClientAuthenticationDisabled $true)${echoNote}.${oauthNote}${personal}`,
        },
        ...(ex.consumerAccount
          ? [
              {
                id: "basic_auth_disabled_or_retired" as const,
                p: 0.05,
                reason: "Personal accounts are moving to OAuth-only.",
              },
            ]
          : []),
      ],
    });
  }
  if (has(/locked by your organi[sz]ation.s security defaults policy|security defaults policy/iu)) {
    const r = findReply(ex, /security defaults/iu);
    out.push({
      strength: 0.97,
      candidates: [
        {
          id: "security_defaults_enabled",
          p: 0.92,
          reason: `${replyLabel(r)}: Entra security defaults block Basic sign-ins for this account${echoNote}.`,
        },
      ],
    });
  }
  // Dynamics 365 email troubleshooting doc: "additional criteria … MFA is configured"; MailKit #1733, nodemailer #1617.
  if (
    has(
      /did not meet the criteria to be authenticated|não atendeu aos critérios|no cumpl\p{L}+ (?:con )?los criterios/iu,
    )
  ) {
    const r = findReply(ex, /criteria|critérios|criterios/iu);
    out.push({
      strength: 0.95,
      candidates: ex.oauth
        ? [
            {
              id: "conditional_access_block",
              p: 0.6,
              reason: `${replyLabel(r)} with OAuth: a Conditional Access policy refused the token request${echoNote}.`,
            },
            { id: "per_user_mfa", p: 0.2, reason: "Delegated tokens for an MFA-enforced user also fail this way." },
          ]
        : [
            {
              id: "per_user_mfa",
              p: 0.42,
              reason: `${replyLabel(r)}: Entra refused the password sign-in; legacy per-user MFA enforced on the account is the most common reason${echoNote}.`,
            },
            {
              id: "conditional_access_block",
              p: 0.36,
              reason:
                "A Conditional Access policy (block legacy authentication, location, require MFA) gives the same reply.",
            },
            {
              id: "security_defaults_enabled",
              p: 0.12,
              reason:
                "Security defaults usually give their own 'locked by … security defaults' reply, but can surface this way.",
            },
          ],
      ambiguity: AMBIGUOUS_CRITERIA,
    });
  }
  // facts §5.2 (nodemailer #1714); consumer retirement: Microsoft support article of 16 September 2024.
  if (has(/basic authentication is disabled/iu)) {
    const r = findReply(ex, /basic authentication is disabled/iu);
    const when = ex.timestamp !== null ? Date.parse(ex.timestamp) : NaN;
    const beforeConsumerCutoff =
      (!Number.isNaN(when) && when < CONSUMER_BASIC_OFF) || (Number.isNaN(when) && ex.serverId !== null);
    let cands: Candidate[];
    if (ex.consumerAccount) {
      cands = [
        {
          id: "basic_auth_disabled_or_retired",
          p: 0.86,
          reason: `${replyLabel(r)} for a personal Outlook.com/Hotmail account: Microsoft turned Basic auth off for personal accounts on 16 September 2024; only OAuth works${echoNote}.`,
        },
        {
          id: "authentication_policy_blocks_basic_smtp",
          p: 0.05,
          reason: "Only if this is in fact a work account with an authentication policy.",
        },
      ];
    } else if (beforeConsumerCutoff) {
      cands = [
        {
          id: "authentication_policy_blocks_basic_smtp",
          p: 0.6,
          reason: `${replyLabel(r)} dated before Microsoft's retirements reached SMTP: an Exchange authentication policy (AllowBasicAuthSmtp $false) blocks Basic for this user${echoNote}.`,
        },
        {
          id: "basic_auth_disabled_or_retired",
          p: 0.3,
          reason: "If the account is a personal Outlook.com account, Basic auth is retired for it.",
        },
      ];
    } else {
      cands = [
        {
          id: "basic_auth_disabled_or_retired",
          p: 0.55,
          reason: `${replyLabel(r)}: Basic auth is refused for the account — retired for personal Outlook.com accounts (and, from end of December 2026, off by default in tenants)${echoNote}.`,
        },
        {
          id: "authentication_policy_blocks_basic_smtp",
          p: 0.35,
          reason: "In a work tenant, an authentication policy with AllowBasicAuthSmtp $false gives the same reply.",
        },
      ];
    }
    out.push({
      strength: 0.96,
      candidates: cands,
      ambiguity: ex.consumerAccount ? undefined : AMBIGUOUS_BASIC_DISABLED,
    });
  }
  if (has(/the user credentials were incorrect/iu)) {
    const r = findReply(ex, /credentials were incorrect/iu);
    out.push({
      strength: 0.95,
      candidates: [
        {
          id: "wrong_credentials",
          p: 0.82,
          reason: `${replyLabel(r)}: Entra rejected the user name or password${echoNote}.`,
        },
        { id: "account_locked", p: 0.05, reason: "Repeated failures with a stale password end in a smart lockout." },
      ],
    });
  }
  if (has(/\baccount locked\b|account is locked|AADSTS50053/iu)) {
    const r = findReply(ex, /locked/iu);
    out.push({
      strength: 0.96,
      candidates: [
        {
          id: "account_locked",
          p: 0.9,
          reason: `${replyLabel(r)}: the account is locked (Entra smart lockout or blocked sign-in)${echoNote}.`,
        },
      ],
    });
  }
  // Exchange Team blog ba-p/4114750: the reply after removal.
  if (has(/\b5\.7\.30\b|Basic authentication is not supported for Client Submission/iu)) {
    out.push({
      strength: 0.98,
      candidates: [
        {
          id: "basic_auth_disabled_or_retired",
          p: 0.93,
          reason: "550 5.7.30: Basic authentication for SMTP AUTH has been removed for this tenant; only OAuth works.",
        },
      ],
    });
  }
  // SendAs: OfficeDocs-Support #1187, FusionAuth #220, gophish #1600/#2900; continuous-error throttling doc (5.2.252).
  if (has(/SendAsDenied|\b5\.7\.60\b|send as this sender|not allowed to send as|\b5\.2\.252\b/iu)) {
    const r = findReply(ex, /SendAs|5\.7\.60|send as/iu);
    out.push({
      strength: 0.96,
      candidates: [
        {
          id: "send_as_permission",
          p: 0.92,
          reason: `${replyLabel(r)}: authentication worked but the From address is not the authenticated mailbox and it has no Send As right.`,
        },
      ],
    });
  }
  // TLS 1.0/1.1 retirement reply (Exchange Team; m365scripts, Broadcom KB 227333).
  if (has(/4\.7\.66|TLS 1\.0 and 1\.1 are not supported/iu)) {
    out.push({
      strength: 0.97,
      candidates: [
        {
          id: "tls_version",
          p: 0.94,
          reason: "421 4.7.66: the client negotiated TLS 1.0/1.1; Exchange Online requires TLS 1.2.",
        },
      ],
    });
  }
  if (has(/STARTTLS is required to send mail|Must issue a STARTTLS command first|需要\s*STARTTLS|\b451 5\.7\.3\b/iu)) {
    const r = findReply(ex, /STARTTLS|^451 5\.7\.3/iu);
    out.push({
      strength: 0.96,
      candidates: [
        {
          id: "starttls_required",
          p: 0.9,
          reason: `${replyLabel(r)}: the client sent mail commands on a plain-text session; it must issue STARTTLS first.`,
        },
        {
          id: "tls_version",
          p: 0.04,
          reason: "On Exchange on-premises the same reply follows a failed TLS 1.0/1.1 negotiation.",
        },
      ],
    });
  }
  if (ex.tlsError === "no-common-algorithm") {
    out.push({
      strength: 0.92,
      candidates: [
        {
          id: "tls_version",
          p: 0.86,
          reason:
            "The TLS handshake failed for lack of a common protocol/cipher: the client offers only TLS 1.0/1.1 or old ciphers.",
        },
        { id: "starttls_required", p: 0.05, reason: "Check the client also uses STARTTLS on 587." },
      ],
    });
  }
  if (ex.tlsError === "wrong-version-number" || ex.tlsError === "not-tls-handshake") {
    out.push({
      strength: 0.9,
      candidates: [
        {
          id: "starttls_required",
          p: ex.port === 465 ? 0.82 : 0.72,
          reason:
            "The client started TLS immediately (implicit TLS / secure=true) but port 587 answers in plain text and expects STARTTLS.",
        },
        { id: "tls_version", p: 0.14, reason: "Less often, a TLS library or proxy problem on the path." },
      ],
    });
  }
  if (ex.tlsError === "handshake-failed" && out.length === 0) {
    out.push({
      strength: 0.7,
      candidates: [
        {
          id: "tls_version",
          p: 0.5,
          reason: "The TLS handshake failed: an old TLS version, an intercepting proxy or an untrusted certificate.",
        },
        { id: "starttls_required", p: 0.3, reason: "Implicit TLS against port 587 fails the same way." },
      ],
    });
  }
  // 504 5.7.4: facts §5.2; nodemailer #1060, mikel/mail #1357, PHPMailer #1254, deanproxy/eMail #44.
  if (has(/\b5\.7\.4\b|Unrecognized authentication type/iu)) {
    const r = findReply(ex, /5\.7\.4|Unrecognized authentication/iu);
    const label = replyLabel(r);
    let cands: Candidate[];
    if (/protection\.outlook\.com|\beop-/iu.test(`${ex.host ?? ""} ${ex.serverId ?? ""}`)) {
      cands = [
        {
          id: "auth_mechanism_unsupported",
          p: 0.8,
          reason: `${label} from the MX/direct-send endpoint (*.mail.protection.outlook.com), which offers no AUTH: use smtp.office365.com:587 to authenticate, or send without credentials.`,
        },
        { id: "starttls_required", p: 0.1, reason: "AUTH is never offered before STARTTLS either." },
      ];
    } else if (ex.authNotOffered) {
      cands = [
        {
          id: "starttls_required",
          p: 0.8,
          reason: `${label}: the client sent AUTH on the plain-text session (the EHLO reply lists STARTTLS but no AUTH).`,
        },
        { id: "auth_mechanism_unsupported", p: 0.15, reason: "After STARTTLS only LOGIN and XOAUTH2 are offered." },
      ];
    } else if (ex.authMechanism === "PLAIN" || ex.authMechanism === "CRAM-MD5" || ex.authMechanism === "NTLM") {
      cands = [
        {
          id: "auth_mechanism_unsupported",
          p: 0.82,
          reason: `${label}: the client used AUTH ${ex.authMechanism}; Exchange Online offers only LOGIN and XOAUTH2.`,
        },
        { id: "starttls_required", p: 0.12, reason: "Before STARTTLS no mechanism is offered at all." },
      ];
    } else {
      cands = [
        {
          id: "auth_mechanism_unsupported",
          p: 0.62,
          reason: `${label}: the client asked for a mechanism Exchange Online does not offer (only LOGIN and XOAUTH2, after STARTTLS).`,
        },
        { id: "starttls_required", p: 0.3, reason: "Sending AUTH before STARTTLS gives the same reply." },
      ];
    }
    out.push({
      strength: 0.94,
      candidates: cands,
      ambiguity: ex.authNotOffered || ex.authMechanism === "PLAIN" ? undefined : AMBIGUOUS_504,
    });
  }
  // AADSTS codes from token endpoints (OAuth flows) — Entra error code reference.
  if (has(/AADSTS5007[69]\b/u)) {
    out.push({
      strength: 0.93,
      candidates: [
        {
          id: "per_user_mfa",
          p: 0.55,
          reason: "AADSTS50076/50079: the account must complete MFA, which a non-interactive sign-in cannot.",
        },
        {
          id: "conditional_access_block",
          p: 0.35,
          reason: "A Conditional Access policy requiring MFA gives the same code.",
        },
      ],
      ambiguity: AMBIGUOUS_CRITERIA,
    });
  }
  if (has(/AADSTS53003\b/u))
    out.push({
      strength: 0.95,
      candidates: [
        {
          id: "conditional_access_block",
          p: 0.88,
          reason: "AADSTS53003: access was blocked by a Conditional Access policy.",
        },
      ],
    });
  if (has(/AADSTS50126\b/u))
    out.push({
      strength: 0.95,
      candidates: [{ id: "wrong_credentials", p: 0.88, reason: "AADSTS50126: invalid user name or password." }],
    });
  if (has(/AADSTS(?:700016|7000215|7000222|70011|65001|500011|50194|700027)\b/u))
    out.push({
      strength: 0.95,
      candidates: [
        {
          id: "oauth_misconfigured_app_or_sp",
          p: 0.88,
          reason:
            "The token request failed at Entra (app id, secret, scope or consent): the OAuth app registration is misconfigured.",
        },
      ],
    });

  // The rules below read weaker evidence; a reply that names its gate makes them noise.
  const named = out.some((f) => f.strength >= 0.94);

  // Bare 535 5.7.3 — facts §5.2 (OAuth doc failure example); MailKit #1712/#1770, PHPMailer #992.
  const auth573 = ex.replies.find(
    (r) =>
      r.enhanced === "5.7.3" && (r.code === 535 || r.code === null) && /Authentication unsuccessful|^$/iu.test(r.text),
  );
  const genericAuthFail =
    auth573 === undefined &&
    ex.replies.length === 0 &&
    has(
      /Invalid login|Authentication failed|AuthenticationInvalidCredentials|failed to authenticate|Authentication unsuccessful|SMTPAuthenticationError|535 Authentication/iu,
    );
  if (!named && (auth573 !== undefined || genericAuthFail)) {
    const label =
      auth573 !== undefined ? `${replyLabel(auth573)} Authentication unsuccessful` : "A generic authentication failure";
    const strength = auth573 !== undefined ? 0.8 : 0.6;
    if (ex.oauth) {
      out.push({
        strength,
        candidates: [
          {
            id: "oauth_misconfigured_app_or_sp",
            p: 0.6,
            reason: `${label} to AUTH XOAUTH2${echoNote}: Exchange refused the token — permission, service principal or mailbox access is missing.`,
          },
          {
            id: "wrong_credentials",
            p: 0.16,
            reason: "The token may belong to another account than the user= in the XOAUTH2 string.",
          },
          {
            id: "mailbox_unlicensed_or_missing",
            p: 0.08,
            reason: "A shared or unlicensed mailbox as the user= fails the same way.",
          },
          {
            id: "smtp_auth_disabled_mailbox",
            p: 0.06,
            reason: "Rarely: SMTP AUTH disabled, which usually has its own 5.7.139 reply.",
          },
        ],
        ambiguity: AMBIGUOUS_535_OAUTH,
      });
    } else {
      out.push({
        strength,
        candidates: [
          {
            id: "wrong_credentials",
            p: 0.46,
            reason: `${label}${echoNote}: most often a wrong password or user name (full UPN required).`,
          },
          {
            id: "smtp_auth_disabled_mailbox",
            p: 0.16,
            reason: "Older front-ends return the same bare reply when SMTP AUTH is disabled for the mailbox.",
          },
          {
            id: "security_defaults_enabled",
            p: 0.12,
            reason: "Security defaults blocking Basic auth has also been reported as a bare 5.7.3.",
          },
          {
            id: "per_user_mfa",
            p: 0.08,
            reason: "An account with MFA enforced cannot sign in with its password over SMTP.",
          },
          {
            id: "smtp_auth_disabled_tenant",
            p: 0.06,
            reason: "SMTP AUTH disabled for the organisation, with the mailbox inheriting it.",
          },
          ...(ex.authMechanism === null
            ? [
                {
                  id: "oauth_misconfigured_app_or_sp" as const,
                  p: 0.04,
                  reason: "If the client actually used XOAUTH2, the token was refused.",
                },
              ]
            : []),
        ],
        ambiguity: AMBIGUOUS_535_BASIC,
      });
    }
  }

  // 530 5.7.57 — facts §5.2; flasky #472, NamelessMC #1881, SendEmail-BuildTask #49; .NET skips a failed AUTH.
  const r5757 = ex.replies.find(
    (r) => r.enhanced === "5.7.57" || /not authenticated to send (?:anonymous )?mail/iu.test(r.text),
  );
  const otherAuthError = ex.replies.some((r) => r.echoed || (r.code === 535 && r !== r5757));
  if (!named && (r5757 !== undefined || has(/Client (?:was )?not authenticated to send/iu)) && !otherAuthError) {
    const label = r5757 !== undefined ? replyLabel(r5757) : "5.7.57";
    if (ex.client === "dotnet") {
      out.push({
        strength: 0.7,
        candidates: [
          {
            id: "not_authenticated_anonymous_send",
            p: 0.46,
            reason: `${label} at MAIL FROM: System.Net.Mail sent no (successful) AUTH — credentials not set or EnableSsl off.`,
          },
          {
            id: "wrong_credentials",
            p: 0.14,
            reason:
              "System.Net.Mail goes on to MAIL FROM after a failed AUTH; without the appended 'Error: 535 …' the failure is hidden.",
          },
          {
            id: "smtp_auth_disabled_mailbox",
            p: 0.1,
            reason: "A hidden AUTH failure may be SMTP AUTH disabled for the mailbox.",
          },
          { id: "starttls_required", p: 0.1, reason: "Without EnableSsl=true no STARTTLS, so AUTH is never offered." },
          {
            id: "conditional_access_block",
            p: 0.06,
            reason: "A legacy-authentication block also ends here when the AUTH error is hidden.",
          },
          { id: "security_defaults_enabled", p: 0.06, reason: "So does security defaults." },
        ],
        ambiguity: AMBIGUOUS_5757_DOTNET,
      });
    } else {
      out.push({
        strength: 0.7,
        candidates: [
          {
            id: "not_authenticated_anonymous_send",
            p: 0.78,
            reason: `${label}: MAIL FROM came on a session with no successful AUTH — the client did not authenticate.`,
          },
          {
            id: "starttls_required",
            p: 0.08,
            reason: "AUTH is only offered after STARTTLS; a client that skips STARTTLS never authenticates.",
          },
          { id: "wrong_credentials", p: 0.06, reason: "Some clients ignore a failed AUTH and carry on." },
        ],
      });
    }
  }

  // Temporary replies: 4xx — RFC 5321 §4.2.1; Exchange NDR reference (432 4.3.2), MailKit #566.
  const temp = ex.replies.find(
    (r) => (r.code !== null && r.code >= 400 && r.code < 500) || (r.enhanced?.startsWith("4.") ?? false),
  );
  if (has(/mailbox logon failure|MapiExceptionLogonFailed|Cannot open mailbox/iu)) {
    out.push({
      strength: 0.88,
      candidates: ex.oauth
        ? [
            {
              id: "oauth_misconfigured_app_or_sp",
              p: 0.55,
              reason:
                "STOREDRV mailbox logon failure with an app token: the service principal has no permission on the mailbox.",
            },
            { id: "mailbox_unlicensed_or_missing", p: 0.2, reason: "Or the mailbox does not exist / is not licensed." },
            { id: "transient", p: 0.15, reason: "The reply is classed as transient; retry once." },
          ]
        : [
            {
              id: "mailbox_unlicensed_or_missing",
              p: 0.5,
              reason: "STOREDRV mailbox logon failure: Exchange could not open the sending mailbox.",
            },
            { id: "transient", p: 0.35, reason: "The reply is classed as transient; retry once." },
          ],
    });
  } else if (temp !== undefined && !has(/4\.7\.66|STARTTLS/iu)) {
    out.push({
      strength: 0.9,
      candidates: [
        {
          id: "transient",
          p: 0.82,
          reason: `${replyLabel(temp)}: a temporary failure (${temp.text.slice(0, 70) || "server busy"}); retry with back-off.`,
        },
      ],
    });
  }
  if (has(/SubmissionQuotaExceeded|sender thread limit|concurrent connections|Too many/iu) && temp === undefined) {
    out.push({
      strength: 0.9,
      candidates: [
        {
          id: "transient",
          p: 0.8,
          reason:
            "A submission limit was hit (rate, recipients per day or concurrent connections); it resets with time.",
        },
      ],
    });
  }
  // Mailbox — nodemailer #949; continuous-error throttling doc (5.2.253 invalid license).
  if (
    has(
      /Mailbox cannot be accessed|\b5\.2\.253\b|invalid license|MailboxNotEnabledForRESTAPI|mailbox (?:is )?(?:not found|unavailable|does not exist)/iu,
    )
  ) {
    out.push({
      strength: 0.9,
      candidates: [
        {
          id: "mailbox_unlicensed_or_missing",
          p: 0.76,
          reason:
            "Exchange could not open the authenticating mailbox: it is missing, unlicensed, shared or not in Exchange Online.",
        },
        { id: "transient", p: 0.1, reason: "Right after licensing, provisioning can take a while." },
      ],
    });
  }
  // Recipient problems are not SMTP AUTH failures.
  if (has(/\b5\.1\.1\b|\b5\.1\.10\b|Recipient address rejected|RecipientNotFound/iu)) {
    out.push({
      strength: 0.85,
      candidates: [
        {
          id: "unknown",
          p: 0.7,
          reason: "A recipient was refused (5.1.1/5.1.10): the message got past SMTP AUTH; fix the recipient address.",
        },
      ],
    });
  }
  if (has(/\b5\.1\.8\b|bad outbound sender|\b5\.7\.708\b|\b5\.7\.705\b/iu)) {
    out.push({
      strength: 0.85,
      candidates: [
        {
          id: "unknown",
          p: 0.7,
          reason:
            "Outbound spam/reputation block (restricted user or tenant), not an SMTP AUTH gate; see the Restricted users page in Microsoft Defender.",
        },
      ],
    });
  }
  // Network: no reply at all, socket error.
  if (ex.networkError !== null && ex.replies.length === 0 && ex.tlsError === null) {
    out.push({
      strength: 0.75,
      candidates:
        ex.port === 465
          ? [
              {
                id: "starttls_required",
                p: 0.55,
                reason: `${ex.networkError} on port 465: Exchange Online offers no implicit-TLS submission; use 587 with STARTTLS.`,
              },
              { id: "transient", p: 0.38, reason: "Or the network path is blocked." },
            ]
          : [
              {
                id: "transient",
                p: 0.8,
                reason: `${ex.networkError}: no SMTP reply — the connection to port 587 timed out or was refused (firewall, hosting egress block, or a temporary outage).`,
              },
            ],
    });
  }
  return out;
}

function substitute(text: string, mailbox: string | undefined): string {
  return mailbox === undefined ? text : text.replaceAll("<mailbox>", mailbox);
}

/**
 * Diagnose pasted error text. Never throws; text with nothing recognisable yields `unknown`.
 */
export function diagnose(text: string): Diagnosis {
  const ex = extract(text);
  const fs = findings(ex).sort((a, b) => b.strength - a.strength);
  const top = fs[0];
  const scores = new Map<CauseId, Candidate>();
  for (const f of fs) {
    const weight = f === top || f.strength === top?.strength ? 1 : 0.4;
    for (const c of f.candidates) {
      const p = c.p * weight;
      const prev = scores.get(c.id);
      if (prev === undefined || p > prev.p) scores.set(c.id, { ...c, p });
    }
  }
  if (scores.size === 0) {
    scores.set("unknown", {
      id: "unknown",
      p: 1,
      reason:
        ex.replies.length > 0
          ? `${replyLabel(ex.replies[0])} is not a reply the doctor knows for SMTP AUTH to Exchange Online.`
          : "No SMTP reply code or known error text found in the input.",
    });
  }
  const total = [...scores.values()].reduce((a, c) => a + c.p, 0);
  const scale = total > 1 ? 1 / total : 1;
  const mailbox = ex.addresses[0];
  const causes = [...scores.values()]
    .map((c) => ({ ...c, p: Math.round(c.p * scale * 100) / 100 }))
    .filter((c) => c.p >= 0.02)
    .sort((a, b) => b.p - a.p || CAUSE_ORDER.indexOf(a.id) - CAUSE_ORDER.indexOf(b.id))
    .map((c): DiagnosedCause => {
      const cause = CAUSES[c.id];
      const d: DiagnosedCause = {
        id: c.id,
        title: cause.title,
        confidence: c.p,
        reason: c.reason,
        check: cause.check.map((x) => substitute(x, mailbox)),
        fix: substitute(cause.fix, mailbox),
        weakensTenant: cause.weakensTenant,
      };
      if (cause.tenantYaml !== undefined) d.tenantYaml = substitute(cause.tenantYaml, mailbox);
      return d;
    });
  const result: Diagnosis = { causes, extracted: ex };
  const ambiguity = top?.ambiguity;
  if (ambiguity !== undefined && (causes[1]?.confidence ?? 0) >= 0.1) result.ambiguity = ambiguity;
  return result;
}

const CAUSE_ORDER: readonly CauseId[] = Object.keys(CAUSES) as CauseId[];
