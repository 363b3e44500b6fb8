/**
 * Token service: the Entra ID v2.0 endpoints a confidential client needs — OpenID configuration,
 * JWKS, and the token endpoint for the client-credentials grant with a client secret, a certificate
 * assertion (ClientCertificateCredential) or a federated assertion (ClientAssertionCredential,
 * workload identity federation). Issues RS256 access tokens shaped like Entra's app-only v1 tokens
 * and verifies them for Graph, Exchange and SMTP.
 */
import { createPublicKey, randomUUID, X509Certificate, type KeyObject } from "node:crypto";
import type { AppRegistration } from "../model.ts";
import type { Caller, HandlerContext, HandlerResult } from "../protocol/context.ts";
import { json } from "../protocol/context.ts";
import type { TenantStore } from "../store/store.ts";
import { TokenErrors } from "../errors/token.ts";
import { decodeJwt, signJwt, thumbprints, verifyJwtSignature, type JwtPayload } from "./jwt.ts";
import { jwks, type SigningKey } from "./keys.ts";

/** A claim as a string ("" when absent or not a string). */
function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** The issuer of workload-identity assertions minted by the sandbox itself (POST /_sandbox/workload-identity/token). */
export const SANDBOX_WORKLOAD_ISSUER = "https://workload-identity.sandbox.invalid";

/** The default audience of federated identity credentials. */
export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const CLOCK_SKEW_SECONDS = 300;

/** Resources the token service issues tokens for: `.default` scope prefix → `aud` claim. */
export const RESOURCES: Record<string, { aud: string; api: "graph" | "exchange" }> = {
  "https://graph.microsoft.com": { aud: "https://graph.microsoft.com", api: "graph" },
  "00000003-0000-0000-c000-000000000000": { aud: "https://graph.microsoft.com", api: "graph" },
  "https://outlook.office365.com": { aud: "https://outlook.office365.com", api: "exchange" },
  "https://outlook.office.com": { aud: "https://outlook.office.com", api: "exchange" },
  "00000002-0000-0ff1-ce00-000000000000": { aud: "https://outlook.office365.com", api: "exchange" },
};

/** Audiences each API accepts. */
export const AUDIENCES = {
  graph: ["https://graph.microsoft.com", "https://graph.microsoft.com/", "00000003-0000-0000-c000-000000000000"],
  exchange: ["https://outlook.office365.com", "https://outlook.office.com", "00000002-0000-0ff1-ce00-000000000000"],
} as const;

/** Why an access token was refused. */
export type TokenRejection = "malformed" | "signature" | "expired" | "notYetValid" | "issuer" | "tenant";

export type VerifyResult = { ok: true; caller: Caller; claims: JwtPayload } | { ok: false; reason: TokenRejection };

/** The claims the SMTP endpoint needs from an XOAUTH2 token (signature and lifetime already checked). */
export interface BearerTokenClaims {
  appId: string;
  tenantId: string;
  audience: string;
  roles: string[];
  /** The `oid` claim: the object id of the app's service principal (enterprise application). */
  objectId?: string;
}

export interface TokenServiceOptions {
  store: TenantStore;
  key: SigningKey;
  /** Returns the listener's base URL, e.g. https://127.0.0.1:8443 (known only after listen). */
  baseUrl: () => string;
  now: () => Date;
  /** Access token lifetime; Entra answers expires_in 3599. */
  lifetimeSeconds?: number;
}

export class TokenService {
  readonly #store: TenantStore;
  readonly #key: SigningKey;
  readonly #baseUrl: () => string;
  readonly #now: () => Date;
  readonly #lifetime: number;

  constructor(opts: TokenServiceOptions) {
    this.#store = opts.store;
    this.#key = opts.key;
    this.#baseUrl = opts.baseUrl;
    this.#now = opts.now;
    this.#lifetime = opts.lifetimeSeconds ?? 3599;
  }

