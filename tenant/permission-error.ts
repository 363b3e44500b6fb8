/**
 * A refusal for lack of permission, named: Graph's 403 and Exchange's 401/400/403 refusal shapes
 * (./exchange-errors.ts) become a PermissionError that names the application permission (and
 * Exchange role) the operation needs, from the permission table (m365/permissions.ts).
 */
import { UNKNOWN } from "../m365/model.ts";
import { PERMISSIONS } from "../m365/permissions.ts";
import { exchangeRefusal } from "./exchange-errors.ts";
import { ApiError } from "./http.ts";

type PermissionName = keyof typeof PERMISSIONS;

/** Names the fallback Exchange role for a cmdlet the permission table does not list. */
const GENERIC_EXCHANGE_ROLE = "Exchange Administrator";

/**
 * A refusal for lack of permission, with the permission the app registration lacks. `operation` is a
 * permission-table name, or `exchange.<cmdlet>` for a cmdlet the table does not list (then the
 * message names Exchange.ManageAsApp and an Exchange role generically).
 */
export class PermissionError extends Error {
  override name = "PermissionError";
  readonly code = "PERMISSION_DENIED";
  readonly permission: string;
  constructor(operation: PermissionName | `exchange.${string}`, cause: ApiError) {
    const answered = `(${cause.method} ${cause.url} answered ${cause.status ?? "an error"})`;
    if (!(operation in PERMISSIONS)) {
      const cmdlet = operation.replace(/^exchange\./, "");
      super(
        `the app registration lacks permission for ${cmdlet}: grant the Office 365 Exchange Online application ` +
          `permission Exchange.ManageAsApp with admin consent and give its service principal an Exchange role ` +
          `whose scope includes ${cmdlet} (e.g. the Entra role ${GENERIC_EXCHANGE_ROLE}) ${answered}`,
        { cause },
      );
      this.permission = "Exchange.ManageAsApp";
      return;
    }
    const need = PERMISSIONS[operation as PermissionName];
    const roles = "adminRoles" in need && need.adminRoles ? ` and the Entra role ${need.adminRoles[0]}` : "";
    const resourceName = need.resource === "graph" ? "Microsoft Graph" : "Office 365 Exchange Online";
    super(
      `the app registration lacks permission for ${operation}: grant the ${resourceName} application permission ` +
        `${need.anyOf[0]}${roles} with admin consent ${answered}`,
      { cause },
    );
    this.permission = need.anyOf[0]!;
  }
}

export async function withPermission<T>(
  operation: PermissionName | `exchange.${string}`,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) throw new PermissionError(operation, err);
    // Exchange refuses with 401/400 shapes too; each names the cmdlet's permission the same way.
    if (operation.startsWith("exchange.") && exchangeRefusal(err))
      throw new PermissionError(operation, err as ApiError);
    throw err;
  }
}

/**
 * A read whose refusal for lack of permission (the client's PermissionError, or a raw Graph 403 from
 * graphList) leaves the value unknown rather than failing the caller; any other failure is thrown.
 */
export async function unknownIfRefused<T>(read: () => Promise<T>): Promise<T | typeof UNKNOWN> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof PermissionError || (err instanceof ApiError && err.status === 403)) return UNKNOWN;
    throw err;
  }
}
