/**
 * The shapes `m365-smtp-auth usage` passes between its stages: sign-ins (from Entra's sign-in logs
 * or the Exchange admin center's CSV export), per-account usage, and the joined readiness report.
 * Types only.
 */

/** How an account authenticated to SMTP AUTH: a password (Basic) or an app-only token (OAuth). */
export type UsageMechanism = "basic" | "oauth";

/** One SMTP AUTH sign-in as the sign-in logs record it. */
export interface SmtpSignIn {
  /** The user principal name (Basic) or the app id (OAuth), lower case. */
  account: string;
  kind: "user" | "app";
  mechanism: UsageMechanism;
  /** createdDateTime, ISO 8601 UTC. */
  at: string;
  /** status.errorCode 0. */
  ok: boolean;
  errorCode: number;
  failureReason: string;
  ipAddress: string;
  appId: string;
  appDisplayName: string;
}

/** What one account did in the window, from either source. */
export interface AccountUsage {
  account: string;
  kind: "user" | "app";
  mechanism: UsageMechanism;
  /** Display name of the app, for OAuth accounts. */
  displayName: string | null;
  /** Successful sign-ins (logs) or messages sent (CSV). */
  logins: number;
  failures: number;
  /** Last sign-in (successful or not), ISO; null when the source has no dates (CSV). */
  lastSeen: string | null;
  /** Successful sign-ins per UTC day (YYYY-MM-DD); empty for the CSV source. */
  perDay: Record<string, number>;
  /** Failed sign-ins per error code, e.g. { "50076": 5 }. */
  errorCodes: Record<string, number>;
  /** Source IP addresses, sorted. */
  ipAddresses: string[];
}

/** Where the usage came from. */
export type UsageSource = "sign-in-logs" | "csv";

/** Usage for a window, from one source. */
export interface UsageData {
  source: UsageSource;
  /** First and last day of the window, YYYY-MM-DD (UTC). */
  since: string;
  until: string;
  accounts: AccountUsage[];
}

/** A yes/no answer about sending, with the reason. `if-re-enabled`: only if an admin turns Basic back on. */
export interface Verdict {
  answer: "yes" | "no" | "if-re-enabled" | "unknown";
  reason: string;
}

export type RecommendedPath =
  "keep-oauth" | "oauth" | "high-volume-email" | "connector" | "graph-sendmail" | "keep-off";

/** The declared SMTP AUTH exception of a mailbox in tenant.yaml. */
export interface DeclaredException {
  owner: string | null;
  ticket: string | null;
  expires: string | null;
}

/** One account's readiness: usage joined with tenant.yaml and the gates. */
export interface AccountReadiness extends AccountUsage {
  /** The mailbox it sends as: the user itself, or the mailbox tenant.yaml declares for the app. */
  mailbox: string | null;
  exception: DeclaredException | null;
  today: Verdict;
  /** After the end-of-December-2026 change (Basic off by default for existing tenants). */
  afterDefaultOff: Verdict;
  /** After Microsoft removes Basic for SMTP AUTH (second half of 2027). */
  afterRemoval: Verdict;
  recommendation: { path: RecommendedPath; reason: string };
}

/** The readiness report every renderer (terminal, Markdown, HTML) draws from. */
export interface UsageReport {
  today: string;
  days: number;
  source: UsageSource;
  since: string;
  until: string;
  tenantFile: string | null;
  accounts: AccountReadiness[];
  /** Basic users with a successful sign-in and no declared exception, sorted. */
  undeclared: string[];
  /** Declared exceptions nobody signed in with in the window. */
  unused: { mailbox: string; owner: string | null; expires: string | null }[];
  /** Declared exceptions expiring within `expiringWithinDays`, soonest first. */
  expiring: { mailbox: string; owner: string | null; expires: string; daysLeft: number }[];
  expiringWithinDays: number;
}
