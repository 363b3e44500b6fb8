/**
 * Renders a Diagnosis for people (ranked causes with reason, check and fix) and for machines
 * (`--json`: `{"causes":[{"id","confidence",…}],"ambiguity"?,"extracted"}`). Pure functions.
 */
import { BASIC_AUTH_SCHEDULE } from "../../m365/schedule.ts";
import { OAUTH_PATH } from "./causes.ts";
import { namesNoCause, type DiagnosedCause, type Diagnosis } from "./diagnose.ts";

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
    /** Present (true) when only the report's words put this cause in the list: a lead, not a finding. */
    fromWords?: true;
  }>;
  ambiguity?: string;
  /** The one question that tells the top causes apart (added in issue 14; optional). */
  question?: string;
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
      if (c.fromWords === true) o.fromWords = true;
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
  if (d.question !== undefined) doc.question = d.question;
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

/** Word-wrap one paragraph to `width`, every line after the first indented by `hang`. */
export function wrap(text: string, width: number, first: string, hang: string): string {
  const words = text.split(/\s+/u).filter((w) => w !== "");
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const w of words) {
    if (!empty && line.length + 1 + w.length > width) {
      lines.push(line);
      line = hang + w;
    } else {
      line += (empty ? "" : " ") + w;
    }
    empty = false;
  }
  lines.push(line);
  return lines.join("\n");
}

/** A confidence as people read it: a runner-up listed below 1% says so rather than "0%". */
function percent(confidence: number): string {
  return confidence < 0.01 ? "<1%" : `${Math.round(confidence * 100)}%`;
}

/** Options for {@link formatHuman}. */
export interface HumanOptions {
  /** Everything: what was read, every cause with its checks, the evidence that fired. */
  verbose?: boolean;
  /** Terminal width to wrap to (default 100). */
  width?: number;
  /** The doctor command that produced the diagnosis: checks telling the user to run it are dropped. */
  command?: "diagnose" | "probe";
}

// The OAuth path and Microsoft's schedule are in several causes' fixes; said once, as a note
// (in full with --verbose, in two lines otherwise).
const NOTE = `${OAUTH_PATH} ${BASIC_AUTH_SCHEDULE}`;
const SHORT_NOTE =
  "the OAuth path (AUTH XOAUTH2 with an app granted SMTP.SendAsApp) keeps security defaults and MFA on; Basic SMTP AUTH is off by default for existing tenants from the end of December 2026 and removed in the second half of 2027.";
const withoutNote = (fix: string): string =>
  fix.replace(OAUTH_PATH, "").replace(BASIC_AUTH_SCHEDULE, "").replace(/\s+/gu, " ").trim();
const needsNote = (c: DiagnosedCause): boolean => c.fix.includes(OAUTH_PATH) || c.fix.includes(BASIC_AUTH_SCHEDULE);

function readLine(d: Diagnosis): string {
  const e = d.extracted;
  const seen = e.replies.map(
    (r) => `${[r.code, r.enhanced].filter((x) => x !== null).join(" ")}${r.echoed ? " (echoed)" : ""}`,
  );
  const facts = [
    seen.length > 0 ? `reply ${seen.join(", ")}` : "no SMTP reply code",
    e.stage !== "unknown" ? `stage ${e.stage}` : null,
    e.client !== "unknown" ? `client ${e.client}` : null,
    e.authMechanism !== null ? `AUTH ${e.authMechanism}` : e.oauth ? "OAuth" : null,
    e.serverId !== null ? `server ${e.serverId}${e.timestamp !== null ? ` at ${e.timestamp}` : ""}` : null,
    e.addresses[0] !== undefined ? `mailbox ${e.addresses[0]}` : null,
  ].filter((x): x is string => x !== null);
  return `Read: ${facts.join("; ")}`;
}

/**
 * Human output. By default it fits one screen: the most likely cause with why and the fix, the
 * runners-up on one line each, the one question that tells them apart, and the OAuth/retirement
 * note once. `verbose` adds what was read, every cause's checks and the evidence that fired.
 */
