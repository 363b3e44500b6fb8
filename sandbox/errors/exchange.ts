/**
 * Exchange admin API (InvokeCommand) error catalogue. Shape as observed from the real gateway
 * (fact sheet §4.2): `{ error: { code, message: "Error executing cmdlet", details: [{ code: "Client",
 * target: "", message: "ExXXXXXX|<ExceptionType>|<text>" }], innererror: { message, type } } }`.
 * 401s carry no body, only WWW-Authenticate and x-ms-diagnostics, like Exchange's front door.
 */
import { SandboxHttpError } from "./http-error.ts";
import { notModelled } from "./graph.ts";
import type { ErrorIn200Reason, ErrorIn200Shape } from "../runtime/faults.ts";

/** The server name the sandbox puts in Exchange's "couldn't be found on '<server>'" texts. */
export const EXCHANGE_SERVER_NAME = "SANDBOX01PR01A001.PROD.OUTLOOK.COM";

export const ExchangeCodes = {
  notFound: "NotFound",
  unauthorized: "Unauthorized",
  badRequest: "BadRequest",
  forbidden: "Forbidden",
  throttled: "TooManyRequests",
  serviceUnavailable: "ServiceUnavailable",
  gatewayTimeout: "GatewayTimeout",
  notImplemented: "NotImplemented",
  internal: "InternalServerError",
} as const;

/** Exception type names that appear in `details[0].message`; tests match on these. */
export const ExchangeExceptions = {
  objectNotFound: "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
  parameterBinding: "System.Management.Automation.ParameterBindingException",
  commandNotFound: "System.Management.Automation.CommandNotFoundException",
  accessDenied: "Microsoft.Exchange.Configuration.Tasks.CmdletAccessDeniedException",
  authzAccessDenied: "Microsoft.Exchange.Configuration.Authorization.CmdletAccessDeniedException",
  alreadyExists: "Microsoft.Exchange.Configuration.Tasks.ManagementObjectAlreadyExistsException",
  invalidArgument: "System.ArgumentException",
  invalidFilter: "Microsoft.Exchange.Management.Tasks.InvalidFilterException",
} as const;

function cmdletError(
  status: number,
  code: string,
  exception: string,
  text: string,
  errorId = "Ex6F9304",
): SandboxHttpError {
  const detail = `${errorId}|${exception}|${text}`;
  return new SandboxHttpError({
    status,
    code,
    message: detail,
    body: {
      error: {
        code,
        message: "Error executing cmdlet",
        details: [{ code: "Client", target: "", message: detail }],
        innererror: {
          message: "Error executing cmdlet",
          type: "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
        },
      },
    },
  });
}

function plainError(status: number, code: string, message: string, headers?: Record<string, string>): SandboxHttpError {
  return new SandboxHttpError({ status, code, message, body: { error: { code, message } }, headers });
}

const EXCHANGE_WWW_AUTHENTICATE =
  'Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*", token_types="app_asserted_user_v1 service_asserted_app_v1", error="invalid_token"';

/** The errors an "error-in-200" fault carries (exception type, text), by reason. */
const IN_200_ERRORS: Record<ErrorIn200Reason, readonly [string, string]> = {
  transient: [
    "Microsoft.Exchange.Data.Directory.ADTransientException",
    "The operation couldn't be performed because of a transient directory error. Please try again.",
  ],
  // ScubaGear's functional helper retries embedded errors matching throttl|busy|unavailable|try again.
  throttled: [
    "Microsoft.Exchange.Configuration.Tasks.ThrottlingException",
    "The request was throttled because the server is busy. Please try again later.",
  ],
  "not-found": [
    ExchangeExceptions.objectNotFound,
    `The operation couldn't be performed because object 'ghost@contoso.com' couldn't be found on '${EXCHANGE_SERVER_NAME}'.`,
  ],
  failed: [
    "Microsoft.Exchange.Configuration.Tasks.TaskException",
    "The operation couldn't be performed because the object is in an invalid state.",
  ],
};

