/**
 * Errors read as sentences: what a provider method rejects with (the dynamic-provider host sends
 * only `message` to the engine) is one line, without stack frames or ANSI escapes, naming the call,
 * the reason and the client-request-id. Driven through the provider object the engine uses.
 */
import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { providerFor } from "../../providers/runtime.ts";
import type { Sandbox } from "../../sandbox/server.ts";
import { startTestSandbox } from "../sandbox/helpers.ts";

describe("provider errors are one clear line", () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startTestSandbox({ latency: "none", throttle: false });
  });
  afterAll(() => sb.stop());
  beforeEach(() => sb.faults.clear());

  const configure = async (extra: Record<string, string> = {}) => {
    const provider = providerFor("SecurityDefaults");
    const values: Record<string, string> = {
      tenantId: sb.tenantId,
      clientId: sb.env.M365_CLIENT_ID!,
      clientSecret: sb.env.M365_CLIENT_SECRET!,
      authorityHost: sb.baseUrl,
      graphUrl: sb.baseUrl,
      exchangeUrl: sb.baseUrl,
      maxAttempts: "2",
      ...extra,
    };
    const config = new Map(Object.entries(values).map(([k, v]) => [`m365-smtp-auth:${k}`, v]));
    await provider.configure!({ config } as never);
    return provider;
  };
  const failure = async (run: () => Promise<unknown>) => {
    const err = (await run().then(
      () => undefined,
      (e: unknown) => e,
    )) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).not.toMatch(/[\r\n]/);
    expect(err.message).not.toMatch(/\u001b\[/);
    expect(err.message).not.toMatch(/\bat .*\.ts:\d+/);
    // A host that prints the stack instead of the message shows the same line.
    expect(err.stack).toBe(`${err.name}: ${err.message}`);
    // Pulumi prints a program's unhandled error with util.inspect, in colour: still the one line.
    expect(inspect(err, { colors: true })).toBe(`${err.name}: ${err.message}`);
    return err.message;
  };

  it("a transient failure that outlasts the attempts: the call, the last status, the reason, the id", async () => {
    sb.faults.add({ kind: "503", match: "identitySecurityDefaults" });
    const provider = await configure();
    const message = await failure(() => provider.read!("securityDefaults", { enabled: true }));
    expect(message).toMatch(
      /^GET https:\/\/127\.0\.0\.1:\d+\/v1\.0\/policies\/identitySecurityDefaultsEnforcementPolicy answered 503 serviceNotAvailable: Service unavailable\. \(after 2 attempts\) \[client-request-id [0-9a-f-]{36}\]$/,
    );
  });

  it("refused credentials: the AAD error, no trace ids, no secret", async () => {
    const provider = await configure({ clientSecret: "wrong-secret-value" });
    const message = await failure(() => provider.read!("securityDefaults", { enabled: true }));
    expect(message).toMatch(/ was not sent: the token service refused the credentials: invalid_client: /);
    expect(message).not.toContain("wrong-secret-value");
    expect(message).not.toMatch(/Trace ID|Correlation ID/);
  });
});
