/**
 * The Exchange half of the tenant client: the admin API's InvokeCommand gateway that Exchange Online
 * PowerShell uses (undocumented; kept behind this one module), paged 1,000 rows at a time, with the
 * CAS mailbox and transport config reads and writes built on it. A cmdlet answered 200 with an error
 * in its body throws like any failed call; refusals name the permission (./permission-error.ts).
 */
import type { MailboxSmtpAuthState } from "../m365/model.ts";
import type { TenantApi, TenantApiOptions } from "./api.ts";
import { assertIdentityGiven, errorInOkBody, failedInOk, GUID, tenantIdOfToken } from "./exchange-errors.ts";
import {
  ApiError,
  createHttpClient,
  createLimiter,
  expectCollection,
  expectObject,
  safeUrl,
  withTokenDeadline,
  type HttpClient,
  type HttpRequest,
  type Limiter,
} from "./http.ts";
import { withPermission } from "./permission-error.ts";
import { classifyTokenError, describeTokenError } from "./token-errors.ts";

export interface CasMailbox {
  /** Primary SMTP address, lower case. */
  mailbox: string;
  state: MailboxSmtpAuthState;
}

/** CASMailbox SmtpClientAuthenticationDisabled ↔ our state names. */
export function mailboxStateFromExchange(value: unknown): MailboxSmtpAuthState {
  if (value === null || value === undefined || value === "") return "inherit";
  if (value === false || value === "False" || value === "false") return "enabled";
  if (value === true || value === "True" || value === "true") return "disabled";
  throw new Error(`unexpected SmtpClientAuthenticationDisabled value ${JSON.stringify(value)}`);
}

/** The row's key for `name` in any casing (PowerShell property names are case-insensitive), or undefined. */
function propertyKey(row: Record<string, unknown>, name: string): string | undefined {
  if (name in row) return name;
  const lower = name.toLowerCase();
  return Object.keys(row).find((k) => k.toLowerCase() === lower);
}

export function mailboxStateToExchange(state: MailboxSmtpAuthState): boolean | null {
  return state === "inherit" ? null : state === "disabled";
}

/** The Exchange operations of the tenant client (see TenantApi in ./api.ts for each contract). */
export type ExchangeApi = Pick<
  TenantApi,
  | "invoke"
  | "getOrganizationSmtpAuthDisabled"
  | "setOrganizationSmtpAuthDisabled"
  | "getCasMailbox"
  | "listCasMailboxes"
  | "setCasMailbox"
>;

const READ_ONLY_CMDLET = /^Get-/;
/** The CASMailbox properties the client reads; `$select` keeps a 1,000-row page small. */
const CAS_SELECT = ["Identity", "PrimarySmtpAddress", "SmtpClientAuthenticationDisabled"] as const;

/** One limiter per Exchange tenant endpoint, so the cap holds across every client of the process. */
const exchangeLimiters = new Map<string, Limiter>();

function exchangeLimiter(key: string, limit: number): Limiter {
  let limiter = exchangeLimiters.get(key);
  if (!limiter) exchangeLimiters.set(key, (limiter = createLimiter(limit)));
  return limiter;
}

/** Exchange calls for the tenant of `options`, at most `cap` in flight per tenant in this process. */
export function createExchangeApi(options: TenantApiOptions, cap: number): ExchangeApi {
  const exchangeCap = cap;
  const exchange: HttpClient = createHttpClient({
    ...options.http,
    limiter:
      options.http?.limiter ??
      exchangeLimiter(`${options.exchangeUrl}|${options.tenantId}|${exchangeCap}`, exchangeCap),
    getToken: options.getExchangeToken,
  });
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
          // A Get-* page must carry `value`; other cmdlets may answer only `@adminapi.warnings` (CIPP's
          // New-ExoRequest), but always a JSON object.
          expect: READ_ONLY_CMDLET.test(cmdlet) ? expectCollection : expectObject,
        };
        const res = await exchange.send(req);
        // A failed cmdlet may still answer 200 (fidelity finding 2): never take that for success.
        const failed = errorInOkBody(res.body);
        if (failed) {
          // Exchange names the exception in X-ExceptionType when the body does not (ExoHelper).
          const header = res.headers.get("x-exceptiontype") ?? undefined;
          const serviceCode = failed.exception ?? header ?? failed.serviceCode;
          throw failedInOk(
            cmdlet,
            url,
            { message: failed.message, ...(serviceCode ? { serviceCode } : {}) },
            res.attempts,
          );
        }
        const page = res.body as { value?: unknown; "@odata.nextLink"?: string };
        if (page.value !== undefined && !Array.isArray(page.value))
          throw new Error(`${cmdlet} answered a value that is not a list`);
        rows.push(...((page.value as Record<string, unknown>[] | undefined) ?? []));
        url = page["@odata.nextLink"];
      }
      return rows;
    });
  }

  const toCasMailbox = (row: Record<string, unknown>): CasMailbox => {
    const mailbox = (
      typeof row.PrimarySmtpAddress === "string" ? row.PrimarySmtpAddress : JSON.stringify(row.Identity)
    ).toLowerCase();
    // Only an explicit null (or "") means "inherit": a row without the property says nothing, and
    // reading it as inherit would hide a mailbox's own value (a stray) from every refresh.
    const key = propertyKey(row, "SmtpClientAuthenticationDisabled");
    if (key === undefined)
      throw new Error(`Get-CASMailbox returned no SmtpClientAuthenticationDisabled for ${mailbox}`);
    return { mailbox, state: mailboxStateFromExchange(row[key]) };
  };

  return {
    invoke,
    async getOrganizationSmtpAuthDisabled() {
      const [config] = await invoke("Get-TransportConfig", {});
      const key = config ? propertyKey(config, "SmtpClientAuthenticationDisabled") : undefined;
      const value = key === undefined ? undefined : config![key];
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
  };
}
