/**
 * Effective SMTP AUTH after the change, the stack output `effective`: for each device mailbox
 * (declared `enabled`, or the mailbox of a declared OAuth app), the facts the program declares
 * (security defaults, SMTP AUTH switches, per-user MFA, the OAuth app's Exchange registration and
 * mailbox permission) stand in for what the tenant has now; the rest is read through the one facts
 * reader (tenant/facts.ts). The verdict comes from the one gates module.
 *
 * It judges configuration, not the device's password: passwords are taken as right and accounts as
 * not locked. A fact that cannot be read, for lack of permission or because the read failed after
 * its retries, is "unknown" and makes the verdict `unknown` rather than wrong or fatal.
 */
import type { DesiredState } from "../desired/tenant-yaml.ts";
import {
  UNKNOWN,
  evaluateGates,
  mfaSatisfies,
  type Fact,
  type GateFacts,
  type GateId,
  type GateVerdict,
  type Mechanism,
} from "../m365/gates.ts";
import type { PerUserMfaState } from "../m365/model.ts";
import type { TenantApi } from "../tenant/api.ts";
import { readMailboxFacts, readTenantWideFacts } from "../tenant/facts.ts";

/** `sends`: every gate passes; `blocked`: a gate blocks; `unknown`: nothing blocks but a fact could not be read. */
export type EffectiveStatus = "sends" | "blocked" | "unknown";

export interface EffectiveSmtpAuth {
  /** How the device signs in: `oauth` when tenant.yaml declares an OAuth app for the mailbox. */
  mechanism: Mechanism;
  status: EffectiveStatus;
  /** Can the mailbox authenticate over SMTP AUTH, with its mechanism, once the stack is applied? */
  canSend: boolean;
  /** The first gate that blocks, if any. */
  blockedBy: GateId | null;
  /** Why, in one sentence; for a block, Exchange's reply too. */
  reason: string;
  /** Gates that could not be judged because a fact could not be read. */
  unknown: GateId[];
  /** OAuth mailboxes: what a password (Basic) would meet, for information. */
  passwordNote?: string;
}

export interface EffectiveOptions {
  /** Today, YYYY-MM-DD (UTC); defaults to the current date. */
  today?: string;
  /** Judge these mailboxes instead of the declared devices (tests, reports). */
  mailboxes?: string[];
}

/** The device mailboxes of a desired state: declared `enabled`, or sending with a declared OAuth app. */
export function deviceMailboxes(desired: DesiredState): string[] {
  const set = new Set(desired.mailboxes.filter((m) => m.state === "enabled").map((m) => m.mailbox));
  for (const app of desired.oauthApps) set.add(app.mailbox);
  return [...set];
}

export async function effectiveSmtpAuth(
  api: TenantApi,
  desired: DesiredState,
  opts: EffectiveOptions = {},
): Promise<Record<string, EffectiveSmtpAuth>> {
  const devices = opts.mailboxes ?? deviceMailboxes(desired);
  if (devices.length === 0) return {};
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const tenant = await readTenantWideFacts(api, { failures: "unknown" });

  const result: Record<string, EffectiveSmtpAuth> = {};
  await Promise.all(
    devices.map(async (address) => {
      const oauth = desired.oauthApps.some((a) => a.mailbox === address);
      const read = await readMailboxFacts(api, address, tenant, { mechanism: "basic", today, failures: "unknown" });
      const basic = evaluateGates(declaredOver(read.facts, desired, address, "basic"));
      if (!oauth) {
        result[address] = summarise(basic);
        return;
      }
      const viaOAuth = summarise(evaluateGates(declaredOver(read.facts, desired, address, "oauth")));
      const password = summarise(basic);
      result[address] = {
        ...viaOAuth,
        passwordNote: password.canSend ? "a password would work too" : `with a password: ${password.reason}`,
      };
    }),
  );
  return result;
}

/** The facts once the stack is applied: what tenant.yaml declares replaces what was read. */
function declaredOver(read: GateFacts, desired: DesiredState, address: string, mechanism: Mechanism): GateFacts {
  const facts: GateFacts = { ...read, mechanism, passwordCorrect: true, accountLocked: false };
  if (desired.securityDefaults) facts.securityDefaultsEnabled = desired.securityDefaults.enabled;
  if (desired.organizationSmtpAuth)
    facts.organizationSmtpAuthDisabled = desired.organizationSmtpAuth.state === "disabled";
  const mailbox = desired.mailboxes.find((m) => m.mailbox === address);
  if (mailbox) facts.mailboxSmtpAuthDisabled = mailbox.state === "inherit" ? null : mailbox.state === "disabled";
  else if (desired.othersPolicy === "inherit") facts.mailboxSmtpAuthDisabled = null; // strays are reset
  const mfa = desired.mfaUsers.find((u) => u.user === address);
  if (mfa) Object.assign(facts, declaredMfa(mfa.state, read.perUserMfa));
  if (mechanism === "oauth") {
    // The stack registers the app's service principal and grants it FullAccess (tenant.yaml `oauth:`).
    facts.exchangeServicePrincipalRegistered = true;
    facts.mailboxPermissionGranted = true;
  }
  return facts;
}

/**
 * Per-user MFA after the stack applies `declared`: what the tenant has when it already satisfies the
 * declaration (an `enforced` user stays enforced under `enabled`), else the declared state; a user
 * newly set to `enabled` may or may not have a method registered, which the tenant does not show.
 */
function declaredMfa(
  declared: PerUserMfaState,
  current: Fact<PerUserMfaState>,
): Pick<GateFacts, "perUserMfa" | "mfaMethodRegistered"> {
  if (current !== UNKNOWN && mfaSatisfies(declared, current))
    return { perUserMfa: current, mfaMethodRegistered: false };
  return { perUserMfa: declared, mfaMethodRegistered: declared === "enabled" ? UNKNOWN : false };
}

function summarise(verdict: GateVerdict): EffectiveSmtpAuth {
  const unknown = verdict.gates.filter((g) => g.status === "unknown").map((g) => g.id);
  const blocking = verdict.gates.find((g) => g.id === verdict.blockingGate);
  const status: EffectiveStatus = blocking ? "blocked" : unknown.length > 0 ? "unknown" : "sends";
  return {
    mechanism: verdict.mechanism,
    status,
    canSend: verdict.allowed,
    blockedBy: verdict.blockingGate ?? null,
    reason: blocking
      ? `${blocking.reason}${verdict.reply ? ` (${verdict.reply.code} ${verdict.reply.enhanced} ${verdict.reply.text})` : ""}`
      : status === "unknown"
        ? `unknown: these could not be read: ${unknown.join(", ")}`
        : "every gate passes",
    unknown,
  };
}
