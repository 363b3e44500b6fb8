/**
 * The Pulumi program: tenant.yaml (desired state, reviewed in pull requests) becomes resources that
 * converge the tenant, and the stack exports whether each device mailbox can send afterwards.
 */
import * as pulumi from "@pulumi/pulumi";
import path from "node:path";
import { DesiredStateError, loadDesiredState } from "./desired/tenant-yaml.ts";
import { CONFIG_NAMESPACE, readConnectionSettings } from "./tenant/connection.ts";
import { effectiveSmtpAuth } from "./program/effective.ts";
import { connectTenant } from "./tenant/connect.ts";
import {
  ExchangeServicePrincipal,
  MailboxPermission,
  MailboxSmtpAuth,
  OrganizationSmtpAuth,
  OtherMailboxesSmtpAuth,
  OtherUsersMfa,
  PerUserMfa,
  SecurityDefaults,
} from "./providers/shim.ts";
import { RegistrationWindow } from "./program/registration-window.ts";
import { failingAsSentence } from "./program/failure.ts";
import { CURRENT_VALUES_ENV, reportCurrentValues } from "./program/current.ts";
import { coverageWarning, readMfaCoverage } from "./program/mfa-coverage.ts";

const config = new pulumi.Config(CONFIG_NAMESPACE);
const tenantFile = config.get("tenantFile") ?? path.join("stacks", pulumi.getStack(), "tenant.yaml");

let desired;
try {
  desired = loadDesiredState(tenantFile);
} catch (err) {
  if (err instanceof DesiredStateError) {
    // A clean failure: the message names file, line and key; no resource is declared, no API called.
    throw new pulumi.RunError(err.message);
  }
  throw err;
}

if (desired.securityDefaults) {
  // Issue 15.5: the policy pack accepts security defaults off when mfa.others enforces MFA for everyone else.
  const mfaOthers = desired.mfaOthers === "unmanaged" ? {} : { mfaOthers: desired.mfaOthers };
  new SecurityDefaults("security-defaults", { ...desired.securityDefaults, ...mfaOthers });
}
if (desired.organizationSmtpAuth) {
  new OrganizationSmtpAuth("organization-smtp-auth", desired.organizationSmtpAuth);
}
// Tens of thousands of mailboxes and users: a bounded queue of registrations keeps memory flat.
const registrations = new RegistrationWindow();
for (const mailbox of desired.mailboxes) {
  await registrations.declare(() => new MailboxSmtpAuth(`mailbox-${mailbox.mailbox}`, mailbox));
}
if (desired.othersPolicy === "inherit") {
  new OtherMailboxesSmtpAuth("other-mailboxes", {
    declared: desired.mailboxes.map((m) => m.mailbox).sort(),
    strays: [],
  });
}
for (const user of desired.mfaUsers) {
  await registrations.declare(() => new PerUserMfa(`mfa-${user.user}`, user));
}
if (desired.mfaOthers !== "unmanaged") {
  new OtherUsersMfa("other-users-mfa", {
    state: desired.mfaOthers,
    declared: desired.mfaUsers.map((u) => u.user).sort(),
    strays: [],
  });
}

// Issue 8: OAuth (XOAUTH2) for SMTP and the Conditional Access baseline. The Entra side is declared
// with @pulumi/azuread (program/azuread.ts), imported only when tenant.yaml asks for it, because
// the azuread provider plugin must then be installed (docs/oauth.md).
const createdApps = desired.oauthApps.filter((a) => a.kind === "create");
const azureAd =
  createdApps.length > 0 || desired.conditionalAccessBaseline ? await import("./program/azuread.ts") : undefined;
