/**
 * Exchange Online's reason texts, per reason, in the languages Exchange and its admin surfaces
 * answer in. The rules in replies.ts read them as phrases (Evidence.phrase: case, spacing, wrapping
 * and truncation tolerant); the metamorphic tests use them to translate a reply.
 */
// ---------------------------------------------------------------------------------------------
// Reason phrases, with the languages Exchange and its admin surfaces answer in.
// en: the catalogue (m365 SmtpReplies; each text's source is cited there).
// es/pt "criteria": gophish/gophish#3220 (a localised 5.7.139 reply, 2024).
// de: Microsoft Learn de-de "Einstellung der Standardauthentifizierung in Exchange Online"
//     (Standardauthentifizierung = basic authentication) and de-de "Fortlaufende Fehlerdrosselung
//     für SMTP AUTH-Übermittlungen" (550 5.2.252 … „Senden als verweigert" gedrosselt).
// fr: Microsoft Learn fr-fr "paramètres de sécurité par défaut", "authentification de base"
//     (it-connect.fr "fin de vie pour l'authentification basique SMTP" quotes both).
// it, nl, ja, zh: the product terms of Microsoft Learn's localised pages (security defaults,
//     basic authentication, send as). No public capture of a fully translated 5.7.139 reply was
//     found for these (searched again for fresh-threads-2.yaml: code, issue and page indexes); the
//     terms are what a localised wrapper or NDR shows. What real localised captures exist are of the
//     .NET client's wrapper sentences around an English reply (de, fr, es, it, pt, ja, zh; none for
//     nl): they are read in normalise.ts WRAPPERS, with their sources.
// ---------------------------------------------------------------------------------------------

/** Phrases per reason, every language; exported for the metamorphic tests' translated transform. */
export const REASONS = {
  tenantDisabled: [
    "smtpclientauthentication is disabled for the tenant",
    "smtp client authentication is disabled for the tenant",
    "smtpclientauthentication ist für den mandanten deaktiviert",
    "smtpclientauthentication est désactivé pour le locataire",
    "smtpclientauthentication está deshabilitado para el inquilino",
    "smtpclientauthentication está desabilitado para o locatário",
  ],
  mailboxDisabled: [
    "smtpclientauthentication is disabled for the mailbox",
    "smtp client authentication is disabled for the mailbox",
    "smtpclientauthentication ist für das postfach deaktiviert",
    "smtpclientauthentication est désactivé pour la boîte aux lettres",
    "smtpclientauthentication está deshabilitado para el buzón",
    "smtpclientauthentication está desabilitado para a caixa de correio",
  ],
  securityDefaults: [
    "security defaults",
    "locked by your organization's security defaults",
    "locked by your organisation's security defaults",
    "sicherheitsstandards",
    "paramètres de sécurité par défaut",
    "valores predeterminados de seguridad",
    "padrões de segurança",
    "impostazioni predefinite per la sicurezza",
    "standaardinstellingen voor beveiliging",
    "セキュリティの既定値",
    "安全默认值",
  ],
  criteria: [
    "did not meet the criteria to be authenticated",
    "the request did not meet the criteria",
    "não atendeu aos critérios",
    "no cumplió con los criterios",
    "no cumple con los criterios",
    "ne répondait pas aux critères",
    "ne remplit pas les critères",
    "erfüllte nicht die kriterien",
    "non soddisfaceva i criteri",
    "voldeed niet aan de criteria",
  ],
  basicDisabled: [
    "basic authentication is disabled",
    "basic auth is disabled",
    // as UIs and issue titles word it
    "basic authentication disabled",
    "standardauthentifizierung ist deaktiviert",
    "l'authentification de base est désactivée",
    "la autenticación básica está deshabilitada",
    "a autenticação básica está desabilitada",
    "l'autenticazione di base è disabilitata",
    "basisverificatie is uitgeschakeld",
    "基本認証が無効",
    "基本身份验证已禁用",
  ],
  credentials: [
    "the user credentials were incorrect",
    "die benutzeranmeldeinformationen waren falsch",
    "les informations d'identification de l'utilisateur étaient incorrectes",
    "las credenciales del usuario eran incorrectas",
    "as credenciais do usuário estavam incorretas",
  ],
  sendAs: [
    "sendasdenied",
    "not allowed to send as",
    "send as this sender",
    "send as denied",
    "senden als verweigert",
    "envoyer en tant que",
    "enviar como",
    "invia come",
    "verzenden als",
    // The same refusal in other servers' words: postfix reject_sender_login_mismatch ("Sender
    // address rejected: not owned by user"), Exchange on-premises ("permission to send the message
    // on behalf of"), and providers that require From = login ("must be same as authorization user").
    "not owned by user",
    "on behalf of the specified user",
    "must be same as authorization user",
    "does not match the authenticated user",
  ],
} as const;
