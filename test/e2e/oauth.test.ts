/**
 * Issue 8 end to end through the real CLI: the Exchange side of OAuth for SMTP (ExchangeServicePrincipal,
 * MailboxPermission) against the sandbox with the fixture's existing app, and the device's XOAUTH2
 * send (client-credentials token from the sandbox's token service, @azure/identity, the sandbox CA
 * trusted explicitly) failing before and succeeding after, while security defaults stay on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import nodemailer from "nodemailer";
import { sendWithXoauth2 } from "../../scripts/xoauth2.ts";
import { startProgram, type ProgramUnderTest } from "../helpers/program.ts";

const SCANNER = "scanner@contoso.com";
/** The fixture's scanner app (sandbox/fixtures/contoso-failing.yaml): SMTP.SendAsApp, not registered in Exchange. */
const APP_ID = "52e8a1c4-9f07-4b3d-a6e2-d1c0b9a8f7e6";
const SP_OBJECT_ID = "e3f4a5b6-c7d8-4e9f-8a0b-1c2d3e4f5a6b";
/** Stands in for the app registration's object id, the id people mistakenly give New-ServicePrincipal. */
const WRONG_OBJECT_ID = "0f1e2d3c-4b5a-4697-8a8b-9c0d1e2f3a4b";

const SMTP_ONLY = `securityDefaults:
  enabled: true
smtpAuth:
  organization: disabled
  mailboxes:
    ${SCANNER}: { state: enabled, owner: facilities@contoso.com, ticket: CHG-1043, expires: 2027-06-30 }
  others: unmanaged
`;
const withOAuth = (objectId = SP_OBJECT_ID) => `${SMTP_ONLY}oauth:
  apps:
    scanner:
      mailbox: ${SCANNER}
      appId: ${APP_ID}
      servicePrincipalObjectId: ${objectId}
      displayName: scanner SMTP OAuth
`;

async function sendWithOAuth(program: ProgramUnderTest): Promise<string> {
  const { sandbox } = program;
  const result = await sendWithXoauth2({
    tenantId: sandbox.env.M365_TENANT_ID!,
    clientId: APP_ID,
    clientSecret: sandbox.store.findApp(APP_ID)!.secrets[0]!, // sandbox test data
    authorityHost: sandbox.env.M365_AUTHORITY_HOST!,
    smtpHost: sandbox.smtp!.host,
    smtpPort: sandbox.smtp!.port,
    ca: sandbox.caPem,
    servername: "localhost",
    mailbox: SCANNER,
    to: "alice@contoso.com",
  });
  return result.ok ? result.response : result.reply;
}

async function sendWithPassword(program: ProgramUnderTest): Promise<string> {
  const { sandbox } = program;
  const transport = nodemailer.createTransport({
    host: sandbox.smtp!.host,
    port: sandbox.smtp!.port,
    requireTLS: true,
    tls: { ca: sandbox.caPem, servername: "localhost" },
    auth: { user: SCANNER, pass: sandbox.store.findUser(SCANNER)!.smtpPassword! },
  });
  try {
    return (await transport.sendMail({ from: SCANNER, to: "alice@contoso.com", subject: "scan", text: "x" })).response;
  } catch (err) {
    return (err as { response?: string }).response ?? String(err);
  } finally {
    transport.close();
  }
}

const exchangeSide = (program: ProgramUnderTest) => {
  const state = program.sandbox.store.read();
  return { servicePrincipals: state.exchangeServicePrincipals, mailboxPermissions: state.mailboxPermissions };
};

interface PreviewJson {
  steps?: { op: string; urn: string }[];
}
const steps = (stdout: string) =>
  ((JSON.parse(stdout) as PreviewJson).steps ?? [])
    .filter((s) => s.op !== "same" && s.op !== "refresh")
    .map((s) => `${s.op} ${s.urn.split("::").slice(-2).join("::")}`)
    .sort();

