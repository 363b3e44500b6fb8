/**
 * Issue 16.1: the OAuth (XOAUTH2) kinds in sections of their own, in words a reviewer reads: which
 * app is registered in Exchange, and which mailbox it gets access to. The raw type tokens stay in
 * "Other resources" only for kinds this module does not know.
 */
import type { Section } from "./layout.ts";
import { UNKNOWN_VALUE, type Props, type ResourceStep } from "./model.ts";

const PREFIX = "pulumi-nodejs:dynamic/m365:";

/** The kinds rendered here, by their type token suffix. */
export const OAUTH_KINDS = new Set(["ExchangeServicePrincipal", "MailboxPermission"]);

/** A table cell: no pipes or line breaks from the data. */
export function cell(text: string): string {
  return text
    .replaceAll("\\", "\\\\")
    .replaceAll("|", "\\|")
    .replace(/\s*\n\s*/g, " ");
}

function value(v: unknown): string {
  if (v === UNKNOWN_VALUE) return "(known after apply)";
  if (Array.isArray(v)) return v.map(String).join(", ");
  return typeof v === "string" && v !== "" ? v : "—";
}

/** A step's operation in words. */
export function stepWords(op: string): string {
  switch (op) {
    case "create":
      return "**add**";
    case "update":
      return "**update**";
    case "delete":
      return "**remove**";
    case "replace":
      return "**replace**";
    case "same":
      return "no change";
    default:
      return op;
  }
}

function kind(step: ResourceStep): string {
  return step.type.startsWith(PREFIX) ? step.type.slice(PREFIX.length) : "";
}

const props = (step: ResourceStep): Props => step.after ?? step.before ?? {};

/** The OAuth sections for the steps of those kinds, in a fixed order; none when there are none. */
export function oauthSections(steps: ResourceStep[]): Section[] {
  const out: Section[] = [];
  const sps = steps.filter((s) => kind(s) === "ExchangeServicePrincipal");
  if (sps.length > 0) {
    out.push({
      title: "OAuth: apps registered in Exchange (New-ServicePrincipal)",
      head: ["| App | App (client) id | Enterprise app object id | Step |", "|---|---|---|---|"],
      rows: sps
        .map((s) => ({ s, p: props(s) }))
        .sort((a, b) => value(a.p.displayName).localeCompare(value(b.p.displayName)))
        .map(
          ({ s, p }) =>
            `| ${cell(value(p.displayName))} | ${cell(value(p.appId))} | ${cell(value(p.objectId))} | ${stepWords(s.op)} |`,
        ),
    });
  }
  const perms = steps.filter((s) => kind(s) === "MailboxPermission");
  if (perms.length > 0) {
    out.push({
      title: "OAuth: mailboxes the apps may send as (Add-MailboxPermission)",
      head: ["| Mailbox | App (client) id | Access | Step |", "|---|---|---|---|"],
      rows: perms
        .map((s) => ({ s, p: props(s) }))
        .sort((a, b) => value(a.p.mailbox).localeCompare(value(b.p.mailbox)))
        .map(
          ({ s, p }) =>
            `| ${cell(value(p.mailbox))} | ${cell(value(p.appId))} | ${cell(value(p.accessRights))} | ${stepWords(s.op)} |`,
        ),
    });
  }
  return out;
}
