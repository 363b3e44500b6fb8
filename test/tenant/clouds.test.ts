/**
 * The `cloud` setting: authority, Graph and Exchange endpoints and token scopes chosen together;
 * explicit endpoints override, scopes follow the effective endpoint; redirects only within a cloud.
 */
import { describe, expect, it } from "vitest";
import { ConnectionConfigError, readConnectionSettings, scopesFor } from "../../tenant/connection.ts";
import { redirectAllowed } from "../../tenant/clouds.ts";

const BASE = { tenantId: "contoso.onmicrosoft.com", clientId: "app", clientSecret: "s" };
const settings = (extra: Record<string, string> = {}) => {
  const map: Record<string, string> = { ...BASE, ...extra };
  return readConnectionSettings((k) => map[k]);
};
const view = (extra: Record<string, string> = {}) => {
  const s = settings(extra);
  return {
    cloud: s.cloud,
    authorityHost: s.authorityHost,
    graphUrl: s.graphUrl,
    exchangeUrl: s.exchangeUrl,
    scopes: scopesFor(s),
  };
};

describe("cloud setting", () => {
  it.each([
    [
      "global (default)",
      {},
      {
        cloud: "global",
        authorityHost: "https://login.microsoftonline.com",
        graphUrl: "https://graph.microsoft.com",
        exchangeUrl: "https://outlook.office365.com",
        scopes: { graph: "https://graph.microsoft.com/.default", exchange: "https://outlook.office365.com/.default" },
      },
    ],
    [
      "usgov (GCC High)",
      { cloud: "usgov" },
      {
        cloud: "usgov",
        authorityHost: "https://login.microsoftonline.us",
        graphUrl: "https://graph.microsoft.us",
        exchangeUrl: "https://outlook.office365.us",
        scopes: { graph: "https://graph.microsoft.us/.default", exchange: "https://outlook.office365.us/.default" },
      },
    ],
    [
      "usgov-dod",
      { cloud: "usgov-dod" },
      {
        cloud: "usgov-dod",
        authorityHost: "https://login.microsoftonline.us",
        graphUrl: "https://dod-graph.microsoft.us",
        exchangeUrl: "https://outlook-dod.office365.us",
        scopes: {
          graph: "https://dod-graph.microsoft.us/.default",
          exchange: "https://outlook-dod.office365.us/.default",
        },
      },
    ],
    [
      "china (21Vianet)",
      { cloud: "china" },
      {
        cloud: "china",
        authorityHost: "https://login.partner.microsoftonline.cn",
        graphUrl: "https://microsoftgraph.chinacloudapi.cn",
        exchangeUrl: "https://partner.outlook.cn",
        scopes: {
          graph: "https://microsoftgraph.chinacloudapi.cn/.default",
          exchange: "https://partner.outlook.cn/.default",
        },
      },
    ],
  ])("%s sets authority, endpoints and scopes together", (_name, extra, expected) => {
    expect(view(extra)).toEqual(expected);
  });

  it("lets explicit endpoints override the cloud's, and derives each scope from the effective endpoint", () => {
    expect(view({ cloud: "china", exchangeUrl: "https://outlook.office365.cn/" })).toEqual({
      cloud: "china",
      authorityHost: "https://login.partner.microsoftonline.cn",
      graphUrl: "https://microsoftgraph.chinacloudapi.cn",
      exchangeUrl: "https://outlook.office365.cn",
      scopes: {
        graph: "https://microsoftgraph.chinacloudapi.cn/.default",
        exchange: "https://outlook.office365.cn/.default",
      },
    });
  });

  it("gives an endpoint outside Microsoft's domains (the sandbox) its cloud's audience", () => {
    expect(
      view({
        authorityHost: "https://127.0.0.1:8443",
        graphUrl: "https://127.0.0.1:8443",
        exchangeUrl: "https://127.0.0.1:8443",
      }).scopes,
    ).toEqual({ graph: "https://graph.microsoft.com/.default", exchange: "https://outlook.office365.com/.default" });
  });

  it("refuses an unknown cloud, naming the key and the values", () => {
    expect(() => settings({ cloud: "germany" })).toThrow(ConnectionConfigError);
    expect(() => settings({ cloud: "germany" })).toThrow(
      "stack config m365-smtp-auth:cloud must be one of global, usgov, usgov-dod, china",
    );
  });
});

describe("redirects allowed", () => {
  it.each([
    ["https://outlook.office365.com/adminapi", "https://xyz.outlook.office365.com/adminapi", "global", true],
    ["https://outlook.office365.com/adminapi", "https://outlook.office365.com:8443/x", "global", true],
    ["https://outlook.office365.com/adminapi", "http://outlook.office365.com/x", "global", false],
    ["https://outlook.office365.com/adminapi", "https://outlook.office365.us/x", "global", false],
    ["https://outlook.office365.com/adminapi", "https://evil-office365.com/x", "global", false],
    ["https://outlook.office365.com/adminapi", "https://user:pw@xyz.outlook.office365.com/x", "global", false],
    ["https://outlook.office365.us/adminapi", "https://abc.outlook.office365.us/x", "usgov", true],
    ["https://127.0.0.1:8443/adminapi", "https://127.0.0.1:9443/adminapi", "global", true],
    ["https://127.0.0.1:8443/adminapi", "https://localhost:8443/adminapi", "global", false],
  ] as const)("%s → %s in %s: %s", (from, to, cloud, allowed) => {
    expect(redirectAllowed(from, new URL(to), cloud)).toBe(allowed);
  });
});
