/**
 * The wire layer of the sandbox's SMTP endpoint: an smtp-server connection that speaks like
 * smtp.office365.com:587. smtp-server does the protocol (parsing, SASL, STARTTLS, DATA); this
 * subclass only rewrites what goes on the wire — greeting, EHLO capabilities, reply texts and the
 * diagnostic suffix — so every line a client reads is Exchange Online's.
 *
 * Server identity (documented in the sandbox README's differences section): one fixed front-end
 * name, a session id derived from a per-server counter (`08DE` + 12 hex digits), and the current
 * time (or `now()` given to the server) in suffixes. Exchange's own ids look random; ours are
 * sequential so test logs are stable.
 */
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import type { SMTPServer } from "smtp-server";
import { SMTPConnection, type SMTPConnectionOptions } from "smtp-server/lib/smtp-connection.js";
import type { Mechanism } from "../../m365/gates.ts";
import { formatReply, SmtpReplies, type SmtpReply } from "../../m365/smtp-replies.ts";

/** Front-end (CAS) name used in the greeting, EHLO and suffixes. */
export const FRONT_END = "AM0PR01CA0001";
/** Host name in the 220 greeting and the EHLO reply, as `SY5P282CA0097.outlook.office365.com`. */
export const BANNER_HOST = `${FRONT_END}.outlook.office365.com`;
/** Host name in the `[host time id]` suffix, as `MN2PR05CA0004.namprd05.prod.outlook.com`. */
export const SUFFIX_HOST = `${FRONT_END}.eurprd01.prod.outlook.com`;
/** Mailbox server in `[Hostname=…]`, as `SYBP282MB2635.AUSP282.PROD.OUTLOOK.COM`. */
export const MAILBOX_HOST = "AM0PR01MB0001.EURPRD01.PROD.OUTLOOK.COM";
/** SIZE advertised by smtp.office365.com (150 MiB). */
export const MAX_MESSAGE_SIZE = 157_286_400;

/**
 * Marker the server passes as smtp-server's `authRequiredMessage`; the connection replaces it
 * with 530 5.7.57, echoing the last failed AUTH as Exchange does.
 */
export const AUTH_REQUIRED_MARKER = "\u0000auth-required";

/** What a successful AUTH established, kept for the per-message sender check. */
export interface AuthIdentity {
  mechanism: Mechanism;
  /** The LOGIN user name, or the XOAUTH2 `user=` mailbox. */
  user: string;
  /** XOAUTH2: the token's app id. */
  appId?: string;
}

/** Per-server knobs the connection needs. */
export interface ConnectionContext {
  now: () => Date;
  nextSessionNumber: () => number;
}

const contexts = new WeakMap<SMTPServer, ConnectionContext>();
const bySession = new WeakMap<object, ExchangeConnection>();

/** @internal Called by the server root once, before it listens. */
export function registerContext(server: SMTPServer, ctx: ConnectionContext): void {
  contexts.set(server, ctx);
}

/** The connection that owns an smtp-server session object (handlers only see the session). */
export function connectionOf(session: object): ExchangeConnection | undefined {
  return bySession.get(session);
}

// Replies smtp-server writes itself, by its own text, and what Exchange says instead. Texts marked
// (*) are Exchange Server's classic replies recalled from transcripts, not confirmed for Exchange
// Online; the rest are confirmed (sources in m365/gates.ts and the fact sheet §5.1).
const LIBRARY_REPLIES: Record<string, [number, string]> = {
  "220 Ready to start TLS": [220, "2.0.0 SMTP server ready"],
  "235 Authentication successful": [235, "2.7.0 Authentication successful"],
  "221 Bye": [221, "2.0.0 Service closing transmission channel"], // (*)
  "250 Accepted": [250, "2.1.0 Sender OK"], // MAIL; RCPT is told apart by context below
  "250 Flushed": [250, "2.0.0 Resetting"], // (*)
  "250 OK": [250, "2.0.0 OK"], // (*) NOOP
  "354 End data with <CR><LF>.<CR><LF>": [354, "Start mail input; end with <CRLF>.<CRLF>"],
  "503 Error: send HELO/EHLO first": [503, "5.5.2 Send hello first"], // (*)
  "503 Error: nested MAIL command": [503, "5.5.2 Sender already specified"], // (*)
  "503 Error: need MAIL command": [503, "5.5.2 Need mail command"], // (*)
  "503 Error: need RCPT command": [503, "5.5.2 Need rcpt command"], // (*)
  "503 Error: No identity changes permitted": [503, "5.5.2 Already authenticated"], // (*)
  "503 Error: TLS already active": [503, "5.5.2 Already in TLS mode"], // (*)
  "501 Authentication aborted": [501, "5.5.4 Authentication aborted"], // (*)
};

/**
 * An smtp-server connection that answers as Exchange Online. Enhanced status codes are written by
 * this class (smtp-server's own are turned off), so every reply line carries Exchange's.
 */
export class ExchangeConnection extends SMTPConnection {
  /** `08DE…`, shown in the greeting and every suffix of this session. */
  readonly sessionId: string;
  /** The last failed AUTH reply, echoed by 530 5.7.57 (without its suffix). */
  lastAuthFailure: string | undefined;
  /** Set by the server's onAuth on success. */
  identity: AuthIdentity | undefined;
  private readonly ctx: ConnectionContext;

