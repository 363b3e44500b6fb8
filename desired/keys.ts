/**
 * The keys each mapping of tenant.yaml allows, and the patterns of its names: one source for the
 * validator (./walker.ts, ./sections/, ./tenant-yaml.ts) and the JSON Schema (./schema.ts), so the
 * two cannot drift apart on names.
 */
export const TOP_KEYS = ["securityDefaults", "smtpAuth", "mfa", "oauth", "conditionalAccessBaseline"] as const;
export const SECURITY_DEFAULTS_KEYS = ["enabled", "reason", "conditionalAccessBaseline", "riskAcceptance"] as const;
export const RISK_ACCEPTANCE_KEYS = ["owner", "ticket", "expires"] as const;
export const SMTP_AUTH_KEYS = ["organization", "mailboxes", "others"] as const;
export const EXCEPTION_KEYS = ["state", "owner", "ticket", "expires"] as const;
export const MFA_KEYS = ["users", "others"] as const;
export const OAUTH_KEYS = ["apps"] as const;
export const OAUTH_APP_KEYS = [
  "mailbox",
  "appId",
  "servicePrincipalObjectId",
  "create",
  "displayName",
  "credential",
] as const;
export const CREDENTIAL_KEYS = ["type", "file", "expires"] as const;
export const CREDENTIAL_TYPES = ["password", "certificate"] as const;
export const CA_BASELINE_KEYS = ["state", "serviceAccounts", "breakGlass"] as const;
/** App names become resource names: `exchange-sp-<name>`, `oauth-app-<name>`. */
export const APP_NAME = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/i;
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
