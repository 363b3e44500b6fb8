/**
 * How `usage` reads what the gates need about each mailbox: through the one live facts reader
 * (tenant/facts.ts), with the tenant-wide reads (security defaults, Conditional Access,
 * authentication policies) made once per run, not once per account.
 */
import type { GateFacts, Mechanism } from "../../m365/gates.ts";
import type { TenantApi } from "../../tenant/api.ts";
import { readMailboxFacts, readTenantWideFacts, type TenantWideFacts } from "../../tenant/facts.ts";

/** Reads a tenant's gate facts for one mailbox. */
export type FactsReader = (mailbox: string, mechanism: Mechanism, appId?: string) => Promise<GateFacts>;

/**
 * Gate facts for `mailbox` as the tenant has them now. A fact the app may not read is "unknown";
 * any other failed read throws (ApiError). Passwords and lockout are never read here.
 */
export function tenantFactsReader(api: TenantApi, today: string): FactsReader {
  let tenant: Promise<TenantWideFacts> | undefined;
  return async (mailbox, mechanism, appId) => {
    tenant ??= readTenantWideFacts(api);
    const opts = { mechanism, today, ...(appId !== undefined ? { appId } : {}) };
    return (await readMailboxFacts(api, mailbox, await tenant, opts)).facts;
  };
}
