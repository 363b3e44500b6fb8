/**
 * The reporter's account of what was tried: a change followed by "and now it sends" names the cause
 * (the change undid it), a change followed by "same error" rules that cause out. Threads, tickets and
 * chats often end this way (blind set 21: "turned security defaults off, waited 15 min, Sage sends
 * again"). Read on the words, so a fix that worked outweighs the generic code's prior; the action
 * must come before the outcome and within a short span of it.
 */
import type { CauseId } from "./causes.ts";
import type { Evidence } from "./evidence.ts";
import type { Rule } from "./rule-kit.ts";

/** What undoes each cause, as admins write it (English and the main languages of the blind sets). */
const ACTIONS: ReadonlyArray<readonly [CauseId, string]> = [
  [
    "security_defaults_enabled",
    String.raw`(?:turn(?:ed|ing)?|switch(?:ed|ing)?|set|disabl(?:ed|ing)|deactivat(?:ed|ing))\s+(?:the\s+)?(?:entra\s+)?security defaults\s+(?:to\s+)?(?:off|no|disabled)|(?:disabl(?:ed|ing)|turn(?:ed|ing)? off|switch(?:ed|ing)? off)\s+(?:the\s+)?(?:entra\s+)?security defaults|security defaults\s+(?:turned|switched|set)\s+(?:to\s+)?(?:off|no|disabled)|security defaults["”]?\s*(?:>|→|->)\s*["“]?(?:disabled|no|off)\b|sicherheitsstandards\s+(?:deaktiviert|ausgeschaltet)|(?:désactivé|desactivé)\s+les paramètres de sécurité par défaut|desactivamos los valores predeterminados de seguridad`,
  ],
  [
    "smtp_auth_disabled_mailbox",
    String.raw`(?:tick(?:ed|ing)|check(?:ed|ing)|enabl(?:ed|ing)|turn(?:ed|ing) on|switch(?:ed|ing) on)\s+(?:the\s+)?["'“]?authenticated smtp|set-casmailbox\b[^\n]{0,120}-smtpclientauthenticationdisabled\s+\$?false`,
  ],
  [
    "smtp_auth_disabled_tenant",
    String.raw`set-transportconfig\b[^\n]{0,80}-smtpclientauthenticationdisabled\s+\$?false|(?:untick(?:ed|ing)|uncheck(?:ed|ing)|clear(?:ed|ing))\s+(?:the\s+)?["'“]?turn off smtp auth protocol for your organi[sz]ation|(?:enabl(?:ed|ing)|turn(?:ed|ing) on)\s+smtp auth\s+(?:for|on|at)\s+(?:the\s+)?(?:organi[sz]ation|tenant|org)(?:[- ]level)?`,
  ],
  [
    "per_user_mfa",
    String.raw`(?:disabl(?:ed|ing)|turn(?:ed|ing) off|remov(?:ed|ing)|switch(?:ed|ing) off)\s+(?:the\s+)?(?:legacy\s+)?per-?user (?:mfa|multi-?factor)|per-?user (?:mfa|multi-?factor)(?:[^.\n]|\.\b){0,30}\b(?:set to|to|back to)\s+["'“]?disabled`,
  ],
  [
    "conditional_access_block",
    String.raw`(?:exclud(?:ed|ing)|add(?:ed|ing))\s+(?:the\s+)?(?:\S+\s+){0,4}?(?:from|to the exclusions? of|as an exclusion (?:in|on|to))\s+(?:the\s+)?(?:\S+\s+){0,4}?(?:conditional access|ca)\b|(?:conditional access|ca)\s+exclusion\s+(?:added|for)|(?:disabl(?:ed|ing)|turn(?:ed|ing) off)\s+(?:the\s+)?(?:[^\s(]+\s+){0,3}?(?:conditional access|ca) polic`,
  ],
  [
    "authentication_policy_blocks_basic_smtp",
    String.raw`allowbasicauthsmtp\b[^\n]{0,20}\$?true|(?:remov(?:ed|ing)|unassign(?:ed|ing)|clear(?:ed|ing))\s+(?:the\s+)?(?:\S+\s+){0,3}?authentication polic|set-user\b[^\n]{0,120}-authenticationpolicy\s+(?:\$null|"?allow)`,
  ],
  [
    "send_as_permission",
    String.raw`(?:grant(?:ed|ing)|gave|giv(?:en|ing)|add(?:ed|ing)|assign(?:ed|ing))\s+(?:\S+\s+){0,4}?send[- ]?as\b|add-recipientpermission\b|(?:chang(?:ed|ing)|set|sett(?:ing))\s+the\s+from\s+(?:address\s+)?(?:back\s+)?to\s+(?:the\s+)?(?:login|same|sign-?in|authenticat)`,
  ],
  [
    "starttls_required",
    String.raw`(?:enabl(?:ed|ing)|tick(?:ed|ing)|switch(?:ed|ing) (?:it )?to|set (?:it )?to|chang(?:ed|ing) (?:it )?to)\s+(?:the\s+)?["'“]?starttls|(?:chang(?:ed|ing)|switch(?:ed|ing)|mov(?:ed|ing))\s+(?:the\s+)?port\s+(?:from\s+465\s+)?to\s+587|(?:set(?:ting)?|chang(?:ed|ing)|switch(?:ed|ing))\s+(?:\S+\s+){0,3}?secure\s*(?::|to|=)\s*false`,
  ],
  [
    "tls_version",
    String.raw`(?:enabl(?:ed|ing)|forc(?:ed|ing)|add(?:ed|ing)|set)\s+(?:\S+\s+){0,3}?tls\s*v?1\.2|(?:updat(?:ed|ing)|upgrad(?:ed|ing))\s+(?:the\s+)?(?:firmware|runtime|\.net(?: framework)?|java)`,
  ],
  [
    "auth_mechanism_unsupported",
    String.raw`(?:chang(?:ed|ing)|switch(?:ed|ing)|set)\s+(?:the\s+)?(?:auth(?:entication)?\s+(?:method|mechanism|type)\s+)?(?:from\s+\S+\s+)?to\s+(?:auth\s+)?login\b|auth(?:entication)?\s+(?:method|mechanism|type)\s*(?:to|=|:)\s*["']?login\b`,
  ],
  [
    "wrong_credentials",
    String.raw`(?:re-?typ(?:ed|ing)|correct(?:ed|ing)|fix(?:ed|ing)|reset|chang(?:ed|ing)|re-?enter(?:ed|ing))\s+(?:the\s+|its\s+|it\b\s*)?(?:\S+\s+)?(?:password|user ?name|login|to be sure)|typed (?:it|the (?:new )?password) (?:fresh|again|in again)|(?:used|entered|put in)\s+the\s+(?:full\s+)?(?:upn|e-?mail address)\s+(?:as|for)\s+(?:the\s+)?user ?name`,
  ],
  [
    "basic_auth_disabled_or_retired",
    String.raw`(?:turn(?:ed|ing)?|switch(?:ed|ing)?|set)\s+basic auth(?:entication)?(?: for smtp(?: auth)?)?\s+(?:back\s+)?on|re-?enabl(?:ed|ing)\s+basic auth(?:entication)?(?: for smtp(?: auth)?)?|(?:re-?enabl(?:ed|ing)|allow(?:ed|ing))\s+basic smtp auth`,
  ],
  [
    "mailbox_unlicensed_or_missing",
    String.raw`(?:assign(?:ed|ing)|add(?:ed|ing)|gave|bought)\s+(?:\S+\s+){0,3}?licen[cs]e`,
  ],
];

