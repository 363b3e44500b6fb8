/**
 * Exchange Online answers reads from replicas that lag writes by seconds to minutes (CISA ScubaGear saw
 * 6+ minutes in GCC and waits 60–90 s after every write; fidelity review finding 9). Two parts:
 *
 * 1. Read-back confirmation: every mailbox write is confirmed by reading it back, batched — the writes
 *    made within a short window are read together (one paged listing above
 *    {@link ReadBackOptions.bulkThreshold}, single reads below), on a bounded schedule, never one poll
 *    loop per item. A write still unseen when the schedule ends is not an error (the replica may lag
 *    longer); it goes into the journal.
 * 2. A small write journal (in memory, or a JSON file under `.state/` shared by the provider processes
 *    of later commands): an unconfirmed write of ours, for {@link ReadBackOptions.trustMs} after it was
 *    made, overrides a read that still shows the value it replaced. So `preview --refresh` right after
 *    `up` reports no false drift. A read showing our value confirms the write and drops the entry; a
 *    read showing a third value is real drift and is reported. What this gives up: if someone puts the
 *    old value back by hand within the window, before any read has shown ours, that drift is reported
 *    only once the window has passed.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { MailboxSmtpAuthState } from "../m365/model.ts";

/** One unconfirmed write: the value we set, the value it replaced, when. */
export interface JournalEntry {
  state: MailboxSmtpAuthState;
  prior: MailboxSmtpAuthState;
  at: number;
}

export interface ReadBackOptions {
  /** How long an unconfirmed write of ours outranks a read showing the value it replaced. Default 10 min. */
  trustMs?: number;
  /** Delay before each read-back round (the first also gathers the writes of one window). Default 0.5, 2, 4, 4 s: about 10 s at most. */
  schedule?: readonly number[];
  /** Above this many writes in a round, one listing instead of single reads. Default 50. */
  bulkThreshold?: number;
  /** File for the journal (JSON); absent keeps it in memory (tests, one process). */
  file?: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** What the read-back needs from the tenant: fresh reads, never a kept listing. */
export interface FreshReads {
  one(mailbox: string): Promise<MailboxSmtpAuthState | undefined>;
  all(): Promise<Map<string, MailboxSmtpAuthState>>;
}

export interface ReadBack {
  /** Resolves once the write is seen, or once the schedule ends (then it is journalled). Never rejects for lag. */
  confirm(mailbox: string, state: MailboxSmtpAuthState, prior: MailboxSmtpAuthState): Promise<void>;
  /** The value to report for a read: ours while an unconfirmed write of ours is being lagged, else the read. */
  reconcile(mailbox: string, read: MailboxSmtpAuthState): MailboxSmtpAuthState;
  /** Unconfirmed writes (for tests and diagnostics). */
  pending(): ReadonlyMap<string, JournalEntry>;
}

const DEFAULT_TRUST_MS = 10 * 60_000;
const DEFAULT_SCHEDULE = [500, 2_000, 4_000, 4_000] as const;

function loadJournal(file: string | undefined): Map<string, JournalEntry> {
  if (!file || !existsSync(file)) return new Map();
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(file, "utf8")) as Record<string, JournalEntry>));
  } catch {
    // A damaged journal only costs the lag protection, never correctness: start empty.
    return new Map();
  }
}

