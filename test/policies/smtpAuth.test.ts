import { describe, expect, it } from "vitest";
import {
  organizationSmtpAuthEnableDenied,
  smtpAuthExceptionOwnedAndExpiring as policy,
} from "../../policies/smtpAuth.ts";
import { UNKNOWN_SENTINELS } from "../../policies/testing.ts";
import { TYPE_TOKENS } from "../../policies/tokens.ts";
import { createResourceValidationArgs, messages, runResourcePolicy } from "./util.ts";

const TODAY = "2026-11-29";

/** A declared SMTP AUTH exception: valid. */
function happyPath(): Record<string, unknown> {
  return {
    mailbox: "scanner@contoso.com",
    state: "enabled",
    owner: "facilities@contoso.com",
    ticket: "CHG-1042",
    expires: "2027-06-30",
  };
}

const run = (props: Record<string, unknown>, config: object = { today: TODAY }) =>
  runResourcePolicy(policy, createResourceValidationArgs(TYPE_TOKENS.MailboxSmtpAuth, props, config, "mailbox-x"));

describe("smtp-auth-exception-owned-and-expiring", () => {
  it("declares its config with defaults", () => {
    expect(policy.name).toBe("smtp-auth-exception-owned-and-expiring");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.configSchema?.properties.maxExceptionMonths).toMatchObject({ type: "integer", default: 12 });
  });

  it("passes an owned exception that expires within 12 months", async () => {
    expect(messages(await run(happyPath()))).toEqual([]);
  });

  it("ignores mailboxes that are not enabled, and other resource types", async () => {
    expect(messages(await run({ mailbox: "a@contoso.com", state: "inherit" }))).toEqual([]);
    expect(messages(await run({ mailbox: "a@contoso.com", state: "disabled" }))).toEqual([]);
    expect(
      messages(
        await runResourcePolicy(
          policy,
          createResourceValidationArgs(TYPE_TOKENS.OrganizationSmtpAuth, { state: "enabled" }),
        ),
      ),
    ).toEqual([]);
  });

  it.each([
    [
      "owner",
      "SMTP AUTH exception for scanner@contoso.com has no owner: set owner on smtpAuth.mailboxes.scanner@contoso.com in tenant.yaml.",
    ],
    [
      "ticket",
      "SMTP AUTH exception for scanner@contoso.com has no ticket: set ticket on smtpAuth.mailboxes.scanner@contoso.com in tenant.yaml.",
    ],
    [
      "expires",
      "SMTP AUTH exception for scanner@contoso.com has no expiry: set expires (YYYY-MM-DD, at most 12 months ahead) on smtpAuth.mailboxes.scanner@contoso.com in tenant.yaml.",
    ],
  ])("reports a missing %s", async (field, message) => {
    expect(messages(await run({ ...happyPath(), [field]: undefined }))).toEqual([message]);
    expect(messages(await run({ ...happyPath(), [field]: "" }))).toEqual([message]);
  });

  it("reports an expired exception; the expiry day itself is still allowed", async () => {
    expect(messages(await run({ ...happyPath(), expires: "2026-11-28" }))).toEqual([
      "SMTP AUTH exception for scanner@contoso.com expired on 2026-11-28: renew it with a new ticket, or set the mailbox back to inherit.",
    ]);
    expect(messages(await run({ ...happyPath(), expires: TODAY }))).toEqual([]);
  });

  it("reports an expiry more than maxExceptionMonths ahead, counting calendar months", async () => {
    expect(messages(await run({ ...happyPath(), expires: "2027-11-29" }))).toEqual([]);
    expect(messages(await run({ ...happyPath(), expires: "2027-11-30" }))).toEqual([
      "SMTP AUTH exception for scanner@contoso.com expires on 2027-11-30, more than 12 months ahead (latest allowed: 2027-11-29): shorten it.",
    ]);
    expect(
      messages(await run({ ...happyPath(), expires: "2027-06-30" }, { today: TODAY, maxExceptionMonths: 3 })),
    ).toEqual([
      "SMTP AUTH exception for scanner@contoso.com expires on 2027-06-30, more than 3 months ahead (latest allowed: 2027-02-28): shorten it.",
    ]);
  });

  it("reports a malformed expiry", async () => {
    expect(messages(await run({ ...happyPath(), expires: "30.06.2027" }))).toEqual([
      'SMTP AUTH exception for scanner@contoso.com has an invalid expiry "30.06.2027": use YYYY-MM-DD.',
    ]);
  });

  it("names the resource when the mailbox address is missing", async () => {
    expect(messages(await run({ state: "enabled", owner: "o", ticket: "t" }))).toEqual([
      "SMTP AUTH exception for mailbox-x has no expiry: set expires (YYYY-MM-DD, at most 12 months ahead) on smtpAuth.mailboxes.mailbox-x in tenant.yaml.",
    ]);
  });

  it("skips what is unknown at preview instead of failing", async () => {
    const u = UNKNOWN_SENTINELS.string;
    expect(messages(await run({ ...happyPath(), state: u }))).toEqual([]);
    expect(messages(await run({ ...happyPath(), owner: u, ticket: u, expires: u }))).toEqual([]);
    expect(messages(await run({ ...happyPath(), mailbox: u, owner: undefined }))).toEqual([
      "SMTP AUTH exception for mailbox-x has no owner: set owner on smtpAuth.mailboxes.mailbox-x in tenant.yaml.",
    ]);
  });
});

describe("organization-smtp-auth-enable-denied", () => {
  const runOrg = (state: unknown, config: object = {}) =>
    runResourcePolicy(
      organizationSmtpAuthEnableDenied,
      createResourceValidationArgs(TYPE_TOKENS.OrganizationSmtpAuth, { state }, config),
    );
  const DENIED =
    "SMTP AUTH is turned on for the whole organisation: keep smtpAuth.organization disabled and declare per-mailbox exceptions, or allow it with allowOrganizationSmtpAuth: true in this policy's config.";

  it("passes the organisation switch off", async () => {
    expect(organizationSmtpAuthEnableDenied.configSchema?.properties.allowOrganizationSmtpAuth).toMatchObject({
      type: "boolean",
      default: false,
    });
    expect(messages(await runOrg("disabled"))).toEqual([]);
  });

  it("denies turning it on unless the config allows it", async () => {
    expect(messages(await runOrg("enabled"))).toEqual([DENIED]);
    expect(messages(await runOrg("enabled", { allowOrganizationSmtpAuth: false }))).toEqual([DENIED]);
    expect(messages(await runOrg("enabled", { allowOrganizationSmtpAuth: true }))).toEqual([]);
  });

  it("skips an unknown state", async () => {
    expect(messages(await runOrg(UNKNOWN_SENTINELS.string))).toEqual([]);
  });
});
