/**
 * The conformance check: a read-only run against a tenant before its first preview. It gets a token
 * for each API, makes every read call the code makes (./checks.ts), names the permission or role each
 * refusal lacks — every one of them in one run — and checks the answers' shapes (./shapes.ts). With
 * `allowWrites` and a mailbox it also flips that mailbox's SMTP AUTH switch and puts it back.
 *
 * Failure semantics: nothing here throws for what the tenant answers; each check carries its own
 * status. Tokens are used, never kept: the result holds claims (tenant id, roles), not tokens.
 */
import { describeAppPermission, PERMISSIONS, type OperationName } from "../../m365/permissions.ts";
import type { MailboxSmtpAuthState } from "../../m365/model.ts";
import { PermissionError, type TenantApi } from "../../tenant/api.ts";
import { ApiError } from "../../tenant/http.ts";
import { READ_CHECKS, type CheckContext } from "./checks.ts";
import { validateAnswer, type ShapeId } from "./shapes.ts";

export type CheckStatus = "pass" | "missing" | "shape" | "error" | "skipped";

/** The outcome of one call. `missing` names what to grant; `answer` is the raw answer (for --record). */
export interface CheckResult {
  id: ShapeId | "token.graph" | "token.exchange" | "write.Set-CASMailbox";
  api: "graph" | "exchange";
  call: string;
  usedBy: string;
  status: CheckStatus;
  missing?: string;
  problems?: string[];
  note?: string;
  answer?: unknown;
}

export interface ConformanceResult {
  cloud: string;
  /** The tenant's GUID, from the tokens' `tid` claim. */
  tenantGuid: string | null;
  checks: CheckResult[];
  /** Every grant the run found missing, each once, in check order. */
  missing: string[];
  ok: boolean;
}

export interface ConformanceOptions {
  api: TenantApi;
  graphUrl: string;
  getGraphToken: () => Promise<string>;
  getExchangeToken: () => Promise<string>;
  /** The tenant as configured (GUID or domain); a domain gets a note naming the GUID. */
  tenantId?: string;
  /** The sample mailbox for per-user reads, and the test mailbox for --allow-writes. */
  mailbox?: string;
  allowWrites?: boolean;
}

/** Microsoft's cloud, from the Graph host (national cloud deployments); anything else is "custom". */
export function cloudOf(graphUrl: string): string {
  const host = new URL(graphUrl).hostname.toLowerCase();
  const known: Record<string, string> = {
    "graph.microsoft.com": "global",
    "graph.microsoft.us": "usgov (GCC High)",
    "dod-graph.microsoft.us": "usgov-dod",
    "microsoftgraph.chinacloudapi.cn": "china (21Vianet)",
  };
  return known[host] ?? `custom (${host})`;
}

/** The claims of a JWT's payload (not verified: the APIs verify it; we only read tid and roles). */
export function tokenClaims(token: string): { tid?: string; roles?: string[]; aud?: string } {
  try {
    return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as {
      tid?: string;
      roles?: string[];
    };
  } catch {
    return {};
  }
}

