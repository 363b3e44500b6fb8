/**
 * One way to reach a tenant from connection settings: an @azure/identity credential and the Graph and
 * Exchange clients on the shared HTTP layer. Used by the providers, the program and the CLI alike.
 *
 * Token failures are turned into TokenServiceError here, where the token service's URL is known: an
 * unreachable token service is probed once over fetch, because MSAL reports an untrusted certificate
 * only as `endpoints_resolution_error` and drops the cause.
 */
import { redirectAllowed } from "./clouds.ts";
import { useEnvProxy } from "./proxy.ts";
import { TokenServiceError, untrustedCertificateAdvice, untrustedCertificateCode } from "./token-errors.ts";
import type { TokenCredential } from "@azure/identity";
import { createCredential, scopesFor, type ConnectionSettings, type SignInIdentity } from "./connection.ts";
import type { HttpClientOptions, TokenRequestOptions } from "./http.ts";
import { createTenantApi, type TenantApi } from "./api.ts";

const UNREACHABLE = /endpoints_resolution_error|network_error/;

/**
 * Why the token service at `authorityHost` cannot be reached, when it is an untrusted certificate:
 * a short GET of its host (no credentials), reading the TLS error code. Undefined otherwise.
 * @internal exported for tests.
 */
export async function probeCertificate(authorityHost: string, timeoutMs = 5_000): Promise<string | undefined> {
  try {
    const res = await fetch(authorityHost, {
      method: "GET",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    return undefined;
  } catch (error) {
    return untrustedCertificateCode(error);
  }
}

/**
 * A tenant API on the settings' credential, cloud, endpoints and retry policy. Turns on the
 * HTTPS_PROXY/NO_PROXY proxy for the process when one is set. Token requests are bounded by the
 * HTTP layer's token timeout; an untrusted certificate on the token service fails at once.
 *
 * With a read-only app configured (settings.reader), every read signs in as that app and only a
 * write signs in as the write app, whose credential is built at the first write: a preview, a
 * refresh or a drift check never needs it (issue 16.5).
 */
export async function connectTenant(
  settings: ConnectionSettings,
  http?: Omit<HttpClientOptions, "getToken">,
): Promise<TenantApi> {
  useEnvProxy();
  const writer = apiSigningInAs(settings, settings, http);
  if (!settings.reader) return writer;
  return readsAndWrites(apiSigningInAs(settings, settings.reader, http), writer);
}

/** A tenant API whose tokens come from `identity`; its credential is made at the first token request. */
function apiSigningInAs(
  settings: ConnectionSettings,
  identity: SignInIdentity,
  http: Omit<HttpClientOptions, "getToken"> | undefined,
): TenantApi {
  const scopes = scopesFor(settings);
  let credential: Promise<TokenCredential> | undefined;
  const token = (scope: string) => async (signal: AbortSignal, options?: TokenRequestOptions) => {
    // The write app of a read-only setup may have no usable credential here: say so at the write.
    if (identity === settings && settings.writeProblem) throw settings.writeProblem;
    // A token the service refused (a 401 challenge): a new credential object, whose MSAL cache is empty.
    if (options?.fresh) credential = undefined;
    credential ??= createCredential({
      ...identity,
      tenantId: settings.tenantId,
      authorityHost: settings.authorityHost,
    });
    try {
      const result = await (
        await credential
      ).getToken(scope, {
        abortSignal: signal,
        ...(options?.claims ? { claims: options.claims } : {}),
      });
      if (!result) throw new Error(`@azure/identity returned no token for ${scope}`);
      return result.token;
    } catch (error) {
      const message = error instanceof Error ? error.message : "";
      if (UNREACHABLE.test(message) || untrustedCertificateCode(error)) {
        const code = untrustedCertificateCode(error) ?? (await probeCertificate(settings.authorityHost));
        if (code) {
          const host = new URL(settings.authorityHost).host;
          throw new TokenServiceError("untrusted-certificate", untrustedCertificateAdvice(host, code), error);
        }
      }
      throw error;
    }
  };
  return createTenantApi({
    graphUrl: settings.graphUrl,
    exchangeUrl: settings.exchangeUrl,
    tenantId: settings.tenantId,
    getGraphToken: token(scopes.graph),
    getExchangeToken: token(scopes.exchange),
    http: {
      retry: settings.retry,
      // Only to the endpoint's own host or a host of the same Microsoft cloud (a regional front end).
      allowRedirect: (target, from) => redirectAllowed(from, target, settings.cloud),
      ...http,
    },
  });
}

/** The client's writes; every other call is a read. */
const WRITES = new Set<keyof TenantApi>([
  "setSecurityDefaults",
  "setOrganizationSmtpAuthDisabled",
  "setCasMailbox",
  "setPerUserMfa",
  "setPerUserMfaMany",
]);

/** Reads go to `reader`, writes (and any cmdlet but Get-*) to `writer`. */
export function readsAndWrites(reader: TenantApi, writer: TenantApi): TenantApi {
  const api = {} as Record<keyof TenantApi, unknown>;
  for (const name of Object.keys(reader) as (keyof TenantApi)[]) {
    const target = WRITES.has(name) ? writer : reader;
    api[name] = (...args: unknown[]) => (target[name] as (...a: unknown[]) => unknown)(...args);
  }
  api.invoke = (cmdlet: string, parameters: Record<string, unknown>, options?: { select?: readonly string[] }) =>
    (/^Get-/u.test(cmdlet) ? reader : writer).invoke(cmdlet, parameters, options);
  return api as TenantApi;
}
