/**
 * Reads what `pulumi preview --json` prints into one model the comment is rendered from.
 *
 * Two shapes exist. With `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true` the CLI prints engine events,
 * one JSON object per line, and those include the policy pack's results (`policyEvent`). Without
 * it, the CLI prints one "preview digest" object (`steps`, `changeSummary`, `diagnostics`) that
 * leaves every policy event out (pkg/backend/display/json.go, CLI v3.274.1); the model then says
 * that policy results are missing rather than that there were none.
 */

import { CURRENT_SUMMARY, parseCurrentLine, type CurrentChange } from "../../program/current.ts";

/** The sentinel the engine puts in place of a value unknown at preview (a string, in JSON). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Props = Record<string, unknown>;

/** One resource's planned step. */
export interface ResourceStep {
  urn: string;
  type: string;
  name: string;
  /** create, update, delete, replace, same, read, … (create-replacement/delete-replaced fold into replace). */
  op: string;
  /** Inputs before the change; undefined for a create. */
  before?: Props;
  /** Inputs after the change; undefined for a delete. */
  after?: Props;
}

/** One policy violation as the engine reported it. */
export interface PolicyViolation {
  policyName: string;
  policyPackName: string;
  enforcementLevel: string;
  /** Absent for a stack policy that named no resource. */
  resourceUrn?: string;
  /** The violation's own message, without the policy's description line. */
  message: string;
}

export interface PreviewModel {
  /** Every resource but the stack itself and provider resources, in engine order. */
  steps: ResourceStep[];
  violations: PolicyViolation[];
  /** False when the input could not carry policy results (the digest) or no policy pack ran. */
  policyResults: "included" | "not-in-digest" | "no-policy-pack";
  /** The stack's outputs after the change, as far as the preview knows them. */
  stackOutputs: Props;
  /** Error diagnostics other than the engine's closing "preview failed". */
  errors: string[];
  /** The stack name, from the URNs. */
  stack?: string;
  failed: boolean;
  /**
   * Issue 16.1: the tenant's current value of each declared item that differs from tenant.yaml,
   * keyed `<kind>:<item>` (program/current.ts); only items the preview reported.
   */
  current: Map<string, CurrentChange>;
  /** True when the program said it read the current values: an item without an entry is already as declared. */
  currentRead: boolean;
}

/** The key of {@link PreviewModel.current} for a kind and item. */
export function currentKey(kind: string, item: string): string {
  return `${kind}:${item.toLowerCase()}`;
}

const isObject = (v: unknown): v is Props => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const STACK_TYPE = "pulumi:pulumi:Stack";
const REPLACE_OPS = new Set(["replace", "create-replacement", "delete-replaced", "discard-replaced"]);

/**
 * Parses the CLI's stdout: one JSON value (the digest, or an array of events) or JSON lines (the
 * event stream). Throws an Error naming the line when the text is neither.
 */
export function parsePreviewOutput(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === "") throw new Error("[preview] the preview output is empty");
  try {
    return JSON.parse(trimmed);
  } catch {
    // not one value: JSON lines
  }
  return trimmed.split("\n").flatMap((line, i) => {
    if (line.trim() === "") return [];
    try {
      return [JSON.parse(line) as unknown];
    } catch {
      throw new Error(`[preview] line ${i + 1} is not JSON: ${line.slice(0, 80)}`);
    }
  });
}

function nameOf(urn: string): string {
  return urn.split("::").at(-1) ?? urn;
}

function stackOf(urn: string): string | undefined {
  const m = /^urn:pulumi:([^:]+)::/.exec(urn);
  return m?.[1];
}

function inputsOf(state: unknown): Props | undefined {
  if (!isObject(state)) return undefined;
  const inputs = isObject(state.inputs) ? { ...state.inputs } : {};
  delete inputs.__provider;
  return inputs;
}

function violationMessage(message: string): string {
  // The pack sends "<policy description>\n<violation message>\n".
  const lines = message.trim().split("\n");
  return (lines.length > 1 ? lines.slice(1) : lines).join(" ").trim();
}

class Builder {
  readonly byUrn = new Map<string, ResourceStep>();
  readonly violations: PolicyViolation[] = [];
  readonly errors: string[] = [];
  stackOutputs: Props = {};
  stack: string | undefined;
  failed = false;
  sawPolicy = false;
  readonly current = new Map<string, CurrentChange>();
  currentRead = false;

  /** An info diagnostic: the program's report of current values, or nothing of ours. */
  info(message: string): void {
    const change = parseCurrentLine(message);
    if (change) this.current.set(currentKey(change.kind, change.item), change);
    else if (CURRENT_SUMMARY.test(message.trim())) this.currentRead = true;
  }

