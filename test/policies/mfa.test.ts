import { describe, expect, it } from "vitest";
import { perUserMfaDisabledOnlyForExceptions as policy } from "../../policies/mfa.ts";
import { UNKNOWN_SENTINELS } from "../../policies/testing.ts";
import { TYPE_TOKENS } from "../../policies/tokens.ts";
import { createStackValidationArgs, messages, runStackPolicy, urnOf, type StackResourceSpec } from "./util.ts";

const mailbox = (address: string, state: unknown): StackResourceSpec => ({
  type: TYPE_TOKENS.MailboxSmtpAuth,
  name: `mailbox-${address}`,
  props: { mailbox: address, state, owner: "o", ticket: "t", expires: "2027-01-01" },
});
const mfa = (user: string, state: unknown, directoryRoles?: unknown): StackResourceSpec => ({
  type: TYPE_TOKENS.PerUserMfa,
  name: `mfa-${user}`,
  props: { user, state, ...(directoryRoles === undefined ? {} : { directoryRoles }) },
});

/** MFA disabled for a declared exception without roles, MFA on for an admin: valid. */
function happyPath(): StackResourceSpec[] {
  return [
    mailbox("scanner@contoso.com", "enabled"),
    mfa("scanner@contoso.com", "disabled", []),
    mfa("admin@contoso.com", "enforced", ["Global Administrator"]),
  ];
}

const run = (resources: StackResourceSpec[], config: object = {}) =>
  runStackPolicy(policy, createStackValidationArgs(resources, config));

const notException = (user: string) =>
  `Per-user MFA is disabled for ${user}, who is not a declared SMTP AUTH exception: declare smtpAuth.mailboxes.${user} with state enabled, or keep MFA on.`;

describe("per-user-mfa-disabled-only-for-exceptions", () => {
  it("is a mandatory stack policy with a configurable admin-role list", () => {
    expect(policy.name).toBe("per-user-mfa-disabled-only-for-exceptions");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.configSchema?.properties.adminRolePatterns).toMatchObject({ default: ["Administrator"] });
  });

  it("passes MFA disabled for a declared exception", async () => {
    expect(messages(await run(happyPath()))).toEqual([]);
  });

  it("matches the exception case-insensitively", async () => {
    expect(
      messages(await run([mailbox("Scanner@Contoso.com", "enabled"), mfa("scanner@contoso.com", "disabled")])),
    ).toEqual([]);
  });

  it("reports MFA disabled for a user whose mailbox is not an exception, naming the resource's URN", async () => {
    for (const state of ["inherit", "disabled"]) {
      const violations = await run([mailbox("scanner@contoso.com", state), mfa("scanner@contoso.com", "disabled")]);
      expect(violations).toEqual([
        { message: notException("scanner@contoso.com"), urn: urnOf(TYPE_TOKENS.PerUserMfa, "mfa-scanner@contoso.com") },
      ]);
    }
    expect(messages(await run([...happyPath(), mfa("frontdesk@contoso.com", "disabled")]))).toEqual([
      notException("frontdesk@contoso.com"),
    ]);
  });

  it("reports MFA disabled for an admin, even one who is a declared exception", async () => {
    expect(
      messages(
        await run([
          mailbox("scanner@contoso.com", "enabled"),
          mfa("scanner@contoso.com", "disabled", ["Exchange Administrator"]),
        ]),
      ),
    ).toEqual([
      "Per-user MFA is disabled for scanner@contoso.com, who holds the admin role Exchange Administrator: administrators keep MFA; send from a separate mailbox without admin roles, or with OAuth.",
    ]);
    expect(
      messages(
        await run([
          mfa("boss@contoso.com", "disabled", ["Global Administrator", "Directory Readers", "User Administrator"]),
        ]),
      ),
    ).toEqual([
      "Per-user MFA is disabled for boss@contoso.com, who holds the admin roles Global Administrator, User Administrator: administrators keep MFA; send from a separate mailbox without admin roles, or with OAuth.",
      notException("boss@contoso.com"),
    ]);
  });

  it("takes the admin roles from config, matched case-insensitively", async () => {
    const resources = [
      mailbox("scanner@contoso.com", "enabled"),
      mfa("scanner@contoso.com", "disabled", ["Helpdesk Operator"]),
    ];
    expect(messages(await run(resources))).toEqual([]);
    expect(messages(await run(resources, { adminRolePatterns: ["helpdesk"] }))).toEqual([
      "Per-user MFA is disabled for scanner@contoso.com, who holds the admin role Helpdesk Operator: administrators keep MFA; send from a separate mailbox without admin roles, or with OAuth.",
    ]);
  });

  it("ignores MFA that is enabled or enforced", async () => {
    expect(
      messages(
        await run([mfa("a@contoso.com", "enabled", ["Global Administrator"]), mfa("b@contoso.com", "enforced")]),
      ),
    ).toEqual([]);
  });

  it("skips what is unknown at preview instead of failing", async () => {
    const u = UNKNOWN_SENTINELS;
    expect(messages(await run([mfa("a@contoso.com", u.string)]))).toEqual([]);
    expect(messages(await run([mfa(u.string, "disabled")]))).toEqual([]);
    // An exception whose address or state is unknown could be this user's: no verdict on exceptions.
    expect(messages(await run([mailbox(u.string, u.string), mfa("a@contoso.com", "disabled", u.array)]))).toEqual([]);
    // Unknown roles skip only the admin check.
    expect(messages(await run([mfa("a@contoso.com", "disabled", u.array)]))).toEqual([notException("a@contoso.com")]);
    expect(
      messages(
        await run([
          mailbox("a@contoso.com", "enabled"),
          mfa("a@contoso.com", "disabled", [u.string, "Global Administrator"]),
        ]),
      ),
    ).toEqual([
      "Per-user MFA is disabled for a@contoso.com, who holds the admin role Global Administrator: administrators keep MFA; send from a separate mailbox without admin roles, or with OAuth.",
    ]);
  });
});
