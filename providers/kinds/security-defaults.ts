/**
 * SecurityDefaults: Graph v1.0 policies/identitySecurityDefaultsEnforcementPolicy, one per tenant.
 * Create records the value it found as `prior`; delete puts it back.
 */
import { adopt, diffProps, inputKeys, restorable, settled, type Failure, type KindProvider } from "../context.ts";

const ID = "security-defaults";
import type { SecurityDefaultsInputs } from "../types.ts";

export interface SecurityDefaultsOutputs extends SecurityDefaultsInputs {
  prior: boolean;
}

export const securityDefaults: KindProvider<SecurityDefaultsInputs, SecurityDefaultsOutputs> = {
  async check(_ctx, _olds, news) {
    const failures: Failure[] = [];
    if (typeof news.enabled !== "boolean") failures.push({ property: "enabled", reason: "must be true or false" });
    return { inputs: news, failures };
  },
  diff(olds, news) {
    return diffProps(olds, news as SecurityDefaultsOutputs, [
      "enabled",
      "reason",
      "conditionalAccessBaseline",
      "riskAcceptance",
      "mfaOthers",
    ]);
  },
  async create(ctx, inputs) {
    const current = await ctx.api.getSecurityDefaults();
    const write = current === inputs.enabled ? undefined : () => ctx.api.setSecurityDefaults(inputs.enabled);
    const prior = await adopt(ctx, "SecurityDefaults", ID, current, write);
    return { id: ID, outs: { ...inputs, prior } };
  },
  async read(ctx, id, props) {
    const enabled = await ctx.api.getSecurityDefaults();
    const outs = { ...props, enabled };
    await settled(ctx, "SecurityDefaults", ID);
    return { id, props: outs, inputs: inputKeys(outs) };
  },
  async update(ctx, _id, olds, news) {
    if (olds.enabled !== news.enabled) await ctx.api.setSecurityDefaults(news.enabled);
    await settled(ctx, "SecurityDefaults", ID);
    return { outs: { ...news, prior: olds.prior } };
  },
  async delete(ctx, _id, props) {
    const prior = restorable(ctx, "SecurityDefaults", ID, props.prior);
    if (ctx.onDelete === "restore" && prior !== props.enabled) await ctx.api.setSecurityDefaults(prior);
    await settled(ctx, "SecurityDefaults", ID);
  },
};
