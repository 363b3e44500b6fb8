/**
 * A 403 for a cmdlet the permission table does not list names that cmdlet, never another cmdlet's
 * permission (fidelity finding 21); a listed cmdlet still names its own.
 */
import { describe, expect, it } from "vitest";
import { PermissionError, createTenantApi } from "../../tenant/api.ts";
import type { ApiError } from "../../tenant/http.ts";

const DENIED = {
  error: {
    code: "Forbidden",
    message: "Error executing cmdlet",
    details: [
      { message: "Ex3D7B5F|Microsoft.Exchange.Configuration.Tasks.CmdletAccessDeniedException|Access denied." },
    ],
  },
};

function api(): ReturnType<typeof createTenantApi> {
  return createTenantApi({
    graphUrl: "https://graph.example",
    exchangeUrl: "https://exchange.example",
    tenantId: "contoso.onmicrosoft.com",
    getGraphToken: async () => "g",
    getExchangeToken: async () => "e",
    http: {
      fetch: (async () =>
        new Response(JSON.stringify(DENIED), {
          status: 403,
          headers: { "content-type": "application/json" },
        })) as unknown as typeof fetch,
      sleep: async () => undefined,
    },
  });
}

describe("403 for an Exchange cmdlet", () => {
  it("not in the permission table: a generic refusal naming that cmdlet, never Get-CASMailbox", async () => {
    const err = (await api()
      .invoke("Get-MailboxStatistics", {})
      .catch((e: unknown) => e)) as PermissionError;
    expect(err).toBeInstanceOf(PermissionError);
    expect(err.message).not.toContain("Get-CASMailbox");
    expect(err.message).toMatch(
      /^the app registration lacks permission for Get-MailboxStatistics: grant the Office 365 Exchange Online application permission Exchange\.ManageAsApp /,
    );
    expect((err.cause as ApiError).clientRequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("in the table: a PermissionError naming that cmdlet's permission and role", async () => {
    const err = (await api()
      .invoke("Get-TransportConfig", {})
      .catch((e: unknown) => e)) as PermissionError;
    expect(err).toBeInstanceOf(PermissionError);
    expect(err.message).toMatch(/^the app registration lacks permission for exchange\.Get-TransportConfig: /);
  });
});
