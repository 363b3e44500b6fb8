/**
 * Every resource kind's provider, by kind. Each entry keeps its own KindProvider<Inputs, Outputs> type,
 * and the table must name every ResourceKind: a new kind without an entry does not compile.
 */
import type { KindProvider } from "../context.ts";
import type { ResourceKind } from "../types.ts";
import { exchangeServicePrincipal } from "./exchange-service-principal.ts";
import { mailboxPermission } from "./mailbox-permission.ts";
import { mailboxSmtpAuth } from "./mailbox-smtp-auth.ts";
import { organizationSmtpAuth } from "./organization-smtp-auth.ts";
import { otherMailboxesSmtpAuth } from "./other-mailboxes-smtp-auth.ts";
import { otherUsersMfa } from "./other-users-mfa.ts";
import { perUserMfa } from "./per-user-mfa.ts";
import { securityDefaults } from "./security-defaults.ts";

export const KIND_PROVIDERS = {
  SecurityDefaults: securityDefaults,
  OrganizationSmtpAuth: organizationSmtpAuth,
  MailboxSmtpAuth: mailboxSmtpAuth,
  OtherMailboxesSmtpAuth: otherMailboxesSmtpAuth,
  PerUserMfa: perUserMfa,
  OtherUsersMfa: otherUsersMfa,
  ExchangeServicePrincipal: exchangeServicePrincipal,
  MailboxPermission: mailboxPermission,
} as const satisfies Record<ResourceKind, unknown>;

/** The inputs and outputs of kind `K`, as its provider declares them. */
export type KindInputs<K extends ResourceKind> =
  (typeof KIND_PROVIDERS)[K] extends KindProvider<infer I, infer _O> ? I : never;
export type KindOutputs<K extends ResourceKind> =
  (typeof KIND_PROVIDERS)[K] extends KindProvider<infer _I, infer O> ? O : never;
