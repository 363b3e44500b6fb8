/**
 * Fault injection, controllable per test: rules that answer 401 (a token refused after it was issued: an
 * expired or revoked token, or a claims challenge), 404 (an object not yet or no longer on the
 * replica that serves the call), 408/429/500/502/503/504, Exchange's
 * plain-text concurrency refusal, a regional redirect (307/302), 200 with an error in the body without
 * running the handler ("error-in-200", as Exchange's InvokeCommand does for some failed cmdlets), reset
 * the connection, or never answer (timeout), or let the handler answer and break its body on the wire
 * after the headers (cut-body: half the body, then the connection closes; stall-body: half the body,
 * then nothing), or answer 200 with what is not the API's JSON (html-200: a proxy's page; empty-200;
 * no-value-200: a JSON object without `value` or `id`), or answer a token request with an AADSTS error
 * (aadsts: the transient codes Entra's reference lists, or a credential refusal), or answer in the legacy
 * `{"odata.error":{code, message:{lang, value}}}` envelope of Azure AD Graph (legacy-error), at a rate, optionally only for requests matching a
 * pattern and only a number of times. Deterministic: a seeded PRNG decides rates below 1. The answers
 * themselves: fault-responses.ts.
 */
import { seededRandom } from "../store/ids.ts";

export const FAULT_KINDS = [
  "401",
  "404",
  "408",
  "429",
  "500",
  "502",
  "503",
  "504",
  "concurrency",
  "redirect",
  "reset",
  "timeout",
  "error-in-200",
  "cut-body",
  "stall-body",
  "html-200",
  "empty-200",
  "no-value-200",
  "aadsts",
  "legacy-error",
] as const;

/** Kinds answered 200 by something in front of the API (a gateway or a TLS-inspecting proxy), not by it. */
export const ODD_200_KINDS: readonly FaultKind[] = ["html-200", "empty-200", "no-value-200"];

/** Kinds answered by the handler and then broken on the wire (the status and headers go out, half the body does). */
export const BODY_FAULT_KINDS: readonly FaultKind[] = ["cut-body", "stall-body"];

