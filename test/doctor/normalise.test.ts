/**
 * normalise(): what pastes do to a reply, undone, with exact outputs.
 */
import { describe, expect, it } from "vitest";
import { diagnose } from "../../cli/doctor/diagnose.ts";
import { dotnetWrapperCode, normalise } from "../../cli/doctor/normalise.ts";

const REASON = "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria";

describe("normalise", () => {
  it("unescapes HTML entities, also double-escaped, and drops tags", () => {
    expect(
      normalise("<p>535 5.7.139 user is locked by your organization&amp;#39;s security defaults&nbsp;policy</p>").flat,
    ).toBe("535 5.7.139 user is locked by your organization's security defaults policy");
  });

  it("unescapes JSON strings, including JSON-in-JSON and \\u escapes", () => {
    expect(normalise('{"message":"Invalid login: 535 5.7.3 Authentication unsuccessful\\\\n\\u00a0[X]"}').text).toBe(
      '{"message":"Invalid login: 535 5.7.3 Authentication unsuccessful\n [X]"}',
    );
  });

  it("joins a Python bytes tuple split over lines, as Python joins adjacent literals", () => {
    const n = normalise(
      "smtplib.SMTPAuthenticationError: (535, b'5.7.139 Authentication unsuccessful, the request did not meet the '\n    b'criteria to be authenticated successfully.')",
    );
    expect(n.flat).toBe(
      "smtplib.SMTPAuthenticationError: (535, 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.')",
    );
    expect(n.body).toBe(
      "(535, 5.7.139 authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.')",
    );
  });

  it("maps NBSP, thin and ideographic spaces to a space, drops zero-width characters and collapses runs", () => {
    expect(normalise(`535\u00a05.7.139\u2009Authentication\u3000unsuccess\u200bful,  the\t\trequest`).flat).toBe(
      "535 5.7.139 Authentication unsuccessful, the request",
    );
  });

  it("joins hard-wrapped lines, and glues a word broken across a line for phrase matching", () => {
    const n = normalise(
      "535 5.7.139 Authentication unsuccessful, the request did not meet the crit\neria to be authenticated",
    );
    expect(n.text).toBe(
      "535 5.7.139 Authentication unsuccessful, the request did not meet the crit eria to be authenticated",
    );
    expect(n.glued).toContain("didnotmeetthecriteriatobeauthenticated");
    expect(n.joined).toBe(
      "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated",
    );
  });

  it("keeps transcript lines apart", () => {
    expect(normalise("C: AUTH LOGIN\nS: 535 5.7.3 Authentication unsuccessful").text).toBe(
      "C: AUTH LOGIN\nS: 535 5.7.3 Authentication unsuccessful",
    );
  });

  it("strips markdown fences, quote markers and inline code", () => {
    expect(normalise(`> Here:\n> \`\`\`text\n> ${REASON}\n> \`\`\`\nand \`5.7.139\``).text).toBe(
      `Here:\n\n${REASON}\n\nand 5.7.139`,
    );
  });

  it("removes client wrappers from the body the phrases are read from, and keeps the code they stand for", () => {
    const text =
      "System.Net.Mail.SmtpException: Mailbox unavailable. The server response was: 5.7.60 SMTP; Client does not have permissions to send as this sender";
    expect(normalise(text).body).toBe(
      "system.net.mail.smtpexception: 5.7.60 smtp; client does not have permissions to send as this sender",
    );
    expect(dotnetWrapperCode(text)).toBe(550);
    expect(normalise("javax.mail.AuthenticationFailedException: 535 5.7.3 Authentication unsuccessful").body).toBe(
      "535 5.7.3 authentication unsuccessful",
    );
    expect(dotnetWrapperCode("535 5.7.3 Authentication unsuccessful")).toBeNull();
  });

  it("joins a multi-line reply (535-… then 535 …) into one, and leaves 250- capability lines apart", () => {
    expect(
      normalise(
        "535-5.7.139 Authentication unsuccessful, the user\n535 5.7.139 credentials were incorrect. [AB1PR01CA0001.outlook.com]",
      ).text,
    ).toBe("535 5.7.139 Authentication unsuccessful, the user credentials were incorrect. [AB1PR01CA0001.outlook.com]");
    expect(normalise("S: 535-5.7.8 Username and Password not accepted.\nS: 535 5.7.8 Learn more at x").text).toBe(
      "S: 535 5.7.8 Username and Password not accepted. Learn more at x",
    );
    expect(normalise("S: 250-STARTTLS\nS: 250 SIZE 157286400").text).toBe("S: 250-STARTTLS\nS: 250 SIZE 157286400");
  });

  it("joins a reply wrapped right after its code, but not a version number ending a line", () => {
    expect(normalise('error via SMTP: "5.7.57\nClient not authenticated to send mail"').flat).toBe(
      'error via SMTP: "5.7.57 Client not authenticated to send mail"',
    );
    expect(normalise("Microsoft.Identity.Client, 4.59.0\nOpenCTI 5.7.3\nport: 587").text).toBe(
      "Microsoft.Identity.Client, 4.59.0\nOpenCTI 5.7.3\nport: 587",
    );
  });

  it("joins a line broken at a hyphen without a space", () => {
    expect(normalise("openssl s_client -connect smtp.office365.com:587 -\nstarttls smtp -quiet").flat).toBe(
      "openssl s_client -connect smtp.office365.com:587 -starttls smtp -quiet",
    );
  });

  it("joins Chinese or Japanese broken across a line without a space (无\\n法 is one word)", () => {
    expect(normalise("但是twikoo无\n法使用oauth2认证方式").flat).toBe("但是twikoo无法使用oauth2认证方式");
    expect(normalise("認証に\n失敗しました").flat).toBe("認証に失敗しました");
  });

  it("unescapes JSON nested two levels down", () => {
    const twice = JSON.stringify(JSON.stringify({ response: 'we enabled "secure defaults"\nrecently' }));
    expect(normalise(twice).flat).toBe('"{"response":"we enabled "secure defaults" recently"}"');
  });

  it("turns smart quotes into plain ones", () => {
    expect(normalise("organization\u2019s \u201csecurity defaults\u201d").flat).toBe(
      'organization\'s "security defaults"',
    );
  });

  // Localised .NET Framework sentences as captured in Microsoft's localised docs (sources in normalise.ts).
  it.each([
    [
      "de",
      "Für den SMTP-Server ist eine sichere Verbindung erforderlich, oder der Client wurde nicht authentifiziert. Die Serverantwort war:",
      530,
    ],
    [
      "fr",
      "Le serveur SMTP requiert une connexion sécurisée ou le client n'était pas authentifié. La réponse du serveur était :",
      530,
    ],
    [
      "es",
      "El servidor SMTP requiere una conexión segura o el cliente no se autenticó. La respuesta del servidor fue:",
      530,
    ],
    [
      "it",
      "Il server SMTP richiede una connessione protetta oppure il client non è stato autenticato. Risposta del server:",
      530,
    ],
    [
      "pt",
      "o servidor SMTP requer uma conexão segura ou o cliente não foi autenticado. A resposta do servidor foi:",
      530,
    ],
    [
      "ja",
      "SMTP サーバーにセキュリティで保護された接続が必要であるか、またはクライアントが認証されていません。 サーバーの応答内容:",
      530,
    ],
    ["zh", "SMTP 服务器要求安全连接或客户端未通过身份验证。 服务器响应为:", 530],
  ] as const)(
    "reads the %s 'secure connection' sentence as 530 and diagnoses the reply it wraps",
    (_lang, wrapper, code) => {
      const text = `System.Net.Mail.SmtpException: ${wrapper} 5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM`;
      expect(dotnetWrapperCode(text)).toBe(code);
      expect(normalise(text).body).toBe(
        "system.net.mail.smtpexception: 5.7.57 smtp; client was not authenticated to send anonymous mail during mail from",
      );
      expect(diagnose(text).causes[0]!.id).toBe("not_authenticated_anonymous_send");
    },
  );

  it.each([
    ["de", "Postfach nicht verfügbar. Die Serverantwort war:"],
    ["fr", "boîte aux lettres non disponible. La réponse du serveur était :"],
    ["pt", "caixa de correio indisponível. A resposta do servidor foi:"],
    ["ja", "メールボックスが使用できません。 サーバーの応答内容:"],
    ["zh", "邮箱不可用。 服务器响应为:"],
  ] as const)("reads the %s 'Mailbox unavailable' sentence as 550, not as a mailbox problem", (_lang, wrapper) => {
    const text = `System.Net.Mail.SmtpException: ${wrapper} 5.7.60 SMTP; Client does not have permissions to send as this sender`;
    expect(dotnetWrapperCode(text)).toBe(550);
    expect(diagnose(text).causes[0]!.id).toBe("send_as_permission");
  });
});

