/**
 * Generator for large tenants (10,000+ users), deterministic by seed: the same seed gives the same
 * users, ids and settings. Used by fixtures (`generate:`) and benchmarks.
 */
import type { PerUserMfaState, TenantUser } from "../model.ts";
import { seededRandom, stableGuid } from "./ids.ts";

export interface GenerateOptions {
  /** How many users to create. */
  count: number;
  seed: number;
  tenantId: string;
  domain: string;
  /** UPN prefix; users are `<prefix><nnnnn>@<domain>`. Default "user". */
  prefix?: string;
}

const FIRST = [
  "Ada",
  "Ben",
  "Chloé",
  "Dev",
  "Eva",
  "Femi",
  "Greta",
  "Hiro",
  "Ines",
  "Jon",
  "Kai",
  "Lena",
  "Mo",
  "Nia",
  "Omar",
  "Pia",
];
const LAST = [
  "Adams",
  "Brown",
  "Chen",
  "Dubois",
  "Evans",
  "Fischer",
  "García",
  "Haddad",
  "Ito",
  "Jensen",
  "Kowalski",
  "Larsen",
];
const LICENCES = [["O365_BUSINESS_PREMIUM"], ["SPE_E3"], ["EXCHANGESTANDARD"], ["ENTERPRISEPACK"], ["FLOW_FREE"], []];

/**
 * Returns `count` users. Distribution (by seed): ~92% enabled, ~83% with an Exchange licence and
 * mailbox, MFA 70% disabled / 10% enabled / 20% enforced, mailbox SMTP AUTH 90% inherit / 5% on / 5% off.
 */
export function generateUsers(opts: GenerateOptions): TenantUser[] {
  const rnd = seededRandom(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const prefix = opts.prefix ?? "user";
  const width = Math.max(5, String(opts.count).length);
  const users: TenantUser[] = [];
  for (let i = 1; i <= opts.count; i++) {
    const upn = `${prefix}${String(i).padStart(width, "0")}@${opts.domain}`;
    const licenses = pick(LICENCES);
    const hasMailbox = licenses.length > 0 && licenses[0] !== "FLOW_FREE";
    const m = rnd();
    const perUserMfa: PerUserMfaState = m < 0.7 ? "disabled" : m < 0.8 ? "enabled" : "enforced";
    const s = rnd();
    users.push({
      id: stableGuid(opts.tenantId, "user", upn.toLowerCase()),
      userPrincipalName: upn,
      displayName: `${pick(FIRST)} ${pick(LAST)}`,
      mail: upn,
      accountEnabled: rnd() < 0.92,
      licenses: [...licenses],
      hasMailbox,
      directoryRoles: [],
      perUserMfa,
      mfaMethodRegistered: perUserMfa !== "disabled" && rnd() < 0.8,
      locked: false,
      smtpClientAuthenticationDisabled: s < 0.9 ? null : s < 0.95 ? false : true,
      authenticationPolicy: null,
    });
  }
  return users;
}
