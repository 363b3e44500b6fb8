/**
 * OtherMailboxesSmtpAuth (`smtpAuth.others: inherit`): every mailbox not declared by name follows
 * the organisation; refresh lists the strays, update resets them, delete restores what it reset.
 */
import type { CasMailbox } from "../../tenant/api.ts";
import { diffProps, setMailbox, settled, type KindProvider, type ProviderContext } from "../context.ts";
import type { MailboxSmtpAuthState, OtherMailboxesSmtpAuthInputs } from "../types.ts";

const KIND = "OtherMailboxesSmtpAuth";

export interface OtherMailboxesSmtpAuthOutputs extends OtherMailboxesSmtpAuthInputs {
  /** Mailboxes this resource reset to inherit, with the value each had, for delete to restore. */
  reset: { mailbox: string; prior: MailboxSmtpAuthState }[];
}

type Reset = OtherMailboxesSmtpAuthOutputs["reset"];

/** Mailboxes with their own value, not declared; a recent reset of ours hidden by a lagging replica counts as done. */
async function findStrays(ctx: ProviderContext, declared: string[]): Promise<CasMailbox[]> {
  const keep = new Set(declared);
  return (await ctx.api.listCasMailboxes(true))
    .map((m) => ({ ...m, state: ctx.readBack.reconcile(m.mailbox, m.state) }))
    .filter((m) => m.state !== "inherit" && !keep.has(m.mailbox));
}

/**
 * Resets every stray at once (the HTTP layer bounds how many calls are in flight, http.ts), each
 * one's prior journaled before its write. Returns what was reset plus what a killed run had reset
 * (journaled, no longer a stray), minus the mailboxes `known` already records.
 */
async function resetStrays(ctx: ProviderContext, strays: CasMailbox[], known: Reset = []): Promise<Reset> {
  const recorded = new Set(known.map((r) => r.mailbox));
  const journaled = new Map(ctx.journal.entries(KIND).map((e) => [e.id, e.prior as MailboxSmtpAuthState] as const));
  await Promise.all(
    strays.map(async (stray) => {
      if (!journaled.has(stray.mailbox)) journaled.set(stray.mailbox, stray.state);
      if (!recorded.has(stray.mailbox)) await ctx.journal.record(KIND, stray.mailbox, journaled.get(stray.mailbox)!);
      await setMailbox(ctx, stray.mailbox, "inherit", stray.state);
    }),
  );
  return [...journaled].filter(([mailbox]) => !recorded.has(mailbox)).map(([mailbox, prior]) => ({ mailbox, prior }));
}

/** The checkpoint holds every prior in `reset`: forget them in the journal. */
async function settleAll(ctx: ProviderContext, reset: Reset): Promise<void> {
  await Promise.all(reset.map((r) => settled(ctx, KIND, r.mailbox)));
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
    await settleAll(ctx, props.reset);
    const outs = { ...props, strays };
    return { id, props: outs, inputs: { declared: props.declared, strays } };
  },
  async update(ctx, _id, olds, news) {
    await settleAll(ctx, olds.reset);
    const reset = await resetStrays(ctx, await findStrays(ctx, news.declared), olds.reset);
    return { outs: { ...news, strays: [], reset: [...olds.reset, ...reset] } };
  },
  async delete(ctx, _id, props) {
    if (ctx.onDelete === "restore") {
      await Promise.all(props.reset.map((r) => setMailbox(ctx, r.mailbox, r.prior, "inherit")));
    }
    await settleAll(ctx, props.reset);
  },
};
