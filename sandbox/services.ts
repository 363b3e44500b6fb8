/**
 * The sandbox's services bag: the store and the runtime controls every part of the HTTPS side shares.
 * Built once by the composition root (server.ts) and handed whole to the pipeline, the admin routes and
 * the running `Sandbox`, so a new runtime control (a fault kind's state, replica lag, …) is one field here.
 */
import type { TenantStore } from "./store/store.ts";
import type { RequestLog } from "./runtime/request-log.ts";
import type { FaultInjector } from "./runtime/faults.ts";
import type { Throttler } from "./runtime/throttle.ts";
import type { Latency } from "./runtime/latency.ts";
import type { TokenService } from "./token/service.ts";
import type { ExchangeRuntime } from "./exchange/behaviour.ts";

/** An SMTP message the sandbox accepted (from the SMTP server's onMessage). */
export interface RecordedMessage {
  from: string;
  to: string[];
  raw: string;
  authUser: string;
  mechanism: string;
  receivedAt: string;
}

/** What the pipeline, the admin routes and tests share; one object per running sandbox. */
export interface SandboxServices {
  store: TenantStore;
  requestLog: RequestLog;
  faults: FaultInjector;
  throttler: Throttler;
  latency: Latency;
  tokens: TokenService;
  /** Messages the SMTP endpoint accepted. */
  messages: RecordedMessage[];
  /** Exchange fidelity switches (role refusals, replica lag, …) and the replica-lag journal. */
  exchange: ExchangeRuntime;
}
