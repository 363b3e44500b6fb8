/**
 * PowerShell-style parameter binding for InvokeCommand: JSON parameters matched to the cmdlet's
 * declared ones (names and aliases case-insensitive) and their values checked by type.
 */
import type { HandlerContext } from "../protocol/context.ts";
import { ExchangeErrors } from "../errors/exchange.ts";
import type { CmdletDefinition, ParamType } from "./cmdlets.ts";

/**
 * Binds JSON parameters to the cmdlet's declared ones (names case-insensitive, types checked).
 * Unknown parameters: 501 in strict mode (the sandbox cannot know every real parameter), 400
 * ParameterBindingException in loose mode.
 */
export function bindParameters(
  ctx: HandlerContext,
  def: CmdletDefinition,
  raw: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const aliasTarget = Object.entries(def.aliases ?? {}).find(([a]) => a.toLowerCase() === k.toLowerCase())?.[1];
    const name = aliasTarget ?? Object.keys(def.params).find((p) => p.toLowerCase() === k.toLowerCase());
    if (!name) {
      if ((def.ignored ?? []).some((i) => i.toLowerCase() === k.toLowerCase())) continue;
      if (ctx.loose) throw ExchangeErrors.unknownParameter(k);
      throw ExchangeErrors.notImplemented(`the parameter -${k} of ${def.name}`);
    }
    // Exchange's Get-* cmdlets take an empty or $null -Identity as no Identity: every object
    // (the caution on e.g. Get-ServicePrincipal.md). The project's client never sends one.
    if (def.kind === "get" && name === "Identity" && (v === null || v === "") && !def.required?.includes(name))
      continue;
    out[name] = coerce(name, def.params[name]!, v);
  }
  for (const r of def.required ?? [])
    if (!(r in out) || out[r] === undefined) throw ExchangeErrors.missingParameter(def.name, r);
  return out;
}

function coerce(name: string, type: ParamType, v: unknown): unknown {
  const bad = (detail: string) => ExchangeErrors.invalidArgument(name, detail);
  switch (type) {
    case "string":
      if (typeof v !== "string" || v === "")
        throw bad("The argument is null or empty. Provide an argument that is not null or empty.");
      return v;
    case "nullableString":
      if (v === null || v === "") return null;
      if (typeof v !== "string") throw bad("Cannot convert the value to type System.String.");
      return v;
    case "bool":
    case "switch":
      if (typeof v !== "boolean")
        throw bad(
          `Cannot convert value ${JSON.stringify(v)} to type "System.Boolean". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.`,
        );
      return v;
    case "nullableBool":
      if (v === null) return null;
      if (typeof v !== "boolean")
        throw bad(`Cannot convert value ${JSON.stringify(v)} to type "System.Nullable[System.Boolean]".`);
      return v;
    case "resultSize":
      if (typeof v === "string" && v.toLowerCase() === "unlimited") return "Unlimited";
      if (typeof v === "number" && Number.isInteger(v) && v > 0) return v;
      if (typeof v === "string" && /^\d+$/.test(v) && Number(v) > 0) return Number(v);
      throw bad(
        `Cannot convert value ${JSON.stringify(v)} to type "Microsoft.Exchange.Data.Unlimited\`1[System.UInt32]".`,
      );
    case "stringList":
      if (typeof v === "string") return [v];
      if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v;
      throw bad("Cannot convert the value to type System.String[].");
  }
}