export const ExchangeErrors = {
  /** 401 without body: missing, malformed, expired or wrong-audience token. `reason` goes to x-ms-diagnostics. */
  unauthorized: (reason: string) =>
    new SandboxHttpError({
      status: 401,
      code: "invalid_token",
      message: reason,
      body: "",
      headers: {
        "WWW-Authenticate": EXCHANGE_WWW_AUTHENTICATE,
        "x-ms-diagnostics": `2000003;reason="${reason}";error_category="invalid_token"`,
      },
    }),
  /** 404: the identity names nothing (the article's ManagementObjectNotFoundException). */
  objectNotFound: (identity: string) =>
    cmdletError(
      404,
      ExchangeCodes.notFound,
      ExchangeExceptions.objectNotFound,
      `The operation couldn't be performed because object '${identity}' couldn't be found on '${EXCHANGE_SERVER_NAME}'.`,
    ),
  /** 400: a parameter the cmdlet does not have. */
  unknownParameter: (name: string) =>
    cmdletError(
      400,
      ExchangeCodes.badRequest,
      ExchangeExceptions.parameterBinding,
      `A parameter cannot be found that matches parameter name '${name}'.`,
      "Ex2F5D1A",
    ),
  /** 400: a required parameter is missing. */
  missingParameter: (cmdlet: string, name: string) =>
    cmdletError(
      400,
      ExchangeCodes.badRequest,
      ExchangeExceptions.parameterBinding,
      `Cannot process command because of one or more missing mandatory parameters: ${name}. (${cmdlet})`,
      "Ex2F5D1B",
    ),
  /** 400: a value of the wrong type. */
  invalidArgument: (name: string, detail: string) =>
    cmdletError(
      400,
      ExchangeCodes.badRequest,
      ExchangeExceptions.invalidArgument,
      `Cannot bind parameter '${name}'. ${detail}`,
      "Ex3A9C21",
    ),
  /** 400: a -Filter the sandbox cannot parse. */
  invalidFilter: (filter: string) =>
    cmdletError(
      400,
      ExchangeCodes.badRequest,
      ExchangeExceptions.invalidFilter,
      `Cannot bind parameter 'Filter' to the target. Invalid filter syntax: "${filter}".`,
      "Ex8B7E2C",
    ),
  /** 400: -Filter on a property that is not filterable, with Exchange's text. */
  notFilterable: (property: string, filterable: readonly string[]) =>
    cmdletError(
      400,
      ExchangeCodes.badRequest,
      ExchangeExceptions.parameterBinding,
      `Cannot bind parameter 'Filter' to the target. Exception setting "Filter": ""${property}" is not a recognized filterable property. Valid property names are: ${filterable.join(", ")}."`,
      "Ex8B7E2D",
    ),
  /** 400: the object already exists (New-ServicePrincipal for a registered app). */
  alreadyExists: (identity: string) =>
    cmdletError(
      400,
      ExchangeCodes.badRequest,
      ExchangeExceptions.alreadyExists,
      `The object '${identity}' already exists.`,
      "Ex5D0B77",
    ),
  /** 400: a cmdlet name the gateway does not know. */
  unknownCmdlet: (name: string) =>
    cmdletError(
      400,
      ExchangeCodes.badRequest,
      ExchangeExceptions.commandNotFound,
      `The term '${name}' is not recognized as a name of a cmdlet, function, script file, or executable program.`,
      "Ex1C2D3E",
    ),
  /** 400: the body is not `{ CmdletInput: { CmdletName, Parameters } }`. */
  invalidBody: (detail: string) => plainError(400, ExchangeCodes.badRequest, detail),
  /**
   * 401 with a JSON body: the REST gateway's answer to an app-only caller whose roles do not include
   * the cmdlet (office-docs-powershell issue #7970). Not a token problem: no WWW-Authenticate.
   */
  notAllowedToCall: (cmdlet: string) =>
    plainError(401, ExchangeCodes.unauthorized, `User is not allowed to call ${cmdlet}`),
  /** 400: the caller holds no Exchange management role at all (AuthZ-CmdletAccessDeniedException). */
  noManagementRoles: () =>
    cmdletError(
      400,
      ExchangeCodes.badRequest,
      ExchangeExceptions.authzAccessDenied,
      "[FailureCategory=AuthZ-CmdletAccessDeniedException] The user isn't assigned to any management roles.",
      "Ex4C8E1D",
    ),
  /**
   * HTTP 200 with the cmdlet's failure in the body, in one of the three places clients look for it:
   * `error` or `@odata.error` (ScubaGear's functional tests, PR #2277) or the non-terminating
   * `@adminapi.errors` list next to an empty `value` (the EXO module's ShowResultAndCheckForNextPage).
   */
  errorInOk: (shape: ErrorIn200Shape, reason: ErrorIn200Reason = "transient") => {
    const [exception, text] = IN_200_ERRORS[reason];
    const detail = `Ex9D1A2B|${exception}|${text}`;
    const envelope = {
      code: ExchangeCodes.internal,
      message: "Error executing cmdlet",
      details: [{ code: "Server", target: "", message: detail }],
    };
    const body =
      shape === "adminapi.errors"
        ? { value: [], "@adminapi.errors": [text] }
        : shape === "odata.error"
          ? { "@odata.error": envelope }
          : { error: envelope };
    return new SandboxHttpError({ status: 200, code: ExchangeCodes.internal, message: detail, body });
  },
  /** The same error with its body as plain text (the detail text), as some gateway answers arrive. */
  asPlainText: (e: SandboxHttpError) =>
    e.status >= 400 && typeof e.body === "object" && e.body !== null
      ? new SandboxHttpError({
          status: e.status,
          code: e.code,
          message: e.message,
          body: e.message.split("|").pop() ?? e.message,
          headers: e.headers,
        })
      : e,
  /**
   * The same error with its text only in `innererror.internalException.message` under the generic
   * "Error executing cmdlet", no `details`, and the exception's name only in X-ExceptionType, whether the
   * envelope is answered with an error status or inside a 200 (`error` or `@odata.error`).
   */
  asInnerError: (e: SandboxHttpError) => {
    if (typeof e.body !== "object" || e.body === null) return e;
    const key = "error" in e.body ? "error" : "@odata.error" in e.body ? "@odata.error" : undefined;
    const envelope = key ? (e.body as Record<string, unknown>)[key] : undefined;
    if (typeof envelope !== "object" || envelope === null) return e;
    const env = envelope as { code?: unknown; message?: unknown; details?: { message?: unknown }[] };
    const detail = typeof env.details?.[0]?.message === "string" ? env.details[0].message : undefined;
    const parts = detail?.split("|") ?? [];
    const exception = parts.length >= 3 ? parts[1]! : "Microsoft.Exchange.Admin.OData.Core.ODataServiceException";
    const text = parts.length >= 3 ? parts.slice(2).join("|") : (detail ?? String(env.message));
    const body = {
      ...(e.body as Record<string, unknown>),
      [key!]: {
        code: env.code,
        message: "Error executing cmdlet",
        innererror: {
          message: "Error executing cmdlet",
          type: "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
          internalException: { message: text },
        },
      },
    };
    const headers = { ...e.headers, "X-ExceptionType": exception.split(".").pop()! };
    return new SandboxHttpError({ status: e.status, code: e.code, message: e.message, body, headers });
  },
  /** 403 (the sandbox's old answer, behind the roleRefusal "403" switch): Exchange.ManageAsApp or a role missing. */
  accessDenied: (cmdlet: string, missing: string) =>
    cmdletError(
      403,
      ExchangeCodes.forbidden,
      ExchangeExceptions.accessDenied,
      `The caller doesn't have the permission to run '${cmdlet}'. Missing: ${missing}.`,
      "Ex7A1B9F",
    ),
  /** 403: the tenant in the URL is not the token's tenant. */
  wrongTenant: (tenant: string) =>
    plainError(
      403,
      ExchangeCodes.forbidden,
      `The tenant '${tenant}' in the request URL does not match the token's tenant.`,
    ),
  /** 429 with Retry-After. */
  throttled: (retryAfter: number) =>
    plainError(
      429,
      ExchangeCodes.throttled,
      "The request was throttled. Retry after the number of seconds in Retry-After.",
      {
        "Retry-After": String(retryAfter),
      },
    ),
  serviceUnavailable: (retryAfter?: number) =>
    plainError(
      503,
      ExchangeCodes.serviceUnavailable,
      "The service is temporarily unavailable.",
      retryAfter === undefined ? {} : { "Retry-After": String(retryAfter) },
    ),
  gatewayTimeout: () => plainError(504, ExchangeCodes.gatewayTimeout, "The gateway timed out."),
  /** 501 strict mode. */
  notImplemented: (feature: string) => plainError(501, ExchangeCodes.notImplemented, notModelled(feature)),
  internal: () => plainError(500, ExchangeCodes.internal, "An internal server error occurred in the sandbox."),
};
