/**
 * tenant.yaml's issue-8 sections: `oauth.apps` (existing or created apps for SMTP XOAUTH2) and
 * `conditionalAccessBaseline`. Malformed cases live in test/desired/malformed/ (oauth-*, ca-baseline-*).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  DesiredStateError,
  loadDesiredState,
  parseDesiredState,
  type ConditionalAccessBaselineDeclaration,
  type OAuthAppDeclaration,
} from "../../desired/tenant-yaml.ts";

const TODAY = "2026-07-01";
const root = join(import.meta.dirname, "..", "..");

// Test data only: a certificate-shaped PEM (never parsed as X.509 here) and a key-shaped one.
const CERT_PEM = "-----BEGIN CERTIFICATE-----\nTUlJQ2Z6Q0NBZWlnQXdJQkFnSUJBVEFOQmdr\n-----END CERTIFICATE-----\n";
const KEY_PEM = "-----BEGIN PRIVATE KEY-----\nTUlJRXZRSUJBREFOQmdrcWhraUc5dzBCQVFF\n-----END PRIVATE KEY-----\n";

const dir = mkdtempSync(join(tmpdir(), "tenant-yaml-oauth-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes tenant.yaml (and files next to it) into a fresh folder and loads it. */
function load(text: string, files: Record<string, string> = {}) {
  const stack = mkdtempSync(join(dir, "stack-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(stack, name, ".."), { recursive: true });
    writeFileSync(join(stack, name), content);
  }
  writeFileSync(join(stack, "tenant.yaml"), text);
  return loadDesiredState(join(stack, "tenant.yaml"), { today: TODAY });
}

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof DesiredStateError) return err.issues.map((i) => `${i.line}:${i.column} ${i.key}: ${i.message}`);
    throw err;
  }
  throw new Error("expected a DesiredStateError");
}

const OAUTH_YAML = [
  "oauth:",
  "  apps:",
  "    scanner:",
  "      mailbox: Scanner@Contoso.com",
  "      appId: 52E8A1C4-9F07-4B3D-A6E2-D1C0B9A8F7E6",
  "      servicePrincipalObjectId: e3f4a5b6-c7d8-4e9f-8a0b-1c2d3e4f5a6b",
  "    erp:",
  "      mailbox: erp@contoso.com",
  "      create: true",
  "      displayName: ERP mailer",
  "      credential: { type: password, expires: 2027-06-30 }",
  "    plotter:",
  "      mailbox: plotter@contoso.com",
  "      create: true",
  "      credential:",
  "        type: certificate",
  "        file: certs/plotter.pem",
  "",
].join("\n");

