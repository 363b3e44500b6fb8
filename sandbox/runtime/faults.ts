/**
 * Fault injection, controllable per test: rules that answer 429/503/504, reset the connection, or
 * never answer (timeout), at a rate, optionally only for requests matching a pattern and only a
 * number of times. Deterministic: a seeded PRNG decides rates below 1.
 */
import { seededRandom } from "../store/ids.ts";

export type FaultKind = "429" | "503" | "504" | "reset" | "timeout";

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
    if (!["429", "503", "504", "reset", "timeout"].includes(input.kind))
      throw new Error(`[kind] must be one of 429, 503, 504, reset, timeout`);
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
