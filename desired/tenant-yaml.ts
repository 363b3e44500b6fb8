/**
 * Desired state: load and validate a stack's tenant.yaml into the resource inputs of
 * providers/types.ts. Validation runs before anything touches the tenant, collects every problem in
 * the file, and reports each one with file, line, column and key path (issue 4 item 1).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from "yaml";
import type {
  ExceptionRecord,
  MailboxSmtpAuthInputs,
  OrganizationSmtpAuthInputs,
  PerUserMfaInputs,
  SecurityDefaultsInputs,
} from "../providers/types.ts";
import { MAILBOX_SMTP_AUTH_STATES, ORGANIZATION_SMTP_AUTH_STATES, PER_USER_MFA_STATES } from "../m365/model.ts";

/** A 1-based position in the source file. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** What `smtpAuth.others` asks for mailboxes that are not listed under `smtpAuth.mailboxes`. */
export const OTHERS_POLICIES = ["unmanaged", "inherit"] as const;
export type OthersPolicy = (typeof OTHERS_POLICIES)[number];

/** What `mfa.others` asks for users that are not listed under `mfa.users` (issue 15.5). */
export const MFA_OTHERS_POLICIES = ["unmanaged", "enabled", "enforced"] as const;
export type MfaOthersPolicy = (typeof MFA_OTHERS_POLICIES)[number];

export { MAILBOX_SMTP_AUTH_STATES, ORGANIZATION_SMTP_AUTH_STATES, PER_USER_MFA_STATES };

/**
 * A validated tenant.yaml. An absent section is unmanaged: its inputs are `undefined` (or an empty
 * list), and the program declares no resource for it. Addresses are lower case; lists keep file order.
 */
export interface DesiredState {
  /** The file as it was named to the loader; used in every message that cites a position. */
  file: string;
  securityDefaults?: SecurityDefaultsInputs;
  organizationSmtpAuth?: OrganizationSmtpAuthInputs;
  mailboxes: MailboxSmtpAuthInputs[];
  othersPolicy: OthersPolicy;
  mfaUsers: PerUserMfaInputs[];
  /** `mfa.others`: per-user MFA for every user not listed under `mfa.users`; default `unmanaged`. */
  mfaOthers: MfaOthersPolicy;
  /** Issue 8: apps that send over SMTP with OAuth (XOAUTH2), in file order; `[]` when `oauth` is absent. */
  oauthApps: OAuthAppDeclaration[];
  /** Issue 8: the Conditional Access baseline, when declared. */
  conditionalAccessBaseline?: ConditionalAccessBaselineDeclaration;
  /**
   * Where each declared key starts, by key path with lower-case addresses, e.g.
   * `smtpAuth.mailboxes.scanner@contoso.com` or `smtpAuth.mailboxes.scanner@contoso.com.expires`.
   * The doctor and the PR comment use it to cite `file:line`.
   */
  locations: Map<string, SourcePosition>;
}

// ---- Issue 8: OAuth for SMTP and the Conditional Access baseline ---------------------------------

/** What every OAuth app declaration has. */
interface OAuthAppCommon {
  /** The key under `oauth.apps`; names the resources (letters, digits and dashes). */
  name: string;
  /** The mailbox the app sends as, lower case. */
  mailbox: string;
  /** Display name for a created app registration, or for the Exchange service principal. */
  displayName?: string;
}

/** An app registration that already exists: the program registers it in Exchange and grants FullAccess. */
export interface ExistingOAuthApp extends OAuthAppCommon {
  kind: "existing";
  /** Application (client) id, lower case. */
  appId: string;
  /** Object id of the app's service principal (the enterprise application), lower case. */
  servicePrincipalObjectId: string;
}

/** How a created app proves itself: a client secret (a Pulumi secret output) or a public certificate. */
export type OAuthCredential =
  | { type: "password"; expires?: string }
  | {
      type: "certificate";
      /** The certificate file as written in tenant.yaml (relative to it). */
      file: string;
      /** Its PEM text: a public certificate only, never a private key. */
      pem: string;
      expires?: string;
    };

/** `create: true`: the app registration, its service principal and SMTP.SendAsApp with admin consent are declared with @pulumi/azuread. */
export interface CreatedOAuthApp extends OAuthAppCommon {
  kind: "create";
  credential: OAuthCredential;
}

export type OAuthAppDeclaration = ExistingOAuthApp | CreatedOAuthApp;

export const CONDITIONAL_ACCESS_STATES = ["reportOnly", "on"] as const;
export type ConditionalAccessBaselineState = (typeof CONDITIONAL_ACCESS_STATES)[number];

/** `conditionalAccessBaseline`: three Conditional Access policies that replace security defaults. */
export interface ConditionalAccessBaselineDeclaration {
  /** reportOnly → enabledForReportingButNotEnforced; on → enabled. */
  state: ConditionalAccessBaselineState;
  /** User principal names excluded from "require MFA for all users" (lower case, file order). */
  serviceAccounts: string[];
  /** Emergency-access accounts excluded from every policy of the baseline (lower case, at least one). */
  breakGlass: string[];
}

