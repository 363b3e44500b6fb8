/**
 * Issue 16.7: the JSON Schema for tenant.yaml (desired/schema.ts → desired/tenant.schema.json) and
 * `m365-smtp-auth validate`, run as a real process.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Ajv from "ajv";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildTenantSchema } from "../../desired/schema.ts";
import { TOP_KEYS } from "../../desired/tenant-yaml.ts";

const root = path.join(import.meta.dirname, "..", "..");
const committed = JSON.parse(readFileSync(path.join(root, "desired", "tenant.schema.json"), "utf8")) as object;
const validator = new Ajv({ allErrors: true }).compile(committed);

function errorsOf(doc: unknown): string[] {
  return validator(doc) ? [] : (validator.errors ?? []).map((e) => `${e.dataPath} ${e.message ?? ""}`);
}

/** The ```yaml blocks of a Markdown file that are whole tenant.yaml files (only top-level keys). */
function yamlExamples(file: string): { where: string; doc: unknown }[] {
  const text = readFileSync(file, "utf8");
  const out: { where: string; doc: unknown }[] = [];
  for (const m of text.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    const doc = parse(m[1]!) as unknown;
    const line = text.slice(0, m.index).split("\n").length;
    if (
      typeof doc === "object" &&
      doc !== null &&
      Object.keys(doc).every((k) => (TOP_KEYS as readonly string[]).includes(k))
    ) {
      out.push({ where: `${path.relative(root, file)}:${line}`, doc });
    }
  }
  return out;
}

describe("tenant.schema.json", () => {
  it("is what desired/schema.ts builds from the loader's keys and states (npm run schema)", () => {
    expect(committed).toEqual(buildTenantSchema());
  });

  const stacks = readdirSync(path.join(root, "stacks")).map((s) => path.join("stacks", s, "tenant.yaml"));
  it.each(stacks)("%s validates and points the editor at the schema", (file) => {
    const text = readFileSync(path.join(root, file), "utf8");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=../../desired/tenant.schema.json");
    expect(errorsOf(parse(text))).toEqual([]);
  });

  it("accepts every whole-file example in the docs", () => {
    const examples = readdirSync(path.join(root, "docs"))
      .filter((f) => f.endsWith(".md"))
      .flatMap((f) => yamlExamples(path.join(root, "docs", f)));
    expect(examples.length).toBeGreaterThanOrEqual(4);
    for (const e of examples) expect([e.where, errorsOf(e.doc)]).toEqual([e.where, []]);
  });

  it.each([
    [
      "invalid-mailbox-state.yaml",
      ".smtpAuth.mailboxes['legacy-app@contoso.com'] should be equal to one of the allowed values",
    ],
    ["unknown-top-level-key.yaml", " should NOT have additional properties"],
    ["invalid-mfa-state.yaml", "should be equal to one of the allowed values"],
    [
      "oauth-app-id-not-a-guid.yaml",
      ".oauth.apps['scanner'].appId should match pattern \"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-",
    ],
    // A present but empty section: the loader and the schema agree (fuzzer D6).
    ["smtpauth-empty-flow-mapping.yaml", ".smtpAuth should NOT have fewer than 1 properties"],
    ["mfa-empty-flow-mapping.yaml", ".mfa should NOT have fewer than 1 properties"],
    ["oauth-apps-no-value.yaml", ".oauth.apps should be object"],
  ])("rejects test/desired/malformed/%s", (file, expected) => {
    const doc = parse(readFileSync(path.join(root, "test", "desired", "malformed", file), "utf8")) as unknown;
    expect(errorsOf(doc).join("\n")).toContain(expected);
  });

  // An empty map of named entries is "none listed yet", for the schema as for the loader (fuzzer D6;
  // test/desired/tenant-yaml.test.ts has the loader's side, docs/tenant-yaml.md says why).
  it.each([
    "smtpAuth: { mailboxes: {} }",
    "smtpAuth: { mailboxes: {}, others: inherit }",
    "mfa: { users: {} }",
    "oauth: { apps: {} }",
  ])("accepts %s", (text) => {
    expect(errorsOf(parse(text))).toEqual([]);
  });
});

