/**
 * The answers to the doctor's own checks, pasted back: each cause lists what to run (causes.ts
 * `check`), and an admin who has run some of it pastes the output beside the error. The output of
 * Get-TransportConfig / Get-CASMailbox (SmtpClientAuthenticationDisabled), Get-User and
 * Get-AuthenticationPolicy (AuthenticationPolicy, AllowBasicAuthSmtp), Graph's security-defaults
 * policy (isEnabled) and per-user MFA state (perUserMfaState, or "Enforced" on the per-user MFA
 * page) says which gate is shut, or that one is open. Format-List prints `Name : Value`, a blank
 * value for $null (Microsoft Learn: Get-CASMailbox, Get-TransportConfig, Get-AuthenticationPolicy).
 */
import type { Evidence } from "./evidence.ts";
import { failingRowValue } from "./answer-tables.ts";
import type { Rule, Weights } from "./rule-kit.ts";
import { ORG_SMTP_AUTH_BOX_TICKED } from "./user-words.ts";

/**
 * `SmtpClientAuthenticationDisabled : <value>` after the cmdlet (or object) named, within a few lines
 * (Format-List output), or on the same line as people retell it ("Get-CASMailbox x | fl
 * SmtpClientAuthenticationDisabled -> True", "CASMailbox SmtpClientAuthenticationDisabled False");
 * undefined when absent.
 */
function switchAnswer(text: string, object: string): "true" | "false" | "blank" | undefined {
  // Format-List output: the property on a line of its own below the command, blank for $null (also when
  // a flattened paste puts the reporter's next sentence where the value would be).
  const listed = new RegExp(
    // A chat or log prefix may stand before the property ("[10:44] dave: SmtpClientAuthenticationDisabled : True").
    String.raw`(?:Get-|Set-)?${object}\b[^\n]{0,200}\n(?:(?![^\n]*\b(?:Get|Set)-[A-Z]|PS\b)[^\n]{0,200}\n){0,40}?[ \t]*(?:\[[^\]\n]{1,30}\][ \t]*)?(?:[\w.@-]{1,30}:[ \t]*)?SmtpClientAuthenticationDisabled[ \t]*:[ \t]*(?:(\$?true|\$?false)\b|(?:\n|$)|(?=[A-Z][a-z]))`,
    "iu",
  ).exec(text);
  // Retold on one line; a value is required (the property named after "| fl" is no answer), "(blank)" or
  // "$null" as people retell an empty one (blind set 19).
  const retold = new RegExp(
    String.raw`(?:Get-|Set-)?${object}\b[^\n]{0,200}?SmtpClientAuthenticationDisabled(?:[ \t]*(?::|->|=>|→|=|\bis\b)?[ \t]*|[,;]?[ \t]+(?:[^\s\d,.;:]{1,14}[ \t]+){1,4}?)(\$?true|\$?false|\(?blank\)?|\(?empty\)?|<blank>|<empty>|\$null|${BLANK_WORDS})(?![\p{L}\w])`,
    "iu",
  ).exec(text);
  // Retold shortest: the cmdlet's object with its value and no property ("TransportConfig … False, CASMailbox False").
  const bare = new RegExp(String.raw`\b${object}\b[ \t]*(?::|->|=>|→|=)?[ \t]*(\$?true|\$?false)\b`, "iu").exec(text);
  const m = listed ?? retold ?? bare;
  if (m === null) return undefined;
  const v = m[1]?.replace("$", "").toLowerCase();
  // "Set-TransportConfig -SmtpClientAuthenticationDisabled $false" is a change someone made, not the state the
  // failure met (resolutions.ts reads whether it helped); a Set to $true is the state it left.
  if (/^set-/iu.test(m[0]) && v === "false") return undefined;
  return v === "true" ? "true" : v === "false" ? "false" : "blank";
}

/** An empty value as reporters retell it in their language ("vem vazio (em branco)", "staat leeg", "ist leer"). */
const BLANK_WORDS = String.raw`vazio|em branco|vac[ií]o|en blanco|vide|leer|leeg|vuoto|pust[ey]|tom|пуст\S*|boş|prázdn\S*|空(?:白|的)?`;

/**
 * A log or chat prefix before each line ("2026-11-30T09:41:07Z ERROR [mailer] ", "[10:44] dave: "):
 * Format-List output is read line by line, so it is taken off first.
 */
