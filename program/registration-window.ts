/**
 * Declares resources with a bounded number of registrations in flight.
 *
 * Why: the Node.js SDK holds each pending registration (its serialized inputs, a dozen promises and
 * its gRPC call) until the engine answers, and the engine handles registrations one at a time. A
 * program that declared 20,000 resources in one loop peaked at 2.9 GB, and the CLI at 1.3 GB
 * holding the queue on its side (bench/README.md, "Memory"). Waiting for the oldest registrations to
 * be answered keeps that queue short; it stays longer than the engine's step parallelism
 * (PULUMI_PARALLEL), so the engine is never left waiting on the program.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Registrations in flight at most: above PULUMI_PARALLEL (256), below the size where memory grows. */
export const REGISTRATION_WINDOW = 500;

export class RegistrationWindow {
  #inFlight = 0;
  readonly #waiting: (() => void)[] = [];
  readonly limit: number;

  constructor(limit: number = REGISTRATION_WINDOW) {
    this.limit = limit;
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`registration window must be ≥ 1, got ${limit}`);
  }

  /** Registrations declared and not yet answered by the engine. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Waits for a free slot, then declares the resource. The slot is freed when the engine answers the
   * registration (its URN resolves). A registration the engine refuses fails the whole program, so
   * its slot need not be freed.
   */
  async declare<R extends pulumi.Resource>(declareResource: () => R): Promise<R> {
    while (this.#inFlight >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#inFlight++;
    const resource = declareResource();
    resource.urn.apply(() => {
      this.#inFlight--;
      this.#waiting.shift()?.();
    });
    return resource;
  }
}
