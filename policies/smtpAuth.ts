/**
 * SMTP AUTH: per-mailbox exceptions are owned and expire; the organisation-wide switch stays off
 * (issue 6).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { MailboxSmtpAuthInputs, OrganizationSmtpAuthInputs } from "../providers/types.ts";
import {
  TODAY_SCHEMA,
  UNKNOWN,
  addMonths,
  isDay,
  known,
  nonEmpty,
  show,
  todayFrom,
  type TodayConfig,
} from "./support.ts";
import { TYPE_TOKENS } from "./tokens.ts";

/** The longest an SMTP AUTH exception may run, in months from today, unless configured. */
export const DEFAULT_MAX_EXCEPTION_MONTHS = 12;

/** Config of {@link smtpAuthExceptionOwnedAndExpiring}. */
export interface SmtpAuthExceptionConfig extends TodayConfig {
  maxExceptionMonths?: number;
}

/**
 * MailboxSmtpAuth with `state: enabled` needs `owner`, `ticket` and `expires`; `expires` is a
 * YYYY-MM-DD day, not before today and at most `maxExceptionMonths` calendar months after today.
 * Each missing or bad field is its own violation; unknown values skip the check they feed.
 */
export const smtpAuthExceptionOwnedAndExpiring: ResourceValidationPolicy = {
  name: "smtp-auth-exception-owned-and-expiring",
  description:
    "Every mailbox with SMTP AUTH enabled has an owner, a ticket and an expiry that has not passed and is at most maxExceptionMonths ahead.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxExceptionMonths: {
        type: "integer",
        minimum: 1,
        default: DEFAULT_MAX_EXCEPTION_MONTHS,
        description: "How many months ahead an exception's expiry may be.",
      },
      today: TODAY_SCHEMA,
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPE_TOKENS.MailboxSmtpAuth) return;
    const props = args.props as Partial<MailboxSmtpAuthInputs>;
    if (known(() => props.state) !== "enabled") return;
    const mailbox = known(() => props.mailbox);
    const who = typeof mailbox === "string" && mailbox !== "" ? mailbox : args.name;
    const entry = `smtpAuth.mailboxes.${who}`;

    const owner = known(() => props.owner);
    if (owner !== UNKNOWN && !nonEmpty(owner)) {
      reportViolation(`SMTP AUTH exception for ${who} has no owner: set owner on ${entry} in tenant.yaml.`);
    } else if (owner !== UNKNOWN && /\.invalid$/i.test(owner)) {
      // `usage --propose` writes an owner in the reserved .invalid domain (RFC 2606): a person must decide (issue 15).
      reportViolation(
        `SMTP AUTH exception for ${who} has a placeholder owner (${owner}): set the person or team who answers for it as owner on ${entry} in tenant.yaml.`,
      );
    }
    const ticket = known(() => props.ticket);
    if (ticket !== UNKNOWN && !nonEmpty(ticket)) {
      reportViolation(`SMTP AUTH exception for ${who} has no ticket: set ticket on ${entry} in tenant.yaml.`);
    }

    const config = args.getConfig<SmtpAuthExceptionConfig>();
    const maxMonths = config.maxExceptionMonths ?? DEFAULT_MAX_EXCEPTION_MONTHS;
    const expires = known(() => props.expires);
    if (expires === UNKNOWN) return;
    if (expires === undefined || expires === null || expires === "") {
      reportViolation(
        `SMTP AUTH exception for ${who} has no expiry: set expires (YYYY-MM-DD, at most ${maxMonths} months ahead) on ${entry} in tenant.yaml.`,
      );
      return;
    }
    if (!isDay(expires)) {
      reportViolation(`SMTP AUTH exception for ${who} has an invalid expiry ${show(expires)}: use YYYY-MM-DD.`);
      return;
    }
    const today = todayFrom(config);
    const latest = addMonths(today, maxMonths);
    if (expires < today) {
      reportViolation(
        `SMTP AUTH exception for ${who} expired on ${expires}: renew it with a new ticket, or set the mailbox back to inherit.`,
      );
    } else if (expires > latest) {
      reportViolation(
        `SMTP AUTH exception for ${who} expires on ${expires}, more than ${maxMonths} months ahead (latest allowed: ${latest}): shorten it.`,
      );
    }
  },
};

/** Config of {@link organizationSmtpAuthEnableDenied}. */
export interface OrganizationSmtpAuthConfig {
  allowOrganizationSmtpAuth?: boolean;
}

/**
 * OrganizationSmtpAuth with `state: enabled` is a violation unless the pack's config sets
 * `allowOrganizationSmtpAuth: true` for this policy. An unknown state is skipped.
 */
export const organizationSmtpAuthEnableDenied: ResourceValidationPolicy = {
  name: "organization-smtp-auth-enable-denied",
  description: "SMTP AUTH stays off for the whole organisation unless the policy config allows it.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowOrganizationSmtpAuth: {
        type: "boolean",
        default: false,
        description: "Allow turning SMTP AUTH on for every mailbox of the organisation.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPE_TOKENS.OrganizationSmtpAuth) return;
    const props = args.props as Partial<OrganizationSmtpAuthInputs>;
    if (known(() => props.state) !== "enabled") return;
    if (args.getConfig<OrganizationSmtpAuthConfig>().allowOrganizationSmtpAuth === true) return;
    reportViolation(
      "SMTP AUTH is turned on for the whole organisation: keep smtpAuth.organization disabled and declare per-mailbox exceptions, or allow it with allowOrganizationSmtpAuth: true in this policy's config.",
    );
  },
};
