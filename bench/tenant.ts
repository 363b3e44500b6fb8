/**
 * The benchmark's tenants and desired states. A tenant is the contoso-failing fixture (apps,
 * permissions, policies) plus N generated users, every one licensed with a mailbox, so that N users
 * mean N mailboxes and N per-user MFA settings.
 *
 * Desired states (tenant.yaml):
 * - "A" (everything declared): every mailbox's SMTP AUTH and every user's MFA, as `export` would
 *   write them from the live tenant, plus 20 device exceptions (SMTP AUTH enabled, MFA disabled).
 * - "B" (the common shape): the 20 device exceptions, `others: inherit` (strays are reset) and an
 *   MFA state for every user.
 * - "C" (the realistic large tenant, issue 15.5): only the 20 device exceptions (SMTP AUTH enabled,
 *   MFA disabled), `smtpAuth.others: inherit` and `mfa.others: enforced`: 42 resources whatever N.
 */
import { fixturePath, loadFixture } from "../sandbox/store/fixture.ts";
import { generateUsers } from "../sandbox/store/generate.ts";
import type { TenantState, TenantUser } from "../sandbox/model.ts";

export type DesiredShape = "A" | "B" | "C";

export const DEVICE_COUNT = 20;

/** The fixture plus `users` generated users (seed 7), each with a licensed mailbox. */
export function benchTenant(users: number): TenantState {
  const state = loadFixture(fixturePath("contoso-failing"));
  const generated = generateUsers({ count: users, seed: 7, tenantId: state.tenantId, domain: state.domain }).map(
    (u): TenantUser => ({
      ...u,
      licenses: u.licenses.length > 0 && u.licenses[0] !== "FLOW_FREE" ? u.licenses : ["EXCHANGESTANDARD"],
      hasMailbox: true,
    }),
  );
  state.users.push(...generated);
  return state;
}

const mailboxState = (u: TenantUser) =>
  u.smtpClientAuthenticationDisabled === null ? "inherit" : u.smtpClientAuthenticationDisabled ? "disabled" : "enabled";

/** Device accounts: every (N/20)th generated user. */
export function devices(state: TenantState): TenantUser[] {
  const generated = state.users.filter((u) => /^user\d+@/.test(u.userPrincipalName));
  const step = Math.max(1, Math.floor(generated.length / DEVICE_COUNT));
  return generated.filter((_, i) => i % step === 0).slice(0, DEVICE_COUNT);
}

/** tenant.yaml text, and how many items (resources) it declares. */
export function desiredYaml(state: TenantState, shape: DesiredShape): { yaml: string; items: number } {
  const deviceSet = new Set(devices(state).map((u) => u.userPrincipalName.toLowerCase()));
  const lines: string[] = ["smtpAuth:", "  mailboxes:"];
  let items = 0;
  for (const u of state.users) {
    if (!u.hasMailbox) continue;
    const upn = u.userPrincipalName.toLowerCase();
    if (deviceSet.has(upn)) {
      lines.push(`    ${upn}: { state: enabled, owner: facilities@contoso.com, ticket: CHG-1, expires: 2027-06-30 }`);
      items++;
    } else if (shape === "A") {
      const state = mailboxState(u);
      // An exception (enabled) needs an owner and an expiry; the others take the short form.
      lines.push(
        state === "enabled"
          ? `    ${upn}: { state: enabled, owner: it@contoso.com, ticket: CHG-0, expires: 2027-12-31 }`
          : `    ${upn}: ${state}`,
      );
      items++;
    }
  }
  lines.push(`  others: ${shape === "A" ? "unmanaged" : "inherit"}`);
  if (shape !== "A") items++;
  lines.push("mfa:", "  users:");
  for (const u of state.users) {
    const upn = u.userPrincipalName.toLowerCase();
    if (shape === "C" && !deviceSet.has(upn)) continue;
    lines.push(`    ${upn}: ${deviceSet.has(upn) ? "disabled" : u.perUserMfa}`);
    items++;
  }
  if (shape === "C") {
    lines.push("  others: enforced");
    items++;
  }
  return { yaml: lines.join("\n") + "\n", items };
}