/** The outcome that says the change worked. */
// Not a bare "success" (a log's "235 … Authentication successful", a sign-in log's "Success") and not
// "still works" (what went on working was not changed), nor "internal mail works" (the part that never failed).
const WORKED = String.raw`(?<!still )(?<!\bother\b(?:\s+\S+){0,3}\s+)(?:sends?|sent|sending)\b(?:[^.\n]|\.\b){0,12}\b(?:again|ok|fine|now)\b|\b(?<!\b(?:internal|external|inbound|incoming)\s)(?:it|mail|scans?|e-?mails?|the test|test e-?mail|everything|all|the (?:printer|copier|scanner|plotter|device|mfp|app)|printer|copier|scanner|plotter|device|mfp)\s+(?:\w+\s+){0,2}?(?<!still )(?:works?|worked|went through|goes through|arrived|sent|is sending|started working|came through)\b|\b(?:works?|working|worked)\s+(?:again|now)\b|\b(?:that|this)\s+(?:fixed|solved|resolved|did)\s+it\b|\b(?:fixed|solved|resolved)\b|\bsent ok\b|\b(?:sent|delivered) successfully\b|\bsuccessfully (?:sent|delivered)\b|\b(?:went out|was sent|test (?:message|mail|e-?mail|page) (?:sent|went through|arrived))\b|\bfunciona(?:ba)?\b|\bfuncionó(?![\p{L}])|\bfunktionierte\b|\bfonctionne\b|\bwerkte\b|\bfunktioniert (?:wieder|jetzt)\b|\bfonctionne (?:à nouveau|maintenant)\b|\bfunciona (?:de nuevo|otra vez|ahora)\b|\bwerkt (?:weer|nu)\b`;
/** The outcome that says it did not. */
const NO_CHANGE = String.raw`\bsame (?:error|result|thing|message)\b|\bstill (?:fails?|failing|the same|no (?:luck|go)|get(?:s|ting)?|not)\b|\b(?:did ?n[o']t|does ?n[o']t|didn't) (?:help|change anything|fix it|work)\b|\bno (?:change|luck|difference)\b|\bnothing changed\b|\b(?:so )?that was(?: no|n'?t) it\b|\bwas(?:n'?t| not) the (?:problem|cause|issue)\b|\bit was already (?:on|enabled|ticked|off)\b|\b(?:bounced|failed|fails|rejected|refused) again\b|\bstill (?:bounc|reject|refus)\w*`;

