/**
 * The type tokens the policies match on. They mirror `typeToken(kind)` in providers/types.ts (a test
 * keeps the two equal); they are spelled out here because the policy pack is its own package.
 */
import type { ResourceKind } from "../providers/types.ts";

/** `pulumi-nodejs:dynamic/m365:<Kind>` for each resource kind the policies read. */
export const TYPE_TOKENS = {
  SecurityDefaults: "pulumi-nodejs:dynamic/m365:SecurityDefaults",
  OrganizationSmtpAuth: "pulumi-nodejs:dynamic/m365:OrganizationSmtpAuth",
  MailboxSmtpAuth: "pulumi-nodejs:dynamic/m365:MailboxSmtpAuth",
  PerUserMfa: "pulumi-nodejs:dynamic/m365:PerUserMfa",
} as const satisfies Partial<Record<ResourceKind, string>>;
