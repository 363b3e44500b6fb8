import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trustCa } from "../../cli/connection.ts";
import { runCli } from "../../cli/main.ts";
import { loadDesiredState } from "../../desired/tenant-yaml.ts";
import { startProgram, type ProgramUnderTest } from "../helpers/program.ts";

/** `export` writes tenant.yaml from the live tenant; the first up then changes nothing in it. */
describe("adopting an existing tenant with export", { timeout: 240_000 }, () => {
  let program: ProgramUnderTest;
  beforeAll(async () => {
    program = await startProgram();
    // In-process, the CLI trusts the sandbox's CA as NODE_EXTRA_CA_CERTS would make a child process do.
    trustCa(program.sandbox.caPem);
  });
  afterAll(() => program.stop());

  it("writes the tenant's state, then up records it without a single write", async () => {
    const out = path.join(program.project.dir, "stacks", "test", "tenant.yaml");
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runCli(
      ["export", "--out", out, "--force", "--owner", "it@contoso.com", "--expires", "2027-03-31"],
      {
        stdout: (s) => stdout.push(s),
        stderr: (s) => stderr.push(s),
        env: program.sandbox.env,
        readStdin: async () => null,
        now: () => new Date("2026-11-29T12:00:00Z"),
      },
    );
    expect(stderr.join("")).toBe("");
    expect(code).toBe(0);
    expect(readFileSync(out, "utf8"))
      .toBe(`# Exported from the tenant on 2026-11-29 by 'm365-smtp-auth export'. Review before committing:
# each exception below was found in the tenant; confirm its owner, ticket and expiry.

securityDefaults:
  enabled: true

smtpAuth:
  organization: disabled
  mailboxes:
    bob@contoso.com: { state: enabled, owner: it@contoso.com, ticket: EXPORTED, expires: 2027-03-31 }
    scanner@contoso.com: disabled
  others: unmanaged

mfa:
  users:
    printer@contoso.com: enabled
    scanner@contoso.com: enforced
`);
    program.sandbox.requestLog.clear();
    await program.ok(["up", "--yes", "--skip-preview"]);
    const writes = program.sandbox.requestLog
      .entries()
      .filter((e) => e.method === "PATCH" || /InvokeCommand (Set|New|Add|Remove)-/.test(e.endpoint));
    expect(writes).toEqual([]);
    await program.ok(["preview", "--refresh", "--expect-no-changes"]);
  });
});