  constructor(server: SMTPServer, socket: Socket | TLSSocket, options?: SMTPConnectionOptions | null) {
    super(server, socket, options);
    const ctx = contexts.get(server);
    if (!ctx) throw new Error("ExchangeConnection used without registerContext()");
    this.ctx = ctx;
    this.sessionId = `08DE${ctx.nextSessionNumber().toString(16).toUpperCase().padStart(12, "0")}`;
    bySession.set(this.session, this);
  }

  /** `[AM0PR01CA0001.eurprd01.prod.outlook.com 2026-01-27T10:00:00.000Z 08DE000000000001]` */
  suffix(): string {
    return `[${SUFFIX_HOST} ${this.ctx.now().toISOString()} ${this.sessionId}]`;
  }

  /** Writes a catalogue reply with this session's suffix. */
  reply(r: SmtpReply, withSuffix = true): void {
    super.send(r.code, `${r.enhanced} ${r.text}${withSuffix ? ` ${this.suffix()}` : ""}`, false);
  }

  /** Records a failed AUTH so a following MAIL FROM can echo it; returns the line to send. */
  authFailure(r: SmtpReply): { responseCode: number; message: string } {
    this.lastAuthFailure = formatReply(r);
    return { responseCode: r.code, message: `${r.enhanced} ${r.text} ${this.suffix()}` };
  }

  override _sendGreeting(): void {
    // 220 SY5P282CA0097.outlook.office365.com Microsoft ESMTP MAIL Service ready at Sun, 23 Nov 2025 11:12:20 +0000 [08DE2A6028D26C22]
    super.send(
      220,
      `${BANNER_HOST} Microsoft ESMTP MAIL Service ready at ${rfc5322Date(this.ctx.now())} [${this.sessionId}]`,
      false,
    );
  }

  override handler_AUTH(command: Buffer, callback: () => void): void {
    const method = (command.toString().trim().split(/\s+/)[1] ?? "").toUpperCase();
    // AUTH is not offered before STARTTLS, and PLAIN is never offered: Exchange answers both with
    // 504 5.7.4 (PHPMailer/PHPMailer#1254; mattermost/mattermost#954).
    if (!this.secure || !this._server.options.authMethods.includes(method)) {
      this.reply(SmtpReplies.unrecognizedAuthType);
      return callback();
    }
    super.handler_AUTH(command, callback);
  }

  override send(code: number, data?: string | string[] | null, context?: string | false): void {
    if (Array.isArray(data)) {
      // The EHLO reply: rebuild it in smtp.office365.com's order (fact sheet §5.1). BINARYMIME and
      // CHUNKING are left out: smtp-server has no BDAT, and clients such as MailKit use it when offered.
      const caps = [
        `${BANNER_HOST} Hello ${this.clientHostname || `[${this.remoteAddress}]`}`,
        `SIZE ${MAX_MESSAGE_SIZE}`,
        "PIPELINING",
        "DSN",
        "ENHANCEDSTATUSCODES",
      ];
      if (!this.secure) caps.push("STARTTLS");
      else if (!this.session.user) caps.push(`AUTH ${this._server.options.authMethods.join(" ")}`);
      caps.push("8BITMIME", "SMTPUTF8");
      return super.send(code, caps, false);
    }
    const text = data ?? "";
    if (code === 530 && text === AUTH_REQUIRED_MARKER) {
      // 530 5.7.57 Client not authenticated to send mail. [suffix]; after a failed AUTH Exchange
      // appends "Error: <that reply>" (MicrosoftDocs/OfficeDocs-Exchange#3124, .NET captures).
      const r = SmtpReplies.clientNotAuthenticated;
      const echo = this.lastAuthFailure ? ` Error: ${this.lastAuthFailure}` : "";
      return super.send(r.code, `${r.enhanced} ${r.text}${echo} ${this.suffix()}`, false);
    }
    if (/^\d\.\d{1,3}\.\d{1,3} /.test(text) || code === 334) {
      return super.send(code, text, false); // already Exchange's
    }
    if (code === 250 && context === "RCPT_TO_OK") return super.send(250, "2.1.5 Recipient OK", false);
    const known = LIBRARY_REPLIES[`${code} ${text}`];
    if (known) return super.send(known[0], known[1], false);
    if (code === 500) return super.send(500, `5.3.3 Unrecognized command ${this.suffix()}`, false);
    if (code === 538) return this.reply(SmtpReplies.unrecognizedAuthType);
    // Anything else smtp-server says: keep its text, add an enhanced code of the right class.
    const cls = code < 300 ? "2.0.0" : code < 400 ? "" : code < 500 ? "4.0.0" : "5.5.0";
    super.send(code, `${cls ? `${cls} ` : ""}${text.replace(/^Error: /, "")}`, false);
  }
}

/** `Sun, 23 Nov 2025 11:12:20 +0000` — day of month unpadded, as in Exchange's greeting. */
export function rfc5322Date(d: Date): string {
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${days[d.getUTCDay()]}, ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
