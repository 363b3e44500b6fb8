/**
 * What an injected fault answers, in each API's wire shape (faults.ts decides when a fault fires).
 * Reset and timeout have no answer: the server drops or holds the connection instead.
 *
 * Real behaviours modelled here (fidelity review findings 4, 7, 8, 10):
 * - Exchange's per-tenant concurrency refusal is a plain-text body, "You have reached the maximum number
 *   of concurrent requests per tenant. Please wait and try again", handled by GreyCorbel ExoHelper
 *   whatever the status; the status is unpublished (default 400 here, so only the text can trigger a retry).
 * - Graph documents fractional Retry-After ("2.128"); $batch items may spell it `retry-after`.
 * - Some tenants are redirected to a regional front end (CISA ScubaGear resolves it first).
 */
import { ExchangeErrors } from "../errors/exchange.ts";
import { GraphErrors } from "../errors/graph.ts";
import { TokenErrors } from "../errors/token.ts";
import { SandboxHttpError, type ErrorContext } from "../errors/http-error.ts";
import type { ApiName } from "../protocol/context.ts";
import type { FaultRule } from "./faults.ts";

/** Exchange Online's text for the refusal (ExoHelper matches on its start). */
export const CONCURRENCY_REFUSAL_TEXT =
  "You have reached the maximum number of concurrent requests per tenant. Please wait and try again";

/**
 * The concurrency refusal, with the given status (default 400) and optional Retry-After: plain text, or
 * with `inEnvelope` the same text in `error.details[0].message` of Exchange's JSON error envelope under a
 * generic "Error executing cmdlet" (where CIPP's New-ExoRequest reads an error's text first).
 */
export function concurrencyRefusal(status = 400, retryAfter?: number | string, inEnvelope = false): SandboxHttpError {
  const retry: Record<string, string> = retryAfter === undefined ? {} : { "Retry-After": String(retryAfter) };
  return new SandboxHttpError({
    status,
    code: "ConcurrencyLimitExceeded",
    message: CONCURRENCY_REFUSAL_TEXT,
    body: inEnvelope
      ? {
          error: {
            code: "ConcurrencyLimitExceeded",
            message: "Error executing cmdlet",
            details: [{ code: "Client", target: "", message: CONCURRENCY_REFUSAL_TEXT }],
          },
        }
      : CONCURRENCY_REFUSAL_TEXT,
    headers: inEnvelope ? retry : { "Content-Type": "text/plain; charset=utf-8", ...retry },
  });
}

function plain(status: number, code: string, message: string): SandboxHttpError {
  return new SandboxHttpError({ status, code, message, body: { error: { code, message } } });
}

function statusFault(api: ApiName, status: 408 | 500 | 502, ectx: ErrorContext): SandboxHttpError {
  const [code, message] =
    status === 408
      ? ["RequestTimeout", "The request timed out."]
      : status === 500
        ? ["InternalServerError", "An internal server error occurred."]
        : ["BadGateway", "The gateway received an invalid response from the backend."];
  if (api === "graph") {
    return new SandboxHttpError({
      status,
      code,
      message,
      body: {
        error: {
          code,
          message,
          innerError: {
            date: ectx.now().toISOString(),
            "request-id": ectx.requestId,
            "client-request-id": ectx.clientRequestId ?? ectx.requestId,
          },
        },
      },
    });
  }
  return plain(status, code, message);
}

function withRetryAfter(err: SandboxHttpError, retryAfter: number | string | undefined): SandboxHttpError {
  if (retryAfter === undefined) return err;
  // Replace whatever spelling the catalogue used, so a string (an HTTP date) or "2.128" goes out verbatim.
  const headers = Object.fromEntries(Object.entries(err.headers).filter(([k]) => k.toLowerCase() !== "retry-after"));
  return new SandboxHttpError({
    status: err.status,
    code: err.code,
    message: err.message,
    body: err.body,
    headers: { ...headers, "Retry-After": String(retryAfter) },
  });
}

function lowercased(err: SandboxHttpError): SandboxHttpError {
  return new SandboxHttpError({
    status: err.status,
    code: err.code,
    message: err.message,
    body: err.body,
    headers: Object.fromEntries(Object.entries(err.headers).map(([k, v]) => [k.toLowerCase(), v])),
  });
}

/**
 * The answer for a fault that has one (every kind but reset and timeout). `pathAndQuery` and
 * `regionalBaseUrl` build a redirect's Location (the rule's `location` wins).
 */
