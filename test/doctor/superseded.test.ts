import { describe, expect, it } from "vitest";
import { diagnose } from "../../cli/doctor/diagnose.ts";
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

describe("a story of errors whose last is the current one (blind set 87)", () => {
  it("blanks the earlier, different errors and the fixes told before the current one", () => {
    const text = `A week ago the NAS test mail gave "421 4.7.66 TLS 1.0 and 1.1 are not supported." I updated DSM and that message doesn't come back any more.

Now the test mail says:
535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy.`;
    const out = dropSuperseded(text);
    expect(out.length).toBe(text.length);
    expect(out).not.toContain("4.7.66");
    expect(out).toContain("security defaults policy");
    expect(diagnose(text).causes[0]?.id).toBe("security_defaults_enabled");
  });

  it("reads a dated list and a log whose lines carry dates, the last entry current", () => {
    const days = `Mon: "451 5.7.3 STARTTLS is required" -> ticked STARTTLS in the CRM. Gone.
Tue: "535 5.7.3 Authentication unsuccessful" -> logged in as the shared mailbox; switched to my own account. Gone.
Wed (today, still): 554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied`;
    expect(dropSuperseded(days)).not.toContain("STARTTLS is required");
    expect(diagnose(days).causes[0]?.id).toBe("send_as_permission");
    const log = `2024-06-03 22:00:01 WARN send failed host=old-01: 421 4.7.66 TLS 1.0 and 1.1 are not supported.
-- old-01 decommissioned, job moved to worker-05 --
2024-06-04 22:00:02 WARN send failed host=worker-05: 535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.`;
    expect(dropSuperseded(log)).not.toContain("4.7.66");
  });

  it("keeps the order alone in an experiment, a chain quoted newest first, a question, and an error told as past", () => {
    const experiment = `535 5.7.139 Authentication unsuccessful, basic authentication is disabled.
When I try to send without the user and password, then I'm getting 530 5.7.57 Client not authenticated to send mail.`;
    expect(dropSuperseded(experiment)).toBe(experiment);
    const chain = `It's still failing now: 550 5.7.30 Basic authentication is not supported for Client Submission.
> From: MSP Support
> Sent: 03 March 2026
> The 550 looks like a sending limit.`;
    expect(dropSuperseded(chain)).toBe(chain);
    const question = `Now, every time: 421 4.7.66 TLS 1.0 and 1.1 are not supported.
Is it the 5.7.57 thing again?`;
    expect(dropSuperseded(question)).toBe(question);
    const past = `The server now says 550 5.7.60 SMTP; Client does not have permissions to send as this sender.
Also saw some 4.4.7 delays in message trace
on Saturday during the cutover but those cleared.`;
    expect(dropSuperseded(past)).toContain("5.7.60");
  });

  it("reads an error wrapped over two lines as one, an experiment as no later state, a bare 'same 550' as the same error", () => {
    const wrapped = `Last month we had "421 4.3.2 Service not available" - fixed that by restarting the proxy.
Now we get this:
Error #01: failed to authenticate SMTP client: 504 5.7.4
Unrecognized authentication type [AM0PR10CA0128.EURPRD10.PROD.OUTLOOK.COM]`;
    const out = dropSuperseded(wrapped);
    expect(out).toContain("504 5.7.4");
    expect(out).not.toContain("4.3.2");
    const experiment = `2026-11-30T09:41:07Z ERROR [mailer] 535 5.7.139 Authentication unsuccessful, basic authentication is disabled.
2026-11-30T09:41:07Z ERROR [mailer] When I try to send without basic authentication, I get this:
2026-11-30T09:41:07Z ERROR [mailer] 530 5.7.57 Client not authenticated to send mail.`;
    expect(dropSuperseded(experiment)).toContain("basic authentication is disabled");
    const same = `SMTP error 550: 5.7.60 SMTP; Client does not have permissions to send as this sender
Settings in the platform now: From tickets@contoso.com.
[L1] Reset the password, same 550.
[L2] 550 is usually a spam block.`;
    expect(dropSuperseded(same)).toContain("5.7.60");
  });

  it("reads 'fixed' in 'exceeds fixed maximum message size' as the reply's words, not a fix", () => {
    const text = "Auth succeeds.\n552 5.3.4 Message size exceeds fixed maximum message size";
    expect(dropSuperseded(text)).toBe(text);
  });

  it("reads the story's lines where a log or a page escaped the breaks (\\n in JSON, <br>)", () => {
    const json = String.raw`{"msg":"A week ago: 421 4.7.66 TLS 1.0 and 1.1 are not supported. I updated DSM and that message doesn't come back.\nNow the test mail says:\n535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy."}`;
    const out = dropSuperseded(json);
    expect(out.length).toBe(json.length);
    expect(out).not.toContain("4.7.66");
    const html =
      "A week ago: 421 4.7.66 TLS 1.0 and 1.1 are not supported. Fixed by a firmware update.<br>Now it says:<br>535 5.7.3 Authentication unsuccessful";
    expect(dropSuperseded(html)).not.toContain("4.7.66");
  });

  it("reads numbered attempts as entries, the error under each stamp as its own", () => {
    const text = `Try 1 (port 25, no TLS):
  451 5.7.3 STARTTLS is required to send mail
-> moved the tool to 587 with STARTTLS
Try 2 (587, STARTTLS):
  535 5.7.3 Authentication unsuccessful`;
    const out = dropSuperseded(text);
    expect(out).not.toContain("STARTTLS is required");
    expect(out).toContain("535 5.7.3");
    const hashes =
      "#1 01:00 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. -> fixed next day\n#2 01:00 OK\n#3 01:00 4.7.0 Temporary server error. Please try again later. PRX4\n#4 01:15 OK";
    expect(dropSuperseded(hashes)).not.toContain("disabled for the Tenant");
  });

  it("an error that was the reason for an upgrade is behind the reporter", () => {
    const text = `Log after upgrading: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.
- The old version used port 25 and got "451 5.7.3 STARTTLS is required to send mail", which is why we upgraded.`;
    const out = dropSuperseded(text);
    expect(out).not.toContain("STARTTLS is required");
    expect(out).toContain("disabled for the Tenant");
  });
});

