/**
 * The user's own words (issue 14 item 5): what people add around a paste, or pass with
 * `--context "<text>"` — MFA is on, it worked until last week, it works with TLS on, it is a shared
 * mailbox. A stated fact ("MFA is on", "security defaults are on") moves a generic code's ranking
 * (review class F); it never outweighs a reply that names its own reason (log-odds ≤ 2.8 against
 * 4–6 for a decisive phrase). A rule that names a cause also lowers `unknown` by 1.5: with no reply
 * pasted, the reporter's "security defaults are on" or "Outlook does not support PLAIN" is evidence,
 * and the cause it names ranks first at a modest confidence instead of `unknown` (the ninth batch,
 * fresh-threads-4.yaml: five reports carried only the reporter's words).
 */
import type { Evidence } from "./evidence.ts";
import { MECHANISM_LISTS, OAUTH_AS_REMEDY, OAUTH_WORKS_PASSWORD_FAILS, withoutOAuthForReceiving } from "./extract.ts";
import { REASONS } from "./reasons.ts";
import { reportedOutcome } from "./resolutions.ts";
import type { Rule } from "./rule-kit.ts";

const ADDRESS_OR_LOCAL = String.raw`([a-z0-9._%+-]{1,64}@(?:[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})*\.[a-z]{2,24})?)`;
/** "changed the scanner login to my own account (me@…) and left the "From" as info@": login A, From B. */
const PROSE_LOGIN_CHANGED_FROM_KEPT = new RegExp(
  String.raw`\b(?:changed|switched|set|moved)\s+(?:the\s+)?(?:[\w-]+\s+)?(?:login|user ?name|sign-?in|account)\s+to\s+[^@\n]{0,30}?${ADDRESS_OR_LOCAL}[^\n]{0,120}?\b(?:left|kept)\s+(?:the\s+)?["'“]?from["'”]?(?:\s+address)?\s+(?:as|at|on)\s+["'“]?${ADDRESS_OR_LOCAL}`,
  "u",
);
/** "authenticates as A … sends from B" (and the German, French and Spanish forms): login A, From B. */
const PROSE_LOGIN_THEN_FROM = new RegExp(
  String.raw`\b(?:authenticat(?:es|ing|ed) as|log(?:s|ged|ging)? ?in (?:as|with)|sign(?:s|ed|ing)? in (?:as|with)|meldet sich (?:mit|als)|s'authentifie (?:avec|en tant que|comme)|se autentica (?:con|como))\s+["'“]?${ADDRESS_OR_LOCAL}[^\n]{0,120}?\b(?:sends?|sending|sent|send mail|sets?|setting|soll(?:[^.\n]|\.\b){0,20}?|envoie|envía|verschickt|versendet)\s+(?:(?:e-?mails?|mail|messages?|the)\s+)?(?:from:?|as|with from:?|als|depuis|en tant que|como|desde)\s+["'“]?${ADDRESS_OR_LOCAL}`,
  "u",
);
/** "From: A, not B" / "From A instead of B": the From set to another address than the expected login. */
const PROSE_FROM_NOT_LOGIN = new RegExp(
  String.raw`\bfrom:?\s+["'“]?${ADDRESS_OR_LOCAL}["'”]?,?\s+(?:not|instead of|rather than)\s+["'“]?${ADDRESS_OR_LOCAL}`,
  "u",
);

/**
 * The login itself was refused: a 535 (or 5.7.3 / 5.7.139) anywhere, or the client's own "authentication failed"
 * sentence. What the reporter rules out then points at the next gate; without it, it only rules out.
 */
/**
 * The reporter says security defaults are off, as a state, not as the fix that worked ("turned security
 * defaults off and it sends" is the change, not the state before it).
 */
function securityDefaultsSaidOff(ev: Evidence): boolean {
  return SECURITY_DEFAULTS_OFF.test(ev.words) && reportedOutcome(ev, "security_defaults_enabled") !== "worked";
}

/** The login was refused, or a change left the failure as it was: what is ruled out points at the next gate. */
function nextGateInQuestion(ev: Evidence): boolean {
  return loginRefused(ev) || STILL_FAILS.test(ev.words);
}

/** A change was tried and the failure stayed ("it still does not work", "still fails"). */
const STILL_FAILS =
  /\bstill\b(?:[^.\n]|\.\b){0,30}\b(?:does ?n[o']t work|do ?n[o']t work|not working|fails?|failing|no luck)\b|\bstill the same (?:error|failure)\b/u;

function loginRefused(ev: Evidence): boolean {
  return (
    ev.basic.includes(535) ||
    ev.enhanced.some((c) => c === "5.7.3" || c === "5.7.139" || c === "5.7.8") ||
    /\b(?:authentication (?:failed|unsuccessful|error)|auth(?:entication)? failed|invalid login|could not authenticate|login (?:failed|fails|refused|rejected)|fails? (?:at|on) (?:the )?(?:login|auth\w*)|(?:login|authentication|sign-?in) (?:is |was )?(?:refused|rejected|denied))\b/u.test(
      ev.words,
    )
  );
}

/** Kinds of sender one office has, each a different device or system. */
const OFFICE_SENDER_KINDS = [
  // A copier that scans to email is one sender, however it is named.
  /\bscan\w*(?:-| )to(?:-| )(?:e-?)?mail\b|\b(?:scanners?|printers?|copiers?|mfps?|multifunction (?:printers?|devices?))\b/u,
  /\binvoic(?:es|ing)\b/u,
  /\b(?:practice[- ]management|crm|erp|accounting|ticketing|helpdesk|line[- ]of[- ]business|payroll)\b(?: (?:system|software|app\w*|platform))?/u,
  /\b(?:website|web ?shop|contact forms?|wordpress)\b/u,
  /\b(?:monitoring|backup) (?:alerts?|system|server|software|jobs?)\b|\b(?:nas|ups) (?:alerts?|notifications?)\b/u,
];

/** Getting a delegated OAuth token: the token itself, its first grant, a device code, a device's "Get Token" button. */
const TOKEN_STEP = String.raw`\b(?:(?:access |refresh |oauth ?2?(?:\.0)? |initial )?tokens?|(?:token|initial|oauth) grant|device[- ]code(?: flow)?)\b`;
/** Signed in as the reporter's own account ("logged in with MY account", "as my own GDAP technician acct"). */
const SIGNED_IN_AS_SELF = String.raw`(?:\b(?:log(?:ged|ging)?|sign(?:ed|ing)?) (?:in|on|into)\b[^.!?]{0,30}?\b(?:with|as|using|under) (?:my|our|his|her|their) (?:own )?(?:[\w-]+ ){0,3}?(?:acct|account|login|user|credentials)\b|\b(?:log(?:ged|ging)?|sign(?:ed|ing)?) (?:in|on|into)\b[^.!?]{0,30}?\bas (?:myself|me|himself|herself|themselves)\b|(?<![\p{L}])mit meinem (?:eigenen )?[\p{L}-]*konto(?![\p{L}])[^.!?]{0,30}angemeldet|connecté (?:avec|sous) mon (?:propre )?compte|(?:inicié sesión|entré) con mi (?:propia )?cuenta|(?:entrei|loguei) com a minha (?:própria )?conta)`;

/** The legacy per-user MFA page's Enabled / Enforced, as reporters name it in their language. */
const PER_USER_MFA_ENFORCED =
  /(?:per-?user|per utente|par utilisateur|pro benutzer|por usuario|por usuário|per gebruiker|na użytkownika|per användare|사용자별)(?:[^.\n]|\.\b){0,80}?(?:enforced|applicato|appliqué|erzwungen|aplicado|afgedwongen|wymuszon|tvingad|적용됨|exigido|obligatorio|forcé|wymuszone|vynuceno)|ユーザーごと[^。\n]{0,40}?強制|每用户[^。\n]{0,40}?强制|\benforced next to (?:each|every|their|the)\b|\b(?:status|state|stato|estado|statut|zustand)\b(?:[^.\n]|\.\b){0,25}["“„«](?:enforced|applicato|aplicado|exigido|erzwungen|appliqué|afgedwongen|wymuszon\w*)["”»]|["“]enable["”](?:[^.\n]|\.\b){0,60}\benforced\b|\b(?:mfa|multi-?factor(?: auth\w*)?|two-step verification) (?:status|state)\b(?:[^.\n]|\.\b){0,30}\benforced\b/u;

/**
 * Two addresses as a report gives them: the same when one is the other cut short, by a wrap column
 * ("nvr@contoso-transport.co⏎m") or a field's width ("webforms@").
 */
function sameAddress(a: string, b: string): boolean {
  return a.length >= b.length ? a.startsWith(b) : b.startsWith(a);
}

