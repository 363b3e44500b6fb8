/**
 * The tenant's APIs as this project uses them: Microsoft Graph (security defaults, users, per-user
 * MFA, Conditional Access) and the Exchange admin API's InvokeCommand gateway (CAS mailboxes,
 * transport config, authentication policies). Both sit on the one HTTP layer (http.ts).
 *
 * Reads that fail throw ApiError; nothing here turns a failed read into "absent". A refusal for lack
 * of permission (Graph's 403; Exchange's 401/400/403 shapes, tenant/exchange-errors.ts) is rethrown as
 * PermissionError naming the application permission (and Exchange role) the operation needs. An
 * Exchange cmdlet answered 200 with an error in its body throws like any failed call.
 */
import { PERMISSIONS } from "../m365/permissions.ts";
import { PER_USER_MFA_STATES, isOneOf, type MailboxSmtpAuthState, type PerUserMfaState } from "../m365/model.ts";
import { DEFAULT_RETRY, headerOf, retryDelayMs } from "./retry-policy.ts";
import { classifyTokenError, describeTokenError } from "./token-errors.ts";
import {
  ApiError,
  createHttpClient,
  createLimiter,
  safeUrl,
  withTokenDeadline,
  type HttpClient,
  type HttpClientOptions,
  type HttpRequest,
  type Limiter,
} from "./http.ts";
import {
  assertIdentityGiven,
  errorInOkBody,
  exchangeRefusal,
  failedInOk,
  GUID,
  tenantIdOfToken,
} from "./exchange-errors.ts";

type PermissionName = keyof typeof PERMISSIONS;

/** Names the fallback Exchange role for a cmdlet the permission table does not list. */
const GENERIC_EXCHANGE_ROLE = "Exchange Administrator";

/**
 * A refusal for lack of permission, with the permission the app registration lacks. `operation` is a
 * permission-table name, or `exchange.<cmdlet>` for a cmdlet the table does not list (then the
 * message names Exchange.ManageAsApp and an Exchange role generically).
 */
export class PermissionError extends Error {
  override name = "PermissionError";
  readonly code = "PERMISSION_DENIED";
  readonly permission: string;
  constructor(operation: PermissionName | `exchange.${string}`, cause: ApiError) {
    const answered = `(${cause.method} ${cause.url} answered ${cause.status ?? "an error"})`;
    if (!(operation in PERMISSIONS)) {
      const cmdlet = operation.replace(/^exchange\./, "");
      super(
        `the app registration lacks permission for ${cmdlet}: grant the Office 365 Exchange Online application ` +
          `permission Exchange.ManageAsApp with admin consent and give its service principal an Exchange role ` +
          `whose scope includes ${cmdlet} (e.g. the Entra role ${GENERIC_EXCHANGE_ROLE}) ${answered}`,
        { cause },
      );
      this.permission = "Exchange.ManageAsApp";
      return;
    }
    const need = PERMISSIONS[operation as PermissionName];
    const roles = "adminRoles" in need && need.adminRoles ? ` and the Entra role ${need.adminRoles[0]}` : "";
    const resourceName = need.resource === "graph" ? "Microsoft Graph" : "Office 365 Exchange Online";
    super(
      `the app registration lacks permission for ${operation}: grant the ${resourceName} application permission ` +
        `${need.anyOf[0]}${roles} with admin consent ${answered}`,
      { cause },
    );
    this.permission = need.anyOf[0]!;
  }
}

async function withPermission<T>(operation: PermissionName | `exchange.${string}`, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) throw new PermissionError(operation, err);
    // Exchange refuses with 401/400 shapes too; each names the cmdlet's permission the same way.
    if (operation.startsWith("exchange.") && exchangeRefusal(err))
      throw new PermissionError(operation, err as ApiError);
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
  /** "Member" or "Guest" (Conditional Access's GuestsOrExternalUsers). */
  userType?: string | null;
}

export interface TenantApiOptions {
  graphUrl: string;
  exchangeUrl: string;
  tenantId: string;
  getGraphToken: (signal: AbortSignal) => Promise<string>;
  getExchangeToken: (signal: AbortSignal) => Promise<string>;
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
  /** By object id or UPN (Graph keys users by nothing else); throws ApiError NOT_FOUND when absent. */
  getUser(upn: string): Promise<GraphUser>;
  /**
   * The user a mailbox address belongs to: by UPN first, else the one whose `mail` or a
   * `proxyAddresses` entry is the address (mail ≠ UPN). Null when no user has it; throws when
   * more than one does (Entra keeps proxy addresses unique, so that is a broken answer).
   */
  findUser(address: string): Promise<GraphUser | null>;
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
  /**
   * Raw Exchange cmdlet call, every page; for reads the doctor and export need. `select` asks for only
   * those output properties (`?$select=`). Throws before sending when an Identity/User parameter is
   * empty; throws ApiError when Exchange answers 200 with an error in the body.
   */
  invoke(
    cmdlet: string,
    parameters: Record<string, unknown>,
    options?: { select?: readonly string[] },
  ): Promise<Record<string, unknown>[]>;
  /** Raw Graph GET of a collection, every page. */
  graphList(pathAndQuery: string): Promise<Record<string, unknown>[]>;
  /** Raw Graph GET of one entity (the conformance check validates its shape). */
  graphGet(pathAndQuery: string): Promise<Record<string, unknown>>;
}

