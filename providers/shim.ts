/**
 * The resource classes the program declares: Pulumi dynamic resources whose provider is a one-line
 * module that loads providers/runtime.ts from the program's directory at call time.
 *
 * Why not pulumi.dynamic.Resource with a provider object: that serializes the provider's code into
 * every resource's state (twice, inputs and outputs) and runs that old copy for refresh and delete
 * (pulumi/pulumi#6490). The dynamic-provider host only needs `__provider` to be CommonJS source whose
 * `handler()` returns the provider, so we write that source ourselves: about 110 bytes that never
 * change, hold no credentials, and always run the current checkout's code.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ExchangeServicePrincipalInputs, MailboxPermissionInputs } from "./types.ts";
import {
  RESOURCE_MODULE,
  typeToken,
  type MailboxSmtpAuthInputs,
  type OrganizationSmtpAuthInputs,
  type OtherMailboxesSmtpAuthInputs,
  type OtherUsersMfaInputs,
  type PerUserMfaInputs,
  type ResourceKind,
  type SecurityDefaultsInputs,
} from "./types.ts";

/** The `__provider` module for a kind. The provider process runs with the program's directory as cwd. */
export function providerModule(kind: ResourceKind): string {
  return `exports.handler=()=>require(process.cwd()+"/providers/runtime.ts").providerFor(${JSON.stringify(kind)});`;
}

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

function declare<T extends object>(kind: ResourceKind) {
  return class extends pulumi.CustomResource {
    /** The value the tenant had before this stack first changed it; delete puts it back. */
    declare readonly prior: pulumi.Output<unknown>;
    constructor(name: string, args: Inputs<T>, opts?: pulumi.CustomResourceOptions) {
      super(typeToken(kind), name, { ...args, __provider: providerModule(kind), prior: undefined }, opts);
    }
  };
}

/** Security defaults (Graph v1.0 identitySecurityDefaultsEnforcementPolicy). */
export const SecurityDefaults = declare<SecurityDefaultsInputs>("SecurityDefaults");
/** Organisation-wide SMTP AUTH (Set-TransportConfig -SmtpClientAuthenticationDisabled). */
export const OrganizationSmtpAuth = declare<OrganizationSmtpAuthInputs>("OrganizationSmtpAuth");
/** One mailbox's SMTP AUTH (Set-CASMailbox -SmtpClientAuthenticationDisabled). */
export const MailboxSmtpAuth = declare<MailboxSmtpAuthInputs>("MailboxSmtpAuth");
/** `others: inherit`: undeclared mailboxes follow the organisation's setting. */
export const OtherMailboxesSmtpAuth = declare<OtherMailboxesSmtpAuthInputs>("OtherMailboxesSmtpAuth");
/** Legacy per-user MFA (Graph beta users/{id}/authentication/requirements). */
export const PerUserMfa = declare<PerUserMfaInputs>("PerUserMfa");
/** `mfa.others`: per-user MFA for every user not declared by name (issue 15.5). */
export const OtherUsersMfa = declare<OtherUsersMfaInputs>("OtherUsersMfa");

// Issue 8: the Exchange side of OAuth (XOAUTH2) for SMTP.
/** An Entra app's service principal registered in Exchange Online (New-ServicePrincipal). */
export const ExchangeServicePrincipal = declare<ExchangeServicePrincipalInputs>("ExchangeServicePrincipal");
/** FullAccess for a service principal on the mailbox it sends as (Add-MailboxPermission). */
export const MailboxPermission = declare<MailboxPermissionInputs>("MailboxPermission");

export { RESOURCE_MODULE };
