/**
 * Client-library and TLS-stack wording (issue 14 item 4): how each library words the failures that
 * come with no Exchange reply at all. Every phrase is taken from the library's own source, cited
 * per rule. These name STARTTLS, port, TLS-version and network causes.
 */
import type { Evidence } from "./evidence.ts";
import type { Rule } from "./rule-kit.ts";

function phrases(list: readonly string[], minPrefix = 14): (ev: Evidence) => number {
  return (ev) => {
    let best = 0;
    for (const p of list) best = Math.max(best, ev.phrase(p, minPrefix));
    return best;
  };
}

/** The server did not advertise AUTH: before STARTTLS, Exchange Online offers none. */
const AUTH_NOT_ADVERTISED = [
  // CPython Lib/smtplib.py SMTP.login(): raise SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
  "smtp auth extension not supported by server",
  // Go src/net/smtp/smtp.go SendMail(): errors.New("smtp: server doesn't support AUTH")
  "smtp: server doesn't support auth",
  // Jakarta/Angus Mail com/sun/mail/smtp/SMTPTransport.authenticate(), in the source's own spelling
  // ("mechansims", JavaMail 1.4 to Angus 2) and as readers retype it
  "no authentication mechansims supported by both server and client",
  "no authentication mechanisms supported by both server and client",
  // MailKit SmtpClient.Authenticate(): "The SMTP server does not support authentication."
  "the smtp server does not support authentication",
  // PHPMailer SMTP::authenticate(): 'No supported authentication methods found'
  "no supported authentication methods found",
  // PHPMailer SMTP::authenticate(): 'Authentication is not allowed before HELO/EHLO' / 'at this stage'
  "authentication is not allowed at this stage",
  // nodemailer lib/smtp-connection: when AUTH is missing from the EHLO reply
  "authentication not supported",
  // Canon's French UI: "Le serveur SMTP ne prend pas en charge SMTP AUTH" (with TLS off, AUTH is not offered yet)
  "ne prend pas en charge smtp auth",
  "does not support smtp auth",
  // wneessen/go-mail auth.go ErrLoginAuthNotSupported: LOGIN is what Exchange offers, so it was not offered yet
  "server does not support smtp auth type: login",
  // PEAR Net_SMTP: LOGIN is what Exchange offers once STARTTLS is done, so it was not offered yet
  "login is not a supported authentication method",
  // pfSense (etc/inc/smtp.inc, the Manuel Lemos smtp class): EHLO listed no AUTH. Only as the error it
  // prints: HP's settings page names its no-authentication option with the same words.
  "error: server does not require authentication",
  // aiosmtplib (Python) smtp.py: "The SMTP AUTH extension is not supported by this server. Try connecting via TLS (or STARTTLS)."
  "smtp auth extension is not supported by this server",
  // aiosmtplib auth.py: "oauth_token_generator provided but server does not support XOAUTH2" (XOAUTH2 is offered after STARTTLS)
  "server does not support xoauth2",
  // Dart mailer (kaisellgren/mailer) smtp_client: "The server does not support LOGIN or PLAIN authentication method.",
  // "… LOGIN authentication method.", "… XOAUTH2 authentication method." (Exchange offers both after STARTTLS)
  "does not support login or plain authentication method",
  "does not support login authentication method",
  "does not support xoauth2 authentication method",
  // nullmailer protocols/smtp.cc: "Server does not advertise any supported authentication methods"
  "does not advertise any supported authentication methods",
  // Exim transports/smtp.c: "authentication required but server did not advertise AUTH support"
  "server did not advertise auth support",
  // Perl libnet Net::SMTP::auth() when EHLO listed no AUTH: "Command unknown: 'AUTH'"
  "command unknown: 'auth'",
  // Indy IdSMTP: "Doesn't support AUTH or the specified SASL handlers!!"
  "doesn't support auth or the specified sasl handlers",
];

/**
 * The server advertised AUTH, but no mechanism the client is willing to use: a mechanism mismatch,
 * not a missing STARTTLS (Exchange Online offers LOGIN and XOAUTH2 only; on-premises often NTLM only).
 */
const MECHANISM_MISMATCH = [
  // MailKit SmtpClient.Authenticate(): throw new NotSupportedException ("No compatible authentication mechanisms found.")
  "no compatible authentication mechanisms found",
  // lettre (Rust) SmtpTransport: "No compatible authentication mechanism was found"
  "no compatible authentication mechanism was found",
  // PHPMailer SMTP::authenticate(): 'The requested authentication method "%s" is not supported by the
  // server' ('Requested auth method not available: %s' is read by requestedNotOffered: with no method
  // requested PHPMailer prints it and then selects one itself)
  "the requested authentication method",
  // Jakarta/Angus Mail SMTPTransport debug: "mechanism NTLM not supported by server"
  "mechanism ntlm not supported by server",
  "mechanism cram-md5 not supported by server",
  "mechanism digest-md5 not supported by server",
  "mechanism plain not supported by server",
  // postfix src/smtp/smtp_sasl_glue.c: "%s offered no supported AUTH mechanisms: '%s'"
  "offered no supported auth mechanisms",
  // postfix smtp_sasl_glue.c: "… offered no compatible authentication mechanisms for this type of connection security"
  // (smtp_sasl_mechanism_filter or smtp_sasl_tls_security_options leave nothing Exchange offers)
  "offered no compatible authentication mechanisms",
  // Thunderbird (mail/locales messengercompose composeMsgs.properties smtpAuthChangeEncryptToPlainSSL): "The Outgoing
  // server (SMTP) %S does not seem to support encrypted passwords. … try changing the 'Authentication method' to
  // 'Normal password'." ("Encrypted password" is CRAM-MD5 / NTLM, which Exchange Online does not offer)
  "does not seem to support encrypted passwords",
  // Go src/net/smtp/auth.go PlainAuth.Start() is fine; gomail / go-mail: "smtp: unsupported auth mechanism"
  "unsupported auth mechanism",
  "unsupported authentication mechanism",
  // Outlook (Windows) 0x800CCC80: "None of the authentication methods supported by this client are supported by your
  // server." (Secure Password Authentication, i.e. NTLM, required on an account whose server offers LOGIN), and its
  // German wording "Keine der von diesem Client unterstützten Authentifizierungsmethoden wird von Ihrem Server unterstützt."
  "none of the authentication methods supported by this client",
  "0x800ccc80",
  "keine der von diesem client unterstützten authentifizierungsmethoden",
  // Cyrus SASL (postfix's smtp_sasl) without the LOGIN plugin: "SASL authentication failure: No worthy mechs found"
  "no worthy mechs found",
  // swaks-style "the server does not support the requested auth type (CRAM-MD5)", by its distinctive
  // part: a paste cut after "does not support" must not read as this phrase cut short.
  "the requested auth type",
  // device firmware: "SMTP server does not support the authentication type"
  "support the authentication type",
  // Device firmware (Sharp, Kyocera) after a configured CRAM-MD5/NTLM: "Authentication method is not supported by the server"
  "authentication method is not supported",
  // HP: "The server does not support the authentication method."
  "does not support the authentication method",
  // The same device sentence in the firmware's other languages (Brother, Kyocera, HP panels): "Server unterstützt die
  // gewählte Authentifizierungsmethode nicht", "méthode d'authentification non prise en charge", "método de
  // autenticación no compatible / no admitido", "método de autenticação não suportado", "metodo di autenticazione non
  // supportato"
  "gewählte authentifizierungsmethode nicht",
  "authentifizierungsmethode wird nicht unterstützt",
  "méthode d'authentification non prise en charge",
  "méthode d'authentification n'est pas prise en charge",
  "método de autenticación no compatible",
  "método de autenticación no admitido",
  "método de autenticação não suportado",
  "metodo di autenticazione non supportato",
  // Perl libnet Net::SMTP::auth() without Authen::SASL installed: the client has no mechanism to offer
  "need mime::base64 and authen::sasl todo auth",
  // mutt and neomutt smtp.c built without SASL (it then speaks no mechanism Exchange offers): "SMTP
  // authentication requires SASL"; none of $smtp_authenticators offered: "No authenticators available"
  "authentication requires sasl",
  "no authenticators available",
  // Symfony Mailer EsmtpTransport: 'Failed to find an authenticator supported by the SMTP server, which currently supports: "%s".'
  "failed to find an authenticator supported by the smtp server",
  // SwiftMailer Esmtp/AuthHandler: 'Failed to authenticate on SMTP server with username "%s" using 0 possible authenticators.'
  "using 0 possible authenticators",
  // libcurl lib/curl_sasl.c (-v): "SASL: no overlap between offered and configured auth mechanisms", "SASL: no auth
  // mechanism offered could be selected"; before 2025: "No known authentication mechanisms supported"
  "no overlap between offered and configured auth mechanisms",
  "no auth mechanism offered could be selected",
  "no known authentication mechanisms supported",
  // aiosmtplib auth.py: "No suitable authentication method found."
  "no suitable authentication method found",
  // msmtp smtp.c: "cannot find a usable authentication method", "the server does not support authentication method %s"
  "cannot find a usable authentication method",
  "does not support authentication method",
  // Postfix smtp_sasl_glue.c: "SASL authentication failed; cannot authenticate to server %s: no mechanism available"
  "no mechanism available",
  // Exim transports/smtp.c: "authentication required but no common mechanisms were found"
  "no common mechanisms were found",
  // wneessen/go-mail client.go: "SMTP Auth autodiscover was not able to detect a supported authentication mechanism"
  "not able to detect a supported authentication mechanism",
  // mobizt ESP-Mail-Client: "the provided SASL authentication mechanism is not support" (sic)
  "sasl authentication mechanism is not support",
  // line-of-business mail profiles: "SMTP server does not support the selected authentication method (NTLM …)"
  "does not support the selected authentication method",
  // wneessen/go-mail auth.go: ErrPlainAuthNotSupported "server does not support SMTP AUTH type: PLAIN", and
  // the same for CRAM-MD5, XOAUTH2's siblings SCRAM-SHA-*; not LOGIN, which Exchange offers after STARTTLS
  // (one-hub #212: PLAIN set, fixed by AUTH LOGIN support; batch 20).
  // PEAR Net_SMTP (pfSense notifications, Horde): "%s is not a supported authentication method" for a mechanism
  // the EHLO list lacks; pfSense sends PLAIN by default, which Exchange Online does not offer
  "plain is not a supported authentication method",
  "cram-md5 is not a supported authentication method",
  "digest-md5 is not a supported authentication method",
  // Sophos Firewall test mail, status 544: "Authentication method mismatch. Please confirm the authentication
  // method support for LOGIN or PLAIN on the mail server"
  "authentication method mismatch",
  "server does not support smtp auth type: plain",
  "server does not support smtp auth type: cram-md5",
  "server does not support smtp auth type: scram-sha",
];

