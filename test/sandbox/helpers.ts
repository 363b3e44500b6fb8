/**
 * Shared helpers for the sandbox conformance tests: start an in-process sandbox on port 0 (or, with
 * M365_LIVE_TENANT=1, point the client-level tests at a real tenant), build real clients with their
 * retries off, and call endpoints over HTTPS trusting the sandbox CA explicitly.
 */
import { request } from "node:https";
import { getCACertificates, setDefaultCACertificates } from "node:tls";
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
} from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";
import { ClientSecretCredential, type TokenCredential } from "@azure/identity";
import { startSandbox, type Sandbox, type SandboxOptions } from "../../sandbox/server.ts";
import { createTenantApi, type TenantApi, type TenantApiOptions } from "../../tenant/api.ts";
import { readConnectionSettings, type ConnectionSettings } from "../../tenant/connection.ts";

/** M365_LIVE_TENANT=1 runs the client-level tests against the tenant in M365_TENANT_ID / M365_CLIENT_ID / M365_CLIENT_SECRET. */
export const LIVE = process.env.M365_LIVE_TENANT === "1";

/** Fixture constants (sandbox/fixtures/contoso-failing.yaml). */
export const FIXTURE = {
  tenantId: "3f1c2b8e-7d4a-4e2b-9c61-5a0f8e2d4b17",
  automation: {
    appId: "6b1e0c5d-2f43-4a8e-b7d9-0e4c3a2f1d90",
    secret: "sandbox-automation-secret",
    spId: "9d4a7e21-5c3b-4f80-a1e6-2b7c8d9e0f13",
  },
  reader: { appId: "0a7f3e94-1b2c-4d5e-8f60-7a8b9c0d1e21", secret: "sandbox-reader-secret" },
  nobody: { appId: "c4d5e6f7-0819-4a2b-bc3d-4e5f60718293", secret: "sandbox-nobody-secret" },
  scannerOauth: { appId: "52e8a1c4-9f07-4b3d-a6e2-d1c0b9a8f7e6", spId: "e3f4a5b6-c7d8-4e9f-8a0b-1c2d3e4f5a6b" },
  scanner: { upn: "scanner@contoso.com", id: "49364145-a76a-59c1-bd78-db5113834207" },
  workloadSubject: "repo:contoso/m365-smtp-auth:environment:production",
} as const;

/** Where the client-level tests point. */
export interface Target {
  authorityHost: string;
  graphUrl: string;
  exchangeUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** PEM to trust; undefined against a real tenant. */
  ca: string | undefined;
  /** Host name for the Graph client's customHosts (port stripped). */
  graphHost: string;
}

/** Starts a sandbox (never in live mode for sandbox-only tests) and trusts its CA for fetch in this worker. */
export async function startTestSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const sb = await startSandbox({ smtp: false, log: () => {}, ...opts });
  trustCa(sb.caPem);
  return sb;
}

/** The connection settings that point the project's tenant client at the sandbox (with any overrides). */
export function connectionSettingsFor(
  sb: Pick<Sandbox, "tenantId" | "env" | "baseUrl">,
  overrides: Record<string, string> = {},
): ConnectionSettings {
  const map: Record<string, string> = {
    tenantId: sb.tenantId,
    clientId: sb.env.M365_CLIENT_ID!,
    clientSecret: sb.env.M365_CLIENT_SECRET!,
    authorityHost: sb.baseUrl,
    graphUrl: sb.baseUrl,
    exchangeUrl: sb.baseUrl,
    ...overrides,
  };
  return readConnectionSettings((k) => map[k]);
}

const trusted = new Set<string>();

/**
 * Adds the sandbox CA to this worker's default trust store (the in-process equivalent of
 * NODE_EXTRA_CA_CERTS), so fetch-based clients such as the Graph client verify the sandbox's
 * certificate. Certificate checks stay on.
 */
export function trustCa(pem: string): void {
  if (trusted.has(pem)) return;
  trusted.add(pem);
  setDefaultCACertificates([...getCACertificates("default"), ...trusted]);
}

export function targetOf(sb: Sandbox | null): Target {
  if (!sb) {
    const need = (k: string) => {
      const v = process.env[k];
      if (!v) throw new Error(`M365_LIVE_TENANT=1 needs ${k}`);
      return v;
    };
    return {
      authorityHost: "https://login.microsoftonline.com",
      graphUrl: "https://graph.microsoft.com",
      exchangeUrl: "https://outlook.office365.com",
      tenantId: need("M365_TENANT_ID"),
      clientId: need("M365_CLIENT_ID"),
      clientSecret: need("M365_CLIENT_SECRET"),
      ca: undefined,
      graphHost: "graph.microsoft.com",
    };
  }
  return {
    authorityHost: sb.baseUrl,
    graphUrl: sb.baseUrl,
    exchangeUrl: sb.baseUrl,
    tenantId: sb.tenantId,
    clientId: sb.env.M365_CLIENT_ID!,
    clientSecret: sb.env.M365_CLIENT_SECRET!,
    ca: sb.caPem,
    graphHost: new URL(sb.baseUrl).hostname,
  };
}

