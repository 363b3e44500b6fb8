/**
 * `m365-smtp-auth validate [FILE…]` (issue 16.7): checks tenant.yaml files with the loader the
 * preview uses (desired/tenant-yaml.ts), so the errors are the same ones, with file, line, column and
 * key, in well under a second and without the Pulumi CLI or a tenant. With no file it checks every
 * stacks/<stack>/tenant.yaml under the current directory.
 *
 * Exit codes: 0 every file is valid, 1 a file is invalid or unreadable, 2 bad arguments.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { DesiredStateError, isValidDate, loadDesiredState, type DesiredState } from "../desired/tenant-yaml.ts";
import { parse, str, UsageError, type CliIo } from "./io.ts";

export const VALIDATE_USAGE = `usage: m365-smtp-auth validate [--today YYYY-MM-DD] [FILE…]

Checks tenant.yaml files exactly as a preview would load them, without the Pulumi CLI or a tenant,
and prints every problem as file:line:column key: message.

  FILE                the files to check (default: every stacks/<stack>/tenant.yaml under the current directory)
  --today YYYY-MM-DD  the day expiry dates are judged against (default: today, UTC)
  -h, --help          show this help

Exit codes: 0 valid, 1 a file is invalid or unreadable, 2 bad arguments.
`;

const OPTIONS = { today: { type: "string" }, help: { type: "boolean", short: "h" } } as const;

/** Every stacks/<name>/tenant.yaml under `cwd`, sorted, relative to it. */
function stackFiles(cwd: string): string[] {
  const dir = path.join(cwd, "stacks");
  if (!existsSync(dir)) return [];
  return (
    readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "tenant.yaml")))
      // Forward slashes on every platform: they are what the user reads and Windows accepts them.
      .map((d) => path.posix.join("stacks", d.name, "tenant.yaml"))
      .sort()
  );
}

function plural(n: number, word: string): string {
  // "mailbox" takes "es".
  return `${n} ${word}${n === 1 ? "" : /x$/u.test(word) ? "es" : "s"}`;
}

/** What a valid file declares, in one line. */
function summary(d: DesiredState): string {
  const parts = [
    d.securityDefaults ? "security defaults" : undefined,
    d.organizationSmtpAuth ? "organisation SMTP AUTH" : undefined,
    d.mailboxes.length > 0 ? plural(d.mailboxes.length, "mailbox") : undefined,
    d.othersPolicy === "inherit" ? "other mailboxes inherit" : undefined,
    d.mfaUsers.length > 0 ? plural(d.mfaUsers.length, "MFA user") : undefined,
    d.oauthApps.length > 0 ? plural(d.oauthApps.length, "OAuth app") : undefined,
    d.conditionalAccessBaseline ? "Conditional Access baseline" : undefined,
  ].filter((p) => p !== undefined);
  return parts.length > 0 ? parts.join(", ") : "nothing managed";
}

/**
 * Runs the command with its arguments (after the word `validate`); `cwd` resolves the default
 * files. Returns the exit code; throws UsageError on bad arguments (exit 2 in cli/main.ts).
 */
export function runValidate(args: string[], io: CliIo, cwd: string = process.cwd()): number {
  const { values, positionals } = parse(args, OPTIONS);
  if (values.help === true) {
    io.stdout(VALIDATE_USAGE);
    return 0;
  }
  const today = str(values, "today") ?? io.now().toISOString().slice(0, 10);
  if (!isValidDate(today)) throw new UsageError(`--today must be a date YYYY-MM-DD, got '${today}'`);
  const files = positionals.length > 0 ? positionals : stackFiles(cwd);
  if (files.length === 0) throw new UsageError("no file given and no stacks/<stack>/tenant.yaml found here");
  let failed = 0;
  for (const file of files) {
    try {
      const desired = loadDesiredState(path.isAbsolute(file) ? file : path.join(cwd, file), { today });
      io.stdout(`${file}: valid (${summary(desired)})\n`);
    } catch (err) {
      failed++;
      if (!(err instanceof DesiredStateError)) {
        // The loader reports every problem in a file as a DesiredStateError, so this is a bug: say so
        // for this file (by class only, its message could quote the file) and go on with the others.
        const name = err instanceof Error ? err.name : typeof err;
        io.stderr(`${file}: could not be validated (internal error: ${name}); please report this\n`);
        continue;
      }
      // The loader names the file as it was given to it; show it as the user typed it.
      const given = path.isAbsolute(file) ? file : path.join(cwd, file);
      io.stderr(`${err.message.replaceAll(given, file)}\n`);
    }
  }
  if (files.length > 1) io.stdout(`${plural(files.length - failed, "file")} valid, ${failed} invalid\n`);
  return failed > 0 ? 1 : 0;
}
