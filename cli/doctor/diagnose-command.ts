/**
 * `m365-smtp-auth doctor diagnose [--json] [--verbose] [--context TEXT] [text…]`: the CLI entry for
 * diagnose. The error text comes from the arguments or, when there are none, from stdin (piped),
 * or from a paste prompt on a terminal (cli/main.ts, paste.ts). Exit codes: 0 diagnosed (whatever
 * the cause, `unknown` included), 2 bad arguments or no text, 1 an unexpected internal failure —
 * always with a one-line message on stderr, never a stack trace.
 */
import { diagnose } from "./diagnose.ts";
import { formatHuman, formatJson } from "./format.ts";

/** What runDiagnose needs from the process; tests pass fakes. */
export interface DiagnoseIo {
  /** The whole of stdin (or the paste), or null when there is none. */
  stdin: string | null;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Terminal width for wrapping, when stdout is a terminal. */
  columns?: number;
}

export const DIAGNOSE_USAGE = `usage: m365-smtp-auth doctor diagnose [--json] [--verbose] [--context TEXT] [--] [error text…]

Reads an SMTP error as your client printed it (from the arguments, stdin, or a paste at the
prompt when run in a terminal without text) and names the likely cause, why, the fix and, when
the text cannot decide, the one question that does.

  --context TEXT  what you know around the error ("MFA is on", "worked until Monday",
                  "works with TLS on", "shared mailbox"); read as evidence
  -v, --verbose   also what was read, what to check for every cause, and the evidence
  --json          print {"causes":[{"id","confidence",…}],"question"?,"ambiguity"?,"extracted"}
  -h, --help      show this help
`;

function usage(io: DiagnoseIo, message: string): number {
  io.stderr(`m365-smtp-auth doctor diagnose: ${message}\n`);
  return 2;
}

/**
 * Run `diagnose` with its arguments (after the word `diagnose`). Returns the exit code.
 */
export function runDiagnose(args: string[], io: DiagnoseIo): number {
  let json = false;
  let verbose = false;
  let context = "";
  const words: string[] = [];
  let rest = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (rest) words.push(a);
    else if (a === "--") rest = true;
    else if (a === "--json") json = true;
    else if (a === "-v" || a === "--verbose") verbose = true;
    else if (a === "--context" || a.startsWith("--context=")) {
      const v = a === "--context" ? args[++i] : a.slice("--context=".length);
      if (v === undefined || v.trim() === "") return usage(io, '--context needs a text, e.g. --context "MFA is on"');
      context = `${context} ${v}`;
    } else if (a === "-h" || a === "--help") {
      io.stdout(DIAGNOSE_USAGE);
      return 0;
    } else if (a.startsWith("-") && a.length > 1 && !/^-\d/u.test(a)) {
      return usage(
        io,
        `unknown option '${a}' (use --json, --verbose, --context, or -- before text that starts with '-')`,
      );
    } else words.push(a);
  }
  const text = words.length > 0 ? words.join(" ") : (io.stdin ?? "");
  if (text.trim() === "") {
    io.stderr(
      "m365-smtp-auth doctor diagnose: no error text given; pass it as an argument, pipe it on stdin or paste it at the prompt\n",
    );
    io.stderr(DIAGNOSE_USAGE);
    return 2;
  }
  try {
    const d = diagnose(text, { context });
    io.stdout(
      json
        ? formatJson(d)
        : formatHuman(d, { verbose, command: "diagnose", ...(io.columns !== undefined ? { width: io.columns } : {}) }),
    );
    return 0;
  } catch (err: unknown) {
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`m365-smtp-auth doctor diagnose: internal error: ${message}\n`);
    return 1;
  }
}

/** True when the arguments carry error text (so stdin and the paste prompt are not read). */
export function argsHaveText(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") return true;
    if (a === "--context") {
      i++;
      continue;
    }
    if (!a.startsWith("-") || /^-\d/u.test(a)) return true;
  }
  return false;
}
