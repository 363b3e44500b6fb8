/**
 * Issue 15.5: who is left without MFA once tenant.yaml's security defaults `enabled: false` is applied,
 * the stack output `mfaCoverage` next to `effective`. Read only when tenant.yaml turns security defaults
 * off; judged per enabled account by m365/mfa-coverage.ts from what the stack declares (per-user MFA,
 * `mfa.others`, the Conditional Access baseline) over what the tenant has now (per-user MFA of users
 * the stack does not manage, Conditional Access policies).
 *
 * The output does not depend on whether security defaults are on now, so a drift check right after an
 * apply sees the same value; the pull-request comment joins it with the preview's "tenant now →
 * declared" line for security defaults to say that these users *lose* MFA with the change.
 *
 * Reads: the users listing (one page per 999 users), per-user MFA through $batch for the users the
 * stack leaves unmanaged (none with `mfa.others`), the Conditional Access policies, and group and role
 * memberships only for uncovered users when a policy that requires MFA is scoped by group or role.
 */
import type { DesiredState } from "../desired/tenant-yaml.ts";
import { UNKNOWN, type Fact } from "../m365/gates.ts";
import type { CaSubject } from "../m365/conditional-access.ts";
import type { ConditionalAccessPolicy, PerUserMfaState } from "../m365/model.ts";
import {
  mfaCoverageOf,
  summariseCoverage,
  type CoverageContext,
  type CoverageSubject,
  type MfaCoverageSummary,
} from "../m365/mfa-coverage.ts";
import type { TenantApi } from "../tenant/api.ts";
import { conditionalAccessFromGraph, membershipsFrom } from "../tenant/facts.ts";
import { unknownIfRefused as orUnknown } from "../tenant/permission-error.ts";

/** Group and role memberships are read for at most this many uncovered users (one request each). */
export const MEMBERSHIP_READS = 100;

/** The stack output `mfaCoverage`. */
export interface MfaCoverageOutput extends MfaCoverageSummary {
  securityDefaults: "disabled";
}

interface Account {
  id: string;
  upn: string;
  mail: string;
  userType: Fact<string>;
}

/**
 * Reads and judges MFA coverage for `desired`; undefined when tenant.yaml does not turn security
 * defaults off. Throws what the tenant client throws, except a missing permission for per-user MFA,
 * policies or memberships, which leaves the users it concerns unknown. Listing the users is required.
 */
export async function readMfaCoverage(api: TenantApi, desired: DesiredState): Promise<MfaCoverageOutput | undefined> {
  if (desired.securityDefaults?.enabled !== false) return undefined;
  const [rows, rawPolicies] = await Promise.all([
    api.graphList("/v1.0/users?$select=id,userPrincipalName,mail,userType,accountEnabled&$top=999"),
    orUnknown(() => api.graphList("/v1.0/identity/conditionalAccess/policies")),
  ]);
  const accounts: Account[] = rows
    .filter((u) => u.accountEnabled !== false)
    .map((u) => ({
      id: String(u.id),
      upn: String(u.userPrincipalName).toLowerCase(),
      mail: typeof u.mail === "string" ? u.mail.toLowerCase() : "",
      userType: typeof u.userType === "string" ? u.userType : UNKNOWN,
    }));
  const policies: Fact<ConditionalAccessPolicy[]> =
    rawPolicies === UNKNOWN ? UNKNOWN : rawPolicies.map((p) => conditionalAccessFromGraph(p));

  const mfa = await perUserMfaAfter(api, desired, accounts);
  // A declared address may be the mail address of a user whose UPN differs (fidelity finding 11).
  const byAddress = new Map(accounts.flatMap((a) => (a.mail ? [[a.mail, a.upn] as const] : [])));
  for (const a of accounts) byAddress.set(a.upn, a.upn);
  const upnOf = (address: string) => byAddress.get(address.toLowerCase()) ?? address.toLowerCase();
  const devices = desired.mailboxes.filter((m) => m.state === "enabled").map((m) => upnOf(m.mailbox));
  const baseline = desired.conditionalAccessBaseline;
  const ctx: CoverageContext = {
    securityDefaultsEnabled: false,
    policies,
    ...(baseline?.state === "on"
      ? { baselineExcludes: new Set([...baseline.serviceAccounts, ...baseline.breakGlass, ...devices]) }
      : {}),
  };

  // First without memberships; read them only for the users a group- or role-scoped policy could cover.
  const scoped = policies !== UNKNOWN && policies.some(scopedByMembership);
  const subject = (a: Account, m?: Awaited<ReturnType<typeof memberships>>): CoverageSubject => ({
    upn: a.upn,
    perUserMfa: mfa.get(a.upn) ?? UNKNOWN,
    ca: caSubject(
      a,
      scoped ? (m ?? { groups: UNKNOWN, roleTemplateIds: UNKNOWN }) : { groups: [], roleTemplateIds: [] },
    ),
  });
  const judged = accounts.map((a) => ({ account: a, coverage: mfaCoverageOf(subject(a), ctx) }));
  if (scoped) {
    const open = judged.filter((j) => j.coverage.covered === UNKNOWN).slice(0, MEMBERSHIP_READS);
    await Promise.all(
      open.map(async (j) => {
        j.coverage = mfaCoverageOf(subject(j.account, await memberships(api, j.account.id)), ctx);
      }),
    );
  }

  const declared = new Set([
    ...desired.mfaUsers.filter((u) => u.state === "disabled").map((u) => upnOf(u.user)),
    ...devices,
    ...(baseline ? [...baseline.serviceAccounts, ...baseline.breakGlass] : []),
  ]);
  const summary = summariseCoverage(
    judged.map((j) => ({ upn: j.account.upn, coverage: j.coverage })),
    declared,
  );
  return { securityDefaults: "disabled", ...summary };
}

