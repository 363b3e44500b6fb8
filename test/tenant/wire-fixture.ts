/**
 * What the wire-quirk tests share: a sandbox, app tokens for Graph and Exchange got from it, and the project's
 * tenant client built on them, with every retry wait and attempt recorded (and a wait held until the test
 * releases it, when given a gate). Call inside a describe: it registers that describe's hooks.
 */
import { afterAll, beforeAll, beforeEach } from "vitest";
import { createTenantApi, type TenantApi } from "../../tenant/api.ts";
import type { ApiError } from "../../tenant/http.ts";
import type { Sandbox } from "../../sandbox/server.ts";
import { fetchToken, startTestSandbox } from "../sandbox/helpers.ts";

export interface WireClientOptions {
  maxAttempts?: number;
  budgetMs?: number;
  timeoutMs?: number;
  /** Every wait is recorded, then held until this settles. */
  gate?: Promise<void>;
}

export function wireFixture() {
  const state = { sb: undefined as unknown as Sandbox, graphToken: "", exchangeToken: "" };
  const waits: number[] = [];
  const attempts: (number | "error")[] = [];
  const tokenFor = (scope: string) =>
    fetchToken(state.sb, state.sb.env.M365_CLIENT_ID!, state.sb.env.M365_CLIENT_SECRET!, scope);

  beforeAll(async () => {
    state.sb = await startTestSandbox({ latency: "none", throttle: false });
    state.graphToken = await tokenFor("https://graph.microsoft.com/.default");
    state.exchangeToken = await tokenFor("https://outlook.office365.com/.default");
  });
  afterAll(() => state.sb.stop());
  beforeEach(() => {
    state.sb.store.reset();
    state.sb.exchange.reset();
    state.sb.faults.clear();
    state.sb.requestLog.clear();
    waits.length = 0;
    attempts.length = 0;
  });

  const api = (opts: WireClientOptions = {}): TenantApi =>
    createTenantApi({
      graphUrl: state.sb.baseUrl,
      exchangeUrl: state.sb.baseUrl,
      tenantId: state.sb.tenantId,
      getGraphToken: async () => state.graphToken,
      getExchangeToken: async () => state.exchangeToken,
      http: {
        retry: {
          maxAttempts: opts.maxAttempts ?? 3,
          baseDelayMs: 10,
          maxDelayMs: 30_000,
          budgetMs: opts.budgetMs ?? 60_000,
        },
        ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
        sleep: async (ms) => {
          waits.push(ms);
          await opts.gate;
        },
        onAttempt: (_req, status) => attempts.push(status),
      },
    });
  /** The ApiError a promise fails with; a promise that resolves fails the test. */
  const failure = (p: Promise<unknown>): Promise<ApiError> =>
    p.then(
      () => {
        throw new Error("expected a failure");
      },
      (e: unknown) => e as ApiError,
    );

  return { state, waits, attempts, tokenFor, api, failure };
}