describe("oauth.apps", () => {
  it("reads existing and created apps, lower-casing ids and addresses, with the certificate's PEM", () => {
    const state = load(OAUTH_YAML, { "certs/plotter.pem": CERT_PEM });
    expect(state.oauthApps).toEqual<OAuthAppDeclaration[]>([
      {
        kind: "existing",
        name: "scanner",
        mailbox: "scanner@contoso.com",
        appId: "52e8a1c4-9f07-4b3d-a6e2-d1c0b9a8f7e6",
        servicePrincipalObjectId: "e3f4a5b6-c7d8-4e9f-8a0b-1c2d3e4f5a6b",
      },
      {
        kind: "create",
        name: "erp",
        mailbox: "erp@contoso.com",
        displayName: "ERP mailer",
        credential: { type: "password", expires: "2027-06-30" },
      },
      {
        kind: "create",
        name: "plotter",
        mailbox: "plotter@contoso.com",
        credential: { type: "certificate", file: "certs/plotter.pem", pem: CERT_PEM },
      },
    ]);
    expect(state.locations.get("oauth.apps.scanner")).toEqual({ line: 3, column: 5 });
    expect(state.locations.get("oauth.apps.scanner.servicePrincipalObjectId")).toEqual({ line: 6, column: 7 });
    expect(state.locations.get("oauth.apps.plotter.credential.file")).toEqual({ line: 17, column: 9 });
  });

  it("refuses a certificate file that holds a private key, without quoting it", () => {
    const err = issuesOf(() => load(OAUTH_YAML, { "certs/plotter.pem": CERT_PEM + KEY_PEM }));
    expect(err).toEqual([
      "17:15 oauth.apps.plotter.credential.file: the file holds a private key; give only the public certificate (-----BEGIN CERTIFICATE-----) and keep the key on the device",
    ]);
    expect(err.join("\n")).not.toContain("TUlJRXZR");
  });

  it("refuses a certificate file that is not PEM", () => {
    expect(issuesOf(() => load(OAUTH_YAML, { "certs/plotter.pem": "not a certificate" }))).toEqual([
      "17:15 oauth.apps.plotter.credential.file: the file is not a PEM certificate",
    ]);
  });

  describe("the certificate file is a regular file of one certificate inside the stack's folder (fuzzer D2)", () => {
    const INSTEAD = "put the certificate in the stack's folder, next to tenant.yaml (e.g. certs/erp.pem)";
    const withFile = (file: string) => OAUTH_YAML.replace("file: certs/plotter.pem", `file: ${JSON.stringify(file)}`);
    const at = "17:15 oauth.apps.plotter.credential.file: ";

    it.each([
      [
        "an absolute path",
        "/etc/ssl/certs/ca-certificates.crt",
        "must be a path relative to tenant.yaml's folder, not an absolute path",
      ],
      [
        "a device by its absolute path",
        "/dev/zero",
        "must be a path relative to tenant.yaml's folder, not an absolute path",
      ],
      [
        "a Windows absolute path",
        "C:\\certs\\erp.pem",
        "must be a path relative to tenant.yaml's folder, not an absolute path",
      ],
      [
        "a path up and out",
        "../../../../../../etc/passwd",
        'must not leave tenant.yaml\'s folder (no ".." in the path)',
      ],
      [
        "a path up and back in",
        "certs/../certs/plotter.pem",
        'must not leave tenant.yaml\'s folder (no ".." in the path)',
      ],
    ])("refuses %s before touching the file system", (_what, file, message) => {
      expect(issuesOf(() => load(withFile(file), { "certs/plotter.pem": CERT_PEM }))).toEqual([
        `${at}${message}; ${INSTEAD}`,
      ]);
    });

    it("refuses a symbolic link that leads out of the folder, even to a valid certificate", () => {
      const outside = join(dir, "outside.pem");
      writeFileSync(outside, CERT_PEM);
      const stack = mkdtempSync(join(dir, "stack-"));
      symlinkSync(outside, join(stack, "link.pem"));
      writeFileSync(join(stack, "tenant.yaml"), withFile("link.pem"));
      expect(issuesOf(() => loadDesiredState(join(stack, "tenant.yaml"), { today: TODAY }))).toEqual([
        `${at}leads outside tenant.yaml's folder through a symbolic link; ${INSTEAD}`,
      ]);
    });

    it("accepts a symbolic link that stays inside the folder", () => {
      const stack = mkdtempSync(join(dir, "stack-"));
      mkdirSync(join(stack, "certs"));
      writeFileSync(join(stack, "certs", "real.pem"), CERT_PEM);
      symlinkSync(join(stack, "certs", "real.pem"), join(stack, "certs", "plotter.pem"));
      writeFileSync(join(stack, "tenant.yaml"), OAUTH_YAML);
      const app = loadDesiredState(join(stack, "tenant.yaml"), { today: TODAY }).oauthApps[2];
      expect(app?.kind === "create" ? app.credential : undefined).toEqual({
        type: "certificate",
        file: "certs/plotter.pem",
        pem: CERT_PEM,
      });
    });

    it("refuses a folder", () => {
      expect(issuesOf(() => load(withFile("certs"), { "certs/plotter.pem": CERT_PEM }))).toEqual([
        `${at}is a folder; give the certificate's .pem file`,
      ]);
    });

    it.skipIf(process.platform === "win32")("refuses a named pipe without blocking on it", () => {
      const stack = mkdtempSync(join(dir, "stack-"));
      execFileSync("mkfifo", [join(stack, "pipe.pem")]);
      writeFileSync(join(stack, "tenant.yaml"), withFile("pipe.pem"));
      expect(issuesOf(() => loadDesiredState(join(stack, "tenant.yaml"), { today: TODAY }))).toEqual([
        `${at}is not a regular file (a device, pipe or socket); give the certificate's .pem file`,
      ]);
    });

    it("refuses a file over 64 KiB without reading it whole", () => {
      const big = CERT_PEM + "# padding\n".repeat(7000);
      expect(issuesOf(() => load(OAUTH_YAML, { "certs/plotter.pem": big }))).toEqual([
        `${at}the file is over 65,536 bytes (64 KiB); a certificate file holds one certificate of a few KiB`,
      ]);
    });

    it("accepts a certificate of exactly 64 KiB with its text around it", () => {
      const pem = CERT_PEM.padStart(64 * 1024, "#");
      expect(load(OAUTH_YAML, { "certs/plotter.pem": pem }).oauthApps).toHaveLength(3);
    });

    it.each([
      [
        "a chain of two",
        CERT_PEM + CERT_PEM,
        "the file holds 2 certificates; give exactly one, the app's own public certificate (not a chain or a CA bundle)",
      ],
      [
        "a BEGIN line without its END",
        CERT_PEM.replace("-----END CERTIFICATE-----\n", ""),
        "the file's certificate is incomplete: it needs a -----END CERTIFICATE----- line after its BEGIN line",
      ],
      ["an empty file", "", "the file is not a PEM certificate"],
    ])("refuses %s", (_what, content, message) => {
      expect(issuesOf(() => load(OAUTH_YAML, { "certs/plotter.pem": content }))).toEqual([`${at}${message}`]);
    });
  });

  it.each([
    [
      "a password with a file",
      "{ type: password, file: x.pem }",
      "11:37 oauth.apps.erp.credential.file: a file is only for type: certificate",
    ],
    [
      "an expired credential",
      "{ type: password, expires: 2026-01-01 }",
      "11:46 oauth.apps.erp.credential.expires: expired on 2026-01-01 (today is 2026-07-01, UTC); renew it or remove the exception",
    ],
    [
      "no type",
      "{ expires: 2027-01-01 }",
      "11:7 oauth.apps.erp.credential.type: missing type; allowed: password, certificate",
    ],
    [
      "an unknown type",
      "{ type: token }",
      "11:27 oauth.apps.erp.credential.type: invalid type (a value of 5 characters); allowed: password, certificate",
    ],
  ])("refuses %s", (_what, credential, expected) => {
    const text = OAUTH_YAML.replace("{ type: password, expires: 2027-06-30 }", credential);
    expect(issuesOf(() => load(text, { "certs/plotter.pem": CERT_PEM }))).toEqual([expected]);
  });

  it("refuses an app name that cannot name a resource", () => {
    expect(
      issuesOf(() =>
        parseDesiredState(
          "oauth:\n  apps:\n    scanner 3rd floor: { mailbox: a@contoso.com, create: true, credential: { type: password } }\n",
          "t.yaml",
          {
            today: TODAY,
          },
        ),
      ),
    ).toEqual([
      '3:5 oauth.apps.scanner 3rd floor: "scanner 3rd floor" is not a valid app name; use letters, digits and dashes (at most 40)',
    ]);
  });

  it("parses the sandbox-oauth stack's tenant.yaml: security defaults on, the scanner's existing app", () => {
    const state = loadDesiredState(join(root, "stacks/sandbox-oauth/tenant.yaml"), { today: TODAY });
    expect(state.securityDefaults).toEqual({ enabled: true });
    expect(state.mfaUsers).toEqual([]);
    expect(state.oauthApps).toEqual<OAuthAppDeclaration[]>([
      {
        kind: "existing",
        name: "scanner",
        mailbox: "scanner@contoso.com",
        appId: "52e8a1c4-9f07-4b3d-a6e2-d1c0b9a8f7e6",
        servicePrincipalObjectId: "e3f4a5b6-c7d8-4e9f-8a0b-1c2d3e4f5a6b",
        displayName: "scanner SMTP OAuth",
      },
    ]);
    expect(state.conditionalAccessBaseline).toBeUndefined();
  });
});