/** A refusal printed after the change: an SMTP reply ("535 5.7.139"), or its "unsuccessful". */
const FAILED_BETWEEN = String.raw`\b[45]\d\d[ -][245]\.\d|\bunsuccessful\b`;

/** Per cause: the action alone (a cheap first test) and the action followed by each outcome, compiled once. */
const PATTERNS = new Map(
  ACTIONS.map(([cause, action]) => [
    cause,
    {
      action: new RegExp(action, "u"),
      // Not across a failure between the change and the outcome ("typed the password in again … 535 5.7.139 …
      // the copier dealer then sent a bulletin"): an error after the change is its outcome.
      // Not a fix from an earlier episode: "it worked for months after", "worked until last week".
      worked: new RegExp(
        String.raw`(?:${action})(?:(?!${FAILED_BETWEEN})[^\n]){0,160}?(?:${WORKED})(?!\s+(?:fine\s+)?(?:for\s+(?:\S+\s+)?(?:months|weeks|years|days|a while|some time)|until)\b)`,
        "u",
      ),
      same: new RegExp(String.raw`(?:${action})[^\n]{0,160}?(?:${NO_CHANGE})`, "u"),
    },
  ]),
);
/**
 * reportedOutcome per text read and cause: several rules ask about the same words (and diagnose() reads the
 * context rules again on a copy of the evidence with the reporter's statements only). Kept for the last few texts.
 */
const OUTCOMES = new Map<string, Map<CauseId, "worked" | "no change" | undefined>>();

/**
 * What the reporter says came of undoing `cause`: "worked" (sending works again), "no change" (same
 * error), or undefined (not tried, or not said). The user-words rules use it so that "security defaults
 * turned off" inside a fix that worked is not read as the tenant's state before the fix.
 */
export function reportedOutcome(ev: Evidence, cause: CauseId): "worked" | "no change" | undefined {
  let known = OUTCOMES.get(ev.words);
  if (known === undefined) {
    if (OUTCOMES.size >= 8) OUTCOMES.clear();
    OUTCOMES.set(ev.words, (known = new Map<CauseId, "worked" | "no change" | undefined>()));
  }
  if (known.has(cause)) return known.get(cause);
  const p = PATTERNS.get(cause);
  let outcome: "worked" | "no change" | undefined;
  if (p !== undefined && p.action.test(ev.words)) {
    const worked = p.worked.test(ev.words);
    const same = p.same.test(ev.words);
    outcome = worked && !same ? "worked" : same && !worked ? "no change" : undefined;
  }
  known.set(cause, outcome);
  return outcome;
}

function fixWorked(cause: CauseId): Rule {
  return {
    id: `fix-worked-${cause}`,
    source: "the reporter's own account of the change that made sending work again (threads, tickets, chats)",
    kind: "context",
    evidence: (ev) => (reportedOutcome(ev, cause) === "worked" ? 1 : 0),
    weights: { [cause]: 5, unknown: -2 },
    why: "You say this change made it work: the setting it changed was the cause",
  };
}

function fixDidNotHelp(cause: CauseId): Rule {
  return {
    id: `fix-did-not-help-${cause}`,
    source: "the reporter's own account of a change that left the same error",
    kind: "context",
    evidence: (ev) => (reportedOutcome(ev, cause) === "no change" ? 1 : 0),
    weights: { [cause]: -3 },
    why: "You say this change left the same error: that setting was not the cause",
  };
}

/** The resolutions table: for each cause, its fix reported working, and its fix reported not helping. */
export const RESOLUTION_RULES: readonly Rule[] = ACTIONS.flatMap(([cause]) => [fixWorked(cause), fixDidNotHelp(cause)]);
