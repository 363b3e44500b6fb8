/**
 * Helpers for the CLI tests: one in-process sandbox tenant (HTTPS + SMTP) whose state each test sets
 * to "healthy but for one gate", and runCli with captured output. Certificate checks stay on: the
 * CLI is given the sandbox CA with --ca (or NODE_EXTRA_CA_CERTS for child processes).
 */
import { startSandbox, type Sandbox } from "../../sandbox/server.ts";
import type { TenantState, TenantUser } from "../../sandbox/model.ts";
import { runCli, type CliIo } from "../../cli/main.ts";

/** sandbox/fixtures/contoso-failing.yaml */
export const SCANNER = "scanner@contoso.com";
export const RECEPTION = "bob@contoso.com";
export const SCANNER_PASSWORD = "Scan-To-Mail-2026!";
export const OAUTH_APP = {
  appId: "52e8a1c4-9f07-4b3d-a6e2-d1c0b9a8f7e6",
  spId: "e3f4a5b6-c7d8-4e9f-8a0b-1c2d3e4f5a6b",
  secret: "sandbox-scanner-oauth-secret",
};
export const NOBODY_APP = { appId: "c4d5e6f7-0819-4a2b-bc3d-4e5f60718293", secret: "sandbox-nobody-secret" };

export async function startDoctorSandbox(): Promise<Sandbox> {
  return startSandbox({ throttle: false, log: () => {} });
}

/**
 * The fixture with every gate passing for scanner@ over Basic and over OAuth (the scanner OAuth app
 * registered in Exchange with FullAccess on the mailbox), then `mutate` applied.
 */
export function tenantWith(
  base: TenantState,
  mutate: (t: TenantState, scanner: TenantUser) => void = () => {},
): TenantState {
  const t = structuredClone(base);
  t.securityDefaultsEnabled = false;
  t.organizationSmtpClientAuthenticationDisabled = true;
  t.basicAuthSmtpRetired = false;
  t.defaultAuthenticationPolicy = null;
  t.conditionalAccessPolicies = [];
  const scanner = t.users.find((u) => u.userPrincipalName === SCANNER)!;
  Object.assign(scanner, {
    perUserMfa: "disabled",
    smtpClientAuthenticationDisabled: false,
    locked: false,
    accountEnabled: true,
    authenticationPolicy: null,
  });
  t.exchangeServicePrincipals = [
    { appId: OAUTH_APP.appId, objectId: OAUTH_APP.spId, displayName: "scanner SMTP OAuth" },
  ];
  t.mailboxPermissions = [{ mailbox: SCANNER, user: OAUTH_APP.spId, accessRights: ["FullAccess"] }];
  mutate(t, scanner);
  return t;
}

export interface Run {
  code: number;
  out: string;
  err: string;
}

/** runCli in-process with the sandbox's environment plus `env`. */
export async function run(
  sb: Sandbox,
  argv: string[],
  env: Record<string, string> = {},
  stdin: string | null = null,
): Promise<Run> {
  let out = "";
  let err = "";
  const io: CliIo = {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    env: { ...sb.env, ...env },
    readStdin: () => Promise.resolve(stdin),
    now: () => new Date(),
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}