export function faultResponse(
  api: ApiName,
  f: FaultRule,
  ectx: ErrorContext,
  pathAndQuery: string,
  regionalBaseUrl: string,
): SandboxHttpError {
  const err = ((): SandboxHttpError => {
    switch (f.kind) {
      case "429": {
        const ra = f.retryAfter ?? 1;
        if (api === "token") return TokenErrors.throttled(String(ra));
        const base =
          api === "exchange"
            ? ExchangeErrors.throttled(1)
            : GraphErrors.throttled(ectx, 1, "Tenant_Application/Read/fault-injection", "ResourceUnitLimitExceeded");
        return withRetryAfter(base, ra);
      }
      case "503":
        return withRetryAfter(
          api === "exchange" ? ExchangeErrors.serviceUnavailable() : GraphErrors.serviceUnavailable(ectx),
          f.retryAfter,
        );
      case "401":
        // A token refused after it was issued: Exchange's 401 (error="invalid_token"); Graph's
        // claims challenge when `claims` is given, else its expired-token 401.
        if (api === "exchange") return ExchangeErrors.unauthorized("The token has expired.");
        return f.claims !== undefined
          ? GraphErrors.claimsChallenge(ectx, Buffer.from(f.claims, "utf8").toString("base64"))
          : GraphErrors.tokenExpired(ectx);
      case "404": {
        // Directory eventual consistency: the object named in the path is missing on this replica.
        const id = decodeURIComponent(
          /\/users\/([^/?]+)/i.exec(pathAndQuery)?.[1] ?? pathAndQuery.split("/").pop() ?? "",
        );
        return api === "exchange" ? ExchangeErrors.objectNotFound(id) : GraphErrors.userNotFound(ectx, id);
      }
      case "504":
        return api === "exchange" ? ExchangeErrors.gatewayTimeout() : GraphErrors.gatewayTimeout(ectx);
      case "408":
      case "500":
      case "502":
        return statusFault(api, Number(f.kind) as 408 | 500 | 502, ectx);
      case "concurrency":
        return concurrencyRefusal(f.status ?? 400, f.retryAfter, f.shape === "error");
      case "redirect": {
        const location = `${(f.location ?? regionalBaseUrl).replace(/\/+$/, "")}${pathAndQuery}`;
        return new SandboxHttpError({
          status: f.status ?? 307,
          code: "Redirect",
          message: `moved to ${location}`,
          body: "",
          headers: { Location: location },
        });
      }
      case "aadsts":
        // The token service's OAuth error body, whichever API the rule matched (use match: "oauth2").
        return TokenErrors.fault(ectx, f.aadsts ?? 90024, f.status);
      case "legacy-error":
        // The OData v3 envelope Azure AD Graph answered with, which directory-backed endpoints can
        // still send: `odata.error`, a `message` object {lang, value}, requestId and date beside it.
        return new SandboxHttpError({
          status: f.status ?? 500,
          code: "Service_InternalServerError",
          message: "Encountered an internal server error.",
          body: {
            "odata.error": {
              code: "Service_InternalServerError",
              message: { lang: "en", value: "Encountered an internal server error." },
              requestId: ectx.requestId,
              date: ectx.now().toISOString(),
            },
          },
        });
      case "html-200":
        // A TLS-inspecting or captive proxy's page, answered 200 (ExoHelper: "Received non-JSON response").
        return new SandboxHttpError({
          status: 200,
          code: "ProxyPage",
          message: "a proxy's HTML page",
          body: "<html><head><title>Web filter</title></head>\n<body><p>The page you requested is being checked.</p></body></html>",
          headers: { "Content-Type": "text/html; charset=utf-8" },
        });
      case "empty-200":
        return new SandboxHttpError({ status: 200, code: "EmptyAnswer", message: "an empty 200", body: "" });
      case "no-value-200":
        // An OData envelope with nothing in it (CIPP's pager takes `value` only when it is there).
        return new SandboxHttpError({
          status: 200,
          code: "NoValue",
          message: "a 200 without value",
          body: {
            "@odata.context":
              "https://outlook.office365.com/adminapi/beta/$metadata#Collection(Exchange.GenericHashTable)",
          },
        });
      case "reset":
      case "timeout":
      case "error-in-200":
      case "cut-body":
      case "stall-body":
        // Reset and timeout have no answer; error-in-200 is answered by the API's error surface; the
        // body faults by the handler, broken on the wire by the pipeline.
        throw new Error(`a ${f.kind} fault is not answered here`);
    }
  })();
  return f.lowercaseHeaders ? lowercased(err) : err;
}
