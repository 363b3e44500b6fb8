/**
 * Composition root of the sandbox tenant's HTTPS side (token service, Microsoft Graph, Exchange admin
 * API, admin endpoint), and the place that starts the SMTP endpoint next to it. One HTTPS listener on
 * loopback; paths mirror the real services so real clients only change their base URLs. This file only
 * wires: the request pipeline and its stages are in protocol/pipeline.ts (stage 4 in protocol/auth.ts),
 * the errors it raises per API in errors/surfaces.ts, the shared services in services.ts.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TenantState } from "./model.ts";
import { createPki, reusableOrRenewedPki, type SandboxPki } from "./tls.ts";
import { startSmtpServer } from "./smtp/server.ts";
import { Router } from "./protocol/router.ts";
import { Pipeline } from "./protocol/pipeline.ts";
import { notModelled } from "./errors/graph.ts";
import { MemoryTenantStore } from "./store/store.ts";
import { fixturePath, loadFixture } from "./store/fixture.ts";
import { generateUsers } from "./store/generate.ts";
import { persistStore, StateDir } from "./store/persistence.ts";
import { createSigningKey } from "./token/keys.ts";
import { TokenService } from "./token/service.ts";
import { tokenRoutes } from "./token/routes.ts";
import { graphRoutes } from "./graph/routes.ts";
import { exchangeRoutes } from "./exchange/routes.ts";
import { adminRoutes } from "./admin/routes.ts";
import { RequestLog } from "./runtime/request-log.ts";
import { FaultInjector } from "./runtime/faults.ts";
import { documentedBudgets, Throttler, type ThrottleBudgets } from "./runtime/throttle.ts";
import { Latency, type LatencyProfile } from "./runtime/latency.ts";
import type { SandboxServices } from "./services.ts";
import { ExchangeRuntime, type ExchangeBehaviour } from "./exchange/behaviour.ts";

export type { RecordedMessage, SandboxServices } from "./services.ts";

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
  /** Exchange fidelity switches (see exchange/behaviour.ts); defaults follow the real service. */
  exchange?: Partial<ExchangeBehaviour>;
  /** Clock (tests). */
  now?: () => Date;
  /** Where unexpected errors are reported; default console.error. */
  log?: (line: string) => void;
}

/** A running sandbox: its services (store, request log, faults, …) plus where and how to reach it. */
export interface Sandbox extends SandboxServices {
  /** https://127.0.0.1:<port> — authority host, Graph base URL and Exchange base URL at once. */
  baseUrl: string;
  tenantId: string;
  caPem: string;
  /** File holding caPem (what NODE_EXTRA_CA_CERTS points at). */
  caCertPath: string;
  adminToken: string;
  /** Environment a client or child process needs (see sandbox/README.md). */
  env: Record<string, string>;
  smtp: { host: string; port: number } | null;
  /** Stops both listeners, flushes state; idempotent. */
  stop(): Promise<void>;
}

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

/** Opens state, signing key and PKI: from the state dir when there is one, so a restart resumes them. */
function openState(opts: SandboxOptions, log: (line: string) => void) {
  const stateDir = opts.stateDir ? new StateDir(opts.stateDir) : null;
  const store = new MemoryTenantStore(initialState(opts), stateDir?.loadState() ?? undefined);
  const persistence = stateDir ? persistStore(store, stateDir) : null;
  const key = createSigningKey(stateDir?.read("signing-key.pem") ?? undefined);
  if (stateDir && stateDir.read("signing-key.pem") === null) stateDir.write("signing-key.pem", key.privateKeyPem);
  let pki: SandboxPki;
  const savedCa = stateDir?.read("ca.pem");
  if (stateDir) {
    // A persisted certificate near or past its expiry is renewed, never reused (issue 17 item 5).
    const saved = savedCa
      ? {
          caPem: savedCa,
          certPem: stateDir.read("server-cert.pem") ?? "",
          keyPem: stateDir.read("server-key.pem") ?? "",
        }
      : null;
    const { pki: current, renewed } = reusableOrRenewedPki(saved, ["127.0.0.1", "localhost"]);
    pki = current;
    if (renewed) log(`[sandbox] TLS: ${renewed}`);
    if (current !== saved) {
      stateDir.write("ca.pem", pki.caPem);
      stateDir.write("server-cert.pem", pki.certPem);
      stateDir.write("server-key.pem", pki.keyPem);
    }
  } else {
    pki = createPki(["127.0.0.1", "localhost"]);
  }
  const tmp = stateDir ? null : mkdtempSync(join(tmpdir(), "m365-sandbox-"));
  const caCertPath = stateDir ? stateDir.path("ca.pem") : join(tmp!, "ca.pem");
  if (!stateDir) writeFileSync(caCertPath, pki.caPem);
  return { store, persistence, key, pki, tmp, caCertPath };
}

