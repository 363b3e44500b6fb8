/**
 * normalise(): what pastes do to a reply, undone, with exact outputs.
 */
import { describe, expect, it } from "vitest";
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

  it("turns smart quotes into plain ones", () => {
    expect(normalise("organization\u2019s \u201csecurity defaults\u201d").flat).toBe(
      'organization\'s "security defaults"',
    );
  });
});
