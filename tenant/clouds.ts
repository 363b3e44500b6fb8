/**
 * Microsoft's clouds: the token service, Graph and Exchange Online endpoints of each, which domains a
 * redirect may lead to, and the token scope for an endpoint. One `cloud` setting picks all of them
 * together, because a token for the global audience is refused by a national cloud and vice versa.
 *
 * Sources:
 * - Graph national-cloud endpoints and the rule that a scope uses the national Graph root:
 *   learn.microsoft.com/graph/deployments; learn.microsoft.com/graph/sdks/national-clouds ("Any
 *   permission scope value (including the .default scope) that contains the Microsoft Graph domain MUST
 *   use the domain of the Microsoft Graph service root endpoint for the national cloud"). The same hosts
 *   are built into msgraph-sdk-javascript `src/Constants.ts` (graph.microsoft.us, dod-graph.microsoft.us,
 *   microsoftgraph.chinacloudapi.cn).
 * - Token service hosts: @azure/identity `AzureAuthorityHosts` (AzureGovernment login.microsoftonline.us)
 *   and its README's China example, and @azure/msal-common `authority/AuthorityMetadata.ts`, whose
 *   China entry prefers login.partner.microsoftonline.cn (login.chinacloudapi.cn is an alias).
 * - Exchange Online: learn.microsoft.com/exchange/reference/admin-api-get-started (outlook.office365.us
 *   for GCC High, outlook-dod.office365.us for DoD); CISA ScubaGear `Get-ExchangeOnlineScope` (the same
 *   audiences). For 21Vianet the Exchange Online PowerShell module (`-ExchangeEnvironmentName O365China`)
 *   talks to partner.outlook.cn; the admin-API page names outlook.office365.cn instead, so set
 *   `exchangeUrl` explicitly if a 21Vianet tenant answers only there.
 */

export type CloudName = "global" | "usgov" | "usgov-dod" | "china";

export const CLOUD_NAMES: readonly CloudName[] = ["global", "usgov", "usgov-dod", "china"];

export interface CloudEndpoints {
  authorityHost: string;
  graphUrl: string;
  exchangeUrl: string;
  /** Registrable domains the services of this cloud answer from; a redirect may lead only there. */
  domains: readonly string[];
}

export const CLOUDS: Readonly<Record<CloudName, CloudEndpoints>> = {
  global: {
    authorityHost: "https://login.microsoftonline.com",
    graphUrl: "https://graph.microsoft.com",
    exchangeUrl: "https://outlook.office365.com",
    domains: ["microsoftonline.com", "microsoft.com", "office365.com", "office.com", "outlook.com"],
  },
  usgov: {
    authorityHost: "https://login.microsoftonline.us",
    graphUrl: "https://graph.microsoft.us",
    exchangeUrl: "https://outlook.office365.us",
    domains: ["microsoftonline.us", "microsoft.us", "office365.us"],
  },
  "usgov-dod": {
    authorityHost: "https://login.microsoftonline.us",
    graphUrl: "https://dod-graph.microsoft.us",
    exchangeUrl: "https://outlook-dod.office365.us",
    domains: ["microsoftonline.us", "microsoft.us", "office365.us"],
  },
  china: {
    authorityHost: "https://login.partner.microsoftonline.cn",
    graphUrl: "https://microsoftgraph.chinacloudapi.cn",
    exchangeUrl: "https://partner.outlook.cn",
    domains: ["partner.microsoftonline.cn", "chinacloudapi.cn", "partner.outlook.cn", "office365.cn"],
  },
};

/** The client-credentials scope for an API endpoint: its origin plus `/.default`. */
export function scopeFor(endpoint: string): string {
  return `${new URL(endpoint).origin}/.default`;
}

/** True when `endpoint` is served from one of Microsoft's cloud domains. */
export function isMicrosoftHost(endpoint: string): boolean {
  const host = new URL(endpoint).hostname.toLowerCase();
  return CLOUD_NAMES.some((c) => CLOUDS[c].domains.some((d) => host === d || host.endsWith(`.${d}`)));
}

/**
 * The token scope for an API at `endpoint`: the endpoint's own origin when it is a Microsoft host (an
 * explicit national endpoint gets its own audience), otherwise the cloud's audience for that API, as
 * a stand-in such as the sandbox issues tokens for Microsoft's audiences.
 */
export function scopeForEndpoint(endpoint: string, cloud: CloudName, api: "graphUrl" | "exchangeUrl"): string {
  return scopeFor(isMicrosoftHost(endpoint) ? endpoint : CLOUDS[cloud][api]);
}

/** True for the token service of one of Microsoft's clouds (MSAL knows their metadata). */
export function isMicrosoftAuthority(authorityHost: string): boolean {
  return CLOUD_NAMES.some((c) => CLOUDS[c].authorityHost === authorityHost.replace(/\/+$/, ""));
}

/**
 * May a request to `endpoint` follow a redirect to `target`? Only over https, and only to the
 * endpoint's own host name (any port) or a host under one of the cloud's domains (a regional
 * front end such as `xyz.outlook.office365.com`). Anything else is refused, never followed.
 */
export function redirectAllowed(endpoint: string, target: URL, cloud: CloudName): boolean {
  if (target.protocol !== "https:" || target.username !== "" || target.password !== "") return false;
  const host = target.hostname.toLowerCase();
  if (host === new URL(endpoint).hostname.toLowerCase()) return true;
  return CLOUDS[cloud].domains.some((d) => host === d || host.endsWith(`.${d}`));
}
