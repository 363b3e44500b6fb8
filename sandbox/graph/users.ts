/**
 * Graph users: list (with $select, $filter, $top, $count and absolute nextLink paging), get by id or
 * UPN, and licenseDetails. Shapes follow user-list.md / user-get.md / user-list-licensedetails.md.
 */
import type { TenantUser } from "../model.ts";
import type { HandlerContext, HandlerResult } from "../protocol/context.ts";
import { json } from "../protocol/context.ts";
import { GraphErrors } from "../errors/graph.ts";
import { findSku, licenseDetailsOf } from "../store/skus.ts";
import { stableGuid } from "../store/ids.ts";
import { contextUrl, decodeSkipToken, nextLink, parseSelect, project } from "./odata.ts";
import {
  evaluateFilter,
  filterProperties,
  FilterSyntaxError,
  FilterUnsupportedError,
  isAdvancedFilter,
  parseFilter,
  type Literal,
} from "./filter.ts";

/** Properties returned without $select (user-list.md). */
export const DEFAULT_USER_PROPERTIES = [
  "businessPhones",
  "displayName",
  "givenName",
  "id",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
] as const;

/** Properties the sandbox can return with $select. */
export const SELECTABLE_USER_PROPERTIES = [
  ...DEFAULT_USER_PROPERTIES,
  "accountEnabled",
  "assignedLicenses",
  "userType",
  "usageLocation",
  "proxyAddresses",
] as const;

/** Properties the sandbox can filter on. */
const FILTERABLE = [
  "id",
  "userPrincipalName",
  "mail",
  "displayName",
  "accountEnabled",
  "userType",
  "givenName",
  "surname",
  "proxyAddresses",
] as const;

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 999;

/** The full Graph representation of a sandbox user. */
export function toGraphUser(u: TenantUser): Record<string, unknown> {
  const [given, ...rest] = u.displayName.split(" ");
  return {
    id: u.id,
    businessPhones: [],
    displayName: u.displayName,
    givenName: rest.length ? (given ?? null) : null,
    jobTitle: null,
    mail: u.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: rest.length ? rest.join(" ") : null,
    userPrincipalName: u.userPrincipalName,
    accountEnabled: u.accountEnabled,
    assignedLicenses: u.licenses.map((l) => {
      const sku = findSku(l);
      const disabled = (sku?.servicePlans ?? []).filter((p) => u.planStatus?.[p.servicePlanName] === "Disabled");
      return { disabledPlans: disabled.map((p) => p.servicePlanId), skuId: sku?.skuId ?? null };
    }),
    userType: u.userType ?? "Member",
    usageLocation: u.licenses.length ? "US" : null,
    proxyAddresses: u.hasMailbox ? [`SMTP:${u.mail}`] : [],
  };
}

function filterValue(u: TenantUser, prop: string): Literal | readonly string[] {
  const g = toGraphUser(u);
  const v = g[prop];
  if (prop === "proxyAddresses") return v as string[];
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v === null ? v : null;
}

function isEventual(ctx: HandlerContext): boolean {
  return (ctx.headers.consistencylevel ?? "").toLowerCase() === "eventual";
}

/** GET /{version}/users */
export function listUsers(ctx: HandlerContext): HandlerResult {
  const select = parseSelect(ctx, SELECTABLE_USER_PROPERTIES);
  const topRaw = ctx.query.get("$top");
  let top = DEFAULT_PAGE_SIZE;
  if (topRaw !== null) {
    top = Number(topRaw);
    if (!Number.isInteger(top) || top < 1 || top > MAX_PAGE_SIZE) throw GraphErrors.invalidPageSize(ctx, topRaw);
  }
  const countRaw = ctx.query.get("$count");
  const wantCount = countRaw !== null && countRaw.toLowerCase() === "true";
  if (wantCount && !isEventual(ctx)) throw GraphErrors.countNeedsConsistency(ctx);

  let users = ctx.store.users();
  const filterRaw = ctx.query.get("$filter");
  if (filterRaw !== null) {
    const tree = parseUserFilter(ctx, filterRaw);
    if (isAdvancedFilter(tree) && !(isEventual(ctx) && wantCount)) {
      throw GraphErrors.unsupportedQuery(ctx, filterProperties(tree)[0] ?? "");
    }
    users = users.filter((u) => evaluateFilter(tree, (p) => filterValue(u, p)));
  }

  const skip = ctx.query.get("$skiptoken");
  const offset = skip === null ? 0 : decodeSkipToken(ctx, skip);
  const page = users.slice(offset, offset + top);
  const props = select ?? DEFAULT_USER_PROPERTIES;
  const body: Record<string, unknown> = {
    "@odata.context": contextUrl(ctx, select ? `users(${select.join(",")})` : "users"),
  };
  if (wantCount && offset === 0) body["@odata.count"] = users.length;
  if (offset + top < users.length) body["@odata.nextLink"] = nextLink(ctx, offset + top);
  body.value = page.map((u) => project(toGraphUser(u), props));
  return json(200, body);
}

