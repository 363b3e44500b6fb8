/**
 * What the CLI needs from the process, so commands run in tests without one, and the error classes
 * that decide the exit code: UsageError → 2 (bad arguments), CliError → 1 (the tenant or host could
 * not be reached, a permission or setting is missing). Messages are one line, never a stack trace,
 * never a secret.
 */
import { readFileSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  /** The whole of stdin, or null when stdin is a terminal. Called at most once. */
  readStdin: () => Promise<string | null>;
  now: () => Date;
}

/** Bad arguments: exit 2, with the command's usage. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A failure the user can act on (unreachable host, missing setting): exit 1. */
export class CliError extends Error {
  override name = "CliError";
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** node:util parseArgs, strict, with its errors turned into UsageErrors that name the option. */
export function parse<T extends Options>(
  args: string[],
  options: T,
  hints: Record<string, string> = {},
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: true });
    return { values, positionals };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const opt = /'(-{1,2}[^'\s,]+)/u.exec(message)?.[1];
    const hint = opt !== undefined ? hints[opt.replace(/=.*$/u, "")] : undefined;
    throw new UsageError(hint ?? message.replace(/\. To specify a positional argument.*$/u, ""));
  }
}

/** A string option, or undefined. */
export function str(values: Record<string, string | boolean | undefined>, key: string): string | undefined {
  const v = values[key];
  return typeof v === "string" ? v : undefined;
}

/** A TCP port from an option or environment value. */
export function port(value: string, what: string): number {
  const n = Number(value);
  if (!/^\d+$/u.test(value) || n < 1 || n > 65535)
    throw new UsageError(`${what} must be a port number (1-65535), got '${value}'`);
  return n;
}

/** Reads a PEM file given with --ca. */
export function readCa(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`--ca ${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw new UsageError(`--ca ${file}: not a PEM certificate`);
  return pem;
}

/** A secret from the environment variable named by an option; never from argv. */
export function secretFromEnv(io: CliIo, variable: string, option: string): string {
  const v = io.env[variable];
  if (v === undefined || v === "")
    throw new UsageError(`${option} ${variable}: the environment variable ${variable} is not set or empty`);
  return v;
}

/** One line for an error of any kind, without its stack. */
export function errorLine(err: unknown): string {
  if (err instanceof Error) {
    const first = err.message.split("\n").find((l) => l.trim() !== "") ?? err.name;
    return first.trim();
  }
  return String(err);
}
