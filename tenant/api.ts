/**
 * The tenant's APIs as this project uses them: Microsoft Graph (./graph.ts: security defaults,
 * users, per-user MFA, Conditional Access) and the Exchange admin API's InvokeCommand gateway
 * (./exchange.ts: CAS mailboxes, transport config, authentication policies). Both sit on the one
 * HTTP layer (./http.ts).
 *
 * Reads that fail throw ApiError; nothing here turns a failed read into "absent". A refusal for lack
 * of permission (Graph's 403; Exchange's 401/400/403 shapes, tenant/exchange-errors.ts) is rethrown as
 * PermissionError naming the application permission (and Exchange role) the operation needs. An
 * Exchange cmdlet answered 200 with an error in its body throws like any failed call.
 */
import type { MailboxSmtpAuthState, PerUserMfaState } from "../m365/model.ts";
import { createExchangeApi, type CasMailbox } from "./exchange.ts";
import { createGraphApi, type GraphUser } from "./graph.ts";
import { createPerUserMfaApi } from "./per-user-mfa.ts";
import { createHttpClient, type HttpClient, type HttpClientOptions } from "./http.ts";

export { PermissionError } from "./permission-error.ts";
export { mailboxStateFromExchange, mailboxStateToExchange, type CasMailbox } from "./exchange.ts";
export type { GraphUser } from "./graph.ts";

export interface TenantApiOptions {
  graphUrl: string;
  exchangeUrl: string;
  tenantId: string;
  /** The Graph token; `options` after a 401 challenge asks for a fresh one (HttpClientOptions.getToken). */
  getGraphToken: HttpClientOptions["getToken"];
  /** The Exchange token, likewise. */
  getExchangeToken: HttpClientOptions["getToken"];
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
  /**
   * Per-user MFA for many users through Graph $batch (20 a request). A user answered 404 is asked once
   * more (directory replication), then left out: a caller that listed the users must say so.
   */
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

export function createTenantApi(options: TenantApiOptions): TenantApi {
  // Graph and Exchange sign in with the same credential: one AADSTS700027 grace for both.
  const http = { ...options.http, rotationLag: options.http?.rotationLag ?? {} };
  const graph: HttpClient = createHttpClient({
    concurrency: DEFAULT_CONCURRENCY.graph,
    ...http,
    getToken: options.getGraphToken,
  });
  return {
    ...createGraphApi(graph, options.graphUrl),
    ...createPerUserMfaApi(graph, options.graphUrl, options.http?.retry, options.http?.sleep),
    ...createExchangeApi({ ...options, http }, options.http?.concurrency ?? DEFAULT_CONCURRENCY.exchange),
  };
}
