import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { asRunError, failingAsSentence, sentence } from "../../program/failure.ts";

describe("program failures as one sentence", () => {
  it.each([
    ["a plain message", new Error("GET /v1.0/users answered 503"), "GET /v1.0/users answered 503"],
    [
      "colour codes and stack frames inside the message",
      new Error(
        "ConnectionConfigError: bad URL\n    at url (\u001b[90mfile:///x/connection.ts:89:46\u001b[39m)\n    at run (y.ts:1:1)",
      ),
      "ConnectionConfigError: bad URL",
    ],
    ["several lines", new Error("first line\nsecond  line\n"), "first line second line"],
    ["an empty message", new TypeError(""), "TypeError"],
    ["a string", "just text", "just text"],
  ])("%s", (_, err, expected) => {
    expect(sentence(err)).toBe(expected);
  });

  it("keeps a RunError as it is (tenant.yaml problems are listed one per line on purpose)", () => {
    const err = new pulumi.RunError("tenant.yaml: 2 problems\n  a\n  b");
    expect(asRunError(err)).toBe(err);
  });

  it("turns a rejection into a RunError with the sentence, and leaves a value alone", async () => {
    await expect(failingAsSentence(Promise.resolve(42))).resolves.toBe(42);
    const rejected = failingAsSentence(Promise.reject(new Error("boom\n    at x (y.ts:1:1)")));
    await expect(rejected).rejects.toSatisfy((e) => pulumi.RunError.isInstance(e) && e.message === "boom");
  });
});
