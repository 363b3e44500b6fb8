/**
 * `doctor probe`: the real SMTP submission conversation against smtp.office365.com:587 (or the
 * sandbox): greeting, EHLO, STARTTLS (TLS 1.2+, certificate verified), EHLO, AUTH LOGIN or AUTH
 * XOAUTH2, optionally a tiny test message, QUIT. Returns the transcript with every secret masked
 * and the reply that ended it.
 *
 * Failure semantics: runProbe never throws for what the server or the network does — a refused
 * connection, a failed handshake, a 5xx reply all come back as `failure`; it throws only on a
 * programming error.
 */
import { SessionError, SmtpSession, type SmtpResponse, type TlsInfo, type TranscriptLine } from "./smtp-session.ts";

/** How to authenticate: AUTH LOGIN with a password, AUTH XOAUTH2 with a bearer token, or not at all. */
export type ProbeAuth =
  { mechanism: "LOGIN"; user: string; password: string } | { mechanism: "XOAUTH2"; user: string; token: string } | null;

export interface ProbeOptions {
  host: string;
  port: number;
  /** Extra CA (PEM) to trust besides the system CAs. */
  ca?: string;
  /** The name sent with EHLO. */
  ehlo?: string;
  timeoutMs?: number;
  auth: ProbeAuth;
  /** Send a tiny test message after AUTH. */
  send?: { from: string; to: string };
  now?: () => Date;
}

/** The step the conversation reached (the failing one when `ok` is false). */
export type ProbeStage = "connect" | "greeting" | "ehlo" | "starttls" | "auth" | "mail" | "rcpt" | "data" | "done";

export interface ProbeFailure {
  stage: ProbeStage;
  /** The server's reply that ended the conversation, when it was a reply. */
  reply?: SmtpResponse;
  /** The network/TLS error, when it was not a reply. */
  error?: { code: string; message: string };
}

export interface ProbeResult {
  ok: boolean;
  host: string;
  port: number;
  mechanism: "LOGIN" | "XOAUTH2" | null;
  transcript: TranscriptLine[];
  tls: TlsInfo | null;
  /** AUTH mechanisms the server offered after STARTTLS. */
  authMechanisms: string[];
  authenticated: boolean;
  messageAccepted: boolean | null;
  failure?: ProbeFailure;
}

export const MASK = "<masked>";

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

/** The XOAUTH2 initial response: base64("user=<user>\x01auth=Bearer <token>\x01\x01"). */
export function xoauth2String(user: string, token: string): string {
  return b64(`user=${user}\x01auth=Bearer ${token}\x01\x01`);
}

/** Every form in which a secret of `auth` could appear on the wire, for a last scrub of any output. */
export function secretForms(auth: ProbeAuth): string[] {
  if (auth === null) return [];
  if (auth.mechanism === "LOGIN") return [auth.password, b64(auth.password)].filter((s) => s.length >= 4);
  return [auth.token, xoauth2String(auth.user, auth.token)].filter((s) => s.length >= 4);
}

