/**
 * Issue 16.7: a JSON Schema for tenant.yaml, for editor completion and hover (the YAML language
 * server reads `# yaml-language-server: $schema=…` at the top of the file). It is built from the key
 * lists and states that desired/tenant-yaml.ts validates with, so the two cannot drift apart on
 * names; desired/tenant.schema.json is its output (regenerate with `npm run schema`; a test checks it).
 *
 * The schema describes the shape only. The loader stays the judge: it also checks what a schema
 * cannot say well (dates that exist and are not past, duplicates ignoring case, cross-field rules),
 * and its messages name file, line and key. Run `m365-smtp-auth validate` for those.
 */
import {
  APP_NAME,
  CA_BASELINE_KEYS,
  CONDITIONAL_ACCESS_STATES,
  CREDENTIAL_KEYS,
  CREDENTIAL_TYPES,
  EXCEPTION_KEYS,
  GUID,
  MAILBOX_SMTP_AUTH_STATES,
  MFA_KEYS,
  MFA_OTHERS_POLICIES,
  OAUTH_APP_KEYS,
  OAUTH_KEYS,
  ORGANIZATION_SMTP_AUTH_STATES,
  OTHERS_POLICIES,
  PER_USER_MFA_STATES,
  RISK_ACCEPTANCE_KEYS,
  SECURITY_DEFAULTS_KEYS,
  SMTP_AUTH_KEYS,
  TOP_KEYS,
} from "./tenant-yaml.ts";

type Schema = Record<string, unknown>;

const ADDRESS = "^[^@\\s]+@[^@\\s]+\\.([A-Za-z]{2,63}|[Xx][Nn]--[A-Za-z0-9-]{1,59})$";
const DATE = "^\\d{4}-\\d{2}-\\d{2}$";
/** A JSON Schema pattern has no flags: spell the loader's case-insensitive patterns out. */
const caseless = (re: RegExp) => re.source.replaceAll("a-z", "a-zA-Z").replaceAll("0-9a-f", "0-9a-fA-F");

const text = (description: string): Schema => ({ type: "string", minLength: 1, description });
const address = (description: string): Schema => ({ type: "string", pattern: ADDRESS, description });
const date = (description: string): Schema => ({ type: "string", pattern: DATE, description });

/** A mapping whose keys are exactly `keys` (each described), none other. */
function mapping(keys: readonly string[], properties: Record<string, Schema>, extra: Schema = {}): Schema {
  const missing = keys.filter((k) => !(k in properties));
  const unknown = Object.keys(properties).filter((k) => !keys.includes(k));
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(
      `[schema] properties out of step with the loader: missing ${missing.join(",")} unknown ${unknown.join(",")}`,
    );
  }
  return { type: "object", additionalProperties: false, properties, ...extra };
}

function exception(states: readonly string[], what: string): Schema {
  return {
    oneOf: [
      { type: "string", enum: [...states], description: `short form: the ${what} state` },
      mapping(
        EXCEPTION_KEYS,
        {
          state: { type: "string", enum: [...states] },
          owner: address("who answers for the exception"),
          ticket: text("the change that approved it, e.g. CHG-1042"),
          expires: date("last day the exception is allowed, YYYY-MM-DD, not in the past"),
        },
        { required: ["state"] },
      ),
    ],
  };
}

/** The schema, as an object; the contract is JSON Schema draft-07. */
export function buildTenantSchema(): Schema {
  const top = mapping(TOP_KEYS, {
    securityDefaults: mapping(
      SECURITY_DEFAULTS_KEYS,
      {
        enabled: { type: "boolean", description: "whether Entra ID security defaults are on" },
        reason: text("why they are off (the policy pack requires one when enabled is false)"),
        conditionalAccessBaseline: { type: "boolean", description: "a Conditional Access baseline replaces them" },
        riskAcceptance: mapping(
          RISK_ACCEPTANCE_KEYS,
          {
            owner: address("accountable team"),
            ticket: text("where the acceptance was approved"),
            expires: date("revisit by this date, YYYY-MM-DD"),
          },
          { required: ["owner"] },
        ),
      },
      { required: ["enabled"], description: "Entra ID security defaults" },
    ),
    smtpAuth: mapping(
      SMTP_AUTH_KEYS,
      {
        organization: { type: "string", enum: [...ORGANIZATION_SMTP_AUTH_STATES], description: "Set-TransportConfig" },
        mailboxes: {
          type: "object",
          propertyNames: { pattern: ADDRESS },
          additionalProperties: exception(MAILBOX_SMTP_AUTH_STATES, "SMTP AUTH"),
          description: "per-mailbox SMTP AUTH (Set-CASMailbox); enabled needs owner and expires",
        },
        others: { type: "string", enum: [...OTHERS_POLICIES], description: "mailboxes not listed by name" },
      },
      { minProperties: 1 },
    ),
    mfa: mapping(
      MFA_KEYS,
      {
        users: {
          type: "object",
          propertyNames: { pattern: ADDRESS },
          additionalProperties: exception(PER_USER_MFA_STATES, "per-user MFA"),
        },
        others: {
          type: "string",
          enum: [...MFA_OTHERS_POLICIES],
          description: "per-user MFA for every user not listed by name (issue 15.5)",
        },
      },
      { minProperties: 1 },
    ),
    oauth: mapping(
      OAUTH_KEYS,
      {
        apps: {
          type: "object",
          propertyNames: { pattern: caseless(APP_NAME) },
          additionalProperties: mapping(
            OAUTH_APP_KEYS,
            {
              mailbox: address("the mailbox the app sends as"),
              appId: { type: "string", pattern: caseless(GUID), description: "application (client) id" },
              servicePrincipalObjectId: {
                type: "string",
                pattern: caseless(GUID),
                description: "object id of the enterprise application (service principal)",
              },
              create: { type: "boolean", description: "declare a new app registration with @pulumi/azuread" },
              displayName: text("display name"),
              credential: mapping(
                CREDENTIAL_KEYS,
                {
                  type: { type: "string", enum: [...CREDENTIAL_TYPES] },
                  file: text("PEM file with the public certificate, relative to tenant.yaml"),
                  expires: date("the credential's end date"),
                },
                { required: ["type"] },
              ),
            },
            { required: ["mailbox"] },
          ),
        },
      },
      { required: ["apps"] },
    ),
    conditionalAccessBaseline: mapping(
      CA_BASELINE_KEYS,
      {
        state: { type: "string", enum: [...CONDITIONAL_ACCESS_STATES] },
        serviceAccounts: { type: "array", items: { type: "string", pattern: ADDRESS } },
        breakGlass: { type: "array", minItems: 1, items: { type: "string", pattern: ADDRESS } },
      },
      { required: ["state", "breakGlass"] },
    ),
  });
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $comment: "Generated by desired/schema.ts: do not edit, regenerate with `npm run schema`.",
    title: "m365-smtp-auth tenant.yaml",
    description:
      "Desired SMTP AUTH, security defaults and per-user MFA state of one Microsoft 365 tenant (docs/tenant-yaml.md).",
    ...top,
  };
}

/** The schema file's text: two-space JSON and a final newline, as Prettier writes it. */
export function tenantSchemaText(): string {
  return `${JSON.stringify(buildTenantSchema(), null, 2)}\n`;
}

if (import.meta.main) process.stdout.write(tenantSchemaText());