describe("log-line prefixes", () => {
  it("strips the prefix every line repeats and keeps its dates", () => {
    const n = normalise(
      [
        "2027-01-06T09:41:07.512Z ERROR [mailer] SMTP settings:",
        "2027-01-06T09:41:07.513Z ERROR [mailer] Authentication: NTLM",
        "2027-01-06T09:41:08.001Z ERROR [mailer] 535 5.7.3 Authentication unsuccessful",
      ].join("\n"),
    );
    expect(n.text).toBe("SMTP settings:\nAuthentication: NTLM\n535 5.7.3 Authentication unsuccessful");
    expect(n.stamps).toEqual(["2027-01-06"]);
  });

  it("syslog lines lose host and program; a paste where few lines carry a prefix is left alone", () => {
    expect(
      normalise(
        "Mar 02 08:10:01 nas01 msmtp[812]: host=smtp.office365.com tls=on auth=on\nMar 02 08:10:02 nas01 msmtp[812]: 535 5.7.139 Authentication unsuccessful",
      ).text,
    ).toBe("host=smtp.office365.com tls=on auth=on\n535 5.7.139 Authentication unsuccessful");
    const mixed =
      "Our scanner fails since Monday.\nSettings: port 587, STARTTLS\n2026-03-02 08:10:01 INFO sending\nThanks";
    expect(normalise(mixed).text).toBe(mixed);
    expect(normalise(mixed).stamps).toEqual([]);
  });
  it("a log record that starts with a field is a record of its own; one that goes on a sentence or a code is joined", () => {
    const msmtp = [
      "Jan 14 03:00:04 backup01 msmtp: host=smtp.office365.com tls=on auth=on user=backup@contoso.com smtpstatus=451 smtpmsg='451 4.7.0 Temporary server error' exitcode=EX_TEMPFAIL",
      "Jan 14 03:15:04 backup01 msmtp: host=smtp.office365.com tls=on auth=on user=backup@contoso.com smtpstatus=250 exitcode=EX_OK",
    ].join("\n");
    expect(normalise(msmtp).text.split("\n")).toHaveLength(2);
    const journald = [
      "Mar 02 08:10:01 nas01 alerts[812]: Zabbix log: authentication failed: 535 5.7.3",
      "Mar 02 08:10:01 nas01 alerts[812]: Authentication unsuccessful for the alerts account",
    ].join("\n");
    expect(normalise(journald).text).toBe(
      "Zabbix log: authentication failed: 535 5.7.3 Authentication unsuccessful for the alerts account",
    );
  });
});

