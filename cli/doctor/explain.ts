/**
 * `doctor explain <mailbox>`: reads the tenant's facts through the one facts reader
 * (tenant/facts.ts), walks the gates with m365/gates.ts and says which gate blocks and
 * exactly what changes it — a tenant.yaml entry (with `file:line` when the file declares it), a
 * resource, or an action outside tenant.yaml — plus whether the OAuth path avoids weakening the
 * tenant and how long Basic SMTP AUTH has left.
 *
 * Failure semantics: a read the app registration has no permission for makes the facts it feeds
 * "unknown" and records which permission is missing (the gate then reports `unknown`); any other
 * failed read (network, authentication, server error) is thrown as the ApiError it is.
 */
import type { DesiredState, SourcePosition } from "../../desired/tenant-yaml.ts";
import {
  GATE_ORDER,
  evaluateGates,
  gateApplies,
  gatesAnswering,
  type GateFacts,
  type GateId,
  type GateStatus,
  type GateVerdict,
  type Mechanism,
  type SmtpReply,
} from "../../m365/gates.ts";
import type { GatheredFacts, TenantContext } from "../../tenant/facts.ts";
import { typeToken, type ResourceKind } from "../../providers/types.ts";
import { CAUSES, OAUTH_PATH, type CauseId } from "./causes.ts";
import { basicAuthSchedule, type BasicAuthSchedule } from "../../m365/schedule.ts";

/** What a probe of the same mailbox showed: AUTH succeeded, or the reply that refused it. */
export type ProbeEvidence = { authenticated: true } | { authenticated: false; reply: SmtpReply };

/** Facts only an SMTP conversation reveals, with the gate each one feeds. */
const PROBE_ONLY: ReadonlyArray<{
  gate: GateId;
  fact: "passwordCorrect" | "accountLocked" | "basicAuthSmtpRetired";
  pass: boolean;
}> = [
  { gate: "wrong_credentials", fact: "passwordCorrect", pass: true },
  { gate: "account_locked", fact: "accountLocked", pass: false },
  { gate: "basic_auth_disabled_or_retired", fact: "basicAuthSmtpRetired", pass: false },
];

/**
 * Fills the facts only a probe reveals. Exchange walks the gates in order and answers with the first
 * that blocks, so a reply that names gate G means every gate before G passed; when the reply names
 * only one gate, that gate blocks. A successful AUTH means all of them pass.
 */
export function applyProbeEvidence(gathered: GatheredFacts, evidence: ProbeEvidence): GatheredFacts {
  const facts = { ...gathered.facts };
  const notes = { ...gathered.notes };
  const answering = evidence.authenticated ? [] : gatesAnswering(evidence.reply, facts.mechanism);
  const first = evidence.authenticated
    ? GATE_ORDER.length
    : answering.length > 0
      ? GATE_ORDER.indexOf(answering[0]!)
      : -1;
  for (const p of PROBE_ONLY) {
    const idx = GATE_ORDER.indexOf(p.gate);
    if (idx < first) {
      facts[p.fact] = p.pass;
      notes[p.gate] = evidence.authenticated ? "the probe's AUTH succeeded" : "the probe's reply names a later gate";
    } else if (answering.length === 1 && answering[0] === p.gate) {
      facts[p.fact] = !p.pass;
      notes[p.gate] = "the probe's reply names this gate";
    }
  }
  return { ...gathered, facts, notes };
}

/** Where and how the blocking gate is changed. */
export interface Change {
  gate: GateId;
  /** `tenant.yaml`: a declared setting; `tenant`: an action outside tenant.yaml; `client`: the device/app. */
  where: "tenant.yaml" | "tenant" | "client";
  /** The resource type token that applies the setting, for tenant.yaml changes. */
  resource?: string;
  /** tenant.yaml key path. */
  key?: string;
  file?: string;
  line?: number;
  /** True when tenant.yaml already declares a value that passes: the tenant has drifted or the stack is not applied. */
  drift?: boolean;
  /** The YAML to add or change. */
  snippet?: string;
  /** One or two sentences. */
  action: string;
  weakensTenant: boolean;
}

/** The doctor's cause id for a gate (gate ids equal cause ids except the two below). */
export function causeForGate(gate: GateId, mechanism: Mechanism): CauseId {
  if (gate === "account_disabled") return "account_locked"; // "blocked sign-in" is part of that cause
  if (gate === "send_as_permission" && mechanism === "oauth") return "oauth_misconfigured_app_or_sp"; // no mailbox permission
  return gate;
}

