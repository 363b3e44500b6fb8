/**
 * Who keeps MFA when security defaults are off (issue 15.5). The support article's first step, turning
 * security defaults off for one scanner, also drops the MFA they required of every other user; this
 * module judges, per user, what still asks that user for a second factor. Pure; the program reads the
 * tenant (program/mfa-coverage.ts) and reports the users left without MFA.
 *
 * A user is covered, in this order, by:
 * - security defaults, while they stay on;
 * - per-user MFA `enabled` or `enforced` (an `enabled` user is made to register at the next
 *   interactive sign-in, then asked);
 * - the Conditional Access baseline this stack declares (program/azuread.ts), when declared `on`,
 *   unless the user is one it excludes from "require MFA for all users";
 * - an enabled Conditional Access policy that requires MFA of every sign-in (./conditional-access.ts).
 * What was not read, or a policy whose reach depends on where the user signs in, leaves it unknown.
 */
import { conditionalAccessRequiresMfa, type CaSubject } from "./conditional-access.ts";
import { UNKNOWN, type ConditionalAccessPolicy, type Fact, type PerUserMfaState } from "./model.ts";

export type MfaCoveredBy = "securityDefaults" | "perUserMfa" | "baseline" | "conditionalAccess";

export type MfaCoverage =
  { covered: true; by: MfaCoveredBy } | { covered: false } | { covered: typeof UNKNOWN; why: string };

/** One enabled account, with its per-user MFA once the stack is applied. */
export interface CoverageSubject {
  /** Lower-case user principal name. */
  upn: string;
  perUserMfa: Fact<PerUserMfaState>;
  /** Who the user is for Conditional Access assignments (groups and roles may be unknown). */
  ca: CaSubject;
}

export interface CoverageContext {
  /** Security defaults once the stack is applied. */
  securityDefaultsEnabled: boolean;
  /** The declared baseline, when `on`: the lower-case UPNs it excludes from MFA for all users. */
  baselineExcludes?: ReadonlySet<string>;
  /** The tenant's Conditional Access policies, as read. */
  policies: Fact<readonly ConditionalAccessPolicy[]>;
}

/** What covers one user, judged from the first control that applies. */
export function mfaCoverageOf(user: CoverageSubject, ctx: CoverageContext): MfaCoverage {
  if (ctx.securityDefaultsEnabled) return { covered: true, by: "securityDefaults" };
  if (user.perUserMfa === "enabled" || user.perUserMfa === "enforced") return { covered: true, by: "perUserMfa" };
  if (ctx.baselineExcludes && !ctx.baselineExcludes.has(user.upn)) return { covered: true, by: "baseline" };
  const whyUnknown: string[] = [];
  if (user.perUserMfa === UNKNOWN) whyUnknown.push("its per-user MFA could not be read");
  if (ctx.policies === UNKNOWN) whyUnknown.push("Conditional Access policies could not be read");
  else {
    const answers = ctx.policies.map((p) => conditionalAccessRequiresMfa(p, user.ca));
    if (answers.includes(true)) return { covered: true, by: "conditionalAccess" };
    if (answers.includes(UNKNOWN))
      whyUnknown.push("a Conditional Access policy that requires MFA depends on groups, roles, locations or platforms");
  }
  return whyUnknown.length > 0 ? { covered: UNKNOWN, why: whyUnknown.join("; ") } : { covered: false };
}

/** At most this many users are named in each list of a summary (the counts are always whole). */
export const NAMED_USERS = 50;

export interface MfaCoverageSummary {
  /** Enabled accounts judged. */
  accounts: number;
  coveredBy: Record<MfaCoveredBy, number>;
  /** Accounts nothing asks for MFA, sorted; `declared` are those tenant.yaml names on purpose. */
  withoutMfa: { count: number; declaredCount: number; users: string[]; declared: string[] };
  /** Accounts whose coverage could not be judged, with the reasons met. */
  unknown: { count: number; users: string[]; why: string[] };
}

/**
 * Sums per-user coverage. `declared` are the users tenant.yaml itself leaves without MFA (per-user
 * MFA `disabled`, or an SMTP AUTH exception's mailbox): expected, and named apart from the others.
 */
export function summariseCoverage(
  judged: readonly { upn: string; coverage: MfaCoverage }[],
  declared: ReadonlySet<string>,
): MfaCoverageSummary {
  const coveredBy: Record<MfaCoveredBy, number> = {
    securityDefaults: 0,
    perUserMfa: 0,
    baseline: 0,
    conditionalAccess: 0,
  };
  const without: string[] = [];
  const unknown: string[] = [];
  const why = new Set<string>();
  for (const { upn, coverage } of judged) {
    if (coverage.covered === true) coveredBy[coverage.by]++;
    else if (coverage.covered === false) without.push(upn);
    else {
      unknown.push(upn);
      why.add(coverage.why);
    }
  }
  without.sort();
  unknown.sort();
  const declaredWithout = without.filter((u) => declared.has(u));
  return {
    accounts: judged.length,
    coveredBy,
    withoutMfa: {
      count: without.length,
      declaredCount: declaredWithout.length,
      // Users left without MFA by accident first: they are what a reviewer must see.
      users: [...without.filter((u) => !declared.has(u)), ...declaredWithout].slice(0, NAMED_USERS),
      declared: declaredWithout.slice(0, NAMED_USERS),
    },
    unknown: { count: unknown.length, users: unknown.slice(0, NAMED_USERS), why: [...why].sort() },
  };
}
