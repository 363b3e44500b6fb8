/**
 * Conditional Access as SMTP AUTH meets it: whether a policy blocks a legacy (basic-auth) sign-in of
 * one user, judged offline from the policy and what was read about the user (fidelity review
 * finding 14). Pure; the `conditional_access_block` gate (./gates.ts) and the sandbox's SMTP
 * endpoint both use it.
 */
import { UNKNOWN, type ConditionalAccessPolicy, type Fact } from "./model.ts";

/** Client app types under which SMTP AUTH is signed in: "other" is Entra's "Other clients" (legacy). */
const LEGACY_CLIENT_APP_TYPES = new Set(["other", "all"]);
/** Grant controls a legacy (password-only) sign-in can never satisfy. */
const UNSATISFIABLE_BY_LEGACY = new Set([
  "block",
  "mfa",
  "compliantDevice",
  "domainJoinedDevice",
  "approvedApplication",
  "compliantApplication",
]);

/** Exchange Online's application id: the resource an SMTP AUTH sign-in is for. */
export const EXCHANGE_ONLINE_APP_ID = "00000002-0000-0ff1-ce00-000000000000";
/** Application values that cover Exchange Online ("Office365" is the Office 365 app group). */
const COVERS_EXCHANGE = new Set(["all", "office365", EXCHANGE_ONLINE_APP_ID]);

/** Who signs in, as far as Conditional Access assignments go; `"unknown"` where not read. */
export interface CaSubject {
  userId: string;
  userType: Fact<string>;
  groups: Fact<readonly string[]>;
  roleTemplateIds: Fact<readonly string[]>;
}

/** Three-valued OR: true wins, then unknown. */
function anyOf(values: Fact<boolean>[]): Fact<boolean> {
  if (values.includes(true)) return true;
  return values.includes(UNKNOWN) ? UNKNOWN : false;
}

/** Does one side (include or exclude) of the users condition match the subject? */
function matchesUsers(
  users: readonly string[],
  groups: readonly string[],
  roles: readonly string[],
  s: CaSubject,
): Fact<boolean> {
  const lower = (xs: readonly string[]) => xs.map((x) => x.toLowerCase());
  const byUser = users.some((u) => u === "All" || u.toLowerCase() === s.userId.toLowerCase());
  const guests = users.includes("GuestsOrExternalUsers")
    ? s.userType === UNKNOWN
      ? UNKNOWN
      : s.userType === "Guest"
    : false;
  const intersects = (wanted: readonly string[], held: Fact<readonly string[]>): Fact<boolean> =>
    wanted.length === 0 ? false : held === UNKNOWN ? UNKNOWN : lower(held).some((h) => lower(wanted).includes(h));
  return anyOf([byUser, guests, intersects(groups, s.groups), intersects(roles, s.roleTemplateIds)]);
}

/** True when a locations or platforms condition narrows the policy to some sign-ins only. */
function narrowed(include: readonly string[] | undefined, exclude: readonly string[] | undefined): boolean {
  const inc = (include ?? []).map((x) => x.toLowerCase());
  return (exclude ?? []).length > 0 || (inc.length > 0 && !(inc.length === 1 && inc[0] === "all"));
}

/**
 * Whether a Conditional Access policy blocks a basic-auth SMTP sign-in, with the reason when that
 * cannot be decided. Our reading, documented because Microsoft does not spell it out for SMTP:
 * - only `enabled` policies count (`enabledForReportingButNotEnforced` only logs);
 * - SMTP AUTH is an "Other clients" (legacy) sign-in, so `clientAppTypes` must contain `other`
 *   or `all`; `exchangeActiveSync` alone does not cover SMTP;
 * - the grant is `block`, an authentication strength, or a control a password-only client cannot
 *   satisfy (e.g. `mfa`): Entra fails such sign-ins the same way;
 * - the applications include Exchange Online (`All`, `Office365` or its app id) and do not exclude it;
 * - the user is included (`All`, their id, `GuestsOrExternalUsers` for a guest, a group they belong
 *   to transitively, a role template they hold) and not excluded by any of the same;
 * - a locations or platforms condition other than "all" depends on the device's network and
 *   client: it cannot be judged offline, so such a policy that would otherwise apply is `unknown`.
 * Group, role or user-type facts that were not read make the answer `unknown` only when needed.
 */