describe("m365-smtp-auth validate (real process)", () => {
  const node = process.execPath; // Node 24, as npm scripts run it (node_modules/.bin/node is a shim on Windows)
  const cli = path.join(root, "cli", "main.ts");
  const dir = mkdtempSync(path.join(tmpdir(), "validate-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[], cwd = root) => {
    const started = performance.now();
    const r = spawnSync(node, [cli, "validate", ...args], { cwd, encoding: "utf8" });
    return { code: r.status, out: r.stdout, err: r.stderr, ms: performance.now() - started };
  };

  it("checks every stack's tenant.yaml in well under a second", () => {
    const r = run([]);
    expect(r.err).toBe("");
    expect(r.out).toBe(
      "stacks/sandbox-oauth/tenant.yaml: valid (security defaults, organisation SMTP AUTH, 1 mailbox, 1 OAuth app)\n" +
        "stacks/sandbox/tenant.yaml: valid (security defaults, organisation SMTP AUTH, 1 mailbox, 1 MFA user)\n" +
        "2 files valid, 0 invalid\n",
    );
    expect(r.code).toBe(0);
    expect(r.ms).toBeLessThan(1_500); // ~0.3 s on a quiet machine; the bound leaves room for a busy one
  });

  it("prints the preview's positioned errors and exits 1", () => {
    const file = path.join(dir, "tenant.yaml");
    writeFileSync(file, "smtpAuth:\n  mailboxes:\n    scanner@contoso.com: { state: enable }\n  other: unmanaged\n");
    const r = run(["tenant.yaml", "--today", "2026-11-30"], dir);
    expect(r.out).toBe("");
    expect(r.err).toBe(
      "tenant.yaml: 2 problems in the desired state; nothing was sent to the tenant\n" +
        '  tenant.yaml:3:35 smtpAuth.mailboxes.scanner@contoso.com.state: invalid state "enable"; allowed: inherit, enabled, disabled\n' +
        '  tenant.yaml:4:3 smtpAuth.other: unknown key; did you mean "others"? Known keys here: organization, mailboxes, others\n',
    );
    expect(r.code).toBe(1);
  });

  it("reports a file the YAML library cannot resolve at its line and key, and goes on to the next file", () => {
    // Fuzzer finding D1: an invalid escape in a Windows path once stopped validate with a bare
    // "Invalid escape sequence \s", and the files after it were never checked.
    writeFileSync(
      path.join(dir, "windows-path.yaml"),
      'securityDefaults:\n  enabled: false\n  reason: "\\\\fs\\scans"\n',
    );
    writeFileSync(path.join(dir, "valid.yaml"), "mfa:\n  others: enforced\n");
    const r = run(["windows-path.yaml", "valid.yaml", "--today", "2026-11-30"], dir);
    expect(r.err).toBe(
      "windows-path.yaml: 1 problem in the desired state; nothing was sent to the tenant\n" +
        "  windows-path.yaml:3:16 securityDefaults.reason: YAML syntax error: Invalid escape sequence \\s\n",
    );
    expect(r.out).toBe("valid.yaml: valid (nothing managed)\n1 file valid, 1 invalid\n");
    expect(r.code).toBe(1);
  });

  it("counts mailboxes as mailboxes", () => {
    writeFileSync(
      path.join(dir, "two.yaml"),
      "smtpAuth:\n  mailboxes:\n    scanner@contoso.com: disabled\n    copier@contoso.com: disabled\n",
    );
    const r = run(["two.yaml", "--today", "2026-11-30"], dir);
    expect(r.out).toBe("two.yaml: valid (2 mailboxes)\n");
    expect(r.code).toBe(0);
  });

  it("exits 2 on bad arguments and prints its help", () => {
    expect(run(["--today", "soon"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("--today must be a date YYYY-MM-DD, got 'soon'") as unknown,
    });
    expect(run(["--help"])).toMatchObject({
      code: 0,
      out: expect.stringContaining("usage: m365-smtp-auth validate") as unknown,
    });
    expect(run([], dir)).toMatchObject({
      code: 2,
      err: expect.stringContaining("no file given and no stacks/<stack>/tenant.yaml found here") as unknown,
    });
  });
});
