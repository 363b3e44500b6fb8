import { describe, expect, it } from "vitest";
import { CAUSE_IDS, CAUSES } from "../../cli/doctor/causes.ts";
import { diagnose, namesNoCause as listingNamesNoCause } from "../../cli/doctor/diagnose.ts";

const top = (text: string) => diagnose(text).causes[0]?.id;
const ids = (text: string) => diagnose(text).causes.map((c) => c.id);
/** The ids of the rules that fired, strongest first. */
const fired = (text: string): string[] => diagnose(text).fired.map((f) => f.id);
/**
 * The text names no cause: `unknown` holds more confidence than any cause listed. (With no reply in
 * the text the named leads are listed before it; with a reply the doctor does not know, it leads.)
 */
const namesNoCause = (text: string): boolean => listingNamesNoCause(diagnose(text).causes);

describe("catalogue", () => {
  it("has exactly the stable ids, each with title, explanation, checks and fix", () => {
    expect(Object.keys(CAUSES).sort()).toEqual([...CAUSE_IDS].sort());
    for (const id of CAUSE_IDS) {
      const c = CAUSES[id];
      expect(c.id).toBe(id);
      expect(c.title.length).toBeGreaterThan(5);
      expect(c.explanation.length).toBeGreaterThan(20);
      expect(c.check.length).toBeGreaterThan(0);
      expect(c.fix.length).toBeGreaterThan(20);
    }
  });
  it("every fix that weakens the tenant names the OAuth path and Microsoft's schedule", () => {
    for (const c of Object.values(CAUSES).filter((x) => x.weakensTenant)) {
      expect(c.fix).toContain("SMTP.SendAsApp");
      expect(c.fix).toContain("December 2026");
      expect(c.fix).toContain("second half of 2027");
    }
    expect(CAUSES.security_defaults_enabled.weakensTenant).toBe(true);
    expect(CAUSES.per_user_mfa.weakensTenant).toBe(true);
  });
});

describe("diagnose: one rule each", () => {
  it.each([
    [
      "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
      "smtp_auth_disabled_tenant",
    ],
    [
      "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.",
      "smtp_auth_disabled_mailbox",
    ],
    [
      "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.",
      "security_defaults_enabled",
    ],
    [
      "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.",
      "per_user_mfa",
    ],
    ["535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.", "wrong_credentials"],
    ["535 5.7.139 Authentication unsuccessful, account locked.", "account_locked"],
    ["550 5.7.30 Basic authentication is not supported for Client Submission.", "basic_auth_disabled_or_retired"],
    [
      "554 5.2.252 SendAsDenied; a@contoso.com not allowed to send as b@contoso.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied",
      "send_as_permission",
    ],
    ["550 5.7.60 SMTP; Client does not have permissions to send as this sender", "send_as_permission"],
    [
      "421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2. Visit https://aka.ms/smtp_auth_tls",
      "tls_version",
    ],
    [
      "System.Security.Authentication.AuthenticationException: The client and server cannot communicate, because they do not possess a common algorithm.",
      "tls_version",
    ],
    ["451 5.7.3 STARTTLS is required to send mail [SG2PR02CA0073.apcprd02.prod.outlook.com]", "starttls_required"],
    ["530 5.7.0 Must issue a STARTTLS command first", "starttls_required"],
    ["Error: 1408F10B:SSL routines:ssl3_get_record:wrong version number", "starttls_required"],
    [
      "AUTH PLAIN AGZvbwBiYXI=\n504 5.7.4 Unrecognized authentication type [BN9PR03CA0716.namprd03.prod.outlook.com]",
      "auth_mechanism_unsupported",
    ],
    [
      "530 5.7.57 Client not authenticated to send mail. [FR5P281CA0041.DEUP281.PROD.OUTLOOK.COM]",
      "not_authenticated_anonymous_send",
    ],
    [
      "C: AUTH XOAUTH2 dXNlcj0uLi4=\nS: 535 5.7.3 Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]",
      "oauth_misconfigured_app_or_sp",
    ],
    ["Error: Message failed: 432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded", "transient"],
    ["Error: connect ETIMEDOUT 40.101.92.18:587", "transient"],
    [
      "Error: Invalid login: Mailbox cannot be accessed [CWXP265CA0023.GBRP265.PROD.OUTLOOK.COM]",
      "mailbox_unlicensed_or_missing",
    ],
    ["AADSTS53003: Access has been blocked by Conditional Access policies.", "conditional_access_block"],
    ["AADSTS7000215: Invalid client secret provided.", "oauth_misconfigured_app_or_sp"],
  ])("%s → %s", (text, expected) => {
    expect(top(text)).toBe(expected);
  });

  it("a text with no reply and no known words names no cause, and the leads its words give come before `unknown`", () => {
    expect(namesNoCause("It did not work.")).toBe(true);
    expect(ids("It did not work.").at(-1)).toBe("unknown");
  });

  it("a 5.7.139 cut before its reason ranks the measured mix of reasons and asks for the full reply", () => {
    for (const text of [
      "535 5.7.139",
      "5.7.139",
      "535 5.7.139 Authentication unsuccessful, [AB1PR01CA0001.outlook.com]",
    ]) {
      const d = diagnose(text);
      expect(
        d.causes.slice(0, 3).map((c) => c.id),
        text,
      ).toEqual(["basic_auth_disabled_or_retired", "smtp_auth_disabled_tenant", "security_defaults_enabled"]);
      expect(d.causes[0]!.confidence, text).toBeLessThan(0.3);
      expect(d.question, text).toMatch(/^What reason follows '5\.7\.139 Authentication unsuccessful,'/u);
    }
    // A reason that survives, even cut off, decides as before.
    expect(top("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Ten")).toBe(
      "smtp_auth_disabled_tenant",
    );
    expect(top("535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defa")).toBe(
      "security_defaults_enabled",
    );
  });

  it("reads a timeout wrapped between its words as a timeout", () => {
    expect(
      top("exception 'Swift_TransportException' with message\n'Connection to tcp://smtp.office365.com:587 Timed\nOut'"),
    ).toBe("transient");
  });

  it("tenant-disabled also lists the mailbox override", () => {
    expect(
      ids("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant."),
    ).toEqual(expect.arrayContaining(["smtp_auth_disabled_tenant", "smtp_auth_disabled_mailbox"]));
    expect(
      ids("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.").slice(0, 2),
    ).toEqual(["smtp_auth_disabled_tenant", "smtp_auth_disabled_mailbox"]);
  });

  it("'did not meet the criteria' ranks MFA, Conditional Access, security defaults and says how to tell them apart", () => {
    const d = diagnose(
      "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.",
    );
    expect(d.causes.map((c) => c.id).slice(0, 3)).toEqual([
      "per_user_mfa",
      "conditional_access_block",
      "security_defaults_enabled",
    ]);
    expect(d.ambiguity).toContain("Sign-in logs");
    expect(d.question).toBe(
      "Is MFA or Security Defaults on for this account, or does its sign-in log name a Conditional Access policy?",
    );
  });

  it("'basic authentication is disabled': personal account → retired; old work tenant → authentication policy", () => {
    expect(
      top(
        "username: a@outlook.com\n535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [LO2P265CA0482.GBRP265.PROD.OUTLOOK.COM 2026-02-19T15:42:20.743Z 08DE6F7B77124F67]",
      ),
    ).toBe("basic_auth_disabled_or_retired");
    expect(
      top(
        "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [SN7PR04CA0001.namprd04.prod.outlook.com 2023-05-01T10:00:00.000Z 08DB4A0000000000]",
      ),
    ).toBe("authentication_policy_blocks_basic_smtp");
    expect(ids("535 5.7.139 Authentication unsuccessful, basic authentication is disabled.").slice(0, 2)).toEqual([
      "basic_auth_disabled_or_retired",
      "authentication_policy_blocks_basic_smtp",
    ]);
  });

  it("bare 535 5.7.3 is ambiguous and says which causes remain", () => {
    const d = diagnose("535 5.7.3 Authentication unsuccessful [SN4PR0501CA0054.namprd05.prod.outlook.com]");
    expect(d.causes[0]!.id).toBe("wrong_credentials");
    expect(
      d.causes
        .map((c) => c.id)
        .slice(1, 5)
        .sort(),
    ).toEqual([
      "mailbox_unlicensed_or_missing",
      "per_user_mfa",
      "security_defaults_enabled",
      "smtp_auth_disabled_mailbox",
    ]);
    expect(d.causes[0]!.confidence).toBeLessThan(0.5);
    expect(d.question).toMatch(/Outlook on the web/u);
    expect(d.ambiguity).toContain("Get-CASMailbox");
    expect(d.ambiguity).toContain("XOAUTH2");
  });

  it("530 5.7.57 echoing a 535: the inner error decides, not the anonymous-send cause", () => {
    const d = diagnose(
      "The server response was: 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.",
    );
    expect(d.causes[0]!.id).toBe("security_defaults_enabled");
    expect(d.causes.map((c) => c.id)).not.toContain("not_authenticated_anonymous_send");
    expect(d.causes[0]!.reason).toContain("530 5.7.57");
  });

  it("a .NET 5.7.57 without the echo is ambiguous (System.Net.Mail hides failed AUTH)", () => {
    const d = diagnose(
      "System.Net.Mail.SmtpException: The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM",
    );
    expect(d.causes[0]!.id).toBe("not_authenticated_anonymous_send");
    expect(d.ambiguity).toContain("EnableSsl");
  });

  it("504 5.7.4 before STARTTLS → starttls_required", () => {
    expect(
      top(
        "250-SMTP.example Hello\n250-STARTTLS\n250 SMTPUTF8\nSMTP ERROR: AUTH command failed: 504 5.7.4 Unrecognized authentication type",
      ),
    ).toBe("starttls_required");
  });

  it("5.7.3 that is STARTTLS, not authentication", () => {
    expect(top("Error in processing. The server response was 5.7.3 STARTTLS is required to send mail")).toBe(
      "starttls_required",
    );
  });

  it("port 465 timeouts point at STARTTLS on 587", () => {
    expect(top("Error: connect ETIMEDOUT 52.96.184.50:465")).toBe("starttls_required");
  });

  it("confidences are in 0..1, sum to at most 1 and are sorted", () => {
    const replied = [
      "535 5.7.3 Authentication unsuccessful",
      "530 5.7.57 Client not authenticated to send mail.",
      "432 4.3.2 x 535 5.7.139 Authentication unsuccessful, account locked.",
    ];
    const replyLess = ["nothing", "Our scanner cannot send mail since Monday."];
    for (const t of [...replied, ...replyLess]) {
      const cs = diagnose(t).causes;
      expect(cs.length).toBeGreaterThan(0);
      expect(cs.reduce((a, c) => a + c.confidence, 0)).toBeLessThanOrEqual(1.0001);
      // The causes evidence supports are sorted wherever they are.
      const evidence = cs.filter((c) => c.id !== "unknown" && c.fromWords !== true);
      for (let i = 1; i < evidence.length; i++)
        expect(evidence[i - 1]!.confidence).toBeGreaterThanOrEqual(evidence[i]!.confidence);
    }
    // With a reply, all of them are sorted; with none, the words' leads follow the causes evidence
    // supports and `unknown` comes last.
    for (const t of replied) {
      const cs = diagnose(t).causes;
      expect(cs.map((c) => c.confidence)).toEqual(cs.map((c) => c.confidence).sort((a, b) => b - a));
    }
    for (const t of replyLess) {
      const order = diagnose(t).causes.map((c) => (c.id === "unknown" ? 2 : c.fromWords === true ? 1 : 0));
      expect(order).toEqual([...order].sort());
      expect(order.at(-1)).toBe(2);
    }
  });

  it("fills <mailbox> from the text", () => {
    const d = diagnose(
      "username: scanner@contoso.com\n535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.",
    );
    expect(d.causes[0]!.tenantYaml).toBe(
      "smtpAuth:\n  mailboxes:\n    scanner@contoso.com: { state: enabled, owner: <owner>, ticket: <ticket>, expires: <yyyy-mm-dd> }",
    );
    expect(d.causes[0]!.check[0]).toContain("Get-CASMailbox -Identity scanner@contoso.com");
  });
});

describe("client-library wording with no Exchange reply", () => {
  it.each([
    ["smtplib.SMTPNotSupportedError: SMTP AUTH extension not supported by server.", "starttls_required"],
    ["smtp: server doesn't support AUTH", "starttls_required"],
    [
      "javax.mail.AuthenticationFailedException: No authentication mechanisms supported by both server and client",
      "starttls_required",
    ],
    ["panic: unencrypted connection", "starttls_required"],
    ["ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1056)", "starttls_required"],
    ["javax.net.ssl.SSLException: Unrecognized SSL message, plaintext connection?", "starttls_required"],
    [
      "MailKit.Security.SslHandshakeException: An error occurred while attempting to establish an SSL or TLS connection. When connecting to an SMTP service, port 587 is typically reserved for plain-text connections.",
      "starttls_required",
    ],
    ["Error: Greeting never received", "starttls_required"],
    [
      "javax.mail.MessagingException: Could not convert socket to TLS; nested exception is: javax.net.ssl.SSLHandshakeException: No appropriate protocol (protocol is disabled or cipher suites are inappropriate)",
      "tls_version",
    ],
    [
      "System.Net.Mail.SmtpException: Failure sending mail. ---> System.Security.Authentication.AuthenticationException: Authentication failed because the remote party has closed the transport stream.",
      "tls_version",
    ],
    ["error:1409442E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version", "tls_version"],
    ["Outlook: Sending reported error (0x800CCC0E): Cannot connect to the server.", "transient"],
    ["SMTP Error: Could not connect to SMTP host. Failed to connect to server", "transient"],
    // this doctor's own probe timing out: a network or port block, never "run the probe"
    ["no answer from smtp.office365.com:587 within 30000 ms", "transient"],
    ["550 5.1.8 Access denied, bad outbound sender", "sender_restricted"],
    ["554 5.2.0 STOREDRV.Submission.Exception:OutboundSpamException; Failed to process message", "sender_restricted"],
    ["550 5.7.1 Unable to relay", "not_authenticated_anonymous_send"],
    ["535 5.7.8 Error: authentication failed: authentication failure", "wrong_credentials"],
  ])("%s → %s", (text, expected) => {
    expect(top(text)).toBe(expected);
  });

  it("a transcript with AUTH right after EHLO and no STARTTLS puts STARTTLS first, even on a 504", () => {
    const d = diagnose(
      "S: 220 SN4PR0501CA0054.outlook.office365.com Microsoft ESMTP MAIL Service ready\nC: EHLO printer\nS: 250-SN4PR0501CA0054.outlook.office365.com Hello\nS: 250 SIZE 157286400\nC: AUTH LOGIN\nS: 504 5.7.4 Unrecognized authentication type",
    );
    expect(d.causes[0]!.id).toBe("starttls_required");
  });

  it("reads the command order from nodemailer's debug log too (marker after a timestamp and a session id)", () => {
    const log = [
      "[2023-08-02 09:15:05] DEBUG [s3DxqcEUUk] S: 220 AS4P192CA0006.outlook.office365.com Microsoft ESMTP MAIL Service ready",
      "[2023-08-02 09:15:05] DEBUG [s3DxqcEUUk] C: EHLO host.local",
      "[2023-08-02 09:15:05] DEBUG [s3DxqcEUUk] S: 250-STARTTLS",
      "[2023-08-02 09:15:05] DEBUG [s3DxqcEUUk] S: 250 SMTPUTF8",
      "[2023-08-02 09:15:05] DEBUG [s3DxqcEUUk] C: AUTH LOGIN",
      "[2023-08-02 09:15:05] DEBUG [s3DxqcEUUk] S: 504 5.7.4 Unrecognized authentication type",
    ].join("\n");
    expect(top(log)).toBe("starttls_required");
    // The same log after STARTTLS: the mechanism, not TLS.
    const afterTls = log.replace(
      "C: AUTH LOGIN",
      "C: STARTTLS\n[x] S: 220 2.0.0 SMTP server ready\n[x] C: EHLO host.local\n[x] S: 250-AUTH LOGIN XOAUTH2\n[x] C: AUTH PLAIN AGZvbwBiYXI=",
    );
    expect(top(afterTls)).toBe("auth_mechanism_unsupported");
  });

  it("the user's own words move a generic code (review class E/F)", () => {
    expect(top("530 5.7.57 Client not authenticated to send mail")).toBe("not_authenticated_anonymous_send");
    expect(
      diagnose("530 5.7.57 Client not authenticated to send mail", {
        context: "another app works with TLS on",
      }).causes[0]!.id,
    ).toBe("starttls_required");
    expect(
      diagnose("535 5.7.3 Authentication unsuccessful", { context: "Security Defaults are on" }).causes[0]!.id,
    ).toBe("security_defaults_enabled");
  });

  const ids2 = (text: string, context?: string) =>
    diagnose(text, { context })
      .causes.slice(0, 2)
      .map((c) => c.id);

  it.each([
    // The reporter's words in the languages Exchange answers in (Microsoft's localised product terms).
    [
      "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria",
      "We have a CA policy blocking legacy authentication",
      "conditional_access_block",
    ],
    [
      "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria",
      "Wir nutzen Bedingten Zugriff für alle Konten",
      "conditional_access_block",
    ],
    [
      "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria",
      "我们启用了条件访问",
      "conditional_access_block",
    ],
    [
      "535 5.7.3 Authentication unsuccessful",
      "l'authentification multifacteur est activée pour ce compte",
      "per_user_mfa",
    ],
    ["535 5.7.3 Authentication unsuccessful", "この アカウントは多要素認証を使っています", "per_user_mfa"],
    [
      "The scanner cannot send through smtp.office365.com",
      "Microsoft says basic auth for SMTP is being retired",
      "basic_auth_disabled_or_retired",
    ],
    ["Cannot send to smtp.office365.com", "The device supports only TLS 1.0", "tls_version"],
  ])("%s + '%s' → %s", (text, context, want) => {
    expect(diagnose(text, { context }).causes[0]!.id).toBe(want);
  });

  it("'Authenticated SMTP is on' takes the mailbox switch out of the top two; a negation does not", () => {
    expect(ids2("535 5.7.3 Authentication unsuccessful")).toContain("smtp_auth_disabled_mailbox");
    expect(ids2("535 5.7.3 Authentication unsuccessful", "SMTP AUTH is enabled on the mailbox")).not.toContain(
      "smtp_auth_disabled_mailbox",
    );
    expect(ids2("535 5.7.3 Authentication unsuccessful", "SMTP AUTH is not enabled on the mailbox")).toContain(
      "smtp_auth_disabled_mailbox",
    );
  });
});

describe("the answers to the doctor's own checks, pasted back", () => {
  const bare = "535 5.7.3 Authentication unsuccessful [AB1PR01CA0001.eurprd01.prod.outlook.com]";
  it.each([
    [
      "PS> Get-TransportConfig | fl SmtpClientAuthenticationDisabled\nSmtpClientAuthenticationDisabled : True\n\nPS> Get-CASMailbox printer@contoso.com | fl SmtpClientAuthenticationDisabled\nSmtpClientAuthenticationDisabled :\n",
      "smtp_auth_disabled_tenant",
    ],
    [
      "Get-CASMailbox printer@contoso.com | Format-List SmtpClientAuthenticationDisabled\n\nSmtpClientAuthenticationDisabled : True\n",
      "smtp_auth_disabled_mailbox",
    ],
    [
      "Get-User printer@contoso.com | fl AuthenticationPolicy\nAuthenticationPolicy : Block Basic Auth\nGet-AuthenticationPolicy 'Block Basic Auth' | fl AllowBasicAuthSmtp\nAllowBasicAuthSmtp : False\n",
      "authentication_policy_blocks_basic_smtp",
    ],
    [
      'GET https://graph.microsoft.com/v1.0/policies/identitySecurityDefaultsEnforcementPolicy\n{ "id": "00000000-0000-0000-0000-000000000005", "displayName": "Security Defaults", "isEnabled": true }',
      "security_defaults_enabled",
    ],
    [
      'GET /beta/users/printer@contoso.com/authentication/requirements\n{ "perUserMfaState": "enforced" }',
      "per_user_mfa",
    ],
  ])("%s → %s", (answer, want) => {
    expect(diagnose(`${bare}\n${answer}`).causes[0]!.id).toBe(want);
  });

  it("reads the switches retold on one line, and not the property named after '| fl'", () => {
    const retold = [
      "Get-TransportConfig | fl SmtpClientAuthenticationDisabled -> False",
      "Get-CASMailbox scanner@contoso.com | fl SmtpClientAuthenticationDisabled -> True",
    ].join("\n");
    expect(diagnose(`${bare}\n${retold}`).causes[0]!.id).toBe("smtp_auth_disabled_mailbox");
    expect(
      diagnose(`${bare}\nChecked: TransportConfig SmtpClientAuthenticationDisabled False, CASMailbox False`).causes.map(
        (c) => c.id,
      ),
    ).not.toContain("smtp_auth_disabled_mailbox");
  });

  it("reads per-user MFA 'Enforced' on Microsoft's Japanese page (ユーザーごとの多要素認証 … 強制)", () => {
    expect(
      diagnose(
        "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.\n管理者が「ユーザーごとの多要素認証」でこのアカウントを「強制」に変更しました。",
      ).causes[0]!.id,
    ).toBe("per_user_mfa");
  });

  it("switches that are open take both SMTP AUTH switches out of the ranking", () => {
    const open =
      "Get-CASMailbox printer@contoso.com | fl SmtpClientAuthenticationDisabled\nSmtpClientAuthenticationDisabled : False\n";
    const ids = diagnose(`${bare}\n${open}`).causes.map((c) => c.id);
    expect(ids).not.toContain("smtp_auth_disabled_mailbox");
    expect(ids).not.toContain("smtp_auth_disabled_tenant");
  });
});

describe("what a report says is absent, or only on offer", () => {
  const criteria =
    "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.";
  it("'no Conditional Access policies' lowers Conditional Access; a positive mention still raises it", () => {
    expect(diagnose(criteria, { context: "We have a CA policy blocking legacy authentication" }).causes[0]!.id).toBe(
      "conditional_access_block",
    );
    expect(
      diagnose(criteria, { context: "We have no Conditional Access policies at all; the account is excluded" })
        .causes[0]!.id,
    ).toBe("per_user_mfa");
    expect(
      diagnose(criteria, { context: "CA excludes this account" }).causes.find(
        (c) => c.id === "conditional_access_block",
      )?.confidence ?? 0,
    ).toBeLessThan(0.1);
  });

  it("'no Conditional Access' in the other languages, and a named-locations policy as Conditional Access", () => {
    expect(diagnose(criteria, { context: "条件付きアクセスのポリシーは作成していません。" }).causes[0]!.id).toBe(
      "per_user_mfa",
    );
    expect(diagnose(criteria, { context: "Wir haben keinen bedingten Zugriff." }).causes[0]!.id).toBe("per_user_mfa");
    expect(
      diagnose(criteria, { context: "a policy only allows sign-ins from trusted named locations" }).causes[0]!.id,
    ).toBe("conditional_access_block");
  });

  it("an old device's TLS named in German, an on-premises mailbox, the MX host named after the submission host", () => {
    expect(
      top(
        "Drucker kann nicht an smtp.office365.com senden. In den Einstellungen kann man nur SSLv3/TLSv1.0 auswählen.",
      ),
    ).toBe("tls_version");
    expect(
      diagnose("535 5.7.3 Authentication unsuccessful", {
        context: "Hybrid: this user's mailbox is still on-prem; migrated users work",
      }).causes[0]!.id,
    ).toBe("mailbox_unlicensed_or_missing");
    expect(
      top(
        'Using the MX host instead of smtp.office365.com:\ns = smtplib.SMTP("contoso-com.mail.protection.outlook.com", 25); s.starttls(); s.login(u, p)\nsmtplib.SMTPNotSupportedError: SMTP AUTH extension not supported by server.',
      ),
    ).toBe("auth_mechanism_unsupported");
  });

  it("'no security defaults' beside a bare 5.7.3 is not security defaults", () => {
    expect(
      diagnose("535 5.7.3 Authentication unsuccessful", { context: "security defaults off, password works in OWA" })
        .causes[0]!.id,
    ).not.toBe("security_defaults_enabled");
    expect(
      diagnose("535 5.7.3 Authentication unsuccessful", { context: "no security defaults, CA excludes this account" })
        .causes[0]!.id,
    ).not.toBe("security_defaults_enabled");
  });

  it("XOAUTH2 in a list of mechanisms on offer is not OAuth in use (Jakarta Mail, PHPMailer, EHLO)", () => {
    const javamail = [
      "DEBUG SMTP: Attempt to authenticate using mechanisms: LOGIN PLAIN DIGEST-MD5 NTLM XOAUTH2",
      "DEBUG SMTP: Using mechanism LOGIN",
      "DEBUG SMTP: AUTH LOGIN failed",
      "javax.mail.AuthenticationFailedException: 535 5.7.3 Authentication unsuccessful [VI1PR08CA0254.eurprd08.prod.outlook.com]",
    ].join("\n");
    const d = diagnose(javamail);
    expect(d.extracted.oauth).toBe(false);
    expect(d.extracted.authMechanism).toBe("LOGIN");
    expect(d.causes[0]!.id).toBe("wrong_credentials");
    expect(diagnose(javamail.replace("Using mechanism LOGIN", "Using mechanism XOAUTH2")).extracted.oauth).toBe(true);
  });

  it("PHPMailer asking for a mechanism the server does not list is the mechanism", () => {
    const log = [
      "2026-11-02 14:01:20 Auth method requested: CRAM-MD5",
      "2026-11-02 14:01:20 Auth methods available on the server: LOGIN,XOAUTH2",
      "2026-11-02 14:01:20 SMTP Error: Could not authenticate.",
    ].join("\n");
    expect(diagnose(log).causes[0]!.id).toBe("auth_mechanism_unsupported");
    expect(diagnose(log.replace("CRAM-MD5", "LOGIN")).causes[0]!.id).not.toBe("auth_mechanism_unsupported");
  });

  it("an HTTP status line is not an SMTP reply", () => {
    const graph =
      'POST https://graph.microsoft.com/v1.0/users/noreply@contoso.com/sendMail\n403 Forbidden\n{"error":{"code":"ErrorAccessDenied"}}';
    expect(diagnose(graph).extracted.replies).toEqual([]);
    expect(namesNoCause(graph)).toBe(true);
    expect(namesNoCause("503 Service Unavailable")).toBe(true);
    expect(diagnose("503 5.5.1 Bad sequence of commands").causes[0]!.id).not.toBe("unknown");
  });
});