export function createReadBack(reads: FreshReads, opts: ReadBackOptions = {}): ReadBack {
  const trustMs = opts.trustMs ?? DEFAULT_TRUST_MS;
  const schedule = opts.schedule ?? DEFAULT_SCHEDULE;
  const bulk = opts.bulkThreshold ?? 50;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const journal = loadJournal(opts.file);
  let waiting: Map<string, { entry: JournalEntry; done: (() => void)[] }> | undefined;

  function persist(): void {
    if (!opts.file) return;
    for (const [k, e] of journal) if (now() - e.at >= trustMs) journal.delete(k);
    mkdirSync(dirname(opts.file), { recursive: true });
    const tmp = `${opts.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(journal)));
    renameSync(tmp, opts.file);
  }

  // Writes made by this process (a sequence number each), and the listing shared by read-back rounds:
  // a round may use a listing only if it started after the round's last write. At most one listing is
  // in flight: while one runs, rounds needing a later one share the next, which starts when it ends.
  // (Writes trickle in for minutes in a 1,000-write apply; a listing per round meant hundreds of
  // 10,000-mailbox listings competing with the writes themselves.)
  type Listing = { afterWrite: number; values: Promise<Map<string, MailboxSmtpAuthState>>; done: boolean };
  let writes = 0;
  let listing: Listing | undefined;
  let queued: Promise<Map<string, MailboxSmtpAuthState>> | undefined;
  function startListing(): Listing {
    const entry: Listing = { afterWrite: writes, values: reads.all(), done: false };
    listing = entry;
    entry.values.then(
      () => (entry.done = true),
      () => {
        entry.done = true;
        if (listing === entry) listing = undefined;
      },
    );
    return entry;
  }
  function listingAfter(write: number): Promise<Map<string, MailboxSmtpAuthState>> {
    if (listing && listing.afterWrite >= write) return listing.values;
    if (!listing || listing.done) return startListing().values;
    // One is in flight but started before this write: share the one that starts when it ends.
    const running = listing.values;
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return startListing().values;
      });
    return queued;
  }

  // Reads confirm entries one by one (a refresh reads thousands): write the file once per burst.
  let persistQueued = false;
  function persistSoon(): void {
    if (persistQueued) return;
    persistQueued = true;
    queueMicrotask(() => {
      persistQueued = false;
      persist();
    });
  }

  async function readRound(keys: string[], lastWrite: number): Promise<Map<string, MailboxSmtpAuthState | undefined>> {
    // Many writes in this process (they trickle in a few per window): one shared listing serves them all.
    if (keys.length > bulk || writes > bulk) {
      const all = await listingAfter(lastWrite);
      return new Map(keys.map((k) => [k, all.get(k)]));
    }
    return new Map(await Promise.all(keys.map(async (k) => [k, await reads.one(k)] as const)));
  }

  async function run(batch: NonNullable<typeof waiting>, lastWrite: number): Promise<void> {
    const open = new Map(batch);
    for (let i = 0; i < schedule.length && open.size > 0; i++) {
      // schedule[0] was the gathering window (in confirm); later entries wait between rounds.
      if (i > 0) await sleep(schedule[i]!);
      let seen: Map<string, MailboxSmtpAuthState | undefined>;
      try {
        seen = await readRound([...open.keys()], lastWrite);
      } catch {
        // A failed read-back is not a failed write: the entries stay unconfirmed and are journalled.
        break;
      }
      for (const [k, w] of open) {
        if (seen.get(k) !== w.entry.state) continue;
        journal.delete(k);
        open.delete(k);
        for (const d of w.done) d();
      }
    }
    if (open.size === 0) return;
    for (const [k, w] of open) journal.set(k, w.entry);
    persist();
    for (const w of open.values()) for (const d of w.done) d();
  }

  return {
    confirm(mailbox, state, prior) {
      return new Promise<void>((resolve) => {
        if (!waiting) {
          const batch = new Map<string, { entry: JournalEntry; done: (() => void)[] }>();
          waiting = batch;
          void sleep(schedule[0] ?? 0).then(() => {
            waiting = undefined;
            return run(batch, writes);
          });
        }
        writes++;
        const inBatch = waiting.get(mailbox);
        // A write over an unconfirmed one: the replica still shows the value from before the first.
        const shown = inBatch?.entry.prior ?? journal.get(mailbox)?.prior ?? prior;
        const done = inBatch?.done ?? [];
        done.push(resolve);
        waiting.set(mailbox, { entry: { state, prior: shown, at: now() }, done });
      });
    },
    reconcile(mailbox, read) {
      const e = journal.get(mailbox);
      if (!e) return read;
      // The replica still shows the value our write replaced, within the window: report our write.
      if (read === e.prior && read !== e.state && now() - e.at < trustMs) return e.state;
      // Our value seen (confirmed), a third value (real drift), or the window passed: the read stands.
      journal.delete(mailbox);
      persistSoon();
      return read;
    },
    pending: () => journal,
  };
}
