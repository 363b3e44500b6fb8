/**
 * Effective SMTP AUTH after the change: for each mailbox declared `enabled` (a device meant to send),
 * the facts the program declares (security defaults, SMTP AUTH switches, per-user MFA) stand in for
 * what the tenant has now; the rest (the account, licences, Conditional Access, authentication
 * policies) is read from the tenant. The verdict comes from the one gates module.
 *
 * It judges configuration, not the device's password: passwords are taken as right and accounts as
 * not locked. A fact that cannot be read (for instance Conditional Access without Policy.Read.All) is
 * "unknown" and makes the verdict incomplete rather than wrong.
 */
import type { DesiredState } from "../desired/tenant-yaml.ts";
import type { ConditionalAccessPolicy } from "../sandbox/model.ts";
import { evaluateGates, UNKNOWN, type Fact, type GateFacts, type GateId } from "../m365/gates.ts";
import { ApiError } from "../tenant/http.ts";
import { PermissionError, type TenantApi } from "../tenant/api.ts";

export interface EffectiveSmtpAuth {
  /** Can the mailbox authenticate with a password over SMTP AUTH once the stack is applied? */
  canSend: boolean;
  /** The first gate that blocks, if any. */
  blockedBy: GateId | null;
  /** Why, in one sentence; for a block, Exchange's reply too. */
  reason: string;
  /** Gates that could not be judged because a fact could not be read. */
  unknown: GateId[];
}

/** Reads a fact; a missing permission makes it unknown, any other failure is an error. */
async function fact<T>(read: () => Promise<T>): Promise<Fact<T>> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof PermissionError) return UNKNOWN;
    throw err;
  }
}

/** Exchange-bearing service plans, by name prefix: a mailbox needs one of them. */
const EXCHANGE_PLAN = /^EXCHANGE_|^EXCHANGESTANDARD|^EXCHANGEENTERPRISE/i;

/** True when Graph `users/{id}/licenseDetails` rows include an Exchange-bearing service plan. */
export function hasExchangeLicence(licenseDetails: readonly Record<string, unknown>[]): boolean {
  return licenseDetails.some((l) =>
    ((l.servicePlans as { servicePlanName?: string }[] | undefined) ?? []).some((p) =>
      EXCHANGE_PLAN.test(p.servicePlanName ?? ""),
    ),
  );
}