describe("large pastes", () => {
  // Each of these once made a regular expression backtrack quadratically (an unbounded class before
  // a literal): 100 KB of them took seconds to minutes.
  it.each([
    ["one hyphenated token", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-\n".repeat(2800)],
    ["'smtp.' repeated", "smtp.".repeat(20000)],
    ["lines of '220'", "\n220".repeat(25000)],
    ["open brackets", "[".repeat(100000)],
    ["capability lists on one line", "S: 250-AUTH LOGIN XOAUTH2 ".repeat(4000)],
    ["lower-case lines that all join", "abcdefghijklmnopqrstuvwxyzabcdefgh\n".repeat(3000)],
  ])("%s (100 KB) diagnoses in well under two seconds", (_name, text) => {
    const t0 = performance.now();
    expect(diagnose(text).causes.length).toBeGreaterThan(0);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it("a 3000-line debug log with the reply at the end diagnoses in well under two seconds", () => {
    const line = "[2023-08-02 09:15:05] DEBUG [s3DxqcEUUk] S: 250-PIPELINING 'quoted' value...";
    const text = `${Array.from({ length: 3000 }, (_, i) => `${line} ${i}`).join("\n")}\n535 5.7.139 Authentication unsuccessful, the request did not meet the criteria`;
    const t0 = performance.now();
    expect(diagnose(text).causes[0]!.id).toBe("per_user_mfa");
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe("red herrings: history, guesses and what was ruled out", () => {
  it("'security defaults' in the reporter's prose is their noun, not Exchange's reason", () => {
    // Turned off (also verb-first and in other languages) beside a decisive reply: the reply decides.
    expect(
      top("We already switched off the security defaults. Copier test: 504 5.7.4 Unrecognized authentication type"),
    ).toBe("auth_mechanism_unsupported");
    expect(
      top(
        "Hemos desactivado los valores predeterminados de seguridad. Error: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.",
      ),
    ).toBe("smtp_auth_disabled_mailbox");
    expect(
      top("安全默认值也关了。smtplib.SMTPSenderRefused: (530, b'5.7.57 Client not authenticated to send mail.')"),
    ).toBe("not_authenticated_anonymous_send");
    // Switched on, in any word order, beside a generic code: security defaults.
    expect(
      top("535 5.7.3 Authentication unsuccessful. Last week our consultant switched on Security Defaults in Entra."),
    ).toBe("security_defaults_enabled");
    expect(
      top("535 5.7.3 Authentication unsuccessful\nIn Entra steht bei Sicherheitsstandards immer noch 'Aktiviert'."),
    ).toBe("security_defaults_enabled");
    // Inside the server's reply it is Exchange's reason.
    expect(
      top("535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy."),
    ).toBe("security_defaults_enabled");
  });

  it("an error the reporter calls fixed or earlier does not decide; the current one does", () => {
    expect(
      top(
        "Last month: 421 4.7.66 TLS 1.0 and 1.1 are not supported - fixed with the .NET strong crypto registry keys.\nNow the test mail fails with 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.",
      ),
    ).toBe("smtp_auth_disabled_tenant");
    expect(
      top(
        "> Reporting fails with 530 5.7.57 Client not authenticated to send mail\n> -> solved by setting the credentials\n\nNew error since Monday: 554 5.2.252 SendAsDenied; alerts@contoso.com not allowed to send as noreply@contoso.com",
      ),
    ).toBe("send_as_permission");
    // A quoted reply with no fix marker is the current error (a forwarded ticket).
    expect(
      top(
        "> From: Office\n> Sage says 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox",
      ),
    ).toBe("smtp_auth_disabled_mailbox");
    // "Fixed the password, still …": the current error is kept.
    expect(
      top(
        "I fixed the password but still get 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant",
      ),
    ).toBe("smtp_auth_disabled_tenant");
  });

  it("a guess or a question counts half; a stated fact counts in full", () => {
    // A guess does not make the case recognised: listed first (the text has no reply), far below `unknown`.
    const guessedText = "Our accounting app cannot send mail. Could it be the Basic auth retirement?";
    expect(top(guessedText)).toBe("basic_auth_disabled_or_retired");
    expect(namesNoCause(guessedText)).toBe(true);
    expect(top("Our accounting app cannot send mail since Microsoft retired basic authentication for SMTP.")).toBe(
      "basic_auth_disabled_or_retired",
    );
    // A fact before a question's asking clause stays a fact.
    expect(
      top("535 5.7.3 Authentication unsuccessful. We enabled security defaults last week, could that be it?"),
    ).toBe("security_defaults_enabled");
  });

  it("Entra sign-in log entries without the AADSTS prefix", () => {
    expect(
      top(
        "Sign-in logs: Status Failure, Sign-in error code 50126, Failure reason: Error validating credentials due to invalid username or password.",
      ),
    ).toBe("wrong_credentials");
    expect(
      top(
        "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.\nSign-in error code: 50076\nConditional Access: Not Applied",
      ),
    ).toBe("per_user_mfa");
    expect(
      top('{"errorCode": 53003, "failureReason": "Access has been blocked by Conditional Access policies."}'),
    ).toBe("conditional_access_block");
    expect(top("Sign-in error code: 50057 The user account is disabled.")).toBe("account_locked");
  });

  it("the client's configuration and the tenant's answers", () => {
    expect(
      top(
        "mail.smtp.auth.mechanisms=CRAM-MD5 DIGEST-MD5\njakarta.mail.AuthenticationFailedException: No authentication mechanisms supported by both server and client",
      ),
    ).toBe("auth_mechanism_unsupported");
    expect(top("javax.net.ssl.SSLHandshakeException: Received fatal alert: protocol_version")).toBe("tls_version");
    expect(
      top(
        "535 5.7.3 Authentication unsuccessful\nPS> Get-CASMailbox printer@contoso.com\nGet-CASMailbox: The operation couldn't be performed because object 'printer@contoso.com' couldn't be found on 'AM0PR01A002DC001.EURPR01A002.PROD.OUTLOOK.COM'.",
      ),
    ).toBe("mailbox_unlicensed_or_missing");
    expect(
      top(
        "535 5.7.3 Authentication unsuccessful\nGet-Recipient relay@contoso.com | fl RecipientTypeDetails\nRecipientTypeDetails : MailUser",
      ),
    ).toBe("mailbox_unlicensed_or_missing");
    expect(
      top("535 5.7.3 Authentication unsuccessful. We didn't assign a licence to the scanner account, it only sends."),
    ).toBe("mailbox_unlicensed_or_missing");
    expect(
      top(
        "535 5.7.3 Authentication unsuccessful. A colleague went to Org settings > Modern authentication and unticked every Basic authentication protocol.",
      ),
    ).toBe("authentication_policy_blocks_basic_smtp");
    expect(top("Server smtp.office365.com, port 465, SSL on. The scanner says: connection error.")).toBe(
      "starttls_required",
    );
  });

  it("a failure that comes and goes is transient; a template Conditional Access policy is Conditional Access", () => {
    expect(
      top(
        "Send-MailMessage : Unable to read data from the transport connection: net_io_connectionclosed. Happens in about 1 in 30 runs.",
      ),
    ).toBe("transient");
    expect(
      top(
        "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.\nPolicies on: 'Require MFA for all users', scope All client apps.",
      ),
    ).toBe("conditional_access_block");
  });
});

describe("what an admin reads in the portals, in their words", () => {
  it("sign-in log reasons: blocked by security defaults, invalid password, IdsLocked", () => {
    expect(
      top(
        "Sign-in log: Client app Authenticated SMTP, error code 530035, Access has been blocked by security defaults.",
      ),
    ).toBe("security_defaults_enabled");
    expect(top("The copier fails to log in; the sign-in log says Invalid username or password for every scan.")).toBe(
      "wrong_credentials",
    );
    expect(
      top(
        "535 5.7.139 Authentication unsuccessful\nThe app's attempts now fail with status IdsLocked after a password spray.",
      ),
    ).toBe("account_locked");
  });

  it("the admin centre's boxes and the per-user MFA page, as reporters retell them", () => {
    expect(
      top("The Xerox says authentication failed. Under Manage email apps, Authenticated SMTP is unticked for scans@."),
    ).toBe("smtp_auth_disabled_mailbox");
    expect(
      top("Authentication failed. In the EAC, 'Turn off SMTP AUTH protocol for your organization' is checked."),
    ).toBe("smtp_auth_disabled_tenant");
    expect(
      top(
        "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.\nMFA per utente per lo scanner: stato Applicato. Non abbiamo criteri di accesso condizionale.",
      ),
    ).toBe("per_user_mfa");
    expect(
      top(
        "Authentication failed. The account is on the Restricted entities list, reason Outbound spam limit exceeded.",
      ),
    ).toBe("sender_restricted");
  });

  it("signs without names: a new tenant prompting for Authenticator, a sender other than the login", () => {
    expect(
      top(
        "535 5.7.3 Authentication unsuccessful. The tenant is three weeks old; the web sign-in asked me to set up Microsoft Authenticator, though I never configured any MFA.",
      ),
    ).toBe("security_defaults_enabled");
    expect(
      top(
        "Scan to email fails when staff choose their own address as the sender; with the sender left as the scanner account it works.",
      ),
    ).toBe("send_as_permission");
  });

  it("policies created or denied, mechanisms refused, licences gone, recipients refused", () => {
    expect(
      top(
        "5.7.57 Client not authenticated to send mail. Error: 535 5.7.3 Authentication unsuccessful\nLast week I ran New-AuthenticationPolicy 'Block Basic' and Set-User -AuthenticationPolicy for all users.",
      ),
    ).toBe("authentication_policy_blocks_basic_smtp");
    expect(
      ids(
        "Login failed (535). There are no auth policies in this tenant; basic auth for SMTP would be off by default from this month.",
      )[0],
    ).toBe("basic_auth_disabled_or_retired");
    expect(top("Copier set to CRAM-MD5. Connection test: Authentication method is not supported by the server.")).toBe(
      "auth_mechanism_unsupported",
    );
    expect(top("535 5.7.3 Authentication unsuccessful. Kontot har inte längre någon licens sedan i måndags.")).toBe(
      "mailbox_unlicensed_or_missing",
    );
    expect(top("smtplib.SMTPRecipientsRefused: {'a b@contoso.com': (501, b'5.1.3 Invalid address')}")).toBe(
      "recipient_rejected",
    );
    // The OAuth that another device can do is not OAuth in use.
    expect(
      ids("Login failed (535) on the old copier; the same account works from an OAuth-capable one."),
    ).not.toContain("oauth_misconfigured_app_or_sp");
  });
});

describe("conversations: other voices, several cmdlets, the last attempt", () => {
  it("a colleague's bet is a guess; the sign-in log's code decides", () => {
    expect(
      top(
        "ops: 535 5.7.3 Authentication unsuccessful\nkim: 5.7.3 is what security defaults gives you, I bet they are on again\nops: IsEnabled False per Get-MgPolicyIdentitySecurityDefaultEnforcementPolicy. Sign-in error code: 50126",
      ),
    ).toBe("wrong_credentials");
  });

  it("the cmdlets' answers: a shared or unlicensed mailbox, a user's own policy over the default, no policy at all", () => {
    expect(
      top(
        "Copier: SMTP authentication failure.\nPS> Get-Mailbox scans@contoso.com | fl RecipientTypeDetails\nRecipientTypeDetails : SharedMailbox",
      ),
    ).toBe("mailbox_unlicensed_or_missing");
    expect(
      top(
        "535 5.7.3 Authentication unsuccessful\nGet-AuthenticationPolicy Default | fl AllowBasicAuthSmtp\nAllowBasicAuthSmtp : True\nGet-User bms@contoso.com | fl AuthenticationPolicy\nAuthenticationPolicy : NoBasic\nGet-AuthenticationPolicy NoBasic | fl AllowBasicAuthSmtp\nAllowBasicAuthSmtp : False",
      ),
    ).toBe("authentication_policy_blocks_basic_smtp");
    expect(
      top(
        "535 5.7.139 Authentication unsuccessful, basic authentication is disabled.\nGet-User scan@contoso.com | fl AuthenticationPolicy\nAuthenticationPolicy :\nThe message center said Basic SMTP AUTH is being switched off by default for existing tenants.",
      ),
    ).toBe("basic_auth_disabled_or_retired");
  });

  it("OAuth named as the way forward in another language is not OAuth in use", () => {
    expect(
      top(
        "Errore SMTP: 535 5.7.139 Authentication unsuccessful, basic authentication is disabled.\nRisposta: il programma deve passare a OAuth2.",
      ),
    ).toBe("basic_auth_disabled_or_retired");
  });
});

describe("questions that state their facts", () => {
  it("a why-question keeps its facts; a yes/no question proposes them", () => {
    const asked = diagnose("Why do I get 535 5.7.3 Authentication unsuccessful when security defaults are enabled?");
    expect(asked.causes[0]!.id).toBe("security_defaults_enabled");
    const proposed = diagnose("535 5.7.3 Authentication unsuccessful. Could security defaults be enabled?");
    expect(proposed.causes.find((c) => c.id === "security_defaults_enabled")!.confidence).toBeLessThan(
      asked.causes[0]!.confidence,
    );
  });
});

describe("attempts, fallbacks and the world's languages", () => {
  it("a login accepted rules out the AUTH gates; the last of several stamped attempts decides", () => {
    expect(
      top(
        "235 2.7.0 Authentication successful\n554 5.2.0 STOREDRV.Submission.Exception: SendAsDeniedException.MapiExceptionSendAsDenied",
      ),
    ).toBe("send_as_permission");
    expect(
      top(
        "10:02 535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.\n10:05 new password typed in\n10:07 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.",
      ),
    ).toBe("smtp_auth_disabled_tenant");
  });

  it("Symfony's XOAUTH2 fallback after LOGIN is not OAuth; nor is OAuth the device cannot do", () => {
    expect(
      top(
        'Failed to authenticate on SMTP server with username "a@contoso.com" using the following authenticators: "LOGIN", "XOAUTH2". Authenticator "LOGIN" returned "Expected response code "235" but got code "535", with message "535 5.7.3 Authentication unsuccessful". Authenticator "XOAUTH2" returned "Expected response code "235" but got code "535".',
      ),
    ).toBe("wrong_credentials");
    expect(
      top("535 5.7.139 Authentication unsuccessful, basic authentication is disabled.\nDrucker kann kein OAuth."),
    ).toBe("basic_auth_disabled_or_retired");
  });

  it("configured mechanisms and old runtimes, in a device's or a reporter's words", () => {
    expect(top("Authentication Method = NTLM\nPanel: Authentication Error")).toBe("auth_mechanism_unsupported");
    expect(
      top(
        "postfix/smtp: < smtp.office365.com:587: 250-AUTH LOGIN XOAUTH2\npostfix/smtp: starting new SASL client\nrelay fails, nothing sent",
      ),
    ).toBe("auth_mechanism_unsupported");
    expect(
      top(
        "Our mailer library supports neither AUTH PLAIN nor CRAM-MD5 with Office 365, which only supports AUTH LOGIN.",
      ),
    ).toBe("auth_mechanism_unsupported");
    expect(
      top(
        "System.Net.Mail.SmtpException: Fehler beim Senden von E-Mail. ---> System.IO.IOException: Fehler bei der Authentifizierung, da die Gegenseite den Transportstream geschlossen hat.",
      ),
    ).toBe("tls_version");
    expect(top("Máy photocopy không gửi được email; firmware chỉ hỗ trợ tối đa TLS 1.0.")).toBe("tls_version");
  });

  it("the reporter's facts in other languages", () => {
    expect(
      top("Nie można zalogować się na serwerze SMTP. Wczoraj włączyliśmy w Entra „Ustawienia domyślne zabezpieczeń”."),
    ).toBe("security_defaults_enabled");
    expect(
      top(
        "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.\n사용자별 다단계 인증: 적용됨(Enforced). 조건부 액세스 정책은 없음.",
      ),
    ).toBe("per_user_mfa");
    expect(
      top('Skrivaren får autentiseringsfel. Under Hantera e-postappar är "Autentiserad SMTP" inte ikryssad.'),
    ).toBe("smtp_auth_disabled_mailbox");
    expect(top("535 5.7.3 Authentication unsuccessful. Quitamos la licencia a la cuenta del escáner.")).toBe(
      "mailbox_unlicensed_or_missing",
    );
    expect(top("Hitelesítési hiba. Lejárt a fiók jelszava, de a nyomtatóban még a régi jelszó van.")).toBe(
      "wrong_credentials",
    );
  });
});

describe("short reports: a line, a commit message, a cmdlet", () => {
  it("names the cause from one line of the reporter's or a tool's words", () => {
    expect(top("535 5.7.3 Authentication unsuccessful. Neuer Tenant, Sicherheitsstandards sind noch aktiv.")).toBe(
      "security_defaults_enabled",
    );
    expect(
      top(
        "Get-MsolUser -UserPrincipalName fax@contoso.com | select StrongAuthenticationRequirements -> State : Enforced\n535 5.7.3 Authentication unsuccessful",
      ),
    ).toBe("per_user_mfa");
    expect(top("SMTP login fails: the printer has only 'scanner' as the user name, without the domain.")).toBe(
      "wrong_credentials",
    );
    expect(top("fix: force ServicePointManager.SecurityProtocol to Tls12 before sending (.NET 4.5 app)")).toBe(
      "tls_version",
    );
    expect(
      top(
        "Mail stopped after Microsoft discontinued support for TLS 1.0; it still works via smtp-legacy.office365.com.",
      ),
    ).toBe("tls_version");
    expect(top("chore: use AUTH LOGIN for Office 365, which rejects PLAIN")).toBe("auth_mechanism_unsupported");
    expect(
      top("535 5.7.3 Authentication unsuccessful - the sender's mailbox still lives on our Exchange 2016 server."),
    ).toBe("mailbox_unlicensed_or_missing");
    expect(
      top(
        "The server rejected one or more recipient addresses. The server response was: 5.7.1 RESOLVER.RST.AuthRequired; authentication required",
      ),
    ).toBe("recipient_rejected");
  });
});

describe("advice, history and answers retold", () => {
  it("advice quoted is not a fact; an announced current error lets the history go", () => {
    expect(
      top(
        "The article says to turn off security defaults and disable per-user MFA, but first:\n535 5.7.3 Authentication unsuccessful",
      ),
    ).toBe("wrong_credentials");
    expect(
      top(
        'Before: "421 4.3.2 Service not available" - we fixed that.\nNow: the printer says the connection was refused by smtp.office365.com:465',
      ),
    ).toBe("starttls_required");
  });

  it("a cmdlet's answer retold with an arrow, behind a log prefix, or wrapped", () => {
    expect(
      top(
        '535 5.7.3 Authentication unsuccessful\nGet-Mailbox svc-fax -> "couldn\'t be found"; Get-MailUser svc-fax -> RecipientTypeDetails MailUser',
      ),
    ).toBe("mailbox_unlicensed_or_missing");
    expect(
      top(
        "2026-11-30T09:41:07.512Z ERROR [mailer] 535 5.7.3 Authentication unsuccessful\n2026-11-30T09:41:07.512Z ERROR [mailer] PS> Get-CASMailbox scan@contoso.com | fl SmtpClientAuthenticationDisabled\n2026-11-30T09:41:07.512Z ERROR [mailer] SmtpClientAuthenticationDisabled : True",
      ),
    ).toBe("smtp_auth_disabled_mailbox");
  });
});

describe("general reports, third writer", () => {
  it("reads a new tenant's Authenticator prompt in German, a contrast between two accounts, the Message center's TLS notice", () => {
    expect(
      top(
        "535 5.7.3 Authentication unsuccessful\nNeuer Tenant, vor zwei Wochen angelegt. Im Browser will er seitdem die Authenticator-App einrichten. Conditional Access haben wir nicht.",
      ),
    ).toBe("security_defaults_enabled");
    expect(
      top(
        'Test mail fails. The old account has "Authenticated SMTP" ticked under Manage email apps, the new nas@ account doesn\'t.',
      ),
    ).toBe("smtp_auth_disabled_mailbox");
    expect(
      top(
        "Message center: your organization is still connecting using SMTP Auth client submission via smtp.office365.com with TLS1.0 or TLS1.1. Today the old MFP says: Unable to connect to the email server.",
      ),
    ).toBe("tls_version");
  });
});

describe("a code cut by a column, and TLS retired in Portuguese", () => {
  it("joins a reply code a log column cut in two", () => {
    expect(ids("SASL authentication failed; server said: 535 5.7\n.3 Authentication unsuccessful")).toContain(
      "wrong_credentials",
    );
    expect(top("MailKit.Net.Smtp.SmtpCommandException: 4\n.3.2 Concurrent connections limit exceeded.")).toBe(
      "transient",
    );
  });

  it("reads 'stopped accepting TLS 1.0' and a From other than the authenticated user in Portuguese", () => {
    expect(top("O Office365 deixou de aceitar o tls 1.0 e 1.1 e o sistema parou de enviar e-mail.")).toBe(
      "tls_version",
    );
    expect(top("O Office 365 não aceita um e-mail diferente do usuário autenticado no campo from.")).toBe(
      "send_as_permission",
    );
  });
});

describe("devices' settings pages, in their own terms", () => {
  it("reads the settings that decide: authentication off, STARTTLS off, a mechanism, a login without its domain", () => {
    expect(
      top(
        "Scanner settings:\n  SMTP Server: smtp.office365.com\n  Port: 587\n  SMTP Authentication: Off\nThe job log says the server rejected the sender.",
      ),
    ).toBe("not_authenticated_anonymous_send");
    expect(
      top(
        "Camera e-mail settings: SMTP server smtp.office365.com, port 587\n  Enable SSL/TLS: checked\n  STARTTLS: unchecked\nTest failed.",
      ),
    ).toBe("starttls_required");
    expect(
      top(
        "Copier e-mail setup:\n  SMTP Server Authentication: NTLM\n  Server: smtp.office365.com:587\nPanel: authentication error",
      ),
    ).toBe("auth_mechanism_unsupported");
    expect(
      top(
        "MFP settings:\n  SMTP server: smtp.office365.com\n  Login user name: scans\n  Sender: scans@contoso.com\nSend error 1102",
      ),
    ).toBe("wrong_credentials");
  });

  it("reads the sender a device puts in From, and errors that name the mechanism or the missing AUTH", () => {
    expect(top("Since badge login, Scan to Me fails for everyone; the shared panel login still sends.")).toBe(
      "send_as_permission",
    );
    expect(top("Test SMTP settings: Could not send the message -- Error: server does not require authentication")).toBe(
      "starttls_required",
    );
    expect(top("*** the server does not support the requested auth type (CRAM-MD5)")).toBe(
      "auth_mechanism_unsupported",
    );
    expect(
      top(
        'SMTP Authentication set to "Server does not require authentication", port 587: 530 5.7.57 Client not authenticated to send mail',
      ),
    ).toBe("not_authenticated_anonymous_send");
  });
});

describe("devices, second writer", () => {
  it("reads unchecked boxes, implicit TLS on 587, differing login and sender, sign-in codes without a colon", () => {
    expect(
      top("Camera e-mail: SMTP Server smtp.office365.com, port 587\nAuthentication: [ ] (unchecked)\nTest failed."),
    ).toBe("not_authenticated_anonymous_send");
    expect(
      top(
        "Web Config:\nSMTP Server Port Number: 587\nSecure Connection: SSL/TLS\nConnection check: cannot connect to the server.",
      ),
    ).toBe("starttls_required");
    expect(
      top(
        "NAS e-mail settings:\nUsername: svc-nas@contoso.com\nSender email: alerts@contoso.com\nSend a test email -> failed.",
      ),
    ).toBe("send_as_permission");
    expect(top("W dzienniku logowań Entra: kod błędu 50053 dla konta skanera.")).toBe("account_locked");
    expect(
      top("SSL/TLS-Version: TLS1.0 bis TLS1.1 (TLS1.2 nicht auswählbar). Scan-to-E-Mail: Serververbindungsfehler."),
    ).toBe("tls_version");
  });

  it("a requirement is not a state: 'security defaults must be disabled to enable Conditional Access'", () => {
    expect(
      top(
        "Authentication failed on the copier. The Conditional Access page says: security defaults must be disabled to enable Conditional Access policy. We have never created a CA policy. Security defaults = Enabled.",
      ),
    ).toBe("security_defaults_enabled");
  });
});

describe("GitHub-issue style", () => {
  it("reads lettre's mechanism error and a DNS failure", () => {
    expect(top("Error: No compatible authentication mechanism was found (smtp.office365.com:587, STARTTLS)")).toBe(
      "auth_mechanism_unsupported",
    );
    expect(
      top("php_network_getaddresses: getaddrinfo for smtp.office365.com failed: Temporary failure in name resolution"),
    ).toBe("transient");
  });
});

describe("the OAuth path, and OAuth only mentioned", () => {
  it("Entra's token-time errors for the app, the consent screen and a sign-in frequency", () => {
    expect(
      top(
        '{"error":"invalid_scope","error_description":"AADSTS1002012: The provided value for scope SMTP.Send is not valid."}',
      ),
    ).toBe("oauth_misconfigured_app_or_sp");
    expect(
      top(
        "Need admin approval. The mail app needs permission to access resources in your organization that only an admin can grant.",
      ),
    ).toBe("oauth_misconfigured_app_or_sp");
    expect(
      top(
        "invalid_grant: AADSTS70043: The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.",
      ),
    ).toBe("conditional_access_block");
  });

  it("an MFA demand with per-user MFA off and no Conditional Access is security defaults'", () => {
    expect(
      top(
        "msal: AADSTS50076: you must use multi-factor authentication to access Exchange. Security defaults are enabled, per-user MFA shows Disabled for the account, and we have no Conditional Access policies.",
      ),
    ).toBe("security_defaults_enabled");
  });

  it("Exchange's 'basic authentication is disabled' wins over OAuth named as the product's other option", () => {
    expect(
      top(
        "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. The vendor says their next version has an OAuth option.",
      ),
    ).toBe("basic_auth_disabled_or_retired");
  });

  it("a timeout to the token service is a network failure, not the SMTP port", () => {
    expect(
      top(
        "requests.exceptions.ConnectTimeout: HTTPSConnectionPool(host='login.microsoftonline.com', port=443): Max retries exceeded with url: /common/oauth2/v2.0/token",
      ),
    ).toBe("transient");
  });

  it("the reporter's 'does not select the correct authentication method' is the mechanism", () => {
    expect(
      top(
        "Our mailer doesn't select the correct authentication method automatically against smtp.office365.com; the same credentials work in swaks.",
      ),
    ).toBe("auth_mechanism_unsupported");
  });
});

describe("Q&A questions and bounces", () => {
  it("Microsoft's federation replies name the customer's AD FS, not a switch", () => {
    expect(
      top(
        "535 5.7.139 Authentication unsuccessful, federated STS service was unreachable. [AM0PR01CA0001.eurprd01.prod.outlook.com]",
      ),
    ).toBe("transient");
    expect(top("535 5.7.139 Authentication unsuccessful, the federated STS URL does not support HTTPS.")).toBe(
      "tls_version",
    );
  });

  it("the organisation's box ticked, told act first, with the mailbox inheriting", () => {
    expect(
      top(
        'We checked "Turn off SMTP AUTH protocol for your organization" yesterday and now the app gets 535 5.7.3 Authentication unsuccessful.\nGet-CASMailbox app@contoso.com | fl SmtpClientAuthenticationDisabled\nSmtpClientAuthenticationDisabled :',
      ),
    ).toBe("smtp_auth_disabled_tenant");
  });
});

describe("debug logs whose line breaks were lost", () => {
  it("a capability list glued to its neighbours is still only what the server offers", () => {
    expect(
      top(
        "SERVER -> CLIENT: 250-outlook.office365.com Hello [192.0.2.1]250-SIZE 157286400250-PIPELINING250-AUTH LOGIN XOAUTH2250-8BITMIME250 SMTPUTF8 CLIENT -> SERVER: AUTH LOGIN SERVER -> CLIENT: 535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.",
      ),
    ).toBe("security_defaults_enabled");
  });

  it("a cmdlet's answer flattened onto one line reads as it does on its own lines", () => {
    expect(
      top(
        "Printer gets 535 5.7.3 Authentication unsuccessful. PS> Get-TransportConfig | fl SmtpClientAuthenticationDisabled SmtpClientAuthenticationDisabled : False PS> Get-CASMailbox scan@contoso.com | fl SmtpClientAuthenticationDisabled SmtpClientAuthenticationDisabled : True Password is right.",
      ),
    ).toBe("smtp_auth_disabled_mailbox");
    expect(
      top(
        "Printer gets 535 5.7.3 Authentication unsuccessful. PS> Get-TransportConfig | fl SmtpClientAuthenticationDisabled SmtpClientAuthenticationDisabled : True PS> Get-CASMailbox scan@contoso.com | fl SmtpClientAuthenticationDisabled SmtpClientAuthenticationDisabled : Password was checked twice.",
      ),
    ).toBe("smtp_auth_disabled_tenant");
  });
});

describe("libraries' mechanism errors and Exchange's sending limits", () => {
  it("go-mail names the mechanism it wanted", () => {
    expect(top("send failed: server does not support SMTP AUTH type: PLAIN")).toBe("auth_mechanism_unsupported");
    // LOGIN is what Exchange offers after STARTTLS: not offered means not yet in TLS.
    expect(top("send failed: server does not support SMTP AUTH type: LOGIN")).toBe("starttls_required");
  });

  it("a sending limit is the sender's restriction, a full mailbox the recipient's", () => {
    expect(
      top(
        "550 5.2.2 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception",
      ),
    ).toBe("sender_restricted");
    expect(top("554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException")).toBe("recipient_rejected");
    expect(top("550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using zen.spamhaus.org")).toBe(
      "sender_restricted",
    );
  });
});

describe("one deciding fact outside the reply", () => {
  const bare = "Scanner: SMTP authentication failed. 535 5.7.3 Authentication unsuccessful.";

  it("the organisation's switch, however it was turned off", () => {
    expect(
      top(`${bare} Our security team applied the CIS benchmark control "Ensure SMTP AUTH is disabled" last week.`),
    ).toBe("smtp_auth_disabled_tenant");
    expect(
      top(
        `${bare} Get-TransportConfig -> SmtpClientAuthenticationDisabled True; Get-CASMailbox scan@ -> SmtpClientAuthenticationDisabled (blank).`,
      ),
    ).toBe("smtp_auth_disabled_tenant");
  });

  it("the mailbox's switch cleared in Manage email apps", () => {
    expect(
      top(
        `${bare} Last month IT went through Manage email apps for every user and unticked everything except Outlook.`,
      ),
    ).toBe("smtp_auth_disabled_mailbox");
  });

  it("an app password that works where the account's password does not", () => {
    expect(top(`${bare} Strange: with an app password from mysignins.microsoft.com it sends.`)).toBe("per_user_mfa");
    // Another client succeeding with the same app password says nothing about per-user MFA.
    expect(top(`${bare} We use an app password; swaks with the same credentials works.`)).not.toBe("per_user_mfa");
  });

  it("a licence taken off, a service plan switched off, a mailbox still on-premises", () => {
    expect(top(`${bare} When she left we took her E3 licence off and kept the account for the scanner.`)).toBe(
      "mailbox_unlicensed_or_missing",
    );
    expect(top(`${bare} In its licence the "Exchange Online (Plan 2)" service plan is switched off.`)).toBe(
      "mailbox_unlicensed_or_missing",
    );
    expect(top(`${bare} La boîte n'a pas encore été migrée, elle est toujours sur le serveur Exchange 2016.`)).toBe(
      "mailbox_unlicensed_or_missing",
    );
  });

  it("a lockout seen in Outlook on the web, or a password spray", () => {
    expect(top(`${bare} In OWA: "Your account is temporarily locked to prevent unauthorized use."`)).toBe(
      "account_locked",
    );
    expect(top(`${bare} Identity Protection flagged a password spray against the account this morning.`)).toBe(
      "account_locked",
    );
  });

  it("a login that works, then a refusal: the From, the volume or one recipient", () => {
    expect(
      top(
        "SMTP Error: data not accepted. The login works (we see 235 in the log); the From is now a shared mailbox and nobody gave the account Send As on it.",
      ),
    ).toBe("send_as_permission");
    expect(
      top("Yesterday we sent 12,400 remittance advices in one go; today every mail from that account is refused."),
    ).toBe("sender_restricted");
    expect(top("Scan to email works for everyone except Dr Jones. Job log: E-mail could not be sent.")).toBe(
      "recipient_rejected",
    );
  });

  it("an outage at the time of the failures, and a password change already made on the device", () => {
    expect(
      top(
        "Unable to connect to the SMTP server. Our internet was down 09:10 to 09:50 and all the errors are in that window.",
      ),
    ).toBe("transient");
    expect(
      top(
        `${bare} We changed the password on the 2nd and I updated the printer the same day. Get-TransportConfig -> SmtpClientAuthenticationDisabled True, Get-CASMailbox scan@ -> SmtpClientAuthenticationDisabled (blank)`,
      ),
    ).toBe("smtp_auth_disabled_tenant");
  });

  it("no sign-in in Entra's log points at Exchange's own gates", () => {
    expect(
      top(
        `${bare} The sign-in logs show nothing at all for the account. PS> Get-OrganizationConfig | fl DefaultAuthenticationPolicy\nDefaultAuthenticationPolicy : Block Basic Auth`,
      ),
    ).toBe("authentication_policy_blocks_basic_smtp");
  });
});

describe("admin tools' outputs", () => {
  it("a full Format-List with the switch among many properties", () => {
    const props = [
      "Name : Print",
      "ActiveSyncEnabled : True",
      "OWAEnabled : True",
      "PopEnabled : False",
      "ImapEnabled : False",
      "MAPIEnabled : True",
      "EwsEnabled : True",
      "SmtpClientAuthenticationDisabled : True",
      "UniversalOutlookEnabled : True",
    ];
    expect(
      top(
        `PS> Get-CASMailbox print@contoso.com | Format-List\n${props.join("\n")}\nThe copier says: SMTP authentication failure`,
      ),
    ).toBe("smtp_auth_disabled_mailbox");
  });

  it("a blank policy answer does not take the next line as its value", () => {
    expect(
      top(
        "535 5.7.139 Authentication unsuccessful, basic authentication is disabled.\nPS> Get-OrganizationConfig | fl DefaultAuthenticationPolicy\nDefaultAuthenticationPolicy :\nNothing changed on our side since the New Year.",
      ),
    ).toBe("basic_auth_disabled_or_retired");
  });

  it("sign-in blocked, and no licence left", () => {
    expect(
      top(
        "SMTP AUTH fails.\nPS> Get-MgUser -UserId scans@contoso.com -Property AccountEnabled | fl\nAccountEnabled : False",
      ),
    ).toBe("account_locked");
    expect(
      top(
        "535 5.7.3 Authentication unsuccessful\nPS> Get-MgUser -UserId desk@contoso.com -Property AssignedLicenses | fl\nAssignedLicenses : {}",
      ),
    ).toBe("mailbox_unlicensed_or_missing");
  });

  it("a diagnostic's recommended actions are advice, not facts", () => {
    expect(
      top(
        "[Failed] Security defaults are turned on for your organization.\n\nRecommended actions\n- Turn off security defaults and protect the account with Conditional Access.",
      ),
    ).toBe("security_defaults_enabled");
  });
});

describe("dated after Basic SMTP AUTH's default-off (end of December 2026)", () => {
  it("a failure dated in 2027, by the reply's suffix or the reporter, ranks the default-off", () => {
    expect(
      top("Since Monday 4 January 2027 every scan to email ends with #801. Nobody touched the tenant over Christmas."),
    ).toBe("basic_auth_disabled_or_retired");
    expect(top("С начала января 2027 сканер не отправляет почту: ошибка аутентификации SMTP. Ничего не меняли.")).toBe(
      "basic_auth_disabled_or_retired",
    );
  });

  it("a decisive reply still decides", () => {
    expect(
      top(
        "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. [AM0PR01CA0001.eurprd01.prod.outlook.com 2027-01-06T08:31:55.047Z 08DF2E19A4B3C2D1]",
      ),
    ).toBe("smtp_auth_disabled_mailbox");
  });
});

describe("what was tried, and what came of it", () => {
  const bare = "Copier: Authentication failed. 535 5.7.3 Authentication unsuccessful.";

  it("a change followed by sending working names the cause", () => {
    expect(top(`${bare}\n[10:22] Sam: turned security defaults off, waited 15 minutes, the copier sends again`)).toBe(
      "security_defaults_enabled",
    );
    expect(
      top(`${bare}\nUpdate: granted the account Send As on the shared mailbox and the test mail went through.`),
    ).toBe("send_as_permission");
  });

  it("a change followed by the same error rules that cause out", () => {
    expect(top(`${bare}\nI reset the password and typed it fresh into the copier: same error.`)).not.toBe(
      "wrong_credentials",
    );
    expect(
      top(`${bare}\nThanks for enabling the Authenticated SMTP switch, but it was already on so that wasn't it.`),
    ).not.toBe("smtp_auth_disabled_mailbox");
  });
});

describe("threads and second-writer facts", () => {
  const bare = "Scanner: SMTP authentication failed. 535 5.7.3 Authentication unsuccessful.";

  it("list items are separate statements", () => {
    expect(
      top(
        `${bare}\nWas ich geprüft habe:\n- MFA pro Benutzer steht auf "Deaktiviert"\n- "Authentifiziertes SMTP" ist beim Postfach angehakt`,
      ),
    ).not.toBe("smtp_auth_disabled_mailbox");
  });

  it("several mailboxes pasted side by side: the one with SMTP AUTH off", () => {
    expect(
      top(
        `${bare}\nGet-CASMailbox old@ → SmtpClientAuthenticationDisabled : False\nGet-CASMailbox new@ → SmtpClientAuthenticationDisabled : True\nGet-TransportConfig → SmtpClientAuthenticationDisabled : False`,
      ),
    ).toBe("smtp_auth_disabled_mailbox");
  });

  it("an organisation switch that is on says nothing about the mailbox's own", () => {
    const ids = diagnose(`${bare}\nGet-TransportConfig → SmtpClientAuthenticationDisabled : False`).causes.map(
      (c) => c.id,
    );
    expect(ids).not.toContain("smtp_auth_disabled_tenant");
    expect(ids).toContain("smtp_auth_disabled_mailbox");
  });

  it("only SELF holds Send As on the From address", () => {
    expect(
      top(
        "Failure sending mail. From is now invoices@contoso.com, login is j.doe@contoso.com.\nPS> Get-RecipientPermission invoices@contoso.com\nIdentity  Trustee                AccessControlType AccessRights\n--------  -------                ----------------- ------------\ninvoices  NT AUTHORITY\\SELF      Allow             {SendAs}",
      ),
    ).toBe("send_as_permission");
  });

  it("per-user MFA in MSOnline's table and on the German page", () => {
    expect(
      top(
        `${bare}\nPS> (Get-MsolUser -UserPrincipalName scan@contoso.com).StrongAuthenticationRequirements\nRelyingParty RememberDevicesNotIssuedBefore State\n------------ ------------------------------ -----\n*            09/01/2025 14:22:07            Enforced`,
      ),
    ).toBe("per_user_mfa");
    expect(top(`${bare} MFA pro Benutzer steht für das Konto auf "Erzwungen".`)).toBe("per_user_mfa");
  });

  it("a device that closes the connection right after STARTTLS, and an Indy TLS 1.0 method", () => {
    expect(top("S: 220 2.0.0 SMTP server ready\n(connection closed by device)")).toBe("tls_version");
    expect(top("EIdConnClosedGracefully: Connection Closed Gracefully. SSLOptions.Method is sslvTLSv1.")).toBe(
      "tls_version",
    );
  });

  it("a malformed recipient in RCPT TO, a curl timeout, a sign-in that Entra logged as a success", () => {
    expect(top("C: RCPT TO:<m.owens@brightlane-group,com>\nthen the application gives up: Sending failed")).toBe(
      "recipient_rejected",
    );
    expect(top("Failed to send email: Timeout was reached")).toBe("transient");
    expect(top(`${bare} The Entra sign-in log shows the scanner's attempts as Success.`)).not.toBe("wrong_credentials");
  });
});

describe("short posts in many languages", () => {
  it("a device's 'authentication failed' in its own language is an authentication failure, not unknown", () => {
    for (const text of [
      "Scanner meldet: SMTP-Authentifizierung fehlgeschlagen",
      "Imprimante : échec de l'authentification SMTP",
      "Yazıcı: SMTP kimlik doğrulama hatası",
      "打印机提示：SMTP 认证失败",
    ])
      expect([text, top(text)]).not.toEqual([text, "unknown"]);
  });

  it("Entra codes after 'sign-in log' or 'kod', and Microsoft turning security defaults on", () => {
    expect(top("Zabbix: 535 5.7.139 Authentication unsuccessful\nsign-in logs for the zabbix user: 53003")).toBe(
      "conditional_access_block",
    );
    expect(top("Xerox: błąd uwierzytelniania. Dziennik logowań Entra: kod 50126.")).toBe("wrong_credentials");
    expect(
      top("Copier fails since Monday; we got the 'Microsoft will turn on security defaults for your org' mail."),
    ).toBe("security_defaults_enabled");
  });

  it("a site on its own internet line, a mechanism set in words, a recipient PHPMailer names", () => {
    expect(top("HQ works, the branch gets 'SMTP auth error'. The branch has its own internet line.")).toBe(
      "conditional_access_block",
    );
    expect(top("Sharp: SMTP authentication failed. Auth method was set to CRAM-MD5.")).toBe(
      "auth_mechanism_unsupported",
    );
    expect(top("PHPMailer: SMTP Error: The following recipients failed: acounts@contoso.com")).toBe(
      "recipient_rejected",
    );
  });
});

describe("the deciding fact in the reporter's language", () => {
  const bare = "535 5.7.3 Authentication unsuccessful";

  it("admin centre boxes and sign-in logs as localised", () => {
    expect(top(`${bare}\n「已驗證的 SMTP」沒有勾選。`)).toBe("smtp_auth_disabled_mailbox");
    expect(top(`${bare}\n"SMTP autenticato" NON è selezionato per questa casella.`)).toBe("smtp_auth_disabled_mailbox");
    expect(top(`${bare}\nHet vinkje bij "Het SMTP AUTH-protocol voor uw organisatie uitschakelen" staat aan.`)).toBe(
      "smtp_auth_disabled_tenant",
    );
    expect(
      top(
        '535 5.7.139 Authentication unsuccessful, the request did not meet the criteria.\nPåloggingsloggen: Betinget tilgang "Mislykket".',
      ),
    ).toBe("conditional_access_block");
  });

  it("licences, mailboxes and codes told in other languages", () => {
    expect(top(`${bare}\nПробна підписка закінчилася місяць тому, у користувача статус «Без ліцензії».`)).toBe(
      "mailbox_unlicensed_or_missing",
    );
    expect(top(`${bare}\nביומני הכניסה מופיע קוד שגיאה 50053.`)).toBe("account_locked");
    expect(top("Tiskárna: smtp.office365.com, port 465, SSL/TLS. Chyba připojení k serveru SMTP (časový limit).")).toBe(
      "starttls_required",
    );
  });
});

describe("devices' settings pages, third writer, and batch 22", () => {
  it("settings lines: a TLS method, SSL on 587, anonymous ticked, authentication unticked or off", () => {
    expect(top("Sending email failed.\nSMTP Port 587\nSSL/TLS Method: TLS 1.0")).toBe("tls_version");
    expect(top("Connection error.\nSMTP Port 587\nSMTP over SSL/TLS: SSL")).toBe("starttls_required");
    expect(top("Test failed.\nSMTP Server smtp.office365.com, Port 587\nAnonymous: [x]")).toBe(
      "not_authenticated_anonymous_send",
    );
    expect(top('Failed to send test message. "This SMTP server requires authentication" NOT ticked.')).toBe(
      "not_authenticated_anonymous_send",
    );
    expect(top('Send error. In Command Center "SMTP Authentication" is Off and the login fields are empty.')).toBe(
      "not_authenticated_anonymous_send",
    );
  });

  it("a challenge-response mechanism asked for, and NTLM set on a German menu", () => {
    expect(top("Transmission has failed.\nSMTP Auth. Encryption: On")).toBe("auth_mechanism_unsupported");
    expect(top('Thunderbird: Authentication method: "Encrypted password". Sending of the message failed.')).toBe(
      "auth_mechanism_unsupported",
    );
    expect(top("Server-Verbindungsfehler.\n  Authentifizierungseinstellung (Detail): nur NTLM angehakt")).toBe(
      "auth_mechanism_unsupported",
    );
  });

  it("a From in an internal domain, a Dutch security-defaults page, PHP's ssl:// on 587, a bad EHLO name", () => {
    expect(
      top("Failed sending data to the peer.\nUsername alerts@contoso.com\nEmail: zabbix@monitoring.contoso.local"),
    ).toBe("send_as_permission");
    expect(top('Kan geen verbinding maken. In Entra staat: "Beveiligingsstandaarden: Ingeschakeld".')).toBe(
      "security_defaults_enabled",
    );
    expect(top("fsockopen(): unable to connect to ssl://smtp.office365.com:587 (Unknown error)")).toBe(
      "starttls_required",
    );
    expect(top("501 5.5.4 Invalid domain name [BL1PR13CA0360.namprd13.prod.outlook.com]")).toBe("unknown");
  });
});

describe("devices' settings pages, fourth writer, and code", () => {
  it("TLS off or implicit on 587 in the device's own words, not a certificate check", () => {
    expect(top("Test failed.\nSMTP Port: 587\n[ ] SMTP server requires a secure connection (SSL/TLS)")).toBe(
      "starttls_required",
    );
    expect(top("Échec.\nNuméro de port SMTP : 587\nUtiliser TLS pour SMTP : Désactivé")).toBe("starttls_required");
    expect(top("Errore.\nPorta: 587\nSicurezza connessione: SSL/TLS (implicito)")).toBe("starttls_required");
    expect(
      top(
        "Could not connect.\nPort Number (SMTP TX): 587\nUse TLS (SMTP TX): [x]\nConfirm TLS Certificate for SMTP TX: [ ]",
      ),
    ).not.toBe("starttls_required");
  });

  it("TLS 1.2 greyed out on the device, and a firmware that offers only challenge-response mechanisms", () => {
    expect(
      top("Verbinding met de SMTP-server is mislukt.\n  TLS1.2: Niet actief (grijs)\n  TLS1.0: Actief\nPoort 587"),
    ).toBe("tls_version");
    expect(
      top("SMTP authentication failure. Support says this firmware only tries CRAM-MD5, DIGEST-MD5 and NTLM."),
    ).toBe("auth_mechanism_unsupported");
  });

  it("a firewall rule's port beside the mailer's 587 is not the mailer's port", () => {
    expect(
      top(
        "NetworkPolicy egress:\n  - { protocol: TCP, port: 443 }\nnodemailer host smtp.office365.com, port 587: Error: Connection timeout, code: 'ETIMEDOUT'",
      ),
    ).toBe("transient");
  });
});

describe("one deciding fact, fourth writer", () => {
  it("fixes told in other forms: a settings path to Disabled, a command that 'funcionó', STARTTLS chosen", () => {
    expect(
      top(
        'Ricoh: "Authentication with SMTP server has failed." What fixed it: Entra > Properties > Manage security defaults > Disabled. The very next scan went out.',
      ),
    ).toBe("security_defaults_enabled");
    expect(
      top(
        'Veeam daba "Authentication failed". Al final fue ejecutar Set-TransportConfig -SmtpClientAuthenticationDisabled $false y a los pocos minutos funcionó.',
      ),
    ).toBe("smtp_auth_disabled_tenant");
    expect(
      top(
        'Zabbix: "Could not authenticate". Fix: Connection security was "None" - changed it to "STARTTLS", port 587. Test message sent.',
      ),
    ).toBe("starttls_required");
  });

  it("a STARTTLS call removed, a blocked sign-in, a failover, a retry that works", () => {
    expect(
      top(
        "server.login(USER, PASSWORD)   # we removed server.starttls() because it hung\nCould not authenticate to smtp.office365.com:587",
      ),
    ).toBe("starttls_required");
    expect(
      top('HP: "Could not authenticate with the server." Entra > scanner@ > Account status: "Sign-in blocked".'),
    ).toBe("account_locked");
    expect(
      top("03:12 Canon: #755 Send error\n03:12 firewall cluster HA failover, all outbound sessions dropped for 40 s"),
    ).toBe("transient");
  });
});

describe("machine logs and exports", () => {
  it("a sign-in log saved as CSV: the Conditional Access column's 'Not Applied' reads next to its name", () => {
    const csv = [
      "Date (UTC),User,Application,Status,Sign-in error code,Client app,Conditional Access,Authentication requirement",
      '2026-03-02T08:10:00Z,copier@contoso.com,Office 365 Exchange Online,Failure,50076,Authenticated SMTP,Not Applied,"Multifactor authentication"',
    ].join("\n");
    expect(top(csv)).toBe("per_user_mfa");
    // The same column saying Failure is a policy's refusal.
    expect(top(csv.replace("Not Applied", "Failure").replace("50076", "53003"))).toBe("conditional_access_block");
  });

  it("a client's own list of mechanisms is not a mechanism refused: PHPMailer choosing one, Jakarta's capability echo", () => {
    const phpmailer = [
      "SERVER -> CLIENT: 250-AUTH LOGIN XOAUTH2",
      "Auth method requested: UNSPECIFIED",
      "Auth methods available on the server: LOGIN,XOAUTH2",
      "Requested auth method not available: ",
      "Auth method selected: LOGIN",
      "CLIENT -> SERVER: AUTH LOGIN",
      "SERVER -> CLIENT: 535 5.7.3 Authentication unsuccessful",
    ].join("\n");
    expect(top(phpmailer)).toBe("wrong_credentials");
    const jakarta = [
      'DEBUG SMTP: Found extension "AUTH", arg "LOGIN XOAUTH2"',
      "DEBUG SMTP: Attempt to authenticate using mechanisms: NTLM",
      "DEBUG SMTP: mechanism NTLM not supported by server",
      "javax.mail.AuthenticationFailedException: No authentication mechanisms supported by both server and client",
    ].join("\n");
    const d = diagnose(jakarta);
    expect(d.causes[0]!.id).toBe("auth_mechanism_unsupported");
    expect(d.extracted.oauth).toBe(false);
  });

  it("a 5.7.57 wrapping an echoed refusal reads as the refusal alone, bare or inside .NET's sentence", () => {
    const reply =
      "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.";
    const bare = diagnose(reply).causes.map((c) => c.id);
    const wrapped = diagnose(
      `System.Net.Mail.SmtpException: The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.57 Client not authenticated to send mail. Error: ${reply}`,
    ).causes.map((c) => c.id);
    expect(wrapped.slice(0, 2)).toEqual(bare.slice(0, 2));
  });

  it("MailCore2's error texts and a sending limit", () => {
    expect(
      top(
        'Error Domain=MCOErrorDomain Code=5 "Unable to authenticate with the current session\'s credentials." smtp.office365.com:587',
      ),
    ).toBe("wrong_credentials");
    expect(
      top('MCOErrorDomain Code=2 "The server does not support TLS/SSL connections." host smtp.office365.com port 587'),
    ).toBe("starttls_required");
    expect(
      top(
        "550 5.7.233 Your message can't be sent because your tenant exceeded its daily limit for sending email to external recipients (tenant external recipient rate limit).",
      ),
    ).toBe("sender_restricted");
  });
});

describe("batch 24", () => {
  it("a command refused after the login (SMTPUTF8 on MAIL FROM) is no SMTP AUTH gate; to AUTH it is the mechanism", () => {
    expect(
      top(
        "Our mailer logs in fine (235 2.7.0) and then: sending SMTP MAIL FROM command: 502 5.3.3 Command not implemented. Turning SMTPUTF8 off in the library makes it go through.",
      ),
    ).toBe("unknown");
    expect(top('Error: Invalid login: 502 5.5.2 Command "AUTH PLAIN" not implemented')).toBe(
      "auth_mechanism_unsupported",
    );
  });
});

describe("blind sets 29 and 31: a retold refusal, times that are not ports, OCR and localised sign-in logs", () => {
  it("a refusal retold cut short in the same log is one attempt, not a later one with another reason", () => {
    expect(
      top(
        "2026-02-03 17:25:44 SERVER -> CLIENT: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.\n2026-02-03 17:25:44 SMTP ERROR: Password command failed: 535 5.7.139 ...",
      ),
    ).toBe("smtp_auth_disabled_tenant");
    // A time of day is no port 25.
    expect(diagnose("17:25:44 Could not authenticate").fired.map((f) => f.id)).not.toContain(
      "words-port-25-direct-send",
    );
  });

  it("OCR's 1 for l inside a word, a Dutch sign-in log with its qualified labels, a device's longer sentence", () => {
    expect(
      top(
        "Failed to send test message: 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mai1box.",
      ),
    ).toBe("smtp_auth_disabled_mailbox");
    expect(
      top(
        "Status Fout\nFoutcode voor aanmelden 50126\nClient-app Geverifieerde SMTP\nVoorwaardelijke toegang Niet toegepast",
      ),
    ).toBe("wrong_credentials");
    expect(
      top(
        "we changed everybody's passwords on friday. now the copier: Transmission Error. Authentication of SMTP server failed.",
      ),
    ).toBe("wrong_credentials");
  });
});

describe("batch 25", () => {
  it("the reporter's finding that the encryption is what matters, not a question about it", () => {
    expect(top("EmailException: 邮件发送失败，请检查 SMTP 服务配置是否正确. 和office365 smtp加密有关")).toBe(
      "starttls_required",
    );
    expect(
      diagnose(
        "Mail to office365 fails with an exception. Could this be related to the TLS settings on our server?",
      ).fired.map((f) => f.id),
    ).not.toContain("words-encryption-blamed");
  });
});

describe("batch 25, a token", () => {
  it("a token the reporter says is valid or renewed means the login is OAuth", () => {
    const d = diagnose(
      'Renewal of the token is working, it says "token is valid until 11:46". Sending still fails: 535 5.7.3 Authentication unsuccessful',
    );
    expect(d.extracted.oauth).toBe(true);
    expect(d.causes[0]!.id).toBe("oauth_misconfigured_app_or_sp");
  });
});

describe("blind set 32: the client's defaults decide", () => {
  it("mechanisms a client is set to: msmtp's method line and message, a Ricoh's Japanese auth encryption", () => {
    expect(
      top(
        "account m365\nhost smtp.office365.com\nport 587\ntls on\ntls_starttls on\nauth plain\n\nmsmtp: the server does not support authentication method PLAIN",
      ),
    ).toBe("auth_mechanism_unsupported");
    expect(
      top(
        "リコー スキャン to メール: 送信に失敗しました\nSMTP認証: 有効\nSMTP認証の暗号化: 暗号化する\nポート番号: 587",
      ),
    ).toBe("auth_mechanism_unsupported");
    // MailKit's "does not support authentication." is AUTH not offered, not a method refused.
    expect(
      top(
        'System.NotSupportedException: The SMTP server does not support authentication.\nawait client.ConnectAsync("smtp.office365.com", 587, SecureSocketOptions.None, ct);',
      ),
    ).toBe("starttls_required");
  });

  it("credentials missing, an alias as the user name, an old runtime or firmware named", () => {
    expect(
      top('auth: { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS }\nError: Missing credentials for "LOGIN"'),
    ).toBe("wrong_credentials");
    expect(
      top(
        'Thunderbird: "Authentication failure while connecting to server smtp.office365.com." User Name: john.smith@contoso.com, which is an extra address on the mailbox; my sign-in is jsmith@contoso.com.',
      ),
    ).toBe("wrong_credentials");
    expect(
      top(
        "Java 7u80, javax.mail 1.4.5: javax.mail.MessagingException: Could not convert socket to TLS; javax.net.ssl.SSLHandshakeException: Remote host closed connection during handshake",
      ),
    ).toBe("tls_version");
    expect(
      top(
        "Xerox WorkCentre, system software 073.xxx from 2016, STARTTLS on 587: SMTP server connection failure. The one on newer firmware works.",
      ),
    ).toBe("tls_version");
  });

  it("OAuth the client cannot do is not the login in use", () => {
    const d = diagnose(
      "Our Canon (kann laut Canon kein OAuth für SMTP) fails since January 2027 with 535 5.7.139 Authentication unsuccessful.",
    );
    expect(d.extracted.oauth).toBe(false);
    expect(
      diagnose("Send-MailMessage has no way to do OAuth. Error: 535 5.7.139 Authentication unsuccessful").extracted
        .oauth,
    ).toBe(false);
  });
});

describe("reports with no error text: the reporter's own settings decide", () => {
  it("a From set to another address than the account that signs in", () => {
    const d = diagnose(
      "The copier signs in as scan@contoso.com with its password and the From address is set to noreply@contoso.com. Nothing arrives and the copier shows no error.",
    );
    expect(d.fired.map((f) => f.id)).toContain("words-from-differs-from-login");
    expect(d.causes[0]!.id).toBe("send_as_permission");
    // The same address in both places is no Send As question.
    expect(
      diagnose(
        "The copier signs in as scan@contoso.com with its password and the From address is set to scan@contoso.com. Nothing arrives.",
      ).fired.map((f) => f.id),
    ).not.toContain("words-from-differs-from-login");
  });

  it("implicit TLS chosen or STARTTLS turned off on 587, and not when STARTTLS is what was chosen", () => {
    expect(
      top(
        "Server smtp.office365.com, port 587. I picked SSL/TLS in the security drop-down because it sounded safest. The test mail never goes out.",
      ),
    ).toBe("starttls_required");
    expect(
      fired("Port 587 to smtp.office365.com; we disabled STARTTLS on the app server last week. Mail stopped."),
    ).toContain("words-implicit-tls-chosen");
    expect(fired("Port 587 to smtp.office365.com; I switched to STARTTLS and it still fails.")).not.toContain(
      "words-implicit-tls-chosen",
    );
    // Implicit TLS on 465 is a different question (the port), not this rule.
    expect(fired("Port 465 to smtp.office365.com; I picked SSL/TLS. Mail fails.")).not.toContain(
      "words-implicit-tls-chosen",
    );
  });

  it("a challenge-response mechanism the client is set to", () => {
    expect(
      top(
        "smtp.office365.com:587 with STARTTLS. The scanner's SMTP authentication is set to CRAM-MD5 (the manual calls it the secure option). Scans to email fail.",
      ),
    ).toBe("auth_mechanism_unsupported");
    expect(
      diagnose(
        "smtp.office365.com:587 with STARTTLS; we moved off CRAM-MD5 to LOGIN last year and it worked until now.",
      ).fired.map((f) => f.id),
    ).not.toContain("words-challenge-mechanism-chosen");
  });

  it("an alias or a bare name as the user name", () => {
    expect(
      top(
        "The printer's user name is an alias of the mailbox, and its actual sign-in name is different. Scan to email fails.",
      ),
    ).toBe("wrong_credentials");
    expect(
      top('SMTP user name "scanner" and the mailbox password; smtp.office365.com 587 STARTTLS. Nothing is sent.'),
    ).toBe("wrong_credentials");
  });
});

describe("pasted client configuration: TLS at connect on 587, a PLAIN-only client", () => {
  it("reads each library's implicit-TLS option with port 587 as a STARTTLS cause", () => {
    for (const config of [
      "host: 'smtp.office365.com',\n  port: 587,\n  secure: true,",
      "EMAIL_HOST = 'smtp.office365.com'\nEMAIL_PORT = 587\nEMAIL_USE_SSL = True",
      "spring.mail.port=587\nspring.mail.properties.mail.smtp.ssl.enable=true",
      "MAIL_HOST=smtp.office365.com\nMAIL_PORT=587\nMAIL_ENCRYPTION=ssl",
      "server = smtplib.SMTP_SSL('smtp.office365.com', 587)",
      'server: "smtp.office365.com", port: 587, ssl: true, tls: :always',
      'client.Connect("smtp.office365.com", 587, SecureSocketOptions.SslOnConnect);',
    ]) {
      const d = diagnose(`Sending fails, the log only says: connection closed.\n${config}`);
      expect(
        d.fired.map((f) => f.id),
        config,
      ).toContain("client-implicit-tls-config-on-587");
      expect(d.causes[0]!.id, config).toBe("starttls_required");
    }
  });

  it("leaves the STARTTLS options, port 465 and sessions that got a reply alone", () => {
    for (const text of [
      // .NET's EnableSsl and Django's EMAIL_USE_TLS are STARTTLS on 587.
      'var smtp = new SmtpClient("smtp.office365.com", 587) { EnableSsl = true };\nFailure sending mail.',
      "EMAIL_PORT = 587\nEMAIL_USE_TLS = True\nconnection closed",
      "host: 'smtp.office365.com', port: 587, secure: false, requireTLS: true\nconnection closed",
      "host: 'smtp.office365.com', port: 465, secure: true\nconnection closed (we also tried 587)",
      "TLS/SSL: On (STARTTLS)\nSMTP Port: 587\nConnection timed out.",
      // A 535 means the session got past TLS: the setting did not fail it.
      "port: 587, secure: true\nError: Invalid login: 535 5.7.3 Authentication unsuccessful",
    ])
      expect(fired(text), text).not.toContain("client-implicit-tls-config-on-587");
  });

  it("a client that speaks only PLAIN, or a request for AUTH LOGIN", () => {
    expect(
      top(
        "Allow AUTH LOGIN mechanism\nOnly the AUTH PLAIN mechanism is supported in sendmail. We use Microsoft Exchange SMTP servers and they have disallowed AUTH PLAIN.",
      ),
    ).toBe("auth_mechanism_unsupported");
    expect(top("Please add support for the LOGIN authentication mechanism: Office 365 does not accept PLAIN.")).toBe(
      "auth_mechanism_unsupported",
    );
  });
});

describe("real batch 26: a Java client's default, a missing TLS option, a password-reset feature", () => {
  it("a Java mail client failing on 587 with no reply and no TLS setting leans to STARTTLS", () => {
    const text =
      "Password reset emails are not sent.\nSMTP Host: smtp.office365.com\nSMTP Port: 587\norg.apache.commons.mail.EmailException: Sending the email to the following server failed : smtp.office365.com:587\n\tat org.apache.commons.mail.Email.sendMimeMessage(Email.java:1469)";
    expect(fired(text)).toContain("client-javamail-default-no-starttls");
    expect(top(text)).toBe("starttls_required");
    // Its STARTTLS failing ("Could not convert socket to TLS") or a reply code is for the other rules.
    expect(
      fired("javax.mail.MessagingException: Could not convert socket to TLS; smtp.office365.com, port 587, Java 7u80"),
    ).not.toContain("client-javamail-default-no-starttls");
    expect(
      fired("javax.mail.AuthenticationFailedException: 535 5.7.3 Authentication unsuccessful (smtp.office365.com:587)"),
    ).not.toContain("client-javamail-default-no-starttls");
  });

  it("a password-reset feature is no password change", () => {
    expect(fired("Password reset emails are not sent through smtp.office365.com.")).not.toContain(
      "words-password-changed",
    );
    expect(fired("The password was reset yesterday and the scanner stopped.")).toContain("words-password-changed");
  });

  it("a client with no TLS option for Outlook", () => {
    expect(
      top(
        "SMTP has no option with TLS, so I can't use Outlook as my email sender. Settings > SMTP > Encryption: SSL or None (no TLS option).",
      ),
    ).toBe("starttls_required");
    expect(fired("The old copier does not support TLS 1.2.")).not.toContain("words-client-lacks-starttls");
  });
});

describe("no error text, second writer (blind set 33) and code and configuration (blind set 35)", () => {
  it("negations in other word orders and languages: 'MFA not on these users', 'pas de MFA'", () => {
    expect(fired("Security defaults off. MFA not on these users. Mail fails.")).not.toContain("words-mfa");
    expect(fired("SMTP AUTH est activé sur la boîte, pas de MFA sur ce compte.")).not.toContain("words-mfa");
    expect(fired("MFA is on for the scanner account.")).toContain("words-mfa");
  });

  it("the login and the From in prose, addresses cut to their local part", () => {
    expect(top("The contact form authenticates as webforms@ and sends from hello@. Real sends fail.")).toBe(
      "send_as_permission",
    );
    expect(
      top(
        "Die Software meldet sich mit edv@firma.de an, soll aber als bestellung@firma.de verschicken. Nichts kommt an.",
      ),
    ).toBe("send_as_permission");
    expect(fired("It authenticates as alerts@contoso.com and sends from alerts@contoso.com.")).not.toContain(
      "words-from-differs-from-login",
    );
    expect(top("We removed all Send As grants last month; the mailer sends from hello@ and stopped.")).toBe(
      "send_as_permission",
    );
  });

  it("authentication left off, or the login never called", () => {
    expect(
      top(
        'Copier profile: port 587, TLS on; "Server requires authentication" — that box was not checked. Test failed.',
      ),
    ).toBe("not_authenticated_anonymous_send");
    expect(top('NVR: smtp.office365.com 587, en "Autenticación" dejé "Ninguna". Prueba fallida.')).toBe(
      "not_authenticated_anonymous_send",
    );
    expect(top("s = smtplib.SMTP(host, 587); s.starttls(); s.sendmail(a, b, m) — I never call s.login().")).toBe(
      "not_authenticated_anonymous_send",
    );
  });

  it("STARTTLS off said in prose, a challenge-response mechanism as the setting", () => {
    expect(top('The app points at smtp.office365.com 587 with "Encryption: None" and fails at once.')).toBe(
      "starttls_required",
    );
    expect(
      top('NAS mail: smtp.office365.com, port 587, "Requires a secure connection (SSL/TLS)" unticked. Test failed.'),
    ).toBe("starttls_required");
    expect(top('Moved the ERP to smtp.office365.com and left "Authentication: Windows integrated (NTLM)".')).toBe(
      "auth_mechanism_unsupported",
    );
  });

  it("the credentials: expiry, characters a panel cannot send, another account's secret", () => {
    expect(top("Scanner stopped sending; our passwords expire after 90 days and its account is 90 days old.")).toBe(
      "wrong_credentials",
    );
    expect(top("Bei uns laufen Kennwörter nach 90 Tagen ab; der Scanner sendet seit heute nicht mehr.")).toBe(
      "wrong_credentials",
    );
    expect(
      top("We set a new password with a § and a € in it, typed it on the panel; portal sign-in works, sends fail."),
    ).toBe("wrong_credentials");
    expect(top("SMTP_USER is alerts@ but SMTP_PASS is the password of the previous account. Send failed.")).toBe(
      "wrong_credentials",
    );
    expect(
      top(
        "MailKit with XOAUTH2 user=reports@; the worker reuses a token that was requested while logged-in as the delegated user helpdesk@.",
      ),
    ).toBe("wrong_credentials");
    // Umlauts in German prose are no special characters of the password.
    expect(fired("Passwort zurückgesetzt und im Browser getestet, Login klappt.")).not.toContain(
      "words-password-special-characters",
    );
  });

  it("every account failing, the per-mailbox exception, Basic off beside a working OAuth", () => {
    expect(fired("Every account I try fails, even a fresh test user. Security defaults off.")).toContain(
      "words-every-account-fails",
    );
    expect(
      top("Tenant default for SMTP AUTH is disabled; we enable it per mailbox. The new mailbox cannot send."),
    ).toBe("smtp_auth_disabled_mailbox");
    expect(
      top('Thunderbird with OAuth2 works for the same mailbox. Switching its SMTP auth to "Normal password" fails.'),
    ).toBe("basic_auth_disabled_or_retired");
  });

  it("a Graph token for SMTP, a blocked sign-in, no mailbox, one recipient", () => {
    expect(
      top('The worker gets a token with scope "https://graph.microsoft.com/.default" and uses it for XOAUTH2 SMTP.'),
    ).toBe("oauth_misconfigured_app_or_sp");
    expect(
      fired("Token scope https://outlook.office365.com/.default, the app also has Mail.Send on Graph; SMTP fails."),
    ).not.toContain("client-graph-token-for-smtp");
    expect(top('HR clicked "Block sign-in" on the account the label software sends with.')).toBe("account_locked");
    expect(top("New user alerts@; there is no mailbox showing in Exchange admin for it. The app cannot send.")).toBe(
      "mailbox_unlicensed_or_missing",
    );
    expect(top("Scans to everyone in the office work. Scans to the bookkeeper's address never arrive.")).toBe(
      "recipient_rejected",
    );
  });

  it("a runtime's version is no status code; rustls's plain-text record; lettre's TLS wrapper", () => {
    expect(
      diagnose("PHPMailer 5.2.9 on PHP 5.4.16: SMTP Error: Could not connect to SMTP host.").fired.map((f) => f.id),
    ).not.toContain("code-5.2.x");
    expect(top("PHP 5.4.16, PHPMailer, smtp.office365.com 587 tls: the connection drops right after STARTTLS.")).toBe(
      "tls_version",
    );
    expect(
      top(
        'SmtpTransport::relay("smtp.office365.com")?.port(587)\nError: Connection, InvalidMessage(InvalidContentType)',
      ),
    ).toBe("starttls_required");
    expect(top("Scheduled task on a Server 2012 R2 box: net_io_connectionclosed. Works from my Win11 laptop.")).toBe(
      "tls_version",
    );
  });
});

describe("Exchange Online NDR codes of the recipient's restrictions, relay and forwarding", () => {
  it("reads the recipient's restrictions as a recipient refused, bare or with their text", () => {
    for (const code of ["5.7.133", "5.7.134", "5.7.12", "5.7.124", "5.2.121", "5.2.122"])
      expect(top(`550 ${code}`), code).toBe("recipient_rejected");
    expect(
      top(
        "Remote Server returned '550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required; Delivery restriction check failed because the sender was not authenticated when sending to this group'",
      ),
    ).toBe("recipient_rejected");
  });

  it("5.7.64 as an unauthenticated relay, 5.7.520 as the outbound forwarding control", () => {
    expect(top("550 5.7.64 TenantAttribution; Relay Access Denied")).toBe("not_authenticated_anonymous_send");
    expect(top("550 5.7.64")).toBe("not_authenticated_anonymous_send");
    expect(top("550 5.7.520 Access denied, Your organization does not allow external forwarding.")).toBe(
      "sender_restricted",
    );
  });
});

describe("red herrings and facts in the local language (blind sets 36 and 38)", () => {
  it("'security defaults are off' only rules them out when no login was refused", () => {
    const text = "Scanner sometimes sends, sometimes times out on the 4G backup link. Security defaults are off.";
    expect(fired(text)).toContain("words-security-defaults-off-only");
    // No lean to the SMTP AUTH switches: the intermittent failure is what the text speaks for (first,
    // as the text carries no reply).
    expect(ids(text)[0]).toBe("transient");
    expect(ids(text).slice(0, 3)).not.toContain("smtp_auth_disabled_mailbox");
    expect(ids(text).slice(0, 3)).not.toContain("smtp_auth_disabled_tenant");
    expect(namesNoCause(text)).toBe(true);
    // With a refused login (or a change that did not help) the SMTP AUTH switches are the next gate.
    expect(fired("535 5.7.3 Authentication unsuccessful. Security defaults are off.")).toContain(
      "words-security-defaults-off",
    );
    expect(
      fired("Security defaults were turned off, then we created a new account and SMTP still does not work."),
    ).toContain("words-security-defaults-off");
  });

  it("an account set apart from an MFA rollout, further along the sentence or in Portuguese", () => {
    for (const text of [
      "We also turned on MFA for staff this week; web-forms@ is excluded.",
      "A MFA foi ativada esta semana para os utilizadores, mas a conta faturas@ ficou excluída.",
      "SMTP AUTH is enabled and the MFA project didn't touch that account.",
      "My account isn't covered by MFA (we're piloting MFA only in HR).",
      "Neither has per-user MFA set for the scan account.",
      "Ruled out: no per-user MFA, per-user MFA disabled.",
    ])
      expect(fired(text), text).not.toContain("words-mfa");
  });

  it("the organisation's switch in prose, an org-wide enable that says nothing of the mailbox", () => {
    expect(
      top("SMTP auth fails for all our mailboxes. Org level has it switched off since the tenant was set up."),
    ).toBe("smtp_auth_disabled_tenant");
    expect(fired("Tenant has SMTP AUTH enabled org-wide; other copiers still work.")).not.toContain(
      "words-smtp-auth-on",
    );
    expect(
      top(
        'Yesterday the technician desativou o "SMTP autenticado" nas caixas de correio one by one; faturas@ was caught.',
      ),
    ).toBe("smtp_auth_disabled_mailbox");
  });

  it("OAuth working and the password failing, in either order", () => {
    expect(
      top(
        "Our old printers that log in with username/password fail, while the two set up with OAuth via the vendor's connector still work.",
      ),
    ).toBe("basic_auth_disabled_or_retired");
    expect(top("With auth type OAuth2 the mail goes out. With auth: {user, pass} it fails at the auth step.")).toBe(
      "basic_auth_disabled_or_retired",
    );
  });

  it("a server that 'does not support AUTH', STARTTLS set to Off, POP before SMTP, a new tenant's limits", () => {
    expect(top("Python tells me the server doesn't support AUTH at all. smtp.office365.com 587.")).toBe(
      "starttls_required",
    );
    expect(top('Copier factory reset: port 587; TLS/SSL setting is now "Off" (it was STARTTLS before).')).toBe(
      "starttls_required",
    );
    expect(top('The tech picked "POP before SMTP" in the Xerox auth menu. Scans fail.')).toBe(
      "not_authenticated_anonymous_send",
    );
    expect(top("New trial tenant; external mail stops after a handful; new tenants are limited, support said.")).toBe(
      "sender_restricted",
    );
  });

  it("Send on behalf, a From set after the login, the service principal's object id", () => {
    expect(top('We gave the scanner account "Send on behalf" on reception@; with reception@ as From it fails.')).toBe(
      "send_as_permission",
    );
    expect(top("PHPMailer logs in as web-forms@ and sets From: info@. The send fails after the login.")).toBe(
      "send_as_permission",
    );
    expect(
      top(
        "App-only SMTP OAuth: the ObjectId I pasted into New-ServicePrincipal was the one from App registrations, not the one from Enterprise applications.",
      ),
    ).toBe("oauth_misconfigured_app_or_sp");
  });

  it("the reporter's local-language facts beside a bare 535 5.7.3", () => {
    const reply = "535 5.7.3 Authentication unsuccessful\n";
    expect(top(`${reply}la licence a été retirée de ce compte il y a trois jours`)).toBe(
      "mailbox_unlicensed_or_missing",
    );
    expect(top(`${reply}il consulente ha attivato le "impostazioni predefinite di sicurezza" nel portale Entra`)).toBe(
      "security_defaults_enabled",
    );
    expect(top(`${reply}Vår IT-konsult har slagit på säkerhetsstandarder i Entra ID.`)).toBe(
      "security_defaults_enabled",
    );
    expect(top(`${reply}上周管理员在 Entra 管理中心启用了安全默认值。`)).toBe("security_defaults_enabled");
    expect(top(`${reply}В журнале входов: «Учётная запись заблокирована» (код 50053).`)).toBe("account_locked");
  });

  it("an old device supporting only SSL 3.0 and TLS 1.0, and the .NET echo of a 5.7.57", () => {
    expect(top("Il dispositivo supporta SSL 3.0 e TLS 1.0, niente di più recente. smtp.office365.com 587.")).toBe(
      "tls_version",
    );
    expect(fired("The copier supports TLS 1.0, 1.1 and TLS 1.2.")).not.toContain("words-old-tls-runtime");
    expect(
      top(
        "Die Serverantwort war: 5.7.57 Client not authenticated to send mail. Error: 530 5.7.57 Client not authenticated to send anonymous mail during MAIL FROM",
      ),
    ).toBe("not_authenticated_anonymous_send");
  });
});

describe("the app's missing mailbox permission, a UPN the device lacks, a mailbox still on-premises", () => {
  it("reads each from the reporter's account", () => {
    expect(
      top(
        "App-only OAuth for SMTP; the service principal is registered, but I skipped the Add-MailboxPermission step.",
      ),
    ).toBe("oauth_misconfigured_app_or_sp");
    expect(
      top(
        "I put f.lastname@example.com as the username because that's the email. The portal only works with the long UPN.",
      ),
    ).toBe("wrong_credentials");
    expect(
      top(
        "Same account helpdesk-svc@, E3 licence, but its mailbox hasn't been migrated yet. The ticketing system fails.",
      ),
    ).toBe("mailbox_unlicensed_or_missing");
  });
});

describe("red herrings, fourth writer, and devices (blind sets 39 and 41)", () => {
  it("more ways to set an account apart or to turn a cause off", () => {
    for (const [text, rule] of [
      ["MFA is enabled for everyone except this account.", "words-mfa"],
      ["L'authentification multifacteur est activée pour tout le monde sauf ce compte.", "words-mfa"],
      ["I turned OFF per-user MFA for web@ -- still fails.", "words-mfa"],
      ["The printer account is excluded from our CA policies.", "words-conditional-access"],
    ] as const)
      expect(fired(text), text).not.toContain(rule);
  });

  it("the organisation's box and the commented-out STARTTLS, told in chat", () => {
    expect(top('org-wide "turn off smtp auth" box is ticked btw, copier mailbox has nothing set either way')).toBe(
      "smtp_auth_disabled_tenant",
    );
    expect(top("He commented out the `server.starttls()` line; the script still calls server.login().")).toBe(
      "starttls_required",
    );
    expect(top('Thunderbird: smtp.office365.com, port 587, connection security "SSL/TLS". It spins, then fails.')).toBe(
      "starttls_required",
    );
  });

  it("a password cut by the device or by compose, a user's own address as the From", () => {
    expect(top("The Xerox password field only takes 32 characters and silently cut it off. Scans stopped.")).toBe(
      "wrong_credentials",
    );
    expect(
      top(
        'SMTP_PASS comes from .env (the real one contains a "$"); inside the container it is 6 chars shorter than the password.',
      ),
    ).toBe("wrong_credentials");
    expect(
      top(
        'HP MFP: "Always use these credentials": hpscan@. Default From: "User\'s address (sign-in required)". Jobs fail.',
      ),
    ).toBe("send_as_permission");
  });

  it("Basic switched off by Microsoft, no mailbox, a recipient refused after others were accepted, restricted entities", () => {
    expect(
      top(
        "The Ricoh started failing on the day Microsoft switched off Basic authentication for SMTP AUTH by default in our tenant.",
      ),
    ).toBe("basic_auth_disabled_or_retired");
    expect(top("scanner2@ doesn't appear in the mailboxes list at all, and Outlook says there's no mailbox.")).toBe(
      "mailbox_unlicensed_or_missing",
    );
    expect(top("Verbose log: logs in OK, the first two recipients accepted, the MSP ticket address refused.")).toBe(
      "recipient_rejected",
    );
    expect(top("Dans le portail Defender, le compte apparaît dans la page « Entités restreintes ».")).toBe(
      "sender_restricted",
    );
  });
});

describe("less common replies, no error text, help threads (blind sets 42 to 44)", () => {
  it("a device that does not log in: the box before its label, empty credentials, a chosen 'none'", () => {
    for (const text of [
      "EWS > Outgoing Email Servers: Port 587, [x] SSL, [ ] Server requires authentication. Every test fails.",
      'The vendor left "Server requires authentication" with its two fields underneath unchecked after the reinstall.',
      "Panel settings: smtp.office365.com, 587, STARTTLS; the login name and password are both empty since the reset.",
      "We cleared the device's user name and password because we were told the office IP is trusted. Sending fails.",
      "Brother: SMTP-server smtp.office365.com, poort 587, verificatiemethode voor de server: Geen. Verzendfout.",
    ])
      expect(top(text), text).toBe("not_authenticated_anonymous_send");
    // A box before a label that has its own value belongs to the line above; POP before SMTP listed as one of
    // the device's choices is not the one chosen.
    expect(fired("Confirm certificate: [ ]\nUse SMTP Authentication: [x]\nUser: scan@contoso.com")).not.toContain(
      "words-device-auth-off",
    );
    expect(fired('Auth choices on this model: "CRAM-MD5", "PLAIN" and "POP before SMTP".')).not.toContain(
      "words-device-auth-off",
    );
  });

  it("a mechanism the server does not offer, told as the device's choices", () => {
    expect(top("The copier only lists CRAM-MD5 and PLAIN, there is no LOGIN option. Both fail at the auth step.")).toBe(
      "auth_mechanism_unsupported",
    );
    expect(top("Our CRM's SMTP profile: it's on NTLM, like it was for the old Exchange 2013. Negotiation fails.")).toBe(
      "auth_mechanism_unsupported",
    );
  });

  it("a dot inside an address or a host name does not end the reporter's sentence", () => {
    expect(
      top(
        "We converted printer@fabrikam.com to a shared mailbox to free a licence, then reset its password so the copier can keep signing in. Scans fail.",
      ),
    ).toBe("mailbox_unlicensed_or_missing");
  });

  it("each log record stands alone; the reporter's own test is not the client's port", () => {
    const log = [
      "Mar 03 02:00:04 nas01 msmtp: host=smtp.office365.com tls=on auth=on user=nas@contoso.com from=nas@contoso.com recipients=it@contoso.com smtpstatus=451 smtpmsg='451 4.7.0 Temporary server error. Please try again later. PRX4 [AM0PR01CA0001.eurprd01.prod.outlook.com]' exitcode=EX_TEMPFAIL",
      "Mar 03 02:15:04 nas01 msmtp: host=smtp.office365.com tls=on auth=on user=nas@contoso.com from=nas@contoso.com recipients=it@contoso.com mailsize=1830 smtpstatus=250 smtpmsg='250 2.0.0 OK' exitcode=EX_OK",
    ].join("\n");
    expect(top(log)).toBe("transient");
    expect(
      top(
        "nodemailer { host: 'smtp.office365.com', port: 465, secure: true } fails with Error: Connection timeout, code ETIMEDOUT. From the same box `openssl s_client -starttls smtp -connect smtp.office365.com:587` answers 250.",
      ),
    ).toBe("starttls_required");
  });

  it("5.7.703 is the tenant's block list refusing a recipient", () => {
    expect(
      top(
        "550 5.7.703 Your message can't be delivered because messages to orders@partner.example are blocked by your organization using Tenant Allow Block List.",
      ),
    ).toBe("recipient_rejected");
  });

  it("settings shown as boxes and lines with a note after the value", () => {
    expect(
      top("Mail flow settings:\n  [x] Turn off SMTP AUTH protocol for your organization\nThe copier's login fails."),
    ).toBe("smtp_auth_disabled_tenant");
    expect(
      top(
        "Telefonanlage: Server smtp.office365.com\nPort: 587\nVerschlüsselung: SSL/TLS   (im Dropdown gibt es auch STARTTLS)\nTestversand: Verbindung fehlgeschlagen",
      ),
    ).toBe("starttls_required");
  });

  it("an account disabled or sprayed, a failure a retry clears, one recipient gone", () => {
    expect(
      top('After the AD cleanup sync, Entra shows "Account enabled: No" for svc-scan@contoso.com. MFPs fail.'),
    ).toBe("account_locked");
    expect(
      top(
        "Le scanner affiche « Erreur d'authentification ». Les journaux montrent des centaines de tentatives depuis l'étranger cette nuit.",
      ),
    ).toBe("account_locked");
    expect(top("Worker log: attempt 1 failed (connection dropped), attempt 2 sent OK. Always fine on the retry.")).toBe(
      "transient",
    );
    expect(top("Scans fail except when people pick Anna from the address book; her mailbox was removed in May.")).toBe(
      "recipient_rejected",
    );
    expect(
      top(
        "Since we deleted the old-admins distribution group the report is marked as partly failed; the login is fine.",
      ),
    ).toBe("recipient_rejected");
  });

  it("an account without an Exchange mailbox, in the admin's words", () => {
    for (const text of [
      "New account for the app with a Microsoft 365 Apps for business licence (what we had spare). SMTP login fails.",
      "The contractor's account is a mail user (recipient type MailUser). The quote tool cannot send with it.",
      "To save money we pulled the E3 off scans@contoso.com a few weeks ago; now the copier's authentication fails.",
    ])
      expect(top(text), text).toBe("mailbox_unlicensed_or_missing");
  });

  it("a tenant from 2020 on whose SMTP AUTH nobody touched; a per-user MFA that is only negated", () => {
    expect(
      top(
        "Their tenant was created in 2022. Nobody has ever changed any SMTP AUTH setting there. The HP says unable to send.",
      ),
    ).toBe("smtp_auth_disabled_tenant");
    expect(fired("Security defaults off, no per-user MFA, org and mailbox SMTP AUTH both enabled.")).not.toContain(
      "answer-per-user-mfa",
    );
    expect(
      top(
        "Nous avons Business Standard, donc pas d'accès conditionnel. 535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.",
      ),
    ).not.toBe("conditional_access_block");
  });
  it("what never failed is no outcome; a temporary reply every retry gets for days; the From changed to another user", () => {
    expect(
      top(
        "Remote Server returned '550 5.7.705 Access denied, tenant has exceeded threshold.' We reset one user's password this morning after an alert. Internal mail works.",
      ),
    ).toBe("sender_restricted");
    expect(
      fired(
        "430 4.2.0 STOREDRV; mailbox logon failure. Retries every ten minutes all fail the same way, for three days now.",
      ),
    ).toContain("words-fails-for-days");
    expect(
      top(
        "Copier authenticates with SMTP auth as scan@contoso.com. Last week I changed the copier's sender address field to frontdesk@contoso.com; since then nothing arrives and scan@ gets NDRs.",
      ),
    ).toBe("send_as_permission");
  });

  it("OAuth works and the password does not, with every other gate ruled out; the app's missing mailbox permission", () => {
    expect(
      top(
        "Same mailbox: a script with an XOAUTH2 token (client credentials, SMTP.SendAsApp): works. The old box with user name + password (AUTH LOGIN): fails. Security defaults off, no CA, no per-user MFA, org and mailbox SMTP AUTH both enabled, no authentication policy. Reset the password twice and typed it in by hand.",
      ),
    ).toBe("basic_auth_disabled_or_retired");
    expect(
      top(
        "Gateway moved to client credentials. Get-MailboxPermission scans@contoso.com lists only NT AUTHORITY\\SELF, nothing for the service principal. Gateway: send failed.",
      ),
    ).toBe("oauth_misconfigured_app_or_sp");
  });
});

describe("short and damaged pastes (blind set 45)", () => {
  it("JavaMail's own spelling, a line-of-business app's mechanism sentence", () => {
    expect(
      diagnose(
        "jakarta.mail.AuthenticationFailedException: No authentication mechansims supported by both server and client",
      ).causes[0]?.id,
    ).not.toBe("unknown");
    expect(top('Mail profile test: "SMTP server does not support the selected authentication method (NTLM)"')).toBe(
      "auth_mechanism_unsupported",
    );
  });

  it("a Graph token's audience, the mailbox box in Japanese, the login that is a shared mailbox", () => {
    expect(
      top(
        'jwt.ms: "aud": "https://graph.microsoft.com", "roles": ["Mail.Send"]\nsmtplib.SMTPAuthenticationError: (535, b\'5.7.3 Authentication unsuccessful\')',
      ),
    ).toBe("oauth_misconfigured_app_or_sp");
    expect(top("表示は「SMTPエラー(535)」だけ。「認証済み SMTP」のチェックが外れていました。")).toBe(
      "smtp_auth_disabled_mailbox",
    );
    expect(top("auth as info@contoso.com (it's a shared mailbox, we gave it a password) -> 535 5.7.3")).toBe(
      "mailbox_unlicensed_or_missing",
    );
    expect(
      top("La stampante usa scansioni@contoso.it, che però è una cassetta postale condivisa. Errore: 535 5.7.3"),
    ).toBe("mailbox_unlicensed_or_missing");
  });

  it("a code read from a photo, a device's own error code for a refused login", () => {
    expect(diagnose("SMTP err0r 535 5.7.l39 Authentication unsuccessful").extracted.replies[0]?.enhanced).toBe(
      "5.7.139",
    );
    expect(diagnose("Firmware 2.1.5, see 5.7.lo and 3.0.l0").extracted.replies).toEqual([]);
    expect(fired("iR-ADV C3530  #839\nSend job cancelled")).toContain("client-auth-failed-generic");
    expect(fired("ECOSYS M3655idn: Send error (1102)")).toContain("client-auth-failed-generic");
  });
});

describe("no error text with red herrings, pastes from 2025-2026 (blind sets 46 and 47)", () => {
  it("a hedge that ends in a colon keeps the pasted output it introduces", () => {
    expect(
      top(
        "Can't send from wms@. Found this, I think:\n(Get-OrganizationConfig).DefaultAuthenticationPolicy -> BlockBasic638492011\nAllowBasicAuthSmtp in it is False.",
      ),
    ).toBe("authentication_policy_blocks_basic_smtp");
  });

  it("switches turned off in bulk or on the Modern authentication page", () => {
    expect(
      top(
        "A hardening script loops over every mailbox and switches off POP, IMAP and SMTP client authentication on each mailbox with Set-CASMailbox; it did not skip svc-alerts@.",
      ),
    ).toBe("smtp_auth_disabled_mailbox");
    expect(top("W centrum administracyjnym pole „Uwierzytelniony protokół SMTP” jest odznaczone. Skaner: błąd.")).toBe(
      "smtp_auth_disabled_mailbox",
    );
    expect(
      top(
        'Org settings > Modern authentication: "Authenticated SMTP" is unchecked under "Allow access to basic authentication protocols". The copier fails.',
      ),
    ).toBe("authentication_policy_blocks_basic_smtp");
    expect(
      top('EAC > Mail flow: "Turn off SMTP AUTH protocol for your organization" is now checked. The ERP stopped.'),
    ).toBe("smtp_auth_disabled_tenant");
  });

  it("a tenant created after Basic went away; OAuth works where the password fails, also in Portuguese", () => {
    expect(
      fired("We created a new tenant in February 2027 for the branch; the time clock sends with a password."),
    ).toContain("words-tenant-created-without-basic");
    expect(
      top(
        "MailKit with SaslMechanismOAuth2 -> sends.\nMailKit with user name and password -> AuthenticationException.\nSMTP AUTH enabled for the mailbox, no authentication policy.",
      ),
    ).toBe("basic_auth_disabled_or_retired");
    expect(
      top(
        "O sistema envia com usuário e senha e mostra falha no envio. O mesmo sistema configurado com OAuth (SMTP.SendAsApp) envia normalmente.",
      ),
    ).not.toBe("oauth_misconfigured_app_or_sp");
  });

  it("code that never logs in or never starts TLS; a chatbot's advice is not a fact", () => {
    expect(top("s.starttls()\n# s.login(USER, PASSWORD)  # TODO\ns.send_message(msg)\nIn prod the send raises.")).toBe(
      "not_authenticated_anonymous_send",
    );
    expect(
      top(
        'client.Credentials = new NetworkCredential("notify@contoso.com", pwd);\nclient.UseDefaultCredentials = true;\nSend throws an SmtpException.',
      ),
    ).toBe("not_authenticated_anonymous_send");
    expect(
      top(
        "mail.smtp.host=smtp.office365.com\nmail.smtp.port=587\nmail.smtp.auth=true\nmail.smtp.ssl.protocols=TLSv1.2\n(no mail.smtp.starttls.enable line: lost in the migration). Transport.send throws.",
      ),
    ).toBe("starttls_required");
    expect(
      fired("The Teams bot said we need to force TLS 1.2. The container already negotiates TLS 1.2."),
    ).not.toContain("words-tls12-only");
  });

  it("a device's TLS set to 'Do not use' or not supported, a user name without its domain in .env", () => {
    expect(
      top("bizhub: SMTP Server Address: smtp.office365.com\nPort Number: 587\nSSL/TLS: Do not use\nScans fail."),
    ).toBe("starttls_required");
    expect(
      top("Old ApeosPort to smtp.office365.com:587. Its manual: encryption (SSL) for transmission: not supported."),
    ).toBe("starttls_required");
    expect(
      top("SMTP_HOST=smtp.office365.com\nSMTP_PORT=587\nSMTP_USER=helpdesk\nSMTP_PASS=********\nMail fails."),
    ).toBe("wrong_credentials");
  });

  it("the From is another mailbox with no Send As trustee", () => {
    expect(
      top(
        "Device login: scanner@contoso.com. From address on the device: noreply@contoso.com. The connection test is OK, real jobs fail.",
      ),
    ).toBe("send_as_permission");
    expect(
      top(
        "auth: { user: 'app@contoso.com', pass: '********' }, from: 'Billing <billing@contoso.com>'. Get-RecipientPermission billing@ shows no trustee other than SELF.",
      ),
    ).toBe("send_as_permission");
  });

  it("consent not granted, a day's recipient limit, retries that all went out, one address with a typo", () => {
    expect(
      top("API permissions: Office 365 Exchange Online | SMTP.SendAsApp | Application | Not granted for Contoso"),
    ).toBe("oauth_misconfigured_app_or_sp");
    expect(
      top(
        "Yesterday's campaign went to 12,400 external recipients from events@; since then nothing from events@ goes out.",
      ),
    ).toBe("sender_restricted");
    expect(
      top(
        "About 40 of 2,000 failed on the first attempt; the ERP re-sent them five minutes later and all 40 went out.",
      ),
    ).toBe("transient");
    expect(
      top('One-touch button "Invoices" -> invocies@contoso.com (typo). Every other button on the device works.'),
    ).toBe("recipient_rejected");
    expect(
      top("licenseDetails: SPE_E3, EXCHANGE_S_ENTERPRISE provisioningStatus: Disabled. The printer cannot send."),
    ).toBe("mailbox_unlicensed_or_missing");
  });
});

describe("one deciding fact outside a generic reply, local languages, real-thread mix (blind sets 48 to 50)", () => {
  it("tables pasted from a wiki or a PowerShell prompt read as name and value", () => {
    expect(
      top(
        "| Check | Result |\n|---|---|\n| Per-user MFA | Disabled |\n| Security defaults (Entra > Properties) | Enabled |\n| Conditional Access policies | none (no P1) |\nERP log: 535 5.7.139 Authentication unsuccessful",
      ),
    ).toBe("security_defaults_enabled");
    expect(
      top(
        "Veeam: Authentication failed.\nPS> Get-CASMailbox svc-backup | select Name,SmtpClientAuthenticationDisabled\n\nName       SmtpClientAuthenticationDisabled\n----       --------------------------------\nsvc-backup                             True\n",
      ),
    ).toBe("smtp_auth_disabled_mailbox");
  });

  it("what is disabled for an account is not the account; OAuth on another system that keeps working", () => {
    expect(fired("Per-user MFA for that account is disabled; Authenticated SMTP is on.")).not.toContain(
      "words-account-locked",
    );
    expect(
      top(
        'Since Jan 5, 2027 the Lexmarks fail with "SMTP server authentication failed". Our Jira server, which moved to XOAUTH2 in November, still sends without issue.',
      ),
    ).toBe("basic_auth_disabled_or_retired");
    expect(
      top(
        "Tried a new password: no change. What fixed it: the admin turned Basic authentication for SMTP AUTH back on for the organisation. The plotter sent at 14:02.",
      ),
    ).toBe("basic_auth_disabled_or_retired");
  });

  it("a licence or mailbox gone, in an admin's words or Graph's", () => {
    for (const text of [
      'Finance "removed Exchange Online (Plan 1) from 23 accounts" on Tuesday; bms-alerts@ is one of them. SMTP: authentication rejected.',
      'Laravel: 535 5.7.3 Authentication unsuccessful\nGraph: { "accountEnabled": true, "mail": null, "assignedLicenses": [] }',
      "Tenemos el buzón compartido facturas@contoso.es y queremos que el ERP envíe con esa cuenta. Le pusimos contraseña. Error SMTP: 535 5.7.3",
      "Vi fjernede licensen fra Jens i januar; scanneren bruger stadig jens@contoso.dk. 535 5.7.3 Authentication unsuccessful",
    ])
      expect(top(text), text).toBe("mailbox_unlicensed_or_missing");
  });

  it("limits, quotas and many connections; a mechanism curl was told to use; Perl without Authen::SASL", () => {
    expect(
      top("smtplib.SMTPDataError: (550, b'5.') ... OWA's NDR says the mailbox went over its daily recipient limit."),
    ).toBe("sender_restricted");
    expect(
      top(
        "SmtpException: Transaction failed.\nTotalItemSize : 49.97 GB\nProhibitSendQuota : 49.5 GB\nThe app files a copy of every mail in Sent Items.",
      ),
    ).toBe("sender_restricted");
    expect(
      top(
        "40 worker threads, each opening its own SMTP connection as invoices@; some die with 'Failure sending mail.'",
      ),
    ).toBe("transient");
    expect(
      top(
        "curl --ssl-reqd --url smtp://smtp.office365.com:587 --login-options 'AUTH=PLAIN' --user 'mon@contoso.com:****'\ncurl: (67) Login denied",
      ),
    ).toBe("auth_mechanism_unsupported");
    expect(
      top("Net::SMTP<<< 250-AUTH LOGIN XOAUTH2\nNeed MIME::Base64 and Authen::SASL todo auth at notify.pl line 27."),
    ).toBe("auth_mechanism_unsupported");
  });

  it("the admin centre in Italian, Portuguese and German; an app password that works", () => {
    expect(
      top(
        'Errore: 535 5.7.139 Authentication unsuccessful [FR2P281CA0107\n"Gestisci le impostazioni predefinite per la sicurezza" risulta "Abilitato". Accesso condizionale non ce l\'abbiamo.',
      ),
    ).toBe("security_defaults_enabled");
    expect(
      top(
        'No centro de administração ativámos "Bloquear o início de sessão" para o Rui. 535 5.7.3 Authentication unsuccessful',
      ),
    ).toBe("account_locked");
    expect(fired("Nombre,Licencias,Bloquear inicio de sesión\nFacturación,Sin licencia,False")).not.toContain(
      "words-account-locked",
    );
    expect(
      top(
        'Fehlertext sinngemäß: "Der Benutzer ist durch die Richtlinie für Sicherheitsstandards Ihrer Organisation gesperrt."',
      ),
    ).toBe("security_defaults_enabled");
    expect(
      top(
        "535 5.7.3 Authentication unsuccessful with the normal password. We created an app password and put it in PRTG: the test mail arrives instantly.",
      ),
    ).toBe("per_user_mfa");
  });
});

describe("batch 28: a request for AUTH LOGIN, Basic retired in German, another attempt's TLS error", () => {
  it("a request to support AUTH LOGIN, or AUTH PLAIN blamed, is the mechanism", () => {
    for (const text of [
      "Support AUTH LOGIN\nCannot send through smtp.office365.com:587, I believe because of the AUTH PLAIN login. Could you add support for AUTH LOGIN?",
      "Sending to Office 365 fails, probably due to AUTH PLAIN. Please implement AUTH LOGIN.",
    ])
      expect(top(text), text).toBe("auth_mechanism_unsupported");
  });

  it("Basic authentication switched off, said in German with a hyphen, and OAuth only wished for", () => {
    const text =
      "OAuth2-Unterstützung für das Mail-Addon\nMit Outlook.com und App-Passwort geht nichts mehr: Microsoft hat die Basis-Authentifizierung für SMTP abgeschaltet. Schön wäre, wenn in der nächsten Version OAuth2 unterstützt würde.";
    expect(top(text)).toBe("basic_auth_disabled_or_retired");
    expect(diagnose(text).extracted.oauth).toBe(false);
    // A wish for OAuth in a next release is no OAuth login, in English either.
    expect(diagnose("It would be great if OAuth2 were supported in the next release.").extracted.oauth).toBe(false);
  });

  it("a TLS or port error from another attempt does not outweigh a refusal only a session past AUTH gets", () => {
    const text =
      "Port 465: connection refused. 587 with secure=true: error:1408F10B:SSL routines:ssl3_get_record:wrong version number\n587 with secure=false: Message failed: 554 5.2.0 STOREDRV.Submission.Exception:OutboundSpamException; Failed to process message due to a permanent exception";
    expect(top(text)).toBe("sender_restricted");
    // Alone, the same TLS error still names implicit TLS on 587.
    expect(top("587 with secure=true: error:1408F10B:SSL routines:ssl3_get_record:wrong version number")).toBe(
      "starttls_required",
    );
  });
});

describe("a reply hyphenated at a wrap, and a device's catch-all 'unable to connect'", () => {
  it("a reason broken across lines with a hyphen (PDF or mail reflow) reads whole", () => {
    expect(
      top(
        "535 5.7.139 Authenticatio-\nn unsuccessful, SmtpClien-\ntAuthentication is disabl-\ned for the Mailbox. Visit https://aka.ms/smtp_auth_disabled",
      ),
    ).toBe("smtp_auth_disabled_mailbox");
    expect(top("535 5.7.139 Authentication unsuccessful, the re-\nquest did not meet the crite-\nria")).toBe(
      "per_user_mfa",
    );
  });

  it("HP's 'Unable to connect to the e-mail server' is said for any failure: the evidence beside it decides", () => {
    expect(
      top(
        'HP MFP says "Unable to connect to the e-mail server. Check server settings."\nConditional Access What If for the scanner account: BLOCK - Legacy Authentication (all users), Grant controls: Block access.',
      ),
    ).toBe("conditional_access_block");
    expect(fired('HP MFP says "Unable to connect to the e-mail server."')).toContain("client-cannot-connect");
  });
});

describe("batch 31: Basic auth no longer supported, and a newsletter that is a feature's name", () => {
  it("'no longer supports basic authentication' in the reporter's words is the retirement", () => {
    for (const text of [
      "Outlook.com no longer supports 'basic authentication'. My app password stopped working last week.",
      "Since Microsoft stopped supporting basic auth the reminder mails from our Hotmail account fail.",
    ])
      expect(top(text), text).toBe("basic_auth_disabled_or_retired");
  });

  it("a newsletter named as a feature does not outweigh the retirement; a bulk run still counts in full", () => {
    expect(
      top(
        "Hotmail no longer supports basic authentication, which broke my newsletter agent. The app password stopped working this week.",
      ),
    ).toBe("basic_auth_disabled_or_retired");
    expect(top("550 5.7.520 Access denied after we sent the newsletter to 12,000 subscribers in one go")).toBe(
      "sender_restricted",
    );
  });
});

describe("batch 32: a handshake that broke on its own, TLS that fails where no encryption goes through", () => {
  it("a handshake failure on a device that used to work is its TLS stack, not implicit TLS", () => {
    expect(top("Since Monday the MFP suddenly shows: SSL handshake failed. Nobody touched its settings.")).toBe(
      "tls_version",
    );
    expect(fired("扫描发送邮件时突然出现 SSL handshake failed")).toContain("client-handshake-after-working");
    // The device's "SSL negotiation failed", in English and as localised reports give it.
    for (const text of [
      "Scan to e-mail stopped working overnight: SSL negotiation failed.",
      '掃描時突然彈出"無法連接到SMTP服務器"以及"SSL協商失敗"',
      "Le copieur affiche soudain : échec de la négociation SSL.",
    ])
      expect(top(text), text).toBe("tls_version");
    // A new setup whose handshake fails stays the STARTTLS/port question first.
    expect(top("New scanner, first test: SSL handshake failed")).toBe("starttls_required");
  });

  it("sending fails with STARTTLS and goes through with encryption None: the device's TLS", () => {
    expect(
      top(
        'The copier fails to send e-mail when using STARTTLS. If we set the encryption to "None" it works (through our relay connector).',
      ),
    ).toBe("tls_version");
  });
});

describe("batch 33: Outlook.com holding an account until it signs in on the web", () => {
  it("MailCore's and Mailspring's 'needs to connect to webmail' is the account hold, not a connection", () => {
    for (const text of [
      "Error sending from my Hotmail: MCOErrorNeedsConnectToWebmail",
      "Mailspring: The server said you must sign in via your webmail.",
    ])
      expect(top(text), text).toBe("sender_restricted");
  });
});

describe("OAuth told as the fix", () => {
  it("'changed it to OAuth2 and it worked' is the password login refused, not an OAuth login failing", () => {
    for (const text of [
      "A new Hotmail account could not send with Normal password. I changed SMTP to OAuth2 and it worked.",
      "Hotmail did not send anything until I changed the SMTP server's authentication to OAuth2.",
    ]) {
      expect(top(text), text).toBe("basic_auth_disabled_or_retired");
      expect(diagnose(text).extracted.oauth, text).toBe(false);
    }
    // OAuth set and failing stays an OAuth login.
    expect(top("We set the app to OAuth2 and now get 535 5.7.3 Authentication unsuccessful")).toBe(
      "oauth_misconfigured_app_or_sp",
    );
  });
});

describe("batch 34: a shared mailbox or another user name as the OAuth login, and a version that is no status code", () => {
  it("a delegated OAuth login as a shared mailbox is the shared mailbox, not the app's setup", () => {
    expect(
      top(
        "IMAP works with the shared inbox address as the XOAUTH2 identity, but SMTP with the shared mailbox as the identity gets 535 5.7.3 Authentication unsuccessful. I signed in with my own account.",
      ),
    ).toBe("mailbox_unlicensed_or_missing");
    // App-only OAuth may use a shared mailbox once the service principal has FullAccess.
    expect(
      top(
        "client_credentials token with SMTP.SendAsApp, user=shared@contoso.com (a shared mailbox): 535 5.7.3 Authentication unsuccessful",
      ),
    ).toBe("oauth_misconfigured_app_or_sp");
  });

  it("an OAuth login whose user name is not the token's account is the credentials", () => {
    expect(
      top(
        "With XOAUTH2 the app sends the account address as the user name instead of the configured SMTP user, and authentication fails.",
      ),
    ).toBe("wrong_credentials");
  });

  it("a version such as 'Mail 5.11.5' is no enhanced status code", () => {
    expect(diagnose("Nextcloud Mail 5.11.5 cannot send with XOAUTH2.").extracted.replies).toEqual([]);
    expect(diagnose("Nextcloud Mail 5.11.5 cannot send with XOAUTH2.").causes.at(-1)!.id).toBe("unknown");
  });
});

describe("batch 35: OAuth with the right scope, a relay that takes no login, and the network in the reporter's words", () => {
  it("a delegated token with SMTP.Send refused at SMTP, no reply pasted, points to the mailbox's SMTP AUTH switch", () => {
    const text =
      "IMAP works with OAuth, but I could not get oauth2 to work for SMTP. Token scope: https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access";
    expect(top(text)).toBe("smtp_auth_disabled_mailbox");
    // App-only logins fail on the app's setup instead.
    expect(
      top("client_credentials token for https://outlook.office365.com/.default with SMTP.SendAsApp: SMTP login fails"),
    ).not.toBe("smtp_auth_disabled_mailbox");
  });

  it("a relay that accepts senders by IP address refuses a client's login: the mechanism, not STARTTLS", () => {
    expect(
      top(
        "Our Office 365 is configured to authenticate based on source IP address and does not accept authentication; the new version always logs in and fails: the SMTP server does not support authentication.",
      ),
    ).toBe("auth_mechanism_unsupported");
    // Without the relay, a server that seems to offer no AUTH is the missing STARTTLS.
    expect(top("The mail server that does not support authentication, it says, but it is smtp.office365.com")).toBe(
      "starttls_required",
    );
  });

  it("a client that never reaches the server is the network", () => {
    expect(
      top("Test e-mail fails. The logs suggest that it can't hit the office 365 server at all. Port 587 is allowed."),
    ).toBe("transient");
  });

  it("Jakarta Mail's 'Exception reading response' and a Chinese 'sometimes' are a dropped connection that comes and goes", () => {
    expect(top("有时候会出现邮件转发失败：Couldn't connect to host 或 Exception reading response")).toBe("transient");
    expect(fired("javax.mail.MessagingException: Exception reading response")).toContain("client-connection-dropped");
    expect(fired("我使用的是邮件推送（outlook）。有时候会出现邮件转发失败。")).toContain("words-intermittent");
    expect(fired("有时间的话请看：javax.mail.MessagingException: Exception reading response")).not.toContain(
      "words-intermittent",
    );
  });

  it("an admin who disabled Basic authentication, answered with Entra's criteria reply, used Conditional Access", () => {
    const d = diagnose(
      "I had my email administrator disable Basic Authentication and now I am getting: 535: 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.",
    );
    expect(d.causes[0]!.id).toBe("conditional_access_block");
    // The criteria reply alone still leads with per-user MFA.
    expect(
      top(
        "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.",
      ),
    ).toBe("per_user_mfa");
  });

  it("'the mails were sent normally in the previous version' is a sender that worked before", () => {
    expect(
      fired(
        "In the previous version, the configured Outlook emails were sent normally, but after updating to the latest version, they cannot be sent.",
      ),
    ).toContain("words-worked-until");
  });
});

describe("batch 36: a client with no mechanism Exchange offers", () => {
  it("mutt without SASL, in its own words and as a reporter retells them, is the mechanism", () => {
    expect(top("mutt: SMTP authentication requires SASL")).toBe("auth_mechanism_unsupported");
    expect(top("neomutt: No authenticators available")).toBe("auth_mechanism_unsupported");
    expect(
      top(
        "Receiving e-mail works although when trying to send it complains 'Authentication method missing'. None of their auth methods work.",
      ),
    ).toBe("auth_mechanism_unsupported");
  });
});

describe("client libraries' own words (Symfony, SwiftMailer, libcurl, CDO, msmtp, Postfix, Exim, GnuTLS, mbedTLS, Erlang, Indy, Ruby, Perl, Dart, aiosmtplib …)", () => {
  /** The texts on which `rule` does not fire. */
  const missedBy = (rule: string, texts: string[]) => texts.filter((text) => !fired(text).includes(rule));

  it("AUTH not offered (before STARTTLS, Exchange lists none)", () => {
    expect(
      missedBy("client-auth-not-advertised", [
        "aiosmtplib.errors.SMTPException: The SMTP AUTH extension is not supported by this server. Try connecting via TLS (or STARTTLS).",
        "MailerException: The server does not support LOGIN or PLAIN authentication method.",
        "nullmailer: smtp: Failed: Server does not advertise any supported authentication methods",
        "T=remote_smtp_smarthost: authentication required but server did not advertise AUTH support",
        "Net::SMTP: Command unknown: 'AUTH'",
        "EIdSMTPReplyError: Doesn't support AUTH or the specified SASL handlers!!",
      ]),
    ).toEqual([]);
    expect(
      top(
        "aiosmtplib.errors.SMTPException: The SMTP AUTH extension is not supported by this server. Try connecting via TLS (or STARTTLS).",
      ),
    ).toBe("starttls_required");
  });

  it("no mechanism in common", () => {
    expect(
      missedBy("client-mechanism-mismatch", [
        'Symfony\\Component\\Mailer\\Exception\\TransportException: Failed to find an authenticator supported by the SMTP server, which currently supports: "gssapi".',
        'Failed to authenticate on SMTP server with username "scan@contoso.com" using 0 possible authenticators.',
        "* SASL: no overlap between offered and configured auth mechanisms",
        "aiosmtplib.errors.SMTPException: No suitable authentication method found.",
        "msmtp: cannot find a usable authentication method",
        "postfix/smtp[1234]: warning: SASL authentication failure: No worthy mechs found; SASL authentication failed; cannot authenticate to server smtp.office365.com[52.96.0.1]: no mechanism available",
        "authentication required but no common mechanisms were found",
        "SMTP Auth autodiscover was not able to detect a supported authentication mechanism",
        "the provided SASL authentication mechanism is not support",
      ]),
    ).toEqual([]);
    expect(top("msmtp: cannot find a usable authentication method")).toBe("auth_mechanism_unsupported");
  });

  it("the client will not log in without TLS", () => {
    expect(
      missedBy("client-needs-starttls", [
        "TLS required but neither TLS or STARTTLS are in use.",
        "msmtp: cannot use a secure authentication method",
        "SmtpClientAuthenticationException: Aborting because connection is not secure",
        "Connection is not secure! Don't send authentication over non secure connection!",
      ]),
    ).toEqual([]);
  });

  it("TLS at connect on a STARTTLS port, in GnuTLS's, mbedTLS's and Erlang's words", () => {
    for (const text of [
      "msmtp: TLS handshake failed: An unexpected TLS packet was received.",
      "nullmailer: A TLS packet with unexpected length was received.",
      "TLS client: In state hello at tls_record.erl:561 generated CLIENT ALERT: Fatal - Unexpected Message - {unsupported_record_type,50}",
      "[E][ssl_client.cpp:33] handle_error(): SSL - An invalid SSL record was received\nError, could not connect to server",
    ]) {
      expect(top(text), text).toBe("starttls_required");
    }
  });

  it("handshakes, connections and drops in the libraries' words", () => {
    expect(
      missedBy("client-handshake-generic", [
        "EIdOSSLConnectError: Error connecting with SSL.",
        "Unable to connect with STARTTLS: stream_socket_enable_crypto(): SSL operation failed with code 1.",
        "postfix/smtp: Cannot start TLS: handshake failure",
      ]),
    ).toEqual([]);
    expect(
      missedBy("client-cannot-connect", [
        "curl: (7) Failed to connect to smtp.office365.com port 587 after 21034 ms: Couldn't connect to server",
        "Net::OpenTimeout: execution expired",
        "unable to establish SMTP connection to (smtp.office365.com) port 587",
        "org.simplejavamail.MailException: Was unable to connect to SMTP server",
        "Indy: Connect timed out.",
      ]),
    ).toEqual([]);
    expect(
      missedBy("client-connection-dropped", [
        'Connection to "smtp.office365.com:587" has been closed unexpectedly.',
        "curl: (56) Failure when receiving data from the peer",
        "CDO.Message.1: The transport lost its connection to the server.",
        "Net::SMTP: Unexpected EOF on command channel",
        "postfix/smtp: lost connection with smtp.office365.com[52.96.0.1] while receiving the initial server greeting",
      ]),
    ).toEqual([]);
  });

  it("a refused login, and missing credentials, in the libraries' words", () => {
    expect(
      missedBy("client-auth-failed-generic", [
        "curl: (67) Login denied",
        "CDO.Message.1 error '80040211': The message could not be sent to the SMTP server. The transport error code was 0x80040217. The server response was not available",
        "Run-time error '-2147220969': The transport was unable to log on to the server.",
        'Failed to authenticate on SMTP server with username "scan@contoso.com" using 2 possible authenticators.',
        "nullmailer: Failed to authenticate to server",
        "ESP Mail: login password is not valid",
      ]),
    ).toEqual([]);
    expect(
      missedBy("client-missing-credentials", [
        "org.apache.camel: failed to connect, no password specified?",
        "ArgumentError: SMTP-AUTH requested but missing secret phrase",
        "msmtp: authentication method LOGIN needs a password",
      ]),
    ).toEqual([]);
  });
});

describe("what security defaults do is not a Conditional Access policy", () => {
  it("'security defaults block legacy authentication' names security defaults", () => {
    expect(
      fired("Security defaults are on. Security defaults block legacy authentication protocols, including SMTP AUTH."),
    ).not.toContain("words-conditional-access");
    expect(fired("Our CA policy blocks legacy authentication for all users.")).toContain("words-conditional-access");
  });
});

describe("batch 37: Outlook.com's abuse verdict without its exception's name", () => {
  it("'Actual verdict is HipNotify' is the account held until verified, a restriction on the sender", () => {
    expect(
      top(
        'address: "smtp.office365.com"\nuser_name: "username@outlook.com"\nTest email: "WASCL UserAction verdict is not None. Actual verdict is HipNotify, ShowTierUpgrade."',
      ),
    ).toBe("sender_restricted");
    // The deferral verdict stays temporary.
    expect(top("WASCL UserAction verdict is not None. Actual verdict is TransientError.")).toBe("transient");
  });
});

describe("batch 38: a client that picks XOAUTH2 while holding a password", () => {
  it("AUTH XOAUTH2 refused, a password configured and no token anywhere, is the mechanism the client chose", () => {
    const text =
      'Future{cause=AUTH XOAUTH2 failed 535 5.7.3 Authentication unsuccessful [BN7PR05CA0003.namprd05.prod.outlook.com]}\nThis worked in 3.7.1.\nconfig.setHostname("smtp.office365.com"); config.setPort(587); config.setUsername(user); config.setPassword(pass);';
    expect(top(text)).toBe("auth_mechanism_unsupported");
    // With a token in the setup it is the OAuth app's side.
    expect(top(`${text}\nThe access token comes from MSAL with client_id and the .default scope.`)).toBe(
      "oauth_misconfigured_app_or_sp",
    );
    // The server listing XOAUTH2 is not the client sending it.
    expect(fired("250-AUTH LOGIN XOAUTH2\npassword: ********\n535 5.7.139 Authentication unsuccessful")).not.toContain(
      "client-xoauth2-with-password",
    );
  });
});

describe("blind 51: what less common clients print", () => {
  it("s-nail's 'authentication LOGIN needs TLS' is the missing STARTTLS", () => {
    expect(
      top("s-nail: SMTP authentication LOGIN needs TLS (*smtp-use-starttls* set?)\ns-nail: ... message not sent"),
    ).toBe("starttls_required");
  });
});

describe("blind sets 52 and 53: what reporters say instead of an error", () => {
  it.each([
    [
      "smtp_auth_disabled_tenant",
      "Our MSP ran a tenant hardening based on the CIS Microsoft 365 benchmark on Friday. Since Saturday the printers, the NAS and the alarm panel (four accounts) cannot send; people are fine. Nobody changed passwords.",
    ],
    [
      "per_user_mfa",
      'He turned on two-step verification on the page where you tick people and click "Enable", and now it says Enforced next to each name. Since then the accounts program cannot send with my login.',
    ],
    [
      "sender_restricted",
      "One of our sales guys got phished; a few hundred mails went out. We reset his password and revoked sessions. Now he can receive but can't send at all, not even in webmail.",
    ],
    [
      "wrong_credentials",
      "Everyone signs in with firstname@contoso.onmicrosoft.com while the email address is firstname.lastname@contoso.com. In the app I entered Username: jane.smith@contoso.com and her password. Doesn't send.",
    ],
    [
      "wrong_credentials",
      "Xerox AltaLink, SMTP server smtp.office365.com, port 587. SMTP authentication: System, Login Name: scanner, Password: ********, Domain: contoso.com. The job log says authentication failed.",
    ],
    [
      "wrong_credentials",
      "After the reset the new password has a semicolon and a hash sign in it; the config.ini line is SMTP_PASS = ********. The old password was only letters and worked. Webmail login works.",
    ],
    [
      "account_locked",
      "Dave left Friday. Offboarding disables the account in our on-prem AD, which syncs to Entra; we keep the mailbox for 90 days. Since Monday the report job that sends with his credentials fails.",
    ],
    [
      "smtp_auth_disabled_tenant",
      "Brand new tenant, created 3 weeks ago. Security defaults off on day one. Brother scanner on smtp.office365.com 587 TLS with scanner@. I haven't touched anything in the Exchange admin center at all.",
    ],
    [
      "security_defaults_enabled",
      'The multi-factor page under Users shows everyone as "Disabled", yet we all use the Authenticator every day. Security info has no app password option. The printer never worked.',
    ],
    [
      "smtp_auth_disabled_mailbox",
      "Our IT partner's onboarding script disables POP, IMAP and SMTP on every new account. The new noreply@ account cannot send from the webshop; info@ works with the same settings.",
    ],
    [
      "smtp_auth_disabled_mailbox",
      "Thunderbird: incoming works, outgoing doesn't. My colleague's account works with identical settings in my own profile. Outgoing: smtp.office365.com, 587, STARTTLS, OAuth2.",
    ],
    [
      "basic_auth_disabled_or_retired",
      "Canon PIXMA, smtp-mail.outlook.com 587, username myname@hotmail.com. Stopped in autumn 2024. I have two-step verification on, made an app password and tried it: nothing.",
    ],
    [
      "oauth_misconfigured_app_or_sp",
      'In the app registration SMTP.Send (Delegated) under Office 365 Exchange Online shows "Not granted for Contoso"; Grant admin consent is greyed out for me. nodemailer OAuth2 with clientId and clientSecret fails.',
    ],
    [
      "tls_version",
      "bizhub C224 from 2013, port 587 STARTTLS. The dealer says there is a firmware that adds TLS 1.2 support. The newer printers send fine.",
    ],
    [
      "mailbox_unlicensed_or_missing",
      "Licensing: we moved the Business Standard licence from orders@contoso.com to the temp's own account. The web shop still sends with orders@ and stopped a month later.",
    ],
    [
      "mailbox_unlicensed_or_missing",
      "svc-alerts@contoso.com has only the Microsoft Power Automate Free license. Grafana on smtp.office365.com:587 cannot send alerts. I can sign in on the web.",
    ],
    [
      "starttls_required",
      "$mail->Host = 'smtp.office365.com'; $mail->Port = 587; $mail->SMTPSecure = ''; $mail->SMTPAutoTLS = false; mail doesn't go since the move.",
    ],
    [
      "starttls_required",
      "Hikvision NVR email page: SMTP Server smtp.office365.com, SMTP Port: 587, Enable SSL/TLS: [x], Enable STARTTLS: [ ]. The Test button fails.",
    ],
    [
      "transient",
      "IT installed a new FortiGate over the weekend. Since then the Synology NAS cannot send notification mails; the test spins and gives up. Settings unchanged: smtp.office365.com 587.",
    ],
    [
      "smtp_auth_disabled_tenant",
      'In the Exchange admin center > Settings > Mail flow the checkbox "Turn off SMTP AUTH protocol for your organization" is ticked. The Sharp copier shows Send Error.',
    ],
    [
      "mailbox_unlicensed_or_missing",
      'WP Mail SMTP with info@contoso.com, a shared mailbox (no license). It doesn\'t authenticate. The admin center shows the account as "Sign-in blocked".',
    ],
    [
      "security_defaults_enabled",
      "Tenant created this January. Users get forced into MFA on the portal. The admin says nobody changed anything in Entra, it's all default. No Conditional Access. smtplib login() fails.",
    ],
    [
      "authentication_policy_blocks_basic_smtp",
      'ERP: smtp.office365.com 587 STARTTLS, erp@contoso.com. 보안 기본값 꺼져 있음. 전임 관리자가 Exchange PowerShell로 "인증 정책"을 만들어 조직 기본값으로 지정했다고 합니다.',
    ],
    [
      "basic_auth_disabled_or_retired",
      "Seit dem 5. Januar 2027 verschickt unsere Warenwirtschaft keine Rechnungen mehr. smtp.office365.com 587 STARTTLS. Der Hersteller meint, wir sollen auf OAuth umstellen.",
    ],
  ])("%s: %s", (cause, text) => {
    expect(top(text)).toBe(cause);
  });

  it("a firewall replaced while the sender still connects is not the network", () => {
    expect(
      top(
        "The client had their firewall replaced yesterday, but the copier can resolve and connect to 587, I saw the session. Brand new tenant created last Thursday; Entra untouched.",
      ),
    ).not.toBe("transient");
  });
});

describe("blind set 54: what a reporter rules out is not evidence for it", () => {
  it.each([
    [
      "words-password-changed",
      "The other 5 branches (still on the old routers) never fail with the same account and config.",
    ],
    ["words-password-changed", "Le mot de passe n'a pas changé, la connexion au portail fonctionne."],
    ["words-no-licence", "Audit log: no Set-TransportConfig, no CA policy changes, no licence changes."],
    ["words-conditional-access", "W tenancie nie ma zasad dostępu warunkowego, ustawienia domyślne wyłączone."],
    ["words-conditional-access", "Conditional Access gibt es dort noch keinen."],
    ["words-auth-policy", "Authentifizierungsrichtlinien haben wir keine angelegt."],
    ["words-auth-policy", "No idea; Get-AuthenticationPolicy returns nothing in that tenant."],
    ["oauth-in-use", "另外 19 个客户没有受影响——设备已经换成了支持 OAuth 的型号。扫描仪用用户名加密码登录。"],
  ])("%s does not fire on: %s", (rule, text) => {
    expect(fired(text)).not.toContain(rule);
  });

  it("a password login that stopped in December 2026 with nothing changed points to the default-off", () => {
    expect(
      top(
        "An old line-of-business app (username + password, smtp.office365.com 587, STARTTLS) worked for 7 years and stopped in mid-December 2026. The audit log shows no changes.",
      ),
    ).toBe("basic_auth_disabled_or_retired");
    expect(
      top("2026 年 12 月中旬，11 个客户的扫描仪同时不能通过 smtp.office365.com 发邮件，都是用户名加密码登录。"),
    ).toBe("basic_auth_disabled_or_retired");
  });
});

describe("blind set 55: one deciding fact beside a generic error", () => {
  it.each([
    [
      "smtp_auth_disabled_tenant",
      '535 5.7.3 Authentication unsuccessful. In the Exchange admin center under Mail flow, "Turn off SMTP AUTH protocol for your organization" has a check mark - I figured that is the old insecure protocol.',
    ],
    [
      "smtp_auth_disabled_tenant",
      "Kyocera: „Authentifizierung fehlgeschlagen“. Ein Kollege hat nach dem Audit das Häkchen bei „SMTP AUTH-Protokoll für Ihre Organisation deaktivieren“ gesetzt.",
    ],
    [
      "auth_mechanism_unsupported",
      "postfix/smtp: status=deferred (SASL authentication failed; server smtp.office365.com[52.98.33.18] offered no compatible authentication mechanisms for this type of connection security)\nsmtp_sasl_mechanism_filter = plain, cram-md5",
    ],
  ])("%s: %s", (cause, text) => {
    expect(top(text)).toBe(cause);
  });

  it("an alias given as the user name is read as the credentials' mistake", () => {
    expect(
      fired(
        "Sharp: Authentication failure. For the username I put info@contoso.com, because it's an alias on Maria's mailbox (her sign-in is maria.lopez@contoso.com).",
      ),
    ).toContain("words-username-not-upn");
  });
});

describe("a count in prose is no reply code", () => {
  it.each([
    "Volume has grown to roughly 11,500 reminders a day, all to external recipients.",
    "External recipient limit per day 500, action when exceeded: restrict the user.",
    "We send about 550 mails a month through smtp.office365.com.",
    "The batch of 421 messages stopped halfway.",
  ])("%s", (text) => {
    expect(diagnose(text).extracted.codes).toEqual([]);
    expect(fired(text).filter((r) => r.startsWith("code-"))).toEqual([]);
  });

  it("a reply code in its own place still counts", () => {
    expect(fired("Error: 500 5.3.3 Unrecognized command")).toContain("code-5.5.x");
    expect(fired("SMTP error 535, 500, 550 in a row")).toContain("code-535");
  });
});

describe("blind set 56: OAuth still to come, and Thunderbird's encrypted password", () => {
  it("an OAuth migration not finished is no OAuth login", () => {
    for (const text of [
      "Enquanto não terminamos a migração para OAuth, o sistema usa autenticação básica: 535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.",
      "Setting up a second profile while IT sorts out OAuth for everyone. Sending gives 535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.",
    ]) {
      expect(fired(text), text).not.toContain("oauth-in-use");
      expect(top(text), text).toBe("wrong_credentials");
    }
  });

  it("Thunderbird's 'does not seem to support encrypted passwords' is the mechanism", () => {
    expect(
      top(
        "The Outgoing server (SMTP) smtp.office365.com does not seem to support encrypted passwords. If you just set up the account, try changing the 'Authentication method' to 'Normal password'.",
      ),
    ).toBe("auth_mechanism_unsupported");
  });
});

describe("blind set 54 after its first score: admins retelling what they found", () => {
  it.each([
    [
      "not_authenticated_anonymous_send",
      "After the firmware update the SMTP Authentication section is switched off — the username and password fields are greyed out. Server smtp.office365.com, port 587, STARTTLS on.",
    ],
    [
      "not_authenticated_anonymous_send",
      "Our admin created a connector that identifies us by that IP, so we removed the SMTP credentials from the app config. The app still points at smtp.office365.com port 587. No emails go out.",
    ],
    [
      "auth_mechanism_unsupported",
      "The IT guy changed the authentication method on all Ricoh units from Auto to CRAM-MD5. Since then no scans go out. TLS is on (STARTTLS, 587).",
    ],
    [
      "send_as_permission",
      "The ERP sends as noreply@fabrikam.com (a shared mailbox) while authenticating as erp-svc@fabrikam.com. After the migration we recreated Full Access from the source permissions report. Sends fail.",
    ],
    [
      "mailbox_unlicensed_or_missing",
      "Target accounts were created as MailUsers and migration batches run per department. Finance's scanner account is in the Finance batch, which hasn't been completed yet (still syncing). A licence is assigned.",
    ],
    [
      "account_locked",
      "The service desk unlocked scanner-svc in ADUC and it worked for ~20 minutes, then stopped again. The MFPs can't send.",
    ],
    [
      "per_user_mfa",
      'Abbiamo attivato l\'MFA per utente per tutti. Venerdì un collega ha completato la registrazione di Authenticator per scanner@ e ora nella pagina lo stato è "Applicato". Le scansioni non partono più.',
    ],
    [
      "per_user_mfa",
      'Entra sign-in logs for the scanner account: every Authenticated SMTP attempt fails. Conditional Access column says "Not applied". The authentication requirement says multifactor. Our two CA policies: neither applies to this account.',
    ],
  ])("%s: %s", (cause, text) => {
    expect(top(text)).toBe(cause);
  });
});

describe("blind set 58: small offices retelling their settings", () => {
  it.each([
    [
      "not_authenticated_anonymous_send",
      "Remote UI: SMTP server: smtp.office365.com\nPort (SMTP send): 587\nUse TLS: On\nUse SMTP authentication (SMTP AUTH): Off\nE-mail address: scans@contoso.com",
    ],
    [
      "not_authenticated_anonymous_send",
      'Kyocera web page: server smtp.office365.com, port 587, TLS on, but the "SMTP authentication" part — the login name and password — are both empty.',
    ],
    [
      "auth_mechanism_unsupported",
      'Xerox: server smtp.office365.com, port 587, STARTTLS. The dropdown "SMTP AUTH method" now says CRAM-MD5; before the visit it said Auto.',
    ],
    [
      "wrong_credentials",
      'Impresora HP: servidor smtp.office365.com, puerto 587. En "nombre de usuario" puse "tienda" y la contraseña la misma del Outlook. No envía.',
    ],
    [
      "starttls_required",
      'Impressora Samsung: servidor smtp.office365.com, porta 587, "Usar SSL" marcado. O manual diz que existe outra opção chamada "STARTTLS".',
    ],
    [
      "tls_version",
      "An old NAS box from about 2011, never updated since, cannot send test email through smtp.office365.com 587; the doorbell with the same account works. The maker's site says end of life.",
    ],
    [
      "mailbox_unlicensed_or_missing",
      'Il fornitore ha trasformato l\'account scanner@contoso.com in una "casella condivisa" e la licenza è stata tolta. Da allora la stampante non invia più.',
    ],
  ])("%s: %s", (cause, text) => {
    expect(top(text)).toBe(cause);
  });

  it("'Use SSL yes' without a separate STARTTLS option is not the implicit-TLS mistake (.NET's EnableSsl is STARTTLS)", () => {
    expect(
      fired("Email settings: SMTP server smtp.office365.com, port 587, Use SSL yes, Username sage@contoso.com."),
    ).not.toContain("words-ssl-ticked-beside-starttls");
  });
});

describe("blind set 57: MSP tickets and chat threads", () => {
  it("unticking the organisation's 'Turn off SMTP AUTH protocol' box is no Basic-protocol box cleared", () => {
    const text =
      'Failed to send the test email. (535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.)\nInternal: admin centre > Settings > Org settings > Modern authentication - unticked "Turn off SMTP AUTH protocol for your organization" (it was ticked!). Same error.';
    expect(fired(text)).not.toContain("words-modern-auth-page-smtp-unticked");
    expect(top(text)).toBe("smtp_auth_disabled_mailbox");
  });

  it("security defaults' nudge and its 14-day registration, retold", () => {
    expect(
      top(
        'Half the staff keep getting asked to set up some Microsoft app. My son clicked a button to turn on recommended protection. Users are prompted with "14 days until this is required". The tills can\'t email (SMTP AUTH).',
      ),
    ).toBe("security_defaults_enabled");
  });

  it("'Use SSL/TLS: SSL' on port 587 is TLS at connect", () => {
    expect(
      top(
        "bizhub E-mail TX (SMTP):\nSMTP Server Address: smtp.office365.com\nPort Number: 587\nUse SSL/TLS: SSL\nServer connection error",
      ),
    ).toBe("starttls_required");
  });

  it("a password reset followed by 'bounced again' is no fix that worked", () => {
    expect(
      fired(
        "Reset scanner@ password just in case and re-entered it on the Canon. Test scan to Paula worked. Scan to the accountant: bounced again.",
      ),
    ).not.toContain("fix-worked-wrong_credentials");
  });
});

describe("real batch 39: device and vendor wordings", () => {
  it("PHPMailer's Host 'tls://smtp.office365.com:587' is STARTTLS, not TLS at connect (YetiForce #2924)", () => {
    const text =
      "in vtiger we were able to send an email with\n\nserver: tls://smtp.office365.com:587\nuser & pw\n\nit fails when i try it with yetiforce.";
    expect(fired(text)).not.toContain("client-implicit-tls-scheme-on-587");
    expect(
      fired(
        "Connection: Failed to connect to tls://smtp.office365.com:587 [SMTP: Failed to connect socket: fsockopen(): unable to connect]",
      ),
    ).toContain("client-implicit-tls-scheme-on-587");
  });

  it.each([
    [
      "wrong_credentials",
      "Notification Center will fail to send notifications through this service provider and users will see the following warning message:\nAuthorization has expired. Reauthorize the account.",
    ],
    [
      "wrong_credentials",
      "SMTP send failed: AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.",
    ],
    [
      "transient",
      "This morning we found delays sending and receiving emails, and the mailer also fails to authenticate to the Office 365 SMTP server.",
    ],
    [
      "smtp_auth_disabled_tenant",
      "The office ground to a halt overnight: invoices weren't sending, scan-to-email had stopped working, and the accounting system was throwing authentication errors.",
    ],
  ])("%s: %s", (cause, text) => {
    expect(top(text)).toBe(cause);
  });

  it("a Conditional Access sign-in frequency (70043) is not an expired grant", () => {
    expect(
      fired(
        "AADSTS70043: The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.",
      ),
    ).not.toContain("aadsts-grant-expired");
  });

  it("one copier that scans to email is one sender, not several stopping together", () => {
    expect(
      fired("Our Xerox copier stopped scanning to email on Monday; the scanner reports authentication failed."),
    ).not.toContain("words-office-senders-stop-together");
  });
});

describe("device and appliance wording (their source code and manuals)", () => {
  it.each([
    [
      "auth_mechanism_unsupported",
      "Could not send the message to admin@contoso.com -- Error: PLAIN authentication failure [SMTP: PLAIN is not a supported authentication method (code: 250, response: smtp.office365.com Hello [203.0.113.5] SIZE 157286400 PIPELINING DSN ENHANCEDSTATUSCODES AUTH LOGIN XOAUTH2 8BITMIME)]",
    ],
    [
      "auth_mechanism_unsupported",
      "Test Notification Mail: 544 Authentication method mismatch. Please confirm the authentication method support for LOGIN or PLAIN on the mail server",
    ],
    ["starttls_required", "538: Encryption required for requested authentication mechanism"],
    ["wrong_credentials", "Password mismatch. Please enter the correct password"],
  ])("%s: %s", (cause, text) => {
    expect(top(text)).toBe(cause);
  });

  it("an EHLO reply flattened into a wrapper's message is no OAuth login", () => {
    expect(
      diagnose(
        "[SMTP: Invalid response code received from server (code: 535, response: smtp.office365.com Hello [203.0.113.5] PIPELINING ENHANCEDSTATUSCODES AUTH LOGIN XOAUTH2)]",
      ).fired.map((f) => f.id),
    ).not.toContain("oauth-in-use");
  });

  it("a device asking for the correct password is not the reporter saying it is correct", () => {
    expect(fired("Password mismatch. Please enter the correct password")).not.toContain("words-owa-works");
    expect(fired("The password is correct, I can log in to Outlook on the web.")).toContain("words-owa-works");
  });
});

describe("real batch 40: vendor pages", () => {
  it.each([
    "SSL_ERROR_NOT_TRUSTED_ROOT when sending through the Office 365 SMTP server",
    "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)",
    "System.Security.Authentication.AuthenticationException: The remote certificate is invalid according to the validation procedure: RemoteCertificateChainErrors",
    "x509: certificate signed by unknown authority",
  ])("a certificate chain the client's TLS stack refuses is the stack's age: %s", (text) => {
    expect(top(text)).toBe("tls_version");
  });

  it("an app's message listing the lock among other causes names no lock", () => {
    const text =
      "Authentication failure due to account locked/disabled or unreachable. Please contact your mailbox provider or try again later";
    expect(fired(text)).not.toContain("phrase-account-locked");
    expect(fired(text)).not.toContain("words-account-locked");
    expect(top("535 5.7.139 Authentication unsuccessful, account locked.")).toBe("account_locked");
  });
});

describe("blind set 59: retyped by hand", () => {
  it("an English reply line's 'authentification' is a slip, though the word is French", () => {
    expect(
      top(
        "Przepisuję z ekranu drukarki:\n\n535 5.7.139 Authentication unsuccesful, basic authentification is disabled.",
      ),
    ).toBe("basic_auth_disabled_or_retired");
  });

  it("a printer without the OAuth option, said in Polish, is no OAuth login", () => {
    expect(fired("535 5.7.139 Authentication unsuccessful. Drukarka nie ma opcji OAuth.")).not.toContain(
      "oauth-in-use",
    );
  });

  it("the device's sentence for a mechanism the server does not offer, in German", () => {
    expect(
      top(
        'Auf dem Display steht: "Authentifizierungsfehler - Server unterstützt die gewählte Authentifizierungsmethode nicht"',
      ),
    ).toBe("auth_mechanism_unsupported");
  });

  it("a hyphenated Conditional-Access-Richtlinie is Conditional Access, and 'Per-User-MFA haben wir nie benutzt' negates MFA", () => {
    const text =
      'seit wir eine neue Conditional-Access-Richtlinie "MFA für alle Benutzer" aktiviert haben, schickt der Scanner nichts mehr: "5.7.139 Authentication unsuccessful, the request did not meet the criteria". Per-User-MFA haben wir nie benutzt.';
    expect(fired(text)).toContain("words-conditional-access");
    expect(top(text)).toBe("conditional_access_block");
  });
});

describe("blind set 60: appliances", () => {
  it("'keine' wrapped onto the line before a hyphenated Conditional-Access-Richtlinien still negates it", () => {
    const text =
      "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria.\nkein Entra ID P1 – also keine\nConditional-Access-Richtlinien.";
    expect(fired(text)).not.toContain("words-conditional-access");
  });

  it("MFA on for nobody is no MFA, in German and English", () => {
    expect(
      fired(
        "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria. MFA pro Benutzer ist für niemanden eingeschaltet.",
      ),
    ).toContain("words-no-mfa");
    expect(
      fired(
        "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria. Per-user MFA is enabled for nobody.",
      ),
    ).not.toContain("answer-per-user-mfa");
  });

  it("'sometimes (not always)' is a failure that comes and goes", () => {
    expect(
      top(
        '"Send Test Mail" sometimes (not always) returns:\n\n[EFAULT] Failed to send email: Connection unexpectedly closed',
      ),
    ).toBe("transient");
  });
});

describe("blind set 61: no error text, other languages", () => {
  it.each([
    [
      "account_locked",
      'En la ficha del usuario aparece "Inicio de sesión bloqueado" y el programa de citas no envía desde el día 3.',
    ],
    [
      "not_authenticated_anonymous_send",
      'Brother novo: smtp.office365.com, porta 587, em "Método de autenticação do servidor" deixei "Nenhum".',
    ],
    [
      "tls_version",
      "複合機の「SSL/TLS設定」で選べるのは「TLS1.0」だけで、TLS1.2の項目がありません。smtp.office365.com 587 に送れません。",
    ],
    [
      "starttls_required",
      'Drukarka: smtp.office365.com, port 587. W menu "Szyfrowanie połączenia" jest "Brak", "SSL" i "STARTTLS" – mam ustawione "SSL".',
    ],
    [
      "starttls_required",
      'Multifunzione su smtp.office365.com porta 587: nel menu "Sicurezza connessione" ho lasciato "Nessuna".',
    ],
    [
      "transient",
      'Ieri mattina nessuna mail; in "Integrità del servizio" c\'era un avviso su Exchange Online, poi è ripartito tutto da solo.',
    ],
    [
      "mailbox_unlicensed_or_missing",
      'Bei kasse@ ist in der Lizenz "Exchange Online (Plan 1)" ausgehakt, seitdem geht keine Mail raus.',
    ],
  ])("%s: %s", (cause, text) => {
    expect(top(text)).toBe(cause);
  });

  it("a ticked Authenticated SMTP box is not read as cleared by the next clause's 已关闭", () => {
    expect(
      fired(
        '管理中心里这个账号的 "经过身份验证的 SMTP" 已勾选，没有开 MFA，安全默认值已关闭。打印机 "SMTP 认证方式" 默认选的是 "CRAM-MD5"。',
      ),
    ).not.toContain("words-mailbox-smtp-unticked");
  });

  it("'niente accesso condizionale' and 'nessuna opzione OAuth' are negations", () => {
    const text =
      "Il centralino, nessuna opzione OAuth, da fine aprile 2026 non manda più; nel Centro messaggi avvisi sul ritiro dell'autenticazione di base per SMTP AUTH. Niente accesso condizionale.";
    expect(fired(text)).not.toContain("words-conditional-access");
    expect(fired(text)).not.toContain("oauth-in-use");
    expect(top(text)).toBe("basic_auth_disabled_or_retired");
  });
});

describe("blind set 62: long logs", () => {
  it("'ssl=True' logged beside System.Net.Mail is its EnableSsl (STARTTLS), not TLS at connect", () => {
    const text =
      "DEBUG Helpdesk.Mail.Sender - SmtpClient host=smtp.office365.com port=587 ssl=True timeout=100000\nSystem.Net.Mail.SmtpException: Failure sending mail. ---> System.Exception: Exception of type 'System.Exception' was thrown.";
    expect(fired(text)).not.toContain("client-implicit-tls-config-on-587");
    expect(fired("MailKit connect host=smtp.office365.com port=587 SslOnConnect")).toContain(
      "client-implicit-tls-config-on-587",
    );
  });
});

describe("a localised 'send as' verb in prose", () => {
  it("'para enviar como avisos@…' is no Send As refusal; the admin centre's quoted label and a refusal still are", () => {
    expect(
      fired(
        "Estamos pasando una app .NET (MailKit) a OAuth2 con client credentials para enviar como avisos@contoso.com.",
      ),
    ).not.toContain("phrase-send-as");
    expect(fired('En la bandeja compartida, en "Enviar como" no hay nadie.')).toContain("phrase-send-as");
    expect(fired("550 5.7.60 Permiso para enviar como denegado")).toContain("phrase-send-as");
  });
});

describe("real batch 41: project documents", () => {
  it("Zammad's misspelt Net::SMTPAuthentificationError is a refused AUTH", () => {
    expect(fired("Can't use Chanel:Driver::SMTPAuthentificationError:\nNet::SMTPAuthentificationErr")).toContain(
      "client-auth-failed-generic",
    );
  });
});

describe("blind set 61: localised words", () => {
  it("a user name 'sem o @contoso.com' / 'ohne Domäne' / 'without the domain' is a wrong user name", () => {
    for (const text of [
      'o campo usuário deixei como estava: só "digitalizacao", sem o @contoso.com, porque no servidor antigo era assim.',
      "Als Benutzername steht nur scanner, ohne Domäne.",
      "the username is just scan01 without the domain",
    ])
      expect(fired(text), text).toContain("words-username-not-upn");
    // "sem" before another word than the domain is no user name.
    expect(fired("sem problemas com o domínio, o SPF está certo")).not.toContain("words-username-not-upn");
  });

  it("a group's localised 'delivery management' allowing only listed senders is a refused recipient", () => {
    const text =
      'no grupo de distribuição rh-grupo, em "Gerenciamento de entrega", alguém marcou que só aceita mensagens de remetentes específicos';
    expect(fired(text)).toContain("words-one-recipient-fails");
    expect(fired("En la gestión de entrega del grupo solo se aceptan remitentes internos.")).toContain(
      "words-one-recipient-fails",
    );
  });

  it("direct send to the MX endpoint where outside recipients never arrive is an unauthenticated relay", () => {
    for (const text of [
      "Le serveur envoie directement sur contoso-com.mail.protection.outlook.com port 25, sans mot de passe. Les mails vers les collègues arrivent, mais ceux vers les clients (fabrikam.com, gmail, etc.) n'arrivent jamais.",
      "Our ERP uses direct send to contoso-com.mail.protection.outlook.com:25. Internal mail arrives fine but external recipients never get anything.",
      "El ERP envía a contoso-com.mail.protection.outlook.com por el puerto 25: a los externos no llega nada, solo a internos.",
    ])
      expect(top(text), text).toBe("not_authenticated_anonymous_send");
    // The endpoint alone is no relay refusal.
    expect(fired("The scanner sends to contoso-com.mail.protection.outlook.com on port 25.")).not.toContain(
      "words-direct-send-external-refused",
    );
  });
});

describe("blind set 58: what small offices retell", () => {
  it("the same login sends when the From is put back to its own address: Send As is missing", () => {
    for (const text of [
      "I changed the From address to info@contoso.com and left the login as scanner@. Since Monday nothing arrives. If I put the From back to scanner@ it's fine again.",
      "Si je mets scanner@ comme adresse d'expédition à la place de secretariat@, ça part.",
      "Wenn ich scanner@contoso.com als Absender eintrage, geht es.",
    ]) {
      expect(fired(text), text).toContain("words-sending-as-login-works");
      expect(top(text), text).toBe("send_as_permission");
    }
  });

  it("a policy that requires multi-factor for every user, or allows sign-in only from some countries, is Conditional Access", () => {
    expect(
      fired(
        "Our IT partner set up policies: one only lets us sign in from the Netherlands and Germany, and one requires multi-factor for every user.",
      ),
    ).toContain("words-conditional-access");
    expect(fired("We turned on MFA for the office staff last week.")).not.toContain("words-conditional-access");
  });

  it("an app that 'needs an administrator to approve it' has no admin consent", () => {
    for (const text of [
      "a Microsoft page says the app needs an administrator to approve it",
      "Microsoft zeigt: Administratorgenehmigung erforderlich",
      "Il apparaît « Approbation de l'administrateur requise »",
    ])
      expect(fired(text), text).toContain("words-app-consent-not-granted");
  });

  it("'Authenticated SMTP that isn't ticked' or 'is empty' in Manage email apps is the mailbox's switch off", () => {
    for (const text of [
      "There's one at the bottom called Authenticated SMTP that isn't ticked, and POP and IMAP aren't either.",
      "Mine has the same but Authenticated SMTP is empty.",
    ])
      expect(fired(text), text).toContain("words-mailbox-smtp-unticked");
  });

  it("a From changed to another address while the login was kept is a From that differs from the login", () => {
    expect(
      fired(
        'In the scanner\'s address settings I changed "Sender / From" to lisa@contoso.com and left the login and password as mine.',
      ),
    ).toContain("words-from-differs-from-login");
  });

  it("a device with only 'SSL' or 'None' and no STARTTLS anywhere lacks STARTTLS", () => {
    expect(
      fired('My scanner only has a "Secure connection" choice of "SSL" or "None" — no STARTTLS anywhere.'),
    ).toContain("words-client-lacks-starttls");
  });
});

describe("blind sets 63 and 64: structured output and non-native English", () => {
  it("'Org-wide SMTP AUTH is on' is the organisation's switch, not the mailbox's", () => {
    expect(fired("Org-wide SMTP AUTH is on and security defaults are off.")).not.toContain("words-smtp-auth-on");
    expect(fired("SMTP AUTH is enabled for the mailbox.")).toContain("words-smtp-auth-on");
  });

  it("Conditional Access named but not made, excluding the account's group, or with no legacy-auth policy is negated", () => {
    for (const text of [
      "I have not made any CA policies (we only have Business Premium since January).",
      'We have CA policies, and the legacy-auth block policy excludes the "SMTP service accounts" group which jenkins@ is in.',
      "We use Conditional Access but there is no policy about legacy authentication.",
      "We are using CA policies and she is in the same group as the others.",
    ])
      expect(fired(text), text).not.toContain("words-conditional-access");
  });

  it("a localised 'Authentifiziertes SMTP' that 'is not set' for the new user is the mailbox's box cleared", () => {
    expect(
      fired('By the old user there is the hook by "Authentifiziertes SMTP", by the new user versand@ it is not set.'),
    ).toContain("words-mailbox-smtp-unticked");
  });

  it("'Basic authentication for SMTP AUTH (Client Submission) is retired now' is Basic turned off; 'clients must use OAuth' is no OAuth login", () => {
    const text =
      "In the message center there was the announcement that Basic authentication for SMTP AUTH (Client Submission) is retired now, and that clients must use OAuth.";
    expect(fired(text)).toContain("words-basic-auth-off");
    expect(fired(text)).not.toContain("oauth-in-use");
  });

  it("no failure in the sign-in logs is Entra letting the sign-in through", () => {
    expect(fired("In the sign-in logs I don't see any failure for this user at all.")).toContain(
      "words-sign-in-succeeded",
    );
  });

  it("an XOAUTH2 user= that is not the account the delegated token was issued to is a token for the wrong account", () => {
    // The payload's first bytes decode to "user=noreply@contoso.com\x01auth=Bearer".
    const text = `send: 'AUTH XOAUTH2 dXNlcj1ub3JlcGx5QGNvbnRvc28uY29tAWF1dGg9QmVhcmVyIGV5SjBlWEFp...AQE=\\r\\n'
reply: b'535 5.7.3 Authentication unsuccessful [MN2PR01CA0044.prod.exchangelabs.com]\\r\\n'
Decoded access token: { "aud": "https://outlook.office365.com", "scp": "SMTP.Send", "upn": "j.smith@contoso.com" }`;
    expect(fired(text)).toContain("words-xoauth2-user-not-token-user");
    expect(top(text)).toBe("wrong_credentials");
    expect(fired(text.replace("j.smith@", "noreply@"))).not.toContain("words-xoauth2-user-not-token-user");
  });

  it("an automation platform's '[500] An unexpected error occurred' is no SMTP 500", () => {
    expect(fired('"message": "[500] An unexpected error occurred. Please try again later."')).not.toContain(
      "code-5.5.x",
    );
    expect(fired("500 5.5.2 Syntax error, command unrecognized")).toContain("code-5.5.x");
  });
});

describe("blind sets 65 and 66: mail clients and code", () => {
  it("Outlook's 0x800CCC80 (no authentication method in common) and SPA required are a mechanism mismatch", () => {
    const text =
      "Haken bei \"Gesicherte Kennwortauthentifizierung (SPA) erforderlich\" ist gesetzt.\nDie Aufgabe 'kunde@contoso.de - Senden' meldete den Fehler (0x800CCC80): 'Keine der von diesem Client unterstützten Authentifizierungsmethoden wird von Ihrem Server unterstützt.'";
    expect(fired(text)).toContain("client-mechanism-mismatch");
    expect(fired(text)).toContain("words-challenge-mechanism-chosen");
    expect(top(text)).toBe("auth_mechanism_unsupported");
    expect(
      fired(
        "Task 'Sending' reported error (0x800CCC80): 'None of the authentication methods supported by this client are supported by your server.'",
      ),
    ).toContain("client-mechanism-mismatch");
  });

  it("TLS 1.0 in the SMTP AUTH clients report, or OS X 10.8, is a client too old for TLS 1.2", () => {
    expect(fired('In the EAC SMTP AUTH clients report, her sends are listed with TLS version "TLS1.0".')).toContain(
      "words-old-tls-seen",
    );
    expect(fired("An old iMac on OS X 10.8 Mountain Lion runs Apple Mail.")).toContain("words-old-tls-seen");
    expect(fired("A MacBook on macOS 14 runs Apple Mail.")).not.toContain("words-old-tls-seen");
  });

  it("an account excluded from a named CA policy, and MFA nobody enabled, are negations", () => {
    expect(
      fired('Her account is excluded from our "block legacy auth" CA policy because of this machine.'),
    ).not.toContain("words-conditional-access");
    expect(fired("Nobody has enabled MFA per user.")).not.toContain("words-mfa");
  });

  it("a delegated token for another account than the XOAUTH2 user, told as MSAL's Account.Username, is a wrong account", () => {
    const text = `var oauth2 = new SaslMechanismOAuth2("helpdesk@contoso.com", result.AccessToken);
result.Account.Username comes back as "dave.k@outlook.com".
MailKit.Security.AuthenticationException: 535: 5.7.3 Authentication unsuccessful`;
    expect(fired(text)).toContain("words-xoauth2-user-not-token-user");
  });

  it("XOAUTH2 configured with no app registration sends the password as the token", () => {
    const text = `p.put("mail.smtp.auth.mechanisms", "XOAUTH2");
DEBUG SMTP: Using mechanism XOAUTH2
535 5.7.3 Authentication unsuccessful
SMTP_PASSWORD is the mailbox password that we've always used. We don't have an app registration yet.`;
    expect(fired(text)).toContain("words-xoauth2-with-password");
    expect(top(text)).toBe("wrong_credentials");
  });
});

describe("Direct Send refused", () => {
  it("5.7.68 and the tenant's RejectDirectSend are an unauthenticated send", () => {
    const reply =
      "550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources";
    expect(fired(reply)).toContain("code-5.7.68-direct-send-rejected");
    expect(top(reply)).toBe("not_authenticated_anonymous_send");
    expect(
      fired(
        "After we turned on Set-OrganizationConfig -RejectDirectSend $true the printers get a 550 saying direct send isn't allowed.",
      ),
    ).toContain("words-reject-direct-send-on");
  });

  it("direct send where staff get the scans and the outside address never does is a relay refusal", () => {
    expect(
      fired(
        "The MFP uses direct send to contoso-com.mail.protection.outlook.com port 25. Scans to staff arrive fine. The accountant at fabrikam.com wants them too, and those never arrive.",
      ),
    ).toContain("words-direct-send-external-refused");
  });
});

describe("blind sets 39 and 41: what admins retell", () => {
  it("'From: hr@ doesn't work; From: hrsystem@ works' is the login sending as itself only", () => {
    expect(
      fired("Sending from the HR system with From: hr@ doesn't work; sending with From: hrsystem@ works."),
    ).toContain("words-sending-as-login-works");
  });

  it("a From changed 'from webforms@ to hello@' while the plugin still logs in as webforms@ differs from the login", () => {
    expect(
      fired('Marketing changed the "From email" from webforms@ to hello@. The plugin still logs in as webforms@.'),
    ).toContain("words-from-differs-from-login");
  });

  it("an account that sent spam after a phishing click and now cannot send is restricted", () => {
    expect(
      fired(
        "One of our users clicked a phishing link and the account sent a load of spam. We reset the password. Now the tool can't send as her, and she can't send from Outlook on the web either.",
      ),
    ).toContain("words-sender-restricted");
  });

  it("CA named, then the account excluded from the CA policies in the same sentence, is negated throughout", () => {
    expect(fired("We use Conditional Access, and the printer account is excluded from our CA policies.")).not.toContain(
      "words-conditional-access",
    );
  });

  it("a tenant created in 2023 whose SMTP settings nobody touched keeps SMTP AUTH off", () => {
    expect(
      fired(
        "Our Microsoft 365 tenant was created in 2023 when we left Google; we have never touched any SMTP setting in Exchange.",
      ),
    ).toContain("words-new-tenant-smtp-auth-off");
  });
});

describe("blind sets 36 and 57: retold checks", () => {
  it("a password with a # cut short by an env file is a wrong password, and an OWA login working is no SMTP login", () => {
    const text =
      "docker compose env file: SMTP_PASS=********#******** (the real one has a # in the middle). len(os.environ['SMTP_PASS']) gives 9, the real password is 18 characters long. The same password pasted into the OWA login works.";
    expect(fired(text)).toContain("words-password-special-characters");
    expect(fired(text)).not.toContain("words-login-succeeds");
    expect(fired("SMTP login works, the test mail is refused at MAIL FROM.")).toContain("words-login-succeeds");
  });

  it("Polish 'konto jest tymczasowo zablokowane' is a locked account", () => {
    expect(fired("pokazuje, że konto jest tymczasowo zablokowane z powodu zbyt wielu prób")).toContain(
      "words-account-locked",
    );
  });

  it("the Entra banner 'protected by security defaults' is security defaults on; 'no policies exist' negates CA", () => {
    const text =
      'Conditional Access blade: "Create your own policies... requires Microsoft Entra ID P1" - no policies exist.\nEntra > Overview > Properties: the page has the banner "Your organization is protected by security defaults."';
    expect(fired(text)).toContain("words-security-defaults");
    expect(fired(text)).not.toContain("words-conditional-access");
  });

  it("an ISP's incident for the hours the mails sat 'retrying' is a passing failure", () => {
    expect(
      fired(
        'The outbox shows them as "retrying" all morning, then "sent" from 11:34. The ISP status page shows "Major incident - business broadband, 07:50-11:20, resolved".',
      ),
    ).toContain("words-service-incident");
  });
});

describe("blind set 68: admins paste what they checked", () => {
  it("MFA or CA scoped to admins is not the device account's", () => {
    expect(fired('CA: only "Require MFA for admins".')).not.toContain("words-mfa");
  });

  it("Get-EXOMailbox's 'couldn't be found' is no mailbox", () => {
    expect(
      fired(
        "PS> Get-EXOMailbox cctv@contoso.com\nGet-EXOMailbox: The operation couldn't be performed because object 'cctv@contoso.com' couldn't be found on 'AM4PR04A010DC05.EURPR04A010.PROD.OUTLOOK.COM'.",
      ),
    ).toContain("answer-no-mailbox");
  });

  it("a sign-in Entra logged as a success outweighs the generic criteria reply's lean to MFA", () => {
    const text = `535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.
Entra sign-in log for cctv@contoso.com: Status Success, Client app "Authenticated SMTP", Conditional Access "Not Applied".
PS> Get-EXOMailbox cctv@contoso.com
Get-EXOMailbox: The operation couldn't be performed because object 'cctv@contoso.com' couldn't be found on 'AM4PR04A010DC05.EURPR04A010.PROD.OUTLOOK.COM'.`;
    expect(top(text)).toBe("mailbox_unlicensed_or_missing");
  });

  it("'AuthenticationPolicy -> (blank)' is no policy assigned, not a policy named", () => {
    const text = `S: 535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [LV3P220CA0019.NAMP220.PROD.OUTLOOK.COM]
Get-User orders@contoso.com | fl AuthenticationPolicy -> (blank), and Get-OrganizationConfig DefaultAuthenticationPolicy -> (blank)`;
    expect(fired(text)).toContain("answer-auth-policy-allows");
    expect(fired(text)).not.toContain("words-auth-policy");
    expect(top(text)).toBe("basic_auth_disabled_or_retired");
  });
});

describe("blind set 69: the error changed after a fix", () => {
  it("an earlier error the reporter says 'is gone' or 'se resolvió' no longer decides", () => {
    for (const text of [
      'UPDATE: we installed the .NET 4.8 update, so the "421 4.7.66 TLS 1.0 and 1.1 are not supported" error is gone.\nNow the log shows:\n535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.',
      'Actualización: el problema de TLS ("421 4.7.66 TLS 1.0 and 1.1 are not supported") se resolvió con la actualización de firmware.\nAhora al escanear a correo el registro muestra:\n535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.',
    ])
      expect(top(text), text).toBe("smtp_auth_disabled_mailbox");
  });

  it("'that error is gone' reaches back to the error the line quoted first", () => {
    const text = `Follow-up to "smtplib Must issue a STARTTLS command first": added server.starttls() after ehlo(), that error is gone.
Now it fails with:
smtplib.SMTPSenderRefused: (530, b'5.7.57 Client not authenticated to send mail.', 'alerts@contoso.com')`;
    expect(top(text)).toBe("not_authenticated_anonymous_send");
  });

  it("a quoted reply that 'is gone' or 'kommt nicht mehr' is history, and the reply's 'disabled for the' is no box cleared", () => {
    const text = `I ticked "Authenticated SMTP" under Manage email apps for sales-bot@contoso.com, saved, waited 30 min. The "disabled for the Mailbox" message is gone.
Now the CRM says:
Invalid login: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.`;
    expect(fired(text)).not.toContain("words-mailbox-smtp-unticked");
    expect(top(text)).toBe("smtp_auth_disabled_tenant");
    const german = `Die Sicherheitsstandards habe ich deaktiviert, die Meldung "user is locked by your organization's security defaults policy" kommt seitdem nicht mehr.
Jetzt meldet der Kyocera-Drucker aber:
535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.`;
    expect(top(german)).toBe("smtp_auth_disabled_tenant");
  });
});

describe("blind sets 70–73: MSPs, the 2026 retirement, terse and lay reports", () => {
  it("a delegated token got while signed in as the admin's own account is a token for the wrong account", () => {
    const text =
      "postfix + sasl-xoauth2 relay. 535 5.7.3 Authentication unsuccessful. app reg looks right, SMTP.Send delegated. oh wait. i did the initial token grant in the browser while logged in as my own admin acct not as noreply@";
    expect(fired(text)).toContain("words-token-got-as-other-account");
    expect(top(text)).toBe("wrong_credentials");
    expect(
      fired('When they pressed "Get Token" a sign-in came up, so I logged in with MY account and approved it.'),
    ).toContain("words-token-got-as-other-account");
    // An admin's own account is the right one for consent or for a portal.
    expect(
      fired("I signed in with my admin account to grant admin consent; the token now has SMTP.Send."),
    ).not.toContain("words-token-got-as-other-account");
    expect(
      fired("I logged in with my own account to the Entra admin center and checked the token's scopes."),
    ).not.toContain("words-token-got-as-other-account");
  });

  it("'no one is set to per-user MFA Enforced' is per-user MFA off", () => {
    const text = "Both tenants have Security defaults disabled and no one is set to per-user MFA Enforced.";
    expect(fired(text)).not.toContain("words-per-user-mfa-enforced");
    expect(fired(text)).not.toContain("answer-per-user-mfa");
    expect(fired("The scanner account is set to per-user MFA Enforced.")).toContain("words-per-user-mfa-enforced");
  });

  it("in a working-vs-failing comparison, what the working tenant has is not the failing one's cause", () => {
    const text = `Same Sharp MFP, same settings template, two clients:
- Fabrikam (fabrikam.com): scan to email works.
- Wingtip Toys (wingtiptoys.com): fails with
  535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.
Differences: Fabrikam is Business Premium and we built our own CA policies there. Wingtip is Business Standard only, so no Conditional Access at all.
In Entra > Overview > Properties the Wingtip tenant still has "Security defaults: Enabled". Fabrikam has it off.`;
    expect(fired(text)).not.toContain("words-conditional-access");
    expect(top(text)).toBe("security_defaults_enabled");
    const inline =
      "Two customers, same copier. Customer A fine, customer B fails at login with 535 5.7.139 the request did not meet the criteria. Customer B's tenant shows security defaults switched on, customer A had them turned off by us in 2022.";
    expect(top(inline)).toBe("security_defaults_enabled");
    // A From address that works is Send As, not a peer: its clause stays.
    expect(
      fired("Sending with From: hr@ doesn't work; sending with From: hrsystem@ works. hrsystem@ is excluded from MFA."),
    ).not.toContain("words-mfa");
  });

  it("the Authenticated SMTP tick 'there for the others but not for' this mailbox is its switch off", () => {
    const text =
      'The copier shows "535 5.7.139 Authentication unsuccessful, the re..." cut off. Our IT guy said the "Authenticated SMTP" tick is there for mill and station but NOT for scan-high.';
    expect(fired(text)).toContain("words-mailbox-smtp-unticked");
    expect(top(text)).toBe("smtp_auth_disabled_mailbox");
  });

  it("a change followed by a refusal is no fix that worked", () => {
    const text = `My nephew ticked Authenticated SMTP, typed the password in again, rebooted the copier twice.
Copier send log:
  535 5.7.139 Authentication unsuccessful, basic authentication is disabled.
The copier dealer then sent a bulletin saying our model needs a firmware with OAuth.`;
    expect(fired(text)).not.toContain("fix-worked-wrong_credentials");
    expect(fired("I typed the password in again and now it sends fine.")).toContain("fix-worked-wrong_credentials");
  });

  it("security defaults someone switched on, or a checklist step to turn them on that is ticked, is the change", () => {
    const nephew =
      'My nephew was sorting out the Authenticator app for me on Sunday and he switched on a thing called "security defaults". Monday, no reminders went out: 535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.';
    expect(fired(nephew)).toContain("words-security-defaults-turned-on");
    expect(top(nephew)).toBe("security_defaults_enabled");
    const checklist =
      'No CA policies (no P1), per-user MFA page shows erp@ as Disabled. 535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. On the 3rd we completed their onboarding checklist - step 14 "Turn on Security defaults (tenants without Entra P1)" is ticked.';
    expect(fired(checklist)).toContain("words-security-defaults-turned-on");
    expect(top(checklist)).toBe("security_defaults_enabled");
    expect(fired("We never enabled security defaults.")).not.toContain("words-security-defaults-turned-on");
    expect(fired('The article says to "turn on security defaults".')).not.toContain(
      "words-security-defaults-turned-on",
    );
  });

  it("Conditional Access that is not licensed, zero policies, or one scoped to admins is no Conditional Access", () => {
    expect(fired("Bedingter Zugriff ist bei uns gar nicht lizenziert, also keine CA-Richtlinien.")).not.toContain(
      "words-conditional-access",
    );
    expect(fired("There are zero Conditional Access policies in the tenant.")).not.toContain(
      "words-conditional-access",
    );
    expect(
      fired('CA policies: one "require MFA for admins" policy, the export account is not an admin.'),
    ).not.toContain("words-conditional-access");
    expect(fired("We have a CA policy that blocks legacy authentication for all users.")).toContain(
      "words-conditional-access",
    );
  });

  it("a delegated token 'for my account', or got while signed into the browser as myself, is for the wrong account", () => {
    expect(
      fired(
        "When I did the first interactive consent I was already signed into the browser as myself, so the token it cached is for my account, while the XOAUTH2 user= is helpdesk@contoso.com.",
      ),
    ).toContain("words-token-got-as-other-account");
  });

  it("licences taken from unused accounts, or one still assigned, are no missing licence", () => {
    expect(
      fired("After the review we changed a lot: security defaults, removed some licences, TLS on the firewall."),
    ).not.toContain("words-no-licence");
    expect(
      fired("Quitamos licencias de buzones que no se usaban. La licencia de alertas@ sigue asignada."),
    ).not.toContain("words-no-licence");
    expect(fired("We removed the licence from scanner@ last week.")).toContain("words-no-licence");
  });

  it("a sign-in logged as a success, in Spanish or as 'sign-in for X: Success', is Entra letting it through", () => {
    expect(fired("En el registro de inicios de sesión de Entra aparece como correcto.")).toContain(
      "words-sign-in-succeeded",
    );
    expect(fired("Entra sign-in for scanner2@: Success.")).toContain("words-sign-in-succeeded");
    expect(
      fired(
        'Activamos MFA para todos mediante acceso condicional (excluyendo el grupo "Cuentas-Servicio", donde está alertas@).',
      ),
    ).not.toContain("words-conditional-access");
  });

  it("a login changed to another account while the From was kept is another From than the login", () => {
    const text =
      'For years our scanner logged in as info@contoso.com and sent from info@. So I changed the scanner login to my own account (me@contoso.com, my password) and left the "From" as info@.';
    expect(fired(text)).toContain("words-from-differs-from-login");
  });

  it("an address cut by a wrap column is the same address", () => {
    const text =
      "Sender Address: nvr@contoso-transport.co\nm\nSMTP Server: smtp.office365.com\nUsername: nvr@contoso-transport.com\n[Test] -> Connection timed out.";
    expect(fired(text)).not.toContain("words-device-sender-not-login");
  });

  it("security defaults switched 'from Disabled to Enabled' are on", () => {
    const text =
      "Per the hardening checklist I switched security defaults from Disabled to Enabled. This morning: 535: 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.";
    expect(fired(text)).toContain("words-security-defaults");
    expect(fired(text)).not.toContain("words-security-defaults-off");
    expect(top(text)).toBe("security_defaults_enabled");
    expect(fired("We switched security defaults from Enabled to Disabled.")).not.toContain("words-security-defaults");
  });

  it("a code the reporter says never came is no reply, and 'did not enable security defaults' in Chinese is off", () => {
    const text = `client.UseDefaultCredentials = true;   // added by a colleague "to be safe"
System.Net.Mail.SmtpException: The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.57 Client not authenticated to send mail.
User and password are correct, but the server never returns a 535 in our logs.`;
    expect(fired(text)).not.toContain("code-535");
    expect(top(text)).toBe("not_authenticated_anonymous_send");
    expect(fired("同一个账号在 Outlook 网页版能登录，也没有启用安全默认值。")).not.toContain("words-security-defaults");
    expect(fired("我们启用了安全默认值。")).toContain("words-security-defaults");
  });
});

describe("blind sets 77–83: schools, monitoring tools, forwarded chains, plants and labs", () => {
  const CRITERIA =
    "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.";

  it("security defaults said on rule out a Conditional Access policy, whatever the CA blade says", () => {
    const text = `Our alarm mailer fails: ${CRITERIA}
Entra > Properties shows Security defaults: Enabled. The Conditional Access page has no policies and a banner that says to turn off security defaults before creating one.`;
    expect(top(text)).toBe("security_defaults_enabled");
    const turnedBack = `${CRITERIA}\nOn Friday the new admin turned security defaults back on, because the P1 trial ended and all the CA policies were deleted with it.`;
    expect(fired(turnedBack)).toContain("words-security-defaults-turned-on");
    expect(fired(turnedBack)).not.toContain("words-conditional-access");
    expect(top(turnedBack)).toBe("security_defaults_enabled");
  });

  it("a decoded token's upn that is not the mailbox is a token for the wrong account, however the mailbox is named", () => {
    const asLogin = `The report service authenticates with XOAUTH2 as reports@fabrikam.edu. The cached token has "preferred_username": "it.admin@fabrikam.edu" in it.
535 5.7.3 Authentication unsuccessful`;
    expect(fired(asLogin)).toContain("words-xoauth2-user-not-token-user");
    expect(top(asLogin)).toBe("wrong_credentials");
    const sender = `The sender configured in the lab system is alerts@fabrikam.org. AUTH XOAUTH2 ********
535 5.7.3 Authentication unsuccessful
At jwt.ms the token shows aud https://outlook.office.com, scp SMTP.Send, upn j.doe@fabrikam.org.`;
    expect(fired(sender)).toContain("words-xoauth2-user-not-token-user");
    const same = `The sender configured in the lab system is alerts@fabrikam.org. At jwt.ms the token shows upn alerts@fabrikam.org.`;
    expect(fired(same)).not.toContain("words-xoauth2-user-not-token-user");
  });

  it("a token got after signing in with my own account names an address with dots in it", () => {
    const text =
      "I pressed the vendor's Authorize button and signed in with my admin account adm-jdoe@fabrikam.org (MFA prompt, all good), and it saved a refresh token. 535 5.7.3 Authentication unsuccessful";
    expect(fired(text)).toContain("words-token-got-as-other-account");
  });

  it("a mailbox switch the reporter saw off outweighs the criteria reply's MFA lead", () => {
    const unticked = `scan-a@contoso.com works on the copier. scan-b@contoso.com on the same copier: ${CRITERIA}
Under Active users > scan-b > Mail > Manage email apps, "Authenticated SMTP" is unticked.`;
    expect(top(unticked)).toBe("smtp_auth_disabled_mailbox");
    const runbook = `${CRITERIA}
The MSP's onboarding runbook: licence, MFA registration skipped because it is a service account, and their hardening step Set-CASMailbox -SmtpClientAuthenticationDisabled $true on every new mailbox.`;
    expect(fired(runbook)).not.toContain("words-mfa");
    expect(top(runbook)).toBe("smtp_auth_disabled_mailbox");
  });

  it("SmtpClientAuthenticationDisabled values are read by the organisation or mailbox named before them", () => {
    const text = `Notre prestataire a vérifié :
- SMTP AUTH activé au niveau de l'organisation (SmtpClientAuthenticationDisabled = False)
- pour la boîte paie@contoso.fr : SmtpClientAuthenticationDisabled = True
- valeurs par défaut de sécurité désactivées
Erreur : ${CRITERIA}`;
    expect(fired(text)).toContain("answer-mailbox-switch-off");
    expect(fired(text)).toContain("words-security-defaults-off");
    expect(top(text)).toBe("smtp_auth_disabled_mailbox");
  });

  it("advice to untick the organisation's box is not the box ticked, and the Modern authentication pane is no mailbox box", () => {
    expect(
      fired('[Reply] Go to EAC > Settings > Mail flow and untick "Turn off SMTP AUTH protocol for your organization".'),
    ).not.toContain("words-org-smtp-auth-box");
    const pane = `Org settings > Modern authentication
Allow access to basic authentication protocols
☐ IMAP4
☐ Authenticated SMTP
Our copier fails since IT unticked all of these: "Authentication failed (535)"`;
    expect(fired(pane)).not.toContain("words-mailbox-smtp-unticked");
  });

  it("a Format-Table of several mailboxes is read at the failing account's row", () => {
    const odd = `Our ERP sends as svc-erp@fabrikam.com and gets 535 5.7.3 Authentication unsuccessful. The others are fine.

Get-CASMailbox -Identity svc-* | ft Name,PopEnabled,SmtpClientAuthenticationDisabled

Name        PopEnabled SmtpClientAuthenticationDisabled
----        ---------- --------------------------------
svc-backup  False      False
svc-erp     True       True
svc-monitor False      False`;
    expect(fired(odd)).toContain("answer-mailbox-switch-off");
    expect(top(odd)).toBe("smtp_auth_disabled_mailbox");
    // The failing row is the one the report names, though most rows agree with it.
    const inherits = `The new billing app sends from facturation@contoso.fr: 535 5.7.139 Authentication unsuccessful. The printer works.

Get-TransportConfig | fl SmtpClientAuthenticationDisabled
SmtpClientAuthenticationDisabled : True

Get-CASMailbox printer,facturation,direction | ft Name,SmtpClientAuthenticationDisabled
Name         SmtpClientAuthenticationDisabled
----         --------------------------------
printer      False
facturation
direction`;
    expect(fired(inherits)).toContain("answer-org-switch-off-inherited");
    expect(top(inherits)).toBe("smtp_auth_disabled_tenant");
  });

  it("two mailboxes' values retold in one sentence: the True one is off; an empty value in another language is blank", () => {
    const prose = `Two copiers: ${"scan-a@contoso.com works"}, scan-b@contoso.com gets 535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.
I ran Get-CASMailbox on both, and for scan-a the SmtpClientAuthenticationDisabled column is empty while for scan-b it says True.`;
    expect(fired(prose)).toContain("answer-mailbox-switch-off");
    const pt = `Falha no envio: 535 5.7.139 Authentication unsuccessful
- Get-CASMailbox nfe@contoso.com.br | fl SmtpClientAuthenticationDisabled → vem vazio (em branco)
- Get-TransportConfig | fl SmtpClientAuthenticationDisabled → True`;
    expect(top(pt)).toBe("smtp_auth_disabled_tenant");
  });

  it("the box ticked or not, in Russian and with a negation between", () => {
    expect(
      fired(
        "Центр администрирования → Почта → Управление приложениями электронной почты: галочка «SMTP с проверкой подлинности» снята.",
      ),
    ).toContain("words-mailbox-smtp-unticked");
    const notTicked = `535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.
The org-wide "Turn off SMTP AUTH protocol for your organization" box is not ticked, security defaults are off, and neither account has MFA.`;
    expect(fired(notTicked)).not.toContain("words-org-smtp-auth-box");
    expect(fired(notTicked)).not.toContain("words-mfa");
  });

  it("a token's upn claim 'in it is' another account; IsEnabled -> True for security defaults", () => {
    const token =
      "Sending as billing@contoso.com fails with 535 5.7.3 Authentication unsuccessful after AUTH XOAUTH2. I decoded the access token and the upn claim in it is alerts@contoso.com; we put user=billing@contoso.com in the XOAUTH2 string.";
    expect(top(token)).toBe("wrong_credentials");
    expect(
      fired(
        "Get-MgPolicyIdentitySecurityDefaultEnforcementPolicy | select IsEnabled -> True\n535 5.7.139 Authentication unsuccessful",
      ),
    ).toContain("answer-security-defaults");
  });

  it("an account created without any licence, missing from the admin center's mailbox list, is no mailbox", () => {
    const text =
      'noreply@contoso.com was created in the Entra portal without assigning any licence because "it only needs to send". It fails with 535 5.7.3 Authentication unsuccessful and doesn\'t appear in the Exchange admin center mailbox list at all. Same code, just the username swapped.';
    expect(fired(text)).toContain("words-no-licence");
    expect(fired(text)).toContain("words-no-mailbox");
    expect(fired(text)).not.toContain("words-username-not-upn");
    expect(top(text)).toBe("mailbox_unlicensed_or_missing");
  });

  it("'the rest are fine' about other devices is no intermittent failure; 'java version \"1.7.0_80\"' is an old runtime", () => {
    const devices =
      'The HP in the warehouse never manages to send ("Cannot connect to the e-mail server"), the rest are fine. Its SMTP settings: smtp.office365.com, port 465, SSL/TLS (implicit).';
    expect(fired(devices)).not.toContain("words-intermittent");
    expect(fired("Some invoices fail with 451 4.7.0, the rest go through.")).toContain("words-intermittent");
    expect(
      fired(
        'javax.mail.MessagingException: Could not convert socket to TLS;\n  nested exception is: javax.net.ssl.SSLHandshakeException: Remote host closed connection during handshake\n$ /opt/app/jre/bin/java -version\njava version "1.7.0_80"',
      ),
    ).toContain("words-old-tls-runtime");
  });

  it("the sign-in log's requirementProvider names what required MFA", () => {
    const log = (provider: string) => `Scanner: SMTP authentication failed (535).
Graph signIns entry:
  "clientAppUsed": "Authenticated SMTP",
  "authenticationRequirementPolicies": [ { "requirementProvider": "${provider}", "detail": "" } ],
  "status": { "errorCode": 50076 }`;
    expect(top(log("securityDefaults"))).toBe("security_defaults_enabled");
    expect(top(log("user"))).toBe("per_user_mfa");
    expect(top(log("multiConditionalAccess"))).toBe("conditional_access_block");
  });

  it("cmdlet output read through OCR's 1 for l and 0 for o, and a table whose working row is named in a clause", () => {
    const ocr = `PS> Get-CASMai1b0x -Identity a1erts@contoso.com | f1 SmtpC1ientAuthenticati0nDisab1ed
SmtpC1ientAuthenticati0nDisab1ed : True
535 5.7.139 Authenticati0n unsuccessfu1, the request did n0t meet the criteria t0 be authenticated successfu11y.`;
    expect(fired(ocr)).toContain("answer-mailbox-switch-off");
    const table = `Profile A (scan1@contoso.com) works, profile B (scan2@contoso.com) fails with 535 5.7.139 "did not meet the criteria".
Name   SmtpClientAuthenticationDisabled
----   --------------------------------
scan1
scan2  True
Both accounts are excluded from our MFA CA policy.`;
    expect(fired(table)).toContain("answer-mailbox-switch-off");
    expect(top(table)).toBe("smtp_auth_disabled_mailbox");
  });

  it("'Authenticated SMTP — empty box' and 'the same box is empty' are the mailbox's box cleared", () => {
    expect(fired("Manage email apps pane, described: IMAP ✓, POP ✓, Authenticated SMTP — empty box.")).toContain(
      "words-mailbox-smtp-unticked",
    );
    expect(
      fired(
        'On mine, Mail > Manage email apps has "Authenticated SMTP" ticked; on bookings@ the same box is empty. Sends fail with "Authentication unsuccessful".',
      ),
    ).toContain("words-mailbox-smtp-unticked");
  });

  it("a lockout retold and not found is none; 50053 in Spanish prose, and after the 50126s that caused it, is the lock", () => {
    const disproved = `Caller says scan to email shows "account locked", so I unlocked scanner@fabrikam.com (it wasn't blocked) and reset the password. Still fails.
She read the message slowly: 535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy.
Sign-in log shows no lockout for the account.`;
    expect(fired(disproved)).not.toContain("words-account-locked");
    expect(fired(disproved)).not.toContain("phrase-account-locked");
    expect(top(disproved)).toBe("security_defaults_enabled");
    const es =
      "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.\nEn los registros de inicio de sesión de Entra para facturas@contoso.com hay cientos de intentos desde IPs de otro país y el último error es 50053.";
    expect(fired(es)).toContain("aadsts-account-locked");
    const both =
      "535 5.7.3 Authentication unsuccessful. Entra sign-in log: hundreds of failures with 50126 from the old staging box, then every attempt fails with error code 50053.";
    expect(fired(both)).not.toContain("aadsts-password");
    expect(top(both)).toBe("account_locked");
  });

  it("a message over the size limit is none of the SMTP AUTH gates", () => {
    const text =
      "Auth succeeds (235 2.7.0) and small reports arrive. After DATA the server returns:\n552 5.3.4 Message size exceeds fixed maximum message size";
    expect(fired(text)).toContain("phrase-message-too-large");
    expect(top(text)).toBe("unknown");
  });

  it("a two-row table without its dashed rule, the working row named as OK; 'qui excluent' is a French exclusion", () => {
    const text = `facturation@ : envoi OK.
relances@ : échec avec
535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.

Get-CASMailbox facturation,relances | ft Name,SmtpClientAuthenticationDisabled
Name          SmtpClientAuthenticationDisabled
facturation   False
relances      True

On a des règles d'accès conditionnel qui excluent les deux comptes.`;
    expect(fired(text)).toContain("answer-mailbox-switch-off");
    expect(fired(text)).not.toContain("words-conditional-access");
    expect(top(text)).toBe("smtp_auth_disabled_mailbox");
  });

  it("a call transcript: the code said aloud is read, and a pause does not cut the security defaults reading", () => {
    const text = `AGENT: and what does the copier show?
CALLER: five three five, five point seven point one three nine, authentication unsuccessful, something about criteria.
AGENT: Okay. Mailbox has authenticated S M T P ticked, the org box is unticked. Conditional Access, you're on Business Standard so there are no CA policies at all. Security defaults... right, that one says Enabled.`;
    expect(fired(text)).toContain("code-5.7.139");
    expect(fired(text)).not.toContain("words-conditional-access");
    expect(top(text)).toBe("security_defaults_enabled");
  });

  it("a voicemail: a STARTTLS reply said aloud with the encryption left on None", () => {
    const text =
      "Voicemail: hi, the clinic software test mail fails, it says four five one, five point seven point three, star TLS is required to send mail. Server smtp dot office three six five dot com, port five eight seven, encryption set to None.";
    expect(fired(text)).toEqual(expect.arrayContaining(["code-451-5.7.3", "phrase-starttls-required"]));
    expect(top(text)).toBe("starttls_required");
  });

  it("the organisation's turn-off box unticked after Manage email apps is no mailbox box, in English or French", () => {
    const en =
      'The label printer shows "Send failed". I ticked Authenticated SMTP under Manage email apps for labels@, and the org-wide "Turn off SMTP AUTH" box under Mail flow is unticked. Security defaults are on, it is a new tenant.';
    expect(fired(en)).not.toContain("words-mailbox-smtp-unticked");
    expect(top(en)).toBe("security_defaults_enabled");
    const fr =
      "L'imprimante affiche « Échec ». La case « Désactiver le protocole SMTP AUTH pour votre organisation » est décochée, et « SMTP authentifié » est coché sur la boîte. Les paramètres de sécurité par défaut sont activés.";
    expect(fired(fr)).not.toContain("words-org-smtp-auth-box");
    expect(top(fr)).toBe("security_defaults_enabled");
  });

  it("an org-level state is not read across a clause about security defaults, nor a turn-off toggle said to allow SMTP AUTH", () => {
    const clause =
      "Orders app logs 'send failed'. Org-level SMTP AUTH is on, security defaults are disabled. The helpdesk set every account to Enforced on the legacy per-user MFA page, orders@ included.";
    expect(fired(clause)).not.toContain("words-org-smtp-auth-off");
    expect(top(clause)).toBe("per_user_mfa");
    const toggle = "The org-level toggle is off (i.e. SMTP AUTH allowed) and Authenticated SMTP is ticked.";
    expect(fired(toggle)).not.toContain("words-org-smtp-auth-off");
  });

  it("OAuth goes through while the password login stopped: the password login is the failing one, and Basic is retired", () => {
    const text =
      "A MailKit test with an XOAUTH2 token for the same mailbox goes through, but the old ERP that does AUTH LOGIN with the password stopped working on Monday. Our partner says Basic authentication for SMTP AUTH would be retired for our tenant that day.";
    expect(fired(text)).not.toContain("oauth-in-use");
    expect(top(text)).toBe("basic_auth_disabled_or_retired");
    const support =
      "Support told us Basic authentication for Client Submission (SMTP AUTH) is not available in our tenant any more. The scanner shows 'failed'.";
    expect(top(support)).toBe("basic_auth_disabled_or_retired");
  });

  it("the per-user MFA page as last read decides; a reading pasted from advice or said as a condition is none", () => {
    const story = `[09:02] ops: copier mails fail with 535 5.7.139 Authentication unsuccessful
[09:10] ops: scan@ had per-user MFA Enforced last spring, I remember the app password
[09:30] ops: per-user MFA page now shows scan@ as Disabled (the CA project turned it all off)
[09:31] ops: Get-CASMailbox scan@ | fl SmtpClientAuthenticationDisabled
SmtpClientAuthenticationDisabled : True`;
    expect(fired(story)).not.toContain("answer-per-user-mfa");
    expect(fired(story)).toContain("answer-per-user-mfa-off");
    expect(top(story)).toBe("smtp_auth_disabled_mailbox");
    const advice = `The assistant said: "Check whether per-user MFA is enabled for the account; if per-user MFA is Enabled or Enforced, Basic SMTP fails."
Get-TransportConfig | fl SmtpClientAuthenticationDisabled
SmtpClientAuthenticationDisabled : True`;
    expect(fired(advice)).not.toContain("answer-per-user-mfa");
  });

  it("a sign-in code said absent is no code", () => {
    const text =
      "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. The sign-in log shows the password accepted (no 50126, no 50076). An app password gave the same reply.";
    expect(fired(text)).not.toContain("aadsts-password");
    expect(top(text)).toBe("basic_auth_disabled_or_retired");
  });

  it("'Security defaults: disabled' in a checklist is a state, not a fix, and other accounts sending fine is not this one working", () => {
    const text = `535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.
- Security defaults: disabled. Per-user MFA: Disabled.
- Get-TransportConfig: SmtpClientAuthenticationDisabled False (the other two service accounts send fine).
- Get-CASMailbox plm-mailer: SmtpClientAuthenticationDisabled True`;
    expect(fired(text)).not.toContain("fix-worked-security_defaults_enabled");
    expect(top(text)).toBe("smtp_auth_disabled_mailbox");
  });

  it("'never had Conditional Access' negates it; 'the remediation was to turn on security defaults' is the act", () => {
    const text =
      "We are on Business Standard without P1, so we have never had Conditional Access. After the audit our MSP's remediation was to turn on security defaults, and the permit app has failed since that day with 535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.";
    expect(fired(text)).not.toContain("words-conditional-access");
    expect(top(text)).toBe("security_defaults_enabled");
  });

  it("a token login delivered and the credential login refused by the same tool is the comparison", () => {
    const text =
      "With -AccessToken for the same mailbox the tool authenticates with XOAUTH2 and the test message is delivered. With -Credential (AUTH LOGIN) it is refused at AUTH. The copiers have no OAuth option.";
    expect(fired(text)).not.toContain("oauth-in-use");
    expect(top(text)).toBe("basic_auth_disabled_or_retired");
  });

  it("OAuth set for IMAP says nothing of the SMTP login's 'Normal password'", () => {
    const text =
      "Thunderbird, personal @outlook.com account. Incoming IMAP uses OAuth2 and works. Outgoing smtp-mail.outlook.com 587 STARTTLS with Authentication method Normal password: 'Login to server failed'.";
    expect(fired(text)).not.toContain("oauth-in-use");
    expect(fired(text)).not.toContain("words-oauth");
    expect(top(text)).toBe("basic_auth_disabled_or_retired");
  });

  it("a config line 'secure: false' beside 'locally it works' is no fix that worked; missing credentials skip AUTH", () => {
    const text =
      'nodemailer { host: "smtp.office365.com", port: 587, secure: false, requireTLS: true, auth: { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS } }. Locally it works. In the new cluster the secret was not mounted, both env vars are undefined, so nodemailer skips AUTH and goes straight to MAIL FROM.';
    expect(fired(text)).not.toContain("fix-worked-starttls_required");
    expect(top(text)).toBe("not_authenticated_anonymous_send");
  });

  it("Entra asking to disable security defaults before a Conditional Access policy says they are on", () => {
    const text =
      "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. When I tried to create a Conditional Access policy, Entra said I must disable security defaults before I can enable it.";
    expect(fired(text)).toContain("words-security-defaults");
    expect(top(text)).toBe("security_defaults_enabled");
  });

  it("'security defaults have to be turned off first' when switching a policy on says they are on, not off", () => {
    const text =
      "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. I built a Conditional Access policy to exclude the mailer from MFA. When I set the policy to On, the portal says security defaults have to be turned off first.";
    expect(fired(text)).not.toContain("words-security-defaults-off");
    expect(fired(text)).toContain("words-security-defaults");
    expect(top(text)).toBe("security_defaults_enabled");
  });

  it("the store refusing an oversized submission (554 5.2.0 MaxSubmissionExceeded) is no SMTP AUTH gate", () => {
    const text =
      "Login works (235). After DATA: 554 5.2.0 STOREDRV.Submission.Exception:MessageSubmissionExceededException.MapiExceptionMaxSubmissionExceeded; Failed to process message due to a permanent exception. Small exports go out fine.";
    expect(fired(text)).toContain("phrase-message-too-large");
    expect(top(text)).toBe("unknown");
  });

  it("'and it works' about a web sign-in before security defaults are said off is no before/after account", () => {
    const text =
      "The copiers still log in as the old alias scans@school.example, which is only a proxy address now; the new UPN is scans.main@trust.example. I signed in to Outlook on the web with the new UPN and it works. Security defaults are off, the trust uses Conditional Access. Panels show 'Authentication error'.";
    expect(fired(text)).not.toContain("phrase-security-defaults");
  });

  it("a fix from an earlier episode ('it worked for months after') is no fix of the current failure", () => {
    const text =
      "The password expired in the summer; we re-entered the new password then and it worked for months after. Since Monday the software shows 'Send failed (-3)'. The 2012 server has only the TLS 1.0 client enabled under SCHANNEL\\Protocols, and the same software on Server 2022 sends fine.";
    expect(fired(text)).not.toContain("fix-worked-wrong_credentials");
    expect(top(text)).toBe("tls_version");
  });

  it("'nothing in the authentication policy list' negates an authentication policy", () => {
    const text =
      "The accounting program shows 'SMTP login failed'. Nothing in the Exchange authentication policy list either. The Message center said Basic authentication for SMTP AUTH would be switched off this month; Thunderbird with OAuth2 sends fine for the same mailbox, with Normal password it fails.";
    expect(fired(text)).not.toContain("words-auth-policy");
    expect(top(text)).toBe("basic_auth_disabled_or_retired");
  });

  it("a token said to be issued for another account than the XOAUTH2 user is a token for the wrong account", () => {
    const text =
      "AUTH XOAUTH2 with user=alerts@contoso.com, but the access token was issued when bob@contoso.com signed in on the consent screen. Reply: 535 5.7.3 Authentication unsuccessful";
    expect(top(text)).toBe("wrong_credentials");
  });

  it("no app password option, in German, French or Spanish, is MFA that is not per-user", () => {
    for (const text of [
      "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria. Wollte ein App-Kennwort anlegen, die Option gibt es nicht.",
      "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria. Le mot de passe d'application est introuvable dans Informations de sécurité.",
      "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria. La contraseña de aplicación no aparece en Información de seguridad.",
    ]) {
      expect(fired(text)).toContain("words-mfa-not-per-user");
    }
  });

  it("reads an MSP's other customers as a group apart from the failing tenant (blind set 111)", () => {
    const reply =
      "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.";
    const en = `We look after about 40 tenants. New customer, tenant a month old, their billing app fails:\n${reply}\nSMTP AUTH is on for the org and the mailbox. At our other customers we turned security defaults off and run everything through Conditional Access. In this tenant, Security defaults still says Enabled, nobody has touched it yet.`;
    const fr = `Nous gérons une vingtaine de tenants. Nouveau client :\n${reply}\nChez nos autres clients on a désactivé les paramètres de sécurité par défaut et on utilise l'accès conditionnel. Ici, "Paramètres de sécurité par défaut" est toujours sur Activé.`;
    expect(diagnose(en).causes[0]!.id).toBe("security_defaults_enabled");
    expect(diagnose(fr).causes[0]!.id).toBe("security_defaults_enabled");
  });

  it("reads the mailbox's box not ticked in Dutch and Japanese, and SMTP AUTH on at the org level as the organisation's (sets 111, 113)", () => {
    const reply =
      "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.";
    const nl = `Nieuw account facturen@contoso.nl:\n${reply}\nGecontroleerd: SMTP AUTH voor de organisatie toegestaan, standaardbeveiliging uit. Bij het account staat het vinkje bij "Geverifieerde SMTP" niet aan, de andere vinkjes wel.`;
    expect(diagnose(nl).causes[0]!.id).toBe("smtp_auth_disabled_mailbox");
    const ja = `${reply}\n管理センターで「メール アプリの管理」を開くと「認証済み SMTP」のチェックだけが外れていました。`;
    expect(diagnose(ja).causes[0]!.id).toBe("smtp_auth_disabled_mailbox");
    const org = `${reply}\nOur baseline disabled SMTP AUTH for every mailbox except an allow-list, and hr@contoso.com is not on it. The org-level setting still shows SMTP AUTH enabled.`;
    const d = diagnose(org);
    expect(d.causes[0]!.id).toBe("smtp_auth_disabled_mailbox");
    expect(d.fired.map((f) => f.id)).not.toContain("words-smtp-auth-on");
  });

  it("does not blame the mechanism when the EHLO reply the client answered offered no AUTH at all (set 112)", () => {
    const rails =
      "Net::SMTPAuthenticationError: 504 5.7.4 Unrecognized authentication type\nauthentication: :plain, enable_starttls_auto: false\nEHLO test\n250-BL1PR13CA0088.outlook.office365.com Hello\n250-SIZE 157286400\n250-STARTTLS\n250 SMTPUTF8";
    expect(diagnose(rails).causes[0]!.id).toBe("starttls_required");
  });

  it("reads the account a token was acquired for, told in a log line, against the mailbox it authenticates as (set 112)", () => {
    const log =
      "info: TokenProvider: Acquired token silently for account admin.jlee@contoso.com\ninfo: Sender: Authenticating as helpdesk@contoso.com via XOAUTH2\nMailKit.Security.AuthenticationException: 535: 5.7.3 Authentication unsuccessful";
    expect(diagnose(log).causes[0]!.id).toBe("wrong_credentials");
  });
});
