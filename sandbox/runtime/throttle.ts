/**
 * Per-app token-bucket budgets modelled on the documented ones (sandbox/README.md lists them):
 * Graph identity & access: resource units per app+tenant per 10 s by tenant size (S <50 users 3,500,
 * M 50–500 5,000, L >500 8,000) and 3,000 writes per 150 s; Conditional Access: 1 request per second
 * per tenant, 429 without Retry-After; Exchange admin API: 10,000 requests per 600 s per app+tenant
 * (modelled on the Outlook REST limit; the real gateway's limit is undocumented). Optionally, a cap on
 * Exchange requests in flight per tenant, refused with Exchange's plain-text concurrency refusal (off
 * by default: Microsoft publishes no number; the last published Exchange Online PowerShell policy
 * allowed 9 concurrent connections per tenant).
 */

/** One budget: `capacity` units refilled evenly over `windowSeconds`. */
export interface BucketSpec {
  capacity: number;
  windowSeconds: number;
}

/** Budgets by name; any may be overridden (tests use tiny ones). */
export interface ThrottleBudgets {
  graphResourceUnits: BucketSpec;
  graphWrites: BucketSpec;
  conditionalAccess: BucketSpec;
  exchange: BucketSpec;
}

export type BudgetName = keyof ThrottleBudgets;

/** One charge against a budget: `key` is the app id, or the tenant id for tenant-wide budgets. */
export interface Charge {
  budget: BudgetName;
  key: string;
  cost: number;
  /** Graph's x-ms-throttle-scope value for a refusal. */
  scope: string;
}

/** A refusal: seconds to wait (null when the budget sends no Retry-After) and Graph's scope/information headers. */
export interface ThrottleRefusal {
  budget: BudgetName;
  retryAfter: number | null;
  scope: string;
  information: string;
}

/** Documented budgets for a tenant of `userCount` users. */
export function documentedBudgets(userCount: number): ThrottleBudgets {
  const ru = userCount < 50 ? 3500 : userCount <= 500 ? 5000 : 8000;
  return {
    graphResourceUnits: { capacity: ru, windowSeconds: 10 },
    graphWrites: { capacity: 3000, windowSeconds: 150 },
    conditionalAccess: { capacity: 1, windowSeconds: 1 },
    exchange: { capacity: 10000, windowSeconds: 600 },
  };
}

interface Bucket {
  tokens: number;
  updated: number;
}

export class Throttler {
  #budgets: ThrottleBudgets;
  #enabled: boolean;
  readonly #initial: { budgets: ThrottleBudgets; enabled: boolean };
  #buckets = new Map<string, Bucket>();
  readonly #now: () => number;
  #exchangeConcurrency: number | null = null;
  #inFlight = new Map<string, number>();

  constructor(budgets: ThrottleBudgets, enabled: boolean, now: () => number = Date.now) {
    this.#budgets = budgets;
    this.#enabled = enabled;
    this.#now = now;
    this.#initial = { budgets: structuredClone(budgets), enabled };
  }

  /** Back to the budgets and switch the sandbox started with; buckets start full. */
  restore(): void {
    this.#budgets = structuredClone(this.#initial.budgets);
    this.#enabled = this.#initial.enabled;
    this.#buckets.clear();
    this.#exchangeConcurrency = null;
  }

  /** Exchange requests in flight allowed per tenant; null when there is no cap. */
  get exchangeConcurrency(): number | null {
    return this.#exchangeConcurrency;
  }

  /**
   * Admits one Exchange request for tenant `key`: returns the function that ends it, or null when the
   * cap is reached (answer with the concurrency refusal). Without a cap every request is admitted.
   */
  admitExchange(key: string): (() => void) | null {
    const cap = this.#exchangeConcurrency;
    if (cap === null) return () => undefined;
    const active = this.#inFlight.get(key) ?? 0;
    if (active >= cap) return null;
    this.#inFlight.set(key, active + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#inFlight.set(key, (this.#inFlight.get(key) ?? 1) - 1);
    };
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  budgets(): ThrottleBudgets {
    return structuredClone(this.#budgets);
  }

  /**
   * Changes budgets, switches throttling on or off, and/or sets the per-tenant Exchange concurrency cap
   * (null: none); buckets start full again. Throws on a cap that is not a positive integer.
   */
  configure(opts: {
    enabled?: boolean;
    budgets?: Partial<ThrottleBudgets>;
    exchangeConcurrency?: number | null;
  }): void {
    if (opts.exchangeConcurrency !== undefined) {
      const cap = opts.exchangeConcurrency;
      if (cap !== null && !(Number.isInteger(cap) && cap > 0))
        throw new Error("[exchangeConcurrency] must be a positive integer or null");
      this.#exchangeConcurrency = cap;
    }
    if (opts.enabled !== undefined) this.#enabled = opts.enabled;
    if (opts.budgets) this.#budgets = { ...this.#budgets, ...opts.budgets };
    this.#buckets.clear();
  }

  /**
   * Takes `cost` units from each named budget for `key` (app id, or tenant id for tenant-wide
   * budgets). All-or-nothing: nothing is taken when any budget refuses.
   */
  take(charges: readonly Charge[]): ThrottleRefusal | null {
    if (!this.#enabled) return null;
    const now = this.#now();
    for (const c of charges) {
      const spec = this.#budgets[c.budget];
      const b = this.#bucket(c.budget, c.key, spec, now);
      if (b.tokens < c.cost) {
        const rate = spec.capacity / spec.windowSeconds;
        const wait = Math.max(1, Math.ceil((Math.min(c.cost, spec.capacity) - b.tokens) / rate));
        return {
          budget: c.budget,
          retryAfter: c.budget === "conditionalAccess" ? null : wait,
          scope: c.scope,
          information: c.budget === "graphWrites" ? "WriteLimitExceeded" : "ResourceUnitLimitExceeded",
        };
      }
    }
    for (const c of charges) this.#bucket(c.budget, c.key, this.#budgets[c.budget], now).tokens -= c.cost;
    return null;
  }

  #bucket(name: string, key: string, spec: BucketSpec, now: number): Bucket {
    const id = `${name}:${key}`;
    let b = this.#buckets.get(id);
    if (!b) {
      b = { tokens: spec.capacity, updated: now };
      this.#buckets.set(id, b);
    }
    const refill = ((now - b.updated) / 1000) * (spec.capacity / spec.windowSeconds);
    b.tokens = Math.min(spec.capacity, b.tokens + refill);
    b.updated = now;
    return b;
  }
}
