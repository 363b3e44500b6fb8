/**
 * The pack's policy list. Names are the keys of the pack's config (`--policy-pack-config`), so a
 * duplicate would make one policy's config silently apply to another: the registry refuses it.
 */
import type { Policies, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { smtpAuthMfaBlastRadius } from "./blastRadius.ts";
import { perUserMfaDisabledOnlyForExceptions } from "./mfa.ts";
import { securityDefaultsOffNeedsJustification } from "./securityDefaults.ts";
import { organizationSmtpAuthEnableDenied, smtpAuthExceptionOwnedAndExpiring } from "./smtpAuth.ts";

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** An ordered set of policies keyed by name. */
export class PolicyRegistry {
  readonly #byName = new Map<string, AnyPolicy>();

  constructor(policies: Iterable<AnyPolicy> = []) {
    for (const policy of policies) this.register(policy);
  }

  /** Adds `policy`; throws when its name is not kebab-case or is already registered. */
  register(policy: AnyPolicy): this {
    if (!KEBAB.test(policy.name)) throw new Error(`[name] policy name is not kebab-case: "${policy.name}"`);
    if (this.#byName.has(policy.name)) throw new Error(`[name] policy "${policy.name}" is already registered`);
    this.#byName.set(policy.name, policy);
    return this;
  }

  /** The registered policies, in registration order. */
  policies(): Policies {
    return [...this.#byName.values()];
  }
}

/** Every policy of the m365-smtp-auth pack, by area. */
export const m365Policies = new PolicyRegistry([
  securityDefaultsOffNeedsJustification,
  smtpAuthExceptionOwnedAndExpiring,
  organizationSmtpAuthEnableDenied,
  perUserMfaDisabledOnlyForExceptions,
  smtpAuthMfaBlastRadius,
]);
