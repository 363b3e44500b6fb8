/**
 * The shapes of a validated tenant.yaml (DesiredState and its sections) and of the problems found in
 * one. The loader is ./tenant-yaml.ts; the validation of each section is in ./sections/.
 */
import type {
  MailboxSmtpAuthInputs,
  OrganizationSmtpAuthInputs,
  PerUserMfaInputs,
  SecurityDefaultsInputs,
} from "../providers/types.ts";

/** A 1-based position in the source file. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** What `smtpAuth.others` asks for mailboxes that are not listed under `smtpAuth.mailboxes`. */
export const OTHERS_POLICIES = ["unmanaged", "inherit"] as const;
export type OthersPolicy = (typeof OTHERS_POLICIES)[number];

/** What `mfa.others` asks for users that are not listed under `mfa.users` (issue 15.5). */
export const MFA_OTHERS_POLICIES = ["unmanaged", "enabled", "enforced"] as const;
export type MfaOthersPolicy = (typeof MFA_OTHERS_POLICIES)[number];

/**
 * A validated tenant.yaml. An absent section is unmanaged: its inputs are `undefined` (or an empty
 * list), and the program declares no resource for it. Addresses are lower case; lists keep file order.
 */
export interface DesiredState {
  /** The file as it was named to the loader; used in every message that cites a position. */
  file: string;
  securityDefaults?: SecurityDefaultsInputs;
  organizationSmtpAuth?: OrganizationSmtpAuthInputs;
  mailboxes: MailboxSmtpAuthInputs[];
  othersPolicy: OthersPolicy;
  mfaUsers: PerUserMfaInputs[];
  /** `mfa.others`: per-user MFA for every user not listed under `mfa.users`; default `unmanaged`. */
  mfaOthers: MfaOthersPolicy;
  /** Issue 8: apps that send over SMTP with OAuth (XOAUTH2), in file order; `[]` when `oauth` is absent. */
  oauthApps: OAuthAppDeclaration[];
  /** Issue 8: the Conditional Access baseline, when declared. */
  conditionalAccessBaseline?: ConditionalAccessBaselineDeclaration;
  /**
   * Where each declared key starts, by key path with lower-case addresses, e.g.
   * `smtpAuth.mailboxes.scanner@contoso.com` or `smtpAuth.mailboxes.scanner@contoso.com.expires`.
   * The doctor and the PR comment use it to cite `file:line`.
   */
  locations: Map<string, SourcePosition>;
}

// ---- Issue 8: OAuth for SMTP and the Conditional Access baseline ---------------------------------

/** What every OAuth app declaration has. */
interface OAuthAppCommon {
  /** The key under `oauth.apps`; names the resources (letters, digits and dashes). */
  name: string;
  /** The mailbox the app sends as, lower case. */
  mailbox: string;
  /** Display name for a created app registration, or for the Exchange service principal. */
  displayName?: string;
}

/** An app registration that already exists: the program registers it in Exchange and grants FullAccess. */
export interface ExistingOAuthApp extends OAuthAppCommon {
  kind: "existing";
  /** Application (client) id, lower case. */
  appId: string;
  /** Object id of the app's service principal (the enterprise application), lower case. */
  servicePrincipalObjectId: string;
}

/** How a created app proves itself: a client secret (a Pulumi secret output) or a public certificate. */
export type OAuthCredential =
  | { type: "password"; expires?: string }
  | {
      type: "certificate";
      /** The certificate file as written in tenant.yaml (relative to it). */
      file: string;
      /** Its PEM text: a public certificate only, never a private key. */
      pem: string;
      expires?: string;
    };

/** `create: true`: the app registration, its service principal and SMTP.SendAsApp with admin consent are declared with @pulumi/azuread. */
export interface CreatedOAuthApp extends OAuthAppCommon {
  kind: "create";
  credential: OAuthCredential;
}

export type OAuthAppDeclaration = ExistingOAuthApp | CreatedOAuthApp;

export const CONDITIONAL_ACCESS_STATES = ["reportOnly", "on"] as const;
export type ConditionalAccessBaselineState = (typeof CONDITIONAL_ACCESS_STATES)[number];

/** `conditionalAccessBaseline`: three Conditional Access policies that replace security defaults. */
export interface ConditionalAccessBaselineDeclaration {
  /** reportOnly → enabledForReportingButNotEnforced; on → enabled. */
  state: ConditionalAccessBaselineState;
  /** User principal names excluded from "require MFA for all users" (lower case, file order). */
  serviceAccounts: string[];
  /** Emergency-access accounts excluded from every policy of the baseline (lower case, at least one). */
  breakGlass: string[];
}

/** One problem in a tenant.yaml. `line`/`column` are 1-based; 0 when the file could not be read. */
export interface DesiredStateIssue {
  file: string;
  line: number;
  column: number;
  /** Key path such as `smtpAuth.mailboxes.scanner@contoso.com.owner`; empty for file-level problems. */
  key: string;
  message: string;
}

export interface DesiredStateOptions {
  /** Today's date, YYYY-MM-DD (UTC), for the expiry check; defaults to the current UTC date. */
  today?: string;
}
