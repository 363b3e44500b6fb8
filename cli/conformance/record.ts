/**
 * The conformance check's output: the printed checklist, and the sanitised record (`--record FILE`)
 * that a test replays against the same validators (./shapes.ts). A record holds no token and no
 * secret; mail addresses, UPNs, display names and the tenant GUID are replaced by short SHA-256
 * hashes, so a record from a real tenant can be attached to an issue.
 */
import { createHash } from "node:crypto";
import { validateAnswer, SHAPES, type ShapeId } from "./shapes.ts";
import type { CheckResult, ConformanceResult } from "./run.ts";

export const RECORD_FORMAT = "m365-smtp-auth conformance record v1";

export interface ConformanceRecord {
  format: typeof RECORD_FORMAT;
  cloud: string;
  tenant: string | null;
  checks: Omit<CheckResult, "answer">[];
  /** The sanitised answers, by check id. */
  answers: Partial<Record<ShapeId, unknown>>;
}

const hash = (s: string) => createHash("sha256").update(s.toLowerCase()).digest("hex").slice(0, 12);
/** Keys whose string values name people or things in the tenant. */
const NAMING_KEYS = /^(displayName|DisplayName|Name|Identity|User|givenName|surname|jobTitle|mobilePhone)$/u;
const SECRET_KEYS = /secret|password|token|assertion|key/iu;
const JWT = /^eyJ[\w-]+\.[\w-]+\./u;

/** Replaces addresses, names and anything token-like in `value`; keeps every property and its type. */
export function sanitize(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => sanitize(v, key));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!SECRET_KEYS.test(k)) out[k] = sanitize(v, k);
    return out;
  }
  if (typeof value !== "string") return value;
  if (JWT.test(value)) return "[token removed]";
  // smtp:/SMTP: proxy addresses keep their prefix, so the shape stays recognisable.
  const address = /^((?:smtp|SMTP):)?[^@\s]+@([^@\s]+)$/u.exec(value);
  if (address) return `${address[1] ?? ""}${hash(value)}@hashed.invalid`;
  if (NAMING_KEYS.test(key)) return `hashed-${hash(value)}`;
  return value;
}

/** The record of a run: every check without its raw answer, and the answers sanitised. */
export function toRecord(result: ConformanceResult): ConformanceRecord {
  const answers: Partial<Record<ShapeId, unknown>> = {};
  for (const c of result.checks)
    if (c.answer !== undefined && c.id in SHAPES) answers[c.id as ShapeId] = sanitize(c.answer);
  return {
    format: RECORD_FORMAT,
    cloud: result.cloud,
    tenant: result.tenantGuid === null ? null : `hashed-${hash(result.tenantGuid)}`,
    checks: result.checks.map(({ answer: _answer, ...rest }) => rest),
    answers,
  };
}

/**
 * Replays a record against the validators: each recorded answer is validated again and must reach
 * the recorded verdict (`pass` with no problems, `shape` with the same problems). Returns the
 * disagreements, [] when the record and the validators agree. Throws for a file that is not a record.
 */
export function replayRecord(record: unknown): string[] {
  const r = record as Partial<ConformanceRecord>;
  if (r.format !== RECORD_FORMAT || !Array.isArray(r.checks) || typeof r.answers !== "object" || r.answers === null)
    throw new Error(`not a conformance record (expected format "${RECORD_FORMAT}")`);
  const out: string[] = [];
  for (const c of r.checks) {
    if (c.status !== "pass" && c.status !== "shape") continue;
    if (!(c.id in SHAPES)) continue;
    const problems = validateAnswer(c.id as ShapeId, (r.answers as Record<string, unknown>)[c.id]);
    const expected = c.problems ?? [];
    if (JSON.stringify(problems) !== JSON.stringify(expected))
      out.push(`${c.id}: recorded ${JSON.stringify(expected)}, validators say ${JSON.stringify(problems)}`);
  }
  return out;
}

const MARK: Record<CheckResult["status"], string> = {
  pass: "ok     ",
  missing: "MISSING",
  shape: "SHAPE  ",
  error: "ERROR  ",
  skipped: "skipped",
};

/** The checklist a person reads: one line per call, what is missing all together at the end. */
export function formatChecklist(result: ConformanceResult): string {
  const lines = [`conformance: tenant ${result.tenantGuid ?? "unknown"}, cloud ${result.cloud}`];
  for (const c of result.checks) {
    lines.push(`  ${MARK[c.status]} ${c.api.padEnd(8)} ${c.call}  (${c.usedBy})`);
    if (c.missing) lines.push(`          grant ${c.missing}`);
    for (const p of c.problems ?? []) lines.push(`          answer differs: ${p}`);
    if (c.note && c.status !== "pass") lines.push(`          ${c.note}`);
    else if (c.note) lines.push(`          note: ${c.note}`);
  }
  const count = (s: CheckResult["status"]) => result.checks.filter((c) => c.status === s).length;
  if (result.missing.length > 0) {
    lines.push("", "Missing, grant all of these with admin consent, then run again:");
    for (const m of result.missing) lines.push(`  - ${m}`);
  }
  lines.push(
    "",
    `${count("pass")} passed, ${count("missing")} missing a permission, ${count("shape")} with an unexpected answer, ` +
      `${count("error")} failed, ${count("skipped")} skipped`,
  );
  return `${lines.join("\n")}\n`;
}
