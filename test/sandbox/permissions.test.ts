/**
 * The permission matrix: every operation in m365/permissions.ts refuses a token without its
 * application permission (Graph 403 Authorization_RequestDenied; Exchange 401 "User is not allowed to
 * call …" by default, the other real shapes and the old 403 behind the roleRefusal switch)
 * and accepts a token holding only the least-privileged one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../sandbox/server.ts";
import { GraphCodes } from "../../sandbox/errors/graph.ts";
import { ExchangeCodes, ExchangeExceptions } from "../../sandbox/errors/exchange.ts";
import {
  checkPermission,
  describeAppPermission,
  leastPrivileged,
  PERMISSIONS,
  type OperationName,
} from "../../m365/permissions.ts";
import { call, FIXTURE, LIVE, startTestSandbox } from "./helpers.ts";

interface Case {
  method: string;
  path: string;
  body?: unknown;
}

/** One representative request per operation. A new operation without a case fails the suite. */
const CASES: Record<OperationName, Case> = {
  "graph.securityDefaults.read": { method: "GET", path: "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy" },
  "graph.securityDefaults.write": {
    method: "PATCH",
    path: "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy",
    body: { isEnabled: true },
  },
  "graph.users.read": { method: "GET", path: "/v1.0/users?$top=1" },
  "graph.licenseDetails.read": { method: "GET", path: "/v1.0/users/scanner@contoso.com/licenseDetails" },
  "graph.perUserMfa.read": { method: "GET", path: "/beta/users/scanner@contoso.com/authentication/requirements" },
  "graph.perUserMfa.write": {
    method: "PATCH",
    path: "/beta/users/scanner@contoso.com/authentication/requirements",
    body: { perUserMfaState: "enforced" },
  },
  "graph.conditionalAccess.read": { method: "GET", path: "/v1.0/identity/conditionalAccess/policies" },
  "graph.signIns.read": { method: "GET", path: "/v1.0/auditLogs/signIns?$top=1" },
  "graph.memberOf.read": { method: "GET", path: "/v1.0/users/scanner@contoso.com/transitiveMemberOf" },
  "exchange.Get-CASMailbox": { method: "Get-CASMailbox", path: "", body: { Identity: "scanner@contoso.com" } },
  "exchange.Set-CASMailbox": {
    method: "Set-CASMailbox",
    path: "",
    body: { Identity: "scanner@contoso.com", SmtpClientAuthenticationDisabled: true },
  },
  "exchange.Get-TransportConfig": { method: "Get-TransportConfig", path: "", body: {} },
  "exchange.Set-TransportConfig": {
    method: "Set-TransportConfig",
    path: "",
    body: { SmtpClientAuthenticationDisabled: true },
  },
  "exchange.Get-OrganizationConfig": { method: "Get-OrganizationConfig", path: "", body: {} },
  "exchange.Set-OrganizationConfig": {
    method: "Set-OrganizationConfig",
    path: "",
    body: { DefaultAuthenticationPolicy: null },
  },
  "exchange.Get-AuthenticationPolicy": { method: "Get-AuthenticationPolicy", path: "", body: {} },
  "exchange.New-AuthenticationPolicy": { method: "New-AuthenticationPolicy", path: "", body: { Name: "Matrix" } },
  "exchange.Set-AuthenticationPolicy": {
    method: "Set-AuthenticationPolicy",
    path: "",
    body: { Identity: "Block Basic Auth", AllowBasicAuthSmtp: false },
  },
  "exchange.Get-User": { method: "Get-User", path: "", body: { Identity: "scanner@contoso.com" } },
  "exchange.Set-User": {
    method: "Set-User",
    path: "",
    body: { Identity: "scanner@contoso.com", AuthenticationPolicy: null },
  },
  "exchange.Get-ServicePrincipal": { method: "Get-ServicePrincipal", path: "", body: {} },
  "exchange.New-ServicePrincipal": {
    method: "New-ServicePrincipal",
    path: "",
    body: { AppId: FIXTURE.scannerOauth.appId, ObjectId: FIXTURE.scannerOauth.spId },
  },
  "exchange.Remove-ServicePrincipal": {
    method: "Remove-ServicePrincipal",
    path: "",
    body: { Identity: "not-registered" },
  },
  "exchange.Get-MailboxPermission": {
    method: "Get-MailboxPermission",
    path: "",
    body: { Identity: "scanner@contoso.com" },
  },
  "exchange.Add-MailboxPermission": {
    method: "Add-MailboxPermission",
    path: "",
    body: { Identity: "scanner@contoso.com", User: "alice@contoso.com", AccessRights: ["FullAccess"] },
  },
  "exchange.Remove-MailboxPermission": {
    method: "Remove-MailboxPermission",
    path: "",
    body: { Identity: "scanner@contoso.com", User: "alice@contoso.com", AccessRights: ["FullAccess"] },
  },
};