/** Replaces every secret form in `text` by `<masked>`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join(MASK);
  return out;
}

function testMessage(from: string, to: string, now: Date): string {
  const id = `<doctor-probe-${now.getTime().toString(36)}@m365-smtp-auth.invalid>`;
  return [
    `From: <${from}>`,
    `To: <${to}>`,
    `Subject: m365-smtp-auth doctor probe test message`,
    `Date: ${now.toUTCString()}`,
    `Message-ID: ${id}`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "This is a test message sent by `m365-smtp-auth doctor probe --send-test`.",
    "",
  ].join("\r\n");
}

/** Runs the conversation. See the module comment for failure semantics. */
export async function runProbe(opts: ProbeOptions): Promise<ProbeResult> {
  const now = opts.now ?? (() => new Date());
  const session = new SmtpSession({ host: opts.host, port: opts.port, timeoutMs: opts.timeoutMs ?? 30_000, now });
  const result: ProbeResult = {
    ok: false,
    host: opts.host,
    port: opts.port,
    mechanism: opts.auth?.mechanism ?? null,
    transcript: session.transcript,
    tls: null,
    authMechanisms: [],
    authenticated: false,
    messageAccepted: null,
  };
  let stage: ProbeStage = "connect";
  const refuse = (reply: SmtpResponse): ProbeResult => {
    result.failure = { stage, reply };
    return result;
  };
  const ehloName = opts.ehlo ?? "m365-smtp-auth-doctor.invalid";
  try {
    await session.connect();
    stage = "greeting";
    const greeting = await session.read();
    if (greeting.code !== 220) return refuse(greeting);

    stage = "ehlo";
    let ehlo = await session.command(`EHLO ${ehloName}`);
    if (ehlo.code !== 250) return refuse(ehlo);

    stage = "starttls";
    if (!ehlo.lines.some((l) => /^STARTTLS\b/iu.test(l))) {
      session.note("the server does not offer STARTTLS; refusing to send credentials in clear text");
      result.failure = {
        stage,
        error: { code: "NO_STARTTLS", message: "530 5.7.0 Must issue a STARTTLS command first (STARTTLS not offered)" },
      };
      return result;
    }
    const ready = await session.command("STARTTLS");
    if (ready.code !== 220) return refuse(ready);
    result.tls = await session.startTls(opts.ca);

    stage = "ehlo";
    ehlo = await session.command(`EHLO ${ehloName}`);
    if (ehlo.code !== 250) return refuse(ehlo);
    const authLine = ehlo.lines.find((l) => /^AUTH[ =]/iu.test(l));
    result.authMechanisms = authLine ? authLine.slice(5).trim().split(/\s+/u).filter(Boolean) : [];

    stage = "auth";
    const auth = opts.auth;
    if (auth !== null) {
      if (!result.authMechanisms.some((m) => m.toUpperCase() === auth.mechanism)) {
        session.note(
          `the server offers AUTH ${result.authMechanisms.join(" ") || "(nothing)"}; trying ${auth.mechanism} anyway`,
        );
      }
      let final: SmtpResponse;
      if (auth.mechanism === "LOGIN") {
        const r1 = await session.command("AUTH LOGIN");
        if (r1.code !== 334) return refuse(r1);
        const r2 = await session.command(b64(auth.user), MASK);
        if (r2.code !== 334) return refuse(r2);
        final = await session.command(b64(auth.password), MASK);
      } else {
        final = await session.command(`AUTH XOAUTH2 ${xoauth2String(auth.user, auth.token)}`, `AUTH XOAUTH2 ${MASK}`);
        // A 334 carries a base64 JSON error; the client answers with an empty line to get the final reply.
        if (final.code === 334) final = await session.command("", "");
      }
      if (final.code !== 235) return refuse(final);
      result.authenticated = true;
    }

    if (opts.send) {
      stage = "mail";
      const mail = await session.command(`MAIL FROM:<${opts.send.from}>`);
      if (mail.code !== 250) return refuse(mail);
      stage = "rcpt";
      const rcpt = await session.command(`RCPT TO:<${opts.send.to}>`);
      if (rcpt.code !== 250 && rcpt.code !== 251) return refuse(rcpt);
      stage = "data";
      const data = await session.command("DATA");
      if (data.code !== 354) return refuse(data);
      const body = testMessage(opts.send.from, opts.send.to, now());
      session.sendRaw(`${body.replace(/^\./gmu, "..")}\r\n`, `<message: ${Buffer.byteLength(body)} bytes>`);
      const accepted = await session.command(".");
      result.messageAccepted = accepted.code === 250;
      if (accepted.code !== 250) return refuse(accepted);
    }

    stage = "done";
    result.ok = true;
    try {
      await session.command("QUIT");
    } catch {
      // The server may close before answering QUIT; the conversation already succeeded.
    }
    return result;
  } catch (err) {
    if (!(err instanceof SessionError)) throw err;
    result.failure = { stage, error: { code: err.code, message: err.message } };
    return result;
  } finally {
    session.close();
  }
}

/**
 * The text diagnose() reads for a failed probe: the failing exchange as a protocol log (`C:`/`S:`),
 * from the command that opened the failing step to the reply that ended it, or the network error.
 */
export function failureText(result: ProbeResult): string | null {
  const f = result.failure;
  if (!f) return null;
  if (f.error)
    return `${f.error.message}${f.stage === "starttls" || f.stage === "connect" ? "" : ` (during ${f.stage})`}`;
  const lines = result.transcript.filter((l) => l.dir !== "*");
  // Start at the last command that opens a step (AUTH, MAIL, RCPT, DATA, STARTTLS, EHLO).
  let start = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i]!.dir === "C" && /^(AUTH|MAIL FROM|RCPT TO|DATA|STARTTLS|EHLO)\b/iu.test(lines[i]!.text)) {
      start = i;
      break;
    }
  }
  return lines
    .slice(start)
    .map((l) => `${l.dir}: ${l.text}`)
    .join("\n");
}
