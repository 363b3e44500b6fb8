/**
 * Licence catalogue for licenseDetails: SKU part numbers with their GUIDs and service plans, from
 * Microsoft's "Product names and service plan identifiers for licensing" list. Only the plans that
 * matter here (Exchange Online) are listed per SKU.
 */

export interface ServicePlan {
  servicePlanId: string;
  servicePlanName: string;
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
    servicePlans: [AAD_PREMIUM],
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
