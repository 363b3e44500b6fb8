/**
 * Licence catalogue for licenseDetails: SKU part numbers with their GUIDs and service plans, from
 * Microsoft's "Product names and service plan identifiers for licensing" list. Only the plans that
 * matter here (Exchange Online) are listed per SKU, plus EXCHANGE_S_FOUNDATION where Graph's own
 * examples show it (AAD_PREMIUM, POWER_BI_PRO): a tenant-level plan that carries no mailbox.
 */
import { isMailboxPlanInForce, PROVISIONED } from "../../m365/licences.ts";
import type { TenantUser } from "../model.ts";

export interface ServicePlan {
  servicePlanId: string;
  servicePlanName: string;
  /** licenseDetails appliesTo: "User", or "Company" for tenant-level plans such as Exchange Foundation. */
  appliesTo?: "User" | "Company";
}

export interface Sku {
  skuId: string;
  skuPartNumber: string;
  /** True when the SKU includes an Exchange Online mailbox plan. */
  exchange: boolean;
  servicePlans: ServicePlan[];
}

const EXCHANGE_S_STANDARD: ServicePlan = {
  servicePlanId: "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
  servicePlanName: "EXCHANGE_S_STANDARD",
};
const EXCHANGE_S_ENTERPRISE: ServicePlan = {
  servicePlanId: "efb87545-963c-4e0d-99df-69c6916d9eb0",
  servicePlanName: "EXCHANGE_S_ENTERPRISE",
};
const EXCHANGE_S_DESKLESS: ServicePlan = {
  servicePlanId: "4a82b400-a79f-41a4-b4e2-e94f5787b113",
  servicePlanName: "EXCHANGE_S_DESKLESS",
};
const AAD_PREMIUM: ServicePlan = {
  servicePlanId: "41781fb2-bc02-4b7c-bd55-b576c07bb09d",
  servicePlanName: "AAD_PREMIUM",
};
const EXCHANGE_S_FOUNDATION: ServicePlan = {
  servicePlanId: "113feb6c-3fe4-4440-bddc-54d774bf0318",
  servicePlanName: "EXCHANGE_S_FOUNDATION",
  appliesTo: "Company",
};
const BI_AZURE_P2: ServicePlan = {
  servicePlanId: "70d33638-9c74-4d01-bfd3-562de28bd4ba",
  servicePlanName: "BI_AZURE_P2",
};
const FLOW_P2_VIRAL: ServicePlan = {
  servicePlanId: "50e68c76-46c6-4674-81f9-75456511b170",
  servicePlanName: "FLOW_P2_VIRAL",
};

export const SKUS: readonly Sku[] = [
  {
    skuPartNumber: "O365_BUSINESS_ESSENTIALS",
    skuId: "3b555118-da6a-4418-894f-7df1e2096870",
    exchange: true,
    servicePlans: [EXCHANGE_S_STANDARD],
  },
  {
    skuPartNumber: "O365_BUSINESS_PREMIUM",
    skuId: "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
    exchange: true,
    servicePlans: [EXCHANGE_S_STANDARD],
  },
  {
    skuPartNumber: "SPB",
    skuId: "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46",
    exchange: true,
    servicePlans: [EXCHANGE_S_STANDARD, AAD_PREMIUM],
  },
  {
    skuPartNumber: "ENTERPRISEPACK",
    skuId: "6fd2c87f-b296-42f0-b197-1e91e994b900",
    exchange: true,
    servicePlans: [EXCHANGE_S_ENTERPRISE],
  },
  {
    skuPartNumber: "SPE_E3",
    skuId: "05e9a617-0261-4cee-bb44-138d3ef5d965",
    exchange: true,
    servicePlans: [EXCHANGE_S_ENTERPRISE, AAD_PREMIUM],
  },
  {
    skuPartNumber: "EXCHANGESTANDARD",
    skuId: "4b9405b0-7788-4568-add1-99614e613b69",
    exchange: true,
    servicePlans: [EXCHANGE_S_STANDARD],
  },
  {
    skuPartNumber: "EXCHANGEDESKLESS",
    skuId: "80b2d799-d2ba-4d2a-8842-fb0d0f3a4b82",
    exchange: true,
    servicePlans: [EXCHANGE_S_DESKLESS],
  },
  {
    skuPartNumber: "AAD_PREMIUM",
    skuId: "078d2b04-f1bd-4111-bbd4-b4b1b354cef4",
    exchange: false,
    servicePlans: [EXCHANGE_S_FOUNDATION, AAD_PREMIUM],
  },
  {
    skuPartNumber: "POWER_BI_PRO",
    skuId: "f8a1db68-be16-40ed-86d5-cb42ce701560",
    exchange: false,
    servicePlans: [EXCHANGE_S_FOUNDATION, BI_AZURE_P2],
  },
  {
    skuPartNumber: "FLOW_FREE",
    skuId: "f30db892-07e9-47e9-837c-80727f46fd3d",
    exchange: false,
    servicePlans: [FLOW_P2_VIRAL],
  },
];

/** By part number (case-insensitive). */
export function findSku(partNumber: string): Sku | undefined {
  const key = partNumber.toUpperCase();
  return SKUS.find((s) => s.skuPartNumber === key);
}

/** The licenseDetails rows of a sandbox user: each SKU's plans with the user's provisioning status. */
export function licenseDetailsOf(u: Pick<TenantUser, "licenses" | "planStatus">): {
  sku: Sku;
  servicePlans: (ServicePlan & { provisioningStatus: string; appliesTo: "User" | "Company" })[];
}[] {
  return u.licenses.map((l) => {
    const sku = findSku(l)!;
    return {
      sku,
      servicePlans: sku.servicePlans.map((p) => ({
        ...p,
        appliesTo: p.appliesTo ?? "User",
        provisioningStatus: u.planStatus?.[p.servicePlanName] ?? PROVISIONED,
      })),
    };
  });
}

/** True when the user holds a mailbox plan in force: the rule the live reader applies (m365/licences.ts). */
export function holdsMailboxLicence(u: Pick<TenantUser, "licenses" | "planStatus">): boolean {
  return licenseDetailsOf(u).some((d) => d.servicePlans.some((p) => isMailboxPlanInForce(p)));
}
