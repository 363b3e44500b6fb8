/**
 * The one place `usage` reads what the gates need about a mailbox. Today it goes through the
 * doctor's reader (cli/doctor/explain.ts gatherFacts); the single live facts reader planned in
 * issue 12 (tenant/facts.ts) replaces this function's body and nothing else.
 */
import { gatherFacts } from "../doctor/explain.ts";
import type { GateFacts, Mechanism } from "../../providers/gates.ts";
import type { TenantApi } from "../../providers/tenant-api.ts";

/** Reads a tenant's gate facts for one mailbox. */
export type FactsReader = (mailbox: string, mechanism: Mechanism, appId?: string) => Promise<GateFacts>;

/**
 * Gate facts for `mailbox` as the tenant has them now. A fact the app may not read is "unknown";
 * any other failed read throws (ApiError). Passwords and lockout are never read here.
 */
export function tenantFactsReader(api: TenantApi, today: string): FactsReader {
  return async (mailbox, mechanism, appId) =>
    (await gatherFacts(api, mailbox, { mechanism, today, ...(appId !== undefined ? { appId } : {}) })).facts;
}