/** Starts the sandbox tenant (HTTPS + SMTP) and resolves once both listen. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const host = opts.host ?? "127.0.0.1";
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? ((line: string) => console.error(line));
  const { store, persistence, key, pki, tmp, caCertPath } = openState(opts, log);

  const adminToken = opts.adminToken ?? randomBytes(24).toString("base64url");
  let baseUrl = "";
  const services: SandboxServices = {
    store,
    requestLog: new RequestLog(),
    faults: new FaultInjector(opts.faultSeed ?? 1),
    throttler: new Throttler(
      { ...documentedBudgets(store.users().length), ...(typeof opts.throttle === "object" ? opts.throttle : {}) },
      opts.throttle !== false,
    ),
    latency: new Latency(opts.latency ?? "none"),
    tokens: new TokenService({ store, key, baseUrl: () => baseUrl, now }),
    messages: [],
    exchange: new ExchangeRuntime(opts.exchange, () => now().getTime()),
  };
  let smtpInfo: { host: string; port: number } | null = null;
  let env: Record<string, string> = {};

  const router = new Router();
  const pipeline = new Pipeline({
    services,
    router,
    loose: opts.loose ?? false,
    adminToken,
    baseUrl: () => baseUrl,
    now,
    log,
  });
  router
    .add(...adminRoutes({ ...services, info: () => ({ baseUrl, tenantId: store.tenantId, smtp: smtpInfo, env }) }))
    .add(...graphRoutes((item, outer) => pipeline.runBatchItem(item, outer)))
    .add(...exchangeRoutes())
    .add(...tokenRoutes(services.tokens));

  const server: Server = createServer({ key: pki.keyPem, cert: pki.certPem, minVersion: "TLSv1.2" }, (req, res) => {
    pipeline.handle(req, res).catch((e: unknown) => {
      log(`[sandbox] request failed: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  baseUrl = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;

  // The SMTP endpoint (its own composition root), fed by this store and token service.
  let smtpHandle: { port: number; close(): Promise<void> } | null = null;
  if (opts.smtp !== false) {
    try {
      smtpHandle = await startSmtpServer({
        port: opts.smtp?.port ?? 0,
        host,
        tls: { key: pki.keyPem, cert: pki.certPem },
        getTenant: () => store.read(),
        verifyBearerToken: services.tokens.verifyBearerToken,
        now,
        onMessage: (msg) => services.messages.push({ ...msg, receivedAt: now().toISOString() }),
      });
    } catch (e) {
      await new Promise<void>((r) => server.close(() => r()));
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
    ...services,
    baseUrl,
    tenantId: store.tenantId,
    caPem: pki.caPem,
    caCertPath,
    adminToken,
    env,
    smtp: smtpInfo,
    stop() {
      stopped ??= (async () => {
        for (const s of pipeline.held) s.destroy();
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        await smtpHandle?.close();
        persistence?.dispose();
        if (tmp) rmSync(tmp, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

export { notModelled };
