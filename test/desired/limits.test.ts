import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { YAMLParseError } from "yaml";
import { DesiredStateError, loadDesiredState, parseDesiredState, unexpectedIssue } from "../../desired/tenant-yaml.ts";
import { DESIRED_STATE_LIMITS } from "../../desired/limits.ts";

const TODAY = "2026-07-01";
const VALID = [
  "securityDefaults:",
  "  enabled: false",
  '  reason: "The scanner can only use a password"',
  "  riskAcceptance: { owner: it@contoso.com, ticket: RISK-1, expires: 2027-01-31 }",
  "",
].join("\n");

/** Writes `content` to a fresh tenant.yaml and returns the error loading it throws. */
function loadError(content: string | Buffer): { message: string; issues: DesiredStateError["issues"]; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "limits-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "tenant.yaml");
  writeFileSync(file, content);
  try {
    loadDesiredState(file, { today: TODAY });
  } catch (err) {
    if (err instanceof DesiredStateError) return { message: err.message, issues: err.issues, file };
    throw err;
  }
  throw new Error("expected a DesiredStateError");
}

describe("hostile desired state is refused before the YAML is composed, with a position", () => {
  it("accepts a valid file (the limits do not get in the way)", () => {
    expect(parseDesiredState(VALID, "t.yaml", { today: TODAY }).securityDefaults?.enabled).toBe(false);
  });

  it("refuses invalid UTF-8 at the first bad byte, instead of replacing it with U+FFFD", () => {
    const bytes = Buffer.concat([Buffer.from(VALID), Buffer.from("mfa:\n  users:\n    a"), Buffer.from([0xc3, 0x28])]);
    const { issues, file } = loadError(bytes);
    expect(issues).toEqual([
      {
        file,
        line: 7,
        column: 6,
        key: "mfa.users",
        message: `the file is not valid UTF-8 (byte 0xc3 at offset ${VALID.length + 19}); save it as UTF-8`,
      },
    ]);
  });

  it("refuses a control character (a NUL, an escape) at its line, column and key, naming it", () => {
    const message =
      "contains the control character U+0000; YAML allows only printable characters, tabs and line breaks: remove it";
    const { issues, file } = loadError(VALID.replace("RISK-1", "RISK\u0000-1"));
    expect(issues).toEqual([{ file, line: 4, column: 56, key: "securityDefaults.riskAcceptance.ticket", message }]);
    // Written as a double-quoted escape, in a comment, in a key.
    expect(loadError(VALID.replace('"The scanner', '"The \\e scanner')).issues).toEqual([
      {
        file: expect.any(String),
        line: 3,
        column: 11,
        key: "securityDefaults.reason",
        message: message.replace("0000", "001B"),
      },
    ]);
    expect(loadError(`${VALID}# a comment \u0007\n`).issues).toEqual([
      { file: expect.any(String), line: 5, column: 13, key: "", message: message.replace("0000", "0007") },
    ]);
    expect(loadError(VALID.replace("enabled", "ena\u0001bled")).issues[0]).toMatchObject({
      line: 2,
      column: 6,
      key: "securityDefaults.ena\u0001bled",
    });
    // Tabs, CRLF line ends and a byte-order mark are fine.
    expect(
      parseDesiredState(`\ufeff${VALID.replaceAll("\n", "\r\n")}`, "t.yaml", { today: TODAY }).securityDefaults
        ?.enabled,
    ).toBe(false);
  });

  it("refuses a 2 MB line: the string is over the limit, at its key", () => {
    const text = VALID.replace('"The scanner can only use a password"', "x".repeat(2_000_000));
    const { issues, file, message } = loadError(text);
    expect(issues).toEqual([
      {
        file,
        line: 3,
        column: 11,
        key: "securityDefaults.reason",
        message: "a 2,000,000-character string; the limit is 1,024 characters",
      },
    ]);
    expect(message.length).toBeLessThan(500);
  });

  it("refuses a file over the size limit at the byte where it passes the limit", () => {
    const line = `# ${"y".repeat(98)}\n`; // 101 bytes a line
    const text = VALID + line.repeat(Math.ceil(DESIRED_STATE_LIMITS.fileBytes / line.length));
    const { issues, file } = loadError(text);
    const over = DESIRED_STATE_LIMITS.fileBytes - VALID.length;
    expect(issues).toEqual([
      {
        file,
        line: 5 + Math.floor(over / line.length),
        column: (over % line.length) + 1,
        key: "",
        message: `the file is ${text.length.toLocaleString("en-US")} bytes; the limit is 4,194,304 bytes (4 MiB), passed here`,
      },
    ]);
  });

  it.each([
    [
      "flow lists",
      `mfa:\n  users: ${"[".repeat(5000)}${"]".repeat(5000)}\n`,
      2,
      28,
      "mfa.users.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0",
    ],
    [
      "block lists",
      `mfa:\n  users:\n    ${"- ".repeat(5000)}x\n`,
      3,
      41,
      "mfa.users.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0",
    ],
    [
      // 2,000 deep: each level indents one more space, so 5,000 would pass the file size limit first.
      "block mappings",
      "smtpAuth:\n" + Array.from({ length: 2000 }, (_, i) => `${" ".repeat(i + 1)}k${i}:`).join("\n") + " x\n",
      21,
      21,
      "smtpAuth." + Array.from({ length: 19 }, (_, i) => `k${i}`).join("."),
    ],
  ])("refuses deeply nested %s at the 21st level, without a stack overflow", (_, text, line, column, key) => {
    const { issues, file } = loadError(text);
    expect(issues).toEqual([
      { file, line, column, key, message: "nested more than 20 levels deep; a tenant.yaml needs at most 5" },
    ]);
  });

  it("refuses more than 100 anchors and aliases (billion laughs), at the 101st", () => {
    const anchors = Array.from({ length: 60 }, (_, i) => `    a${i}@contoso.com: &m${i} disabled`);
    const aliases = Array.from({ length: 60 }, (_, i) => `    b${i}@contoso.com: *m${i}`);
    const { issues, file } = loadError(["mfa:", "  users:", ...anchors, ...aliases, ""].join("\n"));
    expect(issues).toEqual([
      {
        file,
        line: 103,
        column: 22,
        key: "",
        message: "120 anchors and aliases; the limit is 100 (write the values out instead)",
      },
    ]);
  });

  it("lists at most 10 problems of one kind and counts the rest", () => {
    const users = Array.from({ length: 12 }, (_, i) => `    u${i}@contoso.com: ${"z".repeat(1025)}`);
    const { issues } = loadError(["mfa:", "  users:", ...users, ""].join("\n"));
    expect(issues.map((i) => `${i.line}:${i.column} ${i.key}`)).toEqual(
      Array.from({ length: 10 }, (_, i) => `${i + 3}:${20 + String(i).length} mfa.users.u${i}@contoso.com`),
    );
    expect(issues.at(-1)?.message).toBe(
      "a 1,025-character string; the limit is 1,024 characters (2 more problems like these are not listed)",
    );
  });
});