/** One problem in a tenant.yaml. `line`/`column` are 1-based; 0 when the file could not be read. */
export interface DesiredStateIssue {
  file: string;
  line: number;
  column: number;
  /** Key path such as `smtpAuth.mailboxes.scanner@contoso.com.owner`; empty for file-level problems. */
  key: string;
  message: string;
}

export interface DesiredStateOptions {
  /** Today's date, YYYY-MM-DD (UTC), for the expiry check; defaults to the current UTC date. */
  today?: string;
}

/**
 * Thrown when a tenant.yaml is unreadable or invalid. It carries every problem found, not just the
 * first, and its message lists them one per line as `file:line:column key: message`. Messages quote
 * at most a short scalar from the file, never a whole node.
 */
export class DesiredStateError extends Error {
  override readonly name = "DesiredStateError";
  readonly code = "DESIRED_STATE_INVALID";
  readonly issues: DesiredStateIssue[];

  constructor(issues: DesiredStateIssue[]) {
    const file = issues[0]?.file ?? "tenant.yaml";
    const n = issues.length;
    super(
      `${file}: ${n} ${n === 1 ? "problem" : "problems"} in the desired state; nothing was sent to the tenant\n` +
        issues.map((i) => `  ${formatIssue(i)}`).join("\n"),
    );
    this.issues = issues;
  }
}

/** `file:line:column key: message`, the form used in DesiredStateError's message. */
export function formatIssue(issue: DesiredStateIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  return `${where} ${issue.key ? `${issue.key}: ` : ""}${issue.message}`;
}

/**
 * Reads and validates a tenant.yaml. Throws DesiredStateError (code DESIRED_STATE_INVALID) listing
 * every problem, including an unreadable file; never returns a partially valid state.
 */
export function loadDesiredState(file: string, opts: DesiredStateOptions = {}): DesiredState {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "unknown error";
    throw new DesiredStateError([{ file, line: 0, column: 0, key: "", message: `cannot read the file (${code})` }]);
  }
  return parseDesiredState(text, file, opts);
}

/** Validates tenant.yaml text; `file` names it in messages. Same failure semantics as loadDesiredState. */
export function parseDesiredState(text: string, file: string, opts: DesiredStateOptions = {}): DesiredState {
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  if (!isValidDate(today)) throw new Error(`[today] must be a date YYYY-MM-DD, got ${show(today)}`);
  const v = new Validator(text, file, today);
  const state = v.run();
  if (v.issues.length > 0 || !state) throw new DesiredStateError(v.sortedIssues());
  return state;
}

// ---------------------------------------------------------------------------------------------------------------

const TOP_KEYS = ["securityDefaults", "smtpAuth", "mfa", "oauth", "conditionalAccessBaseline"] as const;
const SECURITY_DEFAULTS_KEYS = ["enabled", "reason", "conditionalAccessBaseline", "riskAcceptance"] as const;
const RISK_ACCEPTANCE_KEYS = ["owner", "ticket", "expires"] as const;
const SMTP_AUTH_KEYS = ["organization", "mailboxes", "others"] as const;
const EXCEPTION_KEYS = ["state", "owner", "ticket", "expires"] as const;
const MFA_KEYS = ["users", "others"] as const;
const OAUTH_KEYS = ["apps"] as const;
const OAUTH_APP_KEYS = ["mailbox", "appId", "servicePrincipalObjectId", "create", "displayName", "credential"] as const;
const CREDENTIAL_KEYS = ["type", "file", "expires"] as const;
const CREDENTIAL_TYPES = ["password", "certificate"] as const;
const CA_BASELINE_KEYS = ["state", "serviceAccounts", "breakGlass"] as const;
/** App names become resource names: `exchange-sp-<name>`, `oauth-app-<name>`. */
const APP_NAME = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where a key that is unknown at one level belongs, when it is a known key elsewhere. */
const BELONGS_UNDER: Record<string, string> = {
  organization: "smtpAuth",
  mailboxes: "smtpAuth",
  others: "smtpAuth",
  users: "mfa",
  apps: "oauth",
  serviceAccounts: "conditionalAccessBaseline",
  breakGlass: "conditionalAccessBaseline",
  state: "an entry under smtpAuth.mailboxes or mfa.users",
};

/** A pragmatic address check: one @, a dot-atom local part, and a domain with a dotted, alphabetic TLD. */
const ADDRESS =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** @internal */
export function isMailAddress(s: string): boolean {
  return s.length <= 254 && ADDRESS.test(s) && (s.split("@")[0]?.length ?? 0) <= 64;
}

/** @internal */
export function isValidDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** True for a value written as nothing at all (`key:` with nothing after it). */
function isEmpty(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null && node.source === "");
}

/** A short, safe rendering of a scalar from the file: strings are quoted and capped, never dumped whole. */
function show(value: unknown): string {
  if (typeof value === "string") {
    if (value.length > 40) return `a ${value.length}-character string`;
    return JSON.stringify(value);
  }
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return "a value";
}

