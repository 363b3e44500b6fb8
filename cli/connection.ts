/**
 * Connection settings for the doctor, from flags and the M365_* environment variables the sandbox
 * prints (M365_TENANT_ID, M365_CLIENT_ID, M365_CLIENT_SECRET, M365_AUTHORITY_HOST, M365_GRAPH_URL,
 * M365_EXCHANGE_URL), turned into the providers' ConnectionSettings; and client-credentials tokens.
 * Secrets come only from environment variables. Failures are CliError/UsageError with one line.
 */
import { getCACertificates, setDefaultCACertificates } from "node:tls";
import {
  ConnectionConfigError,
  createCredential,
  readConnectionSettings,
  type ConnectionSettings,
} from "../tenant/connection.ts";
import { connectTenant, probeCertificate } from "../tenant/connect.ts";
import { untrustedCertificateAdvice } from "../tenant/token-errors.ts";
import type { TenantApi } from "../tenant/api.ts";
import { CliError, UsageError, errorLine, str, type CliIo } from "./io.ts";

/** Flags shared by `explain` and the OAuth part of `probe`. */
export const CONNECTION_OPTIONS = {
  tenant: { type: "string" },
  "client-id": { type: "string" },
  "client-secret-env": { type: "string" },
  "authority-host": { type: "string" },
  "graph-url": { type: "string" },
  "exchange-url": { type: "string" },
} as const;

export const CONNECTION_USAGE = `  --tenant ID               tenant id or primary domain            (default $M365_TENANT_ID)
  --client-id ID            app registration (client) id           (default $M365_CLIENT_ID)
  --client-secret-env VAR   environment variable holding its secret (default M365_CLIENT_SECRET)
  --authority-host URL      token service                          (default $M365_AUTHORITY_HOST or login.microsoftonline.com)
  --graph-url URL           Microsoft Graph                         (default $M365_GRAPH_URL or graph.microsoft.com)
  --exchange-url URL        Exchange Online                         (default $M365_EXCHANGE_URL or outlook.office365.com)`;

const FLAG_OF: Record<string, string> = {
  tenantId: "--tenant or M365_TENANT_ID",
  clientId: "--client-id or M365_CLIENT_ID",
  clientSecret: "the variable named by --client-secret-env (default M365_CLIENT_SECRET)",
  authorityHost: "--authority-host or M365_AUTHORITY_HOST",
  graphUrl: "--graph-url or M365_GRAPH_URL",
  exchangeUrl: "--exchange-url or M365_EXCHANGE_URL",
  credential: "the credential kind",
};

/**
 * Settings from flags, falling back to the environment. `useEnvIdentity` false ignores
 * M365_CLIENT_ID/M365_CLIENT_SECRET (probe's OAuth app is not the tenant reader).
 */
export function settingsFrom(
  values: Record<string, string | boolean | undefined>,
  io: CliIo,
  useEnvIdentity = true,
): ConnectionSettings {
  const secretVar = str(values, "client-secret-env") ?? (useEnvIdentity ? "M365_CLIENT_SECRET" : undefined);
  if (str(values, "client-secret-env") !== undefined && !io.env[secretVar!]) {
    throw new UsageError(`--client-secret-env ${secretVar}: the environment variable ${secretVar} is not set or empty`);
  }
  const map: Record<string, string | undefined> = {
    tenantId: str(values, "tenant") ?? io.env.M365_TENANT_ID,
    clientId: str(values, "client-id") ?? (useEnvIdentity ? io.env.M365_CLIENT_ID : undefined),
    clientSecret: secretVar !== undefined ? io.env[secretVar] || undefined : undefined,
    authorityHost: str(values, "authority-host") ?? io.env.M365_AUTHORITY_HOST,
    graphUrl: str(values, "graph-url") ?? io.env.M365_GRAPH_URL,
    exchangeUrl: str(values, "exchange-url") ?? io.env.M365_EXCHANGE_URL,
  };
  try {
    return readConnectionSettings((k) => map[k]);
  } catch (err) {
    if (err instanceof ConnectionConfigError) {
      const what = FLAG_OF[err.key] ?? err.key;
      throw new UsageError(
        err.problem === "missing"
          ? `missing setting: ${what}`
          : `${what} ${err.message.replace(/^stack config \S+ /u, "")}`,
      );
    }
    throw err;
  }
}

/** Adds a CA (PEM) to this process's default trust, like NODE_EXTRA_CA_CERTS. Checks stay on. */
export function trustCa(pem: string): void {
  if (trusted.has(pem)) return;
  trusted.add(pem);
  setDefaultCACertificates([...getCACertificates("default"), pem]);
}
const trusted = new Set<string>();

/** The tenant through the providers' clients, with retries short enough for a CLI. */
export async function connect(settings: ConnectionSettings): Promise<TenantApi> {
  return connectTenant(settings, {
    retry: { maxAttempts: 3, baseDelayMs: 300, maxDelayMs: 5_000, budgetMs: 20_000 },
    timeoutMs: 30_000,
  });
}

/** A client-credentials token for `scope`. Token-service refusals (AADSTS…) become a CliError naming them. */
export async function clientCredentialsToken(settings: ConnectionSettings, scope: string): Promise<string> {
  const credential = await createCredential(settings);
  try {
    const t = await credential.getToken(scope);
    if (!t) throw new Error("the token service returned no token");
    return t.token;
  } catch (err) {
    let why = errorLine(err);
    // MSAL reports an authority it cannot reach or read as a bare error code.
    if (/endpoints_resolution_error|network_error|ECONNREFUSED|ENOTFOUND/u.test(why)) {
      // MSAL hides the cause: an untrusted certificate (a TLS-inspecting proxy, the sandbox's CA) is
      // named as such, not as a network problem.
      const cert = await probeCertificate(settings.authorityHost);
      why = cert
        ? untrustedCertificateAdvice(new URL(settings.authorityHost).host, cert)
        : `the token service could not be reached (${/^(\w+)/u.exec(why)?.[1] ?? "network error"}); check --authority-host / M365_AUTHORITY_HOST and the network`;
    }
    throw new TokenError(`cannot get a token for ${scope} from ${settings.authorityHost}: ${why}`, { cause: err });
  }
}

/** The token service refused or could not be reached. */
export class TokenError extends CliError {
  override name = "TokenError";
}