describe("a client secret pasted into an OAuth field is never echoed (fuzzer D3)", () => {
  // Test data, not a credential: shaped like an Entra client secret value (40 characters, a `~`).
  const SECRET = "Qx8Q~FAKEs3cretV4lu3AbCdEfGhIjKlMnOpQrSt";
  const EXISTING =
    "      mailbox: a@contoso.com\n      appId: 52e8a1c4-9f07-4b3d-a6e2-d1c0b9a8f7e6\n      servicePrincipalObjectId: e3f4a5b6-c7d8-4e9f-8a0b-1c2d3e4f5a6b\n";
  const CREATED = "      mailbox: a@contoso.com\n      create: true\n";
  const ADVICE =
    "if it is a client secret, remove it and rotate the secret in Entra ID (the file may already be in the repository's history)";

  it.each([
    ["appId", EXISTING.replace("52e8a1c4-9f07-4b3d-a6e2-d1c0b9a8f7e6", SECRET), "appId", true],
    ["appId, quoted", EXISTING.replace("52e8a1c4-9f07-4b3d-a6e2-d1c0b9a8f7e6", `"${SECRET}"`), "appId", true],
    [
      "servicePrincipalObjectId",
      EXISTING.replace("e3f4a5b6-c7d8-4e9f-8a0b-1c2d3e4f5a6b", SECRET),
      "servicePrincipalObjectId",
      true,
    ],
    ["credential", `${CREATED}      credential: ${SECRET}\n`, "credential", true],
    ["credential.type", `${CREATED}      credential: { type: ${SECRET} }\n`, "credential.type", true],
    [
      "credential.expires",
      `${CREATED}      credential: { type: password, expires: ${SECRET} }\n`,
      "credential.expires",
      true,
    ],
    // A file name is read, not judged: "cannot read the file (ENOENT)" says nothing about it.
    [
      "credential.file",
      `${CREATED}      credential: { type: certificate, file: ${SECRET} }\n`,
      "credential.file",
      false,
    ],
  ])("%s", (_what, app, key, advised) => {
    const err = (() => {
      try {
        load(`oauth:\n  apps:\n    scanner:\n${app}`);
      } catch (e) {
        if (e instanceof DesiredStateError) return e;
        throw e;
      }
      throw new Error("expected a DesiredStateError");
    })();
    expect(err.issues.map((i) => i.key)).toEqual([`oauth.apps.scanner.${key}`]);
    expect(err.message).not.toContain(SECRET);
    expect(err.message).not.toContain(SECRET.slice(0, 12));
    expect(err.message.includes(ADVICE)).toBe(advised);
  });

  it("still describes a short wrong value by its kind and length", () => {
    const app = EXISTING.replace("52e8a1c4-9f07-4b3d-a6e2-d1c0b9a8f7e6", "scanner-app");
    expect(issuesOf(() => load(`oauth:\n  apps:\n    scanner:\n${app}`))).toEqual([
      "5:14 oauth.apps.scanner.appId: must be the application (client) id, a GUID such as 00000000-0000-0000-0000-000000000000, not a value of 11 characters",
    ]);
  });
});

