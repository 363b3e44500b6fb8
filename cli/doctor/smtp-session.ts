/**
 * A minimal SMTP client session on node:net / node:tls that records a transcript: one line per
 * command sent (`C:`), per reply line received (`S:`) and per connection event (`*`), each with a
 * timestamp. Commands that carry secrets are recorded masked; the caller decides which.
 *
 * Failure semantics: every method rejects with a {@link SessionError} (code `ECONNREFUSED`,
 * `ETIMEDOUT`, `ECLOSED`, a TLS error code…) and records it in the transcript; a server reply is never
 * an error here — the caller judges the code.
 */
import net from "node:net";
import tls from "node:tls";

/** One transcript line. `dir` is `C` (client → server), `S` (server → client) or `*` (connection event). */
export interface TranscriptLine {
  at: string;
  dir: "C" | "S" | "*";
  text: string;
}

/** A complete (possibly multi-line) SMTP reply. */
export interface SmtpResponse {
  code: number;
  /** Text of each line without the `250-` / `250 ` prefix. */
  lines: string[];
  /** The reply as received, lines joined with `\n`. */
  raw: string;
}

/** A network, TLS or protocol-level failure of the session (not an SMTP error reply). */
export class SessionError extends Error {
  override name = "SessionError";
  readonly code: string;
  constructor(code: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
  }
}

export interface SessionOptions {
  host: string;
  port: number;
  /** Per step: connect, each reply, the TLS handshake. */
  timeoutMs: number;
  now?: () => Date;
}

export interface TlsInfo {
  protocol: string | null;
  cipher: string | null;
  /** The peer certificate's subject CN, for the transcript. */
  subject: string | null;
}

/** One SMTP session. Not reusable after close(). */
export class SmtpSession {
  readonly transcript: TranscriptLine[] = [];
  #socket: net.Socket | null = null;
  #buffer = "";
  #lines: string[] = [];
  #waiter: (() => void) | null = null;
  #failure: SessionError | null = null;
  readonly #opts: SessionOptions;
  readonly #now: () => Date;

  constructor(opts: SessionOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? (() => new Date());
  }

  /** Records a connection event line (`*`). */
  note(text: string): void {
    this.transcript.push({ at: this.#now().toISOString(), dir: "*", text });
  }

  #record(dir: "C" | "S", text: string): void {
    this.transcript.push({ at: this.#now().toISOString(), dir, text });
  }

  #attach(socket: net.Socket): void {
    this.#socket = socket;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.#buffer += chunk;
      let i: number;
      while ((i = this.#buffer.indexOf("\n")) >= 0) {
        this.#lines.push(this.#buffer.slice(0, i).replace(/\r$/u, ""));
        this.#buffer = this.#buffer.slice(i + 1);
      }
      this.#wake();
    });
    socket.on("error", (err: NodeJS.ErrnoException) => this.#fail(sessionError(err, this.#opts)));
    socket.on("close", () => this.#fail(new SessionError("ECLOSED", "the server closed the connection")));
    socket.setTimeout(this.#opts.timeoutMs, () => {
      this.#fail(
        new SessionError(
          "ETIMEDOUT",
          `no answer from ${this.#opts.host}:${this.#opts.port} within ${this.#opts.timeoutMs} ms`,
        ),
      );
      socket.destroy();
    });
  }

  #wake(): void {
    const w = this.#waiter;
    this.#waiter = null;
    w?.();
  }

  #fail(err: SessionError): void {
    if (this.#failure) return;
    this.#failure = err;
    this.note(`${err.code}: ${err.message}`);
    this.#wake();
  }

