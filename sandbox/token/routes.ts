/** Token service routes (Entra ID v2.0 endpoints). No bearer auth: the client authenticates in the body. */
import type { Route } from "../protocol/router.ts";
import type { TokenService } from "./service.ts";

export function tokenRoutes(tokens: TokenService): Route[] {
  const t = { api: "token", auth: "none", latency: "token", query: [] } as const;
  return [
    {
      ...t,
      method: "GET",
      pattern: "/{tenant}/v2.0/.well-known/openid-configuration",
      handler: tokens.openIdConfiguration,
    },
    { ...t, method: "GET", pattern: "/{tenant}/discovery/v2.0/keys", handler: tokens.keys },
    { ...t, method: "GET", pattern: "/{tenant}/discovery/keys", handler: tokens.keys },
    { ...t, method: "POST", pattern: "/{tenant}/oauth2/v2.0/token", handler: tokens.token },
  ];
}