/** Describes a node's kind for "must be X, not Y" messages, quoting scalars with show(). */
function describe(node: unknown): string {
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return "an empty value";
    if (typeof v === "string") return `the string ${show(v)}`;
    if (typeof v === "number") return `the number ${show(v)}`;
    if (typeof v === "boolean") return `the boolean ${show(v)}`;
    return show(v);
  }
  return "an empty value";
}

/** Plain Levenshtein distance, enough for typo suggestions on short key names. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] ?? 0;
      row[j] = Math.min(cur + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] ?? 0;
}

/** @internal The closest known key to a misspelt one, or undefined when none is close. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(lower, k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  const limit = Math.max(2, Math.floor((best?.length ?? 0) / 3));
  return bestD <= limit ? best : undefined;
}

interface Entry {
  key: string;
  path: string;
  keyNode: unknown;
  value: unknown;
}

class Validator {
  readonly issues: DesiredStateIssue[] = [];
  private readonly locations = new Map<string, SourcePosition>();
  private readonly lines = new LineCounter();
  private readonly text: string;
  private readonly file: string;
  private readonly today: string;

  constructor(text: string, file: string, today: string) {
    this.text = text;
    this.file = file;
    this.today = today;
  }

  sortedIssues(): DesiredStateIssue[] {
    // Stable sort: problems at one position keep the order in which they were found.
    return [...this.issues].sort((a, b) => a.line - b.line || a.column - b.column);
  }

  run(): DesiredState | undefined {
    // uniqueKeys off: duplicates are reported by this validator, with positions and case-insensitively.
    const doc = parseDocument(this.text, { lineCounter: this.lines, uniqueKeys: false, prettyErrors: false });
    const syntax = [...doc.errors, ...doc.warnings];
    for (const e of syntax) {
      const message =
        e.code === "MULTIPLE_DOCS"
          ? "the file must hold a single YAML document; remove the second `---`"
          : `${e.name === "YAMLWarning" ? "YAML" : "YAML syntax error"}: ${e.message.split("\n")[0] ?? ""}`;
      this.issueAt(e.pos[0], "", message);
    }
    if (syntax.length > 0) return undefined;

    const root = doc.contents;
    if (root === null || (isScalar(root) && root.value === null)) {
      this.issues.push({
        file: this.file,
        line: 1,
        column: 1,
        key: "",
        message: `the file is empty; declare at least one of ${TOP_KEYS.join(", ")} (an absent section is left unmanaged)`,
      });
      return undefined;
    }
    if (!isMap(root)) {
      this.issueAtNode(
        root,
        "",
        `the file must be a mapping with the keys ${TOP_KEYS.join(", ")}, not ${describe(root)}`,
      );
      return undefined;
    }

    const top = this.mapping(root, "", TOP_KEYS);
    const state: DesiredState = {
      file: this.file,
      mailboxes: [],
      othersPolicy: "unmanaged",
      mfaUsers: [],
      mfaOthers: "unmanaged",
      oauthApps: [],
      locations: this.locations,
    };
    const sd = top?.get("securityDefaults");
    if (sd) state.securityDefaults = this.securityDefaults(sd);
    const smtp = top?.get("smtpAuth");
    if (smtp) this.smtpAuth(smtp, state);
    const mfa = top?.get("mfa");
    if (mfa) this.mfa(mfa, state);
    const oauth = top?.get("oauth");
    if (oauth) state.oauthApps = this.oauth(oauth);
    const cab = top?.get("conditionalAccessBaseline");
    if (cab) {
      const baseline = this.conditionalAccessBaseline(cab);
      if (baseline) state.conditionalAccessBaseline = baseline;
      // Entra refuses to turn Conditional Access policies on while security defaults are on (fact sheet §1.4).
      if (baseline?.state === "on" && state.securityDefaults?.enabled !== false) {
        const at = this.locations.get(`${cab.path}.state`) ?? this.pos(cab.keyNode);
        this.issues.push({
          file: this.file,
          ...at,
          key: `${cab.path}.state`,
          message:
            "state: on needs securityDefaults.enabled: false declared (Entra refuses to turn Conditional Access policies on while security defaults are on); use state: reportOnly until then",
        });
      }
    }
    return state;
  }

  // --- issue 8: oauth and conditionalAccessBaseline ----------------------------------------------------------

  private oauth(e: Entry): OAuthAppDeclaration[] {
    const m = this.mapping(e.value, e.path, OAUTH_KEYS, e.keyNode);
    const apps = m?.get("apps");
    if (!m) return [];
    if (!apps) {
      this.issueAtNode(e.keyNode, `${e.path}.apps`, "missing; declare the apps under oauth.apps, or remove oauth");
      return [];
    }
    if (!isMap(apps.value)) {
      this.issueAtValue(
        apps.value,
        apps.keyNode,
        apps.path,
        `must be a mapping of app names to { mailbox, appId, servicePrincipalObjectId } or { mailbox, create: true, credential }, not ${describe(apps.value)}`,
      );
      return [];
    }
    const out: OAuthAppDeclaration[] = [];
    const byAppId = new Map<string, Entry>();
    for (const pair of apps.value.items) {
      const name = this.keyName(pair.key, pair.value, apps.path);
      if (name === undefined) continue;
      const entry: Entry = { key: name, path: `${apps.path}.${name}`, keyNode: pair.key, value: pair.value };
      if (!APP_NAME.test(name)) {
        this.issueAtNode(
          pair.key,
          entry.path,
          `${show(name)} is not a valid app name; use letters, digits and dashes (at most 40)`,
        );
        continue;
      }
      if (out.some((a) => a.name.toLowerCase() === name.toLowerCase()) || this.locations.has(entry.path)) {
        this.issueAtNode(pair.key, entry.path, "duplicate app name");
        continue;
      }
      this.locations.set(entry.path, this.pos(pair.key));
      const app = this.oauthApp(entry);
      if (!app) continue;
      if (app.kind === "existing") {
        const first = byAppId.get(app.appId);
        if (first) {
          this.issueAtNode(
            entry.keyNode,
            `${entry.path}.appId`,
            `app ${app.appId} is already declared as ${first.key} (line ${this.pos(first.keyNode).line}); one app, one mailbox`,
          );
          continue;
        }
        byAppId.set(app.appId, entry);
      }
      out.push(app);
    }
    return out;
  }

  private oauthApp(e: Entry): OAuthAppDeclaration | undefined {
    const m = this.mapping(e.value, e.path, OAUTH_APP_KEYS, e.keyNode);
    if (!m) return undefined;
    let ok = true;
    const mailboxEntry = m.get("mailbox");
    let mailbox: string | undefined;
    if (mailboxEntry) mailbox = this.address(mailboxEntry);
    else this.issueAtNode(e.keyNode, `${e.path}.mailbox`, "missing; the mailbox the app sends as (a mail address)");
    if (mailbox === undefined) ok = false;
    let displayName: string | undefined;
    const dn = m.get("displayName");
    if (dn) {
      displayName = this.string(dn);
      if (displayName === undefined) ok = false;
    }
    const createEntry = m.get("create");
    const create = createEntry ? this.bool(createEntry) : false;
    if (create === undefined) return undefined;
    const appIdEntry = m.get("appId");
    const spEntry = m.get("servicePrincipalObjectId");
    const credentialEntry = m.get("credential");

    if (create) {
      for (const extra of [appIdEntry, spEntry]) {
        if (extra) {
          this.issueAtNode(
            extra.keyNode,
            extra.path,
            "create: true declares a new app registration; remove appId and servicePrincipalObjectId, or remove create to use an existing app",
          );
          ok = false;
        }
      }
      if (!credentialEntry) {
        this.issueAtNode(
          e.keyNode,
          `${e.path}.credential`,
          "a created app needs a credential: { type: password } or { type: certificate, file: <public certificate .pem> }",
        );
        return undefined;
      }
      const credential = this.credential(credentialEntry);
      if (!credential || !ok || mailbox === undefined) return undefined;
      const app: CreatedOAuthApp = { kind: "create", name: e.key, mailbox, credential };
      if (displayName !== undefined) app.displayName = displayName;
      return app;
    }

    if (credentialEntry) {
      this.issueAtNode(
        credentialEntry.keyNode,
        credentialEntry.path,
        "a credential is declared only with create: true; an existing app keeps the credentials it has",
      );
      ok = false;
    }
    if (!appIdEntry && !spEntry) {
      this.issueAtNode(
        e.keyNode,
        e.path,
        "declare an existing app with appId and servicePrincipalObjectId, or a new one with create: true",
      );
      return undefined;
    }
    const appId = appIdEntry ? this.guid(appIdEntry, "the application (client) id") : undefined;
    if (!appIdEntry) {
      this.issueAtNode(e.keyNode, `${e.path}.appId`, "missing; the application (client) id of the app registration");
    }
    const sp = spEntry ? this.guid(spEntry, "the enterprise application's object id") : undefined;
    if (!spEntry) {
      this.issueAtNode(
        e.keyNode,
        `${e.path}.servicePrincipalObjectId`,
        "missing; the object id of the app's enterprise application (service principal), which New-ServicePrincipal needs",
      );
    }
    if (appId !== undefined && sp !== undefined && appId === sp && spEntry) {
      this.issueAtValue(
        spEntry.value,
        spEntry.keyNode,
        spEntry.path,
        "is the app id; give the enterprise application's object id (Entra ID > Enterprise applications > Object ID)",
      );
      return undefined;
    }
    if (!ok || mailbox === undefined || appId === undefined || sp === undefined) return undefined;
    const app: ExistingOAuthApp = { kind: "existing", name: e.key, mailbox, appId, servicePrincipalObjectId: sp };
    if (displayName !== undefined) app.displayName = displayName;
    return app;
  }

  private credential(e: Entry): OAuthCredential | undefined {
    const m = this.mapping(e.value, e.path, CREDENTIAL_KEYS, e.keyNode);
    if (!m) return undefined;
    const typeEntry = m.get("type");
    if (!typeEntry) {
      this.issueAtNode(e.keyNode, `${e.path}.type`, `missing type; allowed: ${CREDENTIAL_TYPES.join(", ")}`);
      return undefined;
    }
    const type = this.oneOf(typeEntry, CREDENTIAL_TYPES, "type");
    const out: { expires?: string } = {};
    const extrasOk = this.exceptionExtras(m, out);
    const fileEntry = m.get("file");
    if (type === "password") {
      if (fileEntry) {
        this.issueAtNode(fileEntry.keyNode, fileEntry.path, "a file is only for type: certificate");
        return undefined;
      }
      return extrasOk ? { type, ...out } : undefined;
    }
    if (type !== "certificate") return undefined;
    if (!fileEntry) {
      this.issueAtNode(
        e.keyNode,
        `${e.path}.file`,
        "missing; the public certificate (.pem) the device signs with, relative to this file",
      );
      return undefined;
    }
    const file = this.string(fileEntry);
    if (file === undefined) return undefined;
    let pem: string;
    try {
      pem = readFileSync(path.resolve(path.dirname(this.file), file), "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "unknown error";
      this.issueAtValue(fileEntry.value, fileEntry.keyNode, fileEntry.path, `cannot read ${show(file)} (${code})`);
      return undefined;
    }
    if (/PRIVATE KEY/.test(pem)) {
      // Never let a private key reach the program, the state or a pull request.
      this.issueAtValue(
        fileEntry.value,
        fileEntry.keyNode,
        fileEntry.path,
        `${show(file)} holds a private key; give only the public certificate (-----BEGIN CERTIFICATE-----) and keep the key on the device`,
      );
      return undefined;
    }
    if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
      this.issueAtValue(fileEntry.value, fileEntry.keyNode, fileEntry.path, `${show(file)} is not a PEM certificate`);
      return undefined;
    }
    return extrasOk ? { type, file, pem, ...out } : undefined;
  }

  private conditionalAccessBaseline(e: Entry): ConditionalAccessBaselineDeclaration | undefined {
    const m = this.mapping(e.value, e.path, CA_BASELINE_KEYS, e.keyNode);
    if (!m) return undefined;
    const stateEntry = m.get("state");
    let state: ConditionalAccessBaselineState | undefined;
    if (stateEntry) state = this.oneOf(stateEntry, CONDITIONAL_ACCESS_STATES, "state");
    else {
      this.issueAtNode(
        e.keyNode,
        `${e.path}.state`,
        `missing state; allowed: ${CONDITIONAL_ACCESS_STATES.join(", ")} (start with reportOnly)`,
      );
    }
    const sa = m.get("serviceAccounts");
    const serviceAccounts = sa ? this.addressList(sa) : [];
    const bg = m.get("breakGlass");
    let breakGlass: string[] | undefined;
    if (bg) {
      breakGlass = this.addressList(bg);
      if (breakGlass?.length === 0) {
        this.issueAtValue(bg.value, bg.keyNode, bg.path, "must list at least one emergency-access account");
        breakGlass = undefined;
      }
    } else {
      this.issueAtNode(
        e.keyNode,
        `${e.path}.breakGlass`,
        "missing; list at least one emergency-access account, excluded from every policy so a mistake cannot lock every admin out",
      );
    }
    if (!state || !serviceAccounts || !breakGlass) return undefined;
    return { state, serviceAccounts, breakGlass };
  }

  /** A list of mail addresses, lower-cased; duplicates (ignoring case) are reported. */
  private addressList(e: Entry): string[] | undefined {
    if (!isSeq(e.value)) {
      this.issueAtValue(
        e.value,
        e.keyNode,
        e.path,
        `must be a list of mail addresses, not ${describe(e.value)}; write [] for none`,
      );
      return undefined;
    }
    const out: string[] = [];
    let ok = true;
    e.value.items.forEach((item, i) => {
      const a = this.address({ key: String(i), path: `${e.path}[${i}]`, keyNode: item, value: item });
      if (a === undefined) ok = false;
      else if (out.includes(a)) {
        this.issueAtNode(
          item,
          `${e.path}[${i}]`,
          `duplicate address ${show(a)} (addresses are compared ignoring case)`,
        );
        ok = false;
      } else out.push(a);
    });
    return ok ? out : undefined;
  }

  private guid(e: Entry, what: string): string | undefined {
    const s = this.string(e);
    if (s === undefined) return undefined;
    if (!GUID.test(s)) {
      this.issueAtValue(
        e.value,
        e.keyNode,
        e.path,
        `must be ${what}, a GUID such as 00000000-0000-0000-0000-000000000000, not ${show(s)}`,
      );
      return undefined;
    }
    return s.toLowerCase();
  }

  // --- sections ------------------------------------------------------------------------------------------------

  private securityDefaults(e: Entry): SecurityDefaultsInputs | undefined {
    const m = this.mapping(e.value, e.path, SECURITY_DEFAULTS_KEYS, e.keyNode);
    if (!m) return undefined;
    const out: Partial<SecurityDefaultsInputs> = {};
    const enabled = m.get("enabled");
    if (enabled) {
      const b = this.bool(enabled);
      if (b !== undefined) out.enabled = b;
    } else {
      this.issueAtNode(e.keyNode, `${e.path}.enabled`, "missing; write enabled: true or enabled: false");
    }
    const reason = m.get("reason");
    if (reason) {
      const s = this.string(reason);
      if (s !== undefined) out.reason = s;
    }
    const cab = m.get("conditionalAccessBaseline");
    if (cab) {
      const b = this.bool(cab);
      if (b !== undefined) out.conditionalAccessBaseline = b;
    }
    const ra = m.get("riskAcceptance");
    if (ra) {
      const rm = this.mapping(ra.value, ra.path, RISK_ACCEPTANCE_KEYS, ra.keyNode);
      if (rm) {
        const owner = rm.get("owner");
        const r: Partial<NonNullable<SecurityDefaultsInputs["riskAcceptance"]>> = {};
        if (owner) {
          const a = this.address(owner);
          if (a !== undefined) r.owner = a;
        } else {
          this.issueAtNode(ra.keyNode, `${ra.path}.owner`, "a risk acceptance needs an owner (a mail address)");
        }
        this.exceptionExtras(rm, r);
        if (r.owner !== undefined) out.riskAcceptance = { owner: r.owner, ...r };
      }
    }
    return out.enabled === undefined ? undefined : { ...out, enabled: out.enabled };
  }

  private smtpAuth(e: Entry, state: DesiredState): void {
    const m = this.mapping(e.value, e.path, SMTP_AUTH_KEYS, e.keyNode);
    if (!m) return;
    const org = m.get("organization");
    if (org) {
      const s = this.oneOf(org, ORGANIZATION_SMTP_AUTH_STATES, "state");
      if (s) state.organizationSmtpAuth = { state: s };
    }
    const others = m.get("others");
    if (others) {
      const o = this.oneOf(others, OTHERS_POLICIES, "value");
      if (o) state.othersPolicy = o;
    }
    const mailboxes = m.get("mailboxes");
    if (!mailboxes) return;
    for (const entry of this.addressMap(mailboxes, "mailbox")) {
      const r = this.stateEntry(entry, MAILBOX_SMTP_AUTH_STATES);
      if (!r) continue;
      const mb: MailboxSmtpAuthInputs = { mailbox: entry.key, state: r.state, ...r.extras };
      if (mb.state === "enabled") {
        if (r.short) {
          this.issueAtNode(
            entry.keyNode,
            entry.path,
            "an SMTP AUTH exception needs an owner and an expiry; write { state: enabled, owner: <mail address>, ticket: <change ticket>, expires: YYYY-MM-DD }",
          );
          continue;
        }
        const problems = [!r.present.has("owner"), !r.present.has("expires")];
        if (problems[0])
          this.issueAtNode(entry.keyNode, `${entry.path}.owner`, "an SMTP AUTH exception needs an owner");
        if (problems[1]) {
          this.issueAtNode(
            entry.keyNode,
            `${entry.path}.expires`,
            "an SMTP AUTH exception needs an expiry date (expires: YYYY-MM-DD)",
          );
        }
        if (problems.some(Boolean)) continue;
      }
      if (r.valid) state.mailboxes.push(mb);
    }
  }

  private mfa(e: Entry, state: DesiredState): void {
    const m = this.mapping(e.value, e.path, MFA_KEYS, e.keyNode);
    const others = m?.get("others");
    if (others) {
      const o = this.oneOf(others, MFA_OTHERS_POLICIES, "value");
      if (o) state.mfaOthers = o;
    }
    const users = m?.get("users");
    if (!users) return;
    for (const entry of this.addressMap(users, "user")) {
      const r = this.stateEntry(entry, PER_USER_MFA_STATES);
      if (r?.valid) state.mfaUsers.push({ user: entry.key, state: r.state, ...r.extras });
    }
  }

  /**
   * A per-address entry: a bare state (short form) or { state, owner?, ticket?, expires? } (long form).
   * `valid` is false when any field was reported; the state is still returned so that rules that
   * depend on it (an exception needs an owner and an expiry) are checked too.
   */
  private stateEntry<S extends string>(
    entry: Entry,
    allowed: readonly S[],
  ): { state: S; short: boolean; valid: boolean; present: Set<string>; extras: ExceptionRecord } | undefined {
    if (isMap(entry.value)) {
      const m = this.mapping(entry.value, entry.path, EXCEPTION_KEYS, entry.keyNode);
      if (!m) return undefined;
      const stateEntry = m.get("state");
      let state: S | undefined;
      if (stateEntry) state = this.oneOf(stateEntry, allowed, "state");
      else this.issueAtNode(entry.keyNode, `${entry.path}.state`, `missing state; allowed: ${allowed.join(", ")}`);
      const extras: ExceptionRecord = {};
      const owner = m.get("owner");
      if (owner) {
        const a = this.address(owner);
        if (a !== undefined) extras.owner = a;
      }
      const valid = this.exceptionExtras(m, extras) && (!owner || extras.owner !== undefined);
      return state ? { state, short: false, valid, present: new Set(m.keys()), extras } : undefined;
    }
    const state = this.oneOf(entry, allowed, "state", ` or a mapping { ${EXCEPTION_KEYS.join(", ")} }`);
    return state ? { state, short: true, valid: true, present: new Set(), extras: {} } : undefined;
  }

  /** ticket and expires, shared by exceptions and risk acceptances. False when either is invalid. */
  private exceptionExtras(m: Map<string, Entry>, out: { ticket?: string; expires?: string }): boolean {
    let ok = true;
    const ticket = m.get("ticket");
    if (ticket) {
      const t = this.string(ticket, '; write a ticket id such as CHG-1042, and quote a number ("1042")');
      if (t === undefined) ok = false;
      else out.ticket = t;
    }
    const expires = m.get("expires");
    if (expires) {
      const d = this.date(expires);
      if (d === undefined) ok = false;
      else out.expires = d;
    }
    return ok;
  }

  // --- structure -----------------------------------------------------------------------------------------------

  /**
   * A mapping with a fixed set of keys: reports a non-mapping, non-string keys, duplicates and unknown
   * keys (with the closest known key), records each known key's location, and returns them by name.
   */
  private mapping(
    node: unknown,
    path: string,
    known: readonly string[],
    keyNode?: unknown,
  ): Map<string, Entry> | undefined {
    if (!isMap(node)) {
      const message = isEmpty(node)
        ? `is empty; write one of the keys ${known.join(", ")}, or remove it to leave it unmanaged`
        : `must be a mapping with the keys ${known.join(", ")}, not ${describe(node)}; remove it to leave it unmanaged`;
      this.issueAtValue(node, keyNode, path, message);
      return undefined;
    }
    const out = new Map<string, Entry>();
    for (const pair of node.items) {
      const k = this.keyName(pair.key, pair.value, path);
      if (k === undefined) continue;
      const p = path ? `${path}.${k}` : k;
      if (!known.includes(k)) {
        const suggestion = closestKey(k, known);
        const elsewhere = BELONGS_UNDER[k];
        const hint = suggestion
          ? `did you mean "${suggestion}"? `
          : elsewhere
            ? `"${k}" belongs under ${elsewhere}. `
            : isMailAddress(k) && known.includes("mailboxes")
              ? "mailbox addresses belong under smtpAuth.mailboxes. "
              : "";
        this.issueAtNode(pair.key, p, `unknown key; ${hint}Known keys here: ${known.join(", ")}`);
        continue;
      }
      const first = out.get(k);
      if (first) {
        this.issueAtNode(pair.key, p, `duplicate key; first declared at line ${this.pos(first.keyNode).line}`);
        continue;
      }
      out.set(k, { key: k, path: p, keyNode: pair.key, value: pair.value });
      this.locations.set(p, this.pos(pair.key));
    }
    return out;
  }

  /** A mapping keyed by mail address: validates and lower-cases each, and rejects case-insensitive duplicates. */
  private addressMap(e: Entry, what: "mailbox" | "user"): Entry[] {
    if (!isMap(e.value)) {
      this.issueAtValue(
        e.value,
        e.keyNode,
        e.path,
        `must be a mapping of ${what} addresses, not ${describe(e.value)}; write {} for none`,
      );
      return [];
    }
    const out: Entry[] = [];
    const seen = new Map<string, Entry>();
    for (const pair of e.value.items) {
      const raw = this.keyName(pair.key, pair.value, e.path);
      if (raw === undefined) continue;
      if (!isMailAddress(raw)) {
        this.issueAtNode(pair.key, `${e.path}.${raw}`, `${show(raw)} is not a valid mail address`);
        continue;
      }
      const key = raw.toLowerCase();
      const entry: Entry = { key, path: `${e.path}.${key}`, keyNode: pair.key, value: pair.value };
      const first = seen.get(key);
      if (first) {
        const line = this.pos(first.keyNode).line;
        const how =
          first.keyNode && isScalar(first.keyNode) && first.keyNode.value === raw
            ? ""
            : " (addresses are compared ignoring case)";
        this.issueAtNode(pair.key, entry.path, `duplicate ${what}; already declared at line ${line}${how}`);
        continue;
      }
      seen.set(key, entry);
      out.push(entry);
      this.locations.set(entry.path, this.pos(pair.key));
    }
    return out;
  }

  /** A map key as a plain string; anything else (a number, a list, an empty key) is reported. */
  private keyName(key: unknown, value: unknown, path: string): string | undefined {
    if (isScalar(key) && typeof key.value === "string" && key.value !== "") return key.value;
    const where = key ?? value;
    if (isScalar(key) && (typeof key.value === "number" || typeof key.value === "boolean")) {
      const name = String(key.value);
      this.issueAtNode(
        key,
        path ? `${path}.${name}` : name,
        `keys must be names or mail addresses, not ${describe(key)}`,
      );
    } else if (isAlias(key)) {
      this.issueAtNode(key, path, "aliases (*name) are not supported; write the value out");
    } else {
      this.issueAtNode(where, path, `keys must be names or mail addresses, not ${describe(key)}`);
    }
    return undefined;
  }

  // --- scalars -------------------------------------------------------------------------------------------------

  /** The scalar value of an entry, or a reported "must be …" problem (aliases and collections are refused). */
  private scalar(e: Entry, expected: string): { ok: true; value: unknown } | { ok: false } {
    if (isAlias(e.value)) {
      this.issueAtNode(e.value, e.path, "aliases (*name) are not supported; write the value out");
      return { ok: false };
    }
    if (isScalar(e.value)) return { ok: true, value: e.value.value };
    if (e.value === null) return { ok: true, value: null };
    this.issueAtValue(e.value, e.keyNode, e.path, `must be ${expected}, not ${describe(e.value)}`);
    return { ok: false };
  }

  private bool(e: Entry): boolean | undefined {
    const s = this.scalar(e, "true or false");
    if (!s.ok) return undefined;
    if (typeof s.value === "boolean") return s.value;
    this.issueAtValue(e.value, e.keyNode, e.path, `must be true or false, not ${describe(e.value)}`);
    return undefined;
  }

  /** A non-empty string, trimmed; `hint` follows the "must be a string, not …" message. */
  private string(e: Entry, hint = ""): string | undefined {
    const s = this.scalar(e, "a string");
    if (!s.ok) return undefined;
    if (typeof s.value !== "string") {
      this.issueAtValue(e.value, e.keyNode, e.path, `must be a string, not ${describe(e.value)}${hint}`);
      return undefined;
    }
    const t = s.value.trim();
    if (t === "") {
      this.issueAtValue(e.value, e.keyNode, e.path, "must not be empty");
      return undefined;
    }
    return t;
  }

  private oneOf<S extends string>(e: Entry, allowed: readonly S[], what: string, alt = ""): S | undefined {
    const s = this.scalar(e, `one of ${allowed.join(", ")}${alt}`);
    if (!s.ok) return undefined;
    if (typeof s.value === "string" && (allowed as readonly string[]).includes(s.value)) return s.value as S;
    if (s.value === null) {
      this.issueAtValue(e.value, e.keyNode, e.path, `missing ${what}; allowed: ${allowed.join(", ")}${alt}`);
      return undefined;
    }
    const message =
      typeof s.value === "string"
        ? `invalid ${what} ${show(s.value)}; allowed: ${allowed.join(", ")}${alt}`
        : `must be one of ${allowed.join(", ")}${alt}, not ${describe(e.value)}`;
    this.issueAtValue(e.value, e.keyNode, e.path, message);
    return undefined;
  }

  private address(e: Entry): string | undefined {
    const s = this.string(e);
    if (s === undefined) return undefined;
    if (!isMailAddress(s)) {
      this.issueAtValue(e.value, e.keyNode, e.path, `${show(s)} is not a valid mail address`);
      return undefined;
    }
    return s.toLowerCase();
  }

  private date(e: Entry): string | undefined {
    const s = this.scalar(e, "a date YYYY-MM-DD");
    if (!s.ok) return undefined;
    if (typeof s.value !== "string" || !isValidDate(s.value)) {
      const got = typeof s.value === "string" ? show(s.value) : describe(e.value);
      this.issueAtValue(e.value, e.keyNode, e.path, `must be a date YYYY-MM-DD, not ${got}`);
      return undefined;
    }
    if (s.value < this.today) {
      this.issueAtValue(
        e.value,
        e.keyNode,
        e.path,
        `expired on ${s.value} (today is ${this.today}, UTC); renew it or remove the exception`,
      );
      return undefined;
    }
    return s.value;
  }

  // --- positions -----------------------------------------------------------------------------------------------

  private pos(node: unknown): SourcePosition {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    const lp = this.lines.linePos(range ? range[0] : 0);
    return { line: lp.line, column: lp.col };
  }

  private issueAt(offset: number, key: string, message: string): void {
    const lp = this.lines.linePos(offset);
    this.issues.push({ file: this.file, line: lp.line, column: lp.col, key, message });
  }

  private issueAtNode(node: unknown, key: string, message: string): void {
    const { line, column } = this.pos(node);
    this.issues.push({ file: this.file, line, column, key, message });
  }

  /** At the value when it is written out; at its key when the value is empty (`state:` with nothing after it). */
  private issueAtValue(value: unknown, keyNode: unknown, key: string, message: string): void {
    this.issueAtNode(isEmpty(value) && keyNode ? keyNode : value, key, message);
  }
}
