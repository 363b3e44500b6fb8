/**
 * MailboxSmtpAuth: Exchange Get/Set-CASMailbox -SmtpClientAuthenticationDisabled for one declared
 * mailbox ($null inherit / $false enabled / $true disabled). Reads come from the coalesced listing.
 */
import { MAILBOX_SMTP_AUTH_STATES, isOneOf } from "../../m365/model.ts";
import type { CasMailbox } from "../../tenant/api.ts";
import {
  adopt,
  diffProps,
  inputKeys,
  type Failure,
  type KindProvider,
  mailboxExists,
  notFound,
  restorable,
  setMailbox,
  settled,
  type ProviderContext,
} from "../context.ts";
import type { MailboxSmtpAuthInputs, MailboxSmtpAuthState } from "../types.ts";

export interface MailboxSmtpAuthOutputs extends MailboxSmtpAuthInputs {
  prior: MailboxSmtpAuthState;
}

/** The mailbox's state as we report it: the read, unless a lagging replica still hides a recent write of ours. */
async function readMailbox(ctx: ProviderContext, mailbox: string): Promise<CasMailbox> {
  const found = await ctx.mailboxes.load(mailbox);
  if (!found) throw notFound("POST", "Get-CASMailbox", `Exchange has no mailbox ${mailbox}`);
  return { ...found, state: ctx.readBack.reconcile(mailbox, found.state) };
}

export const mailboxSmtpAuth: KindProvider<MailboxSmtpAuthInputs, MailboxSmtpAuthOutputs> = {
  async check(ctx, olds, news) {
    const failures: Failure[] = [];
    const mailbox = String(news.mailbox ?? "").toLowerCase();
    if (!isOneOf(MAILBOX_SMTP_AUTH_STATES, news.state)) {
      failures.push({ property: "state", reason: "must be inherit, enabled or disabled" });
    }
    if (olds.mailbox !== mailbox && !(await mailboxExists(ctx, mailbox))) {
      failures.push({ property: "mailbox", reason: `no Exchange Online mailbox ${mailbox} in the tenant` });
    }
    return { inputs: { ...news, mailbox }, failures };
  },
  diff(olds, news) {
    if (olds.mailbox !== news.mailbox) {
      return { changes: true, replaces: ["mailbox"], deleteBeforeReplace: true, stables: [] };
    }
    return diffProps(olds, news as MailboxSmtpAuthOutputs, ["state", "owner", "ticket", "expires"]);
  },
  async create(ctx, inputs) {
    const { state: current } = await readMailbox(ctx, inputs.mailbox);
    const write = current === inputs.state ? undefined : () => setMailbox(ctx, inputs.mailbox, inputs.state, current);
    const prior = await adopt(ctx, "MailboxSmtpAuth", inputs.mailbox, current, write);
    return { id: inputs.mailbox, outs: { ...inputs, prior } };
  },
  async read(ctx, id, props) {
    const { state } = await readMailbox(ctx, props.mailbox ?? id);
    const outs = { ...props, state };
    await settled(ctx, "MailboxSmtpAuth", props.mailbox ?? id);
    return { id, props: outs, inputs: inputKeys(outs) };
  },
  async update(ctx, _id, olds, news) {
    if (olds.state !== news.state) await setMailbox(ctx, news.mailbox, news.state, olds.state);
    await settled(ctx, "MailboxSmtpAuth", news.mailbox);
    return { outs: { ...news, prior: olds.prior } };
  },
  async delete(ctx, _id, props) {
    const prior = restorable(ctx, "MailboxSmtpAuth", props.mailbox, props.prior);
    if (ctx.onDelete === "restore" && prior !== props.state) await setMailbox(ctx, props.mailbox, prior, props.state);
    await settled(ctx, "MailboxSmtpAuth", props.mailbox);
  },
};
