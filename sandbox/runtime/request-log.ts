/**
 * The request log: one entry per API request (and per $batch item), with counts per endpoint
 * (method + normalised path, or "InvokeCommand <cmdlet>") for tests and benchmarks.
 */
export interface RequestLogEntry {
  time: string;
  requestId: string;
  api: "token" | "graph" | "exchange";
  /** Normalised endpoint, e.g. "GET /v1.0/users/{id}", "InvokeCommand Set-CASMailbox", "POST /{tenant}/oauth2/v2.0/token". */
  endpoint: string;
  method: string;
  path: string;
  status: number;
  appId: string | null;
  durationMs: number;
  /** The fault rule kind when one fired. */
  fault?: string;
  /** Set for requests executed inside a $batch: the batch item id. */
  batchItem?: string;
}

export class RequestLog {
  #entries: RequestLogEntry[] = [];
  readonly #max: number;

  constructor(max = 100_000) {
    this.#max = max;
  }

  add(e: RequestLogEntry): void {
    this.#entries.push(e);
    if (this.#entries.length > this.#max) this.#entries.splice(0, this.#entries.length - this.#max);
  }

  entries(): readonly RequestLogEntry[] {
    return this.#entries;
  }

  /** Requests per endpoint. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.#entries) out[e.endpoint] = (out[e.endpoint] ?? 0) + 1;
    return out;
  }

  /** How many requests hit `endpoint`. */
  count(endpoint: string): number {
    return this.#entries.filter((e) => e.endpoint === endpoint).length;
  }

  clear(): void {
    this.#entries = [];
  }
}
