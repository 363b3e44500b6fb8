import { generateKeyPairSync } from "node:crypto";
import forge from "node-forge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuthenticationRequiredError,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
} from "@azure/identity";
import type { Sandbox } from "../../sandbox/server.ts";
import { decodeJwt } from "../../sandbox/token/jwt.ts";
import { TokenCodes } from "../../sandbox/errors/token.ts";
import { admin, call, FIXTURE, identityOptions, LIVE, startTestSandbox, targetOf, type Target } from "./helpers.ts";

/** A self-signed certificate and its key, like the one an admin uploads to an app registration. */
function selfSignedCertificate(): { certPem: string; keyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = "01";
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 86400_000);
  const name = [{ name: "commonName", value: "m365-smtp-auth automation" }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKey };
}

function claims(token: string): Record<string, unknown> {
  const jwt = decodeJwt(token);
  if (!jwt) throw new Error("not a JWT");
  return jwt.payload;
}

describe.skipIf(LIVE)("token service", () => {
  let sb: Sandbox;
  let t: Target;
  let cert: { certPem: string; keyPem: string };

  beforeAll(async () => {
    sb = await startTestSandbox();
    t = targetOf(sb);
    cert = selfSignedCertificate();
    sb.store.updateApp(FIXTURE.automation.appId, { certificates: [cert.certPem] });
  });
  afterAll(() => sb.stop());

  it("serves the OpenID configuration MSAL validates (issuer on the authority's origin, tenant-specific endpoints)", async () => {
    const r = await call(`${sb.baseUrl}/${sb.tenantId}/v2.0/.well-known/openid-configuration`, { ca: sb.caPem });
    expect(r.status).toBe(200);
    const body = r.json as Record<string, unknown>;
    expect(body.issuer).toBe(`${sb.baseUrl}/${sb.tenantId}/v2.0`);
    expect(body.token_endpoint).toBe(`${sb.baseUrl}/${sb.tenantId}/oauth2/v2.0/token`);
    expect(body.jwks_uri).toBe(`${sb.baseUrl}/${sb.tenantId}/discovery/v2.0/keys`);
    expect(body.authorization_endpoint).toBe(`${sb.baseUrl}/${sb.tenantId}/oauth2/v2.0/authorize`);
    expect(body.end_session_endpoint).toBe(`${sb.baseUrl}/${sb.tenantId}/oauth2/v2.0/logout`);
    const keys = await call(body.jwks_uri as string, { ca: sb.caPem });
    expect((keys.json as { keys: { kty: string; kid: string }[] }).keys).toEqual([
      expect.objectContaining({ kty: "RSA", use: "sig", e: "AQAB" }),
    ]);
  });

  it("answers the documented client-credentials response shape", async () => {
    const r = await call(`${sb.baseUrl}/${sb.tenantId}/oauth2/v2.0/token`, {
      ca: sb.caPem,
      form: {
        grant_type: "client_credentials",
        client_id: FIXTURE.automation.appId,
        client_secret: FIXTURE.automation.secret,
        scope: "https://graph.microsoft.com/.default",
      },
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      token_type: "Bearer",
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
    });
  });

  it("also answers for the tenant's domain names", async () => {
    for (const alias of ["contoso.com", "contoso.onmicrosoft.com"]) {
      const r = await call(`${sb.baseUrl}/${alias}/v2.0/.well-known/openid-configuration`, { ca: sb.caPem });
      expect(r.status).toBe(200);
      expect((r.json as { token_endpoint: string }).token_endpoint).toBe(`${sb.baseUrl}/${alias}/oauth2/v2.0/token`);
    }
  });

  it("ClientSecretCredential gets a Graph token with tid, aud, appid, roles, iss and a one-hour lifetime", async () => {
    const cred = new ClientSecretCredential(
      t.tenantId,
      FIXTURE.automation.appId,
      FIXTURE.automation.secret,
      identityOptions(t),
    );
    const token = await cred.getToken("https://graph.microsoft.com/.default");
    const c = claims(token.token);
    expect(c).toMatchObject({
      aud: "https://graph.microsoft.com",
      iss: `https://sts.windows.net/${FIXTURE.tenantId}/`,
      tid: FIXTURE.tenantId,
      appid: FIXTURE.automation.appId,
      appidacr: "1",
      idtyp: "app",
      oid: FIXTURE.automation.spId,
      sub: FIXTURE.automation.spId,
      ver: "1.0",
      roles: [
        "Policy.Read.All",
        "Policy.ReadWrite.SecurityDefaults",
        "Policy.ReadWrite.AuthenticationMethod",
        "User.Read.All",
        "AuditLog.Read.All",
      ],
    });
    expect((c.exp as number) - (c.iat as number)).toBe(3599 + 5);
    expect(c.nbf).toBe(c.iat);
    expect(Math.abs(token.expiresOnTimestamp - (Date.now() + 3599_000))).toBeLessThan(10_000);
  });

  it("issues Exchange tokens with the Exchange roles, for outlook.office365.com and outlook.office.com", async () => {
    const cred = new ClientSecretCredential(
      t.tenantId,
      FIXTURE.automation.appId,
      FIXTURE.automation.secret,
      identityOptions(t),
    );
    const a = claims((await cred.getToken("https://outlook.office365.com/.default")).token);
    expect(a.aud).toBe("https://outlook.office365.com");
    expect(a.roles).toEqual(["Exchange.ManageAsApp"]);
    const b = claims((await cred.getToken("https://outlook.office.com/.default")).token);
    expect(b.aud).toBe("https://outlook.office.com");
  });

  it("omits the roles claim for an app without permissions on the resource", async () => {
    const cred = new ClientSecretCredential(
      t.tenantId,
      FIXTURE.nobody.appId,
      FIXTURE.nobody.secret,
      identityOptions(t),
    );
    const c = claims((await cred.getToken("https://graph.microsoft.com/.default")).token);
    expect(c.roles).toBeUndefined();
    expect(c.appid).toBe(FIXTURE.nobody.appId);
  });

  it("ClientCertificateCredential signs an assertion with a registered certificate and gets a token (appidacr 2)", async () => {
    const cred = new ClientCertificateCredential(
      t.tenantId,
      FIXTURE.automation.appId,
      { certificate: `${cert.certPem}\n${cert.keyPem}` },
      identityOptions(t),
    );
    const c = claims((await cred.getToken("https://graph.microsoft.com/.default")).token);
    expect(c.appid).toBe(FIXTURE.automation.appId);
    expect(c.appidacr).toBe("2");
  });

  it("refuses a certificate that is not registered on the app (AADSTS700027)", async () => {
    const other = selfSignedCertificate();
    const cred = new ClientCertificateCredential(
      t.tenantId,
      FIXTURE.automation.appId,
      { certificate: `${other.certPem}\n${other.keyPem}` },
      identityOptions(t),
    );
    const err = await cred.getToken("https://graph.microsoft.com/.default").then(
      () => null,
      (e: unknown) => e,
    );
    // @azure/identity wraps MSAL's ServerError; the token service's code and AADSTS text come through in the message.
    expect(err).toBeInstanceOf(AuthenticationRequiredError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^${TokenCodes.invalidClient}: .*AADSTS700027: The certificate with identifier used to sign the client assertion is not registered`,
      ),
    );
  });

  it("ClientAssertionCredential exchanges a workload-identity assertion for a token (federated credential)", async () => {
    const getAssertion = async () => {
      const r = await admin(sb, "POST", "/workload-identity/token", { subject: FIXTURE.workloadSubject });
      return (r.json as { assertion: string }).assertion;
    };
    const cred = new ClientAssertionCredential(t.tenantId, FIXTURE.automation.appId, getAssertion, identityOptions(t));
    const c = claims((await cred.getToken("https://outlook.office365.com/.default")).token);
    expect(c).toMatchObject({ appid: FIXTURE.automation.appId, aud: "https://outlook.office365.com", appidacr: "2" });
  });

  it("accepts assertions from an external issuer whose key the federated credential names", async () => {
    const idp = generateKeyPairSync("rsa", { modulusLength: 2048 });
    sb.store.updateApp(FIXTURE.reader.appId, {
      federatedCredentials: [
        {
          issuer: "https://token.actions.githubusercontent.com",
          subject: "repo:contoso/audit:ref:refs/heads/main",
          audiences: ["api://AzureADTokenExchange"],
          publicKeyPem: idp.publicKey.export({ type: "spki", format: "pem" }).toString(),
        },
      ],
    });
    const { signJwt } = await import("../../sandbox/token/jwt.ts");
    const now = Math.floor(Date.now() / 1000);
    const assertion = signJwt(
      {
        iss: "https://token.actions.githubusercontent.com",
        sub: "repo:contoso/audit:ref:refs/heads/main",
        aud: "api://AzureADTokenExchange",
        iat: now,
        nbf: now,
        exp: now + 300,
      },
      idp.privateKey,
    );
    const cred = new ClientAssertionCredential(
      t.tenantId,
      FIXTURE.reader.appId,
      async () => assertion,
      identityOptions(t),
    );
    expect(claims((await cred.getToken("https://graph.microsoft.com/.default")).token).appid).toBe(
      FIXTURE.reader.appId,
    );
  });

  it("refuses an assertion whose subject matches no federated credential (AADSTS70021)", async () => {
    const r = await admin(sb, "POST", "/workload-identity/token", {
      subject: "repo:contoso/other:ref:refs/heads/main",
    });
    const assertion = (r.json as { assertion: string }).assertion;
    const res = await call(`${sb.baseUrl}/${sb.tenantId}/oauth2/v2.0/token`, {
      ca: sb.caPem,
      form: {
        grant_type: "client_credentials",
        client_id: FIXTURE.automation.appId,
        scope: "https://graph.microsoft.com/.default",
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: assertion,
      },
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: "invalid_client", error_codes: [70021] });
  });

  it.each([
    [
      "wrong secret",
      { client_id: FIXTURE.automation.appId, client_secret: "nope", scope: "https://graph.microsoft.com/.default" },
      401,
      "invalid_client",
      7000215,
    ],
    [
      "unknown app",
      {
        client_id: "00000000-0000-0000-0000-0000000000ff",
        client_secret: "x",
        scope: "https://graph.microsoft.com/.default",
      },
      400,
      "unauthorized_client",
      700016,
    ],
    [
      "scope without /.default",
      {
        client_id: FIXTURE.automation.appId,
        client_secret: FIXTURE.automation.secret,
        scope: "https://graph.microsoft.com/User.Read.All",
      },
      400,
      "invalid_scope",
      1002012,
    ],
    [
      "unknown resource",
      {
        client_id: FIXTURE.automation.appId,
        client_secret: FIXTURE.automation.secret,
        scope: "https://vault.azure.net/.default",
      },
      400,
      "invalid_resource",
      500011,
    ],
    [
      "no credential",
      { client_id: FIXTURE.automation.appId, scope: "https://graph.microsoft.com/.default" },
      401,
      "invalid_client",
      7000218,
    ],
  ])("answers the OAuth error for %s", async (_name, form, status, error, code) => {
    const r = await call(`${sb.baseUrl}/${sb.tenantId}/oauth2/v2.0/token`, {
      ca: sb.caPem,
      form: { grant_type: "client_credentials", ...form },
    });
    expect(r.status).toBe(status);
    const body = r.json as Record<string, unknown>;
    expect(body).toMatchObject({ error, error_codes: [code] });
    expect(body.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
    expect(Object.keys(body).sort()).toEqual([
      "correlation_id",
      "error",
      "error_codes",
      "error_description",
      "error_uri",
      "timestamp",
      "trace_id",
    ]);
  });

  it("answers AADSTS90002 for an unknown tenant", async () => {
    const r = await call(`${sb.baseUrl}/fabrikam.onmicrosoft.com/oauth2/v2.0/token`, {
      ca: sb.caPem,
      form: {
        grant_type: "client_credentials",
        client_id: FIXTURE.automation.appId,
        client_secret: FIXTURE.automation.secret,
        scope: "https://graph.microsoft.com/.default",
      },
    });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: "invalid_request", error_codes: [90002] });
  });

  it("ClientSecretCredential surfaces the token service's error (invalid_client, AADSTS7000215)", async () => {
    const cred = new ClientSecretCredential(t.tenantId, FIXTURE.automation.appId, "wrong", identityOptions(t));
    const err = await cred.getToken("https://graph.microsoft.com/.default").then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AuthenticationRequiredError);
    expect((err as Error).message).toMatch(/^invalid_client: .*AADSTS7000215: Invalid client secret provided/);
  });

  it("answers 501 for grants it does not model, naming the --loose switch", async () => {
    const r = await call(`${sb.baseUrl}/${sb.tenantId}/oauth2/v2.0/token`, {
      ca: sb.caPem,
      form: { grant_type: "authorization_code", client_id: FIXTURE.automation.appId, code: "x" },
    });
    expect(r.status).toBe(501);
    expect((r.json as { error_description: string }).error_description).toContain("'authorization_code' grant");
    expect((r.json as { error_description: string }).error_description).toContain("--loose");
  });

  it("exports verifyBearerToken for the SMTP endpoint: claims of a valid token, null otherwise", async () => {
    const app = sb.store.findApp(FIXTURE.scannerOauth.appId)!;
    const token = sb.tokens.issueToken(app, "https://outlook.office365.com");
    expect(sb.tokens.verifyBearerToken(token)).toEqual({
      appId: FIXTURE.scannerOauth.appId,
      tenantId: FIXTURE.tenantId,
      audience: "https://outlook.office365.com",
      roles: ["SMTP.SendAsApp"],
      objectId: FIXTURE.scannerOauth.spId,
    });
    expect(
      sb.tokens.verifyBearerToken(sb.tokens.issueToken(app, "https://outlook.office365.com", { lifetimeSeconds: -60 })),
    ).toBeNull();
    expect(sb.tokens.verifyBearerToken(token.slice(0, -4) + "AAAA")).toBeNull();
    expect(sb.tokens.verifyBearerToken("not-a-token")).toBeNull();
  });
});
