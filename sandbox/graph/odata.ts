/** OData helpers shared by the Graph handlers: @odata.context, $select, paging tokens and nextLinks. */
import type { HandlerContext } from "../protocol/context.ts";
import { GraphErrors } from "../errors/graph.ts";

/** `https://<sandbox>/<version>/$metadata#<fragment>` */
export function contextUrl(ctx: HandlerContext, fragment: string): string {
  return `${ctx.baseUrl}/${ctx.version ?? "v1.0"}/$metadata#${fragment}`;
}

/** The $select list, or null when absent. Throws 400 for a property not in `known`. */
export function parseSelect(ctx: HandlerContext, known: readonly string[]): string[] | null {
  const raw = ctx.query.get("$select");
  if (raw === null) return null;
  const props = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const out: string[] = [];
  for (const p of props) {
    const match = known.find((k) => k.toLowerCase() === p.toLowerCase());
    if (!match) throw GraphErrors.unknownProperty(ctx, p);
    if (!out.includes(match)) out.push(match);
  }
  return out;
}

/** Keeps only `props` of `obj` (in the order of `props`). */
export function project(obj: Record<string, unknown>, props: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of props) out[p] = obj[p];
  return out;
}

/** Opaque paging token: the offset into the filtered result. */
export function encodeSkipToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset, s: "sandbox" })).toString("base64url");
}

/** Offset from a $skiptoken; throws 400 for a token this sandbox did not issue. */
export function decodeSkipToken(ctx: HandlerContext, token: string): number {
  try {
    const v = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o?: unknown; s?: unknown };
    if (v.s === "sandbox" && typeof v.o === "number" && Number.isInteger(v.o) && v.o >= 0) return v.o;
  } catch {
    // fall through
  }
  throw GraphErrors.invalidSkipToken(ctx);
}

/** Absolute nextLink: the request's own URL with $skiptoken replaced (OData keys left unencoded, values encoded). */
export function nextLink(ctx: HandlerContext, offset: number): string {
  const parts: string[] = [];
  for (const [k, v] of ctx.query) if (k.toLowerCase() !== "$skiptoken") parts.push(`${k}=${encodeURIComponent(v)}`);
  parts.push(`$skiptoken=${encodeSkipToken(offset)}`);
  return `${ctx.baseUrl}${encodeURI(ctx.path)}?${parts.join("&")}`;
}
