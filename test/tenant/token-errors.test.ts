/**
 * How token failures are read, on the shapes @azure/identity and MSAL produce (taken from runs
 * against the sandbox's token service): refusals are final, throttling and outages are retried,
 * and MSAL's replay of a throttled answer is recognised although it carries neither status nor text.
 */
import { describe, expect, it } from "vitest";
import {
  TokenServiceError,
  classifyTokenError,
  describeTokenError,
  isTokenThrottling,
} from "../../tenant/token-errors.ts";

const identityError = (message: string, cause: Record<string, unknown>) =>
  Object.assign(new Error(message), { name: "AuthenticationRequiredError", cause });

const CASES = [
  [
    "wrong secret (AADSTS7000215)",
    identityError(
      "invalid_client: Error(s): 7000215 - Timestamp: 2026-11-30 - Description: AADSTS7000215: Invalid client secret provided. - Trace ID: x",
      { name: "ServerError", status: 401, errorCode: "invalid_client" },
    ),
    "refused",
    false,
    "the token service answered 401: AADSTS7000215: Invalid client secret provided.",
  ],
  [
    "throttled (AADSTS50196, 429)",
    identityError(
      "temporarily_unavailable: Error(s): Not Available - Timestamp: Not Available - Description: AADSTS50196: The server terminated an operation because it encountered a client request loop. - Correlation ID: Not Available",
      { name: "ServerError", status: 429, errorCode: "temporarily_unavailable" },
    ),
    "transient",
    true,
    "the token service answered 429: AADSTS50196: The server terminated an operation because it encountered a client request loop.",
  ],
  [
    "MSAL's replay of a throttled 503",
    identityError(
      "[object Object]: Error(s): Not Available - Timestamp: Not Available - Description: Not Available - Correlation ID: Not Available - Trace ID: Not Available",
      { name: "ServerError", errorCode: "", errorMessage: "" },
    ),
    "transient",
    true,
    "the token service was unavailable or throttling and gave no reason",
  ],
  [
    "unreachable",
    identityError("network_error: See https://aka.ms/msal.js.errors#network_error for details", {
      name: "ClientAuthError",
      errorCode: "network_error",
    }),
    "transient",
    false,
    "network_error: See https://aka.ms/msal.js.errors#network_error for details",
  ],
  [
    "too slow",
    new TokenServiceError("timeout", "the token service did not answer within 30 s"),
    "transient",
    false,
    "the token service did not answer within 30 s",
  ],
] as const;

describe("token failures", () => {
  it.each(CASES)("%s", (_name, error, kind, throttling, description) => {
    expect(classifyTokenError(error)).toBe(kind);
    expect(isTokenThrottling(error)).toBe(throttling);
    expect(describeTokenError(error)).toBe(description);
  });
});