function at(desired: DesiredState | undefined, key: string): SourcePosition | undefined {
  return desired?.locations.get(key);
}

function cite(desired: DesiredState, pos: SourcePosition): string {
  return `${desired.file}:${pos.line}`;
}

const MAILBOX_SNIPPET = (m: string) =>
  `smtpAuth:\n  mailboxes:\n    ${m}: { state: enabled, owner: <owner>, ticket: <ticket>, expires: <yyyy-mm-dd> }`;

/** The change that unblocks `gate` for `mailbox`, citing tenant.yaml when given. */
export function changeFor(
  gate: GateId,
  mailbox: string,
  mechanism: Mechanism,
  desired: DesiredState | undefined,
  context: TenantContext,
  reason: string,
): Change {
  const m = mailbox.toLowerCase();
  const yaml = (
    kind: ResourceKind,
    key: string,
    declaresPass: boolean | undefined,
    snippet: string,
    what: string,
    weakens: boolean,
  ): Change => {
    const c: Change = {
      gate,
      where: "tenant.yaml",
      resource: typeToken(kind),
      key,
      snippet,
      action: "",
      weakensTenant: weakens,
    };
    const pos = at(desired, key);
    if (desired && pos) {
      c.file = desired.file;
      c.line = pos.line;
      if (declaresPass) {
        c.drift = true;
        c.action = `${cite(desired, pos)} already declares ${key} so that this gate passes, but the tenant does not match: apply the stack (the pipeline's pulumi up) or find who changed it (drift).`;
      } else {
        c.action = `Change ${cite(desired, pos)} (${key}) to: ${what}.`;
      }
    } else if (desired) {
      // Addresses contain dots: the parent is the known section, not the key minus its last dot.
      const parent = ["smtpAuth.mailboxes", "mfa.users", "securityDefaults"].find((p) => key.startsWith(`${p}.`));
      const ppos = (parent !== undefined ? at(desired, parent) : undefined) ?? at(desired, key.split(".")[0]!);
      c.file = desired.file;
      if (ppos) c.line = ppos.line;
      c.action = `${desired.file} does not declare ${key}; add it${ppos ? ` (under ${cite(desired, ppos)})` : ""}: ${what}.`;
    } else {
      c.action = `Declare ${key} in tenant.yaml: ${what}.`;
    }
    return c;
  };
  const outside = (action: string, weakens: boolean, where: "tenant" | "client" = "tenant"): Change => ({
    gate,
    where,
    action,
    weakensTenant: weakens,
  });

  switch (gate) {
    case "security_defaults_enabled":
      return yaml(
        "SecurityDefaults",
        "securityDefaults.enabled",
        desired?.securityDefaults?.enabled === false,
        'securityDefaults: { enabled: false, reason: "Conditional Access baseline replaces it" }',
        "enabled: false, with a reason (a Conditional Access baseline should replace them)",
        true,
      );
    case "smtp_auth_disabled_mailbox":
    case "smtp_auth_disabled_tenant": {
      const declared = desired?.mailboxes.find((x) => x.mailbox === m);
      const c = yaml(
        "MailboxSmtpAuth",
        `smtpAuth.mailboxes.${m}`,
        declared?.state === "enabled",
        MAILBOX_SNIPPET(m),
        "state: enabled, with owner, ticket and expires",
        false,
      );
      if (gate === "smtp_auth_disabled_tenant") {
        c.action += " Keep smtpAuth.organization: disabled — the mailbox's own setting takes precedence.";
      }
      return c;
    }
    case "per_user_mfa":
      return yaml(
        "PerUserMfa",
        `mfa.users.${m}`,
        desired?.mfaUsers.find((u) => u.user === m)?.state === "disabled",
        `mfa:\n  users:\n    ${m}: disabled`,
        "disabled (and protect the account with a Conditional Access control instead)",
        true,
      );
    case "conditional_access_block":
      return outside(
        `Not a tenant.yaml setting: ${reason}. Exclude only this account${context.userId ? ` (object id ${context.userId})` : ""} from that policy in Entra ID > Protection > Conditional Access — or, better, use the OAuth path, which Conditional Access user policies do not block.`,
        true,
      );
    case "authentication_policy_blocks_basic_smtp": {
      const allow = context.allowingAuthenticationPolicies[0];
      return outside(
        `Not a tenant.yaml setting: ${reason}. Assign a policy that allows only Basic SMTP to this user: Set-User -Identity ${m} -AuthenticationPolicy "${allow ?? "<policy with AllowBasicAuthSmtp>"}"${allow ? "" : " (create it with New-AuthenticationPolicy -AllowBasicAuthSmtp)"} — or use the OAuth path.`,
        true,
      );
    }
    case "mailbox_unlicensed_or_missing":
      return outside(
        `${reason}: assign an Exchange Online licence (or create the mailbox), or authenticate as a licensed mailbox that has Send As on this address.`,
        false,
      );
    case "account_disabled":
      return outside(
        `The account is disabled: enable it (Entra ID > Users > ${m} > Account enabled), or use app-only OAuth, which sends as the mailbox without signing the account in.`,
        false,
      );
    case "wrong_credentials":
      return outside(`${CAUSES.wrong_credentials.fix} No tenant change.`, false, "client");
    case "account_locked":
      return outside(CAUSES.account_locked.fix, false, "client");
    case "basic_auth_disabled_or_retired":
      return outside(`${reason}: only the OAuth path (XOAUTH2) works now.`, false);
    case "oauth_misconfigured_app_or_sp":
      return outside(
        `Register the app's service principal in Exchange: New-ServicePrincipal -AppId ${context.appId ?? "<app id>"} -ObjectId <Enterprise application object id> (Entra ID > Enterprise applications, not the app registration's object id).`,
        false,
      );
    case "send_as_permission":
      return outside(
        mechanism === "oauth"
          ? `Grant the service principal access to the mailbox: Add-MailboxPermission -Identity ${m} -User ${context.servicePrincipal?.objectId ?? "<service principal object id>"} -AccessRights FullAccess.`
          : `Send as ${m} itself, or grant Send As: Add-RecipientPermission -Identity <sender> -Trustee ${m} -AccessRights SendAs.`,
        false,
      );
  }
}