/** A TLS stack's refusal of the server's certificate chain (trust store), in each stack's own words. */
const CERTIFICATE_UNTRUSTED = [
  "ssl_error_not_trusted_root",
  "certificate verify failed",
  "unable to get local issuer certificate",
  "self signed certificate in certificate chain",
  "self-signed certificate in certificate chain",
  "pkix path building failed",
  "unable to find valid certification path",
  "remote certificate is invalid according to the validation procedure",
  "remotecertificatechainerrors",
  "certificate signed by unknown authority",
  "unable_to_get_issuer_cert_locally",
  "unable to verify the first certificate",
  "sec_error_unknown_issuer",
  "trust anchor for certification path not found",
  "invalidcertificate(unknownissuer)",
  "the certificate chain was issued by an authority that is not trusted",
];

/** The client refused to send credentials in clear, or the server insisted on STARTTLS. */
const NEEDS_STARTTLS = [
  // Go src/net/smtp/auth.go PlainAuth.Start(): errors.New("unencrypted connection")
  "unencrypted connection",
  // Jakarta Mail SMTPTransport: "STARTTLS is required but host does not support STARTTLS"
  "starttls is required but host does not support starttls",
  // .NET System.Net.Mail SR.MailServerDoesNotSupportStartTls
  "server does not support secure connections",
  // Symfony Mailer 7.3+ EsmtpTransport (require_tls): "TLS required but neither TLS or STARTTLS are in use."
  "neither tls or starttls are in use",
  // msmtp smtp.c: "cannot use a secure authentication method" (TLS is off, so it will not send a password)
  "cannot use a secure authentication method",
  // Dart mailer: "Aborting because connection is not secure"; Deno denomailer: "Connection is not secure! Don't
  // send authentication over non secure connection!"
  "aborting because connection is not secure",
  "don't send authentication over non secure connection",
  // s-nail: "SMTP authentication LOGIN needs TLS (*smtp-use-starttls* set?)"
  "needs tls (*smtp-use-starttls",
  // RFC 4954's 538 5.7.11 text, as device manuals list it (Panasonic Panafax SMTP AUTH appendix)
  "encryption required for requested authentication mechanism",
];

/** Implicit TLS spoken to a STARTTLS port (or plain text to a TLS port): record-layer errors. */
const IMPLICIT_TLS_MISMATCH = [
  // OpenSSL crypto/err/openssl.txt SSL_R_WRONG_VERSION_NUMBER, SSL_R_PACKET_LENGTH_TOO_LONG, SSL_R_UNKNOWN_PROTOCOL
  "wrong version number",
  "packet length too long",
  "unknown protocol",
  "record layer failure",
  "ssl3_get_record",
  // Go crypto/tls conn.go: "tls: first record does not look like a TLS handshake"
  "first record does not look like a tls handshake",
  // GnuTLS (msmtp, nullmailer, curl-gnutls, exim-gnutls) GNUTLS_E_UNEXPECTED_PACKET / _UNEXPECTED_PACKET_LENGTH
  "an unexpected tls packet was received",
  "a tls packet with unexpected length was received",
  // Erlang/OTP ssl (gen_smtp, Swoosh, Bamboo): "CLIENT ALERT: Fatal - Unexpected Message - {unsupported_record_type,50}"
  "unsupported_record_type",
  // mbedTLS (ESP32 WiFiClientSecure, ESP-Mail-Client) MBEDTLS_ERR_SSL_INVALID_RECORD (-0x7200, printed -29184):
  // "SSL - An invalid SSL record was received"
  "an invalid ssl record was received",
  // rustls (lettre, reqwest): a plain-text reply read as a TLS record, "received corrupt message of type
  // InvalidContentType", Debug-printed as InvalidMessage(InvalidContentType)
  "invalidcontenttype",
  // Java JSSE SSLSocketInputRecord: "Unrecognized SSL message, plaintext connection?"
  "unrecognized ssl message, plaintext connection",
  // MailKit SslHandshakeException help text for port 587
  "port 587 is typically reserved for plain-text connections",
  // .NET SslStream when the peer does not speak TLS
  "cannot determine the frame size or a corrupted frame was received",
  // MailCore2 MCOErrorTLSNotAvailable / MCOErrorStartTLSNotAvailable (MCErrorMessage.cpp): the session's
  // connection type does not match the port (TLS on connect to 587, or STARTTLS on a TLS port)
  "the server does not support tls/ssl connections",
  "the server does not support starttls connections",
];

/** No common TLS version or cipher: the client offers only TLS 1.0/1.1. */
const TLS_TOO_OLD = [
  // Schannel SEC_E_ALGORITHM_MISMATCH text as .NET shows it
  "do not possess a common algorithm",
  "sec_e_algorithm_mismatch",
  // OpenSSL SSL_R_TLSV1_ALERT_PROTOCOL_VERSION, SSL_R_UNSUPPORTED_PROTOCOL, SSL_R_NO_PROTOCOLS_AVAILABLE
  "tlsv1 alert protocol version",
  "unsupported protocol",
  "no protocols available",
  // Java JSSE: "No appropriate protocol (protocol is disabled or cipher suites are inappropriate)"
  "no appropriate protocol",
  // Go crypto/tls: "tls: protocol version not supported"
  "protocol version not supported",
  "sslv3 alert handshake failure",
  // TLS alert 70 (RFC 8446 §6.2 protocol_version) as Java JSSE ("Received fatal alert: protocol_version"),
  // firewalls ("SSL alert received: protocol_version (70)") and packet captures name it
  "protocol_version",
];

/**
 * .NET SslStream's "Authentication failed because the remote party has closed the transport stream" in
 * the .NET Framework language packs, by the part that names the transport stream.
 */
const DOTNET_TRANSPORT_CLOSED_LOCAL = [
  "den transportstream geschlossen",
  "a fermé le flux de transport",
  "cerró la secuencia de transporte",
  "fechou o fluxo de transporte",
  "ha chiuso il flusso di trasporto",
  "トランスポート ストリームを閉じ",
  "关闭了传输流",
  "已关闭传输流",
];

/** TLS failures as printer and scanner firmware words them (no library source; device manuals). */
const DEVICE_TLS = [
  "ssl/tls communication error",
  "ssl/tls connection error",
  "tls communication error",
  "ssl communication error",
  "starttls error",
  "secure connection failed",
  // Device screens' "SSL negotiation failed" (Ricoh, Sharp), also as localised firmware and news reports
  // give it (zh-Hans, zh-Hant, ja, ko, de, fr, es, pt, it).
  "ssl negotiation failed",
  "tls negotiation failed",
  "ssl协商失败",
  "ssl協商失敗",
  "tls握手失败",
  "ssl握手失败",
  "ssl握手失敗",
  "sslネゴシエーションに失敗",
  "sslネゴシエーション失敗",
  "ssl 협상 실패",
  "ssl-aushandlung fehlgeschlagen",
  "échec de la négociation ssl",
  "error en la negociación ssl",
  "falha na negociação ssl",
  "negoziazione ssl non riuscita",
];

/** The sender worked before and stopped on its own (en, de, fr, es, pt, it, nl, pl, ru, zh, ja). */
const WORKED_BEFORE =
  /worked (?:fine )?(?:until|till|for (?:years|months))|stopped (?:working|sending)|no longer (?:works?|sends?)|used to work|\bsuddenly\b|all of a sudden|out of the blue|nothing (?:has |was )?changed|without (?:any )?(?:changes?|changing anything)|突然|忽然|突如|いきなり|plötzlich|auf einmal|\bsoudain|du jour au lendemain|de repente|repentinamente|improvvisamente|all'improvviso|plotseling|\bineens\b|\bnagle\b|внезапно|\bвдруг\b/u;