export async function effectiveSmtpAuth(
  api: TenantApi,
  desired: DesiredState,
): Promise<Record<string, EffectiveSmtpAuth>> {
  const devices = desired.mailboxes.filter((m) => m.state === "enabled");
  if (devices.length === 0) return {};

  const [securityDefaults, organizationDisabled, policies, orgConfig] = await Promise.all([
    desired.securityDefaults ? desired.securityDefaults.enabled : fact(() => api.getSecurityDefaults()),
    desired.organizationSmtpAuth
      ? desired.organizationSmtpAuth.state === "disabled"
      : fact(() => api.getOrganizationSmtpAuthDisabled()),
    fact(() => api.graphList("/v1.0/identity/conditionalAccess/policies")),
    fact(async () => (await api.invoke("Get-OrganizationConfig", {}))[0] ?? {}),
  ]);
  const authPolicies = await fact(() => api.invoke("Get-AuthenticationPolicy", {}));

  const result: Record<string, EffectiveSmtpAuth> = {};
  await Promise.all(
    devices.map(async (device) => {
      const address = device.mailbox;
      const user = await fact(async () => {
        try {
          return await api.getUser(address);
        } catch (err) {
          if (err instanceof ApiError && err.code === "NOT_FOUND") return null;
          throw err;
        }
      });
      const userId: Fact<string> = user === UNKNOWN ? UNKNOWN : (user?.id ?? UNKNOWN);
      const licensed =
        user === UNKNOWN || user === null
          ? UNKNOWN
          : await fact(async () =>
              hasExchangeLicence(await api.graphList(`/v1.0/users/${encodeURIComponent(user.id)}/licenseDetails`)),
            );
      const declaredMfa = desired.mfaUsers.find((u) => u.user === address)?.state;
      const perUserMfa = declaredMfa ?? (await fact(() => api.getPerUserMfa(address)));
      const exchangeUser = await fact(async () => (await api.invoke("Get-User", { Identity: address }))[0] ?? {});
      const authenticationPolicy = authenticationPolicyInEffect(exchangeUser, orgConfig, authPolicies);

      const verdict = evaluateGates({
        mechanism: "basic",
        userId,
        mailboxExists: user === UNKNOWN ? UNKNOWN : user !== null,
        licensed,
        accountEnabled: user === UNKNOWN || user === null ? UNKNOWN : user.accountEnabled !== false,
        passwordCorrect: true,
        accountLocked: false,
        securityDefaultsEnabled: securityDefaults,
        conditionalAccessPolicies: policies === UNKNOWN ? UNKNOWN : policies.map((p) => conditionalAccessFromGraph(p)),
        perUserMfa,
        mfaMethodRegistered: perUserMfa === "enabled" ? UNKNOWN : false,
        mailboxSmtpAuthDisabled: false,
        organizationSmtpAuthDisabled: organizationDisabled,
        authenticationPolicy,
        // Microsoft has not published how a tenant's retirement will be read; see the README.
        basicAuthSmtpRetired: false,
        exchangeServicePrincipalRegistered: UNKNOWN,
        mailboxPermissionGranted: UNKNOWN,
      });
      const unknown = verdict.gates.filter((g) => g.status === "unknown").map((g) => g.id);
      const blocking = verdict.gates.find((g) => g.id === verdict.blockingGate);
      result[address] = {
        canSend: verdict.allowed,
        blockedBy: verdict.blockingGate ?? null,
        reason: blocking
          ? `${blocking.reason}${verdict.reply ? ` (${verdict.reply.code} ${verdict.reply.enhanced} ${verdict.reply.text})` : ""}`
          : unknown.length > 0
            ? `nothing blocks, but these could not be read: ${unknown.join(", ")}`
            : "every gate passes",
        unknown,
      };
    }),
  );
  return result;
}

/**
 * The Exchange authentication policy in effect for a user: the one assigned to them (Get-User
 * AuthenticationPolicy), else the organisation's default (Get-OrganizationConfig), else none. Names
 * match case-insensitively, as Exchange identities do.
 */
export function authenticationPolicyInEffect(
  exchangeUser: Fact<Record<string, unknown>>,
  orgConfig: Fact<Record<string, unknown>>,
  policies: Fact<readonly Record<string, unknown>[]>,
): GateFacts["authenticationPolicy"] {
  if (exchangeUser === UNKNOWN || orgConfig === UNKNOWN) return UNKNOWN;
  const name =
    (exchangeUser.AuthenticationPolicy as string | null | undefined) ??
    (orgConfig.DefaultAuthenticationPolicy as string | null | undefined) ??
    null;
  if (name === null) return null;
  if (policies === UNKNOWN) return UNKNOWN;
  const policy = policies.find((p) => typeof p.Name === "string" && p.Name.toLowerCase() === name.toLowerCase());
  return { name, allowBasicAuthSmtp: Boolean(policy?.AllowBasicAuthSmtp) };
}

/** Graph conditionalAccessPolicy → the fields the gates read. */
export function conditionalAccessFromGraph(p: Record<string, unknown>): ConditionalAccessPolicy {
  const conditions = (p.conditions ?? {}) as {
    clientAppTypes?: string[];
    users?: { includeUsers?: string[]; excludeUsers?: string[] };
  };
  const grant = (p.grantControls ?? {}) as { builtInControls?: string[] };
  return {
    id: String(p.id),
    displayName: typeof p.displayName === "string" ? p.displayName : "",
    state: p.state as ConditionalAccessPolicy["state"],
    clientAppTypes: conditions.clientAppTypes ?? [],
    includeUsers: conditions.users?.includeUsers ?? [],
    excludeUsers: conditions.users?.excludeUsers ?? [],
    builtInControls: grant.builtInControls ?? [],
  };
}
