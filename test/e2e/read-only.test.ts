/**
 * Issue 16.5 through the real Pulumi CLI: a stack with a read-only app (readClientId,
 * readClientSecret) previews with that app alone — the write app's secret is not even configured —
 * and only `up`'s writes sign in as the write app.
 */
import { describe, expect, it } from "vitest";
import { startProgram } from "../helpers/program.ts";

const READER = { appId: "0a7f3e94-1b2c-4d5e-8f60-7a8b9c0d1e21", secret: "sandbox-reader-secret" };

describe("a read-only app for previews", { timeout: 400_000 }, () => {
  it("previews with the read app alone; up writes as the write app once its secret is there", async () => {
    const program = await startProgram({ config: { readClientId: READER.appId, credential: "clientSecret" } });
    try {
      const writeApp = program.sandbox.env.M365_CLIENT_ID!;
      const writeSecret = program.sandbox.env.M365_CLIENT_SECRET!;
      await program.ok(["config", "rm", "m365-smtp-auth:clientSecret"]);
      await program.ok(["config", "set", "--secret", "m365-smtp-auth:readClientSecret", READER.secret]);
      program.sandbox.requestLog.clear();

      const preview = await program.ok(["preview", "--refresh"]);
      expect(preview.stdout).toMatch(/\+ 5 to create/u);
      const apps = new Set(
        program.sandbox.requestLog
          .entries()
          .filter((e) => e.api !== "token")
          .map((e) => e.appId),
      );
      expect([...apps]).toEqual([READER.appId]);

      // up without the write app's secret: the first write says which key to set; nothing changes.
      const up = await program.pulumi(["up", "--yes", "--skip-preview"]);
      expect(up.code).not.toBe(0);
      expect(up.stdout).toContain("stack config m365-smtp-auth:clientSecret is not set");
      expect(program.sandbox.store.read().securityDefaultsEnabled).toBe(true);
      expect(program.sandbox.requestLog.entries().filter((e) => e.appId === writeApp)).toEqual([]);

      await program.ok(["config", "set", "--secret", "m365-smtp-auth:clientSecret", writeSecret]);
      await program.ok(["cancel", "--yes"]).catch(() => undefined);
      program.sandbox.requestLog.clear();
      await program.ok(["up", "--yes", "--skip-preview", "--refresh"]);
      expect(program.sandbox.store.read().securityDefaultsEnabled).toBe(false);
      const writers = new Set(
        program.sandbox.requestLog
          .entries()
          .filter((e) => e.api !== "token" && /PATCH|Set-/u.test(`${e.method} ${e.endpoint}`))
          .map((e) => e.appId),
      );
      expect([...writers]).toEqual([writeApp]);
      const readers = new Set(
        program.sandbox.requestLog
          .entries()
          .filter((e) => e.api !== "token" && /^(GET |InvokeCommand Get-)/u.test(e.endpoint))
          .map((e) => e.appId),
      );
      expect([...readers]).toEqual([READER.appId]);
    } finally {
      await program.stop();
    }
  });
});
