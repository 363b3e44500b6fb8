/**
 * program/azuread.ts under Pulumi's runtime mocks (no azuread provider plugin exists here): every
 * resource's exact inputs, every invoke's exact arguments, and a mock that throws on any resource
 * type or invoke nobody expected (STYLE guideline 10). The module declares only @pulumi/azuread
 * resources, so no dynamic resource (and no closure serialization) enters this test.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import type { ConditionalAccessBaselineDeclaration, CreatedOAuthApp } from "../../desired/tenant-yaml.ts";
import {
  ADMIN_ROLES,
  adminRoleTemplateIdsFrom,
  declareConditionalAccessBaseline,
  declareOAuthApps,
  EXCHANGE_ONLINE_APP_ID,
  smtpSendAsAppRoleId,
} from "../../program/azuread.ts";

// Mock values, test data only. The role id stands in for what the real Exchange Online service
// principal publishes; it is deliberately not a GUID so nobody mistakes it for the real one.
const EXO_SP_OBJECT_ID = "exo-sp-object-id";
const SMTP_ROLE_ID = "mock-smtp-send-as-app-role-id";
const USERS: Record<string, string> = {
  "scanner@contoso.com": "user-scanner",
  "breakglass1@contoso.com": "user-breakglass1",
  "breakglass2@contoso.com": "user-breakglass2",
  "svc-backup@contoso.com": "user-svc-backup",
};
const CERT_PEM = "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n";
const roleTemplateId = (name: string) => `template-${name.toLowerCase().replaceAll(" ", "-")}`;

interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

let resources: Recorded[];
let calls: { token: string; inputs: Record<string, unknown> }[];
let appRoleIds: Record<string, string>;

const OUTPUTS: Record<string, (name: string) => Record<string, unknown>> = {
  "azuread:index/application:Application": (name) => ({ clientId: `client-id-${name}`, objectId: `object-${name}` }),
  "azuread:index/servicePrincipal:ServicePrincipal": (name) => ({ objectId: `sp-object-${name}` }),
  "azuread:index/appRoleAssignment:AppRoleAssignment": () => ({}),
  "azuread:index/applicationPassword:ApplicationPassword": () => ({ value: "mock-client-secret", keyId: "key-1" }),
  "azuread:index/applicationCertificate:ApplicationCertificate": () => ({ keyId: "key-2" }),
  "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy": (name) => ({ objectId: `policy-${name}` }),
};

function lookUp(field: "userPrincipalNames" | "mails", inputs: Record<string, unknown>) {
  const names = inputs[field] as string[];
  return names.map((n) => {
    const id = USERS[n];
    if (!id) throw new Error(`mock: no user ${n}`);
    return id;
  });
}

beforeEach(async () => {
  resources = [];
  calls = [];
  appRoleIds = { "SMTP.SendAsApp": SMTP_ROLE_ID, full_access_as_app: "mock-other-role" };
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const outputs = OUTPUTS[args.type];
        if (!outputs) throw new Error(`not implemented: resource ${args.type}`);
        resources.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        return { id: `${args.name}-id`, state: { ...args.inputs, ...outputs(args.name) } };
      },
      call(args) {
        const inputs = args.inputs as Record<string, unknown>;
        calls.push({ token: args.token, inputs });
        switch (args.token) {
          case "azuread:index/getServicePrincipal:getServicePrincipal":
            if (inputs.clientId !== EXCHANGE_ONLINE_APP_ID) throw new Error(`mock: unexpected service principal`);
            return { objectId: EXO_SP_OBJECT_ID, clientId: EXCHANGE_ONLINE_APP_ID, appRoleIds };
          case "azuread:index/getUsers:getUsers": {
            const field = "mails" in inputs ? "mails" : "userPrincipalNames";
            return { objectIds: lookUp(field, inputs), [field]: inputs[field] };
          }
          case "azuread:index/getDirectoryRoleTemplates:getDirectoryRoleTemplates":
            return {
              roleTemplates: [...ADMIN_ROLES, "Global Reader"].map((displayName) => ({
                displayName,
                objectId: roleTemplateId(displayName),
                description: "",
              })),
            };
          default:
            throw new Error(`not implemented: ${args.token}`);
        }
      },
    },
    "m365-smtp-auth",
    "test",
    false,
  );
});

/** Resolves an output's value (mocks run the engine's side in-process). */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** Waits until every resource is registered with the mock monitor. */
async function registered(list: pulumi.CustomResource[]): Promise<void> {
  await valueOf(pulumi.all(list.map((r) => r.urn)));
}