const created = new Map((azureAd?.declareOAuthApps(createdApps) ?? []).map((a) => [a.name, a]));
if (azureAd && desired.conditionalAccessBaseline) {
  const exceptions = desired.mailboxes.filter((m) => m.state === "enabled").map((m) => m.mailbox);
  azureAd.declareConditionalAccessBaseline(desired.conditionalAccessBaseline, exceptions);
}
for (const app of desired.oauthApps) {
  const ids =
    app.kind === "existing"
      ? { appId: pulumi.output(app.appId), objectId: pulumi.output(app.servicePrincipalObjectId) }
      : { appId: created.get(app.name)!.appId, objectId: created.get(app.name)!.servicePrincipalObjectId };
  const sp = new ExchangeServicePrincipal(`exchange-sp-${app.name}`, {
    appId: ids.appId,
    objectId: ids.objectId,
    displayName: app.displayName ?? app.name,
  });
  new MailboxPermission(
    `mailbox-permission-${app.name}`,
    { mailbox: app.mailbox, user: ids.objectId, appId: ids.appId, accessRights: ["FullAccess"] },
    { dependsOn: [sp] },
  );
}

/** Issue 8: each OAuth app's mailbox and ids; the client secret of a created app is a secret output. */
export const oauthApps = desired.oauthApps.length
  ? Object.fromEntries(
      desired.oauthApps.map((app) => {
        const c = created.get(app.name);
        return [
          app.name,
          c
            ? {
                mailbox: app.mailbox,
                appId: c.appId,
                servicePrincipalObjectId: c.servicePrincipalObjectId,
                clientSecret: c.clientSecret,
              }
            : app.kind === "existing"
              ? { mailbox: app.mailbox, appId: app.appId, servicePrincipalObjectId: app.servicePrincipalObjectId }
              : {},
        ];
      }),
    )
  : {};

// The tenant client for the program's own reads (the current values, `effective`, `mfaCoverage`),
// connected once.
// Secret config is read as plain text here only to build the credential; it is never exported.
let tenant: ReturnType<typeof connectTenant> | undefined;
const connectOnce = () =>
  (tenant ??= connectTenant(readConnectionSettings((key) => pulumi.runtime.getConfig(`${CONFIG_NAMESPACE}:${key}`))));

// Issue 16.1: a preview says what each change overwrites (program/current.ts); never during an
// update. It runs alongside the `effective` reads below and is awaited at the end.
const currentReport =
  pulumi.runtime.isDryRun() && process.env[CURRENT_VALUES_ENV] !== "off"
    ? reportCurrentValues(
        connectOnce,
        desired,
        (m) => void pulumi.log.info(m),
        (m) => void pulumi.log.warn(m),
      )
    : undefined;

// Whether each device mailbox (declared `enabled`) will be able to send once this is applied.
const effectiveVerdicts = (async () => {
  const result = await effectiveSmtpAuth(await connectOnce(), desired);
  for (const [mailbox, verdict] of Object.entries(result)) {
    if (verdict.status === "blocked") {
      void pulumi.log.warn(`${mailbox} is declared to send but will still not be able to: ${verdict.reason}`);
    } else if (verdict.status === "unknown") {
      void pulumi.log.info(`${mailbox}: whether it can send is ${verdict.reason}`);
    }
  }
  return result;
})();

/**
 * Whether each device mailbox (declared `enabled`) will be able to send once this is applied. A
 * failure ends the run with its message on one line (program/failure.ts), not a stack trace.
 */
export const effective = failingAsSentence(effectiveVerdicts);

/**
 * Issue 15.5: with security defaults declared off, who is left without MFA (program/mfa-coverage.ts);
 * absent otherwise. A failed read is a warning and `{ error }`: it must not stop an apply that
 * declares the compensating control.
 */
export const mfaCoverage =
  desired.securityDefaults?.enabled === false
    ? (async () => {
        try {
          const coverage = await readMfaCoverage(await connectOnce(), desired);
          const warning = coverage && coverageWarning(coverage);
          if (warning) void pulumi.log.warn(warning);
          return coverage;
        } catch (err) {
          const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
          void pulumi.log.warn(`MFA coverage with security defaults off could not be read: ${why}`);
          return { securityDefaults: "disabled", error: why };
        }
      })()
    : undefined;

await currentReport;
