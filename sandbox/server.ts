/**
 * Composition root of the sandbox tenant's HTTPS side (token service, Microsoft Graph, Exchange admin
 * API, admin endpoint), and the place that starts the SMTP endpoint next to it. One HTTPS listener on
 * loopback; paths mirror the real services so real clients only change their base URLs.
 *
 * Request pipeline, in order (nothing else registers middleware):
 *   1. request id and context — request-id / client-request-id, URL, body
 *   2. route dispatch         — method + path → route (endpoint name, permission operation)
 *   3. strict-mode blocker    — unmodelled endpoints, query options, cmdlets and parameters → 501
 *   4. bearer-token check     — 401 for a missing/bad/expired/wrong-audience token, 403 for a missing role
 *   5. faults and throttling  — injected faults (runtime/faults.ts), per-app budgets (429 + Retry-After),
 *                               the optional Exchange concurrency cap, latency
 *   6. handler                — one method per endpoint against the store
 *   7. error serialiser       — catalogued errors in each API's wire shape; anything else a logged 500
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TenantState } from "./model.ts";
import { createPki, type SandboxPki } from "./tls.ts";
import { startSmtpServer } from "./smtp/server.ts";
import type { ApiName, Caller, HandlerContext, HandlerResult } from "./protocol/context.ts";
import { Router, type RouteMatch } from "./protocol/router.ts";
import { SandboxHttpError, type ErrorContext } from "./errors/http-error.ts";
import { GraphErrors, notModelled } from "./errors/graph.ts";
import { ExchangeErrors } from "./errors/exchange.ts";
import { TokenErrors } from "./errors/token.ts";
import { checkPermission, type OperationName } from "../m365/permissions.ts";
import { MemoryTenantStore, type TenantStore } from "./store/store.ts";
import { fixturePath, loadFixture } from "./store/fixture.ts";
import { generateUsers } from "./store/generate.ts";
import { persistStore, StateDir } from "./store/persistence.ts";
import { createSigningKey } from "./token/keys.ts";
import { AUDIENCES, TokenService } from "./token/service.ts";
import { tokenRoutes } from "./token/routes.ts";
import { graphRoutes } from "./graph/routes.ts";
import type { BatchItem } from "./graph/batch.ts";
import { exchangeRoutes } from "./exchange/routes.ts";
import { unmodelledCmdlet } from "./exchange/invoke.ts";
import { adminRoutes, type RecordedMessage } from "./admin/routes.ts";
import { RequestLog } from "./runtime/request-log.ts";
import { FaultInjector, type FaultRule } from "./runtime/faults.ts";
import { concurrencyRefusal, faultResponse } from "./runtime/fault-responses.ts";
import { documentedBudgets, Throttler, type Charge, type ThrottleBudgets } from "./runtime/throttle.ts";
import { Latency, sleep, type LatencyProfile } from "./runtime/latency.ts";

/** Options for startSandbox; every field is optional. */
export interface SandboxOptions {
  /** HTTPS port; 0 (default) picks a free one. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A fixture file path, a fixture name under sandbox/fixtures, or a state object. Default "contoso-failing". */
  fixture?: string | TenantState;
  /** Appends generated users (deterministic by seed) to the fixture. */
  generate?: { users: number; seed?: number };
  /** Persist tenant state, signing key and CA here; a restart with the same dir resumes them. */
  stateDir?: string;
  /** Ignore unmodelled query options, parameters and grants instead of answering 501. */
  loose?: boolean;
  /** Default "none". */
  latency?: LatencyProfile;
  /** true (default): documented budgets; false: off; an object overrides budgets. */
  throttle?: boolean | Partial<ThrottleBudgets>;
  /** SMTP endpoint; false to not start it. Default port 0. */
  smtp?: false | { port?: number };
  /** Token for /_sandbox; default random. */
  adminToken?: string;
  /** App whose credentials go into `env`; default the first app with a secret. */
  automationAppId?: string;
  /** Seed for rate-based faults. */
  faultSeed?: number;
  /** Clock (tests). */
  now?: () => Date;
  /** Where unexpected errors are reported; default console.error. */
  log?: (line: string) => void;
}

