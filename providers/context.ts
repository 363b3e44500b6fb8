/**
 * What every resource kind shares: the tenant context a provider method is given (the client, the
 * coalesced reads and listings, `onDelete`), the provider contract ({@link KindProvider}) and small
 * helpers. One file per kind lives in ./kinds/; ./kinds/index.ts lists them.
 */
import type { dynamic } from "@pulumi/pulumi";
import type { MailboxSmtpAuthState, PerUserMfaState } from "../m365/model.ts";
import { ApiError } from "../tenant/http.ts";
import { PermissionError, type CasMailbox, type TenantApi } from "../tenant/api.ts";
import { isNotFound } from "../tenant/exchange-reads.ts";
import { createCoalescer, createSnapshot, type Coalescer, type Snapshot } from "./coalesce.ts";
import { createReadBack, type ReadBack, type ReadBackOptions } from "./read-back.ts";
import { memoryJournal, type PriorJournal, type PriorValue } from "./journal.ts";

export interface ProviderContext {
  api: TenantApi;
  onDelete: "restore" | "leave";
  /** Coalesced single-mailbox reads (answered from the mailbox listing when many are asked at once). */
  mailboxes: Coalescer<string, CasMailbox>;
  /** Every mailbox, from one paged Get-CASMailbox listing shared for {@link LISTING_MAX_AGE_MS}. */
  mailboxListing: Snapshot<Map<string, CasMailbox>>;
  /** Coalesced per-user MFA reads (Graph $batch of 20). */
  mfa: Coalescer<string, PerUserMfaState>;
  /** Every user principal name (lower case), from one paged Graph users listing; for check only. */
  userDirectory: Snapshot<Set<string>>;
  /** Records a mailbox value this process just wrote, so later reads from a kept listing see it. */
  wroteMailbox(mailbox: string, state: MailboxSmtpAuthState): void;
  /** Read-back confirmation of mailbox writes and the journal that keeps lagging replicas from showing false drift. */
  readBack: ReadBack;
  /** The write-ahead journal of prior values (journal.ts); see {@link adopt} and {@link restorable}. */
  journal: PriorJournal;
}

/** Above this many mailboxes in one window, one paged listing is cheaper than one call each. */
const BULK_MAILBOX_THRESHOLD = 50;

/**
 * How long a listing may answer reads after it started. A refresh of thousands of resources reads
 * them all within seconds: one listing serves the lot, and a value is at most this old (plus the
 * listing's own duration) when it is reported. Our own writes are applied to the kept listing.
 */
export const LISTING_MAX_AGE_MS = 30_000;

/** Existence checks (check) tolerate an older directory: users and mailboxes rarely come and go. */
export const DIRECTORY_MAX_AGE_MS = 300_000;

/**
 * `readBackOptions` tune the read-back of mailbox writes (read-back.ts); `journal` defaults to one
 * held in memory (unit tests), the provider process passes the file journal (journal.ts).
 */
export function createProviderContext(
  api: TenantApi,
  onDelete: "restore" | "leave",
  readBackOptions: ReadBackOptions = {},
  journal: PriorJournal = memoryJournal(),
): ProviderContext {
  const mailboxListing = createSnapshot(
    async () => new Map((await api.listCasMailboxes(false)).map((m) => [m.mailbox, m])),
    LISTING_MAX_AGE_MS,
  );
  // Reads may trickle in a few per window (the engine starts them as its workers free up): count them
  // all, so that a command reading many mailboxes lists them once instead of reading them one by one.
  let mailboxesAsked = 0;
  return {
    api,
    onDelete,
    journal,
    mailboxListing,
    mailboxes: createCoalescer(async (keys) => {
      const found = new Map<string, CasMailbox>();
      mailboxesAsked += keys.length;
      // Once a listing is kept, small windows are answered from it too.
      if (mailboxesAsked > BULK_MAILBOX_THRESHOLD || mailboxListing.fresh()) {
        const all = await mailboxListing.get();
        for (const key of keys) {
          const m = all.get(key);
          if (m) found.set(key, m);
        }
        return found;
      }
      await Promise.all(
        keys.map(async (key) => {
          try {
            found.set(key, await api.getCasMailbox(key));
          } catch (err) {
            if (!isNotFound(err)) throw err;
          }
        }),
      );
      return found;
    }),
    mfa: createCoalescer((keys) => api.getPerUserMfaMany(keys)),
    userDirectory: createSnapshot(
      async () => new Set((await api.listUserPrincipalNames()).map((u) => u.toLowerCase())),
      DIRECTORY_MAX_AGE_MS,
    ),
    wroteMailbox(mailbox, state) {
      mailboxListing.patch((all) => {
        if (all.has(mailbox)) all.set(mailbox, { mailbox, state });
      });
    },
    // Fresh reads, never the kept listing: a read-back must see what Exchange answers now.
    readBack: createReadBack(
      {
        one: async (mailbox) => {
          try {
            return (await api.getCasMailbox(mailbox)).state;
          } catch (err) {
            if (isNotFound(err)) return undefined;
            throw err;
          }
        },
        all: async () => new Map((await api.listCasMailboxes(false)).map((m) => [m.mailbox, m.state])),
      },
      readBackOptions,
    ),
  };
}

/**
 * Whether Exchange has the mailbox, for check. The engine calls check once per resource, one after
 * another, so a call per resource would cost a round trip each: the answer comes from the shared
 * listing instead (ceil(mailboxes / 1,000) calls per command).
 */
export async function mailboxExists(ctx: ProviderContext, mailbox: string): Promise<boolean> {
  return (await ctx.mailboxListing.get()).has(mailbox);
}

