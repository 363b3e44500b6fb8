import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DesiredStateError,
  formatIssue,
  isMailAddress,
  loadDesiredState,
  MAX_LISTED_ISSUES,
  parseDesiredState,
  type DesiredState,
  type DesiredStateIssue,
} from "../../desired/tenant-yaml.ts";

const TODAY = "2026-07-01";
const here = import.meta.dirname;
const root = join(here, "..", "..");

function errorOf(fn: () => unknown): DesiredStateError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DesiredStateError) return err;
    throw err;
  }
  throw new Error("expected a DesiredStateError");
}

describe("valid desired state", () => {
  it("parses the sandbox stack's tenant.yaml (the support article's three steps)", () => {
    const state = loadDesiredState(join(root, "stacks/sandbox/tenant.yaml"), { today: TODAY });
    expect({ ...state, locations: undefined }).toEqual({
      file: join(root, "stacks/sandbox/tenant.yaml"),
      securityDefaults: {
        enabled: false,
        reason: "The scan-to-email device can only use SMTP AUTH with a password",
        riskAcceptance: { owner: "it-security@contoso.com", ticket: "RISK-2031", expires: "2027-06-30" },
      },
      organizationSmtpAuth: { state: "disabled" },
      mailboxes: [
        {
          mailbox: "scanner@contoso.com",
          state: "enabled",
          owner: "facilities@contoso.com",
          ticket: "CHG-1042",
          expires: "2027-06-30",
        },
      ],
      othersPolicy: "unmanaged",
      mfaOthers: "unmanaged",
      mfaUsers: [{ user: "scanner@contoso.com", state: "disabled" }],
      oauthApps: [],
      locations: undefined,
    });
    expect(state.locations.get("smtpAuth.mailboxes.scanner@contoso.com")).toEqual({ line: 17, column: 5 });
    expect(state.locations.get("smtpAuth.mailboxes.scanner@contoso.com.expires")).toEqual({ line: 21, column: 7 });
    expect(state.locations.get("mfa.users.scanner@contoso.com")).toEqual({ line: 27, column: 5 });
  });

  it("parses the DESIGN.md sketch with flow mappings, short forms and mixed-case addresses", () => {
    const text = [
      'securityDefaults: { enabled: false, reason: "Conditional Access baseline replaces it", conditionalAccessBaseline: true }',
      "smtpAuth:",
      "  organization: disabled",
      "  mailboxes:",
      "    Scanner@Contoso.com: { state: enabled, owner: Facilities@Contoso.com, ticket: CHG-1042, expires: 2027-06-30 }",
      "    legacy-app@contoso.com: disabled",
      "    old-printer@contoso.com: inherit",
      "  others: inherit",
      "mfa:",
      "  users:",
      "    scanner@contoso.com: disabled",
      "    admin@contoso.com: { state: enforced }",
      "    helpdesk@contoso.com: { state: enabled, owner: it-security@contoso.com, ticket: CHG-7, expires: 2026-07-01 }",
      "",
    ].join("\n");
    // Where `token` starts on a 1-based line, so the expected positions are checked against the text itself.
    const at = (line: number, token: string) => ({
      line,
      column: (text.split("\n")[line - 1] ?? "").indexOf(token) + 1,
    });
    const expected: DesiredState = {
      file: "tenant.yaml",
      securityDefaults: {
        enabled: false,
        reason: "Conditional Access baseline replaces it",
        conditionalAccessBaseline: true,
      },
      organizationSmtpAuth: { state: "disabled" },
      mailboxes: [
        {
          mailbox: "scanner@contoso.com",
          state: "enabled",
          owner: "facilities@contoso.com",
          ticket: "CHG-1042",
          expires: "2027-06-30",
        },
        { mailbox: "legacy-app@contoso.com", state: "disabled" },
        { mailbox: "old-printer@contoso.com", state: "inherit" },
      ],
      othersPolicy: "inherit",
      mfaOthers: "unmanaged",
      mfaUsers: [
        { user: "scanner@contoso.com", state: "disabled" },
        { user: "admin@contoso.com", state: "enforced" },
        // Expiring today is still allowed: `expires` is the last allowed day.
        {
          user: "helpdesk@contoso.com",
          state: "enabled",
          owner: "it-security@contoso.com",
          ticket: "CHG-7",
          expires: "2026-07-01",
        },
      ],
      oauthApps: [],
      locations: new Map([
        ["securityDefaults", at(1, "securityDefaults:")],
        ["smtpAuth", at(2, "smtpAuth:")],
        ["mfa", at(9, "mfa:")],
        ["securityDefaults.enabled", at(1, "enabled:")],
        ["securityDefaults.reason", at(1, "reason:")],
        ["securityDefaults.conditionalAccessBaseline", at(1, "conditionalAccessBaseline:")],
        ["smtpAuth.organization", at(3, "organization:")],
        ["smtpAuth.mailboxes", at(4, "mailboxes:")],
        ["smtpAuth.others", at(8, "others:")],
        ["smtpAuth.mailboxes.scanner@contoso.com", at(5, "Scanner@Contoso.com:")],
        ["smtpAuth.mailboxes.scanner@contoso.com.state", at(5, "state:")],
        ["smtpAuth.mailboxes.scanner@contoso.com.owner", at(5, "owner:")],
        ["smtpAuth.mailboxes.scanner@contoso.com.ticket", at(5, "ticket:")],
        ["smtpAuth.mailboxes.scanner@contoso.com.expires", at(5, "expires:")],
        ["smtpAuth.mailboxes.legacy-app@contoso.com", at(6, "legacy-app@contoso.com:")],
        ["smtpAuth.mailboxes.old-printer@contoso.com", at(7, "old-printer@contoso.com:")],
        ["mfa.users", at(10, "users:")],
        ["mfa.users.scanner@contoso.com", at(11, "scanner@contoso.com:")],
        ["mfa.users.admin@contoso.com", at(12, "admin@contoso.com:")],
        ["mfa.users.admin@contoso.com.state", at(12, "state:")],
        ["mfa.users.helpdesk@contoso.com", at(13, "helpdesk@contoso.com:")],
        ["mfa.users.helpdesk@contoso.com.state", at(13, "state:")],
        ["mfa.users.helpdesk@contoso.com.owner", at(13, "owner:")],
        ["mfa.users.helpdesk@contoso.com.ticket", at(13, "ticket:")],
        ["mfa.users.helpdesk@contoso.com.expires", at(13, "expires:")],
      ]),
    };
    expect(parseDesiredState(text, "tenant.yaml", { today: TODAY })).toEqual(expected);
  });

  it("leaves every absent section unmanaged", () => {
    const state = parseDesiredState("mfa:\n  users: {}\n", "t.yaml", { today: TODAY });
    expect({ ...state, locations: [...state.locations.keys()] }).toEqual({
      file: "t.yaml",
      mailboxes: [],
      othersPolicy: "unmanaged",
      mfaOthers: "unmanaged",
      mfaUsers: [],
      oauthApps: [],
      locations: ["mfa", "mfa.users"],
    });
  });

  // A map of named entries may be empty ("none listed yet"), a section may not (fuzzer D6; the schema
  // test checks the JSON Schema agrees, docs/tenant-yaml.md says why).
  it.each([
    ["smtpAuth: { mailboxes: {} }", ["smtpAuth", "smtpAuth.mailboxes"]],
    ["smtpAuth:\n  mailboxes: {}\n  others: inherit\n", ["smtpAuth", "smtpAuth.mailboxes", "smtpAuth.others"]],
    ["mfa: { users: {} }", ["mfa", "mfa.users"]],
    ["oauth: { apps: {} }", ["oauth", "oauth.apps"]],
  ])("accepts an empty map of names: %j", (text, keys) => {
    const state = parseDesiredState(text, "t.yaml", { today: TODAY });
    expect([state.mailboxes, state.mfaUsers, state.oauthApps]).toEqual([[], [], []]);
    expect([...state.locations.keys()]).toEqual(keys);
  });

  it("accepts `{}` as an explicit file that manages nothing", () => {
    expect(parseDesiredState("{}\n", "t.yaml", { today: TODAY })).toEqual({
      file: "t.yaml",
      mailboxes: [],
      othersPolicy: "unmanaged",
      mfaOthers: "unmanaged",
      mfaUsers: [],
      oauthApps: [],
      locations: new Map(),
    });
  });

  it("accepts `others: inherit` with no mailboxes listed (reset every stray exception)", () => {
    const state = parseDesiredState("smtpAuth: { others: inherit }\n", "t.yaml", { today: TODAY });
    expect([state.othersPolicy, state.mailboxes, state.organizationSmtpAuth]).toEqual(["inherit", [], undefined]);
  });

  it.each(["enabled", "enforced", "unmanaged"] as const)(
    "accepts `mfa.others: %s` beside the listed users (issue 15.5)",
    (others) => {
      const state = parseDesiredState(
        `mfa:\n  others: ${others}\n  users:\n    scanner@contoso.com: disabled\n`,
        "t.yaml",
        {
          today: TODAY,
        },
      );
      expect([state.mfaOthers, state.mfaUsers]).toEqual([others, [{ user: "scanner@contoso.com", state: "disabled" }]]);
    },
  );

  it("accepts an expiry more than 12 months ahead (the policy pack judges the length)", () => {
    const state = parseDesiredState(
      "smtpAuth:\n  mailboxes:\n    scanner@contoso.com: { state: enabled, owner: a@contoso.com, expires: 2030-01-01 }\n",
      "t.yaml",
      { today: TODAY },
    );
    expect(state.mailboxes).toEqual([
      { mailbox: "scanner@contoso.com", state: "enabled", owner: "a@contoso.com", expires: "2030-01-01" },
    ]);
  });

  it("accepts security defaults off without a reason (the policy pack requires one)", () => {
    expect(
      parseDesiredState("securityDefaults: { enabled: false }\n", "t.yaml", { today: TODAY }).securityDefaults,
    ).toEqual({
      enabled: false,
    });
  });

  it("compares expiry with the current UTC date when no `today` is given", () => {
    expect(() =>
      parseDesiredState(
        "securityDefaults: { enabled: false, riskAcceptance: { owner: a@contoso.com, expires: 2000-01-01 } }\n",
        "t.yaml",
      ),
    ).toThrow(DesiredStateError);
  });
});

