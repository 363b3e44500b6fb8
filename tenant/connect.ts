/**
 * One way to reach a tenant from connection settings: an @azure/identity credential and the Graph and
 * Exchange clients on the shared HTTP layer. Used by the providers, the program and the CLI alike.
 */
import { createCredential, SCOPES, type ConnectionSettings } from "./connection.ts";
import type { HttpClientOptions } from "./http.ts";
import { createTenantApi, type TenantApi } from "./api.ts";

export async function connectTenant(
  settings: ConnectionSettings,
  http?: Omit<HttpClientOptions, "getToken">,
): Promise<TenantApi> {
  const credential = await createCredential(settings);
  const token = (scope: string) => async () => {
    const result = await credential.getToken(scope);
    if (!result) throw new Error(`@azure/identity returned no token for ${scope}`);
    return result.token;
  };
  return createTenantApi({
    graphUrl: settings.graphUrl,
    exchangeUrl: settings.exchangeUrl,
    tenantId: settings.tenantId,
    getGraphToken: token(SCOPES.graph),
    getExchangeToken: token(SCOPES.exchange),
    http: { retry: settings.retry, ...http },
  });
}
