/**
 * The `m365-smtp-auth` command line: `doctor diagnose | probe | explain`. Run with Node 24 (native
 * TypeScript) as `node cli/main.ts …`, or through cli/bin.js, which re-executes older Node versions
 * with the package's own Node 24.
 *
 * Exit codes: 0 done, 1 a failure the user can act on (unreachable host or tenant, missing setting,
 * refused token, a probe step failed), 2 bad arguments. Errors are one line on stderr, never a
 * stack trace, never a secret.
 */
import { setFlagsFromString } from "node:v8";

// Subcommands are imported when run (issue 14): a pasted diagnosis must not load the tenant
// clients, so `doctor diagnose` starts in a fraction of the time `probe`/`explain` need.
import { CliError, UsageError, errorLine, type CliIo } from "./io.ts";

export type { CliIo };

/** The process I/O plus what only a terminal has; tests may leave these out. */
export interface MainIo extends CliIo {
  /** Prompt for and read a paste (stdin is a terminal), or undefined when stdin is not one. */
  readPaste?: () => Promise<string>;
  /** Terminal width of stdout, when it is a terminal. */
  columns?: number;
}

export const USAGE = `usage: m365-smtp-auth <command> [options]

Commands:
  doctor diagnose [--json] [text…]     name the cause of an SMTP AUTH error as your client printed it
  doctor probe --user MAILBOX …        run the SMTP conversation and diagnose the reply
  doctor explain <mailbox> …           read the tenant and say which gate blocks and what changes it
  export --out FILE --owner MAIL …     write tenant.yaml from the live tenant (adopt an existing tenant)
  usage [--days 30] …                  who signs in to SMTP AUTH, and what breaks at the 2026/2027 deadlines
  conformance [--stack NAME] …         check, read-only, every call and permission the tool needs
  validate [FILE…]                     check tenant.yaml files as a preview would, in well under a second
  preview-comment [FILE]               turn 'pulumi preview --json' output into the pull-request comment

Run 'm365-smtp-auth doctor <command> --help' (or '<command> --help') for a command's options.
Exit codes: 0 done, 1 failure (unreachable host or tenant, missing permission or setting, a probe
step failed), 2 bad arguments.
`;

const DOCTOR_USAGE = `usage: m365-smtp-auth doctor diagnose|probe|explain [options]

  diagnose   rank the causes of a pasted SMTP error           (doctor diagnose --help)
  probe      run the SMTP conversation and diagnose the reply (doctor probe --help)
  explain    walk the tenant's gates for one mailbox          (doctor explain --help)
`;

function usageError(io: CliIo, message: string, usage: string): number {
  io.stderr(`m365-smtp-auth: ${message}\n\n${usage}`);
  return 2;
}