/** MailCore2's and Mailspring's words for Outlook.com holding an account until it signs in on the web. */
const WEBMAIL_SIGNIN = [
  "errorneedsconnecttowebmail",
  "needs to connect to webmail",
  "cannot connect to webmail",
  "must sign in via your webmail",
  "erroroutlookloginviawebbrowser",
  "outlook server said you must sign in via a web browser",
];

/** A handshake that failed without saying why. */
const HANDSHAKE_GENERIC = [
  // MailKit SslHandshakeException message
  "an error occurred while attempting to establish an ssl or tls connection",
  // Jakarta Mail SMTPTransport.startTLS(): "Could not convert socket to TLS"
  "could not convert socket to tls",
  // nodemailer lib/smtp-connection ETLS: "Error initiating TLS"
  "error initiating tls",
  "sslhandshakeexception",
  "handshake failed",
  "ssl handshake",
  "the ssl connection could not be established",
  // .NET SslStream: "Authentication failed because the remote party has closed the transport
  // stream." (see client-dotnet-handshake-closed). Only its distinctive part is matched: the opening
  // "Authentication failed" is itself a complete, generic sentence (PHPMailer, Brevo, Exchange's
  // "5.0.0 Authentication Failed"), which truncation matching would otherwise read as this phrase
  // cut off, and a bare "535 Authentication failed" came out as a TLS handshake.
  "remote party has closed the transport stream",
  // Indy IdSSLOpenSSL: "Error connecting with SSL." (the OpenSSL reason follows); Symfony Mailer SocketStream:
  // "Unable to connect with STARTTLS"; SwiftMailer EsmtpTransport: "Unable to connect with TLS encryption"
  "error connecting with ssl",
  "unable to connect with starttls",
  "unable to connect with tls encryption",
  // Postfix smtp: "Cannot start TLS: handshake failure"; nullmailer: "Error completing TLS handshake"
  "cannot start tls",
  "error completing tls handshake",
  // The same .NET message in the Framework's language packs (de, fr, es, pt, it, ja, zh), by its noun
  ...DOTNET_TRANSPORT_CLOSED_LOCAL,
  ...DEVICE_TLS,
];

/** No connection: timeouts, refusals, blocked egress (Outlook 0x800CCC0E / 0x80042109 = cannot connect). */
const CANNOT_CONNECT = [
  "connection timed out",
  "operation timed out",
  "the operation has timed out",
  "etimedout",
  "econnrefused",
  "connection refused",
  // the same as people and device panels retell it ("the connection was refused by the server")
  "connection was refused",
  // DNS: glibc "Temporary failure in name resolution" / "Name or service not known", curl "Could not resolve
  // host", Windows/.NET "No such host is known"
  "temporary failure in name resolution",
  "name or service not known",
  "could not resolve host",
  "no such host is known",
  // libcurl CURLE_OPERATION_TIMEDOUT as Zabbix and other curl users print it: "Timeout was reached"
  "timeout was reached",
  // PowerShell Test-NetConnection -Port 587: "WARNING: TCP connect to (x : 587) failed", TcpTestSucceeded : False
  "tcptestsucceeded : false",
  // APC NMC, other appliances: "Could not mail, SMTP server timeout."
  "smtp server timeout",
  "refused the connection",
  // Winsock 10060 as .NET words it: "A connection attempt failed because the connected party did not properly respond …"
  "a connection attempt failed",
  "ehostunreach",
  "enetunreach",
  "no route to host",
  "network is unreachable",
  // nodemailer lib/smtp-connection: "Connection timeout"
  "connection timeout",
  // PHPMailer language/phpmailer.lang-en.php 'connect_host' / 'smtp_connect_failed'
  "could not connect to smtp host",
  "smtp connect() failed",
  // Jakarta Mail: "Couldn't connect to host, port"
  "couldn't connect to host",
  // .NET: "Unable to connect to the remote server"
  "unable to connect to the remote server",
  // Outlook/Windows Mail: cannot connect to the outgoing server
  "0x800ccc0e",
  "0x80042109",
  "0x8004210b",
  // printer and scanner firmware wording
  "cannot connect to the smtp server",
  "could not connect to the smtp server",
  "connection to the smtp server failed",
  "smtp server connection error",
  // this doctor's own probe (smtp-session.ts): the server never answered within the step timeout
  "no answer from",
  // libcurl: "Failed to connect to %s port %u after %d ms: %s"; "Couldn't connect to server" (older) / "Could not
  // connect to server"; "Couldn't resolve host name"
  "couldn't connect to server",
  "could not connect to server",
  "couldn't resolve host name",
  // Symfony Mailer / SwiftMailer: 'Connection could not be established with host "%s": %s' (a TLS reason inside
  // is read by the TLS rules as well)
  "connection could not be established with host",
  // Ruby net-smtp: "Net::OpenTimeout: execution expired"
  "net::opentimeout",
  // Perl Email::Sender: "unable to establish SMTP connection to (%s) port %s"
  "unable to establish smtp connection",
  // Simple Java Mail: "Was unable to connect to SMTP server"; Qt SmtpClient: "Failed to connect to host!"
  "unable to connect to smtp server",
  "failed to connect to host",
  // aiosmtplib: "Timed out connecting to %s on port %s"
  "timed out connecting to",
  // Indy: "Connect timed out."
  "connect timed out",
];

/**
 * nodemailer lib/smtp-connection: "Greeting never received" — connected, but no 220 greeting came:
 * most often a plain-text client on the implicit-TLS port (secure:false on 465), else a proxy.
 */
const NO_GREETING = ["greeting never received"];

/** The connection dropped mid-conversation (often TLS, sometimes a proxy or a limit). */
const CONNECTION_DROPPED = [
  // .NET System.Net.Mail SR.net_io_connectionclosed
  "net_io_connectionclosed",
  "unable to read data from the transport connection",
  // Indy (Delphi) EIdConnClosedGracefully: "Connection Closed Gracefully."
  "connection closed gracefully",
  // CPython smtplib: SMTPServerDisconnected("Connection unexpectedly closed")
  "connection unexpectedly closed",
  // nodemailer: "Connection closed unexpectedly"
  "connection closed unexpectedly",
  "unexpected socket close",
  "econnreset",
  // CPython ConnectionResetError "[Errno 104] Connection reset by peer"; Winsock 10054 as .NET words it
  "connection reset by peer",
  "an existing connection was forcibly closed",
  "broken pipe",
  // MailCore2 MCOErrorConnection: any failed connect, a TLS mode mismatch included
  "a stable connection to the server could not be established",
  // Jakarta Mail SMTPTransport.readServerResponse: MessagingException("Exception reading response", IOException)
  "exception reading response",
  // Symfony Mailer: 'Connection to "%s" has been closed unexpectedly.', 'Expected response code "%s" but got empty
  // code.'; SwiftMailer: "Expected response code %s but got an empty response"
  "has been closed unexpectedly",
  "but got empty code",
  "but got an empty response",
  // libcurl CURLE_RECV_ERROR: "Failure when receiving data from the peer"
  "failure when receiving data from the peer",
  // CDO (cdosyserr.h CDO_E_CONNECTION_DROPPED, 0x80040212): "The transport lost its connection to the server."
  "the transport lost its connection to the server",
  // Perl Net::SMTP: "Unexpected EOF on command channel"; s-nail: "Unexpected EOF on SMTP connection"
  "unexpected eof on command channel",
  "unexpected eof on smtp connection",
  // msmtp: "the connection was closed unexpectedly"; GnuTLS: "The TLS connection was non-properly terminated."
  "the connection was closed unexpectedly",
  "non-properly terminated",
  // Postfix smtp: "lost connection with %s while %s"; Exim: "Remote host closed connection in response to %s"
  "lost connection with",
  "remote host closed connection in response to",
  // Indy: "SSL connection has dropped."; ssmtp: "Connection lost in middle of processing"; Dart mailer: "Socket was
  // closed even though a response was expected."
  "ssl connection has dropped",
  "connection lost in middle of processing",
  "socket was closed even though a response was expected",
];

/**
 * Device error codes that mean the SMTP login was refused, as the vendors' error tables list them: Canon
 * imageRUNNER "#839" (SMTP authentication failed), Kyocera TASKalfa/ECOSYS "1102" (send error: login refused).
 * Taken from the vendors' code lists as admins retell them; the search corpus holds no copy of either table.
 */