describe("a reply retyped from a device's screen", () => {
  it("reads an enhanced code written with spaces after a basic code, or with commas", () => {
    expect(normalise("printer shows: 535 5 7 139").flat).toBe("printer shows: 535 5.7.139");
    expect(normalise("451 5 7 3 STARTTLS is required").flat).toBe("451 5.7.3 STARTTLS is required");
    expect(normalise("error 5,7,139 on the panel").flat).toBe("error 5.7.139 on the panel");
    // Three bare numbers, or a list of them, are not a code.
    expect(normalise("rooms 5 7 139 and 12").flat).toBe("rooms 5 7 139 and 12");
    expect(normalise("values 1,5,7,139,2").flat).toBe("values 1,5,7,139,2");
  });

  it("spells a reply line's slipped words as Exchange does, keeping their case", () => {
    expect(normalise("535 5.7.139 Authentication unsucessful, the request did not meet the criterea").text).toBe(
      "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria",
    );
    expect(normalise("530 5.7.57 Client was not authenicated to send anonymous mail").text).toBe(
      "530 5.7.57 Client was not authenticated to send anonymous mail",
    );
    expect(normalise("535 5.7.139 SmtpClientAuthentication is disbled for the Tenant").text).toBe(
      "535 5.7.139 SmtpClientAuthentication is disabled for the Tenant",
    );
  });

  it("leaves other forms of a word, other languages and lines without a code as typed", () => {
    const symfony =
      'Failed to authenticate on SMTP server: Authenticator "LOGIN" returned "535 5.7.3 Authentication unsuccessful"';
    expect(normalise(symfony).text).toBe(symfony);
    expect(normalise("535 5.7.139 Deaktivieren Sie die Sicherheitsstandards").text).toBe(
      "535 5.7.139 Deaktivieren Sie die Sicherheitsstandards",
    );
    expect(normalise("La política de acceso condicional bloquea 535 5.7.139").text).toContain("condicional");
    expect(normalise("we read the criterea page").text).toBe("we read the criterea page");
  });

  it("reads the prose's retyped words beside the text as typed, never instead of it", () => {
    const n = normalise("The copier says the request did not meet the criterea. Acceso condicional está activo.");
    expect(n.body).toContain("criterea");
    expect(n.body).toContain("condicional");
    expect(n.respelt.join(" ")).toContain("did not meet the criteria");
    expect(normalise("nothing retyped here at all").respelt).toEqual([]);
  });

  it("diagnoses a reply retyped with slips as the reply itself", () => {
    const typed = diagnose(
      "the printer says 535 5 7 139 authentication unsucessful the request did not meet the criterea",
    ).causes.slice(0, 2);
    const exact = diagnose(
      "the printer says 535 5.7.139 authentication unsuccessful the request did not meet the criteria",
    ).causes.slice(0, 2);
    expect(typed.map((c) => c.id)).toEqual(exact.map((c) => c.id));
  });
});

