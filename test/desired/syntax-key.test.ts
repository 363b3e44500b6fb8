import { describe, expect, it } from "vitest";
import { keyPathAtLine, overIndentedSibling } from "../../desired/syntax-key.ts";

// A YAML syntax error leaves no document to walk; the key it is reported under comes from the lines.
const TENANT = [
  "# comment: with a colon", // 1
  "securityDefaults:", // 2
  "  enabled: false # off", // 3
  '  reason: "it\'s the scanner: it can only do Basic"', // 4
  "smtpAuth:", // 5
  "  mailboxes:", // 6
  '    "scanner@contoso.com":', // 7
  "      state: enabled", // 8
  "", // 9
  "      owner: facilities@contoso.com", // 10
  "  others: unmanaged", // 11
].join("\n");

describe("keyPathAtLine", () => {
  it.each([
    [1, ""],
    [2, "securityDefaults"],
    [3, "securityDefaults.enabled"],
    [4, "securityDefaults.reason"],
    [7, "smtpAuth.mailboxes.scanner@contoso.com"],
    [9, "smtpAuth.mailboxes.scanner@contoso.com.state"],
    [10, "smtpAuth.mailboxes.scanner@contoso.com.owner"],
    [11, "smtpAuth.others"],
  ])("line %i is under %j", (line, path) => {
    expect(keyPathAtLine(TENANT, line)).toBe(path);
  });

  it("names the key where a quote was left open, not the line where the parser gave up", () => {
    const text = 'securityDefaults:\n  reason: "no closing quote\n  enabled: false\nmfa:\n';
    expect(keyPathAtLine(text, 4)).toBe("securityDefaults.reason");
  });

  it("names the key where a flow mapping was left open", () => {
    const text =
      "smtpAuth:\n  mailboxes:\n    a@contoso.com: { state: enabled, owner: b@contoso.com\n  others: inherit\n";
    expect(keyPathAtLine(text, 4)).toBe("smtpAuth.mailboxes.a@contoso.com");
  });

  it("forgets a multi-line quoted value once it is closed", () => {
    const text = 'securityDefaults:\n  reason: "two\n    lines"\n  enabled: nope\n';
    expect(keyPathAtLine(text, 4)).toBe("securityDefaults.enabled");
  });

  it("does not take an apostrophe inside a word for an open quote", () => {
    const text = "securityDefaults:\n  reason: the scanner's firmware\n  enabled: false\n";
    expect(keyPathAtLine(text, 3)).toBe("securityDefaults.enabled");
  });

  it("does not nest a key under one whose value is on its own line, whatever a tab does to the indent", () => {
    const text = "securityDefaults:\n\tenabled: false\n  reason: x\n";
    expect(keyPathAtLine(text, 2)).toBe("securityDefaults.enabled");
    expect(keyPathAtLine(text, 3)).toBe("securityDefaults.reason");
  });

  it("reads keys inside list items and restarts at a document marker", () => {
    const text = "smtpAuth:\n  mailboxes:\n    - state: enabled\n---\nmfa:\n";
    expect(keyPathAtLine(text, 3)).toBe("smtpAuth.mailboxes.state");
    expect(keyPathAtLine(text, 4)).toBe("");
  });
});

describe("keyPathAtLine on a comment line", () => {
  it("places a comment at the level of its indentation", () => {
    const text = "mfa:\n  users:\n    a@contoso.com: disabled\n# a note at the end\n    # a note under users\n";
    expect(keyPathAtLine(text, 4)).toBe("");
    expect(keyPathAtLine(text, 5)).toBe("mfa.users");
  });
});

describe("keyPathAtLine on a line that declares no key", () => {
  it("places a stray directive or bare word at the level of its indentation", () => {
    const text = "smtpAuth:\n  others: inherit\n%YAML 1.2\nmfa:\n  users:\n    stray words\n";
    expect(keyPathAtLine(text, 3)).toBe("");
    expect(keyPathAtLine(text, 6)).toBe("mfa.users");
  });
});

// yaml reports an over-indented key on the line before it (fuzzer D13): the deeper line is named as well.
describe("overIndentedSibling", () => {
  it("names the deeper key as a sibling of the key with a value, past blank lines and comments", () => {
    const text = "mfa:\n  users:\n    a@contoso.com: disabled\n\n    # note\n      b@contoso.com: enabled\n";
    expect(overIndentedSibling(text, 3)).toMatchObject({ line: 6, column: 7, key: "mfa.users.b@contoso.com" });
  });

  it.each([
    ["a key with no value on its line", "smtpAuth:\n    others: inherit\n", 1],
    ["a block scalar", "securityDefaults:\n  reason: |\n    why: this\n", 2],
    ["a quote left open", 'securityDefaults:\n  reason: "why\n    because: this"\n', 2],
    ["a deeper line that is no key", "securityDefaults:\n  reason: a\n    long reason\n", 2],
    ["a sibling at the same depth", "smtpAuth:\n  organization: disabled\n  others: inherit\n", 2],
  ])("leaves %s alone", (_, text, line) => {
    expect(overIndentedSibling(text, line)).toBeUndefined();
  });
});
