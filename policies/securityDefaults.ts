/**
 * Security defaults: turning them off must be justified (issue 6).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { SecurityDefaultsInputs } from "../providers/types.ts";
import { TODAY_SCHEMA, UNKNOWN, isDay, known, nonEmpty, show, todayFrom, type TodayConfig } from "./support.ts";
import { TYPE_TOKENS } from "./tokens.ts";

/** Config of {@link securityDefaultsOffNeedsJustification}. */
export type SecurityDefaultsConfig = TodayConfig;

/**
 * SecurityDefaults with `enabled: false` needs a non-blank `reason`, and a compensating control:
 * `conditionalAccessBaseline: true`, `mfaOthers: enforced` (tenant.yaml `mfa.others: enforced`,
 * per-user MFA enforced for every user not listed; issue 15.5), or a `riskAcceptance` with an owner
 * whose `expires` (when set) has not passed. A baseline or `mfa.others: enforced` makes the risk
 * acceptance optional and unchecked; `mfa.others: enabled` does not (a user without a registered
 * method is not asked for MFA). Unknown values skip the check they feed.
 */
export const securityDefaultsOffNeedsJustification: ResourceValidationPolicy = {
  name: "security-defaults-off-needs-justification",
  description:
    "Turning security defaults off needs a stated reason and a Conditional Access baseline, per-user MFA enforced for everyone else, or an owned, unexpired risk acceptance.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { today: TODAY_SCHEMA } },
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPE_TOKENS.SecurityDefaults) return;
    const props = args.props as Partial<SecurityDefaultsInputs>;
    if (known(() => props.enabled) !== false) return;

    const reason = known(() => props.reason);
    if (reason !== UNKNOWN && !nonEmpty(reason)) {
      reportViolation("Security defaults are turned off without a reason: set securityDefaults.reason in tenant.yaml.");
    }

    const baseline = known(() => props.conditionalAccessBaseline);
    if (baseline === true || baseline === UNKNOWN) return;
    const mfaOthers = known(() => props.mfaOthers);
    if (mfaOthers === "enforced" || mfaOthers === UNKNOWN) return;
    const acceptance = known(() => props.riskAcceptance);
    if (acceptance === UNKNOWN) return;
    if (acceptance === undefined || acceptance === null) {
      reportViolation(
        "Security defaults are turned off with no Conditional Access baseline, no mfa.others: enforced and no risk acceptance: set securityDefaults.conditionalAccessBaseline to true, mfa.others to enforced, or securityDefaults.riskAcceptance with an owner.",
      );
      return;
    }
    const owner = known(() => acceptance.owner);
    if (owner !== UNKNOWN && !nonEmpty(owner)) {
      reportViolation(
        "The risk acceptance for turning security defaults off has no owner: set securityDefaults.riskAcceptance.owner.",
      );
    }
    const expires = known(() => acceptance.expires);
    if (expires === UNKNOWN || expires === undefined || expires === null) return;
    if (!isDay(expires)) {
      reportViolation(
        `The risk acceptance for turning security defaults off has an invalid expiry ${show(expires)}: use YYYY-MM-DD.`,
      );
    } else if (expires < todayFrom(args.getConfig<SecurityDefaultsConfig>())) {
      reportViolation(
        `The risk acceptance for turning security defaults off expired on ${expires}: renew it or turn security defaults back on.`,
      );
    }
  },
};
