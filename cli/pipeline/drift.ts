/**
 * The scheduled drift check's Markdown report (issue 6 items 3 and 4): what `pulumi preview --refresh
 * --expect-no-changes` found different between the tenant and tenant.yaml, the exceptions that
 * expired or expire soon, policy violations and errors.
 */
import {
  readPreview,
  UNKNOWN_VALUE,
  type PreviewModel,
  type Props,
  type ResourceStep,
} from "../preview-comment/model.ts";
import { DEFAULT_BUDGET, layoutComment, type Section } from "../preview-comment/layout.ts";
import { EXCEPTION_TABLE_HEAD, exceptionRows, scanSummary, type ExpiryScan } from "./exceptions.ts";

/** The first line of every drift report, so a pipeline can find the issue it opened before. */
export function driftMarker(stack: string): string {
  return `<!-- m365-smtp-auth drift-report stack=${stack} -->`;
}

/** Steps that are not a change: the refresh itself and unchanged resources. */
const NOT_A_CHANGE = new Set(["same", "refresh", "read"]);
const KIND_PREFIX = "pulumi-nodejs:dynamic/m365:";

/** One item that differs, as the report lists it. */
export interface DriftItem {
  /** The mailbox, the user, "tenant", or "mailboxes not listed by name". */
  item: string;
  /** Resource kind, e.g. MailboxSmtpAuth; the full type for other resources. */
  kind: string;
  op: string;
  /** `key: in the tenant → declared`, one per property that differs. */
  differences: string[];
}

function show(value: unknown): string {
  if (value === undefined) return "—";
  if (value === UNKNOWN_VALUE) return "(unknown)";
  if (value === null) return "null";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function itemOf(step: ResourceStep, kind: string): string {
  const props = step.after ?? step.before ?? {};
  if (typeof props.mailbox === "string") return props.mailbox;
  if (typeof props.user === "string") return props.user;
  if (kind === "OtherMailboxesSmtpAuth") return "mailboxes not listed by name";
  if (kind === "OtherUsersMfa") return "users not listed by name";
  if (kind === "SecurityDefaults" || kind === "OrganizationSmtpAuth") return "tenant";
  return step.name;
}

function differences(step: ResourceStep): string[] {
  if (step.op === "create") return ["not in the stack's state: never applied, or removed from it"];
  if (step.op === "delete") return ["in the stack's state but no longer in tenant.yaml"];
  const before: Props = step.before ?? {};
  const after: Props = step.after ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => `${k}: ${show(before[k])} → ${show(after[k])}`);
}

/** The items that differ in a refreshed preview, sorted by kind and item. */
export function driftItems(model: PreviewModel): DriftItem[] {
  return model.steps
    .filter((s) => !NOT_A_CHANGE.has(s.op))
    .map((s) => {
      const kind = s.type.startsWith(KIND_PREFIX) ? s.type.slice(KIND_PREFIX.length) : s.type;
      return { item: itemOf(s, kind), kind, op: s.op, differences: differences(s) };
    })
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.item.localeCompare(b.item));
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replace(/\s*\n\s*/g, " ");
}

/** What the drift check concluded; the exit code follows `ok`. */
export interface DriftVerdict {
  ok: boolean;
  drift: DriftItem[];
  expired: number;
  mandatoryViolations: number;
  /** The preview failed for a reason other than the changes it found. */
  failed: boolean;
}

/**
 * Renders the drift report from the refreshed preview's output (`previewJson`, parsed; null when the
 * CLI printed nothing usable), the CLI's exit code and the expiry scan of the stack's tenant.yaml.
 * Deterministic for the same inputs.
 */
export function renderDriftReport(input: {
  stack: string;
  previewJson: unknown;
  previewCode: number;
  scan: ExpiryScan;
  /** Characters the report may take (an issue body, like a comment, is refused over 65,536); default 60,000. */
  budget?: number;
}): { markdown: string; verdict: DriftVerdict } {
  const { stack, scan } = input;
  let model: PreviewModel | undefined;
  try {
    model = input.previewJson === null ? undefined : readPreview(input.previewJson);
  } catch {
    model = undefined;
  }
  const drift = model ? driftItems(model) : [];
  const violations = model?.violations ?? [];
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const expired = scan.exceptions.filter((e) => e.status === "expired").length;
  // --expect-no-changes makes the CLI exit non-zero on drift; any other non-zero exit is a failure.
  const failed = input.previewCode !== 0 && drift.length === 0;
  const ok = input.previewCode === 0 && drift.length === 0 && expired === 0 && scan.problems.length === 0;

  const status: string[] = [];
  status.push(
    drift.length > 0
      ? `❌ drift: ${drift.length} item${drift.length === 1 ? "" : "s"} differ${drift.length === 1 ? "s" : ""} from tenant.yaml`
      : failed
        ? `❌ the refreshed preview failed (exit ${input.previewCode})`
        : "✅ no drift",
  );
  status.push(scanSummary(scan));
  if (model && model.policyResults === "included") {
    status.push(
      mandatory > 0 ? `❌ ${mandatory} mandatory policy violation${mandatory === 1 ? "" : "s"}` : "✅ policies passed",
    );
  }

  const top = [driftMarker(stack), `### Drift check: \`${stack}\` (${scan.today})`, "", status.join(" · "), ""];
  // Issue 16.1: the report is an issue body, so it is bounded like the PR comment (layout.ts).
  const sections: Section[] = [];
  if (drift.length > 0) {
    sections.push({
      title: "Drift (in the tenant → declared in tenant.yaml)",
      head: ["| Item | Kind | Step | Differences |", "|---|---|---|---|"],
      rows: drift.map(
        (d) => `| ${cell(d.item)} | ${cell(d.kind)} | ${d.op} | ${cell(d.differences.join("; ") || "—")} |`,
      ),
      tail: [
        "Someone changed the tenant outside this repository. Either run the apply pipeline (`pulumi up --refresh`) to put the declared values back, or change tenant.yaml in a pull request to accept what is there now.",
      ],
    });
  }
  const dueRows = exceptionRows(scan);
  if (dueRows.length > 0) {
    sections.push({ title: "Exceptions expired or expiring", head: EXCEPTION_TABLE_HEAD, rows: dueRows });
  }
  if (scan.problems.length > 0) {
    sections.push({
      title: "Problems reading tenant.yaml",
      head: [],
      rows: scan.problems.map((p) => p.message),
      fence: "",
    });
  }
  if (violations.length > 0) {
    sections.push({
      title: "Policy violations",
      head: ["| Policy | Level | Message |", "|---|---|---|"],
      rows: violations.map((v) => `| \`${cell(v.policyName)}\` | ${cell(v.enforcementLevel)} | ${cell(v.message)} |`),
    });
  }
  const errors = model?.errors ?? [];
  if (errors.length > 0) sections.push({ title: "Errors", head: [], rows: errors, fence: "" });
  else if (failed) top.push(`The preview exited ${input.previewCode} without a readable result; see the job log.`, "");
  return {
    markdown: layoutComment(top, sections, undefined, {
      budget: input.budget ?? DEFAULT_BUDGET,
      whereTrimmed: "the run's artifact `drift-full.md`",
    }),
    verdict: { ok, drift, expired, mandatoryViolations: mandatory, failed },
  };
}
