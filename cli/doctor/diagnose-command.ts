/**
 * `m365-smtp-auth doctor diagnose [--json] [text…]`: the CLI entry for diagnose. The error text comes
 * from the arguments or, when there are none, from stdin. Exit codes: 0 diagnosed (whatever the cause,
 * `unknown` included), 2 bad arguments or no text, 1 an unexpected internal failure — always with a
 * one-line message on stderr, never a stack trace.
 */
import { diagnose } from "./diagnose.ts";
import { formatHuman, formatJson } from "./format.ts";

/** What runDiagnose needs from the process; tests pass fakes. */
export interface DiagnoseIo {
  /** The whole of stdin, or null when stdin is a terminal / not provided. */
  stdin: string | null;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export const DIAGNOSE_USAGE = `usage: m365-smtp-auth doctor diagnose [--json] [--] [error text…]

Reads an SMTP error as your client printed it (from the arguments, or stdin when none are given)
and lists the likely causes, most likely first, with what to check and the tenant.yaml change or
action that fixes each.

  --json     print {"causes":[{"id","confidence",…}],"ambiguity"?,"extracted"} instead of text
  -h, --help show this help
`;

/**
 * Run `diagnose` with its arguments (after the word `diagnose`). Returns the exit code.
 */
export function runDiagnose(args: string[], io: DiagnoseIo): number {
  let json = false;
  const words: string[] = [];
  let rest = false;
  for (const a of args) {
    if (rest) {
      words.push(a);
    } else if (a === "--") {
      rest = true;
    } else if (a === "--json") {
      json = true;
    } else if (a === "-h" || a === "--help") {
      io.stdout(DIAGNOSE_USAGE);
      return 0;
    } else if (a.startsWith("-") && a.length > 1 && !/^-\d/u.test(a)) {
      io.stderr(
        `m365-smtp-auth doctor diagnose: unknown option '${a}' (use --json, or -- before text that starts with '-')\n`,
      );
      return 2;
    } else {
      words.push(a);
    }
  }
  const text = words.length > 0 ? words.join(" ") : (io.stdin ?? "");
  if (text.trim() === "") {
    io.stderr("m365-smtp-auth doctor diagnose: no error text given; pass it as an argument or pipe it on stdin\n");
    io.stderr(DIAGNOSE_USAGE);
    return 2;
  }
  try {
    const d = diagnose(text);
    io.stdout(json ? formatJson(d) : formatHuman(d));
    return 0;
  } catch (err: unknown) {
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`m365-smtp-auth doctor diagnose: internal error: ${message}\n`);
    return 1;
  }
}
