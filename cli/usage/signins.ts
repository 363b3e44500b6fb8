/**
 * Reads who signed in to SMTP AUTH from Entra's sign-in logs through Microsoft Graph
 * (docs/usage.md "Where the sign-ins come from"):
 *
 * - Basic: `GET /v1.0/auditLogs/signIns?$filter=createdDateTime ge <since> and clientAppUsed eq
 *   'Authenticated SMTP'&$top=1000` — the interactive user sign-ins SMTP AUTH makes with a password.
 * - OAuth: `GET /beta/auditLogs/signIns?$filter=createdDateTime ge <since> and
 *   signInEventTypes/any(t: t eq 'servicePrincipal')&$top=1000` — client-credentials token requests,
 *   kept when the token is for Office 365 Exchange Online and the app is not this tool's own.
 *   Service-principal sign-ins are served on beta only.
 *
 * Every page's @odata.nextLink is followed as given. Failures: a tenant without Entra ID P1/P2 and an
 * app without AuditLog.Read.All raise a SignInLogError naming what is missing and the CSV fallback;
 * anything else is the ApiError it is. Nothing here writes to the tenant.
 */
import { createCredential, SCOPES, type ConnectionSettings } from "../../tenant/connection.ts";
import { ApiError, createHttpClient, type HttpClient } from "../../tenant/http.ts";
import { PermissionError } from "../../tenant/api.ts";
import { CliError } from "../io.ts";
import type { SmtpSignIn } from "./model.ts";

/** clientAppUsed of an SMTP AUTH sign-in with a password. */
export const SMTP_CLIENT_APP = "Authenticated SMTP";
/** Exchange Online's resource (first-party app) id: the audience of an XOAUTH2 token. */
export const EXCHANGE_RESOURCE_ID = "00000002-0000-0ff1-ce00-000000000000";
const EXCHANGE_RESOURCE_NAME = "office 365 exchange online";
/** The most a sign-in log page holds (signin-list.md). */
export const PAGE_SIZE = 1000;

/** Graph's code for sign-in logs read from a tenant without Entra ID P1 or P2. */
export const NON_PREMIUM_CODE = "Authentication_RequestFromNonPremiumTenantOrB2CTenant";

const FALLBACK =
  "use --from-csv FILE with the Exchange admin center's SMTP AUTH clients report instead (Reports > Mail flow > SMTP AUTH clients report > Export; see docs/usage.md)";

/** The sign-in logs cannot be read: no Entra ID P1/P2, or no AuditLog.Read.All. Exit 1. */
export class SignInLogError extends CliError {
  override name = "SignInLogError";
}

/** Progress of a long read: pages and records so far, per query. */
export type Progress = (what: string, pages: number, records: number) => void;

export interface ReadSignInsOptions {
  /** First instant to read, ISO 8601 UTC. */
  since: string;
  onProgress?: Progress;
  /** The tool's own app id: its Exchange admin tokens are not SMTP sign-ins. */
  ownAppId?: string;
  /** For tests: an HTTP client instead of one built from the settings. */
  http?: HttpClient;
}

/** A Graph client for the sign-in logs, with the CLI's short retries. */
export async function signInLogClient(settings: ConnectionSettings): Promise<HttpClient> {
  const credential = await createCredential(settings);
  return createHttpClient({
    concurrency: 2,
    retry: { maxAttempts: 3, baseDelayMs: 300, maxDelayMs: 5_000, budgetMs: 30_000 },
    timeoutMs: 60_000,
    getToken: async () => {
      const t = await credential.getToken(SCOPES.graph);
      if (!t) throw new Error(`@azure/identity returned no token for ${SCOPES.graph}`);
      return t.token;
    },
  });
}