const byName = (name: string) => {
  const found = resources.filter((r) => r.name === name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
};

describe("declareOAuthApps", () => {
  const password: CreatedOAuthApp = {
    kind: "create",
    name: "erp",
    mailbox: "erp@contoso.com",
    displayName: "ERP mailer",
    credential: { type: "password", expires: "2027-06-30" },
  };
  const certificate: CreatedOAuthApp = {
    kind: "create",
    name: "plotter",
    mailbox: "plotter@contoso.com",
    credential: { type: "certificate", file: "certs/plotter.pem", pem: CERT_PEM },
  };

  it("declares registration, service principal, admin consent of SMTP.SendAsApp and a client secret, with exact inputs", async () => {
    const [app] = declareOAuthApps([password]);
    await registered(app!.resources);

    // Registration order follows input resolution, so compare the set.
    expect(resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual(
      [
        "azuread:index/application:Application oauth-app-erp",
        "azuread:index/servicePrincipal:ServicePrincipal oauth-sp-erp",
        "azuread:index/appRoleAssignment:AppRoleAssignment oauth-consent-erp",
        "azuread:index/applicationPassword:ApplicationPassword oauth-password-erp",
      ].sort(),
    );
    expect(byName("oauth-app-erp").inputs).toEqual({
      displayName: "ERP mailer",
      signInAudience: "AzureADMyOrg",
      notes: "Sends as erp@contoso.com over SMTP with OAuth (XOAUTH2, client credentials). Managed by m365-smtp-auth.",
      requiredResourceAccesses: [
        { resourceAppId: EXCHANGE_ONLINE_APP_ID, resourceAccesses: [{ id: SMTP_ROLE_ID, type: "Role" }] },
      ],
    });
    expect(byName("oauth-sp-erp").inputs).toEqual({
      clientId: "client-id-oauth-app-erp",
      appRoleAssignmentRequired: false,
    });
    expect(byName("oauth-consent-erp").inputs).toEqual({
      appRoleId: SMTP_ROLE_ID,
      principalObjectId: "sp-object-oauth-sp-erp",
      resourceObjectId: EXO_SP_OBJECT_ID,
    });
    expect(byName("oauth-password-erp").inputs).toEqual({
      applicationId: "oauth-app-erp-id",
      displayName: "m365-smtp-auth XOAUTH2",
      endDate: "2027-06-30T23:59:59Z",
    });
    expect(calls).toEqual([
      { token: "azuread:index/getServicePrincipal:getServicePrincipal", inputs: { clientId: EXCHANGE_ONLINE_APP_ID } },
    ]);

    expect(await valueOf(app!.appId)).toBe("client-id-oauth-app-erp");
    expect(await valueOf(app!.servicePrincipalObjectId)).toBe("sp-object-oauth-sp-erp");
    expect(app!.clientSecret).toBeDefined();
    expect(await pulumi.isSecret(app!.clientSecret!)).toBe(true);
  });

  it("declares a public certificate credential instead of a secret, and one Exchange Online read for all apps", async () => {
    const [first, second] = declareOAuthApps([password, certificate]);
    await registered([...first!.resources, ...second!.resources]);

    expect(
      resources
        .filter((r) => r.name.endsWith("-plotter"))
        .map((r) => r.name)
        .sort(),
    ).toEqual(["oauth-app-plotter", "oauth-certificate-plotter", "oauth-consent-plotter", "oauth-sp-plotter"]);
    expect(resources).toHaveLength(8);
    expect(byName("oauth-app-plotter").inputs.displayName).toBe("m365-smtp-auth plotter");
    expect(byName("oauth-certificate-plotter").inputs).toEqual({
      applicationId: "oauth-app-plotter-id",
      type: "AsymmetricX509Cert",
      encoding: "pem",
      // The provider's schema marks the value secret, so it reaches the engine wrapped as one.
      value: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: CERT_PEM },
    });
    expect(second!.clientSecret).toBeUndefined();
    expect(calls.map((c) => c.token)).toEqual(["azuread:index/getServicePrincipal:getServicePrincipal"]);
  });

  it("declares nothing and reads nothing for no apps", () => {
    expect(declareOAuthApps([])).toEqual([]);
    expect(resources).toEqual([]);
    expect(calls).toEqual([]);
  });

  it("takes the SMTP.SendAsApp role id from Exchange Online's appRoleIds and fails rather than guess one", () => {
    expect(smtpSendAsAppRoleId({ "SMTP.SendAsApp": SMTP_ROLE_ID, full_access_as_app: "x" })).toBe(SMTP_ROLE_ID);
    expect(() => smtpSendAsAppRoleId({ full_access_as_app: "x" })).toThrow(
      "the Office 365 Exchange Online service principal publishes no app role SMTP.SendAsApp; cannot grant app-only SMTP",
    );
  });
});

describe("declareConditionalAccessBaseline", () => {
  const baseline: ConditionalAccessBaselineDeclaration = {
    state: "reportOnly",
    serviceAccounts: ["svc-backup@contoso.com"],
    breakGlass: ["breakglass1@contoso.com", "breakglass2@contoso.com"],
  };
  const adminTemplateIds = ADMIN_ROLES.map(roleTemplateId);

  it("declares the three policies report-only with exact inputs", async () => {
    const policies = declareConditionalAccessBaseline(baseline, ["scanner@contoso.com"]);
    await registered(policies);

    expect(resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy ca-block-legacy-authentication",
      "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy ca-require-mfa-admins",
      "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy ca-require-mfa-all-users",
    ]);
    expect(byName("ca-block-legacy-authentication").inputs).toEqual({
      displayName: "m365-smtp-auth: block legacy authentication",
      state: "enabledForReportingButNotEnforced",
      conditions: {
        clientAppTypes: ["exchangeActiveSync", "other"],
        applications: { includedApplications: ["All"] },
        users: { includedUsers: ["All"], excludedUsers: ["user-scanner", "user-breakglass1", "user-breakglass2"] },
      },
      grantControls: { operator: "OR", builtInControls: ["block"] },
    });
    expect(byName("ca-require-mfa-admins").inputs).toEqual({
      displayName: "m365-smtp-auth: require MFA for administrators",
      state: "enabledForReportingButNotEnforced",
      conditions: {
        clientAppTypes: ["all"],
        applications: { includedApplications: ["All"] },
        users: { includedRoles: adminTemplateIds, excludedUsers: ["user-breakglass1", "user-breakglass2"] },
      },
      grantControls: { operator: "OR", builtInControls: ["mfa"] },
    });
    expect(byName("ca-require-mfa-all-users").inputs).toEqual({
      displayName: "m365-smtp-auth: require MFA for all users",
      state: "enabledForReportingButNotEnforced",
      conditions: {
        clientAppTypes: ["all"],
        applications: { includedApplications: ["All"] },
        users: {
          includedUsers: ["All"],
          excludedUsers: ["user-svc-backup", "user-scanner", "user-breakglass1", "user-breakglass2"],
        },
      },
      grantControls: { operator: "OR", builtInControls: ["mfa"] },
    });
    expect(calls.map((c) => JSON.stringify(c)).sort()).toEqual(
      [
        { token: "azuread:index/getUsers:getUsers", inputs: { userPrincipalNames: baseline.breakGlass } },
        { token: "azuread:index/getUsers:getUsers", inputs: { mails: ["scanner@contoso.com"] } },
        { token: "azuread:index/getUsers:getUsers", inputs: { userPrincipalNames: baseline.serviceAccounts } },
        { token: "azuread:index/getDirectoryRoleTemplates:getDirectoryRoleTemplates", inputs: {} },
      ]
        .map((c) => JSON.stringify(c))
        .sort(),
    );
  });

  it("switches every policy to enabled with state: on, and reads no users for empty lists", async () => {
    const policies = declareConditionalAccessBaseline({ ...baseline, state: "on", serviceAccounts: [] }, []);
    await registered(policies);
    expect(resources.map((r) => r.inputs.state)).toEqual(["enabled", "enabled", "enabled"]);
    expect(byName("ca-block-legacy-authentication").inputs.conditions).toMatchObject({
      users: { excludedUsers: ["user-breakglass1", "user-breakglass2"] },
    });
    expect(calls.filter((c) => c.token === "azuread:index/getUsers:getUsers").map((c) => c.inputs)).toEqual([
      { userPrincipalNames: baseline.breakGlass },
    ]);
  });

  it("looks admin role template ids up by display name and fails on one the tenant lacks", () => {
    const templates = ADMIN_ROLES.map((displayName) => ({ displayName, objectId: roleTemplateId(displayName) }));
    expect(adminRoleTemplateIdsFrom([{ displayName: "Global Reader", objectId: "x" }, ...templates])).toEqual(
      adminTemplateIds,
    );
    expect(() => adminRoleTemplateIdsFrom(templates.filter((t) => t.displayName !== "Exchange Administrator"))).toThrow(
      "the tenant has no directory role template named Exchange Administrator",
    );
  });
});
