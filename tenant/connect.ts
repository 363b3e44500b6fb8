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
import { createCredential, scopesFor, type ConnectionSettings } from "./connection.ts";
import type { HttpClientOptions } from "./http.ts";
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
 */
export async function connectTenant(
  settings: ConnectionSettings,
  http?: Omit<HttpClientOptions, "getToken">,
): Promise<TenantApi> {
  useEnvProxy();
  const credential = await createCredential(settings);
  const scopes = scopesFor(settings);
  const token = (scope: string) => async (signal: AbortSignal) => {
    try {
      const result = await credential.getToken(scope, { abortSignal: signal });
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
