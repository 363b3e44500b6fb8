/**
 * Joins SMTP AUTH usage with tenant.yaml and the gates: for every account that signed in, its
 * declared exception, whether it can send today, after the end-of-December-2026 change and after
 * the 2027 removal, and the path to move it to, with the reason. Also the call-outs: accounts using
 * SMTP AUTH without an exception, exceptions nobody used, exceptions about to expire.
 *
 * Facts come through one FactsReader (facts.ts); a read that fails for lack of permission makes the
 * verdict "unknown", any other failure propagates. No writes.
 */
import type { DesiredState } from "../../desired/tenant-yaml.ts";
import { evaluateGates, type GateFacts, type GateVerdict } from "../../m365/gates.ts";
import { basicAuthSchedule } from "../../m365/schedule.ts";
import type { FactsReader } from "./facts.ts";
import type {
  AccountReadiness,
  AccountUsage,
  DeclaredException,
  RecommendedPath,
  UsageData,
  UsageReport,
  Verdict,
} from "./model.ts";

export interface JoinOptions {
  today: string;
  days: number;
  /** Exceptions expiring within this many days are listed (default 30). */
  expiringWithinDays?: number;
  /** Average successful sign-ins per active day above which High Volume Email is recommended. */
  highVolumePerDay?: number;
}

const DAY = 86_400_000;
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);

function fromGates(v: GateVerdict, passed: string): Verdict {
  if (v.allowed) return { answer: "yes", reason: passed };
  const blocking = v.gates.find((g) => g.id === v.blockingGate);
  if (blocking) return { answer: "no", reason: `${blocking.id}: ${blocking.reason}` };
  const unknown = v.gates.filter((g) => g.status === "unknown").map((g) => g.id);
  return { answer: "unknown", reason: `could not be read: ${unknown.join(", ")}` };
}

/** Today, after the default change and after removal, for a Basic (password) sender. */
function basicVerdicts(facts: GateFacts, today: string): [Verdict, Verdict, Verdict] {
  // Configuration is judged, not the password: the logs show whether the password was right.
  const judged: GateFacts = { ...facts, passwordCorrect: true, accountLocked: false, basicAuthSmtpRetired: false };
  const now = fromGates(evaluateGates(judged), "every gate passes (the device's password taken as right)");
  const removed = fromGates(evaluateGates({ ...judged, basicAuthSmtpRetired: true }), "");
  const offByDefault: Verdict =
    now.answer === "no"
      ? { answer: "no", reason: `already blocked: ${now.reason}` }
      : {
          answer: "if-re-enabled",
          reason:
            "Basic SMTP AUTH is off by default for existing tenants from the end of December 2026: it works only if an admin turns it back on",
        };
  const phase = basicAuthSchedule(today).phase;
  if (phase === "removed") return [removed, removed, removed];
  if (phase !== "available") return [offByDefault, offByDefault, removed];
  return [now, offByDefault, removed];
}

function oauthVerdicts(facts: GateFacts): [Verdict, Verdict, Verdict] {
  const now = fromGates(evaluateGates(facts), "every gate passes for XOAUTH2");
  const same: Verdict = { ...now, reason: `${now.reason} (OAuth is not affected by the Basic schedule)` };
  return [now, same, same];
}

function recommend(
  a: AccountUsage,
  mailbox: string | null,
  desired: DesiredState | null,
  days: number,
  highVolumePerDay: number,
): { path: RecommendedPath; reason: string } {
  if (a.mechanism === "oauth")
    return {
      path: "keep-oauth",
      reason: "already sends with an app-only token (XOAUTH2): unaffected by the Basic deadlines",
    };
  if (a.logins === 0) {
    const codes = Object.entries(a.errorCodes)
      .map(([c, n]) => `${c} ×${n}`)
      .join(", ");
    return {
      path: "keep-off",
      reason: `no successful SMTP AUTH sign-in in ${days} days (failed: ${codes}): nothing needs SMTP AUTH here; keep it off`,
    };
  }
  const app = desired?.oauthApps.find((x) => x.mailbox === mailbox);
  if (app)
    return {
      path: "oauth",
      reason: `tenant.yaml already declares the OAuth app '${app.name}' for this mailbox: switch the sender to XOAUTH2 with a client-credentials token`,
    };
  const activeDays = Object.keys(a.perDay).length || 1;
  const perDay = Math.round(a.logins / activeDays);
  if (perDay > highVolumePerDay)
    return {
      path: "high-volume-email",
      reason: `about ${perDay} sign-ins a day: High Volume Email takes this volume (internal recipients only; Basic accepted until September 2028)`,
    };
  if (a.ipAddresses.length === 1)
    return {
      path: "connector",
      reason: `always signs in from ${a.ipAddresses[0]}: a device at one fixed address can relay through an IP-restricted inbound connector, with no password at all (needs a static public IP)`,
    };
  return {
    path: "graph-sendmail",
    reason: `signs in from ${a.ipAddresses.length} addresses, like an application: Microsoft Graph sendMail with an app registration replaces SMTP AUTH (or XOAUTH2 if it must stay on SMTP)`,
  };
}

