/**
 * Shape checks for the admin endpoint's PUT and PATCH /_sandbox/state bodies, run on the whole body
 * before any of it is applied (issue 17 item 5: a PATCH with users lacking `id` used to half-apply
 * and leave the store without ids until a reset). The shapes are model.ts's; fixtures fill in
 * defaults, the admin endpoint does not, so every required field must be there.
 */
import type { MUTABLE_STATE_KEYS } from "../model.ts";

/** Checks a value at a path; returns the first problem as "[path] problem", or null. */
type Check = (v: unknown, path: string) => string | null;

const at = (path: string, problem: string) => `[${path}] ${problem}`;
const sub = (path: string, key: string | number) => (path === "" ? String(key) : `${path}.${key}`);

const str: Check = (v, p) => (typeof v === "string" && v !== "" ? null : at(p, "must be a non-empty string"));
const text: Check = (v, p) => (typeof v === "string" ? null : at(p, "must be a string"));
const bool: Check = (v, p) => (typeof v === "boolean" ? null : at(p, "must be true or false"));
const orNull =
  (check: Check): Check =>
  (v, p) =>
    v === null ? null : check(v, p);
const oneOf =
  (...values: string[]): Check =>
  (v, p) =>
    typeof v === "string" && values.includes(v) ? null : at(p, `must be one of ${values.join(", ")}`);
const list =
  (check: Check): Check =>
  (v, p) => {
    if (!Array.isArray(v)) return at(p, "must be a list");
    for (const [i, x] of v.entries()) {
      const problem = check(x, sub(p, i));
      if (problem) return problem;
    }
    return null;
  };

/** An object with exactly these fields; a key ending in "?" is optional. */
const shape =
  (fields: Record<string, Check>): Check =>
  (v, p) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return at(p, "must be an object");
    const o = v as Record<string, unknown>;
    const known = Object.keys(fields).map((k) => k.replace(/\?$/, ""));
    for (const k of Object.keys(o))
      if (!known.includes(k)) return at(sub(p, k), `is not a field of ${p || "the state"}`);
    for (const [k, check] of Object.entries(fields)) {
      const name = k.replace(/\?$/, "");
      if (!(name in o) || o[name] === undefined) {
        if (k.endsWith("?")) continue;
        return at(sub(p, name), "is required");
      }
      const problem = check(o[name], sub(p, name));
      if (problem) return problem;
    }
    return null;
  };

/** Also refuses two entries with the same value of `key` (case-insensitive), which the store's indexes cannot hold. */
const uniqueList =
  (check: Check, ...keys: string[]): Check =>
  (v, p) => {
    const problem = list(check)(v, p);
    if (problem) return problem;
    for (const key of keys) {
      const seen = new Map<string, number>();
      for (const [i, x] of (v as Record<string, string>[]).entries()) {
        const value = x[key]!.toLowerCase();
        const first = seen.get(value);
        if (first !== undefined) return at(sub(p, `${i}.${key}`), `repeats ${sub(p, `${first}.${key}`)}`);
        seen.set(value, i);
      }
    }
    return null;
  };

const strs = list(str);
const count: Check = (v, p) => (Number.isInteger(v) && (v as number) >= 0 ? null : at(p, "must be a whole number"));
const oneOfPattern =
  (pattern: RegExp, what: string): Check =>
  (v, p) =>
    typeof v === "string" && pattern.test(v) ? null : at(p, `must be ${what}`);
/** An object whose every value passes `check` (any keys). */
const record =
  (check: Check): Check =>
  (v, p) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return at(p, "must be an object");
    for (const [k, x] of Object.entries(v)) {
      const problem = check(x, sub(p, k));
      if (problem) return problem;
    }
    return null;
  };

