/**
 * The paste prompt of `doctor diagnose` on a terminal: people paste a multi-line error, so the
 * text ends at end of input (Ctrl-D, Ctrl-Z Enter on Windows) or at two empty lines in a row.
 * A paste that itself contains two empty lines in a row ends there; that is the trade for not
 * needing Ctrl-D.
 */
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";

/** The prompt, written to `output` (stderr, so stdout carries only the diagnosis). */
export const PASTE_PROMPT = "Paste the error text, then press Enter twice (or Ctrl-D):\n";

/** Read a paste from `input` until EOF or two consecutive empty lines. Resolves with the text. */
export async function readPaste(input: Readable, output: Writable): Promise<string> {
  output.write(PASTE_PROMPT);
  const rl = createInterface({ input, terminal: false, crlfDelay: Infinity });
  const lines: string[] = [];
  let empty = 0;
  for await (const line of rl) {
    if (line.trim() === "") {
      empty++;
      if (empty >= 2) break;
    } else {
      empty = 0;
    }
    lines.push(line);
  }
  rl.close();
  return lines.join("\n").trim();
}