function parseMfaState(body: unknown, upn: string): PerUserMfaState {
  const state = (body as { perUserMfaState?: unknown } | undefined)?.perUserMfaState;
  if (!isOneOf(PER_USER_MFA_STATES, state)) {
    throw new Error(`Graph returned an unexpected perUserMfaState ${JSON.stringify(state)} for ${upn}`);
  }
  return state;
}

const READ_ONLY_CMDLET = /^Get-/;

/** The user properties the client reads (GraphUser). */
const USER_SELECT = "id,userPrincipalName,mail,accountEnabled,userType";
/** The CASMailbox properties the client reads; `$select` keeps a 1,000-row page small. */
const CAS_SELECT = ["Identity", "PrimarySmtpAddress", "SmtpClientAuthenticationDisabled"] as const;

/**
 * Requests in flight per API unless options.http says otherwise. Graph: 8 $batch requests of 20
 * reads at ~150 ms answer ~1,000 RU/s, just above the 800 RU/s the identity budget sustains, whose
 * 8,000 RU bucket absorbs the difference for about 40 s. Exchange: 8 per tenant, shared by every
 * client of that tenant in the process. Exchange refuses requests beyond a per-tenant concurrency
 * limit ("You have reached the maximum number of concurrent requests per tenant", handled by
 * GreyCorbel ExoHelper); Microsoft does not publish the number, and the last published Exchange
 * Online PowerShell throttling policy allowed 9 concurrent connections per tenant
 * (PowerShellMaxTenantConcurrency). 8 stays under it and leaves one for an administrator's own
 * session; at ~0.8 s a Set-CASMailbox that is ~10 calls/s, below the 16.7/s sustained rate.
 */
export const DEFAULT_CONCURRENCY = { graph: 8, exchange: 8 } as const;

/** One limiter per Exchange tenant endpoint, so the cap holds across every client of the process. */
const exchangeLimiters = new Map<string, Limiter>();

function exchangeLimiter(key: string, limit: number): Limiter {
  let limiter = exchangeLimiters.get(key);
  if (!limiter) exchangeLimiters.set(key, (limiter = createLimiter(limit)));
  return limiter;
}