describe("a log shown newest first", () => {
  it("takes the latest stamp as the current error, whatever the order of the lines (set 116)", () => {
    const older =
      "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy.";
    const newer =
      "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.";
    const event = (when: string, reply: string) => `Error  ${when}  LabelMailer  Send failed: ${reply}`;
    const viewer = [
      "Event Viewer, newest first:",
      event("21.08.2024 07:31:12", newer),
      event("21.08.2024 07:01:10", newer),
      event("20.08.2024 11:12:44", older),
      event("20.08.2024 10:42:41", older),
      "Security defaults were turned off yesterday and the software moved to a new account.",
    ].join("\n");
    expect(diagnose(viewer).causes[0]!.id).toBe("smtp_auth_disabled_mailbox");
    const iso = [
      "Mail log (newest first):",
      `2024-05-16 09:12:03 ERROR 554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Cannot submit message.`,
      `2024-05-14 16:20:11 ERROR ${newer}`,
    ].join("\n");
    expect(diagnose(iso).causes[0]!.id).toBe("send_as_permission");
  });
});

describe("an earlier refusal that shares a code with the current one", () => {
  it("tells a STARTTLS refusal from a later AUTH refusal with the same 5.7.3 (set 116)", () => {
    const story = [
      'Week 1: "451 5.7.3 STARTTLS is required to send mail" - connection security was None. Set it to STARTTLS, worked.',
      "Week 3: the account was renamed from anna.berg@contoso.se to anna.lind@contoso.se.",
      'Since then Thunderbird says "The Outgoing server (SMTP) smtp.office365.com responded: 5.7.3 Authentication unsuccessful". The user name is still anna.berg@contoso.se.',
    ].join("\n");
    expect(diagnose(story).causes[0]!.id).toBe("wrong_credentials");
  });
});
