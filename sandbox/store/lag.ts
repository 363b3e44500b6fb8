/**
 * Replica lag for Exchange reads: the store is strongly consistent, Exchange Online is not. When lag
 * is on, a write records the value it replaced; a read within the lag window after the write returns
 * that older value — for a burst of writes, the value from before the first one, until the window after
 * the last one has passed (a replica that has seen none of them).
 */
export class ReplicaLag {
  readonly #old = new Map<string, { value: unknown; at: number }>();
  readonly #seconds: () => number;
  readonly #now: () => number;

  constructor(seconds: () => number, now: () => number) {
    this.#seconds = seconds;
    this.#now = now;
  }

  /** Records that `key` is being changed from `previous`; a no-op while lag is 0. */
  wrote(key: string, previous: unknown): void {
    if (this.#seconds() <= 0) return;
    const kept = this.#old.get(key);
    const value = kept && this.#now() - kept.at < this.#seconds() * 1000 ? kept.value : previous;
    this.#old.set(key, { value, at: this.#now() });
  }

  /** What a replica shows for `key` now: the recorded older value within the window, else `current`. */
  read<T>(key: string, current: T): T {
    const kept = this.#old.get(key);
    if (!kept) return current;
    if (this.#now() - kept.at < this.#seconds() * 1000) return kept.value as T;
    this.#old.delete(key);
    return current;
  }

  clear(): void {
    this.#old.clear();
  }
}
