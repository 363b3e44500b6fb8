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
