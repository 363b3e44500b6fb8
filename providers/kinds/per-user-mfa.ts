/**
 * PerUserMfa: Graph beta users/{id}/authentication/requirements perUserMfaState for one declared
 * user. Declared `enabled` is satisfied by `enforced` (m365/gates.ts mfaSatisfies).
 */
import { mfaSatisfies } from "../../m365/gates.ts";
import { PER_USER_MFA_STATES, isOneOf } from "../../m365/model.ts";
import {
  adopt,
  diffProps,
  inputKeys,
  type Failure,
  type KindProvider,
  notFound,
  restorable,
  settled,
  userExists,
  type ProviderContext,
} from "../context.ts";
import type { PerUserMfaInputs, PerUserMfaState } from "../types.ts";

export interface PerUserMfaOutputs extends PerUserMfaInputs {
  prior: PerUserMfaState;
}

async function readMfa(ctx: ProviderContext, user: string): Promise<PerUserMfaState> {
  const state = await ctx.mfa.load(user);
  if (!state) throw notFound("GET", `users/${user}/authentication/requirements`, `Microsoft Graph has no user ${user}`);
  return state;
}

export const perUserMfa: KindProvider<PerUserMfaInputs, PerUserMfaOutputs> = {
  async check(ctx, olds, news) {
    const failures: Failure[] = [];
    const user = String(news.user ?? "").toLowerCase();
    if (!isOneOf(PER_USER_MFA_STATES, news.state)) {
      failures.push({ property: "state", reason: "must be disabled, enabled or enforced" });
    }
    if (olds.user !== user && !(await userExists(ctx, user)))
      failures.push({ property: "user", reason: `no user ${user} in the tenant` });
    return { inputs: { ...news, user }, failures };
  },
  diff(olds, news) {
    if (olds.user !== news.user) return { changes: true, replaces: ["user"], deleteBeforeReplace: true, stables: [] };
    return diffProps(olds, news as PerUserMfaOutputs, ["state", "owner", "ticket", "expires", "directoryRoles"]);
  },
  async create(ctx, inputs) {
    const current = await readMfa(ctx, inputs.user);
    const write = mfaSatisfies(inputs.state, current)
      ? undefined
      : () => ctx.api.setPerUserMfa(inputs.user, inputs.state);
    const prior = await adopt(ctx, "PerUserMfa", inputs.user, current, write);
    return { id: inputs.user, outs: { ...inputs, prior } };
  },
  async read(ctx, id, props) {
    const actual = await readMfa(ctx, props.user ?? id);
    const state = mfaSatisfies(props.state, actual) ? props.state : actual;
    const outs = { ...props, state };
    await settled(ctx, "PerUserMfa", props.user ?? id);
    return { id, props: outs, inputs: inputKeys(outs) };
  },
  async update(ctx, _id, olds, news) {
    if (olds.state !== news.state) {
      const actual = await readMfa(ctx, news.user);
      if (!mfaSatisfies(news.state, actual)) await ctx.api.setPerUserMfa(news.user, news.state);
    }
    await settled(ctx, "PerUserMfa", news.user);
    return { outs: { ...news, prior: olds.prior } };
  },
  async delete(ctx, _id, props) {
    const prior = restorable(ctx, "PerUserMfa", props.user, props.prior);
    if (ctx.onDelete === "restore" && prior !== props.state) await ctx.api.setPerUserMfa(props.user, prior);
    await settled(ctx, "PerUserMfa", props.user);
  },
};
