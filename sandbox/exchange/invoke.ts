/**
 * The InvokeCommand gateway (POST /adminapi/beta/{tenant}/InvokeCommand): parses
 * `{ CmdletInput: { CmdletName, Parameters } }`, runs the cmdlet, and pages Get-* output with
 * `Prefer: odata.maxpagesize=N` (at most 1000) and an absolute @odata.nextLink that the client
 * POSTs the same body to (it keeps `$select`). `?$select=A,B` cuts output rows down to those
 * properties, as CIPP and ExoHelper use it. Response:
 * `{ "@odata.context", ["@adminapi.warnings"], value, ["@odata.nextLink"] }`.
 */
import type { HandlerContext, HandlerResult } from "../protocol/context.ts";
import { json } from "../protocol/context.ts";
import { ExchangeErrors } from "../errors/exchange.ts";
import { isOperationName, type OperationName } from "../../m365/permissions.ts";
import { findCmdlet, type CmdletDefinition } from "./cmdlets.ts";
import { bindParameters } from "./binding.ts";
import { selectProperties } from "./objects.ts";

export const MAX_PAGE_SIZE = 1000;

interface Invocation {
  name: string;
  def: CmdletDefinition | undefined;
  parameters: Record<string, unknown>;
}

/** Reads the cmdlet name and parameters from the body; 400 when it is not an InvokeCommand body. */
export function parseInvocation(ctx: HandlerContext): Invocation {
  const body = ctx.body as { CmdletInput?: { CmdletName?: unknown; Parameters?: unknown } } | undefined;
  const input = body?.CmdletInput;
  if (typeof input !== "object" || input === null || typeof input.CmdletName !== "string" || input.CmdletName === "") {
    throw ExchangeErrors.invalidBody(
      'The request body must be {"CmdletInput":{"CmdletName":"<cmdlet>","Parameters":{…}}}.',
    );
  }
  const params = input.Parameters ?? {};
  if (typeof params !== "object" || params === null || Array.isArray(params))
    throw ExchangeErrors.invalidBody("CmdletInput.Parameters must be an object.");
  return { name: input.CmdletName, def: findCmdlet(input.CmdletName), parameters: params as Record<string, unknown> };
}

/** For the router: the request-log endpoint, the permission operation and the latency class of this call. */
export function describeInvocation(ctx: HandlerContext): {
  endpoint: string;
  operation: OperationName | null;
  latency: string;
} {
  let inv: Invocation;
  try {
    inv = parseInvocation(ctx);
  } catch {
    return { endpoint: "InvokeCommand (invalid body)", operation: null, latency: "exchange-get" };
  }
  const name = inv.def?.name ?? inv.name;
  const op = `exchange.${name}`;
  return {
    endpoint: `InvokeCommand ${name}`,
    operation: isOperationName(op) ? op : null,
    latency: inv.def?.kind === "set" ? "exchange-set" : "exchange-get",
  };
}

/** True when the body names a cmdlet the sandbox does not model (strict stage answers 501). */
export function unmodelledCmdlet(ctx: HandlerContext): string | null {
  try {
    const inv = parseInvocation(ctx);
    return inv.def ? null : inv.name;
  } catch {
    return null;
  }
}

function pageSize(ctx: HandlerContext): number {
  const prefer = ctx.headers.prefer ?? "";
  const m = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer);
  if (!m) return MAX_PAGE_SIZE;
  return Math.max(1, Math.min(MAX_PAGE_SIZE, Number(m[1])));
}

function skipToken(ctx: HandlerContext, cmdlet: string): number {
  const raw = ctx.query.get("$skiptoken") ?? ctx.query.get("$skipToken");
  if (raw === null) return 0;
  try {
    const v = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as { o?: unknown; c?: unknown };
    if (typeof v.o === "number" && v.o >= 0 && v.c === cmdlet) return v.o;
  } catch {
    // fall through
  }
  throw ExchangeErrors.invalidBody("The $skiptoken is not valid for this request.");
}

/** Get-CASMailbox rows with SmtpClientAuthenticationDisabled spelt (or left out) as the casSmtpAuthKey switch says. */
function casSmtpAuthKey(ctx: HandlerContext, cmdlet: string, row: Record<string, unknown>): Record<string, unknown> {
  const how = ctx.exchange.behaviour.casSmtpAuthKey;
  if (cmdlet !== "Get-CASMailbox" || how === "PascalCase" || !("SmtpClientAuthenticationDisabled" in row)) return row;
  const { SmtpClientAuthenticationDisabled: value, ...rest } = row;
  return how === "camelCase" ? { ...rest, smtpClientAuthenticationDisabled: value } : rest;
}

/** The InvokeCommand handler. */
export function invokeCommand(ctx: HandlerContext): HandlerResult {
  const inv = parseInvocation(ctx);
  if (!inv.def) throw ExchangeErrors.unknownCmdlet(inv.name);
  const tenantParam = ctx.params.tenant ?? "";
  if (ctx.exchange.behaviour.tenantInUrl === "guid" && tenantParam.toLowerCase() !== ctx.store.tenantId.toLowerCase())
    throw ExchangeErrors.wrongTenant(tenantParam);
  const params = bindParameters(ctx, inv.def, inv.parameters);
  const out = inv.def.run(ctx, params);
  const tenant = ctx.params.tenant ?? ctx.store.tenantId;
  const body: Record<string, unknown> = {
    "@odata.context": `${ctx.baseUrl}/adminapi/beta/${tenant}/$metadata#Collection(Exchange.GenericHashTable)`,
  };
  if (out.warnings?.length) body["@adminapi.warnings"] = out.warnings;
  const select = ctx.query.get("$select");
  const rows = out.value.map((r) => casSmtpAuthKey(ctx, inv.def!.name, selectProperties(r, select)));
  if (inv.def.kind === "get") {
    const offset = skipToken(ctx, inv.def.name);
    const size = pageSize(ctx);
    body.value = rows.slice(offset, offset + size);
    if (offset + size < rows.length) {
      const token = Buffer.from(JSON.stringify({ o: offset + size, c: inv.def.name })).toString("base64url");
      const keep = select === null ? "" : `&$select=${encodeURIComponent(select)}`;
      body["@odata.nextLink"] = `${ctx.baseUrl}/adminapi/beta/${tenant}/InvokeCommand?$skiptoken=${token}${keep}`;
    }
  } else {
    body.value = rows;
  }
  return json(200, body);
}
