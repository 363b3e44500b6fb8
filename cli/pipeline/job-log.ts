/**
 * What the pipeline commands write to the CI job itself: the GitHub job summary, annotations on
 * tenant.yaml lines, and the "tenant now → declared" lines of a preview (issue 16.1).
 */
import { appendFileSync } from "node:fs";
import { currentLine, type CurrentChange } from "../../program/current.ts";
import { whenText, type ExpiryScan } from "./exceptions.ts";

/** The part of the commands' I/O these need. */
export interface LogIo {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (s: string) => void;
}

/** Appends Markdown to the GitHub job summary when the runner provides one. */
export function jobSummary(io: LogIo, markdown: string): void {
  const file = io.env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, `${markdown}\n`);
}

/** GitHub workflow commands (annotations) for the dated exceptions, when running on Actions. */
export function annotate(io: LogIo, scan: ExpiryScan): void {
  if (io.env.GITHUB_ACTIONS !== "true") return;
  const esc = (s: string) => s.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
  for (const e of scan.exceptions) {
    if (e.status === "ok") continue;
    const level = e.status === "expired" ? "error" : "warning";
    const where = e.line > 0 ? `file=${e.file},line=${e.line}` : `file=${e.file}`;
    io.stdout(`::${level} ${where}::${esc(`${e.what}: ${whenText(e)}${e.owner ? `, owner ${e.owner}` : ""}`)}\n`);
  }
}

/** At most this many "tenant now → declared" lines go to the job log; the comment has the rest. */
const CURRENT_LINES = 50;

/** Issue 16.1: the job log says what the change overwrites, as the comment does. */
export function printCurrent(io: LogIo, changes: CurrentChange[]): void {
  if (changes.length === 0) return;
  io.stdout(`What this change overwrites (tenant now → declared), ${changes.length} item(s):\n`);
  for (const c of changes.slice(0, CURRENT_LINES)) io.stdout(`  ${currentLine(c)}\n`);
  if (changes.length > CURRENT_LINES) io.stdout(`  … ${changes.length - CURRENT_LINES} more in comment-full.md\n`);
}
