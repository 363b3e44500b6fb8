/**
 * Composition root of the sandbox's SMTP submission endpoint (smtp.office365.com:587 stand-in).
 *
 * Pipeline, in order:
 * 1. connection and greeting — ExchangeConnection (wire texts, server-id suffix);
 * 2. STARTTLS — required before AUTH; a TLS 1.0/1.1 session is answered 421 4.7.66 and closed;
 * 3. AUTH LOGIN / XOAUTH2 — the bearer token is checked by `verifyBearerToken`, then every outcome
 *    comes from m365/gates.ts evaluated on `getTenant()` at that moment;
 * 4. MAIL FROM / RCPT TO — 530 5.7.57 without a successful AUTH (echoing a failed one);
 * 5. DATA — the envelope sender is checked against the identity (554 5.2.0 SendAsDenied), then
 *    the message is recorded and handed to `onMessage`.
 * Nothing else registers handlers.
 */
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { randomUUID } from "node:crypto";
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from "smtp-server";
import { evaluateGates } from "../../m365/gates.ts";
import { SmtpReplies, type SmtpReply } from "../../m365/smtp-replies.ts";
import { checkSender, factsFromTenant } from "./facts.ts";
import type { TenantState } from "../model.ts";
import {
  AUTH_REQUIRED_MARKER,
  BANNER_HOST,
  ExchangeConnection,
  MAILBOX_HOST,
  MAX_MESSAGE_SIZE,
  connectionOf,
  registerContext,
  type AuthIdentity,
} from "./connection.ts";

/** Claims of a bearer token the token service issued, as `verifyBearerToken` returns them. */
export interface BearerClaims {
  appId: string;
  tenantId: string;
  audience: string;
  roles: string[];
  /** The token's `oid`: the app's service principal (enterprise application) object id. */
  objectId?: string;
}

/** A message Exchange accepted. */
export interface AcceptedMessage {
  from: string;
  to: string[];
  raw: string;
  authUser: string;
  mechanism: string;
}

export interface SmtpServerOptions {
  /** 0 for an ephemeral port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  tls: { key: string; cert: string };
  /** Read on every AUTH and DATA, so changes to the tenant apply to the next command. */
  getTenant: () => TenantState;
  /** Returns the claims of a valid, unexpired token the sandbox issued, or null. */
  verifyBearerToken: (token: string) => BearerClaims | null;
  onMessage?: (msg: AcceptedMessage) => void;
  /** Clock for greetings and suffixes (tests pin it). */
  now?: () => Date;
  /** Size of the in-memory list of accepted messages (oldest dropped first). Default 1000. */
  keepMessages?: number;
}

export interface SmtpServerHandle {
  port: number;
  /** Accepted messages, oldest first, at most `keepMessages`. */
  messages: AcceptedMessage[];
  close(): Promise<void>;
}

/**
 * Audiences Exchange Online accepts for SMTP: the resource URI the token service puts in `aud`
 * for scope https://outlook.office365.com/.default, its outlook.office.com alias and the
 * Office 365 Exchange Online application id (fact sheet §6: exact form unconfirmed).
 */
export const EXCHANGE_AUDIENCES: readonly string[] = [
  "https://outlook.office365.com",
  "https://outlook.office.com",
  "00000002-0000-0ff1-ce00-000000000000",
];
/** The application permission app-only SMTP needs (fact sheet §6). */
export const SMTP_SEND_AS_APP = "SMTP.SendAsApp";

const LEGACY_TLS = new Set(["TLSv1", "TLSv1.1", "SSLv3"]);