/** Addresses that YAML reads as a comment, tag, anchor or alias when written plain (issue 17 item 7). */
describe("export quotes what YAML needs quoted", { timeout: 240_000 }, () => {
  let program: ProgramUnderTest;
  beforeAll(async () => {
    program = await startProgram();
    trustCa(program.sandbox.caPem);
  });
  afterAll(() => program.stop());

  const HOSTILE = ["#ops@contoso.com", "!printer@contoso.com", "&copier@contoso.com", "*fax@contoso.com"];

  it("addresses beginning with #, !, & and * survive the round trip: export, load, up without a write", async () => {
    // Out of band, through the sandbox's admin endpoint: four mailboxes with an SMTP AUTH exception and MFA enforced.
    const sb = program.sandbox;
    const admin = async (method: string, body?: unknown) => {
      const r = await fetch(`${sb.baseUrl}/_sandbox/state`, {
        method,
        headers: { authorization: `Bearer ${sb.adminToken}`, "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(r.status, await r.clone().text()).toBeLessThan(300);
      return r;
    };
    const { users } = (await (await admin("GET")).json()) as { users: unknown[] };
    const added = HOSTILE.map((upn, i) => ({
      id: `0000000${i}-5c1e-4d2a-9b7e-3f6a8c9d0e1f`,
      userPrincipalName: upn,
      displayName: upn,
      mail: upn,
      accountEnabled: true,
      licenses: ["EXCHANGESTANDARD"],
      hasMailbox: true,
      directoryRoles: [],
      perUserMfa: "enforced",
      mfaMethodRegistered: true,
      locked: false,
      smtpClientAuthenticationDisabled: false,
      authenticationPolicy: null,
    }));
    await admin("PATCH", { users: [...users, ...added] });

    const out = path.join(program.project.dir, "stacks", "test", "tenant.yaml");
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runCli(
      ["export", "--out", out, "--force", "--owner", "it@contoso.com", "--expires", "2027-03-31"],
      {
        stdout: (s) => stdout.push(s),
        stderr: (s) => stderr.push(s),
        env: sb.env,
        readStdin: async () => null,
        now: () => new Date("2026-11-29T12:00:00Z"),
      },
    );
    expect(stderr.join("")).toBe("");
    expect(code).toBe(0);
    expect(stdout.join("")).toContain("6 mailbox exception(s), 6 user(s) with per-user MFA");
    const text = readFileSync(out, "utf8");
    for (const upn of HOSTILE) {
      expect(text).toContain(
        `    "${upn}": { state: enabled, owner: it@contoso.com, ticket: EXPORTED, expires: 2027-03-31 }\n`,
      );
      expect(text).toContain(`    "${upn}": enforced\n`);
    }
    const state = loadDesiredState(out, { today: "2026-11-29" });
    expect(state.mailboxes.map((m) => m.mailbox).filter((m) => HOSTILE.includes(m))).toEqual(
      [...HOSTILE].sort((a, b) => a.localeCompare(b)),
    );
    expect(state.mfaUsers.map((u) => u.user).filter((u) => HOSTILE.includes(u))).toEqual(
      [...HOSTILE].sort((a, b) => a.localeCompare(b)),
    );

    program.sandbox.requestLog.clear();
    await program.ok(["up", "--yes", "--skip-preview"]);
    const writes = program.sandbox.requestLog
      .entries()
      .filter((e) => e.method === "PATCH" || /InvokeCommand (Set|New|Add|Remove)-/.test(e.endpoint));
    expect(writes).toEqual([]);
    const exported = JSON.parse((await program.ok(["stack", "export"])).stdout) as {
      deployment: { resources: { urn: string }[] };
    };
    const names = exported.deployment.resources.map((r) => r.urn.split("::").pop());
    for (const upn of HOSTILE) expect(names).toEqual(expect.arrayContaining([`mailbox-${upn}`, `mfa-${upn}`]));
  });

  it("lists every problem when the output would not validate", async () => {
    const out = path.join(program.project.dir, "bad.yaml");
    const stderr: string[] = [];
    const code = await runCli(["export", "--out", out, "--owner", "not an address", "--expires", "2020-01-01"], {
      stdout: () => {},
      stderr: (s) => stderr.push(s),
      env: program.sandbox.env,
      readStdin: async () => null,
      now: () => new Date("2026-11-29T12:00:00Z"),
    });
    expect(code).not.toBe(0);
    // The five exceptions (bob's, and the four the test above added) each have two problems, all listed.
    expect(stderr.join("").split("\n")).toEqual([
      "m365-smtp-auth export: the exported file would not be valid (10 problems); nothing was written:",
      `  ${out}:10:54 smtpAuth.mailboxes.!printer@contoso.com.owner: "not an address" is not a valid mail address`,
      `  ${out}:10:97 smtpAuth.mailboxes.!printer@contoso.com.expires: expired on 2020-01-01 (today is 2026-11-29, UTC); renew it or remove the exception`,
      `  ${out}:11:50 smtpAuth.mailboxes.*fax@contoso.com.owner: "not an address" is not a valid mail address`,
      `  ${out}:11:93 smtpAuth.mailboxes.*fax@contoso.com.expires: expired on 2020-01-01 (today is 2026-11-29, UTC); renew it or remove the exception`,
      `  ${out}:12:53 smtpAuth.mailboxes.&copier@contoso.com.owner: "not an address" is not a valid mail address`,
      `  ${out}:12:96 smtpAuth.mailboxes.&copier@contoso.com.expires: expired on 2020-01-01 (today is 2026-11-29, UTC); renew it or remove the exception`,
      `  ${out}:13:50 smtpAuth.mailboxes.#ops@contoso.com.owner: "not an address" is not a valid mail address`,
      `  ${out}:13:93 smtpAuth.mailboxes.#ops@contoso.com.expires: expired on 2020-01-01 (today is 2026-11-29, UTC); renew it or remove the exception`,
      `  ${out}:14:47 smtpAuth.mailboxes.bob@contoso.com.owner: "not an address" is not a valid mail address`,
      `  ${out}:14:90 smtpAuth.mailboxes.bob@contoso.com.expires: expired on 2020-01-01 (today is 2026-11-29, UTC); renew it or remove the exception`,
      "",
    ]);
    expect(existsSync(out)).toBe(false);
  });
});
