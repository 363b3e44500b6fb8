/**
 * Graph sign-in logs: GET /{version}/auditLogs/signIns (signin-list.md), newest first, 1,000 a page
 * by default with absolute nextLinks. Serves the subset of $filter that SMTP AUTH usage reads:
 * `createdDateTime ge|le <datetime>`, `clientAppUsed eq '…'`, `userPrincipalName eq '…'`,
 * `appId eq '…'` and, on beta, `signInEventTypes/any(t: t eq '…')`, joined with `and` and
 * parentheses. Any other form answers 501 (strict), as the rest of the sandbox does.
 *
 * Like Graph, a request without a signInEventTypes clause returns interactive user sign-ins only.
 * A tenant whose `signInLogs.premium` is false answers 403
 * Authentication_RequestFromNonPremiumTenantOrB2CTenant, as a tenant without Entra ID P1 does
 * (message as reported in microsoftgraph/microsoft-graph-docs-contrib#3033 and msgraph-sdk-dotnet#1006).
 */
import type { SignInEventType, SignInRecord } from "../model.ts";
import type { HandlerContext, HandlerResult } from "../protocol/context.ts";
import { json } from "../protocol/context.ts";
import { GraphErrors, graphErrorBody } from "../errors/graph.ts";
import { SandboxHttpError, type ErrorContext } from "../errors/http-error.ts";
import { stableGuid } from "../store/ids.ts";
import { contextUrl, decodeSkipToken, nextLink } from "./odata.ts";

export const SIGN_IN_PAGE_SIZE = 1000;

/** Graph's code and message for sign-in logs read from a tenant without Entra ID P1/P2. */
export const NON_PREMIUM = {
  code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
  message: "Neither tenant is B2C or tenant doesn't have premium license",
} as const;

/** The sign-in log errors this endpoint adds to the Graph catalogue (sandbox/errors/graph.ts). */
export const SignInErrors = {
  nonPremium: (ctx: ErrorContext) =>
    new SandboxHttpError({
      status: 403,
      code: NON_PREMIUM.code,
      message: NON_PREMIUM.message,
      body: graphErrorBody(ctx, NON_PREMIUM.code, NON_PREMIUM.message),
    }),
  invalidTop: (ctx: ErrorContext, top: string) =>
    new SandboxHttpError({
      status: 400,
      code: "Request_BadRequest",
      message: `Invalid page size specified: '${top}'. Must be between 1 and ${SIGN_IN_PAGE_SIZE} inclusive.`,
      body: graphErrorBody(
        ctx,
        "Request_BadRequest",
        `Invalid page size specified: '${top}'. Must be between 1 and ${SIGN_IN_PAGE_SIZE} inclusive.`,
      ),
    }),
};

/**
 * `status.failureReason` for the AADSTS codes the fixtures use (Entra's error-code reference,
 * learn.microsoft.com/entra/identity-platform/reference-error-codes; 50126 as in signin-list.md).
 */
export const FAILURE_REASONS: Readonly<Record<number, string>> = {
  0: "",
  50053: "The account is locked, you've tried to sign in too many times with an incorrect user ID or password.",
  50057: "The user account is disabled.",
  50076:
    "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.",
  50126: "Error validating credentials due to invalid username or password.",
  53003: "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
  7000215: "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.",
};

/** First-party resource app ids by display name (Microsoft's well-known application ids). */
const RESOURCE_IDS: Readonly<Record<string, string>> = {
  "Office 365 Exchange Online": "00000002-0000-0ff1-ce00-000000000000",
  "Microsoft Graph": "00000003-0000-0000-c000-000000000000",
};

type Clause =
  | { kind: "time"; op: "ge" | "le"; at: number }
  | { kind: "eq"; prop: "clientAppUsed" | "userPrincipalName" | "appId"; value: string }
  | { kind: "eventType"; value: string };

const EQ_PROPS = ["clientAppUsed", "userPrincipalName", "appId"] as const;

/** Thrown for a $filter outside the modelled subset (→ 501) or unreadable (→ 400). */
class Unmodelled extends Error {}
class Unreadable extends Error {}

/**
 * Parses the modelled subset: clauses joined by `and`, optionally in parentheses.
 * @internal exported for tests
 */
export function parseSignInFilter(src: string): Clause[] {
  const out: Clause[] = [];
  // Parentheses only group here (no `or`), so they can be dropped once balanced.
  let depth = 0;
  for (const c of src.replace(/'(?:[^']|'')*'/g, "")) {
    if (c === "(") depth++;
    if (c === ")") depth--;
    if (depth < 0) throw new Unreadable("unbalanced parentheses");
  }
  if (depth !== 0) throw new Unreadable("unbalanced parentheses");
  const lambda = /signInEventTypes\/any\(\s*(\w+)\s*:\s*(\w+)\s+eq\s+'([^']*)'\s*\)/gi;
  const text = src.replace(lambda, (_m, v: string, v2: string, value: string) => {
    if (v !== v2) throw new Unreadable(`the lambda variable '${v2}' is not '${v}'`);
    out.push({ kind: "eventType", value });
    return " __lambda__ ";
  });
  if (/\/\s*(any|all)\s*\(/i.test(text)) throw new Unmodelled("lambda operators other than signInEventTypes/any");
  const parts = text
    .replace(/[()]/g, " ")
    .split(/\s+and\s+/i)
    .map((p) => p.trim());
  for (const part of parts) {
    if (part === "__lambda__") continue;
    if (part === "") throw new Unreadable("an empty clause");
    if (/\s(or|ne|gt|lt)\s|^not\s/i.test(` ${part} `)) throw new Unmodelled(`the clause '${part}'`);
    const time = /^createdDateTime\s+(ge|le)\s+(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z)?)$/i.exec(part);
    if (time) {
      const at = Date.parse(time[2]!.includes("T") ? time[2]! : `${time[2]!}T00:00:00Z`);
      if (Number.isNaN(at)) throw new Unreadable(`'${time[2]!}' is not a date`);
      out.push({ kind: "time", op: time[1]!.toLowerCase() as "ge" | "le", at });
      continue;
    }
    const eq = /^(\w+)\s+eq\s+'((?:[^']|'')*)'$/i.exec(part);
    const prop = eq ? EQ_PROPS.find((p) => p.toLowerCase() === eq[1]!.toLowerCase()) : undefined;
    if (eq && prop) {
      out.push({ kind: "eq", prop, value: eq[2]!.replace(/''/g, "'") });
      continue;
    }
    throw new Unmodelled(`the clause '${part}'`);
  }
  return out;
}