export function formatHuman(d: Diagnosis, opts: HumanOptions = {}): string {
  const width = Math.max(40, opts.width ?? 100);
  const ranCommand = opts.command !== undefined ? `doctor ${opts.command}` : null;
  const checks = (list: string[]) => (ranCommand === null ? list : list.filter((x) => !x.includes(ranCommand)));
  const lines: string[] = [];
  if (opts.verbose === true) lines.push(wrap(readLine(d), width, "", "      "), "");
  else if (d.mailbox !== undefined) lines.push(`Mailbox: ${d.mailbox}`, "");
  const verbose = opts.verbose === true;
  // `unknown` listed after the causes yet the likeliest: the text carries no reply, and what leads is a lead.
  const undecided =
    d.causes[0]!.id !== "unknown" && namesNoCause(d.causes) ? d.causes.find((c) => c.id === "unknown") : undefined;
  const shown = verbose ? d.causes : d.causes.slice(0, 1);
  shown.forEach((c, i) => {
    const head = `${i + 1}. ${c.id}  (${percent(c.confidence)}${c.fromWords === true ? ", a lead from its words only" : ""})`;
    if (head.length + 2 + c.title.length <= width) lines.push(`${head}  ${c.title}`);
    else lines.push(head, wrap(c.title, width, "   ", "   "));
    lines.push(wrap(c.reason, width, "   why:   ", "          "));
    if (verbose) {
      const cs = checks(c.check);
      if (cs.length > 0) {
        lines.push("   check:");
        for (const x of cs) lines.push(wrap(x, width, "     - ", "       "));
      }
    } else if (undecided !== undefined && checks(c.check).length > 0) {
      // A lead the text does not decide gets what to check first, even on the terse screen.
      lines.push(wrap(checks(c.check)[0]!, width, "   check: ", "          "));
    }
    lines.push(wrap(withoutNote(c.fix), width, undecided !== undefined ? "   if so: " : "   fix:   ", "          "));
    // No tenant change is offered on a guess: only a cause the evidence names gets its tenant.yaml.
    if (c.tenantYaml !== undefined && undecided === undefined && c.fromWords !== true) {
      lines.push("   tenant.yaml:");
      lines.push(indent(c.tenantYaml, "     "));
    }
    if (opts.verbose === true) lines.push("");
  });
  if (!verbose) {
    const also = d.causes
      .slice(1, 3)
      .filter((c) => c !== undecided)
      .map((c) => `${c.id} (${percent(c.confidence)}${c.fromWords === true ? ", a lead from its words only" : ""})`);
    if (also.length > 0) lines.push(wrap(also.join(", "), width, "Also possible: ", "               "));
    if (undecided !== undefined) {
      const next = checks(undecided.check);
      const say = `the text itself names none of these (${percent(undecided.confidence)})${next.length > 0 ? `: ${next.join("; ")}` : "."}`;
      lines.push(wrap(say, width, "Undecided: ", "           "));
    }
    lines.push("");
  }
  if (d.question !== undefined) lines.push(wrap(d.question, width, "Question: ", "          "), "");
  if (opts.verbose === true && d.ambiguity !== undefined) {
    lines.push("Not decidable from the text alone:");
    lines.push(wrap(d.ambiguity, width, "  ", "  "));
    lines.push("");
  }
  if (
    d.causes
      .slice(0, verbose ? undefined : 3)
      .filter((c) => c.fromWords !== true)
      .some(needsNote)
  )
    lines.push(wrap(verbose ? NOTE : SHORT_NOTE, width, "Note: ", "      "), "");
  if (opts.verbose === true) {
    lines.push("Evidence (rule, strength, source):");
    for (const f of d.fired) lines.push(wrap(`${f.id} ${f.strength} — ${f.source}`, width, "  ", "    "));
  } else {
    lines.push("(--verbose: what was read, what to check, every cause and the evidence)");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
