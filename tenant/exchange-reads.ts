/**
 * Reads of Exchange objects that more than one consumer needs (the providers' OAuth kinds and the
 * facts reader), with one reading of each output shape: the service principal registered with
 * New-ServicePrincipal, and the rights a trustee holds on a mailbox.
 *
 * Failure semantics: "not found" answers become `undefined`; every other failure is thrown.
 */
import { ApiError } from "./http.ts";
import type { TenantApi } from "./api.ts";

/**
 * True when a failed call means "the object does not exist": HTTP 404, or an Exchange error whose
 * class names it (ManagementObjectNotFoundException travels in `serviceCode`).
 */
export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && (err.code === "NOT_FOUND" || /NotFound/u.test(err.serviceCode ?? ""));
}

/** Runs `read`; a "not found" answer becomes `fallback`, any other failure is thrown. */
export async function unlessNotFound<T, F>(read: () => Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return fallback;
    throw err;
  }
}

/** A string property of an Exchange output object, or "" when it is absent or not a string. */
export const text = (v: unknown): string => (typeof v === "string" ? v : "");

/** A service principal registered in Exchange, as Get-ServicePrincipal shows it (ids lower case). */
export interface RegisteredServicePrincipal {
  appId: string;
  objectId: string;
  displayName: string;
  /** Every form Exchange may show this principal as a mailbox-permission trustee, lower case. */
  trusteeForms: string[];
}

/** Get-ServicePrincipal -Identity <appId or objectId>; undefined when Exchange has none. */
export async function findExchangeServicePrincipal(
  api: TenantApi,
  identity: string,
): Promise<RegisteredServicePrincipal | undefined> {
  const rows = await unlessNotFound(() => api.invoke("Get-ServicePrincipal", { Identity: identity }), []);
  const row = rows[0];
  if (!row) return undefined;
  // Exchange names the Entra object id ObjectId in newer builds and ServiceId in older ones.
  const objectId = text(row.ObjectId ?? row.ServiceId).toLowerCase();
  const forms = [row.ObjectId, row.ServiceId, row.Identity, row.AppId, row.DisplayName, row.Name]
    .map((v) => text(v).toLowerCase())
    .filter(Boolean);
  return {
    appId: text(row.AppId).toLowerCase(),
    objectId,
    displayName: text(row.DisplayName),
    trusteeForms: [...new Set(forms)],
  };
}

/**
 * The access rights any of `trustees` holds on `mailbox` (Get-MailboxPermission -Identity, every
 * row that is not a Deny, trustee matched case-insensitively); undefined when none. Rights may come
 * as an array or as one comma-separated string. Throws NOT_FOUND when the mailbox is gone.
 *
 * Pass every form the trustee may be shown in (see {@link RegisteredServicePrincipal.trusteeForms}).
 * A SID (`S-1-5-21-…`) is what Exchange shows for a trustee it cannot resolve: it is never taken as a
 * match for anyone, since it cannot be tied to the principal without a directory lookup. A display
 * name can be shared by two principals: a grant to the other one would be taken for ours.
 */
export async function mailboxRights(
  api: TenantApi,
  mailbox: string,
  trustees: string[],
): Promise<string[] | undefined> {
  const want = new Set(trustees.map((t) => t.toLowerCase()).filter(Boolean));
  const rows = await api.invoke("Get-MailboxPermission", { Identity: mailbox });
  const rights = rows
    .filter((r) => !/^S-1-\d/i.test(text(r.User)) && want.has(text(r.User).toLowerCase()) && r.Deny !== true)
    .flatMap((r) => (Array.isArray(r.AccessRights) ? r.AccessRights.map(text) : [text(r.AccessRights)]))
    .flatMap((r) => r.split(",").map((x) => x.trim()))
    .filter(Boolean);
  return rights.length > 0 ? rights : undefined;
}

/** True when `held` includes every right in `wanted` (case-insensitive). */
export function holdsAll(held: readonly string[] | undefined, wanted: readonly string[]): boolean {
  return held !== undefined && wanted.every((w) => held.some((h) => h.toLowerCase() === w.toLowerCase()));
}

/** True when `held` includes any right in `wanted` (case-insensitive). */
export function holdsAny(held: readonly string[] | undefined, wanted: readonly string[]): boolean {
  return held !== undefined && wanted.some((w) => held.some((h) => h.toLowerCase() === w.toLowerCase()));
}
