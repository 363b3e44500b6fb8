/**
 * The project's own Pulumi program against an in-process sandbox tenant, through the real CLI.
 * The program (Pulumi.yaml, index.ts, providers/, desired/, sandbox/) is copied under .tmp/ so each
 * test has its own stack config, state and — for the provider-code-change test — its own code.
 */
import type { ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../../engine/pulumi-env.ts";
import { startSandbox, type Sandbox, type SandboxOptions } from "../../sandbox/server.ts";
import { pulumiProject, type CliResult, type PulumiProject } from "./pulumi-cli.ts";

const PROGRAM_FILES = [
  "Pulumi.yaml",
  "package.json",
  "index.ts",
  "m365",
  "tenant",
  "providers",
  "program",
  "desired",
  "sandbox",
];

export interface ProgramUnderTest {
  sandbox: Sandbox;
  project: PulumiProject;
  /** Writes the stack's tenant.yaml. */
  writeTenantYaml(text: string): void;
  /** Runs the CLI on the `test` stack with the sandbox's CA trusted. */
  pulumi(args: string[]): Promise<CliResult>;
  /** Starts the CLI on the `test` stack without waiting (see PulumiProject.start). */
  start(args: string[]): ChildProcess;
  /** Like pulumi, but throws with the output on a non-zero exit. */
  ok(args: string[]): Promise<CliResult>;
  /** Counts of sandbox API requests (token requests excluded) since the last reset. */
  apiCalls(): number;
  stop(): Promise<void>;
}

export const SANDBOX_TENANT_YAML = `securityDefaults:
  enabled: false
  reason: "The scan-to-email device can only use SMTP AUTH with a password"
  riskAcceptance: { owner: it-security@contoso.com, ticket: RISK-2031, expires: 2027-06-30 }
smtpAuth:
  organization: disabled
  mailboxes:
    scanner@contoso.com: { state: enabled, owner: facilities@contoso.com, ticket: CHG-1042, expires: 2027-06-30 }
  others: unmanaged
mfa:
  users:
    scanner@contoso.com: disabled
`;

export async function startProgram(
  options: { sandbox?: SandboxOptions; tenantYaml?: string; config?: Record<string, string> } = {},
): Promise<ProgramUnderTest> {
  const sandbox = await startSandbox({ fixture: "contoso-failing", latency: "none", ...options.sandbox });
  const project = pulumiProject(projectRoot, { NODE_EXTRA_CA_CERTS: sandbox.caCertPath }, PROGRAM_FILES);
  const tenantFile = path.join(project.dir, "stacks", "test", "tenant.yaml");
  mkdirSync(path.dirname(tenantFile), { recursive: true });
  const writeTenantYaml = (text: string) => writeFileSync(tenantFile, text);
  writeTenantYaml(options.tenantYaml ?? SANDBOX_TENANT_YAML);

  const run = (args: string[]) => project.run([...args, "--stack", "test"]);
  await project.ok(["stack", "init", "test"]);
  const e = sandbox.env;
  const config: Record<string, string> = {
    tenantId: e.M365_TENANT_ID!,
    clientId: e.M365_CLIENT_ID!,
    authorityHost: e.M365_AUTHORITY_HOST!,
    graphUrl: e.M365_GRAPH_URL!,
    exchangeUrl: e.M365_EXCHANGE_URL!,
    ...options.config,
  };
  await project.ok([
    "config",
    "set-all",
    "--stack",
    "test",
    "--secret",
    `m365-smtp-auth:clientSecret=${e.M365_CLIENT_SECRET}`,
    ...Object.entries(config).flatMap(([k, v]) => ["--plaintext", `m365-smtp-auth:${k}=${v}`]),
  ]);
  sandbox.requestLog.clear();

  return {
    sandbox,
    project,
    writeTenantYaml,
    pulumi: run,
    start: (args) => project.start([...args, "--stack", "test"]),
    async ok(args) {
      const r = await run(args);
      if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
      return r;
    },
    apiCalls: () => sandbox.requestLog.entries().filter((x) => x.api !== "token").length,
    async stop() {
      await sandbox.stop();
      project.cleanup();
    },
  };
}