export function createTenantApi(options: TenantApiOptions): TenantApi {
  const graph: HttpClient = createHttpClient({
    concurrency: DEFAULT_CONCURRENCY.graph,
    ...options.http,
    getToken: options.getGraphToken,
  });
  const exchangeCap = options.http?.concurrency ?? DEFAULT_CONCURRENCY.exchange;
  const exchange: HttpClient = createHttpClient({
    ...options.http,
    limiter:
      options.http?.limiter ??
      exchangeLimiter(`${options.exchangeUrl}|${options.tenantId}|${exchangeCap}`, exchangeCap),
    getToken: options.getExchangeToken,
  });
  const graphUrl = options.graphUrl;
  const batchRetry = options.http?.retry ?? DEFAULT_RETRY;
  const batchSleep = options.http?.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const batchItemError = (
    upn: string,
    r: { status: number; body?: unknown; headers?: Record<string, string> },
    attempts: number,
    method: "GET" | "PATCH" = "GET",
  ) => {
    const reason = (r.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const why = reason ? ` ${String(reason.code)}: ${String(reason.message)}` : "";
    return new ApiError({
      code: r.status === 403 ? "PERMISSION_DENIED" : r.status === 429 ? "THROTTLED" : "SERVER_ERROR",
      message: `${method} /beta/users/${upn}/authentication/requirements (in $batch) answered ${r.status}${why}${
        attempts > 1 ? ` (after ${attempts} attempts)` : ""
      }`,
      method,
      url: `${graphUrl}/beta/users/${user(upn)}/authentication/requirements`,
      status: r.status,
      requestId: headerOf(r.headers, "request-id"),
      attempts,
    });
  };
  const user = (upn: string) => encodeURIComponent(upn);
  // Exchange's URL and X-AnchorMailbox take the tenant's GUID (admin API docs; CIPP uses customerId):
  // a tenant configured by domain is resolved once from the Exchange token's tid claim.
  let tenantGuid: Promise<string> | undefined;
  const exchangeTenant = (): Promise<string> =>
    (tenantGuid ??= GUID.test(options.tenantId)
      ? Promise.resolve(options.tenantId)
      : withTokenDeadline(options.getExchangeToken, options.http?.tokenTimeoutMs ?? 30_000).then(
          (token) => tenantIdOfToken(token) ?? options.tenantId,
          (err: unknown) => {
            tenantGuid = undefined;
            throw tenantUnresolved(err);
          },
        ));
  // The token wait above is bounded like every other; its failure reads as one sentence.
  const tenantUnresolved = (err: unknown): Error => {
    if (err instanceof ApiError) return err;
    const url = safeUrl(`${options.exchangeUrl}/adminapi/beta/${encodeURIComponent(options.tenantId)}/InvokeCommand`);
    const refused = classifyTokenError(err) === "refused";
    return new ApiError({
      code: refused ? "UNAUTHORIZED" : "UNAVAILABLE",
      message: `POST ${url} was not sent: no Exchange token to read the tenant's GUID from: ${describeTokenError(err)}`,
      method: "POST",
      url,
      attempts: 0,
      cause: err,
    });
  };

  async function invoke(
    cmdlet: string,
    parameters: Record<string, unknown>,
    opts: { select?: readonly string[] } = {},
  ): Promise<Record<string, unknown>[]> {
    assertIdentityGiven(cmdlet, parameters);
    return withPermission(`exchange.${cmdlet}`, async () => {
      const tenant = await exchangeTenant();
      const rows: Record<string, unknown>[] = [];
      const select = opts.select?.length ? `?$select=${opts.select.join(",")}` : "";
      const invokeUrl = `${options.exchangeUrl}/adminapi/beta/${encodeURIComponent(tenant)}/InvokeCommand${select}`;
      let url: string | undefined = invokeUrl;
      const body = { CmdletInput: { CmdletName: cmdlet, Parameters: parameters } };
      while (url) {
        const req: HttpRequest = {
          method: "POST",
          url,
          body,
          headers: {
            prefer: "odata.maxpagesize=1000",
            // JSON answers, as CISA ScubaGear and the Exchange Online module ask for (fidelity finding 20).
            "x-responseformat": "json",
            "x-anchormailbox": `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${tenant}`,
          },
          // Get-* reads and Set-* with absolute values are safe to send twice; New-* is not.
          idempotent: READ_ONLY_CMDLET.test(cmdlet) || cmdlet.startsWith("Set-"),
        };
        const res = await exchange.send(req);
        // A failed cmdlet may still answer 200 (fidelity finding 2): never take that for success.
        const failed = errorInOkBody(res.body);
        if (failed) throw failedInOk(cmdlet, url, failed);
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

  async function getUser(upn: string): Promise<GraphUser> {
    return withPermission("graph.users.read", async () => {
      const res = await graph.send({
        method: "GET",
        url: `${graphUrl}/v1.0/users/${user(upn)}?$select=${USER_SELECT}`,
        idempotent: true,
      });
      return res.body as GraphUser;
    });
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
    async graphGet(pathAndQuery) {
      const res = await graph.send({ method: "GET", url: `${graphUrl}${pathAndQuery}`, idempotent: true });
      return res.body as Record<string, unknown>;
    },

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
      const [row] = await invoke("Get-CASMailbox", { Identity: mailbox }, { select: CAS_SELECT });
      if (!row) throw new Error(`Get-CASMailbox returned nothing for ${mailbox}`);
      return toCasMailbox(row);
    },

    async listCasMailboxes(onlyExceptions) {
      // No -Filter: SmtpClientAuthenticationDisabled is not filterable (fidelity finding 1). List the
      // three properties needed and keep the exceptions here, as CIPP does.
      const all = (await invoke("Get-CASMailbox", { ResultSize: "Unlimited" }, { select: CAS_SELECT })).map(
        toCasMailbox,
      );
      return onlyExceptions ? all.filter((m) => m.state !== "inherit") : all;
    },

    async setCasMailbox(mailbox, state) {
      await invoke("Set-CASMailbox", {
        Identity: mailbox,
        SmtpClientAuthenticationDisabled: mailboxStateToExchange(state),
      });
    },

    getUser,

    async findUser(address) {
      return withPermission("graph.users.read", async () => {
        try {
          return await getUser(address);
        } catch (err) {
          if (!(err instanceof ApiError && err.status === 404)) throw err;
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
        const started = Date.now();
        for (let round = 1; pending.length > 0; round++) {
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
          let wait: number | undefined = 0;
          for (const p of pending) {
            const method = p.state === undefined ? "GET" : "PATCH";
            const r = responses.find((x) => x.id === p.id);
            if (!r) throw new Error(`Graph $batch answered without response ${p.id}`);
            if (r.status >= 200 && r.status < 300) result.set(p.upn, r.body);
            else if (r.status === 404) continue;
            else {
              // Items are throttled one by one: retry those answered 429/503 with the one retry
              // policy (Retry-After in any header case, within the request budget).
              const delay =
                r.status === 429 || r.status === 503
                  ? retryDelayMs(
                      round,
                      headerOf(r.headers, "retry-after"),
                      Date.now() - started,
                      batchRetry,
                      Date.now(),
                      Math.random(),
                    )
                  : undefined;
              if (delay === undefined || wait === undefined) throw batchItemError(p.upn, r, round, method);
              retry.push(p);
              wait = Math.max(wait, delay);
            }
          }
          if (retry.length > 0) await batchSleep(wait);
          pending = retry;
        }
      }),
    );
    return result;
  }
}
