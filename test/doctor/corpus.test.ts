/**
 * The published-transcript corpus (test/doctor/corpus/*.yaml): shape checks, and diagnose()'s
 * top-1 / top-2 accuracy against what a careful admin concludes for each case.
 * Thresholds sit just below the measured figures; a rule change that lowers them fails here.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus, rightWithin } from "../../cli/doctor/calibration.ts";
import { CAUSE_IDS } from "../../cli/doctor/causes.ts";
import { diagnose } from "../../cli/doctor/diagnose.ts";

const cases = loadCorpus(join(import.meta.dirname, "corpus"));

describe("corpus shape", () => {
  it("has at least 90 cases with unique ids", () => {
    expect(cases.length).toBeGreaterThanOrEqual(90);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.id, c] as const))("%s is complete and cites its source", (_id, c) => {
    expect(c.source).toMatch(/^https:\/\/\S+$/u);
    // The source thread, for splitting the corpus by thread (calibration.ts).
    expect(c.thread).toMatch(/^(?:github:[\w.-]+\/[\w.-]+(?:#\d+|:\S+)|[\w.-]+\.[a-z]{2,}\/\S*)$/u);
    expect(typeof c.client).toBe("string");
    expect(c.text.trim().length).toBeGreaterThan(10);
    expect(CAUSE_IDS).toContain(c.expected);
    for (const a of c.acceptable ?? []) expect(CAUSE_IDS).toContain(a);
    expect(c.why.length).toBeGreaterThan(10);
    // No live secrets: bearer tokens and passwords must be masked in fixtures. (A reporter's prose after the
    // colon, "Username, Password: Outlook account username and password", is no secret.)
    expect(c.text).not.toMatch(
      /Bearer [A-Za-z0-9._-]{40,}|password\s*[:=]\s*['"]?(?!\*|<|null|\[|outlook account\b)[^\s'"]{6,}/iu,
    );
  });

  it("covers every cause id the text can reveal", () => {
    const covered = new Set(cases.map((c) => c.expected));
    const missing = CAUSE_IDS.filter((id) => id !== "unknown" && !covered.has(id));
    expect(missing).toEqual([]);
  });
});

describe("corpus accuracy", () => {
  const results = cases.map((c) => {
    const causes = diagnose(c.text, { context: c.context ?? "" }).causes;
    return {
      id: c.id,
      expected: c.expected,
      got: causes.map((x) => x.id),
      top1: rightWithin(causes, [c.expected], 1),
      top2: rightWithin(causes, [c.expected], 2),
      lenient: rightWithin(causes, [c.expected, ...(c.acceptable ?? [])], 1),
    };
  });
  const rate = (k: "top1" | "top2" | "lenient") => results.filter((r) => r[k]).length / results.length;

  it("reaches the top-1 and top-2 thresholds", () => {
    const misses = results
      .filter((r) => !r.top1)
      .map((r) => `${r.id}: expected ${r.expected}, got ${r.got.slice(0, 3).join(" > ")}`);
    console.log(
      `doctor corpus: ${results.length} cases, top-1 ${rate("top1").toFixed(3)}, top-2 ${rate("top2").toFixed(3)}, top-1 incl. acceptable ${rate("lenient").toFixed(3)}\n  not top-1:\n    ${misses.join("\n    ")}`,
    );
    // Measured 0.912 / 0.954 once blind sets 77–83 retrained the word table: YetiForce #2924, which names no cause,
    // lost its lucky second place (a rule read from FreeScout's "accounts must have multi-factor enabled within 30
    // days" was reverted: that case is in the sealed split, which no rule is written from); 0.914 / 0.958 after fresh-threads-36.yaml (454 cases: Zammad's page maps a generic refused AUTH to the
    // mailbox's SMTP AUTH switch, which its text does not show); 0.914 / 0.960 once blind sets 59 and 60 retrained the word table (Metabase #4272's lead-only tie turned
    // to transient again); 0.916 / 0.960 after fresh-threads-35.yaml (452 cases; the Freshchat table's "account locked/disabled or
    // unreachable" names no cause its text shows); 0.918 / 0.962 after fresh-threads-34.yaml (449 cases, stop 29: four of its five strict misses have an
    // `acceptable` label first, and the fifth, YetiForce #2924, names no cause the text shows); 0.924 / 0.966 after fresh-threads-30 … -33 and blind sets 51-58 (435 cases, stop 28: the retrained word
    // table turned one lead-only tie, Metabase #4272's "problem connecting to mail server", to transient); 0.935 / 0.965 after fresh-threads-29.yaml (400 cases); 0.933 / 0.967 after fresh-threads-28.yaml (390 cases: two reports with no reply name no cause);
    // 0.937 / 0.969 after fresh-threads-27.yaml (382 cases; FreeScout #1769's top is an acceptable label);
    // 0.939 / 0.971 after fresh-threads-26.yaml (377 cases); 0.938 / 0.970 after fresh-threads-24 and -25 (369 cases; all 15 first); 0.935 / 0.969 after fresh-threads-23.yaml (354 cases; its weak ioBroker.email #332 label is second);
    // 0.937 / 0.968 since a reply-less text lists its leads before `unknown` (an `unknown` label right when
    // `unknown` holds the most confidence); 0.922 / 0.968 after blind sets 48-50 retrained the word table; 0.922 / 0.965 after blind sets 45-47
    // (EmailEngine #98, which names no cause, had lost its lucky word lead); 0.922 / 0.971 after fresh-threads-22.yaml (347 cases: go-mail #130's log stops before
    // the server's answer to XOAUTH2, so only the reporter's doubt about the app registration is left; no rule was
    // written from it);
    // 0.924 / 0.966 after fresh-threads-18.yaml (327 cases: its two weak misses name no cause the text
    // shows — DoltLab's "unable to connect … despite other successful Office365 connections", fixed by AUTH LOGIN,
    // and MailCore's generic authentication error with IMAP working, "fixed" by port 587 years later; top-2 rose
    // with the runner-up and word lead of diagnose.ts); 0.930 / 0.958 after fresh-threads-15.yaml (313 cases: SwiftSMTP's bare "SMTPError error 3" and
    // weak real cases whose top cause is only an `acceptable` label); 0.934 / 0.965 after fresh-threads-12.yaml (286 cases: its two reports that name no cause and
    // a bare 504 5.7.4 fixed by STARTTLS; 0.941 / 0.970 at 270 after fresh-threads-11.yaml, 0.942 / 0.969 at 257 after
    // fresh-threads-10.yaml, whose three weak cases that only an
    // `acceptable` label covers — a mailcore2 error code, an OAuth host constant seen only in screenshots, a
    // bare 530 5.7.57 fixed by STARTTLS — lowered the strict figure from 0.951 / 0.975 at 244 cases, 0.953 /
    // 0.979 at 234). Twelve older misses stay by design —
    // batch 14's Metabase #4272 (the reporter's "cannot save with any SMTP security", fixed by a STARTTLS option) and
    // a bare 504 5.7.4 fixed by STARTTLS (corteza #2157, second behind the mechanism, as the measured mix ranks them),
    // three bare 5.7.3 fixed by the mailbox switch, a 5.0.0 that was a blocked sign-in, reports whose cause only the
    // thread knew (new-api #604, home-assistant #127246, email-oauth2-proxy #372, EmailEngine #98), an app password
    // behind "no longer supports the protocols" (SuiteCRM #9789) and an unlicensed shared mailbox behind "SMTP AUTH
    // extension not supported" (parsedmarc #194).
    expect(rate("top1")).toBeGreaterThanOrEqual(0.91);
    expect(rate("top2")).toBeGreaterThanOrEqual(0.95);
  });
});