describe("a scalar the YAML library cannot resolve never escapes the loader as a bare YAMLParseError", () => {
  // yaml's CST.resolveAsScalar throws without an error handler; these once reached the user as
  // "Invalid escape sequence \s" with no file, line or key (fuzzer finding D1).
  it.each([
    [
      "a double-quoted key with an invalid escape",
      'smtpAuth:\n  mailboxes:\n    "a\\q@contoso.com": disabled\n',
      "3:7",
    ],
    ["a key starting with @", "smtpAuth:\n  mailboxes:\n    @contoso.com: disabled\n", "3:5"],
    ["a key in backticks", "smtpAuth:\n  `others`: inherit\n", "2:3"],
  ])("%s is a positioned YAML syntax error", (_what, text, at) => {
    const { issues, file } = loadError(text);
    expect(issues.map((i) => `${i.file === file} ${i.line}:${i.column}`)).toContain(`true ${at}`);
    expect(issues.every((i) => i.message.startsWith("YAML syntax error: "))).toBe(true);
  });

  it("reports an over-long double-quoted string with an invalid escape as over the limit", () => {
    const { issues } = loadError(`securityDefaults:\n  enabled: false\n  reason: "C:\\scans ${"x".repeat(1100)}"\n`);
    expect(issues.map((i) => `${i.line}:${i.column} ${i.key}: ${i.message}`)).toEqual([
      "3:11 securityDefaults.reason: a 1,109-character string; the limit is 1,024 characters",
    ]);
  });
});

describe("unexpectedIssue (the loader's safety net)", () => {
  const text = "smtpAuth:\n  mailboxes:\n    a@contoso.com: disabled\n";

  it("positions a YAML error at its offset, under the key of its line", () => {
    const err = new YAMLParseError([text.indexOf("a@"), text.indexOf("a@") + 1], "BAD_SCALAR_START", "bad start");
    expect(unexpectedIssue(err, text, "t.yaml")).toEqual({
      file: "t.yaml",
      line: 3,
      column: 5,
      key: "smtpAuth.mailboxes.a@contoso.com",
      message: "YAML syntax error: bad start",
    });
  });

  it("names any other error by its class only, never by a message that could quote the file", () => {
    const issue = unexpectedIssue(new TypeError("x is Qx8Q~S3cr3t"), text, "t.yaml");
    expect(issue).toEqual({
      file: "t.yaml",
      line: 0,
      column: 0,
      key: "",
      message: "could not be validated (internal error: TypeError); nothing was sent to the tenant, please report this",
    });
  });
});
