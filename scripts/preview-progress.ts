/**
 * Issue 16.8: `npm start` shows what its preview does while it runs. Fed the lines of `pulumi
 * preview --json` with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true (one engine event a line), it
 * prints one line per planned change as the engine plans it (and the tenant's current value of each
 * declared switch it changes, from the program's info lines, and each of the program's warnings once),
 * and keeps the change counts and, for a failed preview, its errors and mandatory policy violations as
 * single lines without ANSI codes.
 */

type Json = Record<string, unknown>;

import { parseCurrentLine } from "../program/current.ts";

const CHANGE_OPS = new Set(["create", "update", "delete", "replace", "create-replacement"]);
const ANSI = /\u001b\[[0-9;]*m/g;

/** What {@link previewProgress} returns. */
export interface PreviewProgress {
  /** Feeds one line of the CLI's stdout; lines that are not JSON events are ignored. */
  line(text: string): void;
  /** Resource changes by operation, from the summary event (or counted, when none came). */
  changes(): Record<string, number>;
  /** Errors and mandatory policy violations, one line each. */
  problems(): string[];
}

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function oneLine(text: string): string {
  return text
    .replace(ANSI, "")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .join(" ");
}

/** A progress reader that prints through `print`, at most `maxLines` change lines. */
export function previewProgress(print: (line: string) => void, maxLines = 20): PreviewProgress {
  const counted: Record<string, number> = {};
  let summary: Record<string, number> | undefined;
  const problems: string[] = [];
  const warned = new Set<string>();
  let shown = 0;
  let refreshing = false;
  return {
    line(text) {
      let event: unknown;
      try {
        event = JSON.parse(text);
      } catch {
        return;
      }
      if (!isObject(event)) return;
      const pre = event.resourcePreEvent;
      if (isObject(pre) && isObject(pre.metadata)) {
        const { op, type, urn } = pre.metadata;
        if (typeof op !== "string" || typeof type !== "string" || typeof urn !== "string") return;
        if (type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:")) return;
        if (op === "refresh" && !refreshing) {
          refreshing = true;
          print("reading the tenant (refresh)…");
        }
        if (!CHANGE_OPS.has(op)) return;
        counted[op] = (counted[op] ?? 0) + 1;
        if (shown < maxLines) print(`${op} ${type.split(":").at(-1) ?? type} ${urn.split("::").at(-1) ?? urn}`);
        else if (shown === maxLines) print("… (more changes: see the summary)");
        shown++;
      }
      const diagnostic = event.diagnosticEvent;
      if (isObject(diagnostic) && diagnostic.severity === "error" && typeof diagnostic.message === "string") {
        const message = oneLine(diagnostic.message);
        if (message !== "" && message !== "preview failed" && !problems.includes(message)) problems.push(message);
      }
      // The program's warnings (a device that still cannot send, accounts left without MFA): the
      // first hour should see them before the change is applied, not only in the up's output.
      if (isObject(diagnostic) && diagnostic.severity === "warning" && typeof diagnostic.message === "string") {
        const message = oneLine(diagnostic.message);
        if (message !== "" && !warned.has(message)) {
          warned.add(message);
          print(`warning: ${message}`);
        }
      }
      // What each change overwrites, as the program read it from the tenant (program/current.ts).
      if (isObject(diagnostic) && diagnostic.severity === "info" && typeof diagnostic.message === "string") {
        if (parseCurrentLine(diagnostic.message)) print(`tenant now → declared: ${diagnostic.message.trim()}`);
      }
      const policy = event.policyEvent;
      if (isObject(policy) && policy.enforcementLevel === "mandatory" && typeof policy.message === "string") {
        problems.push(`policy ${String(policy.policyName)}: ${oneLine(policy.message)}`);
      }
      const end = event.summaryEvent;
      if (isObject(end) && isObject(end.resourceChanges)) {
        summary = Object.fromEntries(
          Object.entries(end.resourceChanges).filter((e): e is [string, number] => typeof e[1] === "number"),
        );
      }
    },
    changes: () => summary ?? counted,
    problems: () => problems,
  };
}
