/**
 * The SMTP AUTH clients report export (cli/usage/csv.ts): quoting, a BOM, thousands separators,
 * Basic vs OAuth per sender, an optional date column, and refusals that name file and line.
 */
import { describe, expect, it } from "vitest";
import { csvDay, parseCsv, parseSmtpAuthReport } from "../../cli/usage/csv.ts";

describe("parseSmtpAuthReport", () => {
  it("sums messages per sender and protocol", () => {
    const r = parseSmtpAuthReport(
      '\uFEFF"Sender address","Domain","Authentication protocol","Messages sent"\n' +
        '"Printer@Contoso.com","contoso.com","Basic","1,204"\n' +
        '"scanner@contoso.com","contoso.com","OAuth 2.0","40"\n' +
        '"scanner@contoso.com","contoso.com","Basic","2"\n',
      "r.csv",
    );
    expect(r.hasProtocol).toBe(true);
    expect(r.accounts.map((a) => [a.account, a.mechanism, a.logins])).toEqual([
      ["printer@contoso.com", "basic", 1204],
      ["scanner@contoso.com", "basic", 2],
      ["scanner@contoso.com", "oauth", 40],
    ]);
  });

  it("fills per-day counts and last seen from a date column", () => {
    const r = parseSmtpAuthReport(
      "Date,Sender address,Messages sent\n11/28/2026,printer@contoso.com,3\n2026-11-29,printer@contoso.com,4\n",
      "r.csv",
    );
    expect(r.hasProtocol).toBe(false);
    expect(r.accounts[0]).toMatchObject({
      logins: 7,
      perDay: { "2026-11-28": 3, "2026-11-29": 4 },
      lastSeen: "2026-11-29T00:00:00Z",
    });
  });

  it.each([
    ["Sender address,Messages sent\nprinter,3\n", 'r.csv:2: "printer" is not a sender address'],
    [
      "Sender address,Messages sent\np@contoso.com,three\n",
      'r.csv:2: "Messages sent" must be a whole number, not "three"',
    ],
    ["Date,Sender address\n13/45/2026,p@contoso.com\n", 'r.csv:2: "13/45/2026" is not a date (YYYY-MM-DD or M/D/YYYY)'],
  ])("refuses %j", (text, message) => {
    expect(() => parseSmtpAuthReport(text, "r.csv")).toThrow(`--from-csv ${message}`);
  });
});

describe("parseCsv and csvDay", () => {
  it("reads quoted fields with commas, doubled quotes and CRLF", () => {
    expect(parseCsv('a,"b, c","d ""e"""\r\n\r\n1,2,3')).toEqual([
      ["a", "b, c", 'd "e"'],
      ["1", "2", "3"],
    ]);
  });

  it("normalises ISO and US dates and refuses impossible ones", () => {
    expect([csvDay("2026-11-29T10:00:00Z"), csvDay("1/2/2027"), csvDay("2026-02-30"), csvDay("soon")]).toEqual([
      "2026-11-29",
      "2027-01-02",
      undefined,
      undefined,
    ]);
  });
});