/** A running sandbox. */
export interface Sandbox {
  /** https://127.0.0.1:<port> — authority host, Graph base URL and Exchange base URL at once. */
  baseUrl: string;
  /** The same services on another port: the regional front end that "redirect" faults point to. */
  regionalUrl: string;
  tenantId: string;
  caPem: string;
  /** File holding caPem (what NODE_EXTRA_CA_CERTS points at). */
  caCertPath: string;
  adminToken: string;
  /** Environment a client or child process needs (see sandbox/README.md). */
  env: Record<string, string>;
  smtp: { host: string; port: number } | null;
  store: TenantStore;
  requestLog: RequestLog;
  faults: FaultInjector;
  throttler: Throttler;
  latency: Latency;
  tokens: TokenService;
  /** Messages the SMTP endpoint accepted. */
  messages: RecordedMessage[];
  /** Stops both listeners, flushes state; idempotent. */
  stop(): Promise<void>;
}

const GRAPH_CONTENT_TYPE =
  "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
const MAX_BODY = 4 * 1024 * 1024;

/** Resolves the fixture option to an initial state. */
function initialState(opts: SandboxOptions): TenantState {
  const f = opts.fixture ?? "contoso-failing";
  const state = typeof f === "string" ? loadFixture(/[/\\]|\.ya?ml$/.test(f) ? f : fixturePath(f)) : structuredClone(f);
  if (opts.generate) {
    state.users.push(
      ...generateUsers({
        count: opts.generate.users,
        seed: opts.generate.seed ?? 1,
        tenantId: state.tenantId,
        domain: state.domain,
      }),
    );
  }
  return state;
}

