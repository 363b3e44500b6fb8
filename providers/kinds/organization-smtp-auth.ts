/**
 * OrganizationSmtpAuth: Exchange Get/Set-TransportConfig -SmtpClientAuthenticationDisabled, one per tenant.
 */
import { ORGANIZATION_SMTP_AUTH_STATES, isOneOf, type OrganizationSmtpAuthState } from "../../m365/model.ts";
import { diffProps, inputKeys, type Failure, type KindProvider } from "../context.ts";
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
    const prior = (await ctx.api.getOrganizationSmtpAuthDisabled()) ? "disabled" : "enabled";
    if (prior !== inputs.state) await ctx.api.setOrganizationSmtpAuthDisabled(inputs.state === "disabled");
    return { id: "organization-smtp-auth", outs: { ...inputs, prior } };
  },
  async read(ctx, id, props) {
    const disabled = await ctx.api.getOrganizationSmtpAuthDisabled();
    const outs: OrganizationSmtpAuthOutputs = { ...props, state: disabled ? "disabled" : "enabled" };
    return { id, props: outs, inputs: inputKeys(outs) };
  },
  async update(ctx, _id, olds, news) {
    if (olds.state !== news.state) await ctx.api.setOrganizationSmtpAuthDisabled(news.state === "disabled");
    return { outs: { ...news, prior: olds.prior } };
  },
  async delete(ctx, _id, props) {
    if (ctx.onDelete === "restore" && props.prior !== props.state) {
      await ctx.api.setOrganizationSmtpAuthDisabled(props.prior === "disabled");
    }
  },
};
