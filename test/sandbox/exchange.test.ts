import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../sandbox/server.ts";
import { EXCHANGE_SERVER_NAME, ExchangeCodes, ExchangeExceptions } from "../../sandbox/errors/exchange.ts";
import { FIXTURE, admin, call, fetchToken, invoke, LIVE, startTestSandbox } from "./helpers.ts";

const EXO = "https://outlook.office365.com/.default";

type InvokeBody = {
  "@odata.context": string;
  value: Record<string, unknown>[];
  "@odata.nextLink"?: string;
  "@adminapi.warnings"?: string[];
};
type ExoError = {
  error: {
    code: string;
    message: string;
    details: { code: string; target: string; message: string }[];
    innererror: { message: string; type: string };
  };
};

describe.skipIf(LIVE)("Exchange admin API (InvokeCommand)", () => {
  let sb: Sandbox;
  let token: string;
  let context: string;

  beforeAll(async () => {
    sb = await startTestSandbox({ throttle: false, generate: { users: 2500, seed: 7 } });
    token = await fetchToken(sb, FIXTURE.automation.appId, FIXTURE.automation.secret, EXO);
    context = `${sb.baseUrl}/adminapi/beta/${sb.tenantId}/$metadata#Collection(Exchange.GenericHashTable)`;
  });
  afterAll(() => sb.stop());
  beforeEach(() => {
    sb.store.reset();
    sb.requestLog.clear();
  });

  describe("Get-CASMailbox / Set-CASMailbox", () => {
    it("gets one mailbox by identity in the gateway's response shape: a real-sized object with @odata.type annotations", async () => {
      const r = await invoke(sb, token, "Get-CASMailbox", { Identity: "scanner@contoso.com" });
      expect(r.status).toBe(200);
      const body = r.json as InvokeBody;
      expect(body["@odata.context"]).toBe(context);
      const row = body.value[0]!;
      expect(row).toMatchObject({
        Identity: "scanner",
        Name: "scanner",
        DisplayName: "Scanner (3rd floor)",
        PrimarySmtpAddress: "scanner@contoso.com",
        ExternalDirectoryObjectId: FIXTURE.scanner.id,
        Guid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        "Guid@odata.type": "#Guid",
        EmailAddresses: ["SMTP:scanner@contoso.com", "smtp:scanner@contoso.onmicrosoft.com"],
        "EmailAddresses@odata.type": "#Collection(String)",
        "WhenChanged@odata.type": "#DateTimeOffset",
        SmtpClientAuthenticationDisabled: true,
      });
      expect(Object.keys(row).filter((k) => !k.includes("@"))).toHaveLength(69);
      expect(Object.keys(row).filter((k) => k.endsWith("@odata.type"))).toHaveLength(9);
      expect(sb.requestLog.counts()).toEqual({ "InvokeCommand Get-CASMailbox": 1 });
    });

    it("$select returns only the named properties (and their annotations), on every page", async () => {
      const url = `${sb.baseUrl}/adminapi/beta/${sb.tenantId}/InvokeCommand?$select=PrimarySmtpAddress,smtpclientauthenticationdisabled,Guid`;
      const first = (await invoke(sb, token, "Get-CASMailbox", { ResultSize: "Unlimited" }, { url }))
        .json as InvokeBody;
      expect(first.value[0]).toEqual({
        PrimarySmtpAddress: expect.any(String),
        SmtpClientAuthenticationDisabled: null,
        Guid: expect.any(String),
        "Guid@odata.type": "#Guid",
      });
      expect(first["@odata.nextLink"]).toContain(
        "$select=PrimarySmtpAddress%2Csmtpclientauthenticationdisabled%2CGuid",
      );
      const next = (
        await invoke(sb, token, "Get-CASMailbox", { ResultSize: "Unlimited" }, { url: first["@odata.nextLink"]! })
      ).json as InvokeBody;
      expect(Object.keys(next.value[0]!).sort()).toEqual([
        "Guid",
        "Guid@odata.type",
        "PrimarySmtpAddress",
        "SmtpClientAuthenticationDisabled",
      ]);
    });

    it("resolves identities by UPN, alias, object id and display name, case-insensitively", async () => {
      for (const id of ["SCANNER@contoso.com", "scanner", FIXTURE.scanner.id, "Scanner (3rd floor)"]) {
        const r = await invoke(sb, token, "Get-CASMailbox", { identity: id });
        expect((r.json as InvokeBody).value[0]!.PrimarySmtpAddress).toBe("scanner@contoso.com");
      }
    });

    it("answers 404 ManagementObjectNotFoundException for an unknown identity", async () => {
      const r = await invoke(sb, token, "Get-CASMailbox", { Identity: "ghost@contoso.com" });
      expect(r.status).toBe(404);
      const body = r.json as ExoError;
      expect(body.error.code).toBe(ExchangeCodes.notFound);
      expect(body.error.message).toBe("Error executing cmdlet");
      expect(body.error.details).toEqual([
        {
          code: "Client",
          target: "",
          message: `Ex6F9304|${ExchangeExceptions.objectNotFound}|The operation couldn't be performed because object 'ghost@contoso.com' couldn't be found on '${EXCHANGE_SERVER_NAME}'.`,
        },
      ]);
      expect(body.error.innererror.type).toBe("Microsoft.Exchange.Admin.OData.Core.ODataServiceException");
    });

    it("a user without a mailbox is not found by mailbox cmdlets", async () => {
      const r = await invoke(sb, token, "Get-CASMailbox", { Identity: "contractor@contoso.com" });
      expect(r.status).toBe(404);
    });

    it.each([["SmtpClientAuthenticationDisabled -eq $true"], ["SmtpClientAuthenticationDisabled -ne $null"]])(
      'refuses -Filter "%s" as Exchange does: the property is not filterable (400)',
      async (filter) => {
        const r = await invoke(sb, token, "Get-CASMailbox", { Filter: filter, ResultSize: "Unlimited" });
        expect(r.status).toBe(400);
        expect((r.json as ExoError).error.details[0]!.message).toBe(
          `Ex8B7E2D|${ExchangeExceptions.parameterBinding}|Cannot bind parameter 'Filter' to the target. Exception setting "Filter": ""SmtpClientAuthenticationDisabled" is not a recognized filterable property. Valid property names are: PrimarySmtpAddress, Name, ExternalDirectoryObjectId."`,
        );
      },
    );

    it("filters on a filterable property", async () => {
      const r = await invoke(sb, token, "Get-CASMailbox", { Filter: "PrimarySmtpAddress -eq 'bob@contoso.com'" });
      expect((r.json as InvokeBody).value.map((m) => m.PrimarySmtpAddress)).toEqual(["bob@contoso.com"]);
    });

    it("an empty or $null -Identity on a Get-* cmdlet returns every object, as Exchange documents", async () => {
      for (const Identity of ["", null]) {
        const r = await invoke(sb, token, "Get-CASMailbox", { Identity, ResultSize: 5 });
        expect(r.status).toBe(200);
        expect((r.json as InvokeBody).value).toHaveLength(5);
      }
    });

    it("pages with Prefer: odata.maxpagesize and an @odata.nextLink POSTed with the same body", async () => {
      const mailboxes = sb.store.users().filter((u) => u.hasMailbox).length;
      const seen: string[] = [];
      const links: string[] = [];
      let url: string | undefined;
      let pages = 0;
      do {
        const r = await invoke(
          sb,
          token,
          "Get-CASMailbox",
          { ResultSize: "Unlimited" },
          { headers: { Prefer: "odata.maxpagesize=500" }, ...(url ? { url } : {}) },
        );
        expect(r.status).toBe(200);
        const body = r.json as InvokeBody;
        expect(body.value.length).toBeLessThanOrEqual(500);
        seen.push(...body.value.map((m) => m.ExternalDirectoryObjectId as string));
        url = body["@odata.nextLink"];
        if (url) links.push(url);
        pages++;
      } while (url);
      expect(
        links.every((l) => l.startsWith(`${sb.baseUrl}/adminapi/beta/${sb.tenantId}/InvokeCommand?$skiptoken=`)),
      ).toBe(true);
      expect(seen).toHaveLength(mailboxes);
      expect(new Set(seen).size).toBe(mailboxes);
      expect(pages).toBe(Math.ceil(mailboxes / 500));
    });

    it("caps a page at 1000 and, without -ResultSize, returns the first 1000 with Exchange's warning", async () => {
      const r = await invoke(sb, token, "Get-CASMailbox", {}, { headers: { Prefer: "odata.maxpagesize=5000" } });
      const body = r.json as InvokeBody;
      expect(body.value).toHaveLength(1000);
      expect(body["@odata.nextLink"]).toBeUndefined();
      expect(body["@adminapi.warnings"]![0]).toMatch(/^By default, only the first 1000 items are returned\./);
    });

    it("an explicit -ResultSize truncates with the 'more results' warning", async () => {
      const body = (await invoke(sb, token, "Get-CASMailbox", { ResultSize: 3 })).json as InvokeBody;
      expect(body.value).toHaveLength(3);
      expect(body["@adminapi.warnings"]).toEqual([
        "There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.",
      ]);
    });

    it.each([
      [false, false],
      [true, true],
      [null, null],
    ])("Set-CASMailbox -SmtpClientAuthenticationDisabled %s", async (value, stored) => {
      sb.store.updateUser("printer@contoso.com", { smtpClientAuthenticationDisabled: value === null ? true : null });
      const r = await invoke(sb, token, "Set-CASMailbox", {
        Identity: "printer@contoso.com",
        SmtpClientAuthenticationDisabled: value,
      });
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ "@odata.context": context, value: [] });
      expect(sb.store.findUser("printer@contoso.com")!.smtpClientAuthenticationDisabled).toBe(stored);
      const read = (await invoke(sb, token, "Get-CASMailbox", { Identity: "printer@contoso.com" })).json as InvokeBody;
      expect(read.value[0]!.SmtpClientAuthenticationDisabled).toBe(stored);
    });

    it("Set-CASMailbox without a change answers Exchange's 'no settings modified' warning", async () => {
      const r = await invoke(sb, token, "Set-CASMailbox", {
        Identity: "scanner@contoso.com",
        SmtpClientAuthenticationDisabled: true,
      });
      expect(r.json).toEqual({
        "@odata.context": context,
        "@adminapi.warnings": [
          "The command completed successfully but no settings of 'scanner@contoso.com' have been modified.",
        ],
        value: [],
      });
    });

    it("refuses a value of the wrong type with a 400 ParameterBinding-style error", async () => {
      const r = await invoke(sb, token, "Set-CASMailbox", {
        Identity: "scanner@contoso.com",
        SmtpClientAuthenticationDisabled: "yes",
      });
      expect(r.status).toBe(400);
      expect((r.json as ExoError).error.details[0]!.message).toContain(
        "Cannot bind parameter 'SmtpClientAuthenticationDisabled'",
      );
    });

    it("refuses Set-CASMailbox without -Identity", async () => {
      const r = await invoke(sb, token, "Set-CASMailbox", { SmtpClientAuthenticationDisabled: false });
      expect(r.status).toBe(400);
      expect((r.json as ExoError).error.details[0]!.message).toContain(ExchangeExceptions.parameterBinding);
    });
  });

  describe("organisation settings", () => {
    it("Get-TransportConfig / Set-TransportConfig -SmtpClientAuthenticationDisabled", async () => {
      let body = (await invoke(sb, token, "Get-TransportConfig")).json as InvokeBody;
      expect(body.value).toEqual([
        {
          Identity: "Transport Settings",
          Name: "Transport Settings",
          SmtpClientAuthenticationDisabled: true,
          AllowLegacyTLSClients: false,
        },
      ]);
      expect((await invoke(sb, token, "Set-TransportConfig", { SmtpClientAuthenticationDisabled: false })).status).toBe(
        200,
      );
      body = (await invoke(sb, token, "Get-TransportConfig")).json as InvokeBody;
      expect(body.value[0]!.SmtpClientAuthenticationDisabled).toBe(false);
      expect(sb.store.read().organizationSmtpClientAuthenticationDisabled).toBe(false);
      const bad = await invoke(sb, token, "Set-TransportConfig", { SmtpClientAuthenticationDisabled: null });
      expect(bad.status).toBe(400);
    });

    it("authentication policies: list, organisation default and per-user assignment", async () => {
      const list = (await invoke(sb, token, "Get-AuthenticationPolicy")).json as InvokeBody;
      expect(list.value.map((p) => [p.Name, p.AllowBasicAuthSmtp])).toEqual([
        ["Block Basic Auth", false],
        ["Allow Basic SMTP", true],
      ]);
      expect(
        (await invoke(sb, token, "Set-OrganizationConfig", { DefaultAuthenticationPolicy: "Block Basic Auth" })).status,
      ).toBe(200);
      expect(((await invoke(sb, token, "Get-OrganizationConfig")).json as InvokeBody).value[0]).toEqual({
        Identity: "contoso.onmicrosoft.com",
        Name: "contoso.onmicrosoft.com",
        DefaultAuthenticationPolicy: "Block Basic Auth",
        OAuth2ClientProfileEnabled: true,
      });
      expect(
        (
          await invoke(sb, token, "Set-User", {
            Identity: "scanner@contoso.com",
            AuthenticationPolicy: "allow basic smtp",
          })
        ).status,
      ).toBe(200);
      expect(
        ((await invoke(sb, token, "Get-User", { Identity: "scanner@contoso.com" })).json as InvokeBody).value[0]!
          .AuthenticationPolicy,
      ).toBe("Allow Basic SMTP");
      expect(sb.store.findUser("scanner@contoso.com")!.authenticationPolicy).toBe("Allow Basic SMTP");
      expect(
        (await invoke(sb, token, "Set-User", { Identity: "scanner@contoso.com", AuthenticationPolicy: null })).status,
      ).toBe(200);
      expect(sb.store.findUser("scanner@contoso.com")!.authenticationPolicy).toBeNull();
      expect((await invoke(sb, token, "Get-AuthenticationPolicy", { Identity: "Nope" })).status).toBe(404);
      expect(
        (await invoke(sb, token, "Set-User", { Identity: "scanner@contoso.com", AuthenticationPolicy: "Nope" })).status,
      ).toBe(404);
    });

    it("New-AuthenticationPolicy blocks basic SMTP by default; Set-AuthenticationPolicy flips it", async () => {
      const created = (await invoke(sb, token, "New-AuthenticationPolicy", { Name: "BlockBasic1" })).json as InvokeBody;
      expect(created.value[0]).toMatchObject({ Name: "BlockBasic1", AllowBasicAuthSmtp: false });
      expect((await invoke(sb, token, "New-AuthenticationPolicy", { Name: "blockbasic1" })).status).toBe(400);
      await invoke(sb, token, "Set-AuthenticationPolicy", { Identity: "BlockBasic1", AllowBasicAuthSmtp: true });
      expect(sb.store.findAuthenticationPolicy("BlockBasic1")!.allowBasicAuthSmtp).toBe(true);
    });
  });

  describe("OAuth path: service principals and mailbox permissions", () => {
    it("New/Get/Remove-ServicePrincipal", async () => {
      const created = await invoke(sb, token, "New-ServicePrincipal", {
        AppId: FIXTURE.scannerOauth.appId,
        ObjectId: FIXTURE.scannerOauth.spId,
        DisplayName: "scanner SMTP OAuth",
      });
      expect(created.status).toBe(200);
      expect((created.json as InvokeBody).value).toEqual([
        {
          Identity: FIXTURE.scannerOauth.spId,
          DisplayName: "scanner SMTP OAuth",
          AppId: FIXTURE.scannerOauth.appId,
          ObjectId: FIXTURE.scannerOauth.spId,
          ServiceId: FIXTURE.scannerOauth.spId,
          Name: FIXTURE.scannerOauth.spId,
        },
      ]);
      expect(sb.store.read().exchangeServicePrincipals).toEqual([
        { appId: FIXTURE.scannerOauth.appId, objectId: FIXTURE.scannerOauth.spId, displayName: "scanner SMTP OAuth" },
      ]);
      expect(
        (
          await invoke(sb, token, "New-ServicePrincipal", {
            AppId: FIXTURE.scannerOauth.appId,
            ObjectId: FIXTURE.scannerOauth.spId,
          })
        ).status,
      ).toBe(400);
      const got = (await invoke(sb, token, "Get-ServicePrincipal", { Identity: FIXTURE.scannerOauth.appId }))
        .json as InvokeBody;
      expect(got.value[0]!.ObjectId).toBe(FIXTURE.scannerOauth.spId);
      expect(
        (await invoke(sb, token, "Remove-ServicePrincipal", { Identity: FIXTURE.scannerOauth.spId, Confirm: false }))
          .status,
      ).toBe(200);
      expect(sb.store.read().exchangeServicePrincipals).toEqual([]);
      expect((await invoke(sb, token, "Get-ServicePrincipal", { Identity: FIXTURE.scannerOauth.spId })).status).toBe(
        404,
      );
    });

    it("New-ServicePrincipal accepts the older -ServiceId spelling", async () => {
      const r = await invoke(sb, token, "New-ServicePrincipal", {
        AppId: FIXTURE.scannerOauth.appId,
        ServiceId: FIXTURE.scannerOauth.spId,
      });
      expect(r.status).toBe(200);
      expect(sb.store.read().exchangeServicePrincipals[0]!.objectId).toBe(FIXTURE.scannerOauth.spId);
    });

    it("Add/Get/Remove-MailboxPermission for a service principal", async () => {
      await invoke(sb, token, "New-ServicePrincipal", {
        AppId: FIXTURE.scannerOauth.appId,
        ObjectId: FIXTURE.scannerOauth.spId,
      });
      const added = await invoke(sb, token, "Add-MailboxPermission", {
        Identity: "scanner@contoso.com",
        User: FIXTURE.scannerOauth.spId,
        AccessRights: ["FullAccess"],
        AutoMapping: false,
      });
      expect(added.status).toBe(200);
      expect((added.json as InvokeBody).value).toEqual([
        {
          Identity: "scanner",
          User: FIXTURE.scannerOauth.spId,
          AccessRights: ["FullAccess"],
          IsInherited: false,
          Deny: false,
          InheritanceType: "All",
        },
      ]);
      expect(sb.store.read().mailboxPermissions).toEqual([
        { mailbox: "scanner@contoso.com", user: FIXTURE.scannerOauth.spId, accessRights: ["FullAccess"] },
      ]);
      const all = (await invoke(sb, token, "Get-MailboxPermission", { Identity: "scanner@contoso.com" }))
        .json as InvokeBody;
      expect(all.value.map((p) => p.User)).toEqual(["NT AUTHORITY\\SELF", FIXTURE.scannerOauth.spId]);
      const one = (
        await invoke(sb, token, "Get-MailboxPermission", {
          Identity: "scanner@contoso.com",
          User: FIXTURE.scannerOauth.appId,
        })
      ).json as InvokeBody;
      expect(one.value).toHaveLength(1);
      expect(
        (
          await invoke(sb, token, "Remove-MailboxPermission", {
            Identity: "scanner@contoso.com",
            User: FIXTURE.scannerOauth.spId,
            AccessRights: "FullAccess",
            Confirm: false,
          })
        ).status,
      ).toBe(200);
      expect(sb.store.read().mailboxPermissions).toEqual([]);
      expect(
        (
          await invoke(sb, token, "Add-MailboxPermission", {
            Identity: "scanner@contoso.com",
            User: "ghost-sp",
            AccessRights: ["FullAccess"],
          })
        ).status,
      ).toBe(404);
    });
  });

  describe("real-service behaviours behind switches", () => {
    const DETAIL =
      "Ex9D1A2B|Microsoft.Exchange.Data.Directory.ADTransientException|The operation couldn't be performed because of a transient directory error. Please try again.";
    const ENVELOPE = {
      code: ExchangeCodes.internal,
      message: "Error executing cmdlet",
      details: [{ code: "Server", target: "", message: DETAIL }],
    };
    it.each([
      ["error", { error: ENVELOPE }],
      ["odata.error", { "@odata.error": ENVELOPE }],
      [
        "adminapi.errors",
        {
          value: [],
          "@adminapi.errors": [
            "The operation couldn't be performed because of a transient directory error. Please try again.",
          ],
        },
      ],
    ] as const)("error-in-200 (%s): HTTP 200, the error in the body, the cmdlet not run", async (shape, body) => {
      const added = await admin(sb, "POST", "/faults", {
        kind: "error-in-200",
        match: "Set-CASMailbox",
        shape,
        times: 1,
      });
      expect(added.status).toBe(201);
      const r = await invoke(sb, token, "Set-CASMailbox", {
        Identity: "scanner@contoso.com",
        SmtpClientAuthenticationDisabled: false,
      });
      expect(r.status).toBe(200);
      expect(r.json).toEqual(body);
      expect(sb.store.findUser("scanner@contoso.com")!.smtpClientAuthenticationDisabled).toBe(true);
      sb.faults.clear();
    });

    it("PUT /_sandbox/exchange changes the switches and names a bad key or value, changing nothing", async () => {
      try {
        expect((await admin(sb, "PUT", "/exchange", { replicaLagSeconds: 5, errorBodies: "text" })).json).toEqual({
          roleRefusal: "401",
          replicaLagSeconds: 5,
          servicePrincipalTrustee: "objectId",
          errorBodies: "text",
          tenantInUrl: "any",
          casSmtpAuthKey: "PascalCase",
        });
        const bad = await admin(sb, "PUT", "/exchange", { roleRefusal: "418", replicaLagSeconds: 9 });
        expect(bad.status).toBe(400);
        expect((bad.json as { error: { message: string } }).error.message).toBe(
          "[roleRefusal] must be one of 401, 400-authz, command-not-found, 403",
        );
        expect((await admin(sb, "PUT", "/exchange", { lag: 1 })).status).toBe(400);
        expect(sb.exchange.behaviour.replicaLagSeconds).toBe(5);
        // errorBodies: text — the detail text alone, as text/plain.
        const r = await invoke(sb, token, "Get-CASMailbox", { Identity: "ghost@contoso.com" });
        expect(r.status).toBe(404);
        expect(r.headers["content-type"]).toBe("text/plain; charset=utf-8");
        expect(r.text).toBe(
          `The operation couldn't be performed because object 'ghost@contoso.com' couldn't be found on '${EXCHANGE_SERVER_NAME}'.`,
        );
      } finally {
        sb.exchange.reset();
      }
    });

    it("tenantInUrl: guid refuses the tenant's domain in the URL (403) and accepts its id", async () => {
      sb.exchange.behaviour.tenantInUrl = "guid";
      try {
        const url = `${sb.baseUrl}/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand`;
        expect((await invoke(sb, token, "Get-TransportConfig", {}, { url })).status).toBe(403);
        expect((await invoke(sb, token, "Get-TransportConfig", {})).status).toBe(200);
      } finally {
        sb.exchange.reset();
      }
    });
  });

  describe("strictness and authentication", () => {
    it("answers 501 for a cmdlet it does not model, and 400 CommandNotFound in --loose mode", async () => {
      const r = await invoke(sb, token, "Get-Mailbox", { Identity: "scanner@contoso.com" });
      expect(r.status).toBe(501);
      expect((r.json as { error: { code: string; message: string } }).error.message).toContain(
        "the cmdlet Get-Mailbox",
      );
    });

    it("answers 501 for a parameter it does not model", async () => {
      const r = await invoke(sb, token, "Set-CASMailbox", { Identity: "scanner@contoso.com", PopEnabled: false });
      expect(r.status).toBe(501);
      expect((r.json as { error: { message: string } }).error.message).toContain(
        "the parameter -PopEnabled of Set-CASMailbox",
      );
    });

    it("answers 400 for a body that is not CmdletInput", async () => {
      const r = await call(`${sb.baseUrl}/adminapi/beta/${sb.tenantId}/InvokeCommand`, {
        ca: sb.caPem,
        headers: { authorization: `Bearer ${token}` },
        body: { cmdlet: "Get-CASMailbox" },
      });
      expect(r.status).toBe(400);
    });

    it("accepts the tenant's onmicrosoft.com name in the URL and refuses another tenant (403)", async () => {
      expect(
        (
          await invoke(
            sb,
            token,
            "Get-TransportConfig",
            {},
            { url: `${sb.baseUrl}/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand` },
          )
        ).status,
      ).toBe(200);
      expect(
        (
          await invoke(
            sb,
            token,
            "Get-TransportConfig",
            {},
            { url: `${sb.baseUrl}/adminapi/beta/fabrikam.onmicrosoft.com/InvokeCommand` },
          )
        ).status,
      ).toBe(403);
    });

    it.each([
      ["no token", null, "The access token is missing."],
      ["a Graph token", "graph", "The audience claim value is invalid for this resource."],
      ["an expired token", "expired", "The token has expired."],
      ["garbage", "garbage", "The access token is invalid."],
    ])("answers 401 without a body for %s", async (_n, kind, reason) => {
      const app = sb.store.findApp(FIXTURE.automation.appId)!;
      const headers: Record<string, string> = {};
      if (kind === "graph")
        headers.authorization = `Bearer ${sb.tokens.issueToken(app, "https://graph.microsoft.com")}`;
      if (kind === "expired")
        headers.authorization = `Bearer ${sb.tokens.issueToken(app, "https://outlook.office365.com", { lifetimeSeconds: -1 })}`;
      if (kind === "garbage") headers.authorization = "Bearer abc.def.ghi";
      const r = await call(`${sb.baseUrl}/adminapi/beta/${sb.tenantId}/InvokeCommand`, {
        ca: sb.caPem,
        headers,
        body: { CmdletInput: { CmdletName: "Get-TransportConfig" } },
      });
      expect(r.status).toBe(401);
      expect(r.text).toBe("");
      expect(r.headers["www-authenticate"]).toMatch(/^Bearer client_id="00000002-0000-0ff1-ce00-000000000000"/);
      expect(r.headers["x-ms-diagnostics"]).toBe(`2000003;reason="${reason}";error_category="invalid_token"`);
    });
  });
});

describe.skipIf(LIVE)("Exchange admin API in --loose mode", () => {
  let sb: Sandbox;
  let token: string;
  beforeAll(async () => {
    sb = await startTestSandbox({ loose: true });
    token = await fetchToken(sb, FIXTURE.automation.appId, FIXTURE.automation.secret, EXO);
  });
  afterAll(() => sb.stop());

  it("unknown cmdlets are CommandNotFoundException and unknown parameters ParameterBindingException (400)", async () => {
    let r = await invoke(sb, token, "Get-Mailbox", {});
    expect(r.status).toBe(400);
    expect((r.json as ExoError).error.details[0]!.message).toContain(ExchangeExceptions.commandNotFound);
    r = await invoke(sb, token, "Set-CASMailbox", { Identity: "scanner@contoso.com", PopEnabled: false });
    expect(r.status).toBe(400);
    expect((r.json as ExoError).error.details[0]!.message).toContain(
      "A parameter cannot be found that matches parameter name 'PopEnabled'.",
    );
  });
});
