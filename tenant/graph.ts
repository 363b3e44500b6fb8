/**
 * The Microsoft Graph half of the tenant client: security defaults, users (by id, UPN, mail or proxy
 * address) and raw reads; legacy per-user MFA is ./per-user-mfa.ts. Every call goes
 * through the one HTTP layer (./http.ts); a 403 becomes a PermissionError naming the permission.
 */
import type { TenantApi } from "./api.ts";
import { ApiError, expectCollection, expectObject, type HttpClient } from "./http.ts";
import { withPermission } from "./permission-error.ts";

export interface GraphUser {
  id: string;
  userPrincipalName: string;
  mail: string | null;
  accountEnabled?: boolean;
  /** "Member" or "Guest" (Conditional Access's GuestsOrExternalUsers). */
  userType?: string | null;
}

/** The Graph operations of the tenant client (see TenantApi in ./api.ts for each contract). */
export type GraphApi = Pick<
  TenantApi,
  | "graphList"
  | "graphGet"
  | "getSecurityDefaults"
  | "setSecurityDefaults"
  | "getUser"
  | "findUser"
  | "listUserPrincipalNames"
>;

/** The user properties the client reads (GraphUser). */
const USER_SELECT = "id,userPrincipalName,mail,accountEnabled,userType";

/** A user is a JSON object with a string `id` (a proxy's page or an empty 200 is not). */
function expectUser(body: unknown): string | undefined {
  return expectObject(body) ?? (typeof (body as { id?: unknown }).id === "string" ? undefined : "a user without an id");
}

/**
 * The path of a user by object id or UPN: `/users/{key}`, or `/users('{key}')` for a UPN beginning with
 * `$`, which Graph would read as a system segment (user-get.md, known issue: "remove the slash after
 * /users and enclose the userPrincipalName in parentheses and single quotes"). The same in `$batch` urls.
 */
export function userPath(upn: string): string {
  return upn.startsWith("$")
    ? `/users('${encodeURIComponent(upn.replaceAll("'", "''"))}')`
    : `/users/${encodeURIComponent(upn)}`;
}

/** Graph calls on `graph` (an HTTP client with the Graph token) against `graphUrl`. */
export function createGraphApi(graph: HttpClient, graphUrl: string): GraphApi {
  async function graphList(pathAndQuery: string): Promise<Record<string, unknown>[]> {
    const rows: Record<string, unknown>[] = [];
    let url: string | undefined = `${graphUrl}${pathAndQuery}`;
    while (url) {
      const res = await graph.send({ method: "GET", url, idempotent: true, expect: expectCollection });
      const page = res.body as { value: Record<string, unknown>[]; "@odata.nextLink"?: string };
      rows.push(...page.value);
      url = page["@odata.nextLink"];
    }
    return rows;
  }

  async function getUser(upn: string): Promise<GraphUser> {
    return withPermission("graph.users.read", async () => {
      const res = await graph.send({
        method: "GET",
        url: `${graphUrl}/v1.0${userPath(upn)}?$select=${USER_SELECT}`,
        idempotent: true,
        expect: expectUser,
      });
      return res.body as GraphUser;
    });
  }

  return {
    graphList,
    async graphGet(pathAndQuery) {
      const res = await graph.send({
        method: "GET",
        url: `${graphUrl}${pathAndQuery}`,
        idempotent: true,
        expect: expectObject,
      });
      return res.body as Record<string, unknown>;
    },
    async getSecurityDefaults() {
      return withPermission("graph.securityDefaults.read", async () => {
        const res = await graph.send({
          method: "GET",
          url: `${graphUrl}/v1.0/policies/identitySecurityDefaultsEnforcementPolicy`,
          idempotent: true,
          expect: expectObject,
        });
        const isEnabled = (res.body as { isEnabled?: unknown }).isEnabled;
        if (typeof isEnabled !== "boolean") throw new Error("Graph returned security defaults without isEnabled");
        return isEnabled;
      });
    },
    async setSecurityDefaults(enabled) {
      await withPermission("graph.securityDefaults.write", () =>
        graph.send({
          method: "PATCH",
          url: `${graphUrl}/v1.0/policies/identitySecurityDefaultsEnforcementPolicy`,
          body: { isEnabled: enabled },
          idempotent: true,
        }),
      );
    },
    getUser,
    async findUser(address) {
      return withPermission("graph.users.read", async () => {
        try {
          return await getUser(address);
        } catch (err) {
          // 404: no user has that UPN. 400: the address is not UPN-shaped (a `+`, legal in mail
          // addresses, is not in a UPN), which Graph refuses as a key rather than answering 404.
          if (!(err instanceof ApiError && (err.status === 404 || err.status === 400))) throw err;
        }
        // Both forms are default (non-advanced) queries: `mail` supports eq, and proxyAddresses
        // supports eq inside any() (user resource, $filter support per property).
        const q = address.replaceAll("'", "''");
        const filter = `mail eq '${q}' or proxyAddresses/any(p:p eq 'smtp:${q}')`;
        const rows = await graphList(`/v1.0/users?$filter=${encodeURIComponent(filter)}&$select=${USER_SELECT}&$top=2`);
        if (rows.length > 1) throw new Error(`Graph has ${rows.length} users with the address ${address}`);
        return (rows[0] as GraphUser | undefined) ?? null;
      });
    },
    async listUserPrincipalNames() {
      return withPermission("graph.users.read", async () =>
        (await graphList("/v1.0/users?$select=userPrincipalName&$top=999")).map((u) => String(u.userPrincipalName)),
      );
    },
  };
}
