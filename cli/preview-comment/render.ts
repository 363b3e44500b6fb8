/**
 * Turns `pulumi preview --json` output into the Markdown comment posted on a pull request: a summary
 * line, one table per resource kind, the policy violations and the warnings a reviewer needs
 * (issue 6, items 2 and 4). Issue 16.1: a failed preview's error first, the tenant's current value
 * next to the declared one, OAuth kinds in their own sections, a link to the run, a collapsed raw
 * preview, and a size that stays under GitHub's limit (layout.ts).
 */
import { DEFAULT_BUDGET, layoutComment, type Section } from "./layout.ts";
import {
  currentKey,
  readPreview,
  UNKNOWN_VALUE,
  type PolicyViolation,
  type PreviewModel,
  type Props,
  type ResourceStep,
} from "./model.ts";
import { cell, OAUTH_KINDS, oauthSections } from "./oauth.ts";

/** Options of {@link renderPreviewComment}. */
export interface PreviewCommentOptions {
  /** The day expiries are judged against, YYYY-MM-DD. */
  today: string;
  /** The stack the preview ran on, shown in the summary and the comment's marker. */
  stack: string;
  /** The pipeline run's page, linked under the summary (see runUrlFromEnv). */
  runUrl?: string;
  /** Characters the comment may take (default {@link DEFAULT_BUDGET}); Infinity for the full artifact copy. */
  budget?: number;
  /** Where trimmed rows are, named in the "N more" lines. */
  whereTrimmed?: string;
}

/** Days before an exception's expiry from which the comment warns. */
export const EXPIRY_WARNING_DAYS = 30;

const KIND_PREFIX = "pulumi-nodejs:dynamic/m365:";

/** Kinds in the order they are shown, with their headings. */
const KINDS: [kind: string, heading: string][] = [
  ["SecurityDefaults", "Security defaults"],
  ["OrganizationSmtpAuth", "SMTP AUTH for the organisation"],
  ["MailboxSmtpAuth", "SMTP AUTH per mailbox"],
  ["OtherMailboxesSmtpAuth", "SMTP AUTH for other mailboxes"],
  ["PerUserMfa", "Per-user MFA"],
  ["OtherUsersMfa", "Per-user MFA for other users"],
];

