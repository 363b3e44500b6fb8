/**
 * The resource classes the program declares, and the thin dynamic-provider shims behind them.
 *
 * Pulumi serializes a dynamic provider's code into every resource's state and runs that copy for
 * refresh and delete (pulumi/pulumi#6490). Our shims hold no logic and capture nothing but the kind
 * name: each method imports providers/runtime.ts from the program's directory at call time, so every
 * operation runs the current code, and each resource's serialized provider stays a few hundred bytes.
 * Credentials are never captured: runtime.ts reads them from stack config in configure().
 */
import * as pulumi from "@pulumi/pulumi";
import {
  RESOURCE_MODULE,
  type MailboxSmtpAuthInputs,
  type OrganizationSmtpAuthInputs,
  type OtherMailboxesSmtpAuthInputs,
  type PerUserMfaInputs,
  type ResourceKind,
  type SecurityDefaultsInputs,
} from "./types.ts";

/** A provider whose every method is `runtime.dispatch(kind, method, args)`. Keep it dependency-free. */
function shim(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  const call = async (method: string, args: unknown[]) => {
    const { pathToFileURL } = process.getBuiltinModule("node:url");
    const runtime = (await import(pathToFileURL(`${process.cwd()}/providers/runtime.ts`).href)) as {
      dispatch(kind: string, method: string, args: unknown[]): Promise<never>;
    };
    return runtime.dispatch(kind, method, args);
  };
  return {
    configure: (req) => call("configure", [req]),
    check: (olds, news) => call("check", [olds, news]),
    diff: (id, olds, news) => call("diff", [id, olds, news]),
    create: (inputs) => call("create", [inputs]),
    read: (id, props) => call("read", [id, props]),
    update: (id, olds, news) => call("update", [id, olds, news]),
    delete: (id, props) => call("delete", [id, props]),
  };
}

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

function declare<T extends object>(kind: ResourceKind) {
  const provider = shim(kind);
  return class extends pulumi.dynamic.Resource {
    constructor(name: string, args: Inputs<T>, opts?: pulumi.CustomResourceOptions) {
      super(provider, name, args, opts, RESOURCE_MODULE, kind);
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
