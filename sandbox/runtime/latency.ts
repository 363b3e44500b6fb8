/**
 * Per-API latency profiles. "none" for tests; "realistic" for demos and benchmarks, with figures
 * in the range real tenants show (token ~100 ms, Graph ~100–250 ms, Exchange cmdlets hundreds of ms,
 * Set-* slower than Get-*).
 */
export type LatencyProfile = "none" | "realistic";

type Range = readonly [number, number];

const REALISTIC: Record<string, Range> = {
  token: [60, 160],
  graph: [80, 250],
  "graph-write": [120, 350],
  "exchange-get": [250, 600],
  "exchange-set": [450, 1100],
};

export class Latency {
  #profile: LatencyProfile;
  #random: () => number;

  constructor(profile: LatencyProfile, random: () => number = Math.random) {
    this.#profile = profile;
    this.#random = random;
  }

  get profile(): LatencyProfile {
    return this.#profile;
  }

  set profile(p: LatencyProfile) {
    this.#profile = p;
  }

  /** Milliseconds to wait for a request of the given class ("token", "graph", "graph-write", "exchange-get", "exchange-set"). */
  delayFor(kind: string): number {
    if (this.#profile === "none") return 0;
    const [lo, hi] = REALISTIC[kind] ?? [0, 0];
    return Math.round(lo + (hi - lo) * this.#random());
  }
}

export function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((r) => setTimeout(r, ms));
}
