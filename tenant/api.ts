/**
 * The tenant's APIs as this project uses them: Microsoft Graph (security defaults, users, per-user
 * MFA, Conditional Access) and the Exchange admin API's InvokeCommand gateway (CAS mailboxes,
 * transport config, authentication policies). Both sit on the one HTTP layer (http.ts).
 *
 * Reads that fail throw ApiError; nothing here turns a failed read into "absent". A 403 is rethrown
 * as PermissionError naming the application permission (and Exchange role) the operation needs.
 */
import { PERMISSIONS } from "../m365/permissions.ts";
import { ApiError, createHttpClient, type HttpClient, type HttpClientOptions, type HttpRequest } from "./http.ts";
import { PER_USER_MFA_STATES, isOneOf, type MailboxSmtpAuthState, type PerUserMfaState } from "../m365/model.ts";

type PermissionName = keyof typeof PERMISSIONS;

/** A 403 from the tenant, with the permission the app registration lacks. */
export class PermissionError extends Error {
  override name = "PermissionError";
  readonly code = "PERMISSION_DENIED";
  readonly permission: string;
  constructor(operation: PermissionName, cause: ApiError) {
    const need = PERMISSIONS[operation];
    const roles = "adminRoles" in need && need.adminRoles ? ` and the Entra role ${need.adminRoles[0]}` : "";
    const resourceName = need.resource === "graph" ? "Microsoft Graph" : "Office 365 Exchange Online";
    super(
      `the app registration lacks permission for ${operation}: grant the ${resourceName} application permission ` +
        `${need.anyOf[0]}${roles} with admin consent (${cause.method} ${cause.url} answered 403)`,
      { cause },
    );
    this.permission = need.anyOf[0]!;
  }
}

async function withPermission<T>(operation: PermissionName, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) throw new PermissionError(operation, err);
    throw err;
  }
}

/** CASMailbox SmtpClientAuthenticationDisabled ↔ our state names. */
export function mailboxStateFromExchange(value: unknown): MailboxSmtpAuthState {
  if (value === null || value === undefined || value === "") return "inherit";
  if (value === false || value === "False" || value === "false") return "enabled";
  if (value === true || value === "True" || value === "true") return "disabled";
  throw new Error(`unexpected SmtpClientAuthenticationDisabled value ${JSON.stringify(value)}`);
}

export function mailboxStateToExchange(state: MailboxSmtpAuthState): boolean | null {
  return state === "inherit" ? null : state === "disabled";
}

export interface CasMailbox {
  /** Primary SMTP address, lower case. */
  mailbox: string;
  state: MailboxSmtpAuthState;
}

export interface GraphUser {
  id: string;
  userPrincipalName: string;
  mail: string | null;
  accountEnabled?: boolean;
}

export interface TenantApiOptions {
  graphUrl: string;
  exchangeUrl: string;
  tenantId: string;
  getGraphToken: () => Promise<string>;
  getExchangeToken: () => Promise<string>;
  http?: Omit<HttpClientOptions, "getToken">;
}

export interface TenantApi {
  getSecurityDefaults(): Promise<boolean>;
  setSecurityDefaults(enabled: boolean): Promise<void>;
  getOrganizationSmtpAuthDisabled(): Promise<boolean>;
  setOrganizationSmtpAuthDisabled(disabled: boolean): Promise<void>;
  /** One mailbox; throws ApiError NOT_FOUND when Exchange has no such mailbox. */
  getCasMailbox(mailbox: string): Promise<CasMailbox>;
  /** Every mailbox, paged 1,000 at a time; `onlyExceptions` keeps those with a per-mailbox value. */
  listCasMailboxes(onlyExceptions: boolean): Promise<CasMailbox[]>;
  setCasMailbox(mailbox: string, state: MailboxSmtpAuthState): Promise<void>;
  getUser(upn: string): Promise<GraphUser>;
  /** Every user's principal name, 999 a page (Graph users list, `$select`: 1 RU a page). */
  listUserPrincipalNames(): Promise<string[]>;
  getPerUserMfa(upn: string): Promise<PerUserMfaState>;
  setPerUserMfa(upn: string, state: PerUserMfaState): Promise<void>;
  /** Per-user MFA for many users through Graph $batch (20 a request). Missing users are left out. */
  getPerUserMfaMany(upns: string[]): Promise<Map<string, PerUserMfaState>>;
  /**
   * Sets per-user MFA for many users through Graph $batch (20 PATCHes a request). Resolves with the
   * users written; a user Graph does not know (404) is left out. Any other refusal throws.
   */
  setPerUserMfaMany(changes: { upn: string; state: PerUserMfaState }[]): Promise<Set<string>>;
  /** Raw Exchange cmdlet call, every page; for reads the doctor and export need. */
  invoke(cmdlet: string, parameters: Record<string, unknown>): Promise<Record<string, unknown>[]>;
  /** Raw Graph GET of a collection, every page. */
  graphList(pathAndQuery: string): Promise<Record<string, unknown>[]>;
}

