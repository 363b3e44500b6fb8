/**
 * Lower bounds: the API requests a phase must make, divided by the throttling budgets they are
 * charged to, at the budgets' sustained rates. The budgets are the sandbox's (sandbox/runtime/throttle.ts
 * `documentedBudgets`), which follow the documented Graph identity-and-access limits (fact sheet
 * §3.4: 8,000 RU per 10 s for tenants above 500 users; 3,000 writes per 150 s) and, for the
 * undocumented Exchange InvokeCommand gateway, 10,000 calls per 600 s (sandbox/README.md).
 *
 * The APIs are throttled independently and can be used at the same time, so a phase's API floor is
 * the largest of its per-budget times; the bound adds the engine's own floor (the same command on
 * the same number of no-op resources) to it.
 */
import { documentedBudgets, type BudgetName } from "../sandbox/runtime/throttle.ts";

export type Cost = Partial<Record<BudgetName, number>>;

/** Units per second each budget sustains. */
export function sustainedRates(users: number): Record<BudgetName, number> {
  const b = documentedBudgets(users);
  const rate = (k: BudgetName) => b[k].capacity / b[k].windowSeconds;
  return {
    graphResourceUnits: rate("graphResourceUnits"),
    graphWrites: rate("graphWrites"),
    conditionalAccess: rate("conditionalAccess"),
    exchange: rate("exchange"),
  };
}

/** Seconds the slowest budget needs for `cost` at its sustained rate. */
export function apiFloorSeconds(cost: Cost, users: number): { seconds: number; by: BudgetName | "none" } {
  const rates = sustainedRates(users);
  let best: { seconds: number; by: BudgetName | "none" } = { seconds: 0, by: "none" };
  for (const [k, units] of Object.entries(cost) as [BudgetName, number][]) {
    const s = units / rates[k];
    if (s > best.seconds) best = { seconds: s, by: k };
  }
  return best;
}

export interface PhaseNeeds {
  /** Declared mailboxes read (one listing covers 1,000). */
  mailboxes: number;
  /** `others: inherit` needs one filtered listing of the exceptions. */
  othersListing: boolean;
  /** Users whose per-user MFA is read (1 RU each, 20 to a $batch): declared ones, and with `mfa.others` all the others. */
  mfaUsers: number;
  /** Pages of the users listing `mfa.others` reads (999 a page, 1 RU each); 0 without `mfa.others`. */
  userListingPages: number;
  /** Set-CASMailbox calls. */
  mailboxWrites: number;
  /** PATCHes of per-user MFA. */
  mfaWrites: number;
  /** Mailboxes declared enabled: the `effective` output reads each one's facts. */
  devices: number;
}

/** The requests a phase cannot avoid, charged as the sandbox charges them. */
export function minimumCost(n: PhaseNeeds): Cost {
  const exchangeReads = Math.ceil(n.mailboxes / 1000) + (n.othersListing ? 1 : 0);
  // effective output: per device Get-User (Exchange), user GET with $select (1 RU) and licenseDetails (2 RU);
  // once: Get-OrganizationConfig, Get-AuthenticationPolicy (Exchange), Conditional Access policies.
  const effectiveExchange = n.devices > 0 ? n.devices + 2 : 0;
  const effectiveGraph = n.devices * 3;
  return {
    exchange: exchangeReads + n.mailboxWrites + effectiveExchange,
    graphResourceUnits: n.mfaUsers + n.userListingPages + n.mfaWrites + effectiveGraph,
    graphWrites: n.mfaWrites,
    conditionalAccess: n.devices > 0 ? 1 : 0,
  };
}