/** @azure/identity options for a target: authority host, no instance discovery, CA, no retries. */
export function identityOptions(t: Target) {
  return {
    authorityHost: t.authorityHost,
    disableInstanceDiscovery: t.ca !== undefined,
    retryOptions: { maxRetries: 0 },
    ...(t.ca ? { tlsOptions: { ca: t.ca } } : {}),
  };
}

export function secretCredential(t: Target, clientId = t.clientId, secret = t.clientSecret): TokenCredential {
  return new ClientSecretCredential(t.tenantId, clientId, secret, identityOptions(t));
}

/** An unmodified Graph client (v3) with the retry handler set to zero retries. */
export function graphClient(
  t: Target,
  credential: TokenCredential = secretCredential(t),
  defaultVersion = "v1.0",
): Client {
  const authProvider = new TokenCredentialAuthenticationProvider(credential, {
    scopes: ["https://graph.microsoft.com/.default"],
  });
  return Client.initWithMiddleware({
    middleware: [
      new AuthenticationHandler(authProvider),
      new RetryHandler(new RetryHandlerOptions(0, 0)),
      new RedirectHandler(new RedirectHandlerOptions()),
      new TelemetryHandler(),
      new HTTPMessageHandler(),
    ],
    baseUrl: `${t.graphUrl}/`,
    defaultVersion,
    customHosts: new Set([t.graphHost]),
  });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

/** One HTTPS request with node:https, trusting `ca` explicitly. Rejects on connection errors. */
export function call(
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: unknown;
    ca?: string | undefined;
    form?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    let payload: string | undefined;
    if (init.form) {
      payload = new URLSearchParams(init.form).toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
    } else if (init.body !== undefined) {
      payload = typeof init.body === "string" ? init.body : JSON.stringify(init.body);
      headers["content-type"] ??= "application/json";
    }
    const req = request(
      url,
      {
        method: init.method ?? (payload ? "POST" : "GET"),
        headers,
        ...(init.ca ? { ca: init.ca } : {}),
        timeout: init.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown = undefined;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("client timeout")));
    req.on("error", reject);
    req.end(payload);
  });
}

/** Gets a token straight from the token endpoint (client secret). */
export async function fetchToken(sb: Sandbox, appId: string, secret: string, scope: string): Promise<string> {
  const r = await call(`${sb.baseUrl}/${sb.tenantId}/oauth2/v2.0/token`, {
    ca: sb.caPem,
    form: { grant_type: "client_credentials", client_id: appId, client_secret: secret, scope },
  });
  if (r.status !== 200) throw new Error(`token: ${r.status} ${r.text}`);
  return (r.json as { access_token: string }).access_token;
}

/** POST InvokeCommand with a bearer token. */
export function invoke(
  sb: Sandbox,
  token: string,
  cmdlet: string,
  parameters: Record<string, unknown> = {},
  opts: { url?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return call(opts.url ?? `${sb.baseUrl}/adminapi/beta/${sb.tenantId}/InvokeCommand`, {
    ca: sb.caPem,
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "X-AnchorMailbox": `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${sb.tenantId}`,
      ...(opts.headers ?? {}),
    },
    body: { CmdletInput: { CmdletName: cmdlet, Parameters: parameters } },
  });
}

/** Calls the admin endpoint. */
export function admin(sb: Sandbox, method: string, path: string, body?: unknown): Promise<RawResponse> {
  return call(`${sb.baseUrl}/_sandbox${path}`, {
    ca: sb.caPem,
    method,
    headers: { authorization: `Bearer ${sb.adminToken}` },
    ...(body !== undefined ? { body } : {}),
  });
}

/** Replaces GUIDs and request ids so error envelopes can be compared exactly. */
export function errorShape(body: unknown): unknown {
  return JSON.parse(
    JSON.stringify(body)
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<guid>")
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/g, "<date>"),
  );
}

/**
 * The project's own tenant client (tenant/api.ts) signed in as a fixture app against the sandbox,
 * with the sandbox's endpoints; `http` overrides the client's HTTP options (e.g. retries off).
 */
export function projectApi(
  sb: Sandbox | null,
  app: { appId: string; secret: string } = FIXTURE.automation,
  http?: TenantApiOptions["http"],
): TenantApi {
  const t = targetOf(sb);
  const cred = secretCredential(t, app.appId, app.secret);
  const token = (scope: string) => async () => (await cred.getToken(scope))!.token;
  return createTenantApi({
    graphUrl: t.graphUrl,
    exchangeUrl: t.exchangeUrl,
    tenantId: t.tenantId,
    getGraphToken: token("https://graph.microsoft.com/.default"),
    getExchangeToken: token("https://outlook.office365.com/.default"),
    ...(http ? { http } : {}),
  });
}
