/**
 * Renders a Diagnosis for people (ranked causes with reason, check and fix) and for machines
 * (`--json`: `{"causes":[{"id","confidence",…}],"ambiguity"?,"extracted"}`). Pure functions.
 */
import type { Diagnosis } from "./diagnose.ts";

/** The `--json` document. Field names are part of the CLI contract. */
export interface DiagnosisJson {
  causes: Array<{
    id: string;
    confidence: number;
    title: string;
    reason: string;
    check: string[];
    fix: string;
    tenantYaml?: string;
    weakensTenant: boolean;
  }>;
  ambiguity?: string;
  extracted: {
    replies: Array<{ code: number | null; enhanced: string | null; text: string; echoed: boolean }>;
    stage: string;
    client: string;
    authMechanism: string | null;
    oauth: boolean;
    serverId: string | null;
    timestamp: string | null;
    requestId: string | null;
    host: string | null;
  };
}

/** Build the `--json` document (without the normalised input text, which may be long). */
export function toJson(d: Diagnosis): DiagnosisJson {
  const e = d.extracted;
  const doc: DiagnosisJson = {
    causes: d.causes.map((c) => {
      const o: DiagnosisJson["causes"][number] = {
        id: c.id,
        confidence: c.confidence,
        title: c.title,
        reason: c.reason,
        check: c.check,
        fix: c.fix,
        weakensTenant: c.weakensTenant,
      };
      if (c.tenantYaml !== undefined) o.tenantYaml = c.tenantYaml;
      return o;
    }),
    extracted: {
      replies: e.replies,
      stage: e.stage,
      client: e.client,
      authMechanism: e.authMechanism,
      oauth: e.oauth,
      serverId: e.serverId,
      timestamp: e.timestamp,
      requestId: e.requestId,
      host: e.host,
    },
  };
  if (d.ambiguity !== undefined) doc.ambiguity = d.ambiguity;
  return doc;
}

/** `--json` output: one JSON document and a newline. */
export function formatJson(d: Diagnosis): string {
  return `${JSON.stringify(toJson(d), null, 2)}\n`;
}

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((l) => prefix + l)
    .join("\n");
}

/** Human output: what was read, then the causes, most likely first. */
export function formatHuman(d: Diagnosis): string {
  const e = d.extracted;
  const lines: string[] = [];
  const seen = e.replies.map(
    (r) => `${[r.code, r.enhanced].filter((x) => x !== null).join(" ")}${r.echoed ? " (echoed)" : ""}`,
  );
  const facts = [
    seen.length > 0 ? `reply ${seen.join(", ")}` : "no SMTP reply code",
    e.stage !== "unknown" ? `stage ${e.stage}` : null,
    e.client !== "unknown" ? `client ${e.client}` : null,
    e.authMechanism !== null ? `AUTH ${e.authMechanism}` : e.oauth ? "OAuth" : null,
    e.serverId !== null ? `server ${e.serverId}${e.timestamp !== null ? ` at ${e.timestamp}` : ""}` : null,
  ].filter((x): x is string => x !== null);
  lines.push(`Read: ${facts.join("; ")}`);
  lines.push("");
  d.causes.forEach((c, i) => {
    lines.push(`${i + 1}. ${c.id}  (${Math.round(c.confidence * 100)}%)  ${c.title}`);
    lines.push(`   why:   ${c.reason}`);
    lines.push("   check:");
    for (const x of c.check) lines.push(`     - ${x}`);
    lines.push(`   fix:   ${c.fix}`);
    if (c.tenantYaml !== undefined) {
      lines.push("   tenant.yaml:");
      lines.push(indent(c.tenantYaml, "     "));
    }
    lines.push("");
  });
  if (d.ambiguity !== undefined) {
    lines.push("Not decidable from the text alone:");
    lines.push(indent(d.ambiguity, "  "));
    lines.push("");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