const LINE_PREFIX =
  /^[^\S\n]*(?:\d{4}-\d\d-\d\d[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?[^\S\n]+)?(?:\[[^\]\n]{1,40}\][^\S\n]*)*(?:(?:ERROR|WARN(?:ING)?|INFO|DEBUG|TRACE|FATAL)\b:?[^\S\n]*)?(?:\[[^\]\n]{1,40}\][^\S\n]*)*/gmu;

/** A letter as OCR of a photographed screen may read it: l, i and I as 1 or |, o as 0 ("SmtpC1ientAuthenticati0nDisab1ed"). */
function ocrTolerant(c: string): string {
  if (/[liI]/u.test(c)) return "[li1|]";
  if (/[oO]/u.test(c)) return "[o0]";
  return c;
}

/**
 * The names the answers are read by, as a hard wrap leaves them once the lines are joined: one space
 * inside ("SmtpClientAuthent icationDisabled"). Each is put back whole.
 */
const SPLIT_NAMES: ReadonlyArray<readonly [RegExp, string]> = [
  "SmtpClientAuthenticationDisabled",
  "AllowBasicAuthSmtp",
  "StrongAuthenticationRequirements",
  "RecipientTypeDetails",
  "AuthenticationPolicy",
  "TransportConfig",
  "CASMailbox",
  "perUserMfaState",
  "SecurityDefaultsEnforcementPolicy",
  "SKUAssigned",
  "ManagementObjectNotFoundException",
].map((name) => [new RegExp([...name].map(ocrTolerant).join(" ?"), "giu"), name] as const);

/**
 * The pasted output as the rules read it: its lines without log prefixes, then the same text with its
 * line breaks removed (a property or value a log column wrapped reads whole there).
 */
function answerReadings(ev: Evidence): string[] {
  let lines = ev.ex.normalized.replace(LINE_PREFIX, "");
  for (const [re, name] of SPLIT_NAMES) lines = lines.replace(re, name);
  // The values too: "Fa1se" is False as OCR read it.
  lines = lines.replace(/(?<=:[ \t]*)Fa[1|I]se\b/gu, "False").replace(/(?<=:[ \t]*)Tru[e3]\b/gu, "True");
  // Joined where a column cut a word (a letter, the break, a lower-case letter), else with a space.
  return [lines, lines.replace(/(?<=[A-Za-z0-9])\n[ \t]*(?=[a-z])/gu, "").replace(/\n[ \t]*/gu, " ")];
}

