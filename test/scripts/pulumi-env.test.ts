/** engine/pulumi-env.ts: the settings every CLI run gets, and that a caller's own value wins. */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { envForCommand, projectRoot, pulumiEnv } from "../../engine/pulumi-env.ts";

const bin = path.join(projectRoot, ".tools", "bin", "pulumi");

describe("pulumiEnv", () => {
  it("sets the engine's parallelism and the CLI's soft memory limit", () => {
    const env = pulumiEnv({ PATH: "/usr/bin", PULUMI_CONFIG_PASSPHRASE: "x" }, bin);
    expect(env.PULUMI_PARALLEL).toBe("256");
    expect(env.GOMEMLIMIT).toBe("700MiB");
    expect(env.PULUMI_SKIP_UPDATE_CHECK).toBe("true");
  });

  it("keeps the caller's own values", () => {
    const env = pulumiEnv(
      { PATH: "/usr/bin", PULUMI_CONFIG_PASSPHRASE: "x", PULUMI_PARALLEL: "16", GOMEMLIMIT: "2GiB" },
      bin,
    );
    expect(env.PULUMI_PARALLEL).toBe("16");
    expect(env.GOMEMLIMIT).toBe("2GiB");
  });
});

describe("envForCommand", () => {
  it("skips checkpoints for previews only, unless the caller decided", () => {
    expect(envForCommand(["preview", "--refresh"], {}).PULUMI_SKIP_CHECKPOINTS).toBe("true");
    expect(envForCommand(["up", "--yes"], {}).PULUMI_SKIP_CHECKPOINTS).toBeUndefined();
    expect(envForCommand(["preview"], { PULUMI_SKIP_CHECKPOINTS: "false" }).PULUMI_SKIP_CHECKPOINTS).toBe("false");
  });
});