export interface ExplainGate {
  id: GateId;
  status: GateStatus;
  blocking: boolean;
  reason: string;
  /** Why it is unknown (a missing permission) or where a probe-only fact came from. */
  note?: string;
}

export interface ExplainReport {
  mailbox: string;
  mechanism: Mechanism;
  allowed: boolean;
  complete: boolean;
  blockingGate: GateId | null;
  /** The doctor's cause id for the blocking gate. */
  cause: CauseId | null;
  /** Exchange's reply for the blocking gate. */
  reply: SmtpReply | null;
  gates: ExplainGate[];
  change: Change | null;
  oauth: { avoidsWeakening: boolean; text: string; stillNeeds: GateId[] };
  schedule: BasicAuthSchedule;
  probe?: { authenticated: boolean; reply?: string; consistent: boolean; text?: string };
}

/** Builds the report from gathered facts (probe evidence already applied). Pure. */
export function buildReport(
  mailbox: string,
  gathered: GatheredFacts,
  opts: { desired?: DesiredState; today: string; probe?: ProbeEvidence },
): ExplainReport {
  const verdict: GateVerdict = evaluateGates(gathered.facts);
  const mechanism = gathered.facts.mechanism;
  const context = gathered.context;
  const blocking = verdict.gates.find((g) => g.id === verdict.blockingGate);
  const gates: ExplainGate[] = verdict.gates.map((g) => {
    const e: ExplainGate = { id: g.id, status: g.status, blocking: g.id === verdict.blockingGate, reason: g.reason };
    const note = gathered.notes[g.id];
    if (note !== undefined && (g.status === "unknown" || /probe|schedule/u.test(note))) e.note = note;
    return e;
  });

  // OAuth: would it avoid weakening the tenant, and what would it still need?
  const oauthFacts: GateFacts = { ...gathered.facts, mechanism: "oauth" };
  const oauthVerdict = evaluateGates(oauthFacts);
  const stillNeeds = oauthVerdict.gates.filter((g) => g.status === "block" || g.status === "unknown").map((g) => g.id);
  let oauthText: string;
  let avoids = false;
  if (mechanism === "oauth") {
    oauthText =
      "This explanation is for the OAuth path already: security defaults, MFA and Conditional Access user policies stay on.";
  } else if (blocking && !gateApplies(blocking.id, "oauth")) {
    avoids = true;
    oauthText = `The OAuth path avoids weakening the tenant: XOAUTH2 with an app-only token does not go through '${blocking.id}'. ${stillNeeds.length > 0 ? `With OAuth this mailbox would still need: ${stillNeeds.join(", ")} (give --app-id to check the app).` : "With OAuth every gate passes for this mailbox."} ${OAUTH_PATH}`;
  } else if (blocking) {
    oauthText = `OAuth goes through '${blocking.id}' too, so it does not avoid this change; it still avoids turning security defaults or MFA off. ${OAUTH_PATH}`;
  } else {
    oauthText = `Prefer the OAuth path before Basic goes away: ${OAUTH_PATH}`;
  }

  const report: ExplainReport = {
    mailbox,
    mechanism,
    allowed: verdict.allowed,
    complete: verdict.complete,
    blockingGate: verdict.blockingGate ?? null,
    cause: verdict.blockingGate ? causeForGate(verdict.blockingGate, mechanism) : null,
    reply: verdict.reply ?? null,
    gates,
    change: blocking ? changeFor(blocking.id, mailbox, mechanism, opts.desired, context, blocking.reason) : null,
    oauth: { avoidsWeakening: avoids, text: oauthText, stillNeeds },
    schedule: basicAuthSchedule(opts.today),
  };

  if (opts.probe) {
    const ev = opts.probe;
    if (ev.authenticated) {
      report.probe = {
        authenticated: true,
        consistent: verdict.blockingGate === undefined,
        ...(verdict.blockingGate
          ? {
              text: `The probe authenticated, yet the tenant's settings say '${verdict.blockingGate}' blocks: Exchange may not have picked up a recent change yet (it caches up to an hour).`,
            }
          : {}),
      };
    } else {
      const answering = gatesAnswering(ev.reply, mechanism);
      const consistent = verdict.blockingGate !== undefined && answering.includes(verdict.blockingGate);
      report.probe = {
        authenticated: false,
        reply: `${ev.reply.code} ${ev.reply.enhanced} ${ev.reply.text}`,
        consistent,
        ...(consistent
          ? {}
          : {
              text:
                answering.length > 0
                  ? `The server's reply points at ${answering.join(" or ")}, but the tenant's settings say ${verdict.blockingGate ?? "nothing"} blocks: a recent change may not have reached Exchange yet (it caches up to an hour), or a fact could not be read.`
                  : "The server's reply does not name a gate; see `doctor diagnose` for what it can mean.",
            }),
      };
    }
  }
  return report;
}

