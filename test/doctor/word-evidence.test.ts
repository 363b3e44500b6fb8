/**
 * The word lead (cli/doctor/word-evidence.ts): the committed table matches the labelled reports, the
 * ranking is the naive Bayes it claims to be, and the lead only ever fills the runner-up's place.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diagnose } from "../../cli/doctor/diagnose.ts";
import { formatHuman } from "../../cli/doctor/format.ts";
import {
  parseWordTable,
  rankByWords,
  reportWords,
  serialiseWordTable,
  trainWordTable,
} from "../../cli/doctor/word-evidence.ts";
import { wordTableText } from "../../scripts/doctor-word-table.ts";

const root = join(import.meta.dirname, "..", "..");

describe("word lead", () => {
  it("the committed table is the one the labelled reports give (run `npm run doctor:words` after adding reports)", () => {
    expect(readFileSync(join(root, "cli", "doctor", "word-table.txt"), "utf8")).toBe(wordTableText());
  });

  it("reads words from the normalised text: lower-cased, glue words dropped, versions and hosts whole, CJK runs whole and as pairs", () => {
    expect([...reportWords("The client&nbsp;uses TLS 1.0 to smtp.office365.com — 认证失败")].sort()).toEqual([
      "1.0",
      "client",
      "smtp.office365.com",
      "tls",
      "uses",
      "失败",
      "认证",
      "认证失败",
      "证失",
    ]);
  });

  it("ranks by the smoothed likelihood ratios of the words present, with a uniform prior", () => {
    const table = trainWordTable([
      { text: "tls handshake legacy", expected: "tls_version" },
      { text: "tls handshake old runtime", expected: "tls_version" },
      { text: "tls handshake", expected: "tls_version" },
      { text: "starttls port 465", expected: "starttls_required" },
      { text: "starttls port 465 ssl", expected: "starttls_required" },
      { text: "starttls port ssl handshake", expected: "starttls_required" },
      { text: "nothing to learn", expected: "unknown" },
    ]);
    // Words in fewer than three reports are dropped; `unknown` teaches nothing.
    expect([...table.words.keys()].sort()).toEqual(["handshake", "port", "starttls", "tls"]);
    expect([...table.docs]).toEqual([
      ["tls_version", 3],
      ["starttls_required", 3],
    ]);
    const lead = rankByWords("a TLS handshake error", table);
    expect(lead.map((l) => l.id)).toEqual(["tls_version", "starttls_required"]);
    // log((3.5/4)/(3.5/7)) + log((3.5/4)/(4.5/7)) for tls_version; the shares at temperature 3.
    const tls = Math.log(3.5 / 4 / (3.5 / 7)) + Math.log(3.5 / 4 / (4.5 / 7));
    const st = Math.log(0.5 / 4 / (3.5 / 7)) + Math.log(1.5 / 4 / (4.5 / 7));
    const share = 1 / (1 + Math.exp((st - tls) / 3));
    expect(lead[0]!.share).toBeCloseTo(share, 10);
    expect(lead[0]!.words).toEqual(["tls"]);
    expect(rankByWords("nothing known here", table)).toEqual([]);
  });

  it("serialises and parses back to the same table", () => {
    const table = trainWordTable(
      ["a b c", "a b", "a c", "b c d"].map((text, i) => ({ text: `${text} w${i}`, expected: "wrong_credentials" })),
    );
    expect(parseWordTable(serialiseWordTable(table))).toEqual(table);
  });

  it("a report with no reply that nothing recognises lists the words' two leads, marked, before `unknown`", () => {
    const text = "Nothing arrives from the booking system since the weekend; it used the old relay settings.";
    const d = diagnose(text);
    expect(d.fired).toEqual([]);
    const [first, second] = rankByWords(text);
    expect(d.causes.map((c) => c.id)).toEqual([first!.id, second!.id, "unknown"]);
    for (const c of d.causes.slice(0, 2)) {
      expect(c.fromWords).toBe(true);
      expect(c.confidence).toBeGreaterThan(0);
      expect(c.confidence).toBeLessThan(0.12);
      expect(c.reason).toMatch(/^Nothing in the report names a cause, but its words/u);
    }
    expect(d.causes[0]!.confidence).toBeGreaterThanOrEqual(d.causes[1]!.confidence);
    expect(d.causes[2]!.confidence).toBeGreaterThan(0.8);
    // Shown as leads on the terse screen too, not as findings, with what would decide.
    const screen = formatHuman(d);
    expect(screen).toContain(`1. ${first!.id}  (`);
    expect(screen).toContain(`Also possible: ${second!.id} (`);
    expect(screen).toContain("a lead from its words only)");
    expect(screen).toMatch(/^Undecided: the text itself names none of these \(\d+%\): Paste the complete error/mu);
  });

  it("a reply the doctor does not know keeps `unknown` first: that reply is the finding", () => {
    const d = diagnose("Sending failed: 501 5.5.4 Invalid domain name [BL1PR13CA0360.namprd13.prod.outlook.com]");
    expect(d.causes[0]!.id).toBe("unknown");
    expect(d.causes[0]!.reason).toMatch(/^501 5\.5\.4: /u);
  });

  it("never outranks evidence: a decisive reply keeps its cause first and its evidence's runner-up second", () => {
    const d = diagnose(
      "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.",
    );
    expect(d.causes[0]!.id).toBe("smtp_auth_disabled_mailbox");
    expect(d.causes.every((c, i) => i > 0 || c.fromWords === undefined)).toBe(true);
  });
});