export function judgeConditionalAccess(
  policy: ConditionalAccessPolicy,
  subject: CaSubject,
): { blocks: Fact<boolean>; why?: string } {
  if (policy.state !== "enabled") return { blocks: false };
  if (!policy.clientAppTypes.some((t) => LEGACY_CLIENT_APP_TYPES.has(t))) return { blocks: false };
  if (!policy.requiresAuthenticationStrength && !policy.builtInControls.some((c) => UNSATISFIABLE_BY_LEGACY.has(c)))
    return { blocks: false };
  const includeApps = (policy.includeApplications ?? ["All"]).map((a) => a.toLowerCase());
  const excludeApps = (policy.excludeApplications ?? []).map((a) => a.toLowerCase());
  if (!includeApps.some((a) => COVERS_EXCHANGE.has(a))) return { blocks: false };
  if (excludeApps.some((a) => a !== "all" && COVERS_EXCHANGE.has(a))) return { blocks: false };
  const included = matchesUsers(policy.includeUsers, policy.includeGroups ?? [], policy.includeRoles ?? [], subject);
  if (included === false) return { blocks: false };
  const excluded = matchesUsers(policy.excludeUsers, policy.excludeGroups ?? [], policy.excludeRoles ?? [], subject);
  if (excluded === true) return { blocks: false };
  if (included === UNKNOWN || excluded === UNKNOWN)
    return { blocks: UNKNOWN, why: "the user's group memberships, roles or type were not read" };
  if (narrowed(policy.includeLocations, policy.excludeLocations))
    return { blocks: UNKNOWN, why: "it has a locations condition, which depends on where the device signs in" };
  if (narrowed(policy.includePlatforms, policy.excludePlatforms))
    return { blocks: UNKNOWN, why: "it has a device platforms condition, which depends on the client" };
  return { blocks: true };
}

/**
 * {@link judgeConditionalAccess}'s answer alone. Given only a user id, group, role and user-type
 * facts count as unknown.
 */
export function conditionalAccessBlocksLegacy(
  policy: ConditionalAccessPolicy,
  subject: string | CaSubject,
): Fact<boolean> {
  const s: CaSubject =
    typeof subject === "string"
      ? { userId: subject, userType: UNKNOWN, groups: UNKNOWN, roleTemplateIds: UNKNOWN }
      : subject;
  return judgeConditionalAccess(policy, s).blocks;
}

/** Client app types that, together, cover a user's modern sign-ins (browser and apps). */
const MODERN_CLIENT_APP_TYPES = ["browser", "mobileAppsAndDesktopClients"];

/**
 * Whether a Conditional Access policy requires MFA of a user's ordinary (modern) sign-ins to every
 * cloud app: the control security defaults provide, so a user it covers keeps MFA once security
 * defaults are off (issue 15.5). Our reading:
 * - only `enabled` policies count (report-only asks nothing);
 * - the grant includes `mfa` or an authentication strength (every built-in strength is multifactor);
 * - the client apps are `all`, or both browser and mobile/desktop clients;
 * - the applications include `All` (a policy for some apps leaves the others without MFA);
 * - the user is included and not excluded, as {@link judgeConditionalAccess} judges it;
 * - a locations or platforms condition leaves some sign-ins out: `unknown`, since coverage then
 *   depends on where and how the user signs in.
 */
export function conditionalAccessRequiresMfa(policy: ConditionalAccessPolicy, subject: CaSubject): Fact<boolean> {
  if (policy.state !== "enabled") return false;
  if (!policy.requiresAuthenticationStrength && !policy.builtInControls.includes("mfa")) return false;
  const apps = policy.clientAppTypes;
  if (!(apps.includes("all") || MODERN_CLIENT_APP_TYPES.every((t) => apps.includes(t)))) return false;
  if (!(policy.includeApplications ?? ["All"]).some((a) => a.toLowerCase() === "all")) return false;
  const included = matchesUsers(policy.includeUsers, policy.includeGroups ?? [], policy.includeRoles ?? [], subject);
  if (included === false) return false;
  const excluded = matchesUsers(policy.excludeUsers, policy.excludeGroups ?? [], policy.excludeRoles ?? [], subject);
  if (excluded === true) return false;
  if (included === UNKNOWN || excluded === UNKNOWN) return UNKNOWN;
  if (narrowed(policy.includeLocations, policy.excludeLocations)) return UNKNOWN;
  if (narrowed(policy.includePlatforms, policy.excludePlatforms)) return UNKNOWN;
  return true;
}
