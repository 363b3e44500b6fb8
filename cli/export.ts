/**
 * `m365-smtp-auth export`: writes a tenant.yaml from a live tenant's current state, so an existing
 * tenant adopts the tool without a change: the first `pulumi up` only records what is there.
 *
 * What it declares: security defaults, the organisation's SMTP AUTH switch, every mailbox with a
 * per-mailbox SMTP AUTH value (an exception), and every user whose legacy per-user MFA is not
 * `disabled`. Exceptions need an owner and an expiry; they come from --owner/--ticket/--expires and
 * are marked for review. The file is validated with the same loader the program uses before it is
 * written.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Document, Scalar, isMap, isScalar, type YAMLMap } from "yaml";
import { DesiredStateError, formatIssue, parseDesiredState, type DesiredState } from "../desired/tenant-yaml.ts";
import { PermissionError, type TenantApi } from "../tenant/api.ts";
import { ApiError } from "../tenant/http.ts";
import { CONNECTION_OPTIONS, CONNECTION_USAGE, connect, settingsFrom } from "./connection.ts";
import { CliError, UsageError, parse, str, type CliIo } from "./io.ts";

export const EXPORT_USAGE = `usage: m365-smtp-auth export --out FILE --owner MAIL [options]

Reads the tenant and writes its SMTP AUTH, security defaults and per-user MFA state as tenant.yaml.

  --out FILE                where to write (refuses to overwrite without --force)
  --owner MAIL              owner recorded for every exception found (required when there are any)
  --ticket ID               ticket recorded for every exception found (default EXPORTED)
  --expires YYYY-MM-DD      expiry recorded for every exception found (default today + 90 days)
  --force                   overwrite --out
${CONNECTION_USAGE}`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  out: { type: "string" },
  owner: { type: "string" },
  ticket: { type: "string" },
  expires: { type: "string" },
  force: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export interface ExportedTenant {
  securityDefaultsEnabled: boolean;
  organizationSmtpAuthDisabled: boolean;
  mailboxExceptions: { mailbox: string; state: "enabled" | "disabled" }[];
  mfa: { user: string; state: "enabled" | "enforced" }[];
}

/**
 * Reads what tenant.yaml can declare; every read that fails is an error. Reads the app lacks the
 * permission for are all reported at once, in one error naming each permission (issue 16.5), so a
 * read-only app is set up in one round trip, not one per missing grant.
 */
export async function readTenant(api: TenantApi): Promise<ExportedTenant> {
  const settled = await Promise.allSettled([
    api.getSecurityDefaults(),
    api.getOrganizationSmtpAuthDisabled(),
    api.listCasMailboxes(true),
    api.graphList("/v1.0/users?$select=id,userPrincipalName&$top=999"),
  ]);
  const missing: string[] = [];
  const value = <T>(r: PromiseSettledResult<T>): T => {
    if (r.status === "fulfilled") return r.value;
    throw r.reason;
  };
  settled.forEach((r, i) => {
    if (r.status === "fulfilled") return;
    const reason: unknown = r.reason;
    // graphList is a raw read: its 403 is the users-read permission.
    const err =
      reason instanceof ApiError && reason.status === 403 && i === 3
        ? new PermissionError("graph.users.read", reason)
        : reason;
    if (err instanceof PermissionError) missing.push(err.message);
  });
  if (missing.length > 0) {
    const mfa =
      settled[3].status === "rejected"
        ? ["per-user MFA (Policy.Read.All) could not be tried without the users list"]
        : [];
    throw new CliError(
      `the app cannot read everything export needs; grant all of these, then run export again:\n${[...missing, ...mfa].map((m) => `  - ${m}`).join("\n")}`,
    );
  }
  const [securityDefaultsEnabled, organizationSmtpAuthDisabled, mailboxes, users] = [
    value(settled[0]),
    value(settled[1]),
    value(settled[2]),
    value(settled[3]),
  ];
  const upns = users.map((u) => String(u.userPrincipalName).toLowerCase());
  const mfaStates = await api.getPerUserMfaMany(upns);
  return {
    securityDefaultsEnabled,
    organizationSmtpAuthDisabled,
    mailboxExceptions: mailboxes
      .filter((m) => m.state !== "inherit")
      .map((m) => ({ mailbox: m.mailbox, state: m.state as "enabled" | "disabled" }))
      .sort((a, b) => a.mailbox.localeCompare(b.mailbox)),
    mfa: upns
      .map((user) => ({ user, state: mfaStates.get(user) }))
      .filter(
        (u): u is { user: string; state: "enabled" | "enforced" } => u.state === "enabled" || u.state === "enforced",
      )
      .sort((a, b) => a.user.localeCompare(b.user)),
  };
}

/**
 * The tenant.yaml text for a tenant's state, built with the yaml library's Document API so that every
 * value is quoted when YAML needs it (issue 17 item 7: an address such as `#ops@contoso.com` written
 * plain became a comment and vanished; `!`, `&` and `*` broke the file). Never fails.
 */
