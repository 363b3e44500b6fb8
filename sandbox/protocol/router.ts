/**
 * Route table and matching. Each route names its API, the permission operation it needs, the query
 * options it models (strict mode refuses others), its throttling budget and latency class. Literal
 * segments match case-insensitively (Graph URLs do); `{name}` captures one decoded segment and
 * `{version}` only v1.0 or beta.
 */
import type { OperationName } from "../../m365/permissions.ts";
import type { ApiName, Handler, HandlerContext } from "./context.ts";

export type GraphVersion = "v1.0" | "beta";

export interface Route {
  api: ApiName;
  method: string;
  /** e.g. "/{version}/users/{id}/licenseDetails" */
  pattern: string;
  /** Versions served when the pattern starts with {version}; default both. */
  versions?: readonly GraphVersion[];
  auth: "bearer" | "admin" | "none";
  /** Permission operation (bearer routes). */
  operation?: OperationName;
  /** OData query options ($…) the handler models; strict mode answers 501 for others. */
  query?: readonly string[];
  /** Throttling budget. */
  budget?: "graph" | "conditionalAccess" | "exchange";
  /** Graph resource-unit cost (default 1). */
  cost?: (ctx: HandlerContext) => number;
  /** Counts against write budgets. */
  write?: boolean;
  /** Latency class (see runtime/latency.ts). */
  latency?: string;
  /**
   * Per-request refinement after the body is parsed (InvokeCommand: the cmdlet decides the
   * endpoint name, the operation and the latency class).
   */
  describe?: (ctx: HandlerContext) => { endpoint: string; operation: OperationName | null; latency: string };
  /**
   * Strict mode: names a feature of this request the sandbox does not model (InvokeCommand: a cmdlet
   * outside the cmdlet table), which the pipeline answers with the surface's 501; null when modelled.
   */
  unmodelled?: (ctx: HandlerContext) => string | null;
  handler: Handler;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
  version: GraphVersion | null;
  /** Normalised endpoint name for the request log, e.g. "GET /v1.0/users/{id}". */
  endpoint: string;
}

export type MatchResult =
  { kind: "match"; match: RouteMatch } | { kind: "methodNotAllowed"; allowed: string[] } | { kind: "none" };

export class Router {
  readonly #routes: Route[] = [];

  add(...routes: Route[]): this {
    this.#routes.push(...routes);
    return this;
  }

  routes(): readonly Route[] {
    return this.#routes;
  }

  match(method: string, path: string): MatchResult {
    const segs = splitPath(path);
    if (segs === null) return { kind: "none" };
    const allowed: string[] = [];
    for (const route of this.#routes) {
      const m = matchPattern(route, segs);
      if (!m) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const endpoint = `${route.method} ${route.pattern.replace("{version}", m.version ?? "{version}")}`;
      return { kind: "match", match: { route, params: m.params, version: m.version, endpoint } };
    }
    return allowed.length ? { kind: "methodNotAllowed", allowed } : { kind: "none" };
  }
}

/** Splits and percent-decodes path segments; null for an undecodable path. */
export function splitPath(path: string): string[] | null {
  try {
    return path
      .split("/")
      .filter((s) => s !== "")
      .map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

function matchPattern(
  route: Route,
  segs: string[],
): { params: Record<string, string>; version: GraphVersion | null } | null {
  const pat = route.pattern.split("/").filter(Boolean);
  if (pat.length !== segs.length) return null;
  const params: Record<string, string> = {};
  let version: GraphVersion | null = null;
  for (let i = 0; i < pat.length; i++) {
    const p = pat[i]!;
    const s = segs[i]!;
    if (p === "{version}") {
      const v = s.toLowerCase() === "v1.0" ? "v1.0" : s.toLowerCase() === "beta" ? "beta" : null;
      if (!v || !(route.versions ?? ["v1.0", "beta"]).includes(v)) return null;
      version = v;
    } else if (p.startsWith("{") && p.endsWith("}")) {
      params[p.slice(1, -1)] = s;
    } else if (p.toLowerCase() !== s.toLowerCase()) {
      return null;
    }
  }
  return { params, version };
}
