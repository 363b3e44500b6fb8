/**
 * SecurityDefaults: Graph v1.0 policies/identitySecurityDefaultsEnforcementPolicy, one per tenant.
 * Create records the value it found as `prior`; delete puts it back.
 */
import { diffProps, inputKeys, type Failure, type KindProvider } from "../context.ts";
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
    ]);
  },
  async create(ctx, inputs) {
    const prior = await ctx.api.getSecurityDefaults();
    if (prior !== inputs.enabled) await ctx.api.setSecurityDefaults(inputs.enabled);
    return { id: "security-defaults", outs: { ...inputs, prior } };
  },
  async read(ctx, id, props) {
    const enabled = await ctx.api.getSecurityDefaults();
    const outs = { ...props, enabled };
    return { id, props: outs, inputs: inputKeys(outs) };
  },
  async update(ctx, _id, olds, news) {
    if (olds.enabled !== news.enabled) await ctx.api.setSecurityDefaults(news.enabled);
    return { outs: { ...news, prior: olds.prior } };
  },
  async delete(ctx, _id, props) {
    if (ctx.onDelete === "restore" && props.prior !== props.enabled) await ctx.api.setSecurityDefaults(props.prior);
  },
};