export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * Which error an "error-in-200" answer carries: `transient` (ADTransientException "... transient
 * directory error. Please try again.", the default), `throttled` (a throttling refusal), `not-found`
 * (ManagementObjectNotFoundException) or `failed` (a permanent failure: trying again cannot help).
 */
export const ERROR_IN_200_REASONS = ["transient", "throttled", "not-found", "failed"] as const;
export type ErrorIn200Reason = (typeof ERROR_IN_200_REASONS)[number];

/** Where an "error-in-200" answer puts the error (ScubaGear checks `error`/`@odata.error`; the EXO module `@adminapi.errors`). */
export const ERROR_IN_200_SHAPES = ["error", "odata.error", "adminapi.errors"] as const;
export type ErrorIn200Shape = (typeof ERROR_IN_200_SHAPES)[number];

export interface FaultRuleInput {
  kind: FaultKind;
  /** Probability per matching request, 0..1; default 1. */
  rate?: number;
  /**
   * Case-insensitive regular expression tested against the endpoint name (e.g. "GET /v1.0/users",
   * "InvokeCommand Set-CASMailbox") and against "METHOD /path"; absent matches every API request.
   */
  match?: string;
  /** Fire at most this many times; absent means unlimited. */
  times?: number;
  /**
   * Retry-After for 429/503/concurrency: seconds (fractional allowed, sent as written, e.g. 2.128) or
   * a string sent verbatim (an HTTP date); default 1 for 429, none otherwise.
   */
  retryAfter?: number | string;
  /** Send the fault's headers in lower case (Graph $batch items may carry `retry-after`). */
  lowercaseHeaders?: boolean;
  /** "request" (default): top-level requests; "batchItem": requests inside a Graph $batch instead. */
  scope?: "request" | "batchItem";
  /**
   * HTTP status: the concurrency refusal's (default 400, a guess: not 429), the redirect's (307 or 302) or
   * the legacy-error's (default 500).
   */
  status?: number;
  /** Redirect target base URL; default the sandbox's regional listener. The request's path and query are kept. */
  location?: string;
  /**
   * "error-in-200": where the error goes; default "error". "concurrency": `error` puts the refusal's
   * text in `error.details[0].message` of Exchange's JSON envelope instead of a plain-text body.
   */
  shape?: ErrorIn200Shape;
  /** "error-in-200" only: which error; default "transient". */
  reason?: ErrorIn200Reason;
  /**
   * "401" only: the claims (a JSON text) of a Graph claims challenge, sent base64 in WWW-Authenticate with
   * `error="insufficient_claims"`; without it Graph answers its expired-token 401 and Exchange its own.
   */
  claims?: string;
  /** "aadsts" only (token requests): which AADSTS answer, one of FAULT_AADSTS_CODES; default 90024. */
  aadsts?: number;
}

/** The AADSTS numbers an "aadsts" fault can answer (sandbox/errors/token.ts FAULT_AADSTS). */
export const FAULT_AADSTS_CODES = [90024, 90033, 90006, 50087, 7000215, 700016, 700027] as const;

export interface FaultRule extends FaultRuleInput {
  id: string;
  /** How many times this rule fired. */
  hits: number;
}

export class FaultInjector {
  #rules: FaultRule[] = [];
  #next = 1;
  #random: () => number;

  constructor(seed = 1) {
    this.#random = seededRandom(seed);
  }

  /** Adds a rule; returns it (with its id, for removal). Throws on an invalid rule. */
  add(input: FaultRuleInput): FaultRule {
    if (!(FAULT_KINDS as readonly string[]).includes(input.kind))
      throw new Error(`[kind] must be one of ${FAULT_KINDS.join(", ")}`);
    if (input.retryAfter !== undefined && !["number", "string"].includes(typeof input.retryAfter))
      throw new Error(`[retryAfter] must be a number of seconds or a string`);
    if (input.scope !== undefined && input.scope !== "request" && input.scope !== "batchItem")
      throw new Error(`[scope] must be request or batchItem`);
    if (
      input.scope === "batchItem" &&
      ["reset", "timeout", "redirect", "error-in-200", ...BODY_FAULT_KINDS, ...ODD_200_KINDS].includes(input.kind)
    )
      throw new Error(`[scope] batchItem takes a fault with an answer, not ${input.kind}`);
    if (input.kind === "redirect" && input.status !== undefined && ![301, 302, 303, 307, 308].includes(input.status))
      throw new Error(`[status] of a redirect must be 301, 302, 303, 307 or 308`);
    if (input.status !== undefined && !(Number.isInteger(input.status) && input.status >= 300 && input.status <= 599))
      throw new Error(`[status] must be an HTTP status between 300 and 599`);
    if (input.location !== undefined && !/^https:\/\//.test(input.location))
      throw new Error(`[location] must be an https URL`);
    if (input.shape !== undefined && !(ERROR_IN_200_SHAPES as readonly string[]).includes(input.shape))
      throw new Error(`[shape] must be one of ${ERROR_IN_200_SHAPES.join(", ")}`);
    if (
      input.shape !== undefined &&
      input.kind !== "error-in-200" &&
      !(input.kind === "concurrency" && input.shape === "error")
    )
      throw new Error(`[shape] applies to error-in-200, and shape error to concurrency`);
    if (input.reason !== undefined && !(ERROR_IN_200_REASONS as readonly string[]).includes(input.reason))
      throw new Error(`[reason] must be one of ${ERROR_IN_200_REASONS.join(", ")}`);
    if (input.aadsts !== undefined && !(FAULT_AADSTS_CODES as readonly number[]).includes(input.aadsts))
      throw new Error(`[aadsts] must be one of ${FAULT_AADSTS_CODES.join(", ")}`);
    if (input.claims !== undefined) {
      if (input.kind !== "401") throw new Error(`[claims] applies to a 401 fault`);
      try {
        JSON.parse(input.claims);
      } catch {
        throw new Error(`[claims] must be a JSON text`);
      }
    }
    if (input.rate !== undefined && !(input.rate >= 0 && input.rate <= 1))
      throw new Error(`[rate] must be between 0 and 1`);
    if (input.match !== undefined) new RegExp(input.match, "i");
    const rule: FaultRule = { ...input, id: `fault-${this.#next++}`, hits: 0 };
    this.#rules.push(rule);
    return rule;
  }

  remove(id: string): void {
    this.#rules = this.#rules.filter((r) => r.id !== id);
  }

  clear(): void {
    this.#rules = [];
  }

  list(): readonly FaultRule[] {
    return this.#rules;
  }

  /** Replaces the PRNG seed (reproducible random faults). */
  reseed(seed: number): void {
    this.#random = seededRandom(seed);
  }

  /** The first rule that fires for this request (or $batch item), counting the hit; null when none does. */
  pick(endpoint: string, methodAndPath: string, scope: "request" | "batchItem" = "request"): FaultRule | null {
    for (const r of this.#rules) {
      if ((r.scope ?? "request") !== scope) continue;
      if (r.times !== undefined && r.hits >= r.times) continue;
      if (r.match !== undefined) {
        const re = new RegExp(r.match, "i");
        if (!re.test(endpoint) && !re.test(methodAndPath)) continue;
      }
      if ((r.rate ?? 1) < 1 && this.#random() >= (r.rate ?? 1)) continue;
      r.hits++;
      return r;
    }
    return null;
  }
}
