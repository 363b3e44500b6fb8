import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  BatchRequestContent,
  BatchResponseContent,
  GraphError,
  PageIterator,
  type BatchResponseBody,
  type Client,
  type PageCollection,
} from "@microsoft/microsoft-graph-client";
import type { Sandbox } from "../../sandbox/server.ts";
import { GraphCodes } from "../../sandbox/errors/graph.ts";
import { SECURITY_DEFAULTS_ID } from "../../sandbox/graph/policies.ts";
import { DEFAULT_USER_PROPERTIES } from "../../sandbox/graph/users.ts";
import { admin, FIXTURE, graphClient, LIVE, startTestSandbox, targetOf } from "./helpers.ts";

async function graphError(p: Promise<unknown>): Promise<GraphError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof GraphError)) throw new Error(`expected a GraphError, got ${String(e)}`);
  return e;
}

/** Client-level shape checks that also run against a real tenant (M365_LIVE_TENANT=1). */
describe("Graph conformance (sandbox or live tenant)", () => {
  let sb: Sandbox | null = null;
  let client: Client;

  beforeAll(async () => {
    sb = LIVE ? null : await startTestSandbox({ throttle: false });
    client = graphClient(targetOf(sb));
  });
  afterAll(() => sb?.stop());

  it("reads security defaults in the documented shape", async () => {
    const body = (await client.api("/policies/identitySecurityDefaultsEnforcementPolicy").get()) as Record<
      string,
      unknown
    >;
    expect(Object.keys(body).sort()).toEqual(["@odata.context", "description", "displayName", "id", "isEnabled"]);
    expect(body.id).toBe(SECURITY_DEFAULTS_ID);
    expect(body.displayName).toBe("Security Defaults");
    expect(String(body["@odata.context"])).toMatch(
      /\/v1\.0\/\$metadata#policies\/identitySecurityDefaultsEnforcementPolicy$/,
    );
    expect(typeof body.isEnabled).toBe("boolean");
  });

  it("lists users with the default property set and an absolute nextLink", async () => {
    const body = (await client.api("/users").top(2).get()) as {
      value: Record<string, unknown>[];
      "@odata.nextLink"?: string;
      "@odata.context": string;
    };
    expect(body["@odata.context"]).toMatch(/\/v1\.0\/\$metadata#users$/);
    expect(body.value).toHaveLength(2);
    expect(Object.keys(body.value[0]!).sort()).toEqual([...DEFAULT_USER_PROPERTIES].sort());
    expect(body["@odata.nextLink"]).toMatch(/^https:\/\/[^/]+\/v1\.0\/users\?.*\$skiptoken=/);
  });

  it("answers 404 Request_ResourceNotFound with the OData error envelope for an unknown user", async () => {
    const e = await graphError(client.api("/users/nobody-here@contoso.com").get());
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe(GraphCodes.notFound);
    expect(e.message).toBe(
      "Resource 'nobody-here@contoso.com' does not exist or one of its queried reference-property objects are not present.",
    );
    // GraphError.body is the JSON of the envelope's `error` member.
    const error = JSON.parse(e.body as string) as { code: string; innerError: Record<string, string> };
    expect(Object.keys(error.innerError).sort()).toEqual(["client-request-id", "date", "request-id"]);
    expect(error.innerError.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    expect(e.requestId).toBe(error.innerError["request-id"]);
    expect(e.headers?.get("request-id")).toBe(error.innerError["request-id"]);
  });
});

describe.skipIf(LIVE)("Graph against the sandbox", () => {
  let sb: Sandbox;
  let client: Client;
  let beta: Client;

  beforeAll(async () => {
    sb = await startTestSandbox({ throttle: false, generate: { users: 2500, seed: 7 } });
    client = graphClient(targetOf(sb));
    beta = graphClient(targetOf(sb), undefined, "beta");
  });
  afterAll(() => sb.stop());
  beforeEach(() => {
    sb.store.reset();
    sb.requestLog.clear();
  });

  describe("security defaults", () => {
    it("GET returns the documented example's values with the tenant's state", async () => {
      expect(await client.api("/policies/identitySecurityDefaultsEnforcementPolicy").get()).toEqual({
        "@odata.context": `${sb.baseUrl}/v1.0/$metadata#policies/identitySecurityDefaultsEnforcementPolicy`,
        description:
          "Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks.",
        displayName: "Security Defaults",
        id: "00000000-0000-0000-0000-000000000005",
        isEnabled: true,
      });
    });

    it("supports $select", async () => {
      expect(await client.api("/policies/identitySecurityDefaultsEnforcementPolicy").select("isEnabled").get()).toEqual(
        {
          "@odata.context": `${sb.baseUrl}/v1.0/$metadata#policies/identitySecurityDefaultsEnforcementPolicy(isEnabled)`,
          isEnabled: true,
        },
      );
    });

    it("PATCH { isEnabled: false } answers 204 and the tenant changes", async () => {
      const res = await client
        .api("/policies/identitySecurityDefaultsEnforcementPolicy")
        .responseType("raw" as never)
        .patch({ isEnabled: false });
      expect((res as Response).status).toBe(204);
      expect(sb.store.read().securityDefaultsEnabled).toBe(false);
      expect((await client.api("/policies/identitySecurityDefaultsEnforcementPolicy").get()).isEnabled).toBe(false);
      expect(sb.requestLog.counts()["PATCH /v1.0/policies/identitySecurityDefaultsEnforcementPolicy"]).toBe(1);
    });

    it("PATCH of a read-only property is a 400", async () => {
      const e = await graphError(
        client.api("/policies/identitySecurityDefaultsEnforcementPolicy").patch({ displayName: "x" }),
      );
      expect([e.statusCode, e.code, e.message]).toEqual([
        400,
        "BadRequest",
        "Property 'displayName' is read-only and cannot be set.",
      ]);
    });

    it("refuses to turn security defaults on while a Conditional Access policy exists", async () => {
      sb.store.setSecurityDefaults(false);
      sb.store.patch({
        conditionalAccessPolicies: [
          {
            id: "1b5c3a70-0000-4000-8000-000000000001",
            displayName: "Block legacy authentication",
            state: "disabled",
            clientAppTypes: ["exchangeActiveSync", "other"],
            includeUsers: ["All"],
            excludeUsers: [],
            builtInControls: ["block"],
          },
        ],
      });
      const e = await graphError(
        client.api("/policies/identitySecurityDefaultsEnforcementPolicy").patch({ isEnabled: true }),
      );
      expect([e.statusCode, e.code]).toEqual([400, "BadRequest"]);
      expect(sb.store.read().securityDefaultsEnabled).toBe(false);
    });

    it("is also served on beta", async () => {
      expect((await beta.api("/policies/identitySecurityDefaultsEnforcementPolicy").get())["@odata.context"]).toBe(
        `${sb.baseUrl}/beta/$metadata#policies/identitySecurityDefaultsEnforcementPolicy`,
      );
    });
  });

  describe("users", () => {
    it.each([
      ["userPrincipalName eq 'scanner@contoso.com'", ["scanner@contoso.com"]],
      ["userPrincipalName eq 'SCANNER@contoso.com'", ["scanner@contoso.com"]],
      ["mail eq 'contractor@fabrikam.example'", ["contractor@contoso.com"]],
      ["startswith(userPrincipalName,'b')", ["bob@contoso.com"]],
      [
        "userPrincipalName in ('alice@contoso.com','bob@contoso.com','nobody@contoso.com')",
        ["alice@contoso.com", "bob@contoso.com"],
      ],
      ["accountEnabled eq false and startswith(userPrincipalName,'former')", ["former.employee@contoso.com"]],
      [
        "(userPrincipalName eq 'alice@contoso.com' or userPrincipalName eq 'bob@contoso.com')",
        ["alice@contoso.com", "bob@contoso.com"],
      ],
    ])("$filter=%s", async (filter, upns) => {
      const body = (await client.api("/users").filter(filter).select(["id", "userPrincipalName"]).get()) as {
        value: { userPrincipalName: string }[];
      };
      expect(body.value.map((u) => u.userPrincipalName)).toEqual(upns);
    });

    it("accountEnabled eq true with $select returns only the selected properties", async () => {
      const body = (await client
        .api("/users")
        .filter("accountEnabled eq true")
        .select("id,accountEnabled")
        .top(5)
        .get()) as {
        "@odata.context": string;
        value: Record<string, unknown>[];
      };
      expect(body["@odata.context"]).toBe(`${sb.baseUrl}/v1.0/$metadata#users(id,accountEnabled)`);
      expect(body.value).toHaveLength(5);
      for (const u of body.value) expect(Object.keys(u)).toEqual(["id", "accountEnabled"]);
      expect(body.value.every((u) => u.accountEnabled === true)).toBe(true);
    });

    it("pages 2,507 users with $top=999 through absolute nextLinks (client.api(nextLink))", async () => {
      const ids: string[] = [];
      let page = (await client.api("/users").select("id").top(999).get()) as {
        value: { id: string }[];
        "@odata.nextLink"?: string;
      };
      let pages = 1;
      ids.push(...page.value.map((u) => u.id));
      while (page["@odata.nextLink"]) {
        expect(page["@odata.nextLink"].startsWith(`${sb.baseUrl}/v1.0/users?`)).toBe(true);
        page = (await client.api(page["@odata.nextLink"]).get()) as typeof page;
        ids.push(...page.value.map((u) => u.id));
        pages++;
      }
      expect(pages).toBe(3);
      expect(ids).toHaveLength(2507);
      expect(new Set(ids).size).toBe(2507);
      expect(sb.requestLog.count("GET /v1.0/users")).toBe(3);
    });

    it("PageIterator walks every page with the default page size of 100", async () => {
      const first = (await client
        .api("/users")
        .filter("startswith(userPrincipalName,'user0')")
        .select("userPrincipalName")
        .get()) as PageCollection;
      const seen: string[] = [];
      await new PageIterator(
        client,
        first,
        (u: { userPrincipalName: string }) => (seen.push(u.userPrincipalName), true),
      ).iterate();
      expect(seen).toHaveLength(2500);
      expect(seen[0]).toBe("user00001@contoso.com");
      expect(seen[2499]).toBe("user02500@contoso.com");
      expect(sb.requestLog.count("GET /v1.0/users")).toBe(25);
    });

    it("$count=true with ConsistencyLevel: eventual adds @odata.count", async () => {
      const body = await client
        .api("/users")
        .header("ConsistencyLevel", "eventual")
        .query({ $count: "true" })
        .filter("accountEnabled eq false")
        .top(1)
        .select("id")
        .get();
      const expected = sb.store.users().filter((u) => !u.accountEnabled).length;
      expect(body["@odata.count"]).toBe(expected);
    });

    it("$top outside 1..999 is a 400 with Graph's text", async () => {
      const e = await graphError(client.api("/users").top(1000).get());
      expect([e.statusCode, e.code, e.message]).toEqual([
        400,
        GraphCodes.badRequest,
        "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.",
      ]);
    });

    it("an advanced filter (endswith) without ConsistencyLevel is Request_UnsupportedQuery", async () => {
      const e = await graphError(client.api("/users").filter("endswith(mail,'@contoso.com')").get());
      expect([e.statusCode, e.code]).toEqual([400, "Request_UnsupportedQuery"]);
    });

    it("an unknown property in $select is a 400", async () => {
      const e = await graphError(client.api("/users").select("favouriteColour").get());
      expect([e.statusCode, e.code, e.message]).toEqual([
        400,
        GraphCodes.badRequest,
        "Could not find a property named 'favouriteColour' on type 'Microsoft.DirectoryServices.User'.",
      ]);
    });

    it("gets a user by UPN and by object id", async () => {
      const byUpn = await client
        .api(`/users/${FIXTURE.scanner.upn}`)
        .select("id,userPrincipalName,accountEnabled")
        .get();
      expect(byUpn).toEqual({
        "@odata.context": `${sb.baseUrl}/v1.0/$metadata#users(id,userPrincipalName,accountEnabled)/$entity`,
        id: FIXTURE.scanner.id,
        userPrincipalName: FIXTURE.scanner.upn,
        accountEnabled: true,
      });
      const byId = await client.api(`/users/${FIXTURE.scanner.id}`).get();
      expect(byId.userPrincipalName).toBe(FIXTURE.scanner.upn);
      expect(byId["@odata.context"]).toBe(`${sb.baseUrl}/v1.0/$metadata#users/$entity`);
    });

    it("licenseDetails lists the SKU with its Exchange service plan", async () => {
      const body = await client.api(`/users/${FIXTURE.scanner.upn}/licenseDetails`).get();
      expect(body.value).toEqual([
        {
          id: expect.any(String),
          skuId: "4b9405b0-7788-4568-add1-99614e613b69",
          skuPartNumber: "EXCHANGESTANDARD",
          servicePlans: [
            {
              servicePlanId: "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
              servicePlanName: "EXCHANGE_S_STANDARD",
              provisioningStatus: "Success",
              appliesTo: "User",
            },
          ],
        },
      ]);
      expect((await client.api("/users/contractor@contoso.com/licenseDetails").get()).value).toEqual([]);
    });
  });

  describe("per-user MFA (beta authentication/requirements)", () => {
    it("reads the state; enabled reads back as enforced once a method is registered", async () => {
      expect(await beta.api(`/users/${FIXTURE.scanner.upn}/authentication/requirements`).get()).toEqual({
        "@odata.context": `${sb.baseUrl}/beta/$metadata#users('${FIXTURE.scanner.upn}')/authentication/requirements/$entity`,
        perUserMfaState: "enforced",
      });
      expect((await beta.api("/users/printer@contoso.com/authentication/requirements").get()).perUserMfaState).toBe(
        "enabled",
      );
      sb.store.updateUser("printer@contoso.com", { mfaMethodRegistered: true });
      expect((await beta.api("/users/printer@contoso.com/authentication/requirements").get()).perUserMfaState).toBe(
        "enforced",
      );
    });

    it("PATCH answers 204 and changes the state", async () => {
      const res = await beta
        .api(`/users/${FIXTURE.scanner.id}/authentication/requirements`)
        .responseType("raw" as never)
        .patch({ perUserMfaState: "disabled" });
      expect((res as Response).status).toBe(204);
      expect(sb.store.findUser(FIXTURE.scanner.upn)!.perUserMfa).toBe("disabled");
      await beta.api("/users/alice@contoso.com/authentication/requirements").patch({ perUserMfaState: "enabled" });
      expect((await beta.api("/users/alice@contoso.com/authentication/requirements").get()).perUserMfaState).toBe(
        "enforced",
      );
    });

    it("refuses an unknown state", async () => {
      const e = await graphError(
        beta.api("/users/alice@contoso.com/authentication/requirements").patch({ perUserMfaState: "sometimes" }),
      );
      expect([e.statusCode, e.code]).toEqual([400, "BadRequest"]);
    });

    it("does not exist on v1.0", async () => {
      const e = await graphError(client.api("/users/alice@contoso.com/authentication/requirements").get());
      expect([e.statusCode, e.code, e.message]).toEqual([
        400,
        "BadRequest",
        "Resource not found for the segment 'requirements'.",
      ]);
    });
  });

  describe("Conditional Access", () => {
    it("lists and gets policies in Graph's shape", async () => {
      expect((await client.api("/identity/conditionalAccess/policies").get()).value).toEqual([]);
      await admin(sb, "PATCH", "/state", {
        conditionalAccessPolicies: [
          {
            id: "1b5c3a70-0000-4000-8000-000000000001",
            displayName: "Block legacy authentication",
            state: "enabled",
            clientAppTypes: ["exchangeActiveSync", "other"],
            includeUsers: ["All"],
            excludeUsers: [FIXTURE.scanner.id],
            builtInControls: ["block"],
          },
        ],
      });
      const p = await client.api("/identity/conditionalAccess/policies/1b5c3a70-0000-4000-8000-000000000001").get();
      expect(p).toMatchObject({
        "@odata.context": `${sb.baseUrl}/v1.0/$metadata#identity/conditionalAccess/policies/$entity`,
        id: "1b5c3a70-0000-4000-8000-000000000001",
        displayName: "Block legacy authentication",
        state: "enabled",
        conditions: {
          clientAppTypes: ["exchangeActiveSync", "other"],
          users: { includeUsers: ["All"], excludeUsers: [FIXTURE.scanner.id] },
        },
        grantControls: { operator: "OR", builtInControls: ["block"] },
      });
    });
  });

  describe("$batch", () => {
    it("runs requests with dependsOn, answering 424 for a failed dependency", async () => {
      const res = await client.api("/$batch").post({
        requests: [
          { id: "1", method: "GET", url: "/users/nobody@contoso.com" },
          { id: "2", method: "GET", url: "/users/alice@contoso.com?$select=id", dependsOn: ["1"] },
          { id: "3", method: "GET", url: "policies/identitySecurityDefaultsEnforcementPolicy?$select=isEnabled" },
          {
            id: "4",
            method: "PATCH",
            url: "/policies/identitySecurityDefaultsEnforcementPolicy",
            headers: { "Content-Type": "application/json" },
            body: { isEnabled: false },
            dependsOn: ["3"],
          },
        ],
      });
      const byId = Object.fromEntries(
        (res.responses as { id: string; status: number; body?: { error?: { code: string } } }[]).map((r) => [r.id, r]),
      );
      expect(byId["1"]!.status).toBe(404);
      expect(byId["1"]!.body!.error!.code).toBe(GraphCodes.notFound);
      expect(byId["2"]!.status).toBe(424);
      expect(byId["3"]).toMatchObject({ status: 200, body: { isEnabled: true } });
      expect(byId["4"]).toEqual({ id: "4", status: 204, headers: { "x-ms-resource-unit": "1" } });
      expect(sb.store.read().securityDefaultsEnabled).toBe(false);
      expect(sb.requestLog.counts()).toMatchObject({
        "POST /v1.0/$batch": 1,
        "GET /v1.0/users/{id}": 1,
        "PATCH /v1.0/policies/identitySecurityDefaultsEnforcementPolicy": 1,
      });
    });

    it("works with the SDK's BatchRequestContent / BatchResponseContent", async () => {
      const content = new BatchRequestContent([
        {
          id: "a",
          request: new Request(`${sb.baseUrl}/v1.0/users/bob@contoso.com?$select=userPrincipalName`, { method: "GET" }),
        },
        {
          id: "b",
          request: new Request(`${sb.baseUrl}/v1.0/users/alice@contoso.com/licenseDetails`, { method: "GET" }),
        },
      ]);
      const res = new BatchResponseContent(
        (await client.api("/$batch").post(await content.getContent())) as BatchResponseBody,
      );
      expect(await res.getResponseById("a").json()).toEqual({
        "@odata.context": `${sb.baseUrl}/v1.0/$metadata#users(userPrincipalName)/$entity`,
        userPrincipalName: "bob@contoso.com",
      });
      expect(res.getResponseById("b").status).toBe(200);
    });

    it("refuses duplicate ids (case-insensitive) and more than 20 requests with a 400", async () => {
      let e = await graphError(
        client.api("/$batch").post({
          requests: [
            { id: "x", method: "GET", url: "/users" },
            { id: "X", method: "GET", url: "/users" },
          ],
        }),
      );
      expect([e.statusCode, e.code]).toEqual([400, "BadRequest"]);
      const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i + 1), method: "GET", url: "/users?$top=1" }));
      e = await graphError(client.api("/$batch").post({ requests: many }));
      expect([e.statusCode, e.code, e.message]).toEqual([
        400,
        "BadRequest",
        "Number of requests inside batch exceeds the limit.",
      ]);
      e = await graphError(
        client.api("/$batch").post({
          requests: [
            {
              id: "1",
              method: "PATCH",
              url: "/policies/identitySecurityDefaultsEnforcementPolicy",
              body: { isEnabled: false },
            },
          ],
        }),
      );
      expect(e.message).toBe("Write request id : 1 does not contain Content-Type header or body.");
    });

    it("accepts exactly 20 requests, each authorised and charged on its own", async () => {
      const twenty = Array.from({ length: 20 }, (_, i) => ({
        id: String(i + 1),
        method: "GET",
        url: `/users?$top=1&$select=id`,
      }));
      const res = await client.api("/$batch").post({ requests: twenty });
      expect((res.responses as { status: number }[]).map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(sb.requestLog.entries().filter((e) => e.batchItem !== undefined)).toHaveLength(20);
    });
  });

  describe("strict mode", () => {
    it("answers 501 for an endpoint it does not model, naming it and --loose", async () => {
      const e = await graphError(client.api("/groups").get());
      expect(e.statusCode).toBe(501);
      expect(e.code).toBe(GraphCodes.notImplemented);
      expect(e.message).toContain("the endpoint GET /v1.0/groups");
      expect(e.message).toContain("--loose");
    });

    it("answers 501 for a method it does not model on a modelled path", async () => {
      const e = await graphError(client.api(`/users/${FIXTURE.scanner.upn}`).delete());
      expect(e.statusCode).toBe(501);
      expect(e.message).toContain(`the endpoint DELETE /v1.0/users/${FIXTURE.scanner.upn}`);
      expect(sb.store.findUser(FIXTURE.scanner.upn)).toBeDefined();
    });

    it("answers 501 for a query option it does not model", async () => {
      const e = await graphError(client.api("/users").orderby("displayName").get());
      expect(e.statusCode).toBe(501);
      expect(e.message).toContain("the query option $orderby on GET /v1.0/users");
    });

    it("answers 501 for a $filter construct it does not model (lambda any)", async () => {
      const e = await graphError(
        client.api("/users").filter("assignedLicenses/any(x:x/skuId eq 4b9405b0-7788-4568-add1-99614e613b69)").get(),
      );
      expect(e.statusCode).toBe(501);
    });
  });
});
