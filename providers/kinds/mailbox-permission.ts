/**
 * MailboxPermission (issue 8): Add-MailboxPermission -AccessRights FullAccess for the app's service
 * principal on the mailbox it sends as.
 *
 * Objects, not settings: create adopts one that is already there (prior "present") and delete removes
 * only what this stack added (prior "absent"). A read that finds the object gone (Exchange answers
 * ManagementObjectNotFound) reports it deleted, so the next `up` puts it back; any other failed read
 * throws.
 */
import { findExchangeServicePrincipal, holdsAll, isNotFound, mailboxRights } from "../../tenant/exchange-reads.ts";
import {
  adopt,
  diffProps,
  inputKeys,
  restorable,
  settled,
  type Failure,
  type KindProvider,
  GUID,
  mailboxExists,
  type ProviderContext,
} from "../context.ts";

const KIND = "MailboxPermission";
import type { MailboxPermissionInputs, Presence } from "../types.ts";

export interface MailboxPermissionOutputs extends MailboxPermissionInputs {
  prior: Presence;
}

/**
 * Every form Exchange may show the service principal in as Get-MailboxPermission's `User`: the declared
 * object id and app id, plus what Get-ServicePrincipal reports (Identity, ObjectId/ServiceId, AppId,
 * DisplayName, Name). Microsoft publishes no sample for a service-principal trustee (fidelity finding 13).
 */
async function trusteeForms(ctx: ProviderContext, user: string, appId: string): Promise<string[]> {
  const sp = await findExchangeServicePrincipal(ctx.api, user);
  return [user, appId, ...(sp?.trusteeForms ?? [])];
}

export const mailboxPermission: KindProvider<MailboxPermissionInputs, MailboxPermissionOutputs> = {
  async check(ctx, olds, news) {
    const failures: Failure[] = [];
    const mailbox = String(news.mailbox ?? "").toLowerCase();
    const user = String(news.user ?? "").toLowerCase();
    const appId = String(news.appId ?? "").toLowerCase();
    const accessRights = Array.isArray(news.accessRights) ? news.accessRights.map(String) : [];
    if (!GUID.test(user)) failures.push({ property: "user", reason: "must be the service principal's object id" });
    if (accessRights.length !== 1 || accessRights[0] !== "FullAccess") {
      failures.push({ property: "accessRights", reason: "must be [FullAccess]" });
    }
    if (olds.mailbox !== mailbox && !(await mailboxExists(ctx, mailbox))) {
      failures.push({ property: "mailbox", reason: `no Exchange Online mailbox ${mailbox} in the tenant` });
    }
    return { inputs: { mailbox, user, appId, accessRights }, failures };
  },
  diff(olds, news) {
    const replaces = (["mailbox", "user", "accessRights"] as const).filter(
      (k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]),
    );
    if (replaces.length > 0) return { changes: true, replaces, deleteBeforeReplace: true, stables: [] };
    return diffProps(olds, news as MailboxPermissionOutputs, ["appId"]);
  },
  async create(ctx, inputs) {
    const id = `${inputs.mailbox}/${inputs.user}`;
    const held = await mailboxRights(ctx.api, inputs.mailbox, await trusteeForms(ctx, inputs.user, inputs.appId));
    const present = holdsAll(held, inputs.accessRights);
    const add = async () => {
      await ctx.api.invoke("Add-MailboxPermission", {
        Identity: inputs.mailbox,
        User: inputs.user,
        AccessRights: inputs.accessRights,
        AutoMapping: false,
      });
    };
    // A killed run that added it journaled "absent": this stack still owns it.
    const prior = await adopt<Presence>(ctx, KIND, id, present ? "present" : "absent", present ? undefined : add);
    return { id, outs: { ...inputs, prior } };
  },
  async read(ctx, id, props) {
    // A missing mailbox throws (NOT_FOUND): the resource's target is gone, which is an error to see.
    const held = await mailboxRights(ctx.api, props.mailbox, await trusteeForms(ctx, props.user, props.appId));
    await settled(ctx, KIND, `${props.mailbox}/${props.user}`);
    if (!holdsAll(held, props.accessRights)) return { id: "", props, inputs: inputKeys(props) };
    return { id, props, inputs: inputKeys(props) };
  },
  async update(ctx, _id, olds, news) {
    await settled(ctx, KIND, `${news.mailbox}/${news.user}`);
    return { outs: { ...news, prior: olds.prior } };
  },
  async delete(ctx, _id, props) {
    const id = `${props.mailbox}/${props.user}`;
    if (ctx.onDelete !== "restore" || restorable(ctx, KIND, id, props.prior) === "present") {
      await settled(ctx, KIND, id);
      return;
    }
    try {
      await ctx.api.invoke("Remove-MailboxPermission", {
        Identity: props.mailbox,
        User: props.user,
        AccessRights: props.accessRights,
        Confirm: false,
      });
    } catch (err) {
      // The mailbox or the service principal is gone already: so is the permission.
      if (!isNotFound(err)) throw err;
    }
    await settled(ctx, KIND, id);
  },
};
