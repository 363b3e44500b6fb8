/**
 * Corporate networks: with HTTPS_PROXY set, the token call (@azure/identity), Graph and Exchange
 * calls (fetch) go direct for a host in NO_PROXY. Its own file: @azure/identity's pipeline reads
 * NO_PROXY once per process.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectTenant } from "../../tenant/connect.ts";
import type { Sandbox } from "../../sandbox/server.ts";
import { resetEnvProxy } from "../../tenant/proxy.ts";
import { startConnectProxy, type ConnectProxy } from "../helpers/connect-proxy.ts";
import { connectionSettingsFor, startTestSandbox } from "../sandbox/helpers.ts";

describe("NO_PROXY", () => {
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

  it("goes direct for hosts in NO_PROXY", async () => {
    process.env.HTTPS_PROXY = proxy.url;
    process.env.NO_PROXY = "127.0.0.1";
    proxy.tunnels.length = 0;
    const api = await connect();
    expect(await api.getSecurityDefaults()).toBe(true);
    expect(await api.getOrganizationSmtpAuthDisabled()).toBe(true);
    expect(proxy.tunnels).toEqual([]);
  });
});
