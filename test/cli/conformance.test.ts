/**
 * `m365-smtp-auth conformance` against the sandbox tenant over TLS, through runCli: every check
 * passes for the automation app; an app lacking a permission or role gets exactly that one named
 * (all of them at once), for every permission the checks need; --allow-writes sets and restores the
 * test mailbox's switch; --record writes a sanitised record that replays against the validators.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../sandbox/server.ts";
import { PERMISSIONS, describeAppPermission, type OperationName } from "../../m365/permissions.ts";
import { READ_CHECKS } from "../../cli/conformance/checks.ts";
import { replayRecord, sanitize } from "../../cli/conformance/record.ts";
import { validateAnswer } from "../../cli/conformance/shapes.ts";
import { stackConfig } from "../../cli/conformance/stack-config.ts";
import { runConformanceCommand } from "../../cli/conformance/command.ts";
import { NOBODY_APP, SCANNER, run } from "./helpers.ts";

const AUTOMATION = "6b1e0c5d-2f43-4a8e-b7d9-0e4c3a2f1d90";
const TENANT = "3f1c2b8e-7d4a-4e2b-9c61-5a0f8e2d4b17";
const dir = mkdtempSync(path.join(tmpdir(), "conformance-"));

interface Json {
  ok: boolean;
  cloud: string;
  tenantGuid: string;
  missing: string[];
  checks: { id: string; status: string; missing?: string; note?: string }[];
}

let sb: Sandbox;
const conformance = async (args: string[], env: Record<string, string> = {}) => {
  const r = await run(sb, ["conformance", "--ca", sb.caCertPath, "--mailbox", SCANNER, ...args], env);
  return { ...r, json: args.includes("--json") ? (JSON.parse(r.out) as Json) : undefined };
};

beforeAll(async () => {
  sb = await startSandbox({ throttle: false, smtp: false, log: () => {} });
});
afterAll(() => sb.stop());
beforeEach(() => sb.store.reset());

describe("conformance against the sandbox", () => {
  it("passes every check for the automation app, and names the tenant and its cloud", async () => {
    const record = path.join(dir, "record.json");
    const r = await conformance(["--record", record]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^conformance: tenant ${TENANT}, cloud custom \\(127\\.0\\.0\\.1\\)\\n`, "u"));
    expect(r.out).toMatch(
      new RegExp(
        `\\n${READ_CHECKS.length + 2} passed, 0 missing a permission, 0 with an unexpected answer, 0 failed, 0 skipped\\n$`,
        "u",
      ),
    );

    // The record replays against the same validators and holds no secret, token or address.
    const text = readFileSync(record, "utf8");
    expect(replayRecord(JSON.parse(text))).toEqual([]);
    expect(text).not.toMatch(/sandbox-automation-secret|eyJ|@contoso\.com|@fabrikam|3f1c2b8e/u);
    expect(Object.keys((JSON.parse(text) as { answers: object }).answers).sort()).toEqual(
      READ_CHECKS.map((c) => c.id).sort(),
    );
  });

  it("given the tenant as a domain, names its GUID", async () => {
    const r = await conformance(["--json", "--tenant", "contoso.com"]);
    expect(r.code).toBe(0);
    expect(r.json!.checks[0]!.note).toBe(
      `roles: Policy.Read.All, Policy.ReadWrite.SecurityDefaults, Policy.ReadWrite.AuthenticationMethod, User.Read.All, AuditLog.Read.All; tenantId is set to contoso.com: set it to the tenant's GUID ${TENANT}`,
    );
  });

  it("names every missing permission at once for an app with none", async () => {
    const r = await conformance(["--json"], {
      M365_CLIENT_ID: NOBODY_APP.appId,
      M365_CLIENT_SECRET: NOBODY_APP.secret,
    });
    expect(r.code).toBe(1);
    const graphOps = [...new Set(READ_CHECKS.filter((c) => c.api === "graph").map((c) => c.operation))];
    expect([...r.json!.missing].sort()).toEqual(
      [
        ...new Set(graphOps.map(describeAppPermission)),
        "the application permission Exchange.ManageAsApp on Office 365 Exchange Online",
      ].sort(),
    );
    // Tokens are issued (an app needs no permission for that); every call is named as refused.
    expect(r.json!.checks.filter((c) => c.status !== "missing").map((c) => c.id)).toEqual([
      "token.graph",
      "token.exchange",
    ]);
  });

  // Each Graph permission a check needs, taken away alone: exactly the checks that need it are named.
  const graphOps = [...new Set(READ_CHECKS.filter((c) => c.api === "graph").map((c) => c.operation))];
  it.each(graphOps)("names what %s needs when the app lacks it", async (op) => {
    const app = sb.store.findApp(AUTOMATION)!;
    const removed = PERMISSIONS[op].anyOf as readonly string[];
    const left = app.roles.graph.filter((r) => !removed.includes(r));
    sb.store.updateApp(AUTOMATION, { roles: { ...app.roles, graph: left } });
    const r = await conformance(["--json"]);
    expect(r.code).toBe(1);
    const refused = READ_CHECKS.filter(
      (c) => c.api === "graph" && !(PERMISSIONS[c.operation].anyOf as readonly string[]).some((x) => left.includes(x)),
    );
    expect(r.json!.checks.filter((c) => c.status === "missing").map((c) => c.id)).toEqual(refused.map((c) => c.id));
    expect(r.json!.missing).toEqual([...new Set(refused.map((c) => describeAppPermission(c.operation)))]);
    expect(r.json!.missing).toContain(describeAppPermission(op));
  });

  it("names Exchange.ManageAsApp for every Exchange read when the app lacks it", async () => {
    const app = sb.store.findApp(AUTOMATION)!;
    sb.store.updateApp(AUTOMATION, { roles: { ...app.roles, exchange: [] } });
    const r = await conformance(["--json"]);
    const exchange = r.json!.checks.filter((c) => c.id.startsWith("exchange."));
    expect(exchange.map((c) => c.status)).toEqual(exchange.map(() => "missing"));
    expect(r.json!.missing).toEqual(["the application permission Exchange.ManageAsApp on Office 365 Exchange Online"]);
  });

  it("names the Entra role when the app's service principal holds none", async () => {
    sb.store.updateApp(AUTOMATION, { directoryRoles: [] });
    const r = await conformance(["--json"]);
    const exchange = READ_CHECKS.filter((c) => c.api === "exchange");
    const roles = (op: OperationName) => (PERMISSIONS[op] as { adminRoles: readonly string[] }).adminRoles.join(", ");
    expect(r.json!.missing).toEqual([
      ...new Set(
        exchange.map((c) => `one of the Entra roles ${roles(c.operation)} assigned to the app's service principal`),
      ),
    ]);
  });

  it("--allow-writes sets and restores the mailbox's SMTP AUTH switch", async () => {
    const before = sb.store.findUser(SCANNER)!.smtpClientAuthenticationDisabled;
    const r = await conformance(["--allow-writes", "--json"]);
    expect(r.code).toBe(0);
    expect(r.json!.checks.at(-1)).toMatchObject({
      id: "write.Set-CASMailbox",
      status: "pass",
      note: "disabled → enabled → disabled",
    });
    expect(sb.store.findUser(SCANNER)!.smtpClientAuthenticationDisabled).toBe(before);
  });

  it("makes no write without --allow-writes, and refuses --allow-writes without --mailbox", async () => {
    const before = sb.store.snapshot();
    expect((await conformance([])).code).toBe(0);
    expect(sb.store.snapshot()).toEqual(before);
    const r = await run(sb, ["conformance", "--ca", sb.caCertPath, "--allow-writes"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--allow-writes needs --mailbox/u);
  });
});

describe("the checks cover the code's reads", () => {
  /** The source of the modules that read the tenant (providers, facts reader, program, export, doctor). */
  const sources = ["tenant", "providers", "providers/kinds", "program", "cli", "cli/doctor"]
    .flatMap((d) =>
      readdirSync(new URL(`../../${d}/`, import.meta.url))
        .filter((f) => f.endsWith(".ts"))
        .map((f) => readFileSync(new URL(`../../${d}/${f}`, import.meta.url), "utf8")),
    )
    .join("\n");
  const calls = READ_CHECKS.map((c) => c.call).join("\n");

  it("every Get- cmdlet the code invokes has a check", () => {
    const cmdlets = [...new Set([...sources.matchAll(/invoke\("(Get-[A-Za-z]+)"/gu)].map((m) => m[1]!))];
    expect(cmdlets.length).toBeGreaterThan(5);
    expect(cmdlets.filter((c) => !READ_CHECKS.some((k) => k.id === `exchange.${c}`))).toEqual([]);
  });

  it("every Graph path the code reads has a check", () => {
    const paths = [...sources.matchAll(/(?:\$\{graphUrl\}|["`])\/(?:v1\.0|beta)\/([^`"?]*)/gu)]
      .map((m) => m[1]!.replace(/\$\{[^}]*\}/gu, "{id}"))
      .filter((p) => p !== "$batch" || calls.includes("$batch"));
    expect(paths.length).toBeGreaterThan(5);
    const normalised = calls.replace(/\{[a-z]+\}/gu, "{id}");
    expect([...new Set(paths)].filter((p) => !normalised.includes(p))).toEqual([]);
  });
});

