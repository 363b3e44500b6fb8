/**
 * ExchangeServicePrincipal (issue 8): New-ServicePrincipal -AppId -ObjectId, the app registered in
 * Exchange so that its app-only XOAUTH2 tokens are accepted.
 *
 * Objects, not settings: create adopts one that is already there (prior "present") and delete removes
 * only what this stack added (prior "absent"). A read that finds the object gone (Exchange answers
 * ManagementObjectNotFound) reports it deleted, so the next `up` puts it back; any other failed read
 * throws.
 */
import { findExchangeServicePrincipal, isNotFound } from "../../tenant/exchange-reads.ts";
import { adopt, diffProps, inputKeys, restorable, settled, type Failure, type KindProvider, GUID } from "../context.ts";

const KIND = "ExchangeServicePrincipal";
import type { ExchangeServicePrincipalInputs, Presence } from "../types.ts";

export interface ExchangeServicePrincipalOutputs extends ExchangeServicePrincipalInputs {
  prior: Presence;
}

export const exchangeServicePrincipal: KindProvider<ExchangeServicePrincipalInputs, ExchangeServicePrincipalOutputs> = {
  async check(_ctx, _olds, news) {
    const failures: Failure[] = [];
    const appId = String(news.appId ?? "").toLowerCase();
    const objectId = String(news.objectId ?? "").toLowerCase();
    if (!GUID.test(appId)) failures.push({ property: "appId", reason: "must be the application (client) id, a GUID" });
    if (!GUID.test(objectId)) {
      failures.push({ property: "objectId", reason: "must be the enterprise application's object id, a GUID" });
    }
    const inputs: ExchangeServicePrincipalInputs = { appId, objectId };
    if (news.displayName !== undefined) inputs.displayName = news.displayName;
    return { inputs, failures };
  },
  diff(olds, news) {
    if (olds.appId !== news.appId || olds.objectId !== news.objectId) {
      const replaces = (["appId", "objectId"] as const).filter((k) => olds[k] !== news[k]);
      return { changes: true, replaces, deleteBeforeReplace: true, stables: [] };
    }
    // Exchange has no Set-ServicePrincipal in our model: a display name is bookkeeping only.
    return diffProps(olds, news as ExchangeServicePrincipalOutputs, ["displayName"]);
  },
  async create(ctx, inputs) {
    const existing = await findExchangeServicePrincipal(ctx.api, inputs.appId);
    if (existing) {
      if (existing.objectId !== inputs.objectId) {
        throw new Error(
          `Exchange already has a service principal for app ${inputs.appId} with object id ${existing.objectId}, ` +
            `not the declared ${inputs.objectId}; New-ServicePrincipal needs the enterprise application's object id ` +
            `(not the app registration's). Remove the wrong one with Remove-ServicePrincipal, or declare the right id`,
        );
      }
      // A killed run that registered it journaled "absent": this stack still owns it.
      const prior = await adopt<Presence>(ctx, KIND, inputs.objectId, "present");
      return { id: inputs.objectId, outs: { ...inputs, prior } };
    }
    const params: Record<string, unknown> = { AppId: inputs.appId, ObjectId: inputs.objectId };
    if (inputs.displayName !== undefined) params.DisplayName = inputs.displayName;
    const prior = await adopt<Presence>(ctx, KIND, inputs.objectId, "absent", async () => {
      await ctx.api.invoke("New-ServicePrincipal", params);
    });
    return { id: inputs.objectId, outs: { ...inputs, prior } };
  },
  async read(ctx, id, props) {
    const found = await findExchangeServicePrincipal(ctx.api, props.objectId ?? id);
    await settled(ctx, KIND, props.objectId ?? id);
    if (!found) return { id: "", props, inputs: inputKeys(props) };
    const outs = { ...props, appId: found.appId, objectId: found.objectId };
    return { id, props: outs, inputs: inputKeys(outs) };
  },
  async update(ctx, _id, olds, news) {
    await settled(ctx, KIND, news.objectId);
    return { outs: { ...news, prior: olds.prior } };
  },
  async delete(ctx, _id, props) {
    if (ctx.onDelete !== "restore" || restorable(ctx, KIND, props.objectId, props.prior) === "present") {
      await settled(ctx, KIND, props.objectId);
      return;
    }
    try {
      await ctx.api.invoke("Remove-ServicePrincipal", { Identity: props.objectId, Confirm: false });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    await settled(ctx, KIND, props.objectId);
  },
};
