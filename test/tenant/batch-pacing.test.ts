/**
 * Per-user MFA $batch under Graph's write budget (tenant/per-user-mfa.ts): a change larger than the
 * budget is paced over several refill periods and completes, however few attempts a single refused
 * item may have, because a round in which some items got through is progress. Before this, every
 * chunk of a 7,211-user change was queued at once, spent its attempts on the same refusals and the
 * 10,000-user bench apply failed with "429 … (after 10 attempts)".
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../sandbox/server.ts";
import { projectApi, startTestSandbox } from "../sandbox/helpers.ts";

describe("per-user MFA $batch paced by Graph's write budget", { timeout: 60_000 }, () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startTestSandbox({ generate: { users: 400, seed: 7 } });
    // 50 writes a second, bucket full at the start: 400 writes take about 7 s.
    sb.throttler.configure({ enabled: true, budgets: { graphWrites: { capacity: 50, windowSeconds: 1 } } });
  });
  afterAll(() => sb.stop());

  it("sets 400 users with three attempts per refused item, and every one is set", async () => {
    const api = projectApi(sb, undefined, {
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5_000, budgetMs: 20_000 },
    });
    const users = sb.store
      .users()
      .filter((u) => /^user\d+@/.test(u.userPrincipalName) && u.perUserMfa !== "enforced")
      .map((u) => u.userPrincipalName.toLowerCase());
    expect(users.length).toBeGreaterThan(200);
    sb.requestLog.clear();
    const done = await api.setPerUserMfaMany(users.map((upn) => ({ upn, state: "enforced" as const })));
    expect([...done].sort()).toEqual([...users].sort());
    const states = new Map(sb.store.users().map((u) => [u.userPrincipalName.toLowerCase(), u.perUserMfa]));
    expect(users.filter((u) => states.get(u) !== "enforced")).toEqual([]);
    // The budget refused some: the pacing was exercised, not bypassed.
    const refused = sb.requestLog.entries().filter((e) => e.batchItem !== undefined && e.status === 429);
    expect(refused.length).toBeGreaterThan(0);
  });
});
