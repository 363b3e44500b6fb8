import { describe, expect, it } from "vitest";
import { extract, unescapeText } from "../../cli/doctor/extract.ts";

describe("extract: client wrappings", () => {
  it("nodemailer Invalid login with response/responseCode/command", () => {
    const e = extract(
      "Error: Invalid login: 535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [PN0PR01CA0024.INDPRD01.PROD.OUTLOOK.COM 2025-01-26T18:54:30.055Z 08DD3DD7D75D7743]\n" +
        "  code: 'EAUTH',\n  response: '535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [PN0PR01CA0024.INDPRD01.PROD.OUTLOOK.COM 2025-01-26T18:54:30.055Z 08DD3DD7D75D7743]',\n  responseCode: 535,\n  command: 'AUTH LOGIN' }",
    );
    expect(e.replies).toEqual([
      {
        code: 535,
        enhanced: "5.7.139",
        text: "Authentication unsuccessful, basic authentication is disabled. [PN0PR01CA0024.INDPRD01.PROD.OUTLOOK.COM 2025-01-26T18:54:30.055Z 08DD3DD7D75D7743]",
        echoed: false,
      },
    ]);
    expect(e.client).toBe("nodemailer");
    expect(e.stage).toBe("auth");
    expect(e.authMechanism).toBe("LOGIN");
    expect(e.serverId).toBe("PN0PR01CA0024.INDPRD01.PROD.OUTLOOK.COM");
    expect(e.timestamp).toBe("2025-01-26T18:54:30.055Z");
    expect(e.requestId).toBe("08DD3DD7D75D7743");
  });

  it(".NET SmtpException: the echoed 535 inside 5.7.57 (the dropped 530 is read back from .NET's sentence)", () => {
    const e = extract(
      "System.Net.Mail.SmtpException: The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [XX0PR01CA0001.eurprd01.prod.exchangelabs.com 2025-01-26T18:54:30.055Z 08DD3DD7D75D7743]",
    );
    expect(e.replies).toEqual([
      { code: 530, enhanced: "5.7.57", text: "Client not authenticated to send mail.", echoed: false },
      {
        code: 535,
        enhanced: "5.7.139",
        text: "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [XX0PR01CA0001.eurprd01.prod.exchangelabs.com 2025-01-26T18:54:30.055Z 08DD3DD7D75D7743]",
        echoed: true,
      },
    ]);
    expect(e.client).toBe("dotnet");
    expect(e.stage).toBe("mail");
    expect(e.serverId).toBe("XX0PR01CA0001.eurprd01.prod.exchangelabs.com");
  });

  it("Python smtplib tuple with bytes, escaped quotes and \\n", () => {
    const e = extract(
      'smtplib.SMTPAuthenticationError: (535, b"5.7.139 Authentication unsuccessful, user is locked by your organization\\\'s security defaults policy. Contact your administrator. [SN7PR04CA0123.namprd04.prod.outlook.com 2024-05-01T10:00:00.000Z 08DC69A1B2C3D4E5]")',
    );
    expect(e.replies).toEqual([
      {
        code: 535,
        enhanced: "5.7.139",
        text: "Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator. [SN7PR04CA0123.namprd04.prod.outlook.com 2024-05-01T10:00:00.000Z 08DC69A1B2C3D4E5]",
        echoed: false,
      },
    ]);
    expect(e.client).toBe("python-smtplib");
    expect(e.stage).toBe("auth");
  });

  it("Python SMTPDataError wrapped with literal \\n inside the bytes", () => {
    const e = extract(
      "smtplib.SMTPDataError: (554, b'5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied;\\nFailed to process message')",
    );
    expect(e.replies[0]).toEqual({
      code: 554,
      enhanced: "5.2.0",
      text: "STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied;",
      echoed: false,
    });
    expect(e.stage).toBe("data");
  });

  it("JavaMail AuthenticationFailedException", () => {
    const e = extract(
      "javax.mail.AuthenticationFailedException: 535 5.7.3 Authentication unsuccessful [SN4PR0501CA0054.namprd05.prod.outlook.com]\n\tat com.sun.mail.smtp.SMTPTransport$Authenticator.authenticate(SMTPTransport.java:965)",
    );
    expect(e.replies).toEqual([
      {
        code: 535,
        enhanced: "5.7.3",
        text: "Authentication unsuccessful [SN4PR0501CA0054.namprd05.prod.outlook.com]",
        echoed: false,
      },
    ]);
    expect(e.client).toBe("javamail");
    expect(e.stage).toBe("auth");
    expect(e.serverId).toBe("SN4PR0501CA0054.namprd05.prod.outlook.com");
    expect(e.timestamp).toBeNull();
  });

  it("MailKit AuthenticationException with '535:' prefix", () => {
    const e = extract(
      "MailKit.Security.AuthenticationException: 535: 5.7.3 Authentication unsuccessful [AM0PR06CA0126.eurprd06.prod.outlook.com 2024-02-14T14:50:26.590Z 08DC2D372B4C3DED]",
    );
    expect(e.replies).toEqual([
      {
        code: 535,
        enhanced: "5.7.3",
        text: "Authentication unsuccessful [AM0PR06CA0126.eurprd06.prod.outlook.com 2024-02-14T14:50:26.590Z 08DC2D372B4C3DED]",
        echoed: false,
      },
    ]);
    expect(e.client).toBe("mailkit");
    expect(e.stage).toBe("auth");
  });

  it("PHPMailer debug transcript: stage from the last client command, EHLO lines are not errors", () => {
    const e = extract(
      [
        "2020-02-11 09:49:51 SERVER -> CLIENT: 220 AM0PR10CA0034.outlook.office365.com Microsoft ESMTP MAIL Service ready",
        "2020-02-11 09:49:51 CLIENT -> SERVER: STARTTLS",
        "2020-02-11 09:49:51 SERVER -> CLIENT: 220 2.0.0 SMTP server ready",
        "2020-02-11 09:49:52 SERVER -> CLIENT: 250-AM0PR10CA0034.outlook.office365.com Hello [198.51.100.7]",
        "250-AUTH LOGIN XOAUTH2",
        "2020-02-11 09:49:52 CLIENT -> SERVER: AUTH LOGIN",
        "2020-02-11 09:49:52 SERVER -> CLIENT: 334 VXNlcm5hbWU6",
        "2020-02-11 09:49:52 CLIENT -> SERVER: <credentials hidden>",
        "2020-02-11 09:49:57 SERVER -> CLIENT: 535 5.7.3 Authentication unsuccessful [AM0PR10CA0034.eurprd10.prod.outlook.com]",
        "2020-02-11 09:49:57 SMTP ERROR: Password command failed: 535 5.7.3 Authentication unsuccessful [AM0PR10CA0034.eurprd10.prod.outlook.com]",
      ].join("\n"),
    );
    expect(e.replies).toEqual([
      {
        code: 535,
        enhanced: "5.7.3",
        text: "Authentication unsuccessful [AM0PR10CA0034.eurprd10.prod.outlook.com]",
        echoed: false,
      },
    ]);
    expect(e.client).toBe("phpmailer");
    expect(e.stage).toBe("auth");
    expect(e.authMechanism).toBe("LOGIN");
    expect(e.tlsStarted).toBe(true);
  });

  it("continuation lines 535-… are merged into one reply", () => {
    const e = extract(
      "S: 535-5.7.139 Authentication unsuccessful, the request did not meet\nS: 535 5.7.139 the criteria to be authenticated successfully. Contact your administrator.",
    );
    expect(e.replies).toEqual([
      {
        code: 535,
        enhanced: "5.7.139",
        text: "Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.",
        echoed: false,
      },
    ]);
  });

  it("XOAUTH2 transcript marks OAuth and the mechanism", () => {
    const e = extract(
      "C: AUTH XOAUTH2 dXNlcj1zY2FubmVyQGNvbnRvc28uY29tAWF1dGg9QmVhcmVyIDxtYXNrZWQ+AQE=\nS: 535 5.7.3 Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]",
    );
    expect(e.authMechanism).toBe("XOAUTH2");
    expect(e.oauth).toBe(true);
    expect(e.stage).toBe("auth");
  });

  it("OAuth named as a plan, an option a product has, advice or other apps' login is not the login in use", () => {
    for (const text of [
      "535 5.7.3 Authentication unsuccessful. Our copier has an OAuth option only in the newer firmware.",
      "535 5.7.3 Authentication unsuccessful. Someone told me OAuth2 is more secure, but this box only knows a password.",
      "535 5.7.3 Authentication unsuccessful. We'll move it to OAuth next quarter.",
      "535 5.7.3 Authentication unsuccessful. All the other OAuth apps in the tenant keep working.",
      "535 5.7.3 Authentication unsuccessful. La nuova versione supporta OAuth2 ma costa.",
    ]) {
      const e = extract(text);
      expect([text, e.oauth, e.authMechanism]).toEqual([text, false, null]);
    }
    // The login in use still counts.
    expect(
      extract("Authentication method: OAuth 2.0 (Microsoft 365). 535 5.7.3 Authentication unsuccessful").oauth,
    ).toBe(true);
    expect(extract("SMTP send with OAuth credentials fails: 535 5.7.3 Authentication unsuccessful").oauth).toBe(true);
  });

  it("the port of an HTTPS endpoint (the token service) is not the SMTP port", () => {
    expect(
      extract(
        "HTTPSConnectionPool(host='login.microsoftonline.com', port=443): Max retries exceeded (Caused by ConnectTimeoutError)",
      ).port,
    ).toBe(null);
    expect(extract("smtp settings: host smtp.office365.com, port = 465, ssl on").port).toBe(465);
  });

  it("version numbers and ports are not replies", () => {
    const e = extract(
      "MailKit, 4.3.0,\nMicrosoft.Identity.Client, 4.59.0\nOpenCTI 5.7.3\nport: 587\nnodemailer (6.8.0; +https://nodemailer.com/)",
    );
    expect(e.replies).toEqual([]);
    expect(e.port).toBe(587);
  });

  it("TLS and socket failures", () => {
    expect(extract("Error: 1408F10B:SSL routines:ssl3_get_record:wrong version number").tlsError).toBe(
      "wrong-version-number",
    );
    expect(
      extract("The client and server cannot communicate, because they do not possess a common algorithm").tlsError,
    ).toBe("no-common-algorithm");
    const t = extract("Error: connect ETIMEDOUT 52.96.184.50:465");
    expect(t.networkError).toBe("ETIMEDOUT");
    expect(t.port).toBe(465);
    expect(t.stage).toBe("connect");
  });

  it("consumer accounts and hosts", () => {
    const e = extract(
      "host: smtp-mail.outlook.com\nusername: someone@hotmail.co.uk\n535 5.7.139 Authentication unsuccessful, basic authentication is disabled.",
    );
    expect(e.consumerAccount).toBe(true);
    expect(e.host).toBe("smtp-mail.outlook.com");
    expect(e.addresses).toEqual(["someone@hotmail.co.uk"]);
  });

  it("unescapeText handles JSON-in-JSON and Python reprs", () => {
    expect(unescapeText("a\\\\nb \\'c\\'")).toBe("a\nb 'c'");
    // Python joins adjacent bytes literals split over lines; so does the normaliser.
    expect(
      unescapeText("(535, b'5.7.139 Authentication unsuccessful, the request did not meet the '\n    b'criteria')"),
    ).toBe("(535, 5.7.139 Authentication unsuccessful, the request did not meet the criteria')");
  });

  it("never throws on odd input", () => {
    for (const s of ["", "   ", "\u0000\u0001", "5", "535", "[[[[", "x".repeat(100_000)])
      expect(() => extract(s)).not.toThrow();
  });
});