const DEVICE_AUTH_FAILED_CODE =
  /(?<![\w#])#\s?839\b|\b(?:kyocera|taskalfa|ecosys)\b[^\n]{0,80}\b1102\b|\b1102\b[^\n]{0,80}\b(?:kyocera|taskalfa|ecosys)\b/u;

/** Generic "authentication failed" wording of clients and device firmware, no server reason. */
const AUTH_FAILED_GENERIC = [
  // PHPMailer language/phpmailer.lang-en.php 'authenticate' => 'SMTP Error: Could not authenticate.'
  "could not authenticate",
  // nodemailer EAUTH "Invalid login"
  "invalid login",
  // libcurl CURLE_LOGIN_DENIED (exit 67): "Login denied"
  "login denied",
  // CDO for Windows (cdosyserr.h): CDO_E_LOGON_FAILURE 0x80040217 "The transport was unable to log on to the
  // server." (as VBA prints it, -2147220969, or inside 0x80040211's "The transport error code was 0x80040217. The
  // server response was not available"); CDO_E_AUTHENTICATION_FAILURE 0x80040215 "The server rejected the logon
  // attempt due to authentication failure."
  "unable to log on to the server",
  "80040217",
  "-2147220969",
  "rejected the logon attempt",
  // Symfony Mailer and SwiftMailer: 'Failed to authenticate on SMTP server with username "%s" using …' (the server's
  // own reply follows and decides)
  "failed to authenticate on smtp server",
  // Exim: "authentication required but authentication attempt(s) failed"; nullmailer: "Failed to authenticate to
  // server"; ssmtp: "Server didn't accept AUTH LOGIN (%s)"; Perl Email::Sender: "failed AUTH: %s"
  "authentication attempt(s) failed",
  "failed to authenticate to server",
  "server didn't accept auth login",
  "failed auth:",
  // mobizt ESP-Mail-Client: "login password is not valid", "XOAuth2 authenticate failed"; Dart mailer (before 2022):
  // "Incorrect username / password / credentials"
  "login password is not valid",
  "xoauth2 authenticate failed",
  "incorrect username / password / credentials",
  // MailCore2 MCOErrorAuthentication: "Unable to authenticate with the current session's credentials."
  "unable to authenticate",
  "authentication failed",
  "authentication unsuccessful",
  "authenticationinvalidcredentials",
  "username and password not accepted",
  "password not accepted",
  // Sophos Firewall test mail, status 543: "Password mismatch. Please enter the correct password"
  "password mismatch",
  // Zammad's Microsoft 365 channel, in its own spelling: "Can't use Chanel:Driver::SMTPAuthentificationError:
  // Net::SMTPAuthentificationErr" (Ruby's Net::SMTPAuthenticationError, a refused AUTH)
  "smtpauthentificationerr",
  "smtp authentication failed",
  "authentication error",
  "login failed",
  // The same as device screens and localised clients word it (the blind sets' languages).
  "authentifizierung fehlgeschlagen",
  "authentifizierungsfehler",
  "anmeldung fehlgeschlagen",
  "échec de l'authentification",
  "erreur d'authentification",
  "error de autenticación",
  "falló la autenticación",
  "falha na autenticação",
  "erro de autenticação",
  "autenticazione non riuscita",
  "errore di autenticazione",
  "verificatie mislukt",
  "authenticatie mislukt",
  "błąd uwierzytelniania",
  "kimlik doğrulama hatası",
  "ошибка аутентификации",
  "ошибка авторизации",
  "chyba ověření",
  "autentisering misslyckades",
  "认证失败",
  "身份验证失败",
  "認証エラー",
  "認証に失敗",
  "인증 실패",
  "인증 오류",
];

/**
 * Device and desktop-app wording shown for any failure, a refused login included: HP's "Unable to connect
 * to the e-mail server. Check server settings." and Sage's (blind sets 5, 11, 12: a Conditional Access
 * block, an old TLS, per-user MFA). Half weight, like the localised list.
 */
const CANNOT_CONNECT_ANY_FAILURE = [
  "unable to connect to the email server",
  // CDO for Windows (cdosyserr.h CDO_E_FAILED_TO_CONNECT, 0x80040213): "The transport failed to connect to the
  // server." Also what CDO says to a TLS it cannot speak (smtpusessl on a Windows without TLS 1.2).
  "the transport failed to connect to the server",
  "80040213",
];

/**
 * Devices and localised clients: "cannot connect to the server" in their languages. Vaguer than a socket
 * error (a device says it for a TLS mismatch too), so it counts half (blind set 22).
 */
const CANNOT_CONNECT_LOCAL = [
  "zeitüberschreitung bei der verbindung",
  "verbindung zum smtp-server fehlgeschlagen",
  "impossible de se connecter",
  "no se puede conectar",
  "não foi possível conectar",
  "impossibile connettersi",
  "kan geen verbinding maken",
  "nie można połączyć",
  "не удается подключиться",
  "无法连接",
  "無法連接",
  "接続できません",
  "연결할 수 없습니다",
];

/**
 * A client's generic "sending failed" naming the host and port it used, with no server reply: with a
 * port other than 587 or 25 it is the port/TLS-mode class of client-wrong-port (blastula #1:
 * smtp.office365.com:465).
 */
const SEND_FAILED_TO_HOST = [
  // Apache Commons Email Email.sendMimeMessage(): "Sending the email to the following server failed : " + host + ":" + port
  "sending the email to the following server failed",
];

/** Any failure word, in the languages device screens and reporters use. */
const ANY_FAILURE =
  /\b(?:fail(?:s|ed|ure)?|error|unable|cannot|can't|could not|time-?out|timed out|stopped (?:working|sending|e-?mailing)|(?:not|n't|no longer) (?:working|work|send(?:ing)?))\b|chyba|časový limit|hiba|błąd|\bfel\b|virhe|hata|ошибка|помилка|fehler|fehlgeschlagen|zeitüberschreitung|erreur|échec|impossible|délai|error|fallo|falló|no se puede|erro|falha|não foi possível|errore|impossibile|fout|mislukt|kan niet|time-out|失败|错误|超时|エラー|失敗|タイムアウト/u;

const port = (ev: Evidence): number | null =>
  ev.ex.port ??
  (/\b(465|587|25)\b/u.exec(ev.words)?.[1] !== undefined ? Number(/\b(465|587|25)\b/u.exec(ev.words)![1]) : null);

/**
 * The text holds a reply only a session past TLS and AUTH gets: a submission refusal (5.2.x STOREDRV,
 * 5.1.x sender or recipient, 5.7.60 send-as, 5.7.70x / 5.7.750 tenant limits) or "235 2.7.0". A TLS or
 * port error beside it is from another attempt with other settings (kibana #73836: "587/true returns an
 * ssl error", "587/false returned 554 5.2.0 … OutboundSpamException"), not the failure to diagnose.
 */
function reachedSubmission(ev: Evidence): boolean {
  return (
    ev.enhanced.some((c) => /^5\.(?:2\.\d+|1\.\d+|7\.60|7\.70\d|7\.750)$/u.test(c)) ||
    /\b235[ -]2\.7\.0\b|\b2\.7\.0 authentication successful\b/u.test(ev.words)
  );
}

/** A TLS handshake failed without saying why (the phrase, or the handshake error extract() read). */
function handshakeFailed(ev: Evidence): number {
  return Math.max(phrases(HANDSHAKE_GENERIC, 16)(ev), ev.ex.tlsError === "handshake-failed" ? 1 : 0);
}

/** PHPMailer asked for a mechanism the server's list does not have. */
function requestedNotOffered(text: string): boolean {
  // "Requested auth method not available: CRAM-MD5", a method named (an empty one is PHPMailer choosing).
  if (/Requested auth method not available:[ \t]*[A-Z]/iu.test(text)) return true;
  // msmtp smtp.c: "the server does not support authentication method %s" (read whole: cut short it is
  // MailKit's "The SMTP server does not support authentication.", AUTH not offered at all).
  if (/does not support authentication method (?:plain|cram-md5|digest-md5|ntlm|scram|gssapi)/iu.test(text))
    return true;
  const requested = /Auth method requested: ([A-Z0-9-]+)/iu.exec(text)?.[1]?.toUpperCase();
  const offered = /Auth methods available on the server: ([A-Z0-9, -]+)/iu.exec(text)?.[1];
  if (requested === undefined || offered === undefined || /^(?:UNSPECIFIED|UNKNOWN)$/u.test(requested)) return false;
  return !offered
    .toUpperCase()
    .split(/[\s,]+/u)
    .includes(requested);
}

/** The client-library table. */
/**
 * A client option, as pasted code or configuration (lower-cased), that opens TLS at connect rather than
 * with STARTTLS; from each library's documentation of the option.
 */
const IMPLICIT_TLS_SETTING =
  /\bsecure["']?\s*[:=]\s*true\b|\bemail_use_ssl\s*[:=]\s*true\b|\bmail\.smtps?\.ssl\.enable["']?\s*[,:=]\s*["']?true\b|\bmail\.transport\.protocol["']?\s*[,:=]\s*["']?smtps\b|\bmail_encryption\s*[:=]\s*["']?ssl\b|\bsmtpsecure\s*=\s*["']ssl["']|\bencryption_smtps\b|\bsmtp_ssl\s*\(|sslonconnect\b|(?<![\w./-])(?:use_?)?ssl["']?\s*(?:=>|[:=])\s*["']?(?:true|yes)\b(?![^\n]{0,30}starttls)|\btls\.dial\([^)\n]{0,80}:587\b|\bsmtptransport::relay\(/u;

/** "ssl=True", "use_ssl: yes": how a .NET app logs its EnableSsl flag (STARTTLS on 587). */
const DOTNET_SSL_FLAG = /(?<![\w./-])(?:use_?|enable_?)?ssl["']?\s*(?:=>|[:=])\s*["']?(?:true|yes)\b/gu;

export const CLIENT_RULES: readonly Rule[] = [
  {
    id: "client-auth-not-advertised",
    source: "CPython smtplib.py, Go net/smtp, Jakarta Mail SMTPTransport, MailKit SmtpClient, PHPMailer SMTP.php",
    kind: "client",
    evidence: phrases(AUTH_NOT_ADVERTISED),
    weights: { starttls_required: 4.2, auth_mechanism_unsupported: 1.2, unknown: -3 },
    why: "The client found no AUTH in the server's EHLO reply: Exchange Online offers AUTH only after STARTTLS, so the client never started TLS (or spoke to the direct-send endpoint)",
    question: "Does your log show STARTTLS before AUTH? (Python: call starttls() and ehlo() before login())",
  },
  {
    id: "client-mechanism-mismatch",
    source: "MailKit SmtpClient.Authenticate (NotSupportedException), postfix smtp_sasl_glue.c, go-mail",
    kind: "client",
    // Also PHPMailer's debug pair "Auth method requested: CRAM-MD5" / "Auth methods available on the
    // server: LOGIN,XOAUTH2" with the requested one missing from the list.
    evidence: (ev) => Math.max(phrases(MECHANISM_MISMATCH)(ev), requestedNotOffered(ev.ex.normalized) ? 1 : 0),
    weights: { auth_mechanism_unsupported: 4.4, starttls_required: 0.6, transient: -2, unknown: -3 },
    why: "The server offered AUTH, but none of its mechanisms is one the client will use: Exchange Online offers only LOGIN and XOAUTH2 (on-premises Exchange often only NTLM)",
    question: "Which AUTH mechanisms does the EHLO reply after STARTTLS list, and which one is the client set to use?",
  },
  {
    id: "client-configured-mechanism",
    source:
      "Jakarta/Angus Mail SMTPTransport.authenticate(): mail.smtp.auth.mechanisms limits the mechanisms tried, and with none the server offers it fails with 'No authentication mechanisms supported by both server and client'; mail.smtp.auth.login.disable; Exchange Online offers LOGIN and XOAUTH2 only",
    kind: "client",
    // The client is configured for mechanisms Exchange Online does not offer (NTLM carried over from
    // on-premises Exchange, CRAM-MD5, DIGEST-MD5, PLAIN only), and the login failed. Outweighs the
    // "AUTH not advertised" reading of the same Jakarta message, which the configuration explains.
    evidence: (ev) => {
      // Also retold in another language ("mail.smtp.auth.mechanisms értéke "NTLM"").
      const configured =
        /mail\.smtps?\.auth\.mechanisms\b["']?(?:\s*[=:,]|[^\n=:"']{0,20}["'])\s*["']?([a-z][a-z0-9 ,_-]*)/u.exec(
          ev.words,
        )?.[1];
      const restricted =
        (configured !== undefined && !/\b(?:login|xoauth2)\b/u.test(configured)) ||
        /mail\.smtps?\.auth\.login\.disable\s*[=:]\s*["']?true/u.test(ev.words) ||
        // msmtp's "auth plain" (or cram-md5, ntlm …) line: msmtprc takes the method after the keyword.
        /^[ \t]*auth[ \t]+(?:plain|cram-md5|digest-md5|ntlm|scram-sha-\S+|gssapi)[ \t]*$/mu.test(
          ev.ex.normalized.toLowerCase(),
        ) ||
        // curl's --login-options 'AUTH=PLAIN' (its SASL mechanism, curl(1)).
        /--login-options\s+['"]?auth=(?!login\b|xoauth2\b)[\w-]+/u.test(ev.words) ||
        // Jakarta's debug line of the mechanisms it will try, none of them LOGIN or XOAUTH2.
        /attempt to authenticate using mechanisms:[ \t]*(?![^\n]*\b(?:login|xoauth2)\b)[a-z]/u.test(ev.words) ||
        // A device or application set to NTLM, CRAM-MD5 or DIGEST-MD5 ("Authentication Method = NTLM").
        /(?:auth(?:entication)?[ _-]?(?:method|type|mechanism)s?|smtp[ _-]auth(?:entication)?)\s*["']?\s*(?:[:=]|(?:was |is )?(?:set to|still))\s*["']?(?:ntlm|cram[-_]md5|digest[-_]md5)\b|(?:认证方式|認証方式|인증 방식|metoda uwierzytelniania|authentifizierungsmethode|méthode d'authentification|método de autenticación|метод аутентификации|metodo di autenticazione|authenticatiemethode)[^。\n]{0,10}(?:ntlm|cram-?md5|digest-?md5)/u.test(
          ev.words,
        ) ||
        // A settings line whose key names authentication and whose value names the mechanism
        // ("Email Send Authentication: SMTP AUTH (CRAM-MD5)", "SMTP Server Authentication: NTLM").
        /^[^\n:=]{0,40}auth[^\n:=]{0,45}[:=][^\n]{0,30}?\b(?:ntlm|cram[-_]?md5|digest[-_]?md5)\b/imu.test(
          ev.ex.normalized,
        ) ||
        /\bauth(?:entication)? type\b(?:[^.\n]|\.\b){0,30}["'“]?(?:ntlm|cram[-_]?md5|digest[-_]?md5)\b/u.test(
          ev.words,
        ) ||
        // Ricoh "SMTP Auth. Encryption: On" and Thunderbird "Encrypted password" ask for a challenge-response mechanism.
        /\bsmtp auth(?:entication)?\.? encryption\s*[:=]\s*(?:on|required|auto)\b|\bauthentication method\s*[:=]?\s*["“]?encrypted password\b|\bdoes not seem to support encrypted passwords\b|smtp認証の暗号化\s*[:：]?\s*(?:暗号化する|自動|する)/u.test(
          ev.words,
        );
      if (!restricted) return 0;
      return phrases([...AUTH_NOT_ADVERTISED, ...MECHANISM_MISMATCH, ...AUTH_FAILED_GENERIC])(ev) > 0 ||
        ev.enhanced.includes("5.7.4") ||
        ev.basic.includes(504) ||
        ev.basic.includes(535) ||
        /authenticationfailedexception|\bdenied\b|\brefused\b/u.test(ev.words) ||
        ANY_FAILURE.test(ev.words)
        ? 1
        : 0;
    },
    weights: { auth_mechanism_unsupported: 6, starttls_required: -2, unknown: -3 },
    why: "The client is configured to use only mechanisms Exchange Online does not offer (it offers LOGIN and XOAUTH2): mail.smtp.auth.mechanisms, or LOGIN disabled",
  },
  {
    id: "client-cyrus-sasl-no-login",
    source:
      "postfix smtp_sasl_glue.c with Cyrus SASL: the LOGIN mechanism is a separate plugin (cyrus-sasl-login, libsasl2-modules); without it the client finds no mechanism in 'AUTH LOGIN XOAUTH2' (Mailu #2375, fixed by adding cyrus-sasl-login)",
    kind: "client",
    // Postfix starts its SASL client against a server offering AUTH LOGIN, and no AUTH refusal follows:
    // the client never found a mechanism it has.
    evidence: (ev) =>
      /starting new sasl client|smtp_sasl_|cyrus[- ]sasl|libsasl2/u.test(ev.words) &&
      /\b250[- ]auth\b[^\n]{0,40}\blogin\b/u.test(ev.words) &&
      !ev.basic.some((c) => c === 535 || c === 534 || c === 530 || c === 504)
        ? 1
        : 0,
    weights: { auth_mechanism_unsupported: 2.5, unknown: -2 },
    why: "Postfix's Cyrus SASL client met a server offering only LOGIN and XOAUTH2: without the LOGIN plugin (cyrus-sasl-login / libsasl2-modules) it has no mechanism to use",
  },
  {
    id: "client-implicit-tls-scheme-on-587",
    source:
      "PHP stream wrappers: 'ssl://host:port' and 'tls://host:port' open TLS at connect (implicit TLS), which smtp.office365.com:587 does not speak before STARTTLS (osTicket #3726: fsockopen(ssl://smtp.office365.com:587) fails, fixed by the plain host on 587; batch 22)",
    kind: "client",
    // "tls://" is STARTTLS in PHPMailer's Host setting ("tls://smtp.office365.com:587" is right there), and
    // implicit TLS only where a socket function opened it (YetiForce #2924: that Host worked in vtiger).
    evidence: (ev) =>
      /\b(?:ssl|smtps):\/\/[a-z0-9.-]+:587\b/u.test(ev.words) ||
      /\b(?:fsockopen|stream_socket_client|failed to connect to|could not be established with host)\W+tls:\/\/[a-z0-9.-]+:587\b/u.test(
        ev.words,
      )
        ? 1
        : 0,
    weights: { starttls_required: 3.5, transient: -1.5, unknown: -2 },
    why: "The client opens TLS at connect (ssl:// or smtps://, or a socket's tls://) on 587, where the server expects plain text and STARTTLS",
  },
  {
    id: "client-implicit-tls-config-on-587",
    source:
      "each library's option for TLS at connect: nodemailer `secure: true`, Django EMAIL_USE_SSL, Jakarta Mail mail.smtp.ssl.enable / protocol smtps, PHPMailer SMTPSecure 'ssl' (ENCRYPTION_SMTPS), Laravel MAIL_ENCRYPTION=ssl, Python smtplib.SMTP_SSL, MailKit SecureSocketOptions.SslOnConnect, Ruby/Elixir `ssl: true`, Go tls.Dial, Rust lettre SmtpTransport::relay (TLS wrapper; starttls_relay is STARTTLS); smtp.office365.com:587 speaks plain text until STARTTLS (bamboo_smtp #138: `ssl: true` on 587 gave a TLS alert, fixed by ssl false)",
    kind: "client",
    // The pasted code or configuration opens TLS at connect, on 587 (and 465 is not named). Not .NET's
    // EnableSsl (STARTTLS on 587), nor EMAIL_USE_TLS / MAIL_USE_TLS (STARTTLS). A server reply to AUTH or
    // MAIL means the session did get past TLS, so the setting is not what failed.
    evidence: (ev) =>
      /\b587\b/u.test(ev.words) &&
      !/\b465\b/u.test(ev.words) &&
      IMPLICIT_TLS_SETTING.test(ev.words) &&
      // A bare "ssl=True" logged beside System.Net.Mail is its EnableSsl, which is STARTTLS.
      !(
        /\bsystem\.net\.mail\b/u.test(ev.words) && !IMPLICIT_TLS_SETTING.test(ev.words.replace(DOTNET_SSL_FLAG, " "))
      ) &&
      !ev.basic.some((c) => c === 535 || c === 534 || c === 530 || c === 504 || c === 550 || c === 554)
        ? 1
        : 0,
    weights: { starttls_required: 2.8, tls_version: 0.3, transient: -1, unknown: -1.5 },
    why: "The client is configured to start TLS at connect (implicit TLS) on port 587, where smtp.office365.com answers in plain text and expects STARTTLS",
    question: "Is the client set to SSL/TLS on connect (or secure=true)? Port 587 needs STARTTLS instead.",
  },
  {
    id: "client-javamail-default-no-starttls",
    source:
      "Jakarta Mail: mail.smtp.starttls.enable defaults to false; Apache Commons Email: setStartTLSEnabled defaults to false and wraps every failure as 'Sending the email to the following server failed : host:port'; smtp.office365.com:587 offers AUTH only after STARTTLS (sismics/docs #353, fixed by STARTTLS on 587)",
    kind: "client",
    // A Java mail client failing on 587 with no server reply in the paste and TLS never mentioned: its
    // default is no STARTTLS. A reply code, or TLS/SSL named anywhere ("Could not convert socket to TLS"
    // is its STARTTLS failing; "Use TLS" ticked), leaves it to other rules.
    evidence: (ev) =>
      (ev.ex.client === "javamail" ||
        /org\.apache\.commons\.mail|sending the email to the following server failed/u.test(ev.words)) &&
      /\b587\b/u.test(ev.words) &&
      !/start ?tls|\btls\b|\bssl\b/u.test(ev.words) &&
      ev.basic.length === 0 &&
      ev.enhanced.length === 0
        ? 1
        : 0,
    weights: { starttls_required: 2.0, unknown: -1.5 },
    why: "A Java mail client (Jakarta Mail, Commons Email) does not start TLS unless told to (mail.smtp.starttls.enable / setStartTLSEnabled), and smtp.office365.com:587 needs STARTTLS",
    question: "Is STARTTLS enabled in the client (mail.smtp.starttls.enable=true, or setStartTLSEnabled(true))?",
  },
  {
    id: "client-xoauth2-with-password",
    source:
      "A client that picks the strongest mechanism the server offers logs in with AUTH XOAUTH2 although it was given a password (vert-x3/vertx-mail-client #115: 'AUTH XOAUTH2 failed 535 5.7.3' from 3.8 on, with setUsername/setPassword; the maintainer: 'Outlook announces that it understands xoauth but the credentials you have are not in that format', fixed by allowing LOGIN only; batch 38)",
    kind: "client",
    // XOAUTH2 in the paste, a password configured, and nothing of a token: no token, client id or secret, scope,
    // tenant or app registration, so the "token" the client sent was the password.
    evidence: (ev) =>
      ev.ex.oauth &&
      // The client sent XOAUTH2 (not the server listing it among its mechanisms).
      /\bauth xoauth2\b|\bxoauth2 (?:auth\w* )?failed\b|\b(?:mechanism|using|selected|chose|picked) xoauth2\b/u.test(
        ev.words.replace(/\b250[ -]auth\b[^\n]*/gu, " "),
      ) &&
      /\bset_?password\s*\(|\b(?:smtp_|mail_|auth_|email_)?pass(?:word|wd)?\s*[:=]|\b(?:app|my|the|a|user(?:name)? and|user(?:name)?\/) password\b/u.test(
        ev.words,
      ) &&
      !/\btokens?\b|\bbearer\b|client[_ ]?(?:id|secret)|\bscopes?\b|tenant[_ ]?id|\bmsal\b|access_token|refresh|\bapp(?:lication)? registration|\bentra (?:app|id app)|\bazure ad app|sendasapp|\/\.default\b|\boauth2?[ _-]?(?:app|flow|config\w*|provider|settings?|setup|credentials?)\b|\bmodern auth/u.test(
        ev.words,
      )
        ? 1
        : 0,
    weights: {
      auth_mechanism_unsupported: 4.5,
      oauth_misconfigured_app_or_sp: -4,
      wrong_credentials: 0.5,
      unknown: -1,
    },
    why: "The client logged in with AUTH XOAUTH2 but was given a password, not a token: it chose XOAUTH2 because Exchange offers it. Limit it to AUTH LOGIN (or give it an OAuth token)",
    question: "Does the client hold an OAuth token, or a password it sent with AUTH XOAUTH2?",
  },
  {
    id: "client-graph-token-for-smtp",
    source:
      "Microsoft 'Authenticate an IMAP, POP or SMTP connection using OAuth': the token for SMTP AUTH must be for Exchange Online (https://outlook.office365.com/.default, or SMTP.Send for delegated access); a Microsoft Graph token (https://graph.microsoft.com/.default, Graph's Mail.Send) is refused",
    kind: "client",
    // The code or the reporter names a Graph scope or Graph's Mail.Send for an OAuth SMTP login, and no
    // Exchange scope beside it.
    evidence: (ev) =>
      /graph\.microsoft\.com\/(?:\.default|mail\.send)\b|"?aud"?\s*[:=]\s*"?(?:https:\/\/graph\.microsoft\.com|00000003-0000-0000-c000-000000000000)\b|\bscopes?\b[^\n]{0,40}graph\.microsoft\.com|\bmail\.send\b(?![ .]?as)(?:[^.\n]|\.\b){0,30}\b(?:on|in|for|from) (?:microsoft )?graph\b|\bgraph(?: api)?\b(?:[^.\n]|\.\b){0,30}\bmail\.send\b(?![ .]?as)/u.test(
        ev.words,
      ) &&
      // A decoded token ("aud": …, jwt.ms) is one.
      (ev.ex.oauth || /\b(?:x?oauth2?|token|jwt)\b|"aud"\s*:/u.test(ev.words)) &&
      // SMTP named, or its refusal of the token (smtplib's "(535, b'5.7.3 …')" names no "SMTP").
      /\bsmtp(?:lib)?\b|\b535\b|\b5\.7\.3\b/u.test(ev.words) &&
      !/outlook\.office(?:365)?\.com\/(?:\.default|smtp\.send)|\bsmtp\.send(?:asapp)?\b/u.test(ev.words)
        ? 1
        : 0,
    weights: { oauth_misconfigured_app_or_sp: 3, wrong_credentials: -0.5, unknown: -2 },
    why: "The token is for Microsoft Graph (graph.microsoft.com scope or Graph's Mail.Send), not for Exchange Online's SMTP (https://outlook.office365.com/.default with SMTP.SendAsApp)",
  },
  {
    id: "client-needs-starttls",
    source: "Go net/smtp auth.go (PlainAuth), Jakarta Mail SMTPTransport, .NET System.Net.Mail SR strings",
    kind: "client",
    evidence: phrases(NEEDS_STARTTLS),
    weights: { starttls_required: 4.5, unknown: -3 },
    why: "The client would not send credentials on an unencrypted session: STARTTLS was not used",
  },
  {
    id: "client-implicit-tls-mismatch",
    source: "OpenSSL ssl_err.c reason strings, Go crypto/tls, Java JSSE, MailKit SslHandshakeException, .NET SslStream",
    kind: "client",
    evidence: (ev) =>
      Math.max(
        phrases(IMPLICIT_TLS_MISMATCH, 16)(ev),
        ev.ex.tlsError === "wrong-version-number" || ev.ex.tlsError === "not-tls-handshake" ? 1 : 0,
      ) * (reachedSubmission(ev) ? 0.25 : 1),
    weights: { starttls_required: 4.6, tls_version: 0.8, transient: -2, unknown: -3 },
    why: "TLS was started at connect (implicit TLS / secure=true / SSL) but port 587 answers in plain text and expects STARTTLS",
    question: "Is the client set to SSL/TLS on connect (or secure=true)? Port 587 needs STARTTLS instead.",
  },
  {
    id: "client-tls-too-old",
    source: "Schannel SEC_E_ALGORITHM_MISMATCH, OpenSSL alert strings, Java JSSE, Go crypto/tls",
    kind: "client",
    evidence: (ev) => Math.max(phrases(TLS_TOO_OLD, 16)(ev), ev.ex.tlsError === "no-common-algorithm" ? 1 : 0),
    weights: { tls_version: 5, starttls_required: 0.5, transient: -2, unknown: -3 },
    why: "The TLS handshake found no common protocol or cipher: the client offers only TLS 1.0/1.1 or old ciphers",
  },
  {
    id: "client-handshake-generic",
    source: "MailKit SslHandshakeException, Jakarta Mail startTLS(), nodemailer ETLS",
    kind: "client",
    evidence: handshakeFailed,
    weights: { starttls_required: 2.6, tls_version: 2.0, transient: -1.5, unknown: -3 },
    why: "The TLS handshake failed: most often implicit TLS against the STARTTLS port, else an old TLS version or an intercepting proxy",
    question: "Is the client set to STARTTLS on port 587 (not SSL/TLS on connect), with TLS 1.2 enabled?",
  },
  {
    id: "client-certificate-untrusted",
    source:
      "each TLS stack's certificate-validation failure: IBM i GSKit SSL_ERROR_NOT_TRUSTED_ROOT (BVSTools forum #392: Office 365's new issuing CAs were missing from the *SYSTEM store), OpenSSL/Python 'certificate verify failed: unable to get local issuer certificate', Java 'PKIX path building failed', .NET 'The remote certificate is invalid according to the validation procedure' / RemoteCertificateChainErrors, Go 'x509: certificate signed by unknown authority', Node UNABLE_TO_GET_ISSUER_CERT_LOCALLY / 'unable to verify the first certificate', NSS SEC_ERROR_UNKNOWN_ISSUER, Android 'Trust anchor for certification path not found', rustls UnknownIssuer; Broadcom KB 172276 (a gateway without Office 365's new root CA)",
    kind: "client",
    // The handshake reached the server's certificate and the client's trust store refused its chain: an
    // old device or OS without Microsoft's current roots (DigiCert Global Root G2), or a proxy that
    // re-signs TLS. Not the STARTTLS order: the session got as far as TLS.
    evidence: phrases(CERTIFICATE_UNTRUSTED, 14),
    weights: { tls_version: 3.2, starttls_required: -1, transient: -1, unknown: -3 },
    why: "The client does not trust the certificate chain smtp.office365.com presents: an outdated root store (old firmware or OS) or a TLS-inspecting proxy",
    question:
      "Does the device or OS have current root certificates (DigiCert Global Root G2), and does a firewall or antivirus inspect TLS on port 587?",
  },
  {
    id: "client-needs-webmail-signin",
    source:
      "MailCore2 MCOErrorNeedsConnectToWebmail ('Hotmail: Needs to connect to webmail') and ErrorOutlookLoginViaWebBrowser, as Mailspring words them ('The server said you must sign in via your webmail'); mailcore2 #1060, fixed by verifying the account (a phone number) in Outlook.com",
    kind: "client",
    // Outlook.com holds the account until its owner signs in on the web and verifies it.
    evidence: phrases(WEBMAIL_SIGNIN, 16),
    weights: { sender_restricted: 2.8, account_locked: 1.2, unknown: -2 },
    why: "The server wants the account's owner to sign in on the web first: Outlook.com holds a new or flagged account until it is verified",
  },
  {
    id: "client-handshake-after-working",
    source:
      "Microsoft 'Exchange Online TLS 1.0 and 1.1 deprecation' and the RSA key-exchange cipher suites dropped from smtp.office365.com (February 2025: Ricoh MP controllers' 'SSL negotiation failed', borncity.com): a device whose settings did not change breaks when the server drops what its TLS stack offers",
    kind: "client",
    // A handshake failure on a sender that used to work, suddenly or with nothing changed: implicit TLS on
    // 587 is a setting, wrong from the first day; an old TLS stack breaks the day the server moves on.
    evidence: (ev) => (handshakeFailed(ev) > 0 && WORKED_BEFORE.test(ev.statements) ? 1 : 0),
    weights: { tls_version: 2.4, starttls_required: -1.0 },
    why: "The TLS handshake fails on a sender that used to work: the server moved on (TLS 1.2 only, newer cipher suites) and the client's TLS stack did not",
    question:
      "Did the client's settings change, or did it stop working on its own? (On its own: update its TLS 1.2 support or firmware.)",
  },
  {
    id: "client-dotnet-handshake-closed",
    source:
      ".NET System.Net.Mail uses STARTTLS on 587 (EnableSsl), so a handshake the server closes is an old TLS version (SslProtocols / SCHANNEL without TLS 1.2)",
    kind: "client",
    evidence: (ev) =>
      ev.ex.client === "dotnet" && !/mailkit/iu.test(ev.words)
        ? phrases(
            [
              "remote party has closed the transport stream",
              "do not possess a common algorithm",
              ...DOTNET_TRANSPORT_CLOSED_LOCAL,
            ],
            16,
          )(ev)
        : 0,
    weights: { tls_version: 1.8, starttls_required: -1 },
    why: "System.Net.Mail already uses STARTTLS on 587: the server closed the handshake because the client offered only TLS 1.0/1.1",
  },
  {
    id: "client-no-greeting",
    source: "nodemailer lib/smtp-connection ('Greeting never received')",
    kind: "client",
    evidence: phrases(NO_GREETING, 14),
    weights: { starttls_required: 2.6, transient: 2.0, unknown: -3 },
    why: "Connected, but the server's greeting never came: a plain-text client on the implicit-TLS port (secure:false on 465), or a proxy in the way",
    question:
      "Which port and TLS setting does the client use? (smtp.office365.com needs 587 with STARTTLS: secure:false, requireTLS:true)",
  },
  {
    id: "client-cannot-connect",
    source:
      "nodemailer smtp-connection, PHPMailer phpmailer.lang-en.php, Jakarta Mail, .NET, Outlook 0x800CCC0E/0x80042109, device firmware",
    kind: "client",
    // extract() files "Greeting never received" as a timeout; client-no-greeting reads it instead.
    // "Unauthorized password or connection refused" (an application's either/or message, SuiteCRM
    // #9789) names a refused login as much as a refused connection: with no socket error code in the
    // paste, a credential refusal beside it leaves the connection words little weight.
    evidence: (ev) => {
      const loginRefused =
        ev.ex.networkError === null &&
        /unauthori[sz]ed (?:password|login|user)|invalid (?:login|password|credentials)|(?:password|credentials) (?:rejected|incorrect|not accepted)|authentication (?:failed|unsuccessful)/u.test(
          ev.words,
        );
      return Math.max(
        phrases(CANNOT_CONNECT, 12)(ev) * (loginRefused ? 0.25 : 1),
        phrases(CANNOT_CONNECT_LOCAL, 8)(ev) * 0.5,
        phrases(CANNOT_CONNECT_ANY_FAILURE, 12)(ev) * 0.5,
        ev.ex.networkError !== null && phrases(NO_GREETING, 14)(ev) === 0 ? 1 : 0,
      );
    },
    weights: { transient: 3.0, unknown: -3 },
    why: "No SMTP conversation: the connection to the server timed out or was refused — a firewall or hosting provider blocks outbound port 587, or a temporary outage",
    question: "Does Test-NetConnection smtp.office365.com -Port 587 succeed from the sending host?",
  },
  {
    id: "client-wrong-port",
    source:
      "Microsoft 'How to set up a multifunction device or application to send email' (smtp.office365.com:587 with STARTTLS; 25 only for relay and direct send)",
    kind: "client",
    // No conversation on a port other than 587 or 25 (465, 443, 993 …): the port and TLS mode are wrong.
    evidence: (ev) => {
      const p = port(ev);
      if (p === null || p === 587 || p === 25) return 0;
      // Another attempt's port when a session on the right one got as far as submission.
      if (reachedSubmission(ev)) return 0;
      return phrases(
        [
          ...CANNOT_CONNECT,
          ...CANNOT_CONNECT_ANY_FAILURE,
          ...CANNOT_CONNECT_LOCAL,
          ...NO_GREETING,
          ...SEND_FAILED_TO_HOST,
        ],
        12,
      )(ev) > 0 ||
        ev.ex.networkError !== null ||
        phrases(IMPLICIT_TLS_MISMATCH, 16)(ev) > 0 ||
        // smtp.office365.com set to 465 and any failure, in any language: that port never answers it.
        (p === 465 && /smtp\.office365\.com/u.test(ev.words) && ANY_FAILURE.test(ev.words))
        ? 1
        : 0;
    },
    weights: { starttls_required: 4.5, transient: -1.5 },
    why: "That port is not the submission port of smtp.office365.com: use 587 with STARTTLS (465 implicit TLS and 443 HTTPS do not answer SMTP)",
  },
  {
    id: "client-cannot-connect-25",
    source:
      "Microsoft 'How to set up a multifunction device …' (port 25 is direct send / relay, often blocked by ISPs)",
    kind: "client",
    evidence: (ev) => (port(ev) === 25 && phrases(CANNOT_CONNECT, 12)(ev) > 0 ? 1 : 0),
    weights: { transient: 1.0 },
    why: "Port 25 is often blocked outbound by ISPs and clouds; authenticated submission uses 587",
  },
  {
    id: "client-connection-dropped",
    source: ".NET System.Net.Mail SR.net_io_connectionclosed, CPython smtplib SMTPServerDisconnected, nodemailer",
    kind: "client",
    evidence: phrases(CONNECTION_DROPPED, 14),
    weights: { starttls_required: 1.6, transient: 1.4, tls_version: 1.2, unknown: -2 },
    why: "The server closed the connection mid-conversation: often a TLS mismatch (implicit TLS, old TLS), sometimes a limit",
    question: "Does the client use STARTTLS on 587 with TLS 1.2, and does it fail on every attempt or only some?",
  },
  {
    id: "client-missing-credentials",
    source:
      "nodemailer lib/smtp-connection: 'Missing credentials for \"LOGIN\"' (EAUTH, command API) when auth.user or auth.pass is empty",
    kind: "client",
    // Also Apache Camel mail: "failed to connect, no password specified?"; Ruby net-smtp: "SMTP-AUTH requested but
    // missing secret phrase"; msmtp: "authentication method %s needs a password".
    evidence: phrases(
      ["missing credentials for", "no password specified", "missing secret phrase", "needs a password"],
      16,
    ),
    weights: { wrong_credentials: 3.5, unknown: -3 },
    why: "The client had no user name or password to send (an unset environment variable, a wrong key in the config): set the credentials it reads",
  },
  {
    id: "client-auth-failed-generic",
    source:
      "PHPMailer 'SMTP Error: Could not authenticate.', nodemailer EAUTH 'Invalid login', device firmware and its error codes",
    kind: "client",
    // Next to a server reply with its own code, the client's sentence adds little.
    // Also a device's sentence with words between ("Authentication of SMTP server failed", "Authentication
    // with the mail server has failed").
    evidence: (ev) =>
      Math.max(
        phrases(AUTH_FAILED_GENERIC, 12)(ev),
        DEVICE_AUTH_FAILED_CODE.test(ev.words) ? 1 : 0,
        /\bauthentication (?:(?:of|with|to|on|at|for) (?:the )?)?(?:smtp |mail |e-?mail |outgoing )*(?:server )?(?:has |was |have )?failed\b/u.test(
          ev.words,
        )
          ? 1
          : 0,
      ) * (ev.ex.replies.length > 0 ? 0.3 : 1),
    weights: {
      wrong_credentials: 1.6,
      security_defaults_enabled: 0.5,
      smtp_auth_disabled_mailbox: 0.5,
      per_user_mfa: 0.4,
      smtp_auth_disabled_tenant: 0.3,
      unknown: -2,
    },
    why: "The client reports a failed login without the server's reason",
    question:
      "Does the same user name and password sign in to Outlook on the web? (If yes, is MFA or Security Defaults on for it?)",
  },
  {
    id: "config-no-login",
    source:
      "Python smtplib: send_message() without login() sends MAIL FROM unauthenticated; .NET SmtpClient: UseDefaultCredentials = true replaces Credentials with the Windows account's (NTLM/Negotiate), which Exchange Online does not offer, so no AUTH is sent; Microsoft: 530 5.7.57 for MAIL FROM before AUTH",
    kind: "client",
    // The pasted code never logs in: the login call commented out, or .NET told to use the Windows credentials.
    evidence: (ev) =>
      /(?:\/\/|#|--)\s*(?:await\s+)?[\w.$>-]*\.(?:login|authenticate)\s*\(|\busedefaultcredentials\s*=\s*true\b/u.test(
        ev.words,
      )
        ? 1
        : 0,
    weights: { not_authenticated_anonymous_send: 3.0, wrong_credentials: -1, unknown: -2 },
    why: "The pasted code never logs in (the login call commented out, or .NET's UseDefaultCredentials = true, which sends no AUTH Exchange Online accepts): MAIL FROM comes unauthenticated",
  },
  {
    id: "config-starttls-off",
    source:
      "PHPMailer: SMTPSecure takes '', 'ssl' or 'tls' (PHPMailer::ENCRYPTION_STARTTLS = 'tls'), any other value starts no TLS (SuiteCRM #2829: 'tsl' was the reason); enough_mail: connectToServer() then startTls() before login (enough_mail #106, the call commented out); PHP streams: 'Unable to find the socket transport \"%s\"' when the library's encryption value is no stream transport (SwiftMailer StreamBuffer builds `<encryption>://host`, its STARTTLS value is 'tls'; SSRPanel #1020 set 'starttls'); Exchange Online offers AUTH only after STARTTLS",
    kind: "client",
    // The pasted client configuration itself turns STARTTLS off: a STARTTLS call commented out, or
    // PHPMailer's SMTPSecure set to a value it does not know (a typo such as 'tsl'). Not `secure:
    // false` (nodemailer and MailKit upgrade on 587 by themselves) and not an empty SMTPSecure
    // (PHPMailer's SMTPAutoTLS upgrades when the server offers STARTTLS).
    evidence: (ev) => {
      // ev.words joins lines, so the comment marker must stand right before the call.
      if (/(?:\/\/|#|--)\s*(?:await\s+)?[\w.$>-]*\bstart_?tls\s*\(/u.test(ev.words)) return 1;
      // Or said in a comment: "# we removed server.starttls() because it hung" (blind set 28).
      if (
        /\b(?:removed|dropped|deleted|took out|commented out)\s+(?:the\s+)?`?[\w.$>-]*\bstart_?tls\s*\(\)/u.test(
          ev.words,
        )
      )
        return 1;
      // PHP's stream layer cannot open the transport the library built from its encryption setting
      // (SwiftMailer passes `encryption` as the stream transport; its STARTTLS value is 'tls', so
      // 'starttls' names no transport; 'ssl'/'tls' missing means a PHP built without OpenSSL).
      if (/unable to find the socket transport\s*\\?["'](?:starttls|tls|ssl)/u.test(ev.words)) return 1;
      // Jakarta Mail's switch set false, or said to be missing from the properties ("no mail.smtp.starttls.enable line").
      if (
        /mail\.smtps?\.starttls\.enable\s*[=:]\s*["']?false\b|\b(?:no|missing|without|lost|dropped|removed)\b(?:[^.\n]|\.\b){0,20}\bmail\.smtps?\.starttls\.enable\b/u.test(
          ev.words,
        )
      )
        return 1;
      const secure = /smtpsecure\s*=\s*["']([^"'\n]*)["']/u.exec(ev.words);
      return secure !== null && !["", "tls", "ssl"].includes(secure[1]!.trim()) ? 1 : 0;
    },
    weights: { starttls_required: 3.2, wrong_credentials: -0.8, unknown: -3 },
    why: "The client configuration you pasted never starts TLS (STARTTLS call commented out, or an encryption value the library does not know): on 587 Exchange offers AUTH only after STARTTLS",
    question:
      "Does the client issue STARTTLS on 587 before it logs in? (PHPMailer SMTPSecure = 'tls'; call startTls() before login)",
  },
  {
    id: "transcript-auth-before-starttls",
    source: "RFC 3207; Exchange Online advertises AUTH only after STARTTLS (the EHLO reply before TLS lists no AUTH)",
    kind: "transcript",
    evidence: (ev) => {
      const o = ev.order;
      // Only a transcript that shows the capability exchange can show STARTTLS missing.
      if (o.auth < 0 || o.ehlo < 0 || o.ehlo > o.auth || port(ev) === 465 || ev.ex.tlsStarted) return 0;
      return o.starttls < 0 || o.starttls > o.auth ? 1 : 0;
    },
    weights: { starttls_required: 3.2, auth_mechanism_unsupported: -1, not_authenticated_anonymous_send: -0.5 },
    why: "The transcript shows AUTH sent with no STARTTLS before it: the session was still plain text",
  },
  {
    id: "transcript-auth-not-offered",
    source: "Exchange Online's pre-TLS EHLO reply: 250-STARTTLS and no 250-AUTH",
    kind: "transcript",
    evidence: (ev) => (ev.ex.authNotOffered ? 1 : 0),
    weights: { starttls_required: 3.0, auth_mechanism_unsupported: -0.5 },
    why: "The EHLO reply the client answered lists STARTTLS but no AUTH: TLS was never started",
  },
  {
    id: "transcript-starttls-done",
    source: "a transcript with STARTTLS → 220 before AUTH",
    kind: "transcript",
    evidence: (ev) => (ev.ex.tlsStarted && ev.order.auth >= 0 ? 1 : 0),
    weights: { starttls_required: -2, tls_version: -1 },
    why: "STARTTLS succeeded before AUTH, so TLS is not the problem",
  },
  {
    id: "transcript-auth-before-ehlo",
    source: "RFC 4954 §4 (AUTH is only valid after EHLO); PHPMailer 'Authentication is not allowed before HELO/EHLO'",
    kind: "transcript",
    evidence: (ev) => (ev.order.auth >= 0 && ev.order.ehlo > ev.order.auth && ev.order.starttls < 0 ? 0.6 : 0),
    weights: { starttls_required: 1.0, auth_mechanism_unsupported: 0.6 },
    why: "AUTH came before EHLO: the client skipped the capability exchange",
  },
];