const STATE_FIELDS = {
  securityDefaultsEnabled: bool,
  organizationSmtpClientAuthenticationDisabled: bool,
  defaultAuthenticationPolicy: orNull(str),
  basicAuthSmtpRetired: bool,
  users: uniqueList(
    shape({
      id: str,
      userPrincipalName: str,
      displayName: text,
      mail: str,
      accountEnabled: bool,
      licenses: strs,
      hasMailbox: bool,
      directoryRoles: strs,
      "userType?": oneOf("Member", "Guest"),
      "planStatus?": record(oneOf("Disabled", "PendingProvisioning", "PendingInput", "PendingActivation", "Error")),
      perUserMfa: oneOf("disabled", "enabled", "enforced"),
      mfaMethodRegistered: bool,
      "smtpPassword?": text,
      locked: bool,
      smtpClientAuthenticationDisabled: orNull(bool),
      authenticationPolicy: orNull(str),
    }),
    "id",
    "userPrincipalName",
  ),
  authenticationPolicies: list(shape({ name: str, allowBasicAuthSmtp: bool })),
  conditionalAccessPolicies: list(
    shape({
      id: str,
      displayName: text,
      state: oneOf("enabled", "disabled", "enabledForReportingButNotEnforced"),
      clientAppTypes: strs,
      includeUsers: strs,
      excludeUsers: strs,
      builtInControls: strs,
      ...Object.fromEntries(
        ["Groups", "Roles", "Applications", "Locations", "Platforms"].flatMap((k) => [
          [`include${k}?`, strs],
          [`exclude${k}?`, strs],
        ]),
      ),
    }),
  ),
  groups: uniqueList(shape({ id: str, displayName: text, members: strs }), "id"),
  signInLogs: shape({
    premium: bool,
    records: list(
      shape({
        daysAgo: count,
        time: oneOfPattern(/^\d{2}:\d{2}:\d{2}$/u, "HH:MM:SS"),
        eventType: oneOf("interactiveUser", "nonInteractiveUser", "servicePrincipal"),
        userPrincipalName: orNull(str),
        appId: str,
        appDisplayName: text,
        clientAppUsed: text,
        resourceDisplayName: text,
        ipAddress: text,
        errorCode: count,
      }),
    ),
  }),
  apps: uniqueList(
    shape({
      appId: str,
      displayName: text,
      servicePrincipalId: str,
      secrets: strs,
      certificates: strs,
      roles: shape({ graph: strs, exchange: strs }),
      "directoryRoles?": strs,
      "federatedCredentials?": list(shape({ issuer: str, subject: str, audiences: strs, "publicKeyPem?": str })),
    }),
    "appId",
  ),
  exchangeServicePrincipals: list(shape({ appId: str, objectId: str, displayName: text })),
  mailboxPermissions: list(shape({ mailbox: str, user: str, accessRights: strs })),
} satisfies Record<(typeof MUTABLE_STATE_KEYS)[number], Check>;

/** State keys a tenant may leave out. */
const OPTIONAL_STATE_KEYS = new Set(["groups", "signInLogs"]);

/**
 * The first problem in a PATCH /_sandbox/state body, as "[users.2.id] is required", or null when
 * every key is a changeable state key and every value has its model.ts shape. Pure; never throws.
 */
export function statePatchProblem(body: Record<string, unknown>): string | null {
  for (const [k, v] of Object.entries(body)) {
    if (!Object.hasOwn(STATE_FIELDS, k)) return at(k, "is not a changeable state key");
    const problem = STATE_FIELDS[k as keyof typeof STATE_FIELDS](v, k);
    if (problem) return problem;
  }
  return null;
}

/**
 * The first problem in a PUT /_sandbox/state body (a whole TenantState for tenant `tenantId`), or
 * null. Every state key is required; tenantId cannot change.
 */
export function stateProblem(body: Record<string, unknown>, tenantId: string): string | null {
  if (body.tenantId !== tenantId) return at("tenantId", "cannot change");
  // A tenant without groups or sign-in logs leaves those keys out (TenantState marks them optional).
  const fields = Object.fromEntries(
    Object.entries(STATE_FIELDS).map(([k, check]) => [OPTIONAL_STATE_KEYS.has(k) ? `${k}?` : k, check]),
  );
  return shape({ tenantId: str, domain: str, ...fields })(body, "");
}
