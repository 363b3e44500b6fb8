import { describe, expect, it } from "vitest";
import { diagnose } from "../../cli/doctor/diagnose.ts";
import { restoreLines } from "../../cli/doctor/reflow.ts";

/** Cut every line at `cols` code points, as a log viewer or a fixed-width ticket field does. */
const cutAt = (text: string, cols: number) =>
  text
    .split("\n")
    .map((line) => line.match(new RegExp(`.{1,${cols}}`, "gu"))?.join("\n") ?? line)
    .join("\n");

const STORY = [
  "Printer log, oldest first:",
  "09:12 SMTP send failed: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.",
  "09:20 ticked Authenticated SMTP for scan@contoso.com",
  "09:41 SMTP send failed: 535 5.7.3 Authentication unsuccessful [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]",
  "Now it fails like the last line every time.",
].join("\n");

describe("restoreLines", () => {
  it("joins the pieces of lines cut at a fixed column, and keeps the paste's own breaks", () => {
    for (const cols of [40, 64, 80]) expect(restoreLines(cutAt(STORY, cols)), `${cols}`).toBe(STORY);
  });

  it("joins a quoted reply's pieces after their quote marks, as a mail client quotes each piece", () => {
    const quoted = [
      "Vendor wrote:",
      "> 535 5.7.139 Authentication unsuccessful, the request did not mee",
      "> t the criteria to be authenticated successfully. Contact your ad",
      "> ministrator.",
      "Thanks",
    ].join("\n");
    expect(restoreLines(quoted).split("\n")[1]).toBe(
      "> 535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.",
    );
  });

  it("leaves alone text whose lines end at words, rows of one width, and drawn tables", () => {
    const prose = [
      "Our accounting package changed how it sends invoices. The old server and",
      "password option is gone and it only offers to connect a Microsoft mailbox",
      "instead. When I click it I get a sign-in page and then a consent prompt that",
      "says an administrator must approve it. I sent the request but nothing yet.",
      "Any idea?",
    ].join("\n");
    expect(restoreLines(prose)).toBe(prose);
    const csv = [
      "2025-06-03T05:00:12Z,scanner@fabrikam.de,Failure,50076,Authenticated SMTP",
      "2025-06-03T05:15:12Z,scanner@fabrikam.de,Failure,50076,Authenticated SMTP",
      "2025-06-02T16:40:55Z,scanner@fabrikam.de,Success,0,Browser",
    ].join("\n");
    expect(restoreLines(csv)).toBe(csv);
    const table = ["+------+-------+", "| user | smtp  |", "| scan | False |", "+------+-------+", "ok?"].join("\n");
    expect(restoreLines(table)).toBe(table);
  });

  it("lets a story cut at 40 columns be read as told: the last error is the current one", () => {
    expect(diagnose(STORY).causes[0]!.id).toBe("wrong_credentials");
    expect(diagnose(cutAt(STORY, 40)).causes[0]!.id).toBe("wrong_credentials");
  });
});

describe("restoreLines on a paste whose line breaks were dropped", () => {
  const attempts = [
    "Ticket 4411, scanner cannot send.",
    "",
    "Attempt 1 (port 25):",
    "  451 5.7.3 STARTTLS is required to send mail [LO4P265CA0007.GBRP265.PROD.OUTLOOK.COM]",
    "-> changed the scanner to 587 with STARTTLS",
    "",
    "Attempt 2 (587, STARTTLS):",
    "  535 5.7.3 Authentication unsuccessful [LO4P265CA0033.GBRP265.PROD.OUTLOOK.COM 2025-10-06T10:25:04.055Z 08DD]",
    "",
    "The sign-in log shows 50126, invalid username or password.",
  ].join("\n");
  const log = [
    "2025-10-06 06:00:14 smtp.office365.com:587 421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2. Visit https://aka.ms/smtp_auth_tls",
    "2025-10-06 10:22:51 firmware updated to 3.8.2 (adds TLS 1.2)",
    "2025-10-06 10:25:04 smtp.office365.com:587 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
  ].join("\n");
  const flattened = (t: string) => t.replaceAll("\n", " ");

  it("starts each entry on a line again: blank lines kept as runs of spaces, dated and numbered entries", () => {
    const lines = restoreLines(flattened(attempts)).split("\n");
    expect(lines.filter((l) => /^Attempt \d/u.test(l))).toHaveLength(2);
    // A date inside a reply's diagnostic suffix is no entry.
    expect(lines.some((l) => l.includes("[LO4P265CA0033.GBRP265.PROD.OUTLOOK.COM 2025-10-06T10:25:04.055Z"))).toBe(
      true,
    );
    expect(restoreLines(flattened(log)).split("\n")).toEqual(log.split("\n"));
  });

  it("leaves a short line, and one whose spaces are all doubled, as it is", () => {
    const short = "535 5.7.3 Authentication unsuccessful  Attempt 2: same";
    expect(restoreLines(short)).toBe(short);
    const doubled = "We  get  535  5.7.3  Authentication  unsuccessful  ".repeat(6);
    expect(restoreLines(doubled)).toBe(doubled);
    // A paste's own "$&" or "$'" (PowerShell, a password rule) is text, never a replacement pattern.
    const dollars = `$cred = '$&x$'; Send-MailMessage fails: 535 5.7.3 Authentication unsuccessful. ${"More words here. ".repeat(12)}`;
    expect(restoreLines(`\n${dollars}\n`)).toBe(`\n${dollars}\n`);
  });

  it("lets the story be read as told: the last error is the current one", () => {
    expect(diagnose(flattened(attempts)).causes[0]!.id).toBe("wrong_credentials");
    expect(diagnose(flattened(log)).causes[0]!.id).toBe("smtp_auth_disabled_tenant");
  });
});
