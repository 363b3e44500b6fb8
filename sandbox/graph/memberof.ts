/**
 * GET /{version}/users/{id | userPrincipalName}/transitiveMemberOf: the groups (direct and nested)
 * and directory roles a user belongs to, as user-list-transitivememberof.md shapes them. As on
 * Graph, an app without permission to read a type still gets its objects, with `@odata.type` and
 * `id` only ("limited information"): a directory role's roleTemplateId needs
 * RoleManagement.Read.Directory or Directory.Read.All.
 */
import type { HandlerContext, HandlerResult } from "../protocol/context.ts";
import { json } from "../protocol/context.ts";
import { holdsOther } from "../../m365/permissions.ts";
import { stableGuid } from "../store/ids.ts";
import { transitiveGroups, userRoleTemplateIds, ROLE_TEMPLATE_IDS } from "../store/directory.ts";
import { contextUrl, parseSelect, project } from "./odata.ts";
import { userFromPath } from "./users.ts";

const SELECTABLE = ["id", "displayName", "roleTemplateId", "securityEnabled", "mailEnabled", "description"] as const;

export function listTransitiveMemberOf(ctx: HandlerContext): HandlerResult {
  const select = parseSelect(ctx, SELECTABLE);
  const u = userFromPath(ctx);
  const roles = ctx.caller?.roles ?? [];
  const readsRoles = holdsOther("graph.directoryRoles.read", roles);
  const readsGroups = holdsOther("graph.groups.read", roles);
  const limited = (type: string, id: string) => ({ "@odata.type": type, id });
  const groups = transitiveGroups(ctx.store.read(), u).map((g) => {
    const full = { id: g.id, displayName: g.displayName, securityEnabled: true, mailEnabled: false, description: null };
    return readsGroups
      ? { "@odata.type": "#microsoft.graph.group", ...project(full, select ?? Object.keys(full)) }
      : limited("#microsoft.graph.group", g.id);
  });
  const directoryRoles = userRoleTemplateIds(u).map((templateId) => {
    // A directoryRole's object id differs per tenant from its template id.
    const id = stableGuid(ctx.store.tenantId, "directoryRole", templateId);
    const name = Object.entries(ROLE_TEMPLATE_IDS).find(([, t]) => t === templateId)?.[0] ?? templateId;
    const full = { id, displayName: name, description: null, roleTemplateId: templateId };
    return readsRoles
      ? {
          "@odata.type": "#microsoft.graph.directoryRole",
          ...project(
            full,
            (select ?? Object.keys(full)).filter((k) => k in full),
          ),
        }
      : limited("#microsoft.graph.directoryRole", id);
  });
  return json(200, {
    "@odata.context": contextUrl(ctx, "directoryObjects"),
    value: [...groups, ...directoryRoles],
  });
}