/** Human output of {@link buildReport}. */
export function formatExplain(r: ExplainReport): string {
  const out: string[] = [];
  const mech = r.mechanism === "basic" ? "Basic (AUTH LOGIN with a password)" : "OAuth (AUTH XOAUTH2, app-only token)";
  out.push(`Mailbox ${r.mailbox}, ${mech}`);
  out.push("");
  const mark: Record<GateStatus, string> = {
    pass: "pass   ",
    block: "BLOCKS ",
    unknown: "unknown",
    skipped: "skipped",
  };
  for (const g of r.gates) {
    out.push(`${g.blocking ? ">>" : "  "} ${mark[g.status]}  ${g.id}: ${g.reason}`);
    if (g.note) out.push(`              (${g.note})`);
  }
  out.push("");
  if (r.blockingGate) {
    out.push(`Blocked by: ${r.blockingGate} (doctor cause id ${r.cause})`);
    if (r.reply) out.push(`Exchange answers: ${r.reply.code} ${r.reply.enhanced} ${r.reply.text}`);
  } else if (r.allowed) {
    out.push("Every gate passes: this mailbox can authenticate with SMTP AUTH.");
  } else {
    const unknown = r.gates.filter((g) => g.status === "unknown").map((g) => g.id);
    out.push(`Nothing that could be read blocks, but these gates could not be judged: ${unknown.join(", ")}.`);
  }
  if (r.probe) {
    out.push(
      r.probe.authenticated
        ? "Probe: AUTH succeeded."
        : `Probe: the server answered ${r.probe.reply}${r.probe.consistent ? " — consistent with the tenant's settings." : "."}`,
    );
    if (r.probe.text) out.push(`  ${r.probe.text}`);
  }
  if (r.change) {
    out.push("");
    out.push(`What changes it${r.change.weakensTenant ? " (this weakens the tenant)" : ""}:`);
    out.push(`  ${r.change.action}`);
    if (r.change.resource)
      out.push(`  Resource: ${r.change.resource}${r.change.key ? ` (tenant.yaml key ${r.change.key})` : ""}`);
    if (r.change.snippet && !r.change.drift) {
      out.push("  tenant.yaml:");
      for (const l of r.change.snippet.split("\n")) out.push(`    ${l}`);
    }
  }
  out.push("");
  out.push(`OAuth: ${r.oauth.text}`);
  out.push("");
  out.push(`Schedule: ${r.schedule.summary}`);
  return `${out.join("\n")}\n`;
}