/** The first answer any reading gives. */
function firstAnswer<T>(ev: Evidence, read: (text: string) => T | undefined): T | undefined {
  for (const text of answerReadings(ev)) {
    const v = read(text);
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * Two mailboxes' values retold in one sentence after Get-CASMailbox, the True one later ("for scan-leeds the
 * SmtpClientAuthenticationDisabled column is empty while for scan-bristol it says True", "bij bestellingen staat
 * SmtpClientAuthenticationDisabled leeg, bij retouren staat die op True"): one mailbox has SMTP AUTH off (blind set 79).
 */
const TRUE_LATER_IN_RETELLING =
  /\bCASMailbox\b[^\n.]{0,200}?\bSmtpClientAuthenticationDisabled\b[^\n]{0,160}?\b(?:says?|shows?|reads?|is|are|op|on|staat|steht|est|está|=|:|→|->)[ \t]+\$?true\b/iu;

/**
 * The mailbox's switch. A Format-Table of several mailboxes is read at the failing account's row
 * (answer-tables.ts; blind set 83). Several mailboxes pasted side by side otherwise (a working one beside
 * the failing one, blind set 21): one with SMTP AUTH off is the one that fails, so a True anywhere wins.
 */
function mailboxAnswer(ev: Evidence): "true" | "false" | "blank" | undefined {
  const row = failingRowValue(answerReadings(ev)[0]!, "SmtpClientAuthenticationDisabled");
  if (row !== undefined) return row;
  const first = firstAnswer(ev, (t) => switchAnswer(t, "CASMailbox"));
  if (first === "true") return first;
  const lines = answerReadings(ev)[0]!.split(/\n(?=[^\n]*\bCASMailbox\b)/u);
  return lines.some((l) => switchAnswer(l, "CASMailbox") === "true" || TRUE_LATER_IN_RETELLING.test(l))
    ? "true"
    : first;
}

/** The pasted values of the organisation's and the mailbox's switch, where present. */
function switches(ev: Evidence): { org?: "true" | "false" | "blank"; mailbox?: "true" | "false" | "blank" } {
  const named = {
    org: firstAnswer(ev, (t) => switchAnswer(t, "TransportConfig")),
    mailbox: mailboxAnswer(ev),
  };
  if (named.org !== undefined && named.mailbox !== undefined) return named;
  const said = switchesBySubject(answerReadings(ev)[0]!);
  return { org: named.org ?? said.org, mailbox: named.mailbox ?? said.mailbox };
}

/** The organisation named before a value, in the languages of the admin centres ("au niveau de l'organisation"). */
const ORG_SUBJECT =
  /\b(?:organi[sz]ation\w*|org(?:-wide| ?level| wide)?|tenant(?:-wide| ?level)?|transport ?config|organizaci[oó]n|organiza[cç][aã]o|organizzazione|organisatie|organisationen|organizacji)\b/iu;
/** A mailbox named before a value: its address, or the word in those languages. */
const MAILBOX_SUBJECT =
  /@|\b(?:mailbox|boîte|bo[iî]te aux lettres|postfach|buz[oó]n|caixa(?: de correio)?|casella|postvak|skrzynk\w*|brevlåda|cas ?mailbox)\b/iu;

/**
 * SmtpClientAuthenticationDisabled values retold with their subject but not the cmdlet ("SMTP AUTH activé au niveau
 * de l'organisation (SmtpClientAuthenticationDisabled = False)", "pour la boîte paie@… : SmtpClientAuthenticationDisabled
 * = True"): each value belongs to the organisation or the mailbox named on its line before it (blind set 80).
 */
function switchesBySubject(text: string): { org?: "true" | "false"; mailbox?: "true" | "false" } {
  const out: { org?: "true" | "false"; mailbox?: "true" | "false" } = {};
  for (const line of text.split("\n")) {
    const m = /\bSmtpClientAuthenticationDisabled[ \t]*(?::|=|->|→|\bis\b)[ \t]*\$?(true|false)\b/iu.exec(line);
    if (!m) continue;
    const before = line.slice(0, m.index);
    const v = m[1]!.toLowerCase() as "true" | "false";
    // The mailbox first: "for mailbox x@ (the org's is False)" names the mailbox before any aside.
    if (MAILBOX_SUBJECT.test(before)) out.mailbox ??= v;
    else if (ORG_SUBJECT.test(before)) out.org ??= v;
  }
  return out;
}

// The user's policy (Get-User) or the organisation's default (Get-OrganizationConfig DefaultAuthenticationPolicy).
// The value is not the next prompt or cmdlet (a blank answer read in the joined reading).
const POLICY_ASSIGNED = /\b(?:Default)?AuthenticationPolicy[ \t]*:[ \t]*(?!PS\b|[A-Z][a-z]+-[A-Z])(\S[^\n]*)/iu;
/** A policy whose name says what it does ("Block Basic Auth", "NoLegacyAuth", "BlockBasic638…"). */
const BLOCKING_POLICY_NAME =
  /\b(?:Default)?AuthenticationPolicy[ \t]*:[ \t]*(?!PS\b|[A-Z][a-z]+-[A-Z])[^\n]{0,40}?(?:block|deny|no[ -]?basic|no[ -]?legacy|disable)/iu;
// Format-List's "AllowBasicAuthSmtp : False", also retold ("shows AllowBasicAuthSmtp False on it").
const ALLOW_BASIC_SMTP = /\bAllowBasicAuthSmtp[ \t]*(?::|=|->|→|\bis\b)?[ \t]*\$?(true|false)\b/giu;
/** Every AllowBasicAuthSmtp value pasted (the org default's and the user's own policy may both be there). */
const allowValues = (text: string): string[] => [...text.matchAll(ALLOW_BASIC_SMTP)].map((m) => m[1]!.toLowerCase());
/** Get-User … AuthenticationPolicy with a blank value: no policy assigned to the user. */
// Also retold: "AuthenticationPolicy -> (blank)".
const NO_POLICY_ASSIGNED =
  /\b(?:Default)?AuthenticationPolicy[ \t]*:[ \t]*(?:\n|$)|\b(?:Default)?AuthenticationPolicy[ \t]*(?::|->|→|=>|=)[ \t]*\(?(?:blank|empty|none|null|nothing)\)?/iu;
const SECURITY_DEFAULTS_ANSWER =
  /identitySecurityDefaults?EnforcementPolicy[\s\S]{0,600}?"?isEnabled"?\s*(?:[:=]|->|→|=>)?\s*\$?(true|false)\b|\bisEnabled\s*[:=]?\s*\$?(true|false)\b[^\n]{0,120}?identitySecurityDefaults?EnforcementPolicy/iu;
/** The per-user MFA state pasted (Graph or MSOnline), lower-cased. */
const perUserMfaAnswer = (text: string): string | undefined => {
  const m = PER_USER_MFA_ANSWER.exec(text);
  return (m?.[1] ?? m?.[2] ?? m?.[3])?.toLowerCase();
};
/** The per-user MFA state: a pasted answer (Graph, MSOnline), else the per-user MFA page as retold. */
function perUserMfaState(ev: Evidence): string | undefined {
  return (
    firstAnswer(ev, perUserMfaAnswer) ??
    latestPageReading(ev.words) ??
    PER_USER_MFA_PAGE_STATE_FIRST.exec(ev.words)
      ?.slice(1)
      .find((x) => x !== undefined)
  )?.toLowerCase();
}

/**
 * A reading said as a condition, a question or advice ("check whether per-user MFA is enabled", "if the account
 * is Enforced", "set to Enabled or Enforced"), not what the page showed.
 */
const HYPOTHETICAL_READING =
  /\b(?:if|whether|could|would|should|might|suggest\w*|recommend\w*|advi[cs]e\w*|maybe|perhaps|check)\b|\b(?:enforced|enabled|disabled)\s+or\s+(?:enforced|enabled|disabled)\b/iu;

/**
 * The per-user MFA page's state as the story last read it: a state can change over a ticket or a chat ("had
 * per-user MFA Enabled last year … the page now shows Disabled"), and readings said as conditions or advice
 * (an assistant's suggestion pasted in) are no readings.
 */
function latestPageReading(words: string): string | undefined {
  let latest: string | undefined;
  for (const m of words.matchAll(PER_USER_MFA_PAGE_ALL)) {
    const sentenceStart = Math.max(words.lastIndexOf(".", m.index) + 1, words.lastIndexOf("\n", m.index) + 1);
    const end = m.index + m[0].length;
    const sentenceEnd = words.slice(end, end + 20).search(/[.\n]/u);
    const clause = words.slice(Math.max(sentenceStart, m.index - 60), end + (sentenceEnd < 0 ? 20 : sentenceEnd));
    if (HYPOTHETICAL_READING.test(clause)) continue;
    latest = m.slice(1).find((x) => x !== undefined) ?? latest;
  }
  return latest;
}

/** Graph's isEnabled for security defaults, as printed (JSON, Format-List) or retold before the cmdlet's name. */
const securityDefaultsAnswer = (text: string): string | undefined => {
  const m = SECURITY_DEFAULTS_ANSWER.exec(text);
  return (m?.[1] ?? m?.[2])?.toLowerCase();
};
// Graph's perUserMfaState, and MSOnline's Get-MsolUser … StrongAuthenticationRequirements → State.
const PER_USER_MFA_ANSWER =
  /"?perUserMfaState"?\s*[:=]\s*"?(enforced|enabled|disabled)\b|StrongAuthenticationRequirements[\s\S]{0,120}?\bState\s*[:=]\s*(Enforced|Enabled)\b|StrongAuthenticationRequirements[^\n]{0,40}\n[^\n]{0,200}\bState\b[^\n]*\n[ \t-]*\n?[^\n]{0,200}?\b(Enforced|Enabled)\b/iu;
// The per-user MFA page's status column, as an admin reports it ("shows Enforced on the per-user
// multifactor authentication page", "per-user MFA status: Enabled").
// Also Japanese, as Microsoft's localised page names it (ユーザーごとの多要素認証, status 強制 / 有効 / 無効).
// The state after the noun is read first; one before it only when no clause break to another subject
// comes between ("Security defaults are enabled, per-user MFA shows Disabled" is per-user MFA off).
// Not a negated mention ("no per-user MFA, org and mailbox SMTP AUTH both enabled", "enabled for nobody", "no one is set to per-user MFA Enforced"), nor a state that belongs
// to the next subject named in the window.
const PER_USER_MFA_PAGE =
  /(?<!\b(?:no|not|without|nobody has|no one has|(?:nobody|no ?one|no users?|none of (?:them|the users)) (?:is|are|was|were) (?:set to|on))\s)per-?user (?:mfa|multi-?factor(?: authentication)?)(?:(?!smtp auth|security defaults|conditional access|authenticated smtp)(?:[^.\n]|\.(?=\S))){0,120}?\b(enforced|enabled|disabled)\b(?!\s+for\s+(?:nobody|no one|none)\b)|\b(enforced|enabled)["”]? on the (?:old |legacy )?(?:per-?user )?(?:mfa|multi-?factor authentication) page\b|\b(?:mfa|multi-?factor authentication)["”]? users? page\b(?:[^.\n]|\.(?=\S)){0,80}?\b(enforced|enabled|disabled)\b|(?:autenticação multifator por usuário|autenticación multifactor por usuario|authentification multifacteur par utilisateur)[^.\n]{0,60}?(?<!\p{L})(imposto|exigido|aplicad[oa]|appliquée|désactivée|desabilitad[oa]|deshabilitad[oa])(?!\p{L})|\b(?:multi-?factor auth(?:entication)?|mfa) status\s*[:=]?\s*["'“]?(enforced|enabled|disabled)\b|(?:mfa pro benutzer|benutzerspezifische mfa|mfa par utilisateur|mfa por usuario|mfa por usuário|mfa per utente|mfa per gebruiker)[^.\n]{0,60}?(?<!\p{L})(erzwungen|aktiviert|deaktiviert|appliquée|activée|désactivée|aplicad[oa]|habilitad[oa]|deshabilitad[oa]|desabilitad[oa]|applicat[oa]|abilitat[oa]|disabilitat[oa]|afgedwongen|ingeschakeld|uitgeschakeld)(?!\p{L})|ユーザーごとの多要素認証[^。\n]{0,40}?(強制|有効|無効)/iu;
const PER_USER_MFA_PAGE_ALL = new RegExp(PER_USER_MFA_PAGE.source, "giu");
const PER_USER_MFA_PAGE_STATE_FIRST =
  /\b(enforced|enabled|disabled)\b[^.,;\n]{0,50}?\bper-?user (?:mfa|multi-?factor)/iu;

/** The per-user MFA page's states, in English and as the localised admin centres show them. */
const PER_USER_MFA_OFF =
  /^(?:disabled|無効|deaktiviert|désactivée|deshabilitad[oa]|desabilitad[oa]|disabilitat[oa]|uitgeschakeld)$/u;
const PER_USER_MFA_ON =
  /^(?:enforced|enabled|強制|有効|erzwungen|aktiviert|appliquée|activée|aplicad[oa]|habilitad[oa]|applicat[oa]|abilitat[oa]|afgedwongen|ingeschakeld|imposto|exigido)$/u;
/** Get-RecipientPermission's trustees: SELF alone (or nobody) holds Send As on the address. */
const SEND_AS_SELF_ONLY =
  // The rows end at a blank line (the end of the table).
  /get-recipientpermission\b[^\n]*\n(?:[^\n]*\n){0,3}?[^\n]*\btrustee\b[^\n]*\n[ \t-]*\n?((?:[^\n]+\n?){1,12})/iu;

const REQUIREMENT_SOURCE =
  "Graph signIn.authenticationRequirementPolicies[].requirementProvider (authenticationRequirementPolicy resource): user is per-user MFA, securityDefaults / mfaRegistrationRequiredBySecurityDefaults is security defaults, v1ConditionalAccess / multiConditionalAccess / authenticationStrengths a Conditional Access policy";

/** The causes a sign-in log's requirementProvider can name. */
type MfaRequirer = "security_defaults_enabled" | "per_user_mfa" | "conditional_access_block";
const MFA_REQUIRERS: readonly MfaRequirer[] = ["security_defaults_enabled", "per_user_mfa", "conditional_access_block"];

/** The rule for one requirementProvider: its cause up, the other two that could require MFA down. */
function mfaRequiredBy(cause: MfaRequirer, id: string, why: string): Rule {
  const weights: Weights = { [cause]: 5, unknown: -2 };
  for (const other of MFA_REQUIRERS) if (other !== cause) weights[other] = -2;
  return {
    id,
    source: REQUIREMENT_SOURCE,
    kind: "context",
    evidence: (ev) => (requirementProviders(ev).has(cause) ? 1 : 0),
    weights,
    why,
  };
}

/** The sign-in log's requirementProvider values pasted (Graph JSON, a SigninLogs row), as the cause each names. */
function requirementProviders(ev: Evidence): Set<MfaRequirer> {
  const out = new Set<MfaRequirer>();
  for (const m of ev.ex.normalized.matchAll(/\brequirementProvider\b["']?\s*[:=]\s*["']?([A-Za-z]+)/giu)) {
    const v = m[1]!.toLowerCase();
    if (v === "securitydefaults" || v === "mfaregistrationrequiredbysecuritydefaults")
      out.add("security_defaults_enabled");
    else if (v === "user") out.add("per_user_mfa");
    else if (
      /^(?:v1conditionalaccess\w*|multiconditionalaccess|authenticationstrengths|mfaregistrationrequiredbymulticonditionalaccess)$/u.test(
        v,
      )
    )
      out.add("conditional_access_block");
  }
  return out;
}

/** The answers-to-checks table. */
export const CHECK_ANSWER_RULES: readonly Rule[] = [
  {
    id: "answer-mailbox-switch-off",
    source:
      "Get-CASMailbox | Format-List SmtpClientAuthenticationDisabled (True = disabled; Microsoft 'Enable or disable SMTP AUTH in Exchange Online')",
    kind: "context",
    evidence: (ev) => (switches(ev).mailbox === "true" ? 1 : 0),
    weights: { smtp_auth_disabled_mailbox: 5.5, smtp_auth_disabled_tenant: -1, unknown: -2 },
    why: "Get-CASMailbox shows SmtpClientAuthenticationDisabled True: SMTP AUTH is off for this mailbox",
  },
  {
    id: "answer-org-switch-off-inherited",
    source:
      "Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled True with Get-CASMailbox blank ($null: the mailbox inherits the organisation)",
    kind: "context",
    // The organisation's switch as pasted, or its admin-center box retold as checked.
    evidence: (ev) => {
      const { org, mailbox } = switches(ev);
      if (org !== "true" && !(org === undefined && ORG_SMTP_AUTH_BOX_TICKED.test(ev.words))) return 0;
      return mailbox === "blank" ? 1 : mailbox === undefined ? 0.6 : 0;
    },
    weights: { smtp_auth_disabled_tenant: 5.5, smtp_auth_disabled_mailbox: -0.5, unknown: -2 },
    why: "Get-TransportConfig shows SmtpClientAuthenticationDisabled True and the mailbox has no value of its own: the organisation's switch refuses SMTP AUTH",
  },
  {
    id: "answer-switches-open",
    source:
      "Get-CASMailbox SmtpClientAuthenticationDisabled False overrides the organisation; Get-TransportConfig False with the mailbox blank",
    kind: "context",
    evidence: (ev) => {
      const { org, mailbox } = switches(ev);
      return mailbox === "false" || (org === "false" && mailbox === "blank") ? 1 : 0;
    },
    weights: { smtp_auth_disabled_mailbox: -5, smtp_auth_disabled_tenant: -5 },
    why: "The pasted SmtpClientAuthenticationDisabled values leave SMTP AUTH on for this mailbox: neither switch is the gate",
  },
  {
    id: "answer-org-switch-open",
    source:
      "Get-TransportConfig SmtpClientAuthenticationDisabled False, the mailbox's own value not pasted: the organisation allows SMTP AUTH, a mailbox may still turn it off for itself",
    kind: "context",
    evidence: (ev) => {
      const { org, mailbox } = switches(ev);
      return org === "false" && mailbox === undefined ? 1 : 0;
    },
    weights: { smtp_auth_disabled_tenant: -5 },
    why: "Get-TransportConfig shows SMTP AUTH on for the organisation: the organisation's switch is not the gate (the mailbox's own may be)",
  },
  {
    id: "answer-auth-policy",
    source:
      "Get-User | Format-List AuthenticationPolicy; Get-AuthenticationPolicy | Format-List AllowBasicAuthSmtp (Microsoft 'Disable Basic authentication in Exchange Online')",
    kind: "context",
    // A False anywhere decides: a user's own policy overrides the organisation's default, so a
    // permissive default beside it does not clear the gate.
    evidence: (ev) => {
      const allow = answerReadings(ev).flatMap(allowValues);
      if (allow.includes("false")) return 1;
      if (allow.includes("true")) return 0;
      // The policy's name is read on its own line only: joined, a blank answer would take the next line as its value.
      const lines = answerReadings(ev)[0]!;
      if (BLOCKING_POLICY_NAME.test(lines)) return 1;
      return POLICY_ASSIGNED.test(lines) ? 0.6 : 0;
    },
    weights: { authentication_policy_blocks_basic_smtp: 4.5, basic_auth_disabled_or_retired: 0.5, unknown: -2 },
    why: "An authentication policy with AllowBasicAuthSmtp False applies to the account: it refuses Basic SMTP AUTH",
  },
  {
    id: "answer-auth-policy-allows",
    source: "Get-AuthenticationPolicy | Format-List AllowBasicAuthSmtp True",
    kind: "context",
    // Allowed only when no pasted policy says False; also a blank AuthenticationPolicy (none assigned)
    // with no False anywhere.
    evidence: (ev) => {
      const allow = answerReadings(ev).flatMap(allowValues);
      if (allow.includes("false")) return 0;
      return allow.includes("true") || NO_POLICY_ASSIGNED.test(answerReadings(ev)[0]!) ? 1 : 0;
    },
    weights: { authentication_policy_blocks_basic_smtp: -3 },
    why: "The account's authentication policy allows Basic SMTP AUTH (or none is assigned)",
  },
  {
    id: "answer-security-defaults",
    source: "Graph GET /policies/identitySecurityDefaultsEnforcementPolicy → isEnabled",
    kind: "context",
    evidence: (ev) => (firstAnswer(ev, securityDefaultsAnswer) === "true" ? 1 : 0),
    weights: { security_defaults_enabled: 4.5, unknown: -2 },
    why: "Graph shows the security-defaults policy isEnabled true: it blocks Basic SMTP AUTH",
  },
  {
    id: "answer-security-defaults-off",
    source: "Graph GET /policies/identitySecurityDefaultsEnforcementPolicy → isEnabled false",
    kind: "context",
    evidence: (ev) => (firstAnswer(ev, securityDefaultsAnswer) === "false" ? 1 : 0),
    weights: { security_defaults_enabled: -3 },
    why: "Graph shows security defaults off",
  },
  mfaRequiredBy(
    "security_defaults_enabled",
    "answer-mfa-required-by-security-defaults",
    "The sign-in log says security defaults required MFA for this sign-in (requirementProvider securityDefaults)",
  ),
  mfaRequiredBy(
    "per_user_mfa",
    "answer-mfa-required-by-user",
    "The sign-in log says the user's own (legacy per-user) MFA required it (requirementProvider user)",
  ),
  mfaRequiredBy(
    "conditional_access_block",
    "answer-mfa-required-by-conditional-access",
    "The sign-in log says a Conditional Access policy required MFA for this sign-in",
  ),
  {
    id: "answer-per-user-mfa",
    source:
      "Graph beta GET /users/{id}/authentication/requirements → perUserMfaState; Entra admin center > Per-user multifactor authentication (Disabled / Enabled / Enforced)",
    kind: "context",
    evidence: (ev) => {
      const state = perUserMfaState(ev);
      return PER_USER_MFA_ON.test(state ?? "") ? 1 : 0;
    },
    weights: { per_user_mfa: 4.5, conditional_access_block: -1, unknown: -2 },
    why: "Per-user MFA is enabled or enforced for the account: a password-only SMTP sign-in cannot satisfy it",
  },
  {
    id: "answer-per-user-mfa-off",
    source: "perUserMfaState disabled / 'Disabled' on the per-user MFA page",
    kind: "context",
    evidence: (ev) => {
      const state = perUserMfaState(ev);
      return PER_USER_MFA_OFF.test(state ?? "") ? 1 : 0;
    },
    weights: { per_user_mfa: -2.5 },
    why: "Per-user MFA is disabled for the account",
  },
  {
    id: "answer-send-as-self-only",
    source:
      "Get-RecipientPermission <address>: the trustees with SendAs; only NT AUTHORITY\\SELF means no other account may send as it (Add-RecipientPermission grants it)",
    kind: "context",
    evidence: (ev) => {
      const rows = SEND_AS_SELF_ONLY.exec(answerReadings(ev)[0]!)?.[1];
      if (rows === undefined) return 0;
      const trustees = rows.split("\n").filter((r) => /sendas/iu.test(r));
      return trustees.length > 0 && trustees.every((r) => /nt authority[\\/]?\s*self/iu.test(r)) ? 1 : 0;
    },
    weights: { send_as_permission: 3.5, unknown: -2 },
    why: "Get-RecipientPermission lists only SELF with Send As: the account that signs in may not send as this address",
  },
  {
    id: "answer-sign-in-blocked",
    source:
      "Get-MgUser -Property AccountEnabled (False: sign-in blocked, Entra error 50057 'User account is disabled'); Microsoft 365 admin center > Active users: 'Sign-in blocked'",
    kind: "context",
    evidence: (ev) =>
      answerReadings(ev).some((t) => /\baccountenabled\s*[:=]\s*\$?false\b/iu.test(t)) ||
      /^[^\S\n]*sign-?in blocked[^\S\n]*$|\baccount status\s*:?\s*["“]?sign-?in blocked\b|\bblocked sign-?in for\b|\b(?:sign-?in (?:is |was )?blocked (?:for|on) (?:the |this )?(?:account|user)|blocked from signing in)\b/imu.test(
        ev.ex.normalized,
      )
        ? 1
        : 0,
    weights: { account_locked: 5, unknown: -2 },
    why: "The account's sign-in is blocked (AccountEnabled False): no password sign-in, SMTP AUTH included, can succeed until it is unblocked",
  },
  {
    id: "answer-no-mailbox",
    source:
      "Exchange Online PowerShell: Set-CASMailbox/Get-Mailbox on an account with no cloud mailbox fails with ManagementObjectNotFoundException ('The operation couldn't be performed because object '…' couldn't be found on …'); Get-Recipient shows RecipientTypeDetails MailUser (or User) for a hybrid account whose mailbox is on-premises, SharedMailbox for a mailbox converted to shared (no password sign-in, no licence), and Get-Mailbox SKUAssigned False for an unlicensed one; the admin center's Mail tab says 'This user doesn't have a mailbox'",
    kind: "context",
    // The answer of a mailbox cmdlet (not of Get-User, whose object exists without a mailbox), or the
    // recipient type of an account Exchange Online holds no mailbox for.
    evidence: (ev) => {
      const t = answerReadings(ev).join("\n");
      const notFound =
        /(?:-casmailbox|-mailbox\b|-exomailbox\b|-exocasmailbox\b|-mailboxpermission|-recipientpermission)[\s\S]{0,400}?(?:managementobjectnotfoundexception|couldn't be found on|could not be found on|object '[^'\n]{1,120}' couldn't be found|(?:says|said|returns|returned|gives|reports|->|=>|→)[^.\n]{0,40}(?:couldn't|could not|can't|cannot) be found)/iu.test(
          t,
        );
      const mailUser =
        /recipienttypedetails\s*[:=]?\s*(?:mailuser|user|mailcontact|guestmailuser|remoteusermailbox|sharedmailbox)\b|\bskuassigned\s*[:=]\s*\$?false\b|\bassignedlicenses\s*:\s*\{\s*\}|\bwhensoftdeleted\s*:\s*\d|-softdeletedmailbox\b/iu.test(
          t,
        );
      const noMailbox =
        /\b(?:this user|the user|user|account|it) (?:does ?n[o']t|do ?n[o']t|does not) have an? (?:exchange(?: online)? )?mailbox\b|\bno (?:exchange(?: online)? )?mailbox (?:exists|found|for)\b|\bmailbox (?:doesn't|does not) exist\b|\bmailbox (?:doesn't|does not|didn't|did not) (?:show up|appear)\b|\b(?:mail tab )?has no mailbox\b|\b(?:can't|cannot|can not) find ["“]?manage email apps\b|\b(?:can'?t|cannot|can not|couldn'?t) (?:even )?(?:find|see) the ["“]?authenticated smtp["”]? (?:checkbox|box|option|setting)\b|\bthere'?s no mail tab\b|\bno mail tab\b|\bmailbox (?:can'?t|cannot|could not|couldn'?t) be (?:shown|displayed|found|loaded)\b|\bauthenticated smtp["'”]? (?:option )?(?:doesn't|does not|didn't|did not) (?:show up|appear)\b|\b(?:that |the )?option (?:doesn't|does not) (?:show up|appear) for (?:this|the) (?:user|account)\b/u.test(
          ev.words,
        );
      return notFound || mailUser || noMailbox ? 1 : 0;
    },
    weights: { mailbox_unlicensed_or_missing: 4.5, smtp_auth_disabled_mailbox: -1, unknown: -2 },
    why: "Exchange Online finds no mailbox for the account (not found, a mail user, or 'doesn't have a mailbox'): SMTP AUTH needs a licensed cloud mailbox",
  },
];