  /** `iss` of access tokens: Entra's v1 app-only issuer for this tenant. */
  issuer(): string {
    return `https://sts.windows.net/${this.#store.tenantId}/`;
  }

  // ---- handlers -------------------------------------------------------------------------------

  /** GET /{tenant}/v2.0/.well-known/openid-configuration */
  openIdConfiguration = (ctx: HandlerContext): HandlerResult => {
    const tenant = ctx.params.tenant ?? "";
    const special = ["common", "organizations", "consumers"].includes(tenant.toLowerCase());
    if (!special && !this.#store.matchesTenant(tenant)) throw TokenErrors.tenantNotFound(ctx, tenant);
    const base = this.#baseUrl();
    const t = special ? tenant : tenant;
    const issuerTenant = special ? "{tenantid}" : this.#store.tenantId;
    return json(200, {
      token_endpoint: `${base}/${t}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${base}/${t}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: `${base}/${issuerTenant}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${base}/oidc/userinfo`,
      authorization_endpoint: `${base}/${t}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/${t}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/${t}/oauth2/v2.0/logout`,
      claims_supported: ["sub", "iss", "aud", "exp", "iat", "nbf", "tid", "appid", "roles"],
      kerberos_endpoint: `${base}/${t}/kerberos`,
      tenant_region_scope: "EU",
      cloud_instance_name: "microsoftonline.com",
      cloud_graph_host_name: "graph.windows.net",
      msgraph_host: "graph.microsoft.com",
      rbac_url: "https://pas.windows.net",
    });
  };

  /** GET /{tenant}/discovery/v2.0/keys */
  keys = (): HandlerResult => json(200, jwks(this.#key));

  /** POST /{tenant}/oauth2/v2.0/token — client credentials only. */
  token = (ctx: HandlerContext): HandlerResult => {
    const tenant = ctx.params.tenant ?? "";
    if (!this.#store.matchesTenant(tenant)) throw TokenErrors.tenantNotFound(ctx, tenant);
    const form = (ctx.body ?? {}) as Record<string, string>;
    const grant = form.grant_type;
    if (!grant) throw TokenErrors.missingParameter(ctx, "grant_type");
    if (grant !== "client_credentials") {
      if (ctx.loose) throw TokenErrors.unsupportedGrant(ctx, grant);
      throw TokenErrors.notImplemented(ctx, `the '${grant}' grant (only client_credentials is modelled)`);
    }
    const clientId = form.client_id;
    if (!clientId) throw TokenErrors.missingParameter(ctx, "client_id");
    const scope = form.scope;
    if (!scope) throw TokenErrors.missingParameter(ctx, "scope");
    const app = this.#store.findApp(clientId);
    if (!app) throw TokenErrors.appNotFound(ctx, clientId, tenant);

    let appidacr: "1" | "2";
    if (form.client_assertion !== undefined || form.client_assertion_type !== undefined) {
      if (form.client_assertion_type !== JWT_BEARER || !form.client_assertion)
        throw TokenErrors.invalidAssertionType(ctx);
      this.#checkAssertion(ctx, app, form.client_assertion, tenant);
      appidacr = "2";
    } else if (form.client_secret !== undefined) {
      if (!app.secrets.includes(form.client_secret)) throw TokenErrors.invalidSecret(ctx, clientId);
      appidacr = "1";
    } else {
      throw TokenErrors.noCredential(ctx);
    }

    const scopes = scope.split(/\s+/).filter((s) => s && !["openid", "profile", "offline_access", "email"].includes(s));
    const [only] = scopes;
    if (!only || scopes.length !== 1 || !only.endsWith("/.default")) throw TokenErrors.scopeNotDefault(ctx, scope);
    const resourceId = only.slice(0, -"/.default".length).replace(/\/$/, "");
    const resource = RESOURCES[resourceId.toLowerCase()] ?? RESOURCES[resourceId];
    if (!resource) throw TokenErrors.resourceNotFound(ctx, resourceId);

    const accessToken = this.issueToken(app, resource.aud, { appidacr });
    return json(200, {
      token_type: "Bearer",
      expires_in: this.#lifetime,
      ext_expires_in: this.#lifetime,
      access_token: accessToken,
    });
  };

  // ---- issuing and verifying -------------------------------------------------------------------

  /**
   * Signs an app-only access token for `aud` with the app's current roles for that resource.
   * `lifetimeSeconds` may be negative (an already expired token, for tests).
   */
  issueToken(
    app: AppRegistration,
    aud: string,
    opts: { lifetimeSeconds?: number; appidacr?: "1" | "2"; roles?: string[] } = {},
  ): string {
    const now = Math.floor(this.#now().getTime() / 1000);
    const lifetime = opts.lifetimeSeconds ?? this.#lifetime;
    const api = (AUDIENCES.exchange as readonly string[]).includes(aud) ? "exchange" : "graph";
    const roles = opts.roles ?? app.roles[api];
    const tid = this.#store.tenantId;
    const payload: JwtPayload = {
      aud,
      iss: this.issuer(),
      iat: Math.min(now, now + lifetime) - 5,
      nbf: Math.min(now, now + lifetime) - 5,
      exp: now + lifetime,
      aio: "sandbox",
      app_displayname: app.displayName,
      appid: app.appId,
      appidacr: opts.appidacr ?? "1",
      idp: this.issuer(),
      idtyp: "app",
      oid: app.servicePrincipalId,
      rh: "0.sandbox.",
      ...(roles.length ? { roles: [...roles] } : {}),
      sub: app.servicePrincipalId,
      tid,
      uti: randomUUID().replaceAll("-", "").slice(0, 22),
      ver: "1.0",
    };
    return signJwt(payload, this.#key.privateKey, { kid: this.#key.kid, x5t: this.#key.kid });
  }

  /** Mints an assertion from the sandbox's own workload-identity issuer (what a CI OIDC provider would give). */
  mintWorkloadAssertion(subject: string, audience = TOKEN_EXCHANGE_AUDIENCE, lifetimeSeconds = 600): string {
    const now = Math.floor(this.#now().getTime() / 1000);
    return signJwt(
      {
        iss: SANDBOX_WORKLOAD_ISSUER,
        sub: subject,
        aud: audience,
        iat: now,
        nbf: now,
        exp: now + lifetimeSeconds,
        jti: randomUUID(),
      },
      this.#key.privateKey,
      { kid: this.#key.kid },
    );
  }

  /** Verifies signature, issuer, tenant and lifetime of an access token. Audience is the caller's business. */
  verify(token: string): VerifyResult {
    const jwt = decodeJwt(token);
    if (!jwt) return { ok: false, reason: "malformed" };
    if (jwt.header.alg !== "RS256" || !verifyJwtSignature(jwt, this.#key.publicKey))
      return { ok: false, reason: "signature" };
    const p = jwt.payload;
    if (p.iss !== this.issuer()) return { ok: false, reason: "issuer" };
    if (p.tid !== this.#store.tenantId) return { ok: false, reason: "tenant" };
    const now = this.#now().getTime() / 1000;
    if (typeof p.exp !== "number" || p.exp <= now) return { ok: false, reason: "expired" };
    if (typeof p.nbf === "number" && p.nbf > now + CLOCK_SKEW_SECONDS) return { ok: false, reason: "notYetValid" };
    const roles = Array.isArray(p.roles) ? p.roles.filter((r): r is string => typeof r === "string") : [];
    return {
      ok: true,
      claims: p,
      caller: { appId: str(p.appid), tenantId: str(p.tid), audience: str(p.aud), roles },
    };
  }

  /** For the SMTP endpoint (XOAUTH2): the token's claims, or null when it is not a valid sandbox token. */
  verifyBearerToken = (token: string): BearerTokenClaims | null => {
    const r = this.verify(token);
    if (!r.ok) return null;
    const oid = typeof r.claims.oid === "string" ? r.claims.oid : undefined;
    return {
      appId: r.caller.appId,
      tenantId: r.caller.tenantId,
      audience: r.caller.audience,
      roles: r.caller.roles,
      ...(oid ? { objectId: oid } : {}),
    };
  };

  // ---- client assertions -----------------------------------------------------------------------

  #checkAssertion(ctx: HandlerContext, app: AppRegistration, assertion: string, tenant: string): void {
    const jwt = decodeJwt(assertion);
    if (!jwt) throw TokenErrors.malformedAssertion(ctx);
    const p = jwt.payload;
    const now = this.#now().getTime() / 1000;
    const inTime = () =>
      typeof p.exp === "number" &&
      p.exp > now - CLOCK_SKEW_SECONDS &&
      (typeof p.nbf !== "number" || p.nbf <= now + CLOCK_SKEW_SECONDS);

    if (p.iss === app.appId || p.sub === app.appId) {
      // Certificate credential: iss = sub = client id, aud = the token endpoint, signed by a registered certificate.
      if (p.iss !== app.appId || p.sub !== app.appId) throw TokenErrors.assertionSubject(ctx);
      const key = this.#certificateKey(app, jwt.header["x5t#S256"], jwt.header.x5t);
      if (!key)
        throw TokenErrors.assertionUnknownKey(ctx, String(jwt.header["x5t#S256"] ?? jwt.header.x5t ?? ""), app.appId);
      if (!verifyJwtSignature(jwt, key)) throw TokenErrors.assertionSignature(ctx);
      if (!inTime()) throw TokenErrors.assertionTime(ctx);
      const aud = typeof p.aud === "string" ? p.aud : "";
      if (!this.#isTokenEndpointAudience(aud)) throw TokenErrors.assertionAudience(ctx, aud);
      void tenant;
      return;
    }

    // Federated credential (workload identity federation): an external issuer's token for this app.
    const iss = str(p.iss);
    const sub = str(p.sub);
    const fic = (app.federatedCredentials ?? []).find((f) => f.issuer === iss && f.subject === sub);
    if (!fic) throw TokenErrors.noFederatedMatch(ctx, iss, sub);
    const auds = Array.isArray(p.aud) ? p.aud.map(str) : [str(p.aud)];
    if (!auds.some((a) => fic.audiences.includes(a))) throw TokenErrors.assertionAudience(ctx, auds.join(","));
    const key = fic.publicKeyPem ? createPublicKey(fic.publicKeyPem) : this.#key.publicKey;
    if (!verifyJwtSignature(jwt, key)) throw TokenErrors.assertionSignature(ctx);
    if (!inTime()) throw TokenErrors.assertionTime(ctx);
  }

  #certificateKey(app: AppRegistration, x5tS256: unknown, x5t: unknown): KeyObject | null {
    for (const pem of app.certificates) {
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(pem);
      } catch {
        continue;
      }
      const t = thumbprints(cert.raw);
      if (
        (typeof x5tS256 === "string" && x5tS256 === t.x5tS256) ||
        (typeof x5t === "string" && (x5t === t.x5t || x5t.toUpperCase() === t.sha1Hex))
      ) {
        return cert.publicKey;
      }
    }
    return null;
  }

  #isTokenEndpointAudience(aud: string): boolean {
    let url: URL;
    try {
      url = new URL(aud);
    } catch {
      return false;
    }
    if (url.origin !== new URL(this.#baseUrl()).origin) return false;
    const m = /^\/([^/]+)\/(oauth2\/v2\.0\/token|oauth2\/token|v2\.0)\/?$/.exec(url.pathname);
    return m !== null && this.#store.matchesTenant(decodeURIComponent(m[1]!));
  }
}
