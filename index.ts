/**
 * The Pulumi program: tenant.yaml (desired state, reviewed in pull requests) becomes resources that
 * converge the tenant, and the stack exports whether each device mailbox can send afterwards.
 */
import * as pulumi from "@pulumi/pulumi";
import path from "node:path";
import { DesiredStateError, loadDesiredState } from "./desired/tenant-yaml.ts";
import { CONFIG_NAMESPACE, readConnectionSettings } from "./providers/connection.ts";
import { effectiveSmtpAuth } from "./providers/effective.ts";
import { connectTenant } from "./providers/connect.ts";
import {
  MailboxSmtpAuth,
  OrganizationSmtpAuth,
  OtherMailboxesSmtpAuth,
  PerUserMfa,
  SecurityDefaults,
} from "./providers/shim.ts";

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
  new SecurityDefaults("security-defaults", desired.securityDefaults);
}
if (desired.organizationSmtpAuth) {
  new OrganizationSmtpAuth("organization-smtp-auth", desired.organizationSmtpAuth);
}
for (const mailbox of desired.mailboxes) {
  new MailboxSmtpAuth(`mailbox-${mailbox.mailbox}`, mailbox);
}
if (desired.othersPolicy === "inherit") {
  new OtherMailboxesSmtpAuth("other-mailboxes", {
    declared: desired.mailboxes.map((m) => m.mailbox).sort(),
    strays: [],
  });
}
for (const user of desired.mfaUsers) {
  new PerUserMfa(`mfa-${user.user}`, user);
}

/** Whether each device mailbox (declared `enabled`) will be able to send once this is applied. */
export const effective = (async () => {
  // Secret config is read as plain text here only to build the credential; it is never exported.
  const settings = readConnectionSettings((key) => pulumi.runtime.getConfig(`${CONFIG_NAMESPACE}:${key}`));
  const result = await effectiveSmtpAuth(await connectTenant(settings), desired);
  for (const [mailbox, verdict] of Object.entries(result)) {
    if (!verdict.canSend) {
      void pulumi.log.warn(
        verdict.blockedBy
          ? `${mailbox} is declared enabled but will still not be able to send: ${verdict.reason}`
          : `${mailbox}: ${verdict.reason}`,
      );
    }
  }
  return result;
})();
