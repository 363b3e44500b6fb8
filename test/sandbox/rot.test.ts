/** The sandbox never rots (issue 17 item 5): aged certificates are renewed; a bad admin PATCH changes nothing. */
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import type { Sandbox } from "../../sandbox/server.ts";
import { createPki, type SandboxPki } from "../../sandbox/tls.ts";
import { admin, call, FIXTURE, LIVE, startTestSandbox } from "./helpers.ts";

const DAY_MS = 86_400_000;

/** The PKI the sandbox would have written `days` ago (what reliability-scripts/age-sandbox-pki.ts does). */
function agedPki(days: number): SandboxPki {
  vi.useFakeTimers({ now: Date.now() - days * DAY_MS, toFake: ["Date"] });
  try {
    return createPki(["127.0.0.1", "localhost"], { fresh: true });
  } finally {
    vi.useRealTimers();
  }
}

/** A state dir holding `pki`, and a sandbox started on it with its log lines collected. */
async function startOn(pki: SandboxPki): Promise<{ sb: Sandbox; dir: string; log: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "sandbox-pki-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "ca.pem"), pki.caPem);
  writeFileSync(join(dir, "server-cert.pem"), pki.certPem);
  writeFileSync(join(dir, "server-key.pem"), pki.keyPem);
  const log: string[] = [];
  const sb = await startTestSandbox({ stateDir: dir, log: (line) => log.push(line) });
  onTestFinished(() => sb.stop());
  return { sb, dir, log };
}

describe.skipIf(LIVE)("a persisted certificate near or past its expiry is renewed at start", () => {
  it.each([
    [8, "the CA certificate expired on"],
    [6, "the CA certificate expires on"],
  ])("%i days old: a new CA and certificate, said in one log line, and TLS clients connect", async (days, why) => {
    const aged = agedPki(days);
    const { sb, dir, log } = await startOn(aged);

    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(
      new RegExp(
        `^\\[sandbox\\] TLS: ${why} \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z; made a new CA and server certificate \\(the CA's key is never stored, so the CA is renewed too\\), valid until \\d{4}-`,
      ),
    );
    expect(sb.caPem).not.toBe(aged.caPem);
    expect(readFileSync(join(dir, "ca.pem"), "utf8")).toBe(sb.caPem);
    const leaf = new X509Certificate(readFileSync(join(dir, "server-cert.pem"), "utf8"));
    const left = new Date(leaf.validTo).getTime() - Date.now();
    expect(left).toBeGreaterThan(6.9 * DAY_MS);
    expect(left).toBeLessThanOrEqual(7 * DAY_MS);

    // A real TLS client that trusts the new CA (as NODE_EXTRA_CA_CERTS=ca.pem does) is served.
    const info = await call(`${sb.baseUrl}/_sandbox/info`, {
      ca: readFileSync(join(dir, "ca.pem"), "utf8"),
      headers: { authorization: `Bearer ${sb.adminToken}` },
    });
    expect(info.status).toBe(200);
    // The old CA no longer verifies the server.
    await expect(call(`${sb.baseUrl}/_sandbox/info`, { ca: aged.caPem })).rejects.toMatchObject({
      code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    });
  });

  it("a certificate with days left is kept as it is, with no log line", async () => {
    const recent = agedPki(1);
    const { sb, dir, log } = await startOn(recent);
    expect(log).toEqual([]);
    expect(sb.caPem).toBe(recent.caPem);
    expect(readFileSync(join(dir, "server-cert.pem"), "utf8")).toBe(recent.certPem);
  });

  it("an unreadable certificate is renewed, not served", async () => {
    const { sb, log } = await startOn({ ...agedPki(1), certPem: "not a certificate" });
    expect(log).toEqual([
      expect.stringMatching(
        /^\[sandbox\] TLS: the server certificate in the state folder is missing or unreadable; made a new CA/,
      ),
    ]);
    expect((await call(`${sb.baseUrl}/_sandbox/info`, { ca: sb.caPem })).status).toBe(401);
  });
});

describe.skipIf(LIVE)("the admin endpoint checks a whole change before applying any of it", () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(() => sb.stop());

  const user = (upn: string) => ({
    id: "6f7f3b0e-1d2c-4c55-9a43-2b7c1f9e0a11",
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
  });

  it.each([
    [
      "a user without id",
      (users: unknown[]) => ({
        securityDefaultsEnabled: false,
        users: [...users, { ...user("ops@contoso.com"), id: undefined }],
      }),
      "[users.{n}.id] is required",
    ],
    [
      "a user with a bad MFA state",
      (users: unknown[]) => ({ users: [...users, { ...user("ops@contoso.com"), perUserMfa: "sometimes" }] }),
      "[users.{n}.perUserMfa] must be one of disabled, enabled, enforced",
    ],
    [
      "a user id twice",
      (users: unknown[]) => ({ users: [...users, { ...user("a@contoso.com") }, { ...user("b@contoso.com") }] }),
      "[users.{n+1}.id] repeats users.{n}.id",
    ],
    [
      "an unknown key",
      () => ({ securityDefaultsEnabled: false, tenantName: "x" }),
      "[tenantName] is not a changeable state key",
    ],
    ["a non-boolean switch", () => ({ basicAuthSmtpRetired: "yes" }), "[basicAuthSmtpRetired] must be true or false"],
  ])("PATCH /state with %s: 400 naming the field, and the store is unchanged", async (_, body, message) => {
    const before = (await admin(sb, "GET", "/state")).json as { users: unknown[] };
    const n = before.users.length;
    const r = await admin(sb, "PATCH", "/state", body(before.users));
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      error: {
        code: "SandboxAdminError",
        message: message.replace("{n+1}", String(n + 1)).replace("{n}", String(n)),
      },
    });
    expect((await admin(sb, "GET", "/state")).json).toEqual(before);
    expect(sb.store.read().securityDefaultsEnabled).toBe(true);
  });

  it("PUT /state with an app lacking roles: 400 naming the field, store unchanged", async () => {
    const before = (await admin(sb, "GET", "/state")).json as { apps: Record<string, unknown>[] };
    const apps = before.apps.map((a, i) => (i === 0 ? { ...a, roles: undefined } : a));
    const r = await admin(sb, "PUT", "/state", { ...before, securityDefaultsEnabled: false, apps });
    expect(r.status).toBe(400);
    expect((r.json as { error: { message: string } }).error.message).toBe("[apps.0.roles] is required");
    expect((await admin(sb, "GET", "/state")).json).toEqual(before);
  });

  it("a valid PATCH with a new user still applies", async () => {
    const before = (await admin(sb, "GET", "/state")).json as { users: unknown[] };
    const r = await admin(sb, "PATCH", "/state", { users: [...before.users, user("ops@contoso.com")] });
    expect(r.status).toBe(204);
    expect(sb.store.findUser("ops@contoso.com")?.perUserMfa).toBe("enforced");
    expect(sb.store.findUser(FIXTURE.scanner.upn)?.perUserMfa).toBe("enforced");
    expect((await admin(sb, "POST", "/reset")).status).toBe(204);
  });
});