  /** Opens the TCP connection. */
  async connect(): Promise<void> {
    const { host, port } = this.#opts;
    this.note(`connecting to ${host}:${port}`);
    const socket = net.connect({ host, port });
    this.#attach(socket);
    await new Promise<void>((resolve, reject) => {
      const onConnect = () => {
        cleanup();
        resolve();
      };
      const onFail = () => {
        cleanup();
        reject(this.#failure ?? new SessionError("ECLOSED", "the connection closed before it was established"));
      };
      const cleanup = () => {
        socket.off("connect", onConnect);
        socket.off("error", onFail);
        socket.off("close", onFail);
        socket.off("timeout", onFail);
      };
      socket.once("connect", onConnect);
      socket.once("error", onFail);
      socket.once("close", onFail);
      socket.once("timeout", onFail);
    });
    this.note(`connected to ${socket.remoteAddress ?? host}:${socket.remotePort ?? port}`);
  }

  /** Reads one complete reply (all continuation lines). */
  async read(): Promise<SmtpResponse> {
    const got: string[] = [];
    for (;;) {
      while (this.#lines.length > 0) {
        const line = this.#lines.shift()!;
        this.#record("S", line);
        got.push(line);
        if (!/^\d{3}-/u.test(line)) return parseResponse(got);
      }
      if (this.#failure) throw this.#failure;
      await new Promise<void>((r) => (this.#waiter = r));
    }
  }

  /** Sends one command line; `shown` is what the transcript records instead (masking). */
  send(line: string, shown: string = line): void {
    if (this.#failure) throw this.#failure;
    this.#record("C", shown);
    this.#socket!.write(`${line}\r\n`);
  }

  /** Sends a command and reads its reply. */
  async command(line: string, shown: string = line): Promise<SmtpResponse> {
    this.send(line, shown);
    return this.read();
  }

  /** Sends raw bytes (message content), recorded as a one-line summary. */
  sendRaw(data: string, shown: string): void {
    if (this.#failure) throw this.#failure;
    this.#record("C", shown);
    this.#socket!.write(data);
  }

  /**
   * Upgrades the connection after a 220 to STARTTLS. TLS 1.2 or later; the certificate is verified
   * against the system CAs plus `ca`, for `servername` (the host name; IP addresses are checked
   * against the certificate's IP SANs).
   */
  async startTls(ca: string | undefined): Promise<TlsInfo> {
    const plain = this.#socket!;
    plain.removeAllListeners("data");
    plain.removeAllListeners("error");
    plain.removeAllListeners("close");
    plain.setTimeout(0);
    const { host } = this.#opts;
    const options: tls.ConnectionOptions = {
      socket: plain,
      host,
      minVersion: "TLSv1.2",
      ...(net.isIP(host) === 0 ? { servername: host } : {}),
      ...(ca !== undefined ? { ca: [...tls.rootCertificates, ...extraDefaultCas(), ca] } : {}),
    };
    const secure = tls.connect(options);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        secure.destroy();
        reject(this.#failOnce(new SessionError("ETIMEDOUT", "the TLS handshake did not complete in time")));
      }, this.#opts.timeoutMs);
      secure.once("secureConnect", () => {
        clearTimeout(timer);
        resolve();
      });
      secure.once("error", (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(this.#failOnce(sessionError(err, this.#opts)));
      });
    });
    this.#buffer = "";
    this.#lines = [];
    this.#attach(secure);
    const cipher = secure.getCipher();
    const cert = secure.getPeerCertificate();
    const info: TlsInfo = {
      protocol: secure.getProtocol(),
      cipher: cipher.standardName || cipher.name || null,
      subject: typeof cert.subject?.CN === "string" ? cert.subject.CN : null,
    };
    this.note(
      `TLS established: ${info.protocol ?? "?"} ${info.cipher ?? ""}, certificate of ${info.subject ?? "?"} verified for ${host}`,
    );
    return info;
  }

  #failOnce(err: SessionError): SessionError {
    this.#fail(err);
    return this.#failure ?? err;
  }

  /** Closes the connection (no QUIT). Idempotent. */
  close(): void {
    const s = this.#socket;
    if (!s) return;
    s.removeAllListeners("close");
    s.removeAllListeners("error");
    s.on("error", () => {});
    s.destroy();
    this.#socket = null;
  }
}

/** The default CA set may have been extended (tls.setDefaultCACertificates / NODE_EXTRA_CA_CERTS). */
function extraDefaultCas(): string[] {
  try {
    return tls.getCACertificates("default");
  } catch {
    return [];
  }
}

function parseResponse(lines: string[]): SmtpResponse {
  const code = Number(lines[lines.length - 1]!.slice(0, 3));
  return { code, lines: lines.map((l) => l.slice(4)), raw: lines.join("\n") };
}

const NET_MESSAGES: Record<string, string> = {
  ECONNREFUSED: "connection refused (nothing listens on that port, or a firewall rejects it)",
  ENOTFOUND: "host name not found (DNS)",
  EAI_AGAIN: "host name lookup failed temporarily (DNS)",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ECONNRESET: "the connection was reset",
  ETIMEDOUT: "the connection timed out",
};

function sessionError(err: NodeJS.ErrnoException, opts: SessionOptions): SessionError {
  const code = err.code ?? "EIO";
  const where = `${opts.host}:${opts.port}`;
  const known = NET_MESSAGES[code];
  if (known) return new SessionError(code, `${where}: ${known} (${code})`, err);
  return new SessionError(code, `${where}: ${err.message}`, err);
}
