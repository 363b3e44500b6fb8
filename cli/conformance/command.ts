/**
 * `m365-smtp-auth conformance` (`npm run conformance -- --stack NAME`): the read-only check a user
 * runs against their own tenant before the first preview (./run.ts). Exit 0 when every check
 * passes, 1 when one does not (a missing permission, an unexpected answer, a failed call), 2 for
 * bad arguments. Secrets come from the stack's config or an environment variable, never argv.
 */
import { writeFileSync } from "node:fs";
import { ConnectionConfigError, createCredential, readConnectionSettings, SCOPES } from "../../tenant/connection.ts";
import type { ConnectionSettings } from "../../tenant/connection.ts";
import { CONNECTION_OPTIONS, CONNECTION_USAGE, connect, settingsFrom, trustCa } from "../connection.ts";
import { CliError, UsageError, parse, readCa, str, type CliIo } from "../io.ts";
import { formatChecklist, toRecord } from "./record.ts";
import { runConformance } from "./run.ts";
import { stackConfig, type PulumiRunner } from "./stack-config.ts";

export const CONFORMANCE_USAGE = `usage: m365-smtp-auth conformance [--stack NAME | connection options] [options]

Checks, without changing anything, that this tool can work with the tenant: a token for Microsoft
Graph and for Exchange Online, every read call it makes, the permission or role each one lacks (all
of them at once), the tenant's cloud and GUID, and the shape of every answer.

  --stack NAME              take the connection from the Pulumi stack's config (secrets included)
  --mailbox MAIL            the mailbox for per-user reads (default: the first one Exchange lists)
  --allow-writes            also set and restore --mailbox's SMTP AUTH switch (Set-CASMailbox)
  --record FILE             save a sanitised record (no tokens, addresses hashed) to replay in tests
  --json                    print the result as JSON instead of a checklist
  --ca FILE                 also trust this CA certificate (PEM)
${CONNECTION_USAGE}`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  stack: { type: "string" },
  mailbox: { type: "string" },
  "allow-writes": { type: "boolean" },
  record: { type: "string" },
  json: { type: "boolean" },
  ca: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const FLAG_KEYS: Record<string, string> = {
  tenantId: "tenant",
  clientId: "client-id",
  authorityHost: "authority-host",
  graphUrl: "graph-url",
  exchangeUrl: "exchange-url",
};

/** Settings from --stack (flags override its values), else from flags and M365_* variables. */
function settings(values: Record<string, string | boolean | undefined>, io: CliIo, run?: PulumiRunner) {
  const stack = str(values, "stack");
  if (stack === undefined) return settingsFrom(values, io);
  const cfg = stackConfig(stack, run);
  const secretVar = str(values, "client-secret-env");
  try {
    return readConnectionSettings((k) => {
      if (k === "clientSecret" && secretVar !== undefined) return io.env[secretVar] || undefined;
      const flag = FLAG_KEYS[k];
      return (flag !== undefined ? str(values, flag) : undefined) ?? cfg[k];
    });
  } catch (err) {
    if (err instanceof ConnectionConfigError) throw new CliError(`--stack ${stack}: ${err.message}`);
    throw err;
  }
}

/** Runs `conformance` with its arguments (after the word `conformance`). Returns the exit code. */
export async function runConformanceCommand(args: string[], io: CliIo, run?: PulumiRunner): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS, {
    "--client-secret": "secrets are never taken from the command line: use --client-secret-env VAR or --stack",
  });
  if (values.help === true) {
    io.stdout(CONFORMANCE_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const mailbox = str(values, "mailbox")?.trim();
  if (mailbox !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/u.test(mailbox))
    throw new UsageError(`--mailbox: '${mailbox}' is not a mail address`);
  const allowWrites = values["allow-writes"] === true;
  if (allowWrites && mailbox === undefined)
    throw new UsageError(
      "--allow-writes needs --mailbox: the one test mailbox whose SMTP AUTH switch may be set and restored",
    );
  const ca = str(values, "ca");
  if (ca !== undefined) trustCa(readCa(ca));

  const s: ConnectionSettings = settings(values, io, run);
  const credential = await createCredential(s);
  const token = (scope: string) => async () => {
    const t = await credential.getToken(scope);
    if (!t) throw new Error(`no token for ${scope}`);
    return t.token;
  };
  const result = await runConformance({
    api: await connect(s),
    graphUrl: s.graphUrl,
    tenantId: s.tenantId,
    getGraphToken: token(SCOPES.graph),
    getExchangeToken: token(SCOPES.exchange),
    ...(mailbox !== undefined ? { mailbox } : {}),
    allowWrites,
  });
  const record = str(values, "record");
  if (record !== undefined) {
    try {
      writeFileSync(record, `${JSON.stringify(toRecord(result), null, 2)}\n`);
    } catch (err) {
      throw new CliError(
        `--record ${record}: cannot write the file (${(err as NodeJS.ErrnoException).code ?? "error"})`,
      );
    }
  }
  if (values.json === true) {
    const { checks, ...rest } = result;
    io.stdout(`${JSON.stringify({ ...rest, checks: checks.map(({ answer: _a, ...c }) => c) }, null, 2)}\n`);
  } else io.stdout(formatChecklist(result));
  return result.ok ? 0 : 1;
}