function parseMfaState(body: unknown, upn: string): PerUserMfaState {
  const state = (body as { perUserMfaState?: unknown } | undefined)?.perUserMfaState;
  if (!isOneOf(PER_USER_MFA_STATES, state)) {
    throw new Error(`Graph returned an unexpected perUserMfaState ${JSON.stringify(state)} for ${upn}`);
  }
  return state;
}

const READ_ONLY_CMDLET = /^Get-/;

/**
 * Requests in flight per API unless options.http says otherwise. Graph: 8 $batch requests of 20
 * reads at ~150 ms answer ~1,000 RU/s, just above the 800 RU/s the identity budget sustains, whose
 * 8,000 RU bucket absorbs the difference for about 40 s. Exchange: Set-CASMailbox takes ~0.8 s, so
 * 16 in flight make ~20 calls/s against a sustained 16.7/s whose bucket holds 10,000; beyond that the
 * 429s' Retry-After pauses the whole client (http.ts).
 */
export const DEFAULT_CONCURRENCY = { graph: 8, exchange: 16 } as const;

export function createTenantApi(options: TenantApiOptions): TenantApi {
  const graph: HttpClient = createHttpClient({
    concurrency: DEFAULT_CONCURRENCY.graph,
    ...options.http,
    getToken: options.getGraphToken,
  });
  const exchange: HttpClient = createHttpClient({
    concurrency: DEFAULT_CONCURRENCY.exchange,
    ...options.http,
    getToken: options.getExchangeToken,
  });
  const graphUrl = options.graphUrl;
  const invokeUrl = `${options.exchangeUrl}/adminapi/beta/${encodeURIComponent(options.tenantId)}/InvokeCommand`;
  const user = (upn: string) => encodeURIComponent(upn);

  async function invoke(cmdlet: string, parameters: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const operation = `exchange.${cmdlet}` as PermissionName;
    return withPermission(operation in PERMISSIONS ? operation : "exchange.Get-CASMailbox", async () => {
      const rows: Record<string, unknown>[] = [];
      let url: string | undefined = invokeUrl;
      const body = { CmdletInput: { CmdletName: cmdlet, Parameters: parameters } };
      while (url) {
        const req: HttpRequest = {
          method: "POST",
          url,
          body,
          headers: {
            prefer: "odata.maxpagesize=1000",
            "x-anchormailbox": `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${options.tenantId}`,
          },
          // Get-* reads and Set-* with absolute values are safe to send twice; New-* is not.
          idempotent: READ_ONLY_CMDLET.test(cmdlet) || cmdlet.startsWith("Set-"),
        };
        const res = await exchange.send(req);
        const page = res.body as { value?: Record<string, unknown>[]; "@odata.nextLink"?: string } | undefined;
        rows.push(...(page?.value ?? []));
        url = page?.["@odata.nextLink"];
      }
      return rows;
    });
  }

  async function graphList(pathAndQuery: string): Promise<Record<string, unknown>[]> {
    const rows: Record<string, unknown>[] = [];
    let url: string | undefined = `${graphUrl}${pathAndQuery}`;
    while (url) {
      const res = await graph.send({ method: "GET", url, idempotent: true });
      const page = res.body as { value?: Record<string, unknown>[]; "@odata.nextLink"?: string };
      rows.push(...(page.value ?? []));
      url = page["@odata.nextLink"];
    }
    return rows;
  }

  const toCasMailbox = (row: Record<string, unknown>): CasMailbox => ({
    mailbox: (typeof row.PrimarySmtpAddress === "string"
      ? row.PrimarySmtpAddress
      : JSON.stringify(row.Identity)
    ).toLowerCase(),
    state: mailboxStateFromExchange(row.SmtpClientAuthenticationDisabled),
  });

  return {
    invoke,
    graphList,

    async getSecurityDefaults() {
      return withPermission("graph.securityDefaults.read", async () => {
        const res = await graph.send({
          method: "GET",
          url: `${graphUrl}/v1.0/policies/identitySecurityDefaultsEnforcementPolicy`,
          idempotent: true,
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

    async getOrganizationSmtpAuthDisabled() {
      const [config] = await invoke("Get-TransportConfig", {});
      const value = config?.SmtpClientAuthenticationDisabled;
      if (typeof value !== "boolean")
        throw new Error("Get-TransportConfig returned no SmtpClientAuthenticationDisabled");
      return value;
    },

    async setOrganizationSmtpAuthDisabled(disabled) {
      await invoke("Set-TransportConfig", { SmtpClientAuthenticationDisabled: disabled });
    },

    async getCasMailbox(mailbox) {
      const [row] = await invoke("Get-CASMailbox", { Identity: mailbox });
      if (!row) throw new Error(`Get-CASMailbox returned nothing for ${mailbox}`);
      return toCasMailbox(row);
    },

    async listCasMailboxes(onlyExceptions) {
      const parameters: Record<string, unknown> = { ResultSize: "Unlimited" };
      if (onlyExceptions) parameters.Filter = "SmtpClientAuthenticationDisabled -ne $null";
      return (await invoke("Get-CASMailbox", parameters)).map(toCasMailbox);
    },

    async setCasMailbox(mailbox, state) {
      await invoke("Set-CASMailbox", {
        Identity: mailbox,
        SmtpClientAuthenticationDisabled: mailboxStateToExchange(state),
      });
    },

    async getUser(upn) {
      return withPermission("graph.users.read", async () => {
        const res = await graph.send({
          method: "GET",
          url: `${graphUrl}/v1.0/users/${user(upn)}?$select=id,userPrincipalName,mail,accountEnabled`,
          idempotent: true,
        });
        return res.body as GraphUser;
      });
    },

    async listUserPrincipalNames() {
      return withPermission("graph.users.read", async () =>
        (await graphList("/v1.0/users?$select=userPrincipalName&$top=999")).map((u) => String(u.userPrincipalName)),
      );
    },

    async getPerUserMfa(upn) {
      return withPermission("graph.perUserMfa.read", async () => {
        const res = await graph.send({
          method: "GET",
          url: `${graphUrl}/beta/users/${user(upn)}/authentication/requirements`,
          idempotent: true,
        });
        return parseMfaState(res.body, upn);
      });
    },

    async setPerUserMfa(upn, state) {
      await withPermission("graph.perUserMfa.write", () =>
        graph.send({
          method: "PATCH",
          url: `${graphUrl}/beta/users/${user(upn)}/authentication/requirements`,
          body: { perUserMfaState: state },
          idempotent: true,
        }),
      );
    },

    async getPerUserMfaMany(upns) {
      return withPermission("graph.perUserMfa.read", async () => {
        const result = new Map<string, PerUserMfaState>();
        const bodies = await mfaBatch(upns.map((upn) => ({ upn })));
        for (const [upn, body] of bodies) result.set(upn, parseMfaState(body, upn));
        return result;
      });
    },

    async setPerUserMfaMany(changes) {
      return withPermission("graph.perUserMfa.write", async () => new Set((await mfaBatch(changes)).keys()));
    },
  };

  /**
   * Per-user MFA requests through Graph $batch, 20 a request, every chunk at once (the HTTP layer
   * bounds how many are in flight). A GET for each `{ upn }`, a PATCH for each `{ upn, state }`.
   * Items answered 429/503 are retried, up to 5 rounds, after the longest Retry-After (capped at
   * 30 s); 404 (no such user) is left out of the result; any other status throws an ApiError.
   * Resolves with each answered user's response body.
   */
  async function mfaBatch(items: { upn: string; state?: PerUserMfaState }[]): Promise<Map<string, unknown>> {
    const result = new Map<string, unknown>();
    const chunks: (typeof items)[] = [];
    for (let i = 0; i < items.length; i += 20) chunks.push(items.slice(i, i + 20));
    await Promise.all(
      chunks.map(async (chunk) => {
        let pending = chunk.map((item, i) => ({ id: String(i + 1), ...item }));
        // Requests inside a batch are throttled one by one: retry those answered 429.
        for (let round = 0; pending.length > 0; round++) {
          const res = await graph.send({
            method: "POST",
            url: `${graphUrl}/beta/$batch`,
            body: {
              requests: pending.map((p) =>
                p.state === undefined
                  ? { id: p.id, method: "GET", url: `/users/${user(p.upn)}/authentication/requirements` }
                  : {
                      id: p.id,
                      method: "PATCH",
                      url: `/users/${user(p.upn)}/authentication/requirements`,
                      headers: { "content-type": "application/json" },
                      body: { perUserMfaState: p.state },
                    },
              ),
            },
            // Each item is a read or an absolute PATCH: sending the batch twice is safe.
            idempotent: true,
          });
          const responses = (
            res.body as {
              responses: { id: string; status: number; body?: unknown; headers?: Record<string, string> }[];
            }
          ).responses;
          const retry: typeof pending = [];
          let wait = 0;
          for (const p of pending) {
            const method = p.state === undefined ? "GET" : "PATCH";
            const r = responses.find((x) => x.id === p.id);
            if (!r) throw new Error(`Graph $batch answered without response ${p.id}`);
            if (r.status >= 200 && r.status < 300) result.set(p.upn, r.body);
            else if (r.status === 404) continue;
            else if ((r.status === 429 || r.status === 503) && round < 5) {
              retry.push(p);
              wait = Math.max(wait, Number(r.headers?.["Retry-After"] ?? r.headers?.["retry-after"] ?? 1) * 1000);
            } else {
              throw new ApiError({
                code: r.status === 403 ? "PERMISSION_DENIED" : r.status === 429 ? "THROTTLED" : "SERVER_ERROR",
                message: `${method} /beta/users/${p.upn}/authentication/requirements (in $batch) answered ${r.status}`,
                method,
                url: `${graphUrl}/beta/users/${user(p.upn)}/authentication/requirements`,
                status: r.status,
                attempts: round + 1,
              });
            }
          }
          if (retry.length > 0) await new Promise((r) => setTimeout(r, Math.min(wait, 30_000)));
          pending = retry;
        }
      }),
    );
    return result;
  }
}