/** Every row of a paged Graph collection, reporting progress after each page. */
async function readAll(
  http: HttpClient,
  url: string,
  what: string,
  onProgress?: Progress,
): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  let next: string | undefined = url;
  let pages = 0;
  while (next) {
    let res;
    try {
      res = await http.send({ method: "GET", url: next, idempotent: true });
    } catch (err) {
      throw explain(err);
    }
    const page = res.body as { value?: Record<string, unknown>[]; "@odata.nextLink"?: string };
    rows.push(...(page.value ?? []));
    pages++;
    onProgress?.(what, pages, rows.length);
    next = page["@odata.nextLink"];
  }
  return rows;
}

/** Turns the two refusals an admin can act on into one line naming what is missing. */
function explain(err: unknown): unknown {
  if (!(err instanceof ApiError) || err.status !== 403) return err;
  if (err.serviceCode === NON_PREMIUM_CODE) {
    return new SignInLogError(
      `the tenant's sign-in logs need Microsoft Entra ID P1 or P2 (Graph answered 403 ${NON_PREMIUM_CODE}); ${FALLBACK}`,
      { cause: err },
    );
  }
  const permission = new PermissionError("graph.signIns.read", err);
  return new SignInLogError(`${permission.message}; or ${FALLBACK}`, { cause: err });
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

function statusOf(row: Record<string, unknown>): { errorCode: number; failureReason: string } {
  const s = (row.status ?? {}) as { errorCode?: unknown; failureReason?: unknown };
  return { errorCode: typeof s.errorCode === "number" ? s.errorCode : -1, failureReason: str(s.failureReason) };
}

/**
 * Reads the SMTP AUTH sign-ins since `opts.since`, Basic then OAuth, newest first within each.
 * Throws SignInLogError (no P1/P2, no AuditLog.Read.All) or ApiError.
 */
export async function readSmtpSignIns(
  graphUrl: string,
  http: HttpClient,
  opts: ReadSignInsOptions,
): Promise<SmtpSignIn[]> {
  const q = (filter: string) => `?$filter=${encodeURIComponent(filter)}&$top=${PAGE_SIZE}`;
  const basicRows = await readAll(
    http,
    `${graphUrl}/v1.0/auditLogs/signIns${q(`createdDateTime ge ${opts.since} and clientAppUsed eq '${SMTP_CLIENT_APP}'`)}`,
    "SMTP AUTH sign-ins with a password",
    opts.onProgress,
  );
  const appRows = await readAll(
    http,
    `${graphUrl}/beta/auditLogs/signIns${q(`createdDateTime ge ${opts.since} and signInEventTypes/any(t: t eq 'servicePrincipal')`)}`,
    "app-only (service principal) sign-ins",
    opts.onProgress,
  );
  const out: SmtpSignIn[] = [];
  for (const row of basicRows) {
    const upn = str(row.userPrincipalName).toLowerCase();
    // The server filtered on clientAppUsed; a row without a user cannot be attributed.
    if (upn === "" || str(row.clientAppUsed) !== SMTP_CLIENT_APP) continue;
    const { errorCode, failureReason } = statusOf(row);
    out.push({
      account: upn,
      kind: "user",
      mechanism: "basic",
      at: str(row.createdDateTime),
      ok: errorCode === 0,
      errorCode,
      failureReason,
      ipAddress: str(row.ipAddress),
      appId: str(row.appId),
      appDisplayName: str(row.appDisplayName),
    });
  }
  const own = opts.ownAppId?.toLowerCase();
  for (const row of appRows) {
    const appId = str(row.appId).toLowerCase();
    const toExchange =
      str(row.resourceId).toLowerCase() === EXCHANGE_RESOURCE_ID ||
      str(row.resourceDisplayName).toLowerCase() === EXCHANGE_RESOURCE_NAME;
    if (!toExchange || appId === "" || appId === own) continue;
    const { errorCode, failureReason } = statusOf(row);
    out.push({
      account: appId,
      kind: "app",
      mechanism: "oauth",
      at: str(row.createdDateTime),
      ok: errorCode === 0,
      errorCode,
      failureReason,
      ipAddress: str(row.ipAddress),
      appId,
      appDisplayName: str(row.appDisplayName),
    });
  }
  return out;
}
