import { describe, expect, it } from "vitest";
import { smtpAuthMfaBlastRadius as policy } from "../../policies/blastRadius.ts";
import { UNKNOWN_SENTINELS } from "../../policies/testing.ts";
import { TYPE_TOKENS } from "../../policies/tokens.ts";
import { createStackValidationArgs, messages, runStackPolicy, type StackResourceSpec } from "./util.ts";

/** A mailbox the preview creates or updates (no recorded prior), or one already applied (prior). */
const mailbox = (i: number, prior?: string): StackResourceSpec => ({
  type: TYPE_TOKENS.MailboxSmtpAuth,
  name: `mailbox-m${i}@contoso.com`,
  props: { mailbox: `m${i}@contoso.com`, state: "disabled", ...(prior ? { prior } : {}) },
});
const mfa = (i: number, prior?: string): StackResourceSpec => ({
  type: TYPE_TOKENS.PerUserMfa,
  name: `mfa-u${i}@contoso.com`,
  props: { user: `u${i}@contoso.com`, state: "enforced", ...(prior ? { prior } : {}) },
});
const range = (n: number) => [...Array(n).keys()];

const run = (resources: StackResourceSpec[], config: object = {}) =>
  runStackPolicy(policy, createStackValidationArgs(resources, config));

const refusal = (n: number, what: string, max: number, ack = "") =>
  `This preview changes SMTP AUTH or per-user MFA for ${n} items (${what}), more than maxChanges ${max}.${ack} Review the list, then set "smtp-auth-mfa-blast-radius": { "acknowledgedChanges": ${n} } in the policy pack config (--policy-pack-config) for this change, or split it into smaller pull requests.`;

describe("smtp-auth-mfa-blast-radius", () => {
  it("is a mandatory stack policy with maxChanges 25 by default", () => {
    expect(policy.name).toBe("smtp-auth-mfa-blast-radius");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.configSchema?.properties.maxChanges).toMatchObject({ default: 25 });
  });

  it("passes 25 changes, and any number of items already applied", async () => {
    const applied = range(500).map((i) => mailbox(1000 + i, "enabled"));
    expect(
      messages(await run([...range(20).map((i) => mailbox(i)), ...range(5).map((i) => mfa(i)), ...applied])),
    ).toEqual([]);
  });

  it("refuses the 26th change, counting mailboxes, MFA users and the organisation", async () => {
    const resources = [
      ...range(20).map((i) => mailbox(i)),
      ...range(5).map((i) => mfa(i)),
      { type: TYPE_TOKENS.OrganizationSmtpAuth, name: "organization-smtp-auth", props: { state: "disabled" } },
    ];
    expect(messages(await run(resources))).toEqual([
      refusal(26, "20 mailboxes, 5 MFA users, the organisation's SMTP AUTH", 25),
    ]);
  });

  it("passes 3,000 changes once acknowledged, and refuses more than the acknowledgement covers", async () => {
    const adoption = range(3000).map((i) => mailbox(i));
    expect(messages(await run(adoption, { acknowledgedChanges: 3000 }))).toEqual([]);
    expect(messages(await run([...adoption, mailbox(3000)], { acknowledgedChanges: 3000 }))).toEqual([
      refusal(3001, "3001 mailboxes", 25, " The acknowledgement covers 3000, fewer than 3001."),
    ]);
  });

  it("takes maxChanges from config, and counts a prior unknown at preview as a change", async () => {
    expect(messages(await run([mailbox(1), mailbox(2)], { maxChanges: 1 }))).toEqual([refusal(2, "2 mailboxes", 1)]);
    const unknownPrior: StackResourceSpec = {
      ...mailbox(3),
      props: { ...mailbox(3).props, prior: UNKNOWN_SENTINELS.string },
    };
    expect(messages(await run([unknownPrior, mailbox(4, "inherit")], { maxChanges: 0 }))).toEqual([
      refusal(1, "1 mailbox", 0),
    ]);
  });
});