const OPS = Object.keys(PERMISSIONS) as OperationName[];

describe("permission table", () => {
  it("has a matrix case for every operation", () => {
    expect(Object.keys(CASES).sort()).toEqual([...OPS].sort());
  });

  it("names the missing permission for the providers' messages", () => {
    expect(describeAppPermission("graph.securityDefaults.write")).toBe(
      "the application permission Policy.ReadWrite.SecurityDefaults (or Policy.ReadWrite.ConditionalAccess) on Microsoft Graph",
    );
    expect(leastPrivileged("graph.perUserMfa.write")).toBe("Policy.ReadWrite.AuthenticationMethod");
    expect(checkPermission("graph.securityDefaults.write", ["Policy.Read.All"])).toEqual({
      ok: false,
      missing:
        "the application permission Policy.ReadWrite.SecurityDefaults (or Policy.ReadWrite.ConditionalAccess) on Microsoft Graph",
    });
    expect(checkPermission("exchange.Set-TransportConfig", ["Exchange.ManageAsApp"], ["Global Reader"])).toEqual({
      ok: false,
      missing:
        "one of the Entra roles Exchange Administrator, Global Administrator assigned to the app's service principal",
    });
  });
});

describe.skipIf(LIVE)("permission matrix against the sandbox", () => {
  let sb: Sandbox;

  beforeAll(async () => {
    sb = await startTestSandbox({ throttle: false });
  });
  afterAll(() => sb.stop());

  function send(op: OperationName, token: string) {
    const c = CASES[op];
    if (op.startsWith("exchange.")) {
      return call(`${sb.baseUrl}/adminapi/beta/${sb.tenantId}/InvokeCommand`, {
        ca: sb.caPem,
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: { CmdletInput: { CmdletName: c.method, Parameters: c.body } },
      });
    }
    return call(`${sb.baseUrl}${c.path}`, {
      ca: sb.caPem,
      method: c.method,
      headers: { authorization: `Bearer ${token}` },
      ...(c.body ? { body: c.body } : {}),
    });
  }

  function tokenFor(appId: string, op: OperationName, roles?: string[]): string {
    const app = sb.store.findApp(appId)!;
    const aud = PERMISSIONS[op].resource === "graph" ? "https://graph.microsoft.com" : "https://outlook.office365.com";
    return sb.tokens.issueToken(app, aud, roles ? { roles } : {});
  }

  it.each(OPS.filter((op) => op.startsWith("graph.")))(
    "%s refuses an app without any permission (403 Authorization_RequestDenied)",
    async (op) => {
      const r = await send(op, tokenFor(FIXTURE.nobody.appId, op));
      expect(r.status).toBe(403);
      const err = (r.json as { error: { code: string; message: string } }).error;
      expect(err.code).toBe(GraphCodes.denied);
      expect(err.message).toBe("Insufficient privileges to complete the operation.");
    },
  );

  it.each(OPS.filter((op) => op.startsWith("exchange.")))(
    "%s refuses an app without any permission as Exchange does: 401 User is not allowed to call",
    async (op) => {
      const r = await send(op, tokenFor(FIXTURE.nobody.appId, op));
      expect(r.status).toBe(401);
      expect(r.json).toEqual({
        error: {
          code: ExchangeCodes.unauthorized,
          message: `User is not allowed to call ${op.slice("exchange.".length)}`,
        },
      });
      // Not a token refusal: no WWW-Authenticate challenge.
      expect(r.headers["www-authenticate"]).toBeUndefined();
    },
  );

  it("the other real refusal shapes and the old 403, behind the roleRefusal switch", async () => {
    const op = "exchange.Get-CASMailbox" as const;
    const token = tokenFor(FIXTURE.nobody.appId, op);
    const detail = (r: { json: unknown }) =>
      (r.json as { error: { details: { message: string }[] } }).error.details[0]!.message;
    try {
      sb.exchange.behaviour.roleRefusal = "400-authz";
      let r = await send(op, token);
      expect(r.status).toBe(400);
      expect(detail(r)).toBe(
        `Ex4C8E1D|${ExchangeExceptions.authzAccessDenied}|[FailureCategory=AuthZ-CmdletAccessDeniedException] The user isn't assigned to any management roles.`,
      );
      sb.exchange.behaviour.roleRefusal = "command-not-found";
      r = await send(op, token);
      expect(r.status).toBe(400);
      expect(detail(r)).toBe(
        `Ex1C2D3E|${ExchangeExceptions.commandNotFound}|The term 'Get-CASMailbox' is not recognized as a name of a cmdlet, function, script file, or executable program.`,
      );
      sb.exchange.behaviour.roleRefusal = "403";
      r = await send(op, token);
      expect(r.status).toBe(403);
      const err = (r.json as { error: { code: string; details: { message: string }[] } }).error;
      expect(err.code).toBe(ExchangeCodes.forbidden);
      expect(err.details[0]!.message).toContain(
        `${ExchangeExceptions.accessDenied}|The caller doesn't have the permission to run 'Get-CASMailbox'. Missing: the application permission Exchange.ManageAsApp`,
      );
    } finally {
      sb.exchange.reset();
    }
  });

  it.each(OPS)("%s accepts a token holding only its least-privileged permission", async (op) => {
    sb.store.reset();
    const r = await send(op, tokenFor(FIXTURE.automation.appId, op, [leastPrivileged(op)]));
    expect(r.status).not.toBe(403);
    expect(r.status).not.toBe(401);
  });

  it.each(OPS.filter((op) => /\.(Set|New|Add|Remove)-|\.write$/.test(op)))(
    "%s refuses the read-only audit app",
    async (op) => {
      const r = await send(op, tokenFor(FIXTURE.reader.appId, op));
      expect(r.status).toBe(op.startsWith("exchange.") ? 401 : 403);
    },
  );

  it.each(OPS.filter((op) => !/\.(Set|New|Add|Remove)-|\.write$/.test(op)))(
    "%s is allowed for the read-only audit app",
    async (op) => {
      const r = await send(op, tokenFor(FIXTURE.reader.appId, op));
      expect(r.status).toBe(200);
    },
  );

  it("Graph refuses a missing, malformed, expired, foreign or wrong-audience token with 401 InvalidAuthenticationToken", async () => {
    const app = sb.store.findApp(FIXTURE.automation.appId)!;
    const cases: [string | null, string][] = [
      [null, "Access token is empty."],
      ["not-a-jwt", "IDX14100: JWT is not well formed, there are no dots (.)."],
      [
        sb.tokens.issueToken(app, "https://graph.microsoft.com", { lifetimeSeconds: -5 }),
        "Lifetime validation failed, the token is expired.",
      ],
      [sb.tokens.issueToken(app, "https://outlook.office365.com"), "Invalid audience."],
    ];
    for (const [token, message] of cases) {
      const r = await call(`${sb.baseUrl}/v1.0/users`, {
        ca: sb.caPem,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      expect(r.status).toBe(401);
      expect((r.json as { error: { code: string; message: string } }).error).toMatchObject({
        code: GraphCodes.invalidToken,
        message,
      });
      expect(r.headers["www-authenticate"]).toMatch(/^Bearer realm=""/);
    }
    // A token signed by another key (another sandbox) is refused too.
    const other = await startTestSandbox({ throttle: false });
    const foreign = other.tokens.issueToken(
      other.store.findApp(FIXTURE.automation.appId)!,
      "https://graph.microsoft.com",
    );
    await other.stop();
    const r = await call(`${sb.baseUrl}/v1.0/users`, { ca: sb.caPem, headers: { authorization: `Bearer ${foreign}` } });
    expect(r.status).toBe(401);
    expect((r.json as { error: { message: string } }).error.message).toBe("Invalid signature.");
  });
});
