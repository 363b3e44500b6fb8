/**
 * How Exchange's InvokeCommand gateway reports failures that are not a plain 4xx/5xx envelope, and how
 * the client names them (fidelity review findings 2, 6, 19, 21, 22):
 *
 * - An HTTP 200 whose body carries `error`, `@odata.error` or a non-empty `@adminapi.errors` is a failed
 *   cmdlet (ScubaGear's functional tests check the first two after silent SMTP AUTH write failures, PR
 *   #2277; the EXO module raises every `@adminapi.errors` entry as an error). {@link errorInOkBody}.
 * - A missing role or Exchange.ManageAsApp comes back as 401 "User is not allowed to call Get-X", 400
 *   AuthZ-CmdletAccessDeniedException "isn't assigned to any management roles", 400 "The term 'X' is
 *   not recognized" (the cmdlet is not in the caller's role scope), or 403. {@link exchangeRefusal}.
 * - An empty Identity makes a Get-* cmdlet return every object (office-docs-powershell
 *   Get-ServicePrincipal.md), so it is never sent. {@link assertIdentityGiven}.
 */
import { describeErrorEnvelope } from "./api-error.ts";
import { ApiError, oneLine } from "./http.ts";

/** The error a 200 body carries, or undefined when the body reports success. */
export function errorInOkBody(
  body: unknown,
): { exception?: string; serviceCode?: string; message: string } | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const nonTerminating = b["@adminapi.errors"];
  if (Array.isArray(nonTerminating) && nonTerminating.length > 0) {
    return { message: nonTerminating.map((e) => (typeof e === "string" ? e : JSON.stringify(e))).join("; ") };
  }
  const envelope = b.error ?? b["@odata.error"] ?? b["odata.error"];
  if (envelope === undefined || envelope === null) return undefined;
  if (typeof envelope === "string") return { message: envelope };
  return describeEnvelope(envelope) ?? { message: JSON.stringify(envelope).slice(0, 300) };
}

/** An envelope's exception name and text (details, innererror.internalException, innererror, message). */
function describeEnvelope(
  envelope: unknown,
): { exception?: string; serviceCode?: string; message: string } | undefined {
  const { exception, code, message } = describeErrorEnvelope(envelope);
  if (message === undefined) return undefined;
  const serviceCode = exception ?? code;
  return { ...(exception ? { exception } : {}), ...(serviceCode ? { serviceCode } : {}), message };
}

/**
 * The ApiError for a cmdlet that failed inside a 200: NOT_FOUND when Exchange names a missing object
 * (so "not found" handling works the same), SERVER_ERROR otherwise. Never treated as success.
 */
export function failedInOk(
  cmdlet: string,
  url: string,
  found: { serviceCode?: string; message: string },
  attempts = 1,
): ApiError {
  const notFound = /NotFound/.test(found.serviceCode ?? "") || /couldn't be found/i.test(found.message);
  return new ApiError({
    code: notFound ? "NOT_FOUND" : "SERVER_ERROR",
    message: `POST ${url} (${cmdlet}) answered 200 with an error in its body${
      found.serviceCode ? ` ${found.serviceCode}` : ""
    }: ${oneLine(found.message)}${attempts > 1 ? ` (after ${attempts} attempts)` : ""}`,
    method: "POST",
    url,
    status: 200,
    ...(found.serviceCode ? { serviceCode: found.serviceCode } : {}),
    attempts,
  });
}

/** The ways Exchange refuses a caller that lacks a role or Exchange.ManageAsApp. */
export type ExchangeRefusal = "not-allowed-to-call" | "no-management-role" | "command-not-found" | "forbidden";

/**
 * Which refusal an InvokeCommand error is, or undefined when it is not a permission problem. A 401
 * without "not allowed to call" is a token problem and stays UNAUTHORIZED.
 */
export function exchangeRefusal(err: unknown): ExchangeRefusal | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const text = `${err.serviceCode ?? ""} ${err.message}`;
  if (err.status === 403) return "forbidden";
  if (err.status === 401 && /not allowed to call/i.test(text)) return "not-allowed-to-call";
  if (err.status === 400 && /CmdletAccessDenied|isn't assigned to any management roles/i.test(text))
    return "no-management-role";
  if (err.status === 400 && /CommandNotFound|is not recognized as (?:the |a )?name of a cmdlet/i.test(text))
    return "command-not-found";
  return undefined;
}

/** Parameters that name one object; empty, they make Exchange act on every object. */
const IDENTITY_PARAMETERS = /^(identity|user)$/i;

/** Throws (before anything is sent) when an identity parameter is present but empty, null or blank. */
export function assertIdentityGiven(cmdlet: string, parameters: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(parameters)) {
    if (!IDENTITY_PARAMETERS.test(k)) continue;
    if (v === null || v === undefined || (typeof v === "string" && v.trim() === "")) {
      throw new Error(
        `refusing to send ${cmdlet} with an empty -${k}: Exchange treats it as no ${k} and acts on every object`,
      );
    }
  }
}

/** The tenant id (`tid` claim) of an access token, or undefined when it is not a readable JWT. */
export function tenantIdOfToken(token: string): string | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { tid?: unknown };
    return typeof claims.tid === "string" && GUID.test(claims.tid) ? claims.tid.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