describe("conditionalAccessBaseline", () => {
  const text = (state: string, securityDefaults = "false") =>
    [
      `securityDefaults: { enabled: ${securityDefaults}, reason: "baseline", conditionalAccessBaseline: true }`,
      "conditionalAccessBaseline:",
      `  state: ${state}`,
      "  serviceAccounts: [Svc-Backup@contoso.com]",
      "  breakGlass:",
      "    - breakglass1@contoso.com",
      "    - BreakGlass2@contoso.com",
      "",
    ].join("\n");

  it.each(["reportOnly", "on"] as const)("reads state %s with lower-cased accounts in file order", (state) => {
    const parsed = parseDesiredState(text(state), "t.yaml", { today: TODAY });
    expect(parsed.conditionalAccessBaseline).toEqual<ConditionalAccessBaselineDeclaration>({
      state,
      serviceAccounts: ["svc-backup@contoso.com"],
      breakGlass: ["breakglass1@contoso.com", "breakglass2@contoso.com"],
    });
    expect(parsed.locations.get("conditionalAccessBaseline.breakGlass")).toEqual({ line: 5, column: 3 });
  });

  it("allows reportOnly while security defaults are on, refuses on", () => {
    expect(
      parseDesiredState(text("reportOnly", "true"), "t.yaml", { today: TODAY }).conditionalAccessBaseline?.state,
    ).toBe("reportOnly");
    expect(issuesOf(() => parseDesiredState(text("on", "true"), "t.yaml", { today: TODAY }))).toEqual([
      "3:3 conditionalAccessBaseline.state: state: on needs securityDefaults.enabled: false declared (Entra refuses to turn Conditional Access policies on while security defaults are on); use state: reportOnly until then",
    ]);
  });

  it("refuses an empty break-glass list", () => {
    expect(
      issuesOf(() =>
        parseDesiredState("conditionalAccessBaseline:\n  state: reportOnly\n  breakGlass: []\n", "t.yaml", {
          today: TODAY,
        }),
      ),
    ).toEqual(["3:15 conditionalAccessBaseline.breakGlass: must list at least one emergency-access account"]);
  });
});