/** Starts the SMTP endpoint and resolves once it listens. `close()` ends open sessions too. */
export function startSmtpServer(opts: SmtpServerOptions): Promise<SmtpServerHandle> {
  const now = opts.now ?? (() => new Date());
  const keep = opts.keepMessages ?? 1000;
  const messages: AcceptedMessage[] = [];
  let sessions = 0;

  class ExchangeSmtpServer extends SMTPServer {
    override connect(
      socket: Parameters<SMTPServer["connect"]>[0],
      socketOptions?: Parameters<SMTPServer["connect"]>[1],
    ): void {
      // Same as smtp-server's connect(), with our connection class.
      const connection = new ExchangeConnection(this, socket, socketOptions);
      this.connections.add(connection);
      connection.on("error", (err: Error) => this._onError(err));
      connection.on("connect", (data: Parameters<SMTPServer["_onClientConnect"]>[0]) => this._onClientConnect(data));
      connection.init();
    }
  }

  const conn = (session: SMTPServerSession): ExchangeConnection => {
    const c = connectionOf(session);
    if (!c) throw new Error("session without an ExchangeConnection");
    return c;
  };

  const server = new ExchangeSmtpServer({
    name: BANNER_HOST,
    heloResponse: "%s Hello %s",
    key: opts.tls.key,
    cert: opts.tls.cert,
    // TLS 1.0/1.1 handshakes are accepted so they can be answered the way Exchange does (421 4.7.66);
    // OpenSSL 3 needs security level 0 for them. TLS 1.2+ clients still negotiate modern suites.
    minVersion: "TLSv1",
    ciphers: "DEFAULT:@SECLEVEL=0",
    authMethods: ["LOGIN", "XOAUTH2"],
    authRequiredMessage: AUTH_REQUIRED_MARKER,
    hideENHANCEDSTATUSCODES: true, // ExchangeConnection writes Exchange's own
    hideDSN: false,
    size: MAX_MESSAGE_SIZE,
    disableReverseLookup: true,
    maxAllowedUnauthenticatedCommands: 20,
    closeTimeout: 1000,
    logger: false,

    // 2. STARTTLS
    onSecure(socket, _session, callback) {
      const protocol = (socket as TLSSocket).getProtocol?.() ?? null;
      if (protocol && LEGACY_TLS.has(protocol)) {
        const r = SmtpReplies.tlsVersionNotSupported;
        // zehm/sendEmail#1 shows the bare [host] suffix on this reply.
        return callback(
          Object.assign(new Error(`${r.enhanced} ${r.text} [${MAILBOX_HOST}]`), { responseCode: r.code }),
        );
      }
      callback();
    },

    // 3. AUTH
    onAuth(auth: SMTPServerAuthentication, session, callback) {
      const c = conn(session);
      const judged = judgeAuth(opts, auth);
      if ("reply" in judged) return callback(Object.assign(new Error(""), c.authFailure(judged.reply)));
      c.identity = judged.identity;
      c.lastAuthFailure = undefined;
      callback(null, { user: judged.identity });
    },

    // 4. MAIL FROM / RCPT TO: smtp-server only calls these once authenticated.
    onMailFrom(_address, _session, callback) {
      callback();
    },
    onRcptTo(_address, _session, callback) {
      callback();
    },

    // 5. DATA
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", (err: Error) => callback(err));
      stream.on("end", () => {
        const c = conn(session);
        const identity = c.identity;
        const mailFrom = session.envelope.mailFrom;
        const from = mailFrom ? mailFrom.address : "";
        if (!identity)
          return callback(Object.assign(new Error("4.3.2 Authentication state lost"), { responseCode: 451 }));
        const denied = checkSender(opts.getTenant(), identity, from);
        if (denied) {
          return callback(
            Object.assign(new Error(`${denied.enhanced} ${denied.text} [Hostname=${MAILBOX_HOST}]`), {
              responseCode: denied.code,
            }),
          );
        }
        if (stream.sizeExceeded) return callback(); // smtp-server answers 552 itself
        const raw = Buffer.concat(chunks).toString("utf8");
        const msg: AcceptedMessage = {
          from,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          authUser: identity.user,
          mechanism: identity.mechanism === "oauth" ? "XOAUTH2" : "LOGIN",
        };
        messages.push(msg);
        if (messages.length > keep) messages.splice(0, messages.length - keep);
        try {
          opts.onMessage?.(msg);
        } catch {
          // The listener's failure is the caller's; Exchange has accepted the message either way.
        }
        // 250 2.0.0 OK <message-id> [Hostname=SYBP282MB2635.AUSP282.PROD.OUTLOOK.COM] (fact sheet §5.1)
        callback(null, `2.0.0 OK ${messageId(raw)} [Hostname=${MAILBOX_HOST}]`);
      });
    },
  });
  registerContext(server, { now, nextSessionNumber: () => ++sessions });

  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      server.on("error", () => {}); // per-connection errors (client resets) are not fatal
      const { port } = server.server.address() as AddressInfo;
      resolve({
        port,
        messages,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}

/**
 * Stage 3, AUTH: the identity an AUTH command authenticates, or Exchange's reply refusing it. The
 * gates (m365/gates.ts) decide, on facts read from the sandbox tenant at this moment.
 */
function judgeAuth(
  opts: SmtpServerOptions,
  auth: SMTPServerAuthentication,
): { identity: AuthIdentity } | { reply: SmtpReply } {
  const tenant = opts.getTenant();
  const user = auth.username ?? "";
  if (auth.method !== "XOAUTH2") {
    const verdict = evaluateGates(factsFromTenant(tenant, user, "basic", { password: auth.password ?? "" }));
    if (verdict.reply) return { reply: verdict.reply };
    if (!verdict.allowed) return { reply: SmtpReplies.authenticationUnsuccessful }; // a fact the tenant cannot answer
    return { identity: { mechanism: "basic", user } };
  }
  const claims = opts.verifyBearerToken(auth.accessToken ?? "");
  if (
    !claims ||
    claims.tenantId.toLowerCase() !== tenant.tenantId.toLowerCase() ||
    !EXCHANGE_AUDIENCES.includes(claims.audience.replace(/\/$/, "")) ||
    !claims.roles.includes(SMTP_SEND_AS_APP)
  ) {
    return { reply: SmtpReplies.authenticationUnsuccessful };
  }
  let facts = factsFromTenant(tenant, user, "oauth", { appId: claims.appId });
  // Registered with another object id (typically the app registration's, not the enterprise
  // application's): Exchange does not recognise the token's principal (fact sheet §6).
  const registered = tenant.exchangeServicePrincipals.find((s) => s.appId.toLowerCase() === claims.appId.toLowerCase());
  if (registered && claims.objectId && registered.objectId.toLowerCase() !== claims.objectId.toLowerCase()) {
    facts = { ...facts, exchangeServicePrincipalRegistered: false, mailboxPermissionGranted: false };
  }
  const verdict = evaluateGates(facts);
  if (verdict.reply) return { reply: verdict.reply };
  if (!verdict.allowed) return { reply: SmtpReplies.authenticationUnsuccessful };
  return { identity: { mechanism: "oauth", user, appId: claims.appId } };
}

/** The message's own Message-ID, or one Exchange-style when it has none. */
function messageId(raw: string): string {
  const header = raw.slice(0, Math.max(0, raw.search(/\r?\n\r?\n/)) || raw.length);
  const m = /^message-id:\s*(<[^>\r\n]+>)/im.exec(header);
  return m?.[1] ?? `<${randomUUID()}@${MAILBOX_HOST.toLowerCase()}>`;
}