/** Whether Graph has the user, for check: from the users listing, or (without User.Read.All) one MFA read. */
export async function userExists(ctx: ProviderContext, user: string): Promise<boolean> {
  try {
    return (await ctx.userDirectory.get()).has(user);
  } catch (err) {
    if (!(err instanceof PermissionError)) throw err;
    return (await ctx.mfa.load(user)) !== undefined;
  }
}

/**
 * Sets a mailbox's SMTP AUTH switch (replacing `replaced`), records the write in the kept listing and
 * waits for its read-back confirmation (bounded, batched with the other writes; see read-back.ts).
 * Throws when the write fails — including an error inside a 200 — so nothing unapplied is recorded.
 */
export async function setMailbox(
  ctx: ProviderContext,
  mailbox: string,
  state: MailboxSmtpAuthState,
  replaced: MailboxSmtpAuthState,
): Promise<void> {
  await ctx.api.setCasMailbox(mailbox, state);
  ctx.wroteMailbox(mailbox, state);
  await ctx.readBack.confirm(mailbox, state, replaced);
}

/**
 * The adopt step of every create, write-ahead (issue 17.1). The prior is the one a killed run
 * journaled for `kind`/`id` if there is one (the tenant may show that run's write now), else
 * `current`. When `write` is given, the prior is on disk before it runs; if journaling fails the
 * write does not happen and the error propagates (nothing changed, nothing recorded).
 */
export async function adopt<T extends PriorValue>(
  ctx: ProviderContext,
  kind: string,
  id: string,
  current: T,
  write?: () => Promise<void>,
): Promise<T> {
  const prior = (ctx.journal.get(kind, id) as T | undefined) ?? current;
  if (write) {
    await ctx.journal.record(kind, id, prior);
    await write();
  }
  return prior;
}

/**
 * The value delete restores for `kind`/`id`: the journaled prior when there is one (the tenant's
 * original value, never a killed run's), else the one in the state.
 */
export function restorable<T extends PriorValue>(ctx: ProviderContext, kind: string, id: string, recorded: T): T {
  return (ctx.journal.get(kind, id) as T | undefined) ?? recorded;
}

/** The checkpoint holds the prior of `kind`/`id` (read, update and delete were given it): forget it. */
export function settled(ctx: ProviderContext, kind: string, id: string): Promise<void> {
  return ctx.journal.drop(kind, id);
}

export type Failure = dynamic.CheckFailure;

/**
 * The provider contract, the same for every kind. The engine calls each method once per resource,
 * concurrently; `ctx` carries the tenant connection built from stack config in `configure`.
 *
 * Every method may assume: `ctx` is configured (credentials come from stack config, never from
 * inputs or state); inputs passed `check`. Every method must never: put a credential, token or
 * secret in inputs, outputs or an error message; turn a failed read into "absent" or into drift.
 */
export interface KindProvider<I, O> {
  /**
   * Normalises `news` (lower-case addresses, sorted lists) and returns one failure per bad property,
   * naming it. May read the tenant to say that a mailbox or user does not exist (from the shared
   * listings, never one call per resource), but only for an item the state does not already hold
   * (`olds` names another or none): for one it holds, refresh's `read` is what notices it is gone, and
   * the engine calls check one resource after another, so a drift check of a few declared items
   * would otherwise wait for listings of the whole tenant (issue 15.5's 10,000-user drift check).
   * Must not write.
   */
  check(ctx: ProviderContext, olds: Partial<O>, news: I): Promise<{ inputs: I; failures: Failure[] }>;
  /**
   * Pure: which properties changed and which force a replacement, stated explicitly (never unknown).
   * Bookkeeping properties (owner, ticket, expiry, reason) change without an API call.
   */
  diff(olds: O, news: I): dynamic.DiffResult;
  /**
   * Adopts: reads the current value, records it as `prior` (or the prior a killed run journaled,
   * see {@link adopt}), journals it, then sets the declared one only when it differs.
   * Transactional: if it throws, nothing was recorded, so the write must come last.
   */
  create(ctx: ProviderContext, inputs: I): Promise<{ id: string; outs: O }>;
  /**
   * Reports what the tenant has, as props and as inputs (so a refresh shows drift and nothing else).
   * An object that is gone returns id "" (deleted). A read that fails throws.
   */
  read(ctx: ProviderContext, id: string, props: O): Promise<{ id: string; props: O; inputs: I }>;
  /** Sets the declared value when it differs; keeps `prior` from the first create. */
  update(ctx: ProviderContext, id: string, olds: O, news: I): Promise<{ outs: O }>;
  /**
   * Puts `prior` back (the journaled one when there is one, see {@link restorable}) when stack
   * config `onDelete` is `restore` (the default); does nothing with `leave`. Removes only objects
   * this stack added; an object already gone is success.
   */
  delete(ctx: ProviderContext, id: string, props: O): Promise<void>;
}

/** Properties whose change needs an API call; the rest (owner, ticket, reason…) are bookkeeping. */
export function diffProps<T extends object>(olds: T, news: T, keys: (keyof T)[]): dynamic.DiffResult {
  const changed = keys.filter((k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null));
  return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false, stables: [] };
}

/** Outputs minus the recorded `prior`: what `read` reports as inputs. */
export function inputKeys<I extends object>(outs: I & { prior?: unknown }): I {
  const { prior: _prior, ...inputs } = outs;
  return inputs as I;
}

/** An application (client) id or object id. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The NOT_FOUND error a coalesced read raises when the listing or batch has no such object. */
export function notFound(method: string, url: string, message: string): ApiError {
  return new ApiError({ code: "NOT_FOUND", message, method, url, status: 404, attempts: 1 });
}