/** True when the tenant refused the call for lack of permission or role, in any form Exchange or Graph uses. */
export function isRefusal(err: unknown): boolean {
  if (err instanceof PermissionError) return true;
  if (!(err instanceof ApiError)) return false;
  if (err.status === 403 || err.code === "PERMISSION_DENIED") return true;
  const text = `${err.message} ${err.serviceCode ?? ""}`;
  // Exchange: 401 "… is not allowed to call Get-Mailbox", 400 authorization exceptions, cmdlet not recognised.
  return (
    (err.status === 401 && /not allowed to call|access ?denied/iu.test(text)) ||
    (err.status === 400 && /authoriz|AccessDenied|isn't assigned|not recognized/iu.test(text))
  );
}

/** What to grant for `op`, given the roles the API's token carries. */
export function missingFor(op: OperationName, tokenRoles: readonly string[] | undefined): string {
  const need = PERMISSIONS[op];
  const held = tokenRoles !== undefined && need.anyOf.some((r) => tokenRoles.includes(r));
  if (!held) return describeAppPermission(op);
  if ("adminRoles" in need)
    return `one of the Entra roles ${need.adminRoles.join(", ")} assigned to the app's service principal`;
  return `${describeAppPermission(op)} — the token holds it: grant admin consent, or wait for it to propagate`;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function tokenCheck(
  api: "graph" | "exchange",
  get: () => Promise<string>,
): Promise<{ result: CheckResult; roles?: string[]; tid?: string }> {
  const result: CheckResult = {
    id: api === "graph" ? "token.graph" : "token.exchange",
    api,
    call: `client credentials token for ${api === "graph" ? "Microsoft Graph" : "Office 365 Exchange Online"}`,
    usedBy: "every call to this API",
    status: "pass",
  };
  try {
    const claims = tokenClaims(await get());
    const roles = Array.isArray(claims.roles) ? claims.roles : [];
    result.note = `roles: ${roles.length > 0 ? roles.join(", ") : "none"}`;
    return { result, roles, ...(claims.tid ? { tid: claims.tid } : {}) };
  } catch (err) {
    return { result: { ...result, status: "error", note: message(err) } };
  }
}

/** Runs every check; see the file header. */
export async function runConformance(opts: ConformanceOptions): Promise<ConformanceResult> {
  const graphToken = await tokenCheck("graph", opts.getGraphToken);
  const exchangeToken = await tokenCheck("exchange", opts.getExchangeToken);
  const roles = { graph: graphToken.roles, exchange: exchangeToken.roles };
  const checks: CheckResult[] = [graphToken.result, exchangeToken.result];
  const ctx: CheckContext = { api: opts.api, ...(opts.mailbox ? { address: opts.mailbox.toLowerCase() } : {}) };

  for (const check of READ_CHECKS) {
    const base = { id: check.id, api: check.api, call: check.call, usedBy: check.usedBy };
    const token = check.api === "graph" ? graphToken : exchangeToken;
    if (token.result.status !== "pass") {
      checks.push({ ...base, status: "skipped", note: `no ${check.api} token` });
      continue;
    }
    if ((check.needs === "address" && !ctx.address) || (check.needs === "user" && !ctx.user)) {
      // Not called, but a Graph token without any permission the call accepts is refused for sure:
      // name it now, so one run lists everything to grant.
      const roleless =
        check.api === "graph" && !PERMISSIONS[check.operation].anyOf.some((r) => roles.graph?.includes(r));
      if (roleless) {
        checks.push({
          ...base,
          status: "missing",
          missing: missingFor(check.operation, roles.graph),
          note: "not called: the token lacks it",
        });
        continue;
      }
      checks.push({
        ...base,
        status: "skipped",
        note: check.needs === "user" ? "the sample mailbox's user was not found" : "no mailbox to read: give --mailbox",
      });
      continue;
    }
    try {
      const answer = await check.run(ctx);
      const problems = validateAnswer(check.id, answer);
      const result: CheckResult = { ...base, status: problems.length > 0 ? "shape" : "pass", answer };
      if (problems.length > 0) result.problems = problems;
      if (check.id === "graph.memberOf") Object.assign(result, rolesVisibility(answer));
      checks.push(result);
      ctx.address ??= firstAddress(check.id, answer);
    } catch (err) {
      checks.push(
        isRefusal(err)
          ? { ...base, status: "missing", missing: missingFor(check.operation, roles[check.api]) }
          : { ...base, status: "error", note: message(err) },
      );
    }
  }
  if (opts.allowWrites && opts.mailbox) checks.push(await writeRoundTrip(opts.api, opts.mailbox, roles.exchange));

  const guid = graphToken.tid ?? exchangeToken.tid ?? null;
  if (guid !== null && opts.tenantId !== undefined && opts.tenantId.toLowerCase() !== guid.toLowerCase()) {
    // Microsoft's admin API documentation asks for the tenant's GUID (fidelity review finding 17).
    graphToken.result.note += `; tenantId is set to ${opts.tenantId}: set it to the tenant's GUID ${guid}`;
  }
  const missing = [...new Set(checks.flatMap((c) => (c.missing ? [c.missing] : [])))];
  return {
    cloud: cloudOf(opts.graphUrl),
    tenantGuid: guid,
    checks,
    missing,
    ok: checks.every((c) => c.status === "pass"),
  };
}

/** The sample mailbox from a listing, when --mailbox was not given. */
function firstAddress(id: ShapeId, answer: unknown): string | undefined {
  if (id !== "exchange.Get-CASMailbox.list" || !Array.isArray(answer)) return undefined;
  const first = (answer as Record<string, unknown>[]).find((r) => typeof r.PrimarySmtpAddress === "string");
  return (first?.PrimarySmtpAddress as string | undefined)?.toLowerCase();
}

/** Directory roles without roleTemplateId: role-scoped Conditional Access cannot be judged (a note, not a failure). */
function rolesVisibility(answer: unknown): Partial<CheckResult> {
  const hidden = (answer as Record<string, unknown>[]).some(
    (r) => r["@odata.type"] === "#microsoft.graph.directoryRole" && typeof r.roleTemplateId !== "string",
  );
  return hidden
    ? {
        note: "directory roles come without roleTemplateId: grant RoleManagement.Read.Directory to judge role-scoped Conditional Access",
      }
    : {};
}

/** --allow-writes: flip the test mailbox's SMTP AUTH switch, read it back, put it back, read again. */
async function writeRoundTrip(
  api: TenantApi,
  mailbox: string,
  exchangeRoles: string[] | undefined,
): Promise<CheckResult> {
  const base = {
    id: "write.Set-CASMailbox" as const,
    api: "exchange" as const,
    call: `Set-CASMailbox -Identity ${mailbox} -SmtpClientAuthenticationDisabled (set and restore)`,
    usedBy: "MailboxSmtpAuth, OtherMailboxesSmtpAuth",
  };
  let before: MailboxSmtpAuthState;
  try {
    before = (await api.getCasMailbox(mailbox)).state;
  } catch (err) {
    return { ...base, status: "error", note: `cannot read the mailbox first: ${message(err)}` };
  }
  const flipped: MailboxSmtpAuthState = before === "enabled" ? "disabled" : "enabled";
  try {
    await api.setCasMailbox(mailbox, flipped);
  } catch (err) {
    return isRefusal(err)
      ? { ...base, status: "missing", missing: missingFor("exchange.Set-CASMailbox", exchangeRoles) }
      : { ...base, status: "error", note: message(err) };
  }
  let seen: MailboxSmtpAuthState | undefined;
  try {
    seen = (await api.getCasMailbox(mailbox)).state;
  } finally {
    await api.setCasMailbox(mailbox, before);
  }
  const after = (await api.getCasMailbox(mailbox)).state;
  // Exchange's read replicas may lag a write by minutes: a stale read-back is a note, not a failure.
  const lag = seen !== flipped ? `; the read-back still showed ${seen} (replica lag)` : "";
  return after === before
    ? { ...base, status: "pass", note: `${before} → ${flipped} → ${before}${lag}` }
    : { ...base, status: "error", note: `restored to ${before} but read ${after}: check the mailbox by hand` };
}
