/**
 * OtherUsersMfa (`mfa.others: enabled | enforced`, issue 15.5): per-user MFA for every user not
 * declared under `mfa.users`, as one resource. Reads are one users listing plus Graph $batch reads
 * (20 a request); writes are $batch PATCHes. Refresh lists the users that fall short (strays),
 * update raises them, delete puts back what each had.
 *
 * Every user in the directory listing counts (members, guests, disabled accounts): declare a user
 * under `mfa.users` to keep it out. Each raised user's prior is journaled before the write
 * (journal.ts), so a killed run loses none.
 */
import { mfaSatisfies } from "../../m365/gates.ts";
import { isOneOf } from "../../m365/model.ts";
import { diffProps, settled, type Failure, type KindProvider, type ProviderContext } from "../context.ts";
import type { OtherUsersMfaInputs, PerUserMfaState } from "../types.ts";

const KIND = "OtherUsersMfa";
const OTHER_USERS_MFA_STATES = ["enabled", "enforced"] as const;
const ID = "other-users-mfa";

export interface OtherUsersMfaOutputs extends OtherUsersMfaInputs {
  /** Users this resource raised, with the state each had, for delete to restore. */
  reset: { user: string; prior: PerUserMfaState }[];
}

type Reset = OtherUsersMfaOutputs["reset"];

/**
 * Undeclared users whose MFA does not satisfy `state`, with what they have. Throws, naming them, when
 * a listed user's MFA could not be read (Graph answered 404 twice): leaving it out would hide a stray.
 */
async function findStrays(ctx: ProviderContext, inputs: OtherUsersMfaInputs): Promise<Map<string, PerUserMfaState>> {
  const keep = new Set(inputs.declared);
  const users = (await ctx.api.listUserPrincipalNames()).map((u) => u.toLowerCase()).filter((u) => !keep.has(u));
  const states = await ctx.api.getPerUserMfaMany(users);
  const unread = users.filter((u) => !states.has(u));
  if (unread.length > 0) {
    const named = unread.slice(0, 10).join(", ") + (unread.length > 10 ? ` and ${unread.length - 10} more` : "");
    throw new Error(
      `Graph listed ${unread.length === 1 ? "a user" : `${unread.length} users`} whose per-user MFA it then ` +
        `answered 404 for twice (a user created, renamed or deleted during the run): ${named}; run again`,
    );
  }
  return new Map([...states].filter(([, actual]) => !mfaSatisfies(inputs.state, actual)));
}

/**
 * Raises every stray to `state`: each one's prior is journaled first (one group commit), then one
 * $batch write. Returns what was raised plus what a killed run had raised (journaled, no longer a
 * stray), minus the users `known` already records; and, as `missed`, the strays whose write Graph
 * answered 404 (a user listed a moment ago and not yet, or no longer, on the replica that took the
 * write): they were not raised, so they stay strays and their journal entry is dropped.
 */
async function raise(
  ctx: ProviderContext,
  state: OtherUsersMfaInputs["state"],
  strays: Map<string, PerUserMfaState>,
  known: Reset = [],
): Promise<{ reset: Reset; missed: string[] }> {
  const recorded = new Set(known.map((r) => r.user));
  const journaled = new Map(ctx.journal.entries(KIND).map((e) => [e.id, e.prior as PerUserMfaState] as const));
  const killedRun = new Set(journaled.keys());
  for (const [user, actual] of strays) if (!journaled.has(user)) journaled.set(user, actual);
  await Promise.all(
    [...strays.keys()].filter((u) => !recorded.has(u)).map((u) => ctx.journal.record(KIND, u, journaled.get(u)!)),
  );
  const written =
    strays.size > 0
      ? await ctx.api.setPerUserMfaMany([...strays.keys()].map((upn) => ({ upn, state })))
      : new Set<string>();
  const missed = [...strays.keys()].filter((u) => !written.has(u)).sort();
  // Only this call's own entries: a killed run's keeps the prior from before it wrote.
  const notRaised = new Set(missed.filter((u) => !recorded.has(u) && !killedRun.has(u)));
  await Promise.all([...notRaised].map((u) => settled(ctx, KIND, u)));
  return {
    reset: [...journaled]
      .filter(([user]) => !recorded.has(user) && !notRaised.has(user))
      .map(([user, prior]) => ({ user, prior })),
    missed,
  };
}

async function settleAll(ctx: ProviderContext, reset: Reset): Promise<void> {
  await Promise.all(reset.map((r) => settled(ctx, KIND, r.user)));
}

export const otherUsersMfa: KindProvider<OtherUsersMfaInputs, OtherUsersMfaOutputs> = {
  async check(_ctx, _olds, news) {
    const failures: Failure[] = [];
    if (!isOneOf(OTHER_USERS_MFA_STATES, news.state)) {
      failures.push({ property: "state", reason: "must be enabled or enforced" });
    }
    const declared = (Array.isArray(news.declared) ? news.declared : []).map((u) => String(u).toLowerCase()).sort();
    return { inputs: { state: news.state, declared, strays: news.strays ?? [] }, failures };
  },
  diff(olds, news) {
    return diffProps(olds, news as OtherUsersMfaOutputs, ["state", "declared", "strays"]);
  },
  async create(ctx, inputs) {
    const { reset, missed } = await raise(ctx, inputs.state, await findStrays(ctx, inputs));
    return { id: ID, outs: { ...inputs, strays: missed, reset } };
  },
  async read(ctx, id, props) {
    const strays = [...(await findStrays(ctx, props)).keys()].sort();
    await settleAll(ctx, props.reset);
    return { id, props: { ...props, strays }, inputs: { state: props.state, declared: props.declared, strays } };
  },
  async update(ctx, _id, olds, news) {
    await settleAll(ctx, olds.reset);
    const { reset, missed } = await raise(ctx, news.state, await findStrays(ctx, news), olds.reset);
    return { outs: { ...news, strays: missed, reset: [...olds.reset, ...reset] } };
  },
  async delete(ctx, _id, props) {
    if (ctx.onDelete === "restore" && props.reset.length > 0) {
      await ctx.api.setPerUserMfaMany(props.reset.map((r) => ({ upn: r.user, state: r.prior })));
    }
    await settleAll(ctx, props.reset);
  },
};