describe("duplicates are found in one pass over large lists, in file order (fuzzer D5)", () => {
  it("reports each duplicate break-glass address at its item, in file order", () => {
    const text = [
      "conditionalAccessBaseline:",
      "  state: reportOnly",
      "  breakGlass: [a@contoso.com, b@contoso.com, A@contoso.com, c@contoso.com, b@contoso.com, B@Contoso.com]",
      "",
    ].join("\n");
    expect(issuesOf(() => parseDesiredState(text, "t.yaml", { today: TODAY }))).toEqual([
      '3:46 conditionalAccessBaseline.breakGlass[2]: duplicate address "a@contoso.com" (addresses are compared ignoring case)',
      '3:76 conditionalAccessBaseline.breakGlass[4]: duplicate address "b@contoso.com" (addresses are compared ignoring case)',
      '3:91 conditionalAccessBaseline.breakGlass[5]: duplicate address "b@contoso.com" (addresses are compared ignoring case)',
    ]);
  });

  it("reports each duplicate app name, in any case, in file order", () => {
    const app = (name: string) =>
      `    ${name}: { mailbox: ${name.toLowerCase()}@contoso.com, create: true, credential: { type: password } }`;
    const text = ["oauth:", "  apps:", ...["erp", "Scan", "ERP", "plot", "scan", "erp"].map(app), ""].join("\n");
    expect(issuesOf(() => parseDesiredState(text, "t.yaml", { today: TODAY }))).toEqual([
      "5:5 oauth.apps.ERP: duplicate app name",
      "7:5 oauth.apps.scan: duplicate app name",
      "8:5 oauth.apps.erp: duplicate app name",
    ]);
  });

  // No validate case in bench/: the suite's timeout is the guard. 100,000 items (the documented
  // ~110,000 in 4 MiB) took 30–58 s with a list scan per item, about 2 s with a set.
  it("accepts 100,000 service accounts", () => {
    const accounts = Array.from({ length: 100_000 }, (_, i) => `    - svc${i}@contoso.com`);
    const text = [
      "conditionalAccessBaseline:",
      "  state: reportOnly",
      "  breakGlass: [bg@contoso.com]",
      "  serviceAccounts:",
      ...accounts,
      "",
    ];
    const state = parseDesiredState(text.join("\n"), "t.yaml", { today: TODAY });
    expect(state.conditionalAccessBaseline?.serviceAccounts).toHaveLength(100_000);
    expect(state.conditionalAccessBaseline?.serviceAccounts.at(-1)).toBe("svc99999@contoso.com");
  });
});