describe("shapes, records and stack config", () => {
  it("names the property an answer lacks, and a record whose answer drifted no longer replays", () => {
    expect(
      validateAnswer("graph.licenseDetails", [{ skuPartNumber: "X", servicePlans: [{ servicePlanName: "P" }] }]),
    ).toEqual(["[0].servicePlans[0].provisioningStatus: expected string, got nothing"]);
    const record = {
      format: "m365-smtp-auth conformance record v1",
      cloud: "global",
      tenant: null,
      checks: [{ id: "graph.perUserMfa", api: "graph", call: "", usedBy: "", status: "pass" }],
      answers: { "graph.perUserMfa": { perUserMfaState: "sometimes" } },
    };
    expect(replayRecord(record)).toEqual([
      'graph.perUserMfa: recorded [], validators say ["perUserMfaState: expected disabled, enabled or enforced, got \\"sometimes\\""]',
    ]);
    expect(() => replayRecord({})).toThrow(/not a conformance record/u);
  });

  it("hashes addresses and names, drops secrets and tokens, keeps types", () => {
    expect(
      sanitize({
        mail: "a@b.com",
        proxyAddresses: ["SMTP:a@b.com"],
        displayName: "Alice",
        clientSecret: "s",
        n: 1,
        t: "eyJa.eyJb.c",
      }),
    ).toEqual({
      mail: expect.stringMatching(/^[0-9a-f]{12}@hashed\.invalid$/u) as unknown,
      proxyAddresses: [expect.stringMatching(/^SMTP:[0-9a-f]{12}@hashed\.invalid$/u) as unknown],
      displayName: expect.stringMatching(/^hashed-[0-9a-f]{12}$/u) as unknown,
      n: 1,
      t: "[token removed]",
    });
  });

  it("--stack reads the stack's config through Pulumi, and names the stack when it cannot", () => {
    const config = JSON.stringify({
      "m365-smtp-auth:tenantId": { value: TENANT, secret: false },
      "m365-smtp-auth:clientSecret": { value: "s3cret", secret: true },
      "aws:region": { value: "x" },
    });
    expect(stackConfig("prod", () => ({ status: 0, stdout: config, stderr: "" }))).toEqual({
      tenantId: TENANT,
      clientSecret: "s3cret",
    });
    expect(() =>
      stackConfig("nope", () => ({ status: 255, stdout: "", stderr: "error: no stack named 'nope' found\n" })),
    ).toThrow("--stack nope: cannot read the stack's config: no stack named 'nope' found");
  });

  it("a --stack run uses the stack's connection", async () => {
    const env = sb.env;
    let out = "";
    const code = await runConformanceCommand(
      ["--stack", "sandbox", "--ca", sb.caCertPath, "--mailbox", SCANNER],
      {
        stdout: (s) => (out += s),
        stderr: () => {},
        env: {},
        readStdin: () => Promise.resolve(null),
        now: () => new Date(),
      },
      () => ({
        status: 0,
        stderr: "",
        stdout: JSON.stringify(
          Object.fromEntries(
            (
              [
                ["tenantId", env.M365_TENANT_ID],
                ["clientId", env.M365_CLIENT_ID],
                ["clientSecret", env.M365_CLIENT_SECRET],
                ["authorityHost", env.M365_AUTHORITY_HOST],
                ["graphUrl", env.M365_GRAPH_URL],
                ["exchangeUrl", env.M365_EXCHANGE_URL],
              ] as const
            ).map(([k, v]) => [`m365-smtp-auth:${k}`, { value: v }]),
          ),
        ),
      }),
    );
    expect(code).toBe(0);
    expect(out).toContain(`conformance: tenant ${TENANT}`);
  });
});