/** Starts the sandbox tenant (HTTPS + SMTP) and resolves once both listen. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const host = opts.host ?? "127.0.0.1";
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? ((line: string) => console.error(line));
  const loose = opts.loose ?? false;

  // State, keys and PKI: from the state dir when there is one, so a restart resumes them.
  const stateDir = opts.stateDir ? new StateDir(opts.stateDir) : null;
  const initial = initialState(opts);
  const store = new MemoryTenantStore(initial, stateDir?.loadState() ?? undefined);
  const persistence = stateDir ? persistStore(store, stateDir) : null;
  const key = createSigningKey(stateDir?.read("signing-key.pem") ?? undefined);
  if (stateDir && stateDir.read("signing-key.pem") === null) stateDir.write("signing-key.pem", key.privateKeyPem);
  let pki: SandboxPki;
  const savedCa = stateDir?.read("ca.pem");
  if (stateDir && savedCa) {
    pki = {
      caPem: savedCa,
      certPem: stateDir.read("server-cert.pem") ?? "",
      keyPem: stateDir.read("server-key.pem") ?? "",
    };
  } else {
    pki = createPki(["127.0.0.1", "localhost"]);
    if (stateDir) {
      stateDir.write("ca.pem", pki.caPem);
      stateDir.write("server-cert.pem", pki.certPem);
      stateDir.write("server-key.pem", pki.keyPem);
    }
  }
  const tmp = stateDir ? null : mkdtempSync(join(tmpdir(), "m365-sandbox-"));
  const caCertPath = stateDir ? stateDir.path("ca.pem") : join(tmp!, "ca.pem");
  if (!stateDir) writeFileSync(caCertPath, pki.caPem);

  const adminToken = opts.adminToken ?? randomBytes(24).toString("base64url");
  const requestLog = new RequestLog();
  const faults = new FaultInjector(opts.faultSeed ?? 1);
  const throttler = new Throttler(
    { ...documentedBudgets(store.users().length), ...(typeof opts.throttle === "object" ? opts.throttle : {}) },
    opts.throttle !== false,
  );
  const latency = new Latency(opts.latency ?? "none");
  const messages: RecordedMessage[] = [];
  let baseUrl = "";
  const tokens = new TokenService({ store, key, baseUrl: () => baseUrl, now });
  let smtpInfo: { host: string; port: number } | null = null;
  let env: Record<string, string> = {};

  const router = new Router()
    .add(
      ...adminRoutes({
        store,
        requestLog,
        faults,
        throttler,
        latency,
        tokens,
        messages,
        info: () => ({ baseUrl, tenantId: store.tenantId, smtp: smtpInfo, env }),
      }),
    )
    .add(...graphRoutes((item, outer) => runBatchItem(item, outer)))
    .add(...exchangeRoutes())
    .add(...tokenRoutes(tokens));

  // ---- the pipeline ------------------------------------------------------------------------------

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

  function errorFor(
    api: ApiName | null,
    ectx: ErrorContext,
    kind: "notImplemented" | "notFound" | "methodNotAllowed" | "internal" | "badJson",
    feature: string,
  ): SandboxHttpError {
    switch (api) {
      case "exchange":
        if (kind === "notImplemented") return ExchangeErrors.notImplemented(feature);
        if (kind === "internal") return ExchangeErrors.internal();
        return ExchangeErrors.invalidBody(
          kind === "badJson" ? "The request body is not valid JSON." : `No such endpoint: ${feature}.`,
        );
      case "token":
        if (kind === "internal")
          return new SandboxHttpError({
            status: 500,
            code: "server_error",
            message: "internal",
            body: { error: "server_error" },
          });
        return TokenErrors.notImplemented(ectx, feature);
      case "admin": {
        const message = kind === "notFound" || kind === "notImplemented" ? `No admin endpoint ${feature}.` : kind;
        const status = kind === "internal" ? 500 : kind === "badJson" ? 400 : kind === "methodNotAllowed" ? 405 : 404;
        return new SandboxHttpError({
          status,
          code: "SandboxAdminError",
          message,
          body: { error: { code: "SandboxAdminError", message } },
        });
      }
      default:
        if (kind === "notImplemented") return GraphErrors.notImplemented(ectx, feature);
        if (kind === "methodNotAllowed") return GraphErrors.methodNotAllowed(ectx);
        if (kind === "badJson")
          return GraphErrors.invalidBody(
            ectx,
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
          );
        if (kind === "notFound") return GraphErrors.segmentNotFound(ectx, feature);
        return GraphErrors.internal(ectx);
    }
  }

  function parseBody(input: Input): unknown {
    if (input.body !== undefined) return input.body;
    if (!input.rawBody || input.rawBody.length === 0) return undefined;
    const ct = (input.headers["content-type"] ?? "").toLowerCase();
    const text = input.rawBody.toString("utf8");
    if (ct.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
    return JSON.parse(text) as unknown;
  }

  function bearer(headers: Record<string, string>): string | null {
    const h = headers.authorization;
    if (!h) return null;
    const m = /^Bearer\s+(.*)$/i.exec(h);
    return m ? m[1]!.trim() : "";
  }

  /** Stages 2–7 for one request (top-level or $batch item). */
  async function execute(input: Input): Promise<Outcome> {
    const ectx: ErrorContext = { requestId: input.requestId, clientRequestId: input.clientRequestId, now };
    let api: ApiName | null = apiOfPath(input.path);
    let endpoint = `${input.method} ${input.path}`;
    let appId: string | null = null;
    let releaseExchange: (() => void) | undefined;
    let fault: FaultRule | undefined;
    try {
      // 2. route dispatch
      const m = router.match(input.method, input.path);
      if (m.kind === "methodNotAllowed") {
        // A real path with a method the sandbox does not serve: unmodelled (501) unless --loose.
        throw errorFor(
          api,
          ectx,
          loose ? "methodNotAllowed" : "notImplemented",
          `the endpoint ${input.method} ${input.path}`,
        );
      }
      if (m.kind === "none") {
        // 3. strict-mode blocker (unknown endpoint)
        throw errorFor(
          api,
          ectx,
          loose ? "notFound" : "notImplemented",
          loose ? (input.path.split("/").pop() ?? "") : `the endpoint ${input.method} ${input.path}`,
        );
      }
      const match: RouteMatch = m.match;
      const route = match.route;
      api = route.api;
      endpoint = match.endpoint;
      let body: unknown;
      try {
        body = parseBody(input);
      } catch {
        throw errorFor(api, ectx, "badJson", "");
      }
      const ctx: HandlerContext = {
        requestId: input.requestId,
        clientRequestId: input.clientRequestId,
        method: input.method,
        path: input.path,
        params: match.params,
        query: input.query,
        headers: input.headers,
        body,
        baseUrl,
        version: match.version,
        caller: null,
        store,
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
      if (!loose && route.query) {
        for (const k of input.query.keys()) {
          if (k.startsWith("$") && !route.query.some((q) => q.toLowerCase() === k.toLowerCase())) {
            throw errorFor(api, ectx, "notImplemented", `the query option ${k} on ${endpoint}`);
          }
        }
      }
      if (api === "exchange" && !loose) {
        const unknown = unmodelledCmdlet(ctx);
        if (unknown) throw ExchangeErrors.notImplemented(`the cmdlet ${unknown}`);
      }

      // 4. bearer-token check
      if (route.auth === "admin") {
        if (bearer(input.headers) !== adminToken) {
          throw new SandboxHttpError({
            status: 401,
            code: "SandboxAdminError",
            message: "admin token required",
            body: { error: { code: "SandboxAdminError", message: "Authorization: Bearer <admin token> required." } },
          });
        }
      } else if (route.auth === "bearer") {
        ctx.caller = authenticate(api, ctx, ectx, input.headers);
        appId = ctx.caller.appId;
        if (operation) authorize(api, operation, ctx.caller, ectx);
      }

      // 5. faults and throttling (top-level API requests only; $batch items are throttled, not faulted)
      if (api !== "admin") {
        const inBatch = input.batchItem !== undefined;
        const f = faults.pick(endpoint, `${input.method} ${input.path}`, inBatch ? "batchItem" : "request");
        if (f) {
          fault = f;
          if (!inBatch && (f.kind === "reset" || f.kind === "timeout"))
            return { result: { status: 0 }, api, endpoint, appId, fault };
          const query = input.query.toString();
          throw faultResponse(api, f, ectx, `${input.path}${query ? `?${query}` : ""}`, regionalUrl);
        }
      }
      if (api === "exchange" && input.batchItem === undefined) {
        const release = throttler.admitExchange(store.tenantId);
        if (!release) throw concurrencyRefusal();
        releaseExchange = release;
      }
      if (route.budget && ctx.caller) {
        const refusal = throttler.take(charges(route.budget, route.cost?.(ctx) ?? 1, route.write ?? false, ctx.caller));
        if (refusal) {
          throw api === "exchange"
            ? ExchangeErrors.throttled(refusal.retryAfter ?? 1)
            : GraphErrors.throttled(ectx, refusal.retryAfter, refusal.scope, refusal.information);
        }
      }
      if (input.batchItem === undefined) await sleep(latency.delayFor(route.write ? "graph-write" : latencyClass));

      // 6. handler
      const result = await route.handler(ctx);
      if (api === "graph" && result.status < 400) {
        result.headers = { "x-ms-resource-unit": String(route.cost?.(ctx) ?? 1), ...(result.headers ?? {}) };
      }
      return { result, api, endpoint, appId, ...(fault ? { fault } : {}) };
    } catch (e) {
      // 7. error serialiser
      if (e instanceof SandboxHttpError) {
        // An injected fault's answer is logged as that fault.
        const result = { status: e.status, headers: e.headers, body: e.body };
        return { result, api, endpoint, appId, ...(fault ? { fault } : {}) };
      }
      log(
        `[sandbox] unexpected error on ${input.method} ${input.path} (request-id ${input.requestId}): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
      const err = errorFor(api, ectx, "internal", "");
      return { result: { status: err.status, headers: err.headers, body: err.body }, api, endpoint, appId };
    } finally {
      releaseExchange?.();
    }
  }

  function authenticate(
    api: ApiName,
    ctx: HandlerContext,
    ectx: ErrorContext,
    headers: Record<string, string>,
  ): Caller {
    const token = bearer(headers);
    const isExchange = api === "exchange";
    if (!token)
      throw isExchange ? ExchangeErrors.unauthorized("The access token is missing.") : GraphErrors.tokenMissing(ectx);
    const v = tokens.verify(token);
    if (!v.ok) {
      if (isExchange)
        throw ExchangeErrors.unauthorized(
          v.reason === "expired" ? "The token has expired." : "The access token is invalid.",
        );
      if (v.reason === "expired") throw GraphErrors.tokenExpired(ectx);
      if (v.reason === "malformed")
        throw GraphErrors.tokenInvalid(ectx, "IDX14100: JWT is not well formed, there are no dots (.).");
      throw GraphErrors.tokenInvalid(
        ectx,
        v.reason === "signature" ? "Invalid signature." : "Invalid token issuer or tenant.",
      );
    }
    const auds: readonly string[] = isExchange ? AUDIENCES.exchange : AUDIENCES.graph;
    if (!auds.includes(v.caller.audience)) {
      throw isExchange
        ? ExchangeErrors.unauthorized("The audience claim value is invalid for this resource.")
        : GraphErrors.tokenWrongAudience(ectx);
    }
    if (isExchange && ctx.params.tenant !== undefined && !store.matchesTenant(ctx.params.tenant))
      throw ExchangeErrors.wrongTenant(ctx.params.tenant);
    return v.caller;
  }

  function authorize(api: ApiName, op: OperationName, caller: Caller, ectx: ErrorContext): void {
    const adminRoles = store.findApp(caller.appId)?.directoryRoles ?? [];
    const verdict = checkPermission(op, caller.roles, adminRoles);
    if (verdict.ok) return;
    if (api === "exchange") throw ExchangeErrors.accessDenied(op.replace(/^exchange\./, ""), verdict.missing);
    throw GraphErrors.denied(ectx);
  }

  function charges(
    budget: "graph" | "conditionalAccess" | "exchange",
    cost: number,
    write: boolean,
    caller: Caller,
  ): Charge[] {
    const scopeBase = `Tenant_Application/${write ? "ReadWrite" : "Read"}/${caller.appId}/${store.tenantId}`;
    if (budget === "exchange") return [{ budget: "exchange", key: caller.appId, cost: 1, scope: scopeBase }];
    if (budget === "conditionalAccess") {
      // Conditional Access is limited per tenant, all apps together.
      return [{ budget: "conditionalAccess", key: store.tenantId, cost: 1, scope: `Tenant/Read/${store.tenantId}` }];
    }
    const out: Charge[] = [{ budget: "graphResourceUnits", key: caller.appId, cost, scope: scopeBase }];
    if (write) out.push({ budget: "graphWrites", key: caller.appId, cost: 1, scope: scopeBase });
    return out;
  }

  async function runBatchItem(item: BatchItem, outer: HandlerContext): Promise<HandlerResult> {
    const url = new URL(`${baseUrl}/${outer.version ?? "v1.0"}${item.url}`);
    const headers: Record<string, string> = { ...item.headers };
    if (outer.headers.authorization) headers.authorization = outer.headers.authorization;
    const started = Date.now();
    const requestId = randomUUID();
    const out = await execute({
      method: item.method,
      path: url.pathname,
      query: url.searchParams,
      headers,
      rawBody: null,
      body: item.body,
      requestId,
      clientRequestId: outer.clientRequestId,
      batchItem: item.id,
    });
    if (out.api && out.api !== "admin") {
      requestLog.add({
        time: now().toISOString(),
        requestId,
        api: out.api,
        endpoint: out.endpoint,
        method: item.method,
        path: url.pathname,
        status: out.result.status,
        appId: out.appId,
        durationMs: Date.now() - started,
        batchItem: item.id,
      });
    }
    return out.result;
  }

  // ---- 1. request id and context, then the HTTP wire -----------------------------------------------

  const held = new Set<Socket>();

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const requestId = randomUUID();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
    const clientRequestId = headers["client-request-id"] ?? null;
    const url = new URL(req.url ?? "/", baseUrl);
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
    const out = await execute({
      method: (req.method ?? "GET").toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers,
      rawBody: chunks.length ? Buffer.concat(chunks) : null,
      requestId,
      clientRequestId,
    });
    if (out.api && out.api !== "admin") {
      requestLog.add({
        time: now().toISOString(),
        requestId,
        api: out.api,
        endpoint: out.endpoint,
        method: req.method ?? "GET",
        path: url.pathname,
        status: out.fault?.kind === "reset" || out.fault?.kind === "timeout" ? 0 : out.result.status,
        appId: out.appId,
        durationMs: Date.now() - started,
        ...(out.fault ? { fault: out.fault.kind } : {}),
      });
    }
    if (out.fault?.kind === "reset") {
      // A TLS socket cannot send a TCP RST (resetAndDestroy throws); closing it mid-request gives
      // clients the same "socket hang up" / ECONNRESET.
      req.socket.destroy();
      return;
    }
    if (out.fault?.kind === "timeout") {
      held.add(req.socket);
      req.socket.once("close", () => held.delete(req.socket));
      return;
    }
    write(res, out, requestId, clientRequestId);
  }

  function write(res: ServerResponse, out: Outcome, requestId: string, clientRequestId: string | null): void {
    const { result } = out;
    const headers: Record<string, string> = {
      "request-id": requestId,
      "client-request-id": clientRequestId ?? requestId,
      "x-ms-request-id": requestId,
      ...(out.api === "graph"
        ? {
            "OData-Version": "4.0",
            "x-ms-ags-diagnostic":
              '{"ServerInfo":{"DataCenter":"Sandbox","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"SANDBOX"}}',
          }
        : {}),
      ...(result.headers ?? {}),
    };
    let payload: Buffer | null = null;
    if (result.body !== undefined && result.body !== "") {
      if (typeof result.body === "string" || Buffer.isBuffer(result.body)) {
        payload = Buffer.from(result.body);
        if (!Object.keys(headers).some((k) => k.toLowerCase() === "content-type"))
          headers["Content-Type"] = "text/plain; charset=utf-8";
      } else {
        payload = Buffer.from(JSON.stringify(result.body));
        if (!Object.keys(headers).some((k) => k.toLowerCase() === "content-type")) {
          headers["Content-Type"] =
            out.api === "graph" || out.api === "exchange" ? GRAPH_CONTENT_TYPE : "application/json; charset=utf-8";
        }
      }
    }
    if (payload) headers["Content-Length"] = String(payload.length);
    res.writeHead(result.status, headers);
    res.end(payload ?? undefined);
  }

  const listen = async (p: number): Promise<{ server: Server; url: string }> => {
    const srv: Server = createServer({ key: pki.keyPem, cert: pki.certPem, minVersion: "TLSv1.2" }, (req, res) => {
      onRequest(req, res).catch((e: unknown) => {
        log(`[sandbox] request failed: ${e instanceof Error ? e.message : String(e)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      srv.once("error", reject);
      srv.listen(p, host, () => resolve());
    });
    const addr = srv.address();
    const port = typeof addr === "object" && addr ? addr.port : 0;
    return { server: srv, url: `https://${host.includes(":") ? `[${host}]` : host}:${port}` };
  };
  const main = await listen(opts.port ?? 0);
  const server = main.server;
  baseUrl = main.url;
  // A second listener stands for a tenant's regional front end: the target of "redirect" faults.
  const regional = await listen(0);
  const regionalUrl = regional.url;

  // The SMTP endpoint (its own composition root), fed by this store and token service.
  let smtpHandle: { port: number; close(): Promise<void> } | null = null;
  if (opts.smtp !== false) {
    try {
      smtpHandle = await startSmtpServer({
        port: opts.smtp?.port ?? 0,
        host,
        tls: { key: pki.keyPem, cert: pki.certPem },
        getTenant: () => store.read(),
        verifyBearerToken: tokens.verifyBearerToken,
        now,
        onMessage: (msg) => messages.push({ ...msg, receivedAt: now().toISOString() }),
      });
    } catch (e) {
      await new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => regional.server.close(() => r()));
      throw e;
    }
    smtpInfo = { host, port: smtpHandle.port };
  }

  const automation =
    (opts.automationAppId ? store.findApp(opts.automationAppId) : undefined) ??
    store.read().apps.find((a) => a.secrets.length > 0);
  env = {
    NODE_EXTRA_CA_CERTS: caCertPath,
    M365_AUTHORITY_HOST: baseUrl,
    AZURE_AUTHORITY_HOST: baseUrl,
    M365_GRAPH_URL: baseUrl,
    M365_EXCHANGE_URL: baseUrl,
    M365_TENANT_ID: store.tenantId,
    ...(automation ? { M365_CLIENT_ID: automation.appId, M365_CLIENT_SECRET: automation.secrets[0]! } : {}),
    ...(smtpInfo ? { M365_SMTP_HOST: smtpInfo.host, M365_SMTP_PORT: String(smtpInfo.port) } : {}),
    M365_SANDBOX_ADMIN_TOKEN: adminToken,
  };

  let stopped: Promise<void> | null = null;
  return {
    baseUrl,
    regionalUrl,
    tenantId: store.tenantId,
    caPem: pki.caPem,
    caCertPath,
    adminToken,
    env,
    smtp: smtpInfo,
    store,
    requestLog,
    faults,
    throttler,
    latency,
    tokens,
    messages,
    stop() {
      stopped ??= (async () => {
        for (const s of held) s.destroy();
        server.closeAllConnections();
        regional.server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        await new Promise<void>((r) => regional.server.close(() => r()));
        await smtpHandle?.close();
        persistence?.dispose();
        if (tmp) rmSync(tmp, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

export { notModelled };
