/**
 * Protocol layer: the small context handlers see instead of `req`/`res` (STYLE.md guideline 2), and
 * the result they return. The composition root (server.ts) builds one per request (and one per
 * `$batch` item) and serialises the result.
 */
import type { TenantStore } from "../store/store.ts";
import type { ExchangeRuntime } from "../exchange/behaviour.ts";

/** The API surface a route belongs to; each has its own error catalogue and throttling budget. */
export type ApiName = "token" | "graph" | "exchange" | "admin";

/** Who called: the verified claims of the bearer token (app-only tokens). */
export interface Caller {
  appId: string;
  tenantId: string;
  audience: string;
  roles: string[];
}

/** Everything a handler may read about one request. Headers are lower-cased. */
export interface HandlerContext {
  requestId: string;
  clientRequestId: string | null;
  method: string;
  /** Path without query string, percent-decoded per segment by the router. */
  path: string;
  /** Named path parameters of the matched route, decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** Parsed JSON body (or form fields for the token endpoint); undefined when there is none. */
  body: unknown;
  /** `https://127.0.0.1:<port>` — absolute links (nextLink, @odata.context) are built from it. */
  baseUrl: string;
  /** Graph API version of the request, or null outside Graph. */
  version: "v1.0" | "beta" | null;
  /** Verified token claims, set by the auth stage; null for unauthenticated routes. */
  caller: Caller | null;
  store: TenantStore;
  /** Exchange fidelity switches and replica lag (Exchange handlers only read them). */
  exchange: ExchangeRuntime;
  /** `--loose`: unmodelled query options, headers and parameters are ignored instead of answering 501. */
  loose: boolean;
  now(): Date;
}

/** What a handler returns. A string or Buffer body is sent as is; anything else as JSON. */
export interface HandlerResult {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A handler: one method per endpoint (or per cmdlet), pure with respect to req/res. */
export type Handler = (ctx: HandlerContext) => HandlerResult | Promise<HandlerResult>;

/** A JSON response with the given status. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): HandlerResult {
  return { status, body, headers };
}

/** 204 No Content. */
export function noContent(): HandlerResult {
  return { status: 204 };
}