describe("OAuth for SMTP through the real CLI", { timeout: 300_000 }, () => {
  let program: ProgramUnderTest;

  beforeAll(async () => {
    // A short retry budget keeps the failing-read case quick.
    program = await startProgram({ tenantYaml: SMTP_ONLY, config: { maxAttempts: "2", retryBudgetSeconds: "3" } });
  });
  afterAll(() => program.stop());

  it("before: XOAUTH2 is refused because SMTP AUTH is off for the mailbox (5.7.139)", async () => {
    expect(await sendWithOAuth(program)).toMatch(
      /^535 5\.7\.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox\./,
    );
  });

  it("with SMTP AUTH on but no Exchange service principal, XOAUTH2 is refused with 535 5.7.3", async () => {
    await program.ok(["up", "--yes", "--skip-preview"]);
    expect(await sendWithOAuth(program)).toMatch(/^535 5\.7\.3 Authentication unsuccessful/);
  });

  it("previews exactly the Exchange service principal and the mailbox permission", async () => {
    program.writeTenantYaml(withOAuth());
    const preview = await program.ok(["preview", "--json"]);
    expect(steps(preview.stdout)).toEqual([
      "create pulumi-nodejs:dynamic/m365:ExchangeServicePrincipal::exchange-sp-scanner",
      "create pulumi-nodejs:dynamic/m365:MailboxPermission::mailbox-permission-scanner",
    ]);
    expect(exchangeSide(program)).toEqual({ servicePrincipals: [], mailboxPermissions: [] });
  });

  it("up registers the enterprise app's object id in Exchange and grants FullAccess; the device sends with XOAUTH2", async () => {
    program.sandbox.requestLog.clear();
    await program.ok(["up", "--yes", "--skip-preview"]);
    expect(exchangeSide(program)).toEqual({
      servicePrincipals: [{ appId: APP_ID, objectId: SP_OBJECT_ID, displayName: "scanner SMTP OAuth" }],
      mailboxPermissions: [{ mailbox: SCANNER, user: SP_OBJECT_ID, accessRights: ["FullAccess"] }],
    });
    const endpoints = program.sandbox.requestLog.entries().map((e) => e.endpoint);
    expect(endpoints).toContain("InvokeCommand New-ServicePrincipal");
    expect(endpoints).toContain("InvokeCommand Add-MailboxPermission");

    expect(await sendWithOAuth(program)).toMatch(/^250 2\.0\.0 OK <[^>]+> \[Hostname=/);
    // Security defaults stayed on: a password still gets nowhere.
    expect(await sendWithPassword(program)).toMatch(/^535 5\.7\.139 .*security defaults policy/);
  });

  it("a second preview, refreshed, changes nothing", async () => {
    const preview = await program.ok(["preview", "--refresh", "--expect-no-changes", "--json"]);
    expect(steps(preview.stdout)).toEqual([]);
  });

  it("refresh sees both removed out of band, and up puts them back", async () => {
    program.sandbox.store.removeMailboxPermission(SCANNER, SP_OBJECT_ID, ["FullAccess"]);
    program.sandbox.store.removeServicePrincipal(SP_OBJECT_ID);
    expect(await sendWithOAuth(program)).toMatch(/^535 5\.7\.3 /);
    await program.ok(["up", "--yes", "--skip-preview", "--refresh"]);
    expect(exchangeSide(program).servicePrincipals.map((s) => s.objectId)).toEqual([SP_OBJECT_ID]);
    expect(await sendWithOAuth(program)).toMatch(/^250 2\.0\.0 OK/);
  });

  it("a failed read is an error, never 'absent'", async () => {
    program.sandbox.faults.add({ kind: "503", match: "Get-ServicePrincipal" });
    try {
      const refresh = await program.pulumi(["refresh", "--yes", "--skip-preview"]);
      expect(refresh.code).not.toBe(0);
    } finally {
      program.sandbox.faults.clear();
    }
    expect(exchangeSide(program).servicePrincipals).toHaveLength(1);
    await program.ok(["preview", "--refresh", "--expect-no-changes"]);
  });

  it("destroy removes what the stack added and nothing else", async () => {
    await program.ok(["destroy", "--yes", "--skip-preview"]);
    expect(exchangeSide(program)).toEqual({ servicePrincipals: [], mailboxPermissions: [] });
  });

  it("adopts a registration that was already there and leaves it on destroy", async () => {
    program.sandbox.store.addServicePrincipal({ appId: APP_ID, objectId: SP_OBJECT_ID, displayName: "by hand" });
    await program.ok(["up", "--yes", "--skip-preview"]);
    expect(await sendWithOAuth(program)).toMatch(/^250 2\.0\.0 OK/);
    await program.ok(["destroy", "--yes", "--skip-preview"]);
    expect(exchangeSide(program)).toEqual({
      servicePrincipals: [{ appId: APP_ID, objectId: SP_OBJECT_ID, displayName: "by hand" }],
      mailboxPermissions: [],
    });
  });

  it("refuses to adopt a registration with another object id, naming the enterprise application's", async () => {
    program.writeTenantYaml(withOAuth(WRONG_OBJECT_ID));
    const up = await program.pulumi(["up", "--yes", "--skip-preview"]);
    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toContain(
      `Exchange already has a service principal for app ${APP_ID} with object id ${SP_OBJECT_ID}, not the declared ${WRONG_OBJECT_ID}`,
    );
    program.sandbox.store.removeServicePrincipal(SP_OBJECT_ID);
  });

  it("registered with the app registration's object id, Exchange refuses the token (535 5.7.3)", async () => {
    await program.ok(["up", "--yes", "--skip-preview"]);
    expect(exchangeSide(program).servicePrincipals.map((s) => s.objectId)).toEqual([WRONG_OBJECT_ID]);
    expect(await sendWithOAuth(program)).toMatch(/^535 5\.7\.3 /);
    await program.ok(["destroy", "--yes", "--skip-preview"]);
  });
});
