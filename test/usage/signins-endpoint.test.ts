/**
 * The sandbox's sign-in log endpoint (sandbox/graph/signins.ts) over TLS, and the usage command's
 * reader (cli/usage/signins.ts) against it: the $filter subset, paging, strict 501s, the
 * non-premium refusal and the missing permission, with exact values from the fixture.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../sandbox/server.ts";
import type { SignInRecord, TenantState } from "../../sandbox/model.ts";
import { loadFixture, fixturePath } from "../../sandbox/store/fixture.ts";
import { GraphCodes } from "../../sandbox/errors/graph.ts";
import { NON_PREMIUM, parseSignInFilter } from "../../sandbox/graph/signins.ts";
import { createHttpClient } from "../../tenant/http.ts";
import { readSmtpSignIns, SignInLogError } from "../../cli/usage/signins.ts";
import { aggregateSignIns } from "../../cli/usage/aggregate.ts";
import { call, FIXTURE, startTestSandbox } from "../sandbox/helpers.ts";

const GRAPH = "https://graph.microsoft.com";
let sb: Sandbox;
const base = loadFixture(fixturePath("contoso-failing"));

function token(appId: string, roles?: string[]): string {
  return sb.tokens.issueToken(sb.store.findApp(appId)!, GRAPH, roles ? { roles } : {});
}
async function get(path: string, appId: string = FIXTURE.automation.appId) {
  return call(`${sb.baseUrl}${path}`, { ca: sb.caPem, headers: { authorization: `Bearer ${token(appId)}` } });
}
const q = (filter: string, extra = "") => `?$filter=${encodeURIComponent(filter)}${extra}`;
const since = () => new Date(Date.now() - 30 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
const upns = (body: unknown) =>
  (body as { value: { userPrincipalName: string | null }[] }).value.map((v) => v.userPrincipalName);

function client(appId: string = FIXTURE.automation.appId) {
  return createHttpClient({
    getToken: () => Promise.resolve(token(appId)),
    retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, budgetMs: 0 },
  });
}

beforeAll(async () => {
  sb = await startTestSandbox({ throttle: false });
});
afterAll(async () => {
  await sb.stop();
});
beforeEach(() => {
  sb.store.reset();
});

describe("GET /auditLogs/signIns", () => {
  it("filters SMTP AUTH sign-ins server-side, newest first, within the window", async () => {
    const r = await get(
      `/v1.0/auditLogs/signIns${q(`createdDateTime ge ${since()} and clientAppUsed eq 'Authenticated SMTP'`)}`,
    );
    expect(r.status).toBe(200);
    const got = upns(r.json);
    // 12 scanner, 6 printer, 2 alice; former.employee is 45 days old; admin's Browser sign-in is not SMTP.
    expect(got).toHaveLength(20);
    expect(new Set(got)).toEqual(new Set(["scanner@contoso.com", "printer@contoso.com", "alice@contoso.com"]));
    const times = (r.json as { value: { createdDateTime: string }[] }).value.map((v) => v.createdDateTime);
    expect([...times].sort().reverse()).toEqual(times);
    const first = (r.json as { value: Record<string, unknown>[] }).value.find(
      (v) => v.userPrincipalName === "alice@contoso.com",
    )!;
    expect(first.status).toEqual({
      errorCode: 53003,
      failureReason:
        "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
      additionalDetails: null,
    });
    expect(first.clientAppUsed).toBe("Authenticated SMTP");
    expect(first.ipAddress).toBe("198.51.100.23");
    expect(first).not.toHaveProperty("signInEventTypes"); // beta only
  });

  it("combines userPrincipalName eq and createdDateTime le in parentheses", async () => {
    const until = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const r = await get(
      `/v1.0/auditLogs/signIns${q(`(userPrincipalName eq 'printer@contoso.com') and createdDateTime le ${until}T00:00:00Z`)}`,
    );
    expect(r.status).toBe(200);
    // printer's sign-ins 13 and 9 days ago (the ones 6, 2 and 1 days ago are later).
    expect(upns(r.json)).toEqual(["printer@contoso.com", "printer@contoso.com"]);
  });

  it("pages with $top and absolute nextLinks until every record is read", async () => {
    const filter = `clientAppUsed eq 'Authenticated SMTP' and createdDateTime ge ${since()}`;
    let url: string | undefined = `${sb.baseUrl}/v1.0/auditLogs/signIns${q(filter, "&$top=7")}`;
    const sizes: number[] = [];
    const links: string[] = [];
    while (url) {
      const r = await call(url, {
        ca: sb.caPem,
        headers: { authorization: `Bearer ${token(FIXTURE.automation.appId)}` },
      });
      expect(r.status).toBe(200);
      const body = r.json as { value: unknown[]; "@odata.nextLink"?: string };
      sizes.push(body.value.length);
      url = body["@odata.nextLink"];
      if (url) links.push(url);
    }
    expect(sizes).toEqual([7, 7, 6]);
    expect(links.every((l) => l.startsWith(`${sb.baseUrl}/v1.0/auditLogs/signIns?`))).toBe(true);
  });

  it("serves service-principal sign-ins on beta through signInEventTypes/any", async () => {
    const r = await get(
      `/beta/auditLogs/signIns${q(`createdDateTime ge ${since()} and signInEventTypes/any(t: t eq 'servicePrincipal')`)}`,
    );
    expect(r.status).toBe(200);
    const rows = (r.json as { value: Record<string, unknown>[] }).value;
    expect(rows.map((x) => x.appDisplayName)).toEqual([
      "scanner SMTP OAuth",
      "contoso read-only audit",
      "m365-smtp-auth automation",
      "scanner SMTP OAuth",
      "scanner SMTP OAuth",
    ]);
    expect(rows.every((x) => JSON.stringify(x.signInEventTypes) === '["servicePrincipal"]')).toBe(true);
    expect(rows[0]!.servicePrincipalId).toBe(FIXTURE.scannerOauth.spId);
  });

  it.each([
    ["v1.0", "clientAppUsed eq 'Authenticated SMTP' or clientAppUsed eq 'IMAP4'", 501],
    ["v1.0", "createdDateTime gt 2026-01-01T00:00:00Z", 501],
    ["v1.0", "startsWith(appDisplayName,'Azure')", 501],
    ["v1.0", "signInEventTypes/any(t: t eq 'servicePrincipal')", 501],
    ["beta", "authenticationProcessingDetails/any(x: x/key eq 'a')", 501],
    ["v1.0", "(clientAppUsed eq 'Authenticated SMTP'", 400],
  ])("%s $filter=%s answers %i", async (version, filter, status) => {
    const r = await get(`/${version}/auditLogs/signIns${q(filter)}`);
    expect(r.status).toBe(status);
    expect((r.json as { error: { code: string } }).error.code).toBe(
      status === 501 ? GraphCodes.notImplemented : GraphCodes.badRequest,
    );
  });

  it("refuses $top above 1000 and unmodelled query options", async () => {
    expect((await get("/v1.0/auditLogs/signIns?$top=1001")).status).toBe(400);
    expect((await get("/v1.0/auditLogs/signIns?$orderby=createdDateTime")).status).toBe(501);
  });

  it("a tenant without Entra ID P1 answers 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant", async () => {
    sb.store.patch({ signInLogs: { ...base.signInLogs!, premium: false } });
    const r = await get("/v1.0/auditLogs/signIns");
    expect(r.status).toBe(403);
    expect((r.json as { error: { code: string; message: string } }).error).toMatchObject({
      code: NON_PREMIUM.code,
      message: "Neither tenant is B2C or tenant doesn't have premium license",
    });
  });

  it("an app without AuditLog.Read.All gets 403 Authorization_RequestDenied", async () => {
    const r = await get("/v1.0/auditLogs/signIns", FIXTURE.nobody.appId);
    expect(r.status).toBe(403);
    expect((r.json as { error: { code: string } }).error.code).toBe(GraphCodes.denied);
  });
});

describe("readSmtpSignIns against the sandbox", () => {
  it("reads Basic and Exchange OAuth sign-ins, leaving out the tool's own app and Graph tokens", async () => {
    const signIns = await readSmtpSignIns(sb.baseUrl, client(), { since: since(), ownAppId: FIXTURE.automation.appId });
    const usage = aggregateSignIns(signIns);
    expect(usage.map((u) => [u.account, u.mechanism, u.logins, u.failures, u.errorCodes, u.ipAddresses])).toEqual([
      [FIXTURE.scannerOauth.appId, "oauth", 2, 1, { "7000215": 1 }, ["203.0.113.10"]],
      ["alice@contoso.com", "basic", 0, 2, { "53003": 2 }, ["198.51.100.23"]],
      ["printer@contoso.com", "basic", 5, 1, { "50126": 1 }, ["203.0.113.11"]],
      ["scanner@contoso.com", "basic", 7, 5, { "50076": 5 }, ["203.0.113.10"]],
    ]);
    expect(Object.values(usage.find((u) => u.account === "scanner@contoso.com")!.perDay)).toEqual([
      1, 1, 1, 1, 1, 1, 1,
    ]);
  });

  it("follows nextLink across pages and reports progress per page", async () => {
    const extra: SignInRecord[] = Array.from({ length: 2500 }, (_, i) => ({
      daysAgo: 1 + (i % 20),
      time: `${String(i % 24).padStart(2, "0")}:00:${String(i % 60).padStart(2, "0")}`,
      eventType: "interactiveUser",
      userPrincipalName: `device${i % 5}@contoso.com`,
      appId: "00000002-0000-0ff1-ce00-000000000000",
      appDisplayName: "Office 365 Exchange Online",
      clientAppUsed: "Authenticated SMTP",
      resourceDisplayName: "Office 365 Exchange Online",
      ipAddress: "203.0.113.99",
      errorCode: 0,
    }));
    const state: TenantState = sb.store.snapshot();
    sb.store.patch({ signInLogs: { premium: true, records: [...state.signInLogs!.records, ...extra] } });
    const progress: string[] = [];
    const signIns = await readSmtpSignIns(sb.baseUrl, client(), {
      since: since(),
      ownAppId: FIXTURE.automation.appId,
      onProgress: (what, pages, records) => progress.push(`${what}: ${pages}/${records}`),
    });
    expect(signIns.filter((s) => s.mechanism === "basic")).toHaveLength(2520);
    expect(progress).toEqual([
      "SMTP AUTH sign-ins with a password: 1/1000",
      "SMTP AUTH sign-ins with a password: 2/2000",
      "SMTP AUTH sign-ins with a password: 3/2520",
      "app-only (service principal) sign-ins: 1/5",
    ]);
  });

  it("names Entra ID P1 and the CSV fallback for a non-premium tenant", async () => {
    sb.store.patch({ signInLogs: { ...base.signInLogs!, premium: false } });
    const err = await readSmtpSignIns(sb.baseUrl, client(), { since: since() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignInLogError);
    expect((err as Error).message).toBe(
      "the tenant's sign-in logs need Microsoft Entra ID P1 or P2 (Graph answered 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant); use --from-csv FILE with the Exchange admin center's SMTP AUTH clients report instead (Reports > Mail flow > SMTP AUTH clients report > Export; see docs/usage.md)",
    );
  });

  it("names AuditLog.Read.All for an app without it", async () => {
    const err = await readSmtpSignIns(sb.baseUrl, client(FIXTURE.nobody.appId), { since: since() }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SignInLogError);
    expect((err as Error).message).toMatch(
      /^the app registration lacks permission for graph\.signIns\.read: grant the Microsoft Graph application permission AuditLog\.Read\.All with admin consent \(GET .*auditLogs\/signIns.* answered 403\); or use --from-csv FILE/,
    );
  });
});

describe("parseSignInFilter", () => {
  it("reads the modelled clauses", () => {
    expect(
      parseSignInFilter("createdDateTime ge 2026-11-01 and (userPrincipalName eq 'o''brien@contoso.com')"),
    ).toEqual([
      { kind: "time", op: "ge", at: Date.parse("2026-11-01T00:00:00Z") },
      { kind: "eq", prop: "userPrincipalName", value: "o'brien@contoso.com" },
    ]);
  });
});
