/**
 * OrganizationSmtpAuth: Exchange Get/Set-TransportConfig -SmtpClientAuthenticationDisabled, one per tenant.
 */
import { ORGANIZATION_SMTP_AUTH_STATES, isOneOf, type OrganizationSmtpAuthState } from "../../m365/model.ts";
import { adopt, diffProps, inputKeys, restorable, settled, type Failure, type KindProvider } from "../context.ts";

const ID = "organization-smtp-auth";
import type { OrganizationSmtpAuthInputs } from "../types.ts";

export interface OrganizationSmtpAuthOutputs extends OrganizationSmtpAuthInputs {
  prior: OrganizationSmtpAuthState;
}

export const organizationSmtpAuth: KindProvider<OrganizationSmtpAuthInputs, OrganizationSmtpAuthOutputs> = {
  async check(_ctx, _olds, news) {
    const failures: Failure[] = [];
    if (!isOneOf(ORGANIZATION_SMTP_AUTH_STATES, news.state)) {
      failures.push({ property: "state", reason: "must be enabled or disabled" });
    }
    return { inputs: news, failures };
  },
  diff(olds, news) {
    return diffProps(olds, news as OrganizationSmtpAuthOutputs, ["state"]);
  },
  async create(ctx, inputs) {
    const current = (await ctx.api.getOrganizationSmtpAuthDisabled()) ? "disabled" : "enabled";
    const write =
      current === inputs.state ? undefined : () => ctx.api.setOrganizationSmtpAuthDisabled(inputs.state === "disabled");
    const prior = await adopt<OrganizationSmtpAuthState>(ctx, "OrganizationSmtpAuth", ID, current, write);
    return { id: ID, outs: { ...inputs, prior } };
  },
  async read(ctx, id, props) {
    const disabled = await ctx.api.getOrganizationSmtpAuthDisabled();
    const outs: OrganizationSmtpAuthOutputs = { ...props, state: disabled ? "disabled" : "enabled" };
    await settled(ctx, "OrganizationSmtpAuth", ID);
    return { id, props: outs, inputs: inputKeys(outs) };
  },
  async update(ctx, _id, olds, news) {
    if (olds.state !== news.state) await ctx.api.setOrganizationSmtpAuthDisabled(news.state === "disabled");
    await settled(ctx, "OrganizationSmtpAuth", ID);
    return { outs: { ...news, prior: olds.prior } };
  },
  async delete(ctx, _id, props) {
    const prior = restorable(ctx, "OrganizationSmtpAuth", ID, props.prior);
    if (ctx.onDelete === "restore" && prior !== props.state) {
      await ctx.api.setOrganizationSmtpAuthDisabled(prior === "disabled");
    }
    await settled(ctx, "OrganizationSmtpAuth", ID);
  },
};