export function renderTenantYaml(
  tenant: ExportedTenant,
  opts: { today: string; owner?: string; ticket: string; expires: string },
): string {
  const exception = (state: "enabled" | "disabled") =>
    state === "enabled" ? { state, owner: opts.owner, ticket: opts.ticket, expires: opts.expires } : state;
  const doc = new Document({
    securityDefaults: {
      enabled: tenant.securityDefaultsEnabled,
      ...(tenant.securityDefaultsEnabled
        ? {}
        : { reason: `Found off on ${opts.today}; state why (the policy pack requires a reason)` }),
    },
    smtpAuth: {
      organization: tenant.organizationSmtpAuthDisabled ? "disabled" : "enabled",
      ...(tenant.mailboxExceptions.length > 0
        ? { mailboxes: Object.fromEntries(tenant.mailboxExceptions.map((m) => [m.mailbox, exception(m.state)])) }
        : {}),
      others: "unmanaged",
    },
    ...(tenant.mfa.length > 0 ? { mfa: { users: Object.fromEntries(tenant.mfa.map((u) => [u.user, u.state])) } } : {}),
  });
  doc.commentBefore =
    ` Exported from the tenant on ${opts.today} by 'm365-smtp-auth export'. Review before committing:\n` +
    " each exception below was found in the tenant; confirm its owner, ticket and expiry.";
  // Layout only: a blank line before each section, one line per exception, the reason in quotes.
  const root = doc.contents as YAMLMap<Scalar<string>, unknown>;
  for (const pair of root.items.slice(1)) pair.key.spaceBefore = true;
  const reason = doc.getIn(["securityDefaults", "reason"], true);
  if (isScalar(reason)) reason.type = Scalar.QUOTE_DOUBLE;
  const mailboxes = doc.getIn(["smtpAuth", "mailboxes"], true);
  if (isMap(mailboxes)) for (const pair of mailboxes.items) if (isMap(pair.value)) pair.value.flow = true;
  return doc.toString({ lineWidth: 0 });
}

/**
 * What a parsed export lost or changed compared with what was read: a guard that the file says what
 * the tenant says, one problem per address. Empty when they agree.
 */
function roundTripProblems(tenant: ExportedTenant, state: DesiredState): string[] {
  const problems: string[] = [];
  const compare = (what: string, read: Map<string, string>, parsed: Map<string, string>) => {
    for (const [address, value] of read)
      if (parsed.get(address) !== value)
        problems.push(`${what} ${address}: the tenant has ${value}, the file says ${parsed.get(address) ?? "nothing"}`);
    for (const address of parsed.keys())
      if (!read.has(address)) problems.push(`${what} ${address}: in the file but not in the tenant`);
  };
  compare(
    "mailbox",
    new Map(tenant.mailboxExceptions.map((m) => [m.mailbox.toLowerCase(), m.state])),
    new Map(state.mailboxes.map((m) => [m.mailbox, m.state])),
  );
  compare(
    "per-user MFA",
    new Map(tenant.mfa.map((u) => [u.user.toLowerCase(), u.state])),
    new Map(state.mfaUsers.map((u) => [u.user, u.state])),
  );
  return problems;
}

export async function runExport(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, OPTIONS);
  if (values.help) {
    io.stdout(`${EXPORT_USAGE}\n`);
    return 0;
  }
  const out = str(values, "out");
  if (!out) throw new UsageError("--out FILE is required");
  if (existsSync(out) && !values.force) throw new UsageError(`${out} exists; pass --force to overwrite it`);
  const today = io.now().toISOString().slice(0, 10);
  const expires = str(values, "expires") ?? new Date(io.now().getTime() + 90 * 86_400_000).toISOString().slice(0, 10);
  const owner = str(values, "owner");

  const tenant = await readTenant(await connect(settingsFrom(values, io)));
  if (!owner && tenant.mailboxExceptions.some((m) => m.state === "enabled")) {
    throw new UsageError("the tenant has SMTP AUTH exceptions; --owner MAIL is required to record who owns them");
  }
  const text = renderTenantYaml(tenant, { today, owner, ticket: str(values, "ticket") ?? "EXPORTED", expires });
  let problems: string[];
  try {
    problems = roundTripProblems(tenant, parseDesiredState(text, out, { today }));
  } catch (err) {
    if (!(err instanceof DesiredStateError)) throw err;
    problems = err.issues.map(formatIssue);
  }
  if (problems.length > 0) {
    // Every problem, one a line (the CLI's error handler prints only an error's first line); they
    // usually come from the options (--owner, --ticket, --expires).
    const n = `${problems.length} ${problems.length === 1 ? "problem" : "problems"}`;
    io.stderr(
      `m365-smtp-auth export: the exported file would not be valid (${n}); nothing was written:\n` +
        problems.map((p) => `  ${p}\n`).join(""),
    );
    return 1;
  }
  mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  writeFileSync(out, text);
  io.stdout(
    `wrote ${out}: security defaults ${tenant.securityDefaultsEnabled ? "on" : "off"}, organization SMTP AUTH ` +
      `${tenant.organizationSmtpAuthDisabled ? "disabled" : "enabled"}, ${tenant.mailboxExceptions.length} mailbox ` +
      `exception(s), ${tenant.mfa.length} user(s) with per-user MFA\n`,
  );
  return 0;
}
