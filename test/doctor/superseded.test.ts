import { describe, expect, it } from "vitest";
import { dropSuperseded } from "../../cli/doctor/superseded.ts";

describe("dropSuperseded", () => {
  it("blanks an earlier error up to 'now' and keeps the length and lines", () => {
    const text = "We had 530 5.7.57 before, fixed by enabling auth. Now we get 535 5.7.3 Authentication unsuccessful";
    const out = dropSuperseded(text);
    expect(out.length).toBe(text.length);
    expect(out).not.toContain("5.7.57");
    expect(out).toContain("Now we get 535 5.7.3 Authentication unsuccessful");
  });

  it("blanks a quoted block marked fixed, not a quoted block without a marker", () => {
    const fixed =
      "> 421 4.7.66 TLS 1.0 and 1.1 are not supported\n> -> FIXED\nToday: 535 5.7.3 Authentication unsuccessful";
    expect(dropSuperseded(fixed).split("\n")[0]!.trim()).toBe("");
    const forwarded = "> 535 5.7.3 Authentication unsuccessful\n> Thanks, Karen";
    expect(dropSuperseded(forwarded)).toBe(forwarded);
  });

  it("leaves the text alone when nothing is marked, or when no error would be left", () => {
    expect(dropSuperseded("535 5.7.3 Authentication unsuccessful")).toBe("535 5.7.3 Authentication unsuccessful");
    const only = "535 5.7.3 Authentication unsuccessful was fixed by resetting the password";
    expect(dropSuperseded(only)).toBe(only);
    // A fix sentence without an error in it is the reporter's words, kept.
    const words = "Fixed the DNS. Still 535 5.7.3 Authentication unsuccessful";
    expect(dropSuperseded(words)).toBe(words);
  });

  it("reads a large paste in linear time", () => {
    const text = "we had 535 5.7.3 before, fixed it, now 421 4.3.2 Service not available\n".repeat(3000);
    const t0 = performance.now();
    expect(dropSuperseded(text)).toContain("421 4.3.2");
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe("dropSuperseded keeps a resolved report's only reply", () => {
  it("does not drop a reply whose own line says it was fixed when only generic words remain", () => {
    const text =
      "Error sending mail:\n535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Fixed by enabling SMTP AUTH.";
    expect(dropSuperseded(text)).toBe(text);
  });
});

describe("several attempts stamped with their time", () => {
  it("keeps the last refusal when the refusals differ, and a retry loop as it is", () => {
    const log =
      "[09:12] 535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.\n[09:30] reset the password\n[09:34] 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.";
    const out = dropSuperseded(log);
    expect(out).not.toContain("credentials were incorrect");
    expect(out).toContain("disabled for the Mailbox");
    const retries = "09:12 535 5.7.3 Authentication unsuccessful\n09:13 535 5.7.3 Authentication unsuccessful";
    expect(dropSuperseded(retries)).toBe(retries);
  });
});