/** GET /{version}/users/$count (text/plain, needs ConsistencyLevel: eventual). */
export function countUsers(ctx: HandlerContext): HandlerResult {
  if (!isEventual(ctx)) throw GraphErrors.countNeedsConsistency(ctx);
  return { status: 200, headers: { "Content-Type": "text/plain" }, body: String(ctx.store.users().length) };
}

function parseUserFilter(ctx: HandlerContext, raw: string) {
  let tree;
  try {
    tree = parseFilter(raw);
  } catch (e) {
    if (e instanceof FilterUnsupportedError) throw GraphErrors.notImplemented(ctx, `${e.message} in $filter`);
    if (e instanceof FilterSyntaxError) throw GraphErrors.invalidFilter(ctx, e.message);
    throw e;
  }
  for (const p of filterProperties(tree)) {
    const known = (SELECTABLE_USER_PROPERTIES as readonly string[]).find((k) => k.toLowerCase() === p.toLowerCase());
    if (!known) throw GraphErrors.unknownProperty(ctx, p);
    if (!(FILTERABLE as readonly string[]).includes(known))
      throw GraphErrors.notImplemented(ctx, `$filter on the user property '${known}'`);
  }
  return renameProps(tree);
}

/** Normalises property names in the tree to their canonical casing. */
function renameProps<T>(tree: T): T {
  const walk = (n: unknown): unknown => {
    if (typeof n !== "object" || n === null) return n;
    const o = { ...(n as Record<string, unknown>) };
    if (typeof o.prop === "string")
      o.prop =
        (FILTERABLE as readonly string[]).find((k) => k.toLowerCase() === (o.prop as string).toLowerCase()) ?? o.prop;
    for (const k of ["left", "right", "expr"]) if (k in o) o[k] = walk(o[k]);
    return o;
  };
  return walk(tree) as T;
}

/** Finds a user by the {id} path parameter (object id or UPN) or throws 404 Request_ResourceNotFound. */
export function userFromPath(ctx: HandlerContext): TenantUser {
  const id = ctx.params.id ?? "";
  const u = ctx.store.findUser(id);
  // Entra resolves UPNs, not mail aliases, in the path.
  if (!u || (u.id.toLowerCase() !== id.toLowerCase() && u.userPrincipalName.toLowerCase() !== id.toLowerCase())) {
    throw GraphErrors.userNotFound(ctx, id);
  }
  return u;
}

/** GET /{version}/users/{id | userPrincipalName} */
export function getUser(ctx: HandlerContext): HandlerResult {
  const select = parseSelect(ctx, SELECTABLE_USER_PROPERTIES);
  const u = userFromPath(ctx);
  const props = select ?? DEFAULT_USER_PROPERTIES;
  return json(200, {
    "@odata.context": contextUrl(ctx, select ? `users(${select.join(",")})/$entity` : "users/$entity"),
    ...project(toGraphUser(u), props),
  });
}

/** GET /{version}/users/{id}/licenseDetails */
export function listLicenseDetails(ctx: HandlerContext): HandlerResult {
  const u = userFromPath(ctx);
  return json(200, {
    "@odata.context": contextUrl(ctx, `users('${encodeURIComponent(ctx.params.id ?? u.id)}')/licenseDetails`),
    value: licenseDetailsOf(u).map(({ sku, servicePlans }) => ({
      id: stableGuid(u.id, "licenseDetails", sku.skuId).replaceAll("-", "").slice(0, 43),
      skuId: sku.skuId,
      skuPartNumber: sku.skuPartNumber,
      servicePlans: servicePlans.map((p) => ({
        servicePlanId: p.servicePlanId,
        servicePlanName: p.servicePlanName,
        provisioningStatus: p.provisioningStatus,
        appliesTo: p.appliesTo,
      })),
    })),
  });
}
