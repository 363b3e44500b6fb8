/**
 * Corporate networks: with HTTPS_PROXY set, the token call (@azure/identity), Graph and Exchange
 * calls (fetch) all go through the proxy — a real CONNECT proxy built on node:http. NO_PROXY is in
 * no-proxy.test.ts: @azure/identity's pipeline reads NO_PROXY once per process.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectTenant } from "../../tenant/connect.ts";
import type { Sandbox } from "../../sandbox/server.ts";
import { resetEnvProxy } from "../../tenant/proxy.ts";
import { startConnectProxy, type ConnectProxy } from "../helpers/connect-proxy.ts";
import { connectionSettingsFor, startTestSandbox } from "../sandbox/helpers.ts";

describe("HTTPS_PROXY", () => {
  let sb: Sandbox;
  let proxy: ConnectProxy;
  const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };

  beforeAll(async () => {
    sb = await startTestSandbox({ latency: "none", throttle: false });
    proxy = await startConnectProxy();
  });
  afterAll(async () => {
    await sb.stop();
    await proxy.close();
  });
  afterEach(() => {
    resetEnvProxy();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const connect = () => connectTenant(connectionSettingsFor(sb));
  const sandboxHost = () => new URL(sb.baseUrl).host;

  it("sends the token, Graph and Exchange calls through the proxy", async () => {
    process.env.HTTPS_PROXY = proxy.url;
    process.env.NO_PROXY = "";
    proxy.tunnels.length = 0;
    sb.requestLog.clear();
    const api = await connect();
    expect(await api.getSecurityDefaults()).toBe(true);
    expect(await api.getOrganizationSmtpAuthDisabled()).toBe(true);
    const apis = new Set(sb.requestLog.entries().map((e) => e.api));
    expect([...apis].sort()).toEqual(["exchange", "graph", "token"]);
    // Every tunnel leads to the sandbox; at least one for the token service (node:https) and one for fetch.
    expect(proxy.tunnels.length).toBeGreaterThanOrEqual(2);
    expect(new Set(proxy.tunnels)).toEqual(new Set([sandboxHost()]));

    // With the tokens cached, only fetch talks now: Graph and Exchange traffic still crosses the proxy.
    proxy.bytes.sent = 0;
    await api.getSecurityDefaults();
    const afterGraph = proxy.bytes.sent;
    await api.getOrganizationSmtpAuthDisabled();
    expect(afterGraph).toBeGreaterThan(0);
    expect(proxy.bytes.sent).toBeGreaterThan(afterGraph);
  });
});
