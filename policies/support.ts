/**
 * Helpers the policies share: reading props that may be unknown at preview, and calendar days.
 */
import * as policySdk from "@pulumi/policy";
import type { PolicyConfigSchema } from "@pulumi/policy";

/**
 * @pulumi/policy exports these at run time, but its proxy.d.ts is emitted without them (they are
 * marked @internal there), so they are typed here.
 */
const sdk = policySdk as unknown as {
  UnknownValueError: abstract new (...args: never[]) => Error;
  unknownCheckingProxy: <T extends object>(props: T) => T;
};

/** The error the engine's props proxy throws when a policy reads a value unknown at preview. */
export const UnknownValueError = sdk.UnknownValueError;

/**
 * Wraps props the way the engine does before handing them to a policy.
 * @internal exported for tests
 */
export const unknownCheckingProxy = sdk.unknownCheckingProxy;

/** Stands for a value the engine cannot know yet (during preview it depends on another resource's output). */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Unknown = typeof UNKNOWN;

/**
 * Runs `read` against the engine's unknown-checking props proxy and returns UNKNOWN instead of the
 * `UnknownValueError` the proxy throws for a value that is unknown at preview. Policies skip a
 * check whose input is UNKNOWN, so no policy blocks a preview over a value it cannot see yet (the
 * engine would otherwise report the error as a diagnostic of its own). Other errors propagate.
 */
export function known<T>(read: () => T): T | Unknown {
  try {
    return read();
  } catch (err) {
    if (err instanceof UnknownValueError) return UNKNOWN;
    throw err;
  }
}

/** True for a string with at least one non-blank character. */
export function nonEmpty(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/** The elements of a (possibly proxied) string array that are known strings; other elements are skipped. */
export function knownStrings(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const item = known(() => value[i] as unknown);
    if (typeof item === "string") out.push(item);
  }
  return out;
}

/** How a value appears in a message: strings quoted, anything else as JSON. */
export function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is a real calendar day written YYYY-MM-DD (so string order is date order). */
export function isDay(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const m = DAY.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * The day `months` calendar months after `day` (YYYY-MM-DD), clamped to the end of a shorter month:
 * 2026-01-31 plus one month is 2026-02-28. Throws when `day` is not a valid day.
 */
export function addMonths(day: string, months: number): string {
  if (!isDay(day)) throw new Error(`[day] not a YYYY-MM-DD date: ${show(day)}`);
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

/** Config every date-aware policy accepts: the day to judge expiries against. */
export interface TodayConfig {
  /** YYYY-MM-DD; unset means the current UTC day. Set it only to make a run reproducible. */
  today?: string;
}

/** The JSON schema of {@link TodayConfig.today}. */
export const TODAY_SCHEMA: PolicyConfigSchema["properties"][string] = {
  type: "string",
  pattern: "^\\d{4}-\\d{2}-\\d{2}$",
  description: "The day (YYYY-MM-DD) expiries are judged against; unset means the current UTC day.",
};

/**
 * The evaluation day: config `today` when set, else the current UTC day. Throws on a malformed
 * `today`, which is a pack configuration error rather than a violation.
 */
export function todayFrom(config: TodayConfig, now: Date = new Date()): string {
  if (config.today === undefined) return now.toISOString().slice(0, 10);
  if (!isDay(config.today)) throw new Error(`[today] policy config is not a YYYY-MM-DD date: ${show(config.today)}`);
  return config.today;
}