/** Per-user MFA once applied: declared users and `mfa.others` as declared, the rest as read now. */
async function perUserMfaAfter(
  api: TenantApi,
  desired: DesiredState,
  accounts: readonly Account[],
): Promise<Map<string, Fact<PerUserMfaState>>> {
  const result = new Map<string, Fact<PerUserMfaState>>();
  const declared = new Map(desired.mfaUsers.map((u) => [u.user.toLowerCase(), u.state]));
  const unmanaged = accounts.filter((a) => !declared.has(a.upn) && !declared.has(a.mail)).map((a) => a.upn);
  const others = desired.mfaOthers;
  // Declared `enabled` keeps an `enforced` user enforced: both ask for MFA, so the declaration decides.
  const toRead = others === "unmanaged" ? unmanaged : [];
  const read: Fact<Map<string, PerUserMfaState>> =
    toRead.length > 0 ? await orUnknown(() => api.getPerUserMfaMany(toRead)) : new Map<string, PerUserMfaState>();
  const lower = read === UNKNOWN ? UNKNOWN : new Map([...read].map(([k, v]) => [k.toLowerCase(), v]));
  for (const a of accounts) {
    const state = declared.get(a.upn) ?? declared.get(a.mail);
    if (state !== undefined) result.set(a.upn, state);
    else if (others !== "unmanaged") result.set(a.upn, others);
    else result.set(a.upn, lower === UNKNOWN ? UNKNOWN : (lower.get(a.upn) ?? UNKNOWN));
  }
  return result;
}

function scopedByMembership(p: ConditionalAccessPolicy): boolean {
  return [p.includeGroups, p.excludeGroups, p.includeRoles, p.excludeRoles].some((l) => (l ?? []).length > 0);
}

async function memberships(
  api: TenantApi,
  id: string,
): Promise<{ groups: Fact<readonly string[]>; roleTemplateIds: Fact<readonly string[]> }> {
  const rows = await orUnknown(() => api.graphList(`/v1.0/users/${encodeURIComponent(id)}/transitiveMemberOf`));
  return rows === UNKNOWN ? { groups: UNKNOWN, roleTemplateIds: UNKNOWN } : membershipsFrom(rows);
}

function caSubject(
  a: Account,
  m: { groups: Fact<readonly string[]>; roleTemplateIds: Fact<readonly string[]> },
): CaSubject {
  return { userId: a.id, userType: a.userType, groups: m.groups, roleTemplateIds: m.roleTemplateIds };
}

/** The program's warning: who is left without MFA, accidental first; undefined when nobody is. */
export function coverageWarning(c: MfaCoverageOutput): string | undefined {
  const parts: string[] = [];
  const accidental = c.withoutMfa.users.filter((u) => !c.withoutMfa.declared.includes(u));
  const accidentalCount = c.withoutMfa.count - c.withoutMfa.declaredCount;
  if (c.withoutMfa.count > 0) {
    const named = (list: string[], count: number) =>
      list.join(", ") + (count > list.length ? ` and ${count - list.length} more` : "");
    if (accidentalCount > 0)
      parts.push(
        `${accidentalCount} of ${c.accounts} accounts will have no MFA: ${named(accidental, accidentalCount)}`,
      );
    if (c.withoutMfa.declaredCount > 0)
      parts.push(`declared without MFA in tenant.yaml: ${named(c.withoutMfa.declared, c.withoutMfa.declaredCount)}`);
  }
  if (c.unknown.count > 0) parts.push(`${c.unknown.count} unknown (${c.unknown.why.join("; ")})`);
  if (parts.length === 0) return undefined;
  const fix =
    accidentalCount > 0
      ? " Cover them with mfa.others: enforced, per-user MFA, or conditionalAccessBaseline: { state: on }."
      : "";
  return `Security defaults off: ${parts.join("; ")}.${fix}`;
}
