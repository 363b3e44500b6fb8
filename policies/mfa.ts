/**
 * Per-user MFA: `disabled` only for declared SMTP AUTH exceptions, never for administrators
 * (issue 6).
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import type { MailboxSmtpAuthInputs, PerUserMfaInputs } from "../providers/types.ts";
import { UNKNOWN, known, knownStrings } from "./support.ts";
import { TYPE_TOKENS } from "./tokens.ts";

/** Role-name fragments that mark an admin role unless configured: every "… Administrator" role. */
export const DEFAULT_ADMIN_ROLE_PATTERNS = ["Administrator"];

/** Config of {@link perUserMfaDisabledOnlyForExceptions}. */
export interface PerUserMfaConfig {
  /** A directory role is an admin role when its name contains one of these (case-insensitive). */
  adminRolePatterns?: string[];
}

/** Lower-cased addresses of mailboxes declared enabled, and whether some mailbox could not be read. */
function smtpAuthExceptions(resources: PolicyResource[]): { addresses: Set<string>; incomplete: boolean } {
  const addresses = new Set<string>();
  let incomplete = false;
  for (const resource of resources) {
    if (resource.type !== TYPE_TOKENS.MailboxSmtpAuth) continue;
    const props = resource.props as Partial<MailboxSmtpAuthInputs>;
    const state = known(() => props.state);
    const mailbox = known(() => props.mailbox);
    if (state === UNKNOWN || mailbox === UNKNOWN) incomplete = true;
    else if (state === "enabled" && typeof mailbox === "string") addresses.add(mailbox.toLowerCase());
  }
  return { addresses, incomplete };
}

/**
 * A stack policy over PerUserMfa resources with `state: disabled`: the user must hold no directory
 * role whose name contains one of `adminRolePatterns`, and must be a declared SMTP AUTH exception (a
 * MailboxSmtpAuth with `state: enabled` for the same address, compared case-insensitively). It reads
 * the resources' outputs, which our providers keep equal to their inputs. Unknown values skip the
 * check they feed; an unknown mailbox anywhere skips the exception check.
 */
export const perUserMfaDisabledOnlyForExceptions: StackValidationPolicy = {
  name: "per-user-mfa-disabled-only-for-exceptions",
  description:
    "Per-user MFA is disabled only for declared SMTP AUTH exceptions and never for a user who holds an admin role.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      adminRolePatterns: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_ADMIN_ROLE_PATTERNS,
        description: "A directory role counts as an admin role when its name contains one of these (case-insensitive).",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const patterns = (args.getConfig<PerUserMfaConfig>().adminRolePatterns ?? DEFAULT_ADMIN_ROLE_PATTERNS).map((p) =>
      p.toLowerCase(),
    );
    const exceptions = smtpAuthExceptions(args.resources);
    for (const resource of args.resources) {
      if (resource.type !== TYPE_TOKENS.PerUserMfa) continue;
      const props = resource.props as Partial<PerUserMfaInputs>;
      if (known(() => props.state) !== "disabled") continue;
      const user = known(() => props.user);
      if (user === UNKNOWN) continue;
      const who = typeof user === "string" && user !== "" ? user : resource.name;

      const roles = known(() => props.directoryRoles);
      const adminRoles =
        roles === UNKNOWN ? [] : knownStrings(roles).filter((r) => patterns.some((p) => r.toLowerCase().includes(p)));
      if (adminRoles.length > 0) {
        const held = adminRoles.length === 1 ? "the admin role" : "the admin roles";
        reportViolation(
          `Per-user MFA is disabled for ${who}, who holds ${held} ${adminRoles.join(", ")}: administrators keep MFA; send from a separate mailbox without admin roles, or with OAuth.`,
          resource.urn,
        );
      }
      if (!exceptions.incomplete && !exceptions.addresses.has(who.toLowerCase())) {
        reportViolation(
          `Per-user MFA is disabled for ${who}, who is not a declared SMTP AUTH exception: declare smtpAuth.mailboxes.${who} with state enabled, or keep MFA on.`,
          resource.urn,
        );
      }
    }
  },
};