describe("codes and names said aloud (call transcripts, voicemail-to-text, dictation)", () => {
  it("reads spoken digit runs as codes, ports and versions", () => {
    expect(normalise("the panel says five three five, five point seven point one three nine").flat).toBe(
      "the panel says 535, 5.7.139",
    );
    expect(normalise("caller read out five three five five seven one three nine").flat).toBe(
      "caller read out 535 5.7.139",
    );
    expect(normalise("it was four five one five point seven point three").flat).toBe("it was 451 5.7.3");
    expect(normalise("error five seven five seven after MAIL FROM").flat).toBe("error 5.7.57 after MAIL FROM");
    expect(normalise("port five eight seven, TLS one point oh only").flat).toBe("port 587, TLS 1.0 only");
    expect(normalise("five oh four five point seven point four").flat).toBe("504 5.7.4");
  });

  it("reads host names, addresses and spelt letters", () => {
    expect(normalise("server is smtp dot office three six five dot com").flat).toBe("server is smtp.office365.com");
    expect(normalise("signed in as j dot doe at fabrikam dot com").flat).toBe("signed in as j.doe@fabrikam.com");
    expect(normalise("look at portal dot azure dot com").flat).toBe("look at portal.azure.com");
    expect(normalise("the S M T P box and the U P N").flat).toBe("the SMTP box and the UPN");
    expect(normalise("we use X O auth two, the star TLS option is on").flat).toBe(
      "we use XOAUTH2, the STARTTLS option is on",
    );
  });

  it("leaves prose numbers, times, verbs that take 'at' and two-letter pairs alone", () => {
    for (const prose of [
      "one or two mailboxes failed at five thirty",
      "Plan A B was fine",
      "mail.smtp.starttls.enable=true and xoauth2",
    ]) {
      expect(normalise(prose).flat).toBe(prose);
    }
  });

  it("a spoken pause is no sentence end", () => {
    expect(normalise("Manage security defaults... yeah, that says Enabled").flat).toBe(
      "Manage security defaults, yeah, that says Enabled",
    );
    expect(normalise("Connecting... Authentication failed").flat).toBe("Connecting... Authentication failed");
  });
});