/** The record's createdDateTime as milliseconds, from the sandbox clock. */
export function recordTime(r: SignInRecord, now: Date): number {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - r.daysAgo * 86_400_000;
  const [h, m, s] = r.time.split(":").map(Number) as [number, number, number];
  return day + ((h * 60 + m) * 60 + s) * 1000;
}

function matches(r: SignInRecord, at: number, clauses: Clause[], types: SignInEventType[]): boolean {
  if (!types.includes(r.eventType)) return false;
  return clauses.every((c) => {
    if (c.kind === "time") return c.op === "ge" ? at >= c.at : at <= c.at;
    if (c.kind === "eventType") return true;
    const v = c.prop === "appId" ? r.appId : c.prop === "clientAppUsed" ? r.clientAppUsed : r.userPrincipalName;
    return (v ?? "").toLowerCase() === c.value.toLowerCase();
  });
}

function toGraph(ctx: HandlerContext, r: SignInRecord, at: number): Record<string, unknown> {
  const user = r.userPrincipalName ? ctx.store.findUser(r.userPrincipalName) : undefined;
  const app = ctx.store.findApp(r.appId);
  const id = stableGuid(ctx.store.tenantId, "signIn", String(r.daysAgo), r.time, r.userPrincipalName ?? r.appId);
  const out: Record<string, unknown> = {
    id,
    createdDateTime: new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z"),
    userDisplayName: user?.displayName ?? null,
    userPrincipalName: r.userPrincipalName,
    userId: user?.id ?? null,
    appId: r.appId,
    appDisplayName: r.appDisplayName,
    ipAddress: r.ipAddress,
    clientAppUsed: r.clientAppUsed === "" ? null : r.clientAppUsed,
    correlationId: stableGuid(id, "correlation"),
    conditionalAccessStatus: r.errorCode === 53003 ? "failure" : "notApplied",
    isInteractive: r.eventType === "interactiveUser",
    resourceDisplayName: r.resourceDisplayName,
    resourceId: RESOURCE_IDS[r.resourceDisplayName] ?? stableGuid("resource", r.resourceDisplayName),
    status: {
      errorCode: r.errorCode,
      failureReason: FAILURE_REASONS[r.errorCode] ?? "Other.",
      additionalDetails: null,
    },
  };
  if (ctx.version === "beta") {
    out.signInEventTypes = [r.eventType];
    out.servicePrincipalId = r.eventType === "servicePrincipal" ? (app?.servicePrincipalId ?? "") : "";
    out.servicePrincipalName = r.eventType === "servicePrincipal" ? r.appDisplayName : "";
  }
  return out;
}

/** GET /{version}/auditLogs/signIns */
export function listSignIns(ctx: HandlerContext): HandlerResult {
  const logs = ctx.store.read().signInLogs ?? { premium: true, records: [] };
  if (!logs.premium) throw SignInErrors.nonPremium(ctx);
  const topRaw = ctx.query.get("$top");
  let top = SIGN_IN_PAGE_SIZE;
  if (topRaw !== null) {
    top = Number(topRaw);
    if (!Number.isInteger(top) || top < 1 || top > SIGN_IN_PAGE_SIZE) throw SignInErrors.invalidTop(ctx, topRaw);
  }
  let clauses: Clause[] = [];
  const filter = ctx.query.get("$filter");
  if (filter !== null) {
    try {
      clauses = parseSignInFilter(filter);
    } catch (e) {
      if (e instanceof Unmodelled)
        throw GraphErrors.notImplemented(ctx, `${e.message} in $filter on auditLogs/signIns`);
      if (e instanceof Unreadable) throw GraphErrors.invalidFilter(ctx, e.message);
      throw e;
    }
  }
  const typed = clauses.filter((c) => c.kind === "eventType").map((c) => c.value as SignInEventType);
  if (typed.length > 0 && ctx.version !== "beta") {
    throw GraphErrors.notImplemented(ctx, "signInEventTypes in $filter on v1.0 (the sandbox serves it on beta)");
  }
  if (typed.length > 1) throw GraphErrors.notImplemented(ctx, "more than one signInEventTypes clause");
  const types: SignInEventType[] = typed.length > 0 ? typed : ["interactiveUser"];

  const now = ctx.now();
  const rows = logs.records
    .map((r) => ({ r, at: recordTime(r, now) }))
    .filter(({ r, at }) => at <= now.getTime() && matches(r, at, clauses, types))
    .sort((a, b) => b.at - a.at);
  const skip = ctx.query.get("$skiptoken");
  const offset = skip === null ? 0 : decodeSkipToken(ctx, skip);
  const body: Record<string, unknown> = { "@odata.context": contextUrl(ctx, "auditLogs/signIns") };
  if (offset + top < rows.length) body["@odata.nextLink"] = nextLink(ctx, offset + top);
  body.value = rows.slice(offset, offset + top).map(({ r, at }) => toGraph(ctx, r, at));
  return json(200, body);
}