describe("malformed corpus (test/desired/malformed)", () => {
  const dir = join(here, "malformed");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort();

  it("holds at least 30 files", () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  it.each(files)("%s gives exactly the errors in its header", (f) => {
    const text = readFileSync(join(dir, f), "utf8");
    const expected = text
      .split("\n")
      .filter((l) => l.startsWith("# expect: "))
      .map((l) => l.slice("# expect: ".length));
    expect(expected.length).toBeGreaterThan(0);
    const err = errorOf(() => parseDesiredState(text, `malformed/${f}`, { today: TODAY }));
    expect(err.name).toBe("DesiredStateError");
    expect(err.code).toBe("DESIRED_STATE_INVALID");
    expect(err.issues.map((i) => `${i.line}:${i.column} ${i.key ? `${i.key}: ` : ""}${i.message}`)).toEqual(expected);
    for (const i of err.issues) {
      expect(i.file).toBe(`malformed/${f}`);
      expect(err.message).toContain(`\n  ${formatIssue(i)}`);
    }
  });
});

describe("DesiredStateError", () => {
  it("lists every problem as file:line:column key: message under a summary line", () => {
    const err = errorOf(() =>
      parseDesiredState(
        "smtpAuth:\n  others: all\nmfa:\n  users:\n    x@contoso.com: off\n",
        "stacks/dev/tenant.yaml",
        { today: TODAY },
      ),
    );
    expect(err.message).toBe(
      [
        "stacks/dev/tenant.yaml: 2 problems in the desired state; nothing was sent to the tenant",
        '  stacks/dev/tenant.yaml:2:11 smtpAuth.others: invalid value "all"; allowed: unmanaged, inherit',
        '  stacks/dev/tenant.yaml:5:20 mfa.users.x@contoso.com: invalid state "off"; allowed: disabled, enabled, enforced or a mapping { state, owner, ticket, expires }',
      ].join("\n"),
    );
  });

  it("lists the first 50 problems and counts the rest, keeping every one in `issues` (fuzzer D9)", () => {
    const users = Array.from({ length: 1234 }, (_, i) => `    u${i}@contoso.com: off`);
    const err = errorOf(() =>
      parseDesiredState(["mfa:", "  users:", ...users, ""].join("\n"), "t.yaml", { today: TODAY }),
    );
    expect(err.issues).toHaveLength(1234);
    const lines = err.message.split("\n");
    expect(lines[0]).toBe("t.yaml: 1,234 problems in the desired state; nothing was sent to the tenant");
    expect(lines).toHaveLength(1 + MAX_LISTED_ISSUES + 1);
    expect(lines[MAX_LISTED_ISSUES]).toBe(`  ${formatIssue(err.issues[MAX_LISTED_ISSUES - 1]!)}`);
    expect(lines.at(-1)).toBe("  … and 1,184 more problems, not listed");
  });

  it.each([
    [
      "a zero-width space in a key",
      "smtp\u200bAuth:\n  others: inherit\n",
      't.yaml:1:1 smtp\\u200bAuth: unknown key; did you mean "smtpAuth"?',
    ],
    [
      "a no-break space after a value",
      "smtpAuth:\n  others: inherit\u00a0\n",
      't.yaml:2:11 smtpAuth.others: invalid value "inherit\\u00a0"',
    ],
    [
      "a byte-order mark inside the file",
      "smtpAuth:\n  others: inherit\n\ufeffmfa:\n  others: enforced\n",
      "t.yaml:3:1 \\ufeffmfa: unknown key",
    ],
  ])("writes invisible characters as escapes: %s (fuzzer D8)", (_what, text, start) => {
    const err = errorOf(() => parseDesiredState(text, "t.yaml", { today: TODAY }));
    expect(err.message.split("\n")[1]?.slice(0, start.length + 2)).toBe(`  ${start}`);
    expect(err.message).not.toMatch(/[\u00a0\u200b\ufeff]/u);
  });

  it("reports an unreadable file without a position", () => {
    const err = errorOf(() => loadDesiredState(join(here, "no-such-tenant.yaml")));
    expect(err.issues).toEqual<DesiredStateIssue[]>([
      {
        file: join(here, "no-such-tenant.yaml"),
        line: 0,
        column: 0,
        key: "",
        message: "cannot read the file (ENOENT)",
      },
    ]);
    expect(err.message).toContain(`\n  ${join(here, "no-such-tenant.yaml")} cannot read the file (ENOENT)`);
  });

  it("never echoes an unknown key's value or a long value", () => {
    const secret = "p4ssw0rd-Zx9qLmN2vB7cT5rW1yK8hJ3fD6sA0eGu";
    const err = errorOf(() =>
      parseDesiredState(`clientSecret: ${secret}\nsmtpAuth:\n  others: "${secret}${secret}"\n`, "t.yaml", {
        today: TODAY,
      }),
    );
    expect(err.issues.map((i) => i.key)).toEqual(["clientSecret", "smtpAuth.others"]);
    expect(err.message).not.toContain(secret);
    expect(err.message).toContain("invalid value a 82-character string");
  });

  it("never echoes a secret pasted as a key: unknown key, mailbox address or app name", () => {
    const secret = "Xy8Q~abcdefghijklmnopqrstuvwxyz0123456789";
    const err = errorOf(() =>
      parseDesiredState(
        `${secret}: x\nsmtpAuth:\n  others: inherit\n  mailboxes:\n    ${secret}: {}\noauth:\n  apps:\n    ${secret}:\n      mailbox: a@contoso.com\n`,
        "t.yaml",
        { today: TODAY },
      ),
    );
    expect(err.message).not.toContain(secret);
    expect(err.issues.map((i) => i.key)).toEqual([
      "(a key of 41 characters)",
      "smtpAuth.mailboxes.(a key of 41 characters)",
      "oauth.apps.(a key of 41 characters)",
    ]);
    for (const issue of err.issues) expect(issue.message).toContain("rotate the secret in Entra ID");
  });

  it("names a fullwidth colon after a key, whether YAML gives a syntax error or a string", () => {
    const syntax = errorOf(() => parseDesiredState("smtpAuth\uFF1A\n  others: inherit\n", "t.yaml", { today: TODAY }));
    expect(syntax.issues.map(formatIssue)).toEqual([
      't.yaml:1:1 YAML syntax error: Implicit keys need to be on a single line; "smtpAuth" is followed by U+FF1A, which only looks like ":": write an ASCII colon',
    ]);
    const value = errorOf(() =>
      parseDesiredState("securityDefaults:\n  enabled\uFF1A false\n", "t.yaml", { today: TODAY }),
    );
    expect(value.issues.map((i) => i.message.split("; ").at(-1))).toEqual([
      '"enabled" is followed by U+FF1A, which only looks like ":": write an ASCII colon',
    ]);
    // A fullwidth colon inside a value is text, not a mistake.
    const reason = parseDesiredState(
      'securityDefaults:\n  enabled: false\n  reason: "理由\uFF1Ascanner"\n  riskAcceptance:\n    owner: a@contoso.com\n    expires: 2099-01-01\n    ticket: CHG-1\n',
      "t.yaml",
      { today: TODAY },
    );
    expect(reason.securityDefaults?.enabled).toBe(false);
  });

  it("calls a key repeated in another case a duplicate, not a misspelling", () => {
    const err = errorOf(() =>
      parseDesiredState("smtpAuth:\n  others: inherit\n  Others: disabled\n", "t.yaml", { today: TODAY }),
    );
    expect(err.issues.map(formatIssue)).toEqual([
      't.yaml:3:3 smtpAuth.Others: duplicate key; "others" is already declared at line 2 (keys are case-sensitive)',
    ]);
  });

  it("refuses a %YAML 1.1 directive at line 1 instead of reading no as false (fuzzer D4)", () => {
    const err = errorOf(() =>
      parseDesiredState("%YAML 1.1\n---\nsecurityDefaults:\n  enabled: no\n", "t.yaml", { today: TODAY }),
    );
    expect(err.issues.map(formatIssue)).toEqual([
      't.yaml:1:1 the file is YAML 1.2, not "1.1"; remove the %YAML line (YAML 1.1 reads yes, no, on and off as true or false)',
    ]);
  });

  it("accepts a %YAML 1.2 directive", () => {
    const state = parseDesiredState("%YAML 1.2\n---\nsmtpAuth: { others: inherit }\n", "t.yaml", { today: TODAY });
    expect(state.othersPolicy).toBe("inherit");
  });

  it("rejects a malformed `today` option as a programming error, not a file error", () => {
    expect(() => parseDesiredState("{}", "t.yaml", { today: "July 1st" })).toThrow(
      '[today] must be a date YYYY-MM-DD, got "July 1st"',
    );
  });
});

describe("property: every independent fault in a file is reported", () => {
  // Each fault breaks one mailbox entry and is expected to yield exactly one issue at that entry.
  const faults: Array<{ entry: (addr: string) => string; key: (addr: string) => string; message: RegExp }> = [
    { entry: (a) => `${a}: enable`, key: (a) => `smtpAuth.mailboxes.${a}`, message: /^invalid state "enable"/ },
    {
      entry: (a) => `${a}: { state: enabled, expires: 2027-01-01 }`,
      key: (a) => `smtpAuth.mailboxes.${a}.owner`,
      message: /^an SMTP AUTH exception needs an owner$/,
    },
    {
      entry: (a) => `${a}: { state: enabled, owner: o@contoso.com }`,
      key: (a) => `smtpAuth.mailboxes.${a}.expires`,
      message: /^an SMTP AUTH exception needs an expiry date/,
    },
    {
      entry: (a) => `${a}: { state: enabled, owner: o@contoso.com, expires: 2026-06-30 }`,
      key: (a) => `smtpAuth.mailboxes.${a}.expires`,
      message: /^expired on 2026-06-30/,
    },
    {
      entry: (a) => `${a}: { state: disabled, owner: nobody }`,
      key: (a) => `smtpAuth.mailboxes.${a}.owner`,
      message: /is not a valid mail address$/,
    },
    {
      entry: (a) => `${a}: { state: inherit, tikcet: X }`,
      key: (a) => `smtpAuth.mailboxes.${a}.tikcet`,
      message: /did you mean "ticket"/,
    },
    {
      entry: (a) => `${a}: { state: enabled, owner: o@contoso.com, expires: 2027-13-01 }`,
      key: (a) => `smtpAuth.mailboxes.${a}.expires`,
      message: /^must be a date/,
    },
  ];

  /** A small deterministic PRNG (mulberry32), so a failure names a reproducible seed. */
  function prng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it.each(Array.from({ length: 100 }, (_, i) => i + 1))("seed %i", (seed) => {
    const rand = prng(seed);
    const n = 1 + Math.floor(rand() * 12);
    const lines = ["smtpAuth:", "  mailboxes:"];
    const expected: Array<{ key: string; message: RegExp; line: number }> = [];
    // At least one entry is broken; each of the others is broken with probability 1/2.
    const forced = Math.floor(rand() * n);
    for (let i = 0; i < n; i++) {
      const addr = `device${i}@contoso.com`;
      if (i === forced || rand() < 0.5) {
        const f = faults[Math.floor(rand() * faults.length)];
        if (!f) throw new Error("unreachable");
        lines.push(`    ${f.entry(addr)}`);
        expected.push({ key: f.key(addr), message: f.message, line: lines.length });
      } else {
        lines.push(`    ${addr}: { state: enabled, owner: o@contoso.com, ticket: CHG-${i}, expires: 2027-01-01 }`);
      }
    }
    const text = lines.join("\n") + "\n";
    const err = errorOf(() => parseDesiredState(text, "t.yaml", { today: TODAY }));
    expect(err.issues).toHaveLength(expected.length);
    expected.forEach((e, k) => {
      const issue = err.issues[k];
      expect(issue?.key).toBe(e.key);
      expect(issue?.line).toBe(e.line);
      expect(issue?.message).toMatch(e.message);
    });
  });
});

describe("isMailAddress", () => {
  it.each([
    ["scanner@contoso.com", true],
    ["Scanner.Front-Desk+scan@mail.contoso.co.uk", true],
    ["scanner@contoso", false],
    ["scanner.contoso.com", false],
    ["scan ner@contoso.com", false],
    ["scanner@@contoso.com", false],
    [".scanner@contoso.com", false],
    ["scanner..x@contoso.com", false],
    ["scanner@-contoso.com", false],
    [`${"a".repeat(65)}@contoso.com`, false],
    ["scanner@contoso.xn--p1ai", true], // an IDN top-level domain (.рф) as its A-label
    ["scanner@xn--bcher-kva.de", true],
    ["scanner@contoso.xn--", false],
    ["scanner@contoso.c0m", false],
  ])("%s → %s", (s, ok) => {
    expect(isMailAddress(s)).toBe(ok);
  });
});
