/**
 * The HTTPS request pipeline, stages in order (server.ts wires it; nothing else registers middleware):
 *   1. request id and context — request-id / client-request-id, URL, body
 *   2. route dispatch         — method + path → route (endpoint name, permission operation)
 *   3. strict-mode blocker    — unmodelled endpoints, query options, cmdlets and parameters → 501
 *   4. bearer-token check     — protocol/auth.ts: 401 for a bad token, the surface's refusal for a missing role
 *   5. faults and throttling  — injected faults (runtime/faults.ts), the optional Exchange concurrency cap,
 *                               per-app budgets (429 + Retry-After), latency
 *   6. handler                — one method per endpoint against the store
 *   7. error serialiser       — catalogued errors in each API's wire shape; anything else a logged 500
 * Every error the pipeline raises itself comes from the request's surface (errors/surfaces.ts).
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { OperationName } from "../../m365/permissions.ts";
import { SandboxHttpError, type ErrorContext } from "../errors/http-error.ts";
import { createApiErrors, type ApiErrors } from "../errors/surfaces.ts";
import type { BatchItem } from "../graph/batch.ts";
import { normaliseUserKeys } from "../graph/keys.ts";
import { concurrencyRefusal, faultResponse } from "../runtime/fault-responses.ts";
import { BODY_FAULT_KINDS, type FaultRule } from "../runtime/faults.ts";
import { sleep } from "../runtime/latency.ts";
import type { Charge } from "../runtime/throttle.ts";
import type { SandboxServices } from "../services.ts";
import { authenticate, authorize, requireAdminToken } from "./auth.ts";
import type { ApiName, Caller, HandlerContext, HandlerResult } from "./context.ts";
import type { Route, Router } from "./router.ts";

const GRAPH_CONTENT_TYPE =
  "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
const MAX_BODY = 4 * 1024 * 1024;

/** Per-API wire details the serialiser adds (a table, so a new API surface is one entry). */
const WIRE: Record<ApiName, { headers: Record<string, string>; jsonType: string; resourceUnits: boolean }> = {
  graph: {
    headers: {
      "OData-Version": "4.0",
      "x-ms-ags-diagnostic":
        '{"ServerInfo":{"DataCenter":"Sandbox","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"SANDBOX"}}',
    },
    jsonType: GRAPH_CONTENT_TYPE,
    resourceUnits: true,
  },
  exchange: { headers: {}, jsonType: GRAPH_CONTENT_TYPE, resourceUnits: false },
  token: { headers: {}, jsonType: "application/json; charset=utf-8", resourceUnits: false },
  admin: { headers: {}, jsonType: "application/json; charset=utf-8", resourceUnits: false },
};

/** What the pipeline needs from the composition root. */
export interface PipelineDeps {
  services: SandboxServices;
  router: Router;
  loose: boolean;
  adminToken: string;
  /** The listener's base URL (known once it listens). */
  baseUrl: () => string;
  /** The second listener standing for a regional front end: where "redirect" faults point. */
  regionalUrl: () => string;
  now: () => Date;
  log: (line: string) => void;
}

interface Input {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  rawBody: Buffer | null;
  body?: unknown;
  requestId: string;
  clientRequestId: string | null;
  batchItem?: string;
}

interface Outcome {
  result: HandlerResult;
  api: ApiName | null;
  endpoint: string;
  appId: string | null;
  fault?: FaultRule;
}