/**
 * Builds the report. Accounts keep the order of `usage.accounts`; facts are read a few accounts at a
 * time. Throws whatever the FactsReader throws for a failure other than a missing permission.
 */
export async function buildReport(
  usage: UsageData,
  desired: DesiredState | null,
  readFacts: FactsReader,
  opts: JoinOptions,
): Promise<UsageReport> {
  const expiringWithinDays = opts.expiringWithinDays ?? 30;
  const exceptions = new Map<string, DeclaredException>();
  for (const m of desired?.mailboxes ?? []) {
    if (m.state !== "enabled") continue;
    exceptions.set(m.mailbox, { owner: m.owner ?? null, ticket: m.ticket ?? null, expires: m.expires ?? null });
  }
  const appMailbox = new Map<string, string>();
  for (const app of desired?.oauthApps ?? []) if (app.kind === "existing") appMailbox.set(app.appId, app.mailbox);

  const accounts: AccountReadiness[] = [];
  const queue = [...usage.accounts];
  const worker = async () => {
    for (let a = queue.shift(); a; a = queue.shift()) accounts.push(await readiness(a));
  };
  const readiness = async (a: AccountUsage): Promise<AccountReadiness> => {
    const mailbox = a.kind === "user" ? a.account : (appMailbox.get(a.account) ?? null);
    let verdicts: [Verdict, Verdict, Verdict];
    if (mailbox === null) {
      const v: Verdict = {
        answer: "unknown",
        reason: "tenant.yaml declares no mailbox for this app (oauth.apps), so its mailbox gates were not read",
      };
      verdicts = [v, v, v];
    } else if (a.mechanism === "basic") {
      verdicts = basicVerdicts(await readFacts(mailbox, "basic"), opts.today);
    } else {
      verdicts = oauthVerdicts(await readFacts(mailbox, "oauth", a.kind === "app" ? a.account : undefined));
    }
    return {
      ...a,
      mailbox,
      exception: mailbox !== null ? (exceptions.get(mailbox) ?? null) : null,
      today: verdicts[0],
      afterDefaultOff: verdicts[1],
      afterRemoval: verdicts[2],
      recommendation: recommend(a, mailbox, desired, opts.days, opts.highVolumePerDay ?? 300),
    };
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const order = new Map(usage.accounts.map((a, i) => [`${a.mechanism}:${a.account}`, i]));
  accounts.sort((x, y) => order.get(`${x.mechanism}:${x.account}`)! - order.get(`${y.mechanism}:${y.account}`)!);

  const used = new Set(accounts.filter((a) => a.mailbox !== null).map((a) => a.mailbox!));
  return {
    today: opts.today,
    days: opts.days,
    source: usage.source,
    since: usage.since,
    until: usage.until,
    tenantFile: desired?.file ?? null,
    accounts,
    undeclared: accounts
      .filter((a) => a.mechanism === "basic" && a.logins > 0 && a.exception === null)
      .map((a) => a.account)
      .sort(),
    unused: [...exceptions]
      .filter(([mailbox]) => !used.has(mailbox))
      .map(([mailbox, e]) => ({ mailbox, owner: e.owner, expires: e.expires })),
    expiring: [...exceptions]
      .filter(([, e]) => e.expires !== null && daysBetween(opts.today, e.expires) <= expiringWithinDays)
      .map(([mailbox, e]) => ({
        mailbox,
        owner: e.owner,
        expires: e.expires!,
        daysLeft: daysBetween(opts.today, e.expires!),
      }))
      .sort((x, y) => x.daysLeft - y.daysLeft),
    expiringWithinDays,
  };
}
