/**
 * Program failures as one sentence (issue 17 item 8): the Node.js SDK prints an ordinary error
 * thrown by the program with util.inspect, i.e. every stack frame and its ANSI colour codes, under
 * "failed with an unhandled exception". A pulumi.RunError is printed as its message alone, and the
 * program still exits with the SDK's "error already reported" code, so the engine reports the
 * failure and the CLI exits non-zero.
 */
import * as pulumi from "@pulumi/pulumi";

// ESC [ … final byte: colour codes and other CSI sequences.
const ANSI = new RegExp(String.raw`\u001b\[[0-9;?]*[ -/]*[@-~]`, "g");

/**
 * The error's message as one line: no ANSI escapes, no stack-frame lines ("    at …"), whitespace
 * collapsed. A non-Error is rendered with String(). Never throws.
 */
export function sentence(err: unknown): string {
  const message = err instanceof Error ? err.message || err.name : String(err);
  return message
    .replace(ANSI, "")
    .split("\n")
    .filter((line) => !/^\s*at\s/.test(line))
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The error as a pulumi.RunError: itself when it already is one, else one with sentence(err). */
export function asRunError(err: unknown): pulumi.RunError {
  return pulumi.RunError.isInstance(err) ? err : new pulumi.RunError(sentence(err));
}

/**
 * `promise`, with a rejection turned into asRunError's. The returned promise is marked handled at
 * once, so a rejection before the SDK awaits it (it awaits stack outputs only after the program's
 * module has run) does not also print Node's "PromiseRejectionHandledWarning".
 */
export function failingAsSentence<T>(promise: Promise<T>): Promise<T> {
  const wrapped = promise.catch((err: unknown) => {
    throw asRunError(err);
  });
  wrapped.catch(() => {});
  return wrapped;
}
