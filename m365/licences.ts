/**
 * Which licence service plans give a user an Exchange Online mailbox, and how to read that from
 * Graph `users/{id}/licenseDetails` (fidelity review finding 12). Pure; shared by the live facts
 * reader (tenant/facts.ts) and the sandbox, so both judge a licence the same way.
 *
 * Sources: CIPP's standards require one of EXCHANGE_S_STANDARD, EXCHANGE_S_ENTERPRISE, their _GOV
 * variants or EXCHANGE_LITE ("No Foundation because that does not allow powershell access"); the
 * Kiosk (EXCHANGE_S_DESKLESS) and Essentials plans are mailbox plans in Microsoft's "Product names and
 * service plan identifiers for licensing" list. EXCHANGE_S_FOUNDATION ships inside many SKUs with no
 * mailbox (Graph's licenseDetails example: inside SCHOOL_DATA_SYNC_P2, appliesTo "Company"; the
 * subscribedSku examples: inside AAD_PREMIUM and POWER_BI_PRO), so it never counts.
 */

/** Service plan names that carry an Exchange Online mailbox. Anything else (Foundation, archive add-ons, analytics) does not. */
export const MAILBOX_SERVICE_PLANS: ReadonlySet<string> = new Set([
  "EXCHANGE_S_STANDARD",
  "EXCHANGE_S_ENTERPRISE",
  "EXCHANGE_S_DESKLESS",
  "EXCHANGE_S_ESSENTIALS",
  "EXCHANGE_LITE",
  "EXCHANGE_S_STANDARD_GOV",
  "EXCHANGE_S_ENTERPRISE_GOV",
  "EXCHANGE_S_DESKLESS_GOV",
]);

/** The provisioningStatus of a plan that is in force; "Disabled", "PendingProvisioning", "PendingInput", "PendingActivation", "Error" are not. */
export const PROVISIONED = "Success";

/** One service plan of a licenseDetails row, as Graph returns it. */
export interface ServicePlanInfo {
  servicePlanName?: unknown;
  provisioningStatus?: unknown;
}

/** True when the plan is a mailbox plan in force (name in {@link MAILBOX_SERVICE_PLANS}, status "Success"). */
export function isMailboxPlanInForce(plan: ServicePlanInfo): boolean {
  return (
    typeof plan.servicePlanName === "string" &&
    MAILBOX_SERVICE_PLANS.has(plan.servicePlanName.toUpperCase()) &&
    plan.provisioningStatus === PROVISIONED
  );
}

/**
 * True when Graph `users/{id}/licenseDetails` rows hold a mailbox plan in force. Rows or plans of an
 * unexpected shape count as no plan (the conformance check reports shape drift separately).
 */
export function hasExchangeLicence(licenseDetails: readonly Record<string, unknown>[]): boolean {
  return licenseDetails.some(
    (l) => Array.isArray(l.servicePlans) && l.servicePlans.some((p) => isMailboxPlanInForce(p as ServicePlanInfo)),
  );
}
