/**
 * Coalesces single-key reads made at about the same time into one bulk call. The engine calls a
 * provider once per resource, concurrently; with thousands of mailboxes that would be thousands of
 * requests, where Exchange returns 1,000 mailboxes a page and Graph $batch takes 20 requests.
 *
 * Nothing is cached beyond one window: every load sees the tenant as it is now.
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
