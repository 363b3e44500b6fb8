/**
 * Blast radius (issue 16.9): one preview that changes SMTP AUTH or per-user MFA for more than
 * `maxChanges` items needs an explicit acknowledgement in the pack's config, so that a tenant-wide
 * change (a first adoption, a copy-pasted list, `others: inherit`) is a decision and not an accident.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { UNKNOWN, known } from "./support.ts";
import { TYPE_TOKENS } from "./tokens.ts";

/** More changed items than this in one preview need an acknowledgement, unless configured. */
export const DEFAULT_MAX_CHANGES = 25;

/** Config of {@link smtpAuthMfaBlastRadius}. */
export interface BlastRadiusConfig {
  maxChanges?: number;
  /** The number of changes a reviewer accepted for this change; at least the preview's count. */
  acknowledgedChanges?: number;
}

const COUNTED: readonly string[] = [
  TYPE_TOKENS.MailboxSmtpAuth,
  TYPE_TOKENS.PerUserMfa,
  TYPE_TOKENS.OrganizationSmtpAuth,
];

/**
 * A stack policy that counts the MailboxSmtpAuth, PerUserMfa and OrganizationSmtpAuth items the
 * preview creates or updates. Our providers record a `prior` output once they have applied an item,
 * and the engine shows a resource it is about to create or update with its planned inputs, which
 * have none: so an item without a known `prior` is one this preview changes. More than `maxChanges`
 * is a violation unless `acknowledgedChanges` is at least the count (an acknowledgement of 3,000
 * does not cover 10,000). Unknown values count as changes: the guard errs towards asking.
 */
export const smtpAuthMfaBlastRadius: StackValidationPolicy = {
  name: "smtp-auth-mfa-blast-radius",
  description:
    "One preview changes SMTP AUTH or per-user MFA for at most maxChanges items, unless acknowledgedChanges covers the count.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxChanges: {
        type: "integer",
        minimum: 0,
        default: DEFAULT_MAX_CHANGES,
        description: "How many SMTP AUTH or MFA items one preview may change without an acknowledgement.",
      },
      acknowledgedChanges: {
        type: "integer",
        minimum: 0,
        default: 0,
        description: "Set for one reviewed change: the number of changes accepted (at least the preview's count).",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<BlastRadiusConfig>();
    const max = config.maxChanges ?? DEFAULT_MAX_CHANGES;
    let changed = 0;
    let mailboxes = 0;
    let users = 0;
    for (const resource of args.resources) {
      if (!COUNTED.includes(resource.type)) continue;
      const prior = known(() => (resource.props as { prior?: unknown }).prior);
      if (prior !== UNKNOWN && prior !== undefined) continue;
      changed++;
      if (resource.type === TYPE_TOKENS.PerUserMfa) users++;
      else if (resource.type === TYPE_TOKENS.MailboxSmtpAuth) mailboxes++;
    }
    if (changed <= max) return;
    const acknowledged = config.acknowledgedChanges ?? 0;
    if (acknowledged >= changed) return;
    const what = [
      mailboxes > 0 ? `${mailboxes} mailbox${mailboxes === 1 ? "" : "es"}` : undefined,
      users > 0 ? `${users} MFA user${users === 1 ? "" : "s"}` : undefined,
      changed - mailboxes - users > 0 ? "the organisation's SMTP AUTH" : undefined,
    ].filter((w) => w !== undefined);
    const ack = acknowledged === 0 ? "" : ` The acknowledgement covers ${acknowledged}, fewer than ${changed}.`;
    reportViolation(
      `This preview changes SMTP AUTH or per-user MFA for ${changed} items (${what.join(", ")}), more than maxChanges ${max}.${ack} ` +
        `Review the list, then set "smtp-auth-mfa-blast-radius": { "acknowledgedChanges": ${changed} } in the policy pack config (--policy-pack-config) for this change, or split it into smaller pull requests.`,
    );
  },
};