/** The first line of every comment, so a pipeline can find and update its earlier comment. */
export function commentMarker(stack: string): string {
  return `<!-- m365-smtp-auth preview-comment stack=${stack} -->`;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function text(value: unknown): string | undefined {
  if (value === UNKNOWN_VALUE) return "(known after apply)";
  if (typeof value === "string" && value.trim() !== "") return value;
  return undefined;
}

function kindOf(step: ResourceStep): string | undefined {
  return step.type.startsWith(KIND_PREFIX) ? step.type.slice(KIND_PREFIX.length) : undefined;
}

/** The item a row is about: a mailbox, a user, or the tenant. */
function itemOf(step: ResourceStep, kind: string): string {
  const props = step.after ?? step.before ?? {};
  switch (kind) {
    case "MailboxSmtpAuth":
      return text(props.mailbox) ?? step.name;
    case "PerUserMfa":
      return text(props.user) ?? step.name;
    case "OtherMailboxesSmtpAuth":
      return "mailboxes not listed by name";
    case "OtherUsersMfa":
      return "users not listed by name";
    default:
      return "tenant";
  }
}

/** A resource's setting in a few words. */
function valueOf(props: Props, kind: string): string {
  switch (kind) {
    case "SecurityDefaults":
      return props.enabled === UNKNOWN_VALUE ? "(known after apply)" : props.enabled === false ? "off" : "on";
    case "OtherMailboxesSmtpAuth": {
      if (props.strays === UNKNOWN_VALUE) return "inherit (strays known after apply)";
      const strays = Array.isArray(props.strays) ? props.strays.map(String) : [];
      return strays.length === 0 ? "inherit" : `inherit (resets ${strays.join(", ")})`;
    }
    case "OtherUsersMfa": {
      const state = text(props.state) ?? "—";
      if (props.strays === UNKNOWN_VALUE) return `${state} (users to raise known after apply)`;
      const strays = Array.isArray(props.strays) ? props.strays.map(String) : [];
      return strays.length === 0 ? state : `${state} (raises ${plural(strays.length, "user")})`;
    }
    default:
      return text(props.state) ?? "—";
  }
}

/** For the other-mailboxes resource: which mailboxes became or stopped being listed by name. */
function declaredChange(step: ResourceStep): string {
  const list = (props: Props | undefined) =>
    new Set(Array.isArray(props?.declared) ? props.declared.filter((m) => typeof m === "string") : []);
  const before = list(step.before);
  const after = list(step.after);
  const added = [...after].filter((m) => !before.has(m)).map((m) => `+${m}`);
  const removed = [...before].filter((m) => !after.has(m)).map((m) => `−${m}`);
  const all = [...added, ...removed];
  return all.length === 0 ? "" : ` (listed by name: ${all.join(" ")})`;
}

/** The tenant's current value in the words valueOf uses, from program/current.ts's report. */
function currentWords(kind: string, value: string): string {
  if (kind === "SecurityDefaults") return value === "enabled" ? "on" : value === "disabled" ? "off" : value;
  return value;
}

function change(step: ResourceStep, kind: string, model: PreviewModel): string {
  const after = step.after ? valueOf(step.after, kind) : "—";
  const now = model.current.get(currentKey(kind, itemOf(step, kind)));
  if ((step.op === "create" || step.op === "update") && now) {
    return `${currentWords(kind, now.current)} → **${after}**`;
  }
  if (step.op === "create" && model.currentRead && !kind.startsWith("Other")) {
    // Read and found as declared: the first update only records it.
    return `already ${after} (recorded, no write)`;
  }
  const before = step.before ? valueOf(step.before, kind) : "—";
  if (step.op === "same") return `${after} (no change)`;
  if (kind.startsWith("Other") && step.op === "update") return `${before} → **${after}**${declaredChange(step)}`;
  if (step.op === "delete") return `${before} → — (removed from tenant.yaml)`;
  if (step.op === "replace") return `${before} → **${after}** (replace)`;
  return `${before} → **${after}**`;
}

/** Owner and expiry of an exception: a mailbox's own, or security defaults' risk acceptance. */
function exceptionOf(props: Props | undefined): { owner?: string; ticket?: string; expires?: string } {
  if (!props) return {};
  const source =
    typeof props.riskAcceptance === "object" && props.riskAcceptance !== null ? (props.riskAcceptance as Props) : props;
  const out: { owner?: string; ticket?: string; expires?: string } = {};
  const owner = text(source.owner);
  const ticket = text(source.ticket);
  const expires = text(source.expires);
  if (owner !== undefined) out.owner = owner;
  if (ticket !== undefined) out.ticket = ticket;
  if (expires !== undefined) out.expires = expires;
  return out;
}

function expiryCell(expires: string | undefined, today: string): string {
  if (expires === undefined) return "—";
  if (!DAY.test(expires)) return expires;
  const days = daysBetween(today, expires);
  if (days < 0) return `${expires} (expired)`;
  if (days === 0) return `${expires} (today)`;
  return `${expires} (in ${plural(days, "day")})`;
}

/** The effective-SMTP-AUTH verdicts the program exports, by mailbox (lower case). */
function verdicts(outputs: Props): Map<string, unknown> {
  const exported = outputs.effectiveSmtpAuth ?? outputs.effective;
  const map = new Map<string, unknown>();
  if (typeof exported === "object" && exported !== null && !Array.isArray(exported)) {
    for (const [mailbox, verdict] of Object.entries(exported)) map.set(mailbox.toLowerCase(), verdict);
  }
  return map;
}

function verdictCell(verdict: unknown): string {
  if (verdict === undefined) return "—";
  if (verdict === UNKNOWN_VALUE) return "(known after apply)";
  if (typeof verdict === "string") return verdict;
  if (typeof verdict === "object" && verdict !== null) {
    const v = verdict as Props;
    if (typeof v.canSend === "boolean") {
      if (v.canSend) return "✅ can send";
      // A fact could not be read: the verdict is unknown, never "cannot send".
      if (v.status === "unknown") return `❔ unknown${v.reason ? `: ${text(v.reason)}` : ""}`;
      const reason = text(v.reason);
      const gate = text(v.blockedBy);
      return `⛔ cannot send${gate ? ` (${gate})` : ""}${reason ? `: ${reason}` : ""}`;
    }
  }
  return JSON.stringify(verdict);
}

function summaryLine(model: PreviewModel, stack: string): string {
  const counts = new Map<string, number>();
  for (const step of model.steps) counts.set(step.op, (counts.get(step.op) ?? 0) + 1);
  const labels: [string, string][] = [
    ["create", "to create"],
    ["update", "to update"],
    ["replace", "to replace"],
    ["delete", "to delete"],
    ["read", "to read"],
    ["import", "to import"],
  ];
  const parts = labels.filter(([op]) => counts.get(op)).map(([op, label]) => `${counts.get(op)} ${label}`);
  for (const [op, n] of counts) if (op !== "same" && !labels.some(([o]) => o === op)) parts.push(`${n} ${op}`);
  if (parts.length === 0) parts.push("no changes");
  if (counts.get("same")) parts.push(`${counts.get("same")} unchanged`);

  let policy: string;
  if (model.policyResults === "not-in-digest") {
    policy = "⚠️ policy results not in this output (preview with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true)";
  } else if (model.policyResults === "no-policy-pack") {
    policy = "⚠️ no policy pack ran";
  } else {
    const mandatory = model.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const other = model.violations.length - mandatory;
    const bits = [];
    if (mandatory > 0) bits.push(`❌ ${plural(mandatory, "mandatory policy violation")}`);
    if (other > 0) bits.push(`⚠️ ${plural(other, "advisory policy violation")}`);
    policy = bits.length > 0 ? bits.join(" · ") : "✅ policies passed";
  }
  const status = model.failed ? " · ❌ preview failed" : "";
  return `**Stack \`${stack}\`:** ${parts.join(" · ")} · ${policy}${status}`;
}

/** The effective-SMTP-AUTH cell: what the change does to SMTP AUTH, then the program's verdict after. */
function effectCell(step: ResourceStep, item: string, model: PreviewModel, effective: Map<string, unknown>): string {
  if (step.op === "delete") return "—";
  const effect = model.current.get(currentKey("MailboxSmtpAuth", item))?.effect;
  if (effect === "loses") return "⛔ loses SMTP AUTH";
  const after = verdictCell(effective.get(item.toLowerCase()));
  if (effect === "gains") return after === "—" ? "✅ gains SMTP AUTH" : `gains SMTP AUTH · ${after}`;
  return after;
}

function kindSections(model: PreviewModel, today: string): Section[] {
  const out: Section[] = [];
  const effective = verdicts(model.stackOutputs);
  const known = new Set([...KINDS.map(([k]) => k), ...OAUTH_KINDS]);
  const withCurrent = model.currentRead || model.current.size > 0;
  for (const [kind, heading] of KINDS) {
    const steps = model.steps
      .filter((s) => kindOf(s) === kind)
      .sort((a, b) => itemOf(a, kind).localeCompare(itemOf(b, kind)));
    if (steps.length === 0) continue;
    const rows = steps.map((step) => {
      const item = itemOf(step, kind);
      const exception = exceptionOf(step.after);
      const verdict = kind === "MailboxSmtpAuth" ? effectCell(step, item, model, effective) : "—";
      return `| ${cell(item)} | ${cell(change(step, kind, model))} | ${cell(verdict)} | ${cell(exception.owner ?? "—")} | ${cell(expiryCell(exception.expires, today))} |`;
    });
    out.push({
      title: heading,
      head: [
        `| Item | ${withCurrent ? "Tenant now → declared" : "Before → after"} | Effective SMTP AUTH | Owner | Expiry |`,
        "|---|---|---|---|---|",
      ],
      rows,
    });
  }
  out.push(...oauthSections(model.steps));
  const others = model.steps.filter((s) => !known.has(kindOf(s) ?? ""));
  if (others.length > 0) {
    out.push({
      title: "Other resources",
      head: ["| Resource | Type | Step |", "|---|---|---|"],
      rows: others.map((step) => `| ${cell(step.name)} | \`${cell(step.type)}\` | ${step.op} |`),
    });
  }
  return out;
}

function resourceLabel(urn: string | undefined, model: PreviewModel): string {
  if (urn === undefined) return "(stack)";
  const step = model.steps.find((s) => s.urn === urn);
  const type = urn.split("::").at(-2)?.split("$").at(-1) ?? "";
  const kind = type.startsWith(KIND_PREFIX) ? type.slice(KIND_PREFIX.length) : type;
  if (type === "pulumi:pulumi:Stack") return "(stack)";
  return `${kind} \`${step?.name ?? urn.split("::").at(-1)}\``;
}

function violationSection(violations: PolicyViolation[], model: PreviewModel): Section[] {
  if (violations.length === 0) return [];
  const rows: string[] = [];
  const order = (v: PolicyViolation) => (v.enforcementLevel === "mandatory" ? 0 : 1);
  const sorted = [...violations].sort(
    (a, b) =>
      order(a) - order(b) ||
      resourceLabel(a.resourceUrn, model).localeCompare(resourceLabel(b.resourceUrn, model)) ||
      a.policyName.localeCompare(b.policyName) ||
      a.message.localeCompare(b.message),
  );
  for (const v of sorted) {
    const level = v.enforcementLevel === "mandatory" ? "❌ mandatory" : `⚠️ ${v.enforcementLevel}`;
    rows.push(
      `| \`${cell(v.policyName)}\` | ${level} | ${cell(resourceLabel(v.resourceUrn, model))} | ${cell(v.message)} |`,
    );
  }
  return [{ title: "Policy violations", head: ["| Policy | Level | Resource | Message |", "|---|---|---|---|"], rows }];
}

/** At most this many mailboxes are named in the retirement warning. */
const NAMED_IN_WARNING = 10;

function warnings(model: PreviewModel, today: string): Section[] {
  const list: string[] = [];
  const live = model.steps.filter((s) => s.op !== "delete" && s.after);
  const enabledMailboxes = live
    .filter((s) => kindOf(s) === "MailboxSmtpAuth" && s.after?.state === "enabled")
    .map((s) => itemOf(s, "MailboxSmtpAuth"))
    .sort();
  const organisationEnabled = live.some((s) => kindOf(s) === "OrganizationSmtpAuth" && s.after?.state === "enabled");
  if (enabledMailboxes.length > 0 || organisationEnabled) {
    const named = [...(organisationEnabled ? ["the whole organisation"] : []), ...enabledMailboxes];
    const rest = named.length - NAMED_IN_WARNING;
    const who = named.slice(0, NAMED_IN_WARNING).join(", ") + (rest > 0 ? ` and ${rest} more` : "");
    list.push(
      `⚠️ **Basic authentication for SMTP AUTH is being retired.** Microsoft keeps it available through December 2026, turns it off by default for existing tenants from the end of December 2026 and removes it in the second half of 2027. After this change SMTP AUTH is enabled for: ${who}. Plan the move to OAuth 2.0 (client credentials) for SMTP.`,
    );
  }
  const expiring: { expires: string; item: string; text: string }[] = [];
  for (const step of live) {
    const kind = kindOf(step);
    const isException =
      (kind === "MailboxSmtpAuth" && step.after?.state === "enabled") ||
      (kind === "SecurityDefaults" && step.after?.enabled === false);
    if (!isException) continue;
    const { owner, ticket, expires } = exceptionOf(step.after);
    if (expires === undefined || !DAY.test(expires)) continue;
    const days = daysBetween(today, expires);
    if (days > EXPIRY_WARNING_DAYS) continue;
    const what =
      kind === "SecurityDefaults"
        ? "The risk acceptance for turning security defaults off"
        : `The SMTP AUTH exception for ${itemOf(step, "MailboxSmtpAuth")}`;
    const by = [owner && `owner ${owner}`, ticket && `ticket ${ticket}`].filter(Boolean).join(", ");
    const when =
      days < 0
        ? `expired on ${expires}, ${plural(-days, "day")} ago`
        : days === 0
          ? `expires today (${expires})`
          : `expires on ${expires}, in ${plural(days, "day")}`;
    const action =
      days < 0
        ? "the scheduled drift check fails until it is renewed or removed."
        : "renew it with a new ticket and expiry, or move the sender to OAuth.";
    expiring.push({ expires, item: what, text: `⏳ ${what} ${when}${by ? ` (${by})` : ""}: ${action}` });
  }
  // Soonest first; the engine reports resources in no fixed order.
  expiring.sort((a, b) => a.expires.localeCompare(b.expires) || a.item.localeCompare(b.item));
  list.push(...expiring.map((e) => e.text));
  const coverage = mfaCoverageWarning(model);
  if (coverage) list.unshift(coverage);
  if (list.length === 0) return [];
  return [{ title: "Warnings", head: [], rows: list.map((w) => `- ${w}`) }];
}

/** At most this many accounts are named in the MFA-coverage warning. */
const NAMED_WITHOUT_MFA = 20;

/**
 * Issue 15.5: the program's `mfaCoverage` output (program/mfa-coverage.ts) as the reviewer needs it:
 * who has no MFA once security defaults are off, and, when the preview read them on, that these
 * users *lose* it with this change. Accounts tenant.yaml leaves without MFA on purpose are named apart.
 */
function mfaCoverageWarning(model: PreviewModel): string | undefined {
  const c = model.stackOutputs.mfaCoverage;
  if (typeof c !== "object" || c === null || Array.isArray(c)) return undefined;
  const coverage = c as Props;
  if (typeof coverage.error === "string") {
    return `🔓 **MFA coverage with security defaults off could not be read:** ${text(coverage.error)}`;
  }
  const without = coverage.withoutMfa as
    { count?: number; declaredCount?: number; users?: string[]; declared?: string[] } | undefined;
  const unknown = coverage.unknown as { count?: number; why?: string[] } | undefined;
  const count = without?.count ?? 0;
  const declaredCount = without?.declaredCount ?? 0;
  const accidentalCount = count - declaredCount;
  const declared = new Set(without?.declared ?? []);
  const accidental = (without?.users ?? []).filter((u) => !declared.has(u));
  const losing = model.current.get(currentKey("SecurityDefaults", "tenant"))?.current === "enabled";
  const verb = losing ? "lose MFA with this change" : "have no MFA";
  const named = (list: string[], n: number) => {
    const shown = list.slice(0, NAMED_WITHOUT_MFA);
    return shown.join(", ") + (n > shown.length ? ` and ${n - shown.length} more` : "");
  };
  const parts: string[] = [];
  if (accidentalCount > 0) {
    parts.push(
      `${plural(accidentalCount, "account")} of ${typeof coverage.accounts === "number" ? coverage.accounts : "?"} ${verb}: ${named(accidental, accidentalCount)}. Cover them with \`mfa.others: enforced\`, per-user MFA or \`conditionalAccessBaseline: { state: on }\`.`,
    );
  }
  if (declaredCount > 0) {
    parts.push(`Declared without MFA in tenant.yaml: ${named([...declared], declaredCount)}.`);
  }
  if ((unknown?.count ?? 0) > 0) {
    parts.push(`${plural(unknown!.count!, "account")} could not be judged (${(unknown!.why ?? []).join("; ")}).`);
  }
  if (parts.length === 0) {
    return losing ? "🔐 **MFA coverage:** security defaults go off, and every account keeps MFA." : undefined;
  }
  const head = losing ? "Security defaults go from on to off." : "Security defaults are off.";
  return `🔓 **MFA coverage.** ${head} ${parts.join(" ")}`;
}

const OP_SYMBOL: Record<string, string> = { create: "+", update: "~", delete: "-", replace: "+-", same: " " };

/** The raw preview, one line per resource step, as the CLI lists them. */
function rawSection(model: PreviewModel): Section {
  return {
    title: "Raw preview",
    head: [],
    rows: model.steps.map((s) => `${(OP_SYMBOL[s.op] ?? "?").padEnd(2)} ${s.op.padEnd(7)} ${s.type}  ${s.name}`),
    collapsed: true,
    fence: "text",
  };
}

/** Errors are shown first and in full up to this many characters each. */
const ERROR_CHARS = 4_000;

/**
 * Renders the pull-request comment for parsed `pulumi preview --json` output (see
 * {@link readPreview} for the shapes accepted). Deterministic: the same input and options give the
 * same Markdown, so it can be compared in tests and updated in place. Throws on input that is not
 * preview output.
 */
export function renderPreviewComment(previewJson: unknown, opts: PreviewCommentOptions): string {
  if (!DAY.test(opts.today)) throw new Error(`[today] not a YYYY-MM-DD date: ${JSON.stringify(opts.today)}`);
  const model = readPreview(previewJson);
  const top = [commentMarker(opts.stack), `### Pulumi preview: \`${opts.stack}\``, ""];
  if (model.failed) {
    // A failed preview's error first: it is what the reviewer needs to act on.
    const errors = model.errors.slice(0, 5).map((e) => (e.length > ERROR_CHARS ? `${e.slice(0, ERROR_CHARS)} …` : e));
    const mandatory = model.violations.some((v) => v.enforcementLevel === "mandatory");
    const why =
      errors.length === 0 && mandatory ? " A mandatory policy refused it: see the policy violations below." : "";
    top.push(`**❌ The preview failed.**${why}`, "");
    if (errors.length > 0) top.push("```", ...errors.map((e) => e.replaceAll("```", "` ` `")), "```", "");
    if (model.errors.length > errors.length) {
      top.push(`_… ${model.errors.length - errors.length} more errors in the job log._`, "");
    }
  }
  top.push(summaryLine(model, opts.stack), "");
  if (opts.runUrl) {
    top.push(`[The pipeline run](${opts.runUrl}) has the full preview (\`preview.json\`, \`comment-full.md\`).`, "");
  }
  const sections = [
    ...kindSections(model, opts.today),
    ...violationSection(model.violations, model),
    ...warnings(model, opts.today),
  ];
  return layoutComment(top, sections, model.steps.length > 0 ? rawSection(model) : undefined, {
    budget: opts.budget ?? DEFAULT_BUDGET,
    whereTrimmed: opts.runUrl ? "the run's artifact `comment-full.md`" : "the artifact `comment-full.md`",
  });
}
