/**
 * How to tell the remaining causes apart when the text cannot: the long explanation printed with
 * --verbose and carried in `--json` as `ambiguity`, keyed by the rule whose question was asked.
 */
export const AMBIGUOUS_535_BASIC =
  "A bare '535 5.7.3 Authentication unsuccessful' does not say which gate refused the password. Today Exchange names most gates in a 5.7.139 reply, so a bare 5.7.3 is most often a wrong password or user name; older tenants and some front-ends also return it when SMTP AUTH is disabled for the mailbox/organisation, security defaults are on or MFA is enforced. Tell them apart: sign in to Outlook on the web with the same credentials (wrong_credentials if that fails); Get-CASMailbox <mailbox> | fl SmtpClientAuthenticationDisabled and Get-TransportConfig | fl SmtpClientAuthenticationDisabled (smtp_auth_disabled_*); the Entra sign-in log entry for client app 'Authenticated SMTP' names security defaults, MFA or the Conditional Access policy. If the client uses XOAUTH2, see oauth_misconfigured_app_or_sp.";

export const AMBIGUOUS_535_OAUTH =
  "With XOAUTH2, '535 5.7.3 Authentication unsuccessful' means Entra issued a token but Exchange refused it. Tell the causes apart: decode the token (aud must be https://outlook.office365.com; roles must contain SMTP.SendAsApp for client credentials, or scp SMTP.Send for delegated); Get-ServicePrincipal must list the app with the Enterprise application's object id; Get-MailboxPermission <mailbox> must show the service principal with FullAccess; the user= in the XOAUTH2 string must be the mailbox the token may use (wrong_credentials when the token belongs to another account). SMTP AUTH disabled for the mailbox normally gives an explicit 5.7.139 reply instead.";

export const AMBIGUOUS_CRITERIA =
  "'The request did not meet the criteria to be authenticated successfully' is Entra refusing the sign-in after the password was accepted: legacy per-user MFA enforced for the account, a Conditional Access policy (block legacy authentication, location, require MFA), or — less often, since it has its own reply — security defaults. Tell them apart in Entra admin center > Sign-in logs for the account, client app 'Authenticated SMTP': the Conditional Access tab names the policy (conditional_access_block), 'Strong Authentication is required' without a policy means per-user MFA (GET /beta/users/<mailbox>/authentication/requirements → perUserMfaState), and 'security defaults' in the failure reason means security_defaults_enabled.";

export const AMBIGUOUS_BASIC_DISABLED =
  "'basic authentication is disabled' means Basic (password) SMTP AUTH is refused before the password is checked. For a personal Outlook.com/Hotmail account it is Microsoft's retirement (since 16 September 2024; only OAuth works). For a work account it is an Exchange authentication policy with AllowBasicAuthSmtp $false (Get-User <mailbox> | fl AuthenticationPolicy; (Get-OrganizationConfig).DefaultAuthenticationPolicy) or, after December 2026, the tenant's Basic-auth default. The address domain and the date in the reply's diagnostic suffix tell which.";

export const AMBIGUOUS_5757_DOTNET =
  "System.Net.Mail sends MAIL FROM even when AUTH failed or was never offered, so '5.7.57 Client not authenticated' alone hides the real failure. Newer Exchange replies append 'Error: 535 …' with the cause; without it: check that EnableSsl=true (AUTH is only offered after STARTTLS) and credentials are set, then check the SMTP AUTH switches, security defaults and the Entra sign-in log as for 535 5.7.3.";

export const AMBIGUOUS_504 =
  "'504 5.7.4 Unrecognized authentication type' means the AUTH mechanism was not offered at that point: before STARTTLS Exchange offers none, after STARTTLS only LOGIN and XOAUTH2, and the MX (direct send) endpoint offers none at all. A protocol log tells them apart: if the EHLO reply the client answered lists '250-STARTTLS' without '250-AUTH', start TLS first (starttls_required); if it lists 'AUTH LOGIN XOAUTH2', switch the client from PLAIN/CRAM-MD5/NTLM to LOGIN (auth_mechanism_unsupported).";

/** The long "how to tell them apart" text for a rule id (and the OAuth / .NET variants), or undefined. */
export function ambiguityFor(ruleId: string, oauth: boolean, dotnet: boolean): string | undefined {
  switch (ruleId) {
    case "code-5.7.3-auth":
    case "client-auth-failed-generic":
      return oauth ? AMBIGUOUS_535_OAUTH : AMBIGUOUS_535_BASIC;
    case "oauth-in-use":
      return AMBIGUOUS_535_OAUTH;
    case "phrase-criteria":
    case "aadsts-mfa":
      return AMBIGUOUS_CRITERIA;
    case "phrase-basic-disabled":
      return AMBIGUOUS_BASIC_DISABLED;
    case "code-5.7.57":
    case "code-530":
    case "dotnet-5.7.57":
      return dotnet ? AMBIGUOUS_5757_DOTNET : undefined;
    case "code-504-5.7.4":
    case "client-auth-not-advertised":
      return AMBIGUOUS_504;
    default:
      return undefined;
  }
}