/** Runs the CLI with `argv` (without node and the script). Returns the exit code; never throws. */
export async function runCli(argv: string[], io: MainIo): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    io.stdout(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === "preview-comment") return runPreviewCommentCommand(argv.slice(1), io);
  const commands = ["doctor", "export", "usage", "conformance", "validate"];
  if (!commands.includes(command)) return usageError(io, `unknown command '${command}'`, USAGE);
  if (command === "doctor" && (sub === undefined || sub === "-h" || sub === "--help")) {
    io.stdout(DOCTOR_USAGE);
    return sub === undefined ? 2 : 0;
  }
  const prefix = command === "doctor" ? `m365-smtp-auth doctor ${sub}` : `m365-smtp-auth ${command}`;
  try {
    if (command === "export") return await (await import("./export.ts")).runExport(argv.slice(1), io);
    if (command === "usage") return await (await import("./usage/command.ts")).runUsageCommand(argv.slice(1), io);
    if (command === "conformance")
      return await (await import("./conformance/command.ts")).runConformanceCommand(argv.slice(1), io);
    if (command === "validate") return (await import("./validate.ts")).runValidate(argv.slice(1), io);
    switch (sub) {
      case "diagnose": {
        const { argsHaveText, runDiagnose } = await import("./doctor/diagnose-command.ts");
        const wantsHelp = rest.includes("-h") || rest.includes("--help");
        let stdin = argsHaveText(rest) || wantsHelp ? null : await io.readStdin();
        // On a terminal with no text: prompt for a paste instead of failing.
        if (stdin === null && !argsHaveText(rest) && !wantsHelp && io.readPaste !== undefined)
          stdin = await io.readPaste();
        return runDiagnose(rest, {
          stdin,
          stdout: io.stdout,
          stderr: io.stderr,
          ...(io.columns !== undefined ? { columns: io.columns } : {}),
        });
      }
      case "probe":
        return await (await import("./doctor/probe-command.ts")).runProbeCommand(rest, io);
      case "explain":
        return await (await import("./doctor/explain-command.ts")).runExplainCommand(rest, io);
      default:
        return usageError(io, `unknown doctor command '${sub}'`, DOCTOR_USAGE);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`${prefix}: ${err.message}\n(see '${prefix} --help')\n`);
      return 2;
    }
    const { ApiError } = await import("../tenant/http.ts");
    if (err instanceof ApiError) {
      const hint =
        err.code === "NETWORK" || err.code === "TIMEOUT"
          ? " (is the host reachable? check --graph-url / --exchange-url)"
          : err.code === "UNAUTHORIZED"
            ? " (the app's credentials or token were refused)"
            : "";
      io.stderr(`${prefix}: ${errorLine(err)}${hint}\n`);
      return 1;
    }
    // The CLI's own errors are sentences it wrote, a list included; anything else shows its first line.
    io.stderr(`${prefix}: ${err instanceof CliError ? err.message : errorLine(err)}\n`);
    return 1;
  }
}

/** `preview-comment`: its own parser and exit codes (cli/preview-comment/command.ts). */
async function runPreviewCommentCommand(args: string[], io: CliIo): Promise<number> {
  const { runPreviewComment } = await import("./preview-comment/command.ts");
  const { readFileSync } = await import("node:fs");
  const wantsStdin = !args.some((a) => a === "-h" || a === "--help" || (!a.startsWith("-") && a !== "-"));
  return runPreviewComment(args, {
    stdin: wantsStdin ? await io.readStdin() : null,
    readFile: (file) => readFileSync(file, "utf8"),
    stdout: io.stdout,
    stderr: io.stderr,
    today: () => io.now().toISOString().slice(0, 10),
    env: io.env,
  });
}

/** The process's I/O. */
export function processIo(): MainIo {
  return {
    ...(process.stdin.isTTY
      ? {
          readPaste: async () => (await import("./doctor/paste.ts")).readPaste(process.stdin, process.stderr),
        }
      : {}),
    ...(process.stdout.isTTY && process.stdout.columns > 0 ? { columns: process.stdout.columns } : {}),
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    readStdin: async () => {
      if (process.stdin.isTTY) return null;
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    now: () => new Date(),
  };
}

/** Runs with the process's arguments and exits with the CLI's code once output is flushed. */
export async function main(): Promise<void> {
  // V8 first runs a regular expression in its interpreter and compiles it to machine code on a later
  // run; the doctor runs several hundred expressions over one paste, so it paid both compilations.
  // Compiling once, straight to machine code, halves a diagnosis's first run (about 135 ms to 70 ms
  // on a two-core machine) and leaves long pastes as fast as before (bench/startup.ts).
  // Change the V8 flag only after Node's TypeScript stripper has run (in a clone this module is TypeScript;
  // the installed package is JavaScript and never starts it): a script that set the flag before its first
  // .ts import crashed (SIGSEGV) 7 times in 380 runs, the CLI setting it here none in 835 diagnoses.
  setFlagsFromString("--no-regexp-tier-up");
  let code: number;
  try {
    code = await runCli(process.argv.slice(2), processIo());
  } catch (err) {
    process.stderr.write(`m365-smtp-auth: internal error: ${errorLine(err)}\n`);
    code = 1;
  }
  process.exitCode = code;
  // Keep-alive sockets of the HTTP clients must not hold the process open.
  setTimeout(() => process.exit(code), 50).unref();
}

if (import.meta.main) await main();