/** "authenticates with XOAUTH2 as reports@…", "Sender configured in the app is alerts@…". */
const XOAUTH2_MAILBOX_SAID =
  /\b(?:xoauth2|sender|smtp user(?:name)?|user ?name|login|from(?: address)?|authenticating)\b(?:[^.\n@]|\.\b){0,40}?\b(?:as|is|:|=)\s*["']?([\w.%+-]{1,64}@[\w.-]{1,253}\.[a-z]{2,24})/iu;

/** The token's user told in prose: "the refresh token in the cache was issued when alice@… signed in". */
const TOKEN_ISSUED_FOR =
  /\btoken\b(?:[^.\n@]){0,40}?\b(?:issued|minted|obtained|acquired|granted)\b(?:[^.\n@]){0,20}?\b(?:when|for|to|as)\s+(?:(?:the )?(?:account|user)\s+)?["']?([\w.%+-]{1,64}@[\w.-]{1,253}\.[a-z]{2,24})|\b(?:issued|minted|obtained|acquired|got)\s+(?:an? |the )?(?:[\w-]+ )?(?:access )?token\b(?:[^.\n@]){0,30}?\b(?:for|to|as)\s+(?:(?:the )?(?:account|user)\s+)?["']?([\w.%+-]{1,64}@[\w.-]{1,253}\.[a-z]{2,24})/iu;

/**
 * 1 when a text names the XOAUTH2 user= (or says which mailbox the XOAUTH2 login is) and a decoded
 * delegated token's user, and they differ.
 */
function xoauth2UserIsNotTokenUser(text: string): number {
  const issued = TOKEN_ISSUED_FOR.exec(text);
  const tokenUser =
    issued?.[1] ??
    issued?.[2] ??
    /["']?\b(?:upn|unique_name|preferred_username|account\.username)\b["']?(?:\s+claim)?(?:\s+in (?:it|the token))?(?:\s*[:=]\s*|\s+(?:(?:comes? back|came back|returns?|returned|shows?|is|was) as\s+|(?:is|was)\s+)?)["']?([\w.%+-]{1,64}@[\w.-]{1,253}\.[a-z]{2,24})/iu.exec(
      text,
    )?.[1];
  if (tokenUser === undefined) return 0;
  let saslUser =
    /\buser=([\w.%+-]{1,64}@[\w.-]{1,253}\.[a-z]{2,24})|\bSaslMechanismOAuth2\s*\(\s*["']([\w.%+-]{1,64}@[\w.-]{1,253}\.[a-z]{2,24})/iu
      .exec(text)
      ?.slice(1)
      .find((x) => x !== undefined);
  if (saslUser === undefined) {
    const payload = /\bAUTH XOAUTH2\s+([A-Za-z0-9+/]{12,})/u.exec(text)?.[1];
    if (payload !== undefined)
      saslUser = /^user=([\w.%+-]{1,64}@[\w.-]{1,253}\.[a-z]{2,24})/iu.exec(
        Buffer.from(payload.slice(0, payload.length - (payload.length % 4)), "base64").toString("latin1"),
      )?.[1];
  }
  // No user= in the paste: the mailbox the reporter says the XOAUTH2 login or the sender is.
  saslUser ??= XOAUTH2_MAILBOX_SAID.exec(text)?.[1];
  return saslUser !== undefined && !sameAddress(saslUser.toLowerCase(), tokenUser.toLowerCase()) ? 1 : 0;
}

/** Licences taken from other accounts in a clean-up: "removed some licences", "from mailboxes that weren't used". */
const OTHER_LICENCES_REMOVED =
  /\b(?:remov\w*|unassign\w*|took away|revok\w*|reclaim\w*|freed up|quitamos|retiramos|eliminamos|removemos|tiramos|entfernt\w*|retiré\w*|supprim\w*|rimoss\w*|tolt\w*|verwijder\w*)\s+(?:(?:some|a few|several|spare|unused|old|algunas|varias|einige|quelques|alcune|enkele)\s+)?(?:licen[cs]\w*|lizenz\w*)(?:\s+(?:de|from|of|von|des|da|dei|van)\s+(?:the\s+|los\s+|las\s+|den\s+|les\s+|i\s+)?(?:buzones|mailboxes|accounts|users|cuentas|usuarios|postfächern|konten|benutzern|boîtes|comptes|caixas|contas|cassette|account|postvakken)\s+(?:que no se usaban|que ya no se usan|that (?:were|are)n['’]?t (?:used|in use)|(?:not|no longer) in use|nobody used|die nicht (?:genutzt|verwendet) wurden|inutilisé\w*|não usad\w*|non usat\w*|die niet gebruikt werden))?|\b(?:remov\w*|unassign\w*|took away)\s+(?:some|a few|several|spare|unused|old)\s+licen[cs]es?\b|\bunused (?:accounts|mailboxes)['’]? licen[cs]es?\b/gu;
/** The account's licence said to be there still ("la licencia de alertas@ sigue asignada"). */
const LICENCE_STILL_ASSIGNED =
  /\blicen[cs]e\b(?:[^.\n]|\.\b){0,40}\b(?:is |was )?still (?:assigned|there|active|in place)\b|licencia\b(?:[^.\n]|\.\b){0,40}\b(?:sigue|está todavía|aún está) asignada|lizenz\b(?:[^.\n]|\.\b){0,40}\bist (?:noch|weiterhin) zugewiesen|licence\b(?:[^.\n]|\.\b){0,40}\best toujours attribuée|licença\b(?:[^.\n]|\.\b){0,40}\b(?:continua|ainda está) atribuída|licenza\b(?:[^.\n]|\.\b){0,40}\bè ancora assegnata|licentie\b(?:[^.\n]|\.\b){0,40}\bis nog toegewezen/u;

const said =
  (re: RegExp) =>
  (ev: Evidence): number =>
    re.test(ev.words) ? 1 : 0;

/** `said`, once the given phrases (Exchange's own reply wording) are removed from the words. */
const saidBeside =
  (phrases: readonly string[], re: RegExp) =>
  (ev: Evidence): number => {
    let words = ev.words;
    for (const p of phrases) words = words.split(p).join(" ");
    return re.test(words) ? 1 : 0;
  };

/**
 * A noun the reporter mentions can be negated: "no Conditional Access policies", "CA excludes this
 * account", "MFA is disabled for it", "without MFA". Such a mention says the cause is absent, not
 * present. `negatedMentions` cuts those spans out of the words (so the positive test no longer sees
 * them) and says whether there was one. English only: the other languages' negations are not read.
 */
const NEGATION_BEFORE = String.raw`\b(?:no|not|without|zero|turned off|switched off|disabled|neither (?:(?:account|user|mailbox|one|device|scanner|copier)s? |of (?:them|the (?:accounts|users|mailboxes)) )?(?:has|have|had|uses|is (?:on|enrolled in|registered for))|none of them (?:has|have)|(?:nobody|no ?one|no-one) (?:has |had |ever )?(?:enabled|turned on|enforced|set up|configured|activated|switched on)|(?:nobody|no ?one|no-one|no users?|none of (?:them|the users|our users)) (?:is|are|was|were|has been|have been) (?:set (?:to|for)|on|in|enrolled in|registered for)|nobody has|nothing\b(?:[^.\n]|\.\b){0,40}?\b(?:about|regarding|mentioning|for)|nothing (?:in|on|under)(?: the| our)?(?: exchange| entra)?|not using|never used|never (?:had|configured|set up|enabled|turned on|used|created|made|added)(?: any| an?)?|(?:have|has|had)(?: not|n't) (?:made|created|set up|configured|added|enabled|deployed)(?: any| an?)?|(?:do|does|did)(?: not|n't) (?:have|use)|(?:is|are)(?: not|n't)(?: using)?|(?:is|are|was|were)(?: not|n't) (?:covered by|enrolled in|in scope (?:of|for)|subject to|part of)|none (?:of them )?(?:is|are|was|were) (?:in scope (?:of|for)|covered by|subject to|part of))\s+(?:any\s+|the\s+|an?\s+)?(?:per-?user\s+|legacy\s+)?`;
const NEGATION_AFTER = String.raw`(?:\s+polic(?:y|ies))?(?:\s*(?:\([^)\n]{0,30}\)\s*)?[:=]\s*(?:none|no|off|disabled|not (?:applied|enabled|configured)|n\/a)\b|[^.!?\n;]{0,25}?\b(?:(?:shows?|says|reads|displays) (?:[\w@.-]+ ){0,3}?(?:as )?["“]?(?:disabled|off)\b|exclude[sd]?\b|(?:none|neither) (?:of them )?appl(?:y|ies)\b|so there (?:are|is) none\b|(?:is|are|was|were)(?: not|n't) (?:enabled|configured|applied|on|in use|active|enforced|required)\b|not (?:on|active|enabled|configured|applied|in use|enforced|required)\b|(?:on|enabled|enforced|turned on) for (?:nobody|no one|none of (?:them|us|our users|the users))\b|(?:is|are|was|were) (?:off|disabled|empty|deleted|removed|gone)\b|turned off\b|switched off\b|(?:registration )?(?:was |is )?skipped\b|(?:(?:is|are|was)(?: not|n't)|not|never) (?:been )?registered\b|(?:(?:is|are)(?: not|n't)|not) (?:even |part of (?:our|the) )?licen[cs]ed\b))`;

// The account named apart from a rollout, further along the sentence: "MFA for staff this week; web-forms@ is
// excluded", "a MFA foi ativada …, mas a conta faturas@ ficou excluída", "the MFA project didn't touch that account".
const NEGATION_EXCLUDED = String.raw`[^.!?\n]{0,90}?(?:\b(?:is|was|were|are|got|has been|have been|stays?|stayed|remains?|remained) (?:excluded|exempt(?:ed)?)\b|\bexcluded from (?:it|that|this|them)\b|ficou excluíd[oa]|(?:foi|está|fica) excluíd[oa]|(?:fue|está|quedó) excluid[oa]|\bausgenommen\b|(?:est|a été|reste) exclue?\b|(?:è|è stat[oa]|resta) esclus[oa]|\buitgezonderd\b|did ?n[o']t (?:touch|include|cover) (?:that|this|the|our|its) (?:scan\w* |service |shared |printer |device )?(?:account|mailbox|user)\b|\bnot (?:applied |rolled out |enabled )?(?:to|for|on) (?:that|this|the|our) (?:scan\w* |service |shared |printer |device )(?:account|mailbox|user)\b|\bonly (?:in|for) (?:the )?(?:hr|finance|admins?|staff|pilot\w*|[a-z]+ (?:team|department|group))\b|\bexcept (?:for )?(?:this|that|the|our) (?:scan\w* |service |shared |printer |device )?(?:account|mailbox|user)\b|\bsauf (?:ce|le|cette) (?:compte|boîte)\b|\baußer (?:diesem|dem) (?:konto|postfach)\b|\bexcepto (?:esta|la|este) (?:cuenta|buzón)\b|\bexceto (?:esta|a) conta\b|\btranne (?:questo|l['’])\s?(?:account|casella)\b|\bleft (?:the |this |that |our )?[\w@.-]*\s?(?:account |mailbox |user )?out of (?:it|that|the rollout)\b|\bexclude[sd]?\s+(?:the\s+)?["“]?[^"”\n]{0,40}?["”]?\s+group\s+(?:which|that)\s+[\w@.-]+\s+(?:is|sits) in\b|\bexclude[sd]?\s+(?:the |this |that |our |its )?(?:scan\w* |service |shared |printer |device )?(?:account|mailbox|user)\b|\bno polic(?:y|ies) (?:about|for|on|blocking|that blocks?|targeting) (?:the )?(?:legacy|basic) auth\w*|\bno polic(?:y|ies) (?:exist|are configured|configured|defined|at all)\b|\bnone (?:of them )?(?:blocks?|targets?|covers?) (?:the )?(?:legacy|basic) auth\w*|\bsame (?:group|groups|polic(?:y|ies)) as the (?:others|other (?:users|accounts|mailboxes)|rest|working ones)\b|(?<![\p{L}])(?:excluding|excluyendo|excluindo|escludendo|en excluant)(?![\p{L}])[^.\n]{0,60}?(?<![\p{L}])(?:donde está|where|which (?:has|contains|holds)|onde está|dove (?:è|si trova)|où (?:se trouve|est))\s+(?:[\w.-]+@|the (?:account|scanner|service account)|la cuenta|a conta|l['’]account|le compte))`;

// The same in the other languages Exchange answers in, for the localised nouns: "keine … bedingten
// Zugriff", "pas de … accès conditionnel", "sin acceso condicional", "条件付きアクセスのポリシーは作成していません",
// "没有条件访问".
// French elides "de" before a vowel with no space after it: "pas d'accès conditionnel".
const NEGATION_BEFORE_OTHER = String.raw`(?:\b(?:keine?n?|kein|pas de|aucune?|ni|nem|sin|niente|nada de|ningun[ao]?|no tenemos|no usamos|no hay|sem|nenhum[ao]?|não temos|não usamos|nessun[ao]?|non abbiamo|non ci sono|non usiamo|geen|inga|ingen|brak|nie ma|nie mamy|nie używamy|bez)\s+|\bpas d['’]\s*)(?:\S{1,40}?[\s'’]+){0,2}?`;
const NEGATION_AFTER_OTHER = String.raw`[^。.\n]{0,24}?(?:(?:qui|que|die|che)\s+(?:excluent|exclut|excluyen|excluye|excluem|exclui|ausschließen|ausschließt|escludono|esclude)(?![\p{L}])|non (?:ce l['’]?|l['’]?)?abbiamo|no (?:lo |la )?tenemos|não (?:o |a )?temos|していません|ありません|使っていません|なし|無し|未設定|없음|없습니다|없어요|없고|사용하지 않|쓰지 않|적용되지 않|(?:haben|gibt es|nutzen|verwenden)(?: wir| bei uns| hier| dort| da)?(?: noch| auch| bisher)? (?:keine?n?|nicht)\b|(?:haben|hatten) wir (?:noch )?nie (?:benutzt|genutzt|verwendet|aktiviert|eingeschaltet|eingerichtet)\b|nicht vorhanden|nicht angewendet|(?:ist |war )?für niemanden (?:eingeschaltet|aktiviert|aktiv|erzwungen)|pour personne|para nadie|para ninguém|per nessuno|voor niemand|non appliquée?|no aplicad[oa]|não aplicad[oa]|non applicat[oa]|niet toegepast|nie zastosowan|inte tillämpad|не применен|(?:gar |überhaupt )?nicht lizenziert|pas (?:sous )?licen[cs]iée?|no (?:está |tenemos )?licenciad[oa]|não (?:está |temos )?licenciad[oa]|non (?:è )?(?:licenziat[oa]|in licenza)|niet gelicentieerd)`;

/** The expressions of each noun pair, built once: a diagnosis asks for the same nouns more than once. */
const negationExpressions = new Map<string, { mentioned: RegExp; negation: RegExp }>();

function negatedMentions(words: string, noun: string, localNoun?: string): { rest: string; negated: boolean } {
  const key = `${noun}\u0000${localNoun ?? ""}`;
  let expressions = negationExpressions.get(key);
  if (expressions === undefined) {
    const mentioned = new RegExp(localNoun === undefined ? noun : `${noun}|${localNoun}`, "u");
    expressions = { mentioned, negation: negationExpression(noun, localNoun) };
    negationExpressions.set(key, expressions);
  }
  // Every negation names the noun. Most pastes name none, and the negation expression (some 6,000
  // characters) then need not be compiled: that was about a tenth of a diagnosis's first run.
  if (!expressions.mentioned.test(words)) return { rest: words, negated: false };
  const re = expressions.negation;
  // `replace` with a global expression starts from the beginning whatever lastIndex holds.
  const rest = words.replace(re, " ");
  return { rest, negated: rest !== words };
}

/**
 * {@link negatedMentions} by sentence: a sentence that negates the noun drops whole, so a mention before the
 * negation in it goes too ("Conditional Access: you're on Business Basic, so there are no CA policies").
 */
function negatedSentences(words: string, noun: string, localNoun?: string): { rest: string; negated: boolean } {
  const first = negatedMentions(words, noun, localNoun);
  if (!first.negated) return first;
  const kept = words
    .split(/(?<=[.!?;\n])\s+/u)
    .filter((sentence) => !negatedMentions(sentence, noun, localNoun).negated);
  return { rest: kept.join(" "), negated: true };
}

function negationExpression(noun: string, localNoun?: string): RegExp {
  const local =
    localNoun === undefined
      ? ""
      : String.raw`|${NEGATION_BEFORE_OTHER}(?:${localNoun})|(?:${localNoun})${NEGATION_AFTER_OTHER}|(?:${localNoun})(?=${NEGATION_EXCLUDED})|(?:没有|未(?:配置|设置|启用)|無し)(?:任何|新的?|其他)?(?:${localNoun})`;
  return new RegExp(
    // "no CA or MFA": the second noun of a pair is negated too. The English noun also takes the other
    // languages' negations after it ("Conditional Access haben wir nicht"): reporters mix the two.
    String.raw`${NEGATION_BEFORE}(?:(?:[\w-]{1,20}\s+){1,3}(?:or|and|nor)\s+)?(?:${noun})(?:\s+polic(?:y|ies))?|${NEGATION_BEFORE_OTHER}(?:${noun})|(?:${noun})${NEGATION_AFTER}|(?:${noun})(?=${NEGATION_EXCLUDED})|(?:${noun})\s+(?:disabled|off)\b|(?:${noun})${NEGATION_AFTER_OTHER}|excluded from (?:the |all |any |our |its |their )?(?:["“][^"”\n]{1,40}["”]\s+)?(?:[\w-]{1,20}\s+){0,2}?(?:${noun})|(?:${noun})(?=[^\n]{0,120}?\bno polic(?:y|ies) (?:exist|are configured|configured|defined)\b)|(?:${noun})(?=[^,;.\n]{0,50}?\bfor (?:the )?(?:admins?|administrators?|admin (?:accounts|roles)|global admins|privileged (?:roles|accounts))\b(?![^,;.\n]{0,40}\band\b))${local}`,
    "gu",
  );
}

/**
 * The reporter says Basic authentication was turned off; Exchange's own reply wording ("basic authentication
 * is disabled", localised), which the reply rules read, is removed first.
 */
const BASIC_AUTH_OFF_WORDS = saidBeside(
  REASONS.basicDisabled,
  /basic auth(?:entication)?(?:\s+for\s+(?:smtp(?: auth)?(?: \(?client submission\)?)?|client submission(?: \(smtp auth\))?))?\s+(?:has been|was|got|is now|now)\s+(?:disabled|turned off|deprecated|retired|removed|blocked)|basic auth(?:entication)?\s+(?:is\s+)?(?:turned off|deprecated|retired|removed)|basic auth(?:entication)? disabled|(?:disabled?|deprecated|retired|removed|switched off|turned off)\s+basic auth|(?:禁用|停用|移除|取消|关闭|弃用|废弃)[^。\n]{0,16}(?:basic auth|基本身份验证|基本认证)|(?:basic auth(?:entication)?|基本身份验证|基本认证)[^。\n]{0,16}(?:禁用|停用|移除|取消|关闭|弃用|废弃)|基本認証[^。\n]{0,16}(?:無効|廃止|停止)|(?:ritiro|dismissione|retirada|retiro|desuso|retrait|fin|descontinuação|desativação|aposentadoria|abschaltung|einstellung|ende|uitfasering)\s+(?:dell['’]|de la |de l['’]|da |der |van |des )?\s?(?:standard-?authentifizierung|basis-?authentifizierung|authentification de base|autenticaci[oó]n b[aá]sica|autentica[cç][aã]o b[aá]sica|autenticazione di base|basisverificatie)|(?:standard-?authentifizierung|basis-?authentifizierung|basic-authentifizierung|authentification de base|autenticaci[oó]n b[aá]sica|autentica[cç][aã]o b[aá]sica|autenticazione di base|basisverificatie)(?:[^.\n]|\.\b){0,40}(?:deaktiviert|abgeschaltet|entfernt|eingestellt|d[ée]sactiv[ée]e|supprim[ée]e|deshabilitada|desactivada|eliminada|desativada|desabilitada|removida|disattivata|disabilitata|rimossa|uitgeschakeld|verwijderd)|basic auth(?:entication)?(?:\s+for\s+(?:smtp(?: auth)?(?: \(?client submission\)?)?|client submission(?: \(smtp auth\))?))?\s+(?:is being|will be|being|is)\s+(?:disabled|turned off|deprecated|retired|removed)|basic auth(?:entication)?(?:\s+for\s+(?:smtp(?: auth)?(?: \(?client submission\)?)?|client submission(?: \(smtp auth\))?))?\s+(?:would|will|is going to)\s+be\s+(?:off|disabled|turned off|switched off|retired|removed|deprecated)\b|basic auth(?:entication)?(?:\s+for\s+(?:smtp(?: auth)?(?: \(?client submission\)?)?|client submission(?: \(smtp auth\))?))?\s+(?:is\s+)?(?:not|no longer)\s+(?:available|supported|allowed)\b|basic (?:smtp )?auth(?:entication)?(?: for smtp)?(?: auth)?\s+(?:being|is|was|were|got)\s+(?:switched|turned)\s+off\b|\b(?:off|disabled) by default for existing tenants\b|\bturn(?:s|ing|ed)? (?:off )?basic auth(?:entication)?(?: for smtp(?: auth)?)?(?: off)? by default\b|(?:\bbasic\b|базов\S* (?:аутентификац|проверк)\S*)(?:[^.\n]|\.\b){0,40}?(?:отключ|выключ|wyłącz|devre dışı|vypn|poistet|deaktiver|inaktiver|비활성|사용 중지)|(?:отключ\S*|wyłącz\S*)(?:[^.\n]|\.\b){0,30}?(?:\bbasic\b|базов\S* аутентификац)|(?:retirement|deprecation|removal) of basic auth|\bswitch(?:ing|es|ed)? basic auth(?:entication)? off\b|\b(?:no longer|stopped|ended|dropped|discontinued)\s+(?:support(?:s|ing)?|accept(?:s|ing)?|allow(?:s|ing)?)?\s*(?:for\s+)?['"‘’“]?basic auth|\b(?:coup\w*|désactiv\w*|arrêt\w*|supprim\w*)\s+(?:de\s+)?l['’]authentification de base\b|basic auth(?:entication)?\s+(?:retirement|deprecation)|no longer support(?:s|ed)?\s+(?:access to\s+)?(?:the\s+)?(?:aforementioned\s+)?(?:e-?mail\s+)?protocols|end of (?:pop|imap|smtp)\b(?:[^.\n]|\.\b){0,30}\bsupport|(?:not be possible|no longer (?:be )?possible|no longer (?:allowed|work(?:s|ing)?))\s+(?:to\s+)?(?:use\s+)?(?:simply\s+|just\s+)?(?:a\s+)?user(?:name)?\s*(?:\+|and|&|\/)\s*password/u,
);

/** "Security defaults block legacy authentication": what security defaults do, not a Conditional Access policy. */
const SECURITY_DEFAULTS_BLOCK_LEGACY =
  /\bsecurity defaults?\b(?:[^.\n]|\.\b){0,40}\bblock(?:s|ed|ing)? legacy auth\w*(?: protocols?)?/gu;

/**
 * The weak signs of security defaults: a new tenant (`newTenant`), MFA forced on everyone, "it's all default" in
 * Entra. One is a lead (0.6); two together are the reporter describing security defaults without the name.
 */
function securityDefaultsHints(words: string, newTenant: RegExp): number {
  const hints = [
    newTenant,
    /\b(?:forced|pushed|made) (?:in)?to (?:(?:use|set up|register for) )?(?:mfa|multi-?factor|2fa|two-factor|the authenticator)\b/u,
    /\b(?:it'?s|is|everything(?:'s| is)?) all (?:at )?defaults?\b|\ball defaults?\b(?:[^.\n]|\.\b){0,20}\b(?:entra|azure ad|tenant)\b|\b(?:entra|azure ad|tenant)\b(?:[^.\n]|\.\b){0,40}\b(?:all|everything) (?:at |on |is )?defaults?\b/u,
  ].filter((re) => re.test(words)).length;
  return hints >= 2 ? 1 : hints === 1 ? 0.6 : 0;
}

/** OAuth named in the reporter's words. Tested before the remedies are cut out, which most pastes need not compile. */
const OAUTH_NAMED = /\b(?:oauth2?|xoauth2|access token|client credentials|modern auth(?:entication)?)\b/u;

/** An Exchange authentication policy in Microsoft's localised admin centres (de, fr, es, pt, it, nl, pl, ja, zh, ko). */
const AUTH_POLICY_LOCAL = String.raw`authentifizierungsrichtlinie\w*|stratégies? d['’]authentification|directivas? de autenticación|políticas? de autenticação|criteri di autenticazione|criterio di autenticazione|verificatiebeleid\w*|zasad\w* uwierzytelniania|認証ポリシー|身份验证策略|인증 정책`;

const MFA_NOUN = String.raw`\b(?:mfa|2fa|multi-?factor(?: authentication)?|two-?factor(?: authentication)?|(?:2|two)-?step verification)\b`;
const CA_NOUN = String.raw`\bconditional[ -]access|\bca\b`;
const CA_NOUN_LOCAL = String.raw`bedingte[rnm]? zugriff|accès conditionnel|acceso condicional|acesso condicional|accesso condizionale|voorwaardelijke toegang|dostęp warunkowy|dostępu warunkowego|villkorsstyrd åtkomst|условн\S* доступ\S*|koşullu erişim|podmíněný přístup|조건부 액세스|条件付きアクセス|条件访问|條件式存取`;
const MFA_NOUN_LOCAL = String.raw`multi-faktor|mehrstufige authentifizierung|authentification multifacteur|autenticación multifactor|autenticação multifator|autenticazione a più fattori|meervoudige verificatie|uwierzytelnianie wieloskładnikowe|多要素認証|多重身份验证|多因素|다단계 인증|사용자별 mfa`;

/** A personal Microsoft account's address (the consumer domains of extract.ts). */
const PERSONAL_ADDRESS = /@(?:outlook\.[a-z.]+|hotmail\.[a-z.]+|live\.[a-z.]+|msn\.com)\b/iu;
/** Microsoft turned Basic authentication off for personal accounts on 16 September 2024. */
const PERSONAL_BASIC_OFF = Date.UTC(2024, 8, 16);

/**
 * The noun "security defaults" as the reporter writes it: English (also "secure defaults") and the
 * product term of Microsoft Learn's localised pages (the same list as reasons.ts: de, fr, es, pt, it,
 * nl, ja, zh; also pl, sv), so a translated "security defaults … turned off" is read as it is in English.
 */
const SD_NOUN = String.raw`(?:secur(?:ity|e) defaults?|beveiligingsstandaarden|(?:azure ad |entra (?:id )?)?default security polic(?:y|ies)|(?:azure ad|entra(?: id)?) default polic(?:y|ies)|sicherheitsstandards?|paramètres de sécurité par défaut|valeurs (?:de sécurité par défaut|par défaut de sécurité)|valores predeterminados de seguridad|padrões de segurança|impostazioni predefinite (?:per la|di) sicurezza|standaardinstellingen voor beveiliging|domyślne ustawienia zabezpieczeń|ustawienia domyślne zabezpieczeń|säkerhetsstandard(?:er|erna)?|sikkerhedsstandarder|sikkerhetsstandarder|suojausoletukset|výchozí nastavení zabezpečení|zabezpečení ve výchozím nastavení|параметры безопасности по умолчанию|стандартные параметры безопасности|параметри безпеки за замовчуванням|güvenlik varsayılanları|biztonsági alapértelmezések|setări(?:le)? implicite de securitate|προεπιλογές ασφαλείας|mặc định bảo mật|default keamanan|보안 기본값|セキュリティの既定値|安全默认值|安全默认设置|安全性預設值)`;

// A state or a past act, in the languages of SD_NOUN. Not the imperative or the infinitive ("turn off
// security defaults", "do I need to disable them?"): that is the article's advice or a question, not
// the tenant's state. A word is matched whole (no "aktiviert" inside "deaktiviert", no "activés" inside
// "désactivés"); accented endings need (?![a-z]) rather than \b.
const SD_ON_STATE = String.raw`(?:(?:\b(?:(?:is|are|was|were|be|been|still|now|are now|is now)\s+)*(?:on|enabled|active|activated|turned on|switched on)(?![a-z])(?!\s+(?:the|this|that|an?|our|my|your|its|in|at|port|by default)\b)(?!\s+for\s+(?!(?:your|our|the|this|my)\s+(?:organi[sz]ation|tenant|org|company)\b))|(?<![a-zé])(?:aktiviert|aktiv|eingeschaltet|activée?s?|activad[oa]s?|habilitad[oa]s?|ativad[oa]s?|attivat[ei]|abilitat[oaie]|ingeschakeld|aan|włączone|aktiverade?|påslagna?|aktiveret|aktivert|käytössä|zapnut[oéa]?|povolen[oéa]?|включены|включено|включен|увімкнено|etkin|açık|engedélyezve|bekapcsolva|activat[ăe]?|bật|aktif)(?![a-z])|有効|オン|启用|开启|打开|已啟用|啟用|사용\s*(?:상태|중|함)?|켜져))(?!["”]?\s+to\s+["“]?(?:disabled|off|no|deaktiviert|désactivés?|desactivad[oa]s?)(?![\p{L}]))`;
// Not a requirement or advice ("Security defaults must be disabled to enable Conditional Access"). Neither state
// is the one left when the sentence goes on "to" the other ("switched security defaults from Disabled to Enabled").
const SD_OFF_STATE = String.raw`(?:(?<!(?:must|need to|needs to|have to|has to|should|to) be (?:turned |switched )?)(?:\b(?:turned off|switched off|disabled|deactivated|(?:(?:is|are|was|were|still|now) )?off|(?:is|are|was|were)(?: not|n't) (?:on|enabled|active|turned on|in use)|deaktiviert|ausgeschaltet|abgeschaltet|aus|uit|uitgeschakeld|uitgezet)(?![a-z])|(?:désactivée?s?|desactivad[oa]s?|deshabilitad[oa]s?|desativad[oa]s?|disattivat[ei]|wyłączone|avstängda?|inaktiverade?|deaktiveret|deaktivert|slået fra|slått av|pois käytöstä|vypnut[oéa]?|zakázán[oéa]?|выключены|отключены|вимкнено|devre dışı|kapalı|kikapcsolva|letiltva|dezactivat[ăe]?|tắt|nonaktif)(?![a-z])|無効|オフ|禁用|关闭|关了|关掉|已关|停用|已停用|꺼져|사용 안 ?함))(?!["”]?\s+to\s+["“]?(?:enabled|on|yes|aktiviert|activés?|activad[oa]s?)(?![\p{L}]))`;
const SD_ON_ACT = String.raw`(?<![a-zé])(?:enabled|enabling|turned on|turning on|switched on|switching on|activated|activating|added|adding|aktiviert(?:en)?|eingeschaltet|activé|activamos|activé|habilitamos|ativamos|ativei|attivato|abbiamo attivato|ingeschakeld|aangezet|włączyliśmy|włączono|aktiverade|aktiverat|slog på|(?:har )?slagit på|aktiverede|aktiverte|otimme käyttöön|zapnuli|jsme zapnuli|включили|увімкнули|etkinleştirdik|bekapcsoltuk|am activat|đã bật|mengaktifkan)`;
const SD_OFF_ACT = String.raw`(?<![a-zé])(?:disabled|turned off|switched off|deactivated|deaktiviert(?:en)?|ausgeschaltet|abgeschaltet|désactivé|desactivamos|desactivé|deshabilitamos|desativamos|desativei|disattivato|abbiamo disattivato|uitgeschakeld|uitgezet|wyłączyliśmy|inaktiverade|stängde av)`;

/**
 * A clause break that turns to another subject ("Security defaults are enabled, per-user MFA shows
 * Disabled"; blind set 15): a noun's state is not read across it.
 */
export const NEW_SUBJECT_CLAUSE = String.raw`(?:,|;|\bbut\b|\bwhile\b|\bwhereas\b)\s*(?:and\s+)?(?:the\s+)?(?:per-?user|mfa\b|multi-?factor|\bconditional[ -]access|ca\b|smtp|authenticated smtp|(?:the |its |their )?mailbox|(?:the |this )?(?:user|account)\b)`;

/**
 * A checklist's step to turn them on, ticked or done: the step's imperative ("Turn on Security defaults") is the
 * act once the step is marked done (blind set 70: an MSP's onboarding checklist).
 */
const SD_ON_STEP_DONE = String.raw`["“](?:turn|switch) on (?:the )?${SD_NOUN}[^"”\n]{0,60}["”]\s*(?:\([^)\n]{0,40}\)\s*)?(?:(?:is|was|has been|got)\s+)?(?:ticked|checked|done|completed|marked (?:as )?(?:done|complete))\b`;
/** "turned security defaults back ON", "switched the security defaults on": the verb split from its "on". */
const SD_TURNED_BACK_ON = String.raw`\b(?:turn(?:ed|ing|s)?|switch(?:ed|ing|es)?|flip(?:ped|ping|s)?|put)\s+(?:the\s+)?["“]?${SD_NOUN}["”]?\s+(?:back\s+)?on\b`;
/**
 * Entra's refusal to create a Conditional Access policy while security defaults are on, retold ("it told me I have to
 * disable security defaults before I can enable a Conditional Access policy"): they are on.
 */
const SD_BEFORE_CA = String.raw`\b(?:have to|has to|must|need to|needs to|should)\s+(?:first\s+)?(?:disable|turn off|switch off)\s+(?:the\s+)?${SD_NOUN}\s+(?:first\s+)?(?:before|to (?:enable|create|turn on|use)|in order to)\b(?:[^.\n]|\.\b){0,60}\b(?:conditional access|ca)\b|\b${SD_NOUN}\s+must be disabled\s+(?:first\s+)?(?:before|to enable|in order to)\b(?:[^.\n]|\.\b){0,60}\b(?:conditional access|ca)\b|\b(?:conditional access|ca)\b(?:[^.\n]|\.\b){0,80}\b(?:have to|has to|must|need to|needs to)\s+(?:first\s+)?(?:disable|turn off|switch off)\s+(?:the\s+)?${SD_NOUN}\s+(?:first|before)\b|\b(?:conditional access|ca|polic(?:y|ies))\b(?:[^.\n]|\.\b){0,80}\b${SD_NOUN}\s+(?:have|has|must|need|needs) (?:to )?be (?:turned off|switched off|disabled) first\b`;
const SD_BEFORE_CA_SAID = new RegExp(SD_BEFORE_CA, "u");
/** A decision carried out: "the remediation was to turn on security defaults", "we decided to enable security defaults". */
const SD_ON_DECIDED = String.raw`\b(?:was|were|decided|chose|agreed) to (?:turn on|enable|switch on|activate)\s+(?:the\s+)?["“]?${SD_NOUN}`;
/** Someone turned them on: a change, not only a state ("my nephew switched on a thing called security defaults"). */
export const SECURITY_DEFAULTS_TURNED_ON = new RegExp(
  String.raw`(?<!\b(?:never|not|n't|who)\s)${SD_ON_ACT}\s+(?:\S+\s+){0,4}?["„“«]?${SD_NOUN}|${SD_ON_STEP_DONE}|${SD_ON_DECIDED}|(?<!\b(?:never|not|n't|who)\s)${SD_TURNED_BACK_ON}`,
  "u",
);
/** "Security defaults are on / were turned on / we enabled the security defaults", in one sentence. */
export const SECURITY_DEFAULTS_ON = new RegExp(
  // Also the Entra overview's banner "Your organization is protected by security defaults".
  String.raw`${SD_ON_STEP_DONE}|${SD_ON_DECIDED}|${SD_BEFORE_CA}|(?<!\b(?:never|not|n't|who)\s)${SD_TURNED_BACK_ON}|${SD_NOUN}["”»]?(?:(?!${NEW_SUBJECT_CLAUSE}|\bnever\b|\bnot\b|n't\b|\bno longer\b)[^.!?\n。]){0,50}?${SD_ON_STATE}|\bis protected by (?:the )?${SD_NOUN}|${SD_ON_ACT}\s+(?:\S+\s+){0,4}?["„“«]?${SD_NOUN}|(?<!没有|沒有|未|并未|並未|没)(?:启用了?|开启了?|打开了?|有効に(?:した|しました|なった)|有効化(?:した|しました))[^。\n]{0,8}${SD_NOUN}`,
  "u",
);
/** "Security defaults … turned off / disabled / are off", "we disabled the security defaults", in one sentence. */
export const SECURITY_DEFAULTS_OFF = new RegExp(
  String.raw`${SD_NOUN}(?:(?!${NEW_SUBJECT_CLAUSE})[^.!?\n。]){0,80}?${SD_OFF_STATE}|${SD_OFF_ACT}\s+(?:\S+\s+){0,3}?"?${SD_NOUN}|\b(?:no|without|not using|(?:do|does|did)(?: not|n't) (?:have|use))\s+(?:the\s+)?"?${SD_NOUN}|${SD_NOUN}[^。\n]{0,12}?也?(?:关了|关掉|关闭了|已关闭|禁用了|已禁用)|(?:没有|沒有|未|并未|並未)(?:启用|开启|打开|啟用|開啟)了?[^。\n]{0,4}${SD_NOUN}`,
  "u",
);

/** The admin center's Org settings > Modern authentication page, named (en and the localised UI). */
const MODERN_AUTH_PAGE =
  /(?:org(?:ani[sz]ation)? settings|configuración de la organización|organisationseinstellungen|paramètres de l'organisation|configurações da organização|impostazioni dell'organizzazione|organisatie-instellingen|ustawienia organizacji|organisationsinställningar)[^\n]{0,30}(?:modern auth(?:entication)?|autenticación moderna|moderne authentifizierung|authentification moderne|autenticação moderna|autenticazione moderna|moderne verificatie|nowoczesne uwierzytelnianie|modern autentisering)/u;
/**
 * The organisation's "Turn off SMTP AUTH protocol for your organization" box, named: unticking it turns SMTP AUTH
 * on, so it is no Basic-authentication protocol box cleared.
 */
const ORG_TURN_OFF_BOX = /["“]?turn off smtp auth protocol for (?:your|the) organi[sz]ation["”]?/gu;
/** Its Basic-authentication protocol boxes cleared. */
const BASIC_PROTOCOLS_UNTICKED =
  /\b(?:unticked|unchecked|cleared|deselected|untick|uncheck)\b|desmarc|abgewählt|deaktiviert|décoché|desmarcou|deselezionat|uitgevinkt|odznacz|avmarker/u;

/**
 * The organisation's box in the Exchange admin center, checked: "'Turn off SMTP AUTH protocol for your
 * organization' is checked", or the act first ("after ticking 'Turn off SMTP AUTH protocol …'"; blind set 17).
 */
export const ORG_SMTP_AUTH_BOX_TICKED =
  /(?:\[[x✓✔]\]|☑|☒)\s*["“]?turn off smtp auth protocol for your organi[sz]ation|["“]turn off smtp auth["”]\s+(?:box|checkbox|option)\s+(?:(?:is|was)\s+)?(?:ticked|checked|selected|on)\b|turn off smtp auth protocol for your organi[sz]ation["'”]?\s+(?:(?:and\s+)?(?:that\s+|the\s+|this\s+)?(?:box|checkbox|option|setting)\s+)?(?:(?:under|in|on)\s+(?:[^.\n]|\.\b){0,40}?\s+)?(?:(?:is|was)\s+)?(?:(?:now|still|currently|also)\s+)?(?:checked|ticked|selected|enabled|on)\b|\b(?:ticked|ticking|checked|checking|selected|selecting|enabled|enabling|turned on)\s+(?:the\s+)?(?:box\s+|option\s+|setting\s+|checkbox\s+)?["'“]?turn off smtp auth protocol for your organi[sz]ation|smtp auth[- ]?(?:protokoll|protocol|protokolünü|protocole|protocolo|protocollo)(?:[^.\n]|\.\b){0,60}?(?:organi[sz]\w*|kuruluş\w*)(?:[^.\n]|\.\b){0,40}?(?:deaktivieren|uitschakelen|kapatın|désactiver|desactivar|desativar|disattiva)["”»]?(?:[^.\n]|\.\b){0,30}?(?:\baan\b|işaretli|aktiviert|angehakt|ausgewählt|coché|cochée|marcad[oa]|seleccionad[oa]|selezionat[oa]|spuntat[oa]|zaznaczon\w*)|\bvinkje\b(?:[^.\n]|\.\b){0,90}smtp auth(?:[^.\n]|\.\b){0,60}organisatie(?:[^.\n]|\.\b){0,40}\baan\b|kuruluşunuz için smtp auth protokolünü kapatın["”]?\s*(?:kutusu\s*)?(?:işaretli|seçili)/u;

/** The new password already on the device, sends working after the change, or a reset retyped while troubleshooting. */
/** "Nobody changed passwords", "the password wasn't changed": a change denied is no change. */
const PASSWORD_NOT_CHANGED =
  /\b(?:nobody|no one|never|not|didn'?t|haven'?t|hasn'?t)\b(?:[^.\n]|\.\b){0,20}\b(?:changed|reset|rotated) (?:the |any |their |his |her |its |our )?passwords?\b|\bpasswords? (?:was|were|has|have|had)(?:n'?t| not| never) (?:been )?(?:changed|reset|rotated)\b|\bmots? de passe (?:n'a|n'ont) pas (?:été )?(?:changé|modifié)s?\b|\b(?:passwort|kennwort)\w* (?:wurde |wurden )?nicht (?:geändert|zurückgesetzt)\b|\bcontraseñas? no (?:ha |han )?(?:sido )?cambiad[ao]s?\b|\bsenhas? não (?:foi |foram )?(?:alterad|trocad)[ao]s?\b|\bpassword non (?:è stata )?(?:cambiata|modificata)\b|\bwachtwoord (?:is )?niet gewijzigd\b|\bhasło nie (?:zostało )?zmienione\b|\blösenord(?:et)? (?:har )?inte (?:ändrats|bytts)\b|密码(?:没有|没|未)(?:过期|修改|更改)|パスワードは変更していません/gu;

const PASSWORD_UPDATED_ON_DEVICE =
  /\b(?:the new one|the new password|it)(?:['’]s| is)? (?:confirmed|correct|verified) in the (?:vault|key ?vault|config\w*|secrets?|app|device)\b|\bthe new one is confirmed\b|\b(?:reset|changed|re-?set) (?:the |its )?password (?:twice|again|several times|a few times|\d+ times)\b(?:[^.\n]|\.\b){0,40}\b(?:typed|entered)\b|\b(?:i|we)(?: have| had|'ve)? (?:updated|changed|entered|typed|put) (?:the |it |that |this )?(?:new (?:one|password) )?(?:in(?:to)? |on )?(?:the )?(?:printer|scanner|copier|device|app|ricoh|canon|kyocera|xerox|hp|brother|sharp|konica|epson|it)\b(?:[^.\n]|\.\b){0,40}?\b(?:then|same day|right away|immediately|too|as well|at the same time)\b|\b(?:typed|entered|put) the new one into\b|\bscans? (?:still )?worked (?:on|after|for)\b|\bworked (?:fine )?after the (?:password )?change\b/u;

/**
 * The mailbox's Authenticated SMTP box read as cleared, in the admin centres' languages. Not when turning
 * it on is reported as having changed nothing (then it was not off, or not the cause).
 */
const MAILBOX_BOX_UNTICKED =
  /\bauthenticated smtp["'”]?\s*[—–:-]+\s*(?:an? )?(?:empty|blank|unticked|unchecked)(?: box| checkbox)?\b|\bauthenticated smtp\b(?:[^.\n]|\.\b){0,80}?\b(?:the same|that|this|the) (?:box|checkbox|tick ?box) is (?:empty|unticked|unchecked|blank|clear(?:ed)?)\b|(?:smtp с проверкой подлинности|проверк\S* подлинности smtp)[»"”]?(?:[^.\n]|\.\b){0,30}?(?:снят\S*|не (?:стоит|отмечен\S*|установлен\S*)|убран\S*|отключен\S*|выключен\S*)|(?:снят\S*|убран\S*|нет)\s+(?:галочк\S*|флаж\S*|отметк\S*)(?:[^.\n]|\.\b){0,10}?[«"“]?(?:smtp с проверкой подлинности)|\b(?:switch(?:es|ed)? off|turn(?:s|ed)? off|disabl(?:es|ed))\b(?:[^.\n]|\.\b){0,60}\bsmtp (?:client )?auth\w*(?:[^.\n]|\.\b){0,60}\b(?:on |for )?(?:each|every|all(?: the)?) mailbox(?:es)?\b|uwierzytelniony protokół smtp["”]?(?:[^.\n]|\.\b){0,30}?(?:odznaczon|wyłączon|niezaznaczon)|(?:認証済み ?smtp|認証された ?smtp)[」"”]?(?:[^。、，\n]){0,20}?(?:チェック(?:だけ|のみ)?が外れ|チェックされていな|チェックなし|オフ|無効)|(?:经过身份验证的 ?smtp|已验证的 ?smtp|經過驗證的 ?smtp)[」"”]?(?:[^。，,；;、\n]){0,20}?(?:未勾选|未选中|没有勾选|未勾選|已关闭|已禁用|禁用)|authenticated smtp["'”]?\s+(?:is\s+)?(?:ticked|checked|enabled)\b(?:[^.\n]|\.\b){0,60}?\b(?:doesn'?t|does not|isn'?t|is not|hasn'?t|has not)\b|authenticated smtp["'”]?\s+(?:(?:is|was)\s+)?(?:the only (?:box|one|option|setting|protocol) )?(?:un-?ticked|unchecked|not (?:ticked|checked|enabled|selected)|disabled|off|deselected|cleared)\b|(?:un-?ticked|unchecked|cleared|deselected)\s+(?:the\s+)?["'“]?authenticated smtp\b|(?:desmarcad[oa]|desmarcó|décoché|deaktiviert|odznaczon\S*|uitgevinkt|avmarkerad|nicht angehakt)(?:[^.\n]|\.\b){0,20}?["'“„«]?(?:smtp autenticado|smtp authentifié|authentifiziertes smtp|smtp autenticato|geverifieerde smtp|uwierzytelniony smtp|autentiserad smtp|authenticated smtp)\b|(?:smtp autenticado|smtp authentifié|authentifiziertes smtp|smtp autenticato|geverifieerde smtp|uwierzytelniony smtp|autentiserad smtp|проверка подлинности smtp)["'”]?(?:[^.\n]|\.\b){0,30}?(?:desmarcado|no (?:está )?marcado|décoché|non coché|n['’]est pas cochée?|nicht aktiviert|nicht angehakt|nicht an(?![a-zäöü])|deaktiviert|niet aan(?![a-z])|staat uit(?![a-z])|no está (?:activad[oa]|habilitad[oa])|não está (?:marcad[oa]|ativad[oa])|non (?:è |e )?(?:selezionat[oa]|spuntat[oa])|(?:è )?l['’]unica non (?:selezionat[oa]|spuntat[oa])|non selezionato|non spuntato|disattivato|niet aangevinkt|uitgevinkt|uitgeschakeld|desativado|desmarcad|odznaczon|wyłączon|avmarkerad|inte markerad|inte ikryssad|ej ikryssad|avbockad)|\bauthenticated smtp["'”]?(?:,?\s+(?:that|which|box|option|checkbox))?\s+(?:(?:is|was)n['’]?t|is not|was not)\s+(?:ticked|checked|enabled|selected|on)\b|\bauthenticated smtp["'”]?\s+(?:(?:is|was|stays|is still)\s+)?(?:empty|blank)\b|(?:authenticated smtp|authentifiziertes smtp|smtp authentifié|smtp autenticado|smtp autenticato|geverifieerde smtp)["'”]?,?(?:[^.\n]|\.\b){0,60}?\b(?:it is|it's|is)\s+not\s+(?:set|ticked|checked|selected)\b|\bauthenticated smtp["'”]?\s*(?:\[\s\]|☐)|(?:\[\s\]|☐)\s*["'“]?authenticated smtp\b|\bauthenticated smtp["'”]?\s+(?:(?:tick|box|checkbox|check ?mark)\s+)?(?:is\s+)?(?:there|ticked|checked|on|set)\s+(?:for|on)\b(?:[^.\n]|\.\b){0,60}?\bbut\s+not\s+(?:for|on)\b|\bmanage email apps\b(?:(?!turn off smtp auth|\borg(?:ani[sz]ation)?[- ]wide\b|\bmail flow\b)(?:[^.\n]|\.\b)){0,160}?\b(?:un-?ticked|unchecked|cleared|deselected|turned off|disabled(?! for the (?:tenant|mailbox)\b)|switched off)\b|\b(?:un-?ticked|unchecked|cleared|deselected|turned off|disabled)\b(?:(?!turn off smtp auth|\borg(?:ani[sz]ation)?[- ]wide\b|\bmail flow\b)(?:[^.\n]|\.\b)){0,60}?\bmanage email apps\b|(?:已驗證的 ?smtp|已验证的 ?smtp|經過驗證的 ?smtp|经过身份验证的 ?smtp)[」"”]?[^。\n]{0,6}(?:沒有勾選|没有勾选|未勾選|未勾选|沒勾|没勾)|(?:authentifiziertes smtp)["”]?(?:[^.\n]|\.\b){0,12}(?:kein (?:haken|häkchen)|nicht gesetzt)|\b(?:every|all)\b(?:[^.\n]|\.\b){0,40}\b(?:ticked|checked|enabled)\b(?:[^.\n]|\.\b){0,10}\bexcept\s+["“]?authenticated smtp\b/u;

/** The reporter's account of a lockout, not Exchange's security-defaults reason (which the reply rules read). */
const ACCOUNT_LOCKED_SAID = saidBeside(
  REASONS.securityDefaults,
  /\baccount (?:has been |is |was |got |gets )?locked(?: out)?\b(?!\s*(?:\/|\bor\b)\s*\p{L})|\bblock(?:ed)? sign-?in\b|\b(?:inicio de sesión|início de sessão|connexion|anmeldung|accesso|aanmelden|logowanie)\s+(?:est |ist |è |is |está |foi )?(?:bloquead[oa]|bloquée?|blockiert|bloccato|geblokkeerd|zablokowane)\b|["“„«](?:bloquear (?:o )?início de sessão|bloquear (?:el )?inicio de sesión|bloquer la connexion|anmeldung blockieren|bloccare l['’]accesso|aanmelden blokkeren|blokuj logowanie)["”»]|(?:ativámos|ativamos|activamos|activé|activée|aktiviert|attivato|abbiamo attivato|habilitamos|ingeschakeld|włączyliśmy|aktiverade)[^.\n]{0,20}["“„«]?(?:bloquear (?:o )?início de sessão|bloquear (?:a )?entrada|bloquear (?:el )?inicio de sesión|bloquer la connexion|anmeldung blockieren|blocca accesso|bloccare l['’]accesso|aanmelden blokkeren|blokuj logowanie|blockera inloggning)|(?:bloquear (?:o )?início de sessão|bloquear (?:a )?entrada|bloquear (?:el )?inicio de sesión|bloquer la connexion|anmeldung blockieren|blocca accesso|bloccare l['’]accesso|aanmelden blokkeren|blokuj logowanie|blockera inloggning)["”»]?\s*[:=]\s*["“]?(?:true|yes|sí|sim|oui|ja|sì|on|ativad[oa]|activad[oa]|activée?|aktiviert|attivat[oa]|ingeschakeld)\b|\bsign-?in (?:is |was |has been |got )?blocked\b|(?<!\b(?:for|on|to) (?:that |the |this |its |his |her |our |their )?)\baccount (?:is |was |has been |got )?(?:disabled|deactivated)\b|\blocked out\b|\bsmart lockout\b|\bidslocked\b|\b(?:error(?: code)?|sign-?in error)\s*:?\s*50053\b|(?:код|kód|kod|コード|代码|código|codice|fehlercode|code d'erreur)\s*:?\s*50053\b|учётн\S* запис\S* (?:временно )?заблокирован\S*|учетн\S* запис\S* (?:временно )?заблокирован\S*|konto (?:ist |wurde )?gesperrt|compte (?:est )?verrouillé|cuenta (?:está )?bloqueada|conta (?:está )?bloqueada|account (?:è )?bloccato|account (?:is )?geblokkeerd|アカウントがロック|帐户(?:已)?(?:被)?锁定|账户(?:已)?(?:被)?锁定|temporarily locked to prevent unauthori[sz]ed use|vorübergehend gesperrt|temporairement verrouillé|konto (?:jest )?(?:tymczasowo )?zablokowane|vorübergehend gesperrt|temporairement verrouillé|bloqueada temporalmente|temporalmente bloqueada|temporariamente bloqueada|temporaneamente bloccato|tijdelijk geblokkeerd|\bpassword spray|pulvérisation de mots de passe|\b(?:hundreds|thousands|centaines|milliers|cientos|miles|centenas|hunderte|tausende) (?:of |de |d['’]|von )?(?:failed )?(?:sign-?ins?|log-?ins?|attempts|tentatives|intentos|tentativas|anmeldeversuche)|\bbrute[- ]force\b(?:[^.\n]|\.\b){0,60}\b(?:sign-?ins?|log-?ins?|attempts?)\b|\b(?:thousands|hundreds) of failed (?:sign-?ins?|log-?ins?|logins?)|החשבון נעול|الحساب مقفل|λογαριασμός (?:είναι )?κλειδωμένος|обліковий запис заблоковано|учетная запись заблокирована|hesap kilitl/u,
);

/** A lockout looked for and not found. */
export const LOCK_DENIED =
  /\bno lock-?out\b|\b(?:was ?n['’]?t|wasn['’]t|is ?n['’]?t|isn['’]t|not) (?:actually |really |even )?(?:locked|blocked)\b|\bshows? no (?:lock|block)/u;

/** The user-words table. */

/** A bulk run in the reporter's words: a volume, mass or bulk mail, a trial tenant's lower limits. */
// The thousands groups are bounded: unbounded, they ran over "220 220 220 …" from every start (a second on 100 KB).
const BULK_SENDING =
  /\bmass[- ]?mail|\bbulk (?:e-?mail|mail|send|sending|run)|\b\d{1,3}(?:[,. ]\d{3}){1,3} (?:e-?mails|mails|messages|recipients|subscribers|customers|remittance|invoices|advices)\b|\b(?:thousands|hundreds) of (?:recipients|e-?mails|mails|messages|subscribers)\b|\bin one go\b|\btrial tenant\b|(?:prøveversion|testversion|version d'essai|versión de prueba|versão de avaliação|proefversie|wersja próbna)\b[^\n]{0,60}\b(?:tenant|tenanten)\b|\btenant(?:en)?\b[^\n]{0,30}\b(?:prøveversion|testversion|proefversie)\b|\brecipient rate limit\b/u;
const bulkSaid = said(BULK_SENDING);

/** Sending fails with STARTTLS, TLS or SSL on ("fail to send … when using STARTTLS encryption"). */
const FAILS_WITH_TLS =
  /\b(?:fail\w*|errors?|can ?not|can't|unable|inability)\b(?:[^.\n]|\.\b){0,80}\b(?:when|with|using|if)\b(?:[^.\n]|\.\b){0,20}\b(?:starttls|tls|ssl)\b|\b(?:starttls|tls|ssl)\b(?:[^.\n]|\.\b){0,30}\b(?:on|enabled|set)\b(?:[^.\n]|\.\b){0,30}\b(?:fails?|failed|errors?|does ?n[o']t work|not working)\b/u;
/** …and goes through with encryption "None" or off. */
const WORKS_WITHOUT_TLS =
  /\b(?:works?|worked|succeed\w*|successfully|go(?:es)? through|went through)\b(?:[^.\n]|\.\b){0,80}\b(?:encryption|security|ssl|tls|starttls)\b(?:[^.\n]|\.\b){0,20}\b(?:none|off|disabled)\b|\b(?:encryption|security|ssl|tls|starttls)\b(?:[^.\n]|\.\b){0,20}\b(?:none|off|disabled)\b(?:[^.\n]|\.\b){0,60}\b(?:works?|worked|succeed\w*|successfully|goes through|went through)\b/u;
const newsletterSaid = said(/\bnewsletters?\b/u);

export const USER_WORD_RULES: readonly Rule[] = [
  {
    id: "words-mfa",
    source: "review class F/E: MFA named by the reporter",
    kind: "context",
    // Also the product term of Microsoft Learn's localised pages (de, fr, es, pt, it, nl, ja, zh).
    // A negated mention ("MFA is disabled", "no MFA") is read by words-no-mfa instead.
    evidence: (ev) =>
      /\b(?:mfa|2fa|multi-?factor|two-?factor|(?:2|two)-?step verification|authenticator app|zwei-faktor|multi-faktor|mehrstufige authentifizierung|double authentification|authentification multifacteur|autenticación multifactor|autenticação multifator|autenticazione a più fattori|meervoudige verificatie)\b|多要素認証|多重身份验证|多因素/u.test(
        negatedMentions(ev.words, MFA_NOUN, MFA_NOUN_LOCAL).rest,
      )
        ? 1
        : 0,
    weights: { unknown: -1.5, per_user_mfa: 2.4, conditional_access_block: 0.6, wrong_credentials: -0.8 },
    why: "You mention MFA: a password-only SMTP sign-in cannot satisfy it",
  },
  {
    id: "words-no-mfa",
    source: "the reporter says MFA is off for the account ('MFA is disabled for it', 'no MFA')",
    kind: "context",
    evidence: (ev) => {
      const { rest, negated } = negatedMentions(ev.words, MFA_NOUN, MFA_NOUN_LOCAL);
      return negated && !new RegExp(`${MFA_NOUN}|${MFA_NOUN_LOCAL}`, "u").test(rest) ? 1 : 0;
    },
    weights: { per_user_mfa: -1.5 },
    why: "You say MFA is off for the account",
  },
  {
    id: "words-app-password",
    source: "app passwords exist only for accounts with per-user MFA",
    kind: "context",
    evidence: said(
      /\bapp[- ]?passwor[dt]s?\b|\bapp-kennwort|mot de passe d'application|contraseña de aplicación|senha de aplicativo|password (?:per l'|dell')app|app-wachtwoord|アプリ ?パスワード|应用(?:专用)?密码/u,
    ),
    weights: { per_user_mfa: 1.0, security_defaults_enabled: 0.4 },
    why: "You mention an app password: the account has per-user MFA",
  },
  {
    id: "words-app-password-works",
    source:
      "Microsoft 'Create app passwords for Microsoft 365': app passwords exist only for accounts with legacy per-user MFA; one that signs in where the account's password is refused shows per-user MFA is what refuses it",
    kind: "context",
    evidence: said(
      /\bapp[- ]?passwor[dt]s?\b(?:(?!\.\s|same credentials|swaks|telnet|another (?:app|client)|other (?:app|client)s?)[^\n]){0,160}?\b(?:it )?(?:sends|works|worked|goes through|went through|succeeds|succeeded|is accepted|was accepted|arrives|arrived)\b|\b(?:works|worked|sends|succeeds) (?:fine |again )?with (?:an? |the )?app[- ]?passwor[dt]/u,
    ),
    weights: { per_user_mfa: 2.5, wrong_credentials: -1, unknown: -1 },
    why: "An app password works where the account's password is refused: app passwords exist only under per-user MFA, which refuses the plain password",
  },
  {
    id: "words-security-defaults",
    source: "review class E: 'Security Defaults are on' in the reporter's words",
    kind: "context",
    // "Secure defaults" is how admins often name them (OfficeDocs-Exchange #2075); a sentence that goes
    // on to say they were turned off does not count (azure-docs #54776: "had security defaults on …
    // then was subsequently turned off").
    // Not when the reporter sets them aside for an OAuth login ("security defaults on, but those don't
    // affect OAuth"): they block only Basic authentication (blind set 36).
    evidence: (ev) =>
      SECURITY_DEFAULTS_ON.test(ev.words) &&
      !SECURITY_DEFAULTS_OFF.test(ev.words) &&
      !/\b(?:do ?n[o']t|does ?n[o']t|do not|does not|won['’]?t|will not) (?:affect|apply to|block|matter for) (?:oauth|modern auth|xoauth2)\b/u.test(
        ev.words,
      )
        ? 1
        : 0,
    // Security defaults make every user register for MFA, so an MFA or app-password mention next
    // to them is explained by them (azure-docs #46622: "added 2FA and an app password, but the
    // Security Defaults still didn't work").
    // Entra refuses to turn a Conditional Access policy on while security defaults are on (and defaults on while a
    // policy is), so with defaults on no policy is what blocks: "the CA blade says it needs Premium", "CA policies
    // were deleted", "To create policies, first disable security defaults" (blind sets 77, 78, 80).
    weights: {
      unknown: -1.5,
      security_defaults_enabled: 2.4,
      per_user_mfa: -1.2,
      wrong_credentials: -0.5,
      conditional_access_block: -2.5,
    },
    why: "You say security defaults are on: they block Basic SMTP AUTH",
  },
  {
    id: "words-security-defaults-before-ca",
    source:
      "Microsoft 'Security defaults in Microsoft Entra ID': Conditional Access policies cannot be turned on while security defaults are on; the admin center says to disable them first",
    kind: "context",
    // Entra's own refusal, retold: a reading of the setting, stronger than a reporter's word that they are on, and
    // the MFA the reporter meant to exclude the account from is theirs (blind sets 101, 104).
    evidence: (ev) => (SD_BEFORE_CA_SAID.test(ev.words) ? 1 : 0),
    weights: { security_defaults_enabled: 2, per_user_mfa: -1.5, conditional_access_block: -1 },
    why: "Entra would not turn a Conditional Access policy on until security defaults are off: they are on, and they block Basic SMTP AUTH",
  },
  {
    id: "words-security-defaults-turned-on",
    source:
      "Microsoft 'Security defaults in Microsoft Entra ID': turning them on blocks legacy authentication (Basic SMTP AUTH) for every user at once and asks each to register for MFA in the Authenticator app; a change someone made just before sending stopped (blind sets 70, 73)",
    kind: "context",
    // The change, beside the state words-security-defaults reads: the Authenticator sign-ups it brings are
    // explained by it, not by per-user MFA.
    evidence: (ev) => (SECURITY_DEFAULTS_TURNED_ON.test(ev.words) && !SECURITY_DEFAULTS_OFF.test(ev.words) ? 1 : 0),
    weights: { security_defaults_enabled: 1.2, per_user_mfa: -1, conditional_access_block: -0.3 },
    why: "Security defaults were turned on: they block Basic SMTP AUTH from that moment, for every account",
  },
  {
    id: "words-security-defaults-off",
    source:
      "Microsoft 'Enable or disable SMTP AUTH in Exchange Online': SMTP AUTH is disabled for organizations created after January 2020 and is enabled per mailbox; turning security defaults off does not turn it on (azure-docs #54776)",
    kind: "context",
    // Only where the login itself was refused (a 535, the client's "authentication failed"), or it "still"
    // fails once they were turned off (azure-docs #54776): then the SMTP AUTH switches are the next gate.
    // Without a refusal, "security defaults are off" only rules them out (words-security-defaults-off-only;
    // blind set 36: a red herring beside a timeout, a missing login, a Send As refusal).
    evidence: (ev) => (securityDefaultsSaidOff(ev) && nextGateInQuestion(ev) ? 1 : 0),
    weights: {
      unknown: -1.5,
      security_defaults_enabled: -2.4,
      smtp_auth_disabled_mailbox: 1.8,
      smtp_auth_disabled_tenant: 0.6,
    },
    why: "You say security defaults are off: then the mailbox's (or the organization's) SMTP AUTH switch is the next gate",
  },
  {
    id: "words-security-defaults-off-only",
    source: "the reporter says security defaults are off, with no refused login in the paste",
    kind: "context",
    evidence: (ev) => (securityDefaultsSaidOff(ev) && !nextGateInQuestion(ev) ? 1 : 0),
    weights: { security_defaults_enabled: -2.4 },
    why: "You say security defaults are off",
  },
  {
    id: "words-conditional-access",
    source: "reporter names Conditional Access",
    kind: "context",
    // Also "CA policy", as admins abbreviate it, and the localised product terms (nl and it checked
    // in Microsoft's localised docs; the others are Microsoft Learn's page titles).
    // A negated mention ("no CA policies", "CA excludes this account") is read by words-no-conditional-access.
    evidence: (ev) =>
      /\bconditional[ -]access|\bca polic(?:y|ies)\b|legacy auth(?:entication)? (?:is |was )?block|block(?:s|ed|ing)? legacy|requires? (?:mfa|multi-?factor(?: authentication)?)\b[^\n."]{0,12}\b(?:all|every) users?\b|\bpolic(?:y|ies)\b[^\n]{0,80}\bonly (?:lets|allows) (?:us |users |people |staff |everyone )?(?:to )?sign[- ]?in from\b|\ball client apps\b|\bgrant controls?\b|verouderde verificatie blokkeren|legacy-authentifizierung blockieren|bloquer l'authentification héritée|bloquear (?:la )?autenticación heredada|\b(?:trusted |named )+locations?\b|navngitt plassering|navngivne placeringer|namngivna platser|benannte orte|emplacements nommés|ubicaciones con nombre|locais nomeados|posizioni denominate|benoemde locaties|location-based (?:polic|access|sign-?in)|bedingte[rnm]? zugriff|accès conditionnel|acceso condicional|acesso condicional|accesso condizionale|voorwaardelijke toegang|dostęp warunkowy|dostępu warunkowego|villkorsstyrd åtkomst|условн\S* доступ|koşullu erişim|podmíněný přístup|조건부 액세스|条件付きアクセス|条件访问|條件式存取/u.test(
        negatedSentences(ev.words, CA_NOUN, CA_NOUN_LOCAL).rest.replace(SECURITY_DEFAULTS_BLOCK_LEGACY, " "),
      )
        ? 1
        : 0,
    weights: { unknown: -1.5, conditional_access_block: 2.8, wrong_credentials: -0.5 },
    why: "You mention Conditional Access / blocking legacy authentication",
  },
  {
    id: "words-no-conditional-access",
    source: "the reporter says no Conditional Access policy applies ('no CA policies', 'CA excludes this account')",
    kind: "context",
    evidence: (ev) => {
      const { rest, negated } = negatedSentences(ev.words, CA_NOUN, CA_NOUN_LOCAL);
      return negated &&
        !new RegExp(String.raw`\bconditional[ -]access|\bca polic(?:y|ies)\b|${CA_NOUN_LOCAL}`, "u").test(rest)
        ? 1
        : 0;
    },
    weights: { conditional_access_block: -2.5 },
    why: "You say no Conditional Access policy applies to the account",
  },
  {
    id: "words-oauth",
    source: "reporter names OAuth / tokens",
    kind: "context",
    evidence: (ev) =>
      !ev.ex.oauth &&
      OAUTH_NAMED.test(ev.words) &&
      // Not OAuth as a remedy or an aside ("move to OAuth", "an OAuth-capable copier").
      OAUTH_NAMED.test(withoutOAuthForReceiving(ev.words.replace(OAUTH_AS_REMEDY, " ").replace(MECHANISM_LISTS, " ")))
        ? 1
        : 0,
    weights: { oauth_misconfigured_app_or_sp: 1.2, security_defaults_enabled: -0.5, per_user_mfa: -0.5 },
    why: "You mention OAuth: with XOAUTH2 the token, its permission or the service principal are the usual gaps",
  },
  {
    id: "words-shared-mailbox",
    source: "a shared mailbox has no password sign-in and no licence",
    kind: "context",
    evidence: said(
      /shared (?:mailbox|inbox)|\bconvert(?:ed|ing)? (?:it |the (?:\w+ )?mailbox |(?:\w+ )?mailbox )?(?:to|into) (?:a )?shared\b|freigegebenes postfach|boîte aux lettres partagée|buzón compartido|caixa de correio compartilhada|cassetta postale condivisa|casella (?:di posta )?condivisa|boîte partagée|caixa (?:de correio )?compartilhada|gedeeld postvak|共有メールボックス|共享邮箱/u,
    ),
    weights: { mailbox_unlicensed_or_missing: 1.2, send_as_permission: 0.6 },
    why: "You mention a shared mailbox: it cannot sign in itself; authenticate as a licensed user with Send As",
  },
  {
    id: "words-oauth-shared-mailbox-identity",
    source:
      "Microsoft 'Authenticate an IMAP, POP or SMTP connection using OAuth': with a delegated token the SASL XOAUTH2 user must be the signed-in user; a shared mailbox has no sign-in of its own (nextcloud/mail #13667 and #13668, Mailspring-Sync #116, frappe #23079: 535 5.7.3 until SMTP authenticates as the delegate)",
    kind: "context",
    // A delegated OAuth login naming a shared mailbox; app-only logins (client credentials, SMTP.SendAsApp)
    // may use one once the service principal has FullAccess, and then a refusal is the app's setup.
    evidence: (ev) =>
      ev.ex.oauth &&
      /shared (?:mailbox|inbox)|freigegebenes postfach|boîte aux lettres partagée|buzón compartido|caixa de correio compartilhada|cassetta postale condivisa|gedeeld postvak|共有メールボックス|共享邮箱/u.test(
        ev.statements,
      ) &&
      !/client[_ ]credentials|sendasapp|service principal|add-mailboxpermission|app-only|application permission/u.test(
        ev.words,
      )
        ? 1
        : 0,
    weights: { mailbox_unlicensed_or_missing: 2.6, oauth_misconfigured_app_or_sp: -1.8, unknown: -1 },
    why: "A shared mailbox as the OAuth login: it has no sign-in of its own; authenticate as the delegate user (the token's account) and send as the shared address",
  },
  {
    id: "words-oauth-user-mismatch",
    source:
      "Microsoft 'Authenticate an IMAP, POP or SMTP connection using OAuth': the SASL XOAUTH2 user must be the account the token was issued to (nextcloud/mail #13674: the account address sent instead of the configured outbound user; thunderbird-android #8024)",
    kind: "context",
    // An OAuth login whose user name is not the token's account: the reporter says the names differ.
    evidence: (ev) =>
      ev.ex.oauth &&
      /\b(?:user ?name|username|identity|login|user=)\b(?:[^.\n]|\.\b){0,80}\b(?:differs? from|different from|is different|instead of|does ?n[o']t match|do ?n[o']t match|mismatch\w*|not the same as)\b|\b(?:token|signed[- ]in (?:user|account))\b(?:[^.\n]|\.\b){0,60}\b(?:another|a different|the wrong|other) (?:account|user|mailbox)\b/u.test(
        ev.statements,
      )
        ? 1
        : 0,
    weights: { wrong_credentials: 3.4, oauth_misconfigured_app_or_sp: -1.5, unknown: -1 },
    why: "The OAuth login's user name is not the account the token belongs to: send the token's own address as the XOAUTH2 user",
  },
  {
    id: "words-oauth-delegated-scope-smtp-refused",
    source:
      "Microsoft 'Authenticate an IMAP, POP or SMTP connection using OAuth' (a delegated token for SMTP carries https://outlook.office.com/SMTP.Send) and 'Authenticated client SMTP submission' (OAuth logins need SMTP AUTH enabled for the mailbox too; MailKit #700: 'SmtpClientAuthentication is disabled for the Tenant' to XOAUTH2); nmail #137: a delegated token with SMTP.Send refused at SMTP until the admin enabled SMTP AUTH for the mailbox (batch 35)",
    kind: "context",
    // A delegated token that names SMTP.Send failing at SMTP, with no Exchange reply in the paste: the scope
    // is right, so the mailbox's (or the organisation's) SMTP AUTH switch is the next gate. App-only logins
    // (client credentials, SMTP.SendAsApp, .default) fail on the app's setup instead; a reply decides itself.
    evidence: (ev) =>
      ev.ex.oauth &&
      /outlook\.office(?:365)?\.com\/smtp\.send\b|\bsmtp\.send\b(?!\s*as)/u.test(ev.words) &&
      !/client[_ ]credentials|sendasapp|\/\.default\b|app-only|application permission|not granted|admin consent/u.test(
        ev.words,
      ) &&
      ev.enhanced.length === 0 &&
      !ev.basic.includes(535)
        ? 1
        : 0,
    weights: {
      smtp_auth_disabled_mailbox: 1.8,
      smtp_auth_disabled_tenant: 1.2,
      oauth_misconfigured_app_or_sp: -0.8,
      unknown: -0.5,
    },
    why: "The token carries SMTP.Send, yet SMTP refuses it: OAuth logins also need SMTP AUTH enabled for the mailbox (and the organisation)",
    question:
      "Is Authenticated SMTP on for this mailbox (Get-CASMailbox <mailbox> | fl SmtpClientAuthenticationDisabled)?",
  },
  {
    id: "words-no-licence",
    source:
      "Microsoft 'Authenticated client SMTP submission': the account must have a licensed Exchange Online mailbox; reporters who name the missing licence themselves (zammad-docker-compose #210 'since it does not have a license, I cannot send emails', batch 14; parsedmarc #194, resolved as a shared mailbox without a licence)",
    kind: "context",
    // The reporter says the sending account has no licence ("unlicensed", "does not have a license",
    // "without an Exchange Online licence"). Not "licence" alone (a product key, a software licence).
    // Also a licence removed or expired, in the languages Exchange answers in (ja ライセンスを外す/削除,
    // zh 移除/删除许可证, de Lizenz entfernt, fr licence retirée, es licencia quitada/eliminada, pt licença
    // removida, it licenza rimossa, nl licentie verwijderd), and a mailbox that is still on-premises
    // (a hybrid account Exchange Online holds no mailbox for).
    // "No licence changes" says nothing changed, not that the licence is missing; licences taken from some or
    // unused accounts are other accounts' (blind set 76), and "the licence is still assigned" says it is there.
    evidence: (ev) =>
      /\bunlicen[cs]ed\b|\blicenza (?:è stata |e stata )?(?:tolta|rimossa)\b|\blicencia (?:fue |ha sido )?(?:quitada|eliminada|retirada)\b|\blicence (?:a été )?(?:retirée|supprimée)\b|\blicença (?:foi )?(?:removida|retirada)\b|\b(?:moved|reassigned|transferred|took) (?:the |its |their |her |his )?(?:[\w-]+ ){0,2}licen[cs]e (?:from|off|away from) (?:[\w.-]+@|(?:the |this |that |our )?(?:[\w@.-]+ )?(?:account|mailbox|user)\b)|\bonly (?:the |a |an )?["“]?(?:microsoft )?(?:power automate free|power bi (?:free|pro)|teams exploratory|entra id p[12]|azure ad p[12]|microsoft 365 f1|visio(?: plan \d)?|project(?: plan \d)?)["”]? licen[cs]e\b|\b(?:no|without(?: an?)?|(?:does ?n[o']t|do ?n[o']t|not|never) have (?:an? )?|lacks? (?:an? )?)\s*(?:exchange(?: online)? |office 365 |microsoft 365 |m365 |product )?licen[cs]es?\b|\b(?:without|never|not|didn['’]?t|did not) (?:assign(?:ing|ed)?|giv(?:ing|en|e)|add(?:ing|ed)?) (?:it |them |the account |the user )?(?:an?y? |a )?(?:exchange(?: online)? |office 365 |microsoft 365 |m365 )?licen[cs]es?\b|\b(?:remov(?:e|ed|ing)|unassign(?:ed|ing)?|took away|take away|revoked?)\b(?:[^.\n]|\.\b){0,60}\blicen[cs]es?\b|\b(?:did ?n[o']t|did not|do ?n[o']t|never|not) (?:assign(?:ed)?|give|gave|add(?:ed)?|buy|bought) (?:it |them |the (?:user|account) |this (?:user|account) )?(?:an? |any )?(?:\S+ ){0,2}?licen[cs]es?\b|\blicen[cs]es? (?:was |has been |got )?(?:removed|unassigned|expired|revoked)\b|ライセンス(?:を|が)?(?:外し|外れ|削除|解除|剥奪|なし|無し|がない|が無い)|(?:移除|删除|取消|没有)[^。\n]{0,8}(?:许可证|授权|许可)|(?:许可证|授权)[^。\n]{0,6}(?:移除|删除|取消|过期)|lizenz (?:entfernt|entzogen|abgelaufen|weggenommen)|lizenz\b(?:[^.\n]|\.\b){0,20}\bweggenommen\b|\bw\/o (?:an? )?(?:exchange )?licen[cs]e\b|ohne lizenz|\b(?:remov(?:e|ed|ing)|unassign(?:ed|ing)?|pulled|stripped)\s+(?:the\s+)?["“]?exchange online(?: \((?:plan [12]|kiosk)\)| plan [12]| kiosk)?["”]?\s+(?:from|off)\b|"?assignedlicenses"?\s*:\s*\[\s*\]|\bexchange_s_\w+\b(?:[^\n]){0,60}?\b(?:provisioningstatus|status)\b\s*[:=]?\s*["“]?disabled\b|nessuna licenza|ninguna licencia|aucune licence|nenhuma licença|geen licentie|licence (?:retirée|supprimée|expirée)|licen[cz][ae]\b(?:[^.\n]|\.\b){0,40}\b(?:a été|wurde|fue|foi|è stata|ha sido) (?:retirée|supprimée|enlevée|entfernt|entzogen|quitada|eliminada|retirada|removida|rimossa|tolta)|sans licence|licencia (?:quitada|eliminada|retirada|caducada)|sin licencia|licença (?:removida|expirada)|sem licença|licenza (?:rimossa|scaduta)|senza licenza|licentie (?:verwijderd|ingetrokken|verlopen)|zonder licentie|(?:quitamos|quité|eliminamos|retiramos|removemos|removi|tiramos|entfernt|entzogen|retiré|retiré|supprimé|rimosso|tolto|verwijderd|odebraliśmy|usunęliśmy|tog bort|fjernede|fjernet|poistimme|odebrali|сняли|удалили|kaldırdık|elvettük)\s+(?:\S+\s+){0,3}?(?:la |a |die |le |il |de )?(?:licencia|licença|lizenz|licence|licenza|licentie|licencj\S*|licens\S*|lisenssi\S*|licenci\S*|лицензи\S*|lisans\S*|licencet?)|mailbox\S* (?:staat|ist|est|está|è|jest|är|står) (?:nog |noch |encore |todavía |ainda |ancora |nadal |fortfarande )?(?:on-?prem\S*|lokal|local)|niet gemigreerd|nicht migriert|non migré|no migrad[oa]|não migrad[oa]|non migrat[oa]|(?:inte|ingen|någon)\s+(?:längre\s+)?(?:har\s+)?(?:någon\s+)?licens\b|utan licens|bez licencji|nie ma (?:już )?licencji|licencj[aę] (?:usunięt|odebran)|\b(?:no longer|does ?n[o']t|does not) ha(?:s|ve) (?:a |an |any )?(?:exchange(?: online)? )?licen[cs]e\b|mailbox(?:es)? (?:is |are )?(?:still )?(?:(?:on|in) (?:our |the )?)?(?:on-?prem(?:ises)?|exchange (?:server )?20\d\d|local exchange)|mailbox(?:es)? (?:still )?(?:lives?|sits?|is hosted|are hosted|resides?) (?:on|in) (?:our |the |an? )?(?:on-?prem\S*|exchange (?:server )?20\d\d|exchange server|local exchange)|not (?:yet )?migrated to (?:exchange online|office 365|microsoft 365|m365)|\(not migrated yet\)|\b(?:took|take|taken|pulled|stripped)\b(?:[^.\n]|\.\b){0,30}\blicen[cs]es?\s+(?:off|away)\b|\b(?:pulled|removed|unassigned|took (?:away|off)|stripped)\b(?:[^.\n]|\.\b){0,30}\b(?:e[1-5]|business (?:basic|standard|premium)|exchange online (?:plan [12]|kiosk)|f[13])\b(?:[^.\n]|\.\b){0,12}\b(?:on|from|off)\b|\bexchange online(?: \((?:plan [12]|kiosk)\)| plan [12])?["”']?(?: service plan)?["”']?\s+(?:(?:is|was|has been)\s+)?(?:switched off|turned off|disabled|unticked|unchecked|off)\b|\bpas encore (?:été )?migrée?\b|\btoujours sur (?:le |notre )?(?:serveur )?exchange\b|\bconvert(?:ed|ing)?\b(?:[^.\n]|\.\b){0,40}\bto (?:a )?shared\b(?:[^.\n]|\.\b){0,80}\b(?:password|sign ?in|log ?in)\b|\b(?:account|login|user(?:name)?|it)\s+(?:is|was)\s+(?:the |an? )?(?:old |former )?shared mailbox\b|\bit['’]s (?:the |an? )?(?:old |former )?shared mailbox\b|(?:shared mailbox|buzón compartido|boîte aux lettres partagée|freigegebenes postfach|cassetta postale condivisa|caixa de correio compartilhada|gedeeld postvak)(?:[^.\n]|\.\b){0,120}[.,;]?\s*(?:[^.\n]|\.\b){0,40}\b(?:(?:set|gave|reset|assigned) (?:it )?(?:a |the )?password|(?:le )?pusimos contraseña|(?:lui )?avons (?:mis|défini) un mot de passe|(?:ein )?passwort (?:gesetzt|vergeben)|gli abbiamo (?:dato|messo) una password|colocamos (?:uma )?senha)|(?<!\p{L})(?:è|ist|est|es|é|is) (?:een |una |ein |une |un |uma )?(?:cassetta postale condivisa|freigegebenes postfach|boîte aux lettres partagée|buzón compartido|caixa de correio compartilhada|gedeeld postvak)\b|\btrial (?:subscription |tenant |licen[cs]e )?(?:has )?(?:expired|ended|ran out)\b|пробн\S* підписк\S*(?:[^.\n]|\.\b){0,30}закінчил|пробн\S* подписк\S*(?:[^.\n]|\.\b){0,30}(?:истекл|закончил)|без ліцензії|без лицензии|bez licencji|bez licence|lisenssi(?:[^.\n]|\.\b){0,20}\bei\b|\bei\b(?:[^.\n]|\.\b){0,30}lisenssi|(?:edelleen|noch|encore|todavía|ainda|ancora|nog|nadal|fortfarande|stále|még|все ещё|досі)\b(?:[^.\n]|\.\b){0,40}exchange(?: server)? 20(?:10|13|16|19)|\bnever (?:been )?migrated\b|\b(?:mailbox|it) (?:has ?n[o']t|has not|was ?n[o']t|was not|is ?n[o']t|is not) (?:been |yet been )?migrated\b|\bstill (?:in|on) the on-?prem\w*\b|\bget-mailbox\b(?:[^.\n]|\.\b){0,60}\bexchange online\b(?:[^.\n]|\.\b){0,20}\breturns nothing\b|\bexchange online \((?:plan [12]|kiosk)\)["”]?(?:[^.\n]){0,40}?(?:ausgehakt|nicht angehakt|deaktiviert|unticked|unchecked|(?:is |was )?off\b|décoché|désactivé|desmarcad[oa]|deshabilitad[oa]|non selezionat[oa]|disattivat[oa]|uitgevinkt|odznaczon)/u.test(
        ev.words
          .replace(/\bno licen[cs]es? (?:changes?|issues?|problems?|errors?)\b/gu, " ")
          .replace(OTHER_LICENCES_REMOVED, " "),
      ) && !LICENCE_STILL_ASSIGNED.test(ev.words)
        ? 1
        : 0,
    // A stated fact about the account, not a guess: it outweighs a bare code's prior (wrong credentials).
    weights: { unknown: -1.5, mailbox_unlicensed_or_missing: 3.2, send_as_permission: 0.4 },
    why: "You say the account has no licence: SMTP AUTH needs a licensed Exchange Online mailbox (a shared mailbox needs a licensed user with Send As)",
  },
  {
    id: "words-worked-until",
    source: "review class F/G: 'worked until <date>' points at a tenant change or the retirement",
    kind: "context",
    evidence: said(
      /worked (?:fine )?(?:until|till|for (?:years|months))|stopped (?:working|sending)|no longer (?:works?|sends?|able to send)|used to work|suddenly (?:stopped|fail)|since (?:yesterday|last (?:week|night|month)|today|this morning)|\b(?:was|were|had been|has been|have been) (?:sent|sending|working|delivered|going out|going through) (?:normally|fine|perfectly|without (?:any )?(?:issues?|problems?))\b|\bworked (?:fine |perfectly |well )?(?:before|previously|in the (?:previous|last|old|earlier) version)\b|\bpreviously (?:worked|working)\b/u,
    ),
    weights: {
      basic_auth_disabled_or_retired: 0.7,
      security_defaults_enabled: 0.5,
      smtp_auth_disabled_tenant: 0.5,
      wrong_credentials: 0.2,
    },
    why: "It worked before: something changed on the tenant side (a switch, security defaults, Basic auth retirement) or the password",
  },
  {
    id: "words-intermittent",
    source:
      "a failure that comes and goes with nothing changed is the network or the service (Microsoft: 421 4.3.2 / 451 4.7.0 are temporary; 'An existing connection was forcibly closed' on a share of runs)",
    kind: "context",
    // The reporter says it fails only sometimes ("1 in 20 runs", "intermittently", "randomly", "the
    // rest are fine"): no switch or policy fails only some of the time.
    evidence: said(
      /\bintermittent(?:ly)?\b|\b(?:randomly|sporadic(?:ally)?|occasionally|from time to time|every (?:now and then|so often)|once in a while)\b|\b\d+ (?:in|out of) (?:every )?\d+ (?:runs?|times|attempts|mails?|e-?mails|messages|sends?)\b|\b(?:the )?(?:rest|others) of (?:the |our )?(?:mails?|e-?mails|messages|runs|jobs|sends|invoices|reports|alerts) (?:are (?:fine|ok|working|sent|delivered|going through)|work|go through)\b|\bsome\b(?:[^.\n]|\.\b){0,60}\b(?:fail\w*|bounce\w*|get stuck|are stuck|error)\b(?:[^.\n]|\.\b){0,40}\b(?:the )?(?:rest|others) (?:are (?:fine|ok|working|sent|delivered|going through)|work|go through)\b|\bsometimes (?:it )?(?:works|fails|goes through|sends|times out|drops)\b|\bsometimes\s*\(?not always\)?|\bnot always\b(?:[^.\n]|\.\b){0,20}\b(?:returns|fails|gives|shows)\b|\bmost (?:mails?|e-?mails|messages|runs) (?:go through|are sent|work)\b|\bab und zu\b|\bsporadisch\b|\bgelegentlich\b|\bde temps en temps\b|\bparfois\b|\ba veces\b|\bintermitente(?:mente)?\b|\bàs vezes\b|\btalvolta\b|\bsoms\b|\baf en toe\b|偶尔|时不时|有时(?!间)|有時(?!間)|間欠|時々/u,
    ),
    weights: {
      transient: 2.4,
      security_defaults_enabled: -1,
      smtp_auth_disabled_tenant: -1,
      smtp_auth_disabled_mailbox: -1,
      per_user_mfa: -0.5,
      starttls_required: -1,
      tls_version: -0.5,
    },
    why: "It fails only some of the time: no switch or policy does that; the network or the service (a temporary reply, a dropped connection) does",
  },
  {
    id: "words-security-defaults-signals",
    source:
      "Microsoft 'Security defaults in Microsoft Entra ID': on by default in tenants created after 22 October 2019; every user must register for MFA with Microsoft Authenticator within 14 days; legacy authentication (Basic SMTP AUTH) is blocked",
    kind: "context",
    // The signs of security defaults without their name: a sign-in that asks the user to set up
    // Microsoft Authenticator ("more information required") although nobody configured MFA; weaker, a
    // new tenant (where SMTP AUTH is also off by default for the organisation).
    evidence: (ev) =>
      /\b(?:your )?organi[sz]ation (?:is using|uses) security defaults\b|\bmicrosoft (?:will |is going to |has |had |)(?:turn(?:ed|ing)? on|enabl(?:e|ed|ing)) security defaults\b|\bsecurity defaults (?:were|was|have been|has been|got) (?:turned on|enabled|switched on) (?:automatically|by microsoft|for us)\b|\b(?:automatically|auto-)enabled security defaults\b|\bsecurity defaults\b[^\n]{0,80}\b(?:shows?|lists?|has) (?:them|it) (?:as )?(?:on|enabled)\b|(?:asked|nagged|prompted|forced|told|required|asks|nags|prompts|forces) (?:me |us |the user |users )?to (?:set up|register|install|configure) (?:the )?(?:microsoft )?authenticator\b|\bmore information (?:is )?required\b|\b14 days? (?:to|until) (?:register|set up)\b|\b14 days? until (?:this|it) is required\b|\bturn on (?:the )?recommended (?:security )?protection\b|\blet'?s keep your account secure\b|\bneeds more information to keep your account secure\b|authenticator(?:-app)?(?:[^.\n]|\.\b){0,20}(?:einrichten|configurer|configurar|impostare|instellen|skonfigurować|konfigurera|registrieren|enregistrer|registrar|registar|registrare|registreren)|(?:einrichten|configurer|configurar|impostare|instellen|registr\w*|enregistr\w*)(?:[^.\n]|\.\b){0,20}authenticator|\bskip (?:it )?for (?:now|14 days)\b|\b(?:entra|azure ad|properties)\b(?:[^.\n]|\.\b){0,40}\bstill (?:at |on )?(?:the )?default\b/u.test(
        ev.words,
      )
        ? 1
        : securityDefaultsHints(
            ev.words,
            /\b(?:new|brand[- ]new|fresh|newly created) (?:m365 |microsoft 365 |office 365 |o365 )?tenn?ant\b|\btenn?ant (?:is|was) (?:brand[- ])?new\b|\btenant (?:ist|est|es|é|è|is) (?:erst |seulement |solo |apenas |solo |pas )?\d+ (?:tage|wochen|monate|jours|semaines|mois|días|semanas|meses|dias|giorni|settimane|mesi|dagen|weken|maanden) (?:alt|oud)?|(?:in|im) entra(?:[^.\n]|\.\b){0,30}\b(?:nix|nichts|niets|rien|nada|niente) (?:angefasst|geändert|aangeraakt|touché|tocado|toccato)\b|\bnobody (?:has )?(?:touched|changed|configured) (?:anything )?in (?:entra|azure ad)\b|\b(?:niemand|personne|nadie|ninguém|nessuno|niemand heeft)\b(?:[^.\n]|\.\b){0,40}\b(?:entra|azure ad)\b(?:[^.\n]|\.\b){0,30}(?:umgestellt|geändert|angefasst|modifié|touché|cambiado|tocado|alterado|modificato|toccato|gewijzigd|aangepast)|\bneue[nmr]? (?:m365-|microsoft-365-|office-365-)?tenant\b|\bnouveau tenant\b|\bnuevo (?:tenant|inquilino)\b|\bnovo (?:tenant|locatário)\b|\bnuovo tenant\b|\bnieuwe tenant\b|\btenant (?:is|was) (?:only )?(?:\d+|a few|two|three) (?:days|weeks|months) old\b|\bcame with the (?:new )?tenant\b/u,
          ),
    weights: { security_defaults_enabled: 3.0, per_user_mfa: -0.6, unknown: -1 },
    why: "A new tenant, or a sign-in that asks to set up Microsoft Authenticator although nobody configured MFA: the signs of security defaults, which block Basic SMTP AUTH",
  },
  {
    id: "words-mailbox-smtp-unticked",
    source:
      "Microsoft 365 admin center > Active users > Mail > Manage email apps: 'Authenticated SMTP' is the mailbox's SMTP AUTH switch (Set-CASMailbox -SmtpClientAuthenticationDisabled); Exchange admin center > Settings > Mail flow: 'Turn off SMTP AUTH protocol for your organization' is the organisation's",
    kind: "context",
    // The reporter read the mailbox's box and it is cleared. The organisation's box is read by
    // words-org-smtp-auth-box.
    // Not the organisation's Modern authentication pane ("Allow access to basic authentication protocols: ☐
    // Authenticated SMTP"), which lists the same name and is an authentication policy (blind set 31).
    evidence: (ev) =>
      MAILBOX_BOX_UNTICKED.test(ev.words) &&
      !/\ballow access to basic authentication protocols\b/u.test(ev.words) &&
      reportedOutcome(ev, "smtp_auth_disabled_mailbox") !== "no change"
        ? 1
        : 0,
    // As strong as the reply's "did not meet the criteria" is for per-user MFA: a switch the reporter saw off is a
    // gate shut, the criteria reply only a choice of three (blind sets 80, 82).
    weights: { smtp_auth_disabled_mailbox: 5, unknown: -1.5 },
    why: "You say Authenticated SMTP is unticked for the mailbox: its SMTP AUTH switch is off",
  },
  {
    id: "words-cis-smtp-auth-control",
    source:
      "CIS Microsoft 365 Foundations Benchmark, 'Ensure SMTP AUTH is disabled' (remediation: Set-TransportConfig -SmtpClientAuthenticationDisabled $true, the organisation's switch)",
    kind: "context",
    // The control named is decisive; a hardening run by the benchmark is half of it (the CIS benchmark's level 1
    // turns SMTP AUTH off for the organisation), and yields to an authentication policy the reporter names.
    evidence: (ev) =>
      /ensure smtp auth is disabled|\bcis\b(?:[^.\n]|\.\b){0,80}\bsmtp auth\b|\bsmtp auth\b(?:[^.\n]|\.\b){0,60}\bcis\b/u.test(
        ev.words,
      )
        ? 1
        : /\bcis\b(?:[^.\n]|\.\b){0,40}\b(?:benchmark|baseline|hardening|level 1|l1 recommendations)\b|\btenant hardening\b/u.test(
              ev.words,
            ) && !/\bauthentication polic(?:y|ies)\b/u.test(ev.words)
          ? 0.6
          : 0,
    weights: { smtp_auth_disabled_tenant: 2.6, smtp_auth_disabled_mailbox: -0.6, unknown: -1.5 },
    why: "The CIS control 'Ensure SMTP AUTH is disabled' turns SMTP AUTH off for the organisation; a mailbox with no value of its own inherits it",
  },
  {
    id: "words-org-smtp-auth-box",
    source:
      "Exchange admin center > Settings > Mail flow: 'Turn off SMTP AUTH protocol for your organization' (Set-TransportConfig -SmtpClientAuthenticationDisabled)",
    kind: "context",
    // Checked: the organisation's switch is off (the tenant cause, unless the mailbox overrides it).
    evidence: (ev) =>
      ORG_SMTP_AUTH_BOX_TICKED.test(ev.words) ||
      // The same box in the localised admin centres: "組織の SMTP AUTH プロトコルをオフにする" にチェック,
      // "关闭组织的 SMTP AUTH 协议" 已勾选, "SMTP AUTH-Protokoll für Ihre Organisation deaktivieren" aktiviert …
      /turn off smtp auth protocol for (?:your|the) organi[sz]ation["”]?(?:(?!\bnot\b|n['’]t\b)(?:[^.\n]|\.\b)){0,40}?\b(?:is |was |are )?(?:ticked|checked|selected|enabled)\b|turn off smtp auth protocol for (?:your|the) organi[sz]ation["”]?(?:[^.\n]|\.\b){0,20}?\b(?:has|with) a (?:check ?mark|tick)\b|(?<![\p{L}])(?:häkchen|haken|check ?mark|tick)\b(?:[^.\n]|\.\b){0,30}smtp auth[- ]?(?:protokoll|protocol)\b(?:[^.\n]|\.\b){0,30}organi[sz]ation\b|\[x\] ?["“]?turn off smtp auth protocol\b|(?:組織の ?smtp auth ?プロトコルをオフにする[」"]?に?チェック(?:が入|済|を入)|关闭[^。\n]{0,8}smtp auth[^。\n]{0,12}(?:已勾选|已选中|勾选了)|smtp auth(?:[^.\n]|\.\b){0,30}(?:organi[sz]ation|organisatie|organización|organização|organizzazione|organizacji|organisationen|организации)(?:[^.\n]|\.\b){0,40}(?<!\p{L})(?<!\b(?:nicht|no|non|niet|nie|not|inte|ne|не) )(?:aktiviert|angehakt|coché|cochée|marcad[oa]|selezionat[oa]|aangevinkt|zaznaczon|markerad|отмечен|установлен))/u.test(
        ev.words,
      )
        ? 1
        : 0,
    weights: { smtp_auth_disabled_tenant: 5, unknown: -1.5 },
    why: "You say 'Turn off SMTP AUTH protocol for your organization' is checked: SMTP AUTH is off for the organisation",
  },
  {
    id: "words-mfa-not-per-user",
    source:
      "Microsoft 'Security defaults in Microsoft Entra ID' and 'Enforce per-user Microsoft Entra multifactor authentication': with security defaults every user registers the Authenticator while the per-user MFA page shows them Disabled, and app passwords exist only with per-user MFA (the option is missing from Security info otherwise)",
    kind: "context",
    // MFA is in use, but not per-user MFA: the per-user page lists the users as Disabled, or Security info
    // offers no app password.
    evidence: said(
      /\b(?:multi-?factor|mfa|per-?user(?: mfa)?)\b[^.\n]{0,30}\b(?:page|list|portal|screen)\b(?:[^.\n]|\.\b){0,60}\b(?:shows?|lists?|says)\b(?:[^.\n]|\.\b){0,30}\b(?:everyone|every user|all users|all of us|them all|each user)\b(?:[^.\n]|\.\b){0,10}["“]?disabled\b|\b(?:no|without an?) ["“]?app passwords?["”]? (?:option|choice|entry)\b|\b(?:legacy )?per-?user (?:mfa|multi-?factor)(?: page)?\b(?:[^.\n]|\.\b){0,40}\b(?:shows?|says|lists?|is)\b(?:[^.\n]|\.\b){0,20}["“]?disabled\b(?=(?:[^]){0,400}\bauthenticator\b)|\b(?:only has|only shows|only lists)\b(?:[^.\n]|\.\b){0,80}\bno ["“]?app password\b|\bapp-?(?:kennwort|passwort)\w*\b(?:[^.\n]|\.\b){0,60}\b(?:nirgends|nicht (?:da|vorhanden|zu finden)|gibt es nicht|keine option)\b|\bmots? de passe d['’]application\b(?:[^.\n]|\.\b){0,60}\b(?:introuvable|n['’]appara[iî]t pas|aucune option|pas d['’]option)\b|\bcontraseñas? de aplicaci[oó]n\b(?:[^.\n]|\.\b){0,60}\b(?:no aparece|no (?:la )?encuentro|no existe|ninguna opci[oó]n)\b/u,
    ),
    weights: { security_defaults_enabled: 2.2, conditional_access_block: 0.8, per_user_mfa: -2.5, unknown: -1 },
    why: "Everyone uses MFA but per-user MFA is off (no app password option): security defaults or a Conditional Access policy require it, and they block Basic SMTP AUTH",
  },
  {
    id: "words-per-user-mfa-enforced",
    source:
      "the legacy per-user MFA page's states Enabled / Enforced, as reporters name them in their language (Applicato, Appliqué, Erzwungen, Aplicado, Afgedwongen, 強制, 强制)",
    kind: "context",
    // Not a negated mention ("no one is set to per-user MFA Enforced").
    evidence: (ev) => (PER_USER_MFA_ENFORCED.test(negatedMentions(ev.words, MFA_NOUN, MFA_NOUN_LOCAL).rest) ? 1 : 0),
    weights: { per_user_mfa: 3, conditional_access_block: -0.8, security_defaults_enabled: -1.2, unknown: -1.5 },
    why: "You say per-user MFA is enforced for the account: a password-only SMTP sign-in cannot satisfy it",
  },
  {
    id: "words-sender-restricted",
    source:
      "Microsoft Defender portal > Email & collaboration > Review > Restricted entities ('Outbound spam limit exceeded'); Exchange Online's outbound spam policy and sending limits",
    kind: "context",
    evidence: said(
      /\brestricted (?:entities|users)\b|entités restreintes|eingeschränkte (?:entitäten|benutzer)|entidades restringidas|entidades restritas|entità con restrizioni|beperkte entiteiten|\boutbound spam (?:limit|polic(?:y|ies))\b|\b(?:blocked|restricted) from sending\b|\bsending limits? (?:exceeded|reached)\b|\b(?:went over|over|exceeded|reached|hit) (?:its |the |their |our |my )?daily (?:recipient|sending|message) limit\b|\bexceeded (?:the )?(?:sending|recipient rate|message rate) limit|\bcan (?:still )?receive\b(?:[^.\n]|\.\b){0,20}\bbut (?:can'?t|cannot|can not|not|unable to) send\b|\b(?:got |was |been |were )(?:phished|compromised|hacked)\b(?:[^.\n]|\.\b){0,300}\b(?:can'?t|cannot|can not|unable to) send\b|\b(?:clicked (?:on )?a phishing|sent (?:out )?(?:a (?:load|lot|bunch|ton) of |lots of |hundreds of |thousands of )?spam)\b[^]{0,400}?\b(?:can'?t|cannot|can not|unable to) send\b|\b(?:can'?t|cannot|can not|unable to) send\b(?:[^.\n]|\.\b){0,60}\b(?:receiving|incoming mail) (?:still )?works\b/u,
    ),
    weights: { sender_restricted: 4, unknown: -1.5 },
    why: "You name the restricted-entities list or the outbound spam limit: Exchange Online has blocked this mailbox from sending",
  },
  {
    id: "words-username-not-upn",
    source:
      "Microsoft 'How to set up a multifunction device or application to send email using Microsoft 365': the user name is the mailbox's full address (UPN); a short name or one without the domain is an invalid user name (sign-in error 50034/50126)",
    kind: "context",
    evidence: said(
      /\b(?:without|missing|no) (?:the )?(?:@?domain|@\S+ (?:part|suffix))\b|(?<![\p{L}])(?:without|minus|sem|ohne|sans|sin|senza|zonder|bez)\s+(?:the |its |o |a |das |die |den |le |la |l['’]|el |il |lo |het |de )?(?:["“„]?@[a-z0-9-]+(?:\.[a-z0-9-]+)+|dom[ií]nio|dom[aä]ne|domain|domaine|dominio|domein|domeny)(?![\p{L}])|\b(?:user ?name|nombre de usuario|nome (?:de )?usu[aá]rio|nome utente|nom d['’]utilisateur|benutzername|gebruikersnaam)["”]?\s+(?:i |we )?(?:put|entered|typed|puse|escribí|metí|coloquei|ho messo|j['’]ai mis|habe ich)\s+["“]?[a-z0-9._-]{2,30}["”]?(?![\w@.-])|用户名[^。\n]{0,20}填了?[^。\n]{0,30}(?:名字|显示名)|\b(?:user ?name|login)\b(?:[^.\n]|\.\b){0,80}\b(?:it'?s|is) an alias\b|\bsign(?:s|ing)?[- ]in (?:names?|with)\b(?:[^.\n]|\.\b){0,60}\bonmicrosoft\.com\b(?:[^.\n]|\.\b){0,80}\b(?:e-?mail|address)\b|\bupn\b(?:[^.\n]|\.\b){0,40}\b(?:differs?|different|is not the same|isn't the same)\b|\binstead of (?:the )?(?:full|complete) (?:e-?mail )?(?:address|upn|user ?name)\b|\bneeds? the (?:full|complete) (?:sign-?in name|user ?name|e-?mail address|address|upn)\b|\bnot the (?:full|complete) (?:e-?mail )?(?:address|upn)\b|\bjust the (?:user ?name|local part)\b(?!\s+(?:swapped|changed|differs?|different|is different))|zamiast pełnego adresu|statt der vollständigen|au lieu de l'adresse (?:e-mail )?complète|en lugar de la dirección completa|em vez do endereço completo|invece dell'indirizzo completo|in plaats van het volledige|istället för hela adressen|\b(?:is|as) an? (?:extra|additional|secondary|proxy) (?:e-?mail )?address\b|\b(?:smtp_user(?:name)?|mail_username|smtp_login|email_host_user)\s*[:=]\s*["']?[a-z0-9._-]{2,40}(?![\w.@-])|\b(?:user ?name|login|sign-?in name) (?:is|was) (?:an? |the )?(?:alias|proxy address)\b|\balias (?:address )?(?:as|for) (?:the )?(?:user ?name|login)\b|\bis an alias\b|\b(?:actual|real) sign-?in (?:name|address)\b|\buser ?name\s*(?:[:=]\s*)?["“][a-z0-9._-]{2,30}["”](?!\s*@)|\bas the user ?name\b(?:[^.\n]|\.\b){0,40}\b(?:because|since) (?:that['’]?s|it['’]?s|it is) (?:the|my|our|his|her) ["“]?e-?mail\b|\b(?:only )?(?:works?|signs? in) (?:when i (?:type|use|enter)|with) the (?:long |full |onmicrosoft )?upn\b|\bupn (?:was|is) (?:never|not) (?:changed|updated)\b/u,
    ),
    weights: { wrong_credentials: 2.8, unknown: -1.5 },
    why: "The user name is not the mailbox's full address (UPN): Entra cannot find the account, so the sign-in fails as a wrong user name",
  },
  {
    id: "words-device-auth-off",
    source:
      "Microsoft 'How to set up a multifunction device or application to send email': smtp.office365.com:587 needs SMTP AUTH; a device's settings page with its SMTP authentication off (Xerox 'SMTP Authentication: Off', Eaton 'Authentication: disabled', Canon 'Use SMTP Authentication: Off') sends MAIL FROM unauthenticated (530 5.7.57)",
    kind: "context",
    // A settings line: an authentication key and an off value, in the languages device web pages use; the box
    // before its label ("[ ] Server requires authentication"); POP before SMTP when chosen, not in a list of choices.
    evidence: said(
      /\b(?:the )?smtp authentication (?:section|setting|option|checkbox|box) (?:is |was |got |has been )?(?:switched|turned) off\b|(?<![a-z])(?:smtp[ -]?auth(?:entication)?|(?:server |send |e-?mail )?authentication(?: method)?|smtp-authentifizierung|authentifizierung(?:smethode)?|authentification smtp|authentification|méthode d'authentification|autenticación smtp|método de autenticación|método de autenticação|autenticação smtp|autenticazione smtp|metodo di autenticazione|smtp-verificatie|verificatiemethode)(?:\s*\([^)\n]{1,20}\))?(?:\s+(?:for|of|voor|van|de|der|the|du|do|da|pour|le|la|el|del|für|den|server|serveur|servidor))*(?:["'”]?\s*[:=]|["'”]\s+(?:is|was|set to)\s|["'”]?\s+(?:deixei|deixamos|coloquei|está em|dejé|dejamos|puse|está en|j'ai laissé|laissé sur|ho lasciato|lasciato su|steht auf)\s)\s*["'“]?(?:off|disabled|none|no|aus|nein|keine|désactivée?|non|aucune|desactivad[oa]|ningun[oa]|desativad[oa]|nenhum[ao]?|nessuna|disattivat[oa]|uit|geen|unchecked|not checked|unticked)\b|(?:smtp[ -]?auth(?:entication)?|authentication|authentifizierung)\s*[:=]\s*\[ ?\]|\b(?:set to|[:=])\s*["'“]?server does not require authentication\b|\banonymous\s*[:=]?\s*(?:\[x\]|☑|on\b|yes\b|enabled\b|checked\b|ticked\b)|\brequires? authentication["”]?\s*(?:is\s+)?(?:not ticked|not checked|unticked|unchecked|off\b|\[ ?\])|\brequires? authentication["”]?(?:[^.\n]|\.\b){0,80}?\b(?:(?:was|is) not (?:ticked|checked)|(?:left|leaves) (?:it |that |the box )?(?:unchecked|unticked|off)|(?:was|is) (?:unchecked|unticked))\b|\bleft\s+["“]?(?:the\s+)?(?:server\s+)?requires? authentication["”]?(?:[^.\n]|\.\b){0,60}?\b(?:unchecked|unticked|off)\b|(?:\[ ?\]|☐)[^\S\n]*(?:use |enable |server requires |requires )?(?:smtp[ -]?)?auth(?:entication)?\b(?![^\n]{0,60}(?:protokoll|protocol|deaktivieren|disable|turn off))(?!\s*(?:\([^)\n]{0,30}\))?\s*[:=])|\b(?:smtp[ -]?)?authentication["”]?(?:[^.\n]|\.\b){0,30}?\b(?:back|reset|reverted|defaulted) to\s+["“(]?(?:off|none|disabled)\b|(?:authentication|autenticación|autenticação|autenticazione|authentifizierung|authentification|verificatie)["”]?\s+(?:i |we )?(?:left|set|selected|chose|dejé|dejamos|puse|seleccioné|deixei|ho lasciato|habe ich auf|ai laissé|laissé)\s+(?:it\s+)?(?:to\s+|on\s+|at\s+|en\s+|em\s+|su\s+)?["“]?(?:none|ninguna|nenhuma|nessuna|keine|aucune|off|disabled)\b|\b(?:not ticked|unticked|unchecked)\b(?:[^.\n]|\.\b){0,10}\brequires? authentication\b|(?<!not |no |\b(?:choices|options?|choose between|either)\b(?:[^.\n]|\.\b){0,80}|(?:,|\band|\bor)\s*["“]?)\bpop[- ]before[- ]smtp\b["”]?(?! (?:is|was) (?:not|never))|smtp認証[」"”]?(?:の)?(?:チェック)?(?:が|は)(?:オフ|無効|なし|外れ)|smtp(?: ?认证| ?驗證| ?验证)[^。\n]{0,6}(?:关闭|未勾选|未启用|已停用)/u,
    ),
    weights: { not_authenticated_anonymous_send: 3.2, starttls_required: 0.4, unknown: -1.5 },
    why: "The device's SMTP authentication is off: it sends MAIL FROM without logging in, which smtp.office365.com refuses",
  },
  {
    id: "words-device-credentials-empty",
    source:
      "device and application SMTP pages (Konica Minolta 'User ID / Password', Brother 'Gebruikersnaam / Wachtwoord', HP 'Server requires authentication'): with both fields empty the firmware skips AUTH and sends MAIL FROM unauthenticated, which smtp.office365.com:587 refuses (530 5.7.57)",
    kind: "context",
    // Both the user name and the password empty or cleared: one empty field alone is a wrong password.
    evidence: said(
      /\b(?:user ?(?:name|id)|login(?: name)?)\s*(?:and|&|\/|\+)\s*password(?: fields?| boxes)?(?:\s+[-—–]\s+)?\s+(?:(?:are|were|is|was|left|stay(?:ed)?|remain(?:ed)?|got)\s+)?(?:both\s+)?(?:empty|blank|cleared|greyed out)\b|\b(?:user ?name|login(?: name)?)\b(?:[^.\n]|\.\b){0,30}\bpassword\b(?:[^.\n]|\.\b){0,10}\b(?:are|were) (?:both )?(?:empty|blank)\b|\b(?:cleared|removed|emptied|deleted|blanked)\s+(?:out\s+)?(?:the\s+)?(?:(?:device['’]s|copier['’]s|printer['’]s)\s+)?(?:user ?(?:name|id)|login|credentials)(?:\s*(?:and|&|\/)\s*(?:the\s+)?password)?\b|gebruikersnaam en wachtwoord (?:zijn |blijven |waren )?leeg|benutzer(?:name)? und passwort (?:sind |waren |bleiben )?leer|(?:nom d['’]utilisateur|identifiant) et (?:le )?mot de passe (?:sont |étaient |restent )?vides?|usuario y contraseña (?:están |estaban |quedaron )?(?:vacíos|en blanco)|usuário e senha (?:estão |ficaram )?(?:vazios|em branco)|(?:utente|nome utente) e password (?:sono |erano )?vuot[ie]/u,
    ),
    weights: { not_authenticated_anonymous_send: 2.6, unknown: -1.5 },
    why: "The device's user name and password are empty: it does not log in, and smtp.office365.com refuses mail from a client that has not authenticated",
  },
  {
    id: "words-device-sender-is-user",
    source:
      "MFP user authentication and 'Scan to Me' (Konica Minolta, Canon, Ricoh): the From becomes the logged-in user's address while SMTP AUTH stays the device's account, which needs Send As on each user (Microsoft: SendAsDenied)",
    kind: "context",
    evidence: said(
      /\bscan to me\b|\bfrom\s*:?\s*["“]?user['’]s (?:e-?mail )?address\b|(?:address|adresse|dirección|indirizzo|adres)\s+(?:of the|de l'|del|dell'|van de)\s*(?:logged[- ]in user|utilisateur connecté|usuario conectado|utente connesso|ingelogde gebruiker)(?:[^.\n]|\.\b){0,40}(?:as (?:the )?sender|comme expéditeur|como remitente|come mittente|als afzender)|(?:from|sender|expéditeur|absender|remitente|mittente|afzender)(?:[^.\n]|\.\b){0,40}(?:logged[- ]in user|user'?s own|each user'?s|utilisateur connecté|angemeldeten benutzers|usuario conectado|utente connesso)|(?:logged[- ]in user'?s|utilisateur connecté)(?:[^.\n]|\.\b){0,40}(?:address|adresse|dirección)(?:[^.\n]|\.\b){0,30}(?:as (?:the )?(?:sender|from)|comme expéditeur|als absender|como remitente)/u,
    ),
    weights: { send_as_permission: 2.8, unknown: -1.5 },
    why: "The From is each logged-in user's address while the device authenticates as its own mailbox: that mailbox needs Send As on every user",
  },
  {
    id: "words-device-starttls-off",
    source:
      "Microsoft: smtp.office365.com:587 starts in plain text and needs STARTTLS; a device set to SSL/TLS on connect, or to no encryption, on 587 ('Habilitar SSL/TLS: marcado, Habilitar STARTTLS: sin marcar', pfSense 'Secure SMTP Connection: unchecked, STARTTLS: unchecked')",
    kind: "context",
    // A settings line turning STARTTLS off (any language), with the submission port named.
    evidence: (ev) =>
      (/\b(?:enable |use )?start ?tls["'”]?\s*[:=]\s*\[ ?\]|\bstart ?tls["'”]?\s*[:=]\s*["'“]?(?:off|disabled|no|none|unchecked|unticked|not checked|sin marcar|desmarcad[oa]|aus|nein|désactivé|non cochée?|non|disattivat[oa]|uit|niet aangevinkt)\b|\benablessl\s*[:=]\s*false\b|\bssl kullan\s*:\s*hayır|["“]?(?:encryption|security|connection security|secure connection|ssl\/tls|tls\/ssl)["”]?(?: setting)?\s*(?:[:=]|is (?:now )?|was (?:set to )?)\s*["“]?(?:none|off)\b|\b(?:encryption|connection security) (?:set to|is|was|left (?:at|on)) ["“]?none\b|["“„]?(?:sicurezza(?: della)? connessione|crittografia|verschlüsselung|chiffrement|cifrado|criptografia|szyfrowanie(?: połączenia)?|versleuteling)["”]?\s+(?:ho lasciato|lasciato su|è su|habe ich auf|steht auf|j'ai laissé|est sur|dejé|está en|deixei|está em|mam ustawione|staat op)\s+["“„]?(?:nessuna|nessun[oa]?|keine|aucune?|ninguna|ninguno|nenhuma|nenhum|brak|geen)\b|\b(?:ssl\/tls|tls\/ssl|ssl|tls|encryption|secure connection)["”]?\s*[:=]\s*["“]?(?:do not use|don['’]t use|not used|never)\b|\b(?:encryption|ssl|tls)\b(?:[^.\n]|\.\b){0,40}\b(?:for transmission|for (?:e-?mail|smtp) (?:transmission|sending))?\s*[:=]?\s*not supported\b|["“](?:requires? a )?secure connection[^"”\n]{0,30}["”]\s+(?:is\s+|was\s+)?(?:unticked|unchecked|not ticked|not checked)\b/u.test(
        ev.words,
      ) ||
        // "Secure Connection: SSL/TLS" (Epson), "Encryption: SSL" — TLS on connect, not STARTTLS. Not a
        // bare "TLS": on Brother and others that option is STARTTLS.
        /^[^\S\n]*(?:secure connection|encryption|connection security|security|ssl\/tls|smtp security|verschlüsselung|chiffrement|cifrado|sicurezza|[^\n:=]{0,20}\bover ssl\/tls)[^\S\n]*[:=][^\S\n]*(?:ssl\/tls|ssl|smtps|implicit(?: tls)?)[^\S\n]*(?:\([^)\n]{0,80}\)[^\S\n]*)?$|\bsecure connection\s*[:=]\s*(?:no|off|none|false|unticked|unchecked)\b|^[^\S\n]*[^\n:=]{0,30}(?:ssl|tls|secur|sicurezza|sécuris|segur)[^\n:=]{0,20}[:=][^\S\n]*(?:ssl\/tls|ssl|smtps)?[^\S\n]*\(?(?:implicit\S*|implicito|implicite|implícito|implizit)\)?[^\S\n]*$|^[^\S\n]*(?!tls\s*v?1\.\d|ssl\s*v?3)(?![^\n:=]*\b(?:certificat|cert\b|verify|confirm|validat|prüf|vérif))[^\n:=]{0,25}\b(?:tls|ssl|secure connection|encryption|verschlüsselung|chiffrement|cifrado|crittografia|versleuteling)\b[^\n:=]{0,25}[:=][^\S\n]*(?:off|disabled|no|none|aus|deaktiviert|désactivée?|desactivad[oa]|deshabilitad[oa]|disattivat[oa]|disabilitat[oa]|uit|niet actief|nie|wyłączon\S*|desativad[oa]|\[ ?\])[^\S\n]*$|^[^\S\n]*\[ ?\][^\n]{0,40}\b(?:secure connection|ssl|tls|encrypt)/imu.test(
          ev.ex.normalized,
        )) &&
      /\b587\b/u.test(ev.words)
        ? 1
        : 0,
    weights: { starttls_required: 3.2, unknown: -1.5 },
    why: "STARTTLS is off in the device's settings on port 587: smtp.office365.com answers in plain text and offers AUTH only after STARTTLS",
  },
  {
    id: "words-device-sender-not-login",
    source:
      "Microsoft 'How to set up a multifunction device …', option 1: the From address must be the authenticating mailbox or one it has Send As on; a settings page whose login and sender addresses differ (Synology 'Username: svc-nas@…', 'Sender email: it-alerts@…')",
    kind: "context",
    evidence: (ev) => {
      const text = ev.ex.normalized.toLowerCase();
      const login =
        /^[^\S\n]*(?:smtp[ -]?)?(?:smtp-auth account name|account name|user ?name|login(?: ?name)?|user ?id|authenticated account|account|benutzer(?:-id|name)?|anmeldebenutzername|usuario|nombre de usuario|utente|nome utente|gebruikersnaam|nom d'utilisateur|användarnamn)[^\S\n]*[:=][^\S\n]*([a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,253})/mu.exec(
          text,
        )?.[1];
      const sender =
        /^[^\S\n]*(?:sender(?:'s)?(?: e-?mail)?(?: address)?|from(?: e-?mail)?(?: address)?(?: [a-z]{2,12}){0,3}?|device e-?mail(?: address)?|e-?mail address(?: \(from\))?|absender(?:adresse)?|adresse de l'expéditeur|expéditeur|remitente|dirección del remitente|mittente|indirizzo mittente|afzender(?:adres)?|avsändar(?:adress)?)[^\S\n]*[:=][^\S\n]*([a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,253})/mu.exec(
          text,
        )?.[1];
      return login !== undefined && sender !== undefined && !sameAddress(login, sender) ? 1 : 0;
    },
    weights: { send_as_permission: 2.4, unknown: -1.5 },
    why: "The device signs in as one mailbox and sends From another: the signing-in mailbox needs Send As on the From address",
  },
  {
    id: "words-device-login-without-domain",
    source:
      "Microsoft 'How to set up a multifunction device …': the user name is the mailbox's full address; a device's login-name field with no '@' (Kyocera 'Anmeldebenutzername: scanner') is not the UPN",
    kind: "context",
    evidence: (ev) =>
      /smtp\.office365\.com/u.test(ev.words) &&
      (/^[^\S\n]*(?:smtp[ -]?)?(?:login ?(?:name|user(?: ?name)?)|user ?(?:name|id)|device userid|anmeldebenutzername|benutzername|nom d'utilisateur|nombre de usuario|usuario|nome utente|utente|gebruikersnaam|användarnamn|nazwa użytkownika)[^\S\n]*[:=][^\S\n]*([a-z0-9._-]{2,40}(?: [a-z0-9._-]{2,20}){0,2})[^\S\n]*(?:$|[,;(])/mu.test(
        ev.ex.normalized.toLowerCase(),
      ) ||
        // Mid-line, as a settings list retold on one line: ", Login Name: scanner, Password: …".
        /[,;][^\S\n]+(?:smtp[ -]?)?(?:login ?name|user ?name)[^\S\n]*:[^\S\n]*[a-z0-9._-]{2,40}[^\S\n]*[,;(]/u.test(
          ev.ex.normalized.toLowerCase(),
        ))
        ? 1
        : 0,
    weights: { wrong_credentials: 2.6, unknown: -1.5 },
    why: "The login name in the device's settings has no domain: smtp.office365.com needs the mailbox's full address (UPN) as the user name",
  },
  {
    id: "words-password-changed",
    source: "reporter changed or reset the password",
    kind: "context",
    // Not when the reporter says the device got the new password (or it worked after the change): then the
    // change is history, not the cause (blind set 19).
    evidence: (ev) =>
      /password (?:was |has been |got )?(?:changed|reset|expired|rotated)(?![ -](?:e-?mails?|mails?|links?|forms?|pages?|tokens?|flows?|messages?|requests?|features?|functions?|templates?|notifications?)\b)|(?:changed|reset|rotated) (?:the |my |our |its )?(?:[\w']+ )?passwords?(?![ -](?:e-?mails?|mails?|links?|forms?|pages?|tokens?|flows?|messages?|requests?|features?|functions?|templates?|notifications?)\b)|\bpassword rotation\b|\bpasswords? (?:expire|expires|expiring)\b|\b(?:asks?|prompts?|wants?|forces?|forced) (?:me |us |you |him |her )?(?:for|to (?:set|change|choose|enter)) (?:a )?new password\b|kennw[oö]rt\S*(?:[^.\n]|\.\b){0,40}(?:ablaufen|abgelaufen|läuft ab|laufen ab)|\b(?:laufen|läuft) (?:die |unsere |alle )?(?:kennw[oö]rt|passw[oö]rt)\S*(?:[^.\n]|\.\b){0,40}\bab\b|neues kennwort|\brotated\b(?:[^.\n]|\.\b){0,30}\bpassword\b|\bnobody updated the\b|new password|\b(?:still|noch|encore|todavía|ainda|ancora|nog|még|wciąż|fortfarande|stále|всё ещё|hala)\b(?:[^.\n]|\.\b){0,40}\b(?:old|alte|ancien|antigua|antiga|vecchia|oude|régi|stare|gamla|staré|старый|eski)\b(?:[^.\n]|\.\b){0,20}(?:password|passwort|kennwort|mot de passe|contraseña|senha|hasło|wachtwoord|jelsz|lösenord|heslo|пароль|şifre|credentials?)|passwort (?:geändert|abgelaufen)|neues passwort|mot de passe (?:a été )?(?:changé|modifié|expiré)|(?:changer|changé|modifier|modifié) (?:mon|son|le|notre) mot de passe|nouveau mot de passe|(?:cambiamos|cambié) la contraseña|(?:nueva|contraseña nueva)|senha (?:foi )?(?:alterada|expirada)|nova senha|password (?:cambiata|scaduta)|nuova password|wachtwoord (?:is )?(?:gewijzigd|verlopen)|nieuw wachtwoord|zmieni\S* hasło|nowe hasło|hasło wygasło|nytt lösenord|bytt lösenord|lejárt(?:[^.\n]|\.\b){0,30}jelsz|új jelsz|nové heslo|změnil\S* heslo|\bheslo\b(?:[^.\n]|\.\b){0,40}\b(?:vypršel\S*|změn\S*)|смени\S* пароль|новый пароль|пароль истёк|şifre (?:değişti|değiştirildi)|yeni şifre|パスワードを変更|新しいパスワード|修改了密码|新密码|密码过期|비밀번호를 변경|새 비밀번호/u.test(
        ev.words.replace(PASSWORD_NOT_CHANGED, " "),
      ) &&
      !PASSWORD_UPDATED_ON_DEVICE.test(ev.words) &&
      reportedOutcome(ev, "wrong_credentials") !== "no change"
        ? 1
        : 0,
    // A password changed or expired while the device keeps the old one is the reporter naming the cause.
    weights: { wrong_credentials: 1.6, account_locked: 0.5, unknown: -1.5 },
    why: "The password changed: a device still holding the old one fails (and may lock the account)",
  },
  {
    id: "words-works-with-tls",
    source: "review class E: 'another app succeeds with encryption switched on'",
    kind: "context",
    // Also the past tense and "with TLS enabled" (glowroot #226: "it worked with TLS enabled, but
    // when TLS was disabled it gave the same error").
    evidence: said(
      /work(?:s|ed|ing)? (?:fine )?(?:with|when) (?:tls|ssl|starttls|encryption)|(?:tls|ssl|starttls|encryption) (?:enabled|on),? (?:it )?work(?:s|ed)|when (?:tls|ssl|starttls|encryption) (?:was|is) (?:disabled|off)/u,
    ),
    weights: { starttls_required: 3.0, not_authenticated_anonymous_send: -0.5 },
    why: "It works with TLS switched on: the failing client does not start TLS",
  },
  {
    id: "words-fails-with-tls-works-without",
    source:
      "Xerox WorkCentre and other older devices: sending fails with STARTTLS set and goes through with encryption 'None' (by a relay or direct send that needs no TLS): the device's TLS stack cannot negotiate with Exchange Online (TLS 1.2 and current cipher suites), a firmware update fixes it",
    kind: "context",
    evidence: (ev) => (FAILS_WITH_TLS.test(ev.statements) && WORKS_WITHOUT_TLS.test(ev.statements) ? 1 : 0),
    weights: { tls_version: 2.6, starttls_required: -0.8, unknown: -1.5 },
    why: "It fails with STARTTLS/TLS on and goes through without encryption: the device cannot negotiate TLS 1.2 with Exchange Online (old TLS or cipher suites; update the firmware)",
  },
  {
    id: "words-old-tls-seen",
    source:
      "Exchange admin center > Reports > Mail flow > SMTP AUTH clients report: the TLS version each SMTP AUTH sign-in used; Microsoft 'TLS 1.0 and 1.1 deprecation for Office 365' (refused since 2022); OS X 10.8 and earlier have no TLS 1.2",
    kind: "context",
    // The report's TLS column (or the reporter retelling it) at TLS 1.0/1.1, or a Mac too old for TLS 1.2.
    evidence: said(
      /\b(?:smtp auth clients? report|tls (?:version|column))\b[^\n]{0,80}?["“]?tls\s*v?1\.[01]\b(?!\.\d)|\b(?:os x|mac ?os ?x?) 10\.[0-8]\b(?!\.\d)/u,
    ),
    weights: { tls_version: 2.6, unknown: -1.5 },
    why: "The client signs in with TLS 1.0/1.1 (the SMTP AUTH clients report, or a system too old for TLS 1.2): Exchange Online refuses those versions",
  },
  {
    id: "words-tls12-only",
    source:
      "reporters' own account that the server accepts only TLS 1.2 (DSpace #7964 'TLSv1.2+ only servers'), or that the device speaks only TLS 1.0/1.1; Microsoft 'Preparing for TLS 1.2 in Office 365'",
    kind: "context",
    evidence: said(
      /(?:only|require[sd]?|force[sd]?|mandatory|enforce[sd]?)\s+(?:support\s+)?tls\s*v?1\.2|tls\s*v?1\.2\+?\s*(?:only|is required|is mandatory|required)|(?:old|outdated)\s+(?:java ?mail|tls)|(?:supports?|offers?|speaks?|has)\s+only\s+(?:tls|ssl)\s*v?1(?:\.[01])?\b(?!\.[23])|only\s+supports?\s+(?:tls|ssl)\s*v?1(?:\.[01])?\b(?!\.[23])|(?:tls|ssl)\s*v?1\.[01]\s+only|client ?hello\b(?:[^.\n]|\.\b){0,30}\btls\s*v?1(?:\.[01])?\b(?!\.[23])|\btls\s*v?1\.2\s*[:=]\s*(?:off|disabled|no|niet actief|nicht aktiv|inactive|désactivé|desactivado|disattivato|nieaktywn\S*|\[ ?\])|\b(?:only|can only) (?:negotiate|do|speak|support)s? (?:an? )?(?:older|old|legacy) tls\b|\btls\s*v?1\.2\b(?:[^.\n]|\.\b){0,50}\b(?:later|newer) firmware\b|\bfirmware (?:that |which )?["“]?(?:adds?|brings?|with) (?:the )?tls\s*v?1\.2\b|\b(?:ssl\/)?tls (?:only )?up to (?:tls )?v?1\.[01]\b|(?:ssl|tls)(?:\/tls)?[ _-]?(?:method|version|protocol)s?\s*[:=]\s*(?:tls\s*v?1(?:\.[01])?\b(?!\.[23])|ssl\s*v?3)|(?:does ?n[o']t|do ?n[o']t|not|cannot|can't|unable to)\s+(?:support|use|do)\s+tls\s*v?1\.2|no\s+tls\s*v?1\.2\s+support|tls\s*v?1\.2\)?\s*(?:nicht auswählbar|not selectable|not available|non disponible|no disponible|nicht verfügbar|niet beschikbaar|non selezionabile)|tls\s*v?1\.0\s*(?:bis|to|à|a|–|-)\s*tls\s*v?1\.1\b|\bno\b(?:[^.\n]|\.\b){0,25}\bwith tls\s*v?1\.2 support|\b(?:still )?allows? tls\s*v?1\.[01]\b(?:[^.\n]|\.\b){0,60}\bworks\b|(?:tls|ssl)\s*v?1(?:\.[01])?\s+(?:as|is)\s+the\s+only\s+(?:protocol|version)|(?<![a-z])(?:only|nur|seulement|uniquement|solo|solamente|apenas|somente|alleen|tylko|endast|bara|kun|vain|csak|pouze|jen|только|лише|sadece|hanya|doar|μόνο|chỉ|max(?:imum)?|up to|at most|höchstens|jusqu'à|hasta|até|fino a|tot|maksymalnie|tối đa)(?![a-z])(?:(?:[^.\n]|\.\b)|\.(?=\d)){0,25}?\b(?:ssl\s*v?3(?:\.0)?|tls\s*v?1(?:\.[01])?)\b(?!\.[23])|(?:only|only supports?|with|using)\s+tls\s*v?1\.0\s*(?:or|and|\/)\s*(?:tls\s*v?)?1\.1\b|(?:no longer accepts?|stopped accepting|deixou de aceitar|dejó de aceptar|n'accepte plus|akzeptiert (?:nicht mehr|kein(?:e|en)? )|non accetta più|accepteert (?:niet langer|geen))(?:[^.\n]|\.\b){0,20}tls\s*v?1\.[01]\b|connecting using smtp auth client submission(?:[^.\n]|\.\b){0,60}tls\s*v?1\.[01]|(?:只|仅|僅)[^。\n]{0,20}tls\s*v?1(?:\.[01])?\b(?!\.[23])|(?:没有|沒有|不支持|不支援)\s*tls\s*v?1\.2|tls\s*v?1(?:\.[01])?\b(?!\.[23])[^。\n]{0,8}(?:のみ|までしか|まで対応|까지만|만 지원)|tls\s*v?1\.2\s*(?:対応|支持|지원)[^。\n]{0,20}(?:提供されていない|ない|没有|不|없)/u,
    ),
    weights: { tls_version: 3.6, transient: -0.5 },
    why: "You say the server accepts only TLS 1.2: the client (or its runtime) offers only TLS 1.0/1.1",
  },
  {
    id: "words-old-tls-runtime",
    source:
      "Microsoft 'Enable TLS 1.2 on clients' / 'Transport Layer Security best practices with the .NET Framework': .NET Framework before 4.7 defaults to SSL3/TLS 1.0 unless ServicePointManager.SecurityProtocol or SchUseStrongCrypto is set; Windows Server 2008/2012 and Java 6/7 ship TLS 1.0 defaults; PHP's STREAM_CRYPTO_METHOD_TLS* (SwiftMailer, jethro-pmm #761, pterodactyl #4076), which is TLS 1.0 only in PHP 5 (5.6.7 narrowed it back after 5.6.0 widened it); smtp-legacy.office365.com, the endpoint Microsoft kept for TLS 1.0/1.1 clients; smtp.office365.com requires TLS 1.2",
    kind: "context",
    // The reporter names a runtime that offers only TLS 1.0/1.1 unless told otherwise.
    evidence: said(
      /\.net(?: framework)? (?:4\.[0-6](?:\.\d)?|3\.5|2\.0)\b|\b(?:windows )?server 20(?:03|08|12)(?: r2)?\b|\bservicepointmanager\.securityprotocol\b|\bschusestrongcrypto\b|\bsystemdefaulttlsversions\b|\b(?:java|jdk|jre) ?(?:1\.)?[67](?:u\d{1,3})?\b|\b(?:java|openjdk|jre|jdk) version "?1\.[67]\.|\bopenssl 0\.9|\bopenssl 1\.0\.[01]|\bstream_crypto_method_tls|\b(?:supports?|supporta|unterstützt|soporta|suporta|prend en charge|obsługuje|ondersteunt|stöder)\b(?:[^.\n]|\.\b){0,15}\b(?:ssl ?v?3(?:\.0)?|tls ?v?1\.0)\b(?![^\n]{0,40}\b1\.2\b)|(?:\bonly|\bque|\bnur|\bsolo|\bapenas|\bseulement|\btylko|\balleen)\b(?:[^.\n]|\.\b){0,30}\b(?:ssl ?v?3(?:\.0)?|tls ?v?1\.[01])\b(?![^\n]{0,30}\b1\.2\b)|\bphp ?5\.[2-6](?:\.\d{1,2})?\b|\bsmtp-legacy\.office365\.com\b|\b(?:firmware|system software|software version)\b[^\n]{0,24}?\b(?:from|de|von|del|dal|van|z|från) (?:19\d\d|20(?:0\d|1[0-6]))\b|\bfirmware (?:is|was) (?:the |a |from )?(?:19\d\d|20(?:0\d|1[0-6]))\b|\bsslvtlsv1\b|\bsslvsslv3\b|\b(?:19\d\d|20(?:0\d|1[0-6])) firmware\b|\btls ?1\.[01]\b(?:[^.\n]|\.\b){0,30}\b(?:discontinued|deprecated|retired|no longer supported|disabled|turned off|switched off)\b|\b(?:discontinued|deprecated|retired|dropped|ended|disabled) (?:the )?support for tls ?1\.[01]\b|(?:選べるのは|只有|仅支持|只支持)[^\n]{0,6}tls ?v?1\.[01]|tls ?v?1\.[01][」"”]?\s*(?:だけ|のみ)|tls ?1\.2\s*の(?:項目|選択肢)が(?:ありません|ない)|没有\s*tls ?1\.2/u,
    ),
    // The named runtime, endpoint or retirement is the reporter's own finding: it also lowers `unknown`.
    weights: { tls_version: 1.8, starttls_required: -0.3, unknown: -1.5 },
    why: "An old runtime (.NET Framework before 4.7, Windows Server 2012, Java 7) offers TLS 1.0/1.1 by default; smtp.office365.com needs TLS 1.2",
  },
  {
    id: "words-client-lacks-starttls",
    source:
      "reporters asking the client for STARTTLS on 587 (cloudreve #857 '建议添加支持', vmPing #73 'I need to add an option for enabling STARTTLS', gitbucket #1410/#1412, glowroot #226, v2board-admin #7 '适配 … STARTTLS'), or asking where its TLS/SSL settings are (zammad #240 'Where are the settings for TLS/SSL?', fixed by adding port 587 and STARTTLS), or saying the server wants STARTTLS rather than SSL (gitbucket #1410 'Office 365 SMTP requires STARTTLS instead of SSL … no option to enable that', fixed by #1412, batch 14); Microsoft: smtp.office365.com:587 needs STARTTLS. Measured on the threads with a known fix: STARTTLS was it in 4 of 6 (new-api #604: the mechanism; emailengine #98: the mailbox switch)",
    kind: "context",
    // The reporter says the client has no STARTTLS (or asks for it): a client that speaks only implicit
    // TLS or plain text to 587. Not a configuration key ("enable_starttls_auto", "starttls.enable").
    evidence: said(
      /(?:support|add|enable|need|option for|no option for|lacks?|missing|without)\s+(?:for\s+)?(?:the\s+)?starttls\b(?!["']?\s*[:=])|\bstarttls\s+(?:support|option|checkbox)|(?:支持|添加|适配|没有)[^。\n]{0,16}starttls|starttls[^。\n]{0,8}(?:协议|選項|选项)|where (?:are|is) the (?:settings?|options?) for (?:tls|ssl|starttls|encryption)|(?:no|missing) (?:settings?|options?) for (?:tls|ssl|encryption)\b|starttls instead of (?:ssl|tls|smtps)\b|\b(?:no|missing|without) (?:an? )?(?:options?|settings?|choices?) (?:with|for) (?:tls|starttls)\b|\bno (?:tls|starttls) (?:option|setting|choice|checkbox)\b|\bno starttls (?:anywhere|at all|in (?:the )?(?:menu|list|settings?|options?))\b|\bonly (?:has |have |offers? |gives? )?(?:an? )?(?:["“][^"”\n]{1,30}["”] )?(?:choice|option|setting)s? (?:of |between )?["“]?ssl["”]? (?:or|and|\/) ["“]?(?:none|off|no encryption)\b|(?:does ?n[o']t|do ?n[o']t|not) support (?:tls|tsl)\b(?!\s*v?\s*1\.\d)/u,
    ),
    weights: { starttls_required: 2.2, auth_mechanism_unsupported: 0.4, unknown: -1.5 },
    why: "You say the client lacks STARTTLS: smtp.office365.com:587 answers in plain text and needs STARTTLS (not TLS on connect)",
    question: "Does the client offer STARTTLS on 587 (not 'SSL/TLS on connect')?",
  },
  {
    id: "words-s-client-starttls",
    source:
      "OpenSSL s_client: without -starttls smtp it negotiates TLS at connect; rustdesk-server-pro #26 ('fails … while -starttls smtp -connect smtp.office365.com:587 works'); pocket-id #276 (a lone -starttls session is no TLS-mode finding)",
    kind: "context",
    // The reporter's own probe: TLS at connect to 587 fails where STARTTLS works. Both probes must be
    // there: an s_client line to 587 without -starttls (the failing one) and one with it. A lone
    // `s_client -starttls smtp … :587` session is only a working test of the server (pocket-id #276:
    // AUTH LOGIN answered 235 inside it while the application got 504 5.7.4), not a TLS-mode finding.
    evidence: (ev) => {
      // Each s_client invocation up to the next one (ev.words may join or hard-wrap lines).
      const runs = [...ev.words.matchAll(/s_client\b(?:(?!s_client)[\s\S]){0,120}/gu)]
        .map((m) => m[0])
        .filter((r) => /:587/u.test(r));
      return runs.some((r) => /-starttls\s+smtp/u.test(r)) && runs.some((r) => !/-starttls/u.test(r)) ? 1 : 0;
    },
    weights: { starttls_required: 3.0, tls_version: -0.5, unknown: -2 },
    why: "Your own s_client test: TLS at connect to 587 fails and STARTTLS works, so the client must use STARTTLS",
  },
  {
    id: "words-from-differs-from-login",
    source:
      "Microsoft 'How to set up a multifunction device or application to send email using Microsoft 365': the From must be the signing-in mailbox or an address it has Send As (or Send on Behalf) on; a From field set to another address (a shared mailbox, a no-reply name that does not exist) is refused after the login (554 5.2.252 SendAsDenied)",
    kind: "context",
    // The From the client is told to use, and the account it signs in as, both named and different.
    evidence: (ev) => {
      const from =
        /\b(?:"?from(?: e-?mail| address)?"?|sender(?: address)?|device mail address|absender(?:adresse)?|expéditeur|remitente|mittente|afzender)["'”]?(?:\s+(?:on|in|of|for) (?:the|our|this) [\w-]+)?\s*(?:field\s+)?(?:[:=]|(?:is|was)\s+(?:set\s+to\s+|still\s+)?|set\s+to)\s*["'“]?(?:[^<\n'"]{0,40}<)?([a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,200}\.[a-z]{2,24})/u.exec(
          ev.words,
        )?.[1] ??
        // "I changed the copier's "sender address" field to reception@…"
        /\b(?:changed|switched|set|updated)\s+(?:the\s+)?(?:[\w-]+['’]s\s+)?["“]?(?:from|sender)(?:\s*\/\s*(?:from|sender))?(?: e-?mail)?(?: address)?["”]?(?:\s+field)?(?:\s+from\s+["'“]?[a-z0-9._%+-]{1,64}@[a-z0-9.-]*["'”]?)?\s+to\s+["'“]?([a-z0-9._%+-]{1,64}@(?:[a-z0-9.-]{1,200}\.[a-z]{2,24})?)/u.exec(
          ev.words,
        )?.[1];
      const login =
        /\b(?:log(?:ging|s|ged)? ?in as|sign(?:ing|s|ed)? in as|authenticat(?:ing|es|ed) as|smtp auth(?:entication)? (?:as|with)|user ?name\s*[:=]?|login\s*[:=]|auth\.user\s*[:=]?|\buser\s*[:=])\s*["'“]?([a-z0-9._%+-]{1,64}@(?:[a-z0-9.-]{1,200}\.[a-z]{2,24})?)/u.exec(
          ev.words,
        )?.[1];
      if (from !== undefined && login !== undefined && !sameAddress(from, login)) return 1;
      // A From set to another address while the login was kept: "left the login and password as mine".
      if (
        from !== undefined &&
        /\b(?:left|kept|leave|keep)\s+(?:the\s+)?(?:login|user ?name|account|credentials|sign-?in)\b(?:[^.\n]|\.\b){0,40}?\b(?:as (?:mine|it was|before|(?:the )?[\w-]+['’]s)\b|unchanged\b|the same\b)/u.test(
          ev.words,
        )
      )
        return 1;
      // In prose: "authenticates as webforms@ and sends from hello@", "meldet sich mit edv@… an, soll aber
      // als bestellung@… verschicken", "From: info@…, not svc-mailer@…"; an address may be cut to "name@".
      // Each telling on its own: an earlier setup that matched ("logged in as info@… and sent from info@") does not
      // hide the change told after it.
      return [PROSE_LOGIN_THEN_FROM, PROSE_FROM_NOT_LOGIN, PROSE_LOGIN_CHANGED_FROM_KEPT].some((re) => {
        const m = re.exec(ev.words);
        return m !== null && !sameAddress(m[1]!, m[2]!);
      })
        ? 1
        : 0;
    },
    weights: { send_as_permission: 2.6, unknown: -1.5 },
    why: "The From is another address than the account that signs in: Exchange Online sends only as the signing-in mailbox or an address it has Send As on",
  },
  {
    id: "words-sending-as-login-works",
    source:
      "Microsoft 'How to set up a multifunction device or application to send email using Microsoft 365': the From must be the signing-in mailbox or an address it has Send As on; the reporter's own test (the same login sends when the From is put back to its own address) isolates that permission",
    kind: "context",
    // The reporter's test: with the login's own address as the From (or the From put back) it sends. Said in
    // the languages the reports come in.
    evidence: said(
      /\b(?:if|when|once|as soon as) (?:i|we) (?:put|set|change|switch|turn|revert|use)\b(?:[^.\n]|\.\b){0,40}\b(?:from|sender)\b(?:[^.\n]|\.\b){0,40}\bback\b(?:[^.\n]|\.\b){0,50}\b(?:fine|works?|goes (?:through|out)|sends?|arrives?|ok)\b|\b(?:with|using) (?:the |its )?(?:own|login['’]?s?|account['’]?s?) (?:e-?mail )?address as (?:the )?(?:from|sender)\b(?:[^.\n]|\.\b){0,40}\b(?:works?|fine|goes (?:through|out)|sends?)\b|(?<![\p{L}])(?:si|quand|lorsque) (?:je |on |j['’])(?:mets?|remets?|change|indique)[^\n]{0,60}(?:adresse d['’]exp[ée]dit\p{L}*|exp[ée]diteur)[^\n]{0,60}(?:ça part|ça marche|ça passe|ça fonctionne|c['’]est bon|ça envoie|ça repart)|(?<![\p{L}])wenn ich[^\n]{0,60}als absender[^\n]{0,60}(?:geht es|geht's|funktioniert|klappt|kommt)|(?<![\p{L}])si (?:pongo|cambio|vuelvo a poner|dejo)[^\n]{0,60}(?:como )?remitente[^\n]{0,60}(?:sale|funciona|se env[ií]a|va bien|llega)|(?<![\p{L}])se (?:eu )?(?:coloco|ponho|troco|volto|deixo)[^\n]{0,60}(?:como )?remetente[^\n]{0,60}(?:sai|funciona|envia|vai|chega)|(?<![\p{L}])se (?:metto|rimetto|cambio|lascio)[^\n]{0,60}(?:come )?mittente[^\n]{0,60}(?:parte|funziona|va|arriva)|(?<![\p{L}])als ik[^\n]{0,60}als afzender[^\n]{0,60}(?:werkt|gaat|komt)|\bfrom:?\s*[\w.+-]+@[\w.-]*\s+(?:does ?n['’]?t|does not|won['’]?t|fails?)\b[^\n]{0,80}\bfrom:?\s*[\w.+-]+@[\w.-]*\s+(?:works?|goes through|is fine)\b/u,
    ),
    weights: { send_as_permission: 2.8, unknown: -1.5 },
    why: "The same login sends when the From is its own address: the From you want is an address it may not send as (Send As is missing)",
  },
  {
    id: "words-implicit-tls-chosen",
    source:
      "Microsoft 'How to set up a multifunction device …': smtp.office365.com:587 takes STARTTLS; a client set to SSL/TLS on connect (implicit TLS) or with STARTTLS switched off cannot authenticate there",
    kind: "context",
    // In prose: the reporter chose implicit TLS, or turned STARTTLS off, on the submission port.
    evidence: (ev) =>
      /\b587\b/u.test(ev.words) &&
      /\b(?:picked|chose|selected|set (?:it |the \w+ )?to|switched to|changed (?:it |the [\w ]{1,30} )?to)\s+["'“]?(?:ssl\/tls|ssl|implicit tls|ssl on connect|sslonconnect|tls\/ssl)\b(?!(?:[^.\n]|\.\b){0,20}starttls)|\bconnection security\s*[:=]?\s*["“]?(?:ssl\/tls|ssl|tls\/ssl)\b["”]?|\buse ssl\/tls\s*[:=]\s*["“]?ssl\b(?![\/-])|\b(?:disabled|turned off|switched off|unticked|removed)\s+(?:the\s+)?starttls\b|\bstarttls(?: policy)?\s+(?:to|=|:)\s*["'“]?(?:no starttls|off|disabled|none|never)\b/u.test(
        ev.statements,
      )
        ? 1
        : 0,
    weights: { starttls_required: 2.6, unknown: -1.5 },
    why: "You chose implicit SSL/TLS or turned STARTTLS off on port 587: smtp.office365.com:587 starts in plain text and offers AUTH only after STARTTLS",
  },
  {
    id: "words-challenge-mechanism-chosen",
    source:
      "Exchange Online offers AUTH LOGIN and XOAUTH2 only (EHLO after STARTTLS); a client set to CRAM-MD5, DIGEST-MD5 or NTLM (often the 'secure' option of a device menu) has no mechanism in common",
    kind: "context",
    evidence: (ev) =>
      /\b(?:chose|picked|selected|set (?:it |the \w+ )?to|switched to|configured (?:for|with)|uses|using|left on|still on|(?:it['’]s|it is|is|was) on|tried(?: both)?)\s+(?:the\s+)?["'“]?(?:cram-?md5|digest-?md5|ntlm)\b|\bauthentication (?:method|type|mechanism)\b(?:[^.\n]|\.\b){0,60}\bfrom \w+ to ["'“]?(?:cram-?md5|digest-?md5|ntlm)\b|\b(?:smtp )?auth(?:entication)? (?:method|type|mechanism)\b["”]?(?:[^.\n]|\.\b){0,60}\b(?:now )?(?:says|shows|reads|is set to|set to)\s+["“]?(?:cram-?md5|digest-?md5|ntlm)\b|(?:secure password authentication|gesicherte kennwortauthentifizierung|authentification par mot de passe sécurisée?|autenticación de contraseña segura|autenticação de senha segura|autenticazione password di protezione)\s*\(spa\)["”]?(?:[^.\n]|\.\b){0,60}?(?:required|ticked|checked|enabled|erforderlich|gesetzt|aktiviert|angehakt|requise|cochée?|requerida|marcad[ao]|obbligatoria|selezionat[ao])|\b(?:integrated windows authentication|windows integrated(?: auth\w*)?)\b(?!(?:[^.\n]|\.\b){0,30}\b(?:to|into) (?:login|basic|normal)\b)|\bauthentication(?: method| type| mechanism)?["”]?\s*[:=]\s*["“]?[^"”\n]{0,40}\b(?:ntlm|cram-?md5|digest-?md5|windows integrated|secure password authentication)\b(?!(?:[^.\n]|\.\b){0,40}\b(?:to|into) (?:login|basic|normal)\b)|(?:选的是|选择了|设置为|設定されて(?:い|あ)る|選ばれて(?:い|あ)る|mam ustawione|ustawion[ey] (?:na|jest)|ho (?:messo|selezionato|impostato)|j'ai (?:mis|choisi|sélectionné)|tengo puesto|está en|coloquei|está em|selecionei|eingestellt auf|steht auf|staat op|ingesteld op)\s*["“„«「]?(?:cram-?md5|digest-?md5|ntlm)\b/u.test(
        ev.statements,
      )
        ? 1
        : 0,
    weights: { auth_mechanism_unsupported: 2.8, unknown: -1.5 },
    why: "The client is set to a challenge-response mechanism (CRAM-MD5, DIGEST-MD5, NTLM): Exchange Online offers only LOGIN and XOAUTH2",
  },
  {
    id: "words-encryption-blamed",
    source:
      "reporters who trace the failure to the connection's encryption ('it has to do with the office365 smtp encryption', halo #1848 '和office365 smtp加密有关', fixed by enabling STARTTLS; batch 25)",
    kind: "context",
    // The reporter's finding that the encryption setting is what matters: on smtp.office365.com:587 that is
    // STARTTLS against implicit TLS or none, else an old TLS version.
    // A statement, not a question ("Could this be related to the TLS settings?" is a guess).
    evidence: (ev) =>
      /\b(?:related to|has to do with|to do with|caused by|because of|problem with|issue with) (?:the )?(?:[\w.]+ )?(?:smtp )?(?:encryption|ssl\/tls|tls\/ssl|ssl|tls) (?:setting|settings|option|mode|type)?\b|\b(?:encryption|ssl|tls) (?:setting|option|mode) (?:is|was) (?:the (?:problem|issue|cause)|wrong)\b|(?:和|与|跟)[^。\n]{0,20}加密有关|加密(?:方式|设置)?(?:的)?问题|暗号化[^。\n]{0,10}(?:問題|関係)|mit der verschlüsselung zu tun|(?:lié|liée) au chiffrement|relacionad[oa] con el cifrado|relacionad[oa] com a criptografia/u.test(
        ev.statements,
      )
        ? 1
        : 0,
    weights: { starttls_required: 2.2, tls_version: 0.8, unknown: -1.5 },
    why: "You trace it to the connection's encryption: smtp.office365.com:587 needs STARTTLS (not SSL/TLS on connect, not none) with TLS 1.2",
  },
  {
    id: "words-port-25-direct-send",
    source: "Microsoft: direct send (port 25 to the MX endpoint) takes no AUTH",
    kind: "context",
    // ":25" after a host, not a time of day ("17:25:44").
    evidence: said(/direct send|port 25\b|(?<!\d):25\b(?!:\d)|mail\.protection\.outlook\.com/u),
    weights: { auth_mechanism_unsupported: 0.8, not_authenticated_anonymous_send: 0.4 },
    why: "Port 25 / direct send: that endpoint offers no AUTH; authenticated submission is smtp.office365.com:587",
  },
  {
    id: "words-reject-direct-send-on",
    source:
      "Exchange Team blog 'Introducing more control over Direct Send in Exchange Online' (2025): Set-OrganizationConfig -RejectDirectSend $true refuses unauthenticated mail from the tenant's own domains sent to its MX (550 5.7.68), unless a partner connector matches the sender",
    kind: "context",
    evidence: said(
      /\brejectdirectsend\s+(?:\$?true|is true|:\s*true)|\breject direct send["”]?\s+(?:on|enabled|turned on|switched on|is on)\b|\b(?:turned|switched) on ["“]?reject direct send\b|\bdirect send (?:is ?n['’]?t|is not|not) allowed\b/u,
    ),
    weights: { not_authenticated_anonymous_send: 2.8, auth_mechanism_unsupported: -0.5, unknown: -1.5 },
    why: "The tenant rejects Direct Send: a device that sends to the MX without logging in is refused; log in on smtp.office365.com:587 or add a partner connector for its IP",
  },
  {
    id: "words-direct-send-external-refused",
    source:
      "Microsoft 'How to set up a multifunction device or application to send email using Microsoft 365' (option 2, direct send): mail sent without a login to <domain>.mail.protection.outlook.com:25 reaches only the tenant's own recipients; to outside addresses it is a relay, refused without a connector (550 5.7.54 / 5.7.64)",
    kind: "context",
    // Both: the MX endpoint (or "direct send"), and outside recipients failing while inside ones arrive, in the
    // languages the reports come in. "clients" is the French reporter's word for outside recipients.
    evidence: (ev) =>
      /mail\.protection\.outlook\.com|\bdirect[- ]send\b|\b(?:the |our |its )?mx (?:endpoint|record|host)\b|envoi direct|envío directo|envio direto|invio diretto|direktversand/u.test(
        ev.words,
      ) &&
      /\b(?:external|outside)(?: [\w-]+){0,3}? (?:recipients?|addresses|domains?|users|customers|people|contacts)\b[^\n]{0,60}?\b(?:never|not|don['’]?t|doesn['’]?t|won['’]?t|fail\w*|bounce\w*|reject\w*|refus\w*|undeliver\w*)\b|\bonly (?:to )?(?:internal|internally|inside)\b|\b(?:to (?:staff|colleagues|co-?workers|our own (?:users|mailboxes|people|domain))|internal(?:ly)?)\b[^.\n]{0,40}\b(?:arrive|arrives|work|works|fine)\b[^\n]{0,200}\b(?:never|don['’]?t|do not|won['’]?t|doesn['’]?t|does not) (?:arrive|get through|go out|come through)\b|\binternal(?:ly)?(?: [\w-]+){0,4} (?:works?|arrives?|fine|delivered|ok)\b[^\n]{0,80}\bexternal|(?<![\p{L}])(?:extern\p{L}*|clients?)(?![\p{L}])[^\n]{0,60}?n['’](?:arrive\p{L}*|part\p{L}*) (?:jamais|pas)|(?:seulement|uniquement) en interne|(?<![\p{L}])extern\p{L}*[^\n]{0,50}?(?<![\p{L}])(?:nicht|nie|nichts|niet|nooit)(?![\p{L}])|(?<![\p{L}])(?:nur|alleen) intern(?![\p{L}])|(?<![\p{L}])extern[oa]s?(?![\p{L}])[^\n]{0,50}?(?:no (?:llega|sale)|não (?:chega|sai)|nunca)|(?<![\p{L}])(?:solo|sólo|só|apenas)(?: (?:a|para|aos?|as|los|las))? intern(?:[oa]s|amente)(?![\p{L}])|(?<![\p{L}])estern[ioe](?![\p{L}])[^\n]{0,50}?(?:non (?:arriva|parte)|mai(?![\p{L}]))|solo (?:agli )?interni/u.test(
        ev.words,
      )
        ? 1
        : 0,
    weights: { not_authenticated_anonymous_send: 2.6, auth_mechanism_unsupported: -0.6, unknown: -1.5 },
    why: "Direct send to your MX endpoint takes no login: it delivers only to your own domains, and mail to outside addresses is a relay that needs authenticated submission (smtp.office365.com:587) or a connector",
    question:
      "Do outside recipients fail while your own domain's arrive? Then direct send is relaying: log in on smtp.office365.com:587 or add a connector for the server's IP.",
  },
  {
    id: "words-basic-auth-off",
    source:
      "reporters' own account: 'basic authentication has been disabled / deprecated' (zotero-arxiv-daily #46), also the bare verb ('has disable basic auth', hoppscotch #4401), Chinese 禁用 (SmsForwarder #527) and 移除 ('Hotmail把basic authentication移除了', twikoo #756); the other languages with the term Microsoft's localised 'Deprecation of Basic authentication in Exchange Online' uses (Standardauthentifizierung, authentification de base, autenticación básica, autenticação básica, autenticazione di base, basisverificatie, 基本認証); and the reporter's reading of that deprecation as 'Microsoft no longer supports the email protocols' (SuiteCRM #9789), or as username and password sign-in no longer possible ('it will not be possible to use simply Username+Password after 16.September 2024', ioBroker.email #261, fixed by adding OAuth2; batch 14)",
    kind: "context",
    // Not Exchange's own reply ("basic authentication is disabled", or its localised wording: "die
    // Standardauthentifizierung ist deaktiviert"), which the reply rules read: those are removed first.
    evidence: BASIC_AUTH_OFF_WORDS,
    weights: {
      unknown: -1.5,
      basic_auth_disabled_or_retired: 2.5,
      authentication_policy_blocks_basic_smtp: 1.2,
      wrong_credentials: -0.5,
    },
    why: "You say Basic authentication was turned off: only OAuth (or an authentication policy exception) will work",
  },
  {
    id: "words-basic-auth-off-criteria-reply",
    source:
      "An authentication policy that blocks Basic SMTP answers 'basic authentication is disabled'; 'the request did not meet the criteria' is Entra's refusal (m365-api-facts: Conditional Access, e.g. block legacy authentication). An admin who 'disabled Basic Authentication' and got the criteria reply did it with Conditional Access (SFMail #1: 535 5.7.139 … criteria after the admin disabled Basic auth; batch 35)",
    kind: "context",
    // Not per-user MFA: the reporter names the change that broke it, and it was not an MFA rollout.
    evidence: (ev) =>
      BASIC_AUTH_OFF_WORDS(ev) > 0 ? Math.max(0, ...REASONS.criteria.map((p) => ev.phrase(p, 12))) : 0,
    weights: { conditional_access_block: 1.4, basic_auth_disabled_or_retired: 0.6, per_user_mfa: -1.2 },
    why: "Basic authentication turned off, and Entra's criteria reply: a Conditional Access policy blocking legacy authentication does that",
  },
  {
    id: "words-no-plain",
    source:
      "Exchange Online offers only AUTH LOGIN and XOAUTH2 after STARTTLS (Microsoft 'Authenticated client SMTP submission'); reporters say it in their own words (hasura-auth #612, seatsurfing PR #1337), also as the client choosing the wrong mechanism ('Net::SMTP doesn't select the correct authentication method automatically', gitlab #429680, fixed by a mechanism setting; batch 19)",
    kind: "context",
    evidence: said(
      /(?:does ?n[o']t|do ?n[o']t|not) support (?:the )?(?:auth )?plain\b|\bplain (?:auth(?:entication)? |method )?(?:is )?not supported|only (?:supports? |accepts? )?(?:the )?(?:\([^)\n]{0,40}\) )?(?:auth )?login\b|\bsupports? neither (?:auth )?plain\b|\brejects? (?:auth )?(?:plain|cram-?md5)\b|\b(?:plain|cram-?md5)(?:\/[a-z0-9-]+)? (?:is |are )?(?:rejected|refused)\b|\buse auth login (?:for|with|instead)\b|\bonly (?:tries|supports|offers|does) (?:cram-?md5|digest-?md5|ntlm)\b|\blogin (?:and plain )?(?:only came|came only) (?:with|in) a (?:later|newer) firmware\b|(?:does ?n[o']t|do ?n[o']t|did ?n[o']t|fails? to|can ?not|can't)\s+(?:automatically\s+)?(?:select|pick|choose|negotiate|use)\s+the\s+(?:correct|right|proper|supported)\s+auth(?:entication)?\s+(?:method|mechanism|type)|\b(?:wrong|incorrect|unsupported)\s+auth(?:entication)?\s+(?:method|mechanism)\s+(?:is\s+)?(?:selected|chosen|picked|used|negotiated)|\bonly (?:the )?(?:auth )?plain (?:auth(?:entication)? )?(?:mechanism |method )?(?:is )?(?:supported|implemented|available)\b|\b(?:disallowed|dropped|stopped supporting|no longer supports?|no longer accepts?|(?:does ?n[o']t|do ?n[o']t|not) accept) (?:the )?(?:auth )?plain\b|\b(?:add|adding|allow|implement|implementing|support for|supporting) (?:the )?(?:auth )?login (?:auth(?:entication)? )?(?:mechanism|method)\b|\b(?:add|adding|allow|implement\w*|support(?:s|ing)?(?: for)?) (?:the )?auth login\b|\b(?:due to|because of|caused by|blame\w*) (?:the )?auth plain\b|\bno (?:auth )?login (?:option|choice|mechanism|method|setting)\b|\b(?:auth )?login (?:is )?(?:not|isn['’]t) (?:an option|offered|available|listed|one of (?:them|the (?:choices|options)))\b/u,
    ),
    weights: { unknown: -1.5, auth_mechanism_unsupported: 2.6, wrong_credentials: -0.5 },
    why: "You say PLAIN is not supported: Exchange Online offers only AUTH LOGIN and XOAUTH2",
    question: "Which AUTH mechanism does the client send? (Exchange Online offers LOGIN and XOAUTH2 only)",
  },
  {
    id: "words-no-common-mechanism",
    source:
      "mutt's 'No authenticators available' / 'SMTP authentication requires SASL' as a reporter retells them (ork/mutt-office365 #1: 'Authentication method missing … none of their auth methods work', fixed by installing cyrus-sasl; batch 36)",
    kind: "context",
    evidence: said(
      /\bauth(?:entication)? (?:method|mechanism)s? (?:is |are |was )?missing\b|\bnone of (?:the|their|its|mutt'?s|the client'?s) auth(?:entication)? (?:methods|mechanisms) (?:work|worked|works)\b/u,
    ),
    weights: { unknown: -1.5, auth_mechanism_unsupported: 2.6, wrong_credentials: -0.5 },
    why: "You say the client finds no authentication method to use: Exchange Online offers AUTH LOGIN and XOAUTH2 only, so the client must support one of them",
    question: "Which AUTH mechanisms can the client speak? (Exchange Online offers LOGIN and XOAUTH2 only)",
  },
  {
    id: "words-personal-account",
    source: "Outlook.com personal accounts: Basic auth off since 16 September 2024",
    kind: "context",
    evidence: (ev) => (ev.ex.consumerAccount ? 1 : 0),
    weights: {
      basic_auth_disabled_or_retired: 1.0,
      smtp_auth_disabled_tenant: -1,
      smtp_auth_disabled_mailbox: -0.5,
      security_defaults_enabled: -0.5,
      // A personal account's two-step verification is not Entra's per-user MFA, and no tenant policy applies.
      per_user_mfa: -2,
      conditional_access_block: -1.5,
      authentication_policy_blocks_basic_smtp: -1,
    },
    why: "A personal Outlook.com/Hotmail account: only OAuth works; there are no tenant switches",
  },
  {
    id: "words-personal-account-app-password",
    source:
      "Microsoft support, 'Modern authentication methods now needed to continue syncing Outlook email in non-Microsoft email apps': from 16 September 2024 personal Outlook.com/Hotmail accounts accept no password login for SMTP, app passwords included",
    kind: "context",
    // A personal account with an app password tried: the app password is the Basic login that was retired, not a
    // per-user MFA matter (personal accounts have no per-user MFA).
    evidence: (ev) =>
      ev.ex.consumerAccount &&
      !ev.ex.oauth &&
      /\bapp(?:lication)?[- ]?passwords?\b|\bsenhas? de aplicativo\b|\bcontraseñas? de aplicación\b|\bapp-kennwort\b|\bmot de passe d['’]application\b|\bpassword (?:per le )?app\b|\bapp-wachtwoord\b|\bhasło aplikacji\b|应用(?:专用)?密码|アプリ パスワード|앱 암호/u.test(
        ev.words,
      )
        ? 1
        : 0,
    weights: { basic_auth_disabled_or_retired: 2.4, per_user_mfa: -1.5, wrong_credentials: -0.5, unknown: -1 },
    why: "A personal Outlook.com/Hotmail account: since September 2024 it takes no password for SMTP, app passwords included; only OAuth works",
  },
  {
    id: "words-personal-account-auth-failure",
    source:
      "Microsoft support, 'Modern authentication methods now needed to continue syncing Outlook email in non-Microsoft email apps': Basic authentication (app passwords included) off for personal Outlook.com/Hotmail/Live accounts from 16 September 2024; nodemailer #1726, vaultwarden (hassio-addons #402), twikoo #840",
    kind: "context",
    // A personal account's address (or the reporter's "personal account" / Hotmail) next to a generic
    // authentication failure — a bare 535 5.7.3, a 5.7.139 whatever its wording, "Authentication
    // failed", "Invalid login" — on smtp-mail.outlook.com or smtp.office365.com: after 16 September 2024
    // that is the retirement, not a wrong password. Not for a reply dated before that day, not with
    // OAuth in use, and not when Exchange names another reason (locked, criteria, credentials, tenant).
    evidence: (ev) => {
      const personal =
        ev.ex.addresses.some((a) => PERSONAL_ADDRESS.test(a)) ||
        /personal (?:microsoft |outlook(?:\.com)? )?account|\bhotmail\b|\bpersönliche[ns]? konto|compte personnel/u.test(
          ev.words,
        );
      if (!personal || ev.ex.oauth) return 0;
      const authFailure =
        ev.basic.includes(535) ||
        ev.enhanced.some((c) => c === "5.7.3" || c === "5.7.139" || c === "5.7.8") ||
        /authentication (?:unsuccessful|failed)|could not authenticate|invalid login|authenticationfailed|username and password not accepted/u.test(
          ev.words,
        );
      if (!authFailure) return 0;
      if (
        /credentials were incorrect|account locked|locked by|did not meet the criteria|smtpclientauthentication is disabled|security defaults|starttls/u.test(
          ev.words,
        )
      )
        return 0;
      const when = ev.ex.timestamp !== null ? Date.parse(ev.ex.timestamp) : Number.NaN;
      return !Number.isNaN(when) && when < PERSONAL_BASIC_OFF ? 0 : 1;
    },
    weights: {
      unknown: -1.5,
      basic_auth_disabled_or_retired: 2.6,
      authentication_policy_blocks_basic_smtp: -1.5,
      wrong_credentials: -1.2,
      mailbox_unlicensed_or_missing: -1,
      smtp_auth_disabled_mailbox: -0.8,
      per_user_mfa: -0.6,
    },
    why: "A personal Outlook.com/Hotmail account refused at AUTH: Microsoft turned Basic authentication (app passwords included) off for personal accounts on 16 September 2024; only OAuth works",
    question:
      "Is the account a personal Outlook.com/Hotmail/Live one? Then only OAuth (XOAUTH2) works; no password or app password will.",
  },
  {
    id: "words-smtp-auth-off",
    source:
      "reporters' own paraphrase of the SMTP AUTH switch ('SMTPclient is disabled for the tenant', 'SMTP Authentication is disabled', oauth2ms #20); Microsoft 'Enable or disable SMTP AUTH in Exchange Online': SmtpClientAuthenticationDisabled, per organisation and per mailbox",
    kind: "context",
    // The reporter says SMTP (client) authentication is off, in their own words. Exchange's own reason
    // texts ("SmtpClientAuthentication is disabled for the Tenant/Mailbox") are removed first: the reply
    // rules read those. A mailbox or user named beside it points at the per-mailbox switch instead.
    evidence: saidBeside(
      [...REASONS.tenantDisabled, ...REASONS.mailboxDisabled],
      /smtp ?client (?:auth(?:entication)? )?(?:is |was |has been )?(?:disabled|turned off|off)|smtp ?auth(?:entication)? (?:is |was |has been )?(?:disabled|turned off|switched off)|(?:disabled|turned off) (?:the )?smtp ?auth(?:entication)?\b/u,
    ),
    weights: {
      unknown: -1.5,
      smtp_auth_disabled_tenant: 1.6,
      smtp_auth_disabled_mailbox: 1.2,
      wrong_credentials: -0.5,
    },
    why: "You say SMTP AUTH (client authentication) is disabled: the organisation's or the mailbox's switch refuses it",
    question:
      "Is SMTP AUTH off for the whole organisation (Get-TransportConfig) or only for this mailbox (Get-CASMailbox)?",
  },
  {
    id: "words-never-authenticates",
    source:
      "reporters' and maintainers' account that the client sends without logging in (email-oauth2-proxy #352: 'not authenticated to send emails over SMTP', the client closed the session after EHLO; #295 'trying to send email without logging in'); Microsoft: 530 5.7.57 for MAIL FROM before AUTH",
    kind: "context",
    // The reporter's own sentence, not Exchange's 530 5.7.57 wording (the reply rules read that).
    evidence: saidBeside(
      [
        "client not authenticated to send mail",
        "client was not authenticated to send anonymous mail",
        "client was not authenticated",
      ],
      /\b(?:am|is|are|was|were) not authenticated to send|\bno auth(?:entication)? (?:command|attempt)s? (?:ever )?(?:appears?|is sent|was sent|shows? up|in the log)\b|send(?:s|ing)? (?:e-?mails? )?without (?:first )?(?:logging in|authenticating|auth(?:entication)?)\b|never (?:sends?|issues?) (?:an? )?auth\b|(?:does ?n[o']t|did ?n[o']t|never) (?:even )?(?:attempts?|try|tries) to (?:log ?in|authenticate|sign ?in)\b|\bnull credentials\b|\bcredentials (?:come back|came back|are|were) null\b|\bnever (?:actually )?(?:call|calls|called) [\w.$>-]*login\b|(?:does ?n[o']t|did ?n[o']t|not) (?:actually )?(?:send|issue)(?:ing)? (?:the )?auth(?:entication)? (?:command|request)/u,
    ),
    weights: { unknown: -1.5, not_authenticated_anonymous_send: 2.2, wrong_credentials: -0.5 },
    why: "You say the client sends without authenticating: Exchange Online refuses MAIL FROM before a successful AUTH",
    question: "Does your log show an AUTH command (and a 235 reply) before MAIL FROM?",
  },
  {
    id: "words-from-is-login",
    source:
      "reporters' workaround of making the From address the SMTP login (opencart #11549: From set to smtp_username; PHPMailer #1231: 'If I set username and From email same then its working'); Microsoft 'How to set up a multifunction device…', Option 1: the From address must be the mailbox or one it has Send As for",
    kind: "context",
    // The From (or sender) set to, or compared with, the SMTP user name / login.
    evidence: said(
      /(?<!(?:changed|renamed|moved|migrated|come|comes|came|read|loaded|taken|pulled) )\bfrom\b(?! ["'“]?smtp_?user)[^\n]{0,80}(?:smtp_?user(?:_?name)?|smtp_?login)\b|(?:set|same|match(?:es|ing)?)\b[^\n.]{0,30}\b(?:username|user name|login)\b[^\n.]{0,15}\bfrom\b|\bfrom (?:address|email|e-mail)\b[^\n.]{0,30}\b(?:same as|match(?:es)?|equal to)\b[^\n.]{0,20}\b(?:username|user name|login|smtp user)|\b(?:sender|from)(?: address)? (?:is |was )?(?:left as|set to|is) (?:the )?(?:scanner|device|service|smtp|auth(?:enticated)?|login|sending|own) (?:account|user|address|mailbox)\b(?:[^.\n]|\.\b){0,30}\bworks\b|\b(?:pick|picks|choose|chooses|select|selects|use|uses|enter|enters|put|puts|set|sets) (?:themselves|himself|herself|(?:their|his|her|your|my) own (?:name|address(?: book entry)?|entry|e-?mail(?: address)?)|another (?:user|address)|a different (?:user|address|sender)|other users?) as (?:the )?(?:sender|from)\b|\b(?:leaves?|left|keeps?) the (?:sender|from)(?: address)? as the (?:machine|device|scanner|printer|login|account)\b|\b(?:sender|from)(?: address)? is left as the (?:machine|device|scanner|printer|login|account)\b|\bfull access\b(?:[^.\n]|\.\b){0,40}\b(?:but )?(?:no|not|without) send[ -]as\b|\bonly (?:has )?["'“]?full ?access\b|\bnur ["'„“]?vollzugriff|\b(?:no|without|not granted|never granted|haven't granted|have not granted|didn't grant|did not grant|doesn't have|does not have|lacks?) (?:the )?["'“]?send[ -]as\b|send[ -]as["'”)]*\s*(?:permission|right)?s?(?:[^.\n]|\.\b){0,15}\b(?:not granted|missing|is missing|not assigned)\b|send as\)?[^。\n]{0,12}(?:権限は付けていません|権限がありません|未授予|没有)|\b(?:changed|switched|set) the (?:sender|from)(?: address)? (?:from [^ \n]{1,60} )?to (?:a |the )?shared mailbox\b|差出人[^。\n]{0,30}共有メールボックス|\bals absender\b(?:[^.\n]|\.\b){0,60}\b(?:geht|funktioniert|klappt)\b|\b(?:diferente|distinto|different|anders|différent|diverso)\b(?:[^.\n]|\.\b){0,40}\b(?:usuário|usuario|user|utilisateur|benutzer|utente)\b(?:[^.\n]|\.\b){0,30}\b(?:autenticad|authenticated|authentifi|angemeldet)/u,
    ),
    weights: { unknown: -1.5, send_as_permission: 2.2 },
    why: "Sending works when the From address is the login itself: the mailbox may not send as the other address",
    question: "Is the From address exactly the mailbox you sign in as (or one it has Send As for)?",
  },
  {
    id: "words-auth-policy",
    source:
      "Microsoft 'Disable Basic authentication in Exchange Online': an authentication policy (New-AuthenticationPolicy, AllowBasicAuthSmtp) assigned to the user or as the organisation's default",
    kind: "context",
    // The reporter names an Exchange authentication policy or its SMTP switch (not a Conditional Access
    // or authentication-methods policy).
    // Its SMTP switch named (AllowBasicAuthSmtp, "AllowBasicAuth* … False") is the reporter's finding;
    // the policy merely named is a lead.
    evidence: (ev) =>
      // A pasted AllowBasicAuthSmtp True with no False names a policy that allows it: no finding.
      /\ballowbasicauthsmtp\b[ \t]*(?::|=|->|→|\bis\b)?[ \t]*\$?true\b/u.test(ev.words) &&
      !/\ballowbasicauthsmtp\b[ \t]*(?::|=|->|→|\bis\b)?[ \t]*\$?false\b/u.test(ev.words)
        ? 0
        : // "BlockBasic<digits>" is the policy the Modern authentication page creates when Basic protocols are unticked.
          /\ballowbasicauth(?:smtp|\*)?\b|\bblockbasic\d+\b|\bnew-authenticationpolicy\b|\bset-user\b[^\n]{0,120}-authenticationpolicy\b|\bset-organizationconfig\b[^\n]{0,80}-defaultauthenticationpolicy\b/u.test(
              ev.words,
            ) ||
            // The admin center's Org settings > Modern authentication with the Basic-auth protocols unticked
            // writes the organisation's default authentication policy.
            (MODERN_AUTH_PAGE.test(ev.words) && BASIC_PROTOCOLS_UNTICKED.test(ev.words.replace(ORG_TURN_OFF_BOX, " ")))
          ? 1
          : // A negated mention ("no auth policies in those tenants") names no policy.
            new RegExp(
                String.raw`\b(?:exchange )?auth(?:entication)? polic(?:y|ies)\b(?!(?:[^.\n]|\.\b){0,20}\bmethods?\b)|\bdefaultauthenticationpolicy\b|\b(?:new|set|get)-authenticationpolicy\b|${AUTH_POLICY_LOCAL}`,
                "u",
              ).test(
                negatedMentions(
                  ev.words.replace(
                    /\bget-authenticationpolicy\b(?:[^.\n]|\.\b){0,20}\b(?:returns|returned|shows|showed|gives|gave)\s+(?:nothing|no output|empty|no results?)\b|\b(?:default)?authenticationpolicy[ \t]*(?::|->|→|=>|=)[ \t]*\(?(?:blank|empty|none|null|nothing)\)?/gu,
                    " ",
                  ),
                  String.raw`\b(?:exchange )?auth(?:entication)?`,
                  AUTH_POLICY_LOCAL,
                ).rest,
              ) || MODERN_AUTH_PAGE.test(ev.words)
            ? 0.6
            : 0,
    weights: { unknown: -1.5, authentication_policy_blocks_basic_smtp: 5.0, basic_auth_disabled_or_retired: 0.3 },
    why: "You name an Exchange authentication policy: one with AllowBasicAuthSmtp $false refuses Basic SMTP AUTH for the users it applies to",
  },
  {
    id: "words-account-locked",
    source:
      "Entra smart lockout (sign-in error 50053 'account is locked'); the Outlook on the web banner 'Your account has been locked'",
    kind: "context",
    // The reporter's account of a lockout, not Exchange's security-defaults reason ("user is locked by
    // your organization's security defaults policy"), which the reply rules read.
    // Not when the reporter found no lockout ("it wasn't blocked", "the sign-in log shows no lockout"): a caller's
    // "account locked" retold, which the admin disproved (blind set 88).
    evidence: (ev) => (LOCK_DENIED.test(ev.words) ? 0 : ACCOUNT_LOCKED_SAID(ev)),
    // The lockout banner or error 50053 quoted is as decisive as Exchange's own "account locked".
    weights: { unknown: -1.5, account_locked: 5.0 },
    why: "You say the account is locked: Entra smart lockout refuses every sign-in, the correct password included, until it expires",
  },
  {
    id: "words-account-disabled",
    source:
      "Entra user property 'Account enabled' (accountEnabled false: sign-in error 50057 'The user account is disabled'), also when disabled in on-premises AD and synced by Entra Connect",
    kind: "context",
    // Someone disabled the account, in the admin's words or as the portal's field. Weaker than a lockout
    // quoted: "disabled the old account" may be one the device no longer uses.
    evidence: said(
      /\bdisabl(?:ed|es|e|ing) (?:the |his |her |their |its )?(?:[\w@.-]+ )?(?:(?:ad|user|service|scan|entra|on-?prem) )?account\b(?! (?:creation|settings?|page)\b)|\baccount (?:is |was |gets |got )?disabled in (?:our |the )?(?:on-?prem(?:ises)? )?(?:ad|active directory|entra(?: id)?)\b|\baccount ?enabled["”]?\s*[:=]?\s*["“]?(?:no|false)\b|\b(?:konto|compte|cuenta|conta|account) (?:ist |wurde |est |a été |está |fue |foi |è stato |is )?(?:deaktiviert|désactivé|deshabilitada|desactivada|desativada|disabilitato|uitgeschakeld)\b/u,
    ),
    weights: { account_locked: 3.0, unknown: -1.5 },
    why: "The account is disabled: Entra refuses every sign-in for it, whatever the password",
  },
  {
    id: "words-owa-works",
    source: "the same credentials work interactively",
    kind: "context",
    // Not a device's request for one ("Password mismatch. Please enter the correct password", Sophos Firewall).
    evidence: said(
      /(?:can|could) (?:log ?in|sign ?in)|(?:login|sign-?in) works|(?:password|credentials) (?:is|are) (?:correct|right|valid)|(?<!\b(?:enter|use|type|provide|input|supply|need|require[sd]?|check(?: for)?|ensure|verify|make sure you (?:have|use|entered))\s+(?:the\s+|a\s+|your\s+)?)correct (?:password|credentials)|\b(?:checked|tested|verified|confirmed|tried) (?:the |its |his |her )?(?:password|credentials|login)\b(?:[^.\n]|\.\b){0,20}\b(?:in|on|via|with|at) (?:owa|outlook(?: on the web| web)?|office\.com|portal\.office\.com|webmail|the portal)\b|\b(?:password|login|credentials) works? (?:in|on) (?:owa|outlook)\b|\b(?:logs?|signs?) (?:in|into|on) (?:to )?(?:owa|outlook on the web|webmail)\b|\b(?:imap|pop3?|receiving|incoming mail)\s+(?:works?|is working|is fine)\b|\bworks? (?:only |just |fine )?(?:for|with) (?:imap|pop3?|receiving)\b|\bwith (?:the )?same (?:credentials|password|login)\b/u,
    ),
    weights: {
      wrong_credentials: -0.8,
      security_defaults_enabled: 0.4,
      per_user_mfa: 0.4,
      smtp_auth_disabled_mailbox: 0.4,
    },
    why: "The same credentials sign in elsewhere, so a policy or switch refuses SMTP AUTH rather than the password",
  },
  {
    id: "words-smtp-auth-on",
    source:
      "Microsoft 'Enable or disable SMTP AUTH in Exchange Online': the mailbox setting (Authenticated SMTP in the admin center, Set-CASMailbox -SmtpClientAuthenticationDisabled $false) overrides the organisation's",
    kind: "context",
    // The reporter has already turned Authenticated SMTP on for the mailbox: that switch, and with it
    // the organisation's, is not the gate. A negation ("is not enabled") does not match.
    evidence: said(
      /(?<!\b(?:org|tenant|organi[sz]ation|company)(?:-?wide|['’]s|[- ]level)?\b[^.\n,;:]{0,40})(?:smtp auth(?:entication)?|authenticated smtp)(?:\s+(?:for|on)\s+(?:the\s+|this\s+|that\s+)?(?:mailbox|account|user))?\s+(?:(?:is|was|has been|are)\s+)?(?:already\s+|both\s+)?(?:(?:enabled|turned on|activated|ticked|checked)(?!\s+(?:org-?wide|tenant-?wide|organi[sz]ation-?wide|at (?:the )?(?:org|tenant|organi[sz]ation)\b|for the (?:org|tenant|organi[sz]ation)\b))|on\b(?!\s+(?:the|this|that|an?|our|my|your|its|for|mailbox|account|user)\b))|(?:enabled|turned on|activated|ticked|checked)\s+(?:the\s+)?(?:smtp auth(?:entication)?|authenticated smtp)\b|(?:smtp auth(?:entication)?|authenticated smtp)"?\s*[(:=]\s*(?:on|enabled|yes|true|ticked|checked)\b|(?:authentifiziertes smtp|smtp authentifié|smtp autenticado|smtp autenticato|geverifieerde smtp|smtp-verificatie|uwierzytelniony smtp|autentiserad smtp|проверка подлинности smtp)["»”]?(?:[^.\n]|\.\b){0,30}?(?<![a-zé])(?:aktiviert|eingeschaltet|activé|activado|habilitado|ativado|attivato|abilitato|ingeschakeld|włączony|aktiverad|включен[аоы]?)(?![a-zа-я])/u,
    ),
    weights: { smtp_auth_disabled_mailbox: -1.5, smtp_auth_disabled_tenant: -0.8 },
    why: "You say Authenticated SMTP is on for the mailbox: the mailbox setting overrides the organisation's, so neither switch is the gate",
  },
  {
    id: "words-login-succeeds",
    source:
      "RFC 4954 235 (the login was accepted): the reporter retells it ('we see 235 in the debug log', 'SMTP auth works, the test mail arrives'); a failure after it is at MAIL FROM, RCPT TO or DATA",
    kind: "context",
    evidence: said(
      /\b(?:see|saw|shows?|showed|get|got|gives?|returns?)\b(?:[^.\n]|\.\b){0,20}\b235\b|\b235\b(?:[^.\n]|\.\b){0,20}\b(?:in the|before|first)\b|(?<!\b(?:owa|web|browser|portal|webmail|interactive|outlook|teams|office|m365|microsoft 365) )\b(?:smtp )?(?:auth(?:entication)?|login|sign-?in) (?:works|is fine|succeeds|succeeded|seems fine|is ok|went through)\b|\binloggningen fungerar\b|\banmeldung (?:funktioniert|klappt)\b|\bl'authentification (?:fonctionne|passe)\b|\bla autenticación funciona\b|\ba autenticação funciona\b|\bl'autenticazione funziona\b|\binloggen (?:werkt|lukt)\b/u,
    ),
    weights: {
      send_as_permission: 1.2,
      sender_restricted: 0.6,
      recipient_rejected: 0.6,
      wrong_credentials: -1.5,
      smtp_auth_disabled_mailbox: -1.2,
      smtp_auth_disabled_tenant: -1.2,
      security_defaults_enabled: -1.2,
      per_user_mfa: -1.2,
      conditional_access_block: -1.2,
      basic_auth_disabled_or_retired: -1.2,
      authentication_policy_blocks_basic_smtp: -1.2,
      unknown: -1,
    },
    why: "You say the login itself succeeds: the refusal comes after it — the From address (Send As), a sending restriction or a recipient",
  },
  {
    id: "words-sender-is-shared-mailbox",
    source:
      "Microsoft 'How to set up a multifunction device …': to send From a shared mailbox the signing-in account needs Send As on it",
    kind: "context",
    // The From changed to a shared mailbox, or permissions on it never granted (any language of the blind sets).
    evidence: said(
      /\b(?:from|sender|afsender|avsändare|absender|expéditeur|remitente|mittente)\b(?:(?!\.\s)[^\n]){0,80}\b(?:shared (?:\w+ )?mailbox|delad postlåda|freigegebene[sn]? postfach|boîte (?:aux lettres )?partagée|buzón compartido|caixa (?:de correio )?compartilhada|cassetta (?:postale )?condivisa|gedeeld postvak)|\b(?:no|not|never|ingen|keine|aucune|ninguna|nenhuma|nessuna|geen)\b(?:[^.\n]|\.\b){0,30}\b(?:send ?as|permissions?|behörigheter|berechtigungen|autorisations|permisos|permissões|permessi|machtigingen)\b(?:[^.\n]|\.\b){0,40}\b(?:shared mailbox|delade postlådan|delad postlåda|freigegebene[nm]? postfach|boîte partagée|buzón compartido|caixa compartilhada|cassetta condivisa|gedeelde postvak)|\[your-email\]|\b(?:from|e-?mail address|sender)\b(?:(?!\.\s)[^\n]){0,80}\bdistribution (?:group|list)\b|\b(?:nobody|no one|no-one)\b(?:[^.\n]|\.\b){0,40}\b(?:send ?as|permissions?|rights)\b(?:[^.\n]|\.\b){0,40}\bmailbox\b|\b(?:each|every) (?:salesperson|user|employee|sender|agent|rep)'?s? own (?:e-?mail )?address\b|\b(?:changed|set|switched|moved) the from\b(?:[^.\n]|\.\b){0,40}\b(?:to|instead of)\b|\bthe from (?:was |got )?changed to\b|\b(?:whatever|any) (?:e-?mail |address )?(?:address )?the (?:visitor|user|customer|submitter|sender) (?:typed|entered|types|enters)\b|\bfrom (?:is )?(?:the )?(?:visitor|customer|submitter|form user)'?s? (?:own )?(?:e-?mail|address)\b/u,
    ),
    weights: { send_as_permission: 2.2, unknown: -1 },
    why: "The From is a shared mailbox the signing-in account may not send as: it needs Send As on it",
  },
  {
    id: "words-bulk-sending",
    source:
      "Exchange Online limits (Microsoft 'Exchange Online limits': 10,000 recipients a day, 30 messages a minute; new and trial tenants lower): a bulk run gets the sender blocked or throttled",
    kind: "context",
    // "newsletter" alone is often a feature's name ("my newsletter agent", Tautulli #2407): half strength.
    evidence: (ev) => Math.max(bulkSaid(ev), newsletterSaid(ev) * 0.5),
    weights: { sender_restricted: 2.2, transient: 0.4, unknown: -1 },
    why: "A bulk run from one mailbox: Exchange Online's sending limits block or throttle the sender (lower for new and trial tenants)",
  },
  {
    id: "words-one-recipient-fails",
    source: "RFC 5321 recipient refusals: only one destination failing, with others fine, is that recipient",
    kind: "context",
    evidence: said(
      /\bworks for (?:everyone|everybody|all(?: other)? (?:recipients|users|addresses)) (?:except|but)\b|\bother (?:\w+ )?recipients (?:are )?(?:fine|ok|work)|\bexcept (?:for )?one (?:big |large |particular )?(?:supplier|customer|partner|recipient|domain|address)\b|\brecipients? accepted\b(?:[^.\n]|\.\b){0,80}\b(?:refused|rejected)\b|\b(?:to|for) (?:everyone|everybody|all (?:other )?(?:users|recipients|colleagues))(?: else)?(?: in the office| internally)? (?:work|works|arrive|go through|are fine)\b|\bonly (?:to |for )?(?:this|that|one) (?:recipient|address|destination)\b|\b(?:mistyped|typo in the|wrong) (?:recipient|e-?mail address|address book entry|destination)\b|@[a-z0-9-]+\.(?:con|cmo|ocm|comm|coom)\b|\b(?:the )?other \d+ (?:addresses|recipients)\b|\b(?:only|sole) (?:address|recipient)\b[^\n]{0,120}\b(?:mailbox|account|address) (?:was|has been|got) (?:deleted|removed)\b|\bthe other \d+ (?:arrived|went through|were delivered|got through)\b|\b(?:undeliverable|non-delivery|ndr|bounce)\b[^\n]{0,80}\b(?:for )?(?:exactly )?one (?:supplier|recipient|customer|address|contact)\b|\bwhen (?:we|i) remove (?:one|that|this|his|her|the) (?:line|address|recipient)\b|\b(?:fails?|failed|refused|rejected) at (?:the )?rcpt(?: to)?(?: stage| step)?\b|\bonly allow messages from\b|\bexcept when (?:people|users|we|they|someone|anyone) (?:pick|choose|select|send to|scan to)\b|\b(?:everything|all(?: mail)?|it) (?:goes|go|went|gets?) (?:through|out) except\b|\bevery other (?:button|address|recipient|destination|shortcut)\b(?:[^.\n]|\.\b){0,40}\bworks?\b|@[a-z0-9-]+(?:\.[a-z0-9-]+)+\s*\(typo\b|\b(?:on|for) that one (?:address|recipient)\b|\b(?:other|remaining) (?:[\w-]+ ){0,5}(?:were|was) accepted\b|\b(?:deleted|removed) (?:the |that |our )?(?:[\w@.-]+ )?distribution (?:group|list)\b|\bdelivery (?:management|restrictions?)\b(?:[^.\n]|\.\b){0,60}\b(?:only|senders?)\b|(?:gerenciamento de entrega|gest[ií][oó]n de (?:la )?entrega|administraci[oó]n de entregas?|gestion de (?:la )?remise|(?:übermittlungs|zustellungs)verwaltung|gestione (?:del )?recapito|bezorg(?:ings)?beheer)(?:[^.\n]|\.\b){0,80}(?:remetentes?|remitentes?|exp[ée]diteurs?|absender|mittenti|afzenders?|(?<![\p{L}])(?:s[oó]|solo|solamente|somente|apenas|uniquement|seulement|nur|alleen)(?![\p{L}]))/u,
    ),
    weights: { recipient_rejected: 2.6, unknown: -1.5 },
    why: "Only one recipient fails: that address (a typo, or one that refuses outside senders) is refused, not the login",
  },
  {
    id: "words-fails-for-days",
    source:
      "Microsoft: 4xx replies (421 4.3.2, 451 4.7.0, 430 4.2.0) are temporary and clear on a retry within minutes; a 'temporary' reply that every retry gets for days is a standing cause (STOREDRV 'mailbox logon failure' for a mailbox that cannot be opened)",
    kind: "context",
    evidence: said(
      /\b(?:every|all(?: the)?|each) (?:retr(?:y|ies)|attempts?|re-?sends?)\b(?:[^.\n]|\.\b){0,40}\b(?:fail|failed|fails|same)\b|\bfail(?:s|ed|ing)?\b(?:[^.\n]|\.\b){0,40}\bfor (?:two|three|four|five|several|many|\d+) (?:days|weeks)\b|\b(?:doubt|do ?n[o']t think) (?:it['’]?s|it is|this is) (?:really |actually )?(?:transient|temporary)\b/u,
    ),
    weights: { transient: -2 },
    why: "Every retry fails, for days: a temporary-coded reply that never clears has a standing cause",
  },
  {
    id: "words-service-incident",
    source:
      "Microsoft 365 admin center > Health > Service health: an Exchange Online incident or advisory (EX<number>) about sending or SMTP AUTH; mail delayed in both directions at once is the service's side (FMS Total Access Emailer, incident EX71628)",
    kind: "context",
    evidence: said(
      /\bservice health\b[^\n]{0,160}\b(?:ex\d{5,7}|incident|advisory|degradation|degraded|outage)\b|\bex\d{6,7}\b|(?:service-integrität\S*|integridad del servicio|état (?:de santé )?du service|integridade do serviço|integrità del servizio|servicestatus)(?:[^.\n]|\.\b){0,80}(?:vorfall|incident|incidente|störung|storing|avviso|aviso|avis|hinweis|melding|advisory)|\b(?:microsoft|exchange online|m365|office 365) (?:outage|incident)\b|\b(?:internet|network|connection|wan|isp)(?: connection)? (?:was |went )?(?:down|out)\b|\bisp (?:fault|outage|problem)\b|\b(?:isp|internet provider|broadband)\b[^\n]{0,80}\b(?:major incident|incident|outage|disruption)\b|\bretrying\b[^\n]{0,80}\bthen\s+["“]?sent\b|\bwhole (?:building|office) (?:was )?offline\b|\b(?:ha )?failover\b|\bsessions? (?:were |was )?dropped\b|\b(?:resent|re-?sent|retried|retry)\b(?:[^.\n]|\.\b){0,30}\b(?:always |then )?(?:go(?:es)? through|works?|succeed\w*)\b|\b(?:fine|ok|works?|succeeds?|goes through|sent ok|delivered) on (?:the )?(?:retry|second (?:try|attempt)|next (?:try|attempt|run))\b|\b(?:re-?sent|retried) them\b(?:[^.\n]|\.\b){0,40}\b(?:all|every one)\b(?:[^.\n]|\.\b){0,20}\b(?:went (?:out|through)|were (?:sent|delivered)|got through)\b|\bfailed\s*[=:]\s*0\b(?:[^.\n]|\.\b){0,40}\bretried\s*[=:]\s*[1-9]|\battempt [2-9] (?:sent|succeeded|ok|delivered|went through)\b|\b(?:started|began) (?:working|sending) again\b(?:[^.\n]|\.\b){0,60}\b(?:without|by itself|on its own|nobody|no one)\b|\bè ripartit[oa] (?:tutto )?da sol[oa]\b|\bvolvió a funcionar sol[oa]\b|\bvoltou a funcionar sozinh[oa]\b|\bfonctionne à nouveau tout seul\b|\bfunktioniert (?:wieder )?von selbst wieder\b|\bserver (?:is )?busy\b|\bdelay(?:s|ed)? (?:in )?(?:both )?(?:sending and receiving|receiving and sending)\b|\b(?:both )?(?:sending and receiving|inbound and outbound) (?:e-?mails? |mails? |messages? )?(?:(?:are|were|was|is) )?(?:delayed|slow|lagging)\b|\bfirewall\b(?:[^.\n]|\.\b){0,80}\b(?:587|outbound)\b(?:[^.\n]|\.\b){0,60}\b(?:not yet|hasn'?t been|has not been|wasn'?t|was not|missing|blocked)\b|\b(?:rule|port) (?:allowing |for )?(?:tcp )?587\b(?:[^.\n]|\.\b){0,60}\b(?:not yet|hasn'?t been|has not been|missing|blocked)\b/u,
    ),
    weights: { transient: 3.0, unknown: -1.5, wrong_credentials: -0.5 },
    why: "A service incident or a network outage at the time of the failures: it is temporary, not a setting",
  },
  {
    id: "words-sign-in-succeeded",
    source:
      "Entra sign-in logs: a Basic SMTP AUTH sign-in logged as Success means Entra accepted the password (no security defaults, Conditional Access or MFA refusal); Exchange refused it afterwards — an SMTP AUTH switch or a mailbox problem",
    kind: "context",
    evidence: said(
      /\bsign-?in logs?\b(?:[^.\n]|\.\b){0,80}\b(?:success(?:ful)?|succeeded|interrupted: no)\b|\bstatus\s*:?\s*success\b(?:[^.\n]|\.\b){0,60}\b(?:authenticated smtp|smtp)\b|\bsign-?in logs?\b(?:[^.\n]|\.\b){0,40}\b(?:(?:do|does|did|can) ?n[o']?t see|there (?:is|are|was|were) no|shows? no|no)\s+(?:any\s+)?(?:failures?|errors?|failed (?:sign-?ins?|attempts?|logins?))\b|\bno (?:failures?|failed (?:sign-?ins?|logins?)) in the sign-?in logs?\b|\b(?:entra |azure ad )?sign-?ins?\b(?:[^.\n:]|\.\b){0,40}:\s*(?:status\s*:?\s*)?success(?:ful)?\b|(?:registro de inicios? de sesión|inicios de sesión)(?:[^.\n]|\.\b){0,60}?(?<![\p{L}])(?:correcto|exitoso|con éxito)(?![\p{L}])|anmelde(?:protokoll\w*|logs?)(?:[^.\n]|\.\b){0,60}?\berfolgreich\b|journaux? de connexion(?:[^.\n]|\.\b){0,60}?(?<![\p{L}])(?:réussie?s?|succès)(?![\p{L}])|logs? de (?:entrada|login|início de sessão)(?:[^.\n]|\.\b){0,60}?(?<![\p{L}])(?:sucesso|êxito|bem-sucedid\p{L}*)(?![\p{L}])|log di accesso(?:[^.\n]|\.\b){0,60}?\b(?:riuscit\w*|esito positivo)\b|aanmeldingslogboek\w*(?:[^.\n]|\.\b){0,60}?\b(?:geslaagd|gelukt)\b/u,
    ),
    // A success in Entra's log rules out every Entra-side refusal (MFA, Conditional Access and security defaults log a
    // failure or an interruption), however strongly a generic "criteria" reply leans to them.
    weights: {
      wrong_credentials: -2,
      security_defaults_enabled: -3,
      conditional_access_block: -3,
      per_user_mfa: -3,
      account_locked: -1.5,
      smtp_auth_disabled_tenant: 1.0,
      smtp_auth_disabled_mailbox: 1.0,
      mailbox_unlicensed_or_missing: 0.6,
    },
    why: "Entra logged the sign-in as a success: the password and Entra's policies passed, so Exchange's own SMTP AUTH switches (or the mailbox) refused it",
  },
  {
    id: "words-new-tenant-smtp-auth-off",
    source:
      "Microsoft 'Enable or disable SMTP AUTH in Exchange Online': SMTP AUTH is disabled for organisations created after January 2020; the reporter's new tenant where nothing in Exchange was configured",
    kind: "context",
    // Or a tenant created in 2020 or later whose SMTP AUTH settings nobody ever touched: the default holds.
    evidence: (ev) =>
      /\b(?:new|brand[- ]new|fresh|newly created) (?:m365 |microsoft 365 |office 365 |o365 )?tenn?ant\b[^\n]{0,300}\b(?:nothing|not|never)\b(?:[^.\n]|\.\b){0,30}\b(?:configured|changed|touched|set)\b(?:[^.\n]|\.\b){0,30}\bexchange\b|\b(?:haven'?t|have not|never|didn'?t|did not) (?:configured|touched|changed|set up) anything (?:at all )?in (?:the )?exchange\b/u.test(
        ev.words,
      ) ||
      (/\btenn?ant (?:was |is )?(?:created|set up|provisioned|opened|started)\b(?:[^.\n]|\.\b){0,30}\b20[23]\d\b|\b(?:new|brand[- ]new|fresh|newly created) (?:m365 |microsoft 365 |office 365 |o365 )?tenn?ant\b/u.test(
        ev.words,
      ) &&
        /\b(?:nobody|no one|never|not once)\b(?:[^.\n]|\.\b){0,40}\b(?:changed|touched|set|configured|enabled|turned on)\b(?:[^.\n]|\.\b){0,30}\bsmtp (?:auth\b|settings?\b)/u.test(
          ev.words,
        ))
        ? 1
        : 0,
    weights: { smtp_auth_disabled_tenant: 2.0, unknown: -1 },
    why: "A new tenant where nothing was set in Exchange: SMTP AUTH is off for the organisation by default (tenants created after January 2020)",
  },
  {
    id: "words-tenant-created-without-basic",
    source:
      "Microsoft Exchange Team, January 2026: Basic authentication for SMTP AUTH is off by default for existing tenants from the end of December 2026, and tenants created after that do not have it",
    kind: "context",
    // A tenant the reporter says was created in 2027 or later: Basic SMTP AUTH was never available to it.
    evidence: (ev) =>
      ev.words
        .split(/(?<!\w)[.!?](?!\w)|\n/u)
        .some(
          (sentence) =>
            /\b(?:tenn?ant|mandant|locataire|inquilino|tenant-?id)\b/u.test(sentence) &&
            /\b(?:created|set up|provisioned|opened|new|brand[- ]new|criad[oa]|criamos|cread[oa]|creamos|nuevo|novo|erstellt|angelegt|neu(?:e[nrs]?)?|créée?|nouveau|creat[oa]|nuovo|aangemaakt|nieuw[e]?|utworzon\S*|nowy|skapad|ny)\b/u.test(
              sentence,
            ) &&
            /\b20(?:2[7-9]|[3-9]\d)\b/u.test(sentence),
        )
        ? 1
        : 0,
    weights: { basic_auth_disabled_or_retired: 2.4, unknown: -1.5 },
    why: "A tenant created in 2027 or later never had Basic authentication for SMTP AUTH: only OAuth (XOAUTH2) signs in",
  },
  {
    id: "words-modern-auth-page-smtp-unticked",
    source:
      "Microsoft 365 admin center > Settings > Org settings > Modern authentication: unticking 'Authenticated SMTP' under 'Allow access to basic authentication protocols' creates the organisation's default authentication policy (BlockBasic…) with AllowBasicAuthSmtp False; it is not the mailbox's Authenticated SMTP box",
    kind: "context",
    evidence: (ev) =>
      /(?:modern auth(?:entication)?|modern autentisering|moderne authentifizierung|authentification moderne|autenticación moderna|autenticação moderna|autenticazione moderna|moderne verificatie|nowoczesne uwierzytelnianie|先進認証|新式(?:身份)?验证)(?:[^.\n]|\.\b){0,160}?(?:(?:authenticated smtp|autentiserad smtp|authentifiziertes smtp|smtp authentifié|smtp autenticado|smtp autenticato|geverifieerde smtp|uwierzytelniony (?:protokół )?smtp|認証済み ?smtp|经过身份验证的 ?smtp)["”]?(?:[^.\n]|\.\b){0,30}?(?:un-?ticked|unchecked|cleared|avbockad|avmarkerad|inte markerad|nicht aktiviert|nicht angehakt|deaktiviert|décoché|non coché|desmarcad[oa]|no marcad[oa]|non selezionat[oa]|deselezionat[oa]|uitgevinkt|niet aangevinkt|odznaczon\S*|チェックが外れ|未勾选)|\b(?:un-?ticked|unchecked|cleared)\b(?:[^.\n]|\.\b){0,40}?\bprotocols?\b)|\b(?:un-?ticked|unchecked|cleared)\b(?:[^.\n]|\.\b){0,40}?\bprotocols?\b(?:[^.\n]|\.\b){0,40}?modern auth(?:entication)? page/u.test(
        ev.words.replace(ORG_TURN_OFF_BOX, " "),
      )
        ? 1
        : 0,
    weights: { authentication_policy_blocks_basic_smtp: 4, smtp_auth_disabled_mailbox: -3, unknown: -1.5 },
    why: "Authenticated SMTP is unticked on the Modern authentication page: that creates the organisation's default authentication policy, which refuses Basic SMTP AUTH",
  },
  {
    id: "words-no-send-as-trustee",
    source:
      "Exchange Online: Get-RecipientPermission lists the Send As trustees of a mailbox (only NT AUTHORITY\\SELF when none was granted); FullAccess (Get-MailboxPermission) does not include Send As",
    kind: "context",
    evidence: said(
      /\bget-recipientpermission\b(?:[^.\n]|\.\b){0,120}\b(?:no (?:other )?trustees?|no trustee other than self|only (?:nt authority\\)?self|nothing (?:but|except) (?:nt authority\\)?self|returns nothing|shows nothing|is empty)\b|\bfull ?access\b(?:[^.\n]|\.\b){0,60}\b(?:assumed|thought|believed)\b(?:[^.\n]|\.\b){0,30}\b(?:enough|sufficient|included send as|covers send as)\b|\b(?:recreated|re-?created|granted|gave|restored|migrated|added) (?:only )?(?:the )?full ?access\b(?!(?:[^.\n]|\.\b){0,40}\bsend ?as\b)(?=(?:[^]){0,300}\b(?:sends? as|from (?:address|e-?mail))\b)|\bnobody (?:ever )?gave\b(?:[^.\n]|\.\b){0,40}\b(?:any )?(?:rights?|permissions?)\b(?:[^.\n]|\.\b){0,20}\bon (?:it|the shared|that)\b/u,
    ),
    weights: { send_as_permission: 2.8, unknown: -1.5 },
    why: "The From mailbox has no Send As trustee for the account that signs in (FullAccess is not Send As)",
  },
  {
    id: "words-app-consent-not-granted",
    source:
      "Microsoft 'Authenticate an IMAP, POP or SMTP connection using OAuth': the app's SMTP.SendAsApp (Office 365 Exchange Online) application permission needs admin consent; 'Not granted for <tenant>' in API permissions means the token carries no role; Entra's consent screen 'Need admin approval' (the app needs permissions only an admin can grant), retold or localised",
    kind: "context",
    evidence: said(
      /\bsmtp\.send(?:asapp)?\b(?:[^.\n]|\.\b){0,80}\bnot granted\b|\b(?:admin )?consent\b(?:[^.\n]|\.\b){0,20}\b(?:not (?:yet )?granted|never granted|still pending|pending approval)\b|\b(?:not|never) (?:yet )?granted (?:admin )?consent\b|\bnot granted for\b|\bgrant admin consent\b(?:[^.\n]|\.\b){0,40}\b(?:greyed|grayed|disabled|not (?:available|clickable))\b|\bneeds? an? admin(?:istrator)? to (?:approve|consent|grant)\b|\badmin(?:istrator)?(?:['’]s)? approval\b|administratorgenehmigung|genehmigung (?:durch|des) (?:einen |den )?administrators?\b|approbation (?:de l['’]|d['’]un )administrateur|aprobaci[oó]n del administrador|aprova[cç][aã]o do administrador|approvazione dell['’]amministratore|goedkeuring (?:van (?:de |een )?)?beheerder/u,
    ),
    weights: { oauth_misconfigured_app_or_sp: 3, unknown: -1.5 },
    why: "The app's SMTP permission has no admin consent: its token carries no SMTP.SendAsApp role, so Exchange refuses it",
  },
  {
    id: "words-xoauth2-with-password",
    source:
      "Microsoft 'Authenticate an IMAP, POP or SMTP connection using OAuth': XOAUTH2 carries an access token from an app registration; a client switched to the XOAUTH2 mechanism (mail.smtp.auth.mechanisms=XOAUTH2) while still given the mailbox password sends the password as the token, and Exchange answers 535 5.7.3",
    kind: "context",
    // The OAuth mechanism in use, and the reporter saying there is no app registration (so no token), or that the
    // password is what goes in as the token.
    evidence: (ev) =>
      ev.ex.oauth &&
      /\b(?:no|don['’]?t have an?|do not have an?|without an?|haven['’]?t (?:created|registered|got) an?|not (?:yet )?(?:created|registered) an?) (?:azure |entra )?app(?:lication)? registration\b|\bpassword\b[^\n]{0,60}\b(?:as|in place of|instead of) (?:the |an? )?(?:access |bearer |oauth )?token\b|\b(?:is|was) the (?:mailbox|account)['’]?s? (?:own )?password\b/u.test(
        ev.words,
      )
        ? 1
        : 0,
    weights: { wrong_credentials: 3.5, oauth_misconfigured_app_or_sp: -2, unknown: -1.5 },
    why: "The client sends XOAUTH2 with the mailbox password where an access token belongs: Exchange refuses it (get a token from an app registration, or go back to AUTH LOGIN while Basic is allowed)",
  },
  {
    id: "words-xoauth2-user-not-token-user",
    source:
      'Microsoft \'Authenticate an IMAP, POP or SMTP connection using OAuth\': the SASL XOAUTH2 string is base64("user=" + userName + "^Aauth=Bearer " + accessToken + "^A^A"); with a delegated token the user= must be the account the token was issued to (its upn / preferred_username claim), or Exchange answers 535 5.7.3',
    kind: "context",
    // The user= of the XOAUTH2 string (as the reporter decodes it, or decoded here from the AUTH line) and the
    // account a decoded delegated token names: two different addresses mean a token for the wrong account.
    // Read as printed, and in the joined reading too: a wrap column can cut an address or the AUTH payload.
    evidence: (ev) =>
      Math.max(xoauth2UserIsNotTokenUser(ev.ex.normalized), xoauth2UserIsNotTokenUser(ev.ex.norm.joined)),
    weights: { wrong_credentials: 4, oauth_misconfigured_app_or_sp: -2, unknown: -1.5 },
    why: "The XOAUTH2 user= names one mailbox and the delegated token was issued to another account: Exchange refuses a token for the wrong account (sign in as the mailbox when you get the token, or use an app-only token with SMTP.SendAsApp)",
  },
  {
    id: "words-token-got-as-other-account",
    source:
      "Microsoft 'Authenticate an IMAP, POP or SMTP connection using OAuth': a delegated token is issued to the account that signs in when it is got, and SMTP accepts it only for that mailbox; a device's \"Get Token\" button, postfix sasl-xoauth2's initial grant or a device-code flow done while signed in as the admin or technician gives a token for the wrong account (535 5.7.3; blind sets 70, 72, 73)",
    kind: "context",
    // The token got while signed in as the reporter's own account ("logged in with MY account", "my own GDAP
    // technician account"), in the same sentence as the token, grant or device code. Not a sign-in to give admin
    // consent or to reach a portal: that is what an admin's own account is for.
    evidence: said(
      new RegExp(
        String.raw`${TOKEN_STEP}(?:[^.!?]|\.\b){0,200}?${SIGNED_IN_AS_SELF}|${SIGNED_IN_AS_SELF}(?:(?!consent|portal|cent(?:er|re)\b|app reg)(?:[^.!?]|\.\b)){0,120}?${TOKEN_STEP}|\btokens?\b[^.!?]{0,40}?\b(?:is|was|are|were) (?:issued |minted |meant )?for (?:my|his|her|their|the admin['’]?s?|the wrong|another|a different) (?:own )?(?:[\w-]+ ){0,2}?(?:account|user|mailbox)\b`,
        "u",
      ),
    ),
    weights: { wrong_credentials: 3.5, oauth_misconfigured_app_or_sp: -1.5, unknown: -1.5 },
    why: "The delegated token was got while signed in as another account than the mailbox: Exchange refuses a token for the wrong account (get it again signed in as the mailbox, or use an app-only token with SMTP.SendAsApp)",
    question: "Which account signed in when the token was got? It must be the mailbox itself.",
  },
  {
    id: "words-recipient-limit-reached",
    source:
      "Exchange Online limits: 10,000 recipients per day per mailbox; past it the mailbox is blocked from sending for up to 24 hours (all of its mail, single messages included)",
    kind: "context",
    // A run to 10,000 recipients or more from one mailbox, then nothing goes out from it.
    evidence: (ev) =>
      [
        ...ev.words.matchAll(
          /\b(\d{1,3}(?:[,.'’]\d{3}){1,2}|\d{5,9})\s+(?:external\s+|outside\s+|unique\s+)?(?:recipients|addresses|contacts|customers|members|subscribers)\b/gu,
        ),
      ].some((m) => Number(m[1]!.replace(/[,.'’]/gu, "")) >= 10000)
        ? 1
        : 0,
    weights: { sender_restricted: 2.6, transient: -0.5, unknown: -1.5 },
    why: "A run to 10,000 recipients or more from one mailbox: past Exchange Online's daily recipient limit the mailbox is blocked from sending for up to a day",
  },
  {
    id: "words-mailbox-send-quota",
    source:
      "Exchange Online mailbox quotas: past ProhibitSendQuota the mailbox may not send (554 5.2.2 / 'Transaction failed'); a client that files a copy of every message in Sent Items fills it",
    kind: "context",
    evidence: said(
      /\bprohibitsendquota\b(?:[\s\S]{0,200}\btotalitemsize\b|[\s\S]{0,80}\b(?:reached|exceeded|over|hit)\b)|\btotalitemsize\b[\s\S]{0,200}\bprohibitsendquota\b|\bmailbox (?:is )?(?:full|over (?:its |the )?(?:send )?quota)\b/u,
    ),
    weights: { sender_restricted: 2.4, unknown: -1.5 },
    why: "The mailbox is at its send quota (ProhibitSendQuota): Exchange Online refuses to submit mail from it until it is under the quota",
  },
  {
    id: "words-many-parallel-connections",
    source:
      "Exchange Online client submission limits: a few concurrent SMTP connections per mailbox (Microsoft 'Exchange Online limits'); more are refused with 432 4.3.2 'concurrent connections limit exceeded' and succeed on a retry",
    kind: "context",
    evidence: (ev) =>
      [
        ...ev.words.matchAll(
          /\b(\d{1,4}) (?:worker |parallel |concurrent |simultaneous )?(?:threads|workers|connections|sessions|processes)\b/gu,
        ),
      ].some((m) => Number(m[1]) >= 4) &&
      /\b(?:parallel|concurrent(?:ly)?|simultaneous(?:ly)?|at (?:the same|once)|each (?:opening|with|opens) (?:its|their) own)\b/u.test(
        ev.words,
      )
        ? 1
        : 0,
    weights: { transient: 2.0, sender_restricted: 1.0, unknown: -1.5 },
    why: "Many parallel SMTP connections from one mailbox: Exchange Online refuses the ones over its concurrency limit, and they go through on a retry",
  },
  {
    id: "words-security-defaults-lock-retold",
    source:
      "Exchange Online 535 5.7.139 'user is locked by your organization's security defaults policy', as localised clients and reporters retell it without the code (de 'durch die Richtlinie für Sicherheitsstandards … gesperrt')",
    kind: "context",
    evidence: said(
      new RegExp(
        String.raw`${SD_NOUN}(?:[^.\n]|\.\b){0,60}?(?:gesperrt|blockiert|bloqué|bloquée|bloqueado|bloqueada|bloccato|geblokkeerd|\blocked\b|\bblocked\b)|(?:gesperrt|bloqué|bloqueado|bloccato|geblokkeerd|\blocked|\bblocked)\b(?:[^.\n]|\.\b){0,40}?\bby (?:your |the )?(?:organi[sz]ation['’]s )?${SD_NOUN}`,
        "u",
      ),
    ),
    weights: { security_defaults_enabled: 3.0, unknown: -1.5 },
    why: "The refusal you retell says the user is locked by the security defaults policy: security defaults block Basic SMTP AUTH",
  },
  {
    id: "words-from-internal-domain",
    source:
      "Microsoft 'How to set up a multifunction device …': the From must be the signing-in mailbox or one it may send as; an address in an internal domain (.local, .lan, .internal) left from an old relay is neither",
    kind: "context",
    // An internal-domain address beside another address (the login): the From the device or app still uses.
    evidence: (ev) => {
      // Named as the From (a settings line or prose), not a relay log's envelope ("from=<root@host.local>").
      const internal =
        /\b(?:from|sender|e-?mail|absender|expéditeur|remitente|mittente|afzender)(?: address| e-?mail)?["'”]?\s*(?:[:=]["'”]?\s*(?:(?:is|was)\s+(?:still\s+)?)?(?!<)|(?:is|was)\s+(?:still\s+)?)["'“]?[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,200}\.(?:local|lan|internal|localdomain|intranet|corp)\b/u.test(
          ev.words,
        );
      const others = ev.ex.addresses.filter((a) => !/\.(?:local|lan|internal|localdomain|intranet|corp)$/iu.test(a));
      return internal && others.length > 0 ? 1 : 0;
    },
    weights: { send_as_permission: 2.4, unknown: -1 },
    why: "The From is an address in an internal domain: Exchange Online lets the signing-in mailbox send only as itself or an address it has Send As on",
  },
  {
    id: "words-one-location-fails",
    source:
      "Microsoft Entra Conditional Access named locations: a policy that blocks or demands MFA outside trusted IP ranges refuses the same account from one site and not from another",
    kind: "context",
    evidence: said(
      /\b(?:hq|head ?office|main office)\b(?:[^.\n]|\.\b){0,20}\b(?:works|is fine|ok)\b[^\n]{0,120}\b(?:branch|other site|remote site|home office|second office)\b|\b(?:has|have|uses?) (?:its|their) own (?:internet (?:line|connection)|ip|public ip|isp)\b|\b(?:works|fine|ok)\b(?:[^.\n]|\.\b){0,40}\b(?:hq|head ?office|main office|the office|site [a-z0-9]+)\b[^\n]{0,120}\b(?:branch|other site|remote site|home office|second office)\b|\b(?:branch|site|office)\b(?:[^.\n]|\.\b){0,60}\b(?:own|different|separate|new) (?:internet (?:line|connection)|ip|public ip|isp)\b|\bonly (?:from|at|in) (?:the )?(?:branch|other site|home office)\b|\b(?:works|worked) (?:from|at|in) (?:the )?(?:hq|office)\b(?:[^.\n]|\.\b){0,60}\bnot (?:from|at|in)\b/u,
    ),
    weights: { conditional_access_block: 2.6, per_user_mfa: 0.4, unknown: -1 },
    why: "The same account works from one site and fails from another: a Conditional Access policy tied to named locations (trusted IPs)",
  },
  {
    id: "words-no-auth-policy",
    source: "Get-AuthenticationPolicy with no output: no Exchange authentication policy exists in the organisation",
    kind: "context",
    evidence: said(
      /\b(?:no|without(?: an?)?|not using an?) (?:exchange (?:online )?)?authentication polic(?:y|ies)\b|\b(?:get-authenticationpolicy|authentication polic(?:y|ies))\b(?:[^.\n]|\.\b){0,20}\b(?:returns nothing|returned nothing|shows nothing|is empty|returns no|gives nothing|liefert nichts|gibt nichts|ne renvoie rien|no devuelve nada|não retorna nada|non restituisce nulla|geeft niets)/u,
    ),
    weights: { authentication_policy_blocks_basic_smtp: -3 },
    why: "No authentication policy exists: none refuses Basic SMTP AUTH",
  },
  {
    id: "words-no-sign-ins",
    source:
      "Microsoft 'Disable Basic authentication in Exchange Online': an authentication policy refuses Basic before Entra sees the sign-in, and so do the SMTP AUTH switches; security defaults, Conditional Access, per-user MFA and a wrong password all leave a failed sign-in in Entra's log",
    kind: "context",
    evidence: said(
      /\bsign-?in logs? (?:show|shows|showed|has|have|had|contain|contains)? ?(?:nothing|no (?:entries|entry|sign-?ins?|failures?|records?))\b(?!\s+(?:about|regarding|related|on|for (?:ca|mfa|conditional)))|\bno (?:sign-?ins?|entries) (?:at all )?(?:in|for)\b(?:[^.\n]|\.\b){0,40}\bsign-?in logs?\b|\bnothing (?:at all )?in the sign-?in logs?\b(?!\s+(?:about|regarding|related|on|for (?:ca|mfa|conditional)))/u,
    ),
    weights: {
      authentication_policy_blocks_basic_smtp: 1.8,
      smtp_auth_disabled_mailbox: 0.6,
      smtp_auth_disabled_tenant: 0.6,
      security_defaults_enabled: -1.2,
      conditional_access_block: -1.2,
      per_user_mfa: -1.2,
      wrong_credentials: -0.8,
    },
    why: "No sign-in reached Entra's log: something in Exchange refused it first — an authentication policy or an SMTP AUTH switch",
  },
  {
    id: "words-credentials-of-another-account",
    source:
      "Microsoft: SMTP AUTH signs in as the user name given; a password copied from another account, or an OAuth token acquired for another identity than the one in the XOAUTH2 string (user=…), is refused as 535 5.7.3 / 5.7.139 'credentials were incorrect'",
    kind: "context",
    // The reporter's finding that the secret belongs to another account than the user name.
    evidence: said(
      /\bpassword (?:of|for|from) (?:the )?(?:previous|old|other|wrong|another|a different|former) (?:account|user|mailbox|service account)\b|\b(?:the )?(?:wrong|another|other|previous|old) (?:account|user|mailbox)['’]s password\b|\btoken\b(?:[^.\n]|\.\b){0,80}\b(?:requested|issued|acquired|obtained|cached|fetched|meant)\b(?:[^.\n]|\.\b){0,40}\b(?:for|as|while (?:logged-?in|signed-?in) as)\s+(?:the\s+)?(?:another|other|a different|wrong|delegated|interactive) (?:user|account|mailbox|identity)\b|\btoken (?:for|of) (?:another|the wrong|a different|the other) (?:user|account|mailbox|identity)\b|\b(?:change|set|switch)\w* (?:the )?(?:first argument|user ?name|user=|address)\b(?:[^.\n]|\.\b){0,20}\bto my own\b(?:[^.\n]|\.\b){0,40}\b(?:works?|sends?|goes out)\b/u,
    ),
    // The OAuth login's gate rule takes 2.5 off wrong credentials (a password gate cannot fail an XOAUTH2
    // login); a token for another identity is the exception the catalogue names, so this outweighs it.
    weights: { wrong_credentials: 5.5, oauth_misconfigured_app_or_sp: -0.5, transient: -1, unknown: -1.5 },
    why: "The password or token belongs to another account than the user name: Exchange Online refuses it as wrong credentials",
  },
  {
    id: "words-password-special-characters",
    source:
      "device and library reports of passwords with characters the client cannot type or encodes differently (non-ASCII such as §, €, umlauts; panel keyboards, Latin-1 vs UTF-8 in AUTH LOGIN's base64): the server sees another password",
    kind: "context",
    evidence: said(
      /(?:special (?:char(?:acter)?s?|symbols?)|umlauts?|non-ascii|accented (?:letters|characters)|sonderzeichen|caractères spéciaux|caracteres especiales|caratteri speciali|speciale tekens|znaki specjalne)(?:[^.\n]|\.\b){0,60}\b(?:password|passwort|kennwort|mot de passe|contraseña|senha|hasło|wachtwoord)\b|\b(?:passwords?|passw[oö]rter|passwort|kennw[oö]rter|kennwort|mots? de passe|contraseñas?|senhas?|hasło|wachtwoord(?:en)?)\b(?:[^.\n]|\.\b){0,80}(?:special (?:char(?:acter)?s?|symbols?)|umlauts?|non-ascii|sonderzeichen|caractères spéciaux|caracteres especiales|[§€£]|semi-?colon|hash sign|pound sign|punto y coma|almohadilla|point-virgule|dièse|strichpunkt|semikolon|rautezeichen)|\b(?:password )?field (?:only )?(?:takes|accepts|allows|holds) (?:up to )?\d+ characters\b|\b(?:real one|password) contains an? ["“]?\$|\b\d+ (?:chars?|characters) shorter than the (?:real )?password\b|\bpassword\b(?:[^.\n]|\.\b){0,60}\b(?:truncat\w*|cut (?:it )?off|silently cut)\b|\b(?:truncat\w*|silently cut)\b(?:[^.\n]|\.\b){0,40}\bpassword\b|\b(?:has |with )?an? # (?:in the middle|in (?:the |it|its )?(?:password|value))\b|\b(?:the )?real (?:one|password) is \d+ (?:chars?|characters)(?: long)?\b/u,
    ),
    // Stronger than the reporter's "the same password signs in to the portal": that is the point.
    weights: { wrong_credentials: 3, unknown: -1.5 },
    why: "The password has characters the client may type or encode differently (non-ASCII, panel keyboards): the server then sees another password",
    question: "Does a password with only ASCII letters and digits work on the device?",
  },
  {
    id: "words-office-senders-stop-together",
    source:
      "Microsoft 'Enable or disable SMTP AUTH in Exchange Online' and the Basic authentication retirement: a tenant-wide change refuses every password sender at once (an MSP's write-up: invoices, scan-to-email and the practice-management system stopped overnight with authentication errors, after Basic SMTP authentication was turned off for the tenant)",
    kind: "context",
    // Several different kinds of sender (scanners, invoicing, a line-of-business system, the website)
    // fail to sign in at the same time: one tenant-wide change, not one device's password.
    evidence: (ev) =>
      (loginRefused(ev) ||
        /\b(?:authentication|auth|login|sign-?in) errors\b|\bfail(?:s|ed|ing)? to (?:authenticate|log ?in|sign in)\b/u.test(
          ev.words,
        )) &&
      /\b(?:stopped|halt|weren'?t sending|were ?n[o']t sending|(?:all|everything) (?:fail\w*|broke))\b/u.test(
        ev.statements,
      ) &&
      OFFICE_SENDER_KINDS.filter((kind) => kind.test(ev.statements)).length >= 2
        ? 1
        : 0,
    weights: {
      smtp_auth_disabled_tenant: 1.0,
      basic_auth_disabled_or_retired: 0.9,
      security_defaults_enabled: 0.7,
      authentication_policy_blocks_basic_smtp: 0.4,
      smtp_auth_disabled_mailbox: -0.4,
      wrong_credentials: -0.7,
      unknown: -1,
    },
    why: "Several different senders stopped signing in at once: a change for the whole tenant (SMTP AUTH, Basic authentication, security defaults), not one device's settings",
    question:
      "Did every password sender stop at the same time? Check the organisation's SMTP AUTH switch (Get-TransportConfig | fl SmtpClientAuthenticationDisabled) and security defaults.",
  },
  {
    id: "words-every-account-fails",
    source:
      "Microsoft 'Enable or disable SMTP AUTH in Exchange Online': the organisation's switch (SmtpClientAuthenticationDisabled) and an organisation-wide default authentication policy refuse every mailbox alike; security defaults apply to every user",
    kind: "context",
    // Every account fails alike (even a fresh test user), or the organisation's legacy protocols were
    // turned off as a whole: a tenant-wide setting, not one mailbox's.
    evidence: said(
      /\b(?:every|all|any) (?:accounts?|users?|mailboxe?s?)(?: (?:i|we) (?:try|tried|test(?:ed)?))?\b(?:[^.\n]|\.\b){0,20}\b(?:fails?|failing|failed)\b|\beven (?:a |my )?(?:fresh|new|brand-new|admin) (?:test )?(?:user|account|mailbox)\b|\b(?:every|all) (?:devices?|copiers?|printers?|apps?|scanners?|applications?)\b(?:[^.\n]|\.\b){0,80}\b(?:died|stopped|fail\w*)\b(?:[^.\n]|\.\b){0,40}\bsame (?:moment|time|minute)\b|\borg-?wide transport settings?\b|\b(?:disabl|block|turn(?:ed|s)? off|switch(?:ed|es)? off)\w*\s+(?:all\s+)?(?:legacy|basic)\s+(?:protocols|auth\w*)\s+(?:org-?wide|organi[sz]ation-?wide|tenant-?wide|for the (?:whole|entire) (?:tenant|organi[sz]ation))\b/u,
    ),
    weights: {
      smtp_auth_disabled_tenant: 1.8,
      authentication_policy_blocks_basic_smtp: 0.8,
      security_defaults_enabled: 0.8,
      smtp_auth_disabled_mailbox: -0.5,
      wrong_credentials: -1,
      unknown: -1.5,
    },
    why: "Every account fails alike: a setting for the whole organisation (its SMTP AUTH switch, a default authentication policy, security defaults), not one mailbox's",
    question:
      "Is SMTP AUTH off for the whole organisation (Get-TransportConfig | fl SmtpClientAuthenticationDisabled)?",
  },
  {
    id: "words-per-mailbox-exception",
    source:
      "Microsoft 'Enable or disable SMTP AUTH in Exchange Online': with the organisation's switch off, a mailbox sends only when its own setting enables SMTP AUTH (Set-CASMailbox -SmtpClientAuthenticationDisabled $false), the per-mailbox exception",
    kind: "context",
    // The reporter's tenant keeps SMTP AUTH off by design and enables it per mailbox: a failing mailbox is
    // one without its exception. Not "we added no per-mailbox exceptions" after turning the switch off:
    // that reporter names the organisation's switch (blind set 28).
    evidence: said(
      /\b(?:enable|allow|turn on|switch on)\w* (?:it |smtp auth |authenticated smtp )?(?:per[- ]mailbox|per[- ]user|mailbox by mailbox)\b/u,
    ),
    weights: { smtp_auth_disabled_mailbox: 2.2, smtp_auth_disabled_tenant: -0.8, unknown: -1.5 },
    why: "SMTP AUTH is off for the organisation by design and enabled per mailbox: a failing mailbox is one without its own exception",
    question: "Is SMTP AUTH enabled on this mailbox (Get-CASMailbox <mailbox> | fl SmtpClientAuthenticationDisabled)?",
  },
  {
    id: "words-oauth-works-password-fails",
    source:
      "Microsoft 'Deprecation of Basic authentication in Exchange Online' and authentication policies (AllowBasicAuthSmtp): the same mailbox signs in with OAuth but not with a password when Basic is off for it",
    kind: "context",
    // The reporter's comparison: OAuth works, the password login fails. OAuth is then not the failing
    // login, whatever else mentions it.
    evidence: said(OAUTH_WORKS_PASSWORD_FAILS),
    weights: {
      basic_auth_disabled_or_retired: 2.4,
      authentication_policy_blocks_basic_smtp: 1.2,
      oauth_misconfigured_app_or_sp: -3,
      unknown: -1.5,
    },
    why: "OAuth works for the same mailbox and the password login does not: Basic authentication is off for it (retired, or blocked by a policy)",
  },
  {
    id: "words-send-as-removed",
    source:
      "Microsoft 'How to set up a multifunction device …': an account sending as another address needs Send As on it; removing those grants (a permissions clean-up) or never granting them refuses the send (554 5.2.252 SendAsDenied)",
    kind: "context",
    evidence: said(
      /\b(?:removed|revoked|cleaned up|clean-?up)(?:[^.\n]|\.\b){0,60}\bsend[- ]as\b|\bsend[- ]as\b(?:[^.\n]|\.\b){0,40}\b(?:removed|revoked|never granted|not granted|were granted nowhere)\b|senden[- ]als[- ]?(?:rechte?|berechtigung\w*)?(?:[^.\n]|\.\b){0,30}\b(?:nirgends|nicht|keine|entfernt)\b|\bkeine senden[- ]als\b|\b(?:gave|given|granted|has|have|with)\b(?:[^.\n]|\.\b){0,40}?["“]?send on behalf\b/u,
    ),
    weights: { send_as_permission: 2.4, unknown: -1.5 },
    why: "Send As was removed or never granted: the account may not send as another address",
  },
  {
    id: "words-no-mailbox",
    source:
      "Microsoft 'Authenticated client SMTP submission': SMTP AUTH sends from an Exchange Online mailbox; a user with none (no Exchange plan in the licence, not yet provisioned, still on-premises) cannot",
    kind: "context",
    evidence: said(
      /\bno (?:exchange (?:online )?)?mailbox (?:is )?(?:showing|shows|shown|listed|exists|appears|was created|for (?:it|this user|the user))\b|\blicen[cs]e\b(?:[^.\n]|\.\b){0,40}\b(?:microsoft 365 |office 365 )?apps for (?:business|enterprise)\b|\b(?:microsoft 365 |office 365 )?apps for (?:business|enterprise)\b(?:[^.\n]|\.\b){0,30}\blicen[cs]e\b|\b(?:does ?n[o']t|doesn['’]t|does not|did ?n[o']t|did not) (?:appear|show up|exist) (?:under|in) (?:recipients ?> ?)?mailboxes\b|\brecipient ?type(?:details)?\s*[:=]?\s*(?:mailuser|mail user|guestmailuser)\b|\b(?:is|as) an? mail ?user\b|\(mailuser\)|\b(?:created|stamped|provisioned) as mail ?users\b(?=(?:[^]){0,400}\b(?:not (?:been )?(?:completed|finished|migrated)|has ?n[o']t been completed|still syncing|not (?:yet )?(?:completed|finalized|cut over))\b)|χωρίς άδεια|\bikke (?:har )?(?:en |nogen )?postkasse\b|\bno outlook (?:tile|app|icon)\b|\bthere['’]?s no mailbox\b|\b(?:does ?n[o']t|doesn['’]t|does not) (?:appear|show up) in the (?:[\w-]+ ){0,4}?mailbox(?:es)? list\b|\b(?:has|have|had) no (?:exchange (?:online )?)?mailbox\b|\bmailbox (?:does ?n[o']t|did ?n[o']t|does not|did not) (?:exist|show up|appear)\b/u,
    ),
    weights: { mailbox_unlicensed_or_missing: 2.6, unknown: -1.5 },
    why: "The account has no Exchange Online mailbox: SMTP AUTH can only send from one",
  },
  {
    id: "words-org-smtp-auth-off",
    source:
      "Microsoft 'Enable or disable SMTP AUTH in Exchange Online': the organisation's switch (Set-TransportConfig -SmtpClientAuthenticationDisabled, the admin centre's org setting) applies to every mailbox without its own setting; reporters say it in their words ('org level has it switched off', 'the org settings page for SMTP AUTH looks unticked')",
    kind: "context",
    evidence: said(
      /\b(?:org(?:ani[sz]ation)?[- ]?(?:level|wide)|tenant[- ]?(?:level|wide)|org(?:ani[sz]ation)? settings? (?:page )?(?:for smtp auth)?)\b(?:(?![,;]\s*(?:and\s+)?(?:the\s+)?(?:security defaults|per-?user|mfa\b|multi-?factor|conditional|ca\b|(?:the )?mailbox|password|port)\b)(?:[^.\n]|\.\b)){0,50}\b(?:switched off|turned off|disabled|unticked|is off|was off|has it off)\b(?!\s*\(?\s*(?:i\.?\s?e\.?|meaning|which means|so)[,:]?\s*(?:smtp auth\w*|it) (?:is )?(?:allowed|enabled|on)\b)|\bswitched smtp auth off (?:org-?wide|tenant-?wide|for the (?:whole )?(?:tenant|organi[sz]ation))\b|\b(?:disabled|turned off|switched off) smtp auth (?:org-?wide|tenant-?wide|at (?:the )?(?:org|tenant) level|for the (?:whole )?(?:tenant|organi[sz]ation))\b|\bnobody['’]s been explicitly enabled\b|\bno (?:mailbox|one) (?:has|had) (?:been )?(?:explicitly )?enabled\b/u,
    ),
    weights: { smtp_auth_disabled_tenant: 2.6, smtp_auth_disabled_mailbox: 0.3, unknown: -1.5 },
    why: "You say SMTP AUTH is off for the organisation: every mailbox without its own setting inherits that",
    question: "Does any mailbox override it (Get-CASMailbox <mailbox> | fl SmtpClientAuthenticationDisabled: False)?",
  },
  {
    id: "words-server-offers-no-auth",
    source:
      "Exchange Online advertises AUTH only after STARTTLS: a client that reads the first EHLO reply reports the server as not supporting authentication (Python smtplib 'SMTP AUTH extension not supported by server', retold)",
    kind: "context",
    evidence: said(
      /\b(?:the )?server (?:that |which )?(?:does ?n[o']t|does not|doesn['’]t) (?:even )?(?:support|offer|advertise|accept|have) auth(?:entication)?\b(?! (?:plain|login|method|type|mechanism))(?: enabled)?(?: at all)?|\bno auth (?:extension|capability) (?:is )?(?:advertised|offered)\b/u,
    ),
    weights: { starttls_required: 2.6, auth_mechanism_unsupported: 0.3, unknown: -1.5 },
    why: "The server seemed not to offer AUTH: smtp.office365.com lists AUTH only after STARTTLS",
    question: "Does the client call STARTTLS (and EHLO again) before it logs in?",
  },
  {
    id: "words-ip-relay-no-auth",
    source:
      "Microsoft 'How to set up a multifunction device or application to send email' (option 3: a connector that accepts mail by the sender's IP address; the MX endpoint offers no AUTH, so a client must not log in); nopCommerce #4273: MailKit always called Authenticate against an Office 365 relay that accepts senders by IP, fixed by logging in only when credentials are set (batch 35)",
    kind: "context",
    // The reporter says the server accepts senders by IP (a relay connector) and so takes no login: the
    // client's AUTH is what fails, not a missing STARTTLS.
    evidence: said(
      /\b(?:authenticat\w*|accept\w*|allow\w*|relay\w*|configured?)\b(?:[^.\n]|\.\b){0,30}\b(?:based on|by|via|using|from|on) (?:the |its |our )?(?:source |sender(?:'s)? |sending |public |static |server(?:'s)? |white-?listed )?ip(?: address(?:es)?)?\b|\bip[- ](?:based|address) (?:relay|auth\w*|connector)\b|\b(?:relay|connector) (?:that )?(?:authenticates|accepts|allows) (?:by|on|via) (?:source |sender )?ip\b/u,
    ),
    weights: { auth_mechanism_unsupported: 3.4, starttls_required: -3, wrong_credentials: -1, unknown: -1.5 },
    why: "A relay that accepts senders by IP address offers no login: configure the client without a user name and password for it (or submit to smtp.office365.com:587 with one)",
    question:
      "Does the client send AUTH to an endpoint that accepts it by IP (a <domain>.mail.protection.outlook.com connector)?",
  },
  {
    id: "words-phpmailer-encryption-off",
    source:
      "PHPMailer: SMTPSecure '' with SMTPAutoTLS false never issues STARTTLS, and smtp.office365.com:587 offers no AUTH without it (PHPMailer's wiki, 'Troubleshooting')",
    kind: "context",
    evidence: (ev) =>
      /\bsmtpsecure\s*=\s*(?:''|""|false|null)/u.test(ev.words) && /\bsmtpautotls\s*=\s*false\b/u.test(ev.words)
        ? 1
        : 0,
    weights: { starttls_required: 3, auth_mechanism_unsupported: 0.3, unknown: -1.5 },
    why: "PHPMailer is set to no encryption and no automatic STARTTLS: port 587 needs STARTTLS before it offers AUTH",
  },
  {
    id: "words-new-firewall",
    source:
      "A firewall or router replaced or reconfigured just before sending stopped, with nothing changed on the sender: the network path (outbound 587, TLS inspection) is the first suspect",
    kind: "context",
    // Not when the reporter says the sender still connects ("can resolve and connect to 587").
    evidence: (ev) =>
      /\b(?:new|replac\w+|install\w*|swapp\w+)\b(?:[^.\n]|\.\b){0,30}\b(?:firewall|fortigate|sonicwall|sophos (?:xg|utm)|palo alto|meraki|pfsense|opnsense|watchguard|unifi gateway)\b|\b(?:firewall|fortigate|sonicwall|pfsense|opnsense|watchguard)\b(?:[^.\n]|\.\b){0,30}\b(?:was |got |been )?(?:replaced|installed|swapped|upgraded|reconfigured)\b|\bneue[nr]? (?:firewall|fortigate|sonicwall)\b|\bnouveau pare-feu\b|\bnuevo firewall\b/u.test(
        ev.words,
      ) &&
      !/\b(?:can|could|does|did) (?:\w+ and )?connect\b|\bconnects? (?:fine|ok|okay)\b|\bconnection (?:is |was )?(?:fine|ok|established)\b/u.test(
        ev.words,
      )
        ? 1
        : 0,
    weights: { transient: 2, tls_version: 0.4, unknown: -1 },
    why: "A new firewall came just before it stopped: check that outbound TCP 587 to smtp.office365.com is allowed (and not TLS-inspected) from the sender's network",
    question: "Does Test-NetConnection smtp.office365.com -Port 587 succeed from the sender's network segment?",
  },
  {
    id: "words-shared-mailbox-sign-in-blocked",
    source:
      "Microsoft 'About shared mailboxes': a shared mailbox's account has sign-in blocked by default and no licence; it cannot be the SMTP AUTH login (authenticate as a licensed user with Send As instead)",
    kind: "context",
    // The blocked sign-in is the shared mailbox's default, not a lockout: the cause is the shared mailbox as the login.
    evidence: (ev) =>
      /\bshared (?:mailbox|inbox)\b/u.test(ev.statements) &&
      /\bsign-?in (?:is |was |shows? (?:as )?)?["“]?blocked\b|\bblock(?:ed)? sign-?in\b/u.test(ev.words)
        ? 1
        : 0,
    weights: { mailbox_unlicensed_or_missing: 2.6, account_locked: -3.5, unknown: -1 },
    why: "A shared mailbox has its sign-in blocked and no licence by default: use a licensed user (with Send As on the shared address) as the SMTP login",
  },
  {
    id: "words-connector-but-submission-host",
    source:
      "Microsoft 'How to set up a multifunction device or application to send email' (option 3): a connector that accepts mail by the sender's IP works at the MX endpoint (<domain>.mail.protection.outlook.com:25); smtp.office365.com:587 still needs a login, so an app that dropped its credentials there sends unauthenticated (530 5.7.57)",
    kind: "context",
    evidence: (ev) =>
      /\bconnector\b(?:[^]){0,200}\b(?:by|with|from) (?:that |the |its |our )?(?:static |public )?ip\b|\bconnector\b(?:[^.\n]|\.\b){0,80}\bidentif\w+ (?:us|it|the server) by\b/u.test(
        ev.words,
      ) &&
      /\b(?:removed|dropped|deleted|cleared|took out) (?:the )?(?:smtp )?(?:credentials|user ?name and password|password|login)\b|\bno (?:more )?(?:smtp )?(?:credentials|passwords?)\b/u.test(
        ev.words,
      ) &&
      /smtp\.office365\.com|\b587\b/u.test(ev.words)
        ? 1
        : 0,
    weights: { not_authenticated_anonymous_send: 3, starttls_required: -0.5, unknown: -1.5 },
    why: "A connector that accepts you by IP works at your domain's MX endpoint on port 25; smtp.office365.com:587 without credentials is an unauthenticated submission",
  },
  {
    id: "words-unlocked-then-locked-again",
    source:
      "An account unlocked that works for minutes and locks again: another system (a scheduled task, a service, an old device) keeps trying a stale password (Entra smart lockout / AD lockout)",
    kind: "context",
    evidence: said(
      /\bunlock\w*\b(?:[^.\n]|\.\b){0,60}\b(?:worked|works|sent|went through)\b(?:[^.\n]|\.\b){0,40}\b(?:for (?:about |~)?\d+ ?(?:minutes?|mins?|hours?)|briefly|a (?:few|couple of) minutes)\b|\b(?:keeps?|kept) (?:getting )?locked(?: out)?\b|\block(?:s|ed)? (?:out )?again\b/u,
    ),
    weights: { account_locked: 3, wrong_credentials: 0.8, unknown: -1.5 },
    why: "The account locks again after it is unlocked: something else keeps signing in with a stale password; find it (sign-in logs) and fix it",
  },
  {
    id: "words-ssl-ticked-beside-starttls",
    source:
      "A device or app that offers both 'SSL' (TLS from the first byte) and 'STARTTLS' with SSL ticked on port 587: smtp.office365.com:587 speaks plain text first and needs STARTTLS (.NET's EnableSsl, which some apps label 'Use SSL', is STARTTLS: so only when a separate STARTTLS option is named)",
    kind: "context",
    evidence: (ev) =>
      /\b587\b/u.test(ev.words) &&
      /\bstarttls\b/u.test(ev.words) &&
      /["“]?(?:use|usar|utiliser|usa|gebruik|verwenden|użyj)\s+ssl["”]?\s+(?:marcado|checked|ticked|coché|cochée|activad[oa]|ativad[oa]|attivat[oa]|selezionat[oa]|aangevinkt|angehakt)\b|\b(?:i have it (?:set )?(?:to|on)|it(?:'s| is) set to|set to|selected|chose|mam ustawione|ustawiłem|ustawiłam|wybrałem|wybrałam|ho (?:messo|selezionato|impostato)|j'ai (?:mis|choisi|sélectionné)|tengo puesto|puse|seleccioné|coloquei|selecionei|ich habe|eingestellt auf|staat op|ingesteld op)\s+["“„«]?ssl["”»]?(?![\w/-])|(?:选的是|选择了|设置为|選んで(?:い|あ)る|設定して(?:い|あ)る)\s*["“「]?ssl["”」]?(?![\w/-])/u.test(
        ev.words,
      )
        ? 1
        : 0,
    weights: { starttls_required: 2.8, tls_version: 0.3, unknown: -1.5 },
    why: "SSL (TLS at connect) is ticked where the device also offers STARTTLS: port 587 needs STARTTLS",
  },
  {
    id: "words-old-device-no-updates",
    source:
      "Microsoft 'TLS 1.0 and 1.1 deprecation for Office 365' and the 2025 cipher changes: devices from before about 2015 whose firmware is no longer updated speak only TLS 1.0/1.1 or old ciphers; a newer device with the same account and settings works",
    kind: "context",
    evidence: (ev) =>
      /\b(?:nas|printer|copier|scanner|device|box|camera|dvr|nvr|panel|appliance|aficio|bizhub|photocopieurs?|imprimante|drucker|kopierer|impressora|stampante|multifunzione)\b(?:[^.\n]|\.\b){0,40}\b(?:from|de|von|da|del|dal|van|z) (?:about |around |circa |environ |etwa |de )?(?:19\d\d|200\d|201[0-4])\b|\b(?:19\d\d|200\d|201[0-4]) (?:nas|printer|copier|model|device)\b/u.test(
        ev.words,
      ) &&
      /\bnever (?:been )?updated\b|\bno (?:more |further )?(?:firmware )?updates\b|\bend of life\b|\bcan(?:'t|not) be updated\b|\bn'a jamais été mis à jour\b|\bne fait plus de mises à jour\b|\bkeine (?:updates|aktualisierungen) mehr\b|\bnunca (?:se )?actualizad|\bnão (?:tem|há) mais atualiza|\bnon (?:viene )?più aggiornat/u.test(
        ev.words,
      )
        ? 1
        : 0,
    weights: { tls_version: 2.6, unknown: -1.5 },
    why: "An old device whose firmware gets no more updates: it very likely speaks only TLS 1.0/1.1 or old ciphers, which Exchange Online refuses",
  },
  {
    id: "words-cannot-reach-server",
    source:
      "A reporter who says the client never reaches the server (snipe-it #3921: 'it can't hit the office 365 server at all', a local CSF firewall blocking outbound 587; batch 35) is telling of the network, as client-cannot-connect reads a socket error",
    kind: "context",
    evidence: said(
      /\b(?:can(?:no|['’])t|could ?n[o'’]t|unable to|does ?n[o'’]t|did ?n[o'’]t|never) (?:even )?(?:hit|reach|get to|contact|talk to|get through to) (?:the )?(?:office ?365 |o365 |microsoft(?: 365)? |outlook |exchange(?: online)? |smtp |mail |e-?mail |remote |outgoing )*(?:server|host)s?\b/u,
    ),
    weights: { transient: 2.2, unknown: -1.5 },
    why: "You say the client does not reach the server at all: a firewall or the network stops the connection before any SMTP AUTH gate",
    question: "Does Test-NetConnection smtp.office365.com -Port 587 succeed from the sending host?",
  },
  {
    id: "words-new-tenant-sending-limited",
    source:
      "Microsoft 'Outbound spam protection' and 'Restricted entities': new tenants start with low outbound limits until they build reputation; external sending stops after a few messages while internal mail flows (5.7.750 / 5.7.705 in the replies)",
    kind: "context",
    evidence: said(
      /\b(?:build|building) (?:up )?(?:a |their |its |our )?(?:sending )?reputation\b|\bnew tenants? (?:are |being |is )?(?:limited|throttled|restricted)\b|\bexternal\b(?:[^.\n]|\.\b){0,60}\bstops? after (?:a handful|a few|\d+)\b/u,
    ),
    weights: { sender_restricted: 2.6, unknown: -1.5 },
    why: "A new tenant's outbound sending is limited until it builds reputation: external mail stops while the login works",
  },
  {
    id: "words-service-principal-wrong-id",
    source:
      "Microsoft 'Authenticate an IMAP, POP or SMTP connection using OAuth': New-ServicePrincipal takes the Enterprise application's object id, not the App registration's; with the wrong one Exchange refuses the app's token",
    kind: "context",
    evidence: said(
      /\bobject ?id\b(?:[^.\n]|\.\b){0,100}\b(?:app registrations?|application object|app registration overview)\b|\bnot the one (?:from|in|on) (?:the )?enterprise applications?\b|\bwrong (?:object ?id|service principal)\b/u,
    ),
    weights: { oauth_misconfigured_app_or_sp: 3, unknown: -1.5 },
    why: "The service principal was registered with the App registration's object id: Exchange needs the Enterprise application's",
  },
  {
    id: "words-mailbox-protocols-off",
    source:
      "Microsoft 365 admin center 'Manage email apps' (POP, IMAP, Authenticated SMTP … per mailbox) and Set-CASMailbox: a script or an audit that turns POP and IMAP off per mailbox turns Authenticated SMTP off with them",
    kind: "context",
    // POP and IMAP named together with a verb that turns them off, per mailbox or account (en, nl, de, fr, es, pt,
    // it, pl).
    evidence: said(
      /(?=(?:[^.\n]|\.\b){0,120}\b(?:pop3?\b(?:[^.\n]|\.\b){0,20}\bimap|imap\b(?:[^.\n]|\.\b){0,20}\bpop3?)\b)(?:[^.\n]|\.\b){0,160}(?:\b(?:disabl\w*|turn\w* off|switch\w* off|uitzet\w*|uitgeschakeld|zet\w* (?:\w+ )?uit|wyłącz\w*|deaktivier\w*|abgeschaltet|désactiv\w*|desactiv\w*|desativ\w*|disattiv\w*)|\bprotoko\w* (?:\w+ )?(?:wyłącz\w*|abgeschaltet))/u,
    ),
    weights: { smtp_auth_disabled_mailbox: 2.4, smtp_auth_disabled_tenant: 0.4, unknown: -1.5 },
    why: "POP and IMAP were turned off per mailbox: Authenticated SMTP sits beside them (Manage email apps) and was very likely turned off too",
  },
  {
    id: "words-same-settings-other-account-works",
    source:
      "A tenant-wide gate (security defaults, the organisation's SMTP AUTH switch, TLS, the network) fails every account alike: when another account works with the same settings, the failing account's own settings are left (its Authenticated SMTP switch, MFA, licence, password)",
    kind: "context",
    evidence: said(
      /\b(?:colleague|coworker|co-worker|other user|other account|another account|other mailbox|another mailbox|his|her)(?:'s)?(?: account| mailbox)?\b(?:[^.\n]|\.\b){0,60}\b(?:works?|sends? fine|goes? through)\b(?:[^.\n]|\.\b){0,40}\b(?:identical|same|exact same) settings\b|\b(?:identical|same|exact same) settings\b(?:[^.\n]|\.\b){0,60}\b(?:colleague|coworker|other user|other account|another account|other mailbox)(?:'s)?(?: account| mailbox)?\b(?:[^.\n]|\.\b){0,30}\b(?:works?|sends? fine)\b|\bmet (?:precies )?dezelfde instellingen\b(?:[^.\n]|\.\b){0,60}\bwerkt het wel\b|\bmit (?:genau )?(?:den )?gleichen einstellungen\b(?:[^.\n]|\.\b){0,60}\bfunktioniert\b/u,
    ),
    weights: {
      smtp_auth_disabled_mailbox: 1.6,
      smtp_auth_disabled_tenant: -1.2,
      security_defaults_enabled: -1.2,
      tls_version: -1,
      starttls_required: -1,
      oauth_misconfigured_app_or_sp: -1,
      unknown: -1,
    },
    why: "Another account works with the same settings: the tenant-wide gates are open, so this account's own Authenticated SMTP switch (or its MFA, licence, password) is left",
  },
  {
    id: "words-mailbox-smtp-disabled-local",
    source:
      "the admin centre's 'Authenticated SMTP' mailbox setting under its localised names (SMTP autenticado, Authentifiziertes SMTP, SMTP authentifié, SMTP autenticato, Geverifieerde SMTP) turned off",
    kind: "context",
    evidence: said(
      /(?:desativ\w*|desactiv\w*|deaktivier\w*|désactiv\w*|disattiv\w*|uitgeschakeld|turned off|disabled|unticked)\b(?:[^.\n]|\.\b){0,20}["“]?(?:smtp autenticado|authentifiziertes smtp|smtp authentifié|smtp autenticato|geverifieerde smtp|authenticated smtp)\b(?:[^.\n]|\.\b){0,40}\b(?:caixas? de correio|buzones?|postf(?:ach|ächern)|boîtes? aux lettres|cassett\w+|postvak\w*|mailbox\w*)/u,
    ),
    weights: { smtp_auth_disabled_mailbox: 2.6, unknown: -1.5 },
    why: "Authenticated SMTP was turned off on the mailboxes: this one refuses SMTP AUTH",
  },
  {
    id: "words-no-mailbox-permission-for-app",
    source:
      "Microsoft 'Authenticate an IMAP, POP or SMTP connection using OAuth', client credentials: after New-ServicePrincipal the app needs Add-MailboxPermission (FullAccess) on each mailbox it sends from; without it Exchange refuses the token (535 5.7.3)",
    kind: "context",
    evidence: said(
      /\b(?:skipped|did ?n[o']t do|did ?n[o']t run|never ran|have ?n[o']t (?:done|run)|forgot|left out)\b(?:[^.\n]|\.\b){0,30}\badd-mailboxpermission\b|\badd-mailboxpermission\b(?:[^.\n]|\.\b){0,40}\b(?:not done|skipped|missing|never (?:done|run))\b|\bget-mailboxpermission\b(?:[^.\n]|\.\b){0,80}\b(?:only|just)\b(?:[^.\n]|\.\b){0,20}nt authority\\self\b|\bget-mailboxpermission\b(?:[^.\n]|\.\b){0,120}\bnothing for the (?:service principal|app|application|sp|enterprise app)\b/u,
    ),
    weights: { oauth_misconfigured_app_or_sp: 3, mailbox_unlicensed_or_missing: -1, unknown: -1.5 },
    why: "The app has no permission on the mailbox (Add-MailboxPermission was not run): Exchange refuses its token for that mailbox",
  },
];
