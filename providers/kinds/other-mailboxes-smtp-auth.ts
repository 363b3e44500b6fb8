/**
 * OtherMailboxesSmtpAuth (`smtpAuth.others: inherit`): every mailbox not declared by name follows
 * the organisation; refresh lists the strays, update resets them, delete restores what it reset.
 */
import type { CasMailbox } from "../../tenant/api.ts";
import { diffProps, setMailbox, type KindProvider, type ProviderContext } from "../context.ts";
import type { MailboxSmtpAuthState, OtherMailboxesSmtpAuthInputs } from "../types.ts";

export interface OtherMailboxesSmtpAuthOutputs extends OtherMailboxesSmtpAuthInputs {
  /** Mailboxes this resource reset to inherit, with the value each had, for delete to restore. */
  reset: { mailbox: string; prior: MailboxSmtpAuthState }[];
}

/** Mailboxes with their own value, not declared; a recent reset of ours hidden by a lagging replica counts as done. */
async function findStrays(ctx: ProviderContext, declared: string[]): Promise<CasMailbox[]> {
  const keep = new Set(declared);
  return (await ctx.api.listCasMailboxes(true))
    .map((m) => ({ ...m, state: ctx.readBack.reconcile(m.mailbox, m.state) }))
    .filter((m) => m.state !== "inherit" && !keep.has(m.mailbox));
}

/** Resets every stray at once; the HTTP layer bounds how many calls are in flight (http.ts). */
async function resetStrays(ctx: ProviderContext, strays: CasMailbox[]) {
  await Promise.all(strays.map((stray) => setMailbox(ctx, stray.mailbox, "inherit", stray.state)));
  return strays.map((s) => ({ mailbox: s.mailbox, prior: s.state }));
}

export const otherMailboxesSmtpAuth: KindProvider<OtherMailboxesSmtpAuthInputs, OtherMailboxesSmtpAuthOutputs> = {
  async check(_ctx, _olds, news) {
    return { inputs: { declared: [...news.declared].sort(), strays: news.strays }, failures: [] };
  },
  diff(olds, news) {
    return diffProps(olds, news as OtherMailboxesSmtpAuthOutputs, ["declared", "strays"]);
  },
  async create(ctx, inputs) {
    const reset = await resetStrays(ctx, await findStrays(ctx, inputs.declared));
    return { id: "other-mailboxes-smtp-auth", outs: { ...inputs, strays: [], reset } };
  },
  async read(ctx, id, props) {
    const strays = (await findStrays(ctx, props.declared)).map((m) => m.mailbox).sort();
    const outs = { ...props, strays };
    return { id, props: outs, inputs: { declared: props.declared, strays } };
  },
  async update(ctx, _id, olds, news) {
    const reset = await resetStrays(ctx, await findStrays(ctx, news.declared));
    const earlier = olds.reset.filter((r) => !reset.some((n) => n.mailbox === r.mailbox));
    return { outs: { ...news, strays: [], reset: [...earlier, ...reset] } };
  },
  async delete(ctx, _id, props) {
    if (ctx.onDelete !== "restore") return;
    await Promise.all(props.reset.map((r) => setMailbox(ctx, r.mailbox, r.prior, "inherit")));
  },
};