function apiOfPath(path: string): ApiName | null {
  if (/^\/(v1\.0|beta)(\/|$)/i.test(path)) return "graph";
  if (/^\/adminapi\//i.test(path)) return "exchange";
  if (/^\/_sandbox(\/|$)/.test(path)) return "admin";
  if (/^\/[^/]+\/(oauth2|v2\.0|discovery)\//i.test(path)) return "token";
  return null;
}

function parseBody(input: Input): unknown {
  if (input.body !== undefined) return input.body;
  if (!input.rawBody || input.rawBody.length === 0) return undefined;
  const ct = (input.headers["content-type"] ?? "").toLowerCase();
  const text = input.rawBody.toString("utf8");
  if (ct.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  return JSON.parse(text) as unknown;
}

function faultError(
  api: ApiName,
  errors: ApiErrors,
  f: FaultRule,
  ectx: ErrorContext,
  input: Input,
  regionalUrl: string,
): SandboxHttpError {
  if (f.kind === "error-in-200") return errors.errorInOk(ectx, f.shape ?? "error", f.reason ?? "transient");
  const query = input.query.toString();
  return faultResponse(api, f, ectx, `${input.path}${query ? `?${query}` : ""}`, regionalUrl);
}

/** The request pipeline of one sandbox: `handle` serves the HTTPS listener, `runBatchItem` Graph's $batch. */
export class Pipeline {
  readonly #d: PipelineDeps;
  readonly #errors: Readonly<Record<ApiName, ApiErrors>>;
  /** Sockets held open by "timeout" faults; closed on stop. */
  readonly held = new Set<Socket>();

  constructor(deps: PipelineDeps) {
    this.#d = deps;
    this.#errors = createApiErrors(deps.services.exchange.behaviour);
  }

  /** The surface of an API; before a route matched and for unknown prefixes, Graph's. */
  #errorsFor(api: ApiName | null): ApiErrors {
    return this.#errors[api ?? "graph"];
  }

  /** Stages 2–7 for one request (top-level or $batch item). */
  async #execute(input: Input): Promise<Outcome> {
    const { services, loose, now } = this.#d;
    const ectx: ErrorContext = { requestId: input.requestId, clientRequestId: input.clientRequestId, now };
    let api: ApiName | null = apiOfPath(input.path);
    let errors = this.#errorsFor(api);
    let endpoint = `${input.method} ${input.path}`;
    let appId: string | null = null;
    let fault: FaultRule | undefined;
    let releaseExchange: (() => void) | undefined;
    try {
      // 2. route dispatch (Graph: a user's key in either form, graph/keys.ts)
      const path =
        api === "graph"
          ? normaliseUserKeys(input.path, ectx, (key) =>
              services.store
                .users()
                .some((u) => u.id === key || u.userPrincipalName.toLowerCase() === key.toLowerCase()),
            )
          : input.path;
      const m = this.#d.router.match(input.method, path);
      if (m.kind === "methodNotAllowed") {
        // A real path with a method the sandbox does not serve: unmodelled (501) unless --loose.
        const feature = `the endpoint ${input.method} ${input.path}`;
        throw loose ? errors.methodNotAllowed(ectx, feature) : errors.notImplemented(ectx, feature);
      }
      if (m.kind === "none") {
        // 3. strict-mode blocker (unknown endpoint)
        throw loose
          ? errors.notFound(ectx, input.path.split("/").pop() ?? "")
          : errors.notImplemented(ectx, `the endpoint ${input.method} ${input.path}`);
      }
      const { route } = m.match;
      api = route.api;
      errors = this.#errorsFor(api);
      endpoint = m.match.endpoint;
      let body: unknown;
      try {
        body = parseBody(input);
      } catch {
        throw errors.badJson(ectx);
      }
      const ctx: HandlerContext = {
        requestId: input.requestId,
        clientRequestId: input.clientRequestId,
        method: input.method,
        path,
        params: m.match.params,
        query: input.query,
        headers: input.headers,
        body,
        baseUrl: this.#d.baseUrl(),
        version: m.match.version,
        caller: null,
        store: services.store,
        exchange: services.exchange,
        loose,
        now,
      };
      let operation: OperationName | null = route.operation ?? null;
      let latencyClass = route.latency ?? "graph";
      if (route.describe) {
        const d = route.describe(ctx);
        endpoint = d.endpoint;
        operation = d.operation;
        latencyClass = d.latency;
      }

      // 3. strict-mode blocker: query options and cmdlets the sandbox does not model
      if (!loose) this.#refuseUnmodelled(route, ctx, endpoint, errors, ectx);

      // 4. bearer-token check
      if (route.auth === "admin") {
        requireAdminToken(input.headers, this.#d.adminToken, errors, ectx);
      } else if (route.auth === "bearer") {
        const auth = { api, headers: input.headers, tenantParam: ctx.params.tenant, errors, ectx };
        ctx.caller = authenticate(auth, services.tokens, services.store);
        appId = ctx.caller.appId;
        if (operation) authorize(operation, ctx.caller, services.store, errors, ectx);
      }

      // 5. faults (top-level requests, or $batch items for rules scoped so), the Exchange concurrency
      //    cap, throttling
      if (api !== "admin") {
        const inBatch = input.batchItem !== undefined;
        const f = services.faults.pick(endpoint, `${input.method} ${input.path}`, inBatch ? "batchItem" : "request");
        if (f) {
          fault = f;
          if (!inBatch && (f.kind === "reset" || f.kind === "timeout"))
            return { result: { status: 0 }, api, endpoint, appId, fault };
          // A body fault lets the handler answer; handle() breaks the body on the wire.
          if (!BODY_FAULT_KINDS.includes(f.kind)) throw faultError(api, errors, f, ectx, input, this.#d.regionalUrl());
        }
      }
      if (api === "exchange" && input.batchItem === undefined) {
        const release = services.throttler.admitExchange(services.store.tenantId);
        if (!release) throw concurrencyRefusal();
        releaseExchange = release;
      }
      if (route.budget && ctx.caller) {
        const charges = this.#charges(route.budget, route.cost?.(ctx) ?? 1, route.write ?? false, ctx.caller);
        const refusal = services.throttler.take(charges);
        if (refusal) throw errors.throttled(ectx, refusal.retryAfter, refusal.scope, refusal.information);
      }
      if (input.batchItem === undefined)
        await sleep(services.latency.delayFor(route.write ? "graph-write" : latencyClass));

      // 6. handler
      const result = await route.handler(ctx);
      if (WIRE[api].resourceUnits && result.status < 400) {
        result.headers = { "x-ms-resource-unit": String(route.cost?.(ctx) ?? 1), ...(result.headers ?? {}) };
      }
      return { result, api, endpoint, appId, ...(fault ? { fault } : {}) };
    } catch (e) {
      // 7. error serialiser
      if (e instanceof SandboxHttpError) {
        const out = errors.finish?.(e) ?? e;
        // An injected fault's answer is logged as that fault.
        const result = { status: out.status, headers: out.headers, body: out.body };
        return { result, api, endpoint, appId, ...(fault ? { fault } : {}) };
      }
      this.#d.log(
        `[sandbox] unexpected error on ${input.method} ${input.path} (request-id ${input.requestId}): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
      const err = errors.internal(ectx);
      return { result: { status: err.status, headers: err.headers, body: err.body }, api, endpoint, appId };
    } finally {
      releaseExchange?.();
    }
  }

  #refuseUnmodelled(route: Route, ctx: HandlerContext, endpoint: string, errors: ApiErrors, ectx: ErrorContext): void {
    if (route.query) {
      for (const k of ctx.query.keys()) {
        if (k.startsWith("$") && !route.query.some((q) => q.toLowerCase() === k.toLowerCase())) {
          throw errors.notImplemented(ectx, `the query option ${k} on ${endpoint}`);
        }
      }
    }
    const feature = route.unmodelled?.(ctx);
    if (feature) throw errors.notImplemented(ectx, feature);
  }

  #charges(budget: NonNullable<Route["budget"]>, cost: number, write: boolean, caller: Caller): Charge[] {
    const tenantId = this.#d.services.store.tenantId;
    const scopeBase = `Tenant_Application/${write ? "ReadWrite" : "Read"}/${caller.appId}/${tenantId}`;
    if (budget === "exchange") return [{ budget: "exchange", key: caller.appId, cost: 1, scope: scopeBase }];
    if (budget === "conditionalAccess") {
      // Conditional Access is limited per tenant, all apps together.
      return [{ budget: "conditionalAccess", key: tenantId, cost: 1, scope: `Tenant/Read/${tenantId}` }];
    }
    const out: Charge[] = [{ budget: "graphResourceUnits", key: caller.appId, cost, scope: scopeBase }];
    if (write) out.push({ budget: "graphWrites", key: caller.appId, cost: 1, scope: scopeBase });
    return out;
  }

  #logRequest(
    input: Input,
    out: Outcome,
    started: number,
    extra: { batchItem?: string; status?: number; fault?: string },
  ): void {
    if (!out.api || out.api === "admin") return;
    this.#d.services.requestLog.add({
      time: this.#d.now().toISOString(),
      requestId: input.requestId,
      api: out.api,
      endpoint: out.endpoint,
      method: input.method,
      path: input.path,
      status: extra.status ?? out.result.status,
      appId: out.appId,
      durationMs: Date.now() - started,
      ...(extra.batchItem !== undefined ? { batchItem: extra.batchItem } : {}),
      ...(extra.fault !== undefined ? { fault: extra.fault } : {}),
    });
  }

  /** Runs one Graph $batch item through stages 2–7 with the outer request's token. */
  async runBatchItem(item: BatchItem, outer: HandlerContext): Promise<HandlerResult> {
    const url = new URL(`${this.#d.baseUrl()}/${outer.version ?? "v1.0"}${item.url}`);
    const headers: Record<string, string> = { ...item.headers };
    if (outer.headers.authorization) headers.authorization = outer.headers.authorization;
    const started = Date.now();
    const input: Input = {
      method: item.method,
      path: url.pathname,
      query: url.searchParams,
      headers,
      rawBody: null,
      body: item.body,
      requestId: randomUUID(),
      clientRequestId: outer.clientRequestId,
      batchItem: item.id,
    };
    const out = await this.#execute(input);
    this.#logRequest(input, out, started, { batchItem: item.id });
    return out.result;
  }

  /** 1. request id and context, then the HTTP wire: serves one request of the HTTPS listener. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const requestId = randomUUID();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
    const clientRequestId = headers["client-request-id"] ?? null;
    const url = new URL(req.url ?? "/", this.#d.baseUrl());
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        return;
      }
      chunks.push(c as Buffer);
    }
    const input: Input = {
      method: (req.method ?? "GET").toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers,
      rawBody: chunks.length ? Buffer.concat(chunks) : null,
      requestId,
      clientRequestId,
    };
    const out = await this.#execute(input);
    const dropped = out.fault?.kind === "reset" || out.fault?.kind === "timeout";
    this.#logRequest({ ...input, method: req.method ?? "GET" }, out, started, {
      ...(dropped ? { status: 0 } : {}),
      ...(out.fault ? { fault: out.fault.kind } : {}),
    });
    if (out.fault?.kind === "reset") {
      // A TLS socket cannot send a TCP RST (resetAndDestroy throws); closing it mid-request gives
      // clients the same "socket hang up" / ECONNRESET.
      req.socket.destroy();
      return;
    }
    if (out.fault?.kind === "timeout") {
      this.held.add(req.socket);
      req.socket.once("close", () => this.held.delete(req.socket));
      return;
    }
    write(res, out, requestId, clientRequestId, this.held);
  }
}

function write(
  res: ServerResponse,
  out: Outcome,
  requestId: string,
  clientRequestId: string | null,
  held: Set<Socket>,
): void {
  const { result } = out;
  const wire = out.api ? WIRE[out.api] : null;
  const headers: Record<string, string> = {
    "request-id": requestId,
    "client-request-id": clientRequestId ?? requestId,
    "x-ms-request-id": requestId,
    ...(wire?.headers ?? {}),
    ...(result.headers ?? {}),
  };
  const hasType = (): boolean => Object.keys(headers).some((k) => k.toLowerCase() === "content-type");
  let payload: Buffer | null = null;
  if (result.body !== undefined && result.body !== "") {
    if (typeof result.body === "string" || Buffer.isBuffer(result.body)) {
      payload = Buffer.from(result.body);
      if (!hasType()) headers["Content-Type"] = "text/plain; charset=utf-8";
    } else {
      payload = Buffer.from(JSON.stringify(result.body));
      if (!hasType()) headers["Content-Type"] = wire?.jsonType ?? "application/json; charset=utf-8";
    }
  }
  const broken = out.fault && BODY_FAULT_KINDS.includes(out.fault.kind) ? out.fault.kind : undefined;
  if (broken) {
    // Chunked (no Content-Length), as large Graph and InvokeCommand pages are streamed: the status and
    // headers go out, then half the body; then the connection closes (cut-body) or nothing more comes
    // (stall-body, held until the client gives up or the sandbox stops).
    res.writeHead(result.status, headers);
    const half = payload ? payload.subarray(0, Math.floor(payload.length / 2)) : Buffer.from("{");
    res.write(half, () => {
      if (broken === "cut-body") res.socket?.destroy();
    });
    if (broken === "stall-body" && res.socket) {
      const socket = res.socket;
      held.add(socket);
      socket.once("close", () => held.delete(socket));
    }
    return;
  }
  if (payload) headers["Content-Length"] = String(payload.length);
  res.writeHead(result.status, headers);
  res.end(payload ?? undefined);
}
