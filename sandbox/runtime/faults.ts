/**
 * Fault injection, controllable per test: rules that answer 429/503/504, reset the connection, never
 * answer (timeout), or answer 200 with an error in the body without running the handler
 * ("error-in-200", as Exchange's InvokeCommand does for some failed cmdlets), at a rate, optionally only for requests matching a pattern and only a
 * number of times. Deterministic: a seeded PRNG decides rates below 1.
 */
import { seededRandom } from "../store/ids.ts";

export const FAULT_KINDS = ["429", "503", "504", "reset", "timeout", "error-in-200"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

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
  /** Retry-After seconds for 429/503; default 1 for 429, none for 503. */
  retryAfter?: number;
  /** "error-in-200" only: where the error goes; default "error". */
  shape?: ErrorIn200Shape;
}

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
    if (input.shape !== undefined && !(ERROR_IN_200_SHAPES as readonly string[]).includes(input.shape))
      throw new Error(`[shape] must be one of ${ERROR_IN_200_SHAPES.join(", ")}`);
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

  /** The first rule that fires for this request, counting the hit; null when none does. */
  pick(endpoint: string, methodAndPath: string): FaultRule | null {
    for (const r of this.#rules) {
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