  step(op: string, urn: string, type: string, oldState: unknown, newState: unknown): void {
    this.stack ??= stackOf(urn);
    if (type === STACK_TYPE) {
      if (isObject(newState) && isObject(newState.outputs) && Object.keys(newState.outputs).length > 0) {
        this.stackOutputs = newState.outputs;
      }
      return;
    }
    if (type.startsWith("pulumi:providers:")) return;
    // With --refresh every resource first gets a "refresh" step; the step that follows is the change.
    if (op === "refresh") return;
    const before = op === "create" || op === "create-replacement" ? undefined : inputsOf(oldState);
    const after = op === "delete" || op === "delete-replaced" ? undefined : inputsOf(newState);
    const existing = this.byUrn.get(urn);
    const folded = REPLACE_OPS.has(op) ? "replace" : op;
    if (!existing) {
      this.byUrn.set(urn, { urn, type, name: nameOf(urn), op: folded, before, after });
      return;
    }
    if (folded === "replace") existing.op = "replace";
    existing.before ??= before;
    existing.after ??= after;
  }

  error(message: string): void {
    const text = message.trim();
    if (text === "preview failed" || text === "update failed") {
      this.failed = true;
      return;
    }
    if (text !== "" && !this.errors.includes(text)) this.errors.push(text);
  }

  event(event: Props): void {
    const pre = event.resourcePreEvent ?? event.resOutputsEvent;
    if (isObject(pre) && isObject(pre.metadata)) {
      const m = pre.metadata;
      if (typeof m.urn === "string" && typeof m.type === "string" && typeof m.op === "string") {
        this.step(m.op, m.urn, m.type, m.old, m.new);
      }
    }
    if (isObject(event.policyEvent)) {
      const p = event.policyEvent;
      this.sawPolicy = true;
      this.violations.push({
        policyName: str(p.policyName),
        policyPackName: str(p.policyPackName),
        enforcementLevel: str(p.enforcementLevel),
        ...(typeof p.resourceUrn === "string" && p.resourceUrn !== "" ? { resourceUrn: p.resourceUrn } : {}),
        message: violationMessage(str(p.message)),
      });
    }
    for (const key of ["policyLoadEvent", "policyAnalyzeSummaryEvent", "policyAnalyzeStackSummaryEvent"]) {
      if (key in event) this.sawPolicy = true;
    }
    if (isObject(event.diagnosticEvent) && event.diagnosticEvent.severity === "error") {
      this.error(str(event.diagnosticEvent.message));
    }
    if (isObject(event.diagnosticEvent) && event.diagnosticEvent.severity === "info") {
      this.info(str(event.diagnosticEvent.message));
    }
    if (isObject(event.summaryEvent) && event.summaryEvent.result === "failed") this.failed = true;
  }

  model(policyResults: PreviewModel["policyResults"]): PreviewModel {
    return {
      steps: [...this.byUrn.values()],
      violations: this.violations,
      policyResults,
      stackOutputs: this.stackOutputs,
      errors: this.errors,
      ...(this.stack === undefined ? {} : { stack: this.stack }),
      failed: this.failed || this.errors.length > 0,
      current: this.current,
      currentRead: this.currentRead,
    };
  }
}

/**
 * Builds the model from parsed preview output: an array of engine events, or the digest object.
 * Throws an Error when the value is neither.
 */
export function readPreview(preview: unknown): PreviewModel {
  const b = new Builder();
  if (Array.isArray(preview)) {
    for (const event of preview) if (isObject(event)) b.event(event);
    return b.model(b.sawPolicy ? "included" : "no-policy-pack");
  }
  if (isObject(preview) && Array.isArray(preview.steps)) {
    for (const step of preview.steps) {
      if (!isObject(step) || typeof step.urn !== "string" || typeof step.op !== "string") continue;
      const state = isObject(step.newState) ? step.newState : isObject(step.oldState) ? step.oldState : {};
      const type = typeof state.type === "string" ? state.type : (step.urn.split("::").at(-2)?.split("$").at(-1) ?? "");
      b.step(step.op, step.urn, type, step.oldState, step.newState);
    }
    if (Array.isArray(preview.diagnostics)) {
      for (const d of preview.diagnostics) {
        if (isObject(d) && d.severity === "error") b.error(str(d.message));
        if (isObject(d) && d.severity === "info") b.info(str(d.message));
      }
    }
    return b.model("not-in-digest");
  }
  throw new Error("[preview] not `pulumi preview --json` output: expected engine events or a digest with steps");
}
