/**
 * Coalesces single-key reads made at about the same time into one bulk call. The engine calls a
 * provider once per resource, concurrently; with thousands of mailboxes that would be thousands of
 * requests, where Exchange returns 1,000 mailboxes a page and Graph $batch takes 20 requests.
 *
 * A coalescer caches nothing beyond one window. Snapshots (below) are shared listings with a stated
 * maximum age, for reads that may be answered by a listing made moments earlier.
 */
export type BulkLoad<K, V> = (keys: K[]) => Promise<Map<K, V>>;

export interface Coalescer<K, V> {
  /** Resolves with the key's value, or undefined when the bulk call did not return the key. */
  load(key: K): Promise<V | undefined>;
}

export function createCoalescer<K, V>(bulk: BulkLoad<K, V>, windowMs = 5): Coalescer<K, V> {
  let pending: Map<K, { resolve: (v: V | undefined) => void; reject: (e: unknown) => void }[]> | undefined;

  function flush(batch: NonNullable<typeof pending>) {
    bulk([...batch.keys()]).then(
      (values) => {
        for (const [key, waiters] of batch) for (const w of waiters) w.resolve(values.get(key));
      },
      (error: unknown) => {
        for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
      },
    );
  }

  return {
    load(key) {
      return new Promise((resolve, reject) => {
        if (!pending) {
          const batch = new Map<K, { resolve: (v: V | undefined) => void; reject: (e: unknown) => void }[]>();
          pending = batch;
          setTimeout(() => {
            pending = undefined;
            flush(batch);
          }, windowMs);
        }
        const waiters = pending.get(key) ?? [];
        waiters.push({ resolve, reject });
        pending.set(key, waiters);
      });
    },
  };
}

/**
 * One bulk read (a paged listing) shared by everyone who asks for it within `maxAgeMs` of its start,
 * including those who ask while it is still being fetched. Age counts from the start of the load,
 * so an answer is never older than `maxAgeMs` plus the load's own duration. A failed load is not
 * kept: every waiter gets the error and the next `get` loads again.
 */
export interface Snapshot<T> {
  get(): Promise<T>;
  /** True while a load is in flight or the last one started less than `maxAgeMs` ago. */
  fresh(): boolean;
  /** Applies our own write to the kept value (now, or when the load in flight resolves); no-op when none is kept. */
  patch(change: (value: T) => void): void;
}

export function createSnapshot<T>(load: () => Promise<T>, maxAgeMs: number, now: () => number = Date.now): Snapshot<T> {
  let current: { promise: Promise<T>; startedAt: number } | undefined;
  const fresh = () => current !== undefined && now() - current.startedAt < maxAgeMs;
  return {
    fresh,
    get() {
      if (current && fresh()) return current.promise;
      const entry: { promise: Promise<T>; startedAt: number } = { promise: load(), startedAt: now() };
      current = entry;
      entry.promise.catch(() => {
        if (current === entry) current = undefined;
      });
      return entry.promise;
    },
    patch(change) {
      if (!current) return;
      const entry = current;
      entry.promise = entry.promise.then((value) => {
        change(value);
        return value;
      });
      entry.promise.catch(() => undefined);
    },
  };
}
