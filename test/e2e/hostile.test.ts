/**
 * Hostile desired state through the real CLI (issue 17 item 6): each file is refused with a
 * positioned error, the run exits non-zero, and not one request reaches the tenant.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_TENANT_YAML, startProgram, type ProgramUnderTest } from "../helpers/program.ts";

describe("hostile tenant.yaml", { timeout: 300_000 }, () => {
  let program: ProgramUnderTest;
  beforeAll(async () => {
    program = await startProgram();
  });
  afterAll(() => program.stop());

  const FILE = "stacks/test/tenant.yaml";
  it.each([
    [
      "invalid UTF-8",
      Buffer.concat([Buffer.from(SANDBOX_TENANT_YAML), Buffer.from("# caf"), Buffer.from([0xe9]), Buffer.from("\n")]),
      `${FILE}:13:6 the file is not valid UTF-8 (byte 0xe9 at offset ${Buffer.byteLength(SANDBOX_TENANT_YAML) + 5}); save it as UTF-8`,
    ],
    [
      "a 2 MB line",
      Buffer.from(SANDBOX_TENANT_YAML.replace(/reason: "[^"]*"/, `reason: "${"x".repeat(2_000_000)}"`)),
      `${FILE}:3:11 securityDefaults.reason: a 2,000,000-character string; the limit is 1,024 characters`,
    ],
    [
      "5,000-deep nesting",
      Buffer.from(`mfa:\n  users: ${"[".repeat(5000)}${"]".repeat(5000)}\n`),
      `${FILE}:2:28 mfa.users.${Array(18).fill("0").join(".")}: nested more than 20 levels deep; a tenant.yaml needs at most 5`,
    ],
  ])("%s: one positioned line, exit non-zero, no API call", async (_, bytes, expected) => {
    writeFileSync(path.join(program.project.dir, FILE), bytes);
    program.sandbox.requestLog.clear();
    const preview = await program.pulumi(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.stdout).toContain(`${FILE}: 1 problem in the desired state; nothing was sent to the tenant`);
    expect(preview.stdout).toContain(`    ${expected}\n`);
    expect(preview.stdout).not.toContain("Maximum call stack");
    expect(preview.stdout.length).toBeLessThan(5_000);
    expect(program.apiCalls()).toBe(0);
  });
});
