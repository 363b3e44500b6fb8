/**
 * The sandbox's directory relationships that Conditional Access assignments match: built-in role
 * template ids by display name (Microsoft Entra "built-in roles" reference; the template id of a
 * built-in role is the same in every tenant), and transitive group membership.
 */
import type { DirectoryGroup, TenantState, TenantUser } from "../model.ts";

/** Built-in Entra roles the fixtures use, display name → role template id. */
export const ROLE_TEMPLATE_IDS: Readonly<Record<string, string>> = {
  "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
  "Global Reader": "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
  "Exchange Administrator": "29232cdf-9323-42fd-ade2-1d097af3e4de",
  "Exchange Recipient Administrator": "31392ffb-586c-42d1-9346-e59415a2cc4e",
  "Helpdesk Administrator": "729827e3-9c14-49f7-bb1b-9608f156bbb8",
  "Security Administrator": "194ae4cb-b126-40b2-bd5b-6091b380977d",
  "Security Reader": "5d6b6bb7-de71-4623-b4af-96380a352509",
  "User Administrator": "fe930be7-5e62-47db-91af-98c3a49a38b1",
};

/** The template id of a role given by display name or id; undefined for an unknown name. */
export function roleTemplateId(nameOrId: string): string | undefined {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(nameOrId)) return nameOrId.toLowerCase();
  const key = Object.keys(ROLE_TEMPLATE_IDS).find((k) => k.toLowerCase() === nameOrId.toLowerCase());
  return key === undefined ? undefined : ROLE_TEMPLATE_IDS[key];
}

/** The groups `user` belongs to directly or through nested groups, each once. */
export function transitiveGroups(state: Pick<TenantState, "groups">, user: Pick<TenantUser, "id">): DirectoryGroup[] {
  const groups = state.groups ?? [];
  const found = new Map<string, DirectoryGroup>();
  let frontier = [user.id.toLowerCase()];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const g of groups) {
      const key = g.id.toLowerCase();
      if (!found.has(key) && g.members.some((m) => frontier.includes(m.toLowerCase()))) {
        found.set(key, g);
        next.push(key);
      }
    }
    frontier = next;
  }
  return [...found.values()];
}

/** The role template ids `user` holds (roles not in {@link ROLE_TEMPLATE_IDS} are left out). */
export function userRoleTemplateIds(user: Pick<TenantUser, "directoryRoles">): string[] {
  return user.directoryRoles.map(roleTemplateId).filter((x): x is string => x !== undefined);
}
